"""Memory given back after a burst of streams: glibc's `malloc_trim`, once the burst is gone.

Each open WebSocket holds buffers (and, with permessage-deflate, a zlib compressor and
decompressor) that CPython takes from glibc's malloc, not from its own small-object arenas.
When they are freed, glibc keeps the pages for reuse unless they sit at the top of the
heap, so the process's RSS stays at its peak. `malloc_trim(0)` returns every free page in
the middle of the heaps too, once a full garbage collection has freed the closed
connections' objects (they hold each other in cycles, which the collector reaches late).
It is asked for `delay` seconds after the last close of a burst that took the open
streams to at most half of their peak (and by at least `least`), so a steady load never
pays for it. Elsewhere than glibc (musl, macOS) there is no such call: nothing is done.
"""

from __future__ import annotations

import asyncio
import ctypes
import ctypes.util
import gc
import logging
import time

log = logging.getLogger("clustergraph.streams")


def _malloc_trim() -> ctypes._NamedFuncPointer | None:
    name = ctypes.util.find_library("c")
    if name is None:
        return None
    try:
        return ctypes.CDLL(name).malloc_trim
    except (OSError, AttributeError):
        return None


def freeze_startup_objects() -> None:
    """Leaves what the app built at start (schema, documents, modules: it lives as long as
    the process) out of every later collection, so the one `_run` asks for scans the
    objects of connections only."""
    gc.collect()
    gc.freeze()


class Trimmer:
    def __init__(self, delay: float = 2.0, least: int = 64) -> None:
        self.delay = delay
        self.least = least
        self.peak = 0
        self._now = 0
        self._trim = _malloc_trim()
        self._pending: asyncio.TimerHandle | None = None

    def opened(self, count: int) -> None:
        self.peak = max(self.peak, count)

    def closed(self, count: int) -> None:
        self._now = count
        if self._trim is None or self.peak - count < self.least or count > self.peak // 2:
            return
        # Put off while the burst is still closing: its buffers are freed only once it has.
        if self._pending is not None:
            self._pending.cancel()
        self._pending = asyncio.get_running_loop().call_later(self.delay, self._run)

    def _run(self) -> None:
        self._pending = None
        started = time.perf_counter()
        # A closed connection's objects hold each other in cycles: until the collector runs
        # (rarely, for objects that lived long), their buffers are not free to give back.
        gc.collect()
        collected = time.perf_counter()
        fell = (self.peak, self._now)
        self.peak = self._now
        # ctypes lets go of the GIL for the call: the event loop runs on while glibc trims.
        trim = self._trim
        assert trim is not None
        task = asyncio.get_running_loop().run_in_executor(None, trim, 0)
        task.add_done_callback(
            lambda _: self._said(fell, collected - started, time.perf_counter() - collected)
        )

    @staticmethod
    def _said(fell: tuple[int, int], collecting: float, trimming: float) -> None:
        log.info(
            "streams fell from %d to %d: free memory given back (collection %.0f ms, trim %.0f ms in a thread)",
            *fell,
            collecting * 1000,
            trimming * 1000,
        )
