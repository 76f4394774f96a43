"""The one escape helper and the status labels every HTML producer of the web layer uses.

Every interpolated value goes through :func:`e` (``html.escape`` with quotes), corpus text, questions and
query parameters alike; markup is only ever added around already-escaped text.
"""

from __future__ import annotations

from html import escape

from assistant.answering.versions import STATUS_BADGE_VI as STATUS_VI  # the answering layer's one status table

__all__ = ["STATUS_VI", "e"]


def e(value) -> str:
    """``value`` as HTML text or attribute value (``None`` → empty)."""
    return escape("" if value is None else str(value), quote=True)
