"""Finding an entity by its key, or by the key of a duplicate that was merged into it.

Both are index seeks: the key under its uniqueness constraint, and a retired key as one
`(:MergedKey {key})-[:MERGED_INTO]->(entity)` node under its own constraint (migration
0005). The entity's `mergedKeys` property stays the record of what was merged (history
and the API read it); `INDEX_MERGED_KEYS` keeps the `MergedKey` nodes in step with it.
"""

from __future__ import annotations

from typing import LiteralString

from clustergraph.model import ENTITY_LABEL, MERGED_INTO, MERGED_KEY_LABEL


def optional_entity(var: str, key_param: str) -> str:
    """Cypher that binds `var` to the entity `key_param` names, or to null; other variables stay."""
    direct, merged = f"{var}_direct", f"{var}_merged"
    return (
        f"CALL () {{ OPTIONAL MATCH ({direct}:{ENTITY_LABEL} {{key: {key_param}}}) "
        f"OPTIONAL MATCH (:{MERGED_KEY_LABEL} {{key: {key_param}}})-[:{MERGED_INTO}]->({merged}:{ENTITY_LABEL}) "
        f"RETURN coalesce({direct}, {merged}) AS {var} LIMIT 1 }}"
    )


def resolve_entity(var: str, key_param: str) -> str:
    """Like `optional_entity`, but no row at all when no entity has the key."""
    return f"{optional_entity(var, key_param)} WITH * WHERE {var} IS NOT NULL"


# The MergedKey nodes of the entities with these keys (all entities when $keys is null),
# one per key in their `mergedKeys`, each pointing at the entity that holds it now.
INDEX_MERGED_KEYS: LiteralString = f"""
MATCH (n:{ENTITY_LABEL}) WHERE ($keys IS NULL OR n.key IN $keys) AND size(coalesce(n.mergedKeys, [])) > 0
UNWIND n.mergedKeys AS retired
MERGE (m:{MERGED_KEY_LABEL} {{key: retired}})
WITH m, n
OPTIONAL MATCH (m)-[old:{MERGED_INTO}]->(other) WHERE other <> n
DELETE old
MERGE (m)-[:{MERGED_INTO}]->(n)
"""
