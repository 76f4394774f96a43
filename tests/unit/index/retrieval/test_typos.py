"""One-character slips corrected against a hand-built vocabulary (index.retrieval.typos)."""

from __future__ import annotations

import pytest

from index.retrieval.typos import TypoCorrector

TEXTS = [
    "Sở Ngoại vụ chủ trì quản lý phóng viên nước ngoài hoạt động tại tỉnh Bắc Kạn.",
    "Báo cáo năm gửi trước ngày 15 tháng 12 về Sở Thông tin và Truyền thông.",
]


@pytest.fixture(scope="module")
def typos():
    return TypoCorrector(TEXTS)


@pytest.mark.parametrize(
    "typed,meant",
    [
        ("quan ly phong vieen nuoc ngoai", "quan ly phong vien nuoc ngoai"),  # a doubled letter
        ("bao cao cua bac kann", "bao cao cua bac kan"),
        ("so ngoai vu chu tri quan ly phong vine", "so ngoai vu chu tri quan ly phong vien"),  # swapped letters
    ],
)
def test_a_slip_that_is_no_vietnamese_syllable_is_corrected(typos, typed, meant):
    assert typos.correct(typed) == meant


@pytest.mark.parametrize(
    "text",
    [
        "so sanh quy che",  # "sánh" is a real syllable the vocabulary lacks: left alone
        "so ngoai vu has which duties",  # English words in a mixed question form no known pair: left alone
        "bao cao nam 2025 gui truoc 15/12",  # numbers are never corrected
    ],
)
def test_real_words_and_numbers_are_left_alone(typos, text):
    assert typos.correct(text) == text


def test_the_text_embedded_gets_the_corrections_as_the_corpus_writes_them(typos):
    from index.retrieval.diacritics import DiacriticRestorer

    written = DiacriticRestorer(TEXTS).written
    assert typos.correct_text("Sở Ngoại vụ chủ trì quản lý phóng vieen nước ngoài", written) == (
        "Sở Ngoại vụ chủ trì quản lý phóng viên nước ngoài"
    )
    # typed without accents: the correction stays without accents
    assert typos.correct_text("so ngoai vu quan ly phong vieen", written) == "so ngoai vu quan ly phong vien"
    assert typos.correct_text("Báo cáo gửi trước ngày 15", written) == "Báo cáo gửi trước ngày 15"  # nothing to do


@pytest.fixture(scope="module")
def english():
    from index.retrieval.typos import EnglishSpeller

    return EnglishSpeller(["notarization"])


@pytest.mark.parametrize(
    "typed,meant",
    [
        ("Which agency leads inormation work udner the plan?", "Which agency leads information work under the plan?"),
        ("Who sigmed the decree?", "Who signed the decree?"),
        ("What are the legal bsaes?", "What are the legal bases?"),
    ],
)
def test_english_slips_are_corrected(english, typed, meant):
    assert english.correct(typed) == meant


def test_names_abbreviations_and_corpus_words_are_left_alone(english, typos):
    for text in (
        "Which agency leads in Tuyên Quang?",  # accented
        "Which agency leads in Tuyen Quang and Bac Kan?",  # Vietnamese syllables typed without accents
        "Is QĐ 68/2025/QĐ-UBND about UBND tinh?",  # abbreviations, numbers
        "Who keeps the notarization database?",  # a word of the caller's vocabulary
    ):
        assert english.correct(text, typos.words) == text


def test_question_words_are_corrected_against_the_question_phrases_too():
    """The corpus seldom writes "bao nhiêu": against it alone "bao nhiru tien" finds no pair to correct by."""
    from index.retrieval.diacritics import question_phrases
    from index.retrieval.typos import TypoCorrector

    corpus_text = ["Mức chi nhiều nhất là 10 triệu đồng tiền nhuận bút.", "Báo cáo định kỳ."]
    assert TypoCorrector(corpus_text).correct("bao nhiru tien") == "bao nhiru tien"
    assert TypoCorrector([*corpus_text, *question_phrases()]).correct("bao nhiru tien") == "bao nhieu tien"


def test_a_slip_with_no_neighbour_to_pair_with_takes_its_one_frequent_correction():
    """ "Đềiu 40 …": the next word is a number, so no pair of the corpus confirms "dieu"; it is the one word a slip away,
    and a frequent one. A rare one is left alone."""
    corrector = TypoCorrector(["Điều 1. Phạm vi", *["Điều khoản thi hành"] * 120])
    assert corrector.correct("deiu 40") == "dieu 40"
    rare = TypoCorrector(["Điều 1. Phạm vi"])
    assert rare.correct("deiu 40") == "deiu 40"
