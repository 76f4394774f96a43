"""What the HTTP API, the document pages and the Gradio chat share in one process: the lazily created
Assistant, a corpus for pages that does not need the models, request validation, the rate limiter."""

from __future__ import annotations

import threading
import uuid
import weakref

from pydantic import Field, ValidationError, create_model

from assistant.schemas import CONTROL_RE, SESSION_RE, Answer, AskRequest
from assistant.web.guard import RateLimiter
from index.settings import Settings, get_settings

_ASK_LOCKS: "weakref.WeakKeyDictionary[object, threading.Lock]" = weakref.WeakKeyDictionary()
_ASK_LOCKS_GUARD = threading.Lock()


class InputError(ValueError):
    """A request the API refuses with a clear 4xx (status, message, optional details)."""

    def __init__(self, status: int, message: str, **extra):
        super().__init__(message)
        self.status = status
        self.message = message
        self.extra = extra


def request_model(max_chars: int) -> type[AskRequest]:
    """``AskRequest`` with the question length taken from ``settings.max_question_chars``."""
    return create_model("AskRequest", __base__=AskRequest,
                        question=(str, Field(min_length=1, max_length=max_chars,
                                             description=f"the question, 1-{max_chars} characters")))


def _has_surrogates(value) -> bool:
    if isinstance(value, str):
        return any("\ud800" <= ch <= "\udfff" for ch in value)
    return False


def new_session_id() -> str:
    return uuid.uuid4().hex


def valid_session_id(value) -> bool:
    return isinstance(value, str) and bool(SESSION_RE.match(value))


class Backend:
    def __init__(self, assistant=None, settings: Settings | None = None):
        self.settings = settings or get_settings()
        self._assistant = assistant
        self._corpus = None
        self._load_lock = threading.Lock()
        self._corpus_lock = threading.Lock()  # pages must not wait for the models to load
        self.limiter = RateLimiter(self.settings.rate_limit_per_minute)
        self.max_chars = self.settings.max_question_chars
        self.model = request_model(self.max_chars)

    # ---- lazy objects ----------------------------------------------------------------------------
    @property
    def loaded(self) -> bool:
        return self._assistant is not None

    def assistant(self):
        if self._assistant is None:
            with self._load_lock:
                if self._assistant is None:
                    from assistant.service import get_assistant

                    self._assistant = get_assistant()
        return self._assistant

    def corpus(self):
        """The assistant's corpus once it is loaded; before that a parsed corpus (no models), so
        document pages and the chat's filter lists do not wait for the embedder."""
        if self._assistant is not None:
            return self._assistant.corpus
        if self._corpus is None:
            with self._corpus_lock:
                if self._corpus is None:
                    from corpus.ingest import build_full_corpus

                    self._corpus = build_full_corpus(self.settings.data_dir)
        return self._corpus

    def _ask_lock(self, assistant) -> threading.Lock:
        # the retriever (torch, Chroma, BM25) is not documented as thread-safe: one question at a time
        with _ASK_LOCKS_GUARD:
            lock = _ASK_LOCKS.get(assistant)
            if lock is None:
                lock = _ASK_LOCKS[assistant] = threading.Lock()
            return lock

    def ask(self, req: AskRequest) -> Answer:
        """May raise ``assistant.service.UnknownFilterError`` (→ 400)."""
        assistant = self.assistant()
        with self._ask_lock(assistant):
            return assistant.ask(req)

    # ---- validation ------------------------------------------------------------------------------
    def validate(self, payload) -> AskRequest:
        if not isinstance(payload, dict):
            raise InputError(422, "the body must be a JSON object such as {\"question\": \"...\"}",
                             got=type(payload).__name__ if payload is not None else "null")
        for key, value in payload.items():
            if _has_surrogates(value) or _has_surrogates(key):
                raise InputError(422, f"field '{str(key)[:40]}' contains invalid Unicode (lone surrogates)")
        question = payload.get("question")
        if isinstance(question, str):
            if len(question) > self.max_chars:
                raise InputError(422, f"question is too long: {len(question)} characters, the maximum is {self.max_chars}",
                                 field="question", max_chars=self.max_chars)
            if CONTROL_RE.search(question):
                raise InputError(422, "question contains control characters", field="question")
        try:
            return self.model.model_validate(payload)
        except ValidationError as exc:
            details = [{"loc": [str(x) for x in err.get("loc", [])], "msg": err.get("msg", ""), "type": err.get("type", "")}
                       for err in exc.errors(include_url=False, include_input=False)]
            first = details[0] if details else {"loc": [], "msg": "invalid request"}
            where = ".".join(first["loc"]) or "body"
            raise InputError(422, f"invalid request: {where}: {first['msg']}", details=details) from None
