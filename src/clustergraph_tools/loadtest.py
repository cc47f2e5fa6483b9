"""A bounded load test: a steady rate of realistic GraphQL reads against a service on loopback.

Open loop: a request starts every 1/rate seconds whether or not earlier ones finished (up
to a cap on requests in flight), for a fixed duration, then it stops by itself. It reports
throughput, latencies, errors and the growth of the service's resident memory (read from
its /metrics). Only loopback addresses are accepted as targets.
"""

from __future__ import annotations

import asyncio
import ipaddress
import statistics
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import httpx

QUERIES: tuple[dict[str, Any], ...] = (
    {"query": '{ entity(key: "cluster:euroregion-beskidy") { name countryCode } }'},
    {"query": '{ search(query: "skalacka") { totalCount edges { score node { key name } } } }'},
    {"query": "{ clusters(first: 10) { totalCount nodes { key name representatives { totalCount } } } }"},
    {
        "query": '{ neighbourhood(key: "person:kinga-skalacka", depth: 2) { truncated nodes { key } edges { type } } }'
    },
    {
        "query": '{ cooperationPaths(from: "cluster:euroregion-beskidy", to: "organisation:rda-usti-region") '
        "{ length countries borderCrossings } }"
    },
    {"query": '{ crossBorderPartners(key: "cluster:euroregion-beskidy") { countryCode distance } }'},
    {"query": "{ cooperationMatrix { countries totalLinks } }"},
)
MAX_IN_FLIGHT = 64
MAX_SECONDS = 3600.0


def require_loopback(url: str) -> None:
    host = urlsplit(url).hostname or ""
    try:
        loopback = host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = False
    if not loopback:
        raise ValueError(f"the load test only targets loopback addresses, not {host!r}")


@dataclass
class Report:
    rate: float
    duration: float
    sent: int = 0
    ok: int = 0
    errors: dict[str, int] = field(default_factory=dict)
    skipped: int = 0  # not started because too many were in flight
    latencies: list[float] = field(default_factory=list)
    memory_start: float | None = None
    memory_end: float | None = None
    elapsed: float = 0.0

    def error(self, kind: str) -> None:
        self.errors[kind] = self.errors.get(kind, 0) + 1

    @property
    def memory_growth_mb(self) -> float | None:
        if self.memory_start is None or self.memory_end is None:
            return None
        return (self.memory_end - self.memory_start) / 1e6

    def figures(self) -> dict[str, Any]:
        ordered = sorted(self.latencies)

        def pct(p: float) -> float:
            return round(1000 * ordered[min(len(ordered) - 1, int(p * len(ordered)))], 1) if ordered else 0.0

        return {
            "target_rate_per_s": self.rate,
            "achieved_rate_per_s": round(self.sent / self.elapsed, 1) if self.elapsed else 0.0,
            "duration_s": round(self.elapsed, 1),
            "requests": self.sent,
            "ok": self.ok,
            "errors": self.errors,
            "skipped_in_flight_cap": self.skipped,
            "latency_ms": {
                "mean": round(1000 * statistics.fmean(ordered), 1) if ordered else 0.0,
                "p50": pct(0.50),
                "p95": pct(0.95),
                "p99": pct(0.99),
                "max": round(1000 * ordered[-1], 1) if ordered else 0.0,
            },
            "service_rss_mb": {
                "start": round(self.memory_start / 1e6, 1) if self.memory_start else None,
                "end": round(self.memory_end / 1e6, 1) if self.memory_end else None,
                "growth": round(self.memory_growth_mb, 1) if self.memory_growth_mb is not None else None,
            },
        }


async def _resident_memory(client: httpx.AsyncClient) -> float | None:
    response = await client.get("/metrics")
    for line in response.text.splitlines():
        if line.startswith("process_resident_memory_bytes "):
            return float(line.split()[1])
    return None


async def _one(client: httpx.AsyncClient, body: dict[str, Any], report: Report) -> None:
    started = time.perf_counter()
    try:
        response = await client.post("/graphql", json=body)
    except httpx.HTTPError as error:
        report.error(type(error).__name__)
        return
    report.latencies.append(time.perf_counter() - started)
    if response.status_code != 200:
        report.error(f"HTTP {response.status_code}")
    elif response.json().get("errors"):
        report.error(str(response.json()["errors"][0].get("extensions", {}).get("code")))
    else:
        report.ok += 1


async def run(url: str, rate: float, duration: float, warmup: float = 2.0) -> Report:
    require_loopback(url)
    duration = min(duration, MAX_SECONDS)
    report = Report(rate=rate, duration=duration)
    limits = httpx.Limits(max_connections=MAX_IN_FLIGHT, max_keepalive_connections=MAX_IN_FLIGHT)
    async with httpx.AsyncClient(base_url=url, timeout=30, limits=limits) as client:
        # Warm up (connections, Neo4j's query caches) before memory is first measured.
        warm_until = time.monotonic() + warmup
        while time.monotonic() < warm_until:
            await asyncio.gather(*(client.post("/graphql", json=q) for q in QUERIES))
        report.memory_start = await _resident_memory(client)
        in_flight: set[asyncio.Task[None]] = set()
        interval = 1.0 / rate
        started = time.monotonic()
        total = int(rate * duration)
        for number in range(total):
            await asyncio.sleep(max(0.0, started + number * interval - time.monotonic()))
            if len(in_flight) >= MAX_IN_FLIGHT:
                report.skipped += 1
                continue
            task = asyncio.create_task(_one(client, QUERIES[number % len(QUERIES)], report))
            in_flight.add(task)
            task.add_done_callback(in_flight.discard)
            report.sent += 1
        await asyncio.gather(*in_flight)
        report.elapsed = time.monotonic() - started
        report.memory_end = await _resident_memory(client)
    return report
