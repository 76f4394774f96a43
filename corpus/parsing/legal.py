"""Compatibility names for the legal-structure helpers, which now live in ``corpus.reader``.

Kept so that code written against the first parsers keeps importing ``ARTICLE_RE``, ``CHAPTER_RE``,
``POINT_RE``, ``is_caps``, ``logical_lines``, ``split_articles``, ``build_article`` … from here.
"""

from __future__ import annotations

from corpus.reader.articles import (
    PREAMBLE_PREFIXES,
    ArticleDraft,
    build_article,
    make_preamble,
    split_articles,
    split_heading,
)
from corpus.reader.lines import (
    ARTICLE_RE,
    CHAPTER_RE,
    CLAUSE_RE,
    DEBRIS_RE,
    LOOSE_CLAUSE_RE,
    PARAGRAPH_START_RE,
    POINT_RE,
    SENTENCE_END,
    STOP_RE,
    Line,
    continues,
    is_caps,
    is_structural,
    logical_lines,
    point_slug,
)

__all__ = [
    "ARTICLE_RE",
    "CHAPTER_RE",
    "CLAUSE_RE",
    "DEBRIS_RE",
    "LOOSE_CLAUSE_RE",
    "PARAGRAPH_START_RE",
    "POINT_RE",
    "PREAMBLE_PREFIXES",
    "SENTENCE_END",
    "STOP_RE",
    "ArticleDraft",
    "Line",
    "build_article",
    "continues",
    "is_caps",
    "is_structural",
    "logical_lines",
    "make_preamble",
    "point_slug",
    "split_articles",
    "split_heading",
]
