"""The version-diff page ``/documents/{a}/compare/{b}``: the units of two documents aligned side by side,
word-level differences highlighted, each side linking to its clause, the drafters' rationale under its row.

Pure rendering logic on ``corpus.model`` documents (no I/O, no service): ``align(a, b)`` → rows,
``render_compare(a, b)`` → ``(title, html)`` (``routes`` wraps it in the site's page), ``versions_of(doc,
corpus)`` → the other versions the document page links to.

Decisions:

* **Units** are the articles of every part (a plan without articles: its top-level sections).
* **Alignment**, in this order:
  1. *Comparison-table rows* — when both documents were read from the same comparison table (same
     ``meta.source_file``) and both carry ``Article.table_rows``, every table row is one aligned row, its
     units on each side those showing it. A unit shown in several rows (an article of the table's middle
     column sits in two) is repeated in each, as the table does. Rows are what the drafters aligned; we do not
     second-guess them.
  2. *Title similarity* — the remaining units of the same part kind (decision with decision, regulation with
     regulation) are paired one to one, greedily from the best pair down, when :func:`title_score` is at least
     ``TITLE_MIN`` (0.6). The score is the ``difflib`` ratio of the folded *words* of the titles
     (``corpus.text.fold``), raised to ``CONTAINED`` (0.9) when one title is a run of the other. Measured on
     two shipped regulations of different provinces on the same subject: a character ratio paired "Trách
     nhiệm của Sở Tài chính" with "Trách nhiệm thi hành" (0.75) and "Xuất bản phẩm thông tin đối ngoại" with
     "Quản lý nhà nước về thông tin đối ngoại" (0.72); the word ratio gives those 0.40 and 0.50 and the
     containment rule pairs the first with "Sở Tài chính".
  3. *Number* — an unpaired unit is paired with the unit of the same number in the same part kind only when
     one of them has no title (the decision's untitled articles): two titled articles with different titles
     are different provisions even when their numbers agree.
  4. Anything left is shown alone ("only in …").
  Rows are ordered by the left document's order; a right-only row follows its right-hand predecessor.
* **Differences** are word-level (``difflib.SequenceMatcher`` over word tokens, whitespace runs normalised):
  removed words are ``<del>`` on the left, inserted words ``<ins>`` on the right. Every token is escaped with
  ``assistant.web.html.e`` before markup is added around it.
* **Links**: each unit links to ``/documents/{id}?hl=<unit path>#<unit path>`` (the document page highlights
  it); the rationale links to its own unit.
* **Versions** (links from the document page): documents of the corpus related by ``draft_of``, ``replaces``
  or ``repeals`` in either direction, and ``superseded_by``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from urllib.parse import quote

from assistant.web.html import STATUS_VI, e
from corpus.model import Article, Document, Rationale, Section
from corpus.text import fold

TITLE_MIN = 0.6
CONTAINED = 0.9
VERSION_KINDS = ("draft_of", "replaces", "repeals")
WORD_RE = re.compile(r"(\S+)(\s*)")


@dataclass(frozen=True)
class Side:
    """One unit of one document as shown in the comparison."""

    doc_id: str
    path: str  # the unit id without the document prefix: "regulation/dieu-4"
    label: str  # "Điều 4"
    title: str
    number: int | None
    text: str
    rows: tuple[int, ...] = ()
    rationales: tuple[Rationale, ...] = ()
    index: int = 0  # position in its document
    part: str = ""  # the part kind ("decision", "regulation"): units pair only within the same kind

    @property
    def url(self) -> str:
        return unit_url(self.doc_id, self.path)


@dataclass
class Row:
    left: list[Side] = field(default_factory=list)
    right: list[Side] = field(default_factory=list)
    how: str = ""  # "table" | "title" | "number" | "left" | "right"
    table_row: int | None = None
    score: float | None = None
    rationales: list[Rationale] = field(default_factory=list)

    @property
    def left_text(self) -> str:
        return "\n\n".join(s.text for s in self.left)

    @property
    def right_text(self) -> str:
        return "\n\n".join(s.text for s in self.right)

    @property
    def same(self) -> bool:
        return bool(self.left and self.right) and squash(self.left_text) == squash(self.right_text)


def squash(text: str) -> str:
    return " ".join(text.split())


def unit_url(doc_id: str, path: str) -> str:
    q = quote(path, safe="/.-_")
    return f"/documents/{quote(doc_id, safe='-_.')}?hl={q}#{q}"


def _path(doc: Document, unit_id: str) -> str:
    prefix = doc.id + "/"
    return unit_id[len(prefix) :] if unit_id.startswith(prefix) else unit_id


def units(doc: Document) -> list[Side]:
    """The articles of every part, in order; a document without articles: its top-level sections."""
    out: list[Side] = []
    for part in doc.parts:
        for a in part.articles:
            out.append(_article_side(doc, a, len(out), part.kind))
    if not out:
        for part in doc.parts:
            for s in part.sections:
                if "." not in s.path:
                    out.append(_section_side(doc, s, len(out), part.kind))
    return out


def _article_side(doc: Document, a: Article, index: int, part: str) -> Side:
    return Side(
        doc_id=doc.id,
        path=_path(doc, a.id),
        label=f"Điều {a.number}",
        title=a.title or "",
        number=a.number,
        text=a.text,
        rows=tuple(a.table_rows),
        rationales=tuple(a.rationales),
        index=index,
        part=part,
    )


def _section_side(doc: Document, s: Section, index: int, part: str) -> Side:
    text = "\n".join(u.text for u in s.walk())
    return Side(
        doc_id=doc.id,
        path=_path(doc, s.id),
        label=f"Mục {s.path}",
        title=s.title or "",
        number=None,
        text=text,
        index=index,
        part=part,
    )


def same_table(a: Document, b: Document, left: list[Side], right: list[Side]) -> bool:
    """Both read from one comparison table (one source file) and both placed in its rows."""
    return (
        bool(a.meta.source_file)
        and a.meta.source_file == b.meta.source_file
        and any(s.rows for s in left)
        and any(s.rows for s in right)
    )


def title_score(x: str, y: str) -> float:
    """Similarity of two article titles, 0–1: the ``difflib`` ratio of their folded words, or ``CONTAINED``
    when the shorter (two words or more) is a run of the longer ("Trách nhiệm của Sở Tài chính" ⊃ "Sở Tài
    chính")."""
    wx, wy = fold(x).split(), fold(y).split()
    if not wx or not wy:
        return 0.0
    score = SequenceMatcher(None, wx, wy, autojunk=False).ratio()
    short, long_ = sorted((wx, wy), key=len)
    if len(short) >= 2 and any(long_[i : i + len(short)] == short for i in range(len(long_) - len(short) + 1)):
        score = max(score, CONTAINED)
    return score


def align(a: Document, b: Document) -> list[Row]:
    """The aligned rows of ``a`` (left) and ``b`` (right); see the module docstring for the rules."""
    left, right = units(a), units(b)
    rows: list[Row] = []
    placed_l: set[int] = set()
    placed_r: set[int] = set()
    if same_table(a, b, left, right):
        for r in sorted({r for s in left + right for r in s.rows}):
            ls = [s for s in left if r in s.rows]
            rs = [s for s in right if r in s.rows]
            seen: set[str] = set()
            rationales = []
            for s in ls + rs:
                for rat in s.rationales:
                    if rat.row == r and rat.id not in seen:
                        seen.add(rat.id)
                        rationales.append(rat)
            rows.append(Row(ls, rs, "table", table_row=r, rationales=rationales))
            placed_l.update(s.index for s in ls)
            placed_r.update(s.index for s in rs)
    rest_l = [s for s in left if s.index not in placed_l]
    rest_r = [s for s in right if s.index not in placed_r]
    pairs = sorted(
        (
            (title_score(x.title, y.title), x.index, y.index)
            for x in rest_l
            for y in rest_r
            if x.title and y.title and x.part == y.part
        ),
        key=lambda t: (-t[0], t[1], t[2]),
    )
    used_l: set[int] = set()
    used_r: set[int] = set()
    for score, i, j in pairs:
        if score < TITLE_MIN:
            break
        if i in used_l or j in used_r:
            continue
        used_l.add(i)
        used_r.add(j)
        rows.append(
            Row([left[i]], [right[j]], "title", score=round(score, 2), rationales=_all_rationales(left[i], right[j]))
        )
    by_number = {(s.part, s.number): s for s in rest_r if s.index not in used_r and s.number is not None}
    for s in rest_l:
        if s.index in used_l or s.number is None:
            continue
        other = by_number.get((s.part, s.number))
        if other is None or (s.title and other.title):
            continue
        del by_number[(s.part, s.number)]
        used_l.add(s.index)
        used_r.add(other.index)
        rows.append(Row([s], [other], "number", rationales=_all_rationales(s, other)))
    rows += [Row([s], [], "left", rationales=list(s.rationales)) for s in rest_l if s.index not in used_l]
    rows += [Row([], [s], "right", rationales=list(s.rationales)) for s in rest_r if s.index not in used_r]
    return order(rows)


def _all_rationales(*sides: Side) -> list[Rationale]:
    return [r for s in sides for r in s.rationales]


def order(rows: list[Row]) -> list[Row]:
    """Left document order; a right-only row right after the row holding its right-hand predecessor."""
    keyed: list[tuple[float, float, int]] = []
    right_pos: dict[int, float] = {}
    for n, row in enumerate(rows):
        if row.left:
            key = float(min(s.index for s in row.left))
            for s in row.right:
                right_pos[s.index] = min(right_pos.get(s.index, key), key)
            keyed.append((key, float(row.table_row or 0), n))
    for n, row in enumerate(rows):
        if not row.left:
            j = min(s.index for s in row.right)
            before = [right_pos[i] for i in right_pos if i <= j]  # itself, when a table row already shows it
            key = (max(before) if before else -1.0) + 0.5
            keyed.append((key, float(row.table_row or 0) + j / 1000, n))
    return [rows[n] for _, _, n in sorted(keyed)]


def _words(text: str) -> list[tuple[str, str]]:
    """``text`` as (word, the whitespace after it) pairs, a whitespace run without a newline shown as one space."""
    out = []
    for m in WORD_RE.finditer(text):
        ws = m.group(2)
        out.append((m.group(1), "\n" if "\n" in ws else (" " if ws else "")))
    return out


def word_diff(old: str, new: str) -> tuple[str, str]:
    """``old`` and ``new`` as escaped HTML, removed words in ``<del>``, inserted words in ``<ins>`` (a run of
    changed words is one element; words are compared without their whitespace)."""
    wa, wb = _words(old), _words(new)
    sm = SequenceMatcher(None, [w for w, _ in wa], [w for w, _ in wb], autojunk=False)

    def run(words: list[tuple[str, str]], tag: str | None) -> str:
        if not words:
            return ""
        text = "".join(w + ws for w, ws in words)
        core, tail = text.rstrip(), text[len(text.rstrip()) :]
        return f"<{tag}>{e(core)}</{tag}>{e(tail)}" if tag else e(text)

    left: list[str] = []
    right: list[str] = []
    for op, i1, i2, j1, j2 in sm.get_opcodes():
        equal = op == "equal"
        left.append(run(wa[i1:i2], None if equal else "del"))
        right.append(run(wb[j1:j2], None if equal else "ins"))
    return "".join(left), "".join(right)


def versions_of(doc: Document, documents: Mapping[str, Document]) -> list[tuple[Document, str]]:
    """Other versions of ``doc`` in the corpus, with the relation read from the texts (Vietnamese label)."""
    labels = {
        ("draft_of", True): "dự thảo thay thế văn bản này",
        ("draft_of", False): "văn bản mà dự thảo này thay thế",
        ("replaces", True): "văn bản thay thế văn bản này",
        ("replaces", False): "văn bản bị văn bản này thay thế",
        ("repeals", True): "văn bản bãi bỏ văn bản này",
        ("repeals", False): "văn bản bị văn bản này bãi bỏ",
    }
    out: dict[str, str] = {}
    for r in doc.meta.relations:
        if r.kind.value in VERSION_KINDS and r.target_in_corpus and r.target in documents and r.target != doc.id:
            out.setdefault(r.target, labels[(r.kind.value, False)])
    for other in documents.values():
        if other.id == doc.id:
            continue
        for r in other.meta.relations:
            if r.kind.value in VERSION_KINDS and r.target_in_corpus and r.target == doc.id:
                out.setdefault(other.id, labels[(r.kind.value, True)])
    if doc.meta.superseded_by and doc.meta.superseded_by in documents:
        out.setdefault(doc.meta.superseded_by, "phiên bản mới thay thế văn bản này")
    return [(documents[i], label) for i, label in out.items()]


# ---- HTML ------------------------------------------------------------------------------------------

CSS = """
main{max-width:1400px!important}
table.cmp{table-layout:fixed}
table.cmp td{width:50%}
.cmp .u{font-weight:600;margin-bottom:.2rem}
.cmp .u a{text-decoration:none}
.cmp .how{font-size:.78rem;color:var(--muted);font-weight:400}
.cmp .txt{white-space:pre-wrap;font-size:.9rem;line-height:1.5}
.cmp del{background:#fde2e1;color:#8a041a;text-decoration:line-through}
.cmp ins{background:#d9f5e1;color:#0d5f2a;text-decoration:none}
.cmp .empty{color:var(--muted);font-style:italic}
.cmp tr.same td{background:#fbfcfd}
.cmp tr.why td{background:#f3f0ff;border-left:4px solid #7c5cd6;font-size:.9rem}
.cmp tr.why b{color:#5b3fb5}
.sum{display:flex;gap:1.2rem;flex-wrap:wrap;font-size:.92rem}
"""


def _head(doc: Document) -> str:
    m = doc.meta
    status = m.status.value
    return (
        f'<a href="/documents/{e(quote(doc.id, safe="-_."))}">{e(m.title)}</a>'
        f"<br><small>{e(m.doc_type)} {e(m.number or '(chưa có số)')} · {e(m.province)} · "
        f'<span class="badge {e(status)}">{e(STATUS_VI.get(status, status))}</span></small>'
    )


def _side_head(sides: list[Side]) -> str:
    return "".join(
        f'<div class="u"><a href="{e(s.url)}" target="_blank" rel="noopener">{e(s.label)}'
        f"{'. ' + e(s.title) if s.title else ''}</a></div>"
        for s in sides
    )


def _how(row: Row) -> str:
    if row.how == "table":
        return f"dòng {row.table_row} của bảng so sánh"
    if row.how == "title":
        return f"ghép theo tiêu đề điều (giống {row.score:.0%})"
    if row.how == "number":
        return "ghép theo số điều"
    return ""


def _row_html(row: Row, a: Document, b: Document) -> str:
    if row.left and row.right:
        lt, rt = word_diff(row.left_text, row.right_text)
    else:
        lt, rt = e(row.left_text), e(row.right_text)
    how = _how(row)
    cls = "same" if row.same else ("changed" if row.left and row.right else f"only-{row.how}")
    note = ' <span class="how">— giống hệt</span>' if row.same else ""

    def cell(sides: list[Side], text: str, doc: Document) -> str:
        if not sides:
            return f'<td><p class="empty">Không có điều tương ứng trong {e(doc.meta.doc_type)} {e(doc.meta.number or doc.meta.title)}.</p></td>'
        return f'<td>{_side_head(sides)}<div class="txt">{text}</div></td>'

    parts = [
        f'<tr class="row {cls}"'
        + (f' data-table-row="{row.table_row}"' if row.table_row is not None else "")
        + ">"
        + f'<td colspan="2" class="how">{e(how)}{note}</td></tr>'
        if how or note
        else "",
        f'<tr class="{cls}">{cell(row.left, lt, a)}{cell(row.right, rt, b)}</tr>',
    ]
    for r in row.rationales:
        doc_id, path = r.id.split("/", 1) if "/" in r.id else ("", r.id)
        link = (
            f' <a href="{e(unit_url(doc_id, path))}" target="_blank" rel="noopener">[{e(path)}]</a>' if doc_id else ""
        )
        parts.append(
            f'<tr class="why"><td colspan="2"><b>Lý do của ban soạn thảo</b> '
            f"<small>({e(r.topic)})</small>: {e(r.text)}{link}</td></tr>"
        )
    return "".join(parts)


def render_compare(a: Document, b: Document) -> tuple[str, str]:
    """``(page title, main content)`` of the comparison of ``a`` (left) and ``b`` (right)."""
    rows = align(a, b)
    same = sum(r.same for r in rows)
    changed = sum(bool(r.left and r.right) and not r.same for r in rows)
    only_l = sum(not r.right for r in rows)
    only_r = sum(not r.left for r in rows)
    with_why = sum(bool(r.rationales) for r in rows)
    table = same_table(a, b, units(a), units(b))
    method = (
        "Các điều được ghép theo dòng của bảng so sánh mà cả hai văn bản cùng nằm trong; phần còn lại theo tiêu đề "
        "điều rồi theo số điều."
        if table
        else "Các điều được ghép theo độ giống của tiêu đề điều, rồi theo số điều."
    )
    title = f"So sánh: {a.meta.title} ↔ {b.meta.title}"
    body = (
        f"<style>{CSS}</style><h1>So sánh hai phiên bản</h1>"
        f'<table class="cmp"><thead><tr><th>{_head(a)}</th><th>{_head(b)}</th></tr></thead></table>'
        f'<p class="evidence">{e(method)} Chữ <del style="background:#fde2e1">gạch bỏ</del> chỉ có ở bên trái, '
        f'chữ <ins style="background:#d9f5e1;text-decoration:none">tô xanh</ins> chỉ có ở bên phải; bấm tên điều '
        "để mở nguyên văn.</p>"
        f'<p class="sum"><span>{len(rows)} dòng</span><span>{changed} có thay đổi</span><span>{same} giống hệt</span>'
        f"<span>{only_l} chỉ có bên trái</span><span>{only_r} chỉ có bên phải</span>"
        f"<span>{with_why} có lý do của ban soạn thảo</span></p>"
        '<table class="cmp"><tbody>' + "".join(_row_html(r, a, b) for r in rows) + "</tbody></table>"
    )
    return title, body
