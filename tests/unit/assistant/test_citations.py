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
