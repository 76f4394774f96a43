"""Adding a document to the corpus: any .txt, .md, .html, .docx or .pdf file, metadata read from the text.

``preview_file(path, overrides)`` reads the file with ``corpus.reader`` and says what would be added (metadata,
unit counts per part and level, warnings, ``structure``) without writing anything. ``add_file(path,
data_dir=…, overrides=…, replace=…)`` adds it: the text the reader extracted is stored as
``<data_dir>/corpus/local_<id>.txt`` and its entry appended to ``<data_dir>/corpus/catalog.local.json``; both
writes are atomic (``corpus.fileio``) and done under one file lock, the catalog last, so a failure leaves the
corpus as it was. The shipped corpus is never touched.

Rules:

* Only a file with no text is refused (``ReadError``: empty, binary, a zip renamed .docx, a scanned PDF,
  an undecodable encoding), with the file, the line when there is one, and what to try. A text the reader
  cannot structure is added as numbered paragraphs (``structure: "paragraphs"``), still citable.
* Overrides (``id``, ``number``, ``title``, ``doc_type``, ``province``, ``issuer``, ``signer``, ``issue_date``,
  ``effective_date``, ``status="draft"``) win over what the text says and are kept in the catalog entry, so
  every rebuild reads the document the same way.
* The id is the file name when it names the document's number (``hai-phong-211-2025.txt``), else
  ``<province>-<number>-<year>``; an id already taken gets ``-2``, ``-3`` …
* A number already in the corpus for the same province (or nationally) needs ``replace=True``: the old
  document stays, marked superseded by the new one (``DocumentMeta.superseded_by``), so its citations still
  resolve; the new one gets the old id + ``-v2`` when the ids would clash.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field

from corpus.catalog import DATA_DIR, LOCAL_CATALOG, Catalog, CatalogDocument, CatalogSource, load_catalog, local_dir
from corpus.fileio import atomic_write_text, locked
from corpus.model import Document
from corpus.reader import ReadResult, read_file
from corpus.reader.errors import ReadError
from corpus.store import Corpus, build_corpus, parse_source, read_source_text
from corpus.summary import unit_counts

OVERRIDE_KEYS = (
    "id",
    "number",
    "title",
    "doc_type",
    "province",
    "issuer",
    "signer",
    "issue_date",
    "effective_date",
    "status",
)


class IngestPreview(BaseModel):
    """What the reader made of a file, before (``added=False``) or after (``added=True``) adding it."""

    file: str  # the user's file name
    doc_id: str
    format: str  # txt | md | html | docx | pdf
    layout: str  # how lines were laid out (see corpus.reader.lines.detect_layout)
    structure: Literal["structured", "paragraphs"]
    metadata: dict[str, Any]  # DocumentMeta as JSON (relations included)
    units: dict[str, dict[str, int]]  # part id segment → level → count
    total_units: int
    warnings: list[str] = Field(default_factory=list)
    existing: str | None = None  # id of a corpus document with the same number (needs replace)
    replaces: str | None = None  # id the addition supersedes (replace=True)
    added: bool = False
    stored_as: str | None = None


def load_full_catalog(data_dir: Path | None) -> tuple[Catalog, dict[str, Path]]:
    """Shipped catalog + local additions, and where each source file lives."""
    catalog = load_catalog()
    where = {s.file: DATA_DIR for s in catalog.sources}
    if data_dir is not None:
        local = local_dir(data_dir) / LOCAL_CATALOG
        if local.exists():
            extra = Catalog.model_validate(json.loads(local.read_text(encoding="utf-8")))
            catalog = Catalog(sources=list(catalog.sources) + list(extra.sources), external=list(catalog.external))
            where.update({s.file: local_dir(data_dir) for s in extra.sources})
    return catalog, where


def build_full_corpus(data_dir: Path | None) -> Corpus:
    """The shipped corpus plus what ``data_dir`` holds (the one builder, ``corpus.store.build_corpus``)."""
    return build_corpus(local=Path(data_dir) if data_dir is not None else None)


def _clean_overrides(overrides: dict | None) -> dict[str, Any]:
    out = {}
    for k, v in (overrides or {}).items():
        if v in (None, "", False):
            continue
        if k not in OVERRIDE_KEYS:
            raise ValueError(f"unknown override '{k}' (known: {', '.join(OVERRIDE_KEYS)})")
        out[k] = v.isoformat() if hasattr(v, "isoformat") else v
    return out


def _preview(result: ReadResult, name: str) -> IngestPreview:
    doc = result.document
    counts = unit_counts(doc)
    return IngestPreview(
        file=name,
        doc_id=doc.id,
        format=result.source_format,
        layout=result.layout,
        structure=doc.meta.structure,
        metadata=json.loads(doc.meta.model_dump_json(exclude={"reader_warnings"})),
        units=counts,
        total_units=sum(1 for _ in doc.walk()),
        warnings=list(result.warnings),
    )


def _read(path: Path, overrides: dict[str, Any]) -> ReadResult:
    read_overrides = {k: v for k, v in overrides.items() if k != "status"}
    result = read_file(Path(path), read_overrides)
    if overrides.get("status") == "draft":
        from corpus.model import Status

        result.document.meta.status = Status.draft
    if sum(1 for _ in result.document.walk()) == 0:
        raise ReadError(Path(path).name, "no citable text was found in the file", hint="check that it is the document")
    return result


def _same_number(corpus: Corpus, doc: Document) -> Document | None:
    if not doc.meta.number:
        return None
    for other in corpus.documents.values():
        if (
            other.meta.number == doc.meta.number
            and other.meta.province == doc.meta.province
            and not (other.meta.superseded_by)
        ):
            return other
    return None


def preview_file(path: Path, overrides: dict | None = None, *, data_dir: Path | None = None) -> IngestPreview:
    """Read a file and say what would be added; writes nothing. Raises ReadError when it holds no text."""
    clean = _clean_overrides(overrides)
    result = _read(Path(path), clean)
    preview = _preview(result, Path(path).name)
    if data_dir is not None:
        clash = _same_number(build_full_corpus(data_dir), result.document)
        if clash is not None:
            preview.existing = clash.id
            preview.warnings.append(
                f"number {result.document.meta.number} is already in the corpus as "
                f"'{clash.id}': adding it needs replace (--replace)"
            )
    return preview


def _unique_id(wanted: str, taken: set[str]) -> str:
    if wanted not in taken:
        return wanted
    n = 2
    while f"{wanted}-{n}" in taken:
        n += 1
    return f"{wanted}-{n}"


def add_file(path: Path, *, data_dir: Path, overrides: dict | None = None, replace: bool = False) -> IngestPreview:
    """Add one file to the local corpus of ``data_dir`` (see the module doc). Raises ReadError (a ValueError)
    with a user-facing message when the file holds no text, or when its number is already in the corpus and
    ``replace`` is not set."""
    path = Path(path)
    clean = _clean_overrides(overrides)
    result = _read(path, clean)
    doc = result.document
    local = local_dir(data_dir)
    catalog_path = local / LOCAL_CATALOG
    with locked(catalog_path):
        existing = build_full_corpus(data_dir)
        clash = _same_number(existing, doc)
        if clash is not None and not replace:
            raise ReadError(
                path.name,
                f"number {doc.meta.number} ({doc.meta.province}) is already in the corpus as '{clash.id}'",
                hint="add --replace to keep the old one as superseded and add this one "
                "as the current version, or check that this is not the same document",
            )
        taken = set(existing.documents)
        if "id" in clean:
            if clean["id"] in taken:
                raise ReadError(
                    path.name, f"the id '{clean['id']}' is already used in the corpus", hint="choose another --id"
                )
            doc_id = clean["id"]
        elif clash is not None and doc.id == clash.id:
            doc_id = _unique_id(f"{clash.id}-v2", taken)
        else:
            doc_id = _unique_id(doc.id, taken)
        if doc_id != doc.id:
            result = _read(path, {**clean, "id": doc_id})
            doc = result.document
        meta = doc.meta
        entry = CatalogDocument(
            id=doc_id,
            province=meta.province or "",
            doc_type=meta.doc_type,
            status="draft" if clean.get("status") == "draft" else None,
            added=datetime.now(timezone.utc).isoformat(timespec="seconds"),
            original_name=path.name,
            supersedes=clash.id if clash is not None else None,
            **{
                k: clean[k]
                for k in ("number", "title", "issuer", "signer", "issue_date", "effective_date")
                if k in clean
            },
        )
        stored = f"local_{doc_id}.txt"
        source = CatalogSource(file=stored, format="document", documents=[entry])
        text = "\n".join(read_stored_lines(path, result))
        rebuilt = parse_source(source, text)  # the stored text must read back the same way
        if [u.id for u in rebuilt[0].walk()] != [u.id for u in doc.walk()]:
            raise ReadError(
                path.name,
                "the extracted text does not read back the same way (internal error)",
                hint="report this file",
            )
        Corpus(list(existing.documents.values()) + rebuilt, existing.catalog)  # id clashes raise here
        current = json.loads(catalog_path.read_text(encoding="utf-8")) if catalog_path.exists() else {"sources": []}
        current["sources"].append(json.loads(source.model_dump_json(exclude_none=True)))
        atomic_write_text(local / stored, text)
        try:
            atomic_write_text(catalog_path, json.dumps(current, ensure_ascii=False, indent=2))
        except BaseException:
            (local / stored).unlink(missing_ok=True)
            raise
    preview = _preview(result, path.name)
    preview.added, preview.stored_as = True, str(local / stored)
    preview.replaces = clash.id if clash is not None else None
    return preview


def read_stored_lines(path: Path, result: ReadResult) -> list[str]:
    """The text to store for a file: its own text for .txt/.md, the extracted lines for other formats."""
    from corpus.reader.formats import load

    return load(Path(path)).lines


def add_document(path: Path, entry: CatalogDocument, fmt: str, data_dir: Path) -> Corpus:
    """The first ingest API (id, province and type given): validate and add one document; returns the corpus
    including it. Raises ParseError (ReadError) for a file with no text."""
    overrides = {k: v for k, v in entry.overrides().items()}
    overrides["id"] = entry.id
    if entry.status == "draft":
        overrides["status"] = "draft"
    if fmt == "comparison_table":
        raise ReadError(Path(path).name, "comparison tables are added through the catalog, not corpus add")
    add_file(Path(path), data_dir=data_dir, overrides=overrides)
    return build_full_corpus(data_dir)


__all__ = [
    "IngestPreview",
    "LOCAL_CATALOG",
    "ReadError",
    "add_document",
    "add_file",
    "build_corpus",
    "build_full_corpus",
    "load_full_catalog",
    "local_dir",
    "preview_file",
    "read_source_text",
]
