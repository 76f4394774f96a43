"""One process: FastAPI JSON API + document pages + widget script, with the Gradio chat mounted at ``/``.

``regassist serve`` runs ``uvicorn assistant.api:create_app --factory``; tests call
``create_app(assistant=..., settings=...)``.

Routes
    POST /api/ask                 {question, province?, document?, session_id?} → Answer
    GET  /api/documents           document summaries
    GET  /api/documents/{id}      one document (model dump)
    GET  /healthz                 liveness (does not load the models)
    GET  /docs, /openapi.json     API description (offline page, no CDN)
    GET  /documents               index page (HTML)
    GET  /documents/{id}?hl=path  whole document, one anchor per unit, ``hl`` highlighted (HTML)
    GET  /widget.js               embeddable widget
    /                             Gradio chat

Errors are JSON ``{"error": ..., ...}`` with a 4xx/5xx status, never a stack trace (see
``assistant.web.guard`` for the middlewares that also cover the mounted Gradio app).
"""

from __future__ import annotations

import contextlib
import json
import logging
import threading
from html import escape
from importlib import resources
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.cors import CORSMiddleware

from assistant.schemas import Answer
from assistant.web.backend import Backend, InputError
from assistant.web.guard import (MAX_BODY_BYTES, JSONErrors, OriginGuard, OriginPolicy, RouteGuard,
                                 SafeJSONResponse, error_response)
from index.settings import Settings

log = logging.getLogger("regassist.api")

JSON_TYPES = ("application/json",)


def _warm(backend: Backend) -> None:
    try:
        backend.assistant()
    except Exception:  # a failed warm-up is retried (and reported as JSON 500) on the first question
        log.exception("warm-up of the assistant failed")


def _widget_source() -> bytes:
    return resources.files("assistant").joinpath("static/widget.js").read_bytes()


async def _read_body(request: Request, limit: int) -> bytes:
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise InputError(413, f"request body too large (limit {limit} bytes)", limit_bytes=limit)
    return bytes(body)


def _docs_page(schema: dict) -> str:
    """A self-contained API description (FastAPI's Swagger UI would load its assets from a CDN)."""
    e = lambda v: escape(str(v), quote=True)  # noqa: E731
    rows = []
    for path, ops in schema.get("paths", {}).items():
        for method, op in ops.items():
            body = op.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema")
            responses = ", ".join(f"{code} {r.get('description', '')}" for code, r in op.get("responses", {}).items())
            rows.append(
                f"<section><h2><code>{e(method.upper())} {e(path)}</code></h2><p>{e(op.get('summary', ''))}</p>"
                f"<p>{e(op.get('description', ''))}</p>"
                + (f"<h3>Request body</h3><pre>{e(json.dumps(body, ensure_ascii=False, indent=2))}</pre>" if body else "")
                + f"<p><b>Responses:</b> {e(responses)}</p></section>")
    schemas = schema.get("components", {}).get("schemas", {})
    models = "".join(f"<details><summary><code>{e(name)}</code></summary><pre>{e(json.dumps(s, ensure_ascii=False, indent=2))}</pre></details>"
                     for name, s in schemas.items())
    return ("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>regassist API</title>"
            "<style>body{font:15px/1.5 system-ui,sans-serif;max-width:960px;margin:2rem auto;padding:0 1rem}"
            "pre{background:#f0f4f8;padding:.6rem;overflow:auto}section{border-bottom:1px solid #ddd}</style></head><body>"
            f"<h1>{e(schema.get('info', {}).get('title', 'API'))} {e(schema.get('info', {}).get('version', ''))}</h1>"
            f"<p>{e(schema.get('info', {}).get('description', ''))}</p>"
            "<p>Machine-readable description: <a href=\"/openapi.json\">/openapi.json</a>. Errors are always "
            "<code>{\"error\": \"…\"}</code> with a 4xx/5xx status; <code>POST /api/ask</code> is rate limited per client "
            "(IP, refined by an <code>X-Client-Id</code> header) and answers 429 with <code>Retry-After</code>.</p>"
            + "".join(rows) + f"<h2>Schemas</h2>{models}</body></html>")


def create_app(assistant=None, settings: Settings | None = None, *, with_ui: bool = True,
               warm_up: bool = True) -> FastAPI:
    """``assistant``: an Assistant to serve (tests); without one it is created lazily, once per process
    (``assistant.service.get_assistant``), and — when ``warm_up`` — loaded in a background thread as the
    server starts, so the first question does not wait for the models (``/healthz`` tells when)."""
    backend = Backend(assistant, settings)
    settings = backend.settings

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI):
        if warm_up and not backend.loaded:
            threading.Thread(target=_warm, args=(backend,), name="regassist-warm-up", daemon=True).start()
        yield

    app = FastAPI(title="regassist", version="0.2.0", docs_url=None, redoc_url=None, lifespan=lifespan,
                  default_response_class=SafeJSONResponse,
                  description="Cited answers about Vietnamese provincial regulations and plans: every citation "
                              "resolves to a unit of the corpus and its quote is verbatim.")
    app.state.backend = backend

    # ---- error handlers (inner; the middlewares cover what never reaches a route) ----------------
    @app.exception_handler(InputError)
    async def _input(request: Request, exc: InputError):
        headers = {"Retry-After": str(exc.extra["retry_after"])} if exc.status == 429 else None
        return error_response(exc.status, exc.message, headers=headers, **exc.extra)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError):
        errors = [{"loc": [str(x) for x in e.get("loc", [])], "msg": e.get("msg", "")} for e in exc.errors()]
        return error_response(422, "invalid request", details=errors)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException):
        return error_response(exc.status_code, str(exc.detail), headers=getattr(exc, "headers", None))

    @app.exception_handler(Exception)
    async def _crash(request: Request, exc: Exception):
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return error_response(500, "internal error")

    # ---- JSON API --------------------------------------------------------------------------------
    @app.get("/healthz", summary="Liveness")
    def healthz():
        return {"status": "ok", "assistant_loaded": backend.loaded}

    ask_schema = backend.model.model_json_schema()
    error_schema = {"application/json": {"schema": {"type": "object", "properties": {"error": {"type": "string"}},
                                                    "required": ["error"]}}}

    @app.post(
        "/api/ask", response_model=Answer, summary="Ask a question; get a cited answer or an abstention",
        description="Body: a JSON object {question, province?, document?, session_id?} (no other fields). "
                    f"question: 1-{backend.max_chars} characters, no control characters. Reuse session_id for follow-ups.",
        openapi_extra={"requestBody": {"required": True, "content": {"application/json": {"schema": ask_schema}}}},
        responses={400: {"description": "invalid JSON, unknown province/document", "content": error_schema},
                   403: {"description": "origin not allowed", "content": error_schema},
                   413: {"description": "body too large", "content": error_schema},
                   415: {"description": "not application/json", "content": error_schema},
                   422: {"description": "invalid fields", "content": error_schema},
                   429: {"description": "rate limited (Retry-After)", "content": error_schema}},
    )
    async def ask(request: Request):
        from assistant.service import UnknownFilterError

        ip = request.client.host if request.client else None
        wait = backend.limiter.check(ip, request.headers.get("x-client-id"))
        if wait:
            raise InputError(429, f"rate limit exceeded: {settings.rate_limit_per_minute} questions per minute; "
                                  f"retry after {int(wait)} s", retry_after=int(wait),
                             limit_per_minute=settings.rate_limit_per_minute)
        ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if ctype not in JSON_TYPES:
            raise InputError(415, "Content-Type must be application/json", got=ctype[:100] or None)
        raw = await _read_body(request, MAX_BODY_BYTES)
        if not raw.strip():
            raise InputError(400, "empty body: expected a JSON object such as {\"question\": \"...\"}")
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise InputError(400, f"the body is not valid UTF-8 (byte {exc.start})") from None
        try:
            payload = json.loads(text)
        except (ValueError, RecursionError) as exc:
            where = f" (line {exc.lineno}, column {exc.colno})" if isinstance(exc, json.JSONDecodeError) else ""
            raise InputError(400, f"invalid JSON body{where}") from None
        req = backend.validate(payload)
        try:
            answer = await run_in_threadpool(backend.ask, req)
        except UnknownFilterError as exc:
            raise InputError(400, str(exc)) from None
        return SafeJSONResponse(answer.model_dump(mode="json"))

    @app.get("/api/documents", summary="Documents with type, number, dates, status, unit counts")
    def documents():
        from assistant.cli import doc_summary

        return [doc_summary(d) for d in backend.corpus().documents.values()]

    @app.get("/api/documents/{doc_id}", summary="One document: metadata and the full unit tree")
    def document(doc_id: str):
        doc = backend.corpus().get(doc_id)
        if doc is None:
            raise InputError(404, f"unknown document '{doc_id[:100]}'", known=list(backend.corpus().documents))
        return doc.model_dump(mode="json")

    @app.get("/docs", include_in_schema=False)
    def docs():
        return HTMLResponse(_docs_page(app.openapi()))

    # ---- pages and widget ------------------------------------------------------------------------
    from assistant.web.pages import PAGE_HEADERS, render_document, render_index, render_not_found

    @app.get("/documents", include_in_schema=False)
    def documents_page():
        return HTMLResponse(render_index(backend.corpus()), headers=PAGE_HEADERS)

    @app.get("/documents/{doc_id}", include_in_schema=False)
    def document_page(doc_id: str, hl: str | None = None):
        corpus = backend.corpus()
        doc = corpus.get(doc_id)
        if doc is None:
            return HTMLResponse(render_not_found(doc_id[:200], corpus), status_code=404, headers=PAGE_HEADERS)
        return HTMLResponse(render_document(doc, corpus, hl), headers=PAGE_HEADERS)

    @app.get("/documents/{doc_id}/{unit_path:path}", include_in_schema=False)
    def unit_page(doc_id: str, unit_path: str):
        """``/documents/bac-ninh-68-2025/regulation/dieu-11`` → the document page at that unit."""
        corpus = backend.corpus()
        doc = corpus.get(doc_id)
        loc = corpus.find_unit(doc_id, unit_path) if doc is not None else None
        if loc is None:
            return HTMLResponse(render_not_found(f"{doc_id}/{unit_path}"[:200], corpus), status_code=404, headers=PAGE_HEADERS)
        path = quote(loc.id.split("/", 1)[1], safe="/.-_")
        return RedirectResponse(f"/documents/{quote(doc_id)}?hl={path}#{path}", status_code=307)

    widget = _widget_source()

    @app.get("/widget.js", include_in_schema=False)
    def widget_js():
        return Response(widget, media_type="application/javascript; charset=utf-8",
                        headers={"Cache-Control": "public, max-age=300", "Cross-Origin-Resource-Policy": "cross-origin"})

    # ---- middlewares (last added = outermost) ----------------------------------------------------
    policy = OriginPolicy(settings.allowed_origins)
    app.add_middleware(RouteGuard, router=app.router)
    app.add_middleware(CORSMiddleware, allow_origins=sorted(policy.exact) if not policy.any else ["*"],
                       allow_origin_regex=policy.regex(), allow_credentials=False,
                       allow_methods=["GET", "POST", "OPTIONS"], allow_headers=["Content-Type", "X-Client-Id"],
                       expose_headers=["Retry-After"], max_age=600)
    app.add_middleware(OriginGuard, policy=policy)
    app.add_middleware(JSONErrors)

    if with_ui:
        from assistant.web.chat_ui import CSS, build_ui, gr, theme  # sets GRADIO_ANALYTICS_ENABLED first

        gr.mount_gradio_app(app, build_ui(backend), path="/", footer_links=[], run_history=False, ssr_mode=False,
                            pwa=False, mcp_server=False, enable_monitoring=False, show_error=False,
                            server_name=settings.host, server_port=settings.port, theme=theme(), css=CSS)
    return app
