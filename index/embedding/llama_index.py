"""The project's embedder as a llama-index ``BaseEmbedding`` (``LlamaIndexEmbedding(embedder)``).

Built on first attribute access: llama-index is a slow import and the serving path does not need it.
"""

from __future__ import annotations

import asyncio
from typing import Any

from index.embedding.base import Embedder

_LLAMA_CLS: type | None = None


def _make_llama_index_embedding() -> type:
    """Build the llama-index adapter class on first use (llama-index is a slow import)."""
    from llama_index.core.base.embeddings.base import BaseEmbedding
    from pydantic import PrivateAttr

    class LlamaIndexEmbedding(BaseEmbedding):
        """llama-index ``BaseEmbedding`` backed by an :class:`Embedder` (same model, same prefixes)."""

        _embedder: Any = PrivateAttr()

        def __init__(self, embedder: Embedder, **kwargs: Any) -> None:
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
