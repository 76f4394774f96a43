"""PDF with a text layer (pypdf): page text without running headers, footers and page numbers.

Decisions:

* No text layer: when the pages yield fewer than 20 letters per page on average the file is a scan and
  is refused ("no text layer: OCR is not supported"), naming the page count.
* Running headers/footers: a line among the first or last 3 lines of a page that recurs (digits ignored)
  on at least half of the pages (and on ≥ 2 pages) is removed; so are lines that are only a page number
  ("3", "- 3 -", "Trang 3", "3/12", "Page 3 of 12").
* Hyphenation: a line ending in a letter + "-" followed by a line starting with a lower-case letter is
  joined without the hyphen (Vietnamese words are written with spaces, so this only undoes typesetting).
* Legacy font encodings (TCVN3/VNI text extracted as Latin-1 look-alikes) are converted with the same
  detection as text files.
* Pages are separated by a blank line; line numbers in messages are "page P, line L".
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from corpus.reader.errors import ReadError
from corpus.reader.formats import SourceText
from corpus.reader.formats.encodings import _legacy_in_unicode
from corpus.reader.formats.text import split_lines

PAGE_NUMBER = re.compile(r"^\s*(?:-\s*)?(?:trang|page)?\s*\d{1,4}\s*(?:/\s*\d{1,4}|of\s+\d{1,4})?\s*(?:-)?\s*$", re.I)
EDGE = 3


def _norm(line: str) -> str:
    return re.sub(r"\d+", "#", line.strip().lower())


def load_pdf(path: Path) -> SourceText:
    name = path.name
    try:
        from pypdf import PdfReader
        from pypdf.errors import PdfReadError

        reader = PdfReader(str(path))
        if reader.is_encrypted:
            try:
                reader.decrypt("")
            except Exception:
                raise ReadError(name, "the PDF is password-protected", hint="give an unprotected copy") from None
        pages = [page.extract_text() or "" for page in reader.pages]
    except ReadError:
        raise
    except (PdfReadError, OSError, ValueError, KeyError, TypeError) as exc:
        raise ReadError(
            name,
            f"not a readable PDF ({exc.__class__.__name__})",
            hint="open it and print/export it to PDF again, or give the .docx",
        ) from None
    if not pages:
        raise ReadError(name, "the PDF has no pages", hint="export the document again")
    letters = sum(sum(ch.isalpha() for ch in p) for p in pages)
    if letters < 20 * len(pages):
        raise ReadError(
            name,
            f"no text layer: OCR is not supported ({len(pages)} page(s) of images)",
            hint="give the .docx or text version, or run OCR first and give its text",
        )
    page_lines = [split_lines(p) for p in pages]
    counts: Counter[str] = Counter()
    for lines in page_lines:
        nonblank = [ln for ln in lines if ln.strip()]
        edges = {_norm(ln) for ln in nonblank[:EDGE] + nonblank[-EDGE:]}
        counts.update(edges)
    threshold = max(2, (len(pages) + 1) // 2)
    running = {k for k, v in counts.items() if v >= threshold and len(pages) >= 2}
    out: list[str] = []
    locations: list[str] = []
    removed = 0
    for pno, lines in enumerate(page_lines, 1):
        nonblank_idx = [i for i, ln in enumerate(lines) if ln.strip()]
        edge_idx = set(nonblank_idx[:EDGE] + nonblank_idx[-EDGE:])
        for i, line in enumerate(lines):
            if i in edge_idx and (_norm(line) in running or PAGE_NUMBER.match(line)):
                removed += 1
                continue
            if out and re.search(r"[^\W\d_]-$", out[-1]) and re.match(r"^[a-zà-ỹđ]", line.strip()):
                out[-1] = out[-1][:-1] + line.strip()
                continue
            out.append(line.rstrip())
            locations.append(f"page {pno}, line {i + 1}")
        out.append("")
        locations.append(f"page {pno}")
    warnings = [f"PDF: {len(pages)} page(s); {removed} running header/footer or page-number line(s) removed"]
    converted = _legacy_in_unicode("\n".join(out))
    if converted is not None:
        out = split_lines(converted.text)
        warnings.append(f"converted from {converted.encoding} to Unicode")
        if len(out) != len(locations):
            locations = None  # type: ignore[assignment]
    return SourceText(name=name, lines=out, format="pdf", warnings=warnings, locations=locations)
