"""What the routes, the chat and the admin pages share in one process: settings, the engine, the gate, the
rate limiter, the conversation tokens — and the one way a question is answered (:meth:`WebContext.answer`)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

import anyio

from assistant.web.backend import Answer, Engine, FilterError, NotReady, TooLongError
from assistant.web.gate import AskBody, Gate
from assistant.web.limiter import RateLimiter
from assistant.web.responses import InputError
from assistant.web.sessions import SessionCodec
from assistant.web.settings import ServerSettings

UNKNOWN_SESSION = (
    "session_id not recognised (expired, from another server, or not issued by this one): "
    "a new conversation was started"
)


@dataclass
class WebContext:
    settings: ServerSettings
    engine: Engine
    gate: Gate = field(init=False)
    limiter: RateLimiter = field(init=False)
    codec: SessionCodec = field(init=False)
    threads: anyio.CapacityLimiter | None = field(init=False, default=None)

    def __post_init__(self):
        self.gate = Gate(self.engine.answer_settings.max_question_chars)
        self.limiter = RateLimiter(self.settings.rate_limit_per_minute)
        secret = self.settings.session_secret.get_secret_value() if self.settings.session_secret else None
        self.codec = SessionCodec(secret, self.settings.session_ttl_seconds)

    @property
    def max_chars(self) -> int:
        return self.gate.max_chars

    def limit(self, client: str | None) -> None:
        """429 (with Retry-After) when ``client`` — the real peer address — asked too often."""
        wait = self.limiter.check(client)
        if wait:
            per = self.settings.rate_limit_per_minute
            raise InputError(
                429,
                f"rate limit exceeded: {per} questions per minute; retry after {int(wait)} s",
                headers={"Retry-After": str(int(wait))},
                retry_after=int(wait),
                limit_per_minute=per,
            )

    def answer_sync(self, body: AskBody) -> Answer:
        """The answer to a validated request, its ``session_id`` the token that continues the conversation."""
        state = self.codec.read(body.session_id)
        try:
            answer, new_state = self.engine.answer(
                body.question,
                province=body.province,
                document=body.document,
                status=body.status,
                as_of=body.as_of,
                state=state,
            )
        except FilterError as exc:
            raise InputError(400, str(exc)) from None
        except TooLongError as exc:
            raise InputError(422, str(exc), field="question", max_chars=self.max_chars) from None
        except NotReady as exc:
            raise InputError(503, f"not ready: {exc}", headers={"Retry-After": "10"}, state="not_ready") from None
        answer.session_id = self.codec.issue(new_state)
        if body.session_id and state is None:
            answer.warnings.append(UNKNOWN_SESSION)
        return answer

    async def answer(self, body: AskBody) -> Answer:
        """:meth:`answer_sync` in a worker thread (at most ``answer_threads`` at once), bounded by
        ``answer_timeout`` (→ 503; the thread finishes on its own)."""
        if self.threads is None:
            self.threads = anyio.CapacityLimiter(self.settings.answer_threads)
        try:
            return await asyncio.wait_for(
                anyio.to_thread.run_sync(self.answer_sync, body, limiter=self.threads, abandon_on_cancel=True),
                timeout=self.settings.answer_timeout,
            )
        except asyncio.TimeoutError:
            raise InputError(
                503, f"no answer within {self.settings.answer_timeout:g} s; try again", headers={"Retry-After": "5"}
            ) from None
