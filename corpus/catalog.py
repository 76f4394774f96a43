"""The catalog: which source file holds which document(s), with stable ids and expected facts.

Metadata is read from the texts by the parsers; the catalog states what a reader of the text
expects, and tests check that the two agree. A document the text gives no header for (the
Tuyên Quang 2025 draft, column 3 of the comparison table) takes its title and status from here.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field

DATA_DIR = Path(__file__).parent / "data"
CATALOG_FILE = DATA_DIR / "catalog.json"

SourceFormat = Literal["decision_with_regulation", "comparison_table", "plan"]


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
