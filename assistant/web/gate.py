"""The one validation gate of ``POST /api/ask`` (and of the chat, which goes through :meth:`Gate.check`).

``Gate.parse(content_type, body)`` → :class:`AskBody` or :class:`InputError` with a clear 4xx; nothing past
the gate sees unvalidated input. Order: media type (415), empty body (400), UTF-8 (400), JSON syntax and
nesting depth (400), a JSON object (422), lone surrogates anywhere — keys included, never echoed (422; a
probe got a 500 that echoed the key), then the fields (422): the question 1–``max_question_chars``
characters after stripping, no control characters; ``province``/``document`` ≤ 100 characters; ``status``
one of the document statuses; ``session_id`` an opaque conversation token (``assistant.web.sessions``);
``as_of`` an ISO date ``YYYY-MM-DD`` (the date the answer speaks for; absent = today; anything else, a
datetime included, is a 422 naming the expected form). Unknown fields are refused (``extra="forbid"``).
"""

from __future__ import annotations

import json
import re
from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from assistant.web.responses import InputError
from assistant.web.sessions import MAX_TOKEN_CHARS

CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
ISO_DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")
JSON_TYPES = ("application/json",)
MAX_DEPTH = 20


Status = Literal["in_force", "not_yet_in_force", "draft", "repealed", "replaced"]


class AskBody(BaseModel):
    """The body of ``POST /api/ask``."""

    model_config = ConfigDict(extra="forbid")

    question: str = Field(min_length=1, description="the question (Vietnamese or English)")
    province: str | None = Field(default=None, max_length=100, description="only documents of this province")
    document: str | None = Field(default=None, max_length=100, description="only this document id")
    status: Status | None = Field(default=None, description="only documents with this status")
    session_id: str | None = Field(
        default=None,
        max_length=MAX_TOKEN_CHARS,
        description="the session_id of the previous answer, to continue that conversation",
    )

    as_of: date | None = Field(
        default=None,
        description="answer for this date, ISO YYYY-MM-DD (default: today; a date the question names wins)",
    )

    @field_validator("question")
    @classmethod
    def _question(cls, v: str) -> str:
        v = v.strip()
        if not v:
            raise ValueError("question is empty")
        return v

    @field_validator("as_of", mode="before")
    @classmethod
    def _as_of(cls, v):
        """Only ``YYYY-MM-DD`` strings: pydantic alone would take a Unix timestamp or ``2025-11-20T00:00``."""
        if v is None or isinstance(v, date):
            return v
        if not isinstance(v, str) or not ISO_DATE_RE.fullmatch(v):
            raise ValueError(f"as_of must be a date written YYYY-MM-DD, got {str(v)[:40]!r}")
        try:
            return date.fromisoformat(v)
        except ValueError:
            raise ValueError(f"as_of is not a calendar date: {v!r}") from None


def _has_surrogate(value, depth: int = 0) -> bool:
    if isinstance(value, str):
        return any("\ud800" <= ch <= "\udfff" for ch in value)
    if depth > MAX_DEPTH:
        return False
    if isinstance(value, dict):
        return any(_has_surrogate(k) or _has_surrogate(v, depth + 1) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_surrogate(v, depth + 1) for v in value)
    return False


def _depth(text: str) -> int:
    """Deepest bracket nesting outside strings (bounded scan; json.loads would recurse on ``[[[[…``)."""
    depth = best = 0
    in_str = esc = False
    for ch in text:
        if in_str:
            if esc:
                esc = False
            elif ch == "\\":
                esc = True
            elif ch == '"':
                in_str = False
        elif ch == '"':
            in_str = True
        elif ch in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return depth
            best = max(best, depth)
        elif ch in "]}":
            depth -= 1
    return best


class Gate:
    def __init__(self, max_question_chars: int):
        self.max_chars = max_question_chars

    def parse(self, content_type: str | None, body: bytes) -> AskBody:
        ctype = (content_type or "").split(";")[0].strip().lower()
        if ctype not in JSON_TYPES:
            raise InputError(415, "Content-Type must be application/json", got=ctype[:100] or None)
        if not body.strip():
            raise InputError(400, 'empty body: expected a JSON object such as {"question": "..."}')
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise InputError(400, f"the body is not valid UTF-8 (byte {exc.start})") from None
        if _depth(text) > MAX_DEPTH:
            raise InputError(400, f"invalid JSON body: nested deeper than {MAX_DEPTH} levels")
        try:
            payload = json.loads(text)
        except (ValueError, RecursionError) as exc:
            where = f" (line {exc.lineno}, column {exc.colno})" if isinstance(exc, json.JSONDecodeError) else ""
            raise InputError(400, f"invalid JSON body{where}") from None
        return self.check(payload)

    def check(self, payload) -> AskBody:
        if not isinstance(payload, dict):
            raise InputError(
                422,
                'the body must be a JSON object such as {"question": "..."}',
                got=type(payload).__name__ if payload is not None else "null",
            )
        if _has_surrogate(payload):
            raise InputError(422, "the body contains invalid Unicode (a lone surrogate)")
        question = payload.get("question")
        if isinstance(question, str):
            if len(question) > self.max_chars:
                raise InputError(
                    422,
                    f"question is too long: {len(question)} characters, the maximum is {self.max_chars}",
                    field="question",
                    max_chars=self.max_chars,
                )
            if CONTROL_RE.search(question):
                raise InputError(422, "question contains control characters", field="question")
        try:
            return AskBody.model_validate(payload)
        except ValidationError as exc:
            details = [
                {"loc": [str(x) for x in err.get("loc", [])], "msg": err.get("msg", ""), "type": err.get("type", "")}
                for err in exc.errors(include_url=False, include_input=False)
            ]
            first = details[0] if details else {"loc": [], "msg": "invalid request"}
            where = ".".join(first["loc"]) or "body"
            raise InputError(422, f"invalid request: {where}: {first['msg']}", details=details) from None

    def schema(self) -> dict:
        """The request body's JSON schema with this gate's question length."""
        schema = AskBody.model_json_schema()
        schema["properties"]["question"]["maxLength"] = self.max_chars
        return schema
