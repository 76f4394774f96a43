"""Conversation tokens: the state of a conversation travels with the client, signed by the server.

A token is ``itsdangerous.URLSafeTimedSerializer(secret).dumps(state)`` (compressed when that is shorter):
the client cannot read a forged or altered one, nor one older than ``session_ttl_seconds``; a token it
never received cannot be guessed. The state is what the assistant needs to continue the conversation —
today a random 128-bit conversation id over the assistant's in-memory session store, and, once the
assistant exposes a JSON-serialisable ``Conversation``, the conversation itself, so that replicas share
nothing. A client sending another user's raw id (the probe's hijack) gets a fresh conversation: ids are
only accepted inside a token this server signed, and no earlier question is ever echoed.

The secret comes from ``ServerSettings.session_secret``; without one a random secret is made per process
(``regassist serve --workers N`` makes one for all its workers; replicas on several machines must be given
the same ``REGASSIST_SESSION_SECRET``).
"""

from __future__ import annotations

import secrets

from itsdangerous import BadData, URLSafeTimedSerializer

MAX_TOKEN_CHARS = 32_768


class SessionCodec:
    """``issue(state) -> token`` and ``read(token) -> state | None`` (``None``: absent, altered, expired)."""

    def __init__(self, secret: str | None, ttl_seconds: int, salt: str = "regassist-conversation"):
        self.ephemeral = secret is None
        self.serializer = URLSafeTimedSerializer(secret or secrets.token_urlsafe(32), salt=salt)
        self.ttl = ttl_seconds

    def issue(self, state: dict) -> str:
        return self.serializer.dumps(state)

    def read(self, token: str | None) -> dict | None:
        if not token or not isinstance(token, str) or len(token) > MAX_TOKEN_CHARS:
            return None
        try:
            state = self.serializer.loads(token, max_age=self.ttl)
        except (BadData, ValueError, TypeError):
            return None
        return state if isinstance(state, dict) else None


def new_conversation_id() -> str:
    return secrets.token_hex(16)
