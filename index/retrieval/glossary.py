"""English → Vietnamese glossary of agencies and key terms (for the lexical side and for glosses).

Each entry: an English pattern (regex, lower-case) → the Vietnamese term as the corpus writes it.
The reverse map gives English glosses for answers to English questions. The entries are reference data in
``data/glossary.json`` (the standard provincial departments, ministries and councils, and key legal terms), so
that a new province's or subject's documents need an entry there, not a code change.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

GLOSSARY_FILE = Path(__file__).resolve().parent / "data" / "glossary.json"


def _load() -> dict:
    return json.loads(GLOSSARY_FILE.read_text(encoding="utf-8"))


_DATA = _load()
AGENCIES: list[tuple[str, str, str]] = [(a["en"], a["vi"], a["gloss"]) for a in _DATA["agencies"]]
TERMS: list[tuple[str, str]] = [(t["en"], t["vi"]) for t in _DATA["terms"]]
AGENCY_PREFIXES: tuple[str, ...] = tuple(_DATA["agency_prefixes"])

_COMPILED_AGENCIES = [(re.compile(p), vi, en) for p, vi, en in AGENCIES]
_COMPILED_TERMS = [(re.compile(p), vi) for p, vi in TERMS]


def agency_names() -> list[str]:
    """Vietnamese names of the provincial agencies in the glossary, longest first."""
    return sorted({vi for _, vi, _ in AGENCIES if vi.startswith(AGENCY_PREFIXES)}, key=len, reverse=True)


def expand_english(question: str) -> str:
    """Vietnamese terms for an English question (appended to the lexical query)."""
    q = question.lower()
    out: list[str] = []
    for rx, vi, _ in _COMPILED_AGENCIES:
        if rx.search(q):
            out.append(vi)
    for rx, vi in _COMPILED_TERMS:
        if rx.search(q):
            out.append(vi)
    return " ".join(out)


def agencies_in_english(question: str) -> list[str]:
    q = question.lower()
    return [vi for rx, vi, _ in _COMPILED_AGENCIES if rx.search(q)]


def english_gloss(vietnamese_agency: str) -> str | None:
    from corpus.text import fold

    key = fold(vietnamese_agency)
    best = None
    for _, vi, en in AGENCIES:
        if fold(vi) in key and (best is None or len(vi) > len(best[0])):
            best = (vi, en)
    return best[1] if best else None
