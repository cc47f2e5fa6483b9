"""Bounded waits for services that are coming back."""

import asyncio
import time

import httpx


async def ready_within(http: httpx.AsyncClient, seconds: float) -> bool:
    """Poll /readyz: a Neo4j that has just started may need a moment (JIT, page cache) to answer fast."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if (await http.get("/readyz")).status_code == 200:
            return True
        await asyncio.sleep(0.5)
    return False
