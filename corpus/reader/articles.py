"""Body written in articles: Phần / Chương / Mục / Điều / khoản / điểm.

Decisions taken on the texts (each is exercised by tests/unit/corpus):

* ``- a)`` / ``- 7 Sản phẩm…`` – a ``- `` before a point letter or a clause number is list debris and is
  dropped; ``7 Sản phẩm`` (clause number without its dot) is still read as khoản 7 and its text keeps the
  source's "7 " as written.
* Article heading vs body – ``Điều 2. Quyết định này có hiệu lực …`` carries the body on its heading line;
  a heading is read as a *title* when it was a markdown heading/bold line or does not end a sentence,
  otherwise as the article's first body paragraph.
* A paragraph between two clauses belongs to the clause before it. A paragraph after the last clause is
  the article's ``closing`` (a closing sentence such as "Việc cung cấp thông tin …") — unless the last clause is a
  heading ("2. Đối tượng áp dụng", no sentence end) or announces what follows (ends with ":"): then the
  paragraph is that clause's body.
* ``- x`` / ``+ x`` bullets after a point are part of that point.
* A point may follow a paragraph of its clause: "a)" after the clause's paragraphs starts its list (the
  paragraphs are the clause's lead-in, kept before the points: "1. Khóa tài khoản có thời hạn" / "… trong
  các trường hợp sau đây:" / a) b)); a later letter counts when it is the one after the last point (b after
  a, đ after d), and the paragraphs between continue the point before. Any other letter after a paragraph
  stays text (a quoted or cited "c)" is not a point).
* A clause number or point letter that repeats inside one unit keeps its number and gets the id suffix
  ``-lap-2`` (second occurrence), so both stay citable; an article number that repeats in one part does too.
* Quoted lines (an amending text quoting the new wording, see ``corpus.reader.lines``) are never read as
  structure: they belong to the clause (or article lead-in) that announces them.
* Phần and Mục are grouping levels like Chương: recorded on the articles (``Article.division`` path) and in
  ``Part.divisions``; they carry no text of their own.
* Stamps and signature blocks (``Nơi nhận``, ``TM. ỦY BAN NHÂN DÂN``, ``Giờ ký: …``) end the articles; the
  preamble unit (``…/can-cu``) holds only the ``Căn cứ …``, ``Theo đề nghị …``, ``Thực hiện …`` and ``Xét …``
  paragraphs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable, Literal

from corpus.model import Article, Chapter, Clause, Division, Point, Unit
from corpus.reader.lines import (
    ARTICLE_RE,
    CHAPTER_RE,
    CLAUSE_RE,
    LOOSE_CLAUSE_RE,
    PART_RE,
    POINT_RE,
    SECTION_RE,
    SENTENCE_END,
    STOP_RE,
    Line,
    is_caps,
    point_slug,
)

LabelFn = Callable[[int, "str | None", "str | None"], str]
PREAMBLE_PREFIXES = ("Căn cứ", "Theo đề nghị", "Thực hiện", "Xét ")


def split_heading(line: Line) -> tuple[int, str | None, str | None]:
    """'Điều 5. Title' -> (5, title, None); 'Điều 2. Quyết định này …' -> (2, None, body)."""
    m = ARTICLE_RE.match(line.text)
    assert m
    number, rest = int(m.group(1)), (m.group(2) or "").strip()
    if not rest:
        return number, None, None
    if line.body_on_heading:
        return number, None, rest
    if line.heading or not rest.endswith(SENTENCE_END) or len(rest) < 25:
        return number, rest, None
    return number, None, rest


@dataclass
class ArticleDraft:
    number: int
    title: str | None
    lineno: int
    lines: list[Line] = field(default_factory=list)
    chapter: str | None = None
    chapter_title: str | None = None
    division: list[str] = field(default_factory=list)  # ["Phần thứ nhất", "Chương II", "Mục 1"]
    slug: str = ""  # "dieu-5", or "dieu-5-lap-2" for a repeated number


def _is_heading_clause(text: str) -> bool:
    body = CLAUSE_RE.match(text)
    rest = body.group(2) if body else text
    return (not rest.rstrip().endswith(SENTENCE_END) and len(rest) <= 120) or rest.rstrip().endswith(":")


POINT_LETTERS = "abcdđeghiklmnopqrstuvxy"  # Vietnamese point letters: no f, j, w, z; đ after d


def _next_letter(letter: str) -> str | None:
    i = POINT_LETTERS.find(letter)
    return POINT_LETTERS[i + 1] if 0 <= i < len(POINT_LETTERS) - 1 else None


def _introduces_points(clause: dict, pending: list[str], letter: str) -> bool:
    """Paragraphs between a clause's lead (or a point) and a point letter belong to the list (see module doc)."""
    points = clause["points"]
    if not points:
        return letter == "a"
    return letter == _next_letter(points[-1][0])


def build_article(draft: ArticleDraft, prefix: str, label_of: LabelFn) -> Article:
    """Turn an article's body lines into intro / clauses / points / closing with citation ids."""
    art_id = f"{prefix}/{draft.slug or f'dieu-{draft.number}'}"
    intro: list[str] = []
    clauses: list[dict] = []
    pending: list[str] = []
    seen: dict[str, int] = {}
    for line in draft.lines:
        text = line.text
        if line.quoted:
            if clauses:
                clauses[-1]["paras"].extend(pending + [text])
                pending = []
            else:
                intro.append(text)
            continue
        m = CLAUSE_RE.match(text) or LOOSE_CLAUSE_RE.match(text)
        if m and not (POINT_RE.match(text) and not CLAUSE_RE.match(text)):
            if clauses and pending:
                clauses[-1]["paras"].extend(pending)
                pending = []
            number = m.group(1)
            seen[number] = seen.get(number, 0) + 1
            slug = f"khoan-{number}" + (f"-lap-{seen[number]}" if seen[number] > 1 else "")
            lead = text if CLAUSE_RE.match(text) else text.lstrip("- ").strip()
            clauses.append({"number": number, "slug": slug, "lead": lead, "intro": [], "points": [], "paras": []})
            continue
        pm = POINT_RE.match(text)
        if pm and clauses and pending and _introduces_points(clauses[-1], pending, pm.group(1)):
            if clauses[-1]["points"]:  # a paragraph between two points continues the point before
                clauses[-1]["points"][-1][1] += "\n" + "\n".join(pending)
            else:  # "1. Khóa tài khoản" / "… trong các trường hợp sau đây:" / a) b)
                clauses[-1]["intro"].extend(pending)
            pending = []
        if pm and clauses and not pending:
            letter = pm.group(1)
            clean = text[text.index(letter) :] if text.startswith("-") else text
            clauses[-1]["points"].append([letter, clean])
            continue
        if clauses and clauses[-1]["points"] and not pending and re.match(r"^[-+]\s", text):
            clauses[-1]["points"][-1][1] += "\n" + text
            continue
        if not clauses:
            intro.append(text)
        else:
            pending.append(text)
    if (
        clauses
        and pending
        and not clauses[-1]["points"]
        and not clauses[-1]["paras"]
        and _is_heading_clause(clauses[-1]["lead"])
    ):
        clauses[-1]["paras"].extend(pending)
        pending = []
    closing = "\n".join(pending)

    built: list[Clause] = []
    for c in clauses:
        clause_id = f"{art_id}/{c['slug']}"
        points = []
        used: dict[str, int] = {}
        for letter, ptext in c["points"]:
            used[letter] = used.get(letter, 0) + 1
            slug = f"diem-{point_slug(letter)}" + (f"-lap-{used[letter]}" if used[letter] > 1 else "")
            points.append(
                Point(
                    id=f"{clause_id}/{slug}",
                    label=label_of(draft.number, c["number"], letter),
                    text=ptext,
                    letter=letter,
                )
            )
        text = "\n".join([c["lead"]] + c["intro"] + [p.text for p in points] + c["paras"])
        built.append(
            Clause(
                id=clause_id,
                label=label_of(draft.number, c["number"], None),
                text=text,
                number=c["number"],
                points=points,
            )
        )
    article = Article(
        id=art_id,
        label=label_of(draft.number, None, None),
        text="",
        number=draft.number,
        title=draft.title,
        chapter=draft.chapter,
        chapter_title=draft.chapter_title,
        intro="\n".join(intro),
        clauses=built,
        closing=closing,
    )
    if draft.division:
        article.division = list(draft.division)
    if draft.title:
        article.text = "\n".join(x for x in (f"Điều {draft.number}. {draft.title}", article.body) if x)
    else:  # the heading line carries the body: keep it on one line, as in the source
        article.text = f"Điều {draft.number}. {article.body}".rstrip()
    return article


def _heading_title(line: Line) -> bool:
    """A line that can be the title of a Chương / Mục / Phần announced on the line before."""
    text = line.text
    if ARTICLE_RE.match(text) or CHAPTER_RE.match(text) or SECTION_RE.match(text) or CLAUSE_RE.match(text):
        return False
    return is_caps(text) or (line.heading and len(text) <= 200)


def split_articles(lines: list[Line]) -> tuple[list[Line], list[ArticleDraft], list[Chapter], list[Line]]:
    """Split logical lines into (lines before the first article, article drafts, chapters, trailer).

    The fuller view (Phần and Mục too) is ``split_articles_full``.
    """
    head, drafts, chapters, _, trailer = split_articles_full(lines)
    return head, drafts, chapters, trailer


def split_articles_full(
    lines: list[Line],
) -> tuple[list[Line], list[ArticleDraft], list[Chapter], list[Division], list[Line]]:
    head: list[Line] = []
    drafts: list[ArticleDraft] = []
    chapters: list[Chapter] = []
    divisions: list[Division] = []
    trailer: list[Line] = []
    chapter: Chapter | None = None
    current: dict[str, Division] = {}
    want_title: Division | None = None
    want_chapter_title = False
    numbers: dict[int, int] = {}
    for line in lines:
        if trailer:
            trailer.append(line)
            continue
        text = line.text
        if line.quoted:
            (drafts[-1].lines if drafts else head).append(line)
            continue
        cm = CHAPTER_RE.match(text)
        pm = sm = None
        if not cm:
            pm = PART_RE.match(text)
            sm = SECTION_RE.match(text) if not pm else None
            m2 = pm or sm
            if m2 and not (line.heading or is_caps(text) or not m2.group(2) or is_caps(m2.group(2))):
                pm = sm = None  # "Mục 2 Phụ lục này quy định …" in a sentence is not a heading
        if cm or pm or sm:
            level: Literal["phan", "chuong", "muc"] = "chuong" if cm else "phan" if pm else "muc"
            m = cm or pm or sm
            assert m is not None
            number = m.group(1).lower() if m.group(1).lower().startswith("thứ") else m.group(1)
            div = Division(level=level, number=number, title=m.group(2).strip())
            divisions.append(div)
            if level == "phan":
                current = {"phan": div}
                chapter = None
            elif level == "chuong":
                current = {k: v for k, v in current.items() if k == "phan"}
                current["chuong"] = div
                chapter = Chapter(number=m.group(1), title=m.group(2).strip())
                chapters.append(chapter)
            else:
                current["muc"] = div
            want_title = div if not div.title else None
            want_chapter_title = bool(cm) and not div.title
            continue
        if want_title is not None and _heading_title(line):
            legacy_ok = is_caps(text)
            if want_chapter_title and chapter is not None and (legacy_ok or line.heading):
                chapter.title = text
            want_title.title = text
            want_title = None
            want_chapter_title = False
            continue
        want_title = None
        want_chapter_title = False
        if ARTICLE_RE.match(text):
            number, title, body = split_heading(line)
            numbers[number] = numbers.get(number, 0) + 1
            slug = f"dieu-{number}" + (f"-lap-{numbers[number]}" if numbers[number] > 1 else "")
            draft = ArticleDraft(number, title, line.lineno, slug=slug)
            if chapter:
                draft.chapter, draft.chapter_title = f"Chương {chapter.number}", chapter.title
                chapter.articles.append(number)
            draft.division = [
                f"{'Phần' if k == 'phan' else 'Chương' if k == 'chuong' else 'Mục'} {d.number}"
                for k, d in current.items()
            ]
            for d in current.values():
                d.articles.append(number)
            if body:
                draft.lines.append(Line(body, line.lineno))
            drafts.append(draft)
            continue
        if drafts and STOP_RE.match(text):
            trailer.append(line)
            continue
        if drafts:
            drafts[-1].lines.append(line)
        else:
            head.append(line)
    return head, drafts, chapters, divisions, trailer


def _heading_like(text: str) -> bool:
    """'QUYẾT ĐỊNH:', 'QUYẾT NGHỊ:', 'Điều 1. …': where the legal bases end, not a line they wrap onto."""
    bare = text.strip().rstrip(":").strip("*_ ")
    return bare.isupper() or bool(re.match(r"(?i)điều\s+\d", bare))


def make_preamble(unit_id: str, label: str, lines: list[Line]) -> Unit | None:
    """The legal bases: every "Căn cứ …" / "Theo đề nghị …" / "Thực hiện …" / "Xét …" paragraph, with the lines a
    paragraph wraps onto when the source breaks it mid-sentence ("Theo đề nghị của Sở Văn hóa," / "Thể thao và Du
    lịch tại Công văn số …"): a line follows the paragraph before it while that paragraph has not ended (";", ".",
    ":")."""
    paras: list[str] = []
    open_para = False
    for ln in lines:
        text = ln.text
        if text.startswith(PREAMBLE_PREFIXES):
            paras.append(text)
        elif open_para and text.strip() and not _heading_like(text):
            paras.append(text)
        else:
            open_para = False
            continue
        open_para = not text.rstrip().endswith((";", ".", ":"))
    if not paras:
        return None
    return Unit(id=unit_id, kind="preamble", label=label, text="\n".join(paras))
