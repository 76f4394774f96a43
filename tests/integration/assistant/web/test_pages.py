"""Document pages on a real server: one anchor per unit, the cited unit highlighted, metadata and notes,
rationales of the draft, and untrusted text (query parameters, questions) always escaped."""

from __future__ import annotations

from html import escape
from html.parser import HTMLParser

import pytest

pytestmark = pytest.mark.slow

XSS = "<script>alert(1)</script>"


class Elements(HTMLParser):
    """id → (tag, classes) of every element; counts <script> tags."""

    def __init__(self):
        super().__init__()
        self.ids: dict[str, tuple[str, set[str]]] = {}
        self.duplicates: list[str] = []
        self.scripts = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script":
            self.scripts += 1
        if "id" in attrs:
            if attrs["id"] in self.ids:
                self.duplicates.append(attrs["id"])
            self.ids[attrs["id"]] = (tag, set((attrs.get("class") or "").split()))


def parse(html: str) -> Elements:
    p = Elements()
    p.feed(html)
    return p


def test_index_lists_every_document(client, corpus):
    r = client.get("/documents")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    for doc_id, doc in corpus.documents.items():
        assert f'href="/documents/{doc_id}"' in r.text and escape(doc.meta.title) in r.text
    assert "Dự thảo" in r.text and "Danh sách văn bản" in r.text


def test_every_unit_has_an_anchor_and_its_text(client, corpus):
    for doc_id, doc in corpus.documents.items():
        r = client.get(f"/documents/{doc_id}")
        assert r.status_code == 200
        page = parse(r.text)
        assert not page.duplicates and page.scripts == 0
        for unit in doc.walk():
            path = unit.id[len(doc_id) + 1 :]
            assert path in page.ids, f"no anchor for {unit.id}"
            leaf = unit.kind in ("point", "item", "rationale", "note", "preamble", "appendix_row") or (
                unit.kind == "clause" and not unit.points
            )
            if leaf and unit.kind != "appendix_row":
                for line in unit.text.split("\n"):
                    assert not line.strip() or escape(line.strip()) in r.text, (unit.id, line)
        assert not [i for i, (_, cls) in page.ids.items() if "hl" in cls]  # nothing highlighted without ?hl


@pytest.mark.parametrize(
    "doc_id,path",
    [
        ("bac-ninh-68-2025", "regulation/dieu-11/khoan-1"),
        ("bac-kan-34-2017", "regulation/dieu-3/khoan-3/diem-dd"),
        ("bac-giang-69-2024", "appendix/IV.2.8"),
        ("bac-giang-69-2024", "plan/IV.13/item-2"),
        ("tuyen-quang-2025-draft", "regulation/dieu-4/ly-do"),
        ("bac-ninh-68-2025", "decision/can-cu"),
    ],
)
def test_highlight(client, corpus, doc_id, path):
    loc = corpus.resolve(f"{doc_id}/{path}")
    assert loc is not None
    r = client.get(f"/documents/{doc_id}", params={"hl": path})
    page = parse(r.text)
    highlighted = [i for i, (_, cls) in page.ids.items() if "hl" in cls]
    assert highlighted == [path]
    assert "Đang đánh dấu" in r.text and escape(loc.unit.label) in r.text
    # the full citation id works as well
    again = parse(client.get(f"/documents/{doc_id}", params={"hl": f"{doc_id}/{path}"}).text)
    assert [i for i, (_, cls) in again.ids.items() if "hl" in cls] == [path]


def test_citation_urls_of_an_answer_highlight_the_cited_unit(client):
    ans = client.post("/api/ask", json={"question": "Sở Tài chính Bắc Ninh có trách nhiệm gì?"}).json()
    assert ans["citations"]
    for c in ans["citations"]:
        url, _, fragment = c["url"].partition("#")
        page = parse(client.get(url).text)
        assert fragment in page.ids and "hl" in page.ids[fragment][1]


def test_metadata_status_notes_relations(client, corpus):
    hy = client.get("/documents/hung-yen-29-2019").text
    assert "29/2019/QĐ-UBND" in hy and "27/2019/QĐ-UBND" in hy and "Ghi chú" in hy  # the discrepancy note
    assert "Đang có hiệu lực" in hy and "01/08/2019" in hy and "Căn cứ" in hy
    bn = client.get("/documents/bac-ninh-68-2025").text
    assert "Bãi bỏ" in bn and "24/2018/QĐ-UBND" in bn and 'href="?hl=decision/dieu-2#decision/dieu-2"' in bn
    bg = client.get("/documents/bac-giang-69-2024").text
    assert "(suy luận)" in bg and "bãi bỏ" in bg  # inferred merged cells; the repealed 24/2018 it applies
    tq = client.get("/documents/tuyen-quang-10-2018").text
    assert "dự kiến thay thế văn bản này" in tq  # the 2018 text knows a draft is meant to replace it


def test_draft_shows_each_article_rationale(client, corpus):
    doc = corpus.get("tuyen-quang-2025-draft")
    r = client.get("/documents/tuyen-quang-2025-draft")
    page = parse(r.text)
    articles = [a for a in doc.part("regulation").articles if a.rationales]
    assert len(articles) >= 10
    for a in articles:
        for rat in a.rationales:
            tag, cls = page.ids[rat.id.split("/", 1)[1]]
            assert tag == "aside" and "rationale" in cls
            assert escape(rat.text.split("\n")[0]) in r.text
    assert r.text.count("Lý do (cột 4 bảng so sánh)") >= len(articles)
    assert "chưa được ban hành" in r.text and 'href="/documents/tuyen-quang-10-2018"' in r.text


def test_untrusted_query_params_and_ids_are_escaped(client):
    r = client.get("/documents/bac-ninh-68-2025", params={"hl": XSS})
    assert r.status_code == 200 and XSS not in r.text and escape(XSS) in r.text
    csp = r.headers["content-security-policy"]
    assert "default-src 'none'" in csp and "frame-ancestors 'self'" in csp and parse(r.text).scripts == 0
    assert r.headers["referrer-policy"] == "no-referrer" and r.headers["x-content-type-options"] == "nosniff"
    r = client.get("/documents/bac-ninh-68-2025", params={"hl": '"><img src=x onerror=alert(1)>'})
    assert "<img" not in r.text and "&quot;&gt;&lt;img" in r.text
    for bad_id in (XSS, "<img src=x onerror=alert(1)>", f"bac-ninh-68-2025/{XSS}"):
        missing = client.get("/documents/" + bad_id)
        assert missing.status_code == 404 and missing.headers["content-type"].startswith("text/html")
        assert bad_id not in missing.text and escape(bad_id) in missing.text and parse(missing.text).scripts == 0


def test_unit_path_urls_redirect_to_the_highlighted_anchor(client):
    r = client.get("/documents/bac-ninh-68-2025/dieu-11/khoan-1", follow_redirects=False)
    assert r.status_code == 307
    assert (
        r.headers["location"] == "/documents/bac-ninh-68-2025?hl=regulation/dieu-11/khoan-1#regulation/dieu-11/khoan-1"
    )
    page = parse(client.get(r.headers["location"]).text)
    assert "hl" in page.ids["regulation/dieu-11/khoan-1"][1]


def test_script_in_a_question_comes_back_escaped(client):
    from assistant.schemas import Answer
    from assistant.web.render import answer_html, question_html, sources_html

    question = f"{XSS} Sở Tài chính Bắc Ninh có trách nhiệm gì?"
    r = client.post("/api/ask", json={"question": question})
    assert r.status_code == 200 and "<script" not in r.text and "\\u003cscript\\u003e" in r.text
    ans = Answer.model_validate(r.json())
    assert ans.question == question
    html = question_html(ans.question) + answer_html(ans) + sources_html(ans)
    assert "<script" not in html and escape(XSS) in question_html(ans.question)
    # the renderer escapes hostile text even if it ever reached the answer or a quote
    forged = ans.model_copy(deep=True)
    forged.answer = f"**{XSS}** [1]"
    forged.citations[0].quote = XSS
    forged.citations[0].url = "javascript:alert(1)"
    html = answer_html(forged) + sources_html(forged)
    assert "<script" not in html and "javascript:" not in html
