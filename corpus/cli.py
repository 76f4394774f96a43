"""The ``corpus`` sub-commands of ``regassist``: ``list``, ``show``, ``add``.

``register(subparsers, data_dir=…)`` adds them to an argparse parser (the ``regassist`` CLI wires it; the
data directory comes from the caller's settings, else ``$REGASSIST_DATA_DIR``, else ``.regassist-data``, the
same default as the index settings). ``python -m corpus.cli …`` runs them alone.

* ``corpus list [--json]`` — documents with type, number, province, dates, status, unit counts.
* ``corpus show DOC [UNIT] [--json]`` — a document (summary and outline) or one unit (``dieu-11``,
  ``dieu-11/khoan-2``, ``IV.2.8``, ``appendix-2/I``).
* ``corpus add FILE [--dry-run] [--replace] [--id …] [--number …] …`` — read any .txt/.md/.html/.docx/.pdf;
  no flag is needed (metadata is read from the text), flags override what was read. ``--dry-run`` prints the
  inferred metadata and the unit tree (counts per part and level) and writes nothing. A number already in the
  corpus needs ``--replace`` (the old document is kept, superseded). Refusals print ``rejected: …`` and exit 2.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Callable

DataDir = Callable[[], Path]


def default_data_dir() -> Path:
    return Path(os.environ.get("REGASSIST_DATA_DIR", ".regassist-data"))


def _corpus(data_dir: DataDir):
    from corpus.ingest import build_full_corpus

    return build_full_corpus(data_dir())


def cmd_list(args) -> int:
    from corpus.summary import doc_summary

    corpus = _corpus(args.data_dir)
    rows = [doc_summary(d) for d in corpus.documents.values()]
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    for r in rows:
        counts = ", ".join(f"{k}={v}" for k, v in r["units"].items())
        print(
            f"{r['id']:<26} {r['type']:<18} {r['number'] or '—':<18} {r['province']:<12} "
            f"ban hành {r['issue_date'] or '—'} hiệu lực {r['effective_date'] or '—'} [{r['status']}]"
        )
        print(f"{'':<26} {counts}")
    return 0


def cmd_show(args) -> int:
    from corpus.summary import doc_summary

    corpus = _corpus(args.data_dir)
    doc = corpus.get(args.doc_id)
    if doc is None:
        print(f"unknown document '{args.doc_id}'. Known: {', '.join(corpus.documents)}", file=sys.stderr)
        return 2
    if not args.unit:
        if args.json:
            print(doc.model_dump_json(indent=2))
            return 0
        print(json.dumps(doc_summary(doc), ensure_ascii=False, indent=2))
        for part in doc.parts:
            print(f"\n== {part.id_slug}: {part.title}")
            for a in part.articles:
                print(f"  Điều {a.number}. {a.title or ''}  ({len(a.clauses)} khoản)")
            for sec in part.sections:
                extra = f", {len(sec.points)} điểm" if sec.points else ""
                print(f"  {sec.path} {sec.title or ''}  ({len(sec.items)} ý{extra})")
            for row in part.rows:
                print(f"  {row.path}: {row.task[:70]} — {row.lead_unit or ''}")
            for para in part.paragraphs:
                print(f"  đoạn {para.number}: {para.text[:90]}")
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


def format_preview(preview) -> str:
    """The human-readable dry-run / added report: metadata, relations, unit tree, warnings."""
    m = preview.metadata
    lines = [
        f"{preview.doc_id}  {m['doc_type']} {m.get('number') or '(no number)'}  "
        f"({m.get('province') or '?'}{', national' if m.get('level') == 'national' else ''})",
        f"  file:      {preview.file} ({preview.format}, layout {preview.layout})",
        f"  title:     {m.get('title')}",
        f"  issuer:    {m.get('issuer') or '—'}",
        f"  signed:    {m.get('issue_date') or '—'} by {m.get('signer') or '—'}"
        + (f" ({m['signer_title']})" if m.get("signer_title") else ""),
        f"  effective: {m.get('effective_date') or '—'}"
        + (f"  — “{m['effective_evidence'][:100]}”" if m.get("effective_evidence") else ""),
    ]
    if m.get("applies_from"):
        lines.append(f"  applies from: {m['applies_from']}")
    rels = m.get("relations") or []
    if rels:
        shown = "; ".join(f"{r['kind']} {r['target'][:40]}" for r in rels[:12])
        lines.append(f"  relations: {shown}" + (f"; … ({len(rels)} in all)" if len(rels) > 12 else ""))
    for note in m.get("notes") or []:
        lines.append(f"  note: {note}")
    lines.append(f"  structure: {preview.structure}; {preview.total_units} citable units")
    for part, counts in preview.units.items():
        lines.append(f"    {part:<14} " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    for w in preview.warnings:
        lines.append(f"  warning: {w}")
    if preview.existing and not preview.added:
        lines.append(f"  already in the corpus as '{preview.existing}': add with --replace to supersede it")
    return "\n".join(lines)


def cmd_add(args) -> int:
    from corpus.ingest import add_file, preview_file
    from corpus.reader.errors import ParseError

    overrides = {
        "id": args.id,
        "province": args.province,
        "doc_type": args.type,
        "number": args.number,
        "title": args.title,
        "issuer": args.issuer,
        "signer": args.signer,
        "issue_date": args.issue_date,
        "effective_date": args.effective_date,
        "status": "draft" if args.draft else None,
    }
    try:
        if args.dry_run:
            preview = preview_file(Path(args.file), overrides, data_dir=args.data_dir())
        else:
            preview = add_file(Path(args.file), data_dir=args.data_dir(), overrides=overrides, replace=args.replace)
    except (ParseError, ValueError, TimeoutError) as exc:
        print(f"rejected: {exc}", file=sys.stderr)
        return 2
    if args.json:
        print(preview.model_dump_json(indent=2))
    else:
        print(format_preview(preview))
    if preview.added:
        what = f"added (supersedes '{preview.replaces}')" if preview.replaces else "added"
        print(f"{what}; run `regassist index build` to index it", file=sys.stderr)
    else:
        print("dry run: nothing written", file=sys.stderr)
    return 0


def register(sub, data_dir: DataDir | None = None) -> None:
    """Add ``corpus list|show|add`` to an argparse sub-parsers object."""
    resolve = data_dir or default_data_dir
    c = sub.add_parser("corpus", help="inspect or extend the corpus").add_subparsers(dest="sub", required=True)
    cl = c.add_parser("list", help="documents with type, number, dates, status, unit counts")
    cl.add_argument("--json", action="store_true")
    cl.set_defaults(func=cmd_list, data_dir=resolve)
    cs = c.add_parser("show", help="a document or one unit (dieu-11, dieu-11/khoan-2, IV.2.8)")
    cs.add_argument("doc_id")
    cs.add_argument("unit", nargs="?")
    cs.add_argument("--json", action="store_true")
    cs.set_defaults(func=cmd_show, data_dir=resolve)
    ca = c.add_parser("add", help="add a .txt, .md, .html, .docx or .pdf document (metadata read from the text)")
    ca.add_argument("file")
    ca.add_argument("--dry-run", action="store_true", help="print the metadata and unit tree; write nothing")
    ca.add_argument("--replace", action="store_true", help="supersede the document with the same number")
    ca.add_argument("--json", action="store_true", help="print the preview as JSON")
    ca.add_argument("--id", help="document id (default: the file name when it names the number)")
    ca.add_argument("--province")
    ca.add_argument("--type", help="document type, e.g. 'Quyết định', 'Kế hoạch'")
    ca.add_argument("--number", help="e.g. 12/2025/QĐ-UBND")
    ca.add_argument("--title")
    ca.add_argument("--issuer")
    ca.add_argument("--signer")
    ca.add_argument("--issue-date", help="YYYY-MM-DD")
    ca.add_argument("--effective-date", help="YYYY-MM-DD")
    ca.add_argument("--draft", action="store_true", help="a draft (no legal effect)")
    ca.add_argument("--format", help=argparse.SUPPRESS)  # accepted for compatibility; the reader decides
    ca.set_defaults(func=cmd_add, data_dir=resolve)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m corpus.cli", description="regassist corpus commands")
    register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    return args.func(args) or 0


if __name__ == "__main__":
    sys.exit(main())
