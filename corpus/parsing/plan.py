"""A Kế hoạch (Bắc Giang 69/KH-UBND): numbered sections and an appendix table.

Decisions:

* Sections: ``I. …`` (Roman) → ``1. …`` → ``6.1. …``; ids are paths ``I``, ``II.5``, ``II.6.1``.
  A numbered line with a short label before ``:`` (``6. Sở Khoa học và Công nghệ: Chủ trì …``) gives
  the section a title and an item with the rest; a numbered line that is a whole sentence
  (``1. Kinh phí thực hiện … (nếu có).``) is a section without title whose text is that sentence.
* Items are the ``- `` bullets and plain paragraphs under a section (``…/IV.13/item-2``); the ``- ``
  marker is list debris and is dropped from the item text.
* The opening paragraph (``Thực hiện Kết luận số 57-KL/TW …``) is ``plan/preamble``; the closing
  paragraphs (``(Có Phụ lục …)``, ``Trên đây là Kế hoạch …``) are ``plan/closing``; footnotes
  ``[1] …`` are ``plan/chu-thich-1``; recipients and signature are not citable.
* Appendix rows: 5 tab-started cells (TT, task, lead, coordinating, time); lines without a tab continue
  the cell above (6.1 task, 6.4 lead). Paths: ``IV`` → ``IV.2`` → ``IV.2.8``. A heading row (cells
  holding only a no-break space) is a group row. An *empty* lead / coordinating / time cell of a task
  row is a vertically merged cell of the original: the value is carried down from the previous task
  row of the same group and marked ``*_inferred``.
"""

from __future__ import annotations

import re

from corpus.catalog import CatalogDocument
from corpus.model import AppendixRow, Document, DocumentMeta, Item, Part, Relation, RelationKind, Section, Unit
from corpus.parsing.errors import ParseError
from corpus.parsing.metadata import parse_signer, refs_in, number_of, to_date
from corpus.text import clean_markup, squash

ROMAN_RE = re.compile(r"^(I|II|III|IV|V|VI|VII|VIII|IX|X)\.\s+(.*)$")
NUM_RE = re.compile(r"^(\d{1,2})\.\s+(.*)$")
SUB_RE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.?\s+(.*)$")
FOOTNOTE_RE = re.compile(r"^\[(\d+)\]\s*(.*)$")
MERGED = " (ô gộp, theo dòng trên)"
APPENDIX_NUMBER_RE = re.compile(r"Kế hoạch số\s*(\d+/KH-UBND)\s*ngày\s*(\d{1,2})\s*tháng\s*(\d{1,2})\s*năm\s*(\d{4})")


def _title_and_rest(text: str) -> tuple[str | None, str | None]:
    head, sep, rest = text.partition(":")
    if sep and len(head) <= 80 and not head.endswith(")"):
        return head.strip(), rest.strip() or None
    if text.endswith(".") and len(text) > 80:
        return None, text
    return text, None


def parse_plan(text: str, source: str, entry: CatalogDocument) -> Document:
    raw = text.split("\n")
    try:
        appendix_at = next(i for i, l in enumerate(raw) if squash(l) == "PHỤ LỤC")
    except StopIteration:
        raise ParseError(source, "no 'PHỤ LỤC' line: the appendix table cannot be found") from None
    label_suffix = f"Kế hoạch {entry.number}, {entry.province}"
    prefix = f"{entry.id}/plan"

    sections: list[Section] = []
    preamble_lines: list[str] = []
    closing: list[str] = []
    footnotes: list[Unit] = []
    trailer: list[str] = []
    roman: Section | None = None
    current: Section | None = None
    title_lines: list[str] = []
    for n, raw_line in enumerate(raw[:appendix_at]):
        line = clean_markup(raw_line)[0]
        if not line:
            continue
        if trailer or line.startswith(("Nơi nhận", "TM.")):
            trailer.append(line)
            continue
        if line.startswith(("(Có Phụ lục", "Trên đây là")):
            closing.append(line)
            continue
        if not sections and not ROMAN_RE.match(line):
            (title_lines if line.isupper() else preamble_lines).append(line)
            continue
        rm, sm, nm = ROMAN_RE.match(line), SUB_RE.match(line), NUM_RE.match(line)
        if rm:
            roman = current = Section(id=f"{prefix}/{rm.group(1)}", label="", text="", path=rm.group(1), title=rm.group(2))
            sections.append(current)
        elif sm and roman:
            path = f"{roman.path}.{sm.group(1)}.{sm.group(2)}"
            current = Section(id=f"{prefix}/{path}", label="", text="", path=path, title=sm.group(3))
            sections.append(current)
        elif nm and roman:
            path = f"{roman.path}.{nm.group(1)}"
            title, rest = _title_and_rest(nm.group(2))
            current = Section(id=f"{prefix}/{path}", label="", text="", path=path, title=title)
            sections.append(current)
            if rest:
                _add_item(current, rest)
        elif current is None:
            raise ParseError(source, "text before the first section", n + 1)
        else:
            _add_item(current, line[2:] if line.startswith("- ") else line)
    for n, raw_line in enumerate(raw):
        fm = FOOTNOTE_RE.match(clean_markup(raw_line)[0]) if n > appendix_at else None
        if fm:
            footnotes.append(Unit(id=f"{prefix}/chu-thich-{fm.group(1)}", kind="note",
                                  label=f"Chú thích [{fm.group(1)}] — {label_suffix}", text=clean_markup(raw_line)[0]))
    _finish_sections(sections, label_suffix)

    plan = Part(kind="plan", title=" ".join(title_lines), sections=sections)
    if preamble_lines:
        plan.preamble = Unit(id=f"{prefix}/preamble", kind="preamble", label=f"Phần mở đầu — {label_suffix}",
                             text="\n".join(preamble_lines))
    if closing:
        plan.notes.append(Unit(id=f"{prefix}/closing", kind="note", label=f"Phần kết — {label_suffix}",
                               text="\n".join(closing)))
    plan.notes.extend(footnotes)

    appendix, appendix_title, number_line = parse_appendix(raw, appendix_at, source, entry, label_suffix)
    am = APPENDIX_NUMBER_RE.search(number_line)
    number = am.group(1) if am else None
    issue = to_date(am.group(2), am.group(3), am.group(4)) if am else None
    signer, capacity = parse_signer(trailer)
    relations = _plan_relations(plan)
    meta = DocumentMeta(
        id=entry.id,
        province=entry.province,
        doc_type="Kế hoạch",
        number=number,
        issuer=f"Ủy ban nhân dân tỉnh {entry.province}",
        title=_sentence_case(plan.title, entry.province),
        issue_date=issue,
        effective_date=issue,
        effective_evidence=number_line,
        signer=signer,
        signer_title=capacity,
        notes=[
            "Số và ngày của Kế hoạch chỉ ghi ở tiêu đề Phụ lục: " + number_line,
            "Cột 'Đơn vị chủ trì' để trống ở một số dòng Phụ lục (ô gộp dọc): đơn vị được suy ra từ dòng trên và đánh dấu là suy luận.",
        ],
        relations=relations,
        source_file=source,
    )
    appendix.title = appendix_title
    return Document(meta=meta, parts=[plan, appendix])


def _sentence_case(title: str, province: str) -> str:
    if not title.isupper():
        return title
    return title.capitalize().replace(province.lower(), province)


def _add_item(section: Section, text: str) -> None:
    section.items.append(Item(id=f"{section.id}/item-{len(section.items) + 1}", label="", text=text,
                              number=len(section.items) + 1))


def _finish_sections(sections: list[Section], suffix: str) -> None:
    for s in sections:
        s.label = f"Mục {s.path}" + (f" ({s.title})" if s.title else "") + f" — {suffix}"
        for item in s.items:
            item.label = f"Mục {s.path}, ý {item.number} — {suffix}"
    # a section's text is its own heading and items; sub-sections are units of their own, so that
    # a citation of "II.6" never stands for what "II.6.2" says
    for s in sections:
        s.text = "\n".join(([s.title] if s.title else []) + [i.text for i in s.items]) or s.path


def _plan_relations(plan: Part) -> list[Relation]:
    out = []
    if plan.preamble:
        for ref in refs_in(plan.preamble.text):
            out.append(Relation(kind=RelationKind.implements, target=number_of(ref) or ref, target_label=ref,
                                evidence=plan.preamble.text, evidence_unit=plan.preamble.id))
    for s in plan.sections:
        for item in s.items:
            for ref in refs_in(item.text):
                if "/QĐ-UBND" in ref:
                    sentence = next((x for x in re.split(r"(?<=;)\s", item.text) if ref in x), item.text)
                    out.append(Relation(kind=RelationKind.implements, target=number_of(ref) or ref,
                                        target_label=ref, evidence=sentence, evidence_unit=item.id))
    return out


def parse_appendix(raw: list[str], start: int, source: str, entry: CatalogDocument, suffix: str):
    title_lines, number_line = [], ""
    rows_cells: list[tuple[int, list[list[str]]]] = []
    cur: list[list[str]] | None = None
    header_done = False
    for n in range(start + 1, len(raw)):
        line = raw[n]
        if FOOTNOTE_RE.match(line.strip()):
            break
        if line.startswith("\t"):
            if cur is None:
                cur = []
                rows_cells.append((n + 1, cur))
            cur.append([line[1:]])
        elif not line.strip():
            cur = None
        elif cur is not None:
            cur[-1].append(line)
        elif not rows_cells:
            text = clean_markup(line)[0]
            if "Kế hoạch số" in text:
                number_line = text.strip("()")
            elif text:
                title_lines.append(text)
    header, *body = rows_cells
    if [squash(c[0]) for c in header[1]][:2] != ["TT", "CHƯƠNG TRÌNH, NHIỆM VỤ"]:
        raise ParseError(source, "appendix header row is not 'TT | CHƯƠNG TRÌNH, NHIỆM VỤ | …'", header[0])
    rows: list[AppendixRow] = []
    roman = group = None
    last_task: dict[str, AppendixRow] = {}
    for lineno, cells in body:
        if len(cells) != 5:
            raise ParseError(source, f"appendix row has {len(cells)} cells, expected 5", lineno)
        raw_vals = ["\n".join(c) for c in cells]
        tt = squash(raw_vals[0])
        if re.fullmatch(r"[IVX]+", tt):
            roman, group, path = tt, None, tt
        elif re.fullmatch(r"\d+", tt):
            path = f"{roman}.{tt}"
        elif re.fullmatch(r"\d+\.\d+", tt):
            path = f"{roman}.{tt}"
        else:
            raise ParseError(source, f"appendix row number '{tt}' not understood", lineno)
        vals = [squash(clean_markup(v.replace("\n", " "))[0]) for v in raw_vals]
        blank_nbsp = [v.strip("\t ") == "\xa0" or (v.strip() == "" and "\xa0" in v) for v in raw_vals]
        is_group = blank_nbsp[2] and blank_nbsp[3]
        parent = path.rsplit(".", 1)[0] if "." in path else ""
        row = AppendixRow(
            id=f"{entry.id}/appendix/{path}", label=f"Phụ lục, dòng {path} — {suffix}", text="",
            path=path, task=vals[1], is_group=is_group,
            lead_unit=vals[2] or None, coordinating_units=vals[3] or None, time=vals[4] or None,
        )
        if not is_group:
            prev = last_task.get(parent)
            if prev is not None:
                if not row.lead_unit and prev.lead_unit:
                    row.lead_unit, row.lead_inferred = prev.lead_unit, True
                if not row.coordinating_units and prev.coordinating_units:
                    row.coordinating_units, row.coordinating_inferred = prev.coordinating_units, True
                if not row.time and prev.time:
                    row.time, row.time_inferred = prev.time, True
            last_task[parent] = row
        row.text = "\n".join(
            x for x in (
                row.task,
                f"Đơn vị chủ trì: {row.lead_unit}{MERGED * row.lead_inferred}" if row.lead_unit else "",
                f"Đơn vị phối hợp: {row.coordinating_units}{MERGED * row.coordinating_inferred}"
                if row.coordinating_units else "",
                f"Thời gian thực hiện: {row.time}{MERGED * row.time_inferred}" if row.time else "",
            ) if x
        )
        rows.append(row)
    return Part(kind="appendix", rows=rows), " ".join(title_lines), number_line
