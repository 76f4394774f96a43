"""The comparison-table layout: one table holding several documents and the drafters' rationale.

The one layout the general reader (``corpus.reader``) does not infer: a table whose columns are different
documents cannot be told from a document's own table by its shape, so the catalog names it
(``format: comparison_table``). The shipped source: a merged predecessor province's decision | the decision in force |
the draft that replaces it | rationale.

Layout and the decisions taken on it:

* The first block (up to the first blank line) is the header: one tab-started cell per column.
  Column 3 has no header in the source; the draft's title and status come from the catalog and
  the document carries a note saying so.
* A row starts with ``\\t<number>`` (its topic is the next tab-started line) or with `` \\t<topic>``
  (an unnumbered row). Every other tab-started line starts a new cell; lines without a tab continue
  the current cell. Cells come in fours (three document columns + rationale).
* One row of the source holds two rows (8 cells, "Các cơ quan báo chí …" followed by "Các sở,
  ngành …"): the second row's topic line lost its tab and starts with a single space. Such a line,
  arriving when the current row already has a complete, non-empty rationale cell, starts a new row.
* A cell may hold several articles (split at ``Điều N.`` lines, ``[bookmark: …]`` anchors removed);
  "Không có điều khoản riêng" means the column has no article for that topic.
* The same article can recur in several rows (three articles of the second column): it is kept once, in
  its fullest form (the longer text; the shorter one is checked to be contained in it), with every
  row number recorded in ``table_rows``.
* Column 4 is attached to the draft article(s) of its row as ``Rationale`` units
  (``…/dieu-N/ly-do``, ``ly-do-2`` for a second row); the rationale of the legal-basis row is attached
  to the draft's preamble (``<draft>/decision/can-cu/ly-do``).
* Row 1 ("Căn cứ pháp lý") gives each document's legal bases: ``<doc>/decision/can-cu``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from corpus.catalog import CatalogSource
from corpus.model import Article, Document, DocumentMeta, Part, Rationale, Status
from corpus.parsing.errors import ParseError
from corpus.reader.articles import build_article, make_preamble, split_articles
from corpus.reader.lines import logical_lines
from corpus.reader.metadata import relations_based_on, to_date
from corpus.text import clean_markup, squash


def labeller(suffix: str):
    def label_of(article: int, clause: str | None, point: str | None) -> str:
        parts = [f"Điều {article}"]
        if clause:
            parts.append(f"khoản {clause}")
        if point:
            parts.append(f"điểm {point}")
        return ", ".join(parts) + f" — {suffix}"

    return label_of


ROW_NUMBER_RE = re.compile(r"^\t(\d+)\s*$")
HEADER_RE = re.compile(
    r"Quyết định số\s*(\d+/\d{4}/QĐ-UBND)\s*ngày\s*(\d{1,2})/(\d{1,2})/(\d{4})(?:.*?tỉnh ([A-ZĐ]\S* \S+))?"
)
COLUMNS = 4


@dataclass
class Cell:
    lineno: int
    lines: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return squash(" ".join(self.lines))


@dataclass
class Row:
    index: int
    number: str | None
    topic: str | None
    lineno: int
    cells: list[Cell] = field(default_factory=list)


def split_rows(text: str, source: str) -> tuple[list[Cell], list[Row]]:
    lines = text.split("\n")
    header: list[Cell] = []
    i = 0
    while i < len(lines) and lines[i] != "":
        if lines[i].startswith(("\t", " \t")):
            header.append(Cell(i + 1, [lines[i].lstrip(" ")[1:]]))
        i += 1
    rows: list[Row] = []
    cur: Row | None = None
    for n in range(i, len(lines)):
        line, lineno = lines[n], n + 1
        m = ROW_NUMBER_RE.match(line)
        if m:
            cur = Row(len(rows) + 1, m.group(1), None, lineno)
            rows.append(cur)
        elif line.startswith(" \t"):
            cur = Row(len(rows) + 1, None, squash(line), lineno)
            rows.append(cur)
        elif line.startswith("\t"):
            if cur is None:
                raise ParseError(source, "a cell before any row", lineno)
            if cur.topic is None:
                cur.topic = squash(line)
            else:
                cur.cells.append(Cell(lineno, [line[1:]]))
        elif line.strip():
            if cur is None or not cur.cells:
                raise ParseError(source, "text outside any cell", lineno)
            complete = len(cur.cells) >= COLUMNS and len(cur.cells) % COLUMNS == 0 and cur.cells[-1].text
            if complete and line.startswith(" ") and not line.startswith("  "):
                cur = Row(len(rows) + 1, None, squash(line), lineno)  # a row whose topic lost its tab
                rows.append(cur)
            else:
                cur.cells[-1].lines.append(line)
    for row in rows:
        if not row.cells or len(row.cells) % COLUMNS:
            raise ParseError(source, f"row '{row.topic}' has {len(row.cells)} cells, expected {COLUMNS}", row.lineno)
    # a row of 8 cells is two rows (see module doc): split it
    flat: list[Row] = []
    for row in rows:
        for k in range(0, len(row.cells), COLUMNS):
            flat.append(
                Row(
                    len(flat) + 1,
                    row.number if k == 0 else None,
                    row.topic if k == 0 else None,
                    row.cells[k].lineno,
                    row.cells[k : k + COLUMNS],
                )
            )
    return header, flat


NO_ARTICLE_RE = re.compile(r"^Không có( điều\s+khoản riêng)?\.?$", re.IGNORECASE)


def parse_comparison_table(text: str, source: CatalogSource) -> list[Document]:
    name = source.file
    header, rows = split_rows(text, name)
    if len(header) != COLUMNS:
        raise ParseError(name, f"header has {len(header)} cells, expected {COLUMNS}", 1)
    docs_by_col = {d.column: d for d in source.documents}
    rationale_col = source.rationale_column or COLUMNS
    built: dict[str, dict] = {}
    for entry in source.documents:
        column = entry.column or 1  # the catalog gives every table document its column
        htext = clean_markup(header[column - 1].text)[0]
        hm = HEADER_RE.search(htext)
        number = hm.group(1) if hm else None
        issue = to_date(hm.group(2), hm.group(3), hm.group(4)) if hm else None
        if entry.status == "draft":
            label_suffix = f"Dự thảo Quy chế {entry.year or ''}, {entry.province}".replace("  ", " ")
        else:
            label_suffix = f"Quy chế ban hành kèm QĐ {number or entry.number}, {entry.province} (trích bảng so sánh)"
        built[entry.id] = {
            "entry": entry,
            "header": htext,
            "number": number,
            "issue": issue,
            "articles": {},
            "preamble": None,
            "label": labeller(label_suffix),
            "suffix": label_suffix,
            "notes": [],
        }

    draft_id = source.rationale_for
    rationale_count: dict[str, int] = {}
    for row in rows:
        draft_articles: list[Article] = []
        for col, cell in enumerate(row.cells[: rationale_col - 1] + row.cells[rationale_col:], start=1):
            cell_entry = docs_by_col.get(col)
            if cell_entry is None:
                continue
            state = built[cell_entry.id]
            lines = logical_lines(cell.lines, cell.lineno)
            if not lines or (len(lines) == 1 and NO_ARTICLE_RE.match(lines[0].text)):
                continue
            head, drafts, _, _ = split_articles(lines)
            if row.index == 1 or any(ln.text.startswith("Căn cứ") for ln in head):
                state["preamble"] = make_preamble(
                    f"{cell_entry.id}/decision/can-cu", f"Căn cứ ban hành — {state['suffix']}", head
                )
            for d in drafts:
                article = build_article(d, f"{cell_entry.id}/regulation", state["label"])
                seen = state["articles"].get(article.number)
                if seen is not None:
                    longer, shorter = (article, seen) if len(article.text) > len(seen.text) else (seen, article)
                    if squash(shorter.body) not in squash(longer.body):
                        state["notes"].append(
                            f"Điều {article.number} xuất hiện ở nhiều dòng với nội dung khác nhau; giữ bản đầy đủ hơn."
                        )
                    longer.table_rows = sorted(set(seen.table_rows + [row.index]))
                    longer.rationales = seen.rationales
                    state["articles"][article.number] = longer
                    article = longer
                else:
                    article.table_rows = [row.index]
                    state["articles"][article.number] = article
                if cell_entry.id == draft_id:
                    draft_articles.append(article)
        rationale_text = "\n".join(ln.text for ln in logical_lines(row.cells[rationale_col - 1].lines))
        if rationale_text and draft_id:
            targets = draft_articles or ([] if row.index != 1 else None)
            if targets is None:  # legal-basis row: the reason goes with the draft's preamble
                pre = built[draft_id]["preamble"]
                if pre is not None:
                    built[draft_id]["rationale_preamble"] = Rationale(
                        id=f"{pre.id}/ly-do",
                        label=f"Lý do — {pre.label}",
                        text=rationale_text,
                        row=row.index,
                        topic=row.topic or "",
                    )
            for article in targets or []:
                k = rationale_count.get(article.id, 0) + 1
                rationale_count[article.id] = k
                article.rationales.append(
                    Rationale(
                        id=f"{article.id}/ly-do" + (f"-{k}" if k > 1 else ""),
                        label=f"Lý do (bảng so sánh, dòng {row.index}: {row.topic or '—'}) — {article.label}",
                        text=rationale_text,
                        row=row.index,
                        topic=row.topic or article.title or "",
                    )
                )

    documents = []
    for cell_entry in source.documents:
        state = built[cell_entry.id]
        articles = [state["articles"][n] for n in sorted(state["articles"])]
        regulation = Part(kind="regulation", title=f"Quy chế — {state['suffix']}", articles=articles)
        parts = []
        if state["preamble"] is not None:
            decision = Part(kind="decision", title="Căn cứ pháp lý", preamble=state["preamble"])
            if state.get("rationale_preamble"):
                decision.notes.append(state["rationale_preamble"])
            parts.append(decision)
        parts.append(regulation)
        notes = list(state["notes"])
        shown = [a.number for a in articles]
        if shown:
            missing = [n for n in range(1, max(shown) + 1) if n not in shown]
            if missing:
                notes.append(
                    "Bảng so sánh chỉ trích các Điều "
                    + ", ".join(map(str, shown))
                    + "; không có Điều "
                    + ", ".join(map(str, missing))
                    + "."
                )
        if not state["header"]:
            notes.append("Cột này không có tiêu đề trong bảng so sánh; danh tính văn bản lấy từ danh mục (catalog).")
        status = Status.draft if cell_entry.status == "draft" else Status.in_force
        title = cell_entry.title or state["header"]
        relations = relations_based_on(state["preamble"].text, state["preamble"].id) if state["preamble"] else []
        meta = DocumentMeta(
            id=cell_entry.id,
            province=cell_entry.province,
            doc_type=cell_entry.doc_type,
            number=state["number"],
            issuer=f"Ủy ban nhân dân tỉnh {cell_entry.province}",
            title=title,
            issue_date=state["issue"],
            effective_date=None,
            status=status,
            notes=notes,
            relations=relations,
            source_file=source.file,
        )
        documents.append(Document(meta=meta, parts=parts))
    return documents
