"""Scale-out on loopback: two stateless replicas (``regassist serve`` processes) sharing one ``chroma run`` server
and one build store. A conversation started on one replica continues on the other (its state travels in the
signed token, the replicas share only the secret), and a new build reaches both without a restart."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from assistant.web.server import free_port

from .conftest import ServeProcess, wait_for

pytestmark = pytest.mark.slow

SECRET = "scale-out-shared-secret-0123456789"


@pytest.fixture()
def chroma_url(tmp_path):
    exe = Path(sys.executable).parent / "chroma"
    exe = exe if exe.exists() else shutil.which("chroma")
    assert exe, "the chroma CLI ships with the chromadb package"
    port = free_port()
    log = open(tmp_path / "chroma.log", "wb")
    proc = subprocess.Popen(
        [str(exe), "run", "--path", str(tmp_path / "chroma-server"), "--host", "127.0.0.1", "--port", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"

    def up():
        if proc.poll() is not None:
            raise AssertionError("chroma run exited")
        try:
            return httpx.get(f"{url}/api/v2/heartbeat", timeout=1).status_code == 200
        except httpx.HTTPError:
            return False

    try:
        wait_for(up, 60, "chroma run", every=0.3)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def test_two_replicas_share_nothing_but_the_stores(settings, corpus, built_index, chroma_url, tmp_path):
    from index.settings import IndexSettings
    from index.stores.build import build_index, index_root

    data = tmp_path / "store"
    (data / "index").mkdir(parents=True)
    shutil.copy2(index_root(settings) / "embeddings.npz", data / "index" / "embeddings.npz")
    os.symlink(Path(settings.models_dir).resolve(), data / "models")
    shared = IndexSettings(data_dir=data, chroma_url=chroma_url)
    first = build_index(corpus, shared, progress=False)
    assert not first.noop and first.embedded == 0

    env = {
        "REGASSIST_DATA_DIR": str(data),
        "REGASSIST_CHROMA_URL": chroma_url,
        "REGASSIST_SESSION_SECRET": SECRET,
        "REGASSIST_UI": "false",
        "REGASSIST_INDEX_POLL_SECONDS": "0.5",
    }
    with ServeProcess(env, log=tmp_path / "a.log") as a, ServeProcess(env, log=tmp_path / "b.log") as b:
        assert a.ready()["build_id"] == b.ready()["build_id"] == first.build_id

        # a conversation started on A continues on B
        start = httpx.post(
            a.url + "/api/ask",
            json={"question": "Cơ quan nào chủ trì quản lý phóng viên nước ngoài ở Tuyên Quang?"},
            timeout=60,
        ).json()
        assert start["citations"] and {c["province"] for c in start["citations"]} == {"Tuyên Quang"}
        follow = httpx.post(
            b.url + "/api/ask",
            json={"question": "Còn Hưng Yên thì sao?", "session_id": start["session_id"]},
            timeout=60,
        ).json()
        assert any(w.startswith("follow-up understood as") for w in follow["warnings"])
        assert follow["citations"] and {c["document_id"] for c in follow["citations"]} == {"hung-yen-29-2019"}
        back = httpx.post(
            a.url + "/api/ask",
            json={"question": "Điều đó có còn hiệu lực không?", "session_id": follow["session_id"]},
            timeout=60,
        ).json()
        assert any(w.startswith("follow-up") for w in back["warnings"])
        assert {c["document_id"] for c in back["citations"]} <= {"hung-yen-29-2019"}

        # a new build reaches both replicas, without a restart
        time.sleep(1.1)  # build ids carry the second
        second = build_index(corpus, shared, progress=False, force=True)
        assert second.build_id != first.build_id
        for replica in (a, b):
            wait_for(
                lambda: httpx.get(replica.url + "/readyz", timeout=5).json().get("build_id") == second.build_id,
                60,
                f"{replica.url} on the new build",
            )
            r = httpx.post(
                replica.url + "/api/ask", json={"question": "Sở Tài chính Bắc Ninh có trách nhiệm gì?"}, timeout=60
            )
            assert r.status_code == 200 and r.json()["citations"]
        assert "Traceback" not in a.tail() + b.tail()
