"""ONNX Runtime backend for the project's embedder: same model, no torch in the serving process.

The default backend (``REGASSIST_EMBEDDER_BACKEND=onnx``): :func:`index.embedding.base.load_embedder` returns an
:class:`OnnxEmbedder` instead of the sentence-transformers :class:`~index.embedding.sentence_transformers.SentenceTransformerEmbedder`.
Same interface (``embed_queries`` / ``embed_passages`` -> L2-normalised float32 ``(n, dim)``,
``dim``, ``name``, ``path``, ``max_seq_length``, ``count_tokens``, ``batch_size``), same vectors
(fp32: cosine >= 0.99999 against sentence-transformers on corpus passages, so it shares the
torch backend's embedding name and cache), but:

* serving imports only ``onnxruntime``, ``tokenizers`` and numpy (no torch, transformers or
  sentence-transformers): measured 0.68 GB RSS for ``regassist serve`` after 20 questions vs
  1.03 GB on torch, ~1 s to load vs ~8 s, ~13 ms per query vs ~25 ms (2 cores);
* the encoder runs as one fused ONNX graph (EmbedLayerNormalization, Attention, SkipLayerNorm,
  BiasGelu for BERT models) with its weights memory-mapped from an external data file, so the
  250k x 384 word-embedding table costs RSS only for the rows actually used;
* passages are tokenised once, sorted by token length and batched by length (bounded by a
  padded-token budget), so little time goes into padding.

Export
------
The sentence-transformers directory's encoder is exported once, at build time, to
``<model_dir>/onnx/``::

    model.onnx, model.onnx.data     fp32 encoder (opset 17, dynamic batch/sequence axes,
                                    inputs input_ids / attention_mask [/ token_type_ids],
                                    output last_hidden_state)
    model_int8.onnx[.data]          dynamic-int8 variant (the default; ``REGASSIST_EMBEDDER_INT8=0``: fp32)
    export.json                     stamp: source files' sha256 (+ size/mtime to skip rehashing),
                                    exporter version, versions used, check results

The export needs torch, transformers and ``onnx`` (imported only then; ~25 s and a 3.7 GB
peak RSS for e5-small, +10 s / 2.6 GB for int8). It writes into a temporary sibling directory,
checks the result against torch on a padded probe batch, and renames it into place under a
file lock; a stamp matching the source model makes it a no-op.

The int8 variant quantises the QKV / attention-output / FFN-input weights per output channel
and the word-embedding table, keeping the FFN output projections fp32 (their post-GELU inputs
have outliers that int8 handles badly -- the same finding as the torch backend's
:func:`index.embedding.sentence_transformers._int8_layer_names`). On 200 index passages: cosine vs fp32 median 0.9990,
min 0.9983, top-10 neighbour overlap 0.95 (quantising the FFN outputs too: 0.996 / 0.994 / 0.90,
~30% faster). ~1.4x the fp32 throughput. Its vectors differ, so its name ends in ``-onnx-int8``.

Re-measured 2026-11-30 for the serving cost (one thread, 150 dev queries of ~32 tokens): 11.3 ms CPU per query
as exported, 7.8 ms with the FFN output projections quantised too -- a third of a served answer's ~23 ms CPU -- but
cited 96.6 -> 95.9 on dev and 93.8 -> 93.0 on extra with an index embedded that way: not adopted (answers
first). Batching queries does not pay on CPU (8 per run: 12.6 ms per query, padding).
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import logging
import os
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator, Sequence

import numpy as np

from index.embedding.e5_build import _make_readable, replace_dir, sha256_file  # no torch import

if TYPE_CHECKING:  # pragma: no cover
    import onnxruntime

log = logging.getLogger(__name__)

__all__ = ["OnnxExportError", "export_onnx", "is_exported", "onnx_model_path", "read_layout"]

#: bump when the exported layout or graph changes, so stale exports are redone
EXPORTER_VERSION = 1
OPSET = 17
EXPORT_DIR = "onnx"
STAMP_FILE = "export.json"
FP32_FILE = "model.onnx"
INT8_FILE = "model_int8.onnx"
#: padded tokens per ``session.run``: bounds activation memory (attention is batch x heads x len^2);
#: on 2 cores, embedding the index's 686 passages: 2048 -> 12.1-12.8 s (int8), 1024 -> 12.0-12.7 s,
#: 4096 -> 14.0-14.4 s (cache-friendlier activations)
MAX_BATCH_TOKENS = 2048
#: max |onnx - torch| on the export probe batch (measured ~1e-6)
_CHECK_TOL = 1e-3


class OnnxExportError(RuntimeError):
    """The model could not be exported to (or is not usable as) ONNX."""


# ---------------------------------------------------------------------- model directory


@dataclass(frozen=True)
class ModelLayout:
    """What the ONNX backend needs to know about a sentence-transformers directory."""

    root: Path
    transformer_dir: Path  # config.json, weights, tokenizer.json
    max_seq_length: int
    do_lower_case: bool
    pooling: str  # "mean" | "cls"
    dim: int

    @property
    def export_dir(self) -> Path:
        return self.root / EXPORT_DIR


def _read_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def read_layout(model_dir: Path) -> ModelLayout:
    """Inspect a sentence-transformers directory (Transformer -> Pooling(mean|cls) [-> Normalize])."""
    root = Path(model_dir).expanduser().resolve()
    modules = _read_json(root / "modules.json") if (root / "modules.json").is_file() else None
    transformer_dir, pooling_dir = root, None
    if modules:
        for m in modules:
            kind = str(m.get("type", "")).rsplit(".", 1)[-1]
            sub = root / m.get("path", "")
            if kind == "Transformer":
                transformer_dir = sub
            elif kind == "Pooling":
                pooling_dir = sub
            elif kind != "Normalize":
                raise OnnxExportError(
                    f"{root}: module {kind!r} is not supported by the onnx backend "
                    "(Transformer, Pooling and Normalize are); use REGASSIST_EMBEDDER_BACKEND=torch"
                )
    pooling, include_prompt = "mean", True
    if pooling_dir is not None and (pooling_dir / "config.json").is_file():
        pc = _read_json(pooling_dir / "config.json")
        modes = [k for k, v in pc.items() if k.startswith("pooling_mode_") and v]
        known = {"pooling_mode_mean_tokens": "mean", "pooling_mode_cls_token": "cls"}
        mode = known.get(modes[0]) if len(modes) == 1 else None
        if mode is None:
            raise OnnxExportError(f"{root}: pooling {modes} is not supported by the onnx backend (mean or cls is)")
        pooling, include_prompt = mode, bool(pc.get("include_prompt", True))
    if pooling == "mean" and not include_prompt:
        raise OnnxExportError(f"{root}: mean pooling without the prompt is not supported by the onnx backend")
    for f in ("config.json", "tokenizer.json"):
        if not (transformer_dir / f).is_file():
            raise OnnxExportError(f"{transformer_dir}: no {f} (the onnx backend needs a fast-tokenizer tokenizer.json)")
    config = _read_json(transformer_dir / "config.json")
    st_cfg = transformer_dir / "sentence_bert_config.json"
    st = _read_json(st_cfg) if st_cfg.is_file() else {}
    max_len = st.get("max_seq_length")
    if not max_len:
        tc = transformer_dir / "tokenizer_config.json"
        max_len = min(
            int(_read_json(tc).get("model_max_length", 1 << 30)) if tc.is_file() else 1 << 30,
            int(config.get("max_position_embeddings", 512)),
        )
    return ModelLayout(
        root=root,
        transformer_dir=transformer_dir,
        max_seq_length=int(max_len),
        do_lower_case=bool(st.get("do_lower_case", False)),
        pooling=pooling,
        dim=int(config["hidden_size"]),
    )


def _source_files(layout: ModelLayout) -> list[Path]:
    """The files the exported graph is a function of: config and weights."""
    d = layout.transformer_dir
    weights = sorted(
        p for p in d.iterdir() if p.is_file() and (p.suffix == ".safetensors" or p.name.startswith("pytorch_model"))
    )
    if not weights:
        raise OnnxExportError(f"{d}: no model weights (*.safetensors or pytorch_model*.bin)")
    return [d / "config.json", *weights]


def _fingerprint(layout: ModelLayout, known: dict[str, dict] | None = None) -> dict[str, dict]:
    """``{relpath: {sha256, size, mtime_ns}}`` of the source files; a file whose size and mtime
    match ``known`` keeps its recorded hash instead of being re-read (470 MB for e5-small)."""
    out: dict[str, dict] = {}
    for p in _source_files(layout):
        rel = str(p.relative_to(layout.root))
        st = p.stat()
        prev = (known or {}).get(rel) or {}
        if prev.get("size") == st.st_size and prev.get("mtime_ns") == st.st_mtime_ns and prev.get("sha256"):
            sha = prev["sha256"]
        else:
            sha = sha256_file(p)
        out[rel] = {"sha256": sha, "size": st.st_size, "mtime_ns": st.st_mtime_ns}
    return out


def _files_of(variant_file: str) -> tuple[str, str]:
    return variant_file, variant_file + ".data"


def _stamp(layout: ModelLayout) -> dict | None:
    try:
        return _read_json(layout.export_dir / STAMP_FILE)
    except (OSError, ValueError):
        return None


def _export_complete(layout: ModelLayout, stamp: dict | None, *, int8: bool = False) -> bool:
    """Does ``stamp`` (by this exporter version) list the variant(s), and are their files there?"""
    if not stamp or stamp.get("exporter_version") != EXPORTER_VERSION:
        return False
    variants = stamp.get("variants") or {}
    return all(
        v in variants and all((layout.export_dir / f).is_file() for f in _files_of(variants[v]))
        for v in (["fp32", "int8"] if int8 else ["fp32"])
    )


def _current_source(layout: ModelLayout, stamp: dict | None, *, int8: bool = False) -> dict | None:
    """The source fingerprint if ``stamp`` describes a complete export of the current source files."""
    if not _export_complete(layout, stamp, int8=int8):
        return None
    assert stamp is not None
    recorded = stamp.get("source") or {}
    try:
        current = _fingerprint(layout, recorded)
    except OSError:
        return None
    same = {k: v["sha256"] for k, v in current.items()} == {k: v.get("sha256") for k, v in recorded.items()}
    return current if same else None


def _stamp_ok(layout: ModelLayout, stamp: dict | None, *, int8: bool = False) -> bool:
    """Does ``stamp`` describe a complete export (with the int8 variant if asked) of the
    current source files by this exporter version?"""
    return _current_source(layout, stamp, int8=int8) is not None


def _refresh_stamp(layout: ModelLayout, stamp: dict, current: dict) -> None:
    """Same content, new size/mtime (e.g. a copied model dir): record them so the next check
    does not re-hash the weights. Best effort (the directory may be read-only)."""
    if current == stamp.get("source"):
        return
    path = layout.export_dir / STAMP_FILE
    tmp = path.with_name(f".{STAMP_FILE}.{os.getpid()}.tmp")
    try:
        tmp.write_text(json.dumps({**stamp, "source": current}, indent=2) + "\n", encoding="utf-8")
        os.replace(tmp, path)
    except OSError:
        tmp.unlink(missing_ok=True)


def is_exported(model_dir: Path, *, int8: bool = False) -> bool:
    """True when ``<model_dir>/onnx`` holds an up-to-date export (never imports torch)."""
    layout = read_layout(model_dir)
    return _stamp_ok(layout, _stamp(layout), int8=int8)


def onnx_model_path(model_dir: Path, *, int8: bool = False) -> Path:
    return Path(model_dir).expanduser().resolve() / EXPORT_DIR / (INT8_FILE if int8 else FP32_FILE)


# ------------------------------------------------------------------------------- export


@contextlib.contextmanager
def _lock(layout: ModelLayout) -> Iterator[None]:
    """Serialise exports of the same model directory (advisory flock on a hidden file in it)."""
    try:
        fh = open(layout.root / f".{EXPORT_DIR}.lock", "a+")
    except OSError as exc:
        raise OnnxExportError(
            f"cannot export to {layout.export_dir}: {exc} (the model directory must be writable once, "
            "to hold the ONNX export)"
        ) from exc
    with fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


@contextlib.contextmanager
def _quiet_root_logger() -> Iterator[None]:
    """onnxruntime's quantiser and fusion tools log advice at WARNING on the root logger."""
    root = logging.getLogger()
    level = root.level
    root.setLevel(max(level, logging.ERROR))
    try:
        yield
    finally:
        root.setLevel(level)


def _probe_batch(layout: ModelLayout) -> dict[str, np.ndarray]:
    """Two probe inputs of different lengths (right-padded) for tracing and checking."""
    tok = _load_tokenizer(layout)
    encs = tok.encode_batch(
        [
            "passage: Sở Ngoại vụ thống nhất quản lý hoạt động của phóng viên nước ngoài trên địa bàn tỉnh.",
            "query: hiệu lực",
        ]
    )
    return _pad([e.ids for e in encs], _pad_id(tok, layout))


def _session(path: Path, threads: int, spin: bool = False) -> "onnxruntime.InferenceSession":
    import onnxruntime as ort

    so = ort.SessionOptions()
    so.intra_op_num_threads = max(0, int(threads or 0))  # 0 = onnxruntime's default (all cores)
    so.inter_op_num_threads = 1
    # Idle intra-op threads busy-wait for work by default: a little lower latency on an idle
    # machine, but they burn CPU next to the web server and slow everything down on a busy one.
    so.add_session_config_entry("session.intra_op.allow_spinning", "1" if spin else "0")
    # No arena: it keeps the largest batch's activations (~250 MB) for the life of the process;
    # without it the serving RSS stays ~250 MB lower for ~5% more CPU on batches.
    so.enable_cpu_mem_arena = False
    so.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    so.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    so.log_severity_level = 3
    return ort.InferenceSession(str(path), so, providers=["CPUExecutionProvider"])


def _max_abs_diff(path: Path, feed: dict[str, np.ndarray], expected: np.ndarray) -> float:
    sess = _session(path, 0)
    names = {i.name for i in sess.get_inputs()}
    out = sess.run(None, {k: v for k, v in feed.items() if k in names})[0]
    mask = feed["attention_mask"].astype(bool)
    return float(np.abs(out - expected)[mask].max())


def _export_fp32(layout: ModelLayout, out_dir: Path) -> dict:
    """torch -> ``out_dir/model.onnx`` (+ ``.data``); fused for BERT; checked against torch."""
    try:
        import onnx
    except ImportError as exc:
        raise OnnxExportError("exporting the embedder to ONNX needs the 'onnx' package (pip install onnx)") from exc
    import inspect
    import warnings

    t0 = time.perf_counter()
    steps: dict[str, float] = {}

    def step(name: str) -> None:
        steps[name] = round(time.perf_counter() - t0 - sum(steps.values()), 2)

    import torch
    from transformers import AutoConfig, AutoModel
    from transformers.utils import logging as hf_logging

    src = str(layout.transformer_dir)
    config = AutoConfig.from_pretrained(src, local_files_only=True)
    bar = hf_logging.is_progress_bar_enabled()
    hf_logging.disable_progress_bar()  # "Loading weights" on stderr
    try:
        model = AutoModel.from_pretrained(src, local_files_only=True, attn_implementation="eager")
    finally:
        if bar:
            hf_logging.enable_progress_bar()
    model.eval()
    use_tt = "token_type_ids" in inspect.signature(model.forward).parameters

    class Encoder(torch.nn.Module):
        def __init__(self, m: torch.nn.Module) -> None:
            super().__init__()
            self.m = m

        def forward(self, input_ids, attention_mask, token_type_ids=None):  # noqa: ANN001
            kw = {"token_type_ids": token_type_ids} if token_type_ids is not None else {}
            return self.m(input_ids=input_ids, attention_mask=attention_mask, **kw).last_hidden_state

    feed = _probe_batch(layout)
    names = ["input_ids", "attention_mask"] + (["token_type_ids"] if use_tt else [])
    args = tuple(torch.from_numpy(feed[n]) for n in names)
    with torch.no_grad():
        expected = Encoder(model)(*args).numpy()
    step("load")

    raw = out_dir / "raw.onnx"
    axes = {n: {0: "batch", 1: "sequence"} for n in [*names, "last_hidden_state"]}
    with warnings.catch_warnings(), torch.no_grad():
        warnings.simplefilter("ignore")  # TorchScript-exporter deprecation and tracer warnings
        torch.onnx.export(
            Encoder(model),
            args,
            str(raw),
            dynamo=False,
            opset_version=OPSET,
            input_names=names,
            output_names=["last_hidden_state"],
            dynamic_axes=axes,
            do_constant_folding=True,
        )
    del model
    step("trace")

    final = out_dir / FP32_FILE
    fused, diff = False, float("inf")
    if config.model_type == "bert":
        # onnxruntime's BERT fusions: EmbedLayerNormalization, Attention, SkipLayerNormalization, BiasGelu
        try:
            from onnxruntime.transformers.optimizer import optimize_model

            with _quiet_root_logger():
                opt = optimize_model(
                    str(raw),
                    model_type="bert",
                    num_heads=int(config.num_attention_heads),
                    hidden_size=int(config.hidden_size),
                    opt_level=0,
                    use_gpu=False,
                )
                opt.save_model_to_file(str(final), use_external_data_format=True, all_tensors_to_one_file=True)
            del opt
            diff = _max_abs_diff(final, feed, expected)
            fused = diff <= _CHECK_TOL
            if not fused:
                log.warning("fused onnx graph differs from torch (max |diff| %.3g); using the unfused graph", diff)
        except Exception as exc:  # fusion is an optimisation: fall back to the plain graph
            log.warning("onnx fusion failed (%s); using the unfused graph", exc)
            fused = False
        if not fused:
            for f in _files_of(FP32_FILE):
                (out_dir / f).unlink(missing_ok=True)
        step("fuse")
    if not fused:
        onnx.save_model(
            onnx.load(str(raw)),
            str(final),
            save_as_external_data=True,
            all_tensors_to_one_file=True,
            location=FP32_FILE + ".data",
            size_threshold=1024,
        )
        diff = _max_abs_diff(final, feed, expected)
        if not diff <= _CHECK_TOL:
            raise OnnxExportError(f"ONNX export of {src} does not match torch (max |diff| {diff:.3g})")
        step("save")
    raw.unlink()
    return {"fused": fused, "max_abs_diff": diff, "inputs": names, "steps_s": steps}


def _quantize_int8(fp32: Path, out: Path) -> dict:
    """Dynamic int8 (``onnxruntime.quantization.quantize_dynamic``) of ``fp32`` into ``out``.

    Quantised: weight MatMuls except the FFN output projections (``.../output/dense``),
    per output channel; fused Attention (QKV); the word-embedding table. Kept fp32: FFN output
    projections, LayerNorms, position/type embeddings.
    """
    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic

    m = onnx.load(str(fp32), load_external_data=False)
    inits = {i.name for i in m.graph.initializer}
    nodes, kept = [], []
    for n in m.graph.node:
        if n.op_type == "MatMul" and len(n.input) > 1 and n.input[1] in inits:
            ffn_out = n.name.endswith("/output/dense/MatMul") and "attention" not in n.name
            (kept if ffn_out else nodes).append(n.name)
        elif n.op_type in ("Attention", "EmbedLayerNormalization"):
            nodes.append(n.name)
        elif n.op_type == "Gather" and n.input[0] in inits and "word_embeddings" in n.input[0]:
            nodes.append(n.name)
    del m
    tmp = out.with_name(out.name + ".single")
    with _quiet_root_logger():
        quantize_dynamic(
            str(fp32),
            str(tmp),
            weight_type=QuantType.QInt8,
            per_channel=True,
            op_types_to_quantize=["MatMul", "Attention", "EmbedLayerNormalization", "Gather"],
            nodes_to_quantize=nodes,
            extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT},
        )
    onnx.save_model(
        onnx.load(str(tmp)),
        str(out),
        save_as_external_data=True,
        all_tensors_to_one_file=True,
        location=out.name + ".data",
        size_threshold=1024,
    )
    tmp.unlink()
    for stray in fp32.parent.glob("*-inferred.onnx"):  # the quantiser's shape-inference scratch file
        stray.unlink()
    return {"quantized_nodes": len(nodes), "fp32_matmuls": len(kept)}


def export_onnx(model_dir: Path, *, int8: bool = False, force: bool = False) -> Path:
    """Export (once) the encoder of the sentence-transformers dir ``model_dir`` to ONNX.

    Writes ``<model_dir>/onnx/`` atomically (temporary sibling, then rename) under a file lock;
    no-op when its stamp matches the source model (``force`` redoes it). With ``int8`` the int8
    variant is added too (to a copy of the existing fp32 export, if it is up to date).
    Needs torch, transformers and onnx. Returns the path of the requested ``.onnx`` file.
    """
    layout = read_layout(model_dir)
    target = onnx_model_path(layout.root, int8=int8)
    stamp = _stamp(layout)
    if not force and (current := _current_source(layout, stamp, int8=int8)) is not None:
        assert stamp is not None
        _refresh_stamp(layout, stamp, current)
        return target
    with _lock(layout):
        stamp = _stamp(layout)
        if not force and _stamp_ok(layout, stamp, int8=int8):  # exported by someone else meanwhile
            return target
        t0 = time.perf_counter()
        dest = layout.export_dir
        tmp = Path(tempfile.mkdtemp(prefix=f".{EXPORT_DIR}.tmp-", dir=layout.root))
        try:
            reuse_fp32 = not force and _stamp_ok(layout, stamp, int8=False)
            if reuse_fp32:  # adding int8 to an fp32 export: keep the fp32 files
                assert stamp is not None
                for f in _files_of(FP32_FILE):  # copies: onnx refuses hard-linked external data
                    shutil.copyfile(dest / f, tmp / f)
                info = dict(stamp.get("fp32") or {})
            else:
                info = _export_fp32(layout, tmp)
                info["seconds"] = round(time.perf_counter() - t0, 1)
            new = {
                "exporter_version": EXPORTER_VERSION,
                "opset": OPSET,
                "source": _fingerprint(layout),
                "variants": {"fp32": FP32_FILE},
                "fp32": info,
                "versions": _versions(),
            }
            if int8:
                t1 = time.perf_counter()
                q = _quantize_int8(tmp / FP32_FILE, tmp / INT8_FILE)
                q["seconds"] = round(time.perf_counter() - t1, 1)
                new["variants"]["int8"] = INT8_FILE
                new["int8"] = q
            (tmp / STAMP_FILE).write_text(json.dumps(new, indent=2) + "\n", encoding="utf-8")
            _make_readable(tmp)  # mkdtemp dirs are 0700 and onnx writes 0600 files: use the umask
            replace_dir(tmp, dest)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        log.info("exported %s to ONNX%s in %.1fs", layout.root, " (+int8)" if int8 else "", time.perf_counter() - t0)
    return target


def _versions() -> dict[str, str]:
    import importlib.metadata as md

    out = {}
    for pkg in ("torch", "transformers", "onnx", "onnxruntime"):
        try:
            out[pkg] = md.version(pkg)
        except md.PackageNotFoundError:  # pragma: no cover
            pass
    return out


# ------------------------------------------------- tokenising (shared with the runtime; torch-free)


def _load_tokenizer(layout: ModelLayout):
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(layout.transformer_dir / "tokenizer.json"))
    tok.no_padding()
    tok.no_truncation()  # we truncate ourselves (count_tokens needs untruncated lengths)
    return tok


def _pad_id(tok, layout: ModelLayout) -> int:
    tc = layout.transformer_dir / "tokenizer_config.json"
    name = _read_json(tc).get("pad_token") if tc.is_file() else None
    if isinstance(name, dict):
        name = name.get("content")
    pid = tok.token_to_id(name) if isinstance(name, str) else None
    return int(pid) if pid is not None else 0


def _pad(seqs: Sequence[Sequence[int]], pad_id: int) -> dict[str, np.ndarray]:
    n, width = len(seqs), max(len(s) for s in seqs)
    ids = np.full((n, width), pad_id, dtype=np.int64)
    mask = np.zeros((n, width), dtype=np.int64)
    for i, s in enumerate(seqs):
        ids[i, : len(s)] = s
        mask[i, : len(s)] = 1
    return {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
