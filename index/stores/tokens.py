"""Vietnamese lexical analyser for BM25.

NFC → lower-case → accent folding (``Sở Ngoại vụ`` and ``so ngoai vu`` give the same tokens) →
word tokens (syllables) + syllable bigrams (Vietnamese words are mostly two syllables:
``ngoai_vu``, ``phong_vien``), with a short stop list of function syllables for the unigrams only
(bigrams keep them so "cơ quan" / "của tỉnh" still match as phrases).
"""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache

from corpus.abbreviations import DATA_FILE as ABBREVIATIONS_FILE
from corpus.abbreviations import AbbreviationTable, expand_abbreviations, load_abbreviations
from corpus.text import fold

#: how node texts are turned into BM25 text (in the build's fingerprint with the abbreviation table: a change rebuilds)
LEXICAL_FORM = "vi-abbreviations-spelled-out+numbers-without-leading-zeros"
#: a number's leading zeros ("08 giờ", "05 ngày làm việc", "ngày 04/02/2015"): texts write them, questions do not
LEADING_ZEROS_RE = re.compile(r"(?<![\d.,])0+(?=\d)")

TOKEN_RE = re.compile(r"[a-z0-9]+(?:/[a-z0-9\-]+)*")
STOP = {
    "va",
    "cua",
    "cac",
    "la",
    "co",
    "cho",
    "voi",
    "trong",
    "tren",
    "theo",
    "de",
    "duoc",
    "nhung",
    "mot",
    "nay",
    "do",
    "tai",
    "ve",
    "thi",
    "khi",
    "hoac",
    "nhu",
    "sau",
    "tu",
    "den",
    "ra",
    "vao",
    "the",
    "of",
    "and",
    "to",
    "in",
    "for",
    "on",
    "a",
    "an",
    "is",
    "what",
    "which",
    "who",
    "does",
}


def syllables(text: str) -> list[str]:
    return TOKEN_RE.findall(fold(text))


def bm25_tokens(text: str) -> list[str]:
    sy = syllables(text)
    uni = [s for s in sy if s not in STOP]
    bi = [f"{a}_{b}" for a, b in zip(sy, sy[1:])]
    return uni + bi


def lexical_form_id() -> str:
    """``LEXICAL_FORM`` and the abbreviation table it writes out: a row added there changes every build's BM25 text."""
    return f"{LEXICAL_FORM}:{hashlib.sha256(ABBREVIATIONS_FILE.read_bytes()).hexdigest()[:12]}"


@lru_cache(maxsize=1)
def _vietnamese_abbreviations() -> AbbreviationTable:
    return AbbreviationTable(tuple(e for e in load_abbreviations() if e.language == "vi"))


def lexical_form(text: str) -> str:
    """A text as BM25 indexes and queries it: the Vietnamese abbreviations written out (``Văn phòng UBND tỉnh`` →
    ``Văn phòng Ủy ban nhân dân tỉnh``), as the question analysis writes them out in questions. Texts that abbreviate
    (a plan's ``UBND tỉnh``, a regulation's ``HĐND``) had not matched the same words asked in full or in short.
    English abbreviations (``PPC``, ``FDI``) stay as written: a Vietnamese text uses them as words of its own.
    Numbers lose their leading zeros ("08 giờ" -> "8 giờ"): the texts write "08 giờ", "05 ngày", questions "8 giờ";
    "chưa tới 8 giờ" had not matched the rule "làm việc dưới 08 giờ"."""
    return LEADING_ZEROS_RE.sub("", expand_abbreviations(text, to="vi", table=_vietnamese_abbreviations()))
