"""The web layer's one door to the rest of regassist: what is served, how it is replaced, what it answers.

Every import of another package's behaviour (the assistant service, corpus ingest, the index build, retriever
and settings) is in this module, so a rename elsewhere is one edit here; the renderers (``pages``, ``render``)
read only the data contracts (``corpus.model``, ``assistant.schemas``).

:class:`Engine` holds the *generation* being served — a corpus, an index build and the assistant over them —
and replaces it without a restart:

* Readiness tells the truth (``status()`` → ``/readyz``): ``starting`` while the first build loads,
  ``ready`` with the build id and document count, ``not_ready`` with the reason (no build yet, a missing
  model, a corrupted build, the served build deleted). Questions then get a 503 with that reason, never a
  generic 500; ``/healthz`` (liveness) stays 200.
* A background thread polls ``<data_dir>/index/CURRENT`` (``index_poll_seconds``, 2 s by default: one small
  read). A new build is opened next to the old one: checksums verified (``verify_build`` in the retriever),
  every node id resolved in a freshly read corpus (an added document comes with its build), the embedder it
  was built with checked, one question answered end to end — and only then swapped in, atomically (one
  reference). Questions in flight finish on the generation they started on; the old one is released (its
  Chroma client closed) when the last of them is done. A build that fails these checks is refused with a
  clear message in ``/readyz`` and the server keeps the build it has; the same build is tried again only
  when it changes or after 30 s.
* No global lock: the retriever and assistant are read-only after construction (the ONNX runtime guards its
  own session), conversations travel with the client (``assistant.web.sessions``), so questions run in
  parallel threads, at most ``answer_threads`` at once (8: 2, 4 and 8 measured at 32 clients × 2 workers,
  57–75 / 76–77 / 78–80 answers/s). With one lock around every answer the probe measured ~50–55 answers/s
  and p95 growing linearly with clients; ``python -m evals.load`` on this 2-core machine (shared, load
  average 2.6–3.6) measured 48–50 answers/s for that baseline and, now, at 8 clients 70 (1 worker) / 85
  (2 workers) answers/s with p95 129 / 139 ms, at 32 clients 68 / 79 answers/s, no errors.
  Measured again on a quiet machine (load average 0.41 at the start; eval corpus; ``python -m evals.load
  --workers 1,2 --clients 1,8,32 --seconds 20``): 1 worker 43.4 / 55.9 / 57.3 answers/s (p95 30 / 177 /
  630 ms), 2 workers 35.1 / 65.3 / 67.3 (p95 39 / 209 / 652 ms), no errors, RSS 743–754 MiB per worker. The
  two workers used 19.6 + 19.7 CPU-s of the 40 available at 32 clients: the cores are saturated, at ~30 ms of
  CPU per answer (25 ms answered in process, one thread; cProfile puts ~46 % of ``Assistant.reply`` in
  ``corpus.validity.applicable_versions``, which rebuilds its index of relations on every call). The web
  layer's own share is ≤1 ms (conversation token 0.66, answer dump and JSON 0.25 ms measured on a busy machine;
  the routing middlewares a few µs). After the relation index was shared per answer date and ``fold`` memoised
  (in process: answer p50 24.5 -> 15.5 ms): 1 worker 52.4 / 75.7 / 75.9 answers/s at 1 / 8 / 32 clients (p95
  26 / 123 / 455 ms), 2 workers 43.2 / 83.1 / 82.8 (p95 32 / 120 / 473 ms); repeated 2-worker runs gave 79.7–89.5
  answers/s at 8 clients (p95 120–153 ms) and 81.7–87.7 at 32, load average 0.5–2.4 at the start.
  2026-11-30, after the understanding work of that day (English spelling, restored diacritics, a 775-pattern
  glossary; answer in process p50 16 ms): 2 workers, seven runs back to back, 78.1–83.5 answers/s at 8 clients
  (p95 127–172 ms) and 79.7–85.5 at 32, no errors, 782–791 MiB per worker. An A/B of 1 against 2 ONNX threads
  per worker (``serve --workers 2`` already gives each 1) showed only noise (±3 answers/s, ±20 ms p95); batching
  the concurrent queries' embeddings would not help on one thread (12.2 ms a query alone, 13.2–13.4 in batches
  of 4–8). The e5 query embedding is ~8 of the ~23 ms of CPU a served answer costs.

Memory across swaps. A retired generation is released when its last question is done: its Chroma system
stopped (``_release_vectors``: Chroma caches a system per store for the life of the process), the assistant
dropped, the heap trimmed. What else a swap left behind was measured in process (the eval corpus, 8 threads
answering the dev questions without pause, ``regassist index build --force`` in a subprocess, the engine's
watcher swapping the build in): the Python objects (``gc.get_objects``: 207,843–207,859 after every swap),
the traced Python memory (tracemalloc: 22.8–24.0 MiB), threads (25–27), open files and mappings (123) and
glibc's memory *in use* (``mallinfo2``: 433–437 MiB) were flat, while RSS grew +5.4 MiB per swap, linearly
over 12 swaps (683 → 751 MiB), exactly as the *free* memory held in malloc's arenas (64 → 129 MiB). Nothing
was retained: each generation's transient blocks (bm25.json's 2.9 MB text and its 276,714 token strings,
Chroma's Rust store, the corpus indexes) were carved out of per-thread arenas — glibc's default mmap threshold
rises to the largest block freed so far, and makes up to 8 arenas per core — around blocks that live on, and
``malloc_trim`` cannot return the holes. Two changes: the serving process runs glibc with 2 arenas and a
fixed mmap threshold (``assistant.web.server.tune_allocator``, applied by :meth:`Engine.start`; ``serve
--workers N`` gives it to the workers in the environment), and a loaded BM25 index shares one interned string
per distinct token (``index.stores.bm25``: 20.4 → 8.6 MiB held per generation, 6.0 MiB for the next one).
With a 128 KiB threshold the free memory in the arenas stayed 33–46 MiB and RSS was flat from the 4th swap
(690–695 MiB over swaps 4–14; the allocator alone: 700–705 MiB over swaps 11–20), but every question's larger
numpy temporaries were mapped and unmapped: 58.6 answers/s at 32 clients × 2 workers against 68.1. With 1 MiB
(kept): 68.3 answers/s, and RSS 689 → 697 MiB over the first 4 swaps, then 698–701 MiB over swaps 4–12 (slope
over the second half 0.05 MiB per swap). The 10-minute soak (``python -m evals.load --soak 600 --soak-clients 8
--soak-workers 2 --rebuild-every 120``, eval corpus): 38,933 answers, 0 failed, p95 165 ms; 4 rebuilds, each
reaching both workers; RSS per worker 711–712 MiB at start, 744–746 after warm-up, +16–18 MiB at the first
swap (two generations alive at once sets the high-water mark), +4 at the second, then flat: 768–772 MiB over
the last 5 minutes (peaks 775–776); RSS when each worker first served builds 2–5: 758/759/756/758 and
773/767/770 MiB (before: ~+4 MiB per swap, the whole soak long).
"""

from __future__ import annotations

import logging
import os
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from pydantic import ValidationError

from assistant.conversation import Conversation
from assistant.schemas import Answer, AskRequest
from assistant.service import Assistant, QuestionTooLongError, UnknownFilterError
from assistant.settings import AnswerSettings
from assistant.web.gate import Status
from corpus.ingest import IngestPreview, add_file, build_full_corpus, preview_file
from corpus.reader.errors import ReadError
from corpus.summary import doc_summary
from index.retrieval.retriever import HybridRetriever
from index.settings import IndexSettings
from index.stores.build import build_index, current_build

__all__ = [
    "Answer",
    "AnswerSettings",
    "Engine",
    "FilterError",
    "Generation",
    "IndexJobs",
    "IndexSettings",
    "IngestPreview",
    "NotReady",
    "ReadError",
    "add_file",
    "preview_file",
]

log = logging.getLogger("regassist.web")

FilterError = (UnknownFilterError,)  # → 400
TooLongError = (QuestionTooLongError,)  # → 422
TOKEN_TURNS = 4  # turns carried in a conversation token (follow-ups read the last one; bounded token size)
RETRY_REFUSED_SECONDS = 30.0  # a refused build is retried only when it changes, or after this long


class NotReady(RuntimeError):
    """Nothing can be answered now; ``str()`` says why and what to do."""


@dataclass
class Generation:
    """One corpus + index build + assistant, served until the next build is swapped in."""

    assistant: Assistant
    build_id: str
    path: Path | None
    documents: int
    loaded_at: float = field(default_factory=time.time)
    load_seconds: float = 0.0
    inflight: int = 0
    retired: bool = False

    @property
    def corpus(self):
        return self.assistant.corpus


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:400]


def _stop_chroma_system(ident: str) -> None:
    from chromadb.api.shared_system_client import SharedSystemClient

    with SharedSystemClient._refcount_lock:
        system = SharedSystemClient._identifier_to_system.pop(ident, None)
        SharedSystemClient._identifier_to_refcount.pop(ident, None)
    if system is not None:
        system.stop()


def _release_vectors(retriever) -> None:
    """Stop the Chroma system of a retired build. Chroma caches one system per store path (or per HTTP client)
    for the life of the process, with a reference count that a client and its admin client both hold, so
    dropping the retriever frees nothing: measured +14–20 MiB RSS per swap before this."""
    close = getattr(retriever, "close", None)
    if callable(close):
        close()
        return
    try:
        from chromadb.api import ServerAPI
        from chromadb.api.shared_system_client import SharedSystemClient

        api = getattr(retriever.vectors.collection, "_client", None)
        for ident, system in list(SharedSystemClient._identifier_to_system.items()):
            if system.instance(ServerAPI) is api:  # type: ignore[type-abstract]
                _stop_chroma_system(ident)
    except Exception:  # best effort: a leak, not an error
        log.warning("could not release the vector store of a retired build", exc_info=True)


def _trim_heap() -> None:
    """Give freed heap back to the OS (glibc keeps it in its arenas): RSS then follows what is in use."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc
        pass


def release_orphan_stores() -> None:
    """Stop Chroma systems whose store directory is gone (an index build run in this process writes into a
    temporary directory that it then renames, and leaves its client cached)."""
    try:
        from chromadb.api.shared_system_client import SharedSystemClient

        for ident in list(SharedSystemClient._identifier_to_system):
            if ident.startswith("/") and not Path(ident).exists():
                _stop_chroma_system(ident)
    except Exception:
        log.warning("could not release orphan vector stores", exc_info=True)


class Engine:
    """The generation being served (see the module docstring).

    ``Engine(index_settings, answer_settings)`` loads from ``index_settings.data_dir`` in the background
    after :meth:`start`; ``Engine(..., assistant=a)`` serves a ready-made assistant (tests) and, unless
    ``watch`` is set, never swaps it."""

    def __init__(
        self,
        index_settings: IndexSettings,
        answer_settings: AnswerSettings,
        *,
        assistant: Assistant | None = None,
        poll_seconds: float = 2.0,
        watch: bool | None = None,
    ):
        self.index_settings = index_settings
        self.answer_settings = answer_settings
        self.poll_seconds = poll_seconds
        self.watch = assistant is None if watch is None else watch
        self._lock = threading.Lock()  # the current generation and in-flight counts
        self._load_lock = threading.Lock()  # one load at a time
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._gen: Generation | None = None
        self._state = "starting"
        self._reason: str | None = "loading the index and the model"
        self._refused: tuple[str, float, str, float] | None = None  # (build id, manifest mtime, reason, when)
        self._pages_corpus = None
        self.swaps = 0
        self.inflight = 0  # questions being answered now, over all generations
        self.peak_inflight = 0  # the most answered at once since start (shows there is no global lock)
        self.answered = 0  # questions answered since start
        if assistant is not None:
            path = getattr(assistant.retriever, "path", None)
            build_id = getattr(assistant.retriever, "build_id", None) or (path.name if path else "given")
            self._set(Generation(assistant, build_id, path, len(assistant.corpus.documents)))

    # ---- lifecycle -------------------------------------------------------------------------------
    def start(self) -> "Engine":
        if self._thread is None and (self.watch or self._gen is None):
            if self.watch:  # this process will load generation after generation while threads answer
                from assistant.web.server import tune_allocator

                tune_allocator()
            self._thread = threading.Thread(target=self._run, name="regassist-index-watch", daemon=True)
            self._thread.start()
        return self

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.refresh()
            except Exception:  # the watcher never dies
                log.exception("index watch failed")
            if not self.watch and self._gen is not None:
                return
            self._stop.wait(self.poll_seconds)

    # ---- state -----------------------------------------------------------------------------------
    def _set(self, gen: Generation) -> None:
        with self._lock:
            old, self._gen = self._gen, gen
            self._state, self._reason = "ready", None
            if old is not None:
                old.retired = True
                self.swaps += 1
            release = old is not None and old.inflight == 0
        if release and old is not None:
            self._release(old)

    def _not_ready(self, reason: str) -> None:
        with self._lock:
            if self._state != "not_ready" or self._reason != reason:
                log.error("not ready: %s", reason)
            self._state, self._reason = "not_ready", reason

    def _release(self, gen: Generation) -> None:
        _release_vectors(gen.assistant.retriever)
        gen.assistant = None  # type: ignore[assignment]  # the old corpus, stores and assistant go now
        import gc

        gc.collect()
        _trim_heap()

    @property
    def ready(self) -> bool:
        return self._state == "ready"

    def status(self) -> dict:
        with self._lock:
            gen, state, reason, refused = self._gen, self._state, self._reason, self._refused
        out: dict = {"status": state, "worker": os.getpid()}
        if reason:
            out["reason"] = reason
        if gen is not None and state == "ready":
            out.update(
                build_id=gen.build_id,
                documents=gen.documents,
                loaded_at=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(gen.loaded_at)),
                load_seconds=round(gen.load_seconds, 2),
                swaps=self.swaps,
                inflight=self.inflight,
                peak_inflight=self.peak_inflight,
                answered=self.answered,
            )
            embedder = getattr(gen.assistant.retriever, "embedder", None)
            if embedder is not None and getattr(embedder, "name", None):
                out["embedder"] = embedder.name
        if refused is not None:
            out["refused_build"] = {"build_id": refused[0], "reason": refused[2]}
        return out

    # ---- loading and swapping --------------------------------------------------------------------
    def refresh(self) -> bool:
        """Swap to the build ``CURRENT`` names if it is not the one served; True when swapped."""
        with self._load_lock:
            path = current_build(self.index_settings)
            gen = self._gen
            if path is None:
                if gen is None:
                    self._not_ready("no index built yet: run `regassist index build`")
                elif gen.path is not None and not (gen.path / "manifest.json").exists():
                    self._not_ready(
                        f"the index build being served ({gen.build_id}) was deleted and CURRENT names no "
                        "complete build: run `regassist index build`"
                    )
                return False
            if gen is not None and gen.path is not None and gen.path.resolve() == path.resolve():
                if self._state != "ready" and (path / "manifest.json").exists():
                    with self._lock:
                        self._state, self._reason = "ready", None
                return False
            try:
                stamp = (path / "manifest.json").stat().st_mtime
            except OSError:
                return False
            if (
                self._refused
                and self._refused[:2] == (path.name, stamp)
                and time.time() - self._refused[3] < RETRY_REFUSED_SECONDS
            ):
                return False
            t0 = time.perf_counter()
            try:
                new = self._load(path, gen)
            except Exception as exc:
                reason = f"index build {path.name} refused: {_one_line(exc)}"
                log.error("%s", reason, exc_info=not isinstance(exc, (RuntimeError, FileNotFoundError, ValueError)))
                with self._lock:
                    self._refused = (path.name, stamp, reason, time.time())
                if gen is None:
                    self._not_ready(reason)
                return False
            new.load_seconds = time.perf_counter() - t0
            with self._lock:
                self._refused = None
            self._set(new)
            log.info(
                "serving index build %s (%d documents, loaded in %.1f s)", new.build_id, new.documents, new.load_seconds
            )
            return True

    def _load(self, path: Path, previous: Generation | None) -> Generation:
        corpus = build_full_corpus(self.index_settings.data_dir)  # read again: a new build may add documents
        embedder = previous.assistant.retriever.embedder if previous is not None else None
        retriever = HybridRetriever(corpus, self.index_settings, embedder=embedder, build_path=path)
        try:
            retriever.warm_up()
            built_with = retriever.manifest.embedder
            if retriever.embedder is not None and getattr(retriever.embedder, "name", built_with) != built_with:
                raise RuntimeError(
                    f"built with the embedder {built_with}, this server runs "
                    f"{retriever.embedder.name}; rebuild with `regassist index build`"
                )
            missing = [i for i in retriever.manifest.ids if i not in retriever.node_article]
            if missing:
                raise RuntimeError(
                    f"{len(missing)} indexed units are not in the corpus (e.g. {missing[0]}); "
                    "the build belongs to another corpus: rebuild with `regassist index build`"
                )
            assistant = Assistant(corpus, retriever, self.answer_settings)
            first = next(iter(corpus.documents.values()), None)
            if first is not None:  # one question end to end before anyone is served from it
                assistant.reply(AskRequest(question=first.meta.title[:200] or first.id), None)
        except BaseException:
            _release_vectors(retriever)
            raise
        return Generation(assistant, retriever.build_id, path, len(corpus.documents))

    # ---- serving ---------------------------------------------------------------------------------
    @contextmanager
    def serving(self):
        """The current generation, held until the block ends (a swap meanwhile does not touch it)."""
        with self._lock:
            gen = self._gen
            if gen is None or self._state != "ready":
                raise NotReady(self._reason or "not ready")
            gen.inflight += 1
            self.inflight += 1
            self.peak_inflight = max(self.peak_inflight, self.inflight)
        try:
            yield gen
        finally:
            with self._lock:
                gen.inflight -= 1
                self.inflight -= 1
                self.answered += 1
                release = gen.retired and gen.inflight == 0
            if release:
                self._release(gen)

    def answer(
        self,
        question: str,
        *,
        province: str | None = None,
        document: str | None = None,
        status: Status | None = None,
        as_of: date | None = None,
        state: dict | None = None,
    ) -> tuple[Answer, dict]:
        """One turn: the verified answer and the conversation state to hand back to the client.

        Raises ``NotReady`` (503), one of ``FilterError`` (400) or ``TooLongError`` (422)."""
        conversation = None
        if state and isinstance(state.get("c"), dict):
            try:
                conversation = Conversation.model_validate(state["c"])
            except ValidationError:
                conversation = None
        req = AskRequest(question=question, province=province, document=document, status=status, as_of=as_of)
        with self.serving() as gen:
            reply = gen.assistant.reply(req, conversation)
        kept = reply.conversation.model_copy(update={"turns": reply.conversation.turns[-TOKEN_TURNS:]})
        return reply.answer, {"c": kept.model_dump(mode="json")}

    # ---- corpus for pages ------------------------------------------------------------------------
    def corpus(self):
        """The served corpus; before the first build is loaded, a parsed one (no model), so document pages
        and the chat's filters never wait for the index."""
        gen = self._gen
        if gen is not None:
            return gen.corpus
        if self._pages_corpus is None:
            with self._lock:
                if self._pages_corpus is None:
                    self._pages_corpus = build_full_corpus(self.index_settings.data_dir)
        return self._pages_corpus


def document_summary(doc) -> dict:
    """The JSON of ``GET /api/documents`` for one document (the ``corpus list --json`` row)."""
    return doc_summary(doc)


class IndexJobs:
    """Index updates after an upload, in background threads: ``build_index`` of the corpus on disk (incremental:
    only new units are embedded; one build at a time through the index's file lock), while the server keeps
    answering from the build it serves; the engine swaps the new build in when ``CURRENT`` names it."""

    def __init__(self, index_settings: IndexSettings, keep: int = 20):
        self.index_settings = index_settings
        self.keep = keep
        self.jobs: dict[str, dict] = {}
        self._lock = threading.Lock()

    def start(self, reason: str) -> str:
        job_id = f"{time.strftime('%Y%m%d-%H%M%S')}-{os.urandom(3).hex()}"
        job = {
            "id": job_id,
            "reason": reason,
            "state": "running",
            "started": time.time(),
            "build_id": None,
            "embedded": None,
            "seconds": None,
            "error": None,
        }
        with self._lock:
            self.jobs[job_id] = job
            for old in list(self.jobs)[: -self.keep]:
                del self.jobs[old]
        threading.Thread(target=self._run, args=(job,), name=f"regassist-index-{job_id}", daemon=True).start()
        return job_id

    def _run(self, job: dict) -> None:
        try:
            corpus = build_full_corpus(self.index_settings.data_dir)
            report = build_index(corpus, self.index_settings, progress=False)
            release_orphan_stores()
            job.update(
                state="done", build_id=report.build_id, embedded=report.embedded, seconds=round(report.seconds, 1)
            )
        except Exception as exc:
            log.exception("index update failed")
            job.update(state="failed", error=_one_line(exc))

    def get(self, job_id: str) -> dict | None:
        with self._lock:
            job = self.jobs.get(job_id)
            return dict(job) if job else None

    def recent(self) -> list[dict]:
        with self._lock:
            return [dict(j) for j in reversed(self.jobs.values())]


def default_settings() -> tuple[IndexSettings, AnswerSettings]:
    """Index and answering settings from the environment (entry points only)."""
    return IndexSettings(), AnswerSettings()
