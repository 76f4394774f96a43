"""``ParseError`` moved to ``corpus.reader.errors``; this name keeps working."""

from __future__ import annotations

from corpus.reader.errors import ParseError

__all__ = ["ParseError"]
