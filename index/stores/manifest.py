"""The typed manifest of one index build, with checksums of its files.

A build directory holds ``manifest.json`` (this model), ``bm25.json`` and, for embedded Chroma, ``chroma/``.
``verify_build`` re-hashes the files the manifest lists and compares the node ids with BM25's, so a truncated,
edited or half-copied build is refused at load with a clear message (the server then keeps the build it has).
Hashing the 5-document build's bm25.json (1.6 MB) takes ~5 ms.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from pydantic import BaseModel, Field, ValidationError

MANIFEST = "manifest.json"
# Chroma rewrites its own files whenever a client opens the collection (the sqlite journal and metadata, and
# the HNSW segment files: data_level0.bin changed after the first query in a test run), so nothing under
# chroma/ is hashed; the retriever checks the vector count against the manifest at open instead
UNHASHED_PREFIXES = ("chroma/",)


class CorruptBuildError(RuntimeError):
    """A build whose files do not match its manifest (or that has no readable manifest)."""


class BuildManifest(BaseModel):
    """What a build holds and how it was made; written last, so a build without one is incomplete."""

    build_id: str
    fingerprint: str
    embedder: str
    dim: int
    nodes: int
    vectors: int
    embedded: int
    chroma_url: str | None = None
    collection: str
    ids: list[str]
    hashes: list[str]
    checksums: dict[str, str] = Field(default_factory=dict)  # path relative to the build dir -> sha256


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def file_checksums(build_dir: Path) -> dict[str, str]:
    """sha256 of every file of the build except the manifest and Chroma's own (live) files."""
    out = {}
    for path in sorted(p for p in build_dir.rglob("*") if p.is_file()):
        rel = path.relative_to(build_dir).as_posix()
        if rel == MANIFEST or rel.startswith(UNHASHED_PREFIXES):
            continue
        out[rel] = sha256_file(path)
    return out


def read_manifest(build_dir: Path) -> BuildManifest:
    try:
        return BuildManifest.model_validate_json((build_dir / MANIFEST).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise CorruptBuildError(f"index build {build_dir.name}: no {MANIFEST} (an incomplete build)") from None
    except (ValidationError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise CorruptBuildError(f"index build {build_dir.name}: unreadable {MANIFEST} ({type(exc).__name__})") from None


def verify_build(build_dir: Path) -> BuildManifest:
    """The build's manifest, after checking every listed file's checksum; raises ``CorruptBuildError``."""
    manifest = read_manifest(build_dir)
    for rel, expected in manifest.checksums.items():
        if rel.startswith(UNHASHED_PREFIXES):  # listed by builds made before Chroma's files were left out
            continue
        path = build_dir / rel
        if not path.is_file():
            raise CorruptBuildError(
                f"index build {manifest.build_id}: {rel} is missing; rebuild with `regassist index build`"
            )
        if sha256_file(path) != expected:
            raise CorruptBuildError(
                f"index build {manifest.build_id}: {rel} does not match its checksum (corrupted or edited); "
                "rebuild with `regassist index build --force`"
            )
    if len(manifest.ids) != manifest.nodes or len(manifest.hashes) != manifest.nodes:
        raise CorruptBuildError(
            f"index build {manifest.build_id}: the manifest lists {len(manifest.ids)} ids for {manifest.nodes} nodes"
        )
    return manifest
