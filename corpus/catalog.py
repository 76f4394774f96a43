"""The catalog: which source file holds which document(s), with stable ids and expected facts.

Metadata is read from the texts by ``corpus.reader``; the catalog states what a reader of the text
expects, and tests check that the two agree. A value the catalog gives wins over what the reader found
(that is how ``corpus add --number …`` corrects the reader); a document the text gives no header for
(a draft that replaces an issued decision, column 3 of a comparison table) takes its title and status from here.

``format``: ``document`` (the reader decides the layout; every added document), ``comparison_table`` (one
table holding several documents and a rationale column), and the two historical names of shipped sources
(``decision_with_regulation``, ``plan``), which now go through the same reader.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field

DATA_DIR = Path(__file__).parent / "data"
CATALOG_FILE = DATA_DIR / "catalog.json"
LOCAL_CATALOG = "catalog.local.json"  # documents added with ``corpus add``, under <data_dir>/corpus/


def local_dir(data_dir: Path) -> Path:
    """Where ``corpus add`` keeps texts and the local catalog of a data directory."""
    return Path(data_dir) / "corpus"


SourceFormat = Literal["document", "decision_with_regulation", "comparison_table", "plan"]


class CatalogDocument(BaseModel):
    id: str = Field(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
    province: str
    doc_type: str
    number: str | None = None
    issue_date: date | None = None
    effective_date: date | None = None
    signer: str | None = None
    status: str | None = None
    year: int | None = None
    title: str | None = None
    column: int | None = None
    draft_of: str | None = None
    expect: dict[str, int] = Field(default_factory=dict)
    signer_title: str | None = None
    issuer: str | None = None
    superseded_by: str | None = None  # a newer version added with ``corpus add --replace``
    supersedes: str | None = None  # the id this version replaces (``corpus add --replace``)
    added: str | None = None  # ISO timestamp of ``corpus add``
    original_name: str | None = None  # the user's file name

    def overrides(self) -> dict[str, object]:
        """The values this entry states, which win over what the reader finds in the text."""
        keys = ("number", "issue_date", "effective_date", "signer", "title", "issuer", "province", "doc_type")
        return {k: getattr(self, k) for k in keys if getattr(self, k) is not None}


class CatalogSource(BaseModel):
    file: str
    format: SourceFormat
    documents: list[CatalogDocument]
    rationale_column: int | None = None
    rationale_for: str | None = None


class ExternalDocument(BaseModel):
    number: str
    province: str
    title: str


class Catalog(BaseModel):
    sources: list[CatalogSource]
    external: list[ExternalDocument] = Field(default_factory=list)

    def documents(self) -> list[CatalogDocument]:
        return [d for s in self.sources for d in s.documents]

    def external_by_number(self, number: str) -> ExternalDocument | None:
        return next((e for e in self.external if e.number == number), None)


def load_catalog(path: Path = CATALOG_FILE) -> Catalog:
    return Catalog.model_validate(json.loads(path.read_text(encoding="utf-8")))
