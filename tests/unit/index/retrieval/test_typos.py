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
