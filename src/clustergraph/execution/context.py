"""What every resolver can reach: the graph, the settings and who is calling."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.websockets import WebSocket

from clustergraph.auth.identity import Identity
from clustergraph.graph.db import Graph
from clustergraph.live.bounds import LiveConnection
from clustergraph.settings import Settings


@dataclass
class Context:
    # A WebSocket for operations sent over graphql-transport-ws.
    request: Request | WebSocket
    response: Response | None
    graph: Graph
    settings: Settings
    # The verified caller, or None when the request carries no credential.
    identity: Identity | None = None
    # Why a credential the request did carry was not accepted (raised only where one is needed).
    auth_error: Exception | None = None
    # The WebSocket connection an operation runs on (None over HTTP), and its connection_init payload.
    live_connection: LiveConnection | None = None
    connection_params: dict[str, Any] | None = None

    @property
    def actor(self) -> str:
        return self.identity.actor if self.identity else "anonymous"
