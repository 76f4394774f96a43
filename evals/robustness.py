"""Metamorphic robustness: every gold question asked again the ways people type it (``evals.metamorphic``).

For each question (a follow-up's last turn, after its history) and each variant that changes its text —
lower case without final punctuation, no diacritics, names with diacritics inside English, a polite lead-in,
abbreviations, a one-character typo, Vietnamese/English code-switching — the variant is answered with the
same conversation and scored against the original's gold: cited accuracy, facts, abstentions, and
*consistency*: the variant's first citation lies in the same article / section as the original's (or both
abstain). ``regassist eval --variants`` prints the table; the CI gate holds floors on it.

Names for the variants that respell names (English spelling -> Vietnamese form) come from the province
registry (every provincial unit before and after the 2025 arrangement) and the glossary's agencies.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Sequence

from evals.gold import GoldQuestion
from evals.metamorphic import VARIANTS, variants
from evals.metrics import answer_summary, citation_problems, mean, score_answer


def name_pairs() -> list[tuple[str, str]]:
    """(English or unaccented spelling, Vietnamese form) for provinces and agencies."""
    from corpus.provinces import load_registry
    from index.retrieval.glossary import AGENCIES

    pairs = [(p.english_name, p.name) for p in load_registry().pre_arrangement()]
    pairs += [(gloss, vi) for _, vi, gloss in AGENCIES if gloss]
    return pairs


@dataclass
class VariantResult:
    id: str
    variant: str
    question: str
    consistent: bool
    score: object  # AnswerScore
    first_article: str | None = None
    error: str | None = None


@dataclass
class RobustnessRun:
    results: list[VariantResult] = field(default_factory=list)
    originals: dict[str, str | None] = field(default_factory=dict)  # id -> first cited article (None: abstained)

    def summary(self) -> dict[str, dict]:
        """Per variant: n, cited, facts, abstention figures, consistency with the original question."""
        out: dict[str, dict] = {}
        for name in ["original", *VARIANTS]:
            rows = [r for r in self.results if r.variant == name]
            if not rows:
                continue
            s = answer_summary([r.score for r in rows])  # type: ignore[misc]
            s["consistency"] = mean(1.0 if r.consistent else 0.0 for r in rows)
            s["errors"] = sum(1 for r in rows if r.error)
            out[name] = s
        return out


def _first_article(assistant, answer) -> str | None:
    if answer.abstained or not answer.citations:
        return None
    loc = assistant.corpus.resolve(answer.citations[0].id)
    return loc.article_id if loc is not None else answer.citations[0].id


def run_variants(
    assistant, questions: Sequence[GoldQuestion], *, seed: int = 0, progress: Callable[[str], None] | None = None
) -> RobustnessRun:
    """Ask every question and each of its variants in process; score each against the question's gold."""
    from assistant.schemas import AskRequest

    pairs = name_pairs()
    run = RobustnessRun()
    for n, q in enumerate(questions, 1):
        if progress:
            progress(f"variants {n}/{len(questions)}")
        conversation = None
        for turn in q.history:
            conversation = assistant.reply(AskRequest(question=turn), conversation).conversation
        asked = {"original": q.question, **variants(q.question, q.language, pairs, seed)}
        original_first: str | None = None
        for name, text in asked.items():
            try:
                answer = assistant.reply(AskRequest(question=text), conversation).answer
                score = score_answer(
                    answer.answer,
                    answer.abstained,
                    [c.id for c in answer.citations],
                    q.expected_units,
                    q.expected_facts,
                    q.answerable,
                    citation_problems(answer.citations, assistant.corpus),
                )
                first = _first_article(assistant, answer)
                error = None
            except Exception as exc:  # a crash is a result (scored as a wrong answer), not the end of the run
                score = score_answer("", False, [], q.expected_units, q.expected_facts, q.answerable)
                first, error = None, f"{type(exc).__name__}: {exc}"
            if name == "original":
                original_first = first
                run.originals[q.id] = first
            run.results.append(
                VariantResult(
                    id=q.id,
                    variant=name,
                    question=text,
                    score=score,
                    first_article=first,
                    consistent=first == original_first,
                    error=error,
                )
            )
    return run


def robustness_table(summary: dict[str, dict]) -> str:
    """The per-variant table, percentages."""

    def pct(v):
        return "n/a" if v is None else f"{100 * v:.1f}"

    head = f"{'variant':<16} {'n':>5} {'cited':>6} {'facts':>6} {'abst R':>7} {'wrong abst':>11} {'consist.':>9} {'bad cit':>8}"
    lines = [head, "-" * len(head)]
    for name, s in summary.items():
        lines.append(
            f"{name:<16} {s['n']:>5} {pct(s['cited']):>6} {pct(s['facts']):>6} {pct(s['abstain_recall']):>7} "
            f"{s['wrong_abstentions']:>4}/{s['n_answerable']:<6} {pct(s['consistency']):>9} {s['bad_citations']:>8}"
        )
    return "\n".join(lines)
