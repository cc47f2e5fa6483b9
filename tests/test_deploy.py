"""The scale-out deployment files (deploy/) agree with the code: no Docker engine runs them here."""

from __future__ import annotations

import re

from clustergraph.graph.neo4j_local import NEO4J_VERSION
from clustergraph.paths import PROJECT_ROOT
from clustergraph.settings import Settings

DEPLOY = PROJECT_ROOT / "deploy"


def _aliases() -> set[str]:
    return {str(field.validation_alias) for field in Settings.model_fields.values()}


def test_the_deployment_runs_the_neo4j_version_the_code_runs() -> None:
    compose = (DEPLOY / "docker-compose.yml").read_text()
    assert set(re.findall(r"image: neo4j:([\w.-]+)", compose)) == {f"{NEO4J_VERSION}-community"}


def test_every_setting_the_deployment_sets_is_one_the_service_reads() -> None:
    compose = (DEPLOY / "docker-compose.yml").read_text()
    names = set(re.findall(r"^\s+((?:CLUSTERGRAPH|NEO4J)_[A-Z_]+):", compose, flags=re.M))
    assert {"CLUSTERGRAPH_RATE_LIMIT_STORAGE", "CLUSTERGRAPH_WORKERS", "NEO4J_URI"} <= names
    assert names - {"NEO4J_AUTH"} <= _aliases()


def test_the_proxy_sends_requests_to_the_replicas_and_names_the_client() -> None:
    nginx = (DEPLOY / "nginx.conf").read_text()
    compose = (DEPLOY / "docker-compose.yml").read_text()
    assert "server clustergraph:8000" in nginx and re.search(r"^  clustergraph:$", compose, flags=re.M)
    # The proxy names the peer it saw (no client's claim passes it), and the replicas believe
    # that header from the proxy's fixed address alone.
    assert "proxy_set_header X-Forwarded-For $remote_addr;" in nginx
    (trusted,) = re.findall(r'CLUSTERGRAPH_FORWARDED_ALLOW_IPS: "([^"]*)"', compose)
    (proxy_address,) = re.findall(r"ipv4_address: ([\d.]+)", compose)
    assert trusted == proxy_address
