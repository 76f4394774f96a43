"""Parser for a Quyết định with its attached Quy chế (plain text or markdown, as received).

Decisions taken on the quirks seen in the texts (each is exercised by tests/corpus):

* Markdown debris – ``#`` heading marks, ``**``/``*`` emphasis, trailing double-space line breaks,
  ``<http://…>`` autolinks and ``[bookmark: …]`` anchors are removed; wording is never changed.
* ``- a)`` / ``- 7 Sản phẩm…`` – a ``- `` before a point letter or a clause number is list debris and is
  dropped; ``7 Sản phẩm`` (clause number without its dot, Bắc Kạn Điều 6) is still read as khoản 7 and
  its text keeps the source's "7 " as written.
* Lines broken inside a sentence (``diễn`` / ``đàn``; ``phê duyệt`` / ``(theo thẩm quyền)``) are joined
  with one space: a line continues the previous one when it starts in lower case or with ``(``/``,``,
  or when the previous line does not end a sentence (``. ; : ! ? ) ” …``) — unless either line is
  structural (Điều, Chương, a clause or point marker, an all-caps heading).
* Article heading vs body – ``Điều 2. Quyết định này có hiệu lực …`` carries the body on its heading
  line (decisions of Bắc Ninh and Bắc Kạn); a heading is read as a *title* when it was a markdown
  heading/bold line or does not end a sentence, otherwise as the article's first body paragraph.
* A paragraph after the last clause (Hưng Yên Điều 7 "Việc cung cấp thông tin …") is the article's
  ``closing``; a paragraph between two clauses belongs to the clause before it.
* A clause number that repeats inside one article (the Tuyên Quang draft Điều 15 has two "3.") keeps
  its number and gets the id suffix ``-lap-2`` (second occurrence), so both stay citable.
* OCR slips (``tinh`` for ``tỉnh``) are kept verbatim – matching is accent-folded anyway; stray
  debris lines (``.``, ``.č``), hand-writing scribbles (``*J. x*``, ``*Shh*``) and ``✓`` are dropped.
* Stamps and signature blocks (``SỞ THÔNG TIN & TRUYỀN THÔNG…ĐỀ N Số: 49/12``, ``Nơi nhận``,
  ``TM. ỦY BAN NHÂN DÂN``, ``Giờ ký: …``) are not part of any article; the preamble unit
  (``decision/can-cu``) holds only the ``Căn cứ …`` and ``Theo đề nghị …`` paragraphs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from corpus.model import Article, Chapter, Clause, Point, Unit
from corpus.text import clean_markup

ARTICLE_RE = re.compile(r"^Điều\s+(\d{1,3})\s*(?:\.\s*(.*))?$")
CHAPTER_RE = re.compile(r"^Chương\s+([IVXLC]+)\b\.?\s*(.*)$")
CLAUSE_RE = re.compile(r"^(\d{1,2})\.\s*(\S.*)$")
LOOSE_CLAUSE_RE = re.compile(r"^-\s*(\d{1,2})\.?\s+(\S.*)$")
POINT_RE = re.compile(r"^(?:-\s*)?([a-zđ])\)\s*(.*)$")
DEBRIS_RE = re.compile(r"^[\s.,;:/\\č]*$")
STOP_RE = re.compile(
    r"^(Nơi nhận|TM\.|KT\.|Q\.\s*CHỦ TỊCH|Đã ký|CHỦ TỊCH$|PHÓ CHỦ TỊCH$|"
    r"Ủy ban nhân dân Tỉnh .*Giờ ký|.*Giờ ký:)"
)
SENTENCE_END = tuple('.;:!?)”"…')


@dataclass
class Line:
    text: str
    lineno: int
    heading: bool = False  # markdown heading / wholly bold
    extra: list[int] = field(default_factory=list)


def point_slug(letter: str) -> str:
    return "dd" if letter == "đ" else letter


def is_caps(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 4 and all(c.isupper() for c in letters)


PARAGRAPH_START_RE = re.compile(r"^(Căn cứ|Theo đề nghị|Thực hiện|QUYẾT ĐỊNH)")


def is_structural(text: str) -> bool:
    return bool(
        PARAGRAPH_START_RE.match(text) or
        ARTICLE_RE.match(text)
        or CHAPTER_RE.match(text)
        or CLAUSE_RE.match(text)
        or LOOSE_CLAUSE_RE.match(text)
        or POINT_RE.match(text)
        or text.startswith("- ")
        or STOP_RE.match(text)
        or is_caps(text)
    )


def continues(prev: Line | None, cur: Line) -> bool:
    if prev is None or is_structural(cur.text) or is_caps(prev.text) or STOP_RE.match(prev.text):
        return False
    first = cur.text[0]
    if first.islower() or first in "(,;":
        return True
    if prev.heading or ARTICLE_RE.match(prev.text) or CHAPTER_RE.match(prev.text):
        return False
    return not prev.text.endswith(SENTENCE_END)


def logical_lines(raw_lines: list[str], first_lineno: int = 1) -> list[Line]:
    """Clean raw lines and join those broken inside a sentence (see module doc)."""
    out: list[Line] = []
    in_bold = False  # inside a ``**…**`` span that runs over several lines
    for offset, raw in enumerate(raw_lines):
        text, heading = clean_markup(raw)
        opened = in_bold
        if raw.count("**") % 2:
            in_bold = not in_bold
        heading = heading or opened or (in_bold and raw.lstrip().startswith("**"))
        if not text or DEBRIS_RE.match(text):
            continue
        cur = Line(text, first_lineno + offset, heading)
        prev = out[-1] if out else None
        if continues(prev, cur):
            prev.text = f"{prev.text} {cur.text}"
            prev.extra.append(cur.lineno)
            prev.heading = prev.heading and cur.heading
        else:
            out.append(cur)
    return out


def split_heading(line: Line) -> tuple[int, str | None, str | None]:
    """'Điều 5. Title' -> (5, title, None); 'Điều 2. Quyết định này …' -> (2, None, body)."""
    m = ARTICLE_RE.match(line.text)
    assert m
    number, rest = int(m.group(1)), (m.group(2) or "").strip()
    if not rest:
        return number, None, None
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


def build_article(draft: ArticleDraft, prefix: str, label_of) -> Article:
    """Turn an article's body lines into intro / clauses / points / closing with citation ids."""
    art_id = f"{prefix}/dieu-{draft.number}"
    intro: list[str] = []
    clauses: list[dict] = []
    pending: list[str] = []
    seen: dict[str, int] = {}
    for line in draft.lines:
        text = line.text
        m = CLAUSE_RE.match(text) or LOOSE_CLAUSE_RE.match(text)
        if m and not (POINT_RE.match(text) and not CLAUSE_RE.match(text)):
            if clauses and pending:
                clauses[-1]["paras"].extend(pending)
                pending = []
            number = m.group(1)
            seen[number] = seen.get(number, 0) + 1
            slug = f"khoan-{number}" + (f"-lap-{seen[number]}" if seen[number] > 1 else "")
            lead = text if CLAUSE_RE.match(text) else text.lstrip("- ").strip()
            clauses.append({"number": number, "slug": slug, "lead": lead, "points": [], "paras": []})
            continue
        pm = POINT_RE.match(text)
        if pm and clauses and not pending:
            letter = pm.group(1)
            clean = text[text.index(letter):] if text.startswith("-") else text
            clauses[-1]["points"].append((letter, clean))
            continue
        if not clauses:
            intro.append(text)
        else:
            pending.append(text)
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
        text = "\n".join([c["lead"]] + [p.text for p in points] + c["paras"])
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
    if draft.title:
        article.text = "\n".join(x for x in (f"Điều {draft.number}. {draft.title}", article.body) if x)
    else:  # the heading line carries the body: keep it on one line, as in the source
        article.text = f"Điều {draft.number}. {article.body}".rstrip()
    return article


def split_articles(lines: list[Line]) -> tuple[list[Line], list[ArticleDraft], list[Chapter], list[Line]]:
    """Split logical lines into (lines before the first article, article drafts, chapters, trailer)."""
    head: list[Line] = []
    drafts: list[ArticleDraft] = []
    chapters: list[Chapter] = []
    trailer: list[Line] = []
    chapter: Chapter | None = None
    want_chapter_title = False
    for line in lines:
        if trailer:
            trailer.append(line)
            continue
        cm = CHAPTER_RE.match(line.text)
        if cm:
            chapter = Chapter(number=cm.group(1), title=cm.group(2).strip())
            chapters.append(chapter)
            want_chapter_title = not chapter.title
            continue
        if want_chapter_title and is_caps(line.text):
            chapter.title = line.text
            want_chapter_title = False
            continue
        want_chapter_title = False
        if ARTICLE_RE.match(line.text):
            number, title, body = split_heading(line)
            draft = ArticleDraft(number, title, line.lineno)
            if chapter:
                draft.chapter, draft.chapter_title = f"Chương {chapter.number}", chapter.title
                chapter.articles.append(number)
            if body:
                draft.lines.append(Line(body, line.lineno))
            drafts.append(draft)
            continue
        if drafts and STOP_RE.match(line.text):
            trailer.append(line)
            continue
        if drafts:
            drafts[-1].lines.append(line)
        else:
            head.append(line)
    return head, drafts, chapters, trailer


def make_preamble(unit_id: str, label: str, lines: list[Line]) -> Unit | None:
    paras = [l.text for l in lines if l.text.startswith(("Căn cứ", "Theo đề nghị", "Thực hiện"))]
    if not paras:
        return None
    return Unit(id=unit_id, kind="preamble", label=label, text="\n".join(paras))
