"""The middlewares on a small real Starlette app (httpx's in-process ASGI transport; no server, no model)."""

from __future__ import annotations

import asyncio

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse
from starlette.routing import Mount, Route

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
    host_name,
)


async def whoami(request: Request):
    return JSONResponse(
        {
            "client": request.client.host if request.client else None,
            "scheme": request.url.scheme,
            "host": request.headers.get("host"),
            "xff": request.headers.get("x-forwarded-for"),
        }
    )


async def echo(request: Request):
    return JSONResponse({"n": len(await request.body())})


async def page(request: Request):
    return HTMLResponse("<p>hi</p>")


async def strict_page(request: Request):
    return HTMLResponse("<p>x</p>", headers={"Content-Security-Policy": "default-src 'none'"})


async def catch_all(request: Request):
    return PlainTextResponse("inner 404", status_code=404)


def build(**kw):
    inner = Starlette(routes=[Route("/{p:path}", catch_all, methods=["GET", "POST"])])
    app = Starlette(
        routes=[
            Route("/who", whoami),
            Route("/api/echo", echo, methods=["POST"]),
            Route("/page", page),
            Route("/strict", strict_page),
            Route("/admin/do", echo, methods=["POST"]),
            Mount("/", inner),
        ]
    )
    app.add_middleware(RouteGuard, router=app.router)
    app.add_middleware(
        Limits,
        default=1000,
        per_prefix={"/api/": 100},
        body_timeout=kw.get("body_timeout", 5.0),
        blocked=("/gradio_api/upload",),
        writes_only={"/gradio_api": {"/gradio_api/queue/join"}},
    )
    app.add_middleware(OriginGuard, policy=OriginPolicy(kw.get("origins", [])), strict_prefixes=("/admin",))
    app.add_middleware(SecurityHeaders, frame_ancestors=OriginPolicy(kw.get("origins", [])).frame_ancestors())
    app.add_middleware(HostGuard, policy=HostPolicy(kw.get("hosts", [])))
    app.add_middleware(PeerAddress, networks=kw.get("proxies", []))
    app.add_middleware(JSONErrors)
    return app


def client(app, peer="203.0.113.9") -> httpx.AsyncClient:
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app, client=(peer, 5000)), base_url="http://127.0.0.1:7860"
    )


def run(coro):
    return asyncio.run(coro)


def test_forwarded_headers_ignored_from_untrusted_peers():
    async def go():
        async with client(build()) as c:
            r = await c.get("/who", headers={"X-Forwarded-For": "10.9.9.9", "X-Forwarded-Proto": "https"})
            return r.json()

    data = run(go())
    assert data == {"client": "203.0.113.9", "scheme": "http", "host": "127.0.0.1:7860", "xff": None}


def test_forwarded_headers_from_a_trusted_proxy():
    import ipaddress

    app = build(proxies=[ipaddress.ip_network("10.0.0.0/8")], hosts=["public.example"])

    async def go():
        async with client(app, peer="10.0.0.2") as c:
            a = (
                await c.get(
                    "/who",
                    headers={
                        "X-Forwarded-For": "6.6.6.6, 198.51.100.7",
                        "X-Forwarded-Proto": "https",
                        "X-Forwarded-Host": "public.example",
                    },
                )
            ).json()
            b = (await c.get("/who", headers={"X-Forwarded-For": "198.51.100.7, 10.0.0.3"})).json()
            return a, b

    a, b = run(go())
    # the right-most untrusted address: what the client wrote on the left is not believed
    assert (
        a["client"] == "198.51.100.7" and a["scheme"] == "https" and a["host"] == "public.example" and a["xff"] is None
    )
    assert b["client"] == "198.51.100.7"


@pytest.mark.parametrize(
    "host,ok",
    [
        ("127.0.0.1:7860", True),
        ("localhost", True),
        ("[::1]:80", True),
        ("10.1.2.3", True),
        ("app.localhost", True),
        ("regassist.intranet", True),
        ("x.corp.example", True),
        ("evil.example", False),
        ("corp.example.evil.example", False),
        ("", False),
    ],
)
def test_host_allow_list(host, ok):
    assert HostPolicy(["regassist.intranet", "*.corp.example"]).allows(host) is ok
    assert host_name("Example.org:8080") == "example.org"


def test_host_guard_refuses_rebinding_before_work():
    async def go():
        async with client(build()) as c:
            return await c.get("/who", headers={"Host": "attacker.example"})

    r = run(go())
    assert r.status_code == 400 and r.json()["error"] == "host not allowed"


def test_security_headers():
    app = build(origins=["https://portal.example", "http://*.corp.example"])

    async def go():
        async with client(app) as c:
            return await c.get("/page"), await c.get("/strict"), await c.get("/who")

    html, strict, js = run(go())
    csp = html.headers["content-security-policy"]
    assert "frame-ancestors 'self' https://portal.example http://*.corp.example" in csp and "default-src 'self'" in csp
    assert html.headers["referrer-policy"] == "no-referrer" and "x-frame-options" not in html.headers
    assert strict.headers["content-security-policy"].startswith("default-src 'none'; frame-ancestors 'self'")
    assert js.headers["x-content-type-options"] == "nosniff" and "content-security-policy" not in js.headers

    async def alone():
        async with client(build()) as c:
            return await c.get("/page")

    assert run(alone()).headers["x-frame-options"] == "SAMEORIGIN"


def test_origins():
    app = build(origins=["https://portal.example"])

    async def go():
        async with client(app) as c:
            pre = {"Access-Control-Request-Method": "POST"}
            return [
                (await c.options("/api/echo", headers={"Origin": "https://evil.example", **pre})).status_code,
                (await c.post("/api/echo", content=b"x", headers={"Origin": "https://evil.example"})).status_code,
                (await c.post("/api/echo", content=b"x", headers={"Origin": "https://portal.example"})).status_code,
                (await c.post("/api/echo", content=b"x", headers={"Origin": "http://127.0.0.1:7860"})).status_code,
                (await c.post("/api/echo", content=b"x", headers={"Origin": "http://localhost:9999"})).status_code,
                (await c.post("/api/echo", content=b"x")).status_code,
                (await c.get("/who", headers={"Origin": "https://evil.example"})).status_code,
                (await c.post("/admin/do", content=b"x", headers={"Origin": "https://portal.example"})).status_code,
                (await c.post("/admin/do", content=b"x", headers={"Origin": "http://127.0.0.1:7860"})).status_code,
            ]

    assert run(go()) == [403, 403, 200, 200, 403, 200, 200, 403, 200]


def test_body_limits_blocked_paths_and_405():
    async def chunks(n):
        for _ in range(n):
            yield b"x" * 50

    async def go():
        async with client(build()) as c:
            return [
                (await c.post("/api/echo", content=b"x" * 100)).status_code,
                (await c.post("/api/echo", content=b"x" * 101)).status_code,
                (await c.post("/api/echo", content=chunks(3))).status_code,  # streamed, no Content-Length
                (await c.post("/other", content=b"x" * 1001)).status_code,
                (await c.post("/gradio_api/upload", content=b"x")).status_code,
                (await c.post("/gradio_api/queue/join", content=b"{}")).status_code,
                (await c.post("/gradio_api/run/predict", content=b"{}")).status_code,
                (await c.get("/gradio_api/queue/data")).status_code,
                (await c.get("/api/echo")).status_code,
                (await c.post("/api/echo", content=b"x", headers={"Content-Length": "abc"})).status_code,
            ]

    codes = run(go())
    assert codes == [200, 413, 413, 413, 404, 404, 404, 404, 405, 400]


def test_404_405_413_bodies_are_json():
    async def go():
        async with client(build()) as c:
            return await c.get("/nothing/here"), await c.get("/api/echo"), await c.post("/api/echo", content=b"x" * 101)

    nf, na, big = run(go())
    assert nf.json()["error"] == "inner 404" or nf.json()["error"] == "not found"
    assert na.json()["allowed"] == ["POST"] and na.headers["allow"] == "POST"
    assert big.json() == {"error": "request body too large (limit 100 bytes)", "limit_bytes": 100}


def test_slow_body_gets_408():
    async def slow():
        yield b"x"
        await asyncio.sleep(1.0)
        yield b"y"

    async def go():
        async with client(build(body_timeout=0.3)) as c:
            return await c.post("/api/echo", content=slow())

    r = run(go())
    assert r.status_code == 408 and "not received within 0.3 s" in r.json()["error"]
