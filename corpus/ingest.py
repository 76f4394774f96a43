"""Adding a document: a text, markdown or .docx file plus its catalog entry.

Drop-in: ``regassist corpus add FILE --id … --province … --type … [--format …] [--number …]``.
The file is parsed by the same code as the shipped corpus *before* anything is written; a file
that cannot be parsed is rejected with the line and reason. On success the text is stored under
``<data_dir>/corpus/`` and the entry appended to ``<data_dir>/corpus/catalog.local.json``, each written
to a temporary file and renamed, so nothing is half-added and the shipped corpus is never touched.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from corpus.catalog import Catalog, CatalogDocument, CatalogSource, load_catalog
from corpus.parsing.errors import ParseError
from corpus.store import Corpus, build_corpus, parse_source, read_source_text
from corpus.catalog import DATA_DIR

LOCAL_CATALOG = "catalog.local.json"


def docx_to_text(path: Path) -> str:
    """Paragraphs as lines; table rows as tab-separated cells (the comparison-table layout)."""
    try:
        import docx  # python-docx
    except ImportError as exc:  # pragma: no cover
        raise ParseError(path.name, "python-docx is not installed") from exc
    try:
        document = docx.Document(str(path))
    except Exception as exc:  # a corrupt or non-docx file
        raise ParseError(path.name, f"not a readable .docx file ({exc.__class__.__name__})") from None
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.append("")
            for cell in row.cells:
                lines.append("\t" + cell.text.replace("\n", "\n"))
    return "\n".join(lines)


def read_any(path: Path) -> str:
    if not path.exists():
        raise ParseError(path.name, "no such file")
    if path.suffix.lower() == ".docx":
        return docx_to_text(path)
    return read_source_text(path)


def local_dir(data_dir: Path) -> Path:
    return Path(data_dir) / "corpus"


def load_full_catalog(data_dir: Path | None) -> tuple[Catalog, dict[str, Path]]:
    """Shipped catalog + local additions, and where each source file lives."""
    catalog = load_catalog()
    where = {s.file: DATA_DIR for s in catalog.sources}
    if data_dir is not None:
        local = local_dir(data_dir) / LOCAL_CATALOG
        if local.exists():
            extra = Catalog.model_validate(json.loads(local.read_text(encoding="utf-8")))
            catalog.sources.extend(extra.sources)
            where.update({s.file: local_dir(data_dir) for s in extra.sources})
    return catalog, where


def build_full_corpus(data_dir: Path | None) -> Corpus:
    catalog, where = load_full_catalog(data_dir)
    documents = []
    for source in catalog.sources:
        documents.extend(parse_source(source, read_source_text(where[source.file] / source.file)))
    return Corpus(documents, catalog)


def _atomic_write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
    os.replace(tmp, path)


def add_document(path: Path, entry: CatalogDocument, fmt: str, data_dir: Path) -> Corpus:
    """Validate and add one document; returns the corpus including it. Raises ParseError."""
    text = read_any(Path(path))
    stored_name = f"local_{entry.id}.txt"
    source = CatalogSource(file=stored_name, format=fmt, documents=[entry])
    catalog, where = load_full_catalog(data_dir)
    if any(d.id == entry.id for d in catalog.documents()):
        raise ParseError(Path(path).name, f"duplicate id '{entry.id}': a document with this id exists")
    new_docs = parse_source(source, text)  # raises ParseError with line and reason
    units = sum(1 for d in new_docs for _ in d.walk())
    if units < 2:
        raise ParseError(Path(path).name, "no recognisable structure (no article, section or row found)")
    existing = build_full_corpus(data_dir)
    corpus = Corpus(list(existing.documents.values()) + new_docs, catalog)  # id clashes raise here
    local = local_dir(data_dir)
    _atomic_write(local / stored_name, text.encode("utf-8"))
    local_catalog = local / LOCAL_CATALOG
    current = json.loads(local_catalog.read_text(encoding="utf-8")) if local_catalog.exists() else {"sources": []}
    current["sources"].append(json.loads(source.model_dump_json()))
    _atomic_write(local_catalog, json.dumps(current, ensure_ascii=False, indent=2).encode("utf-8"))
    return corpus


__all__ = ["add_document", "build_full_corpus", "load_full_catalog", "docx_to_text", "build_corpus"]
