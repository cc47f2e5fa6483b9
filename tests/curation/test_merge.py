"""Merging duplicates: the two Hungarian agencies of Közép-Dunántúl, as docs/curation.md's worked example."""

from __future__ import annotations

from typing import Any

from clustergraph.auth.identity import Role
from clustergraph.graph.db import Graph
from tests.support import codes, snapshot

KEEP = "organisation:central-transdanubian-rda"
DUPLICATE = "organisation:mid-pannon"
MERGE = """
mutation($keep: String!, $merge: [String!]!) {
  mergeEntities(keep: $keep, merge: $merge, sources: ["source:s2", "source:s6"]) {
    key name aliases mergedKeys sources { key }
  }
}"""
RELATIONSHIPS = """
MATCH (n:Entity {key: $key})-[r]-(o:Entity) WHERE type(r) <> 'SOURCED_FROM'
RETURN type(r) AS type, startNode(r) = n AS out, o.key AS other, r.sources AS sources, r.property AS property
"""


def _shape(rows: list[dict[str, Any]], keys: set[str], keep: str) -> list[tuple[str, bool, str, Any]]:
    return sorted(
        (r["type"], r["out"], keep if r["other"] in keys else r["other"], r["property"]) for r in rows
    )


async def test_merge_moves_every_relationship_exactly_once(
    restore: Graph, send: Any, tokens: dict[Role, str]
) -> None:
    admin = tokens[Role.ADMIN]
    # Give both the same fact from different sources: after the merge it must be there once, with both sources.
    linked = await send(
        'mutation { linkEntities(input: {type: LOCATED_IN, from: "organisation:mid-pannon", to: "country:hu", '
        'sources: ["source:s2"]}) { type } }',
        token=admin,
    )
    assert linked["data"], linked
    before = {key: await restore.read(RELATIONSHIPS, {"key": key}) for key in (KEEP, DUPLICATE)}
    expected = sorted(set(_shape(before[KEEP] + before[DUPLICATE], {DUPLICATE}, KEEP)))

    body = await send(MERGE, {"keep": KEEP, "merge": [DUPLICATE]}, token=admin)
    merged = body["data"]["mergeEntities"]
    assert merged["key"] == KEEP and merged["name"] == "Central Transdanubian Regional Development Agency"
    assert {
        "Mid-Pannon Regional Development Company",
        "Spółka Rozwoju Regionalnego MID-PANNON",
        "MID-PANNON",
    } <= set(merged["aliases"])
    assert merged["mergedKeys"] == [DUPLICATE]
    assert {s["key"] for s in merged["sources"]} == {"source:s2", "source:s5", "source:s6"}

    after = await restore.read(RELATIONSHIPS, {"key": KEEP})
    assert _shape(after, set(), KEEP) == expected  # every relationship, each exactly once
    [country] = [r for r in after if r["type"] == "LOCATED_IN" and r["other"] == "country:hu"]
    assert sorted(country["sources"]) == ["source:s2", "source:s6"]
    assert await restore.read("MATCH (n:Entity {key: $key}) RETURN n", {"key": DUPLICATE}) == []
    partners = await restore.read(
        "MATCH (o)-[:PARTNER_IN]->(:Project {key: 'project:clusters-cord'}) RETURN count(o) AS n"
    )
    assert partners == [{"n": 11}]


async def test_merged_keys_resolve_and_history_and_search_follow(
    restore: Graph, send: Any, tokens: dict[Role, str]
) -> None:
    body = await send(MERGE, {"keep": KEEP, "merge": [DUPLICATE]}, token=tokens[Role.ADMIN])
    assert body["data"], body
    found = await send(
        '{ entity(key: "organisation:mid-pannon") { key ... on Organisation { projects { totalCount } } } }'
    )
    assert found["data"]["entity"] == {"key": KEEP, "projects": {"totalCount": 2}}
    for key in (KEEP, DUPLICATE):
        history = await send(
            "query($k: String!) { history(key: $k) { nodes { action keys before } } }",
            {"k": key},
            token=tokens[Role.READER],
        )
        assert history["extensions"]["cypherQueries"] == 1
        change, *earlier = history["data"]["history"]["nodes"]
        assert change["action"] == "merge" and change["keys"] == [KEEP, DUPLICATE]
        # The kept entity's history goes on with both entities' earlier changes (their import).
        assert {k for c in earlier for k in c["keys"]} >= {KEEP, DUPLICATE}
        assert change["before"]["merged"][DUPLICATE]["name"] == "Mid-Pannon Regional Development Company"
    # Every root field that takes a key follows a merged key to the kept entity.
    paths = await send(
        '{ cooperationPaths(from: "organisation:mid-pannon", to: "organisation:rda-usti-region") { nodes { key } } }'
    )
    assert paths["data"]["cooperationPaths"][0]["nodes"][0]["key"] == KEEP, paths
    around = await send('{ neighbourhood(key: "organisation:mid-pannon") { center { key } } }')
    assert around["data"]["neighbourhood"]["center"]["key"] == KEEP
    partners = await send(
        '{ crossBorderPartners(key: "organisation:mid-pannon", maxHops: 2) { partner { key } } }'
    )
    assert partners["data"]["crossBorderPartners"], partners
    hits = await send('{ search(query: "mid-pannon") { nodes { key } } }')
    assert [n["key"] for n in hits["data"]["search"]["nodes"]] == [KEEP]


async def test_a_refused_merge_writes_nothing(restore: Graph, send: Any, tokens: dict[Role, str]) -> None:
    before = await snapshot(restore)
    for merge in (["project:clustrat"], ["organisation:nowhere"], [KEEP], [DUPLICATE, "project:clustrat"]):
        body = await send(MERGE, {"keep": KEEP, "merge": merge}, token=tokens[Role.ADMIN])
        assert codes(body) == ["BAD_USER_INPUT"], body
        assert body["errors"][0]["extensions"]["field"] == "merge"
    assert await snapshot(restore) == before
