"""Routes of the web layer (no middleware here: see ``assistant.web.middleware``).

POST /api/ask                 AskBody → Answer (its session_id continues the conversation)
GET  /api/documents           document summaries
GET  /api/documents/{id}      one document (model dump)
GET  /healthz                 liveness: the process answers (always 200)
GET  /readyz                  readiness: 200 with build id and document count, or 503 with the reason
GET  /docs, /openapi.json     API description (offline page, no CDN)
GET  /documents               index page (HTML)
GET  /documents/{id}?hl=path  whole document, one anchor per unit, ``hl`` highlighted (HTML)
GET  /documents/{a}/compare/{b}  two versions side by side (``assistant.web.compare``; 404 names the unknown id)
GET  /widget.js               embeddable widget
"""

from __future__ import annotations

import json
from importlib import resources
from urllib.parse import quote

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from assistant.web.backend import (
    Answer,
    document_summary,
)
from assistant.web.compare import render_compare
from assistant.web.context import WebContext
from assistant.web.html import e
from assistant.web.pages import PAGE_HEADERS, page, render_document, render_index, render_not_found
from assistant.web.responses import InputError, SafeJSONResponse


def peer(request: Request) -> str | None:
    """The client's real address (``PeerAddress`` has applied the trusted-proxy rule)."""
    return request.client.host if request.client else None


async def read_body(request: Request, limit: int) -> bytes:
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise InputError(413, f"request body too large (limit {limit} bytes)", limit_bytes=limit)
    return bytes(body)


ERROR_SCHEMA = {
    "application/json": {
        "schema": {"type": "object", "properties": {"error": {"type": "string"}}, "required": ["error"]}
    }
}


def api_router(ctx: WebContext) -> APIRouter:
    router = APIRouter()
    settings = ctx.settings

    @router.get("/healthz", summary="Liveness: the process answers (see /readyz for readiness)")
    def healthz():
        ready = ctx.engine.ready
        return {"status": "ok", "ready": ready, "assistant_loaded": ready}  # assistant_loaded: older callers

    @router.get(
        "/readyz",
        summary="Readiness: index and model loaded (200) or why not (503)",
        responses={503: {"description": "not ready, with the reason", "content": ERROR_SCHEMA}},
    )
    def readyz():
        status = ctx.engine.status()
        code = 200 if status["status"] == "ready" else 503
        return SafeJSONResponse(status, status_code=code, headers=None if code == 200 else {"Retry-After": "10"})

    @router.post(
        "/api/ask",
        response_model=Answer,
        summary="Ask a question; get a cited answer or an abstention",
        description="Body: a JSON object {question, province?, document?, status?, session_id?, as_of?} (no other "
        "fields). as_of: the date the answer speaks for, YYYY-MM-DD (default today); each citation then carries "
        "its document's status on that date. "
        f"question: 1-{ctx.max_chars} characters, no control characters. To continue a conversation send "
        "back the session_id of the previous answer (a signed token; an unknown one starts a new "
        "conversation). Rate limited per client address.",
        openapi_extra={
            "requestBody": {"required": True, "content": {"application/json": {"schema": ctx.gate.schema()}}}
        },
        responses={
            400: {"description": "invalid JSON, unknown province/document", "content": ERROR_SCHEMA},
            403: {"description": "origin not allowed", "content": ERROR_SCHEMA},
            413: {"description": "body too large", "content": ERROR_SCHEMA},
            415: {"description": "not application/json", "content": ERROR_SCHEMA},
            422: {"description": "invalid fields", "content": ERROR_SCHEMA},
            429: {"description": "rate limited (Retry-After)", "content": ERROR_SCHEMA},
            503: {"description": "not ready (the reason), or no answer in time", "content": ERROR_SCHEMA},
        },
    )
    async def ask(request: Request):
        ctx.limit(peer(request))
        body = ctx.gate.parse(request.headers.get("content-type"), await read_body(request, settings.max_body_bytes))
        answer = await ctx.answer(body)
        return SafeJSONResponse(answer.model_dump(mode="json"))

    @router.get("/api/documents", summary="Documents with type, number, dates, status, unit counts")
    def documents():
        return [document_summary(d) for d in ctx.engine.corpus().documents.values()]

    @router.get("/api/documents/{doc_id}", summary="One document: metadata and the full unit tree")
    def document(doc_id: str):
        corpus = ctx.engine.corpus()
        doc = corpus.get(doc_id)
        if doc is None:
            raise InputError(404, f"unknown document '{doc_id[:100]}'", known=list(corpus.documents))
        return doc.model_dump(mode="json")

    return router


def page_router(ctx: WebContext, app: FastAPI) -> APIRouter:
    router = APIRouter(include_in_schema=False)

    @router.get("/docs")
    def docs():
        return HTMLResponse(docs_page(app.openapi()), headers=PAGE_HEADERS)

    @router.get("/documents")
    def documents_page():
        return HTMLResponse(render_index(ctx.engine.corpus()), headers=PAGE_HEADERS)

    @router.get("/documents/{doc_id}")
    def document_page(doc_id: str, hl: str | None = None):
        corpus = ctx.engine.corpus()
        doc = corpus.get(doc_id)
        if doc is None:
            return HTMLResponse(render_not_found(doc_id[:200], corpus), status_code=404, headers=PAGE_HEADERS)
        return HTMLResponse(render_document(doc, corpus, hl), headers=PAGE_HEADERS)

    @router.get("/documents/{a}/compare/{b}")
    def compare_page(a: str, b: str):
        """Two documents side by side (registered before the unit route, which would take the path)."""
        corpus = ctx.engine.corpus()
        for doc_id in (a, b):
            if corpus.get(doc_id) is None:
                return HTMLResponse(render_not_found(doc_id[:200], corpus), status_code=404, headers=PAGE_HEADERS)
        title, content = render_compare(corpus.get(a), corpus.get(b))
        return HTMLResponse(page(title, content), headers=PAGE_HEADERS)

    @router.get("/documents/{doc_id}/{unit_path:path}")
    def unit_page(doc_id: str, unit_path: str):
        """``/documents/<doc>/regulation/dieu-7`` → the document page at that unit."""
        corpus = ctx.engine.corpus()
        loc = corpus.find_unit(doc_id, unit_path) if corpus.get(doc_id) is not None else None
        if loc is None:
            return HTMLResponse(
                render_not_found(f"{doc_id}/{unit_path}"[:200], corpus), status_code=404, headers=PAGE_HEADERS
            )
        path = quote(loc.id.split("/", 1)[1], safe="/.-_")
        return RedirectResponse(f"/documents/{quote(doc_id)}?hl={path}#{path}", status_code=307)

    widget = resources.files("assistant").joinpath("static/widget.js").read_bytes()

    @router.get("/widget.js")
    def widget_js():
        return Response(
            widget,
            media_type="application/javascript; charset=utf-8",
            headers={"Cache-Control": "public, max-age=300", "Cross-Origin-Resource-Policy": "cross-origin"},
        )

    return router


def docs_page(schema: dict) -> str:
    """A self-contained API description (FastAPI's Swagger UI would load its assets from a CDN)."""
    rows = []
    for path, ops in schema.get("paths", {}).items():
        for method, op in ops.items():
            body = op.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema")
            responses = ", ".join(f"{code} {r.get('description', '')}" for code, r in op.get("responses", {}).items())
            rows.append(
                f"<section><h2><code>{e(method.upper())} {e(path)}</code></h2><p>{e(op.get('summary', ''))}</p>"
                f"<p>{e(op.get('description', ''))}</p>"
                + (
                    f"<h3>Request body</h3><pre>{e(json.dumps(body, ensure_ascii=False, indent=2))}</pre>"
                    if body
                    else ""
                )
                + f"<p><b>Responses:</b> {e(responses)}</p></section>"
            )
    models = "".join(
        f"<details><summary><code>{e(name)}</code></summary><pre>{e(json.dumps(s, ensure_ascii=False, indent=2))}"
        "</pre></details>"
        for name, s in schema.get("components", {}).get("schemas", {}).items()
    )
    info = schema.get("info", {})
    return page(
        "API",
        f"<h1>{e(info.get('title', 'API'))} {e(info.get('version', ''))}</h1><p>{e(info.get('description', ''))}</p>"
        '<p>Machine-readable description: <a href="/openapi.json">/openapi.json</a>. Errors are always '
        '<code>{"error": "…"}</code> with a 4xx/5xx status; <code>POST /api/ask</code> is rate limited per '
        "client address and answers 429 with <code>Retry-After</code>; <code>/readyz</code> says whether "
        "questions can be answered and why not.</p>" + "".join(rows) + f"<h2>Schemas</h2>{models}",
    )
