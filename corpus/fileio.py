"""One way to write files that others read concurrently: a temporary file in the same directory, fsync'd,
then renamed over the target (atomic on POSIX), under one ``filelock.FileLock`` when writers may race.

``filelock`` (maintained, cross-platform, already a dependency) rather than ``fcntl``: it works the same on
Windows and gives a timeout with a clear error instead of a hang.
"""

from __future__ import annotations

import os
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from filelock import FileLock, Timeout

LOCK_TIMEOUT_S = 60.0


def atomic_write_bytes(path: Path, data: bytes) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def atomic_write_text(path: Path, text: str) -> None:
    atomic_write_bytes(path, text.encode("utf-8"))


@contextmanager
def locked(path: Path, timeout: float = LOCK_TIMEOUT_S) -> Iterator[None]:
    """Hold ``<path>.lock`` (created beside ``path``) while the block runs."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(path) + ".lock", timeout=timeout)
    try:
        with lock:
            yield
    except Timeout:
        raise TimeoutError(f"another process holds {path.name}.lock for more than {timeout:.0f} s") from None
