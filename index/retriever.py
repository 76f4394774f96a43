"""Hybrid retrieval: Chroma (dense, multilingual-e5) + Vietnamese BM25, fused, aggregated to articles.

Pipeline for one question:
1. query understanding (``index.query``) → document filter, explicit references, intents;
2. an explicit reference to an article / plan section that exists is a direct look-up (score 1.0);
   one that does not exist is reported in ``not_found``;
3. dense top-N from Chroma and BM25 scores, each under the same document filter;
4. relative-score fusion (min–max per retriever, weighted ``dense_weight`` : 1 − ``dense_weight``,
   as llama-index's ``QueryFusionRetriever(mode="relative_score")``), then aggregation from
   clauses/points/items to their article / section (max, plus a little for several matching parts);
5. boosts from the question (the named agency's own responsibility article for who/duties questions);
6. a calibrated ``confidence`` from the best dense similarity and the lexical coverage of the question,
   used by the assistant to abstain.
"""

from __future__ import annotations

import json
import math
import re
import time
from pathlib import Path

import numpy as np
from pydantic import BaseModel, Field

from corpus.store import Corpus, Located
from corpus.text import fold
from index.analyzer import STOP, syllables
from index.build import current_build
from index.lexical import LexicalIndex
from index.query import QueryAnalysis, QueryAnalyzer
from index.settings import Settings, get_settings
from index.vector import VectorIndex, client_for

CANDIDATES = 40


class Hit(BaseModel):
    id: str  # article / plan section / appendix row / preamble
    score: float
    dense: float = 0.0
    lexical: float = 0.0
    direct: bool = False
    units: list[str] = Field(default_factory=list)  # matching finer units, best first
    label: str = ""
    doc_id: str = ""


class SearchResult(BaseModel):
    query: str
    analysis: QueryAnalysis
    hits: list[Hit]
    confidence: float
    not_found: str | None = None
    timings_ms: dict[str, float] = Field(default_factory=dict)


class IndexNotBuiltError(RuntimeError):
    pass


class HybridRetriever:
    def __init__(self, corpus: Corpus, settings: Settings | None = None, embedder=None, build_path: Path | None = None):
        self.corpus = corpus
        self.settings = settings or get_settings()
        path = build_path or current_build(self.settings)
        if path is None:
            raise IndexNotBuiltError("no index built yet: run `regassist index build` (or `make index`)")
        self.path = path
        self.manifest = json.loads((path / "manifest.json").read_text())
        if embedder is None:
            from index.embedder import load_embedder

            embedder = load_embedder(self.settings)
        self.embedder = embedder
        client = client_for(None if self.manifest.get("chroma_url") else path / "chroma", self.manifest.get("chroma_url"))
        self.vectors = VectorIndex.open(client, self.manifest["collection"])
        self.lexical = LexicalIndex.load(path / "bm25.json")
        self.analyzer = QueryAnalyzer(corpus)
        self.node_article: dict[str, str] = {}
        self.node_doc: dict[str, str] = {}
        for node_id in self.manifest["ids"]:
            loc = corpus.resolve(node_id)
            if loc is not None:
                self.node_article[node_id] = loc.article_id
                self.node_doc[node_id] = loc.document.id
        self.lex_doc = np.array([self.node_doc.get(i, "") for i in self.lexical.ids])

    # ------------------------------------------------------------------------------------------
    def direct_lookup(self, qa: QueryAnalysis) -> tuple[list[Located], str | None]:
        docs = qa.documents or []
        if not docs or not qa.has_reference:
            return [], None
        found: list[Located] = []
        if qa.article is not None:
            wants_decision = bool(re.search(r"quyet dinh|decision", qa.folded)) and not re.search(r"quy che|regulation", qa.folded)
            parts = ["decision", "regulation"] if wants_decision else ["regulation", "decision"]
            for doc_id in docs:
                for part in parts:
                    ref = f"{doc_id}/{part}/dieu-{qa.article}"
                    loc = self.corpus.resolve(ref)
                    if loc is None:
                        continue
                    sub = loc
                    if qa.clause:
                        sub = self.corpus.resolve(f"{ref}/khoan-{qa.clause}") or loc
                        if qa.point:
                            sub = self.corpus.resolve(f"{sub.id}/diem-{'dd' if qa.point in ('đ', 'dd') else qa.point}") or sub
                    found.append(sub)
                    break
            if not found:
                names = ", ".join(self.corpus.get(d).meta.number or self.corpus.get(d).meta.title for d in docs)
                return [], f"Điều {qa.article} không có trong {names}"
            if qa.clause and all(f.clause is None for f in found):
                return found, f"khoản {qa.clause} Điều {qa.article} không có trong văn bản được hỏi"
        elif qa.section is not None:
            appendix_first = bool(re.search(r"phu luc|appendix|annex", qa.folded))
            parts = ["appendix", "plan"] if appendix_first else ["plan", "appendix"]
            for doc_id in docs:
                for part in parts:
                    loc = self.corpus.resolve(f"{doc_id}/{part}/{qa.section}")
                    if loc is not None:
                        found.append(loc)
                        break
            if not found and any(self.corpus.get(d).part("plan") for d in docs):
                return [], f"Mục {qa.section} không có trong Kế hoạch"
        return found, None

    def search(self, question: str, k: int | None = None, province: str | None = None,
               document: str | None = None, analysis: QueryAnalysis | None = None) -> SearchResult:
        k = k or self.settings.top_k
        timings: dict[str, float] = {}
        t = time.perf_counter()
        qa = analysis or self.analyzer.analyze(question, province=province, document=document)
        timings["understand"] = (time.perf_counter() - t) * 1000
        direct, not_found = self.direct_lookup(qa)
        if qa.focus and not direct and (loc := self.corpus.resolve(qa.focus)) is not None:
            direct = [loc]

        t = time.perf_counter()
        qvec = self.embedder.embed_queries([qa.text])[0]
        timings["embed"] = (time.perf_counter() - t) * 1000
        t = time.perf_counter()
        dense = self.vectors.query(qvec, CANDIDATES, qa.documents or None)
        timings["dense"] = (time.perf_counter() - t) * 1000
        t = time.perf_counter()
        scores = self.lexical.scores(qa.lexical_query)
        if qa.documents:
            scores = np.where(np.isin(self.lex_doc, qa.documents), scores, 0.0)
        top = np.argsort(-scores)[:CANDIDATES]
        lexical = [(self.lexical.ids[i], float(scores[i])) for i in top if scores[i] > 0]
        timings["lexical"] = (time.perf_counter() - t) * 1000

        t = time.perf_counter()
        fused = fuse(dense, lexical, self.settings.dense_weight)
        hits = self.aggregate(fused, dict(dense), dict(lexical))
        hits = self.boost(hits, qa)
        if "lead" in qa.intents:
            self.lead_rerank(hits[:6], qa)
        if "definition" in qa.intents:
            self.definition_rerank(hits[:6], qa)
        for loc in reversed(direct):
            hits = [h for h in hits if h.id != loc.article_id]
            hits.insert(0, Hit(id=loc.article_id, score=1.0, direct=True, units=[loc.id],
                               label=self.corpus.resolve(loc.article_id).unit.label, doc_id=loc.document.id))
        hits.sort(key=lambda h: (-h.direct, -h.score))
        if len(set(qa.documents)) > 1 and ("comparison" in qa.intents or len(qa.provinces) > 1):
            hits = diversify(hits)
        confidence = 1.0 if direct else self.confidence(qa, hits, dense)
        timings["fuse"] = (time.perf_counter() - t) * 1000
        return SearchResult(query=question, analysis=qa, hits=hits[:k], confidence=confidence,
                            not_found=not_found, timings_ms=timings)

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
                hit.score = max(hit.score, score) + 0.02 * min(score, hit.score)
            hit.dense = max(hit.dense, dense.get(node_id, 0.0))
            hit.lexical = max(hit.lexical, lexical.get(node_id, 0.0))
            if node_id != art:
                hit.units.append(node_id)
        return sorted(by_article.values(), key=lambda h: -h.score)

    def boost(self, hits: list[Hit], qa: QueryAnalysis) -> list[Hit]:
        """The named agency's own article ("Điều 15. Trách nhiệm của Sở Tài chính") is the natural answer
        to who/duties questions: bring it in for every document in scope, even if the text search
        missed it."""
        if not qa.agencies:
            return hits
        wanted = [fold(a) for a in qa.agencies]
        role = bool({"duties", "lead", "coordinate"} & set(qa.intents))
        top = max((h.score for h in hits), default=0.5)
        by_id = {h.id: h for h in hits}
        scope = qa.documents or []
        for doc_id in scope:
            for part in self.corpus.get(doc_id).parts:
                for art in part.articles:
                    title = fold(re.sub(r"^Trách nhiệm của\s+", "", art.title or ""))
                    if not title or not any(w == title or (title.startswith(w) and len(title) <= len(w) + 30) for w in wanted):
                        continue
                    hit = by_id.get(art.id)
                    if hit is None:
                        hit = by_id[art.id] = Hit(id=art.id, score=0.0, label=art.label, doc_id=doc_id)
                        hits.append(hit)
                    hit.score = max(hit.score, top + 0.05) if role else hit.score + 0.08
        for hit in hits:  # outside the scope (no province named): a lighter boost by title
            loc = self.corpus.resolve(hit.id)
            title = fold(getattr(loc.unit, "title", None) or "")
            if hit.doc_id not in scope and title and any(w in title for w in wanted):
                hit.score += 0.15 if role else 0.08
        return hits

    def lead_rerank(self, hits: list[Hit], qa: QueryAnalysis) -> None:
        """For "who leads X": favour the article holding a clause where someone *chủ trì* X — the
        clause's overlap with the question's topic words, not the article's overall similarity."""
        from index.glossary import expand_english

        query = expand_english(qa.text) if qa.language == "en" else qa.text
        place = {w for p in qa.provinces for w in syllables(p)}
        words = {w for w in syllables(query) if w not in STOP and w not in place and len(w) > 1} - {"chu", "tri", "co", "quan", "nao"}
        if not words:
            return
        for hit in hits:
            best = 0.0
            for uid in hit.units[:4] or [hit.id]:
                loc = self.corpus.resolve(uid)
                text = fold(loc.unit.text)
                if "chu tri" not in text and "dau moi" not in text and "thong nhat quan ly" not in text:
                    continue
                toks = set(syllables(text))
                best = max(best, len(words & toks) / len(words))
            hit.score += 0.4 * best

    def definition_rerank(self, hits: list[Hit], qa: QueryAnalysis) -> None:
        """For "what is X": favour a clause that defines X ("X là …") over one that merely mentions it."""
        from index.glossary import expand_english

        query = expand_english(qa.text) if qa.language == "en" else qa.text
        place = {w for p in qa.provinces for w in syllables(p)}
        words = {w for w in syllables(query) if w not in STOP and w not in place and len(w) > 1} - {"gi", "nghia", "hieu"}
        if not words:
            return
        for hit in hits:
            best = 0.0
            for uid in hit.units[:4] or [hit.id]:
                text = fold(self.corpus.resolve(uid).unit.text)
                m = re.search(r"^(?:\d+\.\s*)?(.{5,160}?)\s(?:la|bao gom|gom)\s", text)
                if m:
                    head = set(syllables(m.group(1)))
                    best = max(best, len(words & head) / len(words))
            hit.score += 0.3 * best

    def confidence(self, qa: QueryAnalysis, hits: list[Hit], dense: list[tuple[str, float]]) -> float:
        if not hits:
            return 0.0
        top_cos = max((s for _, s in dense), default=0.0)
        if qa.language == "en":  # English words never occur in the Vietnamese text: use their glossary terms
            from index.glossary import expand_english

            words = [w for w in syllables(expand_english(qa.text)) if w not in STOP and len(w) > 1]
        else:
            words = [w for w in syllables(qa.text) if w not in STOP and len(w) > 1]
        if qa.language == "en":  # few glossary terms: the province keeps them from looking off-topic
            words += [w for p in qa.provinces for w in syllables(p)]
        else:  # the province is scored by the filter, not as topic words
            place = {w for p in qa.provinces for w in syllables(p)} | {"tinh"}
            words = [w for w in words if w not in place]
        from index.nodes import context_header

        top = self.corpus.resolve(hits[0].id)
        text = " " + " ".join(syllables(context_header(top) + " " + top.unit.text)) + " "
        pairs = [f"{a} {b}" for a, b in zip(words, words[1:])]
        coverage = sum(f" {w} " in text for w in words) / max(1, len(words))
        pair_coverage = sum(f" {p} " in text for p in pairs) / max(1, len(pairs))
        z = 12.0 * (top_cos - 0.83) + 3.0 * (coverage - 0.6) + 6.0 * (pair_coverage - 0.3)
        title = fold(getattr(top.unit, "title", None) or "")
        if qa.agencies and title and any(fold(a) in title for a in qa.agencies):
            z += 2.0  # the named agency's own article
        if (qa.provinces or qa.explicit_documents) and (qa.agencies or set(qa.intents) - {"quantity"}):
            z += 1.5  # the question names a document of the corpus and asks something it regulates
        if qa.other_provinces and not qa.provinces:
            z -= 4.0
        return float(1.0 / (1.0 + math.exp(-z)))


def diversify(hits: list[Hit]) -> list[Hit]:
    """Best hit of every document first (comparisons need each side), then the rest by score."""
    firsts, rest, seen = [], [], set()
    for h in hits:
        (rest if h.doc_id in seen or h.direct else firsts).append(h)
        seen.add(h.doc_id)
    direct = [h for h in hits if h.direct]
    rest = [h for h in rest if not h.direct]
    return direct + firsts + rest


def fuse(dense: list[tuple[str, float]], lexical: list[tuple[str, float]], w: float) -> list[tuple[str, float]]:
    def norm(pairs):
        if not pairs:
            return {}
        vals = [s for _, s in pairs]
        lo, hi = min(vals), max(vals)
        span = (hi - lo) or 1.0
        return {i: (s - lo) / span for i, s in pairs}

    d, lx = norm(dense), norm(lexical)
    ids = set(d) | set(lx)
    out = [(i, w * d.get(i, 0.0) + (1 - w) * lx.get(i, 0.0)) for i in ids]
    return sorted(out, key=lambda x: -x[1])


def load_retriever(corpus: Corpus, settings: Settings | None = None) -> HybridRetriever:
    settings = settings or get_settings()
    path = current_build(settings)
    if path is None:
        raise IndexNotBuiltError("no index built yet: run `regassist index build` (or `make index`)")
    return HybridRetriever(corpus, settings, build_path=path)
