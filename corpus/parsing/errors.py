from __future__ import annotations


class ParseError(ValueError):
    """A source file that cannot be parsed; says where and why."""

    def __init__(self, source: str, reason: str, line: int | None = None):
        self.source, self.reason, self.line = source, reason, line
        where = f"{source}:{line}" if line else source
        super().__init__(f"{where}: {reason}")
