"""Plain text and markdown: decoded by ``encodings.decode_bytes``, lines kept as they are."""

from __future__ import annotations

import unicodedata

from corpus.reader.errors import ReadError
from corpus.reader.formats import SourceText
from corpus.reader.formats.encodings import UndecodableError, decode_bytes

_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"), None)


def split_lines(text: str) -> list[str]:
    text = unicodedata.normalize("NFC", text).translate(_INVISIBLE)
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def load_text(data: bytes, name: str, fmt: str = "txt") -> SourceText:
    try:
        decoded = decode_bytes(data)
    except UndecodableError as exc:
        raise ReadError(name, exc.reason, exc.line, exc.hint) from None
    lines = split_lines(decoded.text)
    if not any(line.strip() for line in lines):
        raise ReadError(name, "the file holds only blank lines", hint="export the document again")
    warnings = []
    if decoded.converted:
        warnings.append(f"converted from {decoded.encoding} to Unicode")
    return SourceText(name=name, lines=lines, format=fmt, encoding=decoded.encoding, warnings=warnings)
