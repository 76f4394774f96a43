"""Body written as an outline (Kế hoạch, Chương trình, Chỉ thị, Báo cáo, appendix prose): I. / 1. / 1.1. / a) / - / +.

Decisions:

* Sections: ``I. …`` (Roman) → ``1. …`` → ``6.1. …``; ids are paths ``I``, ``II.5``, ``II.6.1``. Without any
  Roman level (a Chỉ thị's numbered directives) the numbers stand alone: ``1``, ``2``, ``3.1``.
* A numbered line with a short label before ``:`` (``6. Sở Khoa học và Công nghệ: Chủ trì …``) gives the
  section a title and an item with the rest; a numbered line that is a whole sentence (``1. Kinh phí thực
  hiện … (nếu có).``) is a section without title whose text is that sentence; a bold numbered line is all
  title.
* Lettered points ``a)`` under a section are citable points ``…/II.3/diem-a``; bullets and paragraphs
  after a point belong to it — except a plain paragraph that closes a series: after the last point (ended
  with ".") of the second or later numbered sub-section, with nothing but the next Roman section (or the end)
  after it. That paragraph speaks for the whole Roman section ("Trường hợp cần thiết, … cao hơn nhưng tối đa
  không quá … lần so với mức chi quy định tại …" after a fee table's four levels) and is an item of it; read
  as part of the last point, three blind questions on it cited the wrong unit.
* Items are the ``- `` bullets and plain paragraphs under a section (``…/IV.13/item-2``); the ``- `` marker
  is list debris and is dropped. A ``+`` sub-bullet, and a task line such as "Đơn vị chủ trì: …",
  "Cơ quan phối hợp: …", "Thời gian thực hiện: …" (bulleted or not), belong to the item or point before.
* A section's text is its own heading, items and points; sub-sections are units of their own, so that a
  citation of "II.6" never stands for what "II.6.2" says.
* The opening paragraphs (``Thực hiện …``; a Chỉ thị's situation and "… yêu cầu …") are ``…/preamble``;
  closing paragraphs (``(Có Phụ lục …)``, ``Trên đây là Kế hoạch …``, and after the last section a
  paragraph "… yêu cầu … nghiêm túc …" or "Trong quá trình thực hiện, nếu …") are ``…/closing``.
* A path that repeats gets ``-lap-2``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from corpus.model import Item, Point, Section, Unit
from corpus.reader.lines import ROMAN_RE, Line, point_slug

NUM_RE = re.compile(r"^(\d{1,2})\.\s+(.*)$")
NUM_LOOSE_RE = re.compile(r"^(\d{1,2})\.\s*(\S.*)$")
SUB_RE = re.compile(r"^(\d{1,2})\.(\d{1,2})(?:\.(\d{1,2}))?\.?\s+(.*)$")
POINT_RE = re.compile(r"^([a-zđ])\)\s*(.*)$")
TASK_LINE_RE = re.compile(
    r"^[-+]?\s*(Đơn vị|Cơ quan)\s+(chủ trì|phối hợp|thực hiện|tham mưu)|^[-+]?\s*(Thời gian|Thời hạn)\s+(thực hiện|hoàn thành)|"
    r"^[-+]?\s*(Kinh phí|Sản phẩm)\s*:"
)
CLOSING_START = ("(Có Phụ lục", "Trên đây là")
CLOSING_TAIL_RE = re.compile(
    r"^(Trên đây|Trong quá trình (thực hiện|triển khai)|.{0,120}\byêu cầu\b.{0,160}\b(nghiêm túc|nghiêm|thực hiện)\b)"
)


def title_and_rest(text: str) -> tuple[str | None, str | None]:
    head, sep, rest = text.partition(":")
    if sep and len(head) <= 80 and not head.endswith(")"):
        return head.strip(), rest.strip() or None
    if text.endswith(".") and len(text) > 80:
        return None, text
    return text, None


@dataclass
class OutlineResult:
    sections: list[Section] = field(default_factory=list)
    preamble: list[str] = field(default_factory=list)
    title_lines: list[str] = field(default_factory=list)
    closing: list[str] = field(default_factory=list)
    trailer: list[Line] = field(default_factory=list)


def has_outline(lines: list[Line]) -> bool:
    romans = sum(1 for ln in lines if not ln.quoted and ROMAN_RE.match(ln.text))
    nums = sum(1 for ln in lines if not ln.quoted and NUM_LOOSE_RE.match(ln.text))
    return romans >= 1 or nums >= 2


def parse_outline(lines: list[Line], prefix: str, *, plain_items: bool = False) -> OutlineResult:
    """Sections of an outline body. ``plain_items``: every line is an item (no point/task grouping)."""
    res = OutlineResult()
    romans_present = any(ROMAN_RE.match(ln.text) for ln in lines if not ln.quoted)
    markers = [
        i
        for i, ln in enumerate(lines)
        if not ln.quoted
        and (
            ROMAN_RE.match(ln.text)
            or SUB_RE.match(ln.text)
            or NUM_LOOSE_RE.match(ln.text)
            or POINT_RE.match(ln.text)
            or ln.text.startswith(("- ", "+ "))
        )
    ]
    last_marker = markers[-1] if markers else -1
    closing_from = None
    for i in range(last_marker + 1, len(lines)):
        if CLOSING_TAIL_RE.match(lines[i].text):
            closing_from = i
            break
    roman: Section | None = None
    current: Section | None = None
    point: list | None = None  # [letter, text]
    points: dict[str, list] = {}
    pieces: dict[str, list[tuple[str, object]]] = {}
    seen_paths: dict[str, int] = {}

    def new_section(path: str, title: str | None) -> Section:
        nonlocal point
        seen_paths[path] = seen_paths.get(path, 0) + 1
        sid = path + (f"-lap-{seen_paths[path]}" if seen_paths[path] > 1 else "")
        sec = Section(id=f"{prefix}/{sid}", label="", text="", path=sid, title=title)
        res.sections.append(sec)
        pieces[sec.id] = []
        point = None
        return sec

    def add_item(sec: Section, text: str) -> None:
        item = Item(id=f"{sec.id}/item-{len(sec.items) + 1}", label="", text=text, number=len(sec.items) + 1)
        sec.items.append(item)
        pieces[sec.id].append(("item", item))

    def closes_series(i: int, point_text: str, sec: Section | None, parent: Section | None) -> bool:
        """A plain paragraph after the last point of the last of several numbered sub-sections, right before the
        next Roman section (or the end): it closes the series and belongs to the Roman section."""
        if parent is None or sec is None or sec is parent or not point_text.rstrip().endswith("."):
            return False
        text = lines[i].text
        if lines[i].quoted or text.startswith(("- ", "+")) or TASK_LINE_RE.match(text) or not text[:1].isupper():
            return False
        if sum(1 for s in res.sections if s.path.startswith(parent.path + ".")) < 2:
            return False
        nxt = next((m for m in markers if m > i), None)
        return (
            nxt is None or (closing_from is not None and nxt >= closing_from) or bool(ROMAN_RE.match(lines[nxt].text))
        )

    for i, line in enumerate(lines):
        text = line.text
        if res.trailer or (text.startswith(("Nơi nhận", "TM.")) and not line.quoted):
            res.trailer.append(line)
            continue
        if text.startswith(CLOSING_START) or (closing_from is not None and i >= closing_from):
            res.closing.append(text)
            continue
        rm = ROMAN_RE.match(text) if not line.quoted else None
        sm = SUB_RE.match(text) if not line.quoted else None
        nm = (
            (NUM_RE.match(text) or (NUM_LOOSE_RE.match(text) if not plain_items else None)) if not line.quoted else None
        )
        pm = POINT_RE.match(text) if not line.quoted and not plain_items else None
        if not res.sections and not rm and not (nm and not romans_present) and not (sm and not romans_present):
            (res.title_lines if text.isupper() else res.preamble).append(text)
            continue
        if rm:
            title = rm.group(2).strip() or None
            roman = current = new_section(rm.group(1), title)
        elif sm:
            base = f"{roman.path}." if roman else ""
            path = base + ".".join(g for g in sm.groups()[:3] if g)
            current = new_section(path, sm.group(4))
        elif nm:
            path = f"{roman.path}.{nm.group(1)}" if roman else nm.group(1)
            if line.heading and not plain_items:
                title, rest = nm.group(2), None
            else:
                title, rest = title_and_rest(nm.group(2))
            current = new_section(path, title)
            if rest:
                add_item(current, rest)
        elif current is None:
            res.preamble.append(text)
        elif pm:
            letter = pm.group(1)
            entry = [letter, text]
            current_points = points.setdefault(current.id, [])
            current_points.append(entry)
            pieces[current.id].append(("point", entry))
            point = entry
        elif point is not None and not plain_items and closes_series(i, point[1], current, roman):
            add_item(roman, text)  # type: ignore[arg-type]
            current, point = roman, None
        elif point is not None and not plain_items:
            point[1] += "\n" + text
        elif not plain_items and current.items and (text.startswith("+") or TASK_LINE_RE.match(text)):
            last = current.items[-1]
            last.text += "\n" + text
        else:
            add_item(current, text[2:] if text.startswith("- ") else text)
    for sec in res.sections:
        used: dict[str, int] = {}
        for kind, obj in pieces[sec.id]:
            if kind != "point":
                continue
            letter, ptext = obj[0], obj[1]  # type: ignore[index]
            used[letter] = used.get(letter, 0) + 1
            slug = f"diem-{point_slug(letter)}" + (f"-lap-{used[letter]}" if used[letter] > 1 else "")
            sec.points.append(Point(id=f"{sec.id}/{slug}", label="", text=ptext, letter=letter))
    # section text: its heading, items and points in document order
    for sec in res.sections:
        texts: list[str] = [sec.title] if sec.title else []
        point_iter = iter(sec.points)
        for kind, obj in pieces[sec.id]:
            texts.append(obj.text if isinstance(obj, Item) else next(point_iter).text)
        sec.text = "\n".join(texts) or sec.path
    return res


def label_sections(sections: list[Section], suffix: str, word: str = "Mục") -> None:
    for s in sections:
        s.label = f"{word} {s.path}" + (f" ({s.title})" if s.title else "") + f" — {suffix}"
        for item in s.items:
            item.label = f"{word} {s.path}, ý {item.number} — {suffix}"
        for p in s.points:
            p.label = f"{word} {s.path}, điểm {p.letter} — {suffix}"


def note_unit(unit_id: str, label: str, text: str) -> Unit:
    return Unit(id=unit_id, kind="note", label=label, text=text)
