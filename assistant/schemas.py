"""The answer contract (API, CLI ``--json``, evaluation suite and widget all depend on it)."""

from __future__ import annotations

import re
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


class AskRequest(BaseModel):
    model_config = {"extra": "forbid"}

    question: str = Field(min_length=1, max_length=20000)
    province: str | None = Field(default=None, max_length=100)
    document: str | None = Field(default=None, max_length=100)
    status: Literal["in_force", "not_yet_in_force", "draft", "repealed", "replaced"] | None = None
    session_id: str | None = Field(default=None, max_length=64)

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
