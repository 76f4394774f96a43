"""The Gradio chat mounted at ``/`` (gradio 6.x).

Messages are HTML rendered by ``assistant.web.render`` (escaped first; Gradio sanitises again), the
sources panel is a ``gr.HTML`` of ``<details>`` items. The conversation token (``assistant.web.sessions``:
signed by the server, the conversation itself inside) lives in a ``gr.BrowserState`` (localStorage) and
comes back with every question, so follow-ups work on any worker or replica. Questions go through the same
gate, rate limiter (per client address) and answer path as ``POST /api/ask``. Analytics are off and the theme
uses Gradio's bundled fonts: the page fetches nothing from outside the server.

The "Áp dụng tại ngày / As of" field (``gr.DateTime`` without time, ``#ra-asof``; its value is computed at
each page load, so it is today's date, not the server's start date) travels with every question as
``as_of``; a value that is not ``YYYY-MM-DD`` is refused by the gate with its message, an empty one means
today. The answer shows the date used and each citation's status on it (``assistant.web.render``).
"""

from __future__ import annotations

import json
import logging
import os
from datetime import date
from pathlib import Path
from typing import get_args

os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"  # before gradio is imported; read at call time too

import gradio as gr  # noqa: E402

from assistant.answering.versions import has_status  # noqa: E402
from assistant.web.context import WebContext  # noqa: E402
from assistant.web.gate import Status  # noqa: E402
from assistant.web.html import STATUS_VI, e  # noqa: E402
from assistant.web.render import answer_html, error_html, question_html, sources_html  # noqa: E402
from assistant.web.responses import InputError  # noqa: E402
from corpus.validity import statuses_on  # noqa: E402

log = logging.getLogger("regassist.ui")

#: example questions under the chat: data about the documents shipped, kept out of the code
EXAMPLES: list[str] = json.loads((Path(__file__).parent / "data" / "examples.json").read_text(encoding="utf-8"))[
    "examples"
]

CSS = """
.gradio-container{max-width:1280px!important}
#ra-header h1{font-size:1.45rem;margin:.2rem 0}
#ra-header p{margin:.2rem 0;color:var(--body-text-color-subdued)}
#ra-header a{margin-right:1rem}
.ra-question{white-space:pre-wrap}
.ra-answer p{margin:.25rem 0}
.ra-answer ul{margin:.25rem 0 .25rem 1.1rem;padding:0}
.ra-answer a.cite,.ra-sources a{color:#0b5cad!important;font-weight:600;text-decoration:none;margin:0 .1rem}
.ra-answer a.cite:hover,.ra-sources a:hover{text-decoration:underline}
#ra-header details{font-size:.85rem;margin-top:.2rem}
#ra-header code{font-size:.8rem;word-break:break-all}
.ra-refs{font-size:.85rem;border-top:1px solid var(--border-color-primary);padding-top:.3rem;margin-top:.4rem!important}
.ra-refs a{display:inline-block;margin-right:.6rem}
.ra-meta{font-size:.78rem;color:var(--body-text-color-subdued)}
.ra-abstained{border-left:4px solid #f0b429;padding-left:.6rem}
.ra-error{border-left:4px solid #e12d39;padding-left:.6rem;color:#8a041a}
#ra-sources{max-height:640px;overflow-y:auto}
.ra-sources details{border:1px solid var(--border-color-primary);border-radius:8px;padding:.4rem .6rem;margin:.4rem 0;background:var(--background-fill-secondary)}
.ra-sources summary{cursor:pointer}
.ra-sources blockquote{margin:.4rem 0;padding:.3rem .6rem;border-left:3px solid #9fb3c8;background:var(--background-fill-primary)}
.ra-sources .ra-doc{font-size:.82rem;color:var(--body-text-color-subdued);margin:.2rem 0}
.ra-status{display:inline-block;padding:0 .45rem;border-radius:.8rem;font-size:.75rem;background:#e3f8e8;color:#1b6b34}
.ra-draft,.ra-not_yet_in_force{background:#fff1d6;color:#8a5a00}
.ra-repealed,.ra-replaced,.ra-expired{background:#fde2e1;color:#a61b1b}
.ra-asof{font-size:.8rem;color:var(--body-text-color-subdued)}
.ra-ref{display:inline-block;margin-right:.6rem}
.ra-refnotes{border:1px dashed #9fb3c8;border-radius:6px;padding:.3rem .6rem;margin:.4rem 0;background:#f4f8fc;color:#243b53}
.ra-refnotes-title,.ra-versions-title{font-size:.8rem;font-weight:600;margin:0!important}
.ra-refnotes-title span{font-weight:400}
.ra-refnotes ul,.ra-versions ul{margin:.2rem 0 .2rem 1.1rem;padding:0;font-size:.85rem}
.ra-versions{border-top:1px solid var(--border-color-primary);margin-top:.4rem;padding-top:.3rem}
.ra-empty{color:var(--body-text-color-subdued)}
"""


def header_html(widget_tag: str) -> str:
    return (
        '<div id="ra-header"><h1>Trợ lý tra cứu quy chế, văn bản pháp luật</h1>'
        "<p>Trả lời bằng trích dẫn nguyên văn (điều, khoản, điểm hoặc mục kế hoạch) đã được kiểm chứng với văn bản gốc; "
        "khi kho văn bản không có căn cứ, trợ lý sẽ nói rõ là không trả lời được.</p>"
        '<p><a href="/documents" target="_blank">Danh sách văn bản</a><a href="/docs" target="_blank">API (OpenAPI)</a></p>'
        "<details><summary>Nhúng trợ lý vào trang nội bộ</summary><p>Dán thẻ sau vào trang (địa chỉ của trang phải nằm "
        f"trong danh sách được phép REGASSIST_ALLOWED_ORIGINS):</p><code>{e(widget_tag)}</code></details></div>"
    )


def build_ui(ctx: WebContext) -> gr.Blocks:
    corpus = ctx.engine.corpus()
    docs = list(corpus.documents.values())
    provinces = sorted({d.meta.province for d in docs})
    # every status a document can have on some date (the filter applies on the chosen date)
    # the statuses the API filter takes ("in force" includes amended texts), labelled from the one table
    status_choices = [s for s in STATUS_VI if s in get_args(Status)]
    settings = ctx.settings

    def statuses(as_of: str | None) -> dict[str, str]:
        """Every document's status on the chosen date (today when the field is empty or not a date)."""
        try:
            day = date.fromisoformat(as_of.strip()) if isinstance(as_of, str) and as_of.strip() else date.today()
        except ValueError:
            day = date.today()
        return {k: v.status.value for k, v in statuses_on([d.meta for d in docs], day).items()}

    def matching(province: str, status: str, as_of: str | None = None):
        on = statuses(as_of) if status else {}
        return [
            d
            for d in docs
            if (not province or d.meta.province == province) and (not status or has_status(on.get(d.id, ""), status))
        ]

    def doc_choices(province: str, status: str, as_of: str | None = None):
        return [("Tất cả văn bản phù hợp", "")] + [
            (
                f"{d.meta.doc_type} {d.meta.number or ''} — {d.meta.province}".replace("  ", " ")
                + (" (dự thảo)" if d.meta.status.value == "draft" else ""),
                d.id,
            )
            for d in matching(province, status, as_of)
        ]

    def on_scope(province, status, document, as_of):
        choices = doc_choices(province or "", status or "", as_of)
        keep = document if document in {v for _, v in choices} else ""
        return gr.update(choices=choices, value=keep)

    def new_chat():
        return [], sources_html(None), None, ""

    def respond(message, history, token, province, document, status, as_of, request: gr.Request):
        history = list(history or [])
        token = token if isinstance(token, str) else None
        message = message if isinstance(message, str) else ""
        if not message.strip():
            return gr.update(), history, gr.update(), token
        history.append({"role": "user", "content": question_html(message)})
        province, document, status = province or "", document or "", status or ""
        scope = matching(province, status, as_of)
        if not document and status and len(scope) == 1:
            document = scope[0].id  # the status filter narrows to one text: ask within it
        note = ""
        try:
            ctx.limit(request.client.host if request is not None and request.client is not None else None)
            as_of = as_of.strip() if isinstance(as_of, str) else None
            body = ctx.gate.check(
                {
                    "question": message,
                    "province": province or None,
                    "document": document or None,
                    "session_id": token,
                    "as_of": as_of or None,
                    "status": status or None,
                }
            )
            answer = ctx.answer_sync(body)
        except InputError as exc:
            if exc.status == 429:
                text = (
                    f"Bạn hỏi quá nhanh (giới hạn {settings.rate_limit_per_minute} câu hỏi mỗi phút). "
                    f"Vui lòng thử lại sau {exc.extra.get('retry_after', 60)} giây."
                )
            elif exc.status == 503:
                text = f"Hệ thống chưa sẵn sàng ({exc.message})"
            else:
                text = f"Câu hỏi không hợp lệ: {exc.message}"
            history.append({"role": "assistant", "content": error_html(text)})
            return gr.update(), history, gr.update(), token
        except Exception:  # never show a stack trace in the UI
            log.exception("chat request failed")
            history.append({"role": "assistant", "content": error_html("Lỗi hệ thống: không thể trả lời lúc này.")})
            return gr.update(), history, gr.update(), token
        if status and not document and any(c.status != status for c in answer.citations):
            note = error_html(
                f"Lưu ý: bộ lọc trạng thái “{STATUS_VI.get(status, status)}” khớp nhiều văn bản; "
                "một số trích dẫn thuộc văn bản có trạng thái khác (xem nhãn trạng thái ở từng nguồn)."
            )
        history.append({"role": "assistant", "content": answer_html(answer) + note})
        return "", history, sources_html(answer), answer.session_id

    host = settings.host if settings.host not in ("0.0.0.0", "::") else "HOST"
    widget_tag = f'<script src="http://{host}:{settings.port}/widget.js" data-title="Hỏi đáp quy chế" data-position="right"></script>'

    with gr.Blocks(title="Trợ lý tra cứu quy chế, văn bản pháp luật", analytics_enabled=False) as demo:
        session = gr.BrowserState(None, storage_key="regassist_conversation")
        gr.HTML(header_html(widget_tag), js_on_load=None)
        with gr.Row(equal_height=False):
            with gr.Column(scale=3):
                chatbot = gr.Chatbot(
                    label="Hội thoại",
                    elem_id="ra-chat",
                    height=560,
                    latex_delimiters=[],
                    buttons=["copy"],
                    feedback_options=None,
                    sanitize_html=True,
                    render_markdown=True,
                    line_breaks=False,
                    group_consecutive_messages=False,
                    placeholder="Đặt câu hỏi về các văn bản trong kho: " + ", ".join(provinces[:8]) + "…",
                )
                with gr.Row():
                    box = gr.Textbox(
                        show_label=False,
                        label="Câu hỏi",
                        placeholder="Nhập câu hỏi rồi nhấn Enter…",
                        lines=1,
                        max_lines=4,
                        max_length=ctx.max_chars,
                        scale=6,
                        elem_id="ra-input",
                        autofocus=True,
                    )
                    send = gr.Button("Gửi", variant="primary", scale=1, min_width=80, elem_id="ra-send")
                clear = gr.Button("Cuộc hội thoại mới", size="sm", variant="secondary", elem_id="ra-clear")
                gr.Examples(examples=[[q] for q in EXAMPLES], inputs=[box], label="Câu hỏi mẫu (bấm để điền)")
            with gr.Column(scale=2):
                with gr.Accordion("Bộ lọc", open=True):
                    province = gr.Dropdown(
                        choices=[("Tất cả các tỉnh", "")] + [(p, p) for p in provinces],
                        value="",
                        label="Tỉnh",
                        elem_id="ra-province",
                    )
                    status = gr.Dropdown(
                        choices=[("Mọi trạng thái", "")] + [(STATUS_VI[s], s) for s in status_choices],
                        value="",
                        label="Trạng thái văn bản",
                        elem_id="ra-status",
                    )
                    document = gr.Dropdown(
                        choices=doc_choices("", ""), value="", label="Văn bản", elem_id="ra-document"
                    )
                as_of = gr.DateTime(
                    value=lambda: date.today().isoformat(),  # type: ignore[arg-type]  # a callable: evaluated per page load
                    include_time=False,
                    type="string",
                    label="Áp dụng tại ngày / As of",
                    info="Trạng thái hiệu lực của văn bản được tính tại ngày này (YYYY-MM-DD)",
                    elem_id="ra-asof",
                )
                gr.HTML("<h3 style='margin:.6rem 0 .2rem'>Nguồn trích dẫn</h3>", js_on_load=None)
                sources = gr.HTML(sources_html(None), elem_id="ra-sources", js_on_load=None)

        inputs = [box, chatbot, session, province, document, status, as_of]
        outputs = [box, chatbot, sources, session]
        box.submit(respond, inputs, outputs, api_visibility="private")
        send.click(respond, inputs, outputs, api_visibility="private")
        clear.click(new_chat, None, [chatbot, sources, session, box], api_visibility="private")
        chatbot.clear(new_chat, None, [chatbot, sources, session, box], api_visibility="private")
        for field in (province, status, as_of):  # the document list follows the filters and the date
            field.change(on_scope, [province, status, document, as_of], [document], api_visibility="private")
    return demo


def theme():
    return gr.themes.Default(primary_hue="blue", secondary_hue="slate")


def mount_chat(app, ctx: WebContext) -> None:
    """The chat at ``/`` of ``app``; at most ``answer_threads`` chat answers at once."""
    demo = build_ui(ctx).queue(default_concurrency_limit=ctx.settings.answer_threads, max_size=256)
    settings = ctx.settings
    gr.mount_gradio_app(
        app,
        demo,
        path="/",
        footer_links=[],
        run_history=False,
        ssr_mode=False,
        pwa=False,
        mcp_server=False,
        enable_monitoring=False,
        show_error=False,
        max_file_size=1,
        server_name=settings.host,
        server_port=settings.port,
        theme=theme(),
        css=CSS,
    )
