"""Concurrent curation on the real Neo4j: no acknowledged write lost, history chains intact.

Many clients write to the same few entities at once over HTTP; afterwards the graph and
its history are read back and checked against what the service acknowledged.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import os
import random
import time
from collections import Counter
from typing import Any

import pytest

from clustergraph.auth.identity import Role
from clustergraph.graph.db import Graph
from tests.curation.invariants import (
    ACTIONS,
    ENTITY,
    HOT_CLUSTERS,
    MERGE,
    UPDATE,
    Ledger,
    check_invariants,
    create_hot_entities,
    create_sources,
)
from tests.support import codes

ROUND = 100


async def gather_bounded(limit: int, calls: list[Any]) -> list[Any]:
    """Run the coroutines with at most `limit` in flight, answers in the order given."""
    gate = asyncio.Semaphore(limit)

    async def one(call: Any) -> Any:
        async with gate:
            return await call

    return await asyncio.gather(*(one(c) for c in calls))


async def test_parallel_updates_of_one_entity_keep_every_source(
    restore: Graph, send: Any, tokens: dict[Role, str]
) -> None:
    sources = await create_sources(send, tokens[Role.EDITOR], 20)
    key = "cluster:euroregion-beskidy"
    answers = await gather_bounded(
        8,
        [
            send(
                UPDATE,
                {"key": key, "properties": {"description": f"update {i}"}, "sources": [source]},
                tokens[Role.EDITOR],
            )
            for i, source in enumerate(sources)
        ],
    )
    assert all(a.get("errors") is None for a in answers), answers
    entity = (await send(ENTITY, {"key": key}))["data"]["entity"]
    assert set(sources) <= {s["key"] for s in entity["sources"]}
    # Each update read what the previous one wrote: `before` of each is `after` of the last.
    changes = await restore.read(
        "MATCH (c:Change {key: $key, action: 'update'}) RETURN c.before AS before, c.after AS after ORDER BY c.at",
        {"key": key},
    )
    assert len(changes) == 20
    for previous, change in itertools.pairwise(changes):
        assert json.loads(change["before"]) == json.loads(previous["after"])


async def test_opposite_merges_sent_together_leave_one_winner(
    restore: Graph, send: Any, tokens: dict[Role, str]
) -> None:
    a, b = await create_hot_entities(send, tokens[Role.EDITOR], 2)
    admin = tokens[Role.ADMIN]
    first, second = await asyncio.gather(
        send(MERGE, {"keep": a, "merge": [b]}, admin), send(MERGE, {"keep": b, "merge": [a]}, admin)
    )
    won = [answer for answer in (first, second) if answer.get("errors") is None]
    lost = [answer for answer in (first, second) if answer.get("errors")]
    assert len(won) == 1 and len(lost) == 1, (first, second)
    assert codes(lost[0]) == ["BAD_USER_INPUT"]
    assert "one entity already" in lost[0]["errors"][0]["message"]
    winner = won[0]["data"]["mergeEntities"]["key"]
    for key in (a, b):
        assert (await send(ENTITY, {"key": key}))["data"]["entity"]["key"] == winner
    merges = await restore.read(
        "MATCH (c:Change {action: 'merge'}) WHERE c.key IN $keys RETURN c", {"keys": [a, b]}
    )
    assert len(merges) == 1


@pytest.mark.parametrize("clients", [8, 16])
async def test_random_mutations_on_hot_entities_keep_every_acknowledged_change(
    restore: Graph, send: Any, tokens: dict[Role, str], clients: int
) -> None:
    """Updates, links, unlinks, merges (opposite, chained, overlapping) and deletes at once.

    In rounds of ROUND mutations, each on a fresh set of hot entities: merges and deletes
    take entities out of a set for good, and a set of one entity would refuse most writes.
    CLUSTERGRAPH_INTEGRITY_MUTATIONS sets how many in all (docs/integrity.md: 2,400).
    """
    editor, admin = tokens[Role.EDITOR], tokens[Role.ADMIN]
    sources = await create_sources(send, editor, 12)
    rng = random.Random(clients)
    count = int(os.environ.get("CLUSTERGRAPH_INTEGRITY_MUTATIONS", "200"))
    outcomes: Counter[str] = Counter()
    elapsed = 0.0
    for _ in range(max(count // ROUND, 1)):
        ledger = Ledger(await create_hot_entities(send, editor, HOT_CLUSTERS), sources)
        calls = [ledger.random_mutation(rng, send, editor, admin) for _ in range(ROUND)]
        started = time.monotonic()
        await gather_bounded(clients, calls)
        elapsed += time.monotonic() - started
        await check_invariants(restore, send, ledger)
        outcomes += ledger.outcomes
    # Every kind of write was acknowledged, and every refusal was a clear BAD_USER_INPUT.
    assert {name.split(":")[0] for name in outcomes if name.endswith(":ok")} == set(ACTIONS)
    acknowledged = sum(n for name, n in outcomes.items() if name.endswith(":ok"))
    print(
        f"\n{sum(outcomes.values())} mutations ({acknowledged} acknowledged) from {clients} clients "
        f"in {elapsed:.1f} s: {dict(sorted(outcomes.items()))}; 0 lost, 0 broken history chains"
    )
