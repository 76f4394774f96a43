"""The one error the reader raises: the user's file, the line, what is wrong and what to try."""

from __future__ import annotations


class ParseError(ValueError):
    """A source file that cannot be parsed; says where and why (also importable from corpus.parsing.errors)."""

    def __init__(self, source: str, reason: str, line: int | None = None):
        self.source, self.reason, self.line = source, reason, line
        where = f"{source}:{line}" if line else source
        super().__init__(f"{where}: {reason}")


class ReadError(ParseError):
    """A file that holds no readable text (empty, binary, no text layer, undecodable).

    A subclass of ``ParseError`` (itself a ``ValueError``), so callers that caught parse errors keep
    working. ``str(err)`` is the user-facing message: ``"name.docx:12: reason. Try: hint"``.
    """

    def __init__(self, source: str, reason: str, line: int | None = None, hint: str = "", where: str | None = None):
        self.hint = hint
        self.where = where
        super().__init__(source, reason, line)
        message = f"{source}:{where}: {reason}" if where else str(self.args[0])
        if hint:
            message += f". Try: {hint}"
        self.args = (message,)
        self.message = message

    def __str__(self) -> str:
        return self.message
