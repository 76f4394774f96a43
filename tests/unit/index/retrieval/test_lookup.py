"""Explicit references looked up in the corpus (no index): points under an outline section, on the real
corpus-extra plans and directive."""

from __future__ import annotations

from pathlib import Path

import pytest

from index.retrieval.analysis import QueryAnalyzer
from index.retrieval.lookup import direct_lookup

EXTRA_TEXTS = Path(__file__).resolve().parents[4].parent / "shared" / "corpus-extra"


@pytest.fixture(scope="module")
def extra():
    if not EXTRA_TEXTS.exists():
        pytest.skip(f"{EXTRA_TEXTS} is absent (the real corpus-extra texts)")
    from corpus.catalog import load_catalog
    from corpus.reader import read_file
    from corpus.store import Corpus

    return Corpus([read_file(p).document for p in sorted(EXTRA_TEXTS.glob("*.txt"))], load_catalog(), None)


def _sections_with_points(corpus):
    for loc in corpus.units():
        if loc.section is not None and loc.unit is loc.section and loc.section.points and loc.part == "plan":
            yield loc


def test_a_point_of_an_outline_section_is_looked_up_and_a_missing_one_is_said_missing(extra):
    analyzer = QueryAnalyzer(extra)
    checked = set()
    for loc in _sections_with_points(extra):
        meta = loc.document.meta
        letters = [p.id.rsplit("-", 1)[-1] for p in loc.section.points]
        asked = letters[-1] if letters[-1] != "dd" else "đ"
        question = f"Điểm {asked} mục {loc.section.path} {meta.doc_type} {meta.number} nói gì?"
        qa = analyzer.analyze(question)
        if qa.documents != [meta.id] or qa.section != loc.section.path:
            continue  # the number alone does not single the text out, or a roman path is read another way
        found, missing = direct_lookup(extra, qa)
        assert missing is None and [f.id for f in found] == [loc.section.points[-1].id]
        after = chr(ord(letters[-1][0]) + 1) if letters[-1] != "dd" else "e"
        if after in ("đ", "j") or len(letters[-1]) > 1:
            continue
        qa = analyzer.analyze(f"Điểm {after} mục {loc.section.path} {meta.doc_type} {meta.number} nói gì?")
        found, missing = direct_lookup(extra, qa)
        assert missing and missing.reference == f"điểm {after} Mục {loc.section.path}"
        checked.add(meta.id)
    assert len(checked) >= 2  # a plan's dotted sections and a directive's numbered ones


def test_a_bare_section_number_asked_of_a_text_without_an_outline_is_not_said_missing(extra):
    """ "Mục 2" of a regulation is a group of articles inside a chapter, not an outline section: nothing is looked up
    and nothing is said missing (the question is searched)."""
    analyzer = QueryAnalyzer(extra)
    asked = 0
    for document in extra.documents.values():
        meta = document.meta
        if document.part("plan") is not None or not meta.number:
            continue
        qa = analyzer.analyze(f"Mục 2 {meta.doc_type} {meta.number} quy định gì?")
        if qa.documents != [meta.id]:
            continue
        assert qa.section == "2" and direct_lookup(extra, qa) == ([], None)
        asked += 1
    assert asked


def test_a_missing_reference_is_worded_in_either_language_with_the_reference_as_written():
    from index.retrieval.results import MissingReference

    named = MissingReference(reference="Điều 30", texts="211/2025/QĐ-UBND")
    assert named.vi() == "Điều 30 không có trong 211/2025/QĐ-UBND" and named.en() == "211/2025/QĐ-UBND has no Điều 30"
    assert MissingReference(reference="Mục II.9", plan=True).en() == "the plan has no Mục II.9"
    assert MissingReference(reference="điểm k Mục 1").vi() == "điểm k Mục 1 không có trong văn bản được hỏi"
