"""Composers turn a question + retrieved units into an answer with citations.

``Composer`` is the interface (an LLM-backed composer through llama-index can implement it later);
``ExtractiveComposer`` is grounded by construction: every sentence it states about the corpus is a
verbatim quote or a fact read from the document model, each with its citation. The service verifies
every citation afterwards either way.
"""

from __future__ import annotations

import re
from typing import Protocol

from pydantic import BaseModel, Field

from assistant.citations import best_quote, make_citation
from assistant.schemas import Citation
from corpus.store import Corpus, Located
from corpus.text import fold
from index.glossary import english_gloss
from index.query import QueryAnalysis
from index.retriever import Hit, SearchResult

STATUS_VI = {"in_force": "đang có hiệu lực", "not_yet_in_force": "chưa có hiệu lực", "draft": "dự thảo",
             "repealed": "đã bị bãi bỏ", "replaced": "đã bị thay thế"}
STATUS_EN = {"in_force": "in force", "not_yet_in_force": "not yet in force", "draft": "a draft",
             "repealed": "repealed", "replaced": "replaced"}


NOT_QUANTITY_RE = re.compile(
    r"\d+/\d{4}/[A-ZĐa-zđ\-]+|\d{1,2}/\d{1,2}(?:/\d{4})?|\b(?:19|20)\d{2}\b|(?:Điều|khoản|Khoản|điểm|số|Chương)\s+\d+|^\s*\d+\.?\s|\[\d+\]|"
    r"\d{1,2} tháng \d{1,2}|\b\d+-[A-Z]+/[A-Z]+|\d+/[A-Z]+-[A-Z]+")


def states_quantity(text: str) -> bool:
    """Does the text state an amount or a count (not only dates, years and document numbers)?"""
    return bool(re.search(r"\d", NOT_QUANTITY_RE.sub(" ", text)))


class Draft(BaseModel):
    answer: str
    abstained: bool
    citations: list[Citation] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)


class Composer(Protocol):
    def compose(self, question: str, analysis: QueryAnalysis, search: SearchResult) -> Draft: ...


def gloss(name: str, en: bool) -> str:
    if not en:
        return name
    g = english_gloss(name)
    return f"{name} ({g})" if g else name


GENERIC_INTRO_EN = "According to the corpus (quotes in Vietnamese, as written):"
GENERIC_INTRO_VI = "Theo văn bản:"


class ExtractiveComposer:
    def __init__(self, corpus: Corpus, abstain_below: float = 0.35):
        self.corpus = corpus
        self.abstain_below = abstain_below
        self._folded: dict[str, str] = {}  # document id -> its whole text, accent-folded (built on first use)

    # ---- abstentions ------------------------------------------------------------------------
    def coverage_note(self, en: bool) -> str:
        provinces = sorted({d.meta.province for d in self.corpus.documents.values()})
        if en:
            return ("The corpus covers foreign-information regulations and plans of: " + ", ".join(provinces) + ".")
        return "Kho văn bản hiện có quy chế, kế hoạch thông tin đối ngoại của: " + ", ".join(provinces) + "."

    def abstain(self, reason_vi: str, reason_en: str, en: bool) -> Draft:
        text = (reason_en if en else reason_vi) + " " + self.coverage_note(en)
        return Draft(answer=text, abstained=True)

    # ---- main -------------------------------------------------------------------------------
    def compose(self, question: str, qa: QueryAnalysis, search: SearchResult) -> Draft:
        en = qa.language == "en"
        if qa.other_provinces and not qa.provinces and not qa.explicit_documents:
            names = ", ".join(qa.other_provinces)
            return self.abstain(f"Kho văn bản không có văn bản nào của {names}, nên không thể trả lời câu hỏi này.",
                                f"The corpus has no document of {names}, so this cannot be answered.", en)
        if qa.unknown_numbers and not qa.explicit_documents:
            known = self.external(qa, en)
            if known is not None:
                return known
            nums = ", ".join(qa.unknown_numbers)
            return self.abstain(f"Kho văn bản không có văn bản số {nums}.", f"The corpus has no document numbered {nums}.", en)
        if search.not_found:
            return self.abstain(f"Không tìm thấy: {search.not_found}.", f"Not found: {search.not_found}.", en)
        if not search.hits or search.confidence < self.abstain_below:
            return self.abstain("Kho văn bản không có nội dung trả lời được câu hỏi này.",
                                "The corpus does not contain an answer to this question.", en)
        hits = self.select(qa, search.hits)
        if "legal_basis" in qa.intents and not qa.has_reference:
            draft = self.legal_basis(qa, hits, en)
            if draft:
                return draft
        if "effective" in qa.intents or ("relation" in qa.intents and not qa.has_reference):
            draft = self.validity(qa, hits, en)
            if draft:
                return draft
        draft = self.quote_answer(qa, hits, en)
        if "quantity" in qa.intents and not any(states_quantity(c.quote) for c in draft.citations):
            return self.abstain("Các văn bản trong kho không nêu con số (mức tiền, số lượng) mà câu hỏi yêu cầu.",
                                "The documents in the corpus do not state the figure (amount, number) asked for.", en)
        return draft

    def external(self, qa: QueryAnalysis, en: bool) -> Draft | None:
        """A document outside the corpus that a corpus text repeals or replaces: say so, citing that text."""
        citations, lines = [], []
        for num in qa.unknown_numbers:
            for doc in self.corpus.documents.values():
                for rel in doc.meta.relations:
                    prefix = "/".join(num.split("/")[:2])
                    if not rel.target.startswith(prefix) or rel.kind.value not in ("repeals", "replaces") or not rel.evidence_unit:
                        continue
                    ev = self.corpus.resolve(rel.evidence_unit)
                    quote = best_quote(ev.unit.text, max_chars=450, prefer=[rel.target])
                    citations.append(make_citation(ev, quote))
                    verb_vi = "bãi bỏ" if rel.kind.value == "repeals" else "thay thế"
                    verb_en = "repealed" if rel.kind.value == "repeals" else "replaced"
                    when = f"{rel.effective:%d/%m/%Y}" if rel.effective else ""
                    lines.append(
                        (f"{rel.target_label} was {verb_en} by {doc.meta.doc_type} {doc.meta.number} ({doc.meta.province})"
                         + (f" with effect from {when}" if when else "") + f", so it is no longer in force: “{quote}” [{len(citations)}]")
                        if en else
                        (f"{rel.target_label} đã bị {verb_vi} bởi {doc.meta.doc_type} {doc.meta.number} ({doc.meta.province})"
                         + (f" kể từ ngày {when}" if when else "") + f", nên không còn hiệu lực: “{quote}” [{len(citations)}]"))
        if not citations:
            return None
        return Draft(answer="\n".join(lines), abstained=False, citations=citations)

    def legal_basis(self, qa: QueryAnalysis, hits: list[Hit], en: bool) -> Draft | None:
        docs = qa.documents or qa.explicit_documents or [hits[0].doc_id]
        citations, lines = [], []
        for doc_id in docs[:3]:
            doc = self.corpus.get(doc_id)
            pre = next((p.preamble for p in doc.parts if p.preamble is not None and p.kind == "decision"), None) \
                or next((p.preamble for p in doc.parts if p.preamble is not None), None)
            if pre is None:
                continue
            loc = self.corpus.resolve(pre.id)
            lines.append(f"**{pre.label}**")
            for para in pre.text.split("\n"):
                if para.startswith(("Căn cứ", "Thực hiện")):
                    quote = para if len(para) <= 400 else best_quote(para, max_chars=400)
                    citations.append(make_citation(loc, quote))
                    lines.append(f"- “{quote}” [{len(citations)}]")
            if "comparison" in qa.intents and doc.part("decision") and doc.part("decision").notes:
                for note in doc.part("decision").notes:
                    nloc = self.corpus.resolve(note.id)
                    quote = best_quote(note.text, max_chars=400)
                    citations.append(make_citation(nloc, quote))
                    lines.append(f"- {'Drafters’ rationale' if en else 'Lý do của cơ quan soạn thảo'}: “{quote}” [{len(citations)}]")
        if not citations:
            return None
        intro = "Legal bases cited:" if en else "Các căn cứ pháp lý được viện dẫn:"
        return Draft(answer="\n".join([intro, *lines]), abstained=False, citations=citations)

    def counterparts(self, hit: Hit, docs: list[str]) -> list[Hit]:
        """Articles of the other versions shown in the same comparison-table row."""
        loc = self.corpus.resolve(hit.id)
        if loc is None or loc.article is None or not loc.article.table_rows:
            return []
        rows = set(loc.article.table_rows)
        out = []
        for doc_id in docs:
            if doc_id == hit.doc_id:
                continue
            part = self.corpus.get(doc_id).part("regulation")
            for art in part.articles if part else []:
                if rows & set(art.table_rows):
                    out.append(Hit(id=art.id, score=hit.score, label=art.label, doc_id=doc_id))
                    break
        return out

    def select(self, qa: QueryAnalysis, hits: list[Hit]) -> list[Hit]:
        if hits[0].direct:
            return [h for h in hits if h.direct][:3]
        versions = [d for d in qa.documents if self.corpus.get(d).meta.source_file == self.corpus.get(hits[0].doc_id).meta.source_file]
        if "comparison" in qa.intents and len(versions) > 1:
            top = hits[0]
            return [top] + self.counterparts(top, versions)
        multi = "comparison" in qa.intents or len(qa.provinces) > 1
        if multi:
            seen, out = set(), []
            for h in hits:
                if h.doc_id not in seen:
                    seen.add(h.doc_id)
                    out.append(h)
            return out[:4]
        top = hits[0]
        out = [top]
        for h in hits[1:3]:
            if h.score >= 0.85 * top.score and h.doc_id == top.doc_id:
                out.append(h)
        return out

    def units_for(self, hit: Hit, qa: QueryAnalysis, limit: int = 2) -> list[Located]:
        article = self.corpus.resolve(hit.id)
        candidates = [self.corpus.resolve(u) for u in hit.units] or [article]
        candidates = [c for c in candidates if c is not None]
        if hit.direct:
            loc = candidates[0]
            return [loc]
        prefer = self.prefer_terms(qa)
        ranked = sorted(candidates, key=lambda c: -sum(fold(p) in fold(c.unit.text) for p in prefer))
        ranked = [c for c in ranked if c.unit.kind != "rationale"] + (
            [c for c in ranked if c.unit.kind == "rationale"] if "rationale" in qa.intents or "comparison" in qa.intents else [])
        if ("rationale" in qa.intents or "comparison" in qa.intents) and article.article is not None:
            for r in article.article.rationales:
                loc = self.corpus.resolve(r.id)
                if loc and loc not in ranked:
                    ranked.append(loc)
        return ranked[: limit + (1 if "rationale" in qa.intents else 0)] or [article]

    def prefer_terms(self, qa: QueryAnalysis) -> list[str]:
        prefer = []
        if "lead" in qa.intents:
            prefer.append("chủ trì")
        if "coordinate" in qa.intents:
            prefer.append("phối hợp")
        if "deadline" in qa.intents or "report" in qa.intents:
            prefer += ["trước ngày", "hằng năm", "hàng năm"]
        return prefer + qa.agencies

    def quote_for(self, loc: Located, qa: QueryAnalysis, max_chars: int = 450) -> str:
        text = loc.unit.text
        if loc.unit.kind == "appendix_row" and len(text) <= 900:
            return text  # task, lead, coordinating units and time belong together
        if loc.unit.kind == "article" and loc.article is not None and loc.article.body:
            text = loc.article.body  # the heading alone says nothing
        query = qa.lexical_query if qa.language == "en" else qa.text
        return best_quote(text, max_chars=max_chars, prefer=self.prefer_terms(qa), query=query)

    def list_units(self, article: Located, cap: int = 16) -> list[Located]:
        """Every clause (and its points) of an article, or every item of a plan section."""
        out: list[Located] = []
        if article.article is not None:
            for c in article.article.clauses:
                out.append(self.corpus.resolve(c.id))
                out += [self.corpus.resolve(p.id) for p in c.points]
        elif article.section is not None:
            out = [self.corpus.resolve(i.id) for i in article.section.items]
        return out[:cap]

    def wants_whole_list(self, qa: QueryAnalysis, article: Located) -> bool:
        if article.section is not None and article.unit.kind == "section":
            return bool({"list", "duties"} & set(qa.intents)) and len(article.section.items) > 0
        art = article.article
        if art is None or not art.clauses:
            return False
        return bool({"list", "duties"} & set(qa.intents)) or (
            "definition" in qa.intents and len(art.clauses) <= 8)

    def quote_answer(self, qa: QueryAnalysis, hits: list[Hit], en: bool) -> Draft:
        citations: list[Citation] = []
        lines: list[str] = []
        warnings: list[str] = []
        multi = len(hits) > 1
        for hit in hits:
            article = self.corpus.resolve(hit.id)
            doc = article.document
            status = doc.meta.status.value
            head = article.unit.label
            title = article.article.title if article.article is not None else getattr(article.unit, "title", None)
            if title and article.article is not None:
                head = head.replace(f"Điều {article.article.number} —", f"Điều {article.article.number}. {gloss(title, en)} —", 1)
            elif title and article.section is not None:
                head = head.replace(f"Mục {article.section.path} ({title})", f"Mục {article.section.path}. {gloss(title, en)}", 1)
            if status != "in_force":
                head += f" — {STATUS_EN[status] if en else STATUS_VI[status]}"
                warnings.append(f"{doc.meta.title}: {STATUS_EN[status] if en else STATUS_VI[status]}")
            lines.append(f"**{head}**")
            if hit.direct and article.article is not None and hit.units == [article.id]:
                units = [self.corpus.resolve(c.id) for c in article.article.clauses] or [article]
                max_chars = 300
            elif self.wants_whole_list(qa, article) and (not multi or "list" in qa.intents):
                units = self.list_units(article, cap=10 if multi else 16)
                max_chars = 220 if multi else 300
            else:
                units = self.units_for(hit, qa)
                max_chars = 450
            for loc in units:
                if any(c.id == loc.id for c in citations):
                    continue  # one citation per unit
                quote = self.quote_for(loc, qa, max_chars)
                citations.append(make_citation(loc, quote))
                lead = self._lead_phrase(qa, loc, quote, en)
                lines.append(f"- {lead}“{quote}” [{len(citations)}]")
            if (set(qa.intents) & {"comparison", "rationale"}) and article.article is not None:
                for r in article.article.rationales[:1]:
                    loc = self.corpus.resolve(r.id)
                    quote = best_quote(r.text, max_chars=400)
                    citations.append(make_citation(loc, quote))
                    lines.append(f"- {'Drafters’ rationale' if en else 'Lý do của cơ quan soạn thảo'}: “{quote}” [{len(citations)}]")
            for note in doc.meta.notes:
                if "bãi bỏ" in note or "dự kiến thay thế" in note:
                    warnings.append(note)
        intro = self._intro(qa, hits, en, citations)
        missing = self.unmentioned_agencies(qa)
        if missing:  # say so first, then the closest provisions: never let them pass for the agency's own
            names = ", ".join(missing)
            where = ", ".join(dict.fromkeys(self.corpus.get(d).meta.province for d in qa.documents))
            note = (f"The documents of {where} do not mention {names}; the closest provisions (quotes in Vietnamese, "
                    "as written):" if en else f"Văn bản của {where} không nhắc đến {names}; các quy định gần nhất:")
            intro = note if intro in (GENERIC_INTRO_EN, GENERIC_INTRO_VI) else f"{note}\n{intro}"
        text = "\n".join([intro, *lines]) if intro else "\n".join(lines)
        if warnings:
            text += "\n\n" + ("Note: " if en else "Lưu ý: ") + " ".join(dict.fromkeys(warnings))
        return Draft(answer=text, abstained=False, citations=citations, warnings=list(dict.fromkeys(warnings)))

    def unmentioned_agencies(self, qa: QueryAnalysis) -> list[str]:
        """Agencies the question names that other documents of the corpus mention but none in its scope
        does (e.g. Sở Ngoại vụ in Bắc Ninh's 2025 regulation, written after the department was merged
        away). Names no document has (an English gloss's bag of search terms) are not judged."""
        if not qa.agencies or not qa.documents:
            return []
        scope = [self._folded_text(d) for d in qa.documents]
        known = [self._folded_text(d) for d in self.corpus.documents]
        return [a for a in qa.agencies
                if any(fold(a) in t for t in known) and not any(fold(a) in t for t in scope)]

    def _folded_text(self, doc_id: str) -> str:
        if doc_id not in self._folded:
            self._folded[doc_id] = " ".join(fold(loc.unit.text) for loc in self.corpus.units()
                                            if loc.document.id == doc_id)
        return self._folded[doc_id]

    def _article_quote(self, loc: Located) -> str:
        text = loc.unit.text
        return text if len(text) <= 600 else best_quote(text, max_chars=600)

    def _lead_phrase(self, qa: QueryAnalysis, loc: Located, quote: str, en: bool) -> str:
        title = loc.article.title if loc.article is not None else None
        if title and ("lead" in qa.intents or "duties" in qa.intents or "coordinate" in qa.intents):
            agency = re.sub(r"^Trách nhiệm của\s+", "", title)
            if re.match(r"^(Sở|Công an|Văn phòng|Bộ Chỉ huy|Ban|Báo|Các)", agency):
                return (f"{gloss(agency, en)}: " if en else f"{agency}: ")
        return ""

    AGENCY = r"((?:Sở|Văn phòng|Công an|Bộ Chỉ huy|Ban|Ủy ban nhân dân|UBND|Liên hiệp|Hội|Báo|Đài)[^,;.:()]{2,80}?)"

    def lead_agency(self, citations: list[Citation]) -> tuple[str, Citation] | None:
        """The agency that leads (chủ trì), read from the cited text itself."""
        from index.glossary import agency_names

        names = agency_names()
        for c in citations:
            folded = fold(c.quote)  # same length as the NFC quote for Vietnamese text
            for name in names:
                m = re.search(re.escape(fold(name)) + r"\s+(chu tri|la co quan dau moi|thong nhat quan ly|co trach nhiem chu tri)", folded)
                if m and len(folded) == len(c.quote):
                    return c.quote[m.start():m.start() + len(name)], c
            m = re.search(self.AGENCY + r"\s+(?:chủ trì|là cơ quan đầu mối|thống nhất quản lý|có trách nhiệm chủ trì)", c.quote)
            if m:
                return m.group(1).strip(), c
            if re.match(r"^(?:\d+\.\s*|[a-zđ]\)\s*)?Chủ trì", c.quote) and c.article_title:
                agency = re.sub(r"^Trách nhiệm của\s+", "", c.article_title)
                if re.match(self.AGENCY, agency):
                    return agency, c
            if c.part == "appendix":
                m = re.search(r"Đơn vị chủ trì: ([^\n]+?)(?: \(ô gộp|$)", c.quote, flags=re.M)
                if m:
                    return m.group(1).strip(), c
        return None

    def coordinating(self, citation: Citation) -> str | None:
        """Agencies named after 'phối hợp (với)' in the cited text, as written."""
        m = re.search(r"phối hợp(?: với)?\s+(.+?)(?:[;.:]|$)", citation.quote)
        if not m:
            return None
        span = m.group(1)
        from index.glossary import agency_names

        names = agency_names()
        found = []
        for name in names:
            k = fold(span).find(fold(name))
            if k >= 0:
                found.append((k, span[k:k + len(name)]))
        generic = re.search(r"(các|những) (cơ quan|sở|đơn vị|địa phương)[^;.]*?(liên quan|có liên quan)", span)
        if generic:
            found.append((generic.start(), generic.group(0)))
        found.sort()
        return ", ".join(dict.fromkeys(x for _, x in found)) or None

    def _intro(self, qa: QueryAnalysis, hits: list[Hit], en: bool, citations: list[Citation] | None = None) -> str:
        top = self.corpus.resolve(hits[0].id)
        if hits[0].direct:
            return f"Text of {top.unit.label}:" if en else f"Nội dung {top.unit.label}:"
        citations = citations or []
        if ("lead" in qa.intents or "coordinate" in qa.intents) and citations:
            found = self.lead_agency(citations)
            if found:
                agency, c = found
                n = citations.index(c) + 1
                where = f"{c.province}, {c.document_number or c.document_title}"
                coord = self.coordinating(c) if "coordinate" in qa.intents else None
                if en:
                    out = f"The lead agency is **{gloss(agency, True)}** ({where}) [{n}]."
                    if coord:
                        out += f" It coordinates with: {coord} [{n}]."
                    return out
                out = f"Cơ quan chủ trì: **{agency}** ({where}) [{n}]."
                if coord:
                    out += f" Phối hợp với: {coord} [{n}]."
                return out
        if "comparison" in qa.intents and len({c.document_id for c in citations}) > 1:
            return ("Side by side, each with its citations:" if en else "So sánh theo từng văn bản, kèm trích dẫn:")
        return GENERIC_INTRO_EN if en else GENERIC_INTRO_VI

    def validity(self, qa: QueryAnalysis, hits: list[Hit], en: bool) -> Draft | None:
        docs = qa.explicit_documents or qa.documents or [hits[0].doc_id]
        if "effective" in qa.intents and len(docs) == 1:
            m = self.corpus.get(docs[0]).meta
            if m.effective_date is None and m.status.value != "draft":
                issued = f" (ban hành ngày {m.issue_date:%d/%m/%Y})" if m.issue_date else ""
                return self.abstain(
                    f"Kho văn bản không có điều khoản về hiệu lực của {m.doc_type} {m.number or ''} ({m.province}){issued}: "
                    "văn bản chỉ được trích một phần trong bảng so sánh.",
                    f"The corpus has no provision on the effective date of {m.doc_type} {m.number or ''} ({m.province}): "
                    "only parts of it are quoted in the comparison table.", en)
        citations, lines = [], []
        for doc_id in docs[:3]:
            doc = self.corpus.get(doc_id)
            m = doc.meta
            dec = doc.part("decision")
            art2 = dec.article(2) if dec else None
            status = STATUS_EN[m.status.value] if en else STATUS_VI[m.status.value]
            name = f"{m.doc_type} {m.number or ''} ({m.province})".replace("  ", " ")
            if art2 is not None:
                loc = self.corpus.resolve(art2.id)
                terms = [r.target for r in m.relations if r.kind.value in ("repeals", "replaces")] if "relation" in qa.intents else []
                quote = best_quote(art2.body if terms else art2.body.split("\n")[0], max_chars=450, prefer=terms or None)
                if quote not in art2.text:
                    quote = best_quote(art2.text)
                citations.append(make_citation(loc, quote))
                if en:
                    eff = f"takes effect on {m.effective_date:%d/%m/%Y}" if m.effective_date else "effective date not stated"
                    lines.append(f"- {name} {eff}; it is {status}: “{quote}” [{len(citations)}]")
                else:
                    eff = f"có hiệu lực từ ngày {m.effective_date:%d/%m/%Y}" if m.effective_date else "không ghi ngày hiệu lực"
                    lines.append(f"- {name} {eff}; hiện {status}: “{quote}” [{len(citations)}]")
                for rel in m.relations:
                    if rel.kind.value in ("repeals", "replaces") and rel.evidence_unit == art2.id:
                        pass  # the quote above already states it
            elif m.status.value == "draft":
                rel = next((r for r in m.relations if r.kind.value == "draft_of" and r.evidence_unit), None)
                reg = doc.part("regulation")
                loc = self.corpus.resolve(rel.evidence_unit) if rel else (
                    self.corpus.resolve(reg.articles[-1].id) if reg and reg.articles else None)
                if loc is not None:
                    target = self.corpus.get(rel.target).meta.number if rel else None
                    quote = best_quote(loc.unit.text, max_chars=450, prefer=[target] if target else None)
                    citations.append(make_citation(loc, quote))
                    base = f" It builds on {target}." if (en and target) else (f" Dự thảo kế thừa {target}." if target else "")
                    lines.append((f"- {m.title} is a draft (not adopted).{base} “{quote}” [{len(citations)}]" if en
                                  else f"- {m.title} là dự thảo, chưa được ban hành.{base} “{quote}” [{len(citations)}]"))
            for rel in m.relations:
                if rel.kind.value in ("implements", "based_on") and not rel.target_in_corpus:
                    by = next((d for d in self.corpus.documents.values() for r in d.meta.relations
                               if r.target == rel.target and r.kind.value in ("repeals", "replaces")), None)
                    if by is None:
                        continue
                    r = next(r for r in by.meta.relations if r.target == rel.target and r.kind.value in ("repeals", "replaces"))
                    ev = self.corpus.resolve(r.evidence_unit) if r.evidence_unit else None
                    if ev is None:
                        continue
                    quote = best_quote(ev.unit.text, max_chars=450, prefer=[rel.target])
                    citations.append(make_citation(ev, quote))
                    when = f" từ ngày {r.effective:%d/%m/%Y}" if r.effective else ""
                    lines.append((f"- {name} applies {rel.target_label}, which {by.meta.doc_type} {by.meta.number} ({by.meta.province}) repeals"
                                  f"{' from ' + format(r.effective, '%d/%m/%Y') if r.effective else ''}: “{quote}” [{len(citations)}]") if en else
                                 (f"- {name} áp dụng {rel.target_label}; văn bản này bị {by.meta.doc_type} {by.meta.number} "
                                  f"({by.meta.province}) bãi bỏ{when}: “{quote}” [{len(citations)}]"))
            for note in m.notes:
                if "dự kiến thay thế" in note:
                    lines.append(f"- {note}")
        if not citations:
            return None
        return Draft(answer="\n".join(lines), abstained=False, citations=citations)
