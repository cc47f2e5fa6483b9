"""TCK-style tests of the translator, in the manner of @neo4j/graphql's: no database.

Each GraphQL document is compiled and bound as a request would be, and the Cypher text
and parameters of every root field are compared with the snapshot in `tck.json`. A change
to the translator that changes a query shows here, line by line, before any Neo4j runs.
After an intended change: CLUSTERGRAPH_UPDATE_SNAPSHOTS=1 pytest tests/unit, and review the diff.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from clustergraph.execution.policies import bind_errors
from clustergraph.execution.run import CompiledReads
from clustergraph.schema.build import ClusterSchema, build_schema
from clustergraph.settings import Settings
from clustergraph.translate.roots import preparer

SNAPSHOTS = Path(__file__).with_name("tck.json")
UPDATE = os.environ.get("CLUSTERGRAPH_UPDATE_SNAPSHOTS") == "1"
BESKIDY = "cluster:euroregion-beskidy"
USTI = "organisation:rda-usti-region"

# name -> (document, variables)
DOCUMENTS: dict[str, tuple[str, dict[str, Any]]] = {
    "entity-scalars": (f'{{ entity(key: "{BESKIDY}") {{ key name countryCode aliases mergedKeys }} }}', {}),
    "entity-derived-fields": (f'{{ entity(key: "{BESKIDY}") {{ id kind names {{ language value }} }} }}', {}),
    "entity-by-variable": ("query ($k: String!) { entity(key: $k) { key name } }", {"k": BESKIDY}),
    "entity-inline-fragment": (
        f'{{ entity(key: "{BESKIDY}") {{ key ... on Cluster {{ members(first: 3) {{ totalCount }} }} }} }}',
        {},
    ),
    "entity-named-fragment": (
        f'{{ entity(key: "{USTI}") {{ ...Org }} }} fragment Org on Organisation {{ acronym city {{ name }} }}',
        {},
    ),
    "entity-fragment-on-interface": (
        f'{{ entity(key: "{BESKIDY}") {{ ...E }} }} fragment E on Entity {{ key country {{ code }} }}',
        {},
    ),
    "entity-aliases": (
        f'{{ a: entity(key: "{BESKIDY}") {{ k: key n: name }} b: entity(key: "{USTI}") {{ key }} }}',
        {},
    ),
    "entity-aliased-connections": (
        f'{{ entity(key: "{BESKIDY}") {{ ... on Cluster {{ few: members(first: 1) {{ totalCount }} '
        "more: members(first: 5) { nodes { key } } } } }",
        {},
    ),
    "entity-aliased-edges-and-scalars": (
        f'{{ entity(key: "{BESKIDY}") {{ label: name code: countryCode ... on Cluster {{ members {{ '
        "named: edges { node { name } } keyed: edges { role other: node { key } } "
        "nodes { key } alsoNodes: nodes { name } } } } }",
        {},
    ),
    "cooperation-paths-aliased": (
        '{ cooperationPaths(from: "organisation:upper-austrian-chamber-of-commerce", '
        'to: "cluster:euroregion-beskidy", maxHops: 3) { hops: length countries '
        "keys: nodes { key } names: nodes { name } edges { type } } }",
        {},
    ),
    "entity-skip-true": (
        f'query ($s: Boolean!) {{ entity(key: "{BESKIDY}") {{ key name @skip(if: $s) }} }}',
        {"s": True},
    ),
    "entity-skip-false": (
        f'query ($s: Boolean!) {{ entity(key: "{BESKIDY}") {{ key name @skip(if: $s) }} }}',
        {"s": False},
    ),
    "entity-include-fragment": (
        f'{{ entity(key: "{BESKIDY}") {{ key ... on Cluster @include(if: false) {{ sectors {{ totalCount }} }} }} }}',
        {},
    ),
    "entity-nested-two-levels": (
        f'{{ entity(key: "{BESKIDY}") {{ ... on Cluster {{ members(first: 20) {{ edges {{ node {{ key '
        "... on Organisation { projects(first: 5) { edges { role node { key } } } } } } } } } }",
        {},
    ),
    "entity-edge-properties-and-sources": (
        '{ entity(key: "project:clusters-cord") { ... on Project { partners(first: 10) { edges { cursor '
        "role partnerNumber direction type sources { sourceId } node { key } } } } } }",
        {},
    ),
    "entity-pagination-after": (
        f'query ($after: String) {{ entity(key: "{BESKIDY}") {{ ... on Cluster {{ members(first: 2, after: $after) '
        "{ pageInfo { hasNextPage endCursor } nodes { key } } } } }",
        {"after": "b2Zmc2V0OjI="},
    ),
    "entity-single-related": (
        '{ entity(key: "project:clusters-cord") { ... on Project { leadPartner { key } programme { name } } } }',
        {},
    ),
    "entity-relationships-any": (
        f'{{ entity(key: "{BESKIDY}") {{ relationships(types: [PARTICIPATES_IN, ENGAGES], direction: BOTH, first: 5) '
        "{ totalCount edges { type direction node { key } } } } }",
        {},
    ),
    "entity-claims": (
        '{ entity(key: "project:clusters-cord") { claims { property value unit note source { sourceId } } } }',
        {},
    ),
    "entity-claims-disputed": (
        '{ entity(key: "project:clusters-cord") { disputed: claims(disputed: true) { property value unit note '
        "source { sourceId } } all: claims { property } } }",
        {},
    ),
    "entity-typed-relationships": (
        f'{{ entity(key: "{BESKIDY}") {{ ... on Cluster {{ representatives {{ edges {{ role node {{ name title }} }} '
        "nodes { title } } engagedBy { nodes { acronym } } projects { nodes { startDate } } } } }",
        {},
    ),
    "entity-partners": (
        f'{{ entity(key: "{BESKIDY}") {{ ... on Cluster {{ partners(first: 3) {{ totalCount '
        "edges { node { key } projects { key } } nodes { name } } } } }",
        {},
    ),
    "node-by-global-id": (
        '{ node(id: "UGVyc29uOnBlcnNvbjpraW5nYS1za2FsYWNrYQ==") { id ... on Person { name title } } }',
        {},
    ),
    "search": ('{ search(query: "skalacka") { totalCount edges { score node { key kind } } } }', {}),
    "search-filtered": (
        '{ search(query: "regional agency", kinds: [ORGANISATION], countries: ["CZ"], first: 5) { nodes { key } } }',
        {},
    ),
    "clusters-default-page": ("{ clusters { totalCount nodes { key } } }", {}),
    "clusters-by-country": (
        '{ clusters(filter: {countries: ["PL"]}, first: 10) { nodes { key projects { edges { node { name } } } } } }',
        {},
    ),
    "organisations-by-project-descending": (
        '{ organisations(filter: {project: "project:clustrat"}, orderBy: NAME_DESC, first: 3) '
        "{ edges { cursor node { key } } pageInfo { hasNextPage } } }",
        {},
    ),
    "projects-by-sector": ('{ projects(filter: {sector: "sector:ict"}) { nodes { key acronym } } }', {}),
    "people-and-countries": (
        "{ people(first: 2) { nodes { key } } countries(first: 30) { nodes { code } } }",
        {},
    ),
    "sources-list": ("{ sources { nodes { key sourceId title publisher } } }", {}),
    "neighbourhood": (
        '{ neighbourhood(key: "person:kinga-skalacka", depth: 2, limit: 10) { truncated nodes { key } edges { type from to } } }',
        {},
    ),
    "neighbourhood-types-no-edges": (
        '{ neighbourhood(key: "project:clusters-cord", relationshipTypes: [PARTNER_IN]) { center { key } nodes { name } } }',
        {},
    ),
    "cooperation-paths": (
        f'{{ cooperationPaths(from: "{BESKIDY}", to: "{USTI}", limit: 2) {{ length countries borderCrossings '
        "nodes { key } edges { type from to sources { sourceId } } } }",
        {},
    ),
    "cooperation-paths-cross-border-only": (
        f'{{ cooperationPaths(from: "{BESKIDY}", to: "{USTI}", maxHops: 3, crossBorderOnly: true) {{ length }} }}',
        {},
    ),
    "cooperation-paths-variables": (
        "query ($a: String!, $b: String!, $hops: Int = 2) { cooperationPaths(from: $a, to: $b, maxHops: $hops) "
        "{ length crossesBorder } }",
        {"a": BESKIDY, "b": USTI},
    ),
    "cross-border-partners": (
        f'{{ crossBorderPartners(key: "{BESKIDY}", maxHops: 2, countries: ["CZ", "HU"], limit: 5) '
        "{ countryCode distance partner { key } path { countries nodes { key } } } }",
        {},
    ),
    "cooperation-matrix": ("{ cooperationMatrix { countries totalLinks cells { from to links } } }", {}),
    "cooperation-matrix-project": (
        '{ cooperationMatrix(project: "project:clusters-cord") { totalLinks } }',
        {},
    ),
    "cooperation-matrix-readable": (
        '{ cooperationMatrix(project: "project:clusters-cord") { countries cells { fromName toName } '
        "rows { code name links total } columns { code name total } } }",
        {},
    ),
    "organisations-by-project-name": (
        '{ organisations(filter: {project: "Clusters-Cord", sector: "sector:ict"}) { totalCount } }',
        {},
    ),
    "cooperation-matrix-sector": ('{ cooperationMatrix(sector: "sector:ict") { totalLinks } }', {}),
    "typename-only": ("{ __typename }", {}),
    "every-other-list": (
        "{ metaClusters { nodes { key ... on MetaCluster { status } } } sectors { totalCount } "
        "programmes { nodes { acronym } } events { nodes { startDate topics } } regions { nodes { nutsLevel } } "
        "cities { nodes { region { key } } } }",
        {},
    ),
}


@pytest.fixture(scope="module")
def schema() -> ClusterSchema:
    return build_schema(Settings())


def compiled_cypher(schema: ClusterSchema, document: str, variables: dict[str, Any]) -> list[dict[str, Any]]:
    """Each root field's Cypher text and parameters, as the compiled path would send them."""
    settings = Settings()
    compiled = schema.documents.compile(document)
    assert compiled.ok, compiled.errors
    bound, errors = bind_errors(compiled, schema.documents, variables, settings)
    assert not errors, errors
    plan = CompiledReads(schema.documents, settings).bind(compiled, bound)
    assert plan is not None, "the compiled path declined the document"
    return [
        {
            "field": root.key,
            "text": root.prepared.query.text.strip().splitlines(),
            "params": root.prepared.query.params,
        }
        for root in plan.roots
        if root.prepared is not None
    ]


def _snapshots() -> dict[str, Any]:
    return json.loads(SNAPSHOTS.read_text(encoding="utf-8")) if SNAPSHOTS.exists() else {}


def test_there_are_enough_documents_and_every_root_field_has_one(schema: ClusterSchema) -> None:
    assert len(DOCUMENTS) >= 30
    asked = " ".join(document for document, _ in DOCUMENTS.values())
    assert schema.documents.schema.query_type is not None
    # Every root field the translator plans; the curation and ingestion fields (history,
    # proposals, article) are not compiled and are answered by graphql-core.
    root = schema.documents.schema.query_type
    compiled = {name for name in root.fields if preparer(schema.documents.fields, root.name, name)}
    for name in compiled:
        assert f"{name}(" in asked or f"{name} {{" in asked, name
    # The entity lists, one per kind, and the other read fields (entity, node, search, the analyses).
    assert len(compiled) == 12 + 7, sorted(compiled)


@pytest.mark.parametrize("name", sorted(DOCUMENTS))
def test_compiled_cypher_matches_its_snapshot(schema: ClusterSchema, name: str) -> None:
    document, variables = DOCUMENTS[name]
    got = json.loads(json.dumps(compiled_cypher(schema, document, variables)))
    snapshots = _snapshots()
    if UPDATE:
        snapshots[name] = got
        SNAPSHOTS.write_text(
            json.dumps(snapshots, indent=1, ensure_ascii=False, sort_keys=True) + "\n", "utf-8"
        )
        return
    assert name in snapshots, (
        f"no snapshot for {name}: run with CLUSTERGRAPH_UPDATE_SNAPSHOTS=1 and review it"
    )
    assert got == snapshots[name]


def test_values_are_parameters_never_text(schema: ClusterSchema) -> None:
    hostile = "x'}) DETACH DELETE n //"
    [root] = compiled_cypher(schema, "query ($k: String!) { entity(key: $k) { key } }", {"k": hostile})
    assert hostile not in "\n".join(root["text"])
    assert hostile in root["params"].values()
