"""Retrieval baselines with the hybrid retriever's output shape: ``search(question, k) -> [article-grain id]``.

* ``BM25Baseline`` — ``index.stores.bm25.LexicalIndex`` over the same nodes as the index build (the build's
  ``bm25.json``: article and clause grain, same context headers, same Vietnamese analyser), scored on the raw
  question (no query understanding, no document filter, no English expansion); nodes are aggregated to their
  article / plan section / appendix row (``corpus.resolve(node_id).article_id``) by first occurrence, i.e. max.
* ``DenseBaseline`` — the same Chroma collection and embedder as the hybrid retriever, raw question, no
  lexical scores, no filters, no boosts; top ``candidates`` nodes aggregated to article grain the same way.
* ``LlamaIndexBaseline`` — the default llama-index pipeline: one ``Document`` per corpus document (its units'
  texts concatenated in document order, see :func:`document_text`), ``SentenceSplitter(chunk_size=1024)``
  (llama-index's default tokenizer and 200-token overlap), an in-memory ``VectorStoreIndex`` with the same
  embedder (``index.embedding.llama_index.LlamaIndexEmbedding``; e5 truncates each chunk at 512 of its own tokens, as the
  default pipeline would), ``as_retriever(similarity_top_k=k)``.

  **Chunk → article rule.** Every character of a document's text is owned by the deepest article-grain unit
  whose text covers it (an article and its rationale belong to the article; a nested plan section such as
  ``II.6.2`` owns its characters inside ``II.6``). A retrieved chunk maps to every article-grain id owning a
  character in the chunk's span, the id owning the most characters first (ties: earlier in the text); the
  chunk lists are concatenated in retrieval order, de-duplicated and cut at ``k``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

import numpy as np

from corpus.store import Corpus
from index.settings import IndexSettings
from index.stores.bm25 import LexicalIndex
from index.stores.manifest import read_manifest

DENSE_CANDIDATES = 40
SEPARATOR = "\n\n"


class Retrieves(Protocol):
    name: str

    def search(self, question: str, k: int) -> list[str]: ...


def _articles_in_order(node_ids, article_of: dict[str, str], k: int) -> list[str]:
    out: list[str] = []
    seen: set[str] = set()
    for node_id in node_ids:
        art = article_of.get(node_id)
        if art is None or art in seen:
            continue
        seen.add(art)
        out.append(art)
        if len(out) >= k:
            break
    return out


def _article_map(corpus: Corpus, node_ids) -> dict[str, str]:
    out = {}
    for node_id in node_ids:
        loc = corpus.resolve(node_id)
        if loc is not None:
            out[node_id] = loc.article_id
    return out


def _current_build_path(settings: IndexSettings) -> Path:
    from index.stores.build import current_build

    path = current_build(settings)
    if path is None:
        raise RuntimeError("no index built yet: run `regassist index build`")
    return path


# ------------------------------------------------------------------------------------------ BM25


class BM25Baseline:
    name = "bm25"

    def __init__(self, corpus: Corpus, lexical: LexicalIndex):
        self.corpus = corpus
        self.lexical = lexical
        self.article_of = _article_map(corpus, lexical.ids)

    @classmethod
    def from_build(
        cls, corpus: Corpus, build_path: Path | None = None, settings: IndexSettings | None = None
    ) -> "BM25Baseline":
        path = build_path or _current_build_path(settings)
        return cls(corpus, LexicalIndex.load(path / "bm25.json"))

    def search(self, question: str, k: int) -> list[str]:
        scores = self.lexical.scores(question)
        order = np.argsort(-scores, kind="stable")
        ranked = (self.lexical.ids[i] for i in order if scores[i] > 0)
        return _articles_in_order(ranked, self.article_of, k)


# ------------------------------------------------------------------------------------------ dense


class DenseBaseline:
    name = "dense"

    def __init__(self, corpus: Corpus, vectors, embedder, node_ids, candidates: int = DENSE_CANDIDATES):
        self.corpus = corpus
        self.vectors = vectors
        self.embedder = embedder
        self.candidates = candidates
        self.article_of = _article_map(corpus, node_ids)

    @classmethod
    def from_build(
        cls, corpus: Corpus, embedder, build_path: Path | None = None, settings: IndexSettings | None = None
    ) -> "DenseBaseline":
        from index.stores.chroma import VectorIndex, client_for

        path = build_path or _current_build_path(settings)
        manifest = read_manifest(path)
        client = client_for(None if manifest.chroma_url else path / "chroma", manifest.chroma_url)
        return cls(corpus, VectorIndex.open(client, manifest.collection), embedder, manifest.ids)

    def search(self, question: str, k: int) -> list[str]:
        qvec = self.embedder.embed_queries([question])[0]
        hits = self.vectors.query(qvec, max(self.candidates, k))
        return _articles_in_order((i for i, _ in hits), self.article_of, k)


# ------------------------------------------------------------------------------------------ llama-index default


def document_text(corpus: Corpus, doc) -> tuple[str, list[tuple[int, int, str]]]:
    """A document's full text (its units' texts in document order, blank-line separated) and the spans
    ``(start, end, article_id)`` of every article-grain unit in it, outer spans before nested ones.

    Order per part: preamble, articles (each followed by its rationale from the comparison table), plan
    sections, appendix rows, notes. A plan section whose text is already inside its parent section's text
    is not repeated; it gets a nested span inside the parent instead.
    """
    pieces: list[str] = []
    spans: list[tuple[int, int, str]] = []
    nested: list[tuple[int, int, str]] = []
    where: dict[str, tuple[int, str]] = {}  # unit id -> (start, text)
    pos = 0

    def owner(unit_id: str) -> str:
        loc = corpus.resolve(unit_id)
        return loc.article_id if loc is not None else unit_id

    def emit(unit) -> None:
        nonlocal pos
        if pieces:
            pos += len(SEPARATOR)
        where[unit.id] = (pos, unit.text)
        spans.append((pos, pos + len(unit.text), owner(unit.id)))
        pieces.append(unit.text)
        pos += len(unit.text)

    for part in doc.parts:
        if part.preamble is not None:
            emit(part.preamble)
        for art in part.articles:
            emit(art)
            for rationale in art.rationales:
                emit(rationale)
        for sec in part.sections:
            parent_id = sec.id.rsplit(".", 1)[0] if "." in sec.path else None
            parent = where.get(parent_id) if parent_id else None
            at = parent[1].find(sec.text) if parent is not None and sec.text else -1
            if at >= 0:
                start = parent[0] + at
                where[sec.id] = (start, sec.text)
                nested.append((start, start + len(sec.text), owner(sec.id)))
            else:
                emit(sec)
        for row in part.rows:
            emit(row)
        for note in part.notes:
            emit(note)
    text = SEPARATOR.join(pieces)
    return text, spans + nested


class _DocMap:
    def __init__(self, text: str, spans: list[tuple[int, int, str]]):
        self.text = text
        self.labels = sorted({s[2] for s in spans})
        index = {lab: n for n, lab in enumerate(self.labels)}
        self.owner = np.full(len(text), -1, dtype=np.int32)
        for start, end, lab in spans:  # outer first, nested later: the deepest unit wins
            self.owner[start:end] = index[lab]

    def articles(self, start: int, end: int) -> list[str]:
        window = self.owner[max(0, start) : max(start, end)]
        window = window[window >= 0]
        if window.size == 0:
            return []
        labels, first, counts = np.unique(window, return_index=True, return_counts=True)
        order = sorted(range(len(labels)), key=lambda n: (-counts[n], first[n]))
        return [self.labels[labels[n]] for n in order]


class LlamaIndexBaseline:
    name = "llama-index"

    def __init__(self, corpus: Corpus, embedder, chunk_size: int = 1024, show_progress: bool = False):
        import time

        from llama_index.core import Document, VectorStoreIndex
        from llama_index.core.node_parser import SentenceSplitter

        from index.embedding.llama_index import LlamaIndexEmbedding

        t0 = time.perf_counter()
        self.corpus = corpus
        self.maps: dict[str, _DocMap] = {}
        documents = []
        for doc in corpus.documents.values():
            text, spans = document_text(corpus, doc)
            self.maps[doc.id] = _DocMap(text, spans)
            documents.append(Document(text=text, id_=doc.id))
        self.splitter = SentenceSplitter(chunk_size=chunk_size)
        nodes = self.splitter.get_nodes_from_documents(documents)
        self.chunks = len(nodes)
        self.embed_model = LlamaIndexEmbedding(embedder)
        self.index = VectorStoreIndex(nodes, embed_model=self.embed_model, show_progress=show_progress)
        self.build_seconds = time.perf_counter() - t0

    def chunk_articles(self, node) -> list[str]:
        doc_map = self.maps.get(node.ref_doc_id or "")
        if doc_map is None:
            return []
        content = node.get_content()
        start = node.start_char_idx
        if start is None or doc_map.text[start : start + len(content)] != content:
            start = doc_map.text.find(content)
            if start < 0:
                return []
        end = (
            node.end_char_idx
            if node.end_char_idx is not None and node.start_char_idx == start
            else start + len(content)
        )
        return doc_map.articles(start, end)

    def search(self, question: str, k: int) -> list[str]:
        retrieved = self.index.as_retriever(similarity_top_k=k).retrieve(question)
        out: list[str] = []
        for scored in retrieved:
            for art in self.chunk_articles(scored.node):
                if art not in out:
                    out.append(art)
        return out[:k]


# ------------------------------------------------------------------------------------------ factory


def load_baselines(
    corpus: Corpus, retriever=None, *, names=("bm25", "dense", "llama-index"), settings=None, embedder=None
) -> list[Retrieves]:
    """The baselines over the hybrid retriever's build (reusing its stores and embedder when given)."""
    if retriever is not None:
        embedder = embedder or retriever.embedder
    if embedder is None and ({"dense", "llama-index"} & set(names)):
        from index.embedding.factory import load_embedder

        embedder = load_embedder(settings)
    out: list[Retrieves] = []
    for name in names:
        if name == "bm25":
            out.append(
                BM25Baseline(corpus, retriever.lexical)
                if retriever is not None
                else BM25Baseline.from_build(corpus, settings=settings)
            )
        elif name == "dense":
            out.append(
                DenseBaseline(corpus, retriever.vectors, embedder, retriever.manifest.ids)
                if retriever is not None
                else DenseBaseline.from_build(corpus, embedder, settings=settings)
            )
        elif name == "llama-index":
            out.append(LlamaIndexBaseline(corpus, embedder))
        else:
            raise ValueError(f"unknown baseline '{name}'")
    return out
