"""The corpus: every document of the catalog (shipped and locally added), unit look-up by citation id, statuses.

``build_corpus()`` is the one builder: it reads every catalog source with ``corpus.reader`` (the comparison
table with its own layout), adds the local catalog of a data directory when one is given, and returns an
immutable ``Corpus``. ``load_corpus()`` caches the shipped corpus per process (a few hundred ms to build).

Building never changes the documents it is given: relation targets, statuses and notes are computed on
copies (``model_copy``), so wrapping the same documents twice gives the same metadata (it used to append the
notes of a document with a draft successor again: 2 → 4).

Status rules (evidence kept in ``DocumentMeta.status_evidence``; the same rules as ``corpus.validity`` on the
build day): ``draft`` when the catalog marks a text as a draft; ``replaced`` when a newer version was added
with ``--replace`` (``superseded_by``); ``repealed``/``replaced`` when a text in the corpus says so (``bãi bỏ``,
``thay thế``, ``hết hiệu lực``) and its effective date has passed; ``not_yet_in_force`` when the effective
date is in the future; otherwise ``in_force``. Relations pointing outside the corpus keep the number as
written and, when another document repeals that number, carry that fact too (a plan applying a provincial
decision that a later decision of the corpus repeals gets a note saying so, with the date).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType

from corpus.catalog import DATA_DIR, LOCAL_CATALOG, Catalog, CatalogSource, load_catalog, local_dir
from corpus.model import Article, Clause, Document, Point, Relation, RelationKind, Section, Status, Unit
from corpus.parsing.errors import ParseError
from corpus.text import nfc

SUPERSEDING = (RelationKind.repeals, RelationKind.replaces, RelationKind.ends)


@dataclass(frozen=True)
class Located:
    """A unit with everything needed to cite it."""

    unit: Unit
    document: Document
    part: str  # the part's kind: decision | regulation | plan | appendix
    article: Article | None = None
    clause: Clause | None = None
    point: Point | None = None
    section: Section | None = None
    parent_id: str | None = None
    part_slug: str | None = None  # the id segment when it differs from the kind ("appendix-2")

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
    """The documents one catalog source holds (raises ParseError for a text that cannot be read)."""
    text = nfc(text)
    if not text.strip():
        raise ParseError(source.file, "the file is empty")
    if source.format == "comparison_table":
        from corpus.parsing.table import parse_comparison_table

        return parse_comparison_table(text, source)
    from corpus.reader import read_text

    entry = source.documents[0]
    result = read_text(text, source.file, entry=entry)
    return [result.document]


def read_source_text(path: Path) -> str:
    """A stored source file as text (UTF-8; legacy encodings converted by the reader's decoder)."""
    from corpus.reader.errors import ReadError
    from corpus.reader.formats.encodings import UndecodableError, decode_bytes

    data = Path(path).read_bytes()
    try:
        return decode_bytes(data).text
    except UndecodableError as exc:
        raise ReadError(Path(path).name, exc.reason, exc.line, exc.hint) from None


class Corpus:
    """An immutable set of documents with look-ups by document id, number and citation id.

    Holds ``documents`` (a read-only mapping id → ``Document`` whose metadata carries the resolved relations,
    statuses and notes), the ``catalog`` it was built from and the ``today`` its statuses refer to. Build it
    with ``build_corpus``; use ``get``, ``resolve``, ``find_unit``, ``units``, ``by_number``,
    ``external_status``. Never mutate what it returns.
    """

    def __init__(self, documents: Iterable[Document], catalog: Catalog, today: date | None = None):
        self.catalog = catalog
        self.today = today or date.today()
        given = list(documents)
        seen: set[str] = set()
        for doc in given:
            if doc.id in seen:
                raise ParseError(doc.meta.source_file, f"duplicate document id '{doc.id}'")
            seen.add(doc.id)
        resolved = _resolve(given, catalog, self.today)
        self._documents: dict[str, Document] = {d.id: d for d in resolved}
        self.documents: Mapping[str, Document] = MappingProxyType(self._documents)
        self._units: dict[str, Located] = {}
        self._aliases: dict[str, str] = {}
        for doc in resolved:
            for loc in self._locate(doc):
                if loc.id in self._units:
                    raise ParseError(doc.meta.source_file, f"duplicate unit id '{loc.id}'")
                self._units[loc.id] = loc
        for doc in resolved:
            self._add_aliases(doc)

    # ---- look-ups -------------------------------------------------------------------------------------
    def get(self, doc_id: str) -> Document | None:
        return self._documents.get(doc_id)

    def resolve(self, unit_id: str) -> Located | None:
        key = unit_id.strip().strip("/")
        return self._units.get(key) or self._units.get(self._aliases.get(key, ""))

    def units(self) -> Iterator[Located]:
        yield from self._units.values()

    def __len__(self) -> int:
        return len(self._units)

    def by_number(self, number: str) -> Document | None:
        """The current document with this number (a superseded version only when no other has it)."""
        hits = [d for d in self._documents.values() if d.meta.number == number]
        return next((d for d in hits if not d.meta.superseded_by), hits[0] if hits else None)

    def find_unit(self, doc_id: str, ref: str) -> Located | None:
        """'dieu-11', 'dieu-11/khoan-2', 'IV.2.8', 'regulation/dieu-3', 'II.5', 'appendix-2/I' → the unit."""
        ref = ref.strip().strip("/")
        doc = self._documents.get(doc_id)
        if doc is None:
            return None
        slugs = [p.id_slug for p in doc.parts]
        if ref.split("/", 1)[0] in set(slugs) | {"decision", "regulation", "plan", "appendix"}:
            return self.resolve(f"{doc_id}/{ref}")
        order = sorted(
            slugs,
            key=lambda s: (
                ["regulation", "decision", "plan", "appendix"].index(s.split("-")[0])
                if s.split("-")[0] in ("regulation", "decision", "plan", "appendix")
                else 9
            ),
        )
        for part in order:
            hit = self.resolve(f"{doc_id}/{part}/{ref}")
            if hit:
                return hit
        return None

    def external_status(self, number: str) -> str | None:
        for doc in self._documents.values():
            for rel in doc.meta.relations:
                if rel.target == number and rel.kind in SUPERSEDING:
                    verb = {RelationKind.repeals: "bãi bỏ", RelationKind.replaces: "thay thế"}.get(
                        rel.kind, "chấm dứt hiệu lực"
                    )
                    return f"bị {verb} bởi {doc.meta.number} ({doc.meta.province})" + (
                        f" từ {rel.effective:%d/%m/%Y}" if rel.effective else ""
                    )
        return None

    # ---- construction ---------------------------------------------------------------------------------
    @staticmethod
    def _locate(doc: Document) -> Iterator[Located]:
        for part in doc.parts:
            slug = part.slug or None
            if part.preamble:
                yield Located(part.preamble, doc, part.kind, part_slug=slug)
            for note in part.notes:
                parent = part.preamble.id if note.kind == "rationale" and part.preamble else None
                yield Located(note, doc, part.kind, parent_id=parent, part_slug=slug)
            for art in part.articles:
                yield Located(art, doc, part.kind, article=art, part_slug=slug)
                for clause in art.clauses:
                    yield Located(clause, doc, part.kind, article=art, clause=clause, parent_id=art.id, part_slug=slug)
                    for point in clause.points:
                        yield Located(
                            point,
                            doc,
                            part.kind,
                            article=art,
                            clause=clause,
                            point=point,
                            parent_id=clause.id,
                            part_slug=slug,
                        )
                for rationale in art.rationales:
                    yield Located(rationale, doc, part.kind, article=art, parent_id=art.id, part_slug=slug)
            for section in part.sections:
                parent = section.id.rsplit(".", 1)[0] if "." in section.path else None
                yield Located(section, doc, part.kind, section=section, parent_id=parent, part_slug=slug)
                for item in section.items:
                    yield Located(item, doc, part.kind, section=section, parent_id=section.id, part_slug=slug)
                for point in section.points:
                    yield Located(
                        point, doc, part.kind, section=section, point=point, parent_id=section.id, part_slug=slug
                    )
            for row in part.rows:
                yield Located(row, doc, part.kind, part_slug=slug)
            for para in part.paragraphs:
                yield Located(para, doc, part.kind, part_slug=slug)

    def _add_aliases(self, doc: Document) -> None:
        """Appendix rows numbered straight through a table also answer to their group path ("…/appendix/III.8"
        for row "8" under group III), and rows whose path carries the group to their bare STT when it is
        unique in the table."""
        for part in doc.parts:
            bare: dict[str, list[str]] = {}
            for row in part.rows:
                if row.group and not row.is_group:
                    alias = f"{doc.id}/{part.id_slug}/{row.group}.{row.path}"
                    if alias not in self._units:
                        self._aliases[alias] = row.id
                elif "." in row.path and not row.is_group:
                    bare.setdefault(row.path.split(".", 1)[1], []).append(row.id)
            for stt, ids in bare.items():
                alias = f"{doc.id}/{part.id_slug}/{stt}"
                if len(ids) == 1 and alias not in self._units:
                    self._aliases[alias] = ids[0]


def _resolve(documents: list[Document], catalog: Catalog, today: date) -> list[Document]:
    """Copies of the documents with relation targets, statuses and notes resolved (inputs untouched)."""
    catalog_docs = {d.id: d for d in catalog.documents()}
    by_number: dict[str, Document] = {}
    for d in documents:
        if d.meta.number and (d.meta.number not in by_number or by_number[d.meta.number].meta.superseded_by):
            by_number[d.meta.number] = d
    metas = {d.id: d.meta.model_copy(deep=True) for d in documents}
    for doc_id, meta in metas.items():
        entry = catalog_docs.get(doc_id)
        if entry is not None and entry.superseded_by:
            meta.superseded_by = entry.superseded_by
        if entry is not None and entry.supersedes and entry.supersedes in metas:
            metas[entry.supersedes].superseded_by = doc_id
    repealed_by: dict[str, tuple[str, Relation]] = {}
    for doc in documents:
        meta = metas[doc.id]
        for rel in meta.relations:
            target = by_number.get(rel.target)
            if target is not None and target.id != doc.id:
                rel.target, rel.target_in_corpus = target.id, True
            elif (ext := catalog.external_by_number(rel.target)) is not None:
                rel.target_label = f"QĐ {ext.number} ({ext.province}): {ext.title}"
            if rel.kind in SUPERSEDING:
                repealed_by[rel.target] = (doc.id, rel)
    for doc in documents:
        entry = catalog_docs.get(doc.id)
        if entry and entry.draft_of and entry.draft_of in metas:
            target_number = metas[entry.draft_of].number or ""
            reg = doc.part("regulation")
            rationales = [n for p in doc.parts for n in p.notes if n.kind == "rationale"] + [
                r for a in (reg.articles if reg is not None else []) for r in a.rationales
            ]
            evidence_unit = next((r for r in rationales if target_number and target_number in r.text), None) or next(
                (r for r in rationales if "kế thừa" in r.text.lower()), None
            )
            rel = Relation(
                kind=RelationKind.draft_of,
                target=entry.draft_of,
                target_in_corpus=True,
                target_label=metas[entry.draft_of].title,
                evidence=evidence_unit.text if evidence_unit else "",
                evidence_unit=evidence_unit.id if evidence_unit else None,
            )
            if rel not in metas[doc.id].relations:  # idempotent: a built corpus can be wrapped again
                metas[doc.id].relations.append(rel)
    for doc in documents:
        meta = metas[doc.id]
        hit = repealed_by.get(doc.id)
        entry = catalog_docs.get(doc.id)
        if meta.status == Status.draft:
            meta.status_evidence = (
                f"Dự thảo (cột {entry.column} của bảng so sánh), chưa được ban hành."
                if entry is not None and entry.column
                else "Dự thảo, chưa được ban hành."
            )
        elif meta.superseded_by and meta.superseded_by in metas:
            newer = metas[meta.superseded_by]
            meta.status = Status.replaced
            meta.status_evidence = (
                f"Đã có phiên bản mới hơn trong kho: {newer.doc_type} {newer.number or ''} "
                f"({newer.id}); văn bản này được giữ lại để các trích dẫn cũ vẫn tra được."
            )
        elif hit and (hit[1].effective is None or hit[1].effective <= today):
            meta.status = Status.repealed if hit[1].kind != RelationKind.replaces else Status.replaced
            meta.status_evidence = hit[1].evidence
        elif meta.effective_date and meta.effective_date > today:
            meta.status = Status.not_yet_in_force
            meta.status_evidence = f"Có hiệu lực từ {meta.effective_date:%d/%m/%Y}: {meta.effective_evidence}"
        else:
            meta.status = Status.in_force
            when = (
                f"có hiệu lực từ {meta.effective_date:%d/%m/%Y}"
                if meta.effective_date
                else "ngày hiệu lực không ghi trong văn bản được cung cấp"
            )
            meta.status_evidence = f"Đang có hiệu lực: {when}; không văn bản nào trong kho bãi bỏ hoặc thay thế."
        for rel in meta.relations:
            repealer = repealed_by.get(rel.target)
            if rel.kind in (RelationKind.implements, RelationKind.based_on) and repealer and not rel.target_in_corpus:
                by_id, how = repealer
                by = metas[by_id]
                note = (
                    f"Văn bản này dựa trên {rel.target_label}, văn bản đã bị {by.doc_type} {by.number} "
                    f"({by.province}) bãi bỏ" + (f" từ ngày {how.effective:%d/%m/%Y}" if how.effective else "") + "."
                )
                if note not in meta.notes:
                    meta.notes.append(note)
        drafts = [
            d
            for d in documents
            for r in metas[d.id].relations
            if r.kind == RelationKind.draft_of and r.target == doc.id
        ]
        for d in drafts:
            note = f"Trong kho có {metas[d.id].title} dự kiến thay thế văn bản này (chưa ban hành)."
            if note not in meta.notes:
                meta.notes.append(note)
    return [doc.model_copy(update={"meta": metas[doc.id]}) for doc in documents]


def build_corpus(
    catalog: Catalog | None = None,
    data_dir: Path = DATA_DIR,
    today: date | None = None,
    local: Path | None = None,
) -> Corpus:
    """The one builder: the catalog's sources (texts under ``data_dir``) plus, when ``local`` is a data
    directory, the documents added there with ``corpus add`` (``<local>/corpus/catalog.local.json``)."""
    catalog = catalog or load_catalog()
    where = {s.file: Path(data_dir) for s in catalog.sources}
    if local is not None:
        local_catalog = local_dir(local) / LOCAL_CATALOG
        if local_catalog.exists():
            import json

            extra = Catalog.model_validate(json.loads(local_catalog.read_text(encoding="utf-8")))
            catalog = Catalog(sources=list(catalog.sources) + list(extra.sources), external=list(catalog.external))
            where.update({s.file: local_dir(local) for s in extra.sources})
    documents: list[Document] = []
    for source in catalog.sources:
        path = where[source.file] / source.file
        stat = path.stat()
        documents.extend(_parsed(source.model_dump_json(), str(path), stat.st_mtime_ns, stat.st_size))
    return Corpus(documents, catalog, today)


@lru_cache(maxsize=256)
def _parsed(source_json: str, path: str, mtime_ns: int, size: int) -> tuple[Document, ...]:
    """Parsed documents of one source file, cached per process while the file and its entry are unchanged
    (a build reads ~0.3 s of text; ``corpus add`` and the web upload rebuild often). Safe because nothing
    mutates a parsed document: ``Corpus`` resolves metadata on copies."""
    source = CatalogSource.model_validate_json(source_json)
    return tuple(parse_source(source, read_source_text(Path(path))))


@lru_cache(maxsize=1)
def load_corpus() -> Corpus:
    return build_corpus()
