"""The pydantic document model: a faithful, citable tree of each source document.

Document → Part (decision | regulation | plan | appendix)
  regulation/decision: Chapter (grouping only) and Article → Clause → Point
  plan: Section (I, II.5, II.6.1, IV.13) → Item (bullets / paragraphs)
  appendix: AppendixRow (I, II.1, IV.2.8 …)

Documents read by ``corpus.reader`` may also have several attachments or appendices (``Part.slug``
``regulation-2``, ``appendix-1`` …), grouping levels Phần / Chương / Mục (``Part.divisions``), lettered points
under plan sections (``Section.points``, ``…/II.3/diem-a``) and, for a text the reader could not structure,
numbered paragraphs (``Part.paragraphs``, ``…/doan-3``; ``DocumentMeta.structure == "paragraphs"``).

Every citable unit carries a stable ``id`` (``<doc>/regulation/dieu-7/khoan-1``,
``…/diem-dd`` for point đ, ``<doc>/plan/III.2``, ``<doc>/appendix/II.4.1``),
a human ``label`` and a ``text`` that is the source text with only markup debris and whitespace
cleaned, so that quotes can be verified as substrings.
"""

from __future__ import annotations

from datetime import date
from enum import Enum
from typing import Iterator, Literal

from pydantic import BaseModel, Field

PartKind = Literal["decision", "regulation", "plan", "appendix"]
UnitKind = Literal[
    "preamble", "article", "clause", "point", "section", "item", "appendix_row", "rationale", "note", "paragraph"
]
PartStructure = Literal["articles", "outline", "rows", "forms", "paragraphs", "comparison", "preamble"]


class Status(str, Enum):
    in_force = "in_force"
    not_yet_in_force = "not_yet_in_force"
    draft = "draft"
    repealed = "repealed"
    replaced = "replaced"


class RelationKind(str, Enum):
    repeals = "repeals"  # bãi bỏ
    replaces = "replaces"  # thay thế
    based_on = "based_on"  # căn cứ
    implements = "implements"  # thực hiện (a plan applying a regulation)
    inherits = "inherits"  # kế thừa (a draft carrying over an earlier text)
    draft_of = "draft_of"  # a draft meant to supersede an earlier text
    amends = "amends"  # sửa đổi, bổ sung (or repeals part of) an earlier text
    ends = "ends"  # declares an earlier text "hết hiệu lực" (ceases to have effect)
    issues = "issues"  # ban hành kèm theo: the decision issues the attached Quy chế / Quy định / Kế hoạch
    extends = "extends"  # "Áp dụng Quyết định số … trên địa bàn …": an earlier text (often a merged predecessor's)
    # applied to the issuing authority's whole territory until replaced or repealed


class Relation(BaseModel):
    kind: RelationKind
    target: str  # a document id inside the corpus, or the reference as written ("12/2016/QĐ-UBND")
    target_in_corpus: bool = False
    target_label: str = ""
    evidence: str = ""  # verbatim text that states the relation
    evidence_unit: str | None = None  # citation id of the unit holding the evidence
    effective: date | None = None


class DocumentMeta(BaseModel):
    id: str
    province: str
    doc_type: str  # "Quyết định", "Kế hoạch"
    number: str | None
    issuer: str
    title: str
    issue_date: date | None
    effective_date: date | None
    effective_evidence: str = ""
    status: Status = Status.in_force
    status_evidence: str = ""
    signer: str | None = None
    signer_title: str | None = None
    notes: list[str] = Field(default_factory=list)  # discrepancies and caveats found in the text
    relations: list[Relation] = Field(default_factory=list)
    source_file: str = ""
    level: Literal["province", "national"] = "province"
    structure: Literal["structured", "paragraphs"] = "structured"  # paragraphs: the reader found no structure
    applies_from: date | None = None  # "áp dụng từ ngày …" when it differs from the effective date
    superseded_by: str | None = None  # a newer version added with ``corpus add --replace``
    reader_warnings: list[str] = Field(default_factory=list)  # what the reader noticed (see corpus.reader)


class Unit(BaseModel):
    id: str
    kind: UnitKind
    label: str
    text: str

    def walk(self) -> Iterator["Unit"]:
        yield self


class Point(Unit):
    kind: UnitKind = "point"
    letter: str


class Clause(Unit):
    kind: UnitKind = "clause"
    number: str
    points: list[Point] = Field(default_factory=list)

    def walk(self) -> Iterator[Unit]:
        yield self
        yield from self.points


class Rationale(Unit):
    """Column 4 of the comparison table: the drafters' reason for one row."""

    kind: UnitKind = "rationale"
    row: int
    topic: str


class Article(Unit):
    kind: UnitKind = "article"
    number: int
    title: str | None = None
    chapter: str | None = None  # "Chương II"
    chapter_title: str | None = None
    intro: str = ""  # lead-in before clause 1 (or the whole body when there are no clauses)
    clauses: list[Clause] = Field(default_factory=list)
    closing: str = ""  # paragraph(s) after the last clause
    rationales: list[Rationale] = Field(default_factory=list)
    table_rows: list[int] = Field(default_factory=list)  # comparison-table rows showing it
    division: list[str] = Field(default_factory=list)  # ["Chương II", "Mục 1"] when the reader saw them

    @property
    def body(self) -> str:
        parts = [self.intro] + [c.text for c in self.clauses] + [self.closing]
        return "\n".join(p for p in parts if p)

    def walk(self) -> Iterator[Unit]:
        yield self
        for clause in self.clauses:
            yield from clause.walk()
        yield from self.rationales


class Item(Unit):
    kind: UnitKind = "item"
    number: int


class Section(Unit):
    kind: UnitKind = "section"
    path: str  # "II.6.1"
    title: str | None = None
    items: list[Item] = Field(default_factory=list)
    points: list[Point] = Field(default_factory=list)  # a) b) … under the section: "…/II.3/diem-a"

    def walk(self) -> Iterator[Unit]:
        yield self
        yield from self.items
        yield from self.points


class Paragraph(Unit):
    """A numbered paragraph of a text the reader could not structure (still citable: ``…/doan-3``)."""

    kind: UnitKind = "paragraph"
    number: int


class AppendixRow(Unit):
    kind: UnitKind = "appendix_row"
    path: str  # "IV.2.8"
    task: str
    lead_unit: str | None = None
    lead_inferred: bool = False
    coordinating_units: str | None = None
    coordinating_inferred: bool = False
    time: str | None = None
    time_inferred: bool = False
    is_group: bool = False  # a heading row (I, II, IV.2 …) whose cells are empty
    group: str | None = None  # the Roman group row it sits under, when its path does not say it ("8" under III)


class Chapter(BaseModel):
    number: str
    title: str
    articles: list[int] = Field(default_factory=list)


class Division(BaseModel):
    """A grouping level above articles: Phần, Chương or Mục (no text of its own)."""

    level: Literal["phan", "chuong", "muc"]
    number: str
    title: str = ""
    articles: list[int] = Field(default_factory=list)


class Part(BaseModel):
    kind: PartKind
    slug: str = ""  # the id segment when it differs from ``kind``: "regulation-2", "appendix-1"
    structure: PartStructure | None = None
    title: str = ""
    preamble: Unit | None = None  # "Căn cứ …" of a decision; the opening of a plan
    chapters: list[Chapter] = Field(default_factory=list)
    articles: list[Article] = Field(default_factory=list)
    sections: list[Section] = Field(default_factory=list)
    rows: list[AppendixRow] = Field(default_factory=list)
    notes: list[Unit] = Field(default_factory=list)  # closing paragraph, footnotes
    divisions: list[Division] = Field(default_factory=list)  # Phần / Chương / Mục, in order
    paragraphs: list[Paragraph] = Field(default_factory=list)

    @property
    def id_slug(self) -> str:
        return self.slug or self.kind

    def walk(self) -> Iterator[Unit]:
        if self.preamble:
            yield self.preamble
        for article in self.articles:
            yield from article.walk()
        for section in self.sections:
            yield from section.walk()
        yield from self.rows
        yield from self.paragraphs
        yield from self.notes

    def article(self, number: int) -> Article | None:
        return next((a for a in self.articles if a.number == number), None)


class Document(BaseModel):
    meta: DocumentMeta
    parts: list[Part]

    @property
    def id(self) -> str:
        return self.meta.id

    def part(self, kind: str) -> Part | None:
        """The part with this id segment ("appendix-2"), else the first part of this kind."""
        return next((p for p in self.parts if p.slug and p.slug == kind), None) or next(
            (p for p in self.parts if p.kind == kind), None
        )

    def walk(self) -> Iterator[Unit]:
        for part in self.parts:
            yield from part.walk()
