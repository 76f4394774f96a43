"""Server-rendered document pages: ``/documents`` (index) and ``/documents/{doc_id}?hl=path#path``.

Every citable unit gets an element whose ``id`` is its path after the document id
(``regulation/dieu-11/khoan-1``, ``plan/IV.13/item-2``, ``appendix/IV.2.8``, ``decision/can-cu``,
``regulation/dieu-4/ly-do``), so a citation url ``/documents/{doc}?hl={path}#{path}`` scrolls to it
(fragment) and highlights it (``hl`` → class ``hl``, done on the server: the pages carry no script).
All corpus text and every query parameter is escaped with ``html.escape``.
"""

from __future__ import annotations

from datetime import date
from urllib.parse import quote

from assistant.web.compare import versions_of
from assistant.web.html import STATUS_VI, e
from corpus.model import AppendixRow, Article, Clause, Document, Part, Rationale, Section, Unit
from corpus.store import Corpus

RELATION_VI = {
    "repeals": "Bãi bỏ",
    "replaces": "Thay thế",
    "based_on": "Căn cứ",
    "implements": "Thực hiện",
    "inherits": "Kế thừa",
    "draft_of": "Là dự thảo thay thế cho",
}
PART_VI = {"decision": "Quyết định", "regulation": "Quy chế / Quy định", "plan": "Kế hoạch", "appendix": "Phụ lục"}

# no script at all; frame-ancestors, nosniff and the referrer policy are added by the SecurityHeaders middleware
PAGE_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; base-uri 'none'; form-action 'self'"
    ),
}

CSS = """
:root{--ink:#1f2933;--muted:#52606d;--line:#d9e2ec;--accent:#0b5cad;--hl:#fff3b0;--hl-line:#e0a800}
*{box-sizing:border-box}
body{margin:0;font:16px/1.6 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",Arial,sans-serif;color:var(--ink);background:#f7f9fb}
header.top{background:#0b3d6e;color:#fff;padding:.6rem 1.2rem;display:flex;gap:1.2rem;align-items:center;flex-wrap:wrap}
header.top a{color:#fff}
main{max-width:980px;margin:0 auto;padding:1rem 1.2rem 4rem;background:#fff;min-height:100vh}
h1{font-size:1.45rem;line-height:1.35;margin:.6rem 0 1rem}
h2{font-size:1.2rem;border-bottom:2px solid var(--line);padding-bottom:.2rem;margin-top:2.2rem}
h3{font-size:1.05rem;margin:1.4rem 0 .4rem}
h4{font-size:.95rem;margin:.2rem 0}
a{color:var(--accent)}
dl.meta{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem;margin:0 0 1rem}
dl.meta dt{color:var(--muted)}
dl.meta dd{margin:0}
.badge{display:inline-block;padding:0 .5rem;border-radius:1rem;font-size:.85rem;font-weight:600;background:#e3f8e8;color:#1b6b34}
.badge.draft{background:#fff1d6;color:#8a5a00}.badge.repealed,.badge.replaced{background:#fde2e1;color:#a61b1b}
.badge.not_yet_in_force{background:#e1ecfd;color:#0b4aa2}
.evidence{color:var(--muted);font-size:.92rem}
.notes{background:#fff8e6;border-left:4px solid var(--hl-line);padding:.5rem 1rem;margin:1rem 0}
.notes li{margin:.2rem 0}
.banner{padding:.6rem 1rem;border-radius:6px;margin:.8rem 0;background:#eef5fd;border:1px solid #b6d4f5}
.banner.warn{background:#fff1f0;border-color:#f5b5b0}
table{border-collapse:collapse;width:100%;font-size:.93rem}
th,td{border:1px solid var(--line);padding:.35rem .5rem;vertical-align:top;text-align:left}
th{background:#f0f4f8}
tr.group td{background:#f7f9fb;font-weight:600}
.unit{scroll-margin-top:4rem;border-radius:4px}
.unit p{margin:.25rem 0}
.article{margin:1.2rem 0;padding:.2rem .4rem}
.clause{margin:.35rem 0 .35rem .4rem;padding:.1rem .4rem}
.point{margin:.2rem 0 .2rem 1.4rem;padding:.05rem .4rem}
.item{margin:.3rem 0 .3rem .6rem;padding:.1rem .4rem}
.section{margin:.6rem 0;padding:.1rem .4rem}
.section .section{margin-left:.8rem}
.rationale{margin:.6rem 0 .6rem 1rem;padding:.4rem .8rem;background:#f3f0ff;border-left:4px solid #7c5cd6;font-size:.95rem}
.rationale h4{color:#5b3fb5}
.preamble,.note{padding:.2rem .4rem;color:#323f4b}
.chapter{text-align:center;margin-top:2rem;font-size:1.05rem}
.unit:target{outline:2px dashed var(--hl-line)}
.hl{background:var(--hl)!important;outline:3px solid var(--hl-line);outline-offset:2px}
a.pin{opacity:.35;text-decoration:none;margin-left:.3rem;font-size:.85rem}
a.pin:hover{opacity:1}
nav.toc{font-size:.92rem;columns:2;column-gap:2rem;background:#f7f9fb;padding:.6rem 1rem;border-radius:6px}
nav.toc a{display:block;text-decoration:none;break-inside:avoid}
.inferred{color:#8a5a00;font-size:.82rem}
footer{color:var(--muted);font-size:.85rem;margin-top:3rem}
"""


def fmt_date(d: date | None) -> str:
    return d.strftime("%d/%m/%Y") if d else "—"


def paragraphs(text: str, suffix: str = "") -> str:
    """Escaped lines as paragraphs; ``suffix`` (already HTML) goes inside the last one."""
    lines = [line for line in text.split("\n") if line.strip()]
    if not lines:
        return f"<p>{suffix}</p>" if suffix else ""
    return "".join(f"<p>{e(line)}{suffix if i == len(lines) - 1 else ''}</p>" for i, line in enumerate(lines))


def around(text: str, children: list[str]) -> tuple[str, str]:
    """The parent's own text before its first child and after its last one (children are verbatim
    sub-strings of the parent's text in this corpus; when one is not, everything counts as head)."""
    if not children:
        return text, ""
    first = text.find(children[0])
    last_child = children[-1]
    last = text.rfind(last_child)
    if first < 0 or last < 0:
        return text, ""
    return text[:first], text[last + len(last_child) :]


class DocumentPage:
    def __init__(self, doc: Document, corpus: Corpus, hl: str | None):
        self.doc = doc
        self.corpus = corpus
        self.prefix = doc.id + "/"
        self.hl = self.normalise(hl)
        self.hl_unit = corpus.resolve(self.prefix + self.hl) if self.hl else None

    def normalise(self, hl: str | None) -> str | None:
        if not hl:
            return None
        hl = hl.strip().strip("/")[:300]
        if hl.startswith(self.prefix):
            hl = hl[len(self.prefix) :]
        return hl or None

    # ---- units ---------------------------------------------------------------------------------
    def path(self, unit: Unit) -> str:
        return unit.id[len(self.prefix) :] if unit.id.startswith(self.prefix) else unit.id

    def open(self, tag: str, unit: Unit, cls: str) -> str:
        path = self.path(unit)
        classes = f"unit {cls}" + (" hl" if path == self.hl else "")
        current = ' aria-current="true"' if path == self.hl else ""
        return f'<{tag} class="{classes}" id="{e(path)}"{current}>'

    def pin(self, unit: Unit) -> str:
        path = self.path(unit)
        return (
            f'<a class="pin" href="?hl={e(path)}#{e(path)}" title="Liên kết tới mục này: {e(unit.label)}" '
            f'aria-label="Liên kết tới {e(unit.label)}">#</a>'
        )

    def clause(self, c: Clause) -> str:
        head, tail = around(c.text, [p.text for p in c.points])
        out = [self.open("div", c, "clause"), paragraphs(head, self.pin(c))]
        for p in c.points:
            out.append(f"{self.open('div', p, 'point')}{paragraphs(p.text, self.pin(p))}</div>")
        out.append(paragraphs(tail))
        out.append("</div>")
        return "".join(out)

    def rationale(self, r: Unit) -> str:
        head = "Lý do (cột 4 bảng so sánh)"
        if isinstance(r, Rationale):
            head += f" — dòng {r.row}" + (f": {e(r.topic)}" if r.topic else "")
        return f"{self.open('aside', r, 'rationale')}<h4>{head}{self.pin(r)}</h4>{paragraphs(r.text)}</aside>"

    def article(self, a: Article) -> str:
        title = f"Điều {a.number}." + (f" {a.title}" if a.title else "")
        out = [self.open("article", a, "article"), f"<h3>{e(title)}{self.pin(a)}</h3>", paragraphs(a.intro)]
        out += [self.clause(c) for c in a.clauses]
        out.append(paragraphs(a.closing))
        if a.table_rows:
            out.append(f'<p class="evidence">Bảng so sánh, dòng {e(", ".join(str(r) for r in a.table_rows))}</p>')
        out += [self.rationale(r) for r in a.rationales]
        out.append("</article>")
        return "".join(out)

    def section(self, s: Section, children: dict[str, list[Section]]) -> str:
        subs = children.get(s.path, [])
        title = s.text.split("\n", 1)[0] if s.title and s.text.startswith(s.title) else ""
        body = s.text[len(title) :].lstrip("\n") if title else s.text
        head, tail = around(body, [i.text for i in s.items] + [c.text for c in subs])
        heading = f"{s.path}." + (f" {s.title}" if s.title else "")
        level = "h3" if "." not in s.path else "h4"
        out = [self.open("section", s, "section"), f"<{level}>{e(heading)}{self.pin(s)}</{level}>", paragraphs(head)]
        for item in s.items:
            out.append(f"{self.open('div', item, 'item')}{paragraphs(item.text, self.pin(item))}</div>")
        out += [self.section(c, children) for c in subs]
        out.append(paragraphs(tail))
        out.append("</section>")
        return "".join(out)

    def row(self, r: AppendixRow) -> str:
        def cell(value: str | None, inferred: bool) -> str:
            if not value:
                return "<td></td>"
            mark = (
                ' <span class="inferred" title="Ô gộp trong bảng gốc: suy ra từ dòng trên">(suy luận)</span>'
                if inferred
                else ""
            )
            return f"<td>{e(value)}{mark}</td>"

        tr = self.open("tr", r, "row" + (" group" if r.is_group else ""))
        if r.is_group:
            return f'{tr}<td>{e(r.path)}{self.pin(r)}</td><td colspan="4">{e(r.task)}</td></tr>'
        return (
            f"{tr}<td>{e(r.path)}{self.pin(r)}</td><td>{e(r.task)}</td>{cell(r.lead_unit, r.lead_inferred)}"
            f"{cell(r.coordinating_units, r.coordinating_inferred)}{cell(r.time, r.time_inferred)}</tr>"
        )

    def part(self, part: Part) -> str:
        title = PART_VI.get(part.kind, part.kind)
        out = [
            f'<section class="part" id="part-{e(part.kind)}"><h2>{e(title)}'
            + (f": {e(part.title)}" if part.title else "")
            + "</h2>"
        ]
        notes = list(part.notes)
        if part.preamble:
            out.append(
                f"{self.open('div', part.preamble, 'preamble')}{paragraphs(part.preamble.text, self.pin(part.preamble))}</div>"
            )
            out += [self.rationale(n) for n in notes if n.kind == "rationale"]
            notes = [n for n in notes if n.kind != "rationale"]
        chapters = {c.number: c for c in part.chapters}
        shown = None
        for a in part.articles:
            chap = (a.chapter or "").replace("Chương", "").strip()
            if chap and chap != shown:
                shown = chap
                ch = chapters.get(chap)
                out.append(
                    f'<h3 class="chapter">Chương {e(chap)}'
                    + (f"<br>{e(ch.title)}" if ch and ch.title else "")
                    + "</h3>"
                )
            out.append(self.article(a))
        if part.sections:
            children: dict[str, list[Section]] = {}
            known = {s.path for s in part.sections}
            roots = []
            for s in part.sections:
                parent = s.path.rsplit(".", 1)[0] if "." in s.path else None
                if parent in known:
                    children.setdefault(parent, []).append(s)
                else:
                    roots.append(s)
            out += [self.section(s, children) for s in roots]
        if part.rows:
            out.append(
                '<table class="appendix"><thead><tr><th>TT</th><th>Nhiệm vụ</th><th>Đơn vị chủ trì</th>'
                "<th>Đơn vị phối hợp</th><th>Thời gian thực hiện</th></tr></thead><tbody>"
            )
            out += [self.row(r) for r in part.rows]
            out.append("</tbody></table>")
        for n in notes:
            cls = "rationale" if n.kind == "rationale" else "note"
            out.append(
                self.rationale(n)
                if cls == "rationale"
                else f"{self.open('div', n, 'note')}<h4>{e(n.label.split(' — ')[0])}{self.pin(n)}</h4>{paragraphs(n.text)}</div>"
            )
        out.append("</section>")
        return "".join(out)

    # ---- page ----------------------------------------------------------------------------------
    def relations(self) -> str:
        rels = self.doc.meta.relations
        if not rels:
            return ""
        rows = []
        for r in rels:
            if r.target_in_corpus and r.target in self.corpus.documents:
                target = f'<a href="/documents/{e(r.target)}">{e(r.target_label or self.corpus.documents[r.target].meta.title)}</a>'
            else:
                target = e(r.target_label or r.target)
                status = self.corpus.external_status(r.target)
                if status:
                    target += f' <span class="evidence">({e(status)})</span>'
            evidence = e(r.evidence)
            if r.evidence_unit and r.evidence_unit.startswith(self.prefix):
                path = r.evidence_unit[len(self.prefix) :]
                evidence += f' <a href="?hl={e(path)}#{e(path)}">[{e(path)}]</a>'
            when = f" (từ {fmt_date(r.effective)})" if r.effective else ""
            rows.append(
                f"<tr><td>{e(RELATION_VI.get(r.kind.value, r.kind.value))}{e(when)}</td><td>{target}</td>"
                f'<td class="evidence">{evidence}</td></tr>'
            )
        return (
            '<h2 id="quan-he">Quan hệ với văn bản khác</h2><table><thead><tr><th>Quan hệ</th><th>Văn bản</th>'
            "<th>Căn cứ trong văn bản</th></tr></thead><tbody>" + "".join(rows) + "</tbody></table>"
        )

    def versions(self) -> str:
        """Links to the version-diff page for each other version of this document in the corpus."""
        others = versions_of(self.doc, self.corpus.documents)
        if not others:
            return ""
        items = "".join(
            f'<li><a class="compare" href="/documents/{e(quote(self.doc.id, safe="-_."))}/compare/'
            f'{e(quote(o.id, safe="-_."))}">So sánh từng điều với {e(o.meta.title)}</a> '
            f'<span class="evidence">({e(label)}; <span class="badge {e(o.meta.status.value)}">'
            f"{e(STATUS_VI.get(o.meta.status.value, o.meta.status.value))}</span>)</span></li>"
            for o, label in others
        )
        return f'<h2 id="phien-ban">Các phiên bản khác</h2><ul class="versions">{items}</ul>'

    def toc(self) -> str:
        links = []
        for part in self.doc.parts:
            for a in part.articles:
                path = self.path(a)
                label = f"{PART_VI.get(part.kind, part.kind)} — Điều {a.number}" + (f". {a.title}" if a.title else "")
                links.append(f'<a href="#{e(path)}">{e(label)}</a>')
            for s in part.sections:
                if "." not in s.path:
                    links.append(f'<a href="#{e(self.path(s))}">Mục {e(s.path)}. {e(s.title or "")}</a>')
            if part.rows:
                links.append(f'<a href="#part-{e(part.kind)}">Phụ lục</a>')
        return '<nav class="toc" aria-label="Mục lục">' + "".join(links) + "</nav>" if links else ""

    def render(self) -> str:
        m = self.doc.meta
        status = m.status.value
        banners = []
        if self.hl and self.hl_unit is not None:
            banners.append(
                f'<div class="banner" role="status">Đang đánh dấu: <a href="#{e(self.hl)}">{e(self.hl_unit.unit.label)}</a></div>'
            )
        elif self.hl:
            banners.append(
                f'<div class="banner warn" role="status">Không tìm thấy mục “{e(self.hl)}” trong văn bản này.</div>'
            )
        if status == "draft":
            banners.append(
                '<div class="banner warn"><b>Dự thảo</b>: văn bản này chưa được ban hành; lý do của từng điều '
                "(cột 4 bảng so sánh) được hiển thị ngay dưới điều đó.</div>"
            )
        elif status in ("repealed", "replaced"):
            banners.append(f'<div class="banner warn"><b>{e(STATUS_VI[status])}</b>: {e(m.status_evidence)}</div>')
        notes = (
            ('<div class="notes"><b>Ghi chú</b><ul>' + "".join(f"<li>{e(n)}</li>" for n in m.notes) + "</ul></div>")
            if m.notes
            else ""
        )
        meta = [
            ("Loại văn bản", e(m.doc_type)),
            ("Số hiệu", e(m.number or "— (chưa có số)")),
            ("Tỉnh", e(m.province)),
            ("Cơ quan ban hành", e(m.issuer)),
            ("Ngày ban hành", e(fmt_date(m.issue_date))),
            (
                "Ngày hiệu lực",
                e(fmt_date(m.effective_date))
                + (f' <span class="evidence">— {e(m.effective_evidence)}</span>' if m.effective_evidence else ""),
            ),
            (
                "Trạng thái",
                f'<span class="badge {e(status)}">{e(STATUS_VI.get(status, status))}</span> '
                f'<span class="evidence">{e(m.status_evidence)}</span>',
            ),
        ]
        if m.signer:
            meta.append(("Người ký", e(m.signer) + (f" ({e(m.signer_title)})" if m.signer_title else "")))
        meta.append(("Mã văn bản", f'<code>{e(m.id)}</code> · <a href="/api/documents/{e(m.id)}">JSON</a>'))
        dl = '<dl class="meta">' + "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in meta) + "</dl>"
        body = "".join(self.part(p) for p in self.doc.parts)
        title = m.title + (f" ({m.number})" if m.number else "")
        return page(
            title,
            f"<h1>{e(m.title)}</h1>{''.join(banners)}{dl}{notes}{self.relations()}{self.versions()}<h2>Mục lục</h2>{self.toc()}{body}",
        )


def page(title: str, content: str) -> str:
    return (
        '<!doctype html><html lang="vi"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        f"<title>{e(title)} — regassist</title><style>{CSS}</style></head><body>"
        '<header class="top"><b>Trợ lý tra cứu quy chế, văn bản pháp luật</b>'
        '<a href="/">Hỏi trợ lý</a><a href="/documents">Danh sách văn bản</a><a href="/docs">API</a></header>'
        f"<main>{content}<footer>Nội dung văn bản được hiển thị nguyên văn từ kho văn bản của regassist; "
        "các trích dẫn của trợ lý được kiểm tra là trùng khớp nguyên văn với mục được đánh dấu.</footer>"
        "</main></body></html>"
    )


def render_document(doc: Document, corpus: Corpus, hl: str | None = None) -> str:
    return DocumentPage(doc, corpus, hl).render()


def render_index(corpus: Corpus) -> str:
    rows = []
    for d in sorted(corpus.documents.values(), key=lambda d: (d.meta.province, d.meta.issue_date or date.max)):
        m = d.meta
        units = sum(1 for _ in d.walk())
        rows.append(
            f'<tr><td><a href="/documents/{e(m.id)}">{e(m.title)}</a></td><td>{e(m.province)}</td><td>{e(m.doc_type)}</td>'
            f"<td>{e(m.number or '—')}</td><td>{e(fmt_date(m.issue_date))}</td><td>{e(fmt_date(m.effective_date))}</td>"
            f'<td><span class="badge {e(m.status.value)}">{e(STATUS_VI.get(m.status.value, m.status.value))}</span></td>'
            f"<td>{units}</td></tr>"
        )
    table = (
        "<table><thead><tr><th>Văn bản</th><th>Tỉnh</th><th>Loại</th><th>Số hiệu</th><th>Ban hành</th>"
        "<th>Hiệu lực</th><th>Trạng thái</th><th>Số mục</th></tr></thead><tbody>" + "".join(rows) + "</tbody></table>"
    )
    add = '<p><a href="/admin">Thêm văn bản (quản trị viên)</a></p>'
    return page("Danh sách văn bản", f"<h1>Danh sách văn bản ({len(rows)})</h1>{table}{add}")


def render_not_found(doc_id: str, corpus: Corpus) -> str:
    known = "".join(
        f'<li><a href="/documents/{e(i)}">{e(d.meta.title)}</a> <code>{e(i)}</code></li>'
        for i, d in corpus.documents.items()
    )
    return page(
        "Không tìm thấy văn bản",
        f"<h1>Không tìm thấy văn bản “{e(doc_id)}”</h1><p>Các văn bản hiện có:</p><ul>{known}</ul>",
    )
