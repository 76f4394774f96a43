"""``regassist eval --report DIR``: ``DIR/report.md`` (tables) + PNG plots (matplotlib, Agg backend) + ``DIR/eval.json``.

Plots, one set per split (the split is in every file name and title):
* ``<split>-retrieval-by-category.png`` — hit@5 per category, one bar per system;
* ``<split>-answers-by-category.png`` — cited-unit and fact accuracy per category (regassist);
* ``<split>-by-language.png`` — hit@5 per language slice per system, plus regassist's cited/facts;
* ``<split>-latency.png`` — latency distributions (box plots, log scale): regassist per stage, and the search
  time of every system.

Per-question diagnostics (ids only) are listed for the dev split only.
"""

from __future__ import annotations

import json
from pathlib import Path

from evals.tables import SYSTEM, latency_table, main_table, slice_table


def _plt():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _grouped_bars(ax, labels: list[str], series: dict[str, list[float | None]], ylabel: str) -> None:
    import numpy as np

    x = np.arange(len(labels))
    width = 0.8 / max(1, len(series))
    for n, (name, vals) in enumerate(series.items()):
        ax.bar(x + (n - (len(series) - 1) / 2) * width, [100 * (v or 0) for v in vals], width, label=name)
    ax.set_xticks(x)
    ax.set_xticklabels(labels, rotation=35, ha="right", fontsize=8)
    ax.set_ylim(0, 105)
    ax.set_ylabel(ylabel)
    ax.grid(axis="y", alpha=0.3)
    ax.legend(fontsize=8, ncol=min(4, len(series)))


def _save(plt, fig, path: Path) -> str:
    """Lay out, write and close ``fig``; the file's name (for the report's links)."""
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path.name


def plot_split(split: str, systems: dict[str, dict], out: Path) -> list[str]:
    plt = _plt()
    files: list[str] = []
    slug = split.replace(" ", "_")

    # retrieval by category
    cats = [c for c in next(iter(systems.values()))["category"] if c != "unanswerable"]
    fig, ax = plt.subplots(figsize=(11, 4.5))
    _grouped_bars(
        ax,
        cats,
        {n: [s["category"].get(c, {}).get("retrieval", {}).get("hit@5") for c in cats] for n, s in systems.items()},
        "hit@5 (%)",
    )
    ax.set_title(f"Expected unit in top 5, per category and system — split: {split}")
    files.append(_save(plt, fig, out / f"{slug}-retrieval-by-category.png"))

    answering = {n: s for n, s in systems.items() if s["overall"]["all"]["answers"]}
    if answering:
        sysname, s = next(iter(answering.items()))
        all_cats = list(s["category"])
        fig, ax = plt.subplots(figsize=(11, 4.5))
        series = {
            "cited unit": [s["category"][c]["answers"]["cited"] for c in all_cats],
            "facts stated": [s["category"][c]["answers"]["facts"] for c in all_cats],
            "abstention recall": [s["category"][c]["answers"]["abstain_recall"] for c in all_cats],
        }
        _grouped_bars(ax, all_cats, series, "%")
        ax.set_title(f"{sysname} answers per category — split: {split}")
        files.append(_save(plt, fig, out / f"{slug}-answers-by-category.png"))

    langs = list(next(iter(systems.values()))["language"])
    fig, ax = plt.subplots(figsize=(8, 4))
    series = {
        f"{n} hit@5": [s["language"].get(lang, {}).get("retrieval", {}).get("hit@5") for lang in langs]
        for n, s in systems.items()
    }
    for n, s in answering.items():
        series[f"{n} cited"] = [s["language"][lang]["answers"]["cited"] for lang in langs]
        series[f"{n} facts"] = [s["language"][lang]["answers"]["facts"] for lang in langs]
    _grouped_bars(ax, langs, series, "%")
    ax.set_title(f"Per language — split: {split}")
    files.append(_save(plt, fig, out / f"{slug}-by-language.png"))

    # latency distribution
    fig, axes = plt.subplots(1, 2, figsize=(12, 4.5))
    left = [
        (st, [max(x, 0.01) for x in v])
        for n, s in answering.items()
        for st, v in s.get("latency_samples", {}).items()
        if st != "search" and v and max(v) > 0
    ]
    if left:
        axes[0].boxplot([v for _, v in left], showfliers=True)
        axes[0].set_xticks(range(1, len(left) + 1))
        axes[0].set_xticklabels([st for st, _ in left], rotation=30, fontsize=8)
        axes[0].set_yscale("log")
        axes[0].set_ylabel("ms (log)")
        axes[0].set_title(f"{SYSTEM} per stage — split: {split}", fontsize=10)
    right = [
        (n, [max(x, 0.01) for x in s["latency_samples"]["search"]])
        for n, s in systems.items()
        if s.get("latency_samples", {}).get("search")
    ]
    if right:
        axes[1].boxplot([v for _, v in right], showfliers=True)
        axes[1].set_xticks(range(1, len(right) + 1))
        axes[1].set_xticklabels([n for n, _ in right], fontsize=8)
        axes[1].set_yscale("log")
        axes[1].set_ylabel("search ms, k=10 (log)")
    axes[1].set_title(f"Retrieval latency per system — split: {split}", fontsize=10)
    files.append(_save(plt, fig, out / f"{slug}-latency.png"))
    return files


def dev_diagnostics(run) -> str:
    """Ids (never texts) of dev questions that miss, per system."""
    lines = []
    dev = [r for r in run.records if r.split == "dev"]
    if not dev:
        return ""
    for system in run.systems:
        recs = [r for r in dev if r.system == system]
        miss5 = [r.id for r in recs if r.retrieval is not None and not r.retrieval.hit5]
        lines.append(f"- **{system}** — first group not in top 5 ({len(miss5)}): {', '.join(miss5) or '—'}")
        if any(r.answer for r in recs):
            wrong_abst = [r.id for r in recs if r.answerable and r.answer and r.answer.abstained]
            missed_abst = [r.id for r in recs if not r.answerable and r.answer and not r.answer.abstained]
            cite = [
                f"{r.id}"
                for r in recs
                if r.answerable
                and r.answer
                and not r.answer.abstained
                and r.answer.cited is not None
                and r.answer.cited < 1
            ]
            facts = [
                f"{r.id} ({len(r.answer.facts_missing)})"
                for r in recs
                if r.answerable and r.answer and not r.answer.abstained and r.answer.facts_missing
            ]
            bad = [r.id for r in recs if r.answer and r.answer.bad_citations]
            errors = [f"{r.id} ({r.error})" for r in recs if r.error]
            lines.append(f"  - wrongly abstained ({len(wrong_abst)}): {', '.join(wrong_abst) or '—'}")
            lines.append(f"  - answered an unanswerable question ({len(missed_abst)}): {', '.join(missed_abst) or '—'}")
            lines.append(f"  - answered but an expected group not cited ({len(cite)}): {', '.join(cite) or '—'}")
            lines.append(f"  - answered but facts missing (count) ({len(facts)}): {', '.join(facts) or '—'}")
            lines.append(f"  - bad citations: {', '.join(bad) or '—'}; errors: {', '.join(errors) or '—'}")
    return "\n".join(lines)


def write_report(run, directory: Path) -> Path:
    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    md: list[str] = [f"# regassist evaluation — {run.meta['created']}", ""]
    md.append(
        f"Mode: {run.meta['mode']}"
        + (f" ({run.meta['url']})" if run.meta.get("url") else "")
        + f"; index build {run.meta.get('index_build') or 'n/a'}; questions per split: "
        + ", ".join(f"{k} {v}" for k, v in run.meta["questions"].items())
        + f"; run time {run.meta['seconds'].get('total', 0):.0f} s."
    )
    md.append("")
    for note in run.meta.get("notes", []):
        md.append(f"- {note}")
    md += [
        "",
        "Percentages. Retrieval is scored on answerable questions; hit@k = the first expected group is "
        "satisfied in the top k; groups@5 = fraction of groups satisfied in the top 5; MRR@10 = 1/rank of the "
        "first unit satisfying any group. cited = fraction of groups satisfied by the answer's citations; facts "
        "= fraction of expected facts in the answer (accent/case-insensitive); abstention precision/recall with "
        "unanswerable as the positive class; bad cit = citations that do not resolve or whose quote is not in "
        "the unit (must be 0). Baselines only retrieve: answer metrics are n/a.",
        "",
        "## Summary",
        "",
        main_table(run.splits, markdown=True),
        "",
    ]
    for split, systems in run.splits.items():
        md += [f"## Split: {split}", ""]
        for dim in ("category", "language", "document"):
            md += [slice_table(split, systems, dim, markdown=True), ""]
        md += [latency_table(split, systems, markdown=True), ""]
        for f in plot_split(split, systems, out):
            md += [f"![{f}]({f})", ""]
    diag = dev_diagnostics(run)
    if diag:
        md += ["## Dev split: questions that miss (ids only)", "", diag, ""]
    (out / "report.md").write_text("\n".join(md), encoding="utf-8")
    (out / "eval.json").write_text(json.dumps(run.to_json(), ensure_ascii=False, indent=1), encoding="utf-8")
    return out / "report.md"
