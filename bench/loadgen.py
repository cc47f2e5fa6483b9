"""A closed-loop load generator: `concurrency` workers, each sending its next request
as soon as its last one is answered, for a fixed number of requests after a warm-up.

Latency is measured per request from just before sending to the answer fully read;
throughput is requests answered over the wall time of the measured part.
"""

from __future__ import annotations

import asyncio
import statistics
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Figures:
    requests: int
    median_ms: float
    p95_ms: float
    rps: float
    errors: int


async def measure(
    send: Callable[[], Awaitable[bool]], concurrency: int, requests: int, warmup: int
) -> Figures:
    """`send` returns True when the answer is right (no GraphQL errors)."""
    for _ in range(warmup):
        await send()
    latencies: list[float] = []
    errors = 0
    remaining = requests

    async def worker() -> None:
        nonlocal remaining, errors
        while remaining > 0:
            remaining -= 1
            started = time.perf_counter()
            ok = await send()
            latencies.append(time.perf_counter() - started)
            errors += 0 if ok else 1

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    wall = time.perf_counter() - started
    latencies.sort()
    return Figures(
        requests=len(latencies),
        median_ms=statistics.median(latencies) * 1000,
        p95_ms=latencies[max(0, int(len(latencies) * 0.95) - 1)] * 1000,
        rps=len(latencies) / wall,
        errors=errors,
    )
