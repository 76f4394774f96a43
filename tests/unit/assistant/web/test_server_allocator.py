"""The serving process's malloc settings (``assistant.web.server.tune_allocator``), observed through glibc."""

from __future__ import annotations

import ctypes

import pytest

from assistant.web.server import MALLOC_ARENA_MAX, MALLOC_MMAP_THRESHOLD, allocator_env, tune_allocator


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


def test_large_blocks_stay_mapped_after_tune_allocator(monkeypatch):
    libc = _libc()
    monkeypatch.delenv("MALLOC_MMAP_THRESHOLD_", raising=False)
    monkeypatch.delenv("MALLOC_ARENA_MAX", raising=False)
    assert tune_allocator()
    # freeing a mapped 8 MiB block raises glibc's default (dynamic) threshold to 8 MiB, after which a 2 MiB block
    # would come from an arena and could stay there as a resident hole; with the fixed threshold it is mapped
    big = libc.malloc(8 << 20)
    libc.free(big)
    before = libc.mallinfo2().hblkhd
    block = libc.malloc(2 * MALLOC_MMAP_THRESHOLD)
    try:
        assert libc.mallinfo2().hblkhd - before >= 2 * MALLOC_MMAP_THRESHOLD
    finally:
        libc.free(block)
    small_before = libc.mallinfo2().hblkhd
    small = libc.malloc(MALLOC_MMAP_THRESHOLD // 4)
    try:
        assert libc.mallinfo2().hblkhd == small_before  # below the threshold: from an arena
    finally:
        libc.free(small)


def test_environment_values_win(monkeypatch):
    monkeypatch.setenv("MALLOC_ARENA_MAX", "4")
    monkeypatch.delenv("MALLOC_MMAP_THRESHOLD_", raising=False)
    assert allocator_env() == {"MALLOC_MMAP_THRESHOLD_": str(MALLOC_MMAP_THRESHOLD)}
    monkeypatch.delenv("MALLOC_ARENA_MAX")
    assert allocator_env()["MALLOC_ARENA_MAX"] == str(MALLOC_ARENA_MAX)
