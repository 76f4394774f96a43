"""Hybrid retrieval on a real Chroma index built with the real embedder."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.slow


def test_noop_rebuild(corpus, settings, built_index):
    from index.stores.build import build_index

    again = build_index(corpus, settings, progress=False)
    assert again.noop and again.embedded == 0 and again.build_id == built_index.build_id
    assert "load embedder" not in again.timings  # told without loading the model
    from index.stores.nodes import indexable

    assert built_index.nodes == sum(1 for loc in corpus.units() if indexable(loc)) > 800


def test_every_text_is_embedded_once_at_its_finest_grain(corpus, retriever, built_index):
    """Nodes whose parts (khoản, điểm, plan items) are nodes too are in BM25 with their whole text; in
    Chroma only if they say something besides their parts (a lead-in, a closing paragraph), embedded as
    that. Everything else (articles without khoản, appendix rows, rationales...) is in both."""
    from index.stores.nodes import lead_text

    in_chroma = set(retriever.vectors.collection.get(include=[])["ids"])
    all_ids = set(retriever.manifest.ids)
    assert set(retriever.lexical.ids) == all_ids and in_chroma < all_ids
    assert len(in_chroma) == built_index.vectors == retriever.vectors.count()
    parents = {
        corpus.resolve(i).parent_id for i in all_ids if corpus.resolve(i).unit.kind in ("clause", "point", "item")
    }
    assert all_ids - in_chroma <= parents
    # an article with khoản and nothing else: its clauses carry its text to the embedder
    assert "bac-ninh-68-2025/regulation/dieu-11" not in in_chroma
    assert "bac-ninh-68-2025/regulation/dieu-11/khoan-1" in in_chroma
    assert "hung-yen-29-2019/regulation/dieu-5" not in in_chroma
    assert "hung-yen-29-2019/regulation/dieu-5/khoan-1/diem-b" in in_chroma
    # what the parts leave out is embedded with the parent: a clause's lead-in, an article's own paragraph
    tq12 = corpus.resolve("tuyen-quang-10-2018/regulation/dieu-12")
    parts = [corpus.resolve(c.id) for c in tq12.unit.clauses]
    assert len(parts) == 9 and lead_text(tq12, parts).startswith(
        "Thực hiện trách nhiệm theo quy định tại Điều 10 Thông tư"
    )
    assert tq12.id in in_chroma and "hung-yen-29-2019/regulation/dieu-5/khoan-1" in in_chroma
    bn11 = corpus.resolve("bac-ninh-68-2025/regulation/dieu-11")
    assert lead_text(bn11, [corpus.resolve(c.id) for c in bn11.unit.clauses]) == ""
    # rationales are not part of their article's text: the article and its reason are both embedded
    assert "tuyen-quang-2025-draft/regulation/dieu-1/ly-do" in in_chroma
    assert any(i.startswith("bac-giang-69-2024/appendix/") for i in in_chroma)


def top_ids(retriever, q, k=5, **kw):
    return [h.id for h in retriever.search(q, k=k, **kw).hits]


@pytest.mark.parametrize(
    "question",
    [
        "Cơ quan nào chủ trì quản lý phóng viên nước ngoài ở Tuyên Quang?",
        "co quan nao chu tri quan ly phong vien nuoc ngoai o tuyen quang",
        "which agency leads foreign press management in Tuyen Quang",
    ],
)
def test_foreign_press_tuyen_quang(retriever, question):
    ids = top_ids(retriever, question)
    assert {"tuyen-quang-10-2018/regulation/dieu-13", "tuyen-quang-2025-draft/regulation/dieu-16"} & set(ids)
    assert all(i.startswith("tuyen-quang") for i in ids)


def test_deadline_bac_kan(retriever):
    assert top_ids(retriever, "Bắc Kạn: báo cáo năm gửi trước ngày nào?", k=1) == ["bac-kan-34-2017/regulation/dieu-19"]


def test_direct_lookup_and_not_found(retriever):
    res = retriever.search("Điều 11 Quy chế Bắc Ninh quy định gì?")
    assert res.hits[0].id == "bac-ninh-68-2025/regulation/dieu-11" and res.hits[0].direct
    res = retriever.search("What does Article 14 of Hung Yen's regulation say?")
    assert res.hits[0].id == "hung-yen-29-2019/regulation/dieu-14"
    res = retriever.search("Điều 40 Quy chế Bắc Ninh quy định gì?")
    assert res.not_found and "Điều 40" in res.not_found
    # "điểm đ" is not "điểm d": khoản 2 Điều 7 of the Bắc Kạn regulation has points a) to d)
    res = retriever.search("Điểm đ khoản 2 Điều 7 Quy chế Bắc Kạn quy định gì?")
    assert res.not_found and "điểm đ khoản 2 Điều 7" in res.not_found
    res = retriever.search("Điểm d khoản 2 Điều 7 Quy chế Bắc Kạn quy định gì?")
    assert not res.not_found and res.hits[0].units == ["bac-kan-34-2017/regulation/dieu-7/khoan-2/diem-d"]
    res = retriever.search("Điểm đ khoản 3 Điều 3 Quy chế Bắc Kạn quy định gì?")
    assert res.hits[0].units == ["bac-kan-34-2017/regulation/dieu-3/khoan-3/diem-dd"]
    assert retriever.search("Phụ lục dòng IV.2.8 kế hoạch Bắc Giang").hits[0].id == "bac-giang-69-2024/appendix/IV.2.8"


def test_filters(retriever):
    ids = top_ids(retriever, "trách nhiệm của Sở Tài chính", province="Hưng Yên")
    assert ids and all(i.startswith("hung-yen-29-2019/") for i in ids)
    ids = top_ids(retriever, "Sở Tài chính", document="bac-kan-34-2017")
    assert ids[0] == "bac-kan-34-2017/regulation/dieu-15"


def test_confidence_separates_out_of_corpus(retriever):
    inside = retriever.search("Sở Văn hóa, Thể thao và Du lịch Bắc Ninh có trách nhiệm gì?").confidence
    outside = retriever.search("Mức phạt vi phạm giao thông khi vượt đèn đỏ là bao nhiêu?").confidence
    assert inside > 0.5 > outside


@pytest.mark.parametrize(
    "question,part",
    [
        ("Điều 3 của Quyết định 68/2025/QĐ-UBND (phần quyết định, không phải quy chế) giao cho ai?", "decision"),
        ("What does Article 2 of Decision 68/2025/QĐ-UBND say?", "decision"),
        ("Điều 3 Quy chế kèm Quyết định 68/2025/QĐ-UBND quy định gì?", "regulation"),
    ],
)
def test_an_article_reference_belongs_to_the_text_named_after_it(retriever, question, part):
    hit = retriever.search(question).hits[0]
    assert hit.direct and f"/{part}/" in hit.id
