"""Finding an entity by its key, or by the key of a duplicate that was merged into it."""

from __future__ import annotations

from clustergraph.model import ENTITY_LABEL


def optional_entity(var: str, key_param: str) -> str:
    """Cypher that binds `var` to the entity `key_param` names, or to null; other variables stay.

    The key's own index answers first; only a key no entity has is looked for among
    merged keys, so ordinary lookups stay index-backed.
    """
    direct, merged = f"{var}_direct", f"{var}_merged"
    return (
        f"CALL () {{ OPTIONAL MATCH ({direct}:{ENTITY_LABEL} {{key: {key_param}}}) "
        f"OPTIONAL CALL ({direct}) {{ WITH {direct} WHERE {direct} IS NULL "
        f"MATCH ({merged}:{ENTITY_LABEL}) WHERE {key_param} IN {merged}.mergedKeys "
        f"RETURN {merged} LIMIT 1 }} "
        f"RETURN coalesce({direct}, {merged}) AS {var} }}"
    )


def resolve_entity(var: str, key_param: str) -> str:
    """Like `optional_entity`, but no row at all when no entity has the key."""
    return f"{optional_entity(var, key_param)} WITH * WHERE {var} IS NOT NULL"
