"""JWTs from an OpenID Connect issuer: signature, issuer, audience and expiry verified against its JWKS."""

from __future__ import annotations

import base64
import json
import os
import threading
import time
from collections import Counter
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from clustergraph.app import create_app
from clustergraph.graph.db import Graph
from clustergraph.graph.location import GraphLocation
from clustergraph.settings import Settings
from tests.support import codes, serve, snapshot

ISSUER = "https://login.example.test/realms/clusters"
AUDIENCE = "clustergraph"
KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
OTHER_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
# How many tokens with odd claims (CLUSTERGRAPH_FUZZ_CLAIMS_EXAMPLES).
EXAMPLES = int(os.environ.get("CLUSTERGRAPH_FUZZ_CLAIMS_EXAMPLES", "300"))
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


# A mutation editors may call that writes nothing: refused by role, or BAD_USER_INPUT for its content.
EDITOR_ONLY = 'mutation { ingestArticle(content: "too short") { createdSource } }'
JSON_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.integers(min_value=2**63)
    | st.floats()
    | st.text(max_size=30)
    | st.sampled_from(["reader", "editor", "admin", ISSUER, AUDIENCE, "k1"])
)
JSON_VALUES = st.recursive(
    JSON_SCALARS,
    lambda inner: st.lists(inner, max_size=6) | st.dictionaries(st.text(max_size=10), inner, max_size=6),
    max_leaves=25,
)
HUGE = st.sampled_from(
    [
        ["editor"] * 5000,
        [{"a": 1}] * 2000,
        "editor" * 2000,
        "x" * 300,  # a subject longer than OpenID's 255 characters
        [[[[[[["editor"]]]]]]],
        2**200,
    ]
)
ANY_JSON = JSON_VALUES | HUGE
ABSENT = object()


@st.composite
def claim_sets(draw: st.DrawFn) -> tuple[Any, dict[str, Any]]:
    """A payload (an object of claims, each valid, missing or any JSON; or not an object at all) and a header."""
    if draw(st.integers(0, 9)) == 0:
        payload: Any = draw(ANY_JSON)
    else:
        valid = {
            "iss": ISSUER,
            "aud": AUDIENCE,
            "sub": "alice",
            "exp": int(time.time()) + 300,
            "clustergraph_role": "editor",
        }
        payload = {}
        for name, good in valid.items():
            choice = draw(st.sampled_from(["valid"] * 4 + ["absent", "odd"]))
            if name == "clustergraph_role" and choice == "valid":
                good = draw(st.sampled_from(["reader", "editor", "admin", ["reader", "editor"], "auditor"]))
            value = good if choice == "valid" else ABSENT if choice == "absent" else draw(ANY_JSON)
            if value is not ABSENT:
                payload[name] = value
        payload.update(draw(st.dictionaries(st.sampled_from(["nbf", "iat", "jti"]), ANY_JSON, max_size=2)))
    header = {"kid": draw(st.sampled_from(["k1", "k1", "k2"]) | ANY_JSON)}
    return payload, header


def signed(payload: Any, header: dict[str, Any]) -> str:
    """Signed with the issuer's key, whatever the payload and the header hold (PyJWT refuses to
    encode some of it, so the JWS is put together here, RFC 7515's compact form)."""

    def part(value: Any) -> bytes:
        return base64.urlsafe_b64encode(json.dumps(value).encode()).rstrip(b"=")

    signing_input = part({"alg": "RS256", "typ": "JWT", **header}) + b"." + part(payload)
    signature = jwt.algorithms.RSAAlgorithm(jwt.algorithms.RSAAlgorithm.SHA256).sign(signing_input, KEY)
    return (signing_input + b"." + base64.urlsafe_b64encode(signature).rstrip(b"=")).decode()


def test_claims_of_any_json_shape_get_a_coded_refusal(
    settings: Settings, location: GraphLocation, jwks_url: str
) -> None:
    oidc = settings.model_copy(
        update={"oidc_issuer": ISSUER, "oidc_audience": AUDIENCE, "oidc_jwks_url": jwks_url}
    )
    seen: Counter[str] = Counter()
    with serve(create_app(oidc, location)) as url, httpx.Client(base_url=url, timeout=30) as client:

        @hsettings(
            max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck)
        )
        @given(claim_sets())
        def one(claims: tuple[Any, dict[str, Any]]) -> None:
            payload, header = claims
            response = client.post(
                "/graphql",
                json={"query": EDITOR_ONLY},
                headers={"Authorization": f"Bearer {signed(payload, header)}"},
            )
            assert response.status_code == 200, (payload, header, response.status_code, response.text[:300])
            body = response.json()
            found = codes(body)
            assert len(found) == 1 and found[0] in {"UNAUTHENTICATED", "FORBIDDEN", "BAD_USER_INPUT"}, body
            seen[found[0]] += 1
            if found[0] == "UNAUTHENTICATED":
                assert body["errors"][0]["message"].strip(), body

        one()
        # The JWKS server and the service still answer afterwards.
        assert client.get("/readyz").status_code == 200
    # Every outcome was reached: refused tokens, a too-small role, and an editor let through.
    assert set(seen) == {"UNAUTHENTICATED", "FORBIDDEN", "BAD_USER_INPUT"}, seen
    print(f"\n{sum(seen.values())} tokens with odd claims: {dict(seen)}")


@pytest.mark.parametrize(
    ("role", "message"),
    [
        ([{"a": 1}], "must be a string or a list of strings, not a list holding an object"),
        ({"editor": True}, "not an object"),
        (7, "not a number"),
        (["editor"] * 101, "lists 101 roles; at most 100"),
    ],
)
def test_a_role_claim_of_another_shape_is_refused_by_name(
    settings: Settings, location: GraphLocation, jwks_url: str, role: Any, message: str
) -> None:
    oidc = settings.model_copy(
        update={"oidc_issuer": ISSUER, "oidc_audience": AUDIENCE, "oidc_jwks_url": jwks_url}
    )
    with serve(create_app(oidc, location)) as url, httpx.Client(base_url=url, timeout=30) as client:
        response = client.post(
            "/graphql",
            json={"query": EDITOR_ONLY},
            headers={"Authorization": f"Bearer {token(clustergraph_role=role)}"},
        )
    body = response.json()
    assert codes(body) == ["UNAUTHENTICATED"], body
    assert "`clustergraph_role`" in body["errors"][0]["message"] and message in body["errors"][0]["message"]
