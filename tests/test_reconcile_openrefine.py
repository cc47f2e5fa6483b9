"""The requests OpenRefine 3.x sends to a reconciliation service, replayed byte for byte.

OpenRefine cannot run here (a Java desktop application with a browser UI; no display, and
not on a package registry), so this test replays what it sends instead, as recorded from
its source and documentation:

- adding a service: the browser GETs the service URL (the manifest), `Accept: application/json`;
- reconciling a column (`StandardReconConfig.batchRecon`): POSTs of
  `Content-Type: application/x-www-form-urlencoded`, body `queries=` + the URL-encoded JSON
  `{"q0": {...}, "q1": {...}}`, ten queries a batch; each query is
  `{"query": cell, "type": typeID, "type_strict": "should", "properties": [{"pid": ..., "v": ...}]}`
  (type and properties only when chosen; `v` a string, or `{"id", "name"}` for a cell
  reconciled itself), and 3.x adds `"limit"` when set; it reads `result[].id/name/type/score/match`
  and auto-matches only the first candidate, and only when `match` is true;
- the suggest widgets: GET `service_url + service_path?prefix=...` (`type=` for entities of a type);
- the preview: GET the manifest's `preview.url` with `{{id}}` replaced, in an iframe;
- data extension (`ReconciledDataExtensionJob`): POST form-encoded `extend=` + the JSON
  `{"ids": [...], "properties": [{"id": ...}]}`; it reads `meta[].id/name/type` and then
  `rows[id][pid]` for every property of every id (so each must be there, as a list);
  property proposals: GET `propose_properties` with `?type=...&limit=...`.

The request bodies are checked against the spec's query schemas too, so the replay is one
the specification allows.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import httpx
import orjson
import pytest

from tests.reconcile_schema import validate

FORM = {"Content-Type": "application/x-www-form-urlencoded"}
# What OpenRefine's Java HTTP client announces; no cookies, no credentials.
JAVA = {"User-Agent": "OpenRefine/3.8.7", "Accept": "*/*"}


def _form(name: str, payload: dict[str, Any]) -> bytes:
    # As OpenRefine writes it: compact JSON, URL-encoded whole (ParsingUtilities.encode).
    return f"{name}={quote(orjson.dumps(payload).decode(), safe='')}".encode("ascii")


@pytest.mark.asyncio
async def test_openrefine_adds_the_service_and_reconciles_a_column(http: httpx.AsyncClient) -> None:
    manifest = (await http.get("/reconcile", headers={"Accept": "application/json"})).json()
    validate("manifest", manifest)

    column = [
        ("Agencja Rozwoju Regionalnego S.A. w Bielsku-Białej", "PL"),
        ("RDA Celje", "SI"),
        ("Stuttgart Region Economic Development Corp.", "DE"),
        ("Mid Pannon Regional Development Company", "HU"),
        ("ARLEG SA", "PL"),
        ("Milano Metropoli", "IT"),
        ("BSC Kranj", "SI"),
        ("Regional Development Agency of Piešťany", "SK"),
        ("Upper Austrian Chamber of Commerce", "AT"),
        ("Centre for Research & Innovation", "CZ"),
        ("Agencja Rozwoju Przemysłu S.A.", "PL"),
    ]
    queries = {
        f"q{i}": {
            "query": name,
            "type": "Organisation",
            "type_strict": "should",
            "properties": [{"pid": "country", "v": country}],
        }
        for i, (name, country) in enumerate(column[:10])
    }
    validate("reconciliation-query-batch", queries)
    response = await http.post("/reconcile", content=_form("queries", queries), headers={**FORM, **JAVA})
    assert response.status_code == 200, response.text
    batch = response.json()
    validate("reconciliation-result-batch", batch)
    # What OpenRefine then does: auto-match the first candidate when `match` is true.
    matched = [batch[f"q{i}"]["result"][0]["id"] for i in range(10) if batch[f"q{i}"]["result"][0]["match"]]
    assert len(matched) == 10 and len(set(matched)) == 10

    # The second batch: the remaining row, with a reconciled country cell and a limit (3.x).
    last = {
        "q0": {
            "query": column[10][0],
            "type": "Organisation",
            "type_strict": "should",
            "limit": 3,
            "properties": [{"pid": "country", "v": {"id": "country:pl", "name": "Poland"}}],
        }
    }
    validate("reconciliation-query-batch", last)
    answer = (await http.post("/reconcile", content=_form("queries", last), headers={**FORM, **JAVA})).json()
    validate("reconciliation-result-batch", answer)
    assert len(answer["q0"]["result"]) <= 3
    assert not any(r["match"] for r in answer["q0"]["result"])  # not an entity of the graph


@pytest.mark.asyncio
async def test_openrefine_suggest_preview_and_extend(http: httpx.AsyncClient) -> None:
    manifest = (await http.get("/reconcile")).json()
    suggest = manifest["suggest"]["entity"]
    url = suggest["service_url"] + suggest["service_path"]
    entities = (await http.get(url, params={"prefix": "Milano", "type": "Organisation"})).json()
    validate("suggest-entities-response", entities)
    assert entities["result"][0]["id"] == "organisation:milano-metropoli"

    prop = manifest["suggest"]["property"]
    props = (await http.get(prop["service_url"] + prop["service_path"], params={"prefix": "reg"})).json()
    validate("suggest-properties-response", props)

    preview = manifest["preview"]["url"].replace("{{id}}", quote("organisation:wrs", safe=""))
    page = await http.get(preview)
    assert page.status_code == 200 and "Stuttgart Region Economic Development Corporation" in page.text

    propose = manifest["extend"]["propose_properties"]
    proposed = (
        await http.get(
            propose["service_url"] + propose["service_path"], params={"type": "Organisation", "limit": 10}
        )
    ).json()
    validate("data-extension-property-proposal", proposed)

    ids = ["organisation:wrs", "organisation:rda-celje"]
    extend = {"ids": ids, "properties": [{"id": p["id"]} for p in proposed["properties"]]}
    validate("data-extension-query", extend)
    response = await http.post("/reconcile", content=_form("extend", extend), headers={**FORM, **JAVA})
    answer = response.json()
    validate("data-extension-response", answer)
    assert [m["id"] for m in answer["meta"]] == [p["id"] for p in proposed["properties"]]
    for key in ids:  # every property of every id, as OpenRefine reads them
        assert set(answer["rows"][key]) == {m["id"] for m in answer["meta"]}
    assert answer["rows"]["organisation:wrs"]["country"] == [{"id": "country:de", "name": "Germany"}]
