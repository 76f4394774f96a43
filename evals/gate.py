"""The CI gate: a quick evaluation on a fixed subset of the DEV split against the floors in ``evals/floors.json``.

The subset (ids stored in ``floors.json``) was drawn once with :func:`select_subset`: every category gets a share of
the 40 questions proportional to its size (at least 2; largest remainder), taken evenly spaced in id order inside
the category. Storing the ids keeps the subset fixed even if the rule or the dev file changes.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Sequence

from evals.gold import CATEGORIES, GoldQuestion
from evals.metrics import answer_summary

FLOORS_PATH = Path(__file__).resolve().parent / "floors.json"


def select_subset(questions: Sequence[GoldQuestion], n: int = 40, minimum: int = 2) -> list[str]:
    by_cat: dict[str, list[GoldQuestion]] = {}
    for q in sorted(questions, key=lambda q: q.id):
        by_cat.setdefault(q.category, []).append(q)
    cats = [c for c in CATEGORIES if c in by_cat]
    total = sum(len(by_cat[c]) for c in cats)
    raw = {c: n * len(by_cat[c]) / total for c in cats}
    quota = {c: min(len(by_cat[c]), max(minimum, math.floor(raw[c]))) for c in cats}
    for c in sorted(cats, key=lambda c: -(raw[c] - math.floor(raw[c]))):
        if sum(quota.values()) >= n:
            break
        if quota[c] < len(by_cat[c]):
            quota[c] += 1
    while sum(quota.values()) > n:  # minimums overshot: take from the largest
        c = max((c for c in cats if quota[c] > minimum), key=lambda c: quota[c])
        quota[c] -= 1
    ids: list[str] = []
    for c in cats:
        qs, m = by_cat[c], quota[c]
        picks = sorted({min(len(qs) - 1, int((i + 0.5) * len(qs) / m)) for i in range(m)})
        ids += [qs[i].id for i in picks]
    return sorted(ids)


def load_floors(path: Path = FLOORS_PATH) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def gate_questions(dev: Sequence[GoldQuestion], floors: dict) -> list[GoldQuestion]:
    wanted = set(floors["subset"])
    return [q for q in dev if q.id in wanted]


def check(summary: dict, floors: dict) -> list[str]:
    """Failures of an ``answer_summary`` against the floors (empty = pass)."""
    failures = []
    for metric, floor in floors["floors"].items():
        value = summary.get(metric)
        if value is None or value < floor:
            failures.append(f"{metric} = {value if value is None else round(value, 4)} < floor {floor}")
    if summary.get("bad_citations", 0) > floors.get("max_bad_citations", 0):
        failures.append(f"{summary['bad_citations']} citation(s) do not resolve or misquote their unit")
    return failures


def run_gate(assistant, dev: Sequence[GoldQuestion], floors: dict | None = None) -> tuple[dict, list[str]]:
    from evals.runner import run_system

    floors = floors or load_floors()
    records = run_system(assistant, gate_questions(dev, floors), retrieval=False)
    summary = answer_summary([r.answer for r in records])
    summary["errors"] = [f"{r.id}: {r.error}" for r in records if r.error]
    failures = check(summary, floors)
    failures += [f"crashed: {e}" for e in summary["errors"]]
    return summary, failures
