"""The read queries behind each GraphQL root field: one Cypher query per root field.

Each builder takes the plans of what the request selected and returns the query text
and its parameters. Hop and depth bounds cannot be Cypher parameters, so they are
written from the fixed table `BOUNDS`, never from request text.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from clustergraph.cypher.candidates import lookup
from clustergraph.cypher.lookup import (
    EntityText,
    entity_by_key_or_name,
    key_check,
    missing_candidates,
    optional_entity,
    resolve_entity,
)
from clustergraph.cypher.lucene import SearchQueries
from clustergraph.cypher.plan import (
    COOPERATION_IN_PROJECTS,
    ConnectionPlans,
    EdgePlan,
    Keyed,
    KindPlans,
    ListFilter,
    Page,
    PathPlans,
)
from clustergraph.cypher.projection import Emitter, kind_label, rel_label
from clustergraph.model import ENTITY_LABEL, SEARCH_INDEXES, Kind

BOUNDS: dict[int, str] = {n: str(n) for n in range(1, 21)}
_RANK = f"head([label IN labels(%s) WHERE label <> '{ENTITY_LABEL}'])"


@dataclass(frozen=True)
class CypherQuery:
    text: str
    params: dict[str, Any]


def _bound(n: int) -> str:
    return BOUNDS[n]


def _types(types: tuple[str, ...]) -> str:
    return "|".join(rel_label(t) for t in types)


def entity(key: str, plans: KindPlans) -> CypherQuery:
    """The entity with this key, or the one a duplicate with this key was merged into."""
    e = Emitter()
    text = f"{resolve_entity('n', e.param(key))} RETURN {e.node('n', plans)} AS result"
    return CypherQuery(text, e.params)


def _page_items(e: Emitter, var: str, plans: ConnectionPlans, score: str | None = None) -> str:
    """One hit of a page: under each response key of `edges` its edge, of `nodes` its entity."""
    items = []
    for key, edge in plans.edges:
        entries = e.keyed(var, edge.nodes) + [f"`{s}`: {score}" for s in edge.scores if score]
        items.append(f"`{key}`: {{{', '.join(entries)}}}")
    items += e.keyed(var, plans.nodes)
    return "{" + ", ".join(items) + "}"


def _key_check(e: Emitter, kind: Kind, key: str, key_param: str, out: str) -> str:
    """`{out}Found` and, when false, `{out}Candidates` for `key`, already in `key_param` (see cypher.candidates)."""
    given = lookup(key, kind)
    prefixes, name_prefix = e.param(list(given.key_prefixes)), e.param(given.name_prefix)
    return key_check(kind_label(kind), key_param, prefixes, name_prefix, out)


def _missing(e: Emitter, var: str, key: str, out: str) -> str:
    """`out`: the candidates to suggest when no entity has `key` (`var` is null)."""
    given = lookup(key, None)
    return missing_candidates(var, e.param(list(given.key_prefixes)), e.param(given.name_prefix), out)


_IN_SECTOR = "IN_SECTOR|TARGETS_SECTOR"
# From an entity up to the regions it lies in: actor or event -> city -> NUTS 3 -> 2 -> 1 -> 0.
_UP_TO_REGIONS = "LOCATED_IN|HELD_IN|IN_REGION"
_MAX_REGION_HOPS = 6


def in_regions(e: Emitter, var: str, codes: tuple[str, ...]) -> str:
    """`var` is one of the regions of `codes` or lies inside one (by its links, city, region)."""
    return (
        f"EXISTS {{ MATCH ({var})-[:{_UP_TO_REGIONS}*0..{_MAX_REGION_HOPS}]->(r:{Kind.REGION.value}) "
        f"WHERE r.nutsCode IN {e.param(list(codes))} }}"
    )


_IN_PROJECT = "PARTNER_IN|PARTICIPATES_IN|EVENT_OF|FORMED_IN|CONTACT_FOR"


def _list_match(e: Emitter, kind: Kind, where: ListFilter) -> tuple[str, list[str], list[str]]:
    """The entities of one kind the filter keeps; the columns and checks that say whether its
    sector and project exist (and, when not, the keys to suggest).

    A filter by sector or project starts from that node's key (an index seek) and walks to
    its entities, rather than reading every entity of the kind and testing each one.
    """
    label = kind_label(kind)
    found = ["true AS sectorFound", "true AS projectFound"]
    anchors, tests, checks = [], [], []
    if where.sector is not None:
        sector = e.param(where.sector)
        anchors.append(f"(:Sector {{key: {sector}}})<-[:{_IN_SECTOR}]-(n)")
        checks.append(_key_check(e, Kind.SECTOR, where.sector, sector, "sector"))
        found[0] = "sectorFound, sectorCandidates"
    if where.project is not None:
        project = e.param(where.project)
        anchors.append(f"(:Project {{key: {project}}})-[:{_IN_PROJECT}]-(n)")
        checks.append(_key_check(e, Kind.PROJECT, where.project, project, "project"))
        found[1] = "projectFound, projectCandidates"
    if where.countries is not None:
        tests.append(f"n.country IN {e.param(list(where.countries))}")
    if where.regions is not None:
        tests.append(in_regions(e, "n", where.regions))
    if anchors:
        first, *rest = anchors
        tests += [f"EXISTS {{ {pattern} }}" for pattern in rest]
        # One entity can reach the sector or project by several relationships: once each.
        head = f"MATCH {first} WHERE n:{label} WITH DISTINCT n"
    else:
        head = f"MATCH (n:{label})"
    match = head + (f" WHERE {' AND '.join(tests)}" if tests else "")
    return match, found, checks


def entity_list(
    kind: Kind, where: ListFilter, descending: bool, page: Page, plans: ConnectionPlans
) -> CypherQuery:
    """A page of one kind; `sectorFound` and `projectFound` say whether the filter's keys exist."""
    e = Emitter()
    match, found, checks = _list_match(e, kind, where)
    order = "DESC" if descending else "ASC"
    checks_text = "".join(f"\n{c}" for c in checks)
    text = f"""
CALL () {{ {match} RETURN count(n) AS total }}
CALL () {{
  {match}
  WITH n ORDER BY n.name {order}, n.key {order} SKIP {e.param(page.offset)} LIMIT {e.param(page.first)}
  RETURN collect({_page_items(e, "n", plans)}) AS items
}}{checks_text}
RETURN total, items, {", ".join(found)}
"""
    return CypherQuery(text, e.params)


# A key, or a key retired by a merge, typed whole outranks any name.
KEY_SCORE = "100.0"
# A name or alias typed whole (case aside) doubles the score: "Final Conference" is an
# event's alias before it is words in a source's title.
WHOLE_NAME_FACTOR = "2.0"
_WHOLE_NAME = (
    "any(name IN [node.name] + coalesce(node.aliases, []) + "
    "[n IN coalesce(node.names, []) | substring(n, size(split(n, ':')[0]) + 1)] "
    "WHERE toLower(name) = toLower({text}))"
)


def search(
    queries: SearchQueries,
    kinds: tuple[Kind, ...] | None,
    countries: tuple[str, ...] | None,
    page: Page,
    plans: ConnectionPlans,
    regions: tuple[str, ...] | None = None,
) -> CypherQuery:
    """Ask every search index (and the keys) and rank by the sum of their weighted scores.

    Whole words, phrases and prefixes first; then the near misses of the words that the
    folded names do not hold as typed (see cypher.lucene), so that the costly fuzzy
    clauses run for a misspelt word, not for every query. A near miss's score adds to the
    entity's score from the other clauses, as inside one Lucene query.
    """
    e = Emitter()
    tests = []
    if kinds is not None:
        # No kinds at all: nothing matches, like `countries: []`.
        tests.append("(" + (" OR ".join(f"node:{kind_label(k)}" for k in kinds) or "false") + ")")
    if countries is not None:
        tests.append(f"node.country IN {e.param(list(countries))}")
    if regions is not None:
        tests.append(in_regions(e, "node", regions))
    where = f"WHERE {' AND '.join(tests)}" if tests else ""
    branches = [
        f"CALL db.index.fulltext.queryNodes('{index.name}', {e.param(queries.lucene[index.name])}) "
        f"YIELD node, score RETURN node, score * {index.weight:.1f} AS score"
        for index in SEARCH_INDEXES
    ]
    typed = e.param(queries.text)
    branches.append(f"{resolve_entity('node', typed)} RETURN node, {KEY_SCORE} AS score")
    union = "\n  UNION ALL\n  ".join(branches)
    text = f"""
CALL () {{
  {union}
}}
WITH node, sum(score) AS score {where}
WITH collect({{node: node, score: score}}) AS hits{_near_misses(e, queries, where)}
CALL (hits) {{
  UNWIND hits AS hit
  WITH hit.node AS node, hit.score AS score
  WITH node, score * CASE WHEN {_WHOLE_NAME.format(text=typed)} THEN {WHOLE_NAME_FACTOR} ELSE 1.0 END AS score
  ORDER BY score DESC, node.key SKIP {e.param(page.offset)} LIMIT {e.param(page.first)}
  RETURN collect({_page_items(e, "node", plans, "score")}) AS items
}}
RETURN size(hits) AS total, items
"""
    return CypherQuery(text, e.params)


_NAMES = next(index for index in SEARCH_INDEXES if index.name == "entity_names")


def _near_misses(e: Emitter, queries: SearchQueries, where: str) -> str:
    """`hits` again with the near misses' scores added, when a word is not in the names as typed."""
    if not queries.misspelt:
        return ""
    words = e.param([{"known": m.known, "clauses": m.clauses} for m in queries.misspelt])
    return f"""
CALL () {{
  UNWIND {words} AS word
  CALL (word) {{
    CALL db.index.fulltext.queryNodes('{_NAMES.name}', word.known, {{limit: 1}}) YIELD node
    RETURN count(node) AS found
  }}
  WITH word WHERE found = 0
  RETURN collect(word.clauses) AS misspelt
}}
CALL (hits, misspelt) {{
  WITH hits, misspelt WHERE size(misspelt) > 0
  CALL (hits, misspelt) {{
    UNWIND hits AS hit RETURN hit.node AS node, hit.score AS score
    UNION ALL
    WITH reduce(q = head(misspelt), c IN tail(misspelt) | q + ' OR ' + c) AS fuzzy
    CALL db.index.fulltext.queryNodes('{_NAMES.name}', fuzzy) YIELD node, score
    WITH node, score {where}
    RETURN node, score * {_NAMES.weight:.1f} AS score
  }}
  WITH node, sum(score) AS score
  RETURN collect({{node: node, score: score}}) AS near
}}
WITH CASE WHEN size(misspelt) > 0 THEN near ELSE hits END AS hits"""


# The countries of a list of nodes in order, consecutive repeats folded into one.
_FOLDED_COUNTRIES = (
    "reduce(acc = [], c IN [z IN {nodes} WHERE z.country IS NOT NULL | z.country] | "
    "CASE WHEN size(acc) > 0 AND acc[-1] = c THEN acc ELSE acc + [c] END)"
)


def _path_map(e: Emitter, path: str, plans: PathPlans) -> str:
    entries = [
        f"`#length`: length({path})",
        f"`#countries`: {_FOLDED_COUNTRIES.format(nodes=f'nodes({path})')}",
    ]
    for key, plans_of_nodes in plans.nodes:
        x = e.var("x")
        entries.append(f"`{key}`: [{x} IN nodes({path}) | {e.node(x, plans_of_nodes)}]")
    for key, edge in plans.edges:
        r = e.var("r")
        entries.append(f"`{key}`: [{r} IN relationships({path}) | {e.graph_edge(r, edge)}]")
    return "{" + ", ".join(entries) + "}"


# A simple path: no node twice. In `(a) ((x)-[]-(y)){1,n} (b)` the group variable `x`
# lists each hop's first node, `a` first, so the path's nodes are `x + [b]`.
_SIMPLE = "NOT b IN x AND all(i IN range(1, size(x) - 1) WHERE NOT x[i] IN x[..i])"


def cooperation_paths(
    start: EntityText,
    end: EntityText,
    types: tuple[str, ...],
    max_hops: int,
    limit: int,
    cross_border_only: bool,
    plans: PathPlans,
) -> CypherQuery:
    """The `limit` shortest simple paths between two entities, each named by a key or a name."""
    e = Emitter()
    hops, types_text = _bound(max_hops), _types(types)
    tests = [_SIMPLE]
    if cross_border_only:
        tests.append(f"size({_FOLDED_COUNTRIES.format(nodes='x + [b]')}) > 1")
    # The tests sit inside the path pattern so that they filter before the shortest paths
    # are chosen (a WHERE after the pattern would only filter the chosen ones). The test
    # in the hop only prunes: a simple path never comes back to `a` nor passes `b`.
    hop = f"(x)-[:{types_text}]-(y) WHERE y <> a AND x <> b"
    match = f"MATCH p = SHORTEST {_bound(limit)} ((a) ({hop}){{1,{hops}}} (b) WHERE {' AND '.join(tests)})"
    text = f"""
{entity_by_key_or_name("a", e.param(start.text), e.param(start.search))}
{entity_by_key_or_name("b", e.param(end.text), e.param(end.search))}
CALL (a, b) {{
  WITH a, b WHERE a IS NOT NULL AND b IS NOT NULL AND a <> b
  {match}
  WITH p ORDER BY length(p), [x IN nodes(p) | x.key] LIMIT {e.param(limit)}
  RETURN collect({_path_map(e, "p", plans)}) AS paths
}}
RETURN a IS NOT NULL AS fromFound, a_ambiguous AS fromAmbiguous, a_candidates AS fromCandidates,
       b IS NOT NULL AS toFound, b_ambiguous AS toAmbiguous, b_candidates AS toCandidates, paths
"""
    return CypherQuery(text, e.params)


def cross_border_partners(
    key: str,
    types: tuple[str, ...],
    max_hops: int,
    countries: tuple[str, ...] | None,
    limit: int,
    partners: Keyed,
    paths: tuple[tuple[str, PathPlans], ...],
    regions: tuple[str, ...] | None = None,
) -> CypherQuery:
    e = Emitter()
    country_test = f"AND b.country IN {e.param(list(countries))}" if countries is not None else ""
    if regions is not None:
        country_test += f" AND {in_regions(e, 'b', regions)}"
    entries = ["`#country`: b.country", "`#distance`: length(p)", *e.keyed("b", partners)]
    entries += [f"`{key}`: {_path_map(e, 'p', path)}" for key, path in paths]
    actors = " OR ".join(f"b:{kind_label(k)}" for k in (Kind.CLUSTER, Kind.ORGANISATION))
    # A shortest path to each `b` is simple without a test: one that met a node twice
    # would be longer than the path with the loop between the two visits cut out.
    text = f"""
{optional_entity("a", e.param(key))}
CALL (a) {{
  WITH a WHERE a IS NOT NULL
  MATCH p = ANY SHORTEST (a)-[:{_types(types)}]-{{1,{_bound(max_hops)}}}(b:{ENTITY_LABEL})
  WHERE b <> a AND ({actors}) AND b.country IS NOT NULL
    AND (a.country IS NULL OR b.country <> a.country) {country_test}
  WITH b, p ORDER BY length(p), b.name, b.key LIMIT {e.param(limit)}
  RETURN collect({{{", ".join(entries)}}}) AS partners
}}
{_missing(e, "a", key, "candidates")}
RETURN a IS NOT NULL AS found, partners, candidates
"""
    return CypherQuery(text, e.params)


def neighbourhood(
    key: str,
    types: tuple[str, ...],
    depth: int,
    limit: int,
    center: Keyed,
    nodes: Keyed,
    edges: tuple[tuple[str, EdgePlan], ...],
) -> CypherQuery:
    e = Emitter()
    entries = ["`#truncated`: truncated", *e.keyed("c", center)]
    entries += [f"`{key}`: [x IN kept | {e.node('x', plans)}]" for key, plans in nodes]
    entries += [f"`{key}`: [r IN rels | {e.graph_edge('r', edge)}]" for key, edge in edges]
    edge_call = ""
    if edges:
        edge_call = f"""
CALL (kept) {{
  UNWIND kept AS u
  MATCH (u)-[r:{_types(types)}]->(v) WHERE v IN kept
  WITH r, u, v ORDER BY type(r), u.key, v.key
  RETURN collect(r) AS rels
}}"""
    text = f"""
{optional_entity("c", e.param(key))}
CALL (c) {{
  WITH c WHERE c IS NOT NULL
  MATCH p = ANY SHORTEST (c)-[:{_types(types)}]-{{1,{_bound(depth)}}}(m:{ENTITY_LABEL})
  WHERE m <> c
  WITH m, length(p) AS distance ORDER BY distance, m.key
  RETURN collect(m) AS reached
}}
WITH c, size(reached) + 1 > {e.param(limit)} AS truncated, ([c] + reached)[..{e.param(limit)}] AS kept
{edge_call}
{_missing(e, "c", key, "candidates")}
RETURN c IS NOT NULL AS found, {{{", ".join(entries)}}} AS result, candidates
"""
    return CypherQuery(text, e.params)


def cooperation_matrix(project: str | None, sector: str | None) -> CypherQuery:
    """The links per pair of countries, the countries' names, and the key checks of the filters."""
    e = Emitter()
    tests = ["elementId(x) < elementId(y)", "x.country IS NOT NULL", "y.country IS NOT NULL"]
    found = ["true AS projectFound", "true AS sectorFound"]
    checks = []
    # Start from the project or the sector when one is given: else the planner walks
    # from every actor of the graph and filters the projects last (seconds, not ms).
    anchors = []
    if project is not None:
        key = e.param(project)
        anchors.append(f"MATCH (p:{kind_label(Kind.PROJECT)} {{key: {key}}})")
        checks.append(_key_check(e, Kind.PROJECT, project, key, "project"))
        found[0] = "projectFound, projectCandidates"
    if sector is not None:
        key = e.param(sector)
        anchors.append(
            f"MATCH (:{kind_label(Kind.SECTOR)} {{key: {key}}})<-[:TARGETS_SECTOR]-(p:{kind_label(Kind.PROJECT)})"
        )
        checks.append(_key_check(e, Kind.SECTOR, sector, key, "sector"))
        found[1] = "sectorFound, sectorCandidates"
    country = kind_label(Kind.COUNTRY)
    checks_text = "".join(f"\n{c}" for c in checks)
    text = f"""
CALL () {{
  {" ".join(anchors)}
  MATCH (x:{ENTITY_LABEL})-[:{COOPERATION_IN_PROJECTS}]->(p:{kind_label(Kind.PROJECT)})
        <-[:{COOPERATION_IN_PROJECTS}]-(y:{ENTITY_LABEL})
  WHERE {" AND ".join(tests)}
  WITH DISTINCT x, y
  WITH CASE WHEN x.country <= y.country THEN [x.country, y.country] ELSE [y.country, x.country] END AS pair
  WITH pair, count(*) AS links ORDER BY pair[0], pair[1]
  RETURN collect({{a: pair[0], b: pair[1], links: links}}) AS cells
}}
CALL (cells) {{
  UNWIND cells AS cell
  UNWIND [cell.a, cell.b] AS code
  WITH DISTINCT code
  MATCH (c:{country} {{code: code}})
  RETURN collect({{code: code, name: c.name}}) AS names
}}{checks_text}
RETURN cells, names, {", ".join(found)}
"""
    return CypherQuery(text, e.params)
