"""Freed memory given back after a burst of streams (live/trim.py), with glibc's real malloc_trim."""

from __future__ import annotations

import asyncio
import logging

import pytest

from clustergraph.live.bounds import StreamBound
from clustergraph.live.trim import Trimmer


def _given_back(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if "free memory given back" in r.getMessage()]


async def test_memory_is_given_back_once_after_a_burst_has_closed(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="clustergraph.streams")
    bound = StreamBound(500, 500, Trimmer(delay=0.2, least=64))
    for _ in range(300):
        bound.acquire("127.0.0.1")
    for _ in range(300):
        bound.release("127.0.0.1")
        await asyncio.sleep(0)  # the burst closes over time: each close puts the call off
    assert _given_back(caplog) == []
    await asyncio.sleep(0.5)
    (said,) = _given_back(caplog)
    assert said.startswith("streams fell from 300 to 0: free memory given back (collection"), said


async def test_a_steady_load_never_pays_for_it(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="clustergraph.streams")
    bound = StreamBound(500, 500, Trimmer(delay=0.1, least=64))
    for _ in range(100):
        bound.acquire("127.0.0.1")
    for _ in range(200):  # streams come and go around 100 open
        bound.release("127.0.0.1")
        bound.acquire("127.0.0.1")
    bound.release("127.0.0.1")
    await asyncio.sleep(0.3)
    assert _given_back(caplog) == []
