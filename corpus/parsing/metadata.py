"""Compatibility names for the metadata helpers, which now live in ``corpus.reader.metadata``."""

from __future__ import annotations

from corpus.reader.metadata import (
    DATE_SLASH_RE,
    DATE_WORDS_RE,
    NUMBER_RE,
    PLACE_DATE_RE,
    first_date,
    number_of,
    parse_effective,
    parse_number,
    parse_place_date,
    parse_signer,
    refs_in,
    relations_based_on,
    relations_from_decision,
    to_date,
)

__all__ = [
    "DATE_SLASH_RE",
    "DATE_WORDS_RE",
    "NUMBER_RE",
    "PLACE_DATE_RE",
    "first_date",
    "number_of",
    "parse_effective",
    "parse_number",
    "parse_place_date",
    "parse_signer",
    "refs_in",
    "relations_based_on",
    "relations_from_decision",
    "to_date",
]
