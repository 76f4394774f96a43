"""Fixtures of the web tests: servers on free loopback ports around the real assistant, and private data dirs
holding a real index build (copied from the session's build, so no test re-embeds the corpus)."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from assistant.web.server import ThreadedServer, free_port
from assistant.web.settings import ServerSettings

ROOT = Path(__file__).resolve().parents[4]


def server_settings(**kw) -> ServerSettings:
    """ServerSettings for a test: nothing from the environment, the rate limit lifted unless asked."""
    kw.setdefault("rate_limit_per_minute", 0)
    kw.setdefault("session_secret", "test-secret-0123456789abcdef")
    return ServerSettings.model_validate(kw)  # validators run; env is not read by model_validate


@pytest.fixture(scope="session")
def serve(assistant):
    """``with serve(ui=False, allowed_origins=[...]) as srv:`` — a real server around the session's assistant."""

    @contextlib.contextmanager
    def _serve(*, ui: bool = False, assistant_=None, **kw):
        from assistant.web.app import create_app

        settings = server_settings(**kw)
        app = create_app(settings, assistant=assistant_ or assistant, ui=ui)
        with ThreadedServer(app, settings) as srv:
            srv.app = app
            yield srv

    return _serve


@pytest.fixture(scope="session")
def api(serve):
    """One shared API server (no chat UI) for the read-only tests."""
    with serve(allowed_origins=["http://intranet.example:8080", "http://*.corp.example"]) as srv:
        yield srv


@pytest.fixture()
def client(api):
    with httpx.Client(base_url=api.url, timeout=60) as c:
        yield c


def fresh_data_dir(src_settings, corpus, dest: Path) -> Path:
    """A private data dir holding a fresh build of ``corpus`` (the session's embedding cache copied in, so
    nothing is re-embedded: ~4 s) and a link to the session's model."""
    from index.settings import IndexSettings
    from index.stores.build import build_index, index_root

    (dest / "index").mkdir(parents=True)
    cache = index_root(src_settings) / "embeddings.npz"
    if cache.exists():
        shutil.copy2(cache, dest / "index" / "embeddings.npz")
    os.symlink(Path(src_settings.models_dir).resolve(), dest / "models")
    build_index(corpus, IndexSettings(data_dir=dest), progress=False)
    return dest


@pytest.fixture()
def private_data(settings, corpus, built_index, tmp_path):
    """A private data dir with its own build: tests may rebuild, corrupt or delete it."""
    return fresh_data_dir(settings, corpus, tmp_path / "data")


def wait_for(predicate, timeout: float, what: str, every: float = 0.2):
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(every)


class ServeProcess:
    """``regassist serve`` (``python -m assistant.web.cli serve``) as a subprocess on a free loopback port."""

    def __init__(self, env: dict[str, str], *args: str, log: Path):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        full = {k: v for k, v in os.environ.items() if not k.startswith("REGASSIST_")}
        full.update(
            PYTHONPATH=str(ROOT),
            GRADIO_ANALYTICS_ENABLED="False",
            ANONYMIZED_TELEMETRY="False",
            HF_HUB_OFFLINE="1",
            TRANSFORMERS_OFFLINE="1",
        )
        full.update(env)
        self.log = open(log, "wb")
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "assistant.web.cli",
                "serve",
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
                *args,
            ],
            env=full,
            cwd=str(log.parent),
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def ready(self, timeout: float = 120.0) -> dict:
        def check():
            if self.proc.poll() is not None:
                raise AssertionError(f"serve exited with {self.proc.returncode}: {self.tail()}")
            try:
                r = httpx.get(self.url + "/readyz", timeout=5)
            except httpx.HTTPError:
                return None
            return r.json() if r.status_code == 200 else None

        return wait_for(check, timeout, f"{self.url}/readyz")

    def tail(self) -> str:
        self.log.flush()
        return Path(self.log.name).read_text(errors="replace")[-2000:]

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        self.log.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


@pytest.fixture(scope="session")
def serve_dir():
    """``with serve_dir(data_dir, **server_settings) as srv:`` — a server that loads (and hot-swaps) the index of
    ``data_dir`` itself, as ``regassist serve`` does (``srv.engine`` is its engine)."""

    @contextlib.contextmanager
    def _serve(data_dir: Path, *, ui: bool = False, index: dict | None = None, **kw):
        from assistant.settings import AnswerSettings
        from assistant.web.app import create_app
        from index.settings import IndexSettings

        kw.setdefault("index_poll_seconds", 0.2)
        settings = server_settings(**kw)
        app = create_app(
            settings,
            index_settings=IndexSettings(data_dir=data_dir, **(index or {})),
            answer_settings=AnswerSettings(),
            ui=ui,
        )
        with ThreadedServer(app, settings) as srv:
            srv.engine = app.state.web.engine
            yield srv

    return _serve
