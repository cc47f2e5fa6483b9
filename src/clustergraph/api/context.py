"""What every resolver can reach: the graph and the settings."""

from __future__ import annotations

from dataclasses import dataclass

from starlette.requests import Request
from starlette.responses import Response

from clustergraph.db import Graph
from clustergraph.settings import Settings


@dataclass
class Context:
    request: Request
    response: Response | None
    graph: Graph
    settings: Settings
