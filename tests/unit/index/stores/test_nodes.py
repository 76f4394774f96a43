"""What gets indexed: every unit that says something is searched, itself or through its parts (no model)."""

from __future__ import annotations

from pathlib import Path

import pytest

from corpus.catalog import load_catalog
from corpus.reader import read_file
from corpus.store import Corpus
from index.stores.nodes import has_subsections, indexable

EXTRA = Path(__file__).resolve().parents[4].parent / "shared" / "corpus-extra"


def _not_searched(corpus) -> list[str]:
    """Sections neither indexed nor searchable through an item, a point or a sub-section."""
    out = []
    for loc in corpus.units():
        unit = loc.unit
        if unit.kind != "section" or indexable(loc):
            continue
        if not (getattr(unit, "items", None) or getattr(unit, "points", None) or has_subsections(loc)):
            out.append(loc.id)
    return out


def test_every_shipped_section_is_searched(corpus):
    assert _not_searched(corpus) == []
    headings = [loc for loc in corpus.units() if loc.unit.kind == "section" and has_subsections(loc)]
    assert headings and not any(indexable(loc) for loc in headings if not loc.unit.items)  # headings: not indexed


@pytest.mark.skipif(not EXTRA.exists(), reason=f"{EXTRA} is absent (the real corpus-extra texts)")
def test_every_corpus_extra_section_is_searched_and_leaf_sections_are_indexed():
    docs = [read_file(p).document for p in sorted(EXTRA.glob("*.txt"))]
    corpus = Corpus(docs, load_catalog())
    assert _not_searched(corpus) == []
    leaves = [
        loc
        for loc in corpus.units()
        if loc.unit.kind == "section" and not loc.unit.items and not loc.unit.points and not has_subsections(loc)
    ]
    # one-paragraph annex rows ("IV. Đối với các thủ tục … bằng không (0 đồng)") and report forms: their own text
    assert len(leaves) >= 4 and all(indexable(loc) for loc in leaves)


def test_a_sub_section_is_indexed_under_the_headings_of_the_sections_it_sits_in(one_text):
    from index.stores.nodes import context_header

    text = "KẾ HOẠCH\n\nMột việc\n\nI. MỤC TIÊU CHỦ YẾU\n\n1. 100% cán bộ có trình độ đại học.\n\n2. Có tài liệu.\n\nII. NHIỆM VỤ\n\n1. Tập huấn\n\n1.1. Mở lớp hằng năm.\n"
    doc, plan = one_text(text)
    first = context_header(plan.resolve(f"{doc.id}/plan/I.1"))
    assert "Mục I. MỤC TIÊU CHỦ YẾU · Mục I.1." in first
    nested = context_header(plan.resolve(f"{doc.id}/plan/II.1.1"))
    assert "Mục II. NHIỆM VỤ · Mục II.1. Tập huấn · Mục II.1.1" in nested
    assert context_header(plan.resolve(f"{doc.id}/plan/I")).endswith("Mục I. MỤC TIÊU CHỦ YẾU")  # no parent


def test_articles_sharing_a_title_are_told_apart_by_their_chapters(one_text):
    from index.stores.nodes import context_header

    text = (
        "QUYẾT ĐỊNH\n\nVề một việc\n\nChương I\n\nTIẾP NHẬN KIẾN NGHỊ\n\nĐiều 1. Trách nhiệm Văn phòng UBND tỉnh\n\n"
        "1. Phân loại kiến nghị trong 03 ngày làm việc.\n\nĐiều 2. Trách nhiệm của Sở Tư pháp\n\n1. Thẩm định.\n\n"
        "Chương II\n\nGIẢI QUYẾT KIẾN NGHỊ\n\nĐiều 3. Trách nhiệm của Văn phòng UBND tỉnh\n\n1. Theo dõi, đôn đốc.\n"
    )
    doc, corpus = one_text(text)
    first, second = (context_header(corpus.resolve(f"{doc.id}/decision/dieu-{n}/khoan-1")) for n in (1, 3))
    assert "TIẾP NHẬN KIẾN NGHỊ · Điều 1." in first and "GIẢI QUYẾT KIẾN NGHỊ · Điều 3." in second
    assert "Chương" not in context_header(corpus.resolve(f"{doc.id}/decision/dieu-2/khoan-1"))  # its title is its own


@pytest.mark.parametrize(
    "title,subject",
    [
        ("Trách nhiệm của Sở Tài chính", "so tai chinh"),
        ("Trách nhiệm, quyền hạn của Sở Tư pháp", "so tu phap"),
        ("Chức năng, nhiệm vụ và quyền hạn của Công an tỉnh", "cong an tinh"),
        ("Trách nhiệm Văn phòng UBND tỉnh", "van phong ubnd tinh"),
        ("Trách nhiệm thi hành", "thi hanh"),
    ],
)
def test_the_agency_a_duties_heading_names(title, subject):
    from index.stores.nodes import title_subject

    assert title_subject(title) == subject
