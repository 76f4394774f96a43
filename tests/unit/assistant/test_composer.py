"""The extractive composer on hand-built search results over the real corpus (no model, no index)."""

from __future__ import annotations

import pytest

from assistant.answering.extractive import ExtractiveComposer, states_quantity
from assistant.citations import verify
from assistant.schemas import Answer
from corpus.text import fold
from index.retrieval.analysis import QueryAnalysis
from index.retrieval.results import Hit, SearchResult


@pytest.fixture(scope="module")
def composer(corpus):
    return ExtractiveComposer(corpus, abstain_below=0.35)


def _lead_clause(corpus):
    """The first clause anywhere in the corpus where a named agency 'chủ trì' something."""
    for loc in corpus.units():
        if loc.unit.kind == "clause" and loc.article is not None and "chủ trì" in loc.unit.text:
            title = loc.article.title or ""
            if title.startswith("Trách nhiệm của Sở"):
                return loc
    pytest.skip("no lead clause in the corpus")


def _analysis(text: str, **kw) -> QueryAnalysis:
    return QueryAnalysis(text=text, folded=fold(text), lexical_query=fold(text), **kw)


def _search(qa: QueryAnalysis, hits: list[Hit], confidence: float = 0.9) -> SearchResult:
    return SearchResult(query=qa.text, analysis=qa, hits=hits, confidence=confidence)


def _answer(composed, qa) -> Answer:
    return Answer(
        question=qa.text,
        language="en" if qa.language == "en" else "vi",
        answer=composed.answer,
        abstained=composed.abstained,
        citations=composed.citations,
        confidence=0.9,
    )


def test_lead_answer_names_the_agency_and_cites_verbatim(corpus, composer):
    loc = _lead_clause(corpus)
    agency = loc.article.title.removeprefix("Trách nhiệm của ").strip()
    qa = _analysis("Cơ quan nào chủ trì việc này?", intents=["lead"], documents=[loc.document.id])
    hit = Hit(id=loc.article_id, score=0.9, units=[loc.id], label=loc.article.label, doc_id=loc.document.id)
    composed = composer.compose(qa.text, qa, _search(qa, [hit]))
    assert not composed.abstained and composed.citations
    verify(_answer(composed, qa), corpus)  # every quote is inside its unit
    assert composed.citations[0].id == loc.id
    assert fold(agency)[:12] in fold(composed.answer)


def test_english_question_gets_english_prose_and_vietnamese_quotes(corpus, composer):
    loc = _lead_clause(corpus)
    qa = _analysis(
        "Which agency leads this?", language="en", accented=False, intents=["lead"], documents=[loc.document.id]
    )
    hit = Hit(id=loc.article_id, score=0.9, units=[loc.id], label=loc.article.label, doc_id=loc.document.id)
    composed = composer.compose(qa.text, qa, _search(qa, [hit]))
    assert composed.answer.startswith("The lead agency is") or composed.answer.startswith("According to")
    assert composed.citations[0].quote in loc.unit.text


def test_low_confidence_abstains_plainly(corpus, composer):
    loc = _lead_clause(corpus)
    qa = _analysis("giá đất nông nghiệp là bao nhiêu")
    hit = Hit(id=loc.article_id, score=0.1, label=loc.article.label, doc_id=loc.document.id)
    composed = composer.compose(qa.text, qa, _search(qa, [hit], confidence=0.05))
    assert composed.abstained and not composed.citations
    assert "không có nội dung" in composed.answer


def test_other_province_abstains(corpus, composer):
    qa = _analysis("Ở tỉnh khác thì sao?", other_provinces=["Tỉnh Không Có"])
    composed = composer.compose(qa.text, qa, _search(qa, []))
    assert composed.abstained and "Tỉnh Không Có" in composed.answer


def test_whole_list_quotes_every_clause_of_the_article(corpus, composer):
    art = next(
        loc
        for loc in corpus.units()
        if loc.unit.kind == "article" and loc.article is not None and 3 <= len(loc.article.clauses) <= 8
    )
    qa = _analysis("Liệt kê nhiệm vụ", intents=["list"], documents=[art.document.id])
    hit = Hit(id=art.id, score=0.9, label=art.unit.label, doc_id=art.document.id)
    composed = composer.compose(qa.text, qa, _search(qa, [hit]))
    cited = {c.id for c in composed.citations}
    assert {c.id for c in art.article.clauses} <= cited


def test_quantity_check():
    assert states_quantity("mức chi 50.000 đồng/hồ sơ")
    assert not states_quantity("Quyết định số 12/2020/QĐ-UBND ngày 05/9/2020")
