"""The comparison table split into three documents plus the drafters' rationale."""

from __future__ import annotations

import pytest

from corpus.store import load_corpus


@pytest.fixture(scope="module")
def corpus():
    return load_corpus()


SHOWN = {
    "ha-giang-26-2019": [1, 2, 4, 5, 6, 7, 8, 9, 10, 12, 13, 14, 16, 17, 18, 19],
    "tuyen-quang-10-2018": [1, 2, 3, 5, 6, 8, 9, 10, 11, 12, 13, 15, 16, 17, 18, 20, 21],
    "tuyen-quang-2025-draft": list(range(1, 25)) + [27, 28, 29],
}


@pytest.mark.parametrize("doc_id", sorted(SHOWN))
def test_articles_shown_per_column(corpus, doc_id):
    assert [a.number for a in corpus.get(doc_id).part("regulation").articles] == SHOWN[doc_id]


def test_each_article_in_its_own_column(corpus):
    for a in corpus.get("ha-giang-26-2019").part("regulation").articles:
        assert "Tuyên Quang" not in a.text
    for a in corpus.get("tuyen-quang-10-2018").part("regulation").articles:
        assert "Hà Giang" not in a.text
    for a in corpus.get("tuyen-quang-2025-draft").part("regulation").articles:
        assert "Hà Giang" not in a.text and "huyện" not in a.text  # the draft is for 2-tier local government
    titles = {
        d: corpus.find_unit(d, f"dieu-{n}").unit.title
        for d, n in [("ha-giang-26-2019", 10), ("tuyen-quang-10-2018", 13), ("tuyen-quang-2025-draft", 16)]
    }
    assert set(titles.values()) == {"Sở Ngoại vụ"}


def test_recurring_articles_deduplicated(corpus):
    tq = corpus.get("tuyen-quang-10-2018").part("regulation")
    assert tq.article(6).table_rows == [6, 8] and len(tq.article(6).clauses) == 3
    assert tq.article(9).table_rows == [9, 11]
    assert tq.article(10).table_rows == [9, 13]


def test_rationale_attached_to_draft_articles(corpus):
    draft = corpus.get("tuyen-quang-2025-draft")
    for a in draft.part("regulation").articles:
        assert a.rationales, a.number
    r = corpus.resolve("tuyen-quang-2025-draft/regulation/dieu-4/ly-do").unit
    assert r.kind == "rationale" and r.text.startswith("Dự thảo kế thừa các nguyên tắc còn phù hợp")
    # the draft Điều 8, 9, 10 share the row "Cung cấp thông tin chính thức …" and its rationale
    texts = {corpus.resolve(f"tuyen-quang-2025-draft/regulation/dieu-{n}/ly-do").unit.text for n in (8, 9, 10)}
    assert len(texts) == 1 and next(iter(texts)).startswith("Dự thảo quy định rõ các hình thức")
    assert corpus.resolve("tuyen-quang-2025-draft/decision/can-cu/ly-do") is not None


def test_merged_subrow_and_duplicate_clause_number(corpus):
    d27 = corpus.find_unit("tuyen-quang-2025-draft", "dieu-27").unit
    assert d27.title == "Các sở, ban, ngành và Ủy ban nhân dân các xã, phường"
    assert "sáp nhập và thực hiện chính quyền 2 cấp" in d27.rationales[0].text
    assert corpus.find_unit("ha-giang-26-2019", "dieu-18").unit.title.startswith("Các cơ quan chuyên môn")
    d15 = corpus.find_unit("tuyen-quang-2025-draft", "dieu-15").unit
    assert [c.id.rsplit("/", 1)[1] for c in d15.clauses][2:4] == ["khoan-3", "khoan-3-lap-2"]


def test_table_metadata_and_notes(corpus):
    hg = corpus.get("ha-giang-26-2019").meta
    assert (hg.number, str(hg.issue_date), hg.province) == ("26/2019/QĐ-UBND", "2019-11-28", "Hà Giang")
    tq = corpus.get("tuyen-quang-10-2018").meta
    assert (tq.number, str(tq.issue_date)) == ("10/2018/QĐ-UBND", "2018-11-20")
    draft = corpus.get("tuyen-quang-2025-draft").meta
    assert draft.status.value == "draft" and draft.number is None
    assert any("không có Điều 25, 26" in n for n in draft.notes)
    assert any("không có tiêu đề" in n for n in draft.notes)
    assert any(r.kind.value == "draft_of" and r.target == "tuyen-quang-10-2018" for r in draft.relations)
    assert corpus.resolve("tuyen-quang-2025-draft/decision/can-cu").unit.text.count("Căn cứ") == 7
