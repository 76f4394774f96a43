"""The app factory: FastAPI JSON API + document pages + widget script, the Gradio chat mounted at ``/``.

``regassist serve`` runs ``uvicorn assistant.web.app:create_app --factory`` (settings from the environment,
read here, at the entry point); tests call ``create_app(ServerSettings(...), assistant=...)``.

Errors are JSON ``{"error": ..., ...}`` with a 4xx/5xx status, never a stack trace; the middlewares
(``assistant.web.middleware``) cover the mounted Gradio app too.
"""

from __future__ import annotations

import contextlib
import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.cors import CORSMiddleware

from assistant.web.backend import AnswerSettings, Engine, IndexSettings, NotReady
from assistant.web.balance import BalanceConnections
from assistant.web.context import WebContext
from assistant.web.middleware import (
    HostGuard,
    HostPolicy,
    JSONErrors,
    Limits,
    OriginGuard,
    OriginPolicy,
    PeerAddress,
    RouteGuard,
    SecurityHeaders,
)
from assistant.web.responses import InputError, SafeJSONResponse, error_response, input_error_response
from assistant.web.routes import api_router, page_router
from assistant.web.settings import ServerSettings, load_server_settings

log = logging.getLogger("regassist.web")

ADMIN_PREFIX = "/admin"
# Gradio endpoints this product does not use are answered 404: the chat writes only through its queue (join,
# cancel, reset); file upload (a probe stored 20 MB from an origin-less client in 49 ms), recording, streams,
# the REST/"call" API of events, the vibe editor, login and monitoring are closed
GRADIO_WRITES = {"/gradio_api": {"/gradio_api/queue/join", "/gradio_api/cancel", "/gradio_api/reset"}}
BLOCKED = (
    "/gradio_api/upload",
    "/upload",
    "/gradio_api/mcp",
    "/gradio_api/info",
    "/gradio_api/api/",
    "/gradio_api/run/",
    "/gradio_api/call/",
    "/gradio_api/stream/",
    "/gradio_api/process_recording",
    "/login",
    "/logout",
    "/monitoring",
)


def machine_names() -> list[str]:
    import socket

    names = {socket.gethostname().lower()}
    try:
        names.add(socket.getfqdn().lower())
    except OSError:
        pass
    return sorted(n for n in names if n)


def create_app(
    settings: ServerSettings | None = None,
    *,
    assistant=None,
    engine: Engine | None = None,
    index_settings: IndexSettings | None = None,
    answer_settings: AnswerSettings | None = None,
    ui: bool | None = None,
) -> FastAPI:
    """The whole web app. Without ``engine``/``assistant`` the index and model load in the background
    after start-up (``/readyz`` tells when) and new builds are swapped in as they appear."""
    settings = settings or load_server_settings()
    if engine is None:
        if assistant is not None:
            engine = Engine(
                index_settings or assistant.retriever.settings,
                answer_settings or assistant.settings,
                assistant=assistant,
                poll_seconds=settings.index_poll_seconds,
            )
        else:
            engine = Engine(
                index_settings or IndexSettings(),
                answer_settings or AnswerSettings(),
                poll_seconds=settings.index_poll_seconds,
            )
    ctx = WebContext(settings, engine)

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI):
        if ctx.codec.ephemeral and settings.workers > 1:
            log.warning("no REGASSIST_SESSION_SECRET: conversations cannot continue across workers or replicas")
        engine.start()
        try:
            yield
        finally:
            engine.stop()

    app = FastAPI(
        title="regassist",
        version="0.3.0",
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
        default_response_class=SafeJSONResponse,
        description="Cited answers about Vietnamese provincial regulations and plans: every citation "
        "resolves to a unit of the corpus and its quote is verbatim.",
    )
    app.state.web = ctx

    @app.exception_handler(InputError)
    async def _input(request: Request, exc: InputError):
        return input_error_response(exc)

    @app.exception_handler(NotReady)
    async def _not_ready(request: Request, exc: NotReady):
        return error_response(503, f"not ready: {exc}", headers={"Retry-After": "10"}, state="not_ready")

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError):
        errors = [{"loc": [str(x) for x in err.get("loc", [])], "msg": err.get("msg", "")} for err in exc.errors()]
        return error_response(422, "invalid request", details=errors)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException):
        return error_response(exc.status_code, str(exc.detail), headers=getattr(exc, "headers", None))

    @app.exception_handler(Exception)
    async def _crash(request: Request, exc: Exception):
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return error_response(500, "internal error")

    app.include_router(api_router(ctx))
    app.include_router(page_router(ctx, app))
    from assistant.web.admin import admin_router, disabled_router

    app.include_router(
        admin_router(ctx) if settings.admin_token is not None else disabled_router(), prefix=ADMIN_PREFIX
    )

    # ---- middlewares (last added = outermost) ----------------------------------------------------
    origins = OriginPolicy(settings.allowed_origins)
    app.add_middleware(RouteGuard, router=app.router)
    app.add_middleware(
        Limits,
        default=settings.max_ui_body_bytes,
        body_timeout=settings.body_timeout,
        blocked=BLOCKED,
        writes_only=GRADIO_WRITES,
        per_prefix={"/api/": settings.max_body_bytes, f"{ADMIN_PREFIX}/upload": settings.max_upload_bytes},
    )
    app.add_middleware(
        CORSMiddleware,
        allow_origins=sorted(origins.exact) if not origins.any else ["*"],
        allow_origin_regex=origins.regex(),
        allow_credentials=False,
        allow_methods=["GET", "POST", "OPTIONS"],
        allow_headers=["Content-Type"],
        expose_headers=["Retry-After"],
        max_age=600,
    )
    app.add_middleware(OriginGuard, policy=origins, strict_prefixes=(ADMIN_PREFIX,))
    app.add_middleware(SecurityHeaders, frame_ancestors=origins.frame_ancestors())
    app.add_middleware(HostGuard, policy=HostPolicy([*settings.allowed_hosts, *machine_names(), settings.host]))
    app.add_middleware(PeerAddress, networks=settings.proxy_networks)
    app.add_middleware(JSONErrors)
    app.add_middleware(BalanceConnections)  # several workers: a worker holding too many connections sheds one

    if settings.ui if ui is None else ui:
        from assistant.web.chat_ui import mount_chat

        mount_chat(app, ctx)
    return app
