"""``python -m evals.load``: the serving bench (concurrency × workers) and the soak with index rebuilds.

Bench: for each worker count (``--workers 1,2``) ``regassist serve --workers W`` is started as a subprocess on a
free 127.0.0.1 port (rate limit off, everything else as served: chat UI mounted), every worker is waited for on
``/readyz`` (each reports its pid), 20 warm-up questions are asked, then for each client count (``--clients
1,8,32``) that many concurrent clients (one asyncio event loop, one keep-alive connection each, a minimal
HTTP/1.1 client so that the load generator steals little CPU from the server on a small machine) post the dev
gold questions in turn for ``--seconds`` seconds. Reported per run: answers/s, latency p50/p95/p99 of the
answered questions, errors by kind, the peak RSS of every worker process (sampled every 0.5 s), the CPU seconds
each worker used (how evenly connections were spread: with uvicorn's one shared socket 8 connections opened at
once could all land on one worker; ``serve`` now gives each its own ``SO_REUSEPORT`` socket) and the 1-minute
load average when the run started (other work on the machine steals CPU: trust figures taken below ~0.8).

``--reference`` first runs the same client counts against one worker answering one question at a time
(``REGASSIST_ANSWER_THREADS=1``: the global lock the server once held around every answer, ONNX on every core as
then) and prints each later run's answers/s as a multiple of it. 2026-11-30, quiet machine (load 0.8), 20 s per
point: the reference made 55.3 / 53.1 answers/s at 8 / 32 clients (p95 169 / 696 ms) — the "~50–55 answers/s"
ceiling the probe found; 2 workers made 84.3 / 91.8 (p95 122 / 397 ms), 1.52× / 1.73× the reference, no errors.
Two more runs that day: reference 52.9 / 48.7, 2 workers 81.5 / 85.2 (1.54× / 1.75×, p95 129 ms at 8 clients); and
in ``make bench`` (1, 8, 32 clients) reference 55.6 / 56.2 / 54.7, 2 workers 45.5 / 88.6 / 89.0 (0.82× / 1.58× /
1.63×, p95 114 ms at 8 clients), 1 worker with 8 answer threads 53.3 / 73.4 / 71.1. 0 errors in every run.

Soak (``--soak SECONDS``): ``--soak-clients`` clients for that long against ``--soak-workers`` workers while
``regassist index build --force`` runs every ``--rebuild-every`` seconds in a separate process; reported:
answers, failed queries (any non-200), the build ids every worker served (each new build must reach all) with its
RSS when it first served each, and RSS per worker at start, end and peak with its slope per hour.

Everything binds 127.0.0.1; every loop is bounded by its duration plus a grace period. Uses the index of
``--data-dir`` (default: the configured data dir), which must be built.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx
import psutil

from evals.gold import load_gold
from evals.metrics import percentile

ROOT = Path(__file__).absolute().parents[1]
MiB = 2**20


def free_port() -> int:
    from assistant.web.server import free_port as _free_port

    return _free_port()


class Server:
    """``python -m assistant.web.cli serve --workers W`` on a free loopback port."""

    def __init__(self, data_dir: Path, workers: int, log: Path, extra_env: dict[str, str] | None = None):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.workers = workers
        env = dict(
            os.environ,
            REGASSIST_DATA_DIR=str(data_dir),
            REGASSIST_RATE_LIMIT_PER_MINUTE="0",
            REGASSIST_LOG_LEVEL="warning",
            HF_HUB_OFFLINE="1",
            TRANSFORMERS_OFFLINE="1",
            ANONYMIZED_TELEMETRY="False",
            GRADIO_ANALYTICS_ENABLED="False",
            PYTHONPATH=str(ROOT),
        )
        env.update(extra_env or {})
        self.log = open(log, "ab")
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
                "--workers",
                str(workers),
            ],
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.t0 = time.perf_counter()

    def wait_ready(self, timeout: float = 240.0) -> dict[int, dict]:
        """Every worker's /readyz (keyed by pid)."""
        seen: dict[int, dict] = {}
        deadline = time.perf_counter() + timeout
        with httpx.Client(base_url=self.url, timeout=5) as c:
            while len(seen) < self.workers:
                if self.proc.poll() is not None:
                    raise RuntimeError(f"serve exited with {self.proc.returncode}")
                if time.perf_counter() > deadline:
                    raise RuntimeError(f"{len(seen)} of {self.workers} workers ready after {timeout:.0f} s")
                try:
                    r = c.get("/readyz", headers={"Connection": "close"})
                    if r.status_code == 200:
                        seen[r.json()["worker"]] = r.json()
                    elif r.json().get("status") == "not_ready":
                        raise RuntimeError(f"the server is not ready: {r.json().get('reason')}")
                except httpx.HTTPError:
                    pass
                time.sleep(0.1)
        return seen

    def worker_processes(self) -> list[psutil.Process]:
        try:
            root = psutil.Process(self.proc.pid)
            kids = root.children(recursive=True)
        except psutil.NoSuchProcess:
            return []
        # one worker: the process itself serves; several: the supervisor's children serve (spawn helpers are tiny)
        serving = [p for p in kids if _rss(p) > 100 * MiB]
        return serving or [root]

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        self.log.close()


def _rss(p: psutil.Process) -> int:
    try:
        return p.memory_info().rss
    except psutil.Error:
        return 0


def _cpu(p: psutil.Process) -> float:
    try:
        t = p.cpu_times()
        return t.user + t.system
    except psutil.Error:
        return 0.0


class RssSampler:
    """RSS of every worker every ``every`` seconds, and the CPU seconds each used meanwhile (how evenly the
    workers share the load)."""

    def __init__(self, server: Server, every: float = 0.5):
        self.server, self.every = server, every
        self.samples: dict[int, list[tuple[float, int]]] = {}
        self.cpu: dict[int, tuple[float, float]] = {}  # pid -> (first, last) CPU seconds seen
        self.stop_event = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)

    def run(self) -> None:
        t0 = time.perf_counter()
        while not self.stop_event.is_set():
            for p in self.server.worker_processes():
                self.samples.setdefault(p.pid, []).append((time.perf_counter() - t0, _rss(p)))
                cpu = _cpu(p)
                self.cpu[p.pid] = (self.cpu.get(p.pid, (cpu, cpu))[0], cpu)
            self.stop_event.wait(self.every)

    def cpu_seconds(self) -> list[float]:
        return [round(last - first, 1) for first, last in self.cpu.values()]

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stop_event.set()
        self.thread.join(5)

    def peaks(self) -> list[int]:
        return [max(r for _, r in s) for s in self.samples.values() if s]


class Connection:
    """One keep-alive HTTP/1.1 connection posting JSON (the bench's client: a few dozen lines of asyncio instead
    of a full HTTP client, so that the load generator, which shares the machine's cores with the server, costs
    little CPU; the client CPU is reported with every run)."""

    def __init__(self, host: str, port: int):
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def post(self, path: str, payload: dict) -> tuple[int, bytes]:
        if self.writer is None or self.writer.is_closing():
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        assert self.reader is not None
        body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
        head = (
            f"POST {path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\n\r\n"
        ).encode("ascii")
        self.writer.write(head + body)
        status_line = await self.reader.readline()
        if not status_line:
            raise ConnectionError("connection closed")
        status = int(status_line.split()[1])
        length, close = 0, False
        while (line := await self.reader.readline()) not in (b"\r\n", b""):
            name, _, value = line.decode("latin-1").partition(":")
            if name.lower() == "content-length":
                length = int(value)
            elif name.lower() == "connection" and "close" in value.lower():
                close = True
        data = await self.reader.readexactly(length)
        if close:
            await self.close()
        return status, data

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            self.writer = None


async def _load(url: str, questions: list[str], clients: int, seconds: float) -> tuple[list[float], list[str], float]:
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    latencies: list[float] = []
    errors: list[str] = []
    end = time.perf_counter() + seconds

    async def one(n: int) -> None:
        conn = Connection(parts.hostname or "127.0.0.1", parts.port or 80)
        i = n
        try:
            while time.perf_counter() < end:
                q = questions[i % len(questions)]
                i += clients
                t = time.perf_counter()
                try:
                    status, _ = await asyncio.wait_for(conn.post("/api/ask", {"question": q}), timeout=60)
                    if status == 200:
                        latencies.append((time.perf_counter() - t) * 1000)
                    else:
                        errors.append(f"HTTP {status}")
                except (OSError, ValueError, IndexError, asyncio.TimeoutError, asyncio.IncompleteReadError) as exc:
                    errors.append(type(exc).__name__)
                    await conn.close()
        finally:
            await conn.close()

    t0 = time.perf_counter()
    await asyncio.wait_for(asyncio.gather(*(one(n) for n in range(clients))), timeout=seconds + 120)
    return latencies, errors, time.perf_counter() - t0


def run_load(url: str, questions: list[str], clients: int, seconds: float) -> dict:
    load_1min = os.getloadavg()[0]  # other work on the machine steals CPU from the server: reported with the figures
    cpu = time.process_time()
    latencies, errors, elapsed = asyncio.run(_load(url, questions, clients, seconds))
    cpu = time.process_time() - cpu
    kinds: dict[str, int] = {}
    for e in errors:
        kinds[e] = kinds.get(e, 0) + 1
    return {
        "clients": clients,
        "seconds": round(elapsed, 1),
        "answers": len(latencies),
        "answers_per_s": round(len(latencies) / elapsed, 1) if elapsed else 0.0,
        "p50_ms": _r(percentile(latencies, 50)),
        "p95_ms": _r(percentile(latencies, 95)),
        "p99_ms": _r(percentile(latencies, 99)),
        "errors": len(errors),
        "error_kinds": kinds,
        "client_cpu_ms_per_answer": _r(cpu * 1000 / max(1, len(latencies))),
        "load_1min_at_start": round(load_1min, 2),
    }


def _r(v: float | None) -> float | None:
    return None if v is None else round(v, 1)


def dev_questions() -> list[str]:
    return [q.question for q in load_gold("dev") if not q.history]


# The ceiling the concurrency work is measured against, taken in the same run on the same machine: one worker
# answering one question at a time (``answer_threads`` 1 = the global lock the server once held around every
# answer), its ONNX session on every core as then.
REFERENCE_ENV = {"REGASSIST_ANSWER_THREADS": "1"}


def bench(args, data_dir: Path, log: Path) -> list[dict]:
    questions = dev_questions()
    rows = []
    runs: list[tuple[int, dict[str, str] | None]] = [(w, None) for w in args.workers]
    if args.reference:
        runs.insert(0, (1, REFERENCE_ENV))
    for workers, extra_env in runs:
        server = Server(data_dir, workers, log, extra_env)
        try:
            ready = server.wait_ready()
            start_s = time.perf_counter() - server.t0
            with httpx.Client(base_url=server.url, timeout=60) as c:
                for q in questions[:20]:
                    c.post("/api/ask", json={"question": q}).raise_for_status()
            for clients in args.clients:
                with RssSampler(server) as rss:
                    row = run_load(server.url, questions, clients, args.seconds)
                row.update(
                    workers=workers,
                    reference=extra_env is not None,
                    rss_per_worker_mib=[round(p / MiB) for p in sorted(rss.peaks())],
                    cpu_s_per_worker=sorted(rss.cpu_seconds()),
                    ready_s=round(start_s, 1),
                    build_id=next(iter(ready.values()))["build_id"],
                )
                rows.append(row)
                print(_line(row), flush=True)
        finally:
            server.stop()
    for line in ratios(rows):
        print(line, flush=True)
    return rows


def ratios(rows: list[dict]) -> list[str]:
    """Each row's answers/s against the reference (one worker, one answer at a time) at the same client count."""
    ref = {r["clients"]: r["answers_per_s"] for r in rows if r.get("reference")}
    out = []
    for r in rows:
        base = ref.get(r["clients"])
        if base and not r.get("reference"):
            r["x_reference"] = round(r["answers_per_s"] / base, 2)
            out.append(f"workers {r['workers']}  clients {r['clients']:>2}  {r['x_reference']:.2f}x the reference")
    return out


def _line(row: dict) -> str:
    return (
        f"{'reference ' if row.get('reference') else ''}workers {row['workers']}  clients {row['clients']:>2}  "
        f"{row['answers_per_s']:>6.1f} answers/s  "
        f"p50 {row['p50_ms']} ms  p95 {row['p95_ms']} ms  p99 {row['p99_ms']} ms  errors {row['errors']}  "
        f"RSS/worker {row['rss_per_worker_mib']} MiB  CPU s/worker {row.get('cpu_s_per_worker', 'n/a')}  "
        f"client CPU {row.get('client_cpu_ms_per_answer')} ms/answer  load {row.get('load_1min_at_start')}"
    )


def soak(args, data_dir: Path, log: Path) -> dict:
    questions = dev_questions()
    server = Server(data_dir, args.soak_workers, log)
    builds: list[dict] = []
    served: dict[int, list[str]] = {}
    rss_at_swap: dict[int, list[int | None]] = {}  # a worker's RSS (MiB) when it was first seen on each build
    stop = threading.Event()

    def rebuild_loop() -> None:
        env = dict(
            os.environ,
            REGASSIST_DATA_DIR=str(data_dir),
            PYTHONPATH=str(ROOT),
            HF_HUB_OFFLINE="1",
            TRANSFORMERS_OFFLINE="1",
            ANONYMIZED_TELEMETRY="False",
        )
        while not stop.wait(args.rebuild_every):
            t = time.perf_counter()
            run = subprocess.run(
                [sys.executable, "-m", "assistant.cli", "index", "build", "--force", "--quiet"],
                env=env,
                capture_output=True,
                text=True,
                timeout=600,
            )
            builds.append(
                {
                    "at_s": round(time.perf_counter() - t0, 1),
                    "seconds": round(time.perf_counter() - t, 1),
                    "returncode": run.returncode,
                    "out": (run.stdout or run.stderr).strip()[-300:],
                }
            )

    def watch_builds() -> None:
        with httpx.Client(base_url=server.url, timeout=5) as c:
            while not stop.wait(1.0):
                try:
                    r = c.get("/readyz", headers={"Connection": "close"}).json()
                except (httpx.HTTPError, ValueError):
                    continue
                ids = served.setdefault(r.get("worker", 0), [])
                if r.get("build_id") and (not ids or ids[-1] != r["build_id"]):
                    ids.append(r["build_id"])
                    try:
                        rss = round(psutil.Process(r["worker"]).memory_info().rss / MiB)
                    except (psutil.Error, KeyError, TypeError):
                        rss = None
                    rss_at_swap.setdefault(r.get("worker", 0), []).append(rss)

    try:
        server.wait_ready()
        t0 = time.perf_counter()
        threads = [
            threading.Thread(target=rebuild_loop, daemon=True),
            threading.Thread(target=watch_builds, daemon=True),
        ]
        for t in threads:
            t.start()
        with RssSampler(server, every=5.0) as rss:
            row = run_load(server.url, questions, args.soak_clients, args.soak)
        stop.set()
        for t in threads:
            t.join(timeout=660)
    finally:
        stop.set()
        server.stop()
    memory = {}
    for pid, samples in rss.samples.items():
        if len(samples) < 2:
            continue
        first, last = samples[0], samples[-1]
        warm = [r for t, r in samples if t >= min(60.0, samples[-1][0] / 4)] or [last[1]]
        slope = (last[1] - warm[0]) / MiB / max(1e-9, (last[0] - min(60.0, samples[-1][0] / 4))) * 3600
        memory[pid] = {
            "start_mib": round(first[1] / MiB),
            "after_warmup_mib": round(warm[0] / MiB),
            "end_mib": round(last[1] / MiB),
            "peak_mib": round(max(r for _, r in samples) / MiB),
            "slope_mib_per_h": round(slope, 1),
            "series_mib_every_30s": [round(r / MiB) for t, r in samples if int(t) % 30 < 5],
        }
    return {
        "load": row,
        "workers": args.soak_workers,
        "rebuilds": builds,
        "builds_served_per_worker": served,
        "rss_mib_when_each_build_was_first_served": rss_at_swap,
        "rss": memory,
    }


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m evals.load", description=__doc__.split("\n\n")[0])
    p.add_argument("--clients", default="1,8,32", help="client counts, comma-separated")
    p.add_argument("--workers", default="1,2", help="worker counts, comma-separated")
    p.add_argument("--seconds", type=float, default=20.0, help="duration of each load run")
    p.add_argument("--data-dir", type=Path, help="data dir with a built index (default: the configured one)")
    p.add_argument("--soak", type=float, default=0.0, help="soak duration in seconds (0: no soak)")
    p.add_argument("--soak-clients", type=int, default=8)
    p.add_argument("--soak-workers", type=int, default=2)
    p.add_argument("--rebuild-every", type=float, default=120.0)
    p.add_argument("--no-bench", action="store_true", help="only the soak")
    p.add_argument(
        "--reference",
        action="store_true",
        help="first measure one worker answering one question at a time (the old global lock) and print ratios",
    )
    p.add_argument("--json", type=Path, help="write the figures as JSON here")
    p.add_argument("--url", help="bench a server already running there instead (no RSS figures)")
    args = p.parse_args(argv)
    args.clients = [int(x) for x in args.clients.split(",") if x]
    args.workers = [int(x) for x in args.workers.split(",") if x]
    if args.data_dir is None:
        from index.settings import IndexSettings

        args.data_dir = Path(IndexSettings().data_dir)
    data_dir = args.data_dir.resolve()
    if not (data_dir / "index" / "CURRENT").exists():
        print(f"no index built in {data_dir}: run `regassist index build` first", file=sys.stderr)
        return 2
    if args.url:
        questions = dev_questions()
        for clients in args.clients:
            row = run_load(args.url.rstrip("/"), questions, clients, args.seconds)
            print(_line({**row, "workers": "?", "rss_per_worker_mib": "n/a"}), flush=True)
        return 0
    log = Path(tempfile.gettempdir()) / f"regassist-load-{os.getpid()}.log"
    load = [round(x, 2) for x in os.getloadavg()]
    print(f"machine: {os.cpu_count()} cores, load average {load}; data dir {data_dir}; server log {log}", flush=True)
    out: dict = {"cpu_count": os.cpu_count(), "load_average_at_start": load}
    if not args.no_bench:
        out["bench"] = bench(args, data_dir, log)
    if args.soak > 0:
        out["soak"] = soak(args, data_dir, log)
        print(json.dumps(out["soak"], ensure_ascii=False, indent=2), flush=True)
    if args.json:
        args.json.write_text(json.dumps(out, ensure_ascii=False, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
