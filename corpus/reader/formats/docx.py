"""Word .docx: paragraphs and tables in document order, with Word's automatic numbering written out.

Decisions:

* The body is walked in order (``w:p`` and ``w:tbl`` children), so a table between two articles stays
  between them; tables are written in the ``|`` line form, one line per cell paragraph; a cell merged over
  several grid columns or rows is written once.
* A paragraph whose runs are all bold (directly or through its style) is written ``**…**``.
* Word list numbering: when a paragraph carries ``w:numPr`` and its text does not already start with a
  number, the number is recovered from ``numbering.xml`` (``lvlText`` such as ``Điều %1.``, ``%1.``,
  ``%1.%2.``, ``%1)``; formats decimal, lowerLetter, upperLetter, lowerRoman, upperRoman, bullet) with one
  counter per list and level, reset below the level that advanced — the way Word counts. Vietnamese
  point letters skip nothing (a, b, c, d, đ, e …) only when the author typed them; Word's lowerLetter
  gives a, b, c, d, e, so recovered letters follow Word (what the reader of the .docx saw).
* Not a Word file (a ZIP without ``word/document.xml``, a renamed file) → ReadError with what it is.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from corpus.reader.errors import ReadError
from corpus.reader.formats import SourceText

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_STARTS_NUMBERED = re.compile(
    r"^\s*(Điều\s+\d|Chương\s+[IVXLC]|Mục\s+\d|Phần\s+|[IVXLC]+\.|\d+(\.\d+)*[.)]|[a-zđ]\)|[-+•])"
)


def _roman(n: int) -> str:
    vals = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ]
    out = ""
    for v, s in vals:
        while n >= v:
            out, n = out + s, n - v
    return out


def _format(n: int, fmt: str) -> str:
    if fmt in ("lowerLetter", "upperLetter"):
        s = ""
        while n > 0:
            n, r = divmod(n - 1, 26)
            s = chr(97 + r) + s
        return s.upper() if fmt == "upperLetter" else s
    if fmt == "lowerRoman":
        return _roman(n).lower()
    if fmt == "upperRoman":
        return _roman(n)
    if fmt == "bullet":
        return "-"
    return str(n)


class Numbering:
    """Counters for Word's automatic numbering (numbering.xml)."""

    def __init__(self, document):
        self.levels: dict[tuple[str, int], tuple[str, str, int]] = {}
        self.abstract_of: dict[str, str] = {}
        self.counters: dict[str, list[int]] = {}
        try:
            part = document.part.numbering_part
        except (NotImplementedError, KeyError, AttributeError):
            return
        root = part.element
        abstract_levels: dict[str, dict[int, tuple[str, str, int]]] = {}
        for absn in root.findall(f"{W}abstractNum"):
            aid = absn.get(f"{W}abstractNumId")
            lv: dict[int, tuple[str, str, int]] = {}
            for lvl in absn.findall(f"{W}lvl"):
                ilvl = int(lvl.get(f"{W}ilvl", "0"))
                fmt_el, text_el, start_el = lvl.find(f"{W}numFmt"), lvl.find(f"{W}lvlText"), lvl.find(f"{W}start")
                fmt = fmt_el.get(f"{W}val") if fmt_el is not None else "decimal"
                text = text_el.get(f"{W}val") if text_el is not None else f"%{ilvl + 1}."
                start = int(start_el.get(f"{W}val")) if start_el is not None else 1
                lv[ilvl] = (fmt, text, start)
            abstract_levels[aid] = lv
        for num in root.findall(f"{W}num"):
            nid = num.get(f"{W}numId")
            ref = num.find(f"{W}abstractNumId")
            if ref is None:
                continue
            aid = ref.get(f"{W}val")
            self.abstract_of[nid] = aid
            for ilvl, spec in abstract_levels.get(aid, {}).items():
                self.levels[(nid, ilvl)] = spec

    def label(self, num_id: str, ilvl: int) -> str | None:
        if (num_id, ilvl) not in self.levels:
            return None
        key = self.abstract_of.get(num_id, num_id)
        counts = self.counters.setdefault(key, [0] * 9)
        start = self.levels[(num_id, ilvl)][2]
        counts[ilvl] = counts[ilvl] + 1 if counts[ilvl] else start
        for deeper in range(ilvl + 1, 9):
            counts[deeper] = 0
        fmt, text, _ = self.levels[(num_id, ilvl)]
        if fmt == "none":
            return None
        out = text
        for lvl in range(ilvl, -1, -1):
            spec = self.levels.get((num_id, lvl))
            value = counts[lvl] or (spec[2] if spec else 1)
            out = out.replace(f"%{lvl + 1}", _format(value, spec[0] if spec else "decimal"))
        if fmt == "bullet":
            return "-"
        return out.strip()


def _style_numpr(para):
    """Numbering set by the paragraph's style ("List Number") rather than on the paragraph itself."""
    try:
        style = para.style
    except Exception:
        return None
    while style is not None:
        ppr = style.element.find(f"{W}pPr")
        num = ppr.find(f"{W}numPr") if ppr is not None else None
        if num is not None:
            return num
        style = style.base_style
    return None


def _paragraph_text(p, numbering: Numbering, styles_bold, parent) -> str:
    from docx.text.paragraph import Paragraph

    para = Paragraph(p, parent)
    text = "".join(r.text for r in para.runs) if para.runs else para.text
    text = text.replace("\t", " ").strip() if text else ""
    ppr = p.find(f"{W}pPr")
    num = ppr.find(f"{W}numPr") if ppr is not None else None
    if num is None:
        num = _style_numpr(para)
    if num is not None and text:
        ilvl_el, nid_el = num.find(f"{W}ilvl"), num.find(f"{W}numId")
        nid = nid_el.get(f"{W}val") if nid_el is not None else None
        ilvl = int(ilvl_el.get(f"{W}val")) if ilvl_el is not None else 0
        label = numbering.label(nid, ilvl) if nid and nid != "0" else None
        if label and not _STARTS_NUMBERED.match(text):
            text = f"{label} {text}"
    if not text:
        return ""
    runs = [r for r in para.runs if r.text.strip()]
    style_bold = styles_bold(para)
    if runs and all((r.bold if r.bold is not None else style_bold) for r in runs):
        return f"**{text}**"
    return text


def load_docx(path: Path) -> SourceText:
    name = path.name
    if not zipfile.is_zipfile(path):
        with open(path, "rb") as fh:
            head = fh.read(8)
        what = "a legacy Word .doc file" if head.startswith(b"\xd0\xcf\x11\xe0") else "not a ZIP/Word container"
        raise ReadError(
            name,
            f"not a readable .docx file ({what})",
            hint="open it in Word or LibreOffice and save as .docx, or export it as .txt",
        )
    with zipfile.ZipFile(path) as zf:
        names = set(zf.namelist())
    if "word/document.xml" not in names:
        kind = "an OpenDocument file" if "content.xml" in names else "a ZIP archive"
        raise ReadError(
            name,
            f"not a Word document: this is {kind} renamed .docx (no word/document.xml)",
            hint="give the .docx that Word saved, or export the document as .txt",
        )
    try:
        import docx
        from docx.table import Table

        document = docx.Document(str(path))
    except Exception as exc:  # a corrupt container
        raise ReadError(
            name,
            f"not a readable .docx file ({exc.__class__.__name__}: {exc})",
            hint="open it in Word and save it again",
        ) from None
    numbering = Numbering(document)

    def styles_bold(para) -> bool:
        try:
            style = para.style
        except Exception:
            return False
        while style is not None:
            if style.font is not None and style.font.bold is not None:
                return bool(style.font.bold)
            style = style.base_style
        return False

    lines: list[str] = []
    locations: list[str] = []
    counter = 0
    for child in document.element.body.iterchildren():
        if child.tag == f"{W}p":
            counter += 1
            text = _paragraph_text(child, numbering, styles_bold, document._body)
            if text:  # paragraphs are whole: a blank line after each keeps them apart
                lines.extend([text, ""])
                locations.extend([f"paragraph {counter}"] * 2)
        elif child.tag == f"{W}tbl":
            table = Table(child, document)
            lines.append("")
            locations.append(f"table after paragraph {counter}")
            for r, row in enumerate(table.rows, 1):
                seen: set[int] = set()
                lines.append("|")
                locations.append(f"table after paragraph {counter}, row {r}")
                for cell in row.cells:
                    if id(cell._tc) in seen:
                        continue
                    seen.add(id(cell._tc))
                    for p in cell._tc.iterchildren(f"{W}p"):
                        text = _paragraph_text(p, numbering, styles_bold, document._body)
                        if text:
                            lines.append(text)
                            locations.append(f"table after paragraph {counter}, row {r}")
                    lines.append("|")
                    locations.append(f"table after paragraph {counter}, row {r}")
            lines.append("")
            locations.append(f"table after paragraph {counter}")
    if not any(line.strip() and line.strip() != "|" for line in lines):
        raise ReadError(
            name,
            "the Word document holds no text (images only?)",
            hint="if it is a scan, OCR it first; the reader does not do OCR",
        )
    return SourceText(name=name, lines=lines, format="docx", locations=locations)
