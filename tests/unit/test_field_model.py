"""The field model: built once with the schema, read by the planner and the shaper (issue 25, point 3)."""

from __future__ import annotations

import pytest
from graphql import GraphQLObjectType, get_named_type

from clustergraph.execution.run import CompiledReads
from clustergraph.paths import PROJECT_ROOT
from clustergraph.schema.build import ClusterSchema, build_schema
from clustergraph.settings import Settings
from clustergraph.translate import specs
from clustergraph.translate.roots import preparer


@pytest.fixture(scope="module")
def schema() -> ClusterSchema:
    return build_schema(Settings())


def _planned_roots(schema: ClusterSchema) -> dict[str, GraphQLObjectType]:
    documents = schema.documents
    root = documents.schema.query_type
    assert root is not None
    return {name: root for name in root.fields if preparer(documents.fields, root.name, name) is not None}


def test_the_kind_of_an_entity_list_is_the_type_its_page_holds(schema: ClusterSchema) -> None:
    documents = schema.documents
    lists = 0
    for name, root in _planned_roots(schema).items():
        spec = documents.fields.graph(root.name, name)
        if not isinstance(spec, specs.EntityList):
            continue
        page = get_named_type(root.fields[name].type)
        assert isinstance(page, GraphQLObjectType)
        assert get_named_type(page.fields["nodes"].type).name == spec.kind.value, name
        lists += 1
    assert lists == 12


def test_every_field_below_a_planned_root_field_has_a_reading(schema: ClusterSchema) -> None:
    """So the compiled path shapes every selection of the fields it plans (none is left to graphql-core)."""
    documents = schema.documents
    graphql_schema = documents.schema
    seen: set[str] = set()
    missing = []
    todo = [get_named_type(root.fields[name].type) for name, root in _planned_roots(schema).items()]
    while todo:
        named = todo.pop()
        if named.name in seen or not hasattr(named, "fields"):
            continue
        seen.add(named.name)
        types = (
            graphql_schema.get_possible_types(named) if not isinstance(named, GraphQLObjectType) else [named]
        )
        for runtime in types:
            todo.append(runtime)
            for field_name, field in runtime.fields.items():
                if documents.fields.reader(runtime.name, field_name) is None:
                    missing.append(f"{runtime.name}.{field_name}")
                todo.append(get_named_type(field.type))
    assert not missing
    assert {"Cluster", "RelationshipEdge", "PageInfo", "CooperationMatrix", "LocalizedName"} <= seen


@pytest.mark.parametrize(
    ("document", "answers"),
    [
        ('{ entity(key: "x") { ... on Cluster { members { edges { node { name } } } } } }', True),
        ("{ clusters { nodes { names { language value } id kind } pageInfo { endCursor } } }", True),
        ("{ __typename }", True),
        ("{ nonsense }", True),  # refused by validation, as graphql-core's path refuses it
        ("{ entity(key: ", True),  # refused by the parser
        ("{ __schema { queryType { name } } }", False),
        ('{ entity(key: "x") { key } __type(name: "Cluster") { name } }', False),
        ('{ history(key: "x") { nodes { id } } }', False),
        ('{ clusters { totalCount } history(key: "x") { nodes { id } } }', False),
        ('mutation { deleteEntity(key: "x") { key } }', False),
        ("subscription { entityChanged { seq } }", False),
    ],
)
def test_the_compiled_path_takes_a_document_by_what_the_model_reads(
    schema: ClusterSchema, document: str, answers: bool
) -> None:
    reads = CompiledReads(schema.documents, Settings())
    assert reads.plans(schema.documents.compile(document)) is answers


def test_no_module_reads_strawberry_internals() -> None:
    # Beside the behavioural tests above: the field model is the one reading of the schema.
    sources = sorted((PROJECT_ROOT / "src").rglob("*.py"))
    assert len(sources) > 50
    for path in sources:
        text = path.read_text(encoding="utf-8")
        assert "strawberry-definition" not in text and "_raw_info" not in text, path
