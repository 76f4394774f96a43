"""Chroma vector store: embedded ``PersistentClient`` by default, ``HttpClient`` for a ``chroma run`` server."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlparse

import chromadb
import numpy as np
from chromadb.config import Settings as ChromaSettings

BATCH = 256


def client_for(path: Path | None, url: str | None):
    settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
    if url:
        u = urlparse(url)
        return chromadb.HttpClient(
            host=u.hostname or "127.0.0.1", port=u.port or 8000, ssl=u.scheme == "https", settings=settings
        )
    assert path is not None
    path.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(path), settings=settings)


class VectorIndex:
    def __init__(self, collection):
        self.collection = collection

    @classmethod
    def create(cls, client, name: str) -> "VectorIndex":
        try:
            client.delete_collection(name)
        except Exception:  # not there yet
            pass
        return cls(client.create_collection(name, metadata={"hnsw:space": "cosine"}))

    @classmethod
    def open(cls, client, name: str) -> "VectorIndex":
        return cls(client.get_collection(name))

    def add(self, ids: list[str], embeddings: np.ndarray, documents: list[str], metadatas: list[dict]) -> None:
        for i in range(0, len(ids), BATCH):
            self.collection.add(
                ids=ids[i : i + BATCH],
                embeddings=embeddings[i : i + BATCH].tolist(),
                documents=documents[i : i + BATCH],
                metadatas=metadatas[i : i + BATCH],
            )

    def query(self, embedding: np.ndarray, n: int, doc_ids: list[str] | None = None) -> list[tuple[str, float]]:
        where = None
        if doc_ids:
            where = {"doc_id": doc_ids[0]} if len(doc_ids) == 1 else {"doc_id": {"$in": list(doc_ids)}}
        res = self.collection.query(
            query_embeddings=[embedding.tolist()], n_results=n, where=where, include=["distances"]
        )
        return [(i, 1.0 - float(d)) for i, d in zip(res["ids"][0], res["distances"][0])]

    def count(self) -> int:
        return self.collection.count()
