"""The one escape helper and the label tables every HTML producer of the web layer uses.

Every interpolated value goes through :func:`e` (``html.escape`` with quotes), corpus text, questions and
query parameters alike; markup is only ever added around already-escaped text.
"""

from __future__ import annotations

from html import escape

STATUS_VI = {
    "in_force": "Đang có hiệu lực",
    "not_yet_in_force": "Chưa có hiệu lực",
    "draft": "Dự thảo",
    "repealed": "Đã bị bãi bỏ",
    "replaced": "Đã bị thay thế",
}


def e(value) -> str:
    """``value`` as HTML text or attribute value (``None`` → empty)."""
    return escape("" if value is None else str(value), quote=True)
