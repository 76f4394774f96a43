"""Hybrid retrieval: Chroma (dense, multilingual-e5) + Vietnamese BM25, fused, aggregated to articles.

Pipeline for one question:
1. query understanding (``index.retrieval.analysis``) → document filter, explicit references, intents;
2. an explicit reference to an article / plan section that exists is a direct look-up (score 1.0);
   one that does not exist is reported in ``missing`` (``index.retrieval.lookup``);
3. dense top-N from Chroma and BM25 scores, each under the same document filter (BM25 then weighs terms by
   their IDF among the filtered documents' nodes: ``LexicalIndex.scores(query, within)``);
4. relative-score fusion (min–max per retriever, weighted ``dense_weight`` : 1 − ``dense_weight``,
   as llama-index's ``QueryFusionRetriever(mode="relative_score")``), then aggregation from
   clauses/points/items to their article / section (max, plus a little for several matching parts);
5. boosts from the question (the named agency's own responsibility article for who/duties questions);
6. a calibrated ``confidence`` from the best dense similarity and the lexical coverage of the question,
   used by the assistant to abstain.

Fusion lives in ``index.retrieval.fusion``, boosts, re-ranks and confidence (with every tuned constant named)
in ``index.retrieval.scoring``. ``HybridRetriever`` is a llama-index ``BaseRetriever``: ``retrieve(question)``
gives ``NodeWithScore`` (one node per article / section, its text the article's), so query engines and
evaluators of the llama-index ecosystem can use it; ``search`` gives the richer ``SearchResult`` the assistant
composes from. Construction opens the stores (cheap); ``warm_up()`` loads the embedder if none was given.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import numpy as np
from llama_index.core.base.base_retriever import BaseRetriever
from llama_index.core.schema import NodeWithScore, QueryBundle, TextNode

from corpus.store import Corpus, Located
from corpus.text import fold
from index.embedding.base import Embedder
from index.embedding.factory import load_embedder
from index.retrieval.analysis import QueryAnalysis, QueryAnalyzer
from index.retrieval.fusion import diversify, fuse
from index.retrieval.lookup import direct_lookup
from index.retrieval.results import Hit, MissingReference, SearchResult
from index.retrieval.scoring import (
    CANDIDATES,
    RERANK_DEPTH,
    SEVERAL_PARTS_BONUS,
    TITLE_TERM_WEIGHT,
    agency_boost,
    confidence,
    definition_rerank,
    doc_type_boost,
    execution_damp,
    execution_first,
    lead_rerank,
    lift_units,
    mention_boost,
    named_level_boost,
    quoted_words_boost,
    text_cue_boost,
    title_cue_boost,
)
from index.settings import IndexSettings
from index.stores.bm25 import LexicalIndex
from index.stores.build import current_build
from index.stores.chroma import VectorIndex, client_for
from index.stores.manifest import CorruptBuildError, verify_build
from index.stores.tokens import bm25_tokens

#: at most this many units may cite the article a question names for them to stand in for it (``citing_units``)
CITING_MAX_UNITS = 3
#: ... and only when the question speaks of an article of another text: an old number, an amendment, a renumbering, a
#: reference ("Điều 11 … cũ giờ thành điều mấy?"). "dieu 25 quy dinh cung cap thong tin cong ttdt …" asks the text in
#: scope for an article it lacks; one of its clauses citing "Điều 25 Nghị định số …" is not that article (an
#: unanswerable extra question answered with it; x716, the renumbering, still found)
SPEAKS_OF_ANOTHER_TEXT_RE = re.compile(
    r"\b(cu(?! tri)|old|former|previous|truoc day|gio thanh|thanh dieu|renumber\w*|sua doi|amend\w*|bo sung|bai bo"
    r"|repeal\w*|thay the|replac\w*|dan chieu|refer\w*|cite[sd]?|citing)\b"
)


def cites_article(folded: str, number: int) -> bool:
    """Does a (folded) text write "Điều <number>" of a text it does not name right after ("sửa đổi khoản 7 Điều 11 như
    sau", "tên của Điều 11. Điều khoản chuyển tiếp"), not "Điều 21 Nghị định số 42/2022" (the decree's own)?"""
    rx = rf"\bdieu {number}\b(?!\s*(?:/|(?:cua\s+)?(?:bo luat|luat|nghi dinh|thong tu|quyet dinh|nghi quyet)\b))"
    return re.search(rx, folded) is not None


class IndexNotBuiltError(RuntimeError):
    """No build to open: ``regassist index build`` has not run for this data directory."""


class HybridRetriever(BaseRetriever):
    """Dense + BM25 retrieval over one index build, aggregated to citable articles / plan sections.

    ``HybridRetriever(corpus, settings, build_path=…, embedder=…)`` opens the build (verified against its
    manifest's checksums); ``search(question, analysis=…)`` returns a ``SearchResult``; as a llama-index
    retriever, ``retrieve(question)`` returns ``NodeWithScore``s. Read-only after construction: one instance
    serves concurrent threads.
    """

    def __init__(
        self, corpus: Corpus, settings: IndexSettings, embedder: Embedder | None = None, build_path: Path | None = None
    ):
        super().__init__()
        self.corpus = corpus
        self.settings = settings
        path = build_path or current_build(self.settings)
        if path is None:
            raise IndexNotBuiltError("no index built yet: run `regassist index build` (or `make index`)")
        self.path = path
        self.manifest = verify_build(path)
        self.build_id = self.manifest.build_id
        self.embedder = embedder
        client = client_for(None if self.manifest.chroma_url else path / "chroma", self.manifest.chroma_url)
        self.vectors = VectorIndex.open(client, self.manifest.collection)
        if self.vectors.count() != self.manifest.vectors:
            raise CorruptBuildError(
                f"index build {self.build_id}: the vector store holds {self.vectors.count()} "
                f"vectors, the manifest {self.manifest.vectors}; rebuild with `regassist index build --force`"
            )
        self.lexical = LexicalIndex.load(path / "bm25.json")
        if self.lexical.ids != self.manifest.ids:
            raise CorruptBuildError(f"index build {self.build_id}: BM25 ids differ from the manifest's")
        self.analyzer = QueryAnalyzer(corpus)
        self.node_article: dict[str, str] = {}
        self.node_doc: dict[str, str] = {}
        for node_id in self.manifest.ids:
            loc = corpus.resolve(node_id)
            if loc is not None:
                self.node_article[node_id] = loc.article_id
                self.node_doc[node_id] = loc.document.id
        self.lex_doc = np.array([self.node_doc.get(i, "") for i in self.lexical.ids])
        self._title_tokens: dict[str, frozenset[str]] = {}

    def warm_up(self) -> None:
        """Load the embedder (if none was given) and run one query through it and through query analysis (the
        language model and the name matchers load lazily: ~1.2 s on the first question otherwise)."""
        if self.embedder is None:
            self.embedder = load_embedder(self.settings)
        self.embedder.embed_queries(["warm-up"])
        self.analyzer.analyze("Cơ quan nào chủ trì? Which agency leads?")
        self.analyzer.analyze("Which agency leads foreign press work?")  # the English word list (~0.3 s)
        self.analyzer.analyze("co quan nao chu tri")  # the corpus's written forms, for unaccented questions

    # llama-index BaseRetriever
    def _retrieve(self, query_bundle: QueryBundle) -> list[NodeWithScore]:
        result = self.search(query_bundle.query_str)
        out = []
        for hit in result.hits:
            loc = self.corpus.resolve(hit.id)
            if loc is None:
                continue
            node = TextNode(
                id_=hit.id,
                text=loc.unit.text,
                metadata={"doc_id": hit.doc_id, "label": hit.label, "units": ",".join(hit.units)},
            )
            out.append(NodeWithScore(node=node, score=hit.score))
        return out

    # ------------------------------------------------------------------------------------------
    def direct_lookup(self, qa: QueryAnalysis) -> tuple[list[Located], MissingReference | None]:
        return direct_lookup(self.corpus, qa)

    def search(
        self,
        question: str,
        k: int | None = None,
        province: str | None = None,
        document: str | None = None,
        analysis: QueryAnalysis | None = None,
    ) -> SearchResult:
        k = k or self.settings.top_k
        timings: dict[str, float] = {}
        t = time.perf_counter()
        qa = analysis or self.analyzer.analyze(question, province=province, document=document)
        timings["understand"] = (time.perf_counter() - t) * 1000
        direct, missing = self.direct_lookup(qa)
        cited: list[str] = []
        if (
            missing
            and qa.article is not None
            and not qa.clause
            and not qa.reference_documents  # "Điều 21 của quy định …": that text's own article, which it lacks
            and SPEAKS_OF_ANOTHER_TEXT_RE.search(qa.folded)
            and (cited := self.citing_units(qa))
        ):
            # "Điều 11 cũ giờ thành điều mấy?" asked of a text that has no Điều 11 but amends or cites another text's
            # Điều 11: the units that write it are where the answer is (lifted below), not a "not found"
            missing = None
        if qa.focus and not direct and (loc := self.corpus.resolve(qa.focus)) is not None:
            direct = [loc]

        t = time.perf_counter()
        if self.embedder is None:
            self.warm_up()
        # the question as asked (e5 is multilingual). An English question used to be embedded with the glossary's
        # Vietnamese terms appended; with the 643-term glossary that made it 55 tokens instead of 34 (12.4 vs 7.7 ms
        # to embed) for the same retrieval (English dev + extra, article hit@1 / hit@3: 84 / 95 appended, 83 / 97
        # alone, of 105); the terms still reach BM25 through the lexical query
        qvec = self.embedder.embed_queries([qa.dense_text or qa.text])[0]
        timings["embed"] = (time.perf_counter() - t) * 1000
        t = time.perf_counter()
        dense = self.vectors.query(qvec, CANDIDATES, qa.documents or None)
        timings["dense"] = (time.perf_counter() - t) * 1000
        t = time.perf_counter()
        # a question about given documents: BM25 among their nodes, term weights from those documents alone
        within = np.isin(self.lex_doc, qa.documents) if qa.documents else None
        damp = self.title_tokens(qa.documents[0]) if len(qa.documents) == 1 else frozenset()
        scores = self.lexical.scores(qa.lexical_query, within, damp, TITLE_TERM_WEIGHT)
        top = np.argsort(-scores)[:CANDIDATES]
        lexical = [(self.lexical.ids[i], float(scores[i])) for i in top if scores[i] > 0]
        timings["lexical"] = (time.perf_counter() - t) * 1000

        t = time.perf_counter()
        weight = self.settings.dense_weight
        if qa.language == "en":  # the lexical side knows only the glossary's translations of an English question
            gap = self.settings.dense_weight_untranslated - weight
            weight += (1.0 - qa.gloss_coverage) * gap
        fused = fuse(dense, lexical, weight)
        hits = self.aggregate(fused, dict(dense), dict(lexical))
        hits = agency_boost(self.corpus, hits, qa)
        hits = doc_type_boost(self.corpus, hits, qa)
        hits = mention_boost(self.corpus, hits, qa)
        hits = execution_damp(self.corpus, hits, qa)
        hits = title_cue_boost(self.corpus, hits, qa)
        hits = text_cue_boost(self.corpus, hits, qa)
        hits = quoted_words_boost(self.corpus, hits, qa)
        hits = named_level_boost(self.corpus, hits, qa)
        if "lead" in qa.intents:
            lead_rerank(self.corpus, hits[:RERANK_DEPTH], qa)
        if "definition" in qa.intents:
            hits = definition_rerank(self.corpus, hits, qa)
        hits = execution_first(self.corpus, hits, qa)
        if cited and hits:
            hits = lift_units(self.corpus, hits, cited)
        for loc in reversed(direct):
            hits = [h for h in hits if h.id != loc.article_id]
            hits.insert(
                0,
                Hit(
                    id=loc.article_id,
                    score=1.0,
                    direct=True,
                    units=[loc.id],
                    label=self.corpus.resolve(loc.article_id).unit.label,
                    doc_id=loc.document.id,
                ),
            )
        hits.sort(key=lambda h: (-h.direct, -h.score))
        if len(set(qa.documents)) > 1 and ("comparison" in qa.intents or len(qa.provinces) > 1):
            hits = diversify(hits)
        score = 1.0 if direct else confidence(self.corpus, qa, hits, dense)
        timings["fuse"] = (time.perf_counter() - t) * 1000
        return SearchResult(
            query=question, analysis=qa, hits=hits[:k], confidence=score, missing=missing, timings_ms=timings
        )

    def citing_units(self, qa: QueryAnalysis) -> list[str]:
        """The units of the documents in scope that write "Điều N" for the article the question names (a text citing
        or amending another text's article), in the text's order; [] when more than ``CITING_MAX_UNITS`` do (a number
        the text cites everywhere says nothing about which unit is meant)."""
        docs = set(qa.documents)
        found = [
            loc.id
            for loc in self.corpus.units()
            if loc.document.id in docs
            and loc.unit.kind in ("clause", "point", "item")
            and cites_article(fold(loc.unit.text), qa.article)
        ]
        return found if 0 < len(found) <= CITING_MAX_UNITS else []

    def title_tokens(self, doc_id: str) -> frozenset[str]:
        """The BM25 tokens of a document's title and its parts' titles: words that describe every unit of it."""
        if doc_id not in self._title_tokens:
            doc = self.corpus.get(doc_id)  # None: a filter that matches no document ("-none-")
            titles = (
                " ".join([doc.meta.title or "", *(getattr(p, "title", "") or "" for p in doc.parts)]) if doc else ""
            )
            self._title_tokens[doc_id] = frozenset(bm25_tokens(titles))
        return self._title_tokens[doc_id]

    def aggregate(self, fused: list[tuple[str, float]], dense: dict, lexical: dict) -> list[Hit]:
        by_article: dict[str, Hit] = {}
        for node_id, score in fused:
            art = self.node_article.get(node_id)
            if art is None:
                continue
            hit = by_article.get(art)
            if hit is None:
                loc = self.corpus.resolve(art)
                hit = by_article[art] = Hit(id=art, score=score, label=loc.unit.label, doc_id=loc.document.id)
            else:
                hit.score = max(hit.score, score) + SEVERAL_PARTS_BONUS * min(score, hit.score)
            hit.dense = max(hit.dense, dense.get(node_id, 0.0))
            hit.lexical = max(hit.lexical, lexical.get(node_id, 0.0))
            if node_id != art:
                hit.units.append(node_id)
        return sorted(by_article.values(), key=lambda h: -h.score)


def load_retriever(corpus: Corpus, settings: IndexSettings, embedder: Embedder | None = None) -> HybridRetriever:
    """The retriever over the current build, embedder loaded."""
    path = current_build(settings)
    if path is None:
        raise IndexNotBuiltError("no index built yet: run `regassist index build` (or `make index`)")
    retriever = HybridRetriever(corpus, settings, embedder=embedder, build_path=path)
    retriever.warm_up()
    return retriever
