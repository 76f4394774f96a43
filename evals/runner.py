"""Run the gold questions through regassist (in process or over HTTP) and the retrieval baselines, score them.

In process (default) the system is ``assistant.service.get_assistant()`` (or any ``Assistant`` passed in):

* answers: ``assistant.reply(AskRequest(question), conversation)``; a follow-up's ``history`` turns are asked
  first, their conversation carried into the question — only the last answer is scored;
* retrieval: the ranking the assistant itself used for that last turn, read from the reply's ``Trace``
  (``trace_depth`` = 10 deep, the resolved follow-up and its filters included), so MRR@10 and hit@5 see the
  ranking the answer came from. The ``search`` latency is the sum of the search stages' timings.
* latency: the stages of ``Answer.timings_ms`` (understand, embed, dense, lexical, fuse, compose, total) and the
  in-process wall time of ``ask`` (``ask``).

Over HTTP (``url=``) each question is ``POST /api/ask``. There is no retriever to inspect, so the retrieval
figures use the answer's citations as the ranking (each citation's article-grain id, in order, de-duplicated):
``hit@5`` there means "an expected unit is among the first five cited articles". The system is then named
``regassist@url`` and the run's ``meta.retrieval_source`` is ``"citations"`` (``"search"`` in process).

The baselines are built first; then each question goes through the system and every baseline in turn, so that
other load on the machine skews all latencies alike.

Baselines (``evals.baselines``) only retrieve. They get the raw question; for a follow-up they get the history
turns and the question joined by spaces (they have no chat state). Answer metrics are ``None`` ("n/a") for them.
"""

from __future__ import annotations

import os
import time
import uuid
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from typing import Any, Callable, Sequence

from evals.gold import CATEGORIES, LANGUAGE_SLICES, GoldQuestion
from evals.metrics import (
    AnswerScore,
    RetrievalScore,
    answer_summary,
    citation_problems,
    latency_summary,
    retrieval_summary,
    score_answer,
    score_retrieval,
    score_validity,
)

K = 10
SYSTEM = "regassist"
STAGES = ("understand", "embed", "dense", "lexical", "fuse", "compose", "total")
SEARCH_STAGES = ("understand", "embed", "dense", "lexical", "fuse")


@dataclass
class QuestionResult:
    id: str
    split: str
    system: str
    category: str
    language: str  # vi / en / vi-unaccented
    documents: list[str]
    answerable: bool
    ranked: list[str] | None = None
    retrieval: RetrievalScore | None = None
    answer: AnswerScore | None = None
    confidence: float | None = None
    verification_failed: bool = False  # the service replaced an answer whose citations failed verification
    timings: dict[str, float] = field(default_factory=dict)
    error: str | None = None

    def to_json(self) -> dict:
        return asdict(self)


# ------------------------------------------------------------------------------------------ in-process system


def _base_record(q: GoldQuestion, system: str) -> QuestionResult:
    return QuestionResult(
        id=q.id,
        split=q.split,
        system=system,
        category=q.category,
        language=q.language_slice,
        documents=q.documents,
        answerable=q.answerable,
    )


def _score_answer(rec: QuestionResult, q: GoldQuestion, answer, corpus) -> None:
    cites = list(answer.citations)
    rec.answer = score_answer(
        answer.answer,
        answer.abstained,
        [c.id for c in cites],
        q.expected_units,
        q.expected_facts,
        q.answerable,
        citation_problems(cites, corpus),
    )
    rec.answer.applicable, rec.answer.wrong_in_force = score_validity(
        answer, q.expected_applicable, q.not_in_force, corpus
    )
    rec.confidence = answer.confidence
    rec.verification_failed = any(w.startswith("verification failed") for w in answer.warnings)


def system_one(assistant, q: GoldQuestion, k: int = K, retrieval: bool = True, run_id: str = "") -> QuestionResult:
    """One gold question through the in-process assistant (history turns first, same session)."""
    from assistant.schemas import AskRequest

    rec = _base_record(q, SYSTEM)
    try:
        conversation = None
        for turn in q.history:
            conversation = assistant.reply(AskRequest(question=turn), conversation).conversation
        t0 = time.perf_counter()
        reply = assistant.reply(AskRequest(question=q.question), conversation)
        wall = (time.perf_counter() - t0) * 1000
        answer = reply.answer
        _score_answer(rec, q, answer, assistant.corpus)
        rec.timings = {s: float(answer.timings_ms[s]) for s in STAGES if s in answer.timings_ms}
        rec.timings["ask"] = wall
        if retrieval and q.expected_units:
            rec.timings["search"] = sum(float(answer.timings_ms.get(s, 0.0)) for s in SEARCH_STAGES)
            rec.ranked = reply.trace.ranking[:k]
            rec.retrieval = score_retrieval(rec.ranked, q.expected_units)
    except Exception as exc:  # a crash is a result, not the end of the run
        rec.error = f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"
        if q.expected_units:
            rec.retrieval = rec.retrieval or score_retrieval([], q.expected_units)
        rec.answer = rec.answer or score_answer("", False, [], q.expected_units, q.expected_facts, q.answerable)
    return rec


def run_system(
    assistant,
    questions: Sequence[GoldQuestion],
    k: int = K,
    retrieval: bool = True,
    progress: Callable[[str], None] | None = None,
) -> list[QuestionResult]:
    run_id = uuid.uuid4().hex[:8]
    out: list[QuestionResult] = []
    for n, q in enumerate(questions, 1):
        out.append(system_one(assistant, q, k, retrieval, run_id))
        if progress:
            progress(f"{SYSTEM} {n}/{len(questions)}")
    return out


# ------------------------------------------------------------------------------------------ HTTP system


def run_url(
    url: str,
    questions: Sequence[GoldQuestion],
    corpus,
    timeout: float = 60.0,
    progress: Callable[[str], None] | None = None,
) -> list[QuestionResult]:
    import httpx

    from assistant.schemas import Answer

    run_id = uuid.uuid4().hex[:8]
    out: list[QuestionResult] = []
    with httpx.Client(base_url=url.rstrip("/"), timeout=timeout) as client:
        for n, q in enumerate(questions, 1):
            rec = _base_record(q, f"{SYSTEM}@url")
            sid = f"eval-{run_id}-{q.id}" if q.history else None
            try:
                for turn in q.history:
                    client.post("/api/ask", json={"question": turn, "session_id": sid}).raise_for_status()
                t0 = time.perf_counter()
                resp = client.post("/api/ask", json={"question": q.question, **({"session_id": sid} if sid else {})})
                wall = (time.perf_counter() - t0) * 1000
                resp.raise_for_status()
                answer = Answer.model_validate(resp.json())
                _score_answer(rec, q, answer, corpus)
                rec.timings = {s: float(answer.timings_ms[s]) for s in STAGES if s in answer.timings_ms}
                rec.timings["http"] = wall
                if q.expected_units:
                    ranked: list[str] = []
                    for c in answer.citations:
                        loc = corpus.resolve(c.id)
                        art = loc.article_id if loc is not None else c.id
                        if art not in ranked:
                            ranked.append(art)
                    rec.ranked = ranked
                    rec.retrieval = score_retrieval(ranked, q.expected_units)
            except Exception as exc:
                rec.error = f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"
                if q.expected_units:
                    rec.retrieval = score_retrieval([], q.expected_units)
                rec.answer = score_answer("", False, [], q.expected_units, q.expected_facts, q.answerable)
            out.append(rec)
            if progress:
                progress(f"{SYSTEM}@url {n}/{len(questions)}")
    return out


# ------------------------------------------------------------------------------------------ baselines


def baseline_query(q: GoldQuestion) -> str:
    return " ".join([*q.history, q.question])


def baseline_one(baseline, q: GoldQuestion, k: int = K) -> QuestionResult:
    rec = _base_record(q, baseline.name)
    if q.expected_units:
        try:
            t0 = time.perf_counter()
            rec.ranked = list(baseline.search(baseline_query(q), k))
            rec.timings["search"] = (time.perf_counter() - t0) * 1000
        except Exception as exc:
            rec.error = f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"
            rec.ranked = []
        rec.retrieval = score_retrieval(rec.ranked, q.expected_units)
    return rec


def run_baseline(
    baseline, questions: Sequence[GoldQuestion], k: int = K, progress: Callable[[str], None] | None = None
) -> list[QuestionResult]:
    out: list[QuestionResult] = []
    for n, q in enumerate(questions, 1):
        out.append(baseline_one(baseline, q, k))
        if progress and n % 25 == 0:
            progress(f"{baseline.name} {n}/{len(questions)}")
    return out


# ------------------------------------------------------------------------------------------ aggregation


def _slices(records: Sequence[QuestionResult]) -> dict[str, dict[str, list[QuestionResult]]]:
    by_cat: dict[str, list] = {c: [] for c in CATEGORIES}
    by_lang: dict[str, list] = {lang: [] for lang in LANGUAGE_SLICES}
    by_doc: dict[str, list] = {}
    for r in records:
        by_cat.setdefault(r.category, []).append(r)
        by_lang.setdefault(r.language, []).append(r)
        for d in r.documents:
            by_doc.setdefault(d, []).append(r)
    return {
        "overall": {"all": list(records)},
        "category": {k: v for k, v in by_cat.items() if v},
        "language": {k: v for k, v in by_lang.items() if v},
        "document": dict(sorted(by_doc.items(), key=lambda kv: (kv[0] == "none", kv[0]))),
    }


def summarize(records: Sequence[QuestionResult]) -> dict:
    """Metrics of one system on one split: overall and per category / language / document."""
    has_answers = any(r.answer is not None for r in records)
    out: dict[str, Any] = {"n": len(records), "errors": sum(1 for r in records if r.error)}
    for dim, groups in _slices(records).items():
        out[dim] = {}
        for name, recs in groups.items():
            ret = [r.retrieval for r in recs if r.retrieval is not None]
            ans = [r.answer for r in recs if r.answer is not None]
            out[dim][name] = {
                "n": len(recs),
                "retrieval": retrieval_summary(ret),
                "answers": answer_summary(ans) if has_answers else None,
            }
    samples: dict[str, list[float]] = {}
    for r in records:
        for stage, ms in r.timings.items():
            samples.setdefault(stage, []).append(ms)
    out["latency"] = latency_summary(samples)
    out["latency_samples"] = {k: [round(v, 2) for v in vals] for k, vals in samples.items()}
    return out


def is_held_out(split: str) -> bool:
    return "held" in split.replace("-", "").replace("_", "").lower()


@dataclass
class EvalRun:
    meta: dict
    records: list[QuestionResult]
    splits: dict[str, dict[str, dict]]  # split -> system -> summary

    @property
    def systems(self) -> list[str]:
        seen: list[str] = []
        for r in self.records:
            if r.system not in seen:
                seen.append(r.system)
        return seen

    def to_json(self, include_questions: bool = True) -> dict:
        """JSON for machines. Per-question records (ids, rankings and scores, never question text) are left out for
        the held-out split (also when its file is passed with ``--gold``), so nothing about the held-out questions
        beyond aggregates leaves the run."""
        out = {"meta": self.meta, "systems": self.systems, "splits": self.splits}
        if include_questions:
            out["questions"] = [r.to_json() for r in self.records if not is_held_out(r.split)]
        return out


def aggregate(records: Sequence[QuestionResult], split_names: Sequence[str]) -> dict[str, dict[str, dict]]:
    """``split_names``: the splits present, plus ``all`` when there are several."""
    systems: list[str] = []
    for r in records:
        if r.system not in systems:
            systems.append(r.system)
    out: dict[str, dict[str, dict]] = {}
    for split in split_names:
        out[split] = {}
        for system in systems:
            recs = [r for r in records if r.system == system and (split == "all" or r.split == split)]
            if recs:
                out[split][system] = summarize(recs)
    return out


def index_staleness(corpus, manifest) -> str | None:
    """A message when the index build does not match the corpus as parsed now (figures would be about an old
    index), else None."""
    if manifest is None or not manifest.ids or not manifest.hashes or corpus is None:
        return None
    try:
        from index.stores.nodes import build_nodes, content_hash

        now = {n.node_id: content_hash(n) for n in build_nodes(corpus)}
    except Exception:  # never fail an evaluation over this check
        return None
    built = dict(zip(manifest.ids, manifest.hashes))
    changed = sum(1 for k, h in now.items() if k in built and built[k] != h)
    added, removed = len(set(now) - set(built)), len(set(built) - set(now))
    if changed or added or removed:
        return (
            f"index build {manifest.build_id} is stale: {changed} changed, {added} new, {removed} removed "
            f"nodes since it was built; run `regassist index build`"
        )
    return None


def evaluate(
    questions: Sequence[GoldQuestion],
    *,
    assistant=None,
    url: str | None = None,
    baselines: bool = True,
    baseline_names: Sequence[str] = ("bm25", "dense", "llama-index"),
    k: int = K,
    corpus=None,
    progress: Callable[[str], None] | None = None,
) -> EvalRun:
    """Evaluate regassist (in process, or ``url``) and, unless ``baselines=False``, the retrieval baselines."""
    t_start = time.perf_counter()
    timings: dict[str, float] = {}
    notes: list[str] = []
    retriever = None
    if url:
        if corpus is None:
            from corpus.ingest import build_full_corpus
            from index.settings import IndexSettings

            corpus = build_full_corpus(IndexSettings().data_dir)
        notes.append(
            f"{SYSTEM}@url: retrieval figures use the answer's citations (article grain, in order) as the ranking"
        )
    else:
        if assistant is None:
            from assistant.service import get_assistant

            t = time.perf_counter()
            assistant = get_assistant()
            timings["load"] = time.perf_counter() - t
        corpus = assistant.corpus
        retriever = assistant.retriever
        notes.append(
            f"{SYSTEM}: retrieval = the ranking the reply used (follow-ups resolved), from its trace, {k} deep"
        )
    built: list = []
    if baselines:
        from evals.baselines import load_baselines

        try:
            t = time.perf_counter()
            if retriever is None:
                from index.retrieval.retriever import load_retriever
                from index.settings import IndexSettings

                retriever = load_retriever(corpus, IndexSettings())
            built = load_baselines(corpus, retriever, names=tuple(baseline_names))
            timings["baselines_build"] = time.perf_counter() - t
            notes.append("baselines: raw question (follow-ups: history turns + question); answer metrics n/a")
        except Exception as exc:  # e.g. --url without a local index
            notes.append(f"baselines skipped: {type(exc).__name__}: {exc}")
    if built and not url:
        notes.append("systems run interleaved question by question, so that other load on the machine skews all alike")

    per_system: dict[str, list[QuestionResult]] = {}
    spent: dict[str, float] = {}

    def add(name: str, rec_or_recs, seconds: float) -> None:
        recs = rec_or_recs if isinstance(rec_or_recs, list) else [rec_or_recs]
        per_system.setdefault(name, []).extend(recs)
        spent[name] = spent.get(name, 0.0) + seconds

    run_id = uuid.uuid4().hex[:8]
    if url:
        t = time.perf_counter()
        add(f"{SYSTEM}@url", run_url(url, questions, corpus, progress=progress), time.perf_counter() - t)
    for n, q in enumerate(questions, 1):
        if not url:
            t = time.perf_counter()
            add(SYSTEM, system_one(assistant, q, k, True, run_id), time.perf_counter() - t)
        for b in built:
            t = time.perf_counter()
            add(b.name, baseline_one(b, q, k), time.perf_counter() - t)
        if progress:
            progress(f"question {n}/{len(questions)}")
    records: list[QuestionResult] = [r for recs in per_system.values() for r in recs]
    timings.update(spent)
    present = []
    for q in questions:
        if q.split not in present:
            present.append(q.split)
    split_names = present + (["all"] if len(present) > 1 else [])
    timings["total"] = time.perf_counter() - t_start
    meta = {
        "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "mode": "url" if url else "in-process",
        "url": url,
        "retrieval_source": "citations" if url else "search",
        "k": k,
        "questions": {s: sum(1 for q in questions if q.split == s) for s in present},
        "seconds": {key: round(v, 1) for key, v in timings.items()},
        "loadavg_end": [round(x, 2) for x in os.getloadavg()] if hasattr(os, "getloadavg") else None,
        "notes": notes,
    }
    if retriever is not None:
        manifest = retriever.manifest
        meta["index_build"] = manifest.build_id
        stale = index_staleness(corpus, manifest)
        if stale:
            meta["index_stale"] = stale
            notes.insert(0, f"WARNING: {stale}")
    return EvalRun(meta=meta, records=records, splits=aggregate(records, split_names))
