"""Tables of an evaluation run: one main table (split × system × metric) and slice tables, as text or markdown.

Every table carries its split in a column or in its title.
"""

from __future__ import annotations

from typing import Any, Sequence

SYSTEM = "regassist"


def pct(v: float | None) -> str:
    return "n/a" if v is None else f"{100 * v:.1f}"


def ms(v: float | None) -> str:
    return "n/a" if v is None else (f"{v:.0f}" if v >= 10 else f"{v:.1f}")


def render(headers: Sequence[str], rows: Sequence[Sequence[Any]], markdown: bool = False, align_left: int = 2) -> str:
    cells = [[str(c) for c in headers]] + [[str(c) for c in r] for r in rows]
    if markdown:
        sep = ["---" if i < align_left else "---:" for i in range(len(headers))]
        lines = ["| " + " | ".join(cells[0]) + " |", "|" + "|".join(sep) + "|"]
        lines += ["| " + " | ".join(r) + " |" for r in cells[1:]]
        return "\n".join(lines)
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]

    def fmt(r):
        return "  ".join(c.ljust(w) if i < align_left else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths)))

    return "\n".join([fmt(cells[0]), "  ".join("-" * w for w in widths)] + [fmt(r) for r in cells[1:]])


def _latency(summary: dict, stage: str, p: str) -> float | None:
    return (summary.get("latency", {}).get(stage) or {}).get(p)


def answer_stage(summary: dict) -> str:
    return "http" if "http" in summary.get("latency", {}) else "ask"


MAIN_HEADERS = [
    "split",
    "system",
    "n",
    "hit@1",
    "hit@5",
    "groups@5",
    "MRR@10",
    "cited",
    "facts",
    "abst P",
    "abst R",
    "wrong abst",
    "bad cit",
    "search p50/p95 ms",
    "answer p50/p95 ms",
]


def main_rows(splits: dict[str, dict[str, dict]]) -> list[list[str]]:
    rows = []
    for split, systems in splits.items():
        for system, s in systems.items():
            ret = s["overall"]["all"]["retrieval"]
            ans = s["overall"]["all"]["answers"]
            stage = answer_stage(s)
            search = f"{ms(_latency(s, 'search', 'p50'))}/{ms(_latency(s, 'search', 'p95'))}"
            answer = f"{ms(_latency(s, stage, 'p50'))}/{ms(_latency(s, stage, 'p95'))}" if ans else "n/a"
            rows.append(
                [
                    split,
                    system,
                    f"{s['n']} ({ret['n']} ans.)",
                    pct(ret["hit@1"]),
                    pct(ret["hit@5"]),
                    pct(ret["groups@5"]),
                    pct(ret["mrr"]),
                    pct(ans["cited"]) if ans else "n/a",
                    pct(ans["facts"]) if ans else "n/a",
                    pct(ans["abstain_precision"]) if ans else "n/a",
                    pct(ans["abstain_recall"]) if ans else "n/a",
                    f"{ans['wrong_abstentions']}/{ans['n_answerable']}" if ans else "n/a",
                    f"{ans['bad_citations']}/{ans['citations']}" if ans else "n/a",
                    search if s["latency"].get("search") else "n/a",
                    answer,
                ]
            )
    return rows


def main_table(splits: dict[str, dict[str, dict]], markdown: bool = False) -> str:
    return render(MAIN_HEADERS, main_rows(splits), markdown=markdown)


def slice_table(split: str, systems: dict[str, dict], dim: str, markdown: bool = False) -> str:
    """Rows: the slices of ``dim`` (category / language / document); columns: hit@5 and MRR of every system,
    then the answer metrics of the system that answers."""
    names = list(systems)
    answering = [n for n in names if systems[n][dim] and next(iter(systems[n][dim].values()))["answers"]]
    slices: list[str] = []
    for n in names:
        for key in systems[n][dim]:
            if key not in slices:
                slices.append(key)
    headers = [dim, "n"] + [f"{n} hit@5" for n in names] + [f"{n} MRR" for n in names]
    for n in answering:
        headers += [f"{n} cited", f"{n} facts", f"{n} abst R", f"{n} wrong abst"]
    rows = []
    for key in slices:
        first = next(systems[n][dim][key] for n in names if key in systems[n][dim])
        row = [key, first["n"]]
        row += [pct(systems[n][dim].get(key, {}).get("retrieval", {}).get("hit@5")) for n in names]
        row += [pct(systems[n][dim].get(key, {}).get("retrieval", {}).get("mrr")) for n in names]
        for n in answering:
            ans = systems[n][dim].get(key, {}).get("answers") or {}
            row += [
                pct(ans.get("cited")),
                pct(ans.get("facts")),
                pct(ans.get("abstain_recall")),
                f"{ans.get('wrong_abstentions', 0)}/{ans.get('n_answerable', 0)}",
            ]
        rows.append(row)
    title = f"{dim} — split: {split}"
    table = render(headers, rows, markdown=markdown, align_left=1)
    return f"#### {title}\n\n{table}" if markdown else f"{title}\n{table}"


def latency_table(split: str, systems: dict[str, dict], markdown: bool = False) -> str:
    stages: list[str] = []
    for s in systems.values():
        for st in s.get("latency", {}):
            if st not in stages:
                stages.append(st)
    rows = []
    for name, s in systems.items():
        for st in stages:
            lat = s["latency"].get(st)
            if lat:
                rows.append([name, st, lat["n"], ms(lat["p50"]), ms(lat["p95"]), ms(lat["mean"])])
    table = render(["system", "stage", "n", "p50 ms", "p95 ms", "mean ms"], rows, markdown=markdown)
    title = f"latency per stage — split: {split}"
    return f"#### {title}\n\n{table}" if markdown else f"{title}\n{table}"
