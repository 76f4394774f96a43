"""One reader for Vietnamese legal and administrative texts, in any format.

``read_file(path, overrides)`` / ``read_text(text, name, entry=…)`` → ``ReadResult`` (the ``Document`` with its
metadata, parts and citable units, the warnings, the layout measured). Formats: .txt/.md, .html, .docx, .pdf
(``corpus.reader.formats``); structure: ``corpus.reader.document`` (how the parts are found),
``articles`` (Phần/Chương/Mục/Điều/khoản/điểm), ``outline`` (I./1./1.1./a)/-/+), ``appendix`` (task tables,
forms), ``metadata`` (number, dates, issuer, signer, relations). Errors: ``ReadError`` (no text at all).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from corpus.reader.document import ReadResult, derive_id, read_source
from corpus.reader.errors import ReadError
from corpus.reader.formats import SourceText, from_text, load

__all__ = ["ReadError", "ReadResult", "SourceText", "read_file", "read_text", "read_source", "derive_id", "load"]


def _entry_args(entry) -> dict[str, Any]:
    if entry is None:
        return {}
    return {
        "doc_id": entry.id,
        "province": entry.province,
        "doc_type": entry.doc_type,
        "overrides": entry.overrides(),
        "status": entry.status,
    }


def read_text(text: str, name: str = "<text>", *, entry=None, overrides: dict[str, Any] | None = None) -> ReadResult:
    """Read a document given as text; ``entry`` is its catalog entry (id, province, type and stated values)."""
    args = _entry_args(entry)
    if overrides:
        args["overrides"] = {**args.get("overrides", {}), **overrides}
    return read_source(from_text(text, name), **args)


def read_file(path: Path, overrides: dict[str, Any] | None = None, *, entry=None) -> ReadResult:
    """Read any supported file. ``overrides`` (id, number, title, doc_type, province, issuer, signer,
    issue_date, effective_date) win over what the text says; the file name is the id when it names the number."""
    path = Path(path)
    src = load(path)
    args = _entry_args(entry)
    merged = {"stem": path.stem, **args.pop("overrides", {}), **(overrides or {})}
    return read_source(src, overrides=merged, **args)
