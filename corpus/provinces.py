"""Vietnam's provincial-level units and the 2025 arrangement: a typed registry over ``data/provinces.json``.

The data file names its legal source (Nghị quyết số 202/2025/QH15 of the National Assembly, successor date
01/07/2025) and lists the 63 units that existed before the arrangement; the 34 that exist since carry their
``predecessors`` (themselves included when they kept their name, as all 23 merged units did), the 29 that were
merged away carry ``successor`` and ``until`` (their last day). A unit that kept its name is one entry, so names
stay unique after folding. It is reference data: answers quote it as a labelled note, never as a corpus citation.

Recognising names in free text (``ProvinceRegistry.find_mentions``) works on word tokens, never substrings:

* A span written **with diacritics** must carry the name's own diacritics (case and the old/new tone placement
  "Hoà"/"Hòa" aside), so "năm định", "đa năng", "diễn biến", "Huệ" never read as Nam Định, Đà Nẵng, Điện Biên,
  Huế. A span **without any diacritic** ("lao cai", "Thai Nguyen Province", "HCMC", "LaoCai") matches on
  the folded form (``corpus.text.fold``). Mixed spans ("Ha Nội") count as unaccented.
* Names whose unaccented form is an ordinary phrase (data field ``ambiguous: folded``: "hai phong" = hai phòng,
  "nam dinh" in "hang nam dinh ky", "dien bien" = diễn biến) — and those whose accented form is one
  (``ambiguous: phrase``: "hòa bình" peace, "cao bằng", "hải dương") — count only when every word is capitalised
  or a unit word precedes them ("tỉnh", "thành phố", "TP") or follows ("Province", "City"), or, typed without
  accents, "ở" / "tại" precedes them ("o da nang"). ``qualified_only``
  forms ("Hồ Chí Minh", "HCM": usually the President) need the unit word. ``not_provinces`` phrases ("Thái Bình
  Dương", the Pacific) consume their words without producing a mention.
* Overlapping candidates: the one starting with a capital letter wins, then the longer, then the leftmost
  ("phía tây Ninh Bình" → Ninh Bình, not Tây Ninh; "Thừa Thiên Huế" → one mention).
* A name right after a lower-level unit word ("xã", "phường", "huyện", "quận", "thị xã", "thị trấn",
  "đặc khu", "đường", "phố") is a commune, street …, not the province, and is skipped. "(cũ)", "former",
  "old" around the name set ``former_marker``.

Measured on 2026-11-29 over the 355 question turns of ``evals/data/*.jsonl`` and the 18 texts of
``../shared/corpus*`` (391 k characters): 741 mentions in 131 distinct forms, each form reviewed in context and
every question's units checked against its province hint: no false positive (a province portal URL
"<province>.gov.vn" and a company address "TP.HCM" in page chrome are real references).
The gates turned away 11 candidates: 9 × "hòa bình" in "Diễn biến hòa bình" (right) and 2 × lower-case
unaccented "hai phong" in questions about Hải Phòng's decision (misses, found with ``prefer``). Of the 297 questions
that carry a province hint, the 288 that write a unit's name get it (or, for a former unit, its successor); the 9
others ask by document number only. A question takes ~0.13 ms, the 18 texts 190 ms, loading the registry 4 ms.
``tests/unit/corpus/test_provinces.py`` pins the per-file results and a list of look-alike phrases.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Collection
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from corpus.text import fold, nfc, squash

DATA_FILE = Path(__file__).parent / "data" / "provinces.json"

UnitKind = Literal["tỉnh", "thành phố"]
Ambiguity = Literal["folded", "phrase"]


class LegalSource(BaseModel):
    model_config = ConfigDict(frozen=True)

    title: str
    number: str
    issuer: str
    adopted: date  # the day the National Assembly adopted it
    effective: date  # the day the arranged units began (successor date)
    note: str = ""


class Province(BaseModel):
    """One provincial-level unit (current, or merged away in 2025)."""

    model_config = ConfigDict(frozen=True)

    name: str  # "Lào Cai", "Hồ Chí Minh", "Bà Rịa - Vũng Tàu"
    kind: UnitKind
    official_name: str | None = None  # when the unit word is part of the name ("Thành phố Hồ Chí Minh")
    slug: str = Field(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
    english: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    qualified_only: tuple[str, ...] = ()
    ambiguous: Ambiguity | None = None
    ambiguous_note: str = ""
    predecessors: tuple[str, ...] = ()  # current units only
    successor: str | None = None  # former units only
    until: date | None = None  # former units only: last day of existence
    notes: tuple[str, ...] = ()

    @property
    def current(self) -> bool:
        """A unit of today's 34 (it may also have existed before the arrangement)."""
        return self.successor is None

    @property
    def full_name(self) -> str:
        """'tỉnh Lào Cai', 'thành phố Hải Phòng', or the data file's ``official_name`` when it has one."""
        return self.official_name or f"{self.kind} {self.name}"

    @property
    def english_name(self) -> str:
        """'Lao Cai', 'Ho Chi Minh City', 'Hanoi'."""
        return self.english[0] if self.english else fold(self.name).title()

    @property
    def english_full(self) -> str:
        """'Lao Cai Province', 'Hai Phong City', 'Ho Chi Minh City'."""
        return next((e for e in self.english if e.endswith(("Province", "City"))), self.english_name)

    def forms(self) -> list[str]:
        return [self.name, *self.aliases, *self.english, *self.qualified_only]


class NotProvince(BaseModel):
    model_config = ConfigDict(frozen=True)

    form: str
    note: str = ""


class ProvinceData(BaseModel):
    description: str = ""
    source: LegalSource
    fields: dict[str, str] = Field(default_factory=dict)
    not_provinces: list[NotProvince] = Field(default_factory=list)
    units: list[Province]

    @model_validator(mode="after")
    def _integrity(self) -> "ProvinceData":
        names = {u.name for u in self.units}
        if len(names) != len(self.units):
            raise ValueError("duplicate unit names")
        folded = [fold(u.name) for u in self.units]
        if len(set(folded)) != len(folded):
            raise ValueError("unit names collide after folding")
        by_name = {u.name: u for u in self.units}
        for u in self.units:
            if u.slug != slugify(u.name):
                raise ValueError(f"{u.name}: slug {u.slug!r} != {slugify(u.name)!r}")
            if u.successor is not None:
                if u.predecessors or u.until is None:
                    raise ValueError(f"{u.name}: a former unit has a successor and an until date, no predecessors")
                succ = by_name.get(u.successor)
                if succ is None or not succ.current or u.name not in succ.predecessors:
                    raise ValueError(f"{u.name}: successor {u.successor!r} is not a current unit listing it")
            else:
                if not u.predecessors or u.until is not None:
                    raise ValueError(f"{u.name}: a current unit lists its predecessors and has no until date")
                for p in u.predecessors:
                    pu = by_name.get(p)
                    if pu is None or (pu is not u and pu.successor != u.name):
                        raise ValueError(f"{u.name}: predecessor {p!r} does not name it as successor")
        return self


class ProvinceMention(BaseModel):
    """A unit named in a text. ``start``/``end`` index ``nfc(text)`` (equal to the text when it is NFC)."""

    model_config = ConfigDict(frozen=True)

    province: Province
    start: int
    end: int
    surface: str  # the words as written: "Thai Nguyen Province", "TP.HCM", "Lào Cai"
    form: str  # the registry form that matched
    qualifier: str | None = None  # "tỉnh" | "thành phố" | "province" | "city" when written around the name
    former_marker: bool = False  # "(cũ)", "former", "old"
    accented: bool = True  # the span carries diacritics


def slugify(text: str) -> str:
    """'Bà Rịa - Vũng Tàu' → 'ba-ria-vung-tau'."""
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")


# ---- token matching -------------------------------------------------------------------------------------
_TOKEN = re.compile(r"\w+")
_GAP_OK = re.compile(r"^[\s.\-\u2010-\u2015]*$")  # spaces, dots, hyphens and dashes between the words of a name
_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}  # huyền sắc ngã hỏi nặng

_QUALIFIERS: dict[tuple[str, ...], str] = {
    ("tỉnh",): "tỉnh",
    ("thành", "phố"): "thành phố",
    ("tp",): "thành phố",
}
_SUFFIXES = {"province": "province", "city": "city"}
#: "ở", "tại" typed without accents before an ambiguous name: a place ("o da nang" is Đà Nẵng, not "ở đa năng")
_LOCATIVES = {"o", "tai"}
_LOWER_LEVEL: list[tuple[str, ...]] = [
    ("xã",),
    ("phường",),
    ("huyện",),
    ("quận",),
    ("thị", "xã"),
    ("thị", "trấn"),
    ("đặc", "khu"),
    ("đường",),
    ("phố",),
]
_FORMER_BEFORE = {"former", "old", "ex"}
_FORMER_AFTER = {"cũ", "former", "old"}


def _has_marks(token: str) -> bool:
    return fold(token) != token.lower()


def _tone_canon(token: str) -> tuple[str, frozenset[str]]:
    """Lower-case letters without tone marks, and the set of tone marks (their position ignored: Hoà = Hòa)."""
    decomposed = unicodedata.normalize("NFD", token.lower())
    tones = frozenset(ch for ch in decomposed if ch in _TONES)
    base = unicodedata.normalize("NFC", "".join(ch for ch in decomposed if ch not in _TONES))
    return base, tones


def _token_match(span: str, form: str) -> Literal["exact", "folded", "no"]:
    """'exact': same letters and marks; 'folded': the span has no diacritics; 'no': different diacritics."""
    if _tone_canon(span) == _tone_canon(form):
        return "exact"
    if fold(span) == fold(form) and not _has_marks(span):
        return "folded"
    return "no"


def _capitalised(word: str) -> bool:
    return word[:1].isupper() or word[:1].isdigit()


class _Form:
    __slots__ = ("words", "folded", "province", "text", "qualified_only", "includes_unit_word", "block", "joined")

    def __init__(self, text: str, province: Province | None, *, qualified_only: bool = False, joined: bool = False):
        words = _TOKEN.findall(nfc(text))
        if joined:
            words = ["".join(words)]
        self.words = words
        self.folded = tuple(fold(w) for w in words)
        self.province = province
        self.text = text
        self.qualified_only = qualified_only
        first, last = self.folded[0], self.folded[-1]
        self.includes_unit_word = (
            len(words) > 1 and (first in ("tp", "thanh") or last in _SUFFIXES)
        ) or first.startswith("tp")
        self.block = province is None
        self.joined = joined  # "LaoCai", "haiphong": one word, never an ordinary phrase


class _Candidate:
    __slots__ = ("form", "i", "j", "accented", "exact")

    def __init__(self, form: _Form, i: int, j: int, accented: bool, exact: bool):
        self.form, self.i, self.j, self.accented, self.exact = form, i, j, accented, exact


class ProvinceRegistry:
    """Look-ups over the provincial-level units; built once per process by ``load_registry()``."""

    def __init__(self, data: ProvinceData):
        self.data = data
        self.source = data.source
        self.units: list[Province] = list(data.units)
        self._by_name = {u.name: u for u in self.units}
        self._by_slug = {u.slug: u for u in self.units}
        self._by_key: dict[str, Province] = {}
        self._forms: dict[str, list[_Form]] = {}
        for u in self.units:
            for text in u.forms():
                key = " ".join(fold(w) for w in _TOKEN.findall(nfc(text)))
                other = self._by_key.setdefault(key, u)
                if other is not u:
                    raise ValueError(f"form {text!r} names both {other.name} and {u.name}")
                quals = text in u.qualified_only
                self._add(_Form(text, u, qualified_only=quals))
                if len(_TOKEN.findall(text)) > 1:
                    self._add(_Form(text, u, qualified_only=quals, joined=True))
        for block in data.not_provinces:
            self._add(_Form(block.form, None))

    def _add(self, form: _Form) -> None:
        self._forms.setdefault(form.folded[0], []).append(form)

    # ---- look-ups ---------------------------------------------------------------------------------------
    @property
    def arrangement_date(self) -> date:
        """The day the 34 units began (01/07/2025 per the data file)."""
        return self.source.effective

    def lookup(self, name: str | Province) -> Province | None:
        """A unit from a name as the catalog or a legal text writes it: 'Lào Cai', 'lao-cai', 'tỉnh Yên Bái
        (cũ)', 'thành phố Hải Phòng', 'TP.HCM', 'Thai Nguyen Province', 'Thừa Thiên Huế'. None when unknown."""
        if isinstance(name, Province):
            return self._by_name.get(name.name)
        text = squash(nfc(name))
        if not text:
            return None
        if text in self._by_name:
            return self._by_name[text]
        if text in self._by_slug:
            return self._by_slug[text]
        words = [fold(w) for w in _TOKEN.findall(text)]
        key = " ".join(words)
        if key in self._by_key:
            return self._by_key[key]
        stripped = _strip_unit_words(words)
        if " ".join(stripped) in self._by_key:
            return self._by_key[" ".join(stripped)]
        found = {m.province.name for m in self._mentions(text, gated=False)}
        return self._by_name[found.pop()] if len(found) == 1 else None

    def get(self, name: str | Province) -> Province:
        unit = self.lookup(name)
        if unit is None:
            raise KeyError(f"unknown provincial-level unit: {name!r}")
        return unit

    def by_slug(self, slug: str) -> Province | None:
        return self._by_slug.get(slug)

    def slug(self, name: str | Province) -> str:
        """The unit's slug ('lao-cai'); for a name the registry does not know, its folded slug."""
        unit = self.lookup(name)
        return unit.slug if unit else slugify(name.name if isinstance(name, Province) else name)

    def current(self, on: date | None = None) -> list[Province]:
        """Units that exist on ``on`` (default today): the 34 after the arrangement, the 63 before it."""
        on = on or date.today()
        return [u for u in self.units if u.until is None or on <= u.until]

    def pre_arrangement(self) -> list[Province]:
        """The 63 units that existed before the arrangement (those that kept their name included)."""
        return list(self.units)

    def dissolved(self) -> list[Province]:
        """The 29 units merged into another one."""
        return [u for u in self.units if not u.current]

    def is_current(self, name: str | Province, on: date | None = None) -> bool:
        """Whether the named unit exists as a provincial-level unit on ``on`` (default today)."""
        unit = self.get(name)
        return unit.until is None or (on or date.today()) <= unit.until

    def successor(self, name: str | Province, on: date | None = None) -> Province:
        """The unit that governs the named unit's territory on ``on`` (default today): itself while it exists."""
        on = on or date.today()
        unit = self.get(name)
        seen = {unit.name}
        while unit.until is not None and on > unit.until and unit.successor:
            unit = self._by_name[unit.successor]
            if unit.name in seen:  # pragma: no cover - the validator forbids cycles
                break
            seen.add(unit.name)
        return unit

    def predecessors(self, name: str | Province) -> list[Province]:
        """For a current unit, the pre-arrangement units it was formed from (itself included when it kept its
        name); [] for a unit that was merged away."""
        unit = self.get(name)
        return [self._by_name[p] for p in unit.predecessors]

    def successor_since(self, name: str | Province) -> date | None:
        """The day the named unit's territory passed to its successor (None for a current unit)."""
        unit = self.get(name)
        return unit.until + timedelta(days=1) if unit.until else None

    def succession_note(self, name: str | Province, on: date | None = None) -> str | None:
        """A labelled reference note for a unit merged away by ``on``; None when it still exists."""
        unit = self.get(name)
        succ = self.successor(unit, on)
        if succ.name == unit.name:
            return None
        since = self.successor_since(unit)
        others = [p.full_name for p in self.predecessors(succ) if p.name != unit.name]
        return (
            f"Ghi chú tham khảo (không phải trích dẫn văn bản trong kho): từ ngày {since:%d/%m/%Y}, {unit.full_name} "
            f"được sắp xếp cùng {', '.join(others)} thành {succ.full_name} theo {self.source.title}. "
            f"Reference note (not a corpus citation): since {since:%d/%m/%Y} the former {unit.english_full} is part "
            f"of {succ.english_full} (National Assembly Resolution {self.source.number})."
        )

    # ---- mentions ---------------------------------------------------------------------------------------
    def find_mentions(self, text: str, prefer: Collection[str] = ()) -> list[ProvinceMention]:
        """Every unit named in ``text``, in order of appearance (see the module docstring for the rules).

        ``prefer``: units the caller expects (the provinces its corpus covers); their names written without
        diacritics count even lower-case ("cong chung hai phong"), where others need capitals or a unit word.
        """
        return self._mentions(text, gated=True, prefer=prefer)

    def provinces_in(self, text: str, prefer: Collection[str] = ()) -> list[Province]:
        """The distinct units named in ``text``, in order of first mention."""
        seen: dict[str, Province] = {}
        for m in self.find_mentions(text, prefer):
            seen.setdefault(m.province.name, m.province)
        return list(seen.values())

    def _mentions(self, text: str, *, gated: bool, prefer: Collection[str] = ()) -> list[ProvinceMention]:
        preferred = {u.name for u in map(self.lookup, prefer) if u is not None}
        text = nfc(text)
        tokens = [(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(text)]
        folded = [fold(t[0]) for t in tokens]
        candidates: list[_Candidate] = []
        for i, f in enumerate(folded):
            for form in self._forms.get(f, ()):
                n = len(form.words)
                if i + n > len(tokens) or tuple(folded[i : i + n]) != form.folded:
                    continue
                if any(not _GAP_OK.match(text[tokens[k][2] : tokens[k + 1][1]]) for k in range(i, i + n - 1)):
                    continue
                kinds = [_token_match(tokens[i + k][0], form.words[k]) for k in range(n)]
                if "no" in kinds:
                    continue
                accented = any(_has_marks(tokens[i + k][0]) for k in range(n))
                # exact: the span carries the name's own diacritics (an unaccented English form of an accented
                # name is not exact: "Hai Phong" may be "hai phòng")
                name_marked = form.province is not None and _has_marks(form.province.name)
                exact = all(k == "exact" for k in kinds) and (accented or not name_marked)
                candidates.append(_Candidate(form, i, i + n, accented, exact))
        chosen: list[tuple[int, ProvinceMention | None]] = []
        taken: set[int] = set()
        for c in sorted(candidates, key=lambda c: (not _capitalised(tokens[c.i][0]), -(c.j - c.i), c.i)):
            if taken.intersection(range(c.i, c.j)):
                continue
            mention = None if c.form.block else self._accept(c, text, tokens, folded, gated, preferred)
            if c.form.block or mention is not None:
                chosen.append((c.i, mention))
                taken.update(range(c.i, c.j))
        return [m for _, m in sorted(chosen, key=lambda x: x[0]) if m is not None]

    def _accept(
        self,
        c: _Candidate,
        text: str,
        tokens: list[tuple[str, int, int]],
        folded: list[str],
        gated: bool,
        preferred: set[str],
    ) -> ProvinceMention | None:
        form, i, j = c.form, c.i, c.j
        assert form.province is not None
        unit = form.province
        qualifier = _unit_word_before(tokens, folded, i, text)
        if qualifier is None and _lower_level_before(tokens, i, text):
            return None
        suffix = None
        if j < len(tokens) and folded[j] in _SUFFIXES and _GAP_OK.match(text[tokens[j - 1][2] : tokens[j][1]]):
            suffix = _SUFFIXES[folded[j]]
        if form.includes_unit_word:
            qualifier = qualifier or (
                "thành phố" if form.folded[0].startswith("tp") or form.folded[0] == "thanh" else None
            )
            qualifier = qualifier or _SUFFIXES.get(form.folded[-1])
        qualifier = qualifier or suffix
        if gated:
            name_words = [tokens[k][0] for k in range(i, j) if folded[k] not in _SUFFIXES]
            capitalised = all(_capitalised(w) for w in name_words)
            if form.qualified_only and qualifier is None:
                return None
            needs_gate = not form.joined and (
                unit.ambiguous == "phrase" or (unit.ambiguous == "folded" and not c.exact)
            )
            if unit.name in preferred and not c.accented:
                needs_gate = False
            # "… dich vu cong o da nang …": typed without accents right after "ở" / "tại", a place
            located = not c.accented and i > 0 and folded[i - 1] in _LOCATIVES
            if needs_gate and qualifier is None and not capitalised and not located:
                return None
        end_k = j + (1 if suffix and not form.includes_unit_word else 0)
        former = _former_after(tokens, folded, end_k, text) or (
            i > 0
            and folded[i - 1] in _FORMER_BEFORE
            and _GAP_OK.match(text[tokens[i - 1][2] : tokens[i][1]]) is not None
        )
        start, end = tokens[i][1], tokens[j - 1][2]
        return ProvinceMention(
            province=unit,
            start=start,
            end=end,
            surface=text[start:end],
            form=form.text,
            qualifier=qualifier,
            former_marker=bool(former),
            accented=c.accented,
        )


def _words_before(tokens: list[tuple[str, int, int]], i: int, n: int, text: str) -> list[str] | None:
    """The ``n`` words just before token ``i`` when only spaces/dots separate them, else None."""
    if i - n < 0:
        return None
    for k in range(i - n, i):
        if not _GAP_OK.match(text[tokens[k][2] : tokens[k + 1][1]]):
            return None
    return [tokens[k][0] for k in range(i - n, i)]


def _matches_words(words: list[str] | None, pattern: tuple[str, ...]) -> bool:
    return words is not None and all(_token_match(w, p) != "no" for w, p in zip(words, pattern))


def _unit_word_before(tokens: list[tuple[str, int, int]], folded: list[str], i: int, text: str) -> str | None:
    for pattern, label in _QUALIFIERS.items():
        if _matches_words(_words_before(tokens, i, len(pattern), text), pattern):
            return label
    return None


def _lower_level_before(tokens: list[tuple[str, int, int]], i: int, text: str) -> bool:
    for pattern in _LOWER_LEVEL:
        words = _words_before(tokens, i, len(pattern), text)
        # an unaccented 'xa' / 'pho' / 'duong' is also 'far' / 'soup' / 'road', so lower-level words must be exact
        if words is not None and all(_token_match(w, p) == "exact" for w, p in zip(words, pattern)):
            return True
    return False


def _former_after(tokens: list[tuple[str, int, int]], folded: list[str], k: int, text: str) -> bool:
    if k >= len(tokens):
        return False
    gap = text[tokens[k - 1][2] : tokens[k][1]]
    word = tokens[k][0]
    if not re.fullmatch(r"\s*\(?\s*", gap):
        return False
    if _token_match(word, "cũ") == "exact" or folded[k] in ("former", "old"):
        return True
    # unaccented 'cu' right after a name is 'cũ' ("Yen Bai cu gio thuoc tinh nao")
    return folded[k] == "cu" and not _has_marks(word)


def _strip_unit_words(words: list[str]) -> list[str]:
    out = list(words)
    while out and out[0] in ("tinh", "tp", "province", "city", "the", "former", "old"):
        out = out[1:]
    if out[:2] == ["thanh", "pho"]:
        out = out[2:]
    while out and out[-1] in ("cu", "province", "city", "former", "old"):
        out = out[:-1]
    return out


def load_data(path: Path = DATA_FILE) -> ProvinceData:
    return ProvinceData.model_validate(json.loads(path.read_text(encoding="utf-8")))


@lru_cache(maxsize=4)
def load_registry(path: Path = DATA_FILE) -> ProvinceRegistry:
    return ProvinceRegistry(load_data(path))
