"""Agencies in answers: who leads (chủ trì) and who coordinates (phối hợp), read from the cited text itself,
and agencies a question names that its scoped documents never mention (said so before the closest provisions).
Agency names come from the glossary data (``index.retrieval.glossary.agency_names``), never from code.
"""

from __future__ import annotations

import re
from typing import Callable

from assistant.answering.wording import gloss
from assistant.schemas import Citation
from corpus.store import Located
from corpus.text import fold
from index.retrieval.analysis import QueryAnalysis
from index.retrieval.glossary import agency_names
from index.stores.tokens import lexical_form

LABELLED_LEAD_RE = re.compile(
    r"(?:Cơ quan|Đơn vị)\s+(?:chủ trì(?:\s+thực hiện)?|thực hiện|chịu trách nhiệm)\s*\**\s*:\s*\**\s*([^\n;]+?)"
    r"(?:\s*\(ô gộp|[;.]?\s*$)",
    re.M,
)
AGENCY = r"((?:Sở|Văn phòng|Công an|Bộ Chỉ huy|Ban|Ủy ban nhân dân|UBND|Liên hiệp|Hội|Báo|Đài)[^,;.:()]{2,80}?)"


def lead_agency(citations: list[Citation]) -> tuple[str, Citation] | None:
    """The agency that leads (chủ trì), read from the cited text itself."""
    names = agency_names()
    for c in citations:
        folded = fold(c.quote)  # same length as the NFC quote for Vietnamese text
        for name in names:
            m = re.search(
                re.escape(fold(name)) + r"\s+(chu tri|la co quan dau moi|thong nhat quan ly|co trach nhiem chu tri)",
                folded,
            )
            if m and len(folded) == len(c.quote):
                return c.quote[m.start() : m.start() + len(name)], c
        m = re.search(AGENCY + r"\s+(?:chủ trì|là cơ quan đầu mối|thống nhất quản lý|có trách nhiệm chủ trì)", c.quote)
        if m:
            return m.group(1).strip(), c
        if re.match(r"^(?:\d+\.\s*|[a-zđ]\)\s*)?Chủ trì", c.quote) and c.article_title:
            agency = re.sub(r"^Trách nhiệm của\s+", "", c.article_title)
            if re.match(AGENCY, agency):
                return agency, c
        # labelled lead cells and bullets of plans and task tables: "Đơn vị chủ trì: …", "- Cơ quan thực hiện: …"
        m = LABELLED_LEAD_RE.search(c.quote)
        if m:
            return m.group(1).strip(" *_"), c
    return None


def coordinating(citation: Citation) -> str | None:
    """Agencies named after 'phối hợp (với)' in the cited text, as written."""
    m = re.search(r"phối hợp(?: với)?\s+(.+?)(?:[;.:]|$)", citation.quote)
    if not m:
        return None
    span = m.group(1)
    names = agency_names()
    found = []
    for name in names:
        k = fold(span).find(fold(name))
        if k >= 0:
            found.append((k, span[k : k + len(name)]))
    generic = re.search(r"(các|những) (cơ quan|sở|đơn vị|địa phương)[^;.]*?(liên quan|có liên quan)", span)
    if generic:
        found.append((generic.start(), generic.group(0)))
    found.sort()
    return ", ".join(dict.fromkeys(x for _, x in found)) or None


#: the province's level as a name writes it (folded): "tỉnh", or "thành phố" for a centrally run city
LEVEL_RE = re.compile(r"\b(thanh pho|tinh)\b")
#: a People's Committee or Council is in every province, named in many forms ("UBND xã, phường", "Ủy ban nhân dân các
#: xã, phường" for "Ủy ban nhân dân cấp xã"): never said to be unmentioned (folded)
LOCAL_BODY_RE = re.compile(r"^(uy ban nhan dan|hoi dong nhan dan|ubnd|hdnd)\b")


def unmentioned_agencies(qa: QueryAnalysis, folded_text: Callable[[str], str], all_docs: list[str]) -> list[str]:
    """Agencies the question names that other documents of the corpus mention but none in its scope
    does (e.g. Sở Ngoại vụ in a province's regulation written after the department was merged
    away). Names no document has (an English gloss's bag of search terms) are not judged."""
    if not qa.agencies or not qa.documents:
        return []
    scope = [folded_text(d) for d in qa.documents]
    known = [folded_text(d) for d in all_docs]

    def written(name: str, texts: list[str]) -> bool:  # at the province's level named "tỉnh" or a city's "thành phố"
        forms = {LEVEL_RE.sub("tinh", fold(name)), LEVEL_RE.sub("thanh pho", fold(name))}
        return any(f in t for f in forms for t in texts)

    return [a for a in qa.agencies if not LOCAL_BODY_RE.match(fold(a)) and written(a, known) and not written(a, scope)]


def agency_key(text: str) -> str:
    """An agency name or a text as names are compared: abbreviations written out, folded, "tỉnh" and "thành phố" one
    word (a city's "Công an thành phố" is the "Công an tỉnh" an English "provincial police" names). Stricter than the
    folded text ``unmentioned_agencies`` reads, because ``ExtractiveComposer.no_task_for`` abstains on it."""
    return " ".join(LEVEL_RE.sub("tinh", fold(lexical_form(text))).split())


def lead_phrase(qa: QueryAnalysis, loc: Located, en: bool) -> str:
    title = loc.article.title if loc.article is not None else None
    if title and ("lead" in qa.intents or "duties" in qa.intents or "coordinate" in qa.intents):
        agency = re.sub(r"^Trách nhiệm của\s+", "", title)
        if re.match(r"^(Sở|Công an|Văn phòng|Bộ Chỉ huy|Ban|Báo|Các)", agency):
            return f"{gloss(agency, en)}: " if en else f"{agency}: "
    return ""
