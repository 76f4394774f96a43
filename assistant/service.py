"""The assistant: question → understanding → retrieval → composition → verification → Answer."""

from __future__ import annotations

import re
import time
from functools import lru_cache

from assistant.chat import SessionStore, Turn, resolve_follow_up
from assistant.citations import CitationError, verify
from assistant.composer import Composer, ExtractiveComposer
from assistant.schemas import Answer, AskRequest
from corpus.store import Corpus
from index.retriever import HybridRetriever, load_retriever
from index.settings import Settings, get_settings



class UnknownFilterError(ValueError):
    pass


class Assistant:
    def __init__(self, corpus: Corpus, retriever: HybridRetriever, settings: Settings | None = None,
                 composer: Composer | None = None):
        self.corpus = corpus
        self.retriever = retriever
        self.settings = settings or get_settings()
        self.composer = composer or ExtractiveComposer(corpus, self.settings.abstain_below)
        self.sessions = SessionStore()
        self.provinces = {d.meta.province for d in corpus.documents.values()}

    def check_filters(self, province: str | None, document: str | None) -> None:
        from corpus.text import fold

        if province and fold(province) not in {fold(p) for p in self.provinces} | {fold(p).replace(" ", "-") for p in self.provinces}:
            raise UnknownFilterError(f"unknown province '{province}'; known: {', '.join(sorted(self.provinces))}")
        if document and document not in self.corpus.documents:
            raise UnknownFilterError(f"unknown document '{document}'; known: {', '.join(self.corpus.documents)}")

    def ask(self, req: AskRequest) -> Answer:
        t0 = time.perf_counter()
        self.check_filters(req.province, req.document)
        province = req.province
        if province:
            from corpus.text import fold

            province = next((p for p in self.provinces if fold(p) in (fold(province), fold(province.replace("-", " ")))), province)
        session = self.sessions.get(req.session_id)
        analyzer = self.retriever.analyzer
        qa = analyzer.analyze(req.question, province=province, document=req.document)
        resolved = req.question
        follow = resolve_follow_up(req.question, session, qa, self.corpus)
        if follow is not None:
            resolved = follow.question
            if resolved != req.question:  # the previous question, asked again for a new scope
                qa = analyzer.analyze(resolved)
            if follow.documents and not (req.province or req.document):  # an explicit filter wins
                qa.documents = list(follow.documents)
            if follow.article:
                if {"rationale", "comparison"} & set(qa.intents):
                    qa.focus = follow.article
                elif not qa.intents or qa.intents == ["lead"]:
                    qa.intents = ["effective"]
        if req.status:  # only documents with this status (e.g. "in_force" leaves drafts out)
            pool = qa.documents or list(self.corpus.documents)
            qa.documents = [d for d in pool if self.corpus.get(d).meta.status.value == req.status] or ["-none-"]
        search = self.retriever.search(resolved, k=self.settings.top_k, analysis=qa)
        t1 = time.perf_counter()
        draft = self.composer.compose(resolved, qa, search)
        answer = Answer(
            question=req.question, language="en" if qa.language == "en" else "vi", answer=draft.answer,
            abstained=draft.abstained, citations=draft.citations,
            confidence=round(0.0 if draft.abstained else float(search.confidence), 4),
            session_id=req.session_id, warnings=draft.warnings,
        )
        try:
            verify(answer, self.corpus)
        except CitationError as exc:  # never emit an unverified citation
            answer = Answer(question=req.question, language=answer.language, abstained=True, confidence=0.0,
                            answer=("Không thể đưa ra câu trả lời có trích dẫn kiểm chứng được." if answer.language == "vi"
                                    else "No answer with verifiable citations could be produced."),
                            session_id=req.session_id, warnings=[f"verification failed: {exc}"])
        t2 = time.perf_counter()
        answer.timings_ms = {**{k: round(v, 2) for k, v in search.timings_ms.items()},
                             "compose": round((t2 - t1) * 1000, 2), "total": round((t2 - t0) * 1000, 2)}
        if follow is not None:
            scope = ", ".join(follow.documents or [])
            answer.warnings.append(f"follow-up understood as: {resolved}" + (f" [{scope}]" if scope else ""))
        cited_docs = list(dict.fromkeys(c.document_id for c in answer.citations))
        articles = list(dict.fromkeys(self.corpus.resolve(c.id).article_id for c in answer.citations))
        self.sessions.record(session, Turn(req.question, resolved, cited_docs or qa.documents, qa.provinces, articles))
        return answer


@lru_cache(maxsize=1)
def get_assistant() -> Assistant:
    from corpus.ingest import build_full_corpus

    settings = get_settings()
    corpus = build_full_corpus(settings.data_dir)
    return Assistant(corpus, load_retriever(corpus, settings), settings)
