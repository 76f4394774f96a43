"""The serving process's malloc settings (``assistant.web.server.tune_allocator``), observed through glibc."""

from __future__ import annotations

import ctypes

import pytest

from assistant.web.server import MALLOC_ARENA_MAX, MALLOC_MMAP_THRESHOLD, allocator_env


class _MallInfo2(ctypes.Structure):
    _fields_ = [
        (n, ctypes.c_size_t)
        for n in ("arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks", "fordblks")
        + ("keepcost",)
    ]


def _libc():
    try:
        libc = ctypes.CDLL("libc.so.6")
        libc.mallinfo2.restype = _MallInfo2
    except (OSError, AttributeError):
        pytest.skip("not glibc >= 2.33")
    libc.malloc.restype = ctypes.c_void_p
    libc.malloc.argtypes = [ctypes.c_size_t]
    libc.free.argtypes = [ctypes.c_void_p]
    return libc


_PROBE = """
import ctypes, sys
from assistant.web.server import MALLOC_MMAP_THRESHOLD, tune_allocator
sys.path.insert(0, {here!r})
from test_server_allocator import _libc
libc = _libc()
assert tune_allocator()
# freeing a mapped 8 MiB block raises glibc's default (dynamic) threshold to 8 MiB, after which a 2 MiB block
# would come from an arena and could stay there as a resident hole; with the fixed threshold it is mapped
big = libc.malloc(8 << 20)
libc.free(big)
before = libc.mallinfo2().hblkhd
block = libc.malloc(2 * MALLOC_MMAP_THRESHOLD)
mapped = libc.mallinfo2().hblkhd - before
libc.free(block)
small_before = libc.mallinfo2().hblkhd
small = libc.malloc(MALLOC_MMAP_THRESHOLD // 4)
small_mapped = libc.mallinfo2().hblkhd - small_before
libc.free(small)
print(mapped >= 2 * MALLOC_MMAP_THRESHOLD, small_mapped == 0)
"""


def test_large_blocks_stay_mapped_after_tune_allocator():
    """Run in a fresh interpreter: in this one, earlier tests leave free chunks in the arena that a 2 MiB request
    may be served from, whatever the threshold (the check would then depend on which tests ran before)."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    _libc()  # skips where glibc has no mallinfo2
    here = str(Path(__file__).parent)
    env = {k: v for k, v in os.environ.items() if k not in ("MALLOC_MMAP_THRESHOLD_", "MALLOC_ARENA_MAX")}
    env["PYTHONPATH"] = str(Path(__file__).resolve().parents[4])
    out = subprocess.run(
        [sys.executable, "-c", _PROBE.format(here=here)], env=env, capture_output=True, text=True, timeout=120
    )
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.split() == ["True", "True"]  # the large block mapped, the small one from an arena


def test_environment_values_win(monkeypatch):
    monkeypatch.setenv("MALLOC_ARENA_MAX", "4")
    monkeypatch.delenv("MALLOC_MMAP_THRESHOLD_", raising=False)
    assert allocator_env() == {"MALLOC_MMAP_THRESHOLD_": str(MALLOC_MMAP_THRESHOLD)}
    monkeypatch.delenv("MALLOC_ARENA_MAX")
    assert allocator_env()["MALLOC_ARENA_MAX"] == str(MALLOC_ARENA_MAX)
