"""Appendices (PHỤ LỤC): task tables, forms, outlines, or paragraphs.

Decisions:

* Task table: the first row whose first cell is "TT"/"STT" is the header; columns are recognised by their
  header words (task: "nhiệm vụ", "nội dung", "tên", "chương trình", "hoạt động"; lead: "chủ trì"; coordinating:
  "phối hợp"; time: "thời gian", "thời hạn", "tiến độ", "hoàn thành"); other columns are kept as
  "Header: value" lines. Rows come from ``|`` tables (saved pages, .docx, .html) or tab-started cells (the
  shipped plan: a cell starts with a tab, a blank line ends a row).
* Row paths: a Roman STT (``I``, or ``I. NÂNG CAO …`` written in one merged cell) opens a group. When the
  numbers restart in each group, a number under it is ``I.2`` and a dotted number ``2.8`` is ``IV.2.8``; when
  they run straight through the table (1 … 11 across I–IV) the STT as written is the path (``8``; the group
  is kept in ``AppendixRow.group`` and ``III.8`` resolves to it too).
* Group rows: a row merged over the table (fewer cells than the header), a Roman row with no lead,
  coordinating unit or time, or a row whose lead and coordinating cells hold only a no-break space (the
  shipped plan) is a group row (``is_group``).
* An *empty* lead / coordinating / time cell of a task row is a vertically merged cell of the original: the
  value is carried down from the previous task row of the same group and marked ``*_inferred``.
* Forms (Mẫu 01, Mẫu số 01 …): one unit per form (``…/appendix/mau-01``), its whole text flattened (tables as
  "a | b | c" lines); a form is a template, not a rule.
* Otherwise the appendix is read as an outline (sections I / 1 / a) like a plan), as articles, or as
  numbered paragraphs, in that order.
"""

from __future__ import annotations

import re

from corpus.model import AppendixRow
from corpus.text import clean_markup, fold, squash

MERGED = " (ô gộp, theo dòng trên)"
FORM_RE = re.compile(r"^Mẫu\s+(?:số\s*)?(\d+[a-zA-Z]?)\b[.:]?\s*(.*)$")
ROMAN_STT = re.compile(r"^([IVX]+)\.?(?:\s+(.*))?$")


def _column_roles(header: list[str]) -> dict[int, str]:
    roles: dict[int, str] = {}
    for i, cell in enumerate(header):
        f = fold(cell)
        if i == 0:
            roles[i] = "stt"
        elif "chu tri" in f or "don vi thuc hien" in f or "co quan thuc hien" in f:
            roles[i] = "lead"
        elif "phoi hop" in f:
            roles[i] = "coordinating"
        elif any(w in f for w in ("thoi gian", "thoi han", "tien do", "hoan thanh")):
            roles[i] = "time"
        elif "task" not in roles.values() and any(
            w in f for w in ("nhiem vu", "noi dung", "ten ", "chuong trinh", "hoat dong", "cong viec", "ten")
        ):
            roles[i] = "task"
        else:
            roles[i] = "extra"
    if "task" not in roles.values() and len(header) > 1:
        roles[1] = "task"
    return roles


def is_task_header(cells: list[str]) -> bool:
    return bool(cells) and fold(cells[0]).strip(" .") in {"tt", "stt", "so tt", "so thu tu"} and len(cells) >= 3


def parse_rows(
    rows: list[tuple[int, list[str]]], prefix: str, label_of, warnings: list[str]
) -> tuple[list[AppendixRow], bool]:
    """Rows (lineno, raw cell texts) after the header → AppendixRow list; second value: any inferred cell."""
    header_at = next(
        (i for i, (_, cells) in enumerate(rows) if is_task_header([squash(clean_markup(c)[0]) for c in cells])), None
    )
    if header_at is None:
        return [], False
    header = [squash(clean_markup(c.replace("\n", " "))[0]) for c in rows[header_at][1]]
    roles = _column_roles(header)
    ncols = len(header)
    # Row paths: numbers that restart under each Roman group (1, 2 … under I, again under II) need the group
    # in the path (``IV.2.8``); numbers running straight through the table (1 … 11 across I–IV) are unique
    # as written and the STT alone is the path (``8``), the way a reader of the table cites it.
    stts = [squash(clean_markup(c[0].replace("\n", " "))[0]).rstrip(".") for _, c in rows[header_at + 1 :] if c]
    numbered = [x for x in stts if re.fullmatch(r"\d+(\.\d+)*", x)]
    restart = len(numbered) != len(set(numbered))
    out: list[AppendixRow] = []
    roman: str | None = None
    last_task: dict[str, AppendixRow] = {}
    seen: dict[str, int] = {}
    inferred_any = False
    for lineno, raw_vals in rows[header_at + 1 :]:
        vals = [squash(clean_markup(v.replace("\n", " "))[0]) for v in raw_vals]
        if not any(vals):
            continue
        if all(re.fullmatch(r"\(\d+\)", v or "(0)") for v in vals):
            continue  # a column-number row "(1) | (2) | …"
        blank_nbsp = [v.strip("\t ") == "\xa0" or (v.strip() == "" and "\xa0" in v) for v in raw_vals]
        stt = vals[0].strip().rstrip(".")
        rm = ROMAN_STT.match(vals[0].strip())
        cell_title = None
        if rm and re.fullmatch(r"[IVX]+", rm.group(1)):
            roman, path, cell_title = rm.group(1), rm.group(1), (rm.group(2) or None)
        elif re.fullmatch(r"\d+(\.\d+)*", stt):
            path = f"{roman}.{stt}" if roman and restart else stt
        elif not stt and out:
            out[-1].task = squash(out[-1].task + " " + " ".join(v for v in vals if v))
            warnings.append(f"appendix row without a number (line {lineno}) joined to row {out[-1].path}")
            continue
        else:
            path = (f"{roman}." if roman else "") + re.sub(r"[^A-Za-z0-9.]+", "-", stt).strip("-") or str(len(out) + 1)
            warnings.append(f"appendix row number '{stt}' (line {lineno}) kept as written")
        seen[path] = seen.get(path, 0) + 1
        if seen[path] > 1:
            path = f"{path}-lap-{seen[path]}"
        by_role: dict[str, str] = {}
        extras: list[str] = []
        for i, v in enumerate(vals):
            role = roles.get(i, "extra")
            if role == "extra":
                if v and i < len(header):
                    extras.append(f"{header[i]}: {v}")
            elif role != "stt":
                by_role[role] = v
        task = by_role.get("task") or cell_title or ""
        lead, coord, time = by_role.get("lead", ""), by_role.get("coordinating", ""), by_role.get("time", "")
        nbsp_group = len(blank_nbsp) > 3 and blank_nbsp[2] and blank_nbsp[3]
        merged_group = len(raw_vals) < min(ncols, 3) and (rm is not None or not (lead or coord or time))
        roman_group = rm is not None and not (lead or coord or time)
        is_group = nbsp_group or merged_group or roman_group
        parent = path.rsplit(".", 1)[0] if "." in path else (roman or "") if path != roman else ""
        row = AppendixRow(
            id=f"{prefix}/{path}",
            label=label_of(path),
            text="",
            path=path,
            task=task,
            is_group=is_group,
            lead_unit=lead or None,
            coordinating_units=coord or None,
            time=time or None,
            group=roman if roman and not path.startswith(f"{roman}.") and path != roman else None,
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
                inferred_any = inferred_any or row.lead_inferred
            last_task[parent] = row
        row.text = (
            "\n".join(
                x
                for x in (
                    row.task,
                    f"Đơn vị chủ trì: {row.lead_unit}{MERGED * row.lead_inferred}" if row.lead_unit else "",
                    f"Đơn vị phối hợp: {row.coordinating_units}{MERGED * row.coordinating_inferred}"
                    if row.coordinating_units
                    else "",
                    f"Thời gian thực hiện: {row.time}{MERGED * row.time_inferred}" if row.time else "",
                    *extras,
                )
                if x
            )
            or row.path
        )
        out.append(row)
    return out, inferred_any
