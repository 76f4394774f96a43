"""Gold questions: the pydantic model of one line of ``evals/data/gold_*.jsonl`` (schema in GOLD.md) and
the loader for ``--split dev|held-out|extra|validity|all``.

The held-out file is read only to be scored; nothing in this package prints its questions.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

DATA_DIR = Path(__file__).resolve().parent / "data"
SPLIT_FILES = {
    "dev": "gold_dev.jsonl",  # the shipped-corpus questions (held-out splits that were read are folded in)
    "held-out": "gold_heldout.jsonl",  # written blind from the texts; reported once per change set
    "extra": "gold_extra.jsonl",  # the corpus-extra documents (needs ../shared/corpus-extra)
    "validity": "gold_validity.jsonl",  # validity over time, versions, former provinces
}
SPLITS = (*SPLIT_FILES, "all")

Category = Literal[
    "lead_agency",
    "coordinating_agency",
    "duties",
    "definition",
    "list",
    "deadline_date",
    "relation_validity",
    "comparison",
    "article_lookup",
    "plan_appendix",
    "follow_up",
    "unanswerable",
    "metadata",
    "validity_current",
    "validity_as_of",
    "former_province",
    "what_changed",
    "still_in_force",
]
#: categories whose answer may come from the document's header or reference data rather than a citable unit
UNIT_OPTIONAL = ("metadata", "former_province")
CATEGORIES: tuple[str, ...] = Category.__args__  # type: ignore[attr-defined]
LANGUAGE_SLICES = ("vi", "en", "vi-unaccented")


class GoldQuestion(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[ghxv]\d{3,4}$")  # g: dev, h: held-out, x: corpus-extra, v: validity
    question: str = Field(min_length=1)
    language: Literal["vi", "en"]
    unaccented: bool
    category: Category
    answerable: bool
    history: list[str] = Field(default_factory=list)
    province: str | None = None
    expected_units: list[list[str]] = Field(default_factory=list)
    expected_facts: list[str] = Field(default_factory=list)
    notes: str = ""
    # validity questions (GOLD.md): the date asked about, the versions the answer must name as applying, and
    # the documents it must not present as the rule in force on that date
    as_of: str | None = None
    expected_applicable: list[str] = Field(default_factory=list)
    not_in_force: list[str] = Field(default_factory=list)
    split: str = Field(default="", exclude=True)  # filled by the loader, not part of the file schema

    @field_validator("expected_units")
    @classmethod
    def _groups(cls, v: list[list[str]]) -> list[list[str]]:
        if any(not g for g in v):
            raise ValueError("an expected_units group is empty")
        return v

    @model_validator(mode="after")
    def _consistent(self) -> "GoldQuestion":
        if self.answerable == (self.category == "unanswerable"):
            raise ValueError("answerable must be false exactly for the 'unanswerable' category")
        if (
            self.answerable
            and not self.expected_units
            and self.category not in UNIT_OPTIONAL
            and not self.expected_facts
        ):
            raise ValueError("an answerable question needs expected_units (or, for metadata, expected_facts)")
        if not self.answerable and (self.expected_units or self.expected_facts):
            raise ValueError("an unanswerable question has no expected units or facts")
        if self.unaccented and self.language != "vi":
            raise ValueError("only Vietnamese questions can be unaccented")
        return self

    @property
    def language_slice(self) -> str:
        """``vi`` (with diacritics), ``en`` or ``vi-unaccented``."""
        return "vi-unaccented" if self.unaccented else self.language

    @property
    def documents(self) -> list[str]:
        """Documents the question counts for (GOLD.md): any expected unit's document; ``none`` if unanswerable."""
        docs = sorted({u.split("/", 1)[0] for g in self.expected_units for u in g})
        return docs or ["none"]


def read_gold_file(path: Path, split: str = "") -> list[GoldQuestion]:
    out: list[GoldQuestion] = []
    with open(path, encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                data = json.loads(line)
                out.append(GoldQuestion(**data, split=split or path.stem))
            except Exception as exc:  # say where, never echo the question text
                raise ValueError(
                    f"{path.name}:{n}: invalid gold line ({type(exc).__name__}: {str(exc).splitlines()[0]})"
                ) from None
    ids = [q.id for q in out]
    if len(ids) != len(set(ids)):
        raise ValueError(f"{path.name}: duplicate ids")
    return out


def load_gold(split: str = "dev", path: Path | None = None) -> list[GoldQuestion]:
    """Questions of ``split`` (``dev``, ``held-out`` or ``all``), or of the file ``path`` (split = its stem)."""
    if path is not None:
        return read_gold_file(Path(path))
    if split == "all":
        qs = [q for s in SPLIT_FILES if (DATA_DIR / SPLIT_FILES[s]).exists() for q in load_gold(s)]
        if len({q.id for q in qs}) != len(qs):
            raise ValueError("ids are not unique across the gold files")
        return qs
    if split not in SPLIT_FILES:
        raise ValueError(f"unknown split '{split}'; choose one of {', '.join(SPLITS)}")
    return read_gold_file(DATA_DIR / SPLIT_FILES[split], split)


def split_of(questions: list[GoldQuestion]) -> dict[str, list[GoldQuestion]]:
    """Group by the split each question came from (keeps file order)."""
    out: dict[str, list[GoldQuestion]] = {}
    for q in questions:
        out.setdefault(q.split, []).append(q)
    return out
