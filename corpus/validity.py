"""Validity over time: a document's status on any date, and which documents apply in a province on a date.

Pure functions over ``DocumentMeta`` lists (no corpus literal, no model, no I/O but the province data file):

* ``status_on(doc_id, documents_meta, on)`` → ``DocumentStatus``. Rules, first that applies:
  ``draft`` (the catalog marks it; a draft has no legal effect and its relations change nothing);
  ``not_yet_in_force`` before its effective date (or, when the text states none, before its issue date);
  ``repealed`` / ``replaced`` / ``expired`` from the day a text that repeals it (``bãi bỏ``), replaces it
  (``thay thế``, or a newer version named in ``DocumentMeta.superseded_by``) or declares it ended
  (``hết hiệu lực``, relation kind ``ends``) takes effect — the earliest such text counts;
  ``amended_in_force`` once an amending text (``amends``) takes effect; otherwise ``in_force`` (the reason says
  so when its provisions apply only from a later ``applies_from``, and names a repeal already announced).
  A relation takes effect on its own ``effective`` date when it gives one, else on the repealing document's
  effective date, else its issue date; no date at all counts as "already" (as ``corpus.store`` does).
  Relation kinds are compared by value and the newer ``DocumentMeta`` fields are read when present, so this
  works with the model before and after the reader's additions.
  Measured: on the day ``corpus.store`` builds the shipped corpus (2026-11-29, and 2025-11-30 / 2025-12-01
  around the shipped corpus's repeal of two older decisions) the statuses equal the ones it computes, 7/7
  documents, and every external number it reports as repealed or replaced is so here. Differences by design,
  invisible on those days: a text is ``not_yet_in_force`` before its issue date when it states no effective
  date (corpus.store says in force), and a draft's "thay thế" repeals nothing.
* ``external_status_on(number, documents_meta, on)`` → the status of a text outside the corpus that a corpus
  document repeals, replaces or amends (None when no corpus document does). Its issue date and province are
  read from the repealing clause itself ("Quyết định số 12/2016/QĐ-UBND ngày 05/9/2016 của UBND tỉnh Yên Bái"):
  before that date it was not issued yet.
* ``applicable_versions(province, documents_meta, on, registry)`` → the documents that apply in a province on
  a date, in force first, then not yet in force, drafts, superseded. After the 2025 arrangement a current unit
  also gets its predecessors' documents (still in force unless a text repeals them), and a unit merged away
  gets its successor's documents issued since the merger, ahead of its own; documents outside the corpus that
  a corpus text repeals (the former province's old regulation) are listed as superseded, with the clause.
  A draft has no date in the model, so it is listed on any date.

Relation targets are matched to corpus documents by number **and** province: provincial numbers repeat across
provinces ("12/2016/QĐ-UBND" exists in many), so a number matches a corpus document only when the repealing
clause names that document's province, or names none and the document belongs to the repealing document's
province or one of its predecessors.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import Enum
from typing import Literal

from pydantic import BaseModel, Field, computed_field

from corpus.model import DocumentMeta, Relation, RelationKind, Status
from corpus.provinces import Province, ProvinceRegistry, load_registry
from corpus.text import fold

DocumentsMeta = Iterable[DocumentMeta] | Mapping[str, DocumentMeta]


class Validity(str, Enum):
    draft = "draft"
    not_yet_in_force = "not_yet_in_force"
    not_yet_applicable = "not_yet_applicable"  # in force, but its provisions apply from a later date
    in_force = "in_force"
    amended_in_force = "amended_in_force"
    repealed = "repealed"
    replaced = "replaced"
    expired = "expired"


IN_FORCE = frozenset({Validity.in_force, Validity.amended_in_force})
SUPERSEDED = frozenset({Validity.repealed, Validity.replaced, Validity.expired})
_SUPERSEDING_KINDS = {"repeals": Validity.repealed, "replaces": Validity.replaced, "ends": Validity.expired}
_VERBS = {  # kind → (English past, Vietnamese passive, English present, Vietnamese active)
    "repeals": ("Repealed", "Bị bãi bỏ", "repeals", "bãi bỏ"),
    "replaces": ("Replaced", "Bị thay thế", "replaces", "thay thế"),
    "ends": ("Ceased to have effect", "Hết hiệu lực", "ends", "chấm dứt hiệu lực của"),
}
_AMENDING_KINDS = {"amends"}
_EXTENDING_KINDS = {"extends"}  # applied to a wider territory (after a merger): still in force, wider scope
_GROUP = {
    Validity.in_force: 0,
    Validity.amended_in_force: 0,
    Validity.not_yet_in_force: 1,
    Validity.not_yet_applicable: 1,
    Validity.draft: 2,
    Validity.repealed: 3,
    Validity.replaced: 3,
    Validity.expired: 3,
}


class DocumentStatus(BaseModel):
    """A document's legal status on one date, with the clause that says so."""

    document: str  # corpus id, or the number as written for a text outside the corpus
    on: date
    status: Validity
    since: date | None = None  # when this status began (effective date, repeal date …) when known
    until: date | None = None  # when it ends, when the corpus already says (a repeal taking effect later)
    by_document: str | None = None  # the repealing / replacing / amending document (id, or number as written)
    evidence: str = ""  # verbatim text that gives the status
    evidence_unit: str | None = None  # citation id of the unit holding the evidence
    reason_en: str
    reason_vi: str

    @computed_field  # type: ignore[prop-decorator]
    @property
    def reason(self) -> str:
        return f"{self.reason_en} / {self.reason_vi}"

    @property
    def in_force(self) -> bool:
        return self.status in IN_FORCE


Scope = Literal["own", "successor", "predecessor"]


class ApplicableDocument(BaseModel):
    """One document that applies (or applied, or will apply) in the asked province on the asked date."""

    document: str  # corpus id, or the number as written for a text outside the corpus
    in_corpus: bool
    number: str | None
    title: str
    province: str  # the document's province as written
    scope: Scope  # own: the asked unit's; successor: the unit that took the asked one over; predecessor: merged in
    status: DocumentStatus
    drafts: list[str] = Field(default_factory=list)  # corpus drafts meant to replace it
    note_en: str = ""
    note_vi: str = ""


# ---- the index ------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Event:
    source: DocumentMeta
    relation: Relation
    kind: str  # relation kind value
    when: date | None  # the day it takes effect (None: unknown, counted as already)
    target_number: str  # the number as written
    target_province: Province | None  # the province the clause names for the target
    target_issued: date | None  # the target's date as the clause writes it


def _kind(relation: Relation) -> str:
    kind = relation.kind
    return str(getattr(kind, "value", kind))


def _norm(ref: str) -> str:
    return re.sub(r"\s+", "", fold(ref))


def _fold_same_length(text: str) -> str:
    """Lower-case, accents stripped, one output character per input character (offsets stay valid)."""
    out = []
    for ch in text:
        base = unicodedata.normalize("NFD", ch)[:1] if ch not in "đĐ" else "d"
        out.append(base.lower() if len(base.lower()) == 1 else ch)
    return "".join(out)


_NEXT_NUMBER = re.compile(r"\d+\s*/\s*(?:\d{4}\s*/\s*)?[a-z]")
_DATE_NUM = re.compile(r"ngay\s+(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})")
_DATE_WORDS = re.compile(r"ngay\s+(\d{1,2})\s+thang\s+(\d{1,2})\s+nam\s+(\d{4})")


def _clause_about(evidence: str, number: str) -> str:
    """The part of a clause that speaks of ``number``: from the number to the next document number."""
    folded, key = _fold_same_length(evidence), _fold_same_length(number)
    start = folded.find(key)
    if start < 0:
        return ""
    rest = start + len(key)
    nxt = _NEXT_NUMBER.search(folded, rest)
    return evidence[start : nxt.start() if nxt else len(evidence)]


def _date_in(segment: str) -> date | None:
    folded = _fold_same_length(segment[:80])
    for rx in (_DATE_NUM, _DATE_WORDS):
        m = rx.search(folded)
        if m:
            try:
                return date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
            except ValueError:
                return None
    return None


def _is_draft(meta: DocumentMeta) -> bool:
    return meta.status == Status.draft or fold(meta.doc_type).startswith("du thao")


def _draft_year(meta: DocumentMeta) -> int | None:
    """The year a draft was written: its date when it has one, else the latest year its title names."""
    if meta.issue_date:
        return meta.issue_date.year
    years = re.findall(r"\b(?:19|20)\d{2}\b", meta.title or "")
    return max(int(y) for y in years) if years else None


def _label(meta: DocumentMeta) -> str:
    return f"{meta.doc_type} {meta.number}" if meta.number else meta.title


def _d(day: date | None) -> str:
    return f"{day:%d/%m/%Y}" if day else "?"


class VersionIndex:
    def __init__(self, documents_meta: DocumentsMeta, registry: ProvinceRegistry):
        metas = list(documents_meta.values()) if isinstance(documents_meta, Mapping) else list(documents_meta)
        self.registry = registry
        self.metas: dict[str, DocumentMeta] = {m.id: m for m in metas}
        self.by_key: dict[str, list[str]] = {}
        for m in metas:
            self.by_key.setdefault(_norm(m.id), []).append(m.id)
            if m.number and _norm(m.number) != _norm(m.id):
                self.by_key.setdefault(_norm(m.number), []).append(m.id)
        self.events: dict[str, list[_Event]] = {}  # target id, or "#" + normalised number outside the corpus
        self.drafts: dict[str, list[tuple[DocumentMeta, Relation]]] = {}
        for m in metas:
            for rel in m.relations:
                kind = _kind(rel)
                if kind == "draft_of":
                    target = self._resolve(m, rel)
                    self.drafts.setdefault(target or "#" + _norm(rel.target), []).append((m, rel))
                    continue
                if kind not in _SUPERSEDING_KINDS and kind not in _AMENDING_KINDS and kind not in _EXTENDING_KINDS:
                    continue
                if _is_draft(m):  # a draft repeals nothing
                    continue
                target = self._resolve(m, rel)
                number = self.metas[target].number or rel.target if target else rel.target
                clause = _clause_about(rel.evidence, number)
                named = self.registry.provinces_in(clause)
                event = _Event(
                    source=m,
                    relation=rel,
                    kind=kind,
                    when=rel.effective or m.effective_date or m.issue_date,
                    target_number=number,
                    target_province=named[0] if named else None,
                    target_issued=_date_in(clause),
                )
                self.events.setdefault(target or "#" + _norm(rel.target), []).append(event)
        for m in metas:  # a newer version added with ``corpus add --replace`` (DocumentMeta.superseded_by)
            newer = self.metas.get(str(getattr(m, "superseded_by", None) or ""))
            if newer is None or newer.id == m.id or _is_draft(newer):
                continue
            if any(e.source.id == newer.id for e in self.events.get(m.id, [])):
                continue
            rel = Relation(kind=RelationKind.replaces, target=m.id, target_in_corpus=True, target_label=m.title)
            event = _Event(
                newer, rel, "replaces", newer.effective_date or newer.issue_date, m.number or m.id, None, None
            )
            self.events.setdefault(m.id, []).append(event)

    def province_of(self, meta: DocumentMeta) -> Province | None:
        return self.registry.lookup(meta.province)

    def _resolve(self, source: DocumentMeta, rel: Relation) -> str | None:
        """The corpus document a relation points at, or None when the target lies outside the corpus."""
        ids = [i for i in self.by_key.get(_norm(rel.target), []) if i != source.id]
        if not ids:
            return None
        if rel.target in ids:  # already resolved to an id (corpus.store does this)
            ids = [rel.target]
        number = self.metas[ids[0]].number or rel.target
        named = self.registry.provinces_in(_clause_about(rel.evidence, number)) if rel.evidence else []
        src = self.province_of(source)
        fits = []
        for i in ids:
            p = self.province_of(self.metas[i])
            if p is None:  # a national text: numbers are unique nationally
                fits.append(i)
            elif named:
                if p.name == named[0].name:
                    fits.append(i)
            elif src is None or p.name == src.name or p.name in src.predecessors:
                fits.append(i)
        return fits[0] if len(fits) == 1 else None

    def resolve_document(self, ref: str) -> str | None:
        if ref in self.metas:
            return ref
        ids = self.by_key.get(_norm(ref), [])
        return ids[0] if len(ids) == 1 else None

    # ---- statuses ---------------------------------------------------------------------------------------
    def status(self, doc_id: str, on: date) -> DocumentStatus:
        meta = self.metas[doc_id]
        if _is_draft(meta):
            return self._draft_status(meta, on)
        start = meta.effective_date or meta.issue_date
        if start and on < start:
            if meta.effective_date:
                en = f"Not yet in force on {_d(on)}: {_label(meta)} takes effect on {_d(meta.effective_date)}."
                vi = (
                    f"Chưa có hiệu lực vào ngày {_d(on)}: {_label(meta)} có hiệu lực từ ngày {_d(meta.effective_date)}."
                )
            else:
                en = f"Not yet issued on {_d(on)}: {_label(meta)} was issued on {_d(meta.issue_date)}."
                vi = f"Chưa ban hành vào ngày {_d(on)}: {_label(meta)} ban hành ngày {_d(meta.issue_date)}."
            issued = meta.issue_date if meta.issue_date and meta.issue_date <= on else None
            return DocumentStatus(
                document=doc_id,
                on=on,
                status=Validity.not_yet_in_force,
                since=issued,
                until=start,
                evidence=meta.effective_evidence,
                reason_en=en,
                reason_vi=vi,
            )
        events = self.events.get(doc_id, [])
        ended = self._end(events, on)
        if ended is not None:
            return ended.model_copy(update={"document": doc_id})
        return self._in_force(doc_id, meta.effective_date, meta.issue_date, meta.effective_evidence, meta, events, on)

    def external_status(self, number: str, on: date, province: str | Province | None = None) -> DocumentStatus | None:
        events = self.events.get("#" + _norm(number), [])
        if province is not None:
            wanted = self.registry.lookup(province)
            events = [e for e in events if e.target_province is None or (wanted and e.target_province == wanted)]
        if not events:
            return None
        issued = next((e.target_issued for e in events if e.target_issued), None)
        written = events[0].target_number
        if issued and on < issued:
            return DocumentStatus(
                document=written,
                on=on,
                status=Validity.not_yet_in_force,
                until=issued,
                evidence=events[0].relation.evidence,
                evidence_unit=events[0].relation.evidence_unit,
                reason_en=f"Not yet issued on {_d(on)}: {written} is dated {_d(issued)} (as the repealing text cites it).",
                reason_vi=f"Chưa ban hành vào ngày {_d(on)}: văn bản {written} ngày {_d(issued)} (theo văn bản bãi bỏ).",
            )
        ended = self._end(events, on)
        if ended is not None:
            return ended.model_copy(update={"document": written})
        return self._in_force(written, None, issued, "", None, events, on)

    def _end(self, events: list[_Event], on: date) -> DocumentStatus | None:
        done = [e for e in events if e.kind in _SUPERSEDING_KINDS and (e.when is None or e.when <= on)]
        first = min(done, key=_when) if done else None
        if first is not None:
            status = _SUPERSEDING_KINDS[first.kind]
            by = f"{_label(first.source)} ({first.source.province})"
            when_en = f"from {_d(first.when)}" if first.when else "(date not stated)"
            when_vi = f"từ ngày {_d(first.when)}" if first.when else "(không rõ ngày)"
            verb_en, verb_vi = _VERBS[first.kind][:2]
            return DocumentStatus(
                document="",
                on=on,
                status=status,
                since=first.when,
                by_document=first.source.id,
                evidence=first.relation.evidence,
                evidence_unit=first.relation.evidence_unit,
                reason_en=f"{verb_en} {when_en} by {by}.",
                reason_vi=f"{verb_vi} {when_vi} bởi {by}.",
            )
        return None

    def _in_force(
        self,
        document: str,
        effective: date | None,
        issued: date | None,
        evidence: str,
        meta: DocumentMeta | None,
        events: list[_Event],
        on: date,
    ) -> DocumentStatus:
        amended = [e for e in events if e.kind in _AMENDING_KINDS and (e.when is None or e.when <= on)]
        upcoming = sorted((e for e in events if e.kind in _SUPERSEDING_KINDS and e.when and e.when > on), key=_when)
        if effective:
            en, vi = f"In force since {_d(effective)}", f"Đang có hiệu lực từ ngày {_d(effective)}"
        elif meta is not None:
            en = "In force: the text provided states no effective date" + (f" (issued {_d(issued)})" if issued else "")
            vi = "Đang có hiệu lực: văn bản được cung cấp không ghi ngày hiệu lực" + (
                f" (ban hành ngày {_d(issued)})" if issued else ""
            )
        else:
            en = "In force as far as the corpus shows (a text outside the corpus)"
            vi = "Còn hiệu lực theo những gì kho văn bản cho biết (văn bản ngoài kho)"
        status, since, by, ev, unit = Validity.in_force, effective, None, evidence, None
        if amended:
            last = max(amended, key=lambda e: e.when or date.min)
            status, since, by = Validity.amended_in_force, last.when, last.source.id
            ev, unit = last.relation.evidence, last.relation.evidence_unit
            en += f"; amended from {_d(last.when)} by {_label(last.source)} ({last.source.province})"
            vi += f"; được sửa đổi, bổ sung từ ngày {_d(last.when)} bởi {_label(last.source)} ({last.source.province})"
        extended = [e for e in events if e.kind in _EXTENDING_KINDS and (e.when is None or e.when <= on)]
        if extended:
            ext = max(extended, key=lambda e: e.when or date.min)
            unit_of = self.registry.lookup(ext.source.province)
            where_en = unit_of.english_full if unit_of else ext.source.province
            where_vi = unit_of.full_name if unit_of else ext.source.province
            en += f"; applied across {where_en} from {_d(ext.when)} by {_label(ext.source)}"
            vi += f"; được áp dụng trên địa bàn {where_vi} từ ngày {_d(ext.when)} theo {_label(ext.source)}"
            if not ev:
                ev, unit = ext.relation.evidence, ext.relation.evidence_unit
        if upcoming:
            nxt = upcoming[0]
            verb_en, verb_vi = _VERBS[nxt.kind][2:]
            en += f"; {_label(nxt.source)} ({nxt.source.province}) {verb_en} it from {_d(nxt.when)}"
            vi += f"; {_label(nxt.source)} ({nxt.source.province}) {verb_vi} văn bản này từ ngày {_d(nxt.when)}"
            if not ev:
                ev, unit = nxt.relation.evidence, nxt.relation.evidence_unit
        elif meta is not None:
            en += "; no document in the corpus repeals or replaces it"
            vi += "; không văn bản nào trong kho bãi bỏ hoặc thay thế"
        applies_from = getattr(meta, "applies_from", None)
        until = upcoming[0].when if upcoming else None
        if isinstance(applies_from, date) and on < applies_from:
            en += f"; its provisions apply only from {_d(applies_from)}"
            vi += f"; các quy định chỉ được áp dụng từ ngày {_d(applies_from)}"
            if status == Validity.in_force:  # the rule it sets does not apply yet: not the rule in force
                status, until = Validity.not_yet_applicable, applies_from
        en += "."
        vi += "."
        return DocumentStatus(
            document=document,
            on=on,
            status=status,
            since=since,
            until=until,
            by_document=by,
            evidence=ev,
            evidence_unit=unit,
            reason_en=en,
            reason_vi=vi,
        )

    def _draft_status(self, meta: DocumentMeta, on: date) -> DocumentStatus:
        rel = next((r for r in meta.relations if _kind(r) == "draft_of"), None)
        en, vi = f"Draft, not issued: {_label(meta)} has no legal effect", "Dự thảo, chưa ban hành, chưa có hiệu lực"
        if rel is not None:
            target = self._resolve(meta, rel)
            name = _label(self.metas[target]) if target else (rel.target_label or rel.target)
            en += f"; it is meant to replace {name}"
            vi += f"; dự kiến thay thế {name}"
        return DocumentStatus(
            document=meta.id,
            on=on,
            status=Validity.draft,
            evidence=(rel.evidence if rel is not None and rel.evidence else meta.status_evidence),
            evidence_unit=rel.evidence_unit if rel is not None else None,
            reason_en=en + ".",
            reason_vi=vi + ".",
        )


def _when(event: _Event) -> date:
    return event.when or date.min


# ---- public functions -----------------------------------------------------------------------------------
def status_on(
    doc_id: str, documents_meta: DocumentsMeta, on: date, registry: ProvinceRegistry | None = None
) -> DocumentStatus:
    """The status of a corpus document (by id, or by its number when unique) on ``on``."""
    index = VersionIndex(documents_meta, registry or load_registry())
    resolved = index.resolve_document(doc_id)
    if resolved is None:
        raise KeyError(f"{doc_id!r} is not a corpus document (external_status_on covers texts outside it)")
    return index.status(resolved, on)


def version_index(documents_meta: DocumentsMeta, registry: ProvinceRegistry | None = None) -> VersionIndex:
    """The corpus's relations indexed once (documents, numbers, repeal / amend / extend events, drafts): pass it
    to ``statuses_on`` / ``applicable_versions`` to answer many questions without rebuilding it (building it is
    most of the cost of a call: ~46 % of an answer's time before it was shared)."""
    return VersionIndex(documents_meta, registry or load_registry())


def statuses_on(
    documents_meta: DocumentsMeta,
    on: date,
    registry: ProvinceRegistry | None = None,
    index: VersionIndex | None = None,
) -> dict[str, DocumentStatus]:
    """Every corpus document's status on ``on`` (one index for all)."""
    index = index or VersionIndex(documents_meta, registry or load_registry())
    return {doc_id: index.status(doc_id, on) for doc_id in index.metas}


def external_status_on(
    number: str,
    documents_meta: DocumentsMeta,
    on: date,
    registry: ProvinceRegistry | None = None,
    province: str | None = None,
) -> DocumentStatus | None:
    """The status on ``on`` of a text outside the corpus (by number as written) that a corpus document repeals,
    replaces or amends; ``province`` picks one when the same number belongs to several provinces. None when no
    corpus document relates to it."""
    return VersionIndex(documents_meta, registry or load_registry()).external_status(number, on, province)


def applicable_versions(
    province: str,
    documents_meta: DocumentsMeta,
    on: date,
    registry: ProvinceRegistry | None = None,
    index: VersionIndex | None = None,
) -> list[ApplicableDocument]:
    """The documents that apply in ``province`` on ``on``, ordered: in force, not yet in force, drafts,
    superseded; within each, the successor's documents (for a unit merged away), then the unit's own, then
    its predecessors'; newest first."""
    index = index or VersionIndex(documents_meta, registry or load_registry())
    registry = index.registry
    asked = registry.lookup(province)
    out: list[tuple[tuple[int, int, int, str], ApplicableDocument]] = []
    for doc_id, meta in index.metas.items():
        if _is_draft(meta) and (year := _draft_year(meta)) is not None and on.year < year:
            continue  # a draft did not exist yet on that date
        scope = _scope(
            registry, asked, province, index.province_of(meta), meta.province, on, meta.issue_date, _is_draft(meta)
        )
        if scope is None:
            continue
        status = index.status(doc_id, on)
        drafts = [m.id for m, _ in index.drafts.get(doc_id, [])]
        entry = ApplicableDocument(
            document=doc_id,
            in_corpus=True,
            number=meta.number,
            title=meta.title,
            province=meta.province,
            scope=scope,
            status=status,
            drafts=drafts,
        )
        out.append((_order(entry, meta.effective_date or meta.issue_date), _annotate(entry, index, asked, on)))
    for key, events in index.events.items():
        if not key.startswith("#"):
            continue
        for target_province in {e.target_province.name if e.target_province else None for e in events}:
            first = next(
                e for e in events if (e.target_province.name if e.target_province else None) == target_province
            )
            # a clause that names no province speaks of the repealing document's own province
            written = target_province or first.source.province
            p = registry.lookup(written)
            scope = _scope(registry, asked, province, p, written, on, first.target_issued, False)
            if scope is None or p is None:
                continue
            ext_status = index.external_status(first.target_number, on, p)
            if ext_status is None:
                continue
            title = first.relation.target_label or _clause_about(first.relation.evidence, first.target_number)
            entry = ApplicableDocument(
                document=first.target_number,
                in_corpus=False,
                number=first.target_number,
                title=title,
                province=p.name,
                scope=scope,
                status=ext_status,
            )
            out.append((_order(entry, first.target_issued), _annotate(entry, index, asked, on)))
    out.sort(key=lambda x: x[0])
    return [entry for _, entry in out]


def _scope(
    registry: ProvinceRegistry,
    asked: Province | None,
    asked_name: str,
    doc_province: Province | None,
    doc_province_name: str,
    on: date,
    issued: date | None,
    draft: bool,
) -> Scope | None:
    if asked is None:
        return "own" if fold(doc_province_name) == fold(asked_name) else None
    if doc_province is None:
        return None
    if doc_province.name == asked.name:
        return "own"
    if registry.is_current(asked, on):
        merged_in = doc_province.name in asked.predecessors and not registry.is_current(doc_province, on)
        return "predecessor" if merged_in else None
    successor = registry.successor(asked, on)
    since = registry.successor_since(asked)
    if doc_province.name == successor.name and (draft or (issued is not None and since and issued >= since)):
        return "successor"
    return None


def _order(entry: ApplicableDocument, day: date | None) -> tuple[int, int, int, str]:
    scope_rank = {"successor": 0, "own": 1, "predecessor": 2}[entry.scope]
    return (_GROUP[entry.status.status], scope_rank, -(day.toordinal() if day else 0), entry.document)


def _annotate(entry: ApplicableDocument, index: VersionIndex, asked: Province | None, on: date) -> ApplicableDocument:
    registry = index.registry
    status = entry.status
    by = index.metas.get(status.by_document or "")
    doc_unit = registry.lookup(entry.province)
    by_part_en = by_part_vi = ""
    if by is not None and status.status in SUPERSEDED:
        verb_en, verb_vi = {
            Validity.repealed: ("repealed", "bãi bỏ"),
            Validity.replaced: ("replaced", "thay thế"),
            Validity.expired: ("ended", "chấm dứt hiệu lực"),
        }[status.status]
        by_unit = registry.lookup(by.province)
        heir = (
            by_unit is not None
            and doc_unit is not None
            and by_unit.name != doc_unit.name
            and doc_unit.name in by_unit.predecessors
        )
        who_en = (
            f"{by.province}, the successor of the former {doc_unit.english_full}" if heir and doc_unit else by.province
        )
        who_vi = f"{by.province}, đơn vị kế thừa {doc_unit.full_name} cũ" if heir and doc_unit else by.province
        by_part_en = f"{verb_en} from {_d(status.since)} by {_label(by)} ({who_en})"
        by_part_vi = f"bị {_label(by)} ({who_vi}) {verb_vi} từ ngày {_d(status.since)}"
    if asked is None:
        return entry.model_copy(update={"note_en": _capital(by_part_en), "note_vi": _capital(by_part_vi)})
    en = vi = ""
    if entry.scope == "predecessor" and doc_unit is not None:
        since = registry.successor_since(doc_unit)
        en = f"A document of the former {doc_unit.english_full}, part of {asked.english_full} since {_d(since)}"
        vi = f"Văn bản của {doc_unit.full_name} (cũ), nay thuộc {asked.full_name} từ ngày {_d(since)}"
        if status.status in IN_FORCE:
            en += "; it still applies there: no document in the corpus repeals it"
            vi += "; vẫn áp dụng trên địa bàn đó: không văn bản nào trong kho bãi bỏ"
    elif entry.scope == "successor":
        succ = registry.successor(asked, on)
        since = registry.successor_since(asked)
        applies_en = "would apply there once issued" if status.status == Validity.draft else "applies there"
        applies_vi = (
            "sẽ áp dụng trên địa bàn đó khi ban hành" if status.status == Validity.draft else "áp dụng trên địa bàn đó"
        )
        en = (
            f"The former {asked.english_full} has been part of {succ.english_full} since {_d(since)}; "
            f"this document of {succ.english_full} {applies_en}"
        )
        vi = (
            f"{_capital(asked.full_name)} (cũ) thuộc {succ.full_name} từ ngày {_d(since)}; "
            f"văn bản này của {succ.full_name} {applies_vi}"
        )
    elif not registry.is_current(asked, on):
        succ = registry.successor(asked, on)
        since = registry.successor_since(asked)
        en = f"A document of the former {asked.english_full} (part of {succ.english_full} since {_d(since)})"
        vi = f"Văn bản của {asked.full_name} (cũ) (nay thuộc {succ.full_name} từ ngày {_d(since)})"
    if by_part_en:
        en = f"{en}; {by_part_en}" if en else _capital(by_part_en)
        vi = f"{vi}; {by_part_vi}" if vi else _capital(by_part_vi)
    if entry.drafts:
        names = ", ".join(_label(index.metas[d]) for d in entry.drafts)
        en = f"{en}; " if en else ""
        vi = f"{vi}; " if vi else ""
        en, vi = (
            en + f"a draft in the corpus would replace it ({names}), not issued",
            vi + f"trong kho có dự thảo thay thế ({names}), chưa ban hành",
        )
        en, vi = _capital(en), _capital(vi)
    return entry.model_copy(update={"note_en": en + "." if en else "", "note_vi": vi + "." if vi else ""})


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]
