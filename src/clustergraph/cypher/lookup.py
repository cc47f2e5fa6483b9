"""Finding an entity by its key, or by the key of a duplicate that was merged into it."""

from __future__ import annotations

from clustergraph.model import ENTITY_LABEL


def resolve_entity(var: str, key_param: str) -> str:
    """Cypher that binds `var` to the entity `key_param` names (no row when none does).

    The key's own index answers first; only a key no entity has is looked for among
    merged keys, so ordinary lookups stay index-backed.
    """
    direct, merged = f"{var}_direct", f"{var}_merged"
    return (
        f"OPTIONAL MATCH ({direct}:{ENTITY_LABEL} {{key: {key_param}}}) "
        f"OPTIONAL CALL ({direct}) {{ WITH {direct} WHERE {direct} IS NULL "
        f"MATCH ({merged}:{ENTITY_LABEL}) WHERE {key_param} IN {merged}.mergedKeys "
        f"RETURN {merged} LIMIT 1 }} "
        f"WITH coalesce({direct}, {merged}) AS {var} WHERE {var} IS NOT NULL"
    )
