"""Sub-commands of the answering layer: index build, search, ask (``serve`` is ``assistant.web.cli``)."""

from __future__ import annotations

import json
import sys
from datetime import date


def cmd_index_build(args) -> int:
    from corpus.ingest import build_full_corpus
    from index.settings import IndexSettings
    from index.stores.build import build_index

    settings = IndexSettings()
    report = build_index(build_full_corpus(settings.data_dir), settings, progress=not args.quiet, force=args.force)
    what = "no-op (nothing changed)" if report.noop else f"built {report.build_id}"
    phases = ", ".join(f"{k} {v:.1f} s" for k, v in report.timings.items() if v >= 0.05)
    print(
        f"{what}: {report.nodes} nodes, {report.vectors} vectors ({report.embedded} embedded now), "
        f"{report.seconds:.1f} s{f' ({phases})' if phases else ''} -> {report.path}"
    )
    return 0


def cmd_search(args) -> int:
    from corpus.ingest import build_full_corpus
    from index.retrieval.retriever import load_retriever
    from index.settings import IndexSettings

    settings = IndexSettings()
    corpus = build_full_corpus(settings.data_dir)
    result = load_retriever(corpus, settings).search(
        args.query, k=args.k, province=args.province, document=args.document
    )
    if args.json:
        print(result.model_dump_json(indent=2))
        return 0
    if result.not_found:
        print(f"not found: {result.not_found}")
    print(f"confidence {result.confidence:.2f}  ({', '.join(f'{k} {v:.1f} ms' for k, v in result.timings_ms.items())})")
    for n, hit in enumerate(result.hits, 1):
        print(f"{n:>2}. {hit.score:.3f}  {hit.id}  {'(direct)' if hit.direct else ''}\n    {hit.label}")
    return 0


def cmd_ask(args) -> int:
    from pydantic import ValidationError

    from assistant.schemas import AskRequest
    from assistant.service import QuestionTooLongError, UnknownFilterError, get_assistant

    assistant = get_assistant()
    if args.jsonl:
        for line in sys.stdin:
            line = line.strip()
            if not line:
                continue
            try:
                payload = json.loads(line) if line.startswith("{") else {"question": line}
                answer = assistant.ask(AskRequest(**payload))
                print(answer.model_dump_json(), flush=True)
            except (ValidationError, UnknownFilterError, QuestionTooLongError, json.JSONDecodeError, TypeError) as exc:
                print(
                    json.dumps({"error": str(exc).splitlines()[0], "input": line[:200]}, ensure_ascii=False), flush=True
                )
        return 0
    try:
        answer = assistant.ask(
            AskRequest(question=args.question, province=args.province, document=args.document, as_of=args.as_of)
        )
    except (ValidationError, UnknownFilterError, QuestionTooLongError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.json:
        print(answer.model_dump_json(indent=2))
        return 0
    print(answer.answer)
    for n, c in enumerate(answer.citations, 1):
        print(f"[{n}] {c.label} — {c.id}")
    return 0


def register(sub) -> None:
    ix = sub.add_parser("index", help="build the search index").add_subparsers(dest="sub", required=True)
    b = ix.add_parser("build", help="idempotent, incremental, atomic index build")
    b.add_argument("--force", action="store_true")
    b.add_argument("--quiet", action="store_true")
    b.set_defaults(func=cmd_index_build)

    s = sub.add_parser("search", help="ranked units with scores (debugging, evals)")
    s.add_argument("query")
    s.add_argument("-k", type=int, default=5)
    s.add_argument("--province")
    s.add_argument("--document")
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_search)

    a = sub.add_parser("ask", help="a cited answer")
    a.add_argument("question", nargs="?")
    a.add_argument("--province")
    a.add_argument("--document")
    a.add_argument("--json", action="store_true")
    a.add_argument("--jsonl", action="store_true", help="one question (or JSON request) per stdin line")
    a.add_argument(
        "--as-of",
        type=date.fromisoformat,
        metavar="YYYY-MM-DD",
        help="answer for this date (default today; a date the question names wins)",
    )
    a.set_defaults(func=cmd_ask)
