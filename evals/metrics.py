"""Citation-level metrics: matching rules, per-question scores and their aggregation by slice.

Matching rule (retrieval and citations alike): a unit id satisfies a gold group when it equals one of the
group's ids or is a descendant of one (``id.startswith(g + "/")``: ``…/dieu-11/khoan-1`` satisfies
``…/dieu-11``; the plan's dotted sections are not descendants of one another, ``plan/II.6.2`` does not
satisfy ``plan/II.6``).

Retrieval (answerable questions only, over a ranked list of article-grain ids; an article also satisfies a
group that names a unit inside it, since retrieval ranks at article grain — answers' citations do not get
that allowance):
* ``hit@1`` / ``hit@5`` — the *first* group is satisfied within the top 1 / top 5;
* ``groups@5`` — fraction of groups satisfied within the top 5 (all-groups recall@5; equals hit@5 for
  one-group questions), averaged over questions;
* ``MRR`` — 1 / rank of the first id that satisfies *any* group (0 when none is in the list).

Answers:
* ``cited`` — fraction of groups satisfied by the answer's citations (answerable questions; an
  abstention scores 0);
* ``facts`` — fraction of expected facts stated in the answer text: a fact is stated when one of its
  ``|`` alternatives is a substring of the answer after ``corpus.text.fold`` (accents, case, whitespace);
* abstention ``precision`` / ``recall`` with *unanswerable* as the positive class;
* ``wrong abstentions`` — answerable questions the system declined;
* ``bad citations`` — citations that do not resolve or whose quote is not a substring of the cited unit's
  text (must be 0).
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from typing import Iterable, Sequence

from corpus.text import fold

# ------------------------------------------------------------------------------------ matching


def satisfies(unit_id: str, group: Iterable[str]) -> bool:
    unit_id = unit_id.strip().strip("/")
    return any(unit_id == g or unit_id.startswith(g + "/") for g in group)


def contains(article_id: str, group: Iterable[str]) -> bool:
    """Retrieval ranks articles / sections: one satisfies a group when it is an expected unit, lies below one,
    or holds one (an expected ``…/dieu-10/khoan-1/diem-b`` is found when ``…/dieu-10`` is ranked)."""
    article_id = article_id.strip().strip("/")
    return any(article_id == g or article_id.startswith(g + "/") or g.startswith(article_id + "/") for g in group)


def group_satisfied(ids: Iterable[str], group: Sequence[str], match=satisfies) -> bool:
    return any(match(i, group) for i in ids)


def first_rank(ranked: Sequence[str], groups: Sequence[Sequence[str]], match=contains) -> int | None:
    """1-based rank of the first id satisfying any of ``groups`` (None when there is none)."""
    for n, unit_id in enumerate(ranked, 1):
        if any(match(unit_id, g) for g in groups):
            return n
    return None


def fact_alternatives(fact: str) -> list[str]:
    return [a for a in (fold(x) for x in fact.split("|")) if a]


def fact_stated(text: str, fact: str) -> bool:
    folded = fold(text)
    return any(alt in folded for alt in fact_alternatives(fact))


def citation_problems(citations: Iterable, corpus) -> list[str]:
    """Citations (objects or dicts with ``id`` and ``quote``) that fail to resolve or whose quote is not
    a verbatim substring of the cited unit's text. Independent of the assistant's own verification."""
    problems = []
    for c in citations:
        cid = c["id"] if isinstance(c, dict) else c.id
        quote = c["quote"] if isinstance(c, dict) else c.quote
        loc = corpus.resolve(cid)
        if loc is None:
            problems.append(f"{cid}: does not resolve")
        elif not quote or quote not in loc.unit.text:
            problems.append(f"{cid}: quote is not in the unit text")
    return problems


# ------------------------------------------------------------------------------------ per question


@dataclass
class RetrievalScore:
    hit1: bool
    hit5: bool
    rr: float
    groups5: float
    all_groups5: bool


def score_retrieval(ranked: Sequence[str], groups: Sequence[Sequence[str]]) -> RetrievalScore:
    if not groups:
        raise ValueError("retrieval is scored on answerable questions only")
    top1, top5 = list(ranked[:1]), list(ranked[:5])
    sat5 = [group_satisfied(top5, g, contains) for g in groups]
    rank = first_rank(ranked, groups)
    return RetrievalScore(
        hit1=group_satisfied(top1, groups[0], contains),
        hit5=sat5[0],
        rr=1.0 / rank if rank else 0.0,
        groups5=sum(sat5) / len(groups),
        all_groups5=all(sat5),
    )


@dataclass
class AnswerScore:
    abstained: bool
    answerable: bool
    cited: float | None  # None for unanswerable questions
    facts: float | None  # None when there is nothing to check
    facts_missing: list[str] = field(default_factory=list)
    groups_missing: list[int] = field(default_factory=list)
    bad_citations: list[str] = field(default_factory=list)
    n_citations: int = 0
    applicable: bool | None = None  # validity questions: every expected applicable version named as in force
    wrong_in_force: bool | None = None  # validity questions: a draft / repealed text presented as in force


def score_answer(
    answer_text: str,
    abstained: bool,
    citation_ids: Sequence[str],
    groups: Sequence[Sequence[str]],
    facts: Sequence[str],
    answerable: bool,
    bad_citations: Sequence[str] = (),
) -> AnswerScore:
    if not answerable:
        return AnswerScore(
            abstained=abstained,
            answerable=False,
            cited=None,
            facts=None,
            bad_citations=list(bad_citations),
            n_citations=len(citation_ids),
        )
    sat = [group_satisfied(citation_ids, g) for g in groups]
    stated = [fact_stated(answer_text, f) for f in facts]
    return AnswerScore(
        abstained=abstained,
        answerable=True,
        cited=sum(sat) / len(groups) if groups else None,
        facts=sum(stated) / len(facts) if facts else None,
        facts_missing=[f for f, ok in zip(facts, stated) if not ok],
        groups_missing=[n for n, ok in enumerate(sat) if not ok],
        bad_citations=list(bad_citations),
        n_citations=len(citation_ids),
    )


# ------------------------------------------------------------------------------------ aggregation


def mean(values: Iterable[float | None]) -> float | None:
    vals = [float(v) for v in values if v is not None]
    return sum(vals) / len(vals) if vals else None


def retrieval_summary(scores: Sequence[RetrievalScore]) -> dict:
    return {
        "n": len(scores),
        "hit@1": mean(s.hit1 for s in scores),
        "hit@5": mean(s.hit5 for s in scores),
        "groups@5": mean(s.groups5 for s in scores),
        "all_groups@5": mean(s.all_groups5 for s in scores),
        "mrr": mean(s.rr for s in scores),
    }


def answer_summary(scores: Sequence[AnswerScore]) -> dict:
    answerable = [s for s in scores if s.answerable]
    unanswerable = [s for s in scores if not s.answerable]
    abstained = [s for s in scores if s.abstained]
    tp = sum(1 for s in unanswerable if s.abstained)
    wrong = sum(1 for s in answerable if s.abstained)
    return {
        "n": len(scores),
        "n_answerable": len(answerable),
        "n_unanswerable": len(unanswerable),
        "cited": mean(s.cited for s in answerable),
        "facts": mean(s.facts for s in answerable),
        "abstain_precision": tp / len(abstained) if abstained else None,
        "abstain_recall": tp / len(unanswerable) if unanswerable else None,
        "wrong_abstentions": wrong,
        "wrong_abstention_rate": wrong / len(answerable) if answerable else None,
        "citations": sum(s.n_citations for s in scores),
        "bad_citations": sum(len(s.bad_citations) for s in scores),
        "applicable": mean(None if s.applicable is None else float(s.applicable) for s in scores),
        "wrong_in_force": sum(1 for s in scores if s.wrong_in_force),
        "n_validity": sum(1 for s in scores if s.applicable is not None or s.wrong_in_force is not None),
    }


IN_FORCE = ("in_force", "amended_in_force")


def score_validity(
    answer, expected_applicable: Sequence[str], not_in_force: Sequence[str], corpus
) -> tuple[bool | None, bool | None]:
    """(applicable named correctly, a non-applicable text presented as in force) for one answer.

    Named correctly: every expected version is among the answer's ``applicable_documents`` with an in-force
    status, or the answer cites it with an in-force status. Presented as in force: a ``not_in_force`` document
    appears in ``applicable_documents`` or among the citations with an in-force status on the answer's date."""
    if not expected_applicable and not not_in_force:
        return None, None
    in_force = {a.id for a in answer.applicable_documents if a.status in IN_FORCE}
    in_force |= {c.document_id for c in answer.citations if c.status in IN_FORCE}
    named = None
    if expected_applicable:
        named = not answer.abstained and all(d in in_force for d in expected_applicable)
    wrong = any(d in in_force for d in not_in_force) if not_in_force else None
    return named, wrong


def percentile(values: Sequence[float], p: float) -> float | None:
    """Linear-interpolated percentile (p in 0..100); None for no values."""
    vals = sorted(values)
    if not vals:
        return None
    if len(vals) == 1:
        return float(vals[0])
    pos = (len(vals) - 1) * p / 100.0
    lo = int(pos)
    hi = min(lo + 1, len(vals) - 1)
    return float(vals[lo] + (vals[hi] - vals[lo]) * (pos - lo))


def latency_summary(samples: dict[str, list[float]]) -> dict[str, dict]:
    return {
        stage: {
            "n": len(v),
            "p50": percentile(v, 50),
            "p95": percentile(v, 95),
            "mean": statistics.fmean(v) if v else None,
        }
        for stage, v in samples.items()
    }
