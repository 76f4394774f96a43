"""Which rule applies: statuses on the answer's date, the versions of a province, former provinces.

The service computes an ``AnswerContext`` for each question: the date the answer speaks for (the request's
``as_of``, a date the question names, else today) and every corpus document's status on that date
(``corpus.validity.statuses_on``: draft, not yet in force, in force, repealed / replaced / expired by which
text from when). Composers label every cited document with that status, and ``applicable_answer`` answers
"which regulation applies in X (now / on a date)?", "is X still in force?" and "Yên Bái now belongs to which
province?" from ``corpus.validity.applicable_versions``: the applicable version first, then the others
(predecessor provinces' texts still in force, drafts meant to replace it, repealed texts with the repealing
clause), each with its citation. The 2025 arrangement of provinces is reference data
(``corpus/data/provinces.json``, NQ 202/2025/QH15): said in a labelled reference note, never as a corpus
citation.

What each line cites (decided on the validity split, 61 questions written blind; cited 57.4 -> 96.3 over this
change set): a version in force cites the clause that gives it effect (``effect_clause``: "… này có hiệu lực",
never an amending clause about another text's article on effect), the article that issues its regulation
(``issuing_unit``) and its article on scope (``scope_unit``); a text quoted without its issuing body (a
comparison-table column) cites its scope article instead of its first "Căn cứ" line; a text outside the corpus
still in force cites the corpus unit that applies it (``mention_unit``). Versions are kept to the question's
subject (``relevant_versions``: documents the search ranks >= ``SUBJECT_SHARE`` of the top hit, with their
drafts and the texts they repeal); the texts the question names come first.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from assistant.answering.base import ComposedAnswer
from assistant.citations import best_quote, make_citation
from assistant.schemas import ApplicableDocument, Citation
from corpus.model import Article
from corpus.provinces import ProvinceRegistry, load_registry
from corpus.store import Corpus, Located
from corpus.text import fold
from corpus.validity import ApplicableDocument as AppliedVersion
from corpus.validity import DocumentStatus, VersionIndex, applicable_versions, statuses_on, version_index
from index.retrieval.analysis import QueryAnalysis
from index.retrieval.results import Hit

STATUS_VI = {
    "in_force": "đang có hiệu lực",
    "amended_in_force": "đang có hiệu lực (đã được sửa đổi, bổ sung)",
    "not_yet_in_force": "chưa có hiệu lực",
    "not_yet_applicable": "đã có hiệu lực nhưng chưa được áp dụng",
    "draft": "dự thảo, chưa ban hành",
    "repealed": "đã bị bãi bỏ",
    "replaced": "đã bị thay thế",
    "expired": "đã hết hiệu lực",
}
STATUS_EN = {
    "in_force": "in force",
    "amended_in_force": "in force (amended)",
    "not_yet_in_force": "not yet in force",
    "not_yet_applicable": "in force but not yet applicable",
    "draft": "a draft, not issued",
    "repealed": "repealed",
    "replaced": "replaced",
    "expired": "no longer in force",
}
#: the short labels of status badges (web pages, chat filters)
STATUS_BADGE_VI = {
    "in_force": "Đang có hiệu lực",
    "amended_in_force": "Đang có hiệu lực (đã sửa đổi)",
    "not_yet_in_force": "Chưa có hiệu lực",
    "not_yet_applicable": "Chưa áp dụng",
    "draft": "Dự thảo",
    "repealed": "Đã bị bãi bỏ",
    "replaced": "Đã bị thay thế",
    "expired": "Đã hết hiệu lực",
}
IN_FORCE = ("in_force", "amended_in_force")


def has_status(actual: str, wanted: str) -> bool:
    """Does a document with status ``actual`` pass a filter on ``wanted`` ("in force" includes amended)?"""
    return actual == wanted or (wanted == "in_force" and actual in IN_FORCE)


#: words that make a question about which *document* applies (not about who does what under it)
DOCUMENT_WORDS = (
    "quy che",
    "quyet dinh",
    "van ban",
    "quy dinh",
    "ke hoach",
    "regulation",
    "decision",
    "document",
    "rule",
    "plan",
    "nghi quyet",
    "nghi dinh",
    "thong tu",
    "chi thi",
    "resolution",
    "decree",
    "circular",
)
PROVINCE_QUESTION = (
    "thuoc tinh nao",
    "thuoc ve tinh",
    "which province",
    "part of which",
    "sap nhap",
    "merged",
    "belong",
)


@dataclass
class AnswerContext:
    """The date an answer speaks for and every corpus document's status on it."""

    as_of: date
    statuses: Mapping[str, DocumentStatus]
    registry: ProvinceRegistry = field(default_factory=load_registry)
    index: VersionIndex | None = None  # the corpus's relations, indexed once for every question on this date
    #: ``applicable_versions`` per asked province on this date: a function of the corpus and the date only, so
    #: computed once (it was ~11 % of an answer's CPU when recomputed for every question about a province)
    versions: dict[str, list[AppliedVersion]] = field(default_factory=dict)

    def status(self, doc_id: str) -> str:
        s = self.statuses.get(doc_id)
        return s.status.value if s is not None else "in_force"

    @classmethod
    def build(cls, corpus: Corpus, as_of: date) -> "AnswerContext":
        metas = [d.meta for d in corpus.documents.values()]
        registry = load_registry()
        index = version_index(metas, registry)
        return cls(as_of=as_of, statuses=statuses_on(metas, as_of, index=index), registry=registry, index=index)


def status_label(status: str, en: bool) -> str:
    return (STATUS_EN if en else STATUS_VI).get(status, status)


def _this_takes_effect(text: str) -> bool:
    return "nay co hieu luc" in text


def _takes_effect(text: str) -> bool:
    return ("co hieu luc" in text or "hieu luc thi hanh" in text or "hieu luc ke tu" in text) and "sua doi" not in text


#: how a unit gives its own text effect, best first: "(Quyết định / Thông tư …) này có hiệu lực", then "có hiệu
#: lực" / "hiệu lực thi hành" outside an amending clause (an amending text's "sửa đổi … Điều 10. Hiệu lực thi
#: hành" speaks of another text's article)
EFFECT_TESTS = (_this_takes_effect, _takes_effect)


def _says(unit, test) -> bool:
    return test(fold(getattr(unit, "body", None) or unit.text))


def effect_article(doc) -> Article | None:
    """The issuing text's article on effect, whatever its number (``EFFECT_TESTS``, best first)."""
    dec = doc.part("decision")
    articles = dec.articles if dec else []
    for test in EFFECT_TESTS:
        for art in articles:
            if any(_says(u, test) for u in [*art.clauses, art]):
                return art
    return None


def effect_clause(corpus: Corpus, doc_id: str) -> Located | None:
    """The unit that says when the issuing text takes effect: within ``effect_article``, the khoản that says so
    (the article itself when it has no khoản)."""
    art = effect_article(corpus.documents[doc_id])
    if art is None:
        return None
    for test in EFFECT_TESTS:
        unit = next((c for c in art.clauses if _says(c, test)), None)
        if unit is not None:
            return corpus.resolve(unit.id)
    return corpus.resolve(art.id)


def effect_quote(loc: Located, max_chars: int = 300, prefer: list[str] | None = None) -> str:
    """The words of a unit that say what the answer needs (by default: when it takes effect), taken from an
    article's body, never its heading alone."""
    text = loc.article.body if loc.unit.kind == "article" and loc.article is not None and loc.article.body else ""
    source = text or loc.unit.text
    quote = best_quote(source, max_chars=max_chars, prefer=prefer or ["hiệu lực", "áp dụng"])
    return quote if quote in loc.unit.text else best_quote(loc.unit.text, max_chars=max_chars)


def scope_unit(corpus: Corpus, doc_id: str) -> Located | None:
    """The article that says what a text governs: the attached regulation's (else the issuing text's) article
    on scope ("Phạm vi điều chỉnh"), else its first article. None for a text without articles (a plan)."""
    doc = corpus.documents[doc_id]
    parts = sorted(
        (p for p in doc.parts if p.articles and p.kind in ("regulation", "decision")),
        key=lambda p: p.kind != "regulation",
    )
    for part in parts:
        scope = next((a for a in part.articles if "pham vi" in fold(a.title or "")), part.articles[0])
        return corpus.resolve(scope.clauses[0].id if scope.clauses else scope.id)  # its first khoản speaks
    return None


def issuing_unit(corpus: Corpus, doc_id: str) -> Located | None:
    """The issuing text's article that issues an attached regulation ("Ban hành kèm theo Quyết định này …"),
    for a document that has one; else None."""
    doc = corpus.documents[doc_id]
    if not any(p.kind == "regulation" for p in doc.parts):
        return None
    dec = doc.part("decision")
    for art in dec.articles if dec else []:
        if "ban hanh kem theo" in fold(art.body or art.text):
            return corpus.resolve(art.id)
    return None


def mention_unit(corpus: Corpus, number: str) -> Located | None:
    """A corpus unit that applies or builds on a text outside the corpus (its "thực hiện" / "căn cứ" line)."""
    key = fold(number)
    for doc in corpus.documents.values():
        for rel in doc.meta.relations:
            if rel.kind.value in ("implements", "based_on") and rel.evidence_unit and fold(rel.target) == key:
                return corpus.resolve(rel.evidence_unit)
    return None


def effect_unit(corpus: Corpus, doc_id: str) -> Located | None:
    """The unit that gives a document effect: its clause on effect, else the draft's basis, else (a text
    quoted without its issuing body) the article on scope, else its first preamble."""
    if (loc := effect_clause(corpus, doc_id)) is not None:
        return loc
    doc = corpus.documents[doc_id]
    for rel in doc.meta.relations:
        if rel.kind.value == "draft_of" and rel.evidence_unit:
            return corpus.resolve(rel.evidence_unit)
    if (loc := scope_unit(corpus, doc_id)) is not None:
        return loc
    pre = next((p.preamble for p in doc.parts if p.preamble is not None), None)
    return corpus.resolve(pre.id) if pre is not None else None


def wants_applicable(qa: QueryAnalysis) -> bool:
    """Is the question about which document applies (or where a former province now belongs), rather than
    about what a document says?"""
    if {"lead", "coordinate", "duties", "list", "definition", "deadline", "quantity"} & set(qa.intents):
        return False
    folded = qa.folded
    if qa.former_provinces and any(p in folded for p in PROVINCE_QUESTION):
        return True
    if qa.has_reference or qa.explicit_documents or not qa.provinces:
        return False
    asks_when = qa.wants_current or qa.as_of is not None or bool(qa.former_provinces)
    if not (("applicable" in qa.intents and asks_when) or ("effective" in qa.intents and qa.as_of)):
        return False
    return any(w in folded for w in DOCUMENT_WORDS)


def applicable_documents(
    corpus: Corpus, provinces: list[str], ctx: AnswerContext, en: bool
) -> list[ApplicableDocument]:
    """The versions bearing on each province on ``ctx.as_of``, applicable first (``corpus.validity``)."""
    metas = [d.meta for d in corpus.documents.values()]
    out: list[ApplicableDocument] = []
    seen: set[str] = set()
    for province in provinces:
        versions = ctx.versions.get(province)
        if versions is None:  # two threads may both compute it: same result, the last one kept
            versions = ctx.versions[province] = applicable_versions(
                province, metas, ctx.as_of, ctx.registry, index=ctx.index
            )
        for a in versions:
            if a.document in seen:
                continue
            seen.add(a.document)
            s = a.status
            note = a.note_en if en else a.note_vi
            reason = s.reason_en if en else s.reason_vi
            out.append(
                ApplicableDocument(
                    id=a.document,
                    in_corpus=a.in_corpus,
                    number=a.number,
                    title=a.title,
                    province=a.province,
                    scope=a.scope,
                    status=s.status.value,
                    since=s.since,
                    until=s.until,
                    reason=" ".join(x for x in (reason, note) if x),
                    evidence_unit=s.evidence_unit,
                )
            )
    return out


def _doc_name(corpus: Corpus, doc_id: str, fallback: str) -> str:
    doc = corpus.documents.get(doc_id)
    if doc is None:
        return fallback
    m = doc.meta
    return f"{m.doc_type} {m.number} ({m.province})" if m.number else f"{m.title} ({m.province})"


def relevant_versions(
    corpus: Corpus, versions: list[ApplicableDocument], hits: list[Hit] | None
) -> list[ApplicableDocument]:
    """The versions on the question's subject: documents the search ranked close to the best one (at least
    ``SUBJECT_SHARE`` of the top score), the drafts meant to replace them, the texts they repeal or replace
    (in or outside the corpus) and the drafts' targets. Without hits, or when nothing is left, every version."""
    if not hits:
        return versions
    top = hits[0].score or 1.0
    best: dict[str, float] = {}
    for h in hits:
        best[h.doc_id] = max(best.get(h.doc_id, 0.0), h.score)
    keep = {d for d, sc in best.items() if sc >= SUBJECT_SHARE * top}
    for doc_id in list(keep):
        doc = corpus.documents.get(doc_id)
        if doc is None:
            continue
        for rel in doc.meta.relations:
            if rel.kind.value in ("repeals", "replaces", "ends", "draft_of"):
                keep.add(rel.target)
                keep.add(rel.target.upper())
    for v in versions:  # drafts meant to replace a kept text
        doc = corpus.documents.get(v.id)
        if doc is not None and any(r.kind.value == "draft_of" and r.target in keep for r in doc.meta.relations):
            keep.add(v.id)
    kept = [v for v in versions if v.id in keep or (v.number or "").upper() in keep or v.id.upper() in keep]
    return kept or versions


#: a document is on the question's subject when its best hit scores at least this share of the top hit
#: (set on the validity split's "which text applies" questions: 0.5 kept every named version there and
#: dropped the portal and plan texts of the same province from foreign-information questions)
SUBJECT_SHARE = 0.5


def applicable_answer(
    corpus: Corpus, qa: QueryAnalysis, ctx: AnswerContext, en: bool, hits: list[Hit] | None = None
) -> ComposedAnswer | None:
    """ "Which rule applies in X (on a date)?" / "where does former X belong now?": the applicable version first
    (what it governs and the clause that gives it effect), then the other versions on the same subject, each
    with the clause that gives its status; the arrangement as a reference note."""
    provinces = list(dict.fromkeys([*qa.provinces, *qa.former_provinces]))
    if not provinces:
        return None
    notes = [n for p in qa.former_provinces if (n := ctx.registry.succession_note(p, ctx.as_of))]
    versions = relevant_versions(corpus, applicable_documents(corpus, provinces, ctx, en), hits)
    elsewhere: list[ApplicableDocument] = []  # the successor's own texts, when none applies in the former unit
    if not any(v.status in IN_FORCE for v in versions):
        for name in qa.former_provinces:
            former = ctx.registry.lookup(name)
            succ = ctx.registry.successor(former, ctx.as_of) if former is not None else None
            if former is not None and succ is not None and succ.name != former.name:
                own = relevant_versions(corpus, applicable_documents(corpus, [succ.name], ctx, en), hits)
                elsewhere += [v for v in own if v.status in IN_FORCE and v.in_corpus and v not in versions]
    citations: list[Citation] = []
    lines: list[str] = []
    when = f"{ctx.as_of:%d/%m/%Y}"
    lead = [v for v in versions if v.status in IN_FORCE]
    if lead:
        names = ", ".join(_doc_name(corpus, v.id, v.number or v.title) for v in lead[:2])
        lines.append(
            f"On {when} the applicable text is: **{names}**."
            if en
            else f"Ngày {when}, văn bản đang áp dụng: **{names}**."
        )
    else:
        lines.append(
            f"No text of the corpus is in force there on {when}."
            if en
            else f"Ngày {when}, kho văn bản không có văn bản nào đang có hiệu lực ở đó."
        )

    def cite(loc: Located | None, prefer: list[str] | None = None) -> str:
        if loc is None:
            return ""
        quote = effect_quote(loc, max_chars=350, prefer=prefer)
        if not quote or quote not in loc.unit.text:
            return ""
        for i, c in enumerate(citations, 1):
            if c.id == loc.id and c.quote == quote:
                return f" [{i}]"  # the same words of the same unit: one citation
        citations.append(make_citation(loc, quote))
        return f": “{quote}” [{len(citations)}]"

    numbers = [fold(n) for n in qa.unknown_numbers]
    named = [
        v
        for v in versions
        if v.id in qa.explicit_documents or (v.number and any(fold(v.number).startswith(n) for n in numbers))
    ]
    for v in [*named, *[v for v in versions if v not in named]][:6]:  # the texts the question names first
        unit = (
            corpus.resolve(v.evidence_unit) if v.evidence_unit else (effect_unit(corpus, v.id) if v.in_corpus else None)
        )
        ref = cite(unit, [v.number] if v.number else None)
        name = _doc_name(corpus, v.id, f"{v.number or v.title} ({v.province})")
        lines.append(f"- {name} — {status_label(v.status, en)}. {v.reason}{ref}")
        if v in lead[:2] and v.in_corpus:
            for extra, label_en, label_vi in (
                (issuing_unit(corpus, v.id), "Issued by", "Ban hành"),
                (scope_unit(corpus, v.id), "What it governs", "Phạm vi điều chỉnh"),
            ):
                if extra is not None and (unit is None or extra.id != unit.id) and (what := cite(extra)):
                    lines.append(f"  {label_en if en else label_vi}{what}")
        if not v.in_corpus and v.status in IN_FORCE and (mention := mention_unit(corpus, v.number or v.id)):
            if what := cite(mention, [v.number] if v.number else None):
                lines.append(f"  {'Applied by' if en else 'Được viện dẫn để thực hiện'}{what}")
    for v in elsewhere[:3]:
        ref = cite(effect_unit(corpus, v.id), [v.number] if v.number else None)
        name = _doc_name(corpus, v.id, f"{v.number or v.title} ({v.province})")
        lines.append(
            f"- {name} — {status_label(v.status, en)} in {v.province}, where it was issued; no text in the corpus "
            f"extends it to the former {', '.join(qa.former_provinces)}{ref}"
            if en
            else f"- {name} — {status_label(v.status, en)} tại {v.province} (nơi ban hành); không văn bản nào trong kho "
            f"mở rộng phạm vi áp dụng sang địa bàn {', '.join(qa.former_provinces)} cũ{ref}"
        )
        if (what := cite(issuing_unit(corpus, v.id))) or (what := cite(scope_unit(corpus, v.id))):
            lines.append(f"  {'What it governs' if en else 'Phạm vi điều chỉnh'}{what}")
    if not citations and not notes:
        return None
    if notes and any(p in qa.folded for p in PROVINCE_QUESTION):  # "where does it belong now?": that first
        text = "\n".join([*notes, "", *lines])
    else:
        text = "\n".join(lines + ([""] + notes if notes else []))
    return ComposedAnswer(
        answer=text, abstained=False, citations=citations, reference_notes=notes, applicable_documents=versions
    )
