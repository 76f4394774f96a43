"""`regassist eval` (registered by assistant.commands)."""

from __future__ import annotations


def register(sub) -> None:
    return None
