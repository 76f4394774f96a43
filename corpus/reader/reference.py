"""Reference data the reader needs: document types, attachment words, signer titles, provinces.

All of it lives in data files (``corpus/data/doc_types.json``; the province list ``corpus/data/provinces.json``
when it is present). Without a province list the province is what the issuer line says after "tỉnh" /
"thành phố", title-cased.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from corpus.text import fold

DATA_DIR = Path(__file__).resolve().parent.parent / "data"


@dataclass(frozen=True)
class DocType:
    name: str  # "Quyết định"
    caps: str  # "QUYẾT ĐỊNH"
    symbol: str  # "QĐ" (the first half of "QĐ-UBND")
    short: str  # how labels abbreviate it: "QĐ", "Kế hoạch"
    body: str  # "articles" | "outline": how such texts are usually written
    issuer: str | None = None
    national: bool = False


@lru_cache(maxsize=1)
def _raw() -> dict:
    return json.loads((DATA_DIR / "doc_types.json").read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def doc_types() -> tuple[DocType, ...]:
    return tuple(DocType(**{k: v for k, v in t.items()}) for t in _raw()["types"])


def type_by_caps(caps: str) -> DocType | None:
    key = " ".join(caps.upper().split())
    return next((t for t in doc_types() if t.caps == key), None)


def type_by_name(name: str | None) -> DocType | None:
    if not name:
        return None
    key = fold(name)
    return next((t for t in doc_types() if fold(t.name) == key), None)


def type_by_symbol(symbol: str) -> DocType | None:
    key = symbol.upper()
    return next((t for t in doc_types() if t.symbol.upper() == key), None)


def attachment_words() -> list[str]:
    return sorted(_raw()["attachments"], key=len, reverse=True)


def attachment_name(caps: str) -> str:
    return _raw()["attachment_names"].get(caps, caps.capitalize())


def national_issuers() -> list[str]:
    return list(_raw()["national_issuers"])


def national_symbols() -> set[str]:
    return set(_raw()["national_symbols"])


def signer_titles() -> dict[str, str]:
    return dict(_raw()["signer_titles"])


def abbreviations() -> set[str]:
    return set(_raw().get("abbreviations", []))


def page_chrome() -> list[str]:
    return list(_raw()["page_chrome"])


@lru_cache(maxsize=1)
def provinces() -> dict[str, str]:
    """folded name (and aliases) → canonical name, from corpus/data/provinces.json when it exists."""
    path = DATA_DIR / "provinces.json"
    if not path.exists():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    out: dict[str, str] = {}
    items = data.get("provinces", data) if isinstance(data, dict) else data
    if isinstance(items, dict):
        items = [{"name": k, **(v if isinstance(v, dict) else {})} for k, v in items.items()]
    for entry in items if isinstance(items, list) else []:
        if isinstance(entry, str):
            out[fold(entry)] = entry
            continue
        if not isinstance(entry, dict):
            continue
        name = entry.get("name") or entry.get("vi") or entry.get("province")
        if not name:
            continue
        out[fold(name)] = name
        for key in (
            "aliases",
            "names",
            "spellings",
        ):  # not former names: a 2019 text of a merged province keeps its own
            vals = entry.get(key) or []
            for alias in [vals] if isinstance(vals, str) else vals:
                if isinstance(alias, str):
                    out.setdefault(fold(alias), name)
    return out
