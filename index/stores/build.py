"""``regassist index build``: idempotent, incremental, atomic.

* Incremental: every node's embedding is cached by (embedder, content hash) in
  ``<data_dir>/index/embeddings.npz``; only new or changed texts are embedded. BM25 indexes every node;
  the vector store holds the nodes :func:`index.stores.nodes.embedding_texts` gives a text to embed (every text
  once, at its finest grain).
* Idempotent: a fingerprint of (embedder name, node ids + hashes, store target) is kept in the build's
  manifest; if it equals the current build's, the build is a no-op -- told from the corpus and the
  settings alone, before the embedder, Chroma or llama-index is loaded (``regassist index build`` then
  takes ~0.5 s).
* Atomic: each build goes to ``<data_dir>/index/builds/<build-id>/`` (or a new Chroma collection on a
  server) and ``<data_dir>/index/CURRENT`` is switched by ``os.replace`` when it is complete, so a
  process that is serving queries keeps working on the build it opened. The two newest builds are kept.
* One at a time: builds take a file lock (``filelock``, the maintained cross-platform lock) on
  ``<data_dir>/index/build.lock``; a second build waits for the first (up to ``wait`` seconds) and then finds
  its work done (a no-op) or builds on top of it. Before this lock two concurrent builds crashed 2 of 5 pairs.
* Checked: the manifest (``index.stores.manifest.BuildManifest``) records a checksum of every file it
  wrote; ``verify_build`` refuses a build whose files changed.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from filelock import FileLock, Timeout
from tqdm import tqdm

from corpus.store import Corpus
from index.settings import IndexSettings
from index.stores.manifest import BuildManifest, CorruptBuildError, file_checksums, read_manifest
from index.stores.nodes import build_nodes, embedding_texts, node_hashes, text_hash
from index.stores.tokens import lexical_form_id


@dataclass
class BuildReport:
    build_id: str
    noop: bool
    nodes: int  # in BM25
    vectors: int  # in the vector store
    embedded: int  # embedded by this build (the rest came from the cache)
    seconds: float
    path: Path
    timings: dict[str, float] = field(default_factory=dict)  # seconds per phase


def index_root(settings: IndexSettings) -> Path:
    return Path(settings.data_dir) / "index"


def current_build(settings: IndexSettings) -> Path | None:
    """The directory of the build ``CURRENT`` points at, or None when nothing was built yet."""
    pointer = index_root(settings) / "CURRENT"
    try:
        name = pointer.read_text().strip()
    except FileNotFoundError:
        return None
    path = index_root(settings) / "builds" / name
    return path if name and (path / "manifest.json").exists() else None


def current_build_id(settings: IndexSettings) -> str | None:
    """The id ``CURRENT`` names (one small read: cheap enough to poll before every request)."""
    path = current_build(settings)
    return path.name if path is not None else None


class BuildBusyError(RuntimeError):
    """Another build held the lock for longer than this one would wait."""


DENSE_LAYOUT = "finest-grain-v3"  # which nodes get vectors (in the fingerprint: a change rebuilds)


def _load_cache(path: Path) -> dict[str, np.ndarray]:
    if not path.exists():
        return {}
    data = np.load(path)
    return {k: data[k] for k in data.files}


def _save_cache(path: Path, cache: dict[str, np.ndarray]) -> None:
    tmp = path.with_suffix(".tmp.npz")
    np.savez(tmp, **cache)
    os.replace(tmp, path)


def build_index(
    corpus: Corpus,
    settings: IndexSettings,
    *,
    embedder=None,
    progress: bool = True,
    force: bool = False,
    wait: float = 600.0,
) -> BuildReport:
    """Build (or find up to date) the index of ``corpus``; one build at a time per data dir (see module doc)."""
    root = index_root(settings)
    root.mkdir(parents=True, exist_ok=True)
    try:
        with FileLock(str(root / "build.lock"), timeout=wait):
            return _build_locked(corpus, settings, embedder=embedder, progress=progress, force=force)
    except Timeout:
        raise BuildBusyError(f"another index build has held {root / 'build.lock'} for over {wait:.0f} s") from None


def _build_locked(corpus: Corpus, settings: IndexSettings, *, embedder, progress: bool, force: bool) -> BuildReport:
    t0 = time.perf_counter()
    timings: dict[str, float] = {}

    def phase(name: str) -> None:
        timings[name] = time.perf_counter() - t0 - sum(timings.values())

    # is there anything to do? Told without loading the embedder, Chroma or llama-index (a no-op in ~1 s)
    from index.embedding.base import embedder_name

    ids_hashes = node_hashes(corpus)
    model_name = embedder.name if embedder is not None else embedder_name(settings)
    target = settings.chroma_url or "embedded"

    def fingerprint_of(model: str) -> str:
        return hashlib.sha256(
            json.dumps([model, DENSE_LAYOUT, lexical_form_id(), target, ids_hashes]).encode()
        ).hexdigest()[:16]

    def noop(fp: str) -> BuildReport | None:
        current = current_build(settings)
        if current is None or force:
            return None
        try:
            manifest = read_manifest(current)
        except CorruptBuildError:
            return None
        if manifest.fingerprint != fp:
            return None
        return BuildReport(
            manifest.build_id, True, len(ids_hashes), manifest.vectors, 0, time.perf_counter() - t0, current, timings
        )

    fingerprint = fingerprint_of(model_name)
    if (report := noop(fingerprint)) is not None:
        return report
    phase("check")

    from index.stores.bm25 import LexicalIndex
    from index.stores.chroma import VectorIndex, client_for

    nodes = build_nodes(corpus)
    assert [n.node_id for n in nodes] == [i for i, _ in ids_hashes]
    hashes = [h for _, h in ids_hashes]
    phase("nodes")
    if embedder is None:
        from index.embedding.factory import load_embedder

        embedder = load_embedder(settings)
        if embedder.name != model_name:  # a model directory that names itself otherwise
            model_name, fingerprint = embedder.name, fingerprint_of(embedder.name)
            if (report := noop(fingerprint)) is not None:
                return report
    phase("load embedder")

    root = index_root(settings)
    (root / "builds").mkdir(parents=True, exist_ok=True)
    cache_path = root / "embeddings.npz"
    cache = _load_cache(cache_path)
    texts = [n.get_content() for n in nodes]
    to_embed = embedding_texts(corpus, nodes)
    dense = [i for i, n in enumerate(nodes) if n.node_id in to_embed]
    embed_text = {i: to_embed[nodes[i].node_id] for i in dense}
    keys = {i: f"{model_name}|{text_hash(embed_text[i])}" for i in dense}
    todo = [i for i in dense if keys[i] not in cache]
    batch = max(1, settings.embedder_batch_size)
    order = sorted(todo, key=lambda i: len(embed_text[i]))  # length-sorted batches pad less
    for start in tqdm(range(0, len(order), batch), desc="embedding", unit="batch", disable=not progress or not order):
        idx = order[start : start + batch]
        vecs = embedder.embed_passages([embed_text[i] for i in idx])
        for i, v in zip(idx, vecs):
            cache[keys[i]] = np.asarray(v, dtype=np.float32)
    if todo:
        _save_cache(cache_path, {keys[i]: cache[keys[i]] for i in dense})
    matrix = np.stack([cache[keys[i]] for i in dense]).astype(np.float32)
    phase("embed")

    build_id = time.strftime("%Y%m%d-%H%M%S") + f"-{fingerprint[:6]}"
    path = root / "builds" / build_id
    tmp = path.with_name(path.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    collection = f"{settings.chroma_collection}-{build_id}"
    chroma_dir = None if settings.chroma_url else tmp / "chroma"
    client = client_for(chroma_dir, settings.chroma_url)
    store = VectorIndex.create(client, collection)
    store.add([nodes[i].node_id for i in dense], matrix, [texts[i] for i in dense], [nodes[i].metadata for i in dense])
    del store, client
    LexicalIndex.from_texts([n.node_id for n in nodes], texts).save(tmp / "bm25.json")
    manifest = BuildManifest(
        build_id=build_id,
        fingerprint=fingerprint,
        embedder=model_name,
        dim=int(matrix.shape[1]),
        nodes=len(nodes),
        vectors=len(dense),
        embedded=len(todo),
        chroma_url=settings.chroma_url,
        collection=collection,
        ids=[n.node_id for n in nodes],
        hashes=hashes,
        checksums=file_checksums(tmp),
    )
    (tmp / "manifest.json").write_text(manifest.model_dump_json(), encoding="utf-8")
    os.replace(tmp, path)
    pointer_tmp = root / "CURRENT.tmp"
    pointer_tmp.write_text(build_id)
    os.replace(pointer_tmp, root / "CURRENT")
    _prune(root, settings, keep=2)
    phase("stores")
    return BuildReport(build_id, False, len(nodes), len(dense), len(todo), time.perf_counter() - t0, path, timings)


def _prune(root: Path, settings: IndexSettings, keep: int) -> None:
    builds = sorted(p for p in (root / "builds").iterdir() if p.is_dir() and not p.name.endswith(".tmp"))
    for old in builds[:-keep]:
        if settings.chroma_url:
            from index.stores.chroma import client_for

            try:
                client_for(None, settings.chroma_url).delete_collection(read_manifest(old).collection)
            except Exception:  # already gone, or a build without a manifest: nothing to delete
                pass
        shutil.rmtree(old, ignore_errors=True)
