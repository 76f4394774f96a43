"""Citation building and verification on real units (no model)."""

from __future__ import annotations

import pytest

from assistant.citations import CitationError, best_quote, make_citation, verify
from assistant.schemas import Answer


def _unit(corpus):
    return next(loc for loc in corpus.units() if loc.unit.kind == "clause" and len(loc.unit.text) > 200)


def _answer(citations, abstained=False):
    return Answer(question="q", language="vi", answer="a", abstained=abstained, citations=citations, confidence=0.5)


def test_quotes_are_verbatim_and_verified(corpus):
    loc = _unit(corpus)
    quote = best_quote(loc.unit.text, max_chars=120)
    assert quote and quote in loc.unit.text and len(quote) <= 121
    verify(_answer([make_citation(loc, quote)]), corpus)


def test_altered_quote_is_refused(corpus):
    loc = _unit(corpus)
    c = make_citation(loc, loc.unit.text[:60])
    c.quote = c.quote.replace(c.quote[5], "#", 1)
    with pytest.raises(CitationError, match="not in the unit"):
        verify(_answer([c]), corpus)


def test_unknown_unit_and_wrong_document_are_refused(corpus):
    loc = _unit(corpus)
    c = make_citation(loc, loc.unit.text[:40])
    with pytest.raises(CitationError, match="does not resolve"):
        verify(_answer([c.model_copy(update={"id": c.id + "/khoan-999"})]), corpus)
    other = next(d for d in corpus.documents if d != loc.document.id)
    with pytest.raises(CitationError, match="wrong document"):
        verify(_answer([c.model_copy(update={"document_id": other})]), corpus)


def test_an_answer_must_cite_unless_it_abstains(corpus):
    with pytest.raises(CitationError):
        verify(_answer([]), corpus)
    verify(_answer([], abstained=True), corpus)


# a replacement clause written as one sentence of ";"-separated parts (invented text, in the drafting style)
RENAMES = (
    "5. Thay thế cụm từ “Tổng cục Quản lý thị trường” thành “Cục Quản lý và Phát triển thị trường”; "
    "“Chi cục Quản lý thị trường” thành “Phòng Quản lý thị trường khu vực”; "
    "“Phó Chi cục trưởng” thành “Phó Trưởng phòng Quản lý thị trường khu vực” tại Phụ lục III ban hành kèm theo "
    "Thông tư số 01/2024/TT-BCT."
)


def test_the_part_naming_the_asked_phrase_is_quoted_not_the_one_sharing_the_units_common_words():
    # every part says "Quản lý thị trường"; only the first writes out the phrase asked about
    q = best_quote(
        RENAMES, max_chars=200, query="cum tu tong cuc quan ly thi truong trong phu luc III duoc doi thanh gi"
    )
    assert q in RENAMES and "Tổng cục Quản lý thị trường" in q


def test_an_english_questions_glossary_terms_make_no_phrase():
    text = "3. Bãi bỏ các mục sau:\na) Bãi bỏ vị trí kế toán tại Phụ lục II;\nb) Bãi bỏ bản mô tả vị trí kế toán tại Phụ lục VI."
    query = "Which posts are abolished from Appendix II? bãi bỏ phụ lục vị trí"  # "phụ lục" + "vị trí": no "lục VI"
    assert "Phụ lục II;" in best_quote(text, max_chars=120, query=query, phrases=False)
