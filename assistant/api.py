"""FastAPI application: JSON API (errors are JSON, never a stack trace)."""

from __future__ import annotations

from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from assistant.schemas import Answer, AskRequest


def create_app(assistant=None) -> FastAPI:
    app = FastAPI(title="regassist", version="0.1.0",
                  description="Cited answers about Vietnamese provincial regulations and plans")
    state = {"assistant": assistant}

    def get():
        if state["assistant"] is None:
            from assistant.service import get_assistant

            state["assistant"] = get_assistant()
        return state["assistant"]

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError):
        errors = [{"loc": list(e.get("loc", [])), "msg": e.get("msg", "")} for e in exc.errors()]
        return JSONResponse(status_code=422, content={"error": "invalid request", "details": errors})

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException):
        return JSONResponse(status_code=exc.status_code, content={"error": str(exc.detail)})

    @app.exception_handler(Exception)
    async def _crash(request: Request, exc: Exception):
        return JSONResponse(status_code=500, content={"error": "internal error"})

    @app.get("/healthz")
    def healthz():
        return {"status": "ok"}

    @app.post("/api/ask", response_model=Answer)
    def ask(req: AskRequest):
        from assistant.service import UnknownFilterError

        try:
            return get().ask(req)
        except UnknownFilterError as exc:
            raise HTTPException(status_code=400, detail=str(exc)) from None

    @app.get("/api/documents")
    def documents():
        from assistant.cli import doc_summary

        return [doc_summary(d) for d in get().corpus.documents.values()]

    @app.get("/api/documents/{doc_id}")
    def document(doc_id: str):
        doc = get().corpus.get(doc_id)
        if doc is None:
            raise HTTPException(status_code=404, detail=f"unknown document '{doc_id}'")
        return doc.model_dump(mode="json")

    return app
