"""API keys in the graph: `(:ApiKey {id, name, role, hash, createdAt, revokedAt})`, never the token."""

from __future__ import annotations

from typing import LiteralString

from clustergraph.model import API_KEY_LABEL

CREATE_KEY: LiteralString = f"""
CREATE (k:{API_KEY_LABEL} {{id: $id, name: $name, role: $role, hash: $hash, createdAt: datetime()}})
RETURN k.id AS id
"""

LIST_KEYS: LiteralString = f"""
MATCH (k:{API_KEY_LABEL})
RETURN k.id AS id, k.name AS name, k.role AS role,
       toString(k.createdAt) AS createdAt, toString(k.revokedAt) AS revokedAt
ORDER BY k.createdAt, k.id
"""

REVOKE_KEY: LiteralString = f"""
MATCH (k:{API_KEY_LABEL} {{id: $id}})
SET k.revokedAt = coalesce(k.revokedAt, datetime())
RETURN k.id AS id
"""

# Only a key that was never revoked identifies anyone.
FIND_KEY: LiteralString = f"""
MATCH (k:{API_KEY_LABEL} {{hash: $hash}}) WHERE k.revokedAt IS NULL
RETURN k.id AS id, k.name AS name, k.role AS role
"""
