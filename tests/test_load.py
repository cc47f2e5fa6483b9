"""A short bounded load test in the suite (the long one: `clustergraph loadtest`, see docs/operating.md)."""

from __future__ import annotations

import os

import pytest

from clustergraph_tools import loadtest

SECONDS = float(os.environ.get("CLUSTERGRAPH_LOAD_SECONDS", "10"))
RATE = float(os.environ.get("CLUSTERGRAPH_LOAD_RATE", "20"))


def test_only_loopback_is_a_target() -> None:
    for url in ("http://10.0.0.1:8000", "http://example.org", "http://192.168.1.2"):
        with pytest.raises(ValueError, match="loopback"):
            loadtest.require_loopback(url)
    loadtest.require_loopback("http://127.0.0.1:8000")
    loadtest.require_loopback("http://[::1]:8000")


@pytest.mark.slow
async def test_steady_load_without_errors_or_memory_growth(service_url: str) -> None:
    report = await loadtest.run(service_url, rate=RATE, duration=SECONDS)
    figures = report.figures()
    print("load:", figures)
    assert report.sent >= RATE * SECONDS * 0.95, figures
    assert report.errors == {} and report.skipped == 0, figures
    assert report.ok == report.sent
    growth = report.memory_growth_mb
    assert growth is None or growth < 50, figures
