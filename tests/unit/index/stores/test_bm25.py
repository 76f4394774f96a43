"""The BM25 store: a saved index loads with the same ids and scores, its tokens shared strings."""

from __future__ import annotations

import numpy as np

from index.stores.bm25 import LexicalIndex
from index.stores.tokens import bm25_tokens, lexical_form

TEXTS = [
    "Sở Tư pháp chủ trì, phối hợp với các cơ quan liên quan",
    "Ủy ban nhân dân cấp huyện phối hợp thực hiện",
    "Phóng viên nước ngoài hoạt động báo chí",
]


def test_saved_index_loads_with_the_same_scores(tmp_path):
    built = LexicalIndex.from_texts(["a", "b", "c"], TEXTS)
    built.save(tmp_path / "bm25.json")
    loaded = LexicalIndex.load(tmp_path / "bm25.json")
    assert loaded.ids == built.ids and loaded.tokens == built.tokens and loaded.vocab == built.vocab
    for query in ("sở tư pháp chủ trì", "phối hợp", "phóng viên", "không có gì"):
        assert loaded.scores(query).tolist() == built.scores(query).tolist()


def test_loaded_tokens_are_one_string_each(tmp_path):
    LexicalIndex.from_texts(["a", "b", "c"], TEXTS).save(tmp_path / "bm25.json")
    first, second = LexicalIndex.load(tmp_path / "bm25.json"), LexicalIndex.load(tmp_path / "bm25.json")
    seen: dict[str, str] = {}
    for toks in first.tokens:
        for t in toks:
            assert seen.setdefault(t, t) is t  # a token repeated in the build is one object
    # a second load (the next build a server swaps in) reuses the strings instead of allocating them again
    assert all(a is b for x, y in zip(first.tokens, second.tokens) for a, b in zip(x, y))


def test_scores_within_documents_weigh_terms_by_those_documents():
    """Two articles of one document share its subject; a third node (another document) is about something
    else. Within the document, the subject word says nothing and the word that tells the articles apart decides;
    with the corpus IDF the subject word, rare in the corpus, makes the article repeating it win."""
    texts = [
        "karaoke karaoke karaoke giấy phép karaoke",  # repeats the subject
        "karaoke hồ sơ gồm tờ khai",  # the one asked about
        "hồ sơ công chứng",  # other documents: "hồ sơ" is common in the corpus, "karaoke" is not
        "hồ sơ nuôi con nuôi",
        "hồ sơ đăng ký hộ kinh doanh",
        "tiếp nhận hồ sơ trực tuyến",
        "trả hồ sơ",
        "bổ sung hồ sơ",
        "hồ sơ hợp lệ",
        "lưu trữ hồ sơ",
    ]
    index = LexicalIndex.from_texts([str(n) for n in range(len(texts))], texts)
    question = "hồ sơ karaoke"
    everywhere = index.scores(question)
    assert everywhere[0] > everywhere[1]  # corpus IDF: the subject word wins
    within = np.array([True, True] + [False] * (len(texts) - 2))
    local = index.scores(question, within)
    assert local[1] > local[0] and not local[2:].any()
    np.testing.assert_allclose(index.scores(question, np.ones(len(texts), bool)), everywhere, rtol=1e-5)


def test_damped_terms_weigh_less_within_documents():
    """The words of a document's own title describe all of it: damped, they no longer decide between its parts."""
    texts = ["kế hoạch thi hành luật tiêu chuẩn luật tiêu chuẩn", "tuyên truyền phổ biến luật", "báo chí"]
    index = LexicalIndex.from_texts(["a", "b", "c"], texts)
    within = np.array([True, True, False])
    question = "tuyên truyền luật tiêu chuẩn"
    plain = index.scores(question, within)
    damped = index.scores(question, within, frozenset(bm25_tokens("Luật tiêu chuẩn")), 0.0)
    assert plain[0] > plain[1] and damped[1] > damped[0]


def test_abbreviated_text_and_spelled_out_question_match_both_ways():
    """A text that writes "UBND tỉnh" / "HĐND" is found by the words in full, and a text in full by the
    abbreviation: both sides are indexed and queried with the Vietnamese abbreviations written out."""
    index = LexicalIndex.from_texts(
        ["short", "full", "other"],
        [
            "Văn phòng UBND tỉnh phân loại kiến nghị trong 03 ngày làm việc",
            "Thường trực Hội đồng nhân dân tỉnh giám sát việc giải quyết",
            "Sở Tài chính bố trí kinh phí thực hiện",
        ],
    )
    asked_in_full = index.scores("Văn phòng Ủy ban nhân dân tỉnh phân loại")
    assert asked_in_full.argmax() == 0 and asked_in_full[0] > 0
    asked_short = index.scores("Thường trực HĐND tỉnh")
    assert asked_short.argmax() == 1 and asked_short[2] == 0
    # document numbers keep their abbreviations: "QĐ-UBND" is part of an identifier
    assert "12/2025/qd-ubnd" in bm25_tokens(lexical_form("Quyết định số 12/2025/QĐ-UBND"))


def test_english_abbreviations_stay_as_the_text_writes_them():
    assert lexical_form("vốn ODA và FDI") == "vốn ODA và FDI"


def test_numbers_are_matched_without_their_leading_zeros():
    """Texts write "08 giờ", "05 ngày"; questions "8 giờ": BM25 reads both without the zeros (amounts and decimals
    keep theirs)."""
    from index.stores.tokens import lexical_form

    assert lexical_form("làm việc dưới 08 giờ, trong 05 ngày") == "làm việc dưới 8 giờ, trong 5 ngày"
    assert lexical_form("ngày 04/02/2015") == "ngày 4/2/2015"
    assert lexical_form("1.000.000 đồng, 0,5%, 10 ngày, 0 đồng") == "1.000.000 đồng, 0,5%, 10 ngày, 0 đồng"
