"""The assistant: question → understanding → retrieval → composition → verification → Answer.

``Assistant(corpus, retriever, settings)`` is cheap to construct once the retriever is open;
``reply(request, conversation)`` is the whole pipeline for one turn and returns a ``Reply``: the verified
``Answer``, the conversation with this turn added, and a ``Trace`` (query analysis, the resolved follow-up,
the ranking searched, timings) so that evaluation and debugging read what happened instead of patching the
retriever. ``ask(request)`` is the same for callers that keep conversations by id in this process (CLI, eval).
Thread-safe: nothing shared is mutated while answering (the in-memory conversation store has its own lock).
"""

from __future__ import annotations

import threading
import time
from datetime import date

from pydantic import BaseModel, Field

from assistant.answering.base import Composer
from assistant.answering.extractive import ExtractiveComposer
from assistant.answering.versions import AnswerContext, applicable_documents, has_status, relevant_versions
from assistant.citations import CitationError, verify
from assistant.conversation import Conversation, ConversationStore, Turn, resolve_follow_up
from assistant.schemas import Answer, AskRequest
from assistant.settings import AnswerSettings
from corpus.store import Corpus
from corpus.text import fold
from index.retrieval.analysis import TEMPORAL_INTENTS, QueryAnalysis
from index.retrieval.retriever import HybridRetriever, load_retriever
from index.settings import IndexSettings


class UnknownFilterError(ValueError):
    """A province or document filter that names nothing in the corpus."""


class QuestionTooLongError(ValueError):
    """A question over ``AnswerSettings.max_question_chars``."""


class Trace(BaseModel):
    """What the pipeline did for one turn (for evaluation, debugging and the CLI's --json)."""

    question: str
    resolved: str  # the stand-alone question searched (differs for follow-ups)
    analysis: QueryAnalysis
    ranking: list[str] = Field(default_factory=list)  # article-grain ids, best first, ``trace_depth`` deep
    confidence: float = 0.0
    timings_ms: dict[str, float] = Field(default_factory=dict)


class Reply(BaseModel):
    answer: Answer
    conversation: Conversation
    trace: Trace


class Assistant:
    """Answers questions about one corpus through one retriever; see the module docstring."""

    def __init__(
        self, corpus: Corpus, retriever: HybridRetriever, settings: AnswerSettings, composer: Composer | None = None
    ):
        self.corpus = corpus
        self.retriever = retriever
        self.settings = settings
        self.composer = composer or ExtractiveComposer(corpus, settings.abstain_below)
        self.conversations = ConversationStore()
        self.provinces = {d.meta.province for d in corpus.documents.values()}
        self._contexts: dict[date, AnswerContext] = {}  # statuses per answer date (a few dates in practice)
        self._contexts_lock = threading.Lock()

    def context_on(self, as_of: date) -> AnswerContext:
        """Every document's status on ``as_of`` (computed once per date, bounded cache)."""
        with self._contexts_lock:
            ctx = self._contexts.get(as_of)
            if ctx is None:
                if len(self._contexts) > 64:
                    self._contexts.clear()
                ctx = self._contexts[as_of] = AnswerContext.build(self.corpus, as_of)
            return ctx

    def check_filters(self, province: str | None, document: str | None) -> None:
        known = {fold(p) for p in self.provinces} | {fold(p).replace(" ", "-") for p in self.provinces}
        if province and fold(province) not in known:
            raise UnknownFilterError(f"unknown province '{province}'; known: {', '.join(sorted(self.provinces))}")
        if document and document not in self.corpus.documents:
            raise UnknownFilterError(f"unknown document '{document}'; known: {', '.join(self.corpus.documents)}")

    def check_question(self, question: str) -> None:
        limit = self.settings.max_question_chars
        if len(question) > limit:
            raise QuestionTooLongError(f"question is longer than {limit} characters")

    def _province_name(self, province: str | None) -> str | None:
        if not province:
            return province
        wanted = (fold(province), fold(province.replace("-", " ")))
        return next((p for p in self.provinces if fold(p) in wanted), province)

    def ask(self, req: AskRequest) -> Answer:
        """``reply`` with the conversation kept in this process under ``req.session_id``."""
        reply = self.reply(req, self.conversations.get(req.session_id))
        self.conversations.put(req.session_id, reply.conversation)
        return reply.answer

    def reply(self, req: AskRequest, conversation: Conversation | None = None) -> Reply:
        t0 = time.perf_counter()
        self.check_question(req.question)
        self.check_filters(req.province, req.document)
        analyzer = self.retriever.analyzer
        qa = analyzer.analyze(req.question, province=self._province_name(req.province), document=req.document)
        resolved = req.question
        follow = resolve_follow_up(req.question, conversation, qa, self.corpus)
        if follow is not None:
            resolved = follow.question
            if resolved != req.question:  # the previous question, asked again for a new scope (or as context)
                own = qa
                qa = analyzer.analyze(resolved)
                if follow.own_intents and own.intents:
                    qa.intents = own.intents
            if follow.documents and not (req.province or req.document):  # an explicit filter wins
                qa.documents = list(follow.documents)
                if not qa.provinces and not (TEMPORAL_INTENTS & set(qa.intents) or qa.wants_current or qa.as_of):
                    # "and who leads that?": the place of the conversation, as if named again (not for "is it still
                    # in force?", where a named province asks which of its texts applies)
                    qa.provinces = list(conversation.turns[-1].provinces)
            if follow.article:
                if follow.part:  # "how much of that is for X?": the cited article naming X best, narrowed to X's unit
                    qa.part, qa.part_within = follow.part, list(follow.within)
                    qa.focus = self.composer.part_of(follow.articles, qa) or follow.article
                elif {"rationale", "comparison"} & set(qa.intents):
                    qa.focus = follow.article
                elif (not qa.intents or qa.intents == ["lead"]) and follow.about_the_text_itself:
                    qa.intents = ["effective"]  # "Còn văn bản đó?": its status; not "sở đó phải xây dựng gì"
        as_of = req.as_of or qa.as_of or date.today()
        context = self.context_on(as_of)
        if req.status:  # only documents with this status on the answer's date (e.g. "in_force" leaves drafts out)
            pool = qa.documents or list(self.corpus.documents)
            qa.documents = [d for d in pool if has_status(context.status(d), req.status)] or ["-none-"]
        depth = max(self.settings.top_k, self.settings.trace_depth)
        search = self.retriever.search(resolved, k=depth, analysis=qa)
        ranking = [h.id for h in search.hits]
        search.hits = search.hits[: self.settings.top_k]
        t1 = time.perf_counter()
        composed = self.composer.compose(resolved, qa, search, context)
        en = qa.language == "en"
        for c in composed.citations:  # each cited document's status on the answer's date
            if (s := context.statuses.get(c.document_id)) is not None:
                c.status, c.status_since = s.status.value, s.since
        provinces = list(dict.fromkeys([*qa.provinces, *(c.province for c in composed.citations)]))
        versions = composed.applicable_documents or (
            relevant_versions(self.corpus, applicable_documents(self.corpus, provinces[:3], context, en), search.hits)
            if not composed.abstained
            else []
        )
        notes = list(composed.reference_notes)
        for name in qa.former_provinces:  # the 2025 arrangement, as a labelled reference note (never a citation)
            note = context.registry.succession_note(name, as_of)
            if note and note not in notes:
                notes.append(note)
        text = composed.answer
        if notes and not composed.reference_notes and not composed.abstained:
            # "now" / on a date: where the province belongs decides the answer, say it first; otherwise after
            text = (
                ("\n".join(notes) + "\n\n" + text)
                if (qa.wants_current or qa.as_of)
                else (text + "\n\n" + "\n".join(notes))
            )
        answer = Answer(
            question=req.question,
            language="en" if en else "vi",
            answer=text,
            abstained=composed.abstained,
            citations=composed.citations,
            confidence=round(0.0 if composed.abstained else float(search.confidence), 4),
            session_id=req.session_id,
            warnings=composed.warnings,
            as_of=as_of,
            applicable_documents=versions,
            reference_notes=notes,
        )
        try:
            verify(answer, self.corpus)
        except CitationError as exc:  # never emit an unverified citation
            answer = Answer(
                question=req.question,
                language=answer.language,
                abstained=True,
                confidence=0.0,
                answer=(
                    "Không thể đưa ra câu trả lời có trích dẫn kiểm chứng được."
                    if answer.language == "vi"
                    else "No answer with verifiable citations could be produced."
                ),
                session_id=req.session_id,
                warnings=[f"verification failed: {exc}"],
                as_of=as_of,
            )
        t2 = time.perf_counter()
        answer.timings_ms = {
            **{k: round(v, 2) for k, v in search.timings_ms.items()},
            "compose": round((t2 - t1) * 1000, 2),
            "total": round((t2 - t0) * 1000, 2),
        }
        if follow is not None:
            scope = ", ".join(follow.documents or [])
            answer.warnings.append(f"follow-up understood as: {resolved}" + (f" [{scope}]" if scope else ""))
        cited_docs = list(dict.fromkeys(c.document_id for c in answer.citations))
        articles = list(dict.fromkeys(self.corpus.resolve(c.id).article_id for c in answer.citations))
        turn = Turn(
            question=req.question,
            resolved=resolved,
            documents=cited_docs or qa.documents,
            provinces=qa.provinces,
            articles=articles,
            units=[c.id for c in answer.citations],
        )
        conversation = (conversation or Conversation()).with_turn(turn, self.settings.max_turns)
        trace = Trace(
            question=req.question,
            resolved=resolved,
            analysis=qa,
            ranking=ranking,
            confidence=search.confidence,
            timings_ms=answer.timings_ms,
        )
        return Reply(answer=answer, conversation=conversation, trace=trace)


def load_assistant(index_settings: IndexSettings, answer_settings: AnswerSettings) -> Assistant:
    """The assistant over the full corpus (shipped + added documents) and the current index build."""
    from corpus.ingest import build_full_corpus

    corpus = build_full_corpus(index_settings.data_dir)
    return Assistant(corpus, load_retriever(corpus, index_settings), answer_settings)


_DEFAULT: Assistant | None = None


def get_assistant() -> Assistant:
    """The process-wide assistant configured from the environment (entry points only: CLI, app factory)."""
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = load_assistant(IndexSettings(), AnswerSettings())
    return _DEFAULT
