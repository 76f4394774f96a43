"""The parsed corpus: every document of the catalog, unit look-up by citation id, statuses.

``load_corpus()`` parses all sources (a few hundred ms) and caches the result per process.
Status rules (evidence kept in ``DocumentMeta.status_evidence``):
``draft`` when the catalog marks a text as a draft; ``repealed``/``replaced`` when a text in the
corpus says so and its effective date has passed; ``not_yet_in_force`` when the effective date is in
the future; otherwise ``in_force``. Relations pointing outside the corpus keep the number as written
and, when another document repeals that number, carry that fact too (the Bắc Giang plan applies
QĐ 24/2018 of Bắc Giang, which Bắc Ninh's QĐ 68/2025 repeals from 01/12/2025).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Iterator

from corpus.catalog import DATA_DIR, Catalog, CatalogSource, load_catalog
from corpus.model import Article, Clause, Document, Point, Relation, RelationKind, Section, Status, Unit
from corpus.parsing.errors import ParseError
from corpus.parsing.plan import parse_plan
from corpus.parsing.regulation import parse_decision_with_regulation
from corpus.parsing.table import parse_comparison_table
from corpus.text import nfc


@dataclass(frozen=True)
class Located:
    """A unit with everything needed to cite it."""

    unit: Unit
    document: Document
    part: str
    article: Article | None = None
    clause: Clause | None = None
    point: Point | None = None
    section: Section | None = None
    parent_id: str | None = None

    @property
    def id(self) -> str:
        return self.unit.id

    @property
    def article_id(self) -> str:
        """The article / plan section / appendix row that holds this unit (the retrieval grain)."""
        if self.article is not None:
            return self.article.id
        if self.section is not None:
            return self.section.id
        return self.unit.id


def parse_source(source: CatalogSource, text: str) -> list[Document]:
    text = nfc(text)
    if not text.strip():
        raise ParseError(source.file, "the file is empty")
    if source.format == "decision_with_regulation":
        return [parse_decision_with_regulation(text, source.file, source.documents[0])]
    if source.format == "comparison_table":
        return parse_comparison_table(text, source)
    if source.format == "plan":
        return [parse_plan(text, source.file, source.documents[0])]
    raise ParseError(source.file, f"unknown format {source.format}")


def read_source_text(path: Path) -> str:
    data = path.read_bytes()
    if b"\x00" in data[:4096]:
        raise ParseError(path.name, "binary file (NUL bytes); expected UTF-8 text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ParseError(path.name, f"not valid UTF-8 (byte {exc.start})", line) from None


class Corpus:
    def __init__(self, documents: list[Document], catalog: Catalog, today: date | None = None):
        self.catalog = catalog
        self.documents: dict[str, Document] = {}
        for doc in documents:
            if doc.id in self.documents:
                raise ParseError(doc.meta.source_file, f"duplicate document id '{doc.id}'")
            self.documents[doc.id] = doc
        self.today = today or date.today()
        self._units: dict[str, Located] = {}
        for doc in documents:
            for loc in self._locate(doc):
                if loc.id in self._units:
                    raise ParseError(doc.meta.source_file, f"duplicate unit id '{loc.id}'")
                self._units[loc.id] = loc
        self._resolve_relations()

    # ---- look-ups -------------------------------------------------------------------------
    def get(self, doc_id: str) -> Document | None:
        return self.documents.get(doc_id)

    def resolve(self, unit_id: str) -> Located | None:
        return self._units.get(unit_id.strip().strip("/"))

    def units(self) -> Iterator[Located]:
        yield from self._units.values()

    def __len__(self) -> int:
        return len(self._units)

    def by_number(self, number: str) -> Document | None:
        return next((d for d in self.documents.values() if d.meta.number == number), None)

    def find_unit(self, doc_id: str, ref: str) -> Located | None:
        """'dieu-11', 'dieu-11/khoan-2', 'IV.2.8', 'regulation/dieu-3', 'II.5' → the unit."""
        ref = ref.strip().strip("/")
        doc = self.documents.get(doc_id)
        if doc is None:
            return None
        if ref.startswith(("decision/", "regulation/", "plan/", "appendix/")):
            return self.resolve(f"{doc_id}/{ref}")
        order = ["regulation", "decision", "plan", "appendix"]
        for part in order:
            hit = self.resolve(f"{doc_id}/{part}/{ref}")
            if hit:
                return hit
        return None

    # ---- construction -----------------------------------------------------------------------
    @staticmethod
    def _locate(doc: Document) -> Iterator[Located]:
        for part in doc.parts:
            if part.preamble:
                yield Located(part.preamble, doc, part.kind)
            for note in part.notes:
                yield Located(note, doc, part.kind, parent_id=part.preamble.id if note.kind == "rationale" and part.preamble else None)
            for art in part.articles:
                yield Located(art, doc, part.kind, article=art)
                for clause in art.clauses:
                    yield Located(clause, doc, part.kind, article=art, clause=clause, parent_id=art.id)
                    for point in clause.points:
                        yield Located(point, doc, part.kind, article=art, clause=clause, point=point, parent_id=clause.id)
                for rationale in art.rationales:
                    yield Located(rationale, doc, part.kind, article=art, parent_id=art.id)
            for section in part.sections:
                parent = section.id.rsplit(".", 1)[0] if "." in section.path else None
                yield Located(section, doc, part.kind, section=section, parent_id=parent)
                for item in section.items:
                    yield Located(item, doc, part.kind, section=section, parent_id=section.id)
            for row in part.rows:
                yield Located(row, doc, part.kind)

    def _resolve_relations(self) -> None:
        catalog_docs = {d.id: d for d in self.catalog.documents()}
        by_number = {d.meta.number: d for d in self.documents.values() if d.meta.number}
        repealed_by: dict[str, tuple[Document, Relation]] = {}
        for doc in self.documents.values():
            for rel in doc.meta.relations:
                target = by_number.get(rel.target)
                if target is not None and target.id != doc.id:
                    rel.target, rel.target_in_corpus = target.id, True
                elif (ext := self.catalog.external_by_number(rel.target)) is not None:
                    rel.target_label = f"QĐ {ext.number} ({ext.province}): {ext.title}"
                if rel.kind in (RelationKind.repeals, RelationKind.replaces):
                    repealed_by[rel.target] = (doc, rel)
        for doc in self.documents.values():
            entry = catalog_docs.get(doc.id)
            if entry and entry.draft_of and entry.draft_of in self.documents:
                target_number = self.documents[entry.draft_of].meta.number or ""
                rationales = [n for p in doc.parts for n in p.notes if n.kind == "rationale"] + [
                    r for a in (doc.part("regulation").articles if doc.part("regulation") else []) for r in a.rationales]
                evidence_unit = next((r for r in rationales if target_number and target_number in r.text), None) or next(
                    (r for r in rationales if "kế thừa" in r.text.lower()), None)
                doc.meta.relations.append(Relation(
                    kind=RelationKind.draft_of, target=entry.draft_of, target_in_corpus=True,
                    target_label=self.documents[entry.draft_of].meta.title,
                    evidence=evidence_unit.text if evidence_unit else "", evidence_unit=evidence_unit.id if evidence_unit else None,
                ))
        for doc in self.documents.values():
            meta = doc.meta
            hit = repealed_by.get(doc.id)
            if meta.status == Status.draft:
                meta.status_evidence = "Dự thảo (cột 3 của bảng so sánh), chưa được ban hành."
            elif hit and (hit[1].effective is None or hit[1].effective <= self.today):
                meta.status = Status.repealed if hit[1].kind == RelationKind.repeals else Status.replaced
                meta.status_evidence = hit[1].evidence
            elif meta.effective_date and meta.effective_date > self.today:
                meta.status = Status.not_yet_in_force
                meta.status_evidence = f"Có hiệu lực từ {meta.effective_date:%d/%m/%Y}: {meta.effective_evidence}"
            else:
                meta.status = Status.in_force
                when = f"có hiệu lực từ {meta.effective_date:%d/%m/%Y}" if meta.effective_date else "ngày hiệu lực không ghi trong văn bản được cung cấp"
                meta.status_evidence = f"Đang có hiệu lực: {when}; không văn bản nào trong kho bãi bỏ hoặc thay thế."
            for rel in meta.relations:
                ext = repealed_by.get(rel.target)
                if rel.kind in (RelationKind.implements, RelationKind.based_on) and ext and not rel.target_in_corpus:
                    by, how = ext
                    meta.notes.append(
                        f"Văn bản này dựa trên {rel.target_label}, văn bản đã bị {by.meta.doc_type} {by.meta.number} "
                        f"({by.meta.province}) bãi bỏ"
                        + (f" từ ngày {how.effective:%d/%m/%Y}" if how.effective else "") + "."
                    )
            drafts = [d for d in self.documents.values()
                      for r in d.meta.relations if r.kind == RelationKind.draft_of and r.target == doc.id]
            for d in drafts:
                meta.notes.append(f"Trong kho có {d.meta.title} dự kiến thay thế văn bản này (chưa ban hành).")

    def external_status(self, number: str) -> str | None:
        for doc in self.documents.values():
            for rel in doc.meta.relations:
                if rel.target == number and rel.kind in (RelationKind.repeals, RelationKind.replaces):
                    verb = "bãi bỏ" if rel.kind == RelationKind.repeals else "thay thế"
                    return f"bị {verb} bởi {doc.meta.number} ({doc.meta.province})" + (
                        f" từ {rel.effective:%d/%m/%Y}" if rel.effective else "")
        return None


def build_corpus(catalog: Catalog | None = None, data_dir: Path = DATA_DIR, today: date | None = None) -> Corpus:
    catalog = catalog or load_catalog()
    documents: list[Document] = []
    for source in catalog.sources:
        documents.extend(parse_source(source, read_source_text(data_dir / source.file)))
    return Corpus(documents, catalog, today)


@lru_cache(maxsize=1)
def load_corpus() -> Corpus:
    return build_corpus()
