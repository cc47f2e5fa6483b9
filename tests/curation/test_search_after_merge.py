"""Search after a merge: the duplicate's names and its retired key find the entity kept."""

from __future__ import annotations

from typing import Any

from clustergraph.auth.identity import Role
from clustergraph.graph.db import Graph

KEEP = "organisation:central-transdanubian-rda"
DUPLICATE = "organisation:mid-pannon"
MERGE = "mutation($keep: String!, $merge: [String!]!) { mergeEntities(keep: $keep, merge: $merge) { key } }"
SEARCH = "query($q: String!) { search(query: $q) { edges { node { key } } } }"


async def test_former_names_and_retired_keys_find_the_kept_entity(
    restore: Graph, send: Any, tokens: dict[Role, str]
) -> None:
    body = await send(MERGE, {"keep": KEEP, "merge": [DUPLICATE]}, token=tokens[Role.ADMIN])
    assert body["data"], body
    for query in (
        "Mid-Pannon Regional Development Company",  # its former name, now an alias
        "Spolka Rozwoju Regionalnego Mid-Pannon",  # its Polish name, typed without diacritics
        "Mid-Pann",  # as typed so far
        DUPLICATE,  # the retired key
    ):
        found = await send(SEARCH, {"q": query})
        keys = [edge["node"]["key"] for edge in found["data"]["search"]["edges"]]
        assert keys[:1] == [KEEP] and DUPLICATE not in keys, (query, keys)
