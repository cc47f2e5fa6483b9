"""Finding an entity by its key, or by the key of a duplicate that was merged into it.

Both are index seeks: the key under its uniqueness constraint, and a retired key as one
`(:MergedKey {key})-[:MERGED_INTO]->(entity)` node under its own constraint (migration
0005). The entity's `mergedKeys` property stays the record of what was merged (history
and the API read it); `INDEX_MERGED_KEYS` keeps the `MergedKey` nodes in step with it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import LiteralString

from clustergraph.model import ENTITY_LABEL, MERGED_INTO, MERGED_KEY_LABEL

# How many keys an ambiguous or unknown name is answered with.
CANDIDATES = 10


def optional_entity(var: str, key_param: str) -> str:
    """Cypher that binds `var` to the entity `key_param` names, or to null; other variables stay."""
    direct, merged = f"{var}_direct", f"{var}_merged"
    return (
        f"CALL () {{ OPTIONAL MATCH ({direct}:{ENTITY_LABEL} {{key: {key_param}}}) "
        f"OPTIONAL MATCH (:{MERGED_KEY_LABEL} {{key: {key_param}}})-[:{MERGED_INTO}]->({merged}:{ENTITY_LABEL}) "
        f"RETURN coalesce({direct}, {merged}) AS {var} LIMIT 1 }}"
    )


@dataclass(frozen=True)
class EntityText:
    """What a request names an entity by (a key, a retired key or an exact name), and the
    full-text query that suggests keys when it names none (None: suggest nothing)."""

    text: str
    search: str | None


def entity_by_key_or_name(var: str, text_param: str, search_param: str) -> str:
    """Cypher that binds `var` to the entity `text_param` names, or to null; and, when
    null, `{var}_candidates` to the keys it may mean: every entity of that name when
    several share it (`{var}_ambiguous`), else the best full-text hits of `search_param`.

    A key wins over a name, so a key stays what it always meant. Each step runs only
    when the one before found nothing: two key seeks, then the `entity_name` index.
    """
    found, named, hits = f"{var}_found", f"{var}_named", f"{var}_hits"
    return f"""CALL () {{
  {optional_entity(found, text_param)}
  CALL ({found}) {{
    WITH {found} WHERE {found} IS NULL
    MATCH (n:{ENTITY_LABEL} {{name: {text_param}}})
    WITH n ORDER BY n.key LIMIT {CANDIDATES}
    RETURN collect(n) AS {named}
  }}
  CALL ({found}, {named}) {{
    WITH {found}, {named} WHERE {found} IS NULL AND size({named}) = 0 AND {search_param} IS NOT NULL
    CALL db.index.fulltext.queryNodes('entity_names', {search_param}) YIELD node, score
    WITH node ORDER BY score DESC, node.key LIMIT {CANDIDATES}
    RETURN collect(node.key) AS {hits}
  }}
  RETURN coalesce({found}, CASE WHEN size({named}) = 1 THEN {named}[0] END) AS {var},
    size({named}) > 1 AS {var}_ambiguous,
    CASE WHEN size({named}) > 1 THEN [n IN {named} | n.key] ELSE {hits} END AS {var}_candidates
}}"""


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


def _candidates(label: str, prefixes_param: str, name_prefix_param: str, out: str) -> str:
    """Entities of `label` whose key starts with one of the prefixes, or whose name starts like the
    given value: index range seeks (the hints keep them so), a few per prefix, so a mistyped key
    costs little on a large graph."""
    of_label = "" if label == ENTITY_LABEL else f" AND k:{label}"
    return (
        f"CALL () {{ UNWIND {prefixes_param} AS prefix "
        f"CALL (prefix) {{ MATCH (k:{label}) USING INDEX k:{label}(key) WHERE k.key STARTS WITH prefix "
        f"RETURN k LIMIT 25 }} RETURN k "
        f"UNION MATCH (k:{ENTITY_LABEL}) USING INDEX k:{ENTITY_LABEL}(name) "
        f"WHERE k.name STARTS WITH {name_prefix_param}{of_label} RETURN k LIMIT 25 }} "
        f"WITH DISTINCT k ORDER BY k.key RETURN collect({{key: k.key, name: k.name}}) AS {out}"
    )


def key_check(label: str, key_param: str, prefixes_param: str, name_prefix_param: str, out: str) -> str:
    """A CALL binding `{out}Found` (an entity of `label` has the key) and, only when none has,
    `{out}Candidates`: the keys and names to suggest instead (see `translate.suggest`)."""
    return (
        f"CALL () {{ OPTIONAL MATCH (x:{label} {{key: {key_param}}}) WITH x IS NOT NULL AS found LIMIT 1 "
        f"CALL (found) {{ WITH found WHERE NOT found "
        f"{_candidates(label, prefixes_param, name_prefix_param, 'candidates')} }} "
        f"RETURN found AS {out}Found, candidates AS {out}Candidates }}"
    )


def missing_candidates(var: str, prefixes_param: str, name_prefix_param: str, out: str) -> str:
    """A CALL binding `out` to the candidates to suggest when `var` (an `optional_entity`) is null."""
    return (
        f"CALL ({var}) {{ WITH {var} WHERE {var} IS NULL "
        f"{_candidates(ENTITY_LABEL, prefixes_param, name_prefix_param, out)} }}"
    )
