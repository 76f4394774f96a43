"""Abbreviations people type in questions and texts write (UBND, HĐND, TTĐN, Sở TT&TT, VH-TT-DL, QĐ, KH, NĐ, TT, PPC …).

Here in ``corpus`` because both sides use it: the question analysis writes a question's abbreviations out, and the
BM25 text of every node is written out the same way (``index.stores.tokens.lexical_form``), so "UBND tỉnh" in a
plan and "Ủy ban nhân dân tỉnh" in a question (or the reverse) are the same words. Measured when the texts joined
(2026-11-30): 1,311 extra questions cited 94.5 -> 94.5, facts 94.6 -> 94.8; dev cited 96.6 -> 96.9, facts 97.2 ->
97.5, one more unanswerable question answered (abstention recall 86.8 -> 84.2); validity unchanged.

The table is data, not code: ``corpus/data/abbreviations.json`` maps each abbreviation to its full
Vietnamese forms (the first is the canonical expansion), other spellings of the abbreviation (``aliases``:
unaccented ``QD``, other separators ``VHTTDL``) and English glosses; a second section maps English
abbreviations (PPC, DIC, DOFA …) to their English full forms. Adding a row needs no code change.

* ``load_abbreviations()`` – the parsed table (cached).
* ``expand_abbreviations(text, to="vi")`` – every abbreviation written as a word of its own is replaced by
  its canonical full form (``to="en"``: its English gloss where the table has one). Abbreviations inside a
  document number (``12/2024/QĐ-UBND``) are part of an identifier and left alone.
* ``contract_abbreviations(text, pick=None)`` – the inverse, used by the metamorphic question variants:
  full forms written out become abbreviations. A full form that is also an ordinary word in lower case
  (``quyết định`` = to decide, ``kế hoạch`` = plan as a common noun) is shortened only when capitalised or
  followed by a number (``contract: "capitalised"`` in the table).
* ``fold_aligned(text)`` – accent/case folding that keeps every character's position, so a match found in
  the folded text is replaced in the original (shared with ``language.py``); ``PhraseMatcher`` finds a set
  of phrases (names, full forms) that way; ``strip_diacritics`` removes accents but keeps case.

Decisions
* Matching of full forms is accent- and case-insensitive on the folded text and tolerant of the separators
  people vary (``Văn hóa, Thể thao và Du lịch`` = ``Văn hoá - Thể thao và Du lịch`` = ``van hoa the thao va
  du lich``): between two words any of ``[\\s,\\-–&'’]``. Leftmost, then longest, so ``Kế hoạch và Đầu
  tư`` becomes ``KH&ĐT``, not ``KH và Đầu tư``. Phrases are looked up word by word in a dictionary rather
  than through one regex alternation (measured on gold_dev, 76 phrases: 102 → 14 µs per question).
* Matching of abbreviations is case-sensitive unless the lower-case spelling cannot be a Vietnamese word
  (no vowel – ``kh``, ``qđ``, ``tt&tt`` – or four letters or more – ``ubnd``, ``ttdn``): ``tư`` (private,
  four) must not read as ``TƯ`` (central), ``ngo`` (alley) must not read as ``NGO``.
* An abbreviation must be a whole token of ``[\\w&-]`` not touching a ``/``, which keeps document numbers
  (``12/2024/QĐ-UBND``, ``NĐ-CP``) intact. Spellings with a space inside are not supported.
"""

from __future__ import annotations

import json
import random
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal

from corpus.text import fold, has_diacritics, nfc

DATA_FILE = Path(__file__).resolve().parent / "data" / "abbreviations.json"

_SEPARATORS = r"[\s,\-–&'’]+"
_WORD = re.compile(r"\w+")
_ABBREVIATION_TOKEN = re.compile(r"[\w&\-]+")
_VOWELS = set("aeiouy")


@dataclass(frozen=True)
class Abbreviation:
    abbr: str
    language: Literal["vi", "en"]
    full: tuple[str, ...]
    aliases: tuple[str, ...] = ()
    en: tuple[str, ...] = ()
    contract: Literal["any", "capitalised"] = "any"
    # spelled out in questions too (``question_abbreviations``), or only in the BM25 text of questions and nodes alike
    questions: bool = True
    # also typed in lower case in a chat ("ppc", "doj", "mocst"): an English abbreviation no word of either language is
    # spelled like (not "mic", "ngo", "oda"); a Vietnamese one is read so by ``_case_insensitive``'s rule
    any_case: bool = False

    @property
    def spellings(self) -> tuple[str, ...]:
        return (self.abbr, *self.aliases)


@dataclass(frozen=True)
class AbbreviationTable:
    entries: tuple[Abbreviation, ...]

    def __iter__(self):
        return iter(self.entries)

    def __len__(self) -> int:
        return len(self.entries)

    def get(self, abbr: str) -> Abbreviation | None:
        return next((e for e in self.entries if abbr in e.spellings), None)

    @property
    def full_forms(self) -> tuple[str, ...]:
        """Every full form (Vietnamese and English), longest first."""
        return tuple(sorted({f for e in self.entries for f in e.full}, key=len, reverse=True))


# ---------------------------------------------------------------- folding that keeps positions


_FOLD_CHAR: dict[str, str] = {}


def _fold_char(ch: str) -> str:
    out = _FOLD_CHAR.get(ch)
    if out is None:
        if ch.isspace():
            out = " "
        else:
            f = fold(ch)
            if len(f) != 1:  # a lone combining mark (folds to ''), or a letter lower-casing to two characters
                f = (ch.lower() or " ")[0]
                f = " " if unicodedata.combining(f) else f
            out = f
        _FOLD_CHAR[ch] = out
    return out


def fold_aligned(text: str) -> str:
    """``corpus.text.fold`` character by character, without squashing: ``len(result) == len(text)``, so a
    span found in the result is the same span in ``text`` (expects NFC text)."""
    return "".join(_fold_char(ch) for ch in text)


def strip_diacritics(text: str) -> str:
    """Diacritics removed, case kept: ``Sở TT&TT Lào Cai`` → ``So TT&TT Lao Cai``."""
    text = nfc(text).replace("đ", "d").replace("Đ", "D")
    return nfc("".join(ch for ch in unicodedata.normalize("NFD", text) if not unicodedata.combining(ch)))


def phrase_pattern(phrase: str) -> str:
    """Regex (for folded text) matching ``phrase`` accent/case-insensitively with any separators between
    its words (apostrophes included: ``People's``), as whole words."""
    words = re.findall(r"\w+", fold(phrase))
    return r"(?<!\w)" + _SEPARATORS.join(map(re.escape, words)) + r"(?!\w)"


# ---------------------------------------------------------------- the table


def _entry(abbr: str, language: Literal["vi", "en"], row: dict) -> Abbreviation:
    return Abbreviation(
        abbr=nfc(abbr),
        language=language,
        full=tuple(nfc(f) for f in row["full"]),
        aliases=tuple(nfc(a) for a in row.get("aliases", ())),
        en=tuple(row.get("en", ())),
        contract=row.get("contract", "any"),
        questions=row.get("questions", True),
        any_case=row.get("any_case", False),
    )


@lru_cache(maxsize=4)
def load_abbreviations(path: Path | str = DATA_FILE) -> AbbreviationTable:
    raw = json.loads(Path(path).read_text(encoding="utf-8"))
    entries = [_entry(a, "vi", row) for a, row in raw.get("vi", {}).items()]
    entries += [_entry(a, "en", row) for a, row in raw.get("en", {}).items()]
    return AbbreviationTable(tuple(entries))


@lru_cache(maxsize=1)
def question_abbreviations() -> AbbreviationTable:
    """The rows a question's text is written out with (the analysis reads it so). A row marked ``"questions": false``
    is written out only in the BM25 text: when texts write the short form as a word of their own ("Cổng TTĐT thành
    phần là …", "giải quyết TTHC"), the question's words must stay as typed to meet the text's own words when a
    definition, a quote or a heading is matched on the text as written. Spelling out TTĐN-like rows of that kind in
    questions as well was measured (2026-11-30, extra 1,311): six answers lost, three on a "Cổng TTĐT" definition."""
    return AbbreviationTable(tuple(e for e in load_abbreviations() if e.questions))


def _case_insensitive(entry: Abbreviation, spelling: str) -> bool:
    if entry.language != "vi":
        return entry.any_case
    letters = [c for c in fold(spelling) if c.isalpha()]
    return not (_VOWELS & set(letters)) or len(letters) >= 4


class PhraseMatcher:
    """Finds phrases in text accent- and case-insensitively, word by word (a dictionary lookup per word, not
    one regex alternation: 102 → 14 µs per gold_dev question with 76 phrases). Between two words of a
    phrase the text may have any of ``[\\s,\\-–&'’]``; matches are leftmost, then longest, never overlapping.
    """

    _GAP = re.compile(_SEPARATORS)

    def __init__(self, phrases: Iterable[tuple[str, object]] | Iterable[str]):
        self._first: dict[str, list[tuple[tuple[str, ...], object]]] = {}
        for item in phrases:
            phrase, payload = (item, item) if isinstance(item, str) else item
            words = tuple(_WORD.findall(fold(phrase)))
            if words:
                self._first.setdefault(words[0], []).append((words, payload))
        for options in self._first.values():
            options.sort(key=lambda o: len(o[0]), reverse=True)

    def __bool__(self) -> bool:
        return bool(self._first)

    def find(self, text: str, folded: str | None = None) -> list[tuple[int, int, object]]:
        """(start, end, payload) in NFC ``text`` (``folded``: its ``fold_aligned`` form, if already known)."""
        folded = fold_aligned(text) if folded is None else folded
        tokens = [(m.start(), m.end(), m.group()) for m in _WORD.finditer(folded)]
        out: list[tuple[int, int, object]] = []
        i = 0
        while i < len(tokens):
            hit = None
            for words, payload in self._first.get(tokens[i][2], ()):
                n = len(words)
                if i + n > len(tokens):
                    continue
                if all(tokens[i + k][2] == words[k] for k in range(1, n)) and all(
                    self._GAP.fullmatch(folded[tokens[i + k - 1][1] : tokens[i + k][0]]) for k in range(1, n)
                ):
                    hit = (tokens[i][0], tokens[i + n - 1][1], payload, n)
                    break
            if hit:
                out.append(hit[:3])
                i += hit[3]
            else:
                i += 1
        return out


@lru_cache(maxsize=8)
def _abbreviation_lookup(table: AbbreviationTable) -> tuple[dict[str, Abbreviation], dict[str, Abbreviation]]:
    """(exact spelling → entry, lower-case spelling → entry for the case-insensitive ones)."""
    exact: dict[str, Abbreviation] = {}
    lower: dict[str, Abbreviation] = {}
    for entry in table.entries:
        for spelling in entry.spellings:
            exact.setdefault(spelling, entry)
            if _case_insensitive(entry, spelling):
                lower.setdefault(spelling.lower(), entry)
    return exact, lower


def abbreviation_spans(text: str, table: AbbreviationTable | None = None) -> list[tuple[int, int, Abbreviation]]:
    """(start, end, entry) of every abbreviation written as a word of its own in NFC ``text``."""
    exact, lower = _abbreviation_lookup(table or load_abbreviations())
    out = []
    for m in _ABBREVIATION_TOKEN.finditer(text):
        token = m.group().strip("-")
        entry = exact.get(token) or lower.get(token.lower())
        if entry is None:
            continue
        start = m.start() + m.group().index(token)
        end = start + len(token)
        if text[start - 1 : start] == "/" or text[end : end + 1] == "/":
            continue  # inside a document number: 12/2024/QĐ-UBND
        out.append((start, end, entry))
    return out


@lru_cache(maxsize=8)
def _full_form_matcher(table: AbbreviationTable) -> PhraseMatcher:
    return PhraseMatcher((f, e) for e in table.entries for f in e.full)


def full_form_spans(text: str, table: AbbreviationTable | None = None) -> list[tuple[int, int, Abbreviation]]:
    """(start, end, entry) of every full form written out in NFC ``text`` (accent/case-insensitive)."""
    return _full_form_matcher(table or load_abbreviations()).find(text)  # type: ignore[return-value]


# ---------------------------------------------------------------- expand / contract


def _rewrite_abbreviations(
    text: str, table: AbbreviationTable | None, replacement: Callable[[str, Abbreviation], str | None]
) -> str:
    """``text`` with each abbreviation standing on its own replaced by ``replacement(surface, entry)`` (kept when
    that is None)."""
    text = nfc(text)
    out, last = [], 0
    for start, end, entry in abbreviation_spans(text, table):
        new = replacement(text[start:end], entry)
        if new is not None:
            out += [text[last:start], new]
            last = end
    out.append(text[last:])
    return "".join(out)


def expand_abbreviations(text: str, to: Literal["vi", "en"] = "vi", table: AbbreviationTable | None = None) -> str:
    """Each abbreviation standing on its own → its canonical full form (``to="en"``: English gloss if any).

    ``Sở TT&TT phối hợp với UBND tỉnh`` → ``Sở Thông tin và Truyền thông phối hợp với Ủy ban nhân dân tỉnh``.
    """

    def full(_: str, entry: Abbreviation) -> str:
        return entry.en[0] if to == "en" and entry.language == "vi" and entry.en else entry.full[0]

    return _rewrite_abbreviations(text, table, full)


def capitalise_abbreviations(text: str, table: AbbreviationTable | None = None) -> str:
    """Abbreviations typed in lower case written in capitals, as the texts write them (``cổng ttđt`` → ``cổng TTĐT``,
    ``sở tt&tt`` → ``sở TT&TT``): what the embedder reads (its vocabulary is case-sensitive). Only the rows whose
    abbreviation is written in capitals and that are read in any case (``_case_insensitive``)."""
    return _rewrite_abbreviations(
        text, table, lambda surface, entry: surface.upper() if surface.islower() and entry.abbr.isupper() else None
    )


def _followed_by_number(text: str, end: int) -> bool:
    return bool(re.match(r"\s*(?:số\s*|so\s*|No\.?\s*)?\d", text[end:], flags=re.IGNORECASE))


def contract_abbreviations(
    text: str,
    table: AbbreviationTable | None = None,
    language: Literal["vi", "en"] = "vi",
    pick: Callable[[Sequence[str]], str] | None = None,
    protected: Sequence[tuple[int, int]] = (),
) -> str:
    """Full forms written out → abbreviations (the inverse of ``expand_abbreviations``).

    ``language`` selects the section of the table (Vietnamese or English abbreviations); ``pick`` chooses
    among the spellings of an abbreviation (default: the canonical one); spans in ``protected`` are kept.
    In a question typed without diacritics the abbreviation is written without them too (``QĐ`` → ``QD``).
    """
    table = table or load_abbreviations()
    text = nfc(text)
    choose = pick or (lambda spellings: spellings[0])
    accented = has_diacritics(text)
    out, last = [], 0
    for start, end, entry in full_form_spans(text, table):
        if entry.language != language or any(s < end and start < e for s, e in protected):
            continue
        if entry.contract == "capitalised" and not (text[start].isupper() or _followed_by_number(text, end)):
            continue
        if accented:  # the unaccented aliases are how people type without diacritics, not an accented spelling
            spellings = [s for s in entry.spellings if s == entry.abbr or s != strip_diacritics(entry.abbr)]
        else:
            spellings = list(dict.fromkeys(strip_diacritics(s) for s in entry.spellings))
        spellings = [s for s in spellings if " " not in s] or spellings
        out += [text[last:start], choose(spellings)]
        last = end
    out.append(text[last:])
    return "".join(out)


def seeded_pick(seed: str) -> Callable[[Sequence[str]], str]:
    """A deterministic chooser (same seed → same choices), for reproducible variants."""
    rng = random.Random(seed)
    return lambda options: options[rng.randrange(len(options))]
