"""Scores on top of fusion: aggregation to the citable article, question-aware boosts and re-ranks, confidence.

Every tuned constant is named here with where it came from. All were tuned on the dev split of the gold set
(evals/data/gold_dev.jsonl) and checked on the held-out split once per change set; the commits that set them
say so (fusion 2c75b3e, agency articles a263772, lead re-rank f08132f, definition re-rank 03cf948, confidence
ba0ade6 "recalibrated on dev").
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Callable

from corpus.store import Corpus
from corpus.text import fold
from index.retrieval.analysis import QueryAnalysis
from index.retrieval.glossary import expand_english
from index.retrieval.results import Hit
from index.stores.nodes import context_header, heading_only, title_subject
from index.stores.tokens import STOP, syllables

#: dense and lexical candidates taken before fusion (per retriever)
CANDIDATES = 40
#: an article matched through several parts gains this fraction of the weaker part's score
SEVERAL_PARTS_BONUS = 0.02
#: the named agency's own article, for who/duties/coordination questions: placed this far above the top hit
AGENCY_ARTICLE_MARGIN = 0.05
# a unit headed the way the question's kind of answer is headed ("Hồ sơ …" for a dossier question) goes this far
# above the best hit
TITLE_CUE_MARGIN = 0.05
#: words a question quotes lift the units that write them, unless more units than this do
QUOTED_MAX_UNITS = 3
#: a question naming no text: how many first hits must come from one text for a heading cue to look in it
TITLE_CUE_AGREEING = 3
#: units lifted above the best hit keep the search's order among themselves (their score, scaled by this)
LIFT_ORDER = 0.01
#: ... and for other questions about that agency: added to its score
AGENCY_ARTICLE_BONUS = 0.08
#: a hit outside the scoped documents whose title names the agency (role questions / others)
AGENCY_TITLE_ROLE_BONUS = 0.15
AGENCY_TITLE_BONUS = 0.08
#: agency titles may carry this many characters after the agency's name ("Sở X và các đơn vị …")
AGENCY_TITLE_SLACK = 30
#: how many of the top hits the clause-level re-ranks look at, and how many parts of each
RERANK_DEPTH = 6
# a hit whose article names a text the question names and the corpus does not hold (index.retrieval.scoring.mention_boost)
MENTION_MARGIN = 0.05
# within one document, the weight of the words of its own title (they describe every unit of it)
TITLE_TERM_WEIGHT = 0.3  # scanned on dev+extra+validity (hit@1 / hit@3): 1.0 81.2 / 92.5, 0.6 82.0 / 92.8, 0.3 82.3 / 93.0, 0 81.8 / 93.8
RERANK_PARTS = 4
#: weight of the clause-level topic overlap for "who leads X" / "what is X"
LEAD_RERANK_WEIGHT = 0.4
DEFINITION_RERANK_WEIGHT = 0.3
DEFINITION_MARGIN = 0.05
#: confidence = sigmoid(z); z = slope · (measure − centre) summed, plus evidence terms
COSINE_SLOPE, COSINE_CENTRE = 12.0, 0.83
COVERAGE_SLOPE, COVERAGE_CENTRE = 3.0, 0.6
PAIR_SLOPE, PAIR_CENTRE = 6.0, 0.3
Z_AGENCY_TITLE = 2.0  # the top hit is the named agency's own article
Z_QUOTED_WORDS = 2.0  # the top hit writes the words the question quotes
#: the top hit writes what the question asks for in the form a ``text_cues`` entry sets (a web address asked for and
#: a unit writing "https://…"): a short article ("Cơ sở dữ liệu có tên miền truy cập là: https://…") shares few of a
#: question's words, and its coverage alone made the answer abstain (the reason the web-address cue was left out)
Z_TEXT_CUE = 2.0
# the question names a document / province of the corpus and asks something it regulates. A figure asked for counts
# too since the answer checks that the quote states it (figure, rate, sanction): leaving figure questions out had
# made 2 of 596 answerable extra questions abstain and caught no unanswerable one. A text named by its number counts
# without an intent: "What if the consultant they want to hire is a foreigner? (… Resolution N/YYYY …)" asks no
# intent the analysis knows, and abstained with the right unit first (3 extra gained; no unanswerable of extra, dev
# or validity answered)
Z_NAMED_SCOPE = 1.5
#: the question asks a fact of a text it names (when it takes effect, who signed or proposed it) and the top hit is of
#: that text: the answer is read from the document model and its effect clause or legal bases, whatever words the
#: question adds ("… Decree N on <a subject the article never names> take effect, and which minister proposed it?" shares
#: few words with the effect article and abstained)
Z_DOCUMENT_FACT = 2.0
Z_OTHER_PROVINCE = -4.0  # the question names only provinces the corpus does not cover

LEAD_MARKERS = ("chu tri", "dau moi", "thong nhat quan ly")
LEAD_QUESTION_WORDS = {"chu", "tri", "co", "quan", "nao"}
# the words that ask for a definition, in Vietnamese and in the glossary's terms for "define" / "meaning", and the
# document-type words ("quy chế" for "regulation", "quy định kèm theo quyết định …"): none of them is the term asked
# about
DEFINITION_QUESTION_WORDS = {"gi", "nghia", "hieu", "dinh", "giai", "thich", "ngu", "khai", "niem", "quy", "che"} | {
    "quyet",
    "kem",
    "nao",
    "the",
    "sao",
    "nhu",
    "tinh",  # "được hiểu thế nào", "như thế nào", the "tỉnh" before a province's name
}
DEFINITION_RE = re.compile(r"^(?:\d+\.\s*)?(.{5,160}?)\s(?:la|bao gom|gom)\s")


def _topic_words(qa: QueryAnalysis, drop: set[str]) -> set[str]:
    query = expand_english(qa.text) if qa.language == "en" else qa.text
    place = {w for p in qa.provinces for w in syllables(p)}
    # a document number ("80/2025/qd-ubnd") names where to look, not what is asked
    return {w for w in syllables(query) if w not in STOP and w not in place and len(w) > 1 and "/" not in w} - drop


def _title_words(corpus: Corpus, documents: list[str]) -> set[str]:
    """The words of the titles of the documents in scope (and of their parts): what all their units are about."""
    out: set[str] = set()
    for doc_id in documents:
        doc = corpus.get(doc_id)
        if doc is not None:
            out |= set(syllables(" ".join([doc.meta.title or "", *(getattr(p, "title", "") or "" for p in doc.parts)])))
    return out


#: the closing article of a decision, resolution or directive that names every agency "chịu trách nhiệm thi hành
#: Quyết định này": boilerplate, matching any question that names an agency; it answers only a question about who
#: carries the text out. Folded.
EXECUTION_CLAUSE_RE = re.compile(
    r"(chiu trach nhiem|co trach nhiem) (thi hanh|to chuc thuc hien|trien khai thuc hien)"
    r" (quyet dinh|nghi quyet|chi thi|thong tu|nghi dinh) nay"
)
EXECUTION_ASKED_RE = re.compile(
    r"thi hanh|to chuc thuc hien|trien khai|implement|execut|carr(y|ies|ied|ying) out|enforc|put into effect"
)
#: its score is multiplied by this when the question does not ask who carries the text out
EXECUTION_CLAUSE_DAMP = 0.5
#: a question asking who answers for carrying the text out ("ai chịu trách nhiệm thi hành", "who is responsible for
#: implementing the decision"): that closing clause is the answer, lifted above the best hit (folded)
EXECUTION_WHO_RE = re.compile(
    r"trach nhiem (thi hanh|to chuc thuc hien|trien khai thuc hien)"
    r"|responsib\w* (for )?(implementing|executing|carrying out|enforcing|the implementation|the execution)"
    r"\b.{0,20}\b(decision|resolution|directive|circular|decree|it|this"
    r"|quyet dinh|nghi quyet|chi thi|thong tu|nghi dinh)\b"  # "… Dong Nai's QĐ 63/2025" (QĐ written out)
)


def execution_damp(corpus: Corpus, hits: list[Hit], qa: QueryAnalysis) -> list[Hit]:
    """The closing "… chịu trách nhiệm thi hành Quyết định này" article ranks below the provisions, unless the
    question asks who carries the text out. Measured on the questions naming an agency's deadline whose best hit
    was that article: the agency's own article was ranked 2nd-4th below it."""
    if EXECUTION_ASKED_RE.search(qa.folded):
        return hits
    for hit in hits:
        loc = corpus.resolve(hit.id)
        if loc is not None and EXECUTION_CLAUSE_RE.search(fold(loc.unit.text)):
            hit.score *= EXECUTION_CLAUSE_DAMP
    return sorted(hits, key=lambda h: -h.score)


def execution_first(corpus: Corpus, hits: list[Hit], qa: QueryAnalysis) -> list[Hit]:
    """A question asking who answers for carrying the text out ("những ai chịu trách nhiệm thi hành") gets that
    closing article first, above the re-ranks of "who leads" (an article titled "Trách nhiệm thi hành" whose
    khoản say who leads what is about the tasks, not about who carries the decision out)."""
    if not (EXECUTION_WHO_RE.search(qa.folded) and hits):
        return hits
    top = max(h.score for h in hits)
    for hit in hits:
        loc = corpus.resolve(hit.id)
        if loc is not None and EXECUTION_CLAUSE_RE.search(fold(loc.unit.text)):
            hit.score = top + AGENCY_ARTICLE_MARGIN + LIFT_ORDER * hit.score
    return sorted(hits, key=lambda h: -h.score)


def mention_boost(corpus: Corpus, hits: list[Hit], qa: QueryAnalysis) -> list[Hit]:
    """A question naming a text outside the corpus ("which article of Circular 12/2022/TT-BTP is amended") is
    about the units that mention it: among the first ``RERANK_DEPTH`` hits, those whose article names the number
    lead (``MENTION_MARGIN`` above the best score, in their own order). So is a question naming a province merged
    away, of its successor's texts: the units naming that province lead, when not every one of them does."""
    if not hits:
        return hits
    naming = hits_naming(corpus, hits[:RERANK_DEPTH], qa.unknown_numbers)
    if not naming and qa.former_provinces:
        # a province merged away named in a question about its successor's text ("which old <former province>
        # decision does the new province keep applying?"): the units of that text naming it, when some do, some not
        names = [rf"\b{re.escape(fold(p))}\b" for p in qa.former_provinces]
        naming = [
            h
            for h in hits[:RERANK_DEPTH]
            if (loc := corpus.resolve(h.id)) is not None
            and fold(loc.document.meta.province or "") not in {fold(p) for p in qa.former_provinces}
            and any(re.search(n, fold(loc.unit.text)) for n in names)
        ]
        if len(naming) == len(hits[:RERANK_DEPTH]):
            naming = []
    if naming:
        shift = max(h.score for h in hits) + MENTION_MARGIN - min(h.score for h in naming)
        for hit in naming:
            hit.score += shift
    return sorted(hits, key=lambda h: -h.score)


def hits_naming(corpus: Corpus, hits: list[Hit], numbers: list[str]) -> list[Hit]:
    """The hits whose unit's text names one of these document ``numbers`` (by ``number_key``)."""
    keys = [k for n in numbers if (k := number_key(n))]
    if not keys:
        return []
    return [
        h for h in hits if (loc := corpus.resolve(h.id)) is not None and any(k in fold(loc.unit.text) for k in keys)
    ]


def number_key(number: str) -> str | None:
    """ "12/2022/TT-BTP" -> "12/2022", "45/KH-UBND" -> "45/kh": the part every citation of the text writes."""
    parts = fold(number).replace(" ", "").split("/")
    return "/".join(parts[:2]) if len(parts) >= 2 else None


TITLE_CUES_FILE = Path(__file__).resolve().parent / "data" / "title_cues.json"


@lru_cache(maxsize=1)
def _cue_data() -> dict:
    """``data/title_cues.json``, read once."""
    return json.loads(TITLE_CUES_FILE.read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def title_cues() -> tuple[tuple[re.Pattern[str], re.Pattern[str]], ...]:
    """(question pattern, heading pattern) pairs of ``data/title_cues.json``."""
    return tuple((re.compile(c["question"]), re.compile(c["title"])) for c in _cue_data()["cues"])


@lru_cache(maxsize=1)
def text_cues() -> tuple[tuple[re.Pattern[str], re.Pattern[str]], ...]:
    """(question pattern, provision wording pattern) pairs of ``data/title_cues.json``'s ``text_cues``."""
    return tuple((re.compile(c["question"]), re.compile(c["text"])) for c in _cue_data().get("text_cues", []))


def cue_scope(hits: list[Hit], qa: QueryAnalysis) -> list[str]:
    """Where a drafting convention is looked for: the documents in scope, else the one text the first
    ``TITLE_CUE_AGREEING`` hits all come from (none when they disagree)."""
    if qa.documents:
        return qa.documents
    best = sorted(hits, key=lambda h: -h.score)[:TITLE_CUE_AGREEING]
    return [best[0].doc_id] if len(best) == TITLE_CUE_AGREEING and len({h.doc_id for h in best}) == 1 else []


def _has_parts(unit) -> bool:
    return any(getattr(unit, field, None) for field in ("clauses", "points", "items", "sections", "rows"))


def _units_writing(corpus: Corpus, scope: list[str], writes, finest: bool = True) -> dict[str, list[str]]:
    """The units of the texts in ``scope`` whose folded text ``writes(folded)`` accepts, by the article / section
    holding them: the finest units only (an article or section with no parts of its own is one), or, with
    ``finest`` false, a unit with parts too."""
    found: dict[str, list[str]] = {}
    for loc in corpus.units():
        if loc.document.id in scope and loc.unit.kind != "preamble" and not (finest and _has_parts(loc.unit)):
            if writes(fold(loc.unit.text)):
                found.setdefault(loc.article_id, []).append(loc.id)
    return found


def _lift_holders(corpus: Corpus, hits: list[Hit], found: dict[str, list[str]]) -> list[Hit]:
    """Each holder of ``found`` leads (``TITLE_CUE_MARGIN`` above the best score, the search's order kept among
    them), its found units first among its parts (those the search matched first, in its order)."""
    top = max(h.score for h in hits)
    by_id = {h.id: h for h in hits}
    for holder_id, units in found.items():
        holder = corpus.resolve(holder_id)
        hit = _hit_for(hits, by_id, holder.unit, holder.document.id)
        hit.score = top + TITLE_CUE_MARGIN + LIFT_ORDER * hit.score
        first = [u for u in hit.units if u in units] + [u for u in units if u not in hit.units]
        hit.units = [*first, *[u for u in hit.units if u not in units]]
    return sorted(hits, key=lambda h: -h.score)


def lift_units(corpus: Corpus, hits: list[Hit], unit_ids: list[str]) -> list[Hit]:
    """The articles / sections holding ``unit_ids`` lead (``_lift_holders``), those units first among their parts."""
    found: dict[str, list[str]] = {}
    for unit_id in unit_ids:
        if (loc := corpus.resolve(unit_id)) is not None:
            found.setdefault(loc.article_id, []).append(unit_id)
    return _lift_holders(corpus, hits, found) if found else hits


def text_cue_boost(corpus: Corpus, hits: list[Hit], qa: QueryAnalysis) -> list[Hit]:
    """A question whose words state what a conventionally worded provision settles ("nhận lúc 5 giờ chiều" → the
    rule "sau 16 giờ thì … trước 10 giờ ngày làm việc tiếp theo"): the article / section holding such a khoản, điểm
    or item in the texts of ``cue_scope`` leads, that unit first among its matched parts (the quote comes from it)."""
    wanted = [wording for asked, wording in text_cues() if asked.search(qa.folded)]
    scope = cue_scope(hits, qa) if wanted and hits else []
    found = _units_writing(corpus, scope, lambda text: any(w.search(text) for w in wanted)) if scope else {}
    return _lift_holders(corpus, hits, found) if found else hits


def quoted_words_boost(corpus: Corpus, hits: list[Hit], qa: QueryAnalysis) -> list[Hit]:
    """Words the question quotes (8 characters or more) that a unit of the texts in scope writes: the question is
    about that unit (people quote what they read: "what does TT X rename ‘Tổng cục …’ to?"). Its article / section
    leads, the unit first among its parts. Not when the words are in more than ``QUOTED_MAX_UNITS`` units (a phrase
    the whole text repeats says where nothing is)."""
    keys = [k for k in (fold(q).strip(" .,;:") for q in qa.quoted) if len(k) >= 8]
    scope = cue_scope(hits, qa) if keys and hits else []
    found = _units_writing(corpus, scope, lambda text: any(k in text for k in keys)) if scope else {}
    if not found or sum(len(u) for u in found.values()) > QUOTED_MAX_UNITS:
        return hits
    return _lift_holders(corpus, hits, found)


@dataclass(frozen=True)
class NamedLevels:
    """The words a text numbers its tiers with (``data/title_cues.json``'s ``named_levels``)."""

    pattern: re.Pattern[str]  # "<tier word> <number>" in a folded question
    written: dict[str, str]  # folded Vietnamese word -> as a text writes it ("muc" -> "mức")
    english: dict[str, str]  # English word -> folded Vietnamese word ("level" -> "muc")


@lru_cache(maxsize=1)
def named_levels() -> NamedLevels:
    data = _cue_data().get("named_levels", {})
    written: dict[str, str] = data.get("vi", {})
    english: dict[str, str] = data.get("en", {})
    words = sorted({*written, *english}, key=len, reverse=True)
    pattern = re.compile(r"\b(" + "|".join(map(re.escape, words)) + r")\s+(\d{1,2}|[ivx]{1,4})\b")
    return NamedLevels(pattern, written, english)


def named_level_boost(corpus: Corpus, hits: list[Hit], qa: QueryAnalysis) -> list[Hit]:
    """A question naming a tier, grade or class by its number ("mức 1", "level 2 consultant", "loại II"): the unit of
    the texts in ``cue_scope`` that opens with those words ("Mức 1, không quá … đồng/tháng …", "2. Loại II: …") sets
    it out, so its article / section leads with it first. Not when more than ``QUOTED_MAX_UNITS`` units open so."""
    levels = named_levels()
    asked = {(levels.english.get(w, w), n) for w, n in levels.pattern.findall(qa.folded)}
    scope = cue_scope(hits, qa) if asked and hits else []
    if not scope:
        return hits
    opening = re.compile(
        r"^(?:\d{1,2}\.\s*|[a-z]\)\s*)?(?:"
        + "|".join(rf"{re.escape(w)}\s+{re.escape(n)}" for w, n in asked)
        + r")\b(?![.,/]\d)"
    )
    found = _units_writing(corpus, scope, opening.match, finest=False)
    if not found or sum(len(u) for u in found.values()) > QUOTED_MAX_UNITS:
        return hits
    return _lift_holders(corpus, hits, found)


def asked_headings(qa: QueryAnalysis) -> list[re.Pattern[str]]:
    """The headings whose units answer what the question asks (a cue marked ``no_agency`` only when it names none)."""
    return [
        heading
        for (asked, heading), cue in zip(title_cues(), _cue_data()["cues"])
        if asked.search(qa.folded) and not (cue.get("no_agency") and qa.agencies)
    ]


#: a hit in a document of the type the question names without a number ("under the province's five-year plan", "theo kế
#: hoạch"), when the documents in scope are of several types: added to its score. A tie-break: every text of a province
#: has its own "Sở Tài chính" article, lifted alike for a duties question
DOC_TYPE_BONUS = 0.03


def doc_type_boost(corpus: Corpus, hits: list[Hit], qa: QueryAnalysis) -> list[Hit]:
    """Hits of the documents whose type the question names (``qa.named_types``) gain ``DOC_TYPE_BONUS``, when the
    hits come from documents of that type and of others."""
    if not qa.named_types or not hits:
        return hits
    typed = {
        h.doc_id: fold(corpus.documents[h.doc_id].meta.doc_type or "") for h in hits if h.doc_id in corpus.documents
    }
    named = {d for d, kind in typed.items() if any(kind.startswith(t) for t in qa.named_types)}
    if not named or named == set(typed):
        return hits
    for hit in hits:
        if hit.doc_id in named:
            hit.score += DOC_TYPE_BONUS
    return sorted(hits, key=lambda h: -h.score)


def title_cue_boost(corpus: Corpus, hits: list[Hit], qa: QueryAnalysis) -> list[Hit]:
    """A question whose words ask what a conventionally headed unit holds ("hồ sơ gồm những giấy tờ gì" → the
    article headed "Hồ sơ …"; "what does it govern" → "Phạm vi điều chỉnh"): those units of the documents in scope
    lead (``TITLE_CUE_MARGIN`` above the best score, in their own order). A heading convention says where in a
    text, not which text: a question naming none takes the text its first ``TITLE_CUE_AGREEING`` hits all come from
    (``cue_scope``; "hồ sơ liên thông … xin giấy phép gồm những giấy tờ gì"). Measured and left out: a "reporting
    deadline" → "Chế độ báo cáo" cue (dev +1, extra -4: a text may put its reporting duties in an agency's article
    instead) and a "kinh phí" cue (a plan task states its own budget)."""
    wanted = asked_headings(qa)
    scope = cue_scope(hits, qa) if wanted and hits else []
    if not scope:
        return hits
    top = max(h.score for h in hits)
    by_id = {h.id: h for h in hits}
    for doc_id, unit, title in _headed_units(corpus, scope):
        if any(h.search(title) for h in wanted):
            hit = _hit_for(hits, by_id, unit, doc_id)
            hit.score = top + TITLE_CUE_MARGIN + LIFT_ORDER * hit.score
    return sorted(hits, key=lambda h: -h.score)


#: an untitled outline section that opens with its agency ("3. Sở Nội vụ chủ trì, phối hợp …"): its words up to the
#: first comma, colon or full stop stand for its heading when the named agency's own section is looked for
OPENING_RE = re.compile(r"^\s*([^,.:;\n]{3,80})")


def _headed_units(corpus: Corpus, documents: list[str], openings: bool = False):
    """``(document id, unit, folded heading)`` of every article and outline section of ``documents`` that has a
    heading, except a section that only heads sub-sections (it says nothing itself: its sub-sections are searched).
    With ``openings``, an untitled section's opening words stand for its heading."""
    for doc_id in documents:
        doc = corpus.get(doc_id)
        for part in doc.parts if doc is not None else []:
            for unit in [*part.articles, *(getattr(part, "sections", None) or [])]:
                title = fold(getattr(unit, "title", None) or "")
                if not title and openings and unit.kind == "section" and (m := OPENING_RE.match(unit.text or "")):
                    title = fold(m.group(1))
                if not title:
                    continue
                if unit.kind == "section" and heading_only(corpus.resolve(unit.id)):
                    continue
                yield doc_id, unit, title


def _hit_for(hits: list[Hit], by_id: dict[str, Hit], unit, doc_id: str) -> Hit:
    """The hit of ``unit``, added to ``hits`` (score 0) when the search did not find it."""
    hit = by_id.get(unit.id)
    if hit is None:
        hit = by_id[unit.id] = Hit(id=unit.id, score=0.0, label=unit.label, doc_id=doc_id)
        hits.append(hit)
    return hit


def _agency_key(name: str) -> str:
    """An agency's name folded, its people's-committee / people's-council words abbreviated as headings write
    them ("Trách nhiệm Văn phòng UBND tỉnh" heads the article of "Văn phòng Ủy ban nhân dân tỉnh")."""
    key = re.sub(r"\buy ban nhan dan\b", "ubnd", fold(name))
    return re.sub(r"\bhoi dong nhan dan\b", "hdnd", key)


def agency_boost(corpus: Corpus, hits: list[Hit], qa: QueryAnalysis) -> list[Hit]:
    """The named agency's own article ("Điều 15. Trách nhiệm của Sở Tài chính") is the natural answer to
    who/duties questions: bring it in for every document in scope, even if the text search missed it."""
    if not qa.agencies:
        return hits
    wanted = [_agency_key(a) for a in qa.agencies]
    role = bool({"duties", "lead", "coordinate"} & set(qa.intents))
    top = max((h.score for h in hits), default=0.5)
    by_id = {h.id: h for h in hits}
    scope = qa.documents or []
    # articles ("Điều 15. Trách nhiệm của Sở Tài chính") and outline sections ("3. Sở Nội vụ" of a directive,
    # "IV.2. Sở Tài chính" of a plan's implementation part)
    for doc_id, art, heading in _headed_units(corpus, scope, openings=True):
        title = _agency_key(title_subject(heading))
        if not any(w == title or (title.startswith(w) and len(title) <= len(w) + AGENCY_TITLE_SLACK) for w in wanted):
            continue
        hit = _hit_for(hits, by_id, art, doc_id)
        hit.score = (
            max(hit.score, top + AGENCY_ARTICLE_MARGIN + LIFT_ORDER * hit.score)
            if role
            else hit.score + AGENCY_ARTICLE_BONUS
        )
    for hit in hits:  # outside the scope (no province named): a lighter boost by title
        loc = corpus.resolve(hit.id)
        title = _agency_key(getattr(loc.unit, "title", None) or "") if loc is not None else ""
        if hit.doc_id not in scope and title and any(w in title for w in wanted):
            hit.score += AGENCY_TITLE_ROLE_BONUS if role else AGENCY_TITLE_BONUS
    return hits


def _clause_rerank(
    corpus: Corpus,
    hits: list[Hit],
    words: set[str],
    weight: float,
    clause_words: Callable[[str], set[str] | None],
    heading: bool = False,
) -> None:
    """Add ``weight`` × the best overlap between the question's topic ``words`` and the words
    ``clause_words(folded clause text)`` picks from each of a hit's first parts (None: the clause does not count)."""
    if not words:
        return
    for hit in hits:
        hit.score += weight * _best_overlap(corpus, hit, words, clause_words, heading)


def _best_overlap(
    corpus: Corpus,
    hit: Hit,
    words: set[str],
    clause_words: Callable[[str], set[str] | None],
    heading: bool = False,
) -> float:
    """The largest share of ``words`` that ``clause_words`` picks from one of the hit's first parts (with
    ``heading``, each part read with the hit's own heading: what a plan task's "- Cơ quan chủ trì: …" line is about
    is written in its section's title)."""
    best = 0.0
    titled: set[str] = set()
    if heading and (own := corpus.resolve(hit.id)) is not None and own.article is None and own.section is not None:
        titled = set(syllables(fold(own.section.title or "")))
    for uid in hit.units[:RERANK_PARTS] or [hit.id]:
        loc = corpus.resolve(uid)
        picked = clause_words(fold(loc.unit.text)) if loc is not None else None
        if picked is not None:
            best = max(best, len(words & (picked | titled)) / len(words))
    return best


def _lead_clause_words(text: str) -> set[str] | None:
    return set(syllables(text)) if any(m in text for m in LEAD_MARKERS) else None


def _defined_words(text: str) -> set[str] | None:
    m = DEFINITION_RE.search(text)
    return set(syllables(m.group(1))) if m else None


def lead_rerank(corpus: Corpus, hits: list[Hit], qa: QueryAnalysis) -> None:
    """For "who leads X": favour the article holding a clause where someone *chủ trì* X -- the clause's
    overlap with the question's topic words, not the article's overall similarity."""
    words = _topic_words(qa, LEAD_QUESTION_WORDS)
    own = words - _title_words(corpus, qa.documents)  # the subject every task of the text shares tells none apart
    _clause_rerank(corpus, hits, own or words, LEAD_RERANK_WEIGHT, _lead_clause_words, heading=True)


def definition_rerank(corpus: Corpus, hits: list[Hit], qa: QueryAnalysis) -> list[Hit]:
    """For "what is X": favour a clause that defines X ("X là …") over one that merely mentions it. Among the first
    ``RERANK_DEPTH`` hits by overlap (``DEFINITION_RERANK_WEIGHT``); and, among all the hits, a clause whose defined
    term holds every topic word of the question ("Thông tin đối ngoại tỉnh X là …" for "how does X define foreign
    information") leads (``DEFINITION_MARGIN`` above the best): a regulation names its subject in every article, so
    the one defining it can rank low on words alone."""
    words = _topic_words(qa, DEFINITION_QUESTION_WORDS)
    _clause_rerank(corpus, hits[:RERANK_DEPTH], words, DEFINITION_RERANK_WEIGHT, _defined_words)
    if not words or not hits:
        return hits
    # a term the question quotes ("định nghĩa “Hệ thống dữ liệu quảng bá hình ảnh tỉnh …” thế nào") is the term asked
    # about, whatever else the question says (the draft, the year, an abbreviation of the text's subject); the clause
    # defining it defines that term and nothing longer ("Hạ tầng kỹ thuật của … Cổng TTĐT thành phần gồm có" holds
    # every word of "Cổng TTĐT thành phần" and defines something else)
    term = {w for q in qa.quoted for w in syllables(fold(q))}

    def defines_term(text: str) -> set[str] | None:
        defined = _defined_words(text)
        return defined if defined is not None and not defined - term else None

    top = max(h.score for h in hits)
    defining = [
        h for h in hits if _best_overlap(corpus, h, term or words, defines_term if term else _defined_words) == 1.0
    ]
    for hit in defining:
        hit.score = top + DEFINITION_MARGIN + LIFT_ORDER * hit.score
    return sorted(hits, key=lambda h: -h.score) if defining else hits


def confidence(corpus: Corpus, qa: QueryAnalysis, hits: list[Hit], dense: list[tuple[str, float]]) -> float:
    """How sure the top hit answers the question, in [0, 1]; the assistant abstains below a threshold."""
    if not hits:
        return 0.0
    top_cos = max((s for _, s in dense), default=0.0)
    if qa.language == "en":  # English words never occur in the Vietnamese text: use their glossary terms
        words = [w for w in syllables(expand_english(qa.text)) if w not in STOP and len(w) > 1]
        words += [w for p in qa.provinces for w in syllables(p)]  # few glossary terms: the province keeps them on topic
    else:  # the province is scored by the filter, not as topic words
        place = {w for p in qa.provinces for w in syllables(p)} | {"tinh"}
        english = {w for e in qa.english_words for w in syllables(e)} if qa.code_switched else set()
        words = [w for w in syllables(qa.text) if w not in STOP and len(w) > 1 and w not in place | english]
        if english:  # a code-switched question: its English words count by their glossary terms
            words += [w for w in syllables(expand_english(qa.text)) if w not in STOP and len(w) > 1]
    top = corpus.resolve(hits[0].id)
    if top is None:
        return 0.0
    text = " " + " ".join(syllables(context_header(top) + " " + top.unit.text)) + " "
    pairs = [f"{a} {b}" for a, b in zip(words, words[1:])]
    coverage = sum(f" {w} " in text for w in words) / max(1, len(words))
    pair_coverage = sum(f" {p} " in text for p in pairs) / max(1, len(pairs))
    z = (
        COSINE_SLOPE * (top_cos - COSINE_CENTRE)
        + COVERAGE_SLOPE * (coverage - COVERAGE_CENTRE)
        + PAIR_SLOPE * (pair_coverage - PAIR_CENTRE)
    )
    title = fold(getattr(top.unit, "title", None) or "")
    if qa.agencies and title and any(fold(a) in title for a in qa.agencies):
        z += Z_AGENCY_TITLE
    quoted = [k for k in (fold(q).strip(" .,;:") for q in qa.quoted) if len(k) >= 8]
    if quoted and any(k in fold(top.unit.text) for k in quoted):
        z += Z_QUOTED_WORDS
    wanted = [wording for asked, wording in text_cues() if asked.search(qa.folded)]
    if wanted and any(w.search(fold(top.unit.text)) for w in wanted):
        z += Z_TEXT_CUE
    if qa.explicit_documents or (qa.provinces and (qa.agencies or qa.intents or qa.quoted)):
        z += Z_NAMED_SCOPE
    if {"effective", "metadata"} & set(qa.intents) and top.document.id in qa.explicit_documents:
        z += Z_DOCUMENT_FACT
    if qa.other_provinces and not qa.provinces:
        z += Z_OTHER_PROVINCE
    return float(1.0 / (1.0 + math.exp(-z)))
