"""Answer → HTML for the chat (the widget renders the same shape with DOM calls).

Every piece of text (answer markdown, quotes, labels, the question) is passed through
``html.escape`` *before* the few markdown constructs the composer uses are turned into tags:
``**bold**``, ``- `` list items, blank-line paragraphs and ``[n]`` citation markers.
"""

from __future__ import annotations

import re

from assistant.schemas import Answer, Citation
from assistant.web.html import STATUS_VI, e

BOLD_RE = re.compile(r"\*\*(.+?)\*\*")
CITE_RE = re.compile(r"\[(\d{1,3})\]")


def safe_url(url: str, base: str = "") -> str:
    """Only our own document pages are linked; anything else becomes ``#``."""
    return e(base + url) if url.startswith("/documents/") else "#"


def inline(text: str, citations: list[Citation], base: str = "") -> str:
    out = BOLD_RE.sub(r"<strong>\1</strong>", e(text))

    def cite(m: re.Match) -> str:
        n = int(m.group(1))
        if 1 <= n <= len(citations):
            c = citations[n - 1]
            return (
                f'<a class="cite" href="{safe_url(c.url, base)}" target="_blank" rel="noopener" '
                f'title="{e(c.label)}">[{n}]</a>'
            )
        return m.group(0)

    return CITE_RE.sub(cite, out)


def markdown_html(text: str, citations: list[Citation], base: str = "") -> str:
    """The composer's markdown subset → HTML (escaped first)."""
    blocks: list[str] = []
    items: list[str] = []

    def flush():
        if items:
            blocks.append("<ul>" + "".join(f"<li>{i}</li>" for i in items) + "</ul>")
            items.clear()

    for line in text.split("\n"):
        stripped = line.strip()
        if stripped.startswith("- "):
            items.append(inline(stripped[2:], citations, base))
            continue
        flush()
        if stripped:
            blocks.append(f"<p>{inline(stripped, citations, base)}</p>")
    flush()
    return "".join(blocks)


def answer_html(answer: Answer) -> str:
    """One assistant message (no blank lines, so a markdown renderer keeps it as one HTML block)."""
    cls = "ra-answer ra-abstained" if answer.abstained else "ra-answer"
    parts = [f'<div class="{cls}">', markdown_html(answer.answer, answer.citations)]
    if answer.abstained:
        parts.append('<p class="ra-meta">Không có trích dẫn: trợ lý không trả lời khi kho văn bản không có căn cứ.</p>')
    elif answer.citations:
        refs = " ".join(
            f'<a class="cite" href="{safe_url(c.url)}" target="_blank" rel="noopener">[{n}] {e(c.label)}</a>'
            for n, c in enumerate(answer.citations, 1)
        )
        parts.append(f'<p class="ra-refs">{refs}</p>')
    parts.append(f'<p class="ra-meta">Độ tin cậy {answer.confidence:.2f}</p></div>')
    return "".join(parts)


def question_html(question: str) -> str:
    return f'<div class="ra-question">{e(question)}</div>'


def error_html(message: str) -> str:
    return f'<div class="ra-answer ra-error"><p>{e(message)}</p></div>'


def sources_html(answer: Answer | None) -> str:
    """The sources panel: one ``<details>`` per citation with the verbatim quote and a link."""
    if answer is None:
        return (
            '<div class="ra-sources"><p class="ra-empty">Các nguồn trích dẫn của câu trả lời sẽ hiện ở đây.</p></div>'
        )
    if not answer.citations:
        return (
            '<div class="ra-sources"><p class="ra-empty">Câu trả lời gần nhất không có trích dẫn '
            "(trợ lý đã từ chối trả lời vì không có căn cứ).</p></div>"
        )
    rows = []
    for n, c in enumerate(answer.citations, 1):
        status = STATUS_VI.get(c.status, c.status)
        badge = f'<span class="ra-status ra-{e(c.status)}">{e(status)}</span>'
        rows.append(
            f'<details class="ra-source" id="ra-src-{n}"{" open" if n == 1 else ""}>'
            f"<summary><b>[{n}]</b> {e(c.label)} {badge}</summary>"
            f"<blockquote>{e(c.quote)}</blockquote>"
            f'<p class="ra-doc">{e(c.document_title)}{" — " + e(c.document_number) if c.document_number else ""}</p>'
            f'<p><a href="{safe_url(c.url)}" target="_blank" rel="noopener">Xem nguyên văn trong văn bản ↗</a></p>'
            "</details>"
        )
    return '<div class="ra-sources">' + "".join(rows) + "</div>"
