"""A saved web page (.html): the document's own text, without the site around it.

Decisions:

* Removed before anything else: ``script``, ``style``, ``noscript``, ``template``, ``iframe``, ``svg``,
  ``form``, ``button``, ``nav``, ``header``, ``footer``, ``aside`` and elements whose id/class names say
  navigation, menus, breadcrumbs, sidebars, banners, cookies, sharing, comments, ads or log-in.
* The document is the smallest element holding ≥ 90 % of the page's legal markers (lines starting with
  "Điều N", "Chương", a roman section, "Căn cứ", the national motto, a document type heading): on a saved
  portal page that is the content column, whatever the site calls it.
* Block elements become lines (``p``, ``div`` leaves, ``h1``–``h6``, ``li``, ``br``); a block whose text
  is all inside ``b``/``strong`` (or a heading element) is written ``**…**``; tables are written in the
  ``|`` line form (one cell per ``td``/``th``, rows in order), so headers, signature blocks and appendix
  tables are read like the other formats.
"""

from __future__ import annotations

import re

from corpus.reader.errors import ReadError
from corpus.reader.formats import SourceText
from corpus.reader.formats.encodings import UndecodableError, decode_bytes
from corpus.reader.formats.text import split_lines

DROP_TAGS = [
    "script",
    "style",
    "noscript",
    "template",
    "iframe",
    "svg",
    "form",
    "button",
    "nav",
    "header",
    "footer",
    "aside",
    "select",
    "input",
    "link",
    "meta",
]
BOILERPLATE = re.compile(
    r"(^|[-_\s])(nav|navbar|menu|breadcrumbs?|sidebar|side-bar|banner|cookie|share|social|comments?|advert|ads|"
    r"login|signin|footer|header|topbar|toolbar|related|popup|modal)([-_\s]|$)",
    re.IGNORECASE,
)
MARKER = re.compile(
    r"^\s*(Điều\s+\d+|Chương\s+[IVXLC]+|[IVX]+\.\s|Căn cứ|CỘNG HÒA XÃ HỘI|QUYẾT ĐỊNH|KẾ HOẠCH|NGHỊ ĐỊNH|THÔNG TƯ|"
    r"NGHỊ QUYẾT|CHỈ THỊ|Nơi nhận)",
    re.MULTILINE,
)
BLOCK_TAGS = {
    "p",
    "div",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "blockquote",
    "pre",
    "section",
    "article",
    "main",
    "body",
    "dd",
    "dt",
    "center",
    "ul",
    "ol",
    "dl",
    "table",
}
HEADING_TAGS = {"h1", "h2", "h3", "h4", "h5", "h6"}


def _markers(text: str) -> int:
    return len(MARKER.findall(text))


def _is_bold(el) -> bool:
    text = el.get_text(" ", strip=True)
    if not text:
        return False
    bold = " ".join(b.get_text(" ", strip=True) for b in el.find_all(["b", "strong"]))
    return len(bold) >= 0.95 * len(text)


def _render(el, out: list[str]) -> None:
    from bs4 import NavigableString, Tag

    if isinstance(el, NavigableString):
        text = re.sub(r"\s+", " ", str(el))
        if text.strip():
            if out and out[-1] is not None:
                out[-1] += text
            else:
                out.append(text.lstrip())
        return
    if not isinstance(el, Tag):
        return
    name = el.name.lower()
    if name == "br":
        out.append(None)  # type: ignore[arg-type]
        return
    if name == "table":
        out.append(None)  # type: ignore[arg-type]
        for row in el.find_all("tr"):
            cells = row.find_all(["td", "th"], recursive=False)
            if not cells:
                continue
            out.append("|")
            for cell in cells:
                inner: list = []
                for child in cell.children:
                    _render(child, inner)
                lines = [x.strip() for x in inner if x and x.strip()]
                if _is_bold(cell) and lines:
                    lines = [f"**{x}**" for x in lines]
                out.extend(lines)
                out.append("|")
        out.append(None)  # type: ignore[arg-type]
        return
    block = name in BLOCK_TAGS
    leaf_block = block and not any(isinstance(c, Tag) and c.name in BLOCK_TAGS for c in el.children)
    if block:
        out.append(None)  # type: ignore[arg-type]
    if leaf_block and (name in HEADING_TAGS or _is_bold(el)):
        text = re.sub(r"\s+", " ", el.get_text(" ", strip=True))
        if text:
            out.append(f"**{text}**")
        out.append(None)  # type: ignore[arg-type]
        return
    for child in el.children:
        _render(child, out)
    if block:
        out.append(None)  # type: ignore[arg-type]


def html_to_lines(html: str) -> list[str]:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    for tag in soup(DROP_TAGS):
        tag.decompose()
    for tag in soup.find_all(True):
        if tag.attrs is None:
            continue
        names = " ".join([str(tag.get("id") or "")] + [str(c) for c in (tag.get("class") or [])])
        if names and BOILERPLATE.search(names) and tag.name not in {"body", "html"}:
            if _markers(tag.get_text("\n")) < 3:  # a content column that happens to be called "content-header"
                tag.decompose()
    root = soup.body or soup
    total = _markers(root.get_text("\n"))
    best = root
    if total:
        best_len = len(root.get_text())
        for el in root.find_all(["div", "article", "main", "section", "td"]):
            text = el.get_text("\n")
            if _markers(text) >= 0.9 * total and len(text) < best_len:
                best, best_len = el, len(text)
    out: list = []
    _render(best, out)
    lines: list[str] = []
    for item in out:
        if item is None:
            if lines and lines[-1] != "":
                lines.append("")
            continue
        lines.append(item.strip())
    return lines


def load_html(data: bytes, name: str) -> SourceText:
    try:
        decoded = decode_bytes(data)
    except UndecodableError as exc:
        raise ReadError(name, exc.reason, exc.line, exc.hint) from None
    lines = html_to_lines(decoded.text)
    lines = split_lines("\n".join(lines))
    if not any(line.strip() for line in lines):
        raise ReadError(
            name,
            "the web page holds no text (only markup or scripts)",
            hint="save the page as 'Web page, complete' or copy its text into a .txt file",
        )
    return SourceText(
        name=name,
        lines=lines,
        format="html",
        encoding=decoded.encoding,
        warnings=["web page: navigation, scripts and boilerplate removed"],
    )
