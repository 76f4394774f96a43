"""Answer → HTML for the chat (the widget renders the same shape with DOM calls).

Every piece of text (answer markdown, quotes, labels, the question) is passed through
``html.escape`` *before* the few markdown constructs the composer uses are turned into tags:
``**bold**``, ``- `` list items, blank-line paragraphs and ``[n]`` citation markers.

Validity (issue 13): every answer shows the date it speaks for (``Answer.as_of``), each citation's status
badge *on that date* (``Citation.status``: the document's status then, not today's catalogue status), the
reference notes in their own labelled box (they are never corpus citations), and one line per other
version from ``Answer.applicable_documents`` (a version the citations do not already name): title, status
on the date, reason. Status labels come from ``assistant.answering.versions`` (the answering layer's
wording, seven statuses), in the answer's language.
"""

from __future__ import annotations

import re
from datetime import date

from assistant.answering.versions import STATUS_EN
from assistant.answering.versions import STATUS_VI as VERSION_VI
from assistant.schemas import Answer, ApplicableDocument, Citation
from assistant.web.html import e

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


def dmy(d: date | None) -> str:
    return d.strftime("%d/%m/%Y") if d else ""


def status_label(status: str, en: bool = False) -> str:
    """The answering layer's label of ``status`` (any of the seven), first letter capitalised."""
    label = (STATUS_EN if en else VERSION_VI).get(status, status)
    return label[:1].upper() + label[1:]


def status_badge(status: str, since: date | None = None, en: bool = False) -> str:
    """``<span class="ra-status ra-<status>">label (từ dd/mm/yyyy)</span>``, escaped."""
    label = status_label(status, en)
    if since:
        label += f" ({'since' if en else 'từ'} {dmy(since)})"
    cls = re.sub(r"[^a-z_]", "", status) or "unknown"
    return f'<span class="ra-status ra-{cls}">{e(label)}</span>'


def as_of_html(answer: Answer) -> str:
    """The date the answer speaks for (absent in answers of an older service: nothing shown)."""
    if answer.as_of is None:
        return ""
    return f'<p class="ra-asof">Áp dụng tại ngày / As of: <b>{e(dmy(answer.as_of))}</b></p>'


def reference_notes_html(notes: list[str]) -> str:
    if not notes:
        return ""
    items = "".join(f"<li>{e(n)}</li>" for n in notes)
    return (
        '<div class="ra-refnotes"><p class="ra-refnotes-title">Ghi chú tham khảo — không phải trích dẫn '
        f"<span>(Reference notes — not citations)</span></p><ul>{items}</ul></div>"
    )


def other_versions(answer: Answer) -> list[ApplicableDocument]:
    """The applicable documents the citations do not already name (in the service's order)."""
    cited = {c.document_id for c in answer.citations}
    return [d for d in answer.applicable_documents if d.id not in cited]


def version_line(d: ApplicableDocument, en: bool = False) -> str:
    """One line: title (number, province) — status badge — reason; a link when the text is in the corpus."""
    title = e(d.title or d.number or d.id)
    if d.in_corpus:
        title = f'<a href="{safe_url("/documents/" + d.id)}" target="_blank" rel="noopener">{title}</a>'
    where = f" ({e(d.province)})" if d.province and d.province not in (d.title or "") else ""
    reason = f" — {e(d.reason)}" if d.reason else ""
    return f'<li class="ra-version">{title}{where} {status_badge(d.status, en=en)}{reason}</li>'


def versions_html(answer: Answer) -> str:
    others = other_versions(answer)
    if not others:
        return ""
    en = answer.language == "en"
    head = "Other versions on this date" if en else "Các văn bản/phiên bản khác tại ngày này"
    return (
        f'<div class="ra-versions"><p class="ra-versions-title">{head}:</p><ul>'
        + "".join(version_line(d, en) for d in others)
        + "</ul></div>"
    )


def answer_html(answer: Answer) -> str:
    """One assistant message (no blank lines, so a markdown renderer keeps it as one HTML block)."""
    cls = "ra-answer ra-abstained" if answer.abstained else "ra-answer"
    en = answer.language == "en"
    parts = [f'<div class="{cls}">', as_of_html(answer), markdown_html(answer.answer, answer.citations)]
    if answer.abstained:
        parts.append('<p class="ra-meta">Không có trích dẫn: trợ lý không trả lời khi kho văn bản không có căn cứ.</p>')
    elif answer.citations:
        refs = " ".join(
            f'<span class="ra-ref"><a class="cite" href="{safe_url(c.url)}" target="_blank" rel="noopener">'
            f"[{n}] {e(c.label)}</a> {status_badge(c.status, c.status_since, en)}</span>"
            for n, c in enumerate(answer.citations, 1)
        )
        parts.append(f'<p class="ra-refs">{refs}</p>')
    parts.append(reference_notes_html(answer.reference_notes))
    parts.append(versions_html(answer))
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
    en = answer.language == "en"
    for n, c in enumerate(answer.citations, 1):
        badge = status_badge(c.status, c.status_since, en)
        rows.append(
            f'<details class="ra-source" id="ra-src-{n}"{" open" if n == 1 else ""}>'
            f"<summary><b>[{n}]</b> {e(c.label)} {badge}</summary>"
            f"<blockquote>{e(c.quote)}</blockquote>"
            f'<p class="ra-doc">{e(c.document_title)}{" — " + e(c.document_number) if c.document_number else ""}</p>'
            f'<p><a href="{safe_url(c.url)}" target="_blank" rel="noopener">Xem nguyên văn trong văn bản ↗</a></p>'
            "</details>"
        )
    return '<div class="ra-sources">' + as_of_html(answer) + "".join(rows) + "</div>"
