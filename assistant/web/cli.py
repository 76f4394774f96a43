"""``regassist serve [--host H] [--port P] [--workers N]``: the web app under uvicorn.

``register(subparsers)`` adds the ``serve`` sub-command to the ``regassist`` parser; ``python -m
assistant.web.cli serve …`` runs it alone. Settings are read and checked here, before anything starts: a bad
value prints one line (``regassist serve: REGASSIST_ALLOWED_ORIGINS 'x': …``) and exits 2, never a traceback.

Workers: N processes accept on one socket (uvicorn's supervisor restarts a dead one), each loading the index
and model (RSS per worker ≈ one server). Set here, before they start, so every worker agrees:
* a session secret (``REGASSIST_SESSION_SECRET``) when none is configured, so a conversation token issued by
  one worker is read by the others (replicas on other machines must be given the same secret);
* ``REGASSIST_EMBEDDER_THREADS`` = cores ÷ workers when not configured, so N workers do not oversubscribe
  the cores with ONNX threads.
The rate limit is per worker: one address can get up to N × ``rate_limit_per_minute`` through.
"""

from __future__ import annotations

import argparse
import os
import secrets
import sys

APP = "assistant.web.app:create_app"


def _check_settings(overrides: dict):
    """ServerSettings, after checking the index and answering settings too; SystemExit(2) with one line."""
    from pydantic import ValidationError

    from assistant.web.settings import ServerSettingsError, load_server_settings

    try:
        settings = load_server_settings(**overrides)
        from assistant.web.backend import default_settings

        default_settings()
    except ServerSettingsError as exc:
        print(f"regassist serve: {exc}", file=sys.stderr)
        raise SystemExit(2) from None
    except (ValidationError, ValueError) as exc:
        line = str(exc).strip().splitlines()
        print(f"regassist serve: invalid setting: {' '.join(line[:3])[:300]}", file=sys.stderr)
        raise SystemExit(2) from None
    return settings


def cmd_serve(args) -> int:
    overrides = {"host": args.host, "port": args.port, "workers": args.workers}
    settings = _check_settings(overrides)
    for key, value in overrides.items():  # workers read the environment: give them the command line's values
        if value is not None:
            os.environ[f"REGASSIST_{key.upper()}"] = str(value)
    if settings.workers > 1:
        if settings.session_secret is None:
            os.environ["REGASSIST_SESSION_SECRET"] = secrets.token_urlsafe(32)
        if "REGASSIST_EMBEDDER_THREADS" not in os.environ:
            os.environ["REGASSIST_EMBEDDER_THREADS"] = str(max(1, (os.cpu_count() or 1) // settings.workers))
    from assistant.web.server import allocator_env

    os.environ.update(allocator_env())  # workers start with them; this process applies them in Engine.start
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

    import uvicorn

    from assistant.web.server import uvicorn_config

    config = uvicorn_config(APP, settings, factory=True, workers=settings.workers)
    server = uvicorn.Server(config)
    if settings.workers > 1:
        from uvicorn.supervisors import Multiprocess

        from assistant.web.balance import LOAD_FILE_ENV, create_load_file
        from assistant.web.server import WorkerListener, per_worker_listeners, reuseport_socket

        if per_worker_listeners():  # each worker listens on its own socket of the port: connections balanced
            reserved = reuseport_socket(config.host, config.port, listen=False)  # the port is ours, checked now
            load_file = create_load_file()  # the workers' connection counts (assistant.web.balance)
            os.environ[LOAD_FILE_ENV] = str(load_file)
            try:
                listeners = [WorkerListener(config.host, config.port, config.backlog)]
                Multiprocess(config, sockets=listeners).run()  # type: ignore[arg-type]
            finally:
                reserved.close()
                for leftover in (load_file, load_file.with_name(load_file.name + ".lock")):
                    leftover.unlink(missing_ok=True)
        else:
            Multiprocess(config, sockets=[config.bind_socket()]).run()
    else:
        server.run()
    return 0


def register(subparsers) -> argparse.ArgumentParser:
    """Add ``serve`` to a ``regassist`` sub-parser collection."""
    v = subparsers.add_parser(
        "serve",
        help="the JSON API, document pages, widget and chat UI",
        description="Serve the JSON API, document pages, widget and chat UI (see assistant.web).",
    )
    v.add_argument("--host", help="address to bind (default REGASSIST_HOST or 127.0.0.1)")
    v.add_argument("--port", type=int, help="port (default REGASSIST_PORT or 7860)")
    v.add_argument("--workers", type=int, help="processes (default REGASSIST_WORKERS or 1)")
    v.set_defaults(func=cmd_serve)
    return v


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="regassist")
    register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
