"""JSON responses of the web layer: ``{"error": …}`` for every refusal, markup-safe JSON for every answer."""

from __future__ import annotations

import json

from starlette.responses import JSONResponse


class InputError(ValueError):
    """A request refused with a clear 4xx/503: ``status``, a one-line ``message``, optional JSON ``extra``."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None, **extra):
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers
        self.extra = extra


class SafeJSONResponse(JSONResponse):
    """JSON whose ``<``, ``>`` and ``&`` are written ``\\u003c`` … so that echoed text (a question holding
    ``<script>``) can never be sniffed or pasted as markup; the decoded value is unchanged. Text that is not
    encodable as UTF-8 (a lone surrogate) is written with ``\\u`` escapes instead of failing with a 500."""

    def render(self, content) -> bytes:
        text = json.dumps(content, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
        try:
            data = text.encode("utf-8")
        except UnicodeEncodeError:
            data = json.dumps(content, ensure_ascii=True, allow_nan=False, separators=(",", ":")).encode("ascii")
        return data.replace(b"<", b"\\u003c").replace(b">", b"\\u003e").replace(b"&", b"\\u0026")


def error_response(status: int, message: str, headers: dict[str, str] | None = None, **extra) -> SafeJSONResponse:
    return SafeJSONResponse({"error": message, **extra}, status_code=status, headers=headers)


def input_error_response(exc: InputError) -> SafeJSONResponse:
    return error_response(exc.status, exc.message, headers=exc.headers, **exc.extra)
