"""The admin upload page (issue 10, "in the browser"): behind the admin token, size-capped, temporary files
cleaned, the preview before anything is written, and after confirming the index updated in the background
while the server keeps answering (no question fails meanwhile). A real document of ../shared/corpus-extra."""

from __future__ import annotations

import re
import threading
from pathlib import Path

import httpx
import pytest

from .conftest import wait_for

pytestmark = pytest.mark.slow

EXTRA = Path(__file__).resolve().parents[5] / "shared" / "corpus-extra"
TOKEN = "admin-token-for-tests-0123456789"
Q = "Sở Tài chính Bắc Ninh có trách nhiệm gì?"


def extra_file(name: str) -> Path:
    path = EXTRA / name
    if not path.exists():
        pytest.skip(f"{path} is absent (../shared/corpus-extra holds the real documents)")
    return path


def upload_id(html: str) -> str:
    m = re.search(r'name="upload" value="([^"]+)"', html)
    assert m, html[:500]
    return m.group(1)


def test_admin_is_off_without_a_token(client):
    r = client.get("/admin")
    assert r.status_code == 404 and "REGASSIST_ADMIN_TOKEN" in r.text
    assert client.post("/admin/upload", files={"file": ("a.txt", b"x")}).status_code == 404


def test_upload_preview_confirm_and_index_update_while_answering(serve_dir, private_data, tmp_path):
    source = extra_file("hai-phong-211-2025.txt")
    uploads = private_data / "uploads"
    with (
        serve_dir(private_data, admin_token=TOKEN, max_upload_bytes=2 * 1024 * 1024) as srv,
        httpx.Client(base_url=srv.url, timeout=60) as c,
    ):
        first = wait_for(lambda: c.get("/readyz").json().get("build_id"), 60, "the first build")
        documents_before = c.get("/readyz").json()["documents"]

        # refused clearly without the token
        assert "Mã quản trị" in c.get("/admin").text
        refused = c.post("/admin/upload", files={"file": (source.name, source.read_bytes(), "text/plain")})
        assert refused.status_code == 403 and "REGASSIST_ADMIN_TOKEN" in refused.text
        assert c.post("/admin/login", data={"token": "wrong-token-0123456789"}).status_code == 403
        assert (
            c.post(
                "/admin/upload", files={"file": ("x.txt", b"x")}, headers={"Authorization": "Bearer nope"}
            ).status_code
            == 403
        )
        # cross-origin posts to /admin are refused even with the token
        assert (
            c.post("/admin/login", data={"token": TOKEN}, headers={"Origin": "http://evil.example"}).status_code == 403
        )

        login = c.post("/admin/login", data={"token": TOKEN}, follow_redirects=False)
        assert login.status_code == 303 and "regassist_admin" in login.headers["set-cookie"].lower()
        cookie = login.headers["set-cookie"].lower()
        assert "httponly" in cookie and "samesite=strict" in cookie and "path=/admin" in cookie

        # a file with no text: the reader's clear message, nothing kept
        empty = c.post("/admin/upload", files={"file": ("empty.txt", b"", "text/plain")})
        assert empty.status_code == 400 and "empty.txt" in empty.text
        binary = c.post(
            "/admin/upload", files={"file": ("scan.pdf", b"%PDF-1.4\n" + bytes(range(256)) * 40, "application/pdf")}
        )
        assert binary.status_code == 400 and "scan.pdf" in binary.text
        too_big = c.post("/admin/upload", files={"file": ("big.txt", b"a" * (3 * 1024 * 1024), "text/plain")})
        assert too_big.status_code == 413
        assert not uploads.exists() or not any(uploads.iterdir())

        # preview: metadata and structure, nothing written to the corpus yet
        preview = c.post(
            "/admin/upload", files={"file": (source.name, source.read_bytes(), "text/plain")}, data={"doc_type": ""}
        )
        assert preview.status_code == 200, preview.text[:500]
        assert "211/2025/QĐ-UBND" in preview.text and "Xác nhận thêm văn bản" in preview.text
        assert "Cấu trúc" in preview.text and "<script" not in preview.text.lower()
        pending = upload_id(preview.text)
        assert len(list(uploads.iterdir())) == 1
        assert c.get("/readyz").json()["documents"] == documents_before

        # confirm while clients keep asking: the index is updated in the background, nothing fails
        failures: list[str] = []
        asked = [0]
        stop = threading.Event()

        def keep_asking():
            with httpx.Client(base_url=srv.url, timeout=60) as c2:
                while not stop.is_set():
                    r = c2.post("/api/ask", json={"question": Q})
                    if r.status_code != 200 or not r.json()["citations"]:
                        failures.append(f"{r.status_code} {r.text[:200]}")
                    asked[0] += 1

        threads = [threading.Thread(target=keep_asking) for _ in range(2)]
        for t in threads:
            t.start()
        try:
            done = c.post("/admin/confirm", data={"upload": pending}, follow_redirects=False)
            assert done.status_code == 303
            assert not any(uploads.iterdir())  # the temporary copy is gone
            job = wait_for(
                lambda: (lambda j: j if j and j[0]["state"] != "running" else None)(
                    c.get("/admin/jobs").json()["jobs"]
                ),
                120,
                "the index update",
            )[0]
            assert job["state"] == "done", job
            assert 0 < job["embedded"]  # incremental: only the new document's units were embedded
            wait_for(lambda: c.get("/readyz").json().get("build_id") == job["build_id"], 60, "the swap")
        finally:
            stop.set()
            for t in threads:
                t.join(60)
        assert not failures and asked[0] > 0
        ready = c.get("/readyz").json()
        assert ready["documents"] == documents_before + 1 and ready["build_id"] != first
        doc_id = job["reason"].split(" ", 1)[0]
        assert c.get(f"/documents/{doc_id}").status_code == 200
        assert doc_id in {d["id"] for d in c.get("/api/documents").json()}
        ans = c.post("/api/ask", json={"question": "Điều 1 của Quy chế quy định gì?", "document": doc_id}).json()
        assert ans["citations"] and {x["document_id"] for x in ans["citations"]} == {doc_id}
        page = c.get("/admin")
        assert "đang phục vụ" in page.text and job["build_id"] in page.text

        # the same number again needs "replace"
        again = c.post("/admin/upload", files={"file": (source.name, source.read_bytes(), "text/plain")})
        assert again.status_code == 200 and "Thay thế bản cũ" in again.text
        cancel = c.post("/admin/cancel", data={"upload": upload_id(again.text)}, follow_redirects=False)
        assert cancel.status_code == 303 and not any(uploads.iterdir())
