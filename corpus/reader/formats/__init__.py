"""One loader per file format, all producing a ``SourceText``: the document as lines of text.

Every format is turned into the same plain-text dialect the rest of the reader understands (the one the
shipped corpus and saved legal web pages use): one paragraph or wrapped line per line, ``**…**`` around
wholly bold paragraphs (headings), and tables written as ``|`` lines (``|`` alone on a line separates
cells, ``|`` twice in a row separates rows). Line numbers in errors and warnings refer to the user's file
for .txt/.md; for .docx they are paragraph numbers, for .pdf "page P, line L" (``SourceText.where``).

Limits: text files over ``MAX_TEXT_BYTES`` (8 MB, ~40 times the longest decree we have seen) and
containers (.docx/.pdf) over ``MAX_CONTAINER_BYTES`` are refused before reading.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from corpus.reader.errors import ReadError

MAX_TEXT_BYTES = 8 * 1024 * 1024
MAX_CONTAINER_BYTES = 40 * 1024 * 1024
TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".text", ""}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}


@dataclass
class SourceText:
    name: str  # the user's file name, for messages
    lines: list[str]
    format: str  # txt | md | html | docx | pdf
    encoding: str = "utf-8"
    warnings: list[str] = field(default_factory=list)
    locations: list[str] | None = None  # per line, when line numbers are not the file's own

    def where(self, lineno: int | None) -> str | None:
        if lineno is None:
            return None
        if self.locations and 1 <= lineno <= len(self.locations):
            return self.locations[lineno - 1]
        return f"line {lineno}"

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


def load(path: Path) -> SourceText:
    """Read any supported file; raises ReadError naming the file, the line and what to try."""
    path = Path(path)
    name = path.name
    if not path.exists():
        raise ReadError(name, "no such file", hint="check the path (quote it if it holds spaces)")
    if path.is_dir():
        raise ReadError(name, "is a directory, not a document", hint="give one file")
    size = path.stat().st_size
    if size == 0:
        raise ReadError(name, "the file is empty (0 bytes)", hint="export the document again")
    suffix = path.suffix.lower()
    limit = MAX_CONTAINER_BYTES if suffix in {".docx", ".pdf"} else MAX_TEXT_BYTES
    if size > limit:
        raise ReadError(
            name,
            f"the file is too large ({size / 1e6:.1f} MB; the limit is {limit / 1e6:.0f} MB for {suffix or 'text'})",
            hint="add one document per file (split a compilation into its documents)",
        )
    if suffix == ".docx":
        from corpus.reader.formats.docx import load_docx

        return load_docx(path)
    if suffix == ".pdf":
        from corpus.reader.formats.pdf import load_pdf

        return load_pdf(path)
    if suffix == ".doc":
        raise ReadError(name, "legacy Word .doc files cannot be read", hint="open it in Word and save as .docx")
    data = path.read_bytes()
    if suffix in HTML_SUFFIXES or (
        suffix not in TEXT_SUFFIXES and data[:512].lstrip().lower().startswith((b"<!doctype html", b"<html"))
    ):
        from corpus.reader.formats.html import load_html

        return load_html(data, name)
    from corpus.reader.formats.text import load_text

    return load_text(data, name, "md" if suffix in {".md", ".markdown"} else "txt")


def from_text(text: str, name: str = "<text>") -> SourceText:
    """A document given as a string (tests, the web form's pasted text)."""
    from corpus.reader.formats.text import split_lines

    return SourceText(name=name, lines=split_lines(text), format="txt")
