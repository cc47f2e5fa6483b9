"""API keys: high-entropy bearer tokens, shown once on creation and stored only as a SHA-256 hash."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from typing import Any

from clustergraph.auth.identity import Identity, Role
from clustergraph.cypher import keys as cypher
from clustergraph.graph.db import Graph

TOKEN_PREFIX = "cg_"


@dataclass(frozen=True)
class NewKey:
    id: str
    token: str  # shown to the user once; the graph keeps only its hash


def token_hash(token: str) -> str:
    # A salted slow hash buys nothing here: the token carries 256 random bits.
    return hashlib.sha256(token.encode()).hexdigest()


async def create_key(graph: Graph, name: str, role: Role) -> NewKey:
    key_id = secrets.token_hex(6)
    token = f"{TOKEN_PREFIX}{secrets.token_urlsafe(32)}"
    await graph.write(
        cypher.CREATE_KEY, {"id": key_id, "name": name, "role": role.value, "hash": token_hash(token)}
    )
    return NewKey(key_id, token)


async def list_keys(graph: Graph) -> list[dict[str, Any]]:
    return await graph.read(cypher.LIST_KEYS)


async def revoke_key(graph: Graph, key_id: str) -> bool:
    """Revoke a key; False when no key has this id."""
    return bool(await graph.write(cypher.REVOKE_KEY, {"id": key_id}))


async def identify_key(graph: Graph, token: str) -> Identity | None:
    rows = await graph.read(cypher.FIND_KEY, {"hash": token_hash(token)})
    if not rows:
        return None
    row = rows[0]
    return Identity(actor=f"key:{row['id']}:{row['name']}", role=Role(row["role"]))
