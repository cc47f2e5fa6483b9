"""The one place that decides where the graph lives.

In this order: the server named by NEO4J_URI; a Neo4j container when a Docker engine
answers; otherwise the managed local Neo4j server on the JDK.
"""

from __future__ import annotations

import shlex
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from clustergraph.graph.neo4j_local import LocalServer
from clustergraph.settings import Settings

Origin = Literal["env", "docker", "local"]
COMPOSE_FILE = Path(__file__).resolve().parents[2] / "docker-compose.yml"
DOCKER_DEFAULT_PASSWORD = "clustergraph-dev"


@dataclass(frozen=True)
class GraphLocation:
    uri: str
    user: str
    password: str
    database: str
    origin: Origin


def docker_answers(timeout: float = 5.0) -> bool:
    """True when a Docker engine (not just the client) responds."""
    docker = shutil.which("docker")
    if not docker:
        return False
    try:
        result = subprocess.run([docker, "info"], capture_output=True, timeout=timeout, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return result.returncode == 0


def choose_origin(settings: Settings) -> Origin:
    if settings.neo4j_uri:
        return "env"
    if settings.use_docker == "always" or (settings.use_docker == "auto" and docker_answers()):
        return "docker"
    return "local"


def local_server(settings: Settings) -> LocalServer:
    return LocalServer(
        home=settings.home / "neo4j",
        cache_dir=settings.cache_dir,
        bolt_port=settings.bolt_port,
        heap=settings.neo4j_heap,
        pagecache=settings.neo4j_pagecache,
        java_home=settings.java_home,
        maven_args=tuple(shlex.split(settings.maven_args)),
    )


def resolve(settings: Settings, start: bool = False) -> GraphLocation:
    """Where to connect; with `start`, bring a container or local server up first."""
    origin = choose_origin(settings)
    secret = settings.neo4j_password.get_secret_value() if settings.neo4j_password else None
    if origin == "env":
        assert settings.neo4j_uri is not None
        return GraphLocation(
            settings.neo4j_uri, settings.neo4j_user, secret or "", settings.neo4j_database, "env"
        )
    if origin == "docker":
        if start:
            subprocess.run(
                ["docker", "compose", "-f", str(COMPOSE_FILE), "up", "-d", "--wait", "neo4j"], check=True
            )
        return GraphLocation(
            f"bolt://127.0.0.1:{settings.bolt_port}",
            "neo4j",
            secret or DOCKER_DEFAULT_PASSWORD,
            settings.neo4j_database,
            "docker",
        )
    server = local_server(settings)
    if start:
        server.start(timeout=settings.neo4j_start_timeout)
    return GraphLocation(server.uri, "neo4j", server.password(), "neo4j", "local")
