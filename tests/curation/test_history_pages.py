"""`history` is a connection: read page by page with its cursors, it gives every change of an
entity (those under keys merged into it too), newest first, once each, and ends.

The changes are made through real mutations over HTTP; what the pages must add up to is read
from the graph by the plain definition (every Change that names one of the keys), not by the
index the pages are read through.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from clustergraph.auth.identity import Role
from clustergraph.auth.keys import create_key
from clustergraph.curation.history import entity_history
from clustergraph.cypher.history import HISTORY_PAGE
from clustergraph.graph.db import Graph
from clustergraph.graph.migrations import discover
from clustergraph.translate.cursors import encode_change_cursor, encode_cursor
from tests.support import codes

KEEP = "cluster:history-pages"
DUPLICATE = "cluster:history-pages-duplicate"
PAGE = 20
CREATE = "mutation($input: EntityInput!) { createEntity(input: $input) { key } }"
UPDATE = (
    'mutation($key: String!, $p: JSON!) { updateEntity(key: $key, properties: $p, sources: ["source:s1"]) '
    "{ key } }"
)
LINK = "mutation($input: RelationshipInput!) { linkEntities(input: $input) { type } }"
MERGE = (
    'mutation($keep: String!, $merge: [String!]!) { mergeEntities(keep: $keep, merge: $merge, sources: ["source:s1"]) '
    "{ key } }"
)
HISTORY = """query($key: String!, $first: Int, $after: String) {
  history(key: $key, first: $first, after: $after) {
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node { id action keys } }
    nodes { id }
  }
}"""


async def _post(http: httpx.AsyncClient, token: str, query: str, variables: dict[str, Any]) -> Any:
    response = await http.post(
        "/graphql",
        json={"query": query, "variables": variables},
        headers={"Authorization": f"Bearer {token}"},
    )
    body = response.json()
    assert "errors" not in body, body
    return body["data"]


async def _expected(graph: Graph, keys: list[str]) -> list[str]:
    rows = await graph.read(
        "MATCH (c:Change) WHERE any(k IN c.keys WHERE k IN $keys) RETURN c.id AS id ORDER BY c.seq DESC",
        {"keys": keys},
    )
    return [row["id"] for row in rows]


async def _read_all_pages(
    http: httpx.AsyncClient, token: str, key: str
) -> tuple[list[str], list[dict[str, Any]]]:
    ids: list[str] = []
    pages: list[dict[str, Any]] = []
    after = None
    while True:
        page = (await _post(http, token, HISTORY, {"key": key, "first": PAGE, "after": after}))["history"]
        pages.append(page)
        assert [e["node"]["id"] for e in page["edges"]] == [n["id"] for n in page["nodes"]]
        assert len(page["edges"]) <= PAGE
        info = page["pageInfo"]
        assert info["hasPreviousPage"] is (after is not None)
        if page["edges"]:
            assert info["startCursor"] == page["edges"][0]["cursor"]
            assert info["endCursor"] == page["edges"][-1]["cursor"]
        ids += [e["node"]["id"] for e in page["edges"]]
        if not info["hasNextPage"]:
            return ids, pages
        assert len(page["edges"]) == PAGE, "a page that says more follow is full"
        after = info["endCursor"]
        assert len(pages) < 50, "the pages never end"


@pytest.fixture
async def busy(graph: Graph, http: httpx.AsyncClient, editor: str) -> int:
    """Two clusters with many changes each, the second merged into the first; how many writes."""
    writes = 0
    for key in (KEEP, DUPLICATE):
        entity = {"kind": "CLUSTER", "key": key, "properties": {"name": key}, "sources": ["source:s1"]}
        await _post(http, editor, CREATE, {"input": entity})
        writes += 1
    for n in range(30):
        await _post(http, editor, UPDATE, {"key": KEEP, "p": {"description": f"revision {n}"}})
        await _post(http, editor, UPDATE, {"key": DUPLICATE, "p": {"description": f"duplicate revision {n}"}})
        writes += 2
    ends = {
        "type": "MEMBER_OF",
        "from": KEEP,
        "to": "organisation:rda-bielsko-biala",
        "sources": ["source:s1"],
    }
    await _post(http, editor, LINK, {"input": ends})
    admin = (await create_key(graph, "test-admin", Role.ADMIN)).token
    await _post(http, admin, MERGE, {"keep": KEEP, "merge": [DUPLICATE]})
    await _post(http, editor, UPDATE, {"key": KEEP, "p": {"description": "after the merge"}})
    return writes + 3


async def test_history_pages_give_every_change_once_newest_first(
    graph: Graph, http: httpx.AsyncClient, editor: str, busy: int
) -> None:
    expected = await _expected(graph, [KEEP, DUPLICATE])
    # Every acknowledged write is one change of the merged entity: more than two pages of them.
    assert len(expected) == busy and busy > 2 * PAGE
    for key in (KEEP, DUPLICATE):  # the retired key reads the kept entity's history
        ids, pages = await _read_all_pages(http, editor, key)
        assert len(ids) == len(set(ids)), "a change came twice"
        assert ids == expected, "a change is missing, or out of order"
        assert len(pages) == -(-busy // PAGE) and pages[-1]["pageInfo"]["hasNextPage"] is False
    first = (await _post(http, editor, HISTORY, {"key": KEEP, "first": 1}))["history"]["nodes"][0]
    assert first["id"] == expected[0]


async def test_an_entity_with_no_changes_has_an_empty_last_page(http: httpx.AsyncClient, editor: str) -> None:
    page = (await _post(http, editor, HISTORY, {"key": "cluster:nobody-wrote-this", "first": 5}))["history"]
    assert page == {
        "pageInfo": {"hasNextPage": False, "hasPreviousPage": False, "startCursor": None, "endCursor": None},
        "edges": [],
        "nodes": [],
    }


@pytest.mark.parametrize(
    "variables",
    [
        {"after": "not a cursor"},
        {"after": encode_cursor(3)},  # another list's (offset) cursor
        {"after": encode_change_cursor(7) + "="},  # padding a cursor never had
        {"after": "Y2hhbmdlOjA="},  # change:0, which no change has
        {"after": "Y2hhbmdlOjA3"},  # change:07
        {"first": -1},
        {"first": 101},
    ],
)
async def test_bad_cursors_and_page_sizes_are_bad_user_input(
    http: httpx.AsyncClient, editor: str, variables: dict[str, Any]
) -> None:
    response = await http.post(
        "/graphql",
        json={"query": HISTORY, "variables": {"key": "cluster:euroregion-beskidy", **variables}},
        headers={"Authorization": f"Bearer {editor}"},
    )
    body = response.json()
    assert codes(body) == ["BAD_USER_INPUT"], body
    assert "Traceback" not in response.text


async def test_a_page_reads_only_its_own_changes_from_the_index(
    graph: Graph, http: httpx.AsyncClient, editor: str, busy: int
) -> None:
    """Keyset in the database: each key's index seek stops after a page, none reads the whole log."""
    first_page = await entity_history(graph, KEEP, PAGE)
    before = int(first_page.changes[-1]["seq"])
    params = {"key": KEEP, "before": before, "limit": PAGE + 1}
    async with graph.driver.session(database=graph.database) as session:
        result = await session.run("PROFILE " + HISTORY_PAGE, params)  # type: ignore[arg-type]
        summary = await result.consume()
    assert summary.profile is not None
    operators = list(_operators(summary.profile))
    names = [name for name, _ in operators]
    assert not {"NodeByLabelScan", "AllNodesScan"} & set(names), names
    seeks = [rows for name, rows in operators if name == "NodeIndexSeek"]
    # Two keys (the entity's and the one merged into it): at most a page and one more each.
    assert PAGE < sum(seeks) <= 2 * (PAGE + 1), operators


async def test_changes_recorded_before_the_index_are_backfilled(graph: Graph, editor: str, busy: int) -> None:
    expected = await _expected(graph, [KEEP, DUPLICATE])
    await graph.write("MATCH (x:ChangeKey) WHERE x.key IN $keys DELETE x", {"keys": [KEEP, DUPLICATE]})
    assert (await entity_history(graph, KEEP, 100)).changes == []
    [migration] = [m for m in discover() if m.id == "0009_change_keys"]
    for _ in range(2):  # running it again adds nothing
        for statement in migration.statements():
            await graph.write(statement)  # type: ignore[arg-type]
        page = await entity_history(graph, KEEP, 100)
        assert [c["id"] for c in page.changes] == expected and not page.has_next


def _operators(plan: dict[str, Any]) -> Any:
    yield str(plan.get("operatorType", "")).split("@")[0], int(plan.get("rows", 0))
    for child in plan.get("children", []):
        yield from _operators(child)
