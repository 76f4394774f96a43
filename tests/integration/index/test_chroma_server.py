"""The scale-out path: the same index built into, and queried from, a real ``chroma run`` server."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

pytestmark = pytest.mark.slow


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def chroma_server(tmp_path_factory):
    exe = Path(sys.executable).parent / "chroma"
    if not exe.exists():
        exe = shutil.which("chroma")
    assert exe, "the chroma CLI ships with the chromadb package"
    port = free_port()
    path = tmp_path_factory.mktemp("chroma-server")
    proc = subprocess.Popen(
        [str(exe), "run", "--path", str(path), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            if httpx.get(f"{url}/api/v2/heartbeat", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.3)
    else:
        proc.kill()
        pytest.fail("chroma run did not start")
    yield url
    proc.terminate()
    proc.wait(timeout=20)


def test_same_retrieval_on_a_chroma_server(corpus, settings, retriever, chroma_server, tmp_path):
    from index.retrieval.retriever import load_retriever
    from index.stores.build import build_index

    server_settings = settings.model_copy(update={"chroma_url": chroma_server, "data_dir": tmp_path})
    # reuse the embedding cache of the local build: nothing is embedded twice
    (tmp_path / "index").mkdir(parents=True)
    shutil.copy(Path(settings.data_dir) / "index" / "embeddings.npz", tmp_path / "index" / "embeddings.npz")
    report = build_index(corpus, server_settings, embedder=retriever.embedder, progress=False)
    assert not report.noop and report.embedded == 0
    remote = load_retriever(corpus, server_settings)
    assert remote.vectors.count() == report.vectors < report.nodes
    for q in [
        "Cơ quan nào chủ trì quản lý phóng viên nước ngoài ở Tuyên Quang?",
        "which agency leads foreign press management in Bac Ninh",
        "bac kan bao cao nam gui truoc ngay nao",
    ]:
        local_ids = [h.id for h in retriever.search(q).hits]
        remote_ids = [h.id for h in remote.search(q).hits]
        assert remote_ids == local_ids, q
    # a no-op rebuild against the server is a no-op
    assert build_index(corpus, server_settings, embedder=retriever.embedder, progress=False).noop
