"""The retriever's rules that need no index: when an article the text lacks may be one it cites."""

from __future__ import annotations

import pytest

from corpus.text import fold
from index.retrieval.retriever import SPEAKS_OF_ANOTHER_TEXT_RE


@pytest.mark.parametrize(
    "question,another",
    [
        ("vậy Điều 11 Điều khoản chuyển tiếp cũ giờ thành điều mấy?", True),
        ("Which article of the circular amends Article 7?", True),
        ("Khoản nào dẫn chiếu Điều 25?", True),
        # the text in scope asked for an article it lacks: "not found", whatever clause cites that number elsewhere
        ("dieu 25 quy dinh cung cap thong tin cong ttdt tinh noi ve noi dung gi", False),
        ("Điều 25 quy chế giải quyết kiến nghị cử tri quy định gì?", False),
    ],
)
def test_an_article_the_text_lacks_stands_for_a_cited_one_only_when_another_text_is_spoken_of(question, another):
    assert bool(SPEAKS_OF_ANOTHER_TEXT_RE.search(fold(question))) is another
