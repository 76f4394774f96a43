"""English → Vietnamese glossary of agencies and key terms (for the lexical side and for glosses).

Each entry: an English pattern (regex, lower-case) → the Vietnamese term as the corpus writes it.
The reverse map gives English glosses for answers to English questions. The entries are reference data in
``data/glossary.json`` (the standard provincial departments, ministries and councils, and key legal terms), so
that a new province's or subject's documents need an entry there, not a code change.

The terms are appended to an English question's lexical query as one string, so BM25 also forms bigrams across two
terms ("thanh tra" + "kiểm tra" -> "tra_kiểm"). Keeping each term's bigrams to itself was measured (2026-11-30, dev +
extra single-turn, 816 questions): article hit@1 691 -> 693 (English 263 -> 265), but extra cited 92.5 -> 92.3 (one
gained, two lost): not adopted.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

GLOSSARY_FILE = Path(__file__).resolve().parent / "data" / "glossary.json"


def _load() -> dict:
    return json.loads(GLOSSARY_FILE.read_text(encoding="utf-8"))


_DATA = _load()
AGENCIES: list[tuple[str, str, str]] = [(a["en"], a["vi"], a["gloss"]) for a in _DATA["agencies"]]
TERMS: list[tuple[str, str]] = [(t["en"], t["vi"]) for t in _DATA["terms"]]
AGENCY_PREFIXES: tuple[str, ...] = tuple(_DATA["agency_prefixes"])


def _alternatives(pattern: str) -> list[str]:
    """The top-level alternatives of a regular expression ("a|b(c|d)|e" -> ["a", "b(c|d)", "e"])."""
    out, depth, start, i = [], 0, 0, 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            i += 2
            continue
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth -= 1
        elif ch == "|" and depth == 0:
            out.append(pattern[start:i])
            start = i + 1
        i += 1
    return [*out, pattern[start:]]


def bounded(pattern: str) -> str:
    """A glossary pattern matched on whole words: each alternative starts at a word's start and ends at a word's
    end unless it spells out its endings itself (``\\w*``): "press" no longer fires in "express", "ward" in
    "reward", "sea" in "research", "preside" in "president". Measured over symspellpy's 30,000 most frequent
    English words (a match inside a word, other than a plural or inflection): 466 words wrongly matched by 61
    patterns as written, none once bounded."""
    parts = []
    for alt in _alternatives(pattern):
        left = "" if alt.startswith(("\\b", "^", "(?<")) else r"(?<![a-z])"
        right = "" if alt.endswith(("\\w*", "\\w+", "\\b", " ", "\\s")) else r"\b"
        parts.append(f"{left}(?:{alt}){right}")
    return "|".join(parts)


def anchors(pattern: str) -> tuple[str, ...] | None:
    """Literal text one of the pattern's alternatives must contain to match (its leading literal words), or None
    when some alternative starts with something else (a group, a class): then the pattern is always tried.
    Checking these substrings first skips the regular expressions that cannot match: 643 terms and 132 agencies
    were ~700 searches per English question (2.7 ms for the glossary expansion, 3 ms for its coverage)."""
    out = []
    for alt in _alternatives(pattern):
        body = re.sub(r"^(?:\\b|\^|\(\?<[=!][^)]*\))+", "", alt)
        m = re.match(r"[a-z0-9' ,&-]+", body)
        if m is None:
            return None
        literal = m.group(0)
        if body[m.end() : m.end() + 1] in ("?", "*", "{"):
            literal = literal[:-1]  # the last letter is optional
        if len(literal) < 3:
            return None
        out.append(literal)
    return tuple(out)


class _Pattern:
    """A compiled glossary pattern with the substrings it needs (``anchors``)."""

    __slots__ = ("rx", "need")

    def __init__(self, pattern: str):
        self.rx = re.compile(bounded(pattern))
        self.need = anchors(pattern)

    def search(self, text: str) -> re.Match[str] | None:
        if self.need is not None and not any(a in text for a in self.need):
            return None
        return self.rx.search(text)

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        if self.need is not None and not any(a in text for a in self.need):
            return iter(())
        return self.rx.finditer(text)


_COMPILED_AGENCIES = [(_Pattern(p), vi, en) for p, vi, en in AGENCIES]
_COMPILED_TERMS = [(_Pattern(p), vi) for p, vi in TERMS]


class _Candidates:
    """Which patterns of a list can match a text, found in one pass: every anchor of every pattern is looked for
    at once (one regular expression of zero-width look-aheads over all anchors: the positions where one starts,
    then the anchors starting there), and only the patterns whose anchor is present, or that have none, are
    tried, in their order. 775 patterns' own anchor checks were ~600,000 Python-level tests for the 406 English
    gold questions."""

    def __init__(self, patterns: list[_Pattern]):
        self.always = [i for i, p in enumerate(patterns) if p.need is None]
        self.by_anchor: dict[str, list[int]] = {}
        for i, p in enumerate(patterns):
            for a in p.need or ():
                self.by_anchor.setdefault(a, []).append(i)
        self.by_head: dict[str, list[str]] = {}
        for a in self.by_anchor:
            self.by_head.setdefault(a[:3], []).append(a)
        alternation = "|".join(re.escape(h) for h in sorted(self.by_head, key=len, reverse=True))
        self.starts = re.compile(f"(?=(?:{alternation}))") if alternation else None

    def __call__(self, text: str) -> list[int]:
        found = set(self.always)
        for m in self.starts.finditer(text) if self.starts is not None else ():
            at = m.start()
            for a in self.by_head.get(text[at : at + 3], ()):
                if text.startswith(a, at):
                    found.update(self.by_anchor[a])
        return sorted(found)


_AGENCY_CANDIDATES = _Candidates([p for p, _, _ in _COMPILED_AGENCIES])
_TERM_CANDIDATES = _Candidates([p for p, _ in _COMPILED_TERMS])


def agency_names() -> list[str]:
    """Vietnamese names of the provincial agencies in the glossary, longest first."""
    return sorted({vi for _, vi, _ in AGENCIES if vi.startswith(AGENCY_PREFIXES)}, key=len, reverse=True)


def expand_english(question: str) -> str:
    """Vietnamese terms for an English question (appended to the lexical query)."""
    q = question.lower()
    out = [_COMPILED_AGENCIES[i][1] for i in _AGENCY_CANDIDATES(q) if _COMPILED_AGENCIES[i][0].rx.search(q)]
    out += [_COMPILED_TERMS[i][1] for i in _TERM_CANDIDATES(q) if _COMPILED_TERMS[i][0].rx.search(q)]
    return " ".join(out)


def agencies_in_english(question: str) -> list[str]:
    q = question.lower()
    return [_COMPILED_AGENCIES[i][1] for i in _AGENCY_CANDIDATES(q) if _COMPILED_AGENCIES[i][0].rx.search(q)]


def english_gloss(vietnamese_agency: str) -> str | None:
    from corpus.text import fold

    key = fold(vietnamese_agency)
    best = None
    for _, vi, en in AGENCIES:
        if fold(vi) in key and (best is None or len(vi) > len(best[0])):
            best = (vi, en)
    return best[1] if best else None


EN_FUNCTION_WORDS = frozenset(
    """
a an the of in on at to for from by with without under over about into onto as and or but if then than that this these
those which what who whom whose when where why how is are was were be been being do does did done has have had having
can could may might must shall should will would it its they them their there here not no any all each every some such
other another more most less least many much very also only just so same per via within between during before after
please tell me you your i my we our us according say says said provide provided give given get gets one two three
""".split()
)


def english_coverage(question: str, names: tuple[str, ...] = ()) -> float:
    """Share of an English question's content words that the glossary translates (1.0 when it has none).

    BM25 sees only the glossary's Vietnamese terms for an English question, so a low share means the lexical
    side knows little of what is asked (a subject the glossary does not cover) and the dense side should lead."""
    from corpus.text import fold

    q = fold(question)
    for name in names:
        q = q.replace(fold(name), " ")
    covered = [False] * len(q)
    patterns = [_COMPILED_AGENCIES[i][0] for i in _AGENCY_CANDIDATES(q)]
    patterns += [_COMPILED_TERMS[i][0] for i in _TERM_CANDIDATES(q)]
    for pattern in patterns:
        for m in pattern.rx.finditer(q):
            covered[m.start() : m.end()] = [True] * (m.end() - m.start())
    words = [m for m in re.finditer(r"[a-z]{3,}", q) if m.group(0) not in EN_FUNCTION_WORDS]
    if not words:
        return 1.0
    return sum(1 for m in words if any(covered[m.start() : m.end()])) / len(words)
