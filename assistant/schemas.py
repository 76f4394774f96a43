"""The answer contract (API, CLI ``--json``, evaluation suite and widget all depend on it)."""

from __future__ import annotations

import re
from datetime import date
from typing import Literal

from pydantic import BaseModel, Field, field_validator

SESSION_RE = re.compile(r"^[A-Za-z0-9_\-]{1,64}$")
CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class Citation(BaseModel):
    id: str
    document_id: str
    document_title: str
    document_number: str | None
    province: str
    status: str
    part: str
    article: int | None = None
    article_title: str | None = None
    clause: str | None = None
    point: str | None = None
    section: str | None = None
    label: str = ""
    quote: str
    url: str
    status_since: date | None = None  # when the document's status (as of the answer's date) began


class ApplicableDocument(BaseModel):
    """A version that bears on the question's province on the answer's date, with its status and why."""

    id: str  # corpus document id, or the number as written for a text outside the corpus
    in_corpus: bool = True
    number: str | None = None
    title: str = ""
    province: str = ""
    scope: str = "own"  # own | predecessor (a merged-in former province's) | successor (the unit that took over)
    status: str  # draft | not_yet_in_force | in_force | amended_in_force | repealed | replaced | expired
    since: date | None = None
    until: date | None = None
    reason: str = ""  # in the answer's language
    evidence_unit: str | None = None  # the clause that gives the status (repeal, effect, draft basis)


class Answer(BaseModel):
    question: str
    language: Literal["vi", "en"]
    answer: str  # markdown
    abstained: bool
    citations: list[Citation] = Field(default_factory=list)
    confidence: float = Field(ge=0.0, le=1.0)
    timings_ms: dict[str, float] = Field(default_factory=dict)
    session_id: str | None = None
    warnings: list[str] = Field(default_factory=list)
    # validity: the date the answer speaks for, the versions that bear on it, and reference notes (e.g. the
    # 2025 arrangement of provinces) that are clearly not corpus citations
    as_of: date | None = None
    applicable_documents: list[ApplicableDocument] = Field(default_factory=list)
    reference_notes: list[str] = Field(default_factory=list)


class AskRequest(BaseModel):
    model_config = {"extra": "forbid"}

    question: str = Field(min_length=1, max_length=20000)
    province: str | None = Field(default=None, max_length=100)
    document: str | None = Field(default=None, max_length=100)
    status: Literal["in_force", "not_yet_in_force", "draft", "repealed", "replaced"] | None = None
    session_id: str | None = Field(default=None, max_length=64)
    as_of: date | None = None  # answer for this date (default: today; a date the question names wins)

    @field_validator("question")
    @classmethod
    def _question(cls, v: str) -> str:
        v = CONTROL_RE.sub(" ", v).strip()
        if not v:
            raise ValueError("question is empty")
        return v  # the length limit is the service's (AnswerSettings.max_question_chars): one gate

    @field_validator("session_id")
    @classmethod
    def _session(cls, v: str | None) -> str | None:
        if v is not None and not SESSION_RE.match(v):
            raise ValueError("session_id: 1-64 characters of A-Z a-z 0-9 _ -")
        return v
