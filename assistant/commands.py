"""Sub-commands beyond the corpus: index, search, ask, serve, eval."""

from __future__ import annotations


def register(sub) -> None:
    return None
