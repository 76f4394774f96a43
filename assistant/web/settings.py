"""Web server settings (pydantic-settings): what the HTTP layer needs and nothing else.

Read once at an entry point (``regassist serve``, the app factory ``create_app()``) with
:func:`load_server_settings` and passed down; nothing below reads the environment. Every field is an
environment variable ``REGASSIST_<FIELD>`` (or a line of ``.env``).

Decisions
* Values are accepted the way people type them: ``REGASSIST_ALLOWED_ORIGINS=http://a:8080,https://b`` (commas
  or spaces) as well as a JSON list. Any bad value gives one line, naming the variable, the value and what
  would be accepted (:class:`ServerSettingsError`), never a traceback: a probe found a 45-line traceback for
  the natural comma-separated form.
* Deny by default: no cross-origin browser access unless ``allowed_origins`` names the embedding sites, Host
  names other than loopback/IP literals/the machine's own names refused (DNS rebinding), proxy headers
  ignored unless the direct peer is in ``trusted_proxies`` (a probe rotated ``X-Forwarded-For`` past the rate
  limit, 300 of 300, because uvicorn trusts loopback by default), uploads off without ``admin_token``.
* The question's length limit is the answering one (``AnswerSettings.max_question_chars``): one limit.
* Limits are sized on measurements: a 2,000-character question is < 30 KB of JSON even fully ``\\u``-escaped,
  a conversation token a few KB (API body limit 256 KiB); the Gradio chat posts its whole history (20 turns of cited answers ≈ 150 KB), so
  its routes get 1 MiB; one 33 MB chat request grew the unguarded server by 156 MiB.
"""

from __future__ import annotations

import ipaddress
import json
import re
from typing import Annotated, Literal

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

ORIGIN_RE = re.compile(r"^(https?)://([a-z0-9*][a-z0-9.*\-]*|\[[0-9a-f:]+\])(:(\d{1,5}|\*))?$", re.IGNORECASE)
HOST_RE = re.compile(
    r"^(\*|\*?\.?[a-z0-9]([a-z0-9\-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9\-]*[a-z0-9])?)*\.?)$", re.IGNORECASE
)

StrList = Annotated[list[str], NoDecode]


class ServerSettingsError(ValueError):
    """A setting that cannot be used; ``str()`` is one line meant for the person who set it."""


def split_list(value) -> list[str]:
    """``"a, b c"`` / ``'["a", "b"]'`` / ``["a", "b"]`` → ``["a", "b", "c"]`` (empty items dropped)."""
    if value is None:
        return []
    if isinstance(value, str):
        text = value.strip()
        if text.startswith("["):
            try:
                value = json.loads(text)
            except ValueError:
                raise ValueError(
                    "starts with '[' but is not a JSON list; write a comma-separated list instead"
                ) from None
            if not isinstance(value, list):
                raise ValueError("expected a list")
        else:
            return [v for v in re.split(r"[\s,]+", text) if v]
    if not isinstance(value, (list, tuple, set)):
        raise ValueError("expected a comma-separated list")
    return [str(v).strip() for v in value if str(v).strip()]


class ServerSettings(BaseSettings):
    """Everything ``regassist serve`` and :func:`assistant.web.app.create_app` are configured with."""

    model_config = SettingsConfigDict(env_prefix="REGASSIST_", env_file=".env", extra="ignore")

    host: str = "127.0.0.1"
    port: int = Field(default=7860, ge=1, le=65535)
    workers: int = Field(default=1, ge=1, le=32)
    log_level: Literal["critical", "error", "warning", "info", "debug"] = "info"
    ui: bool = True  # the Gradio chat at "/"

    # browsers: pages of these origins may call the API and frame the chat (the widget's hosts). Exact
    # "scheme://host[:port]", globs ("https://*.intranet.example", "http://localhost:*") or "*". Default: none.
    allowed_origins: StrList = Field(default_factory=list)
    # Host header names accepted besides loopback, IP literals and this machine's names; "*" accepts any.
    allowed_hosts: StrList = Field(default_factory=list)
    # peers whose X-Forwarded-For / X-Forwarded-Proto / X-Forwarded-Host are believed (IPs or CIDRs). Default: none.
    trusted_proxies: StrList = Field(default_factory=list)

    rate_limit_per_minute: int = Field(default=120, ge=0)  # questions per client address; 0 = off
    answer_threads: int = Field(default=8, ge=1, le=64)  # questions answered at once per worker (more wait)
    max_body_bytes: int = Field(default=256 * 1024, ge=1024)  # JSON API
    max_ui_body_bytes: int = Field(default=1024 * 1024, ge=1024)  # every other route (Gradio's included)
    max_upload_bytes: int = Field(default=20 * 1024 * 1024, ge=1024)  # the admin upload page
    header_timeout: float = Field(default=10.0, gt=0, le=600)  # seconds to send the request line and headers
    body_timeout: float = Field(default=20.0, gt=0, le=3600)  # seconds to send the whole body
    keep_alive_timeout: int = Field(default=5, ge=1, le=600)
    answer_timeout: float = Field(default=30.0, gt=0, le=600)  # an answer that takes longer → 503

    admin_token: SecretStr | None = None  # enables /admin (document upload); ≥ 16 characters
    session_secret: SecretStr | None = None  # signs conversation tokens; same value on every replica
    session_ttl_seconds: int = Field(default=24 * 3600, ge=60)
    index_poll_seconds: float = Field(default=2.0, gt=0, le=3600)  # how often CURRENT is checked for a new build

    @field_validator("allowed_origins", mode="before")
    @classmethod
    def _origins(cls, v):
        items = split_list(v)
        bad = [o for o in items if o != "*" and not ORIGIN_RE.match(o.rstrip("/"))]
        if bad:
            raise ValueError(f"{bad[0]!r} is not an origin: write scheme://host[:port], e.g. http://intranet:8080")
        return [o.rstrip("/") for o in items]

    @field_validator("allowed_hosts", mode="before")
    @classmethod
    def _hosts(cls, v):
        items = [h.lower() for h in split_list(v)]
        bad = [h for h in items if not HOST_RE.match(h)]
        if bad:
            raise ValueError(f"{bad[0]!r} is not a host name: write names like regassist.intranet or *.intranet")
        return items

    @field_validator("trusted_proxies", mode="before")
    @classmethod
    def _proxies(cls, v):
        items = split_list(v)
        for item in items:
            try:
                ipaddress.ip_network(item, strict=False)
            except ValueError:
                raise ValueError(f"{item!r} is not an IP address or network (e.g. 10.0.0.5 or 10.0.0.0/24)") from None
        return items

    @field_validator("admin_token")
    @classmethod
    def _token(cls, v: SecretStr | None):
        if v is not None and v.get_secret_value() == "":
            return None
        if v is not None and len(v.get_secret_value()) < 16:
            raise ValueError(
                "must be at least 16 characters (e.g. python -c 'import secrets; print(secrets.token_urlsafe())')"
            )
        return v

    @field_validator("session_secret")
    @classmethod
    def _secret(cls, v: SecretStr | None):
        if v is not None and v.get_secret_value() == "":
            return None
        if v is not None and len(v.get_secret_value()) < 16:
            raise ValueError("must be at least 16 characters")
        return v

    @property
    def proxy_networks(self) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
        return [ipaddress.ip_network(p, strict=False) for p in self.trusted_proxies]


def _one_line(exc: ValidationError) -> str:
    err = exc.errors(include_url=False)[0]
    name = str(err["loc"][0]) if err.get("loc") else "setting"
    msg = str(err.get("msg", "invalid value")).removeprefix("Value error, ")
    value = err.get("input")
    shown = (
        ""
        if value is None or isinstance(value, (dict, list)) or "secret" in name or "token" in name
        else f" {str(value)[:80]!r}"
    )
    more = f" (and {len(exc.errors()) - 1} more)" if len(exc.errors()) > 1 else ""
    return f"REGASSIST_{name.upper()}{shown}: {msg}{more}"


def load_server_settings(**overrides) -> ServerSettings:
    """The environment (+ ``.env``) with ``overrides`` on top; :class:`ServerSettingsError` (one line) if bad."""
    try:
        return ServerSettings(**{k: v for k, v in overrides.items() if v is not None})
    except ValidationError as exc:
        raise ServerSettingsError(_one_line(exc)) from None
    except ValueError as exc:  # pydantic-settings' own parse errors
        raise ServerSettingsError(str(exc).splitlines()[0]) from None
