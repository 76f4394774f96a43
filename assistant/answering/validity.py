"""Answers about documents rather than their rules: validity, relations to other texts, legal bases.

Every statement is read from the document model (dates, statuses, relations) and quoted from the unit that
says it (the article on effect, the repealing clause, the "Căn cứ" lines), each with its citation.
"""

from __future__ import annotations

import re
from datetime import date

from assistant.answering.base import ComposedAnswer
from assistant.answering.versions import (
    EFFECT_TESTS,
    AnswerContext,
    effect_article,
    effect_clause,
    effect_quote,
    effect_unit,
    scope_unit,
    status_label,
)
from assistant.answering.wording import abstain
from assistant.citations import best_quote, make_citation
from assistant.schemas import Citation
from corpus.store import Corpus, Located
from corpus.text import fold
from index.retrieval.analysis import QueryAnalysis
from index.retrieval.results import Hit


def relations_to(corpus: Corpus, numbers: list[str]):
    """``(document, relation)`` for every relation of a corpus text to a text numbered one of ``numbers`` ("10/2016"
    matches "10/2016/QĐ-UBND"): number and year compared, the rest of the reference as written may vary."""
    prefixes = tuple("/".join(n.split("/")[:2]).upper().replace("Đ", "D") for n in numbers)
    for doc in corpus.documents.values():
        for rel in doc.meta.relations:
            if rel.target.upper().replace("Đ", "D").startswith(prefixes):
                yield doc, rel


def external(
    corpus: Corpus,
    qa: QueryAnalysis,
    en: bool,
    context: AnswerContext | None = None,
    hits: list[Hit] | None = None,
) -> ComposedAnswer | None:
    """A document outside the corpus that a corpus text repeals, replaces, ends or amends: say so, citing the
    clause that does it and the clause that gives that text effect, whether the old text was still in force on
    the answer's date, and (for an amendment) the provision of the amending text the question is about."""
    citations: list[Citation] = []
    lines: list[str] = []

    def cite(loc: Located, quote: str) -> int:
        for n, c in enumerate(citations, 1):
            if c.id == loc.id:
                return n
        citations.append(make_citation(loc, quote))
        return len(citations)

    for num in qa.unknown_numbers:
        for doc, rel in relations_to(corpus, [num]):
            if rel.kind.value not in EXTERNAL_VERBS or not rel.evidence_unit:
                continue
            ev = corpus.resolve(rel.evidence_unit)
            if ev is None or any(c.id == ev.id for c in citations):
                continue
            # an extension's clause also says until when the text applies: quote it whole when it is short
            size = 650 if rel.kind.value == "extends" else 450
            quote = best_quote(ev.unit.text, max_chars=size, prefer=[rel.target])
            n = cite(ev, quote)
            verb_vi, verb_en, still = EXTERNAL_VERBS[rel.kind.value]
            effective = rel.effective or doc.meta.effective_date
            when = f"{effective:%d/%m/%Y}" if effective else ""
            by = f"{doc.meta.doc_type} {doc.meta.number} ({doc.meta.province})"
            before = context is not None and effective is not None and context.as_of < effective
            day = f"{context.as_of:%d/%m/%Y}" if context is not None else ""
            if rel.kind.value == "extends":  # applied to the issuing authority's whole territory
                until = next(
                    (
                        p.strip()
                        for p in ev.unit.text.split("\n")
                        if UNTIL_RE.search(fold(p)) and p.strip() and p.strip() not in quote
                    ),
                    None,
                )
                if until:
                    citations.append(make_citation(ev, until))
                    quote_until = f"; {'until' if en else 'đến khi'}: “{until}” [{len(citations)}]"
                else:
                    quote_until = ""
                lines.append(
                    (
                        f"{rel.target_label} is applied across {doc.meta.province} by {by}"
                        + (f" from {when}" if when else "")
                        + f"; in its words: “{quote}” [{n}]{quote_until}"
                    )
                    if en
                    else (
                        f"{rel.target_label} được {by} áp dụng trên địa bàn {doc.meta.province}"
                        + (f" kể từ ngày {when}" if when else "")
                        + f"; theo văn bản: “{quote}” [{n}]{quote_until}"
                    )
                )
            elif en:
                tail = (
                    f"on {day} that had not yet happened, so {rel.target_label} still applied as it stood"
                    if before
                    else ("it remains in force as amended" if still else "so it is no longer in force")
                )
                lines.append(
                    f"{rel.target_label} was {verb_en} by {by}"
                    + (f" with effect from {when}" if when else "")
                    + f"; {tail}: “{quote}” [{n}]"
                )
            else:
                tail = (
                    f"ngày {day} việc này chưa có hiệu lực, nên {rel.target_label} vẫn được áp dụng như cũ"
                    if before
                    else (
                        "văn bản vẫn còn hiệu lực với nội dung đã được sửa đổi" if still else "nên không còn hiệu lực"
                    )
                )
                lines.append(
                    f"{rel.target_label} đã bị {verb_vi} bởi {by}"
                    + (f" kể từ ngày {when}" if when else "")
                    + f", {tail}: “{quote}” [{n}]"
                )
            effect = effect_clause(corpus, doc.id)
            if effect is not None and effect.id != ev.id and not any(c.id == effect.id for c in citations):
                q = effect_quote(effect)
                m = cite(effect, q)
                lines.append(f"- {'Effect of' if en else 'Hiệu lực của'} {by}: “{q}” [{m}]")
            if still and hits:  # the amending text's provision on the question's point
                for h in hits[:3]:
                    if h.doc_id != doc.id:
                        continue
                    for uid in [*h.units, h.id]:
                        loc = corpus.resolve(uid)
                        if loc is None or any(c.id == loc.id for c in citations) or loc.unit.kind == "preamble":
                            continue
                        if ev.id.startswith(loc.id + "/"):
                            continue  # the article that holds the amending clause: already quoted
                        q = best_quote(loc.unit.text, max_chars=400, query=qa.text)
                        m = cite(loc, q)
                        lines.append(
                            f"- {'The provision on this point' if en else 'Quy định về nội dung được hỏi'}: “{q}” [{m}]"
                        )
                        break
                    break
    if not citations:
        return None
    return ComposedAnswer(answer="\n".join(lines), abstained=False, citations=citations)


#: relation kind -> (Vietnamese verb, English verb, still in force afterwards)
EXTERNAL_VERBS = {
    "repeals": ("bãi bỏ", "repealed", False),
    "replaces": ("thay thế", "replaced", False),
    "ends": ("tuyên bố hết hiệu lực", "declared no longer in force", False),
    "amends": ("sửa đổi, bổ sung", "amended", True),
    "extends": ("áp dụng trên địa bàn mới", "applied across the new territory", True),
}


def legal_basis(corpus: Corpus, qa: QueryAnalysis, hits: list[Hit], en: bool) -> ComposedAnswer | None:
    docs = qa.documents or qa.explicit_documents or [hits[0].doc_id]
    citations, lines = [], []
    for doc_id in docs[:3]:
        doc = corpus.get(doc_id)
        pre = next((p.preamble for p in doc.parts if p.preamble is not None and p.kind == "decision"), None) or next(
            (p.preamble for p in doc.parts if p.preamble is not None), None
        )
        if pre is None:
            continue
        loc = corpus.resolve(pre.id)
        lines.append(f"**{pre.label}**")
        for para in pre.text.split("\n"):
            if para.startswith(("Căn cứ", "Thực hiện")):
                quote = para if len(para) <= 400 else best_quote(para, max_chars=400)
                citations.append(make_citation(loc, quote))
                lines.append(f"- “{quote}” [{len(citations)}]")
        if "comparison" in qa.intents and doc.part("decision") and doc.part("decision").notes:
            for note in doc.part("decision").notes:
                nloc = corpus.resolve(note.id)
                quote = best_quote(note.text, max_chars=400)
                citations.append(make_citation(nloc, quote))
                lines.append(
                    f"- {'Drafters’ rationale' if en else 'Lý do của cơ quan soạn thảo'}: “{quote}” [{len(citations)}]"
                )
    if not citations:
        return None
    intro = "Legal bases cited:" if en else "Các căn cứ pháp lý được viện dẫn:"
    return ComposedAnswer(answer="\n".join([intro, *lines]), abstained=False, citations=citations)


UNTIL_RE = re.compile(r"khong con (?:duoc )?ap dung|cho den khi|den khi co|until")
DRAFT_RE = re.compile(r"\b(du thao|draft)\b")
RELATION_VI = {"repeals": "bãi bỏ", "replaces": "thay thế", "amends": "sửa đổi, bổ sung", "ends": "làm hết hiệu lực"}
RELATION_EN = {"repeals": "repeals", "replaces": "replaces", "amends": "amends", "ends": "ends the effect of"}


def _relations_by_unit(meta) -> dict[str, list]:
    """The document's repeal / replace / amend / end relations grouped by the unit that states them."""
    out: dict[str, list] = {}
    for rel in meta.relations:
        if rel.kind.value in RELATION_VI and rel.evidence_unit:
            out.setdefault(rel.evidence_unit, []).append(rel)
    return out


def _effect_paragraph(body: str) -> str:
    paras = [p for p in body.split("\n") if p.strip()]
    return next((p for p in paras if "hieu luc" in fold(p)), paras[0] if paras else body)


def validity_documents(corpus: Corpus, qa: QueryAnalysis, hits: list[Hit]) -> list[str]:
    """The texts a validity answer speaks of: those the question names, else those in scope, else the best hit's."""
    docs = qa.explicit_documents or qa.documents or [hits[0].doc_id]
    if "relation" in qa.intents and DRAFT_RE.search(qa.folded):  # "has the draft replaced X yet?": the drafts too
        docs = [*docs, *(d for d in qa.documents if corpus.get(d).meta.status.value == "draft" and d not in docs)]
    return docs


def unstated_effect(corpus: Corpus, qa: QueryAnalysis, docs: list[str], en: bool) -> str | None:
    """For a question on when the one text asked about takes effect, where that text (as the corpus holds it)
    states no effective date and has no article on effect: that, said plainly. None otherwise."""
    if "effective" not in qa.intents or len(docs) != 1:
        return None
    m = corpus.get(docs[0]).meta
    if (
        m.effective_date is not None
        or m.status.value == "draft"
        or effect_article(corpus.documents[docs[0]]) is not None
    ):
        return None
    if en:
        return (
            f"The corpus has no provision on the effective date of {m.doc_type} {m.number or ''} ({m.province}): "
            "the text, as the corpus holds it, states none."
        )
    issued = f" (ban hành ngày {m.issue_date:%d/%m/%Y})" if m.issue_date else ""
    return (
        f"Kho văn bản không có điều khoản về hiệu lực của {m.doc_type} {m.number or ''} ({m.province}){issued}: "
        "văn bản, như có trong kho, không nêu ngày có hiệu lực."
    )


def validity(
    corpus: Corpus, qa: QueryAnalysis, hits: list[Hit], en: bool, context: AnswerContext | None = None
) -> ComposedAnswer | None:
    docs = validity_documents(corpus, qa, hits)
    if reason := unstated_effect(corpus, qa, docs, en):
        return abstain(corpus, reason, reason, en)
    citations, lines = [], []
    for doc_id in docs[:3]:
        doc = corpus.get(doc_id)
        m = doc.meta
        name = f"{m.doc_type} {m.number or ''} ({m.province})".replace("  ", " ")
        if "relation" in qa.intents:  # the clauses that repeal / replace / amend / end other texts, first
            ranked = {u: n for n, h in enumerate(hits) for u in [h.id, *h.units]}
            by_unit = _relations_by_unit(m)
            # the clauses the search ranked first (the relation the question is about), then the others
            order = sorted(
                by_unit,
                key=lambda u: min(
                    [99] + [r for k, r in ranked.items() if k == u or k.startswith(u + "/") or u.startswith(k + "/")]
                ),
            )
            for unit_id in order:
                rels = by_unit[unit_id]
                loc = corpus.resolve(unit_id)
                if loc is None or any(c.id == unit_id for c in citations):
                    continue
                quote = best_quote(loc.unit.text, max_chars=450, prefer=[r.target for r in rels])
                if quote not in loc.unit.text:
                    continue
                citations.append(make_citation(loc, quote))
                targets = ", ".join(r.target_label or r.target for r in rels)
                verb = RELATION_EN[rels[0].kind.value] if en else RELATION_VI[rels[0].kind.value]
                effect = ""
                if m.effective_date:
                    effect = (
                        f" (in effect from {m.effective_date:%d/%m/%Y})"
                        if en
                        else f" (có hiệu lực từ ngày {m.effective_date:%d/%m/%Y})"
                    )
                lines.append(f"- {name}{effect} {verb} {targets}: “{quote}” [{len(citations)}]")
        art2 = effect_article(doc)
        if art2 is not None and any(c.id == art2.id for c in citations):
            art2 = None  # its relation lines above already quote it
        state = context.status(doc_id) if context is not None else m.status.value
        status = status_label(state, en)
        name = f"{m.doc_type} {m.number or ''} ({m.province})".replace("  ", " ")
        if art2 is not None:
            loc = corpus.resolve(art2.id)
            effect_clause = next((c for test in EFFECT_TESTS for c in art2.clauses if test(fold(c.text))), None)
            if effect_clause is not None and "relation" not in qa.intents:
                loc = corpus.resolve(effect_clause.id)  # the khoản that gives effect, not the whole article
            terms = (
                [r.target for r in m.relations if r.kind.value in ("repeals", "replaces")]
                if "relation" in qa.intents
                else []
            )
            source = loc.unit.text if loc.unit.id != art2.id else (art2.body if terms else _effect_paragraph(art2.body))
            quote = best_quote(source, max_chars=450, prefer=terms or None)
            if quote not in loc.unit.text:
                quote = best_quote(loc.unit.text)
            if loc.unit.id == art2.id:  # the khoản that holds the words quoted, when one does
                holder = next((c for c in art2.clauses if quote in c.text), None)
                loc = corpus.resolve(holder.id) if holder is not None else loc
            citations.append(make_citation(loc, quote))
            if en:
                eff = (
                    f"takes effect on {m.effective_date:%d/%m/%Y}" if m.effective_date else "effective date not stated"
                )
                when = (
                    f"on {context.as_of:%d/%m/%Y} it was"
                    if context is not None and context.as_of != date.today()
                    else "it is"
                )
                lines.append(f"- {name} {eff}; {when} {status}: “{quote}” [{len(citations)}]")
            else:
                eff = (
                    f"có hiệu lực từ ngày {m.effective_date:%d/%m/%Y}"
                    if m.effective_date
                    else "không ghi ngày hiệu lực"
                )
                when = (
                    f"ngày {context.as_of:%d/%m/%Y}"
                    if context is not None and context.as_of != date.today()
                    else "hiện"
                )
                lines.append(f"- {name} {eff}; {when} {status}: “{quote}” [{len(citations)}]")
        elif (
            m.status.value != "draft"
            and {"relation", "applicable"} & set(qa.intents)
            and scope_unit(corpus, doc_id) is not None
            and (loc := effect_unit(corpus, doc_id)) is not None
        ):
            # a text quoted without its clause on effect (a comparison-table column): its status on the date,
            # with what it governs
            reason = context.statuses.get(doc_id) if context is not None else None
            why = (reason.reason_en if en else reason.reason_vi) if reason is not None else ""
            quote = best_quote(loc.unit.text, max_chars=350)
            if quote in loc.unit.text:
                citations.append(make_citation(loc, quote))
                lines.append(f"- {name} — {status}. {why} “{quote}” [{len(citations)}]")
        elif m.status.value == "draft" and not any(c.document_id == doc_id for c in citations):
            rel = next((r for r in m.relations if r.kind.value == "draft_of" and r.evidence_unit), None)
            reg = doc.part("regulation")
            loc = (
                corpus.resolve(rel.evidence_unit)
                if rel
                else (corpus.resolve(reg.articles[-1].id) if reg and reg.articles else None)
            )
            if loc is not None:
                target = corpus.get(rel.target).meta.number if rel else None
                quote = best_quote(loc.unit.text, max_chars=450, prefer=[target] if target else None)
                citations.append(make_citation(loc, quote))
                base = (
                    f" It builds on {target}." if (en and target) else (f" Dự thảo kế thừa {target}." if target else "")
                )
                lines.append(
                    (
                        f"- {m.title} is a draft (not adopted).{base} “{quote}” [{len(citations)}]"
                        if en
                        else f"- {m.title} là dự thảo, chưa được ban hành.{base} “{quote}” [{len(citations)}]"
                    )
                )
        if state == "not_yet_in_force":  # until it takes effect, the texts it repeals or replaces still apply
            by_unit = _relations_by_unit(m)
            for unit_id, rels in by_unit.items():
                rels = [r for r in rels if r.kind.value in ("repeals", "replaces", "ends")]
                loc = corpus.resolve(unit_id)
                if not rels or loc is None:
                    continue
                names = ", ".join(r.target_label or r.target for r in rels)
                known = next(  # reuse a citation only when its words already name the texts
                    (
                        n
                        for n, c in enumerate(citations, 1)
                        if c.id == unit_id and any(r.target.split("/")[0] in c.quote for r in rels)
                    ),
                    None,
                )
                if known is None:
                    quote = best_quote(loc.unit.text, max_chars=450, prefer=[r.target for r in rels])
                    if quote not in loc.unit.text:
                        continue
                    citations.append(make_citation(loc, quote))
                    ref = f": “{quote}” [{len(citations)}]"
                else:
                    ref = f" [{known}]"
                eff = f"{m.effective_date:%d/%m/%Y}" if m.effective_date else ""
                lines.append(
                    f"- Until {name} takes effect{' on ' + eff if eff else ''}, the texts it repeals or replaces still "
                    f"apply: {names}{ref}"
                    if en
                    else f"- Trước khi {name} có hiệu lực{' (ngày ' + eff + ')' if eff else ''}, các văn bản mà nó bãi "
                    f"bỏ hoặc thay thế vẫn được áp dụng: {names}{ref}"
                )
        for rel in m.relations:
            if rel.kind.value in ("implements", "based_on") and not rel.target_in_corpus:
                by = next(
                    (
                        d
                        for d in corpus.documents.values()
                        for r in d.meta.relations
                        if r.target == rel.target and r.kind.value in ("repeals", "replaces")
                    ),
                    None,
                )
                if by is None:
                    continue
                r = next(
                    r for r in by.meta.relations if r.target == rel.target and r.kind.value in ("repeals", "replaces")
                )
                ev = corpus.resolve(r.evidence_unit) if r.evidence_unit else None
                if ev is None:
                    continue
                own = corpus.resolve(rel.evidence_unit) if rel.evidence_unit else None
                if own is not None and not any(c.id == own.id for c in citations):
                    q = best_quote(own.unit.text, max_chars=350, prefer=[rel.target])
                    if q in own.unit.text:
                        citations.append(make_citation(own, q))
                        lines.append(
                            f"- {name} {'refers to' if en else 'viện dẫn'} {rel.target_label}: “{q}” [{len(citations)}]"
                        )
                quote = best_quote(ev.unit.text, max_chars=450, prefer=[rel.target])
                citations.append(make_citation(ev, quote))
                when = f" từ ngày {r.effective:%d/%m/%Y}" if r.effective else ""
                lines.append(
                    (
                        f"- {name} applies {rel.target_label}, which {by.meta.doc_type} {by.meta.number} ({by.meta.province}) repeals"
                        f"{' from ' + format(r.effective, '%d/%m/%Y') if r.effective else ''}: “{quote}” [{len(citations)}]"
                    )
                    if en
                    else (
                        f"- {name} áp dụng {rel.target_label}; văn bản này bị {by.meta.doc_type} {by.meta.number} "
                        f"({by.meta.province}) bãi bỏ{when}: “{quote}” [{len(citations)}]"
                    )
                )
        for note in m.notes:
            if "dự kiến thay thế" in note:
                lines.append(f"- {note}")
    if not citations:
        return None
    return ComposedAnswer(answer="\n".join(lines), abstained=False, citations=citations)


def metadata_answer(corpus: Corpus, qa: QueryAnalysis, hits: list[Hit], en: bool) -> ComposedAnswer | None:
    """Who signed a document, when and by whom it was issued, its number: read from its header and signature
    block (no numbered unit holds them, so the answer says where they come from instead of citing a unit)."""
    docs = qa.explicit_documents or (qa.documents if len(qa.documents) == 1 else [])
    if not docs and hits:
        docs = [hits[0].doc_id]
    if len(docs) != 1:
        return None
    m = corpus.documents[docs[0]].meta
    name = f"{m.doc_type} {m.number or ''} ({m.province})".replace("  ", " ")
    parts = []
    if en:
        if m.issuer:
            parts.append(f"issued by {m.issuer}")
        if m.issue_date:
            parts.append(f"dated {m.issue_date:%d/%m/%Y}")
        if m.signer:
            parts.append(f"signed by {m.signer}" + (f" ({m.signer_title})" if m.signer_title else ""))
        if m.effective_date:
            parts.append(f"effective from {m.effective_date:%d/%m/%Y}")
        source = "From the document's header and signature block (not a numbered provision):"
    else:
        if m.issuer:
            parts.append(f"do {m.issuer} ban hành")
        if m.issue_date:
            parts.append(f"ngày {m.issue_date:%d/%m/%Y}")
        if m.signer:
            parts.append(f"người ký: {m.signer}" + (f" ({m.signer_title})" if m.signer_title else ""))
        if m.effective_date:
            parts.append(f"có hiệu lực từ ngày {m.effective_date:%d/%m/%Y}")
        source = "Theo phần đầu và phần ký của văn bản (không phải một điều, khoản):"
    if not parts:
        return None
    asked = [field for field, words in METADATA_ASKED.items() if words.search(qa.folded)]
    unknown = [field for field in asked if not getattr(m, field)]
    if asked and unknown == asked:
        # every fact asked is one the text does not give ("the name of the chairman who signed" a text whose
        # signature block names no one, "the number and date" of a draft): said plainly, with what it does give
        said = (" and " if en else " và ").join(METADATA_UNKNOWN[field][en] for field in unknown)
        reason = (
            f"The text of {name} does not give {said}. What it does give: " + "; ".join(parts) + "."
            if en
            else f"Văn bản {name} không ghi {said}. Văn bản chỉ cho biết: " + "; ".join(parts) + "."
        )
        return ComposedAnswer(answer=reason, abstained=True)
    citations, lines = _metadata_support(corpus, qa, docs[0], en)
    if citations:  # the parts a unit states are quoted below: the header is no longer the only source
        source = source.split(" (")[0] + ":"
    note = f"{source} {name}: " + "; ".join(parts) + "."
    return ComposedAnswer(
        answer="\n".join([note, *lines]), abstained=False, citations=citations, reference_notes=[note]
    )


#: the header facts a metadata question asks for (folded), by their ``DocumentMeta`` field, and how an answer names
#: one the text does not give
METADATA_ASKED = {
    "signer": re.compile(r"\b(ai|nguoi) (da )?ky\b|\bky boi\b|\bwho signed\b|\bsign(ed by|er|atory)\b|\bky ten\b"),
    "issue_date": re.compile(
        r"\bngay nao\b|\b(ky|ban hanh) (vao )?(ngay|khi) nao\b|\b(what|which) date\b|\bwhen was\b.{0,60}\b(signed|issued)"
        r"|\bdate of (signing|issue)\b|\bissue date\b"
    ),
    "number": re.compile(r"\bso (may|bao nhieu|hieu|ky hieu|nao)\b|\bwhat number\b|\bnumber did\b|\bits number\b"),
}
METADATA_UNKNOWN = {
    "signer": {False: "tên người ký", True: "the signer's name"},
    "issue_date": {False: "ngày ký, ban hành", True: "the date it was signed or issued"},
    "number": {False: "số, ký hiệu", True: "its number"},
}


# what a metadata question may also ask that a numbered unit states: when the text takes effect (its clause on
# effect), on whose proposal it was issued (the "Theo đề nghị của …" line of its legal bases)
EFFECT_ASKED_RE = re.compile(r"hieu luc|take[sn]? effect|took effect|effective|in force|come into force")
PROPOSAL_ASKED_RE = re.compile(
    r"de nghi|de xuat|to trinh|\btrinh\b|propos|submi(t|ssion)|recommend|at the request|put (it )?forward|tabled"
)
PROPOSAL_OPENINGS = ("theo de nghi", "xet de nghi", "xet to trinh")
#: the review a draft went through before it was issued: the Sở Tư pháp's appraisal of a decision ("ý kiến thẩm định
#: của Sở Tư pháp tại Báo cáo số …"), a People's Council committee's verification of a resolution ("Báo cáo thẩm tra
#: số …"); asked, and its line in the legal bases (folded)
REVIEW_ASKED_RE = re.compile(r"\btham (dinh|tra)\b|\bapprais|\bvetted\b|\bverification report")
REVIEW_LINE_RE = re.compile(r"\b(y kien tham dinh|bao cao tham (dinh|tra)|tham (dinh|tra) (cua|so|tai))\b")


BASIS_QUOTE_CHARS = 400
BASIS_LABELS = {
    (False, False): "Theo đề nghị",
    (False, True): "Proposed by",
    (True, False): "Thẩm định, thẩm tra",
    (True, True): "Reviewed",
}


def _basis_line(bases: str, review: bool) -> str | None:
    """The line of a text's legal bases a metadata question asks for: the one naming the review of the draft
    (``review``), else the proposal ("Theo đề nghị …", "Xét Tờ trình …"), up to the line ending it (the reader keeps
    a basis that wraps over lines). Of a long paragraph of several bases, the one naming the review."""
    paras = bases.split("\n")
    if review:
        at = next((i for i, p in enumerate(paras) if REVIEW_LINE_RE.search(fold(p))), None)
    else:
        at = next((i for i, p in enumerate(paras) if fold(p).startswith(PROPOSAL_OPENINGS)), None)
    if at is None:
        return None
    end = next((j for j in range(at, len(paras)) if paras[j].rstrip().endswith((";", ".", ":"))), at)
    line = "\n".join(paras[at : min(end, at + 3) + 1])
    if review and len(line) > BASIS_QUOTE_CHARS:  # "…; Báo cáo thẩm tra số …; …": the basis naming the review
        line = next((p for p in re.split(r"(?<=;)\s+", line) if REVIEW_LINE_RE.search(fold(p))), line)
    return line


def _metadata_support(corpus: Corpus, qa: QueryAnalysis, doc_id: str, en: bool) -> tuple[list[Citation], list[str]]:
    """Citations for the parts of a metadata answer that a unit states: the clause on effect when the question
    asks when the text takes effect, the proposal line of the legal bases when it asks who proposed it."""
    citations: list[Citation] = []
    lines: list[str] = []
    if "effective" in qa.intents or EFFECT_ASKED_RE.search(qa.folded):
        loc = effect_clause(corpus, doc_id)
        if loc is not None:
            quote = effect_quote(loc)
            if quote in loc.unit.text:
                citations.append(make_citation(loc, quote))
                lines.append(f"- {loc.unit.label}: “{quote}” [{len(citations)}]")
    review = bool(REVIEW_ASKED_RE.search(qa.folded))
    if review or PROPOSAL_ASKED_RE.search(qa.folded):
        for part in corpus.documents[doc_id].parts:
            basis = _basis_line(part.preamble.text, review) if part.preamble is not None else None
            if basis is not None:
                quote = basis if len(basis) <= BASIS_QUOTE_CHARS else best_quote(basis, max_chars=BASIS_QUOTE_CHARS)
                citations.append(make_citation(corpus.resolve(part.preamble.id), quote))
                lines.append(f"- {BASIS_LABELS[review, en]}: “{quote}” [{len(citations)}]")
                break
    return citations, lines
