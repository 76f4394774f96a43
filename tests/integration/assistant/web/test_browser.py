"""Headless Chromium against a real server: the Gradio chat (answer, citation, follow-up, escaping,
citation link → highlighted clause, nothing fetched from outside) and the widget embedded on a page of
another origin (allowed → cited answer; not allowed → a clear refusal).

Uses the system Chromium (/usr/bin/chromium) through python playwright; never downloads a browser.
Screenshots go to /tmp/regassist-*.png.
"""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from assistant.web.server import ThreadedServer, free_port

from .conftest import server_settings

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

pytestmark = [pytest.mark.browser, pytest.mark.slow]
if not CHROMIUM.exists():
    pytest.skip(
        "browser tests need the system Chromium at /usr/bin/chromium (apt-get install chromium)",
        allow_module_level=True,
    )
sync_playwright = pytest.importorskip(
    "playwright.sync_api", reason="python playwright is not installed"
).sync_playwright

INTRANET_PAGE = """<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>Cổng nội bộ</title>
<style>body{{font-family:Georgia,serif;background:#fdf6e3;color:#333;margin:2rem}} button{{background:red}}</style></head>
<body><h1>Cổng thông tin nội bộ Sở Ngoại vụ</h1><p>Trang thử nghiệm nhúng trợ lý (origin khác máy chủ trợ lý).</p>
<script src="{api}/widget.js" data-title="Hỏi đáp quy chế" data-position="right"></script>
</body></html>"""


class PageServer:
    """A tiny static server for the host page (another origin than the API)."""

    def __init__(self, html: str, port: int):
        body = html.encode("utf-8")

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802
                if self.path.split("?")[0] != "/":
                    self.send_error(404)
                    return
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.url = f"http://127.0.0.1:{port}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture(scope="module")
def servers(assistant):
    from assistant.web.app import create_app

    allowed_port, refused_port, api_port = free_port(), free_port(), free_port()
    allowed_origin = f"http://127.0.0.1:{allowed_port}"
    cfg = server_settings(allowed_origins=[allowed_origin], port=api_port)
    api = ThreadedServer(create_app(cfg, assistant=assistant, ui=True), cfg, port=api_port)
    with (
        api,
        PageServer(INTRANET_PAGE.format(api=api.url), allowed_port) as allowed,
        PageServer(INTRANET_PAGE.format(api=api.url), refused_port) as refused,
    ):
        yield {"api": api.url, "allowed": allowed.url, "refused": refused.url}


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


@pytest.fixture()
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="vi-VN")
    pg = context.new_page()
    pg.requests = []
    pg.console = []
    pg.on("request", lambda r: pg.requests.append(r.url))
    pg.on("console", lambda m: pg.console.append(f"{m.type}: {m.text}"))
    yield pg
    context.close()


def outside(requests: list[str], *origins: str) -> list[str]:
    return [u for u in requests if not u.startswith(origins) and not u.startswith(("data:", "blob:", "about:"))]


def chat_ask(page, question: str, answers_before: int) -> None:
    page.fill("#ra-input textarea", question)
    page.press("#ra-input textarea", "Enter")
    page.wait_for_function(
        "n => document.querySelectorAll('#ra-chat .ra-answer').length > n", arg=answers_before, timeout=60_000
    )


def test_chat_answers_with_citations_and_links_to_the_highlighted_clause(page, servers):
    api = servers["api"]
    page.goto(api + "/")
    page.wait_for_selector("#ra-input textarea", timeout=30_000)
    assert "Trợ lý tra cứu quy chế" in page.inner_text("#ra-header")

    chat_ask(page, "Cơ quan nào chủ trì quản lý phóng viên nước ngoài ở Tuyên Quang?", 0)
    answer = page.locator("#ra-chat .ra-answer").last
    assert "Sở Ngoại vụ" in answer.inner_text()
    cites = answer.locator("a.cite")
    assert cites.count() >= 1 and cites.first.inner_text().startswith("[1]")
    sources = page.locator("#ra-sources details.ra-source")
    assert sources.count() >= 1
    assert sources.first.locator("blockquote").inner_text().strip()
    page.locator("#ra-sources summary").nth(min(1, sources.count() - 1)).click()  # expands to the quote
    page.screenshot(path="/tmp/regassist-chat.png", full_page=True)

    # follow-up in the same browser session
    chat_ask(page, "Còn Hưng Yên thì sao?", 1)
    follow = page.locator("#ra-chat .ra-answer").last
    hrefs = [follow.locator("a.cite").nth(i).get_attribute("href") for i in range(follow.locator("a.cite").count())]
    assert hrefs and all(h.startswith("/documents/hung-yen-29-2019?hl=") for h in hrefs)

    # hostile text is displayed, never executed
    chat_ask(
        page,
        '<img src=x onerror="window.__pwned=1"><script>window.__pwned=1</script> Sở Tài chính Bắc Ninh có trách nhiệm gì?',
        2,
    )
    assert page.evaluate("window.__pwned") is None
    assert "<script>window.__pwned=1</script>" in page.locator("#ra-chat .ra-question").last.inner_text()
    page.screenshot(path="/tmp/regassist-chat-followup.png", full_page=True)
    assert outside(page.requests, api) == [], "the chat fetched something from outside the server"
    blocked = [m for m in page.console if "Content Security Policy" in m or "Refused to" in m]
    assert blocked == [], blocked  # the page's CSP lets the chat work

    # open a citation: the document page scrolls to and highlights the cited clause
    href = page.locator("#ra-chat .ra-answer").first.locator("a.cite").first.get_attribute("href")
    path = href.split("#", 1)[1]
    page.goto(api + href)
    hl = page.locator(".hl")
    assert hl.count() == 1 and hl.get_attribute("id") == path
    assert hl.is_visible() and page.evaluate(
        "() => { const r = document.querySelector('.hl').getBoundingClientRect(); return r.top >= 0 && r.top < innerHeight; }"
    )
    assert page.evaluate("() => getComputedStyle(document.querySelector('.hl')).backgroundColor") != "rgba(0, 0, 0, 0)"
    page.screenshot(path="/tmp/regassist-document.png")
    page.goto(api + "/documents/hung-yen-29-2019")
    assert "27/2019/QĐ-UBND" in page.inner_text(".notes")  # the discrepancy in the source text
    page.screenshot(path="/tmp/regassist-document-meta.png")


def test_widget_on_an_allowed_origin_answers_with_citation_links(page, servers):
    api, host = servers["api"], servers["allowed"]
    page.goto(host + "/")
    page.click("button.launcher")
    page.wait_for_selector(".panel textarea")
    page.fill(".panel textarea", "Cơ quan nào chủ trì quản lý phóng viên nước ngoài ở Tuyên Quang?")
    page.press(".panel textarea", "Enter")
    page.wait_for_selector(".msg.bot a.cite", timeout=60_000)
    assert "Sở Ngoại vụ" in page.locator(".msg.bot").last.inner_text()
    links = page.locator("ol.sources a.doc-link")
    assert links.count() >= 1
    assert all(
        links.nth(i).get_attribute("href").startswith(api + "/documents/tuyen-quang-") for i in range(links.count())
    )
    assert page.locator("ol.sources blockquote").first.text_content().strip()  # the verbatim quote (closed <details>)
    token = page.evaluate("sessionStorage.getItem('regassist-widget-session')")
    assert token and "." in token  # the server's signed conversation token
    # the host page's styles do not leak into the widget (shadow DOM)
    assert (
        page.evaluate(
            "() => getComputedStyle(document.querySelector('#regassist-widget').shadowRoot"
            ".querySelector('button.launcher')).backgroundColor"
        )
        != "rgb(255, 0, 0)"
    )

    page.fill(".panel textarea", "Còn Hưng Yên thì sao?")
    page.press(".panel textarea", "Enter")
    page.wait_for_function(
        "() => document.querySelector('#regassist-widget').shadowRoot.querySelectorAll('ol.sources').length >= 2",
        timeout=60_000,
    )
    last = page.locator("ol.sources").last.locator("a.doc-link")
    assert last.count() >= 1 and "/documents/hung-yen-29-2019" in last.first.get_attribute("href")
    page.locator("ol.sources").last.locator("summary").first.click()  # expand the follow-up's first quote
    page.screenshot(path="/tmp/regassist-widget.png")
    assert outside(page.requests, api, host) == []


def test_widget_on_a_refused_origin_shows_a_clear_error(page, servers):
    page.goto(servers["refused"] + "/")
    page.click("button.launcher")
    page.fill(".panel textarea", "Sở Tài chính Bắc Ninh có trách nhiệm gì?")
    page.press(".panel textarea", "Enter")
    error = page.wait_for_selector(".msg.error", timeout=30_000)
    text = error.inner_text()
    assert "không được phép" in text and servers["refused"] in text
    assert page.locator(".msg.bot a.cite").count() == 0
    page.screenshot(path="/tmp/regassist-widget-refused.png")


def test_official_uploads_a_document_in_the_browser(browser, serve_dir, private_data):
    """Login with the admin token, choose a real file, read the preview, confirm, watch the index update."""
    from .test_upload import TOKEN, extra_file

    source = extra_file("hai-phong-211-2025.txt")
    with serve_dir(private_data, admin_token=TOKEN) as srv:
        context = browser.new_context(viewport={"width": 1200, "height": 1000}, locale="vi-VN")
        page = context.new_page()
        console: list[str] = []
        page.on("console", lambda m: console.append(m.text))
        try:
            page.goto(srv.url + "/admin")
            page.fill("#token", "not-the-token-0123456789")
            page.click("button[type=submit]")
            assert "Mã quản trị không đúng" in page.inner_text("main")
            page.fill("#token", TOKEN)
            page.click("button[type=submit]")
            page.wait_for_selector("input[type=file]")
            page.set_input_files("input[type=file]", str(source))
            page.click("text=Xem trước")
            page.wait_for_selector("text=Xác nhận thêm văn bản")
            text = page.inner_text("main")
            assert "211/2025/QĐ-UBND" in text and "Cấu trúc" in text
            page.screenshot(path="/tmp/regassist-admin-preview.png", full_page=True)
            page.click("text=Xác nhận thêm văn bản")
            page.wait_for_selector("text=đang phục vụ", timeout=120_000)  # the page refreshes itself until then
            page.screenshot(path="/tmp/regassist-admin-done.png", full_page=True)
            assert not [m for m in console if "Content Security Policy" in m]
        finally:
            context.close()
