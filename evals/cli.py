"""`regassist eval` (registered by assistant.commands).

    regassist eval [--gold FILE] [--split dev|held-out|extra|validity|all] [--json] [--report DIR] [--url http://…]
                   [--no-baselines] [--limit N] [--detail] [--variants]

Prints one table (split × system × metric); ``--detail`` adds the per-category / language / document tables;
``--json`` prints the machine-readable result instead; ``--report DIR`` also writes ``DIR/report.md``, PNG plots
and ``DIR/eval.json``. Exit status 1 when any citation fails to resolve or quote its unit verbatim.
"""

from __future__ import annotations

import json
import sys

from evals.gold import SPLITS


def cmd_eval(args) -> int:
    from evals.gold import load_gold
    from evals.runner import evaluate
    from evals.tables import latency_table, main_table, slice_table

    questions = load_gold(args.split, args.gold)
    if args.limit:
        kept, per_split = [], {}
        for q in questions:
            per_split[q.split] = per_split.get(q.split, 0) + 1
            if per_split[q.split] <= args.limit:
                kept.append(q)
        questions = kept

    def progress(msg: str) -> None:
        if not args.json and sys.stderr.isatty():
            print(f"\r{msg:<40}", end="", file=sys.stderr, flush=True)

    run = evaluate(questions, url=args.url, baselines=not args.no_baselines, progress=progress)
    if not args.json and sys.stderr.isatty():
        print("\r" + " " * 40 + "\r", end="", file=sys.stderr)
    if args.report:
        from evals.report import write_report

        path = write_report(run, args.report)
        if not args.json:
            print(f"report: {path}", file=sys.stderr)
    robustness = None
    if args.variants:
        from assistant.service import get_assistant
        from evals.robustness import robustness_table, run_variants

        robustness = run_variants(get_assistant(), questions, progress=progress).summary()
    if args.json:
        out = run.to_json()
        if robustness is not None:
            out["variants"] = robustness
        print(json.dumps(out, ensure_ascii=False, indent=1))
    else:
        print(main_table(run.splits))
        print()
        for split, systems in run.splits.items():
            answers = (systems.get("regassist", {}).get("overall", {}).get("all", {}) or {}).get("answers") or {}
            if answers.get("n_validity"):
                print(
                    f"* {split}: validity questions {answers['n_validity']}: applicable version named "
                    f"{100 * (answers['applicable'] or 0):.1f} %, draft/repealed presented as in force "
                    f"{answers['wrong_in_force']}"
                )
        for note in run.meta["notes"]:
            print(f"* {note}")
        print("* percentages; retrieval over answerable questions; answer metrics n/a for retrieval-only baselines")
        print("* run time: " + ", ".join(f"{k} {v:.0f} s" for k, v in run.meta["seconds"].items()))
        if robustness is not None:
            print()
            print(
                "Metamorphic variants (each question asked again as people type it; consistency = same first "
                "cited article as the original):"
            )
            print(robustness_table(robustness))
        if args.detail:
            for split, systems in run.splits.items():
                for dim in ("category", "language", "document"):
                    print()
                    print(slice_table(split, systems, dim))
                print()
                print(latency_table(split, systems))
    bad = sum(
        (s["overall"]["all"]["answers"] or {}).get("bad_citations", 0)
        for split, systems in run.splits.items()
        if split != "all"
        for s in systems.values()
    )
    return 1 if bad else 0


def register(sub) -> None:
    e = sub.add_parser("eval", help="evaluate against the gold questions (metrics, baselines, report)")
    e.add_argument(
        "--gold",
        metavar="FILE",
        help="a gold JSONL file instead of the shipped splits (one split, named after the file; --split is ignored)",
    )
    e.add_argument("--split", default="dev", choices=list(SPLITS))
    e.add_argument("--json", action="store_true", help="machine-readable output")
    e.add_argument("--report", metavar="DIR", help="write DIR/report.md with plots")
    e.add_argument("--url", help="evaluate a running server (POST URL/api/ask) instead of in process")
    e.add_argument("--no-baselines", action="store_true")
    e.add_argument("--limit", type=int, help="first N questions of each split")
    e.add_argument("--detail", action="store_true", help="also print per-category / language / document tables")
    e.add_argument(
        "--variants",
        action="store_true",
        help="also ask every question rewritten the ways people type it (evals.robustness)",
    )
    e.set_defaults(func=cmd_eval)
