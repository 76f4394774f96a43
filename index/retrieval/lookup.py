"""Explicit references in a question, looked up in the corpus: an article, its clause and point, an outline
section, its point, an appendix row or template. What exists is a direct hit (the retriever gives it score 1.0);
what the question names but the documents in scope lack is reported, so the answer says "not found" instead of
quoting a neighbour. Pure: the corpus and the query analysis, no index."""

from __future__ import annotations

import re

from corpus.store import Corpus, Located
from index.retrieval.analysis import QueryAnalysis
from index.retrieval.results import MissingReference

DECISION_WORDS = r"quyet dinh|nghi quyet|nghi dinh|thong tu|decision|resolution|decree|circular"
ATTACHMENT_WORDS = r"quy che|quy dinh|dieu le|regulation"


def reference_to_issuing_text(folded: str, article: int) -> bool:
    """Does "Điều N" in the question name the issuing text's article rather than its attachment's? The text named
    right after the reference owns it ("Điều N của Quyết định …" / "Article N of the Regulation"); otherwise
    "quyết định" said and "quy chế" not ("không phải quy chế" does not say it)."""
    said = re.sub(rf"\b(khong phai|not)( la| the)? ({ATTACHMENT_WORDS}|quyet dinh|decision)", " ", folded)
    owner = re.search(
        rf"\b(?:dieu|article|art\.?)\s*{article}\b\W*(?:cua|tai|trong|of|in)?\s*(?:the\s+)?(\w+ \w+)", said
    )
    words = owner.group(1) if owner else ""
    if re.match(DECISION_WORDS, words):
        return True
    if re.match(ATTACHMENT_WORDS, words):
        return False
    return bool(re.search(r"quyet dinh|decision", said)) and not re.search(r"quy che|regulation", said)


def direct_lookup(corpus: Corpus, qa: QueryAnalysis) -> tuple[list[Located], MissingReference | None]:
    """The units an explicit reference names ("Điều 11", "khoản 2 Điều 7", "Mục II.1", "điểm b mục 1", "dòng 12 của
    phụ lục") in the documents in scope, and what it names that they lack (None when all is
    there). Corpus only: no index."""
    docs = qa.reference_documents or qa.documents or []
    if not docs or not qa.has_reference:
        return [], None
    found: list[Located] = []
    if qa.article is not None:
        wants_decision = reference_to_issuing_text(qa.folded, qa.article)
        for doc_id in docs:
            # every part of the document that holds articles: its attachments (Quy chế, Quy định …) first,
            # the issuing text itself first when the question says "quyết định"
            parts = [p.id_slug for p in corpus.documents[doc_id].parts if p.articles]
            parts.sort(key=lambda slug: (slug == "decision") != wants_decision)
            for part in parts:
                ref = f"{doc_id}/{part}/dieu-{qa.article}"
                loc = corpus.resolve(ref)
                if loc is None:
                    continue
                sub = loc
                if qa.clause:
                    sub = corpus.resolve(f"{ref}/khoan-{qa.clause}") or loc
                    if qa.point:
                        sub = corpus.resolve(f"{sub.id}/diem-{'dd' if qa.point in ('đ', 'dd') else qa.point}") or sub
                found.append(sub)
                break
        if not found:
            names = ", ".join(corpus.get(d).meta.number or corpus.get(d).meta.title for d in docs)
            return [], MissingReference(reference=f"Điều {qa.article}", texts=names)
        if qa.clause and all(f.clause is None for f in found):
            return found, MissingReference(reference=f"khoản {qa.clause} Điều {qa.article}")
        if qa.clause and qa.point and all(f.point is None for f in found):
            letter = "đ" if qa.point in ("đ", "dd") else qa.point
            return found, MissingReference(reference=f"điểm {letter} khoản {qa.clause} Điều {qa.article}")
    elif qa.section is not None:
        appendix_first = bool(re.search(r"phu luc|appendix|annex", qa.folded)) or qa.section.startswith("mau-")
        for doc_id in docs:
            # every outline part (the plan body, each appendix) — appendices first when the question says so
            parts = [p.id_slug for p in corpus.documents[doc_id].parts if p.sections or p.rows]
            parts.sort(key=lambda slug: slug.startswith("appendix") != appendix_first)
            for part in parts:
                loc = corpus.resolve(f"{doc_id}/{part}/{qa.section}")
                if loc is not None:
                    # a point of the section ("điểm b mục II.1", "item c) of section 2"): that point
                    letter = "dd" if qa.point in ("đ", "dd") else qa.point
                    found.append((corpus.resolve(f"{loc.id}/diem-{letter}") if letter else None) or loc)
                    break
        bare = qa.section.isdigit() and not appendix_first
        if not found and any(corpus.get(d).part("plan") for d in docs) and not bare:
            # (a bare "mục 2" may be a Mục of a regulation's chapter, not an outline section: not said missing; a
            # row of an appendix asked by its number is)
            return [], MissingReference(reference=f"Mục {qa.section}", plan=True)
        if (
            found
            and qa.point
            and all(f.point is None for f in found)
            and any(f.section is not None and f.section.points for f in found)
        ):
            letter = "đ" if qa.point in ("đ", "dd") else qa.point
            return found, MissingReference(reference=f"điểm {letter} Mục {qa.section}")
    return found, None
