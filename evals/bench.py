"""``make bench`` (``python -m evals.bench``): speed and memory figures in one table, bounded (< 10 min), loopback only.

1. cold index build into a fresh temporary data dir (empty embedding cache; the already-built e5 model is reused
   through ``REGASSIST_EMBEDDER_PATH`` and loaded once beforehand, its load time is shown apart; its phases
   shown), then the no-op rebuild; then both again as a user runs them: ``regassist index build`` in a new
   process (imports and model load included) into another fresh data dir, wall time;
2. a serving process: ``regassist serve`` as a subprocess on a free 127.0.0.1 port with ``REGASSIST_DATA_DIR`` of
   the index built in step 1, wait for ``/healthz``, one warm-up ``POST /api/ask``, then the load run
   (``--clients`` concurrent clients × ``--seconds`` s of ``POST /api/ask`` with dev questions: throughput,
   p50/p95, errors) while its RSS is sampled with psutil; peak RSS = max(samples, the kernel's VmHWM).
   The server's rate limit is lifted for the run (``REGASSIST_RATE_LIMIT_PER_MINUTE``), as the load comes from
   one client address;
3. warm retrieval (``HybridRetriever.search``, k = top_k) and answer (``Assistant.ask``) latency p50/p95 over the
   dev questions (single turns, after a short warm-up of 5 questions);
4. the baselines of ``evals.baselines`` in the same run: build time and search latency, and their ratio to the
   hybrid retriever's (the llama-index one only if at least 150 s of the budget are left). Hybrid search, answer
   and every baseline are timed question by question in turn, so that other load on the machine hits all alike.

Phases that would overrun ``--budget`` are skipped and say so. Figures depend on what else runs on the machine.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from evals.metrics import percentile
from evals.tables import render

BUDGET_S = 540.0  # stop starting new phases after this (the whole run stays < 10 min)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _pct(samples: list[float]) -> tuple[float | None, float | None]:
    return percentile(samples, 50), percentile(samples, 95)


def _ratio(a: float | None, b: float | None) -> str:
    if not a or not b:
        return "n/a"
    r = a / b
    return f"{r:.2f}×" if r >= 0.1 else f"{r:.4f}× (1/{b / a:.0f})"


def _peak_rss(pid: int) -> int | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    except OSError:
        return None
    return None


def _rss_tree(proc) -> int:
    import psutil

    total = 0
    for p in [proc] + proc.children(recursive=True):
        try:
            total += p.memory_info().rss
        except psutil.Error:
            pass
    return total


class Bench:
    def __init__(self, args):
        self.args = args
        self.t0 = time.perf_counter()
        self.rows: list[list[str]] = []
        self.data: dict = {}
        self.notes: list[str] = []
        self._cleanup: list[Path] = []

    def left(self) -> float:
        return self.args.budget - (time.perf_counter() - self.t0)

    def row(self, key: str, value, shown: str, note: str = "") -> None:
        self.data[key] = value
        self.rows.append([key, shown, note])

    # ------------------------------------------------------------------------------------------
    def run(self) -> int:
        from assistant.schemas import AskRequest
        from assistant.service import Assistant
        from assistant.settings import AnswerSettings
        from corpus.ingest import build_full_corpus
        from evals.gold import load_gold
        from index.embedding.factory import load_embedder
        from index.retrieval.retriever import HybridRetriever
        from index.settings import IndexSettings
        from index.stores.build import build_index

        base = IndexSettings()
        load = os.getloadavg()
        self.row(
            "machine",
            {"cpus": os.cpu_count(), "loadavg_start": load},
            f"{os.cpu_count()} CPUs, load {load[0]:.1f}",
            "1-min load average at start (other processes skew latencies)",
        )
        t = time.perf_counter()
        embedder = load_embedder(base)
        self.row(
            "model load (e5, already built)",
            time.perf_counter() - t,
            f"{time.perf_counter() - t:.1f} s",
            str(embedder.path),
        )

        tmp = Path(tempfile.mkdtemp(prefix="regassist-bench-"))
        try:
            settings = IndexSettings(
                data_dir=tmp,
                embedder_path=embedder.path,
                embedder_threads=base.embedder_threads,
                embedder_int8=base.embedder_int8,
            )
            corpus = build_full_corpus(tmp)
            cold = build_index(corpus, settings, embedder=embedder, progress=False)
            phases = ", ".join(f"{k} {v:.1f} s" for k, v in cold.timings.items())
            self.row(
                "cold index build",
                cold.seconds,
                f"{cold.seconds:.1f} s",
                f"in process, model loaded; {cold.nodes} nodes, {cold.vectors} vectors, {cold.embedded} embedded, "
                f"empty cache ({phases})",
            )
            noop = build_index(corpus, settings, embedder=embedder, progress=False)
            self.row("no-op rebuild", noop.seconds, f"{noop.seconds * 1000:.0f} ms", f"in process; noop={noop.noop}")
            self.cli_builds(embedder.path)
            serve_dir = self.extra_corpus(settings, embedder) or tmp

            questions = [q.question for q in load_gold("dev")]
            # the serving run first: it matters most and the bench process is idle while it runs
            if not self.args.no_serve and self.left() > self.args.seconds + 120:
                self.serve(serve_dir, embedder.path, questions)
            elif not self.args.no_serve:
                self.notes.append("serving/load run skipped: time budget")

            retriever = HybridRetriever(corpus, settings, embedder=embedder, build_path=cold.path)
            assistant = Assistant(corpus, retriever, AnswerSettings())
            built = [] if self.args.no_baselines else self.build_baselines(corpus, retriever, embedder, cold.seconds)
            k = settings.top_k
            for q in questions[:5]:  # warm-up
                retriever.search(q, k=k)
                assistant.ask(AskRequest(question=q))
                for b in built:
                    b.search(q, k)
            search_ms: list[float] = []
            ask_ms: list[float] = []
            base_ms: dict[str, list[float]] = {b.name: [] for b in built}
            for q in questions:  # interleaved, so that load from other processes hits every system alike
                if self.left() < 20:
                    self.notes.append(f"warm latencies measured on {len(search_ms)} questions only: time budget")
                    break
                t = time.perf_counter()
                retriever.search(q, k=k)
                search_ms.append((time.perf_counter() - t) * 1000)
                t = time.perf_counter()
                assistant.ask(AskRequest(question=q))
                ask_ms.append((time.perf_counter() - t) * 1000)
                for b in built:
                    t = time.perf_counter()
                    b.search(q, k)
                    base_ms[b.name].append((time.perf_counter() - t) * 1000)
            p50, p95 = _pct(search_ms)
            self.row(
                "retrieval latency warm (hybrid)",
                {"p50": p50, "p95": p95},
                f"p50 {p50:.0f} ms / p95 {p95:.0f} ms",
                f"{len(search_ms)} dev questions, k={k}",
            )
            a50, a95 = _pct(ask_ms)
            self.row(
                "answer latency warm (in process)",
                {"p50": a50, "p95": a95},
                f"p50 {a50:.0f} ms / p95 {a95:.0f} ms",
                f"{len(ask_ms)} dev questions, single turns",
            )
            for b in built:
                b50, b95 = _pct(base_ms[b.name])
                self.row(
                    f"baseline {b.name}: search warm",
                    {"p50": b50, "p95": b95},
                    f"p50 {b50:.1f} ms / p95 {b95:.1f} ms",
                    f"{_ratio(b50, p50)} / {_ratio(b95, p95)} the hybrid retriever's p50 / p95",
                )
        finally:
            for path in [tmp, *self._cleanup]:
                shutil.rmtree(path, ignore_errors=True)
        self.row(
            "bench wall time",
            time.perf_counter() - self.t0,
            f"{time.perf_counter() - self.t0:.0f} s",
            f"load average at end {os.getloadavg()[0]:.1f}",
        )
        return 0

    def extra_corpus(self, settings, embedder) -> Path | None:
        """Adding real documents: one document with many articles added to the built index of step 1
        (incremental: only its units are embedded), then the shipped corpus + all of ../shared/corpus-extra built
        cold into a fresh data dir, which the serving run then uses (so its RSS is the larger corpus's)."""
        from corpus.ingest import add_file, build_full_corpus
        from evals.extra_corpus import DEFAULT_EXTRA, extra_files
        from index.stores.build import build_index

        files = extra_files(DEFAULT_EXTRA) if DEFAULT_EXTRA.is_dir() else []
        if not files or self.left() < 200:
            self.notes.append(
                "corpus-extra phases skipped: " + ("../shared/corpus-extra absent" if not files else "time budget")
            )
            return None

        def articles(path: Path) -> int:
            import re

            return len(re.findall(r"(?m)^\W{0,3}Điều\s*\n?\s*\d+", path.read_text(encoding="utf-8")))

        one = max(files, key=articles)
        t = time.perf_counter()
        add_file(one, data_dir=settings.data_dir, overrides={"id": one.stem})
        report = build_index(build_full_corpus(settings.data_dir), settings, embedder=embedder, progress=False)
        secs = time.perf_counter() - t
        self.row(
            "add one document to a built index",
            secs,
            f"{secs:.1f} s",
            f"{one.stem} ({articles(one)} Điều): read + add + incremental build, {report.embedded} texts embedded "
            f"(its units only), {report.vectors} vectors now",
        )
        big = Path(tempfile.mkdtemp(prefix="regassist-bench-extra-"))
        self._cleanup.append(big)
        for path in files:
            add_file(path, data_dir=big, overrides={"id": path.stem})
        big_settings = settings.model_copy(update={"data_dir": big})
        t = time.perf_counter()
        corpus = build_full_corpus(big)
        full = build_index(corpus, big_settings, embedder=embedder, progress=False)
        secs = time.perf_counter() - t
        self.row(
            "cold build, shipped + corpus-extra",
            secs,
            f"{secs:.1f} s",
            f"{len(corpus.documents)} documents, {full.nodes} nodes, {full.vectors} vectors, empty cache",
        )
        return big

    def cli_builds(self, model_dir: Path) -> None:
        """``regassist index build`` as a user runs it: a new process (imports, model load, corpus, build)
        into a fresh data dir with an empty embedding cache, then again (the no-op); wall times."""
        if self.left() < 120:
            self.notes.append("CLI builds skipped: time budget")
            return
        data = Path(tempfile.mkdtemp(prefix="regassist-bench-cli-"))
        env = {**os.environ, "REGASSIST_DATA_DIR": str(data), "REGASSIST_EMBEDDER_PATH": str(model_dir)}
        cmd = [sys.executable, "-m", "assistant.cli", "index", "build"]
        try:
            for key, what in [
                ("cold index build (CLI)", "new process, empty cache"),
                ("no-op rebuild (CLI)", "new process, nothing changed"),
            ]:
                t = time.perf_counter()
                proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300)
                secs = time.perf_counter() - t
                if proc.returncode != 0:
                    self.notes.append(f"{key} failed: {proc.stderr.strip()[-300:]}")
                    return
                self.row(
                    key,
                    secs,
                    f"{secs:.1f} s",
                    f"`regassist index build` wall time, {what}: "
                    + proc.stdout.strip().splitlines()[-1].split(" -> ")[0],
                )
        finally:
            shutil.rmtree(data, ignore_errors=True)

    def build_baselines(self, corpus, retriever, embedder, cold_s: float) -> list:
        from evals.baselines import BM25Baseline, DenseBaseline, LlamaIndexBaseline

        out = []
        t = time.perf_counter()
        out.append(BM25Baseline(corpus, retriever.lexical))
        self.row(
            "baseline bm25: build",
            time.perf_counter() - t,
            f"{time.perf_counter() - t:.1f} s",
            "reuses the build's bm25.json",
        )
        t = time.perf_counter()
        out.append(DenseBaseline(corpus, retriever.vectors, embedder, retriever.manifest.ids))
        self.row(
            "baseline dense: build",
            time.perf_counter() - t,
            f"{time.perf_counter() - t:.1f} s",
            "reuses the build's Chroma collection",
        )
        if self.left() > 150:
            t = time.perf_counter()
            li = LlamaIndexBaseline(corpus, embedder)
            secs = time.perf_counter() - t
            self.row(
                "baseline llama-index: build",
                secs,
                f"{secs:.1f} s",
                f"{_ratio(secs, cold_s)} the cold hybrid build; {li.chunks} chunks of 1024 tokens embedded",
            )
            out.append(li)
        else:
            self.notes.append("llama-index baseline skipped: time budget")
        return out

    def serve(self, data_dir: Path, model_dir: Path, questions: list[str]) -> None:
        import httpx
        import psutil

        port = _free_port()
        url = f"http://127.0.0.1:{port}"
        env = dict(
            os.environ,
            REGASSIST_DATA_DIR=str(data_dir),
            REGASSIST_EMBEDDER_PATH=str(model_dir),
            REGASSIST_RATE_LIMIT_PER_MINUTE=str(10**7),
            REGASSIST_HOST="127.0.0.1",
            REGASSIST_PORT=str(port),
            HF_HUB_OFFLINE="1",
            TRANSFORMERS_OFFLINE="1",
            ANONYMIZED_TELEMETRY="False",
            GRADIO_ANALYTICS_ENABLED="False",
        )
        log = open(data_dir / "serve.log", "wb")
        t = time.perf_counter()
        server = subprocess.Popen(
            [sys.executable, "-m", "assistant.cli", "serve", "--host", "127.0.0.1", "--port", str(port)],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        proc = psutil.Process(server.pid)
        try:
            with httpx.Client(base_url=url, timeout=5.0) as c:
                deadline = time.perf_counter() + 120
                while True:
                    if server.poll() is not None:
                        raise RuntimeError(f"server exited with {server.returncode} (see serve.log)")
                    try:
                        if c.get("/healthz").status_code == 200:
                            break
                    except httpx.HTTPError:
                        pass
                    if time.perf_counter() > deadline:
                        raise RuntimeError("server not healthy within 120 s")
                    time.sleep(0.25)
            healthy = time.perf_counter() - t
            self.row("server start → /healthz", healthy, f"{healthy:.1f} s", "python -m assistant.cli serve")
            with httpx.Client(base_url=url, timeout=120.0) as c:
                body = c.get("/healthz").json()
                if "assistant_loaded" in body:  # the API warms the models up in the background
                    deadline = time.perf_counter() + 180
                    while not c.get("/healthz").json().get("assistant_loaded") and time.perf_counter() < deadline:
                        time.sleep(0.25)
                    ready = time.perf_counter() - t
                    self.row("server start → models loaded", ready, f"{ready:.1f} s", "/healthz assistant_loaded")
                t1 = time.perf_counter()
                r = c.post("/api/ask", json={"question": questions[0]})
                first = time.perf_counter() - t1
                r.raise_for_status()
            self.row("first answer of the server", first, f"{first:.1f} s", "after /healthz (and warm-up, if any)")
            idle = _rss_tree(proc)
            self.row("server RSS after warm-up", idle, f"{idle / 2**20:.0f} MiB")

            samples: list[int] = []
            stop = threading.Event()

            def sample():
                while not stop.is_set():
                    samples.append(_rss_tree(proc))
                    stop.wait(0.2)

            sampler = threading.Thread(target=sample, daemon=True)
            sampler.start()
            lat: list[float] = []
            errors: list[str] = []
            lock = threading.Lock()
            end = time.perf_counter() + self.args.seconds

            def client(n: int):
                i = n
                with httpx.Client(base_url=url, timeout=30.0) as c:
                    while time.perf_counter() < end:
                        q = questions[i % len(questions)]
                        i += self.args.clients
                        t2 = time.perf_counter()
                        try:
                            resp = c.post("/api/ask", json={"question": q})
                            ok = resp.status_code == 200
                            err = None if ok else f"HTTP {resp.status_code}"
                        except httpx.HTTPError as exc:
                            ok, err = False, type(exc).__name__
                        dt = (time.perf_counter() - t2) * 1000
                        with lock:
                            if ok:
                                lat.append(dt)
                            else:
                                errors.append(err)

            t3 = time.perf_counter()
            threads = [threading.Thread(target=client, args=(n,)) for n in range(self.args.clients)]
            for th in threads:
                th.start()
            for th in threads:
                th.join(timeout=self.args.seconds + 60)
            elapsed = time.perf_counter() - t3
            stop.set()
            sampler.join(timeout=2)
            peak = max(samples + [_peak_rss(server.pid) or 0])
            p50, p95 = _pct(lat)
            self.row(
                "load run",
                {"clients": self.args.clients, "seconds": round(elapsed, 1), "ok": len(lat), "errors": len(errors)},
                f"{self.args.clients} clients × {self.args.seconds:.0f} s",
                f"POST {url}/api/ask, dev questions",
            )
            self.row("  throughput", len(lat) / elapsed if elapsed else None, f"{len(lat) / elapsed:.1f} answers/s")
            self.row(
                "  latency under load",
                {"p50": p50, "p95": p95},
                f"p50 {p50:.0f} ms / p95 {p95:.0f} ms" if lat else "n/a",
            )
            kinds = sorted({e for e in errors})
            self.row("  errors", len(errors), f"{len(errors)}", ", ".join(kinds))
            self.row("peak RSS of the serving process", peak, f"{peak / 2**20:.0f} MiB", "max(psutil samples, VmHWM)")
        except Exception as exc:
            self.notes.append(f"serving run failed: {type(exc).__name__}: {exc}")
            try:
                tail = (data_dir / "serve.log").read_text(errors="replace").strip().splitlines()[-5:]
                self.notes.extend(f"  serve.log: {line}" for line in tail)
            except OSError:
                pass
        finally:
            server.terminate()
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait(timeout=5)
            log.close()

    def print(self) -> None:
        if self.args.json:
            print(json.dumps({"figures": self.data, "notes": self.notes}, ensure_ascii=False, indent=1, default=str))
            return
        print(render(["measure", "value", "note"], self.rows, align_left=1))
        for n in self.notes:
            print(f"* {n}")


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
    p = argparse.ArgumentParser(prog="python -m evals.bench", description=__doc__.splitlines()[0])
    p.add_argument("--clients", type=int, default=8)
    p.add_argument("--seconds", type=float, default=30.0)
    p.add_argument("--budget", type=float, default=BUDGET_S, help="seconds after which no new phase starts")
    p.add_argument("--no-baselines", action="store_true")
    p.add_argument("--no-serve", action="store_true")
    p.add_argument("--json", action="store_true")
    args = p.parse_args(argv)
    bench = Bench(args)
    code = bench.run()
    bench.print()
    return code


if __name__ == "__main__":
    sys.exit(main())
