"""Byte-level fuzzing of every route: raw bytes and mutated valid requests, GET and POST.

Whatever arrives, the GraphQL endpoint answers JSON whose every error carries
`extensions.code`, and no route answers 500; afterwards the service is still ready.
How many requests: CLUSTERGRAPH_FUZZ_BYTES_EXAMPLES (default 1500; docs/integrity.md
reports a run of 20,000); hypothesis's seed: CLUSTERGRAPH_FUZZ_SEED (default 24). The run
prints the count, the tool, the seed and the statuses.
"""

from __future__ import annotations

import asyncio
import json
import os
import time
from collections import Counter
from pathlib import Path
from urllib.parse import quote_from_bytes

import httpx
import hypothesis
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st

EXAMPLES = int(os.environ.get("CLUSTERGRAPH_FUZZ_BYTES_EXAMPLES", "1500"))
SEED = int(os.environ.get("CLUSTERGRAPH_FUZZ_SEED", "24"))
EXAMPLES_DIR = Path(__file__).parents[1] / "src" / "clustergraph" / "http" / "examples"
GRAPHQL = "/graphql"
# The other routes and the statuses their documentation gives (never 500).
ROUTES: dict[str, set[int]] = {
    "/export/graphml": {200, 400, 404, 405},
    "/export/nodes.csv": {200, 400, 404, 405},
    "/export/cyjs": {200, 400, 404, 405},
    "/export/pdf": {404, 405},
    "/explore": {200, 405},
    "/embed": {200, 400, 405},
    "/widget.js": {200, 405},
    "/healthz": {200, 405},
    "/metrics": {200, 405},
    "/assets/graphiql.min.js": {200, 404, 405},
    "/nowhere": {404},
    "/": {200, 307, 405},
}
# What the GraphQL endpoint may answer, each with a JSON body and a code.
GRAPHQL_STATUSES = {200, 400, 405, 406, 408, 413}
VALID_BODIES = [
    json.dumps({"query": path.read_text(encoding="utf-8")}).encode()
    for path in sorted(EXAMPLES_DIR.glob("*.graphql"))
]
assert VALID_BODIES, f"no example queries under {EXAMPLES_DIR} to mutate"
CONTENT_TYPES = [
    "application/json",
    "application/graphql+json",
    "text/plain",
    "",
    "multipart/form-data; boundary=x",
]
ACCEPTS = ["application/json", "application/graphql-response+json", "*/*", "text/html", "text/csv", ""]


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    """A valid request body with a few bytes changed, inserted or removed."""
    body = bytearray(draw(st.sampled_from(VALID_BODIES)))
    for _ in range(draw(st.integers(1, 6))):
        at = draw(st.integers(0, len(body) - 1))
        byte = draw(st.integers(0, 255))
        edit = draw(st.sampled_from(["set", "insert", "delete"]))
        if edit == "set":
            body[at] = byte
        elif edit == "insert":
            body.insert(at, byte)
        elif len(body) > 1:
            del body[at]
    return bytes(body)


bodies = st.one_of(st.binary(max_size=300), mutated())
query_strings = st.one_of(
    st.binary(max_size=120).map(lambda raw: "query=" + quote_from_bytes(raw)),
    mutated().map(lambda raw: "query=" + quote_from_bytes(raw)),
    st.binary(max_size=120).map(lambda raw: quote_from_bytes(raw, safe="=&")),
    st.sampled_from(["key=cluster:euroregion-beskidy&depth=%C2%B2", "key=%00&limit=-1", "extensions=%7B"]),
)
requests = st.tuples(
    # Mostly the GraphQL endpoint, mostly its own methods: that is where bodies are read.
    st.sampled_from([GRAPHQL] * len(ROUTES) * 2 + list(ROUTES)),
    st.sampled_from(["GET"] * 4 + ["POST"] * 5 + ["PUT", "DELETE", "OPTIONS"]),
    query_strings,
    bodies,
    st.sampled_from(CONTENT_TYPES),
    st.sampled_from(ACCEPTS),
)


def _check_graphql(response: httpx.Response) -> None:
    assert response.status_code in GRAPHQL_STATUSES, (response.status_code, response.text[:300])
    _check_coded(response)


def _check_coded(response: httpx.Response) -> None:
    assert response.headers["content-type"].split(";")[0] in {
        "application/json",
        "application/graphql-response+json",
    }, (response.status_code, response.headers["content-type"], response.text[:200])
    body = response.json()
    assert response.status_code < 400 or body.get("errors"), body
    for error in body.get("errors") or []:
        assert error["extensions"]["code"], body


async def test_raw_and_mutated_requests_always_get_a_coded_answer(service_url: str) -> None:
    outcomes: Counter[int] = Counter()
    started = time.monotonic()

    @seed(SEED)
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(requests)
    def one(request: tuple[str, str, str, bytes, str, str]) -> None:
        path, method, query, body, content_type, accept = request
        headers = {"content-type": content_type, "accept": accept}
        response = client.request(
            method, f"{path}?{query}", content=body if method != "GET" else None, headers=headers
        )
        outcomes[response.status_code] += 1
        if path == GRAPHQL and response.headers.get("content-type", "").startswith("text/html"):
            # GraphiQL: a GET that asks no query (the page, as docs/operating.md says).
            assert method == "GET" and response.status_code == 200 and "query=" not in query
        elif path == GRAPHQL:
            _check_graphql(response)
        else:
            assert response.status_code in ROUTES.get(path, GRAPHQL_STATUSES | {200}), (
                path,
                method,
                response.text[:200],
            )
            if response.status_code >= 400:
                # Refusals of every route are JSON errors with a code too.
                _check_coded(response)

    with httpx.Client(base_url=service_url, timeout=30) as client:
        await asyncio.to_thread(one)
        assert client.get("/readyz").status_code == 200
    assert sum(outcomes.values()) == EXAMPLES
    print(
        f"\n{EXAMPLES} fuzzed requests (hypothesis {hypothesis.__version__}, seed {SEED}) in "
        f"{time.monotonic() - started:.0f} s, statuses {dict(sorted(outcomes.items()))}"
    )
