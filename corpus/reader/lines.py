"""From raw lines to logical lines: markup cleaned, tables apart, wrapped lines joined.

Decisions (each exercised by tests/unit/corpus):

* Markup debris — ``#`` heading marks, ``**``/``*`` emphasis, markdown hard breaks (two trailing spaces),
  ``<http://…>`` autolinks, ``[bookmark: …]`` anchors, OCR scribbles and ``✓`` — is removed by
  ``corpus.text.clean_markup``; wording is never changed.
* Bold spans are paired over the whole text before lines are cleaned: an empty pair (``**1.****\\n**Trên``:
  the second pair holds only a line break) and a glued pair (``Sửa đổi**** Điều 1``) are removed, so a
  heading broken over lines (``**Chương\\nI**``, ``**Điều 15.\\nHiệu lực thi hành**``) is one bold span and
  a bold glitch does not make the rest of the text a heading.
* Tables written with ``|`` lines (saved web pages; .docx/.html are converted to this form) become
  ``Table`` blocks: ``|`` alone on a line closes a cell, ``|`` twice closes a row; a table ends at a blank
  line after a closing ``|`` or when its row has as many cells as the rows before it.
* Line joining depends on how the text was laid out, measured per document (``detect_layout``):
  - ``wrapped``: paragraphs separated by blank lines, lines wrapped at a fixed width (most saved web
    pages: ≥ 25 % of lines within 12 % of the 90th-percentile length, which is ≤ 150). Inside a paragraph
    every line joins the previous one unless it starts a structural element (Điều, Chương, a khoản/điểm
    marker, a bullet, a roman section); across a blank line only a line starting in lower case or with
    ``(``/``,``/``;``, or one closing a parenthesis left open, continues.
  - ``wrapped-no-blank``: wrapped, but no blank lines at all (two of the pages we have, and PDFs): the
    legacy rule — a line continues the previous one when it starts in lower case or with ``(``/``,``, or when
    the previous one does not end a sentence (``. ; : ! ? ) ” …``), unless either is structural — except that
    a line shorter than 70 % of the wrap width (the 90th-percentile line length) ends its paragraph when the
    next line starts with a capital (a heading "I. Nội dung chi …" over its first paragraph).
  - ``lines``: one paragraph per line (the shipped corpus, .docx, .html): as ``wrapped-no-blank`` but a
    line starting with a capital joins only when the previous line ends with a word that cannot end a
    Vietnamese sentence (của, về, tại, và, các, theo … see ``OPEN_ENDINGS``); a numbered heading such as
    "1. Mục đích" followed by its first paragraph is therefore never glued to it.
* A bare marker line (``Điều``, ``Chương``, ``Mục``, ``1.``, ``I.``, ``a)``, ``Điều 15.``) always takes the
  next line: ``**Điều\\n20. Điều khoản thi hành**`` is one heading.
* Quotations: a line opening a ``“`` that is not closed on the same line starts a quoted passage (an
  amending text quoting the new wording: ``“Điều 1. Phạm vi điều chỉnh`` … ``”.``); every line until the
  quotes balance is marked ``quoted`` and is never read as structure.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from corpus.text import clean_markup, squash

ARTICLE_RE = re.compile(r"^(?:Điều|ĐIỀU)\s+(\d{1,3})\s*(?:[.:]\s*(.*))?$")
ARTICLE_LOOSE_RE = re.compile(r"^Điều\s+(\d{1,3})\s*[.:]\s*(.*)$")
CHAPTER_RE = re.compile(r"^(?:Chương|CHƯƠNG)\s+([IVXLC]+)\b[.:]?\s*(.*)$")
CHAPTER_ANY_RE = re.compile(r"^(?:Chương|CHƯƠNG)\s+([IVXLC]+|\d{1,2})\b[.:]?\s*(.*)$")
PART_RE = re.compile(r"^Phần\s+(thứ\s+\S+|[IVXLC]+|\d{1,2})\b[.:]?\s*(.*)$", re.IGNORECASE)
SECTION_RE = re.compile(r"^Mục\s+(\d{1,2})\b[.:]?\s*(.*)$")
CLAUSE_RE = re.compile(r"^(\d{1,2})\.(?!\d)\s*(\S.*)$")  # not "2.2 mục 2 …" (a reference wrapped to a line start)
LOOSE_CLAUSE_RE = re.compile(r"^-\s*(\d{1,2})\.?\s+(\S.*)$")
POINT_RE = re.compile(r"^(?:-\s*)?([a-zđ])\)\s*(.*)$")
ROMAN_RE = re.compile(r"^(I|II|III|IV|V|VI|VII|VIII|IX|X|XI|XII|XIII|XIV|XV|XVI|XVII|XVIII|XIX|XX)\.\s*(.*)$")
SUB_RE = re.compile(r"^(\d{1,2})\.(\d{1,2})(?:\.(\d{1,2}))?\.?\s+(.*)$")
BULLET_RE = re.compile(r"^[-–•+*]\s*(.*)$")
DEBRIS_RE = re.compile(r"^[\s.,;:/\\č|]*$")
STOP_RE = re.compile(
    r"^(Nơi nhận|TM\.|KT\.|Q\.\s*CHỦ TỊCH|Đã ký|CHỦ TỊCH$|PHÓ CHỦ TỊCH$|"
    r"Ủy ban nhân dân Tỉnh .*Giờ ký|.*Giờ ký:)"
)
FORM_HEADING_RE = re.compile(r"^Mẫu\s+(?:số\s*)?\d+[a-zA-Z]?[.:]?$")
FOOTNOTE_RE = re.compile(r"^\[(\d+)\]\s*(.*)$")
SENTENCE_END = tuple('.;:!?)”"…')
PARAGRAPH_START_RE = re.compile(r"^(Căn cứ|Theo đề nghị|Thực hiện|QUYẾT ĐỊNH)")
BARE_MARKER_RE = re.compile(
    r"^(Điều|ĐIỀU|Chương|CHƯƠNG|Mục|MỤC|Phần|PHẦN|(?:Điều|ĐIỀU)\s+\d{1,3}[.:]?|(?:Chương|CHƯƠNG)\s+[IVXLC]+[.:]?|"
    r"Mục\s+\d{1,2}\.?|\d{1,2}\.|\d{1,2}\.\d{1,2}\.?|"
    r"[IVX]{1,5}\.|[a-zđ]\))$"
)
# words after which a Vietnamese sentence or heading cannot end (a capital on the next line continues it)
OPEN_ENDINGS = frozenset("của về tại và với cho các những theo trong bởi từ đến là được bị để thuộc bộ".split())
CLOSING_STARTS = ("(Có Phụ lục", "(Có phụ lục", "(Kèm theo", "Trên đây là")


@dataclass
class Line:
    """One logical line: a paragraph or a heading, cleaned, with the source line numbers it came from."""

    text: str
    lineno: int
    heading: bool = False  # markdown heading / wholly bold
    extra: list[int] = field(default_factory=list)
    quoted: bool = False  # inside a quotation: never structure
    body_on_heading: bool = False  # "**Điều 2.** Bãi bỏ …": only the marker is bold, the rest is body text


@dataclass
class RawLine:
    text: str
    lineno: int


@dataclass
class Table:
    rows: list[list[list[RawLine]]]
    lineno: int
    end_lineno: int

    def cell_texts(self) -> list[list[str]]:
        return [[squash(" ".join(clean_markup(r.text)[0] for r in cell)) for cell in row] for row in self.rows]

    def text(self) -> str:
        return "\n".join(" | ".join(c for c in row if c) for row in self.cell_texts())


Block = RawLine | Table


def point_slug(letter: str) -> str:
    return "dd" if letter == "đ" else letter


def is_caps(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 4 and all(c.isupper() for c in letters)


def is_structural(text: str) -> bool:
    return bool(
        PARAGRAPH_START_RE.match(text)
        or ARTICLE_RE.match(text)
        or CHAPTER_RE.match(text)
        or CLAUSE_RE.match(text)
        or SUB_RE.match(text)
        or LOOSE_CLAUSE_RE.match(text)
        or POINT_RE.match(text)
        or text.startswith("- ")
        or STOP_RE.match(text)
        or is_caps(text)
    )


def is_structural_wrapped(text: str) -> bool:
    """Structure that starts a new logical line even inside a wrapped paragraph."""
    if re.match(r"^-\s*\d", text):  # "- 2030" continues "2026" (a range broken at the dash)
        return False
    return bool(
        PARAGRAPH_START_RE.match(text)
        or ARTICLE_RE.match(text)
        or CHAPTER_ANY_RE.match(text)
        or SECTION_RE.match(text)
        or PART_RE.match(text)
        or CLAUSE_RE.match(text)
        or SUB_RE.match(text)
        or POINT_RE.match(text)
        or ROMAN_RE.match(text)
        or (BULLET_RE.match(text) and not text.startswith("*"))
        or STOP_RE.match(text)
        or FOOTNOTE_RE.match(text)
        or text.startswith(CLOSING_STARTS[:2])
    )


def continues(prev: Line | None, cur: Line) -> bool:
    """The legacy joining rule (layouts ``wrapped-no-blank`` and the comparison table)."""
    if prev is None or is_structural(cur.text) or is_caps(prev.text) or STOP_RE.match(prev.text):
        return False
    first = cur.text[0]
    if first.islower() or first in "(,;":
        return True
    if prev.heading or ARTICLE_RE.match(prev.text) or CHAPTER_RE.match(prev.text):
        return False
    return not prev.text.endswith(SENTENCE_END)


def _open_ending(text: str) -> bool:
    words = text.rstrip().split()
    return bool(words) and words[-1].lower() in OPEN_ENDINGS


def continues_lines(prev: Line | None, cur: Line) -> bool:
    """Layout ``lines``: as ``continues`` but a capital continues only after an open ending."""
    if prev is None or is_structural(cur.text) or is_caps(prev.text) or STOP_RE.match(prev.text):
        return False
    if cur.text.startswith(CLOSING_STARTS):
        return False
    first = cur.text[0]
    if first.islower() or first in "(,;":
        return True
    if prev.heading or ARTICLE_RE.match(prev.text) or CHAPTER_RE.match(prev.text):
        return False
    return not prev.text.endswith(SENTENCE_END) and _open_ending(prev.text)


# ---- bold spans ---------------------------------------------------------------------------------------
_BOLD = re.compile(r"\*\*")


def normalise_bold(text: str) -> str:
    """Pair ``**`` tokens over the whole text; drop empty pairs and merge glued ones (see module doc)."""
    tokens = [m.start() for m in _BOLD.finditer(text)]
    if len(tokens) < 2:
        return text
    drop: set[int] = set()
    pairs = list(zip(tokens[0::2], tokens[1::2]))
    for open_at, close_at in pairs:
        if not text[open_at + 2 : close_at].strip():
            drop.update((open_at, close_at))
    for (_, close_at), (open_at, _) in zip(pairs, pairs[1:]):
        if close_at in drop or open_at in drop:
            continue
        between = text[close_at + 2 : open_at]
        if between == "" or (not between.strip() and "\n" not in between):
            drop.update((close_at, open_at))
    if not drop:
        return text
    out, last = [], 0
    for pos in sorted(drop):
        out.append(text[last:pos])
        last = pos + 2
    out.append(text[last:])
    return "".join(out)


# ---- tables -------------------------------------------------------------------------------------------
def to_blocks(lines: list[str], first_lineno: int = 1) -> list[Block]:
    """Split raw lines into RawLine and Table blocks (``|`` tables, see module doc)."""
    blocks: list[Block] = []
    n = len(lines)
    i = 0
    while i < n:
        if lines[i].strip() != "|":
            blocks.append(RawLine(lines[i], first_lineno + i))
            i += 1
            continue
        start = i
        rows: list[list[list[RawLine]]] = []
        row: list[list[RawLine]] = []
        cell: list[RawLine] = []
        ncols: int | None = None
        j = i + 1
        while j < n:
            s = lines[j].strip()
            if s != "|":
                if not s and not cell and (j + 1 >= n or lines[j + 1].strip() != "|"):
                    break  # a blank line where a cell should start: the table is over
                if s:
                    cell.append(RawLine(lines[j], first_lineno + j))
                j += 1
                continue
            row.append(cell)
            cell = []
            if j + 1 < n and lines[j + 1].strip() == "|":  # row boundary
                rows.append(row)
                if len(row) >= 2 or ncols is None:  # a merged (one-cell) row does not tell the width
                    ncols = len(row)
                row = []
                j += 2
                continue
            nxt = lines[j + 1].strip() if j + 1 < n else ""
            if not nxt or (ncols is not None and len(row) >= ncols):
                j += 1
                break
            j += 1
        if cell:
            row.append(cell)
        if row:
            rows.append(row)
        rows = [r for r in rows if any(c for c in r)]
        blocks.append(Table(rows, first_lineno + start, first_lineno + j - 1))
        i = j
    return blocks


def tab_rows(lines: list[RawLine]) -> list[tuple[int, list[list[str]]]]:
    """Rows of a tab-cell table (a cell starts with a tab; a blank line ends a row): (lineno, cells)."""
    rows: list[tuple[int, list[list[str]]]] = []
    cur: list[list[str]] | None = None
    for raw in lines:
        line = raw.text
        if line.startswith("\t"):
            if cur is None:
                cur = []
                rows.append((raw.lineno, cur))
            cur.append([line[1:]])
        elif not line.strip():
            cur = None
        elif cur is not None:
            cur[-1].append(line)
    return rows


# ---- layout and joining -------------------------------------------------------------------------------
def detect_layout(lines: list[str]) -> str:
    """``wrapped`` | ``wrapped-no-blank`` | ``lines`` (see module doc).

    A text is wrapped when lines run on into the next one: of the lines of ≥ 20 characters followed by a
    non-blank line, the share whose next line starts in lower case is ≥ 30 % (saved legal pages: 33–89 %;
    one-paragraph-per-line texts, the shipped corpus: 0–21 %).
    """
    cleaned = [clean_markup(x)[0] for x in lines]
    pairs = [(a, b) for a, b in zip(cleaned, cleaned[1:]) if len(a) >= 20 and b]
    if len(pairs) < 6:
        return "lines"
    share = sum(1 for _, b in pairs if b[0].islower()) / len(pairs)
    if share < 0.3:
        return "lines"
    blank = sum(1 for x in lines if not x.strip())
    return "wrapped" if blank >= 0.05 * len(lines) else "wrapped-no-blank"


MARKER_BOLD_RE = re.compile(r"^\s*\*\*\s*Điều\s+\d{1,3}\s*\.?\s*\*\*\s*[^\s*]")


def _clean(raw_lines: list[RawLine]) -> list[tuple[RawLine, str, bool, bool]]:
    """(raw, cleaned text, heading, blank_before) for the non-debris lines; bold spans tracked."""
    out = []
    in_bold = False
    blank = False
    for raw in raw_lines:
        text, heading = clean_markup(raw.text)
        opened = in_bold
        if raw.text.count("**") % 2:
            in_bold = not in_bold
        heading = heading or opened or (in_bold and raw.text.lstrip().startswith("**"))
        if not text or DEBRIS_RE.match(text):
            if not raw.text.strip() or raw.text.strip() == "|":
                blank = True
            continue
        out.append((raw, text, heading, blank))
        blank = False
    return out


def _quote_balance(text: str) -> int:
    return text.count("“") - text.count("”")


def logical_lines(raw_lines: list[str] | list[RawLine], first_lineno: int = 1, layout: str = "legacy") -> list[Line]:
    """Clean raw lines and join those broken inside a paragraph (see module doc for the layouts)."""
    raws = [r if isinstance(r, RawLine) else RawLine(str(r), first_lineno + k) for k, r in enumerate(raw_lines)]
    lengths = sorted(len(clean_markup(r.text)[0]) for r in raws if r.text.strip())
    width = lengths[int(0.9 * (len(lengths) - 1))] if lengths else 0
    last_len = 0  # cleaned length of the previous raw line
    out: list[Line] = []
    depth = 0  # quotation marks opened by a quoted passage and not yet closed
    for raw, text, heading, blank_before in _clean(raws):
        cur = Line(text, raw.lineno, heading, body_on_heading=bool(MARKER_BOLD_RE.match(raw.text)))
        prev = out[-1] if out else None
        in_quote = depth > 0 and layout != "legacy"
        join = False
        if prev is not None and FORM_HEADING_RE.match(prev.text):
            pass  # "Mẫu số 01" heads a form: what follows is the form, never its continuation
        elif prev is not None:
            if BARE_MARKER_RE.match(prev.text) and not prev.quoted:
                join = True
            elif in_quote:
                join = (layout == "wrapped" and not blank_before) or (
                    layout == "wrapped-no-blank" and continues(prev, cur)
                )
            elif layout == "wrapped-no-blank" and prev.body_on_heading:
                join = not is_structural(cur.text) and not prev.text.endswith(SENTENCE_END)
            elif layout == "wrapped-no-blank" and last_len < 0.7 * width and cur.text[0].isupper():
                join = False  # a line well short of the wrap width ended its paragraph (a heading, a sentence)
            elif layout in ("legacy", "wrapped-no-blank"):
                join = continues(prev, cur)
            elif layout == "lines":
                join = continues_lines(prev, cur)
            elif not blank_before:  # wrapped, same paragraph
                join = not is_structural_wrapped(cur.text) and not (prev.heading and not cur.heading)
                if is_caps(prev.text) and not is_caps(cur.text) and cur.text[0].isupper():
                    join = False  # a title in capitals ends where sentence-case text begins
            else:  # wrapped, after a blank line
                first = cur.text[0]
                starts_lower = first.islower() or first in "(,;"
                open_paren = prev.text.count("(") > prev.text.count(")")
                join = (starts_lower or open_paren) and not is_structural_wrapped(cur.text)
                if first == "(" and (is_caps(prev.text) or prev.heading):
                    join = False  # "(Kèm theo …)" under a title in capitals is a line of its own
        last_len = len(text)
        if join and prev is not None:
            prev.text = f"{prev.text} {cur.text}"
            prev.extra.append(cur.lineno)
            prev.heading = prev.heading and cur.heading
            target = prev
        else:
            out.append(cur)
            target = cur
        if layout == "legacy":
            continue
        if in_quote:
            target.quoted = True
            depth += _quote_balance(text)
            if depth <= 0 or text.rstrip().endswith(("”.", "”;", "”./.", "”.”")):
                depth = 0
        elif target is cur and text.startswith("“"):
            target.quoted = True
            depth = max(0, _quote_balance(text))
    return out
