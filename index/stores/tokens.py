"""Vietnamese lexical analyser for BM25.

NFC → lower-case → accent folding (``Sở Ngoại vụ`` and ``so ngoai vu`` give the same tokens) →
word tokens (syllables) + syllable bigrams (Vietnamese words are mostly two syllables:
``ngoai_vu``, ``phong_vien``), with a short stop list of function syllables for the unigrams only
(bigrams keep them so "cơ quan" / "của tỉnh" still match as phrases).
"""

from __future__ import annotations

import re

from corpus.text import fold

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
