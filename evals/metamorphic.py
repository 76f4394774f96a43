"""Metamorphic question variants: a gold question rewritten the ways people type it (issue 11).

``variants(question, language, names=(), seed=0) -> dict[str, str]`` applies every generator of
``VARIANTS`` and keeps the variants that change the text. Every generator has the signature
``(question, language, names, seed) -> str`` (``names`` as ``normalise_names`` returns them) and is deterministic: the same inputs give the same text
(random choices come from ``random.Random`` seeded with the variant's name, ``seed`` and the question).

``names`` are pairs ``(English/unaccented spelling, Vietnamese form)`` given by the caller (catalog
provinces, agencies from the glossary): ``("Lao Cai", "Lào Cai")`` is a respelling (same letters
once accents are dropped), ``("Department of Foreign Affairs", "Sở Ngoại vụ")`` a translation. Plain
strings are accepted too (``"Lào Cai"`` → ``("Lao Cai", "Lào Cai")``). Both spellings of every
name are protected from the typo generator.

The variants (expected: the same answer, the same first citation and the same language as the original)
* ``lower_no_punct`` – lower case, final punctuation dropped.
* ``no_diacritics`` – every diacritic removed, ``đ`` → ``d`` (case kept); English questions are unchanged
  unless they wrote a name with diacritics.
* ``diacritic_names`` – English questions only: each respelled name written the Vietnamese way
  (``Lao Cai`` → ``Lào Cai``), the mission's example of issue 11.
* ``polite`` – a polite lead-in: ``Cho tôi hỏi, …`` / ``Xin hỏi …`` (unaccented if the question is),
  ``Could you tell me …`` / ``Please, …``; the first word is lower-cased unless it starts a name.
* ``abbreviations`` – full forms written as people abbreviate them, from the table in
  ``corpus/data/abbreviations.json`` (Ủy ban nhân dân → UBND, thông tin đối ngoại → TTĐN,
  Sở Thông tin và Truyền thông → Sở TT&TT, Quyết định 12/2024 → QĐ 12/2024 …; English: Department of
  Information and Communications → DIC, Provincial People's Committee → PPC); the spelling among
  ``VH-TT-DL``/``VHTTDL`` is a seeded choice.
* ``typo`` – one character deleted, doubled, swapped with its neighbour or replaced by a neighbouring
  key, in a word of four letters or more that is no number, no abbreviation and no protected name.
* ``code_switch`` – English question: names given as translations written in Vietnamese (``Sở Ngoại vụ
  Lào Cai`` inside the English sentence), or else one term from the abbreviation table's English
  glosses written in Vietnamese (``foreign information`` → ``thông tin đối ngoại``); Vietnamese question:
  its question word in English (``cơ quan nào`` → ``cơ quan which``, ``gì`` → ``what``, ``thì sao`` → ``thì
  how``, ``… không?`` → ``… or not?``, ``So sánh`` → ``compare``), or else one term in English. The grammar
  stays the original's, so the expected language does not change.

Coverage on the 454 gold questions of evals/data (2026-11-29) with the names of the unit tests (the 63
provincial units of ``corpus.provinces`` in their spellings, agencies): polite 454, typo 449, code_switch 417,
lower_no_punct 401, no_diacritics 293 (every accented Vietnamese one), abbreviations 164, diacritic_names 76
(every English one that names a unit without diacritics). A question with no word of four letters outside
names and numbers gets no typo; one with no question word, no translated name and no glossed term no code
switch.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import lru_cache
from typing import Literal

from corpus.abbreviations import (
    PhraseMatcher,
    abbreviation_spans,
    contract_abbreviations,
    fold_aligned,
    load_abbreviations,
    phrase_pattern,
    seeded_pick,
    strip_diacritics,
)
from corpus.text import fold, has_diacritics, nfc, squash
from index.retrieval.language import EN_GRAMMAR, VI_GRAMMAR

NamePair = tuple[str, str]
Names = Mapping[str, str] | Iterable[NamePair | str]
Generator = Callable[[str, str, Sequence[NamePair], int], str]

POLITE_VI = ("Cho tôi hỏi, ", "Xin hỏi ")
POLITE_EN = ("Could you tell me ", "Please, ")
# Vietnamese question words → English, most specific first.
QUESTION_WORDS_VI_EN: tuple[tuple[str, str], ...] = (
    ("như thế nào", "how"),
    ("thế nào", "how"),
    ("bao nhiêu", "how much"),
    ("khi nào", "when"),
    ("ở đâu", "where"),
    ("vì sao", "why"),
    ("tại sao", "why"),
    ("số mấy", "which number"),
    ("ngày nào", "which date"),
    ("gì", "what"),
    ("nào", "which"),
    ("ai", "who"),
    ("sao", "how"),
    ("không", "or not"),
    ("so sánh", "compare"),
    ("liệt kê", "list"),
)
#: an English question with nothing left to say in Vietnamese (its names and terms already are): its question
#: words are, the other way round ("Cơ quan nào acts as the standing body of the Ban biên tập?")
QUESTION_WORDS_EN_VI: tuple[tuple[str, str], ...] = (
    ("which agencies", "những cơ quan nào"),
    ("which agency", "cơ quan nào"),
    ("which department", "sở nào"),
    ("which ministry", "bộ nào"),
    ("how many", "bao nhiêu"),
    ("how much", "bao nhiêu"),
    ("how long", "bao lâu"),
    ("who", "ai"),
    ("when", "khi nào"),
    ("what", "gì"),
    ("which", "nào"),
)
KEYBOARD_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")
_FINAL_PUNCT = re.compile(r"[\s?.!…;:]+$")
_WORD = re.compile(r"[^\W\d_]+")


def normalise_names(names: Names = ()) -> tuple[NamePair, ...]:
    """Pairs (English/unaccented spelling, Vietnamese form), longest English spelling first."""
    items = names.items() if isinstance(names, Mapping) else names
    pairs: set[NamePair] = set()
    for item in items:
        en, vi = (strip_diacritics(item), item) if isinstance(item, str) else item
        if en.strip() and vi.strip():
            pairs.add((nfc(en), nfc(vi)))
    return tuple(sorted(pairs, key=lambda p: (-len(p[0]), p)))


def is_respelling(en: str, vi: str) -> bool:
    """Same name once accents, case and spaces are dropped (``Hanoi`` / ``Hà Nội``)?"""
    return fold(en).replace(" ", "") == fold(vi).replace(" ", "")


def _rng(kind: str, question: str, seed: int) -> random.Random:
    return random.Random(f"{kind}:{seed}:{question}")


def _replace_spans(text: str, spans: Iterable[tuple[int, int, str]]) -> str:
    out, last = [], 0
    for start, end, new in sorted(spans):
        if start < last:
            continue
        out += [text[last:start], new]
        last = end
    return "".join(out) + text[last:]


@lru_cache(maxsize=64)
def _matcher(pairs: tuple[NamePair, ...], which: str) -> PhraseMatcher:
    return PhraseMatcher((p[0] if which == "en" else p[1], p) for p in pairs)


def _name_spans(text: str, pairs: Iterable[NamePair], which: str = "en") -> list[tuple[int, int, NamePair]]:
    """Non-overlapping occurrences (accent/case-insensitive) of each pair's English (or Vietnamese) form."""
    return _matcher(tuple(pairs), which).find(text)  # type: ignore[return-value]


def protected_spans(text: str, names: Sequence[NamePair]) -> list[tuple[int, int]]:
    """Spans no rewrite may touch inside: names (either spelling), abbreviations, numbers."""
    spans = [(s, e) for s, e, _ in _name_spans(text, names, "en")]
    spans += [(s, e) for s, e, _ in _name_spans(text, names, "vi")]
    spans += [(s, e) for s, e, _ in abbreviation_spans(text)]
    spans += [m.span() for m in re.finditer(r"\S*\d\S*", text)]
    return spans


# ---------------------------------------------------------------------------------------------- generators


def lower_no_punct(question: str, language: str, names: Sequence[NamePair] = (), seed: int = 0) -> str:
    return _FINAL_PUNCT.sub("", nfc(question).lower())


def no_diacritics(question: str, language: str, names: Sequence[NamePair] = (), seed: int = 0) -> str:
    return strip_diacritics(question)


def diacritic_names(question: str, language: str, names: Sequence[NamePair] = (), seed: int = 0) -> str:
    if language != "en":
        return question
    text = nfc(question)
    respellings = [p for p in names if is_respelling(*p)]
    spans = [(s, e, vi) for s, e, (_, vi) in _name_spans(text, respellings) if not has_diacritics(text[s:e])]
    return _replace_spans(text, spans)


def _starts_with_name(text: str, names: Sequence[NamePair]) -> bool:
    if any(s == 0 for s, _, _ in _name_spans(text, names, "en") + _name_spans(text, names, "vi")):
        return True
    if any(s == 0 for s, _, _ in abbreviation_spans(text)):
        return True
    words = text.split()
    first = words[0] if words else ""
    if fold(first) in EN_GRAMMAR or fold(first) in VI_GRAMMAR:
        return False
    # "Sở Công Thương …", "Lao Cai's …": a capitalised second word continues a proper name
    return len(words) > 1 and words[1][:1].isupper() or first.isupper()


def polite(question: str, language: str, names: Sequence[NamePair] = (), seed: int = 0) -> str:
    text = nfc(question).strip()
    lead = _rng("polite", text, seed).choice(POLITE_VI if language == "vi" else POLITE_EN)
    if language == "vi" and not has_diacritics(text):
        lead = strip_diacritics(lead)
        if text == text.lower():
            lead = lead.lower()
    if text and not _starts_with_name(text, names):
        text = text[0].lower() + text[1:]
    return lead + text


def abbreviations(question: str, language: str, names: Sequence[NamePair] = (), seed: int = 0) -> str:
    text = nfc(question)
    lang: Literal["vi", "en"] = "en" if language == "en" else "vi"
    return contract_abbreviations(text, language=lang, pick=seeded_pick(f"abbr:{seed}:{text}"))


def _neighbour_key(ch: str, rng: random.Random) -> str:
    base = strip_diacritics(ch).lower()
    for row in KEYBOARD_ROWS:
        if base in row:
            i = row.index(base)
            options = [row[j] for j in (i - 1, i + 1) if 0 <= j < len(row)]
            out = rng.choice(options)
            return out.upper() if ch.isupper() else out
    return ch


def typo(question: str, language: str, names: Sequence[NamePair] = (), seed: int = 0) -> str:
    text = nfc(question)
    rng = _rng("typo", text, seed)
    blocked = protected_spans(text, names)
    words = [
        m
        for m in _WORD.finditer(text)
        if len(m.group()) >= 4 and not any(s < m.end() and m.start() < e for s, e in blocked)
    ]
    if not words:
        return text
    m = rng.choice(words)
    word, op = m.group(), rng.choice(("delete", "double", "swap", "neighbour"))
    i = rng.randrange(1, len(word) - 1)  # never the first letter: people rarely miss it
    if op == "delete":
        new = word[:i] + word[i + 1 :]
    elif op == "double" and not has_diacritics(word[i]):
        new = word[:i] + word[i] + word[i:]
    elif op == "swap" and word[i] != word[i + 1]:
        new = word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    else:
        new = word[:i] + _neighbour_key(word[i], rng) + word[i + 1 :]
        if new == word:
            new = word[:i] + word[i + 1 :]
    return text[: m.start()] + new + text[m.end() :]


def _code_switch_en(text: str, names: Sequence[NamePair]) -> str:
    translations = [p for p in names if not is_respelling(*p)]
    spans = [(s, e, vi) for s, e, (_, vi) in _name_spans(text, translations)]
    if not spans:  # no agency name to keep in Vietnamese: one term from the table's English glosses
        table = load_abbreviations()
        glosses = [(g, e.full[0], e) for e in table if e.language == "vi" for g in e.en]
        folded = fold_aligned(text)
        found = []
        for gloss, vi, entry in glosses:
            for m in re.finditer(phrase_pattern(gloss), folded):
                if entry.contract == "capitalised" and not text[m.start()].isupper():
                    vi = vi.lower()  # "the 2018 decision" → "the 2018 quyết định"
                found.append((m.end() - m.start(), m.start(), m.end(), vi))
        if found:
            _, s, e, vi = max(found, key=lambda f: (f[0], -f[1]))
            spans = [(s, e, vi)]
    respellings = [p for p in names if is_respelling(*p)]
    spans += [(s, e, vi) for s, e, (_, vi) in _name_spans(text, respellings) if not has_diacritics(text[s:e])]
    if not spans:
        for en, vi in QUESTION_WORDS_EN_VI:
            m = re.search(r"(?<!\w)" + re.escape(en) + r"(?!\w)", text, re.I)
            if m:
                spans = [(m.start(), m.end(), vi[0].upper() + vi[1:] if text[m.start()].isupper() else vi)]
                break
    return _replace_spans(text, spans)


def _code_switch_vi(text: str, names: Sequence[NamePair]) -> str:
    accented = has_diacritics(text)
    haystack = nfc(text).lower() if accented else fold_aligned(text)
    blocked = protected_spans(text, names)
    for vi, en in QUESTION_WORDS_VI_EN:
        needle = vi if accented else fold(vi)
        for m in re.finditer(r"(?<!\w)" + re.escape(needle) + r"(?!\w)", haystack):
            if not any(s < m.end() and m.start() < e for s, e in blocked):
                return text[: m.start()] + en + text[m.end() :]
    # no question word (an imperative: "So sánh …"): one Vietnamese term in English
    table = load_abbreviations()
    folded = fold_aligned(text)
    for form, gloss in sorted(
        ((f, e.en[0]) for e in table if e.language == "vi" and e.en for f in e.full), key=lambda p: -len(p[0])
    ):
        hit = re.search(phrase_pattern(form), folded)
        if hit and not any(s < hit.end() and hit.start() < e for s, e in blocked):
            return text[: hit.start()] + gloss + text[hit.end() :]
    return text


def code_switch(question: str, language: str, names: Sequence[NamePair] = (), seed: int = 0) -> str:
    text = nfc(question)
    return _code_switch_en(text, names) if language == "en" else _code_switch_vi(text, names)


VARIANTS: dict[str, Generator] = {
    "lower_no_punct": lower_no_punct,
    "no_diacritics": no_diacritics,
    "diacritic_names": diacritic_names,
    "polite": polite,
    "abbreviations": abbreviations,
    "typo": typo,
    "code_switch": code_switch,
}


def variants(question: str, language: str, names: Names = (), seed: int = 0) -> dict[str, str]:
    """Every variant of ``question`` that changes its text, by generator name (in ``VARIANTS`` order)."""
    pairs = normalise_names(names)
    original = squash(nfc(question))
    out: dict[str, str] = {}
    for kind, generate in VARIANTS.items():
        text = squash(nfc(generate(question, language, pairs, seed)))
        if text and text != original:
            out[kind] = text
    return out


def language_accuracy(
    cases: Iterable[tuple[str, str]], detectors: Mapping[str, Callable[[str], str]]
) -> dict[str, tuple[int, int]]:
    """(correct, total) per detector over (text, expected language) cases."""
    cases = list(cases)
    return {name: (sum(detect(text) == lang for text, lang in cases), len(cases)) for name, detect in detectors.items()}
