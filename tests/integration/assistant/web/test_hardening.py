"""The probe of a running server (issue 12), re-run as tests: each of the ten defects it found is closed —
a 4xx, a limit or a refusal — and the server is healthy afterwards. Real servers on free loopback ports, the
real assistant and index; every wait is bounded."""

from __future__ import annotations

import concurrent.futures
import io
import os
import shutil
import socket
import tempfile
import threading
import time
from pathlib import Path

import httpx
import psutil
import pytest

from .conftest import ServeProcess, wait_for

pytestmark = pytest.mark.slow

Q = "Sở Tài chính Bắc Ninh có trách nhiệm gì?"
MiB = 2**20


def not_ready_reason(c: httpx.Client, timeout: float = 60) -> str:
    return wait_for(
        lambda: (lambda r: r.get("status") == "not_ready" and r["reason"])(c.get("/readyz").json()),
        timeout,
        "not ready with a reason",
    )


def healthy(c: httpx.Client) -> None:
    assert c.get("/healthz").status_code == 200
    assert c.get("/readyz").json()["status"] == "ready"
    r = c.post("/api/ask", json={"question": Q})
    assert r.status_code == 200 and r.json()["citations"]


def gradio_files() -> set[Path]:
    root = Path(os.environ.get("GRADIO_TEMP_DIR") or Path(tempfile.gettempdir()) / "gradio")
    return set(root.rglob("*")) if root.exists() else set()


def chunks(total: int, size: int = MiB):
    block = b"a" * size
    sent = 0
    while sent < total:
        yield block
        sent += size


# 1. disk filled by anyone ------------------------------------------------------------------------
def test_1_no_file_upload_endpoint(serve):
    before = gradio_files()
    with serve(ui=True) as srv, httpx.Client(base_url=srv.url, timeout=60) as c:
        r = c.post(
            "/gradio_api/upload", files={"files": ("big.bin", io.BytesIO(b"a" * 20 * MiB), "application/octet-stream")}
        )
        assert r.status_code == 404 and r.json()["error"].startswith("not found")
        for path in (
            "/gradio_api/upload?upload_id=x",
            "/gradio_api/process_recording",
            "/gradio_api/run/predict",
            "/gradio_api/call/respond",
            "/gradio_api/api/respond",
            "/gradio_api/vibe-code",
            "/login",
        ):
            assert c.post(path, content=b"{}", headers={"content-type": "application/json"}).status_code == 404, path
        assert c.get("/gradio_api/info").status_code == 404
        healthy(c)
    assert gradio_files() - before == set()


# 2. memory exhausted by large bodies -------------------------------------------------------------
def test_2_every_route_has_a_body_limit_and_memory_stays_flat(serve):
    me = psutil.Process()
    with serve(ui=True) as srv, httpx.Client(base_url=srv.url, timeout=120) as c:
        healthy(c)
        big = 33 * MiB
        announced = c.post("/gradio_api/queue/join", content=b"a" * big, headers={"content-type": "application/json"})
        assert announced.status_code == 413 and announced.json()["limit_bytes"] == 1024 * 1024
        del announced
        c.post("/gradio_api/queue/join", content=chunks(2 * MiB), headers={"content-type": "application/json"})
        rss0 = me.memory_info().rss  # client and server share this process: the client streams one reused 1 MiB block

        def streamed(_):
            with httpx.Client(base_url=srv.url, timeout=120) as c2:
                return c2.post(
                    "/gradio_api/queue/join", content=chunks(big), headers={"content-type": "application/json"}
                )

        with concurrent.futures.ThreadPoolExecutor(4) as pool:
            codes = [r.status_code for r in pool.map(streamed, range(4))]
        assert codes == [413] * 4
        for path in ("/gradio_api/queue/join", "/gradio_api/cancel", "/gradio_api/reset", "/api/ask"):
            r = c.post(path, content=chunks(3 * MiB), headers={"content-type": "application/json"})
            assert r.status_code == 413, path
        grown = (me.memory_info().rss - rss0) / MiB
        assert grown < 64, f"the server grew {grown:.0f} MiB on refused bodies"  # unguarded: +575 MiB
        healthy(c)


# 3. rate limit bypassed with X-Forwarded-For ------------------------------------------------------
def test_3_rate_limit_keyed_on_the_real_peer(serve):
    with serve(rate_limit_per_minute=5) as srv, httpx.Client(base_url=srv.url, timeout=60) as c:
        codes = [
            c.post("/api/ask", json={"question": Q}, headers={"X-Forwarded-For": f"10.0.{i}.{i}"}).status_code
            for i in range(12)
        ]
        assert codes == [200] * 5 + [429] * 7  # the probe got 300 of 300 through
        assert c.get("/readyz").status_code == 200
    # behind a proxy named in the settings, the forwarded client is the key (one bucket per real client)
    with (
        serve(rate_limit_per_minute=2, trusted_proxies=["127.0.0.1"]) as srv,
        httpx.Client(base_url=srv.url, timeout=60) as c,
    ):
        per_client = [
            [
                c.post("/api/ask", json={"question": Q}, headers={"X-Forwarded-For": f"198.51.100.{i}"}).status_code
                for _ in range(3)
            ]
            for i in range(3)
        ]
        assert per_client == [[200, 200, 429]] * 3


# 4. a broken index looks healthy ----------------------------------------------------------------
def test_4a_no_index_is_not_ready_with_the_reason(serve_dir, tmp_path, corpus):
    data = tmp_path / "empty"
    data.mkdir()
    with serve_dir(data) as srv, httpx.Client(base_url=srv.url, timeout=60) as c:
        ready = not_ready_reason(c)
        r = c.get("/readyz")
        assert r.status_code == 503 and r.json()["status"] == "not_ready" and "regassist index build" in ready
        assert c.get("/healthz").status_code == 200  # alive, says why it is not ready
        ask = c.post("/api/ask", json={"question": Q})
        assert ask.status_code == 503 and "no index built yet" in ask.json()["error"] and ask.headers["retry-after"]
        assert c.get("/documents").status_code == 200  # pages need no index


def test_4b_a_corrupted_build_is_refused_and_the_good_one_kept(serve_dir, private_data, corpus):
    root = private_data / "index"
    good = (root / "CURRENT").read_text().strip()
    bad = root / "builds" / ("zz-corrupt-" + good)
    shutil.copytree(root / "builds" / good, bad)
    bm25 = bad / "bm25.json"
    bm25.write_bytes(bm25.read_bytes()[: bm25.stat().st_size // 2])  # truncated: still a file, wrong content
    with serve_dir(private_data) as srv, httpx.Client(base_url=srv.url, timeout=60) as c:
        wait_for(lambda: c.get("/readyz").status_code == 200, 60, "the good build")
        (root / "CURRENT").write_text(bad.name)
        status = wait_for(lambda: c.get("/readyz").json().get("refused_build"), 60, "the refusal")
        assert status["build_id"] == bad.name and "bm25.json does not match its checksum" in status["reason"]
        r = c.get("/readyz").json()
        assert r["status"] == "ready" and r["build_id"] == good  # the previous good build is kept
        healthy(c)
    # the same corrupted build as the only one: not ready, with the reason, never a generic 500
    with serve_dir(private_data) as srv, httpx.Client(base_url=srv.url, timeout=60) as c:
        reason = not_ready_reason(c)
        assert c.get("/readyz").status_code == 503 and "checksum" in reason
        ask = c.post("/api/ask", json={"question": Q})
        assert ask.status_code == 503 and "checksum" in ask.json()["error"]


def test_4c_a_missing_model_is_not_ready_with_the_reason(serve_dir, private_data):
    with (
        serve_dir(private_data, index={"embedder_path": private_data / "no-such-model"}) as srv,
        httpx.Client(base_url=srv.url, timeout=60) as c,
    ):
        reason = not_ready_reason(c)
        assert c.get("/readyz").status_code == 503 and "no-such-model" in reason
        assert c.post("/api/ask", json={"question": Q}).status_code == 503


# 5. the natural form of a setting crashed serve ----------------------------------------------------
def test_5_comma_separated_origins_start_the_server(private_data, tmp_path):
    env = {
        "REGASSIST_DATA_DIR": str(private_data),
        "REGASSIST_ALLOWED_ORIGINS": "http://intranet.example:8080, http://b.example",
        "REGASSIST_UI": "false",
    }
    with ServeProcess(env, log=tmp_path / "serve.log") as srv:
        assert srv.ready()["status"] == "ready"
        pre = httpx.options(
            srv.url + "/api/ask", headers={"Origin": "http://b.example", "Access-Control-Request-Method": "POST"}
        )
        assert pre.status_code == 200 and pre.headers["access-control-allow-origin"] == "http://b.example"
        assert "Traceback" not in srv.tail()


# 6. a JSON key with a lone surrogate → 500 that echoed the key ---------------------------------------
def test_6_lone_surrogate_key_is_a_422_without_echo(client):
    r = client.post(
        "/api/ask", content=b'{"\\ud800<b>key</b>": 1, "question": "x"}', headers={"content-type": "application/json"}
    )
    assert r.status_code == 422 and "key" not in r.text and "surrogate" in r.json()["error"]
    healthy(client)


# 7. conversations could be hijacked ------------------------------------------------------------------
def test_7_nobody_continues_someone_elses_conversation(client):
    secret = "Cơ quan nào chủ trì quản lý phóng viên nước ngoài ở Tuyên Quang?"
    victim = client.post("/api/ask", json={"question": secret}).json()
    token = victim["session_id"]
    assert token and victim["citations"]
    from itsdangerous import URLSafeTimedSerializer

    forged = URLSafeTimedSerializer("not-the-server-secret-0123456789", salt="regassist-conversation").dumps(
        {
            "c": {
                "turns": [
                    {"question": secret, "resolved": secret, "documents": ["tuyen-quang-10-2018"], "provinces": []}
                ]
            }
        }
    )
    payload, _, sig = token.rpartition(".")
    tampered = payload[:-1] + ("A" if payload[-1] != "A" else "B") + "." + sig
    for attempt in ("api-follow-1", victim["session_id"][:40], tampered, forged):
        r = client.post("/api/ask", json={"question": "Còn Hưng Yên thì sao?", "session_id": attempt})
        assert r.status_code == 200
        data = r.json()
        assert secret not in r.text and "Tuyên Quang" not in " ".join(data["warnings"])
        assert not any("follow-up" in w for w in data["warnings"]) and any(
            "not recognised" in w for w in data["warnings"]
        )
        assert data["session_id"] != token
    # the owner of the token continues
    own = client.post("/api/ask", json={"question": "Còn Hưng Yên thì sao?", "session_id": token}).json()
    assert any("follow-up" in w for w in own["warnings"])


# 8. every local port allowed, no Host check, framing by anyone --------------------------------------
def test_8_defaults_deny_cross_origin_rebinding_and_framing(serve):
    with serve(ui=True) as srv, httpx.Client(base_url=srv.url, timeout=60) as c:
        other_port = "http://127.0.0.1:1"
        assert c.post("/api/ask", json={"question": Q}, headers={"Origin": other_port}).status_code == 403
        assert c.post("/api/ask", json={"question": Q}, headers={"Origin": "http://localhost:5173"}).status_code == 403
        rebind = c.get("/", headers={"Host": "attacker.example"})
        assert rebind.status_code == 400 and rebind.json()["error"] == "host not allowed"
        assert (
            c.post("/api/ask", json={"question": Q}, headers={"Host": f"attacker.example:{srv.port}"}).status_code
            == 400
        )
        page = c.get("/")
        assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
        csp = page.headers["content-security-policy"]
        assert "frame-ancestors 'self'" in csp and page.headers["x-frame-options"] == "SAMEORIGIN"
        assert page.headers["referrer-policy"] == "no-referrer" and page.headers["x-content-type-options"] == "nosniff"
        healthy(c)
    with (
        serve(ui=True, allowed_origins=["https://portal.example"]) as srv,
        httpx.Client(base_url=srv.url, timeout=60) as c,
    ):
        assert "frame-ancestors 'self' https://portal.example" in c.get("/").headers["content-security-policy"]
        assert "frame-ancestors 'self' https://portal.example" in c.get("/documents").headers["content-security-policy"]


# 9. a new build is never picked up; two builds at once crash -----------------------------------------
def test_9_new_build_swapped_in_without_restart_while_answering(serve_dir, private_data, corpus):
    from index.settings import IndexSettings
    from index.stores.build import build_index

    settings = IndexSettings(data_dir=private_data)
    # the control client opens a connection per request: idle on a keep-alive connection through the builds, a
    # request could cross the server's keep-alive close on a loaded machine (reset by peer, not retried by httpx)
    with (
        serve_dir(private_data) as srv,
        httpx.Client(base_url=srv.url, timeout=60, headers={"Connection": "close"}) as c,
    ):
        first = wait_for(lambda: c.get("/readyz").json().get("build_id"), 60, "the first build")
        failures: list[str] = []
        answered = [0]
        stop = threading.Event()

        def load():
            with httpx.Client(base_url=srv.url, timeout=60) as c2:
                while not stop.is_set():
                    r = c2.post("/api/ask", json={"question": Q})
                    if r.status_code != 200 or not r.json()["citations"]:
                        failures.append(f"{r.status_code} {r.text[:200]}")
                    answered[0] += 1

        threads = [threading.Thread(target=load) for _ in range(3)]
        for t in threads:
            t.start()
        try:
            time.sleep(1.1)  # build ids carry the second: never two in one second
            # two builds at once: the second waits for the first (file lock), neither crashes
            with concurrent.futures.ThreadPoolExecutor(2) as pool:
                reports = list(pool.map(lambda _: build_index(corpus, settings, force=True, progress=False), range(2)))
            assert {r.noop for r in reports} == {False}
            newest = max(r.build_id for r in reports)
            wait_for(lambda: c.get("/readyz").json().get("build_id") == newest, 60, "the swap")
            time.sleep(0.5)
        finally:
            stop.set()
            for t in threads:
                t.join(60)
        assert not failures and answered[0] > 0
        status = c.get("/readyz").json()
        assert status["swaps"] >= 1 and status["build_id"] != first
        assert not (private_data / "index" / "builds" / first).exists()  # old builds are pruned (two kept)
        healthy(c)
        # the served build deleted and nothing else: not ready, with the reason (it kept serving a deleted build)
        shutil.rmtree(private_data / "index" / "builds")
        reason = not_ready_reason(c)
        assert "was deleted" in reason and c.post("/api/ask", json={"question": Q}).status_code == 503


# 10. one global lock, unbounded slow clients ---------------------------------------------------------
def test_10_answers_run_in_parallel(serve, assistant):
    with serve() as srv, httpx.Client(base_url=srv.url, timeout=60) as c:
        questions = [Q, "Bắc Kạn: báo cáo năm gửi trước ngày nào?", "Quyết định 68/2025 có hiệu lực từ ngày nào?"] * 8
        with concurrent.futures.ThreadPoolExecutor(12) as pool:
            codes = list(pool.map(lambda q: c.post("/api/ask", json={"question": q}).status_code, questions))
        assert codes == [200] * len(questions)
        assert c.get("/readyz").json()["peak_inflight"] >= 2  # one lock around every answer allowed exactly 1


def _raw(port: int) -> socket.socket:
    s = socket.create_connection(("127.0.0.1", port), timeout=10)
    s.settimeout(10)
    return s


def _read_all(s: socket.socket) -> bytes:
    out = b""
    while True:
        try:
            chunk = s.recv(65536)
        except (ConnectionResetError, TimeoutError, socket.timeout):
            break
        if not chunk:
            break
        out += chunk
    return out


def test_10_slow_clients_are_cut_off(serve):
    with serve(header_timeout=1.0, body_timeout=1.0) as srv:
        t0 = time.monotonic()
        s = _raw(srv.port)
        s.sendall(b"POST /api/ask HTTP/1.1\r\nHost: 127.0.0.1\r\n")  # headers never finished
        assert _read_all(s) == b"" and time.monotonic() - t0 < 5  # closed after ~1 s
        s.close()
        idle = _raw(srv.port)  # connected, nothing sent
        t0 = time.monotonic()
        assert _read_all(idle) == b"" and time.monotonic() - t0 < 5
        idle.close()
        s = _raw(srv.port)
        s.sendall(
            b"POST /api/ask HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            b'Content-Length: 100\r\n\r\n{"question": '
        )  # body never finished
        reply = _read_all(s)
        s.close()
        assert reply.startswith(b"HTTP/1.1 408") and b"not received within 1 s" in reply
        with httpx.Client(base_url=srv.url, timeout=60) as c:
            healthy(c)
