"""JWTs from an OpenID Connect issuer: signature, issuer, audience and expiry verified against its JWKS."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from clustergraph.app import create_app
from clustergraph.db import Graph
from clustergraph.location import GraphLocation
from clustergraph.settings import Settings
from tests.support import codes, serve, snapshot

ISSUER = "https://login.example.test/realms/clusters"
AUDIENCE = "clustergraph"
KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
OTHER_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
CREATE = 'mutation { createEntity(input: {kind: SECTOR, key: "sector:oidc-test", properties: {name: "OIDC"}, sources: ["source:s4"]}) { key } }'


@pytest.fixture(scope="module")
def jwks_url() -> Iterator[str]:
    """A JWKS endpoint on loopback, as an issuer publishes it."""
    public = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(KEY.public_key()))
    body = json.dumps({"keys": [{**public, "kid": "k1", "use": "sig", "alg": "RS256"}]}).encode()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/jwks.json"
    server.shutdown()


def token(key: Any = KEY, **overrides: Any) -> str:
    claims = {
        "iss": ISSUER,
        "aud": AUDIENCE,
        "sub": "alice",
        "exp": int(time.time()) + 300,
        "clustergraph_role": ["reader", "editor"],
        **overrides,
    }
    return jwt.encode(claims, key, algorithm="RS256", headers={"kid": "k1"})


async def test_jwts_are_verified_before_anything_is_written(
    settings: Settings, location: GraphLocation, restore: Graph, jwks_url: str
) -> None:
    oidc = settings.model_copy(
        update={"oidc_issuer": ISSUER, "oidc_audience": AUDIENCE, "oidc_jwks_url": jwks_url}
    )
    refused = {
        "expired": (token(exp=int(time.time()) - 60), "UNAUTHENTICATED"),
        "other audience": (token(aud="someone-else"), "UNAUTHENTICATED"),
        "other issuer": (token(iss="https://evil.example.test"), "UNAUTHENTICATED"),
        "other signer": (token(OTHER_KEY), "UNAUTHENTICATED"),
        "reader only": (token(clustergraph_role="reader"), "FORBIDDEN"),
    }
    before = await snapshot(restore)
    with serve(create_app(oidc, location)) as url:
        async with httpx.AsyncClient(base_url=url, timeout=30) as client:

            async def post(bearer: str) -> Any:
                headers = {"Authorization": f"Bearer {bearer}"}
                return (await client.post("/graphql", json={"query": CREATE}, headers=headers)).json()

            for case, (bad, code) in refused.items():
                assert codes(await post(bad)) == [code], case
            assert await snapshot(restore) == before
            body = await post(token())
            assert body["data"]["createEntity"] == {"key": "sector:oidc-test"}, body
            history = await client.post(
                "/graphql",
                json={"query": '{ history(key: "sector:oidc-test") { nodes { actor } } }'},
                headers={"Authorization": f"Bearer {token(clustergraph_role='reader')}"},
            )
    assert history.json()["data"]["history"]["nodes"] == [{"actor": "oidc:alice"}]
