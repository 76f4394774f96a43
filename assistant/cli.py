"""The ``regassist`` command line: corpus, index, search, ask, serve, eval.

Sub-commands of packages above or beside ``assistant`` (``regassist eval``) are registered through the
``regassist.commands`` entry-point group (pyproject.toml), so ``assistant`` never imports ``evals``.
"""

from __future__ import annotations

import argparse
from importlib.metadata import entry_points
import json
import sys
from pathlib import Path

from corpus.parsing.errors import ParseError


def _corpus(args):
    from corpus.ingest import build_full_corpus
    from index.settings import IndexSettings

    return build_full_corpus(IndexSettings().data_dir)


def doc_summary(doc) -> dict:
    m = doc.meta
    counts = {}
    for part in doc.parts:
        key = part.kind
        if part.articles:
            counts[f"{key}_articles"] = len(part.articles)
            counts[f"{key}_clauses"] = sum(len(a.clauses) for a in part.articles)
            counts[f"{key}_points"] = sum(len(c.points) for a in part.articles for c in a.clauses)
        if part.chapters:
            counts[f"{key}_chapters"] = len(part.chapters)
        if part.sections:
            counts[f"{key}_sections"] = len(part.sections)
        if part.rows:
            counts[f"{key}_rows"] = len(part.rows)
    return {
        "id": m.id, "type": m.doc_type, "number": m.number, "province": m.province, "title": m.title,
        "issue_date": m.issue_date.isoformat() if m.issue_date else None,
        "effective_date": m.effective_date.isoformat() if m.effective_date else None,
        "status": m.status.value, "status_evidence": m.status_evidence, "signer": m.signer,
        "units": counts, "notes": m.notes,
    }


def cmd_corpus_list(args) -> int:
    corpus = _corpus(args)
    rows = [doc_summary(d) for d in corpus.documents.values()]
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    for r in rows:
        counts = ", ".join(f"{k}={v}" for k, v in r["units"].items())
        print(f"{r['id']:<24} {r['type']:<18} {r['number'] or '—':<18} {r['province']:<12} "
              f"ban hành {r['issue_date'] or '—'} hiệu lực {r['effective_date'] or '—'} [{r['status']}]")
        print(f"{'':<24} {counts}")
    return 0


def cmd_corpus_show(args) -> int:
    corpus = _corpus(args)
    doc = corpus.get(args.doc_id)
    if doc is None:
        print(f"unknown document '{args.doc_id}'. Known: {', '.join(corpus.documents)}", file=sys.stderr)
        return 2
    if not args.unit:
        if args.json:
            print(doc.model_dump_json(indent=2))
        else:
            s = doc_summary(doc)
            print(json.dumps(s, ensure_ascii=False, indent=2))
            for part in doc.parts:
                print(f"\n== {part.kind}: {part.title}")
                for a in part.articles:
                    print(f"  Điều {a.number}. {a.title or ''}  ({len(a.clauses)} khoản)")
                for sec in part.sections:
                    print(f"  {sec.path} {sec.title or ''}  ({len(sec.items)} ý)")
                for row in part.rows:
                    print(f"  {row.path}: {row.task[:70]} — {row.lead_unit or ''}")
        return 0
    loc = corpus.find_unit(doc.id, args.unit)
    if loc is None:
        print(f"no unit '{args.unit}' in {doc.id}", file=sys.stderr)
        return 2
    if args.json:
        print(loc.unit.model_dump_json(indent=2))
    else:
        print(f"{loc.unit.label}\n[{loc.unit.id}]\n\n{loc.unit.text}")
    return 0


def cmd_corpus_add(args) -> int:
    from corpus.catalog import CatalogDocument
    from corpus.ingest import add_document
    from index.settings import IndexSettings

    try:
        entry = CatalogDocument(
            id=args.id, province=args.province, doc_type=args.type, number=args.number,
            status="draft" if args.draft else None,
        )
        corpus = add_document(Path(args.file), entry, args.format, IndexSettings().data_dir)
    except ParseError as exc:
        print(f"rejected: {exc}", file=sys.stderr)
        return 2
    except ValueError as exc:  # pydantic validation of the entry
        print(f"rejected: {exc}", file=sys.stderr)
        return 2
    doc = corpus.get(args.id)
    print(json.dumps(doc_summary(doc), ensure_ascii=False, indent=2))
    print("added; run `regassist index build` to index it", file=sys.stderr)
    return 0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="regassist", description="Cited answers about Vietnamese provincial regulations")
    sub = p.add_subparsers(dest="command", required=True)

    c = sub.add_parser("corpus", help="inspect or extend the corpus").add_subparsers(dest="sub", required=True)
    cl = c.add_parser("list", help="documents with type, number, dates, status, unit counts")
    cl.add_argument("--json", action="store_true")
    cl.set_defaults(func=cmd_corpus_list)
    cs = c.add_parser("show", help="a document or one unit (dieu-11, dieu-11/khoan-2, IV.2.8)")
    cs.add_argument("doc_id")
    cs.add_argument("unit", nargs="?")
    cs.add_argument("--json", action="store_true")
    cs.set_defaults(func=cmd_corpus_show)
    ca = c.add_parser("add", help="add a text, markdown or .docx document")
    ca.add_argument("file")
    ca.add_argument("--id", required=True)
    ca.add_argument("--province", required=True)
    ca.add_argument("--type", default="Quyết định")
    ca.add_argument("--number")
    ca.add_argument("--format", default="decision_with_regulation",
                    choices=["decision_with_regulation", "plan", "comparison_table"])
    ca.add_argument("--draft", action="store_true")
    ca.set_defaults(func=cmd_corpus_add)

    from assistant import commands  # index/search/ask/serve (heavier imports inside each)

    commands.register(sub)
    for ep in entry_points(group="regassist.commands"):  # e.g. `regassist eval` from the evals package
        ep.load()(sub)
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args) or 0


if __name__ == "__main__":
    sys.exit(main())
