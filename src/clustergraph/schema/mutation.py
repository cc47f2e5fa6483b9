"""The root mutation fields: check the caller (permission classes), validate, write in one transaction.

Each resolver is thin: the write and its history record happen in one call of
`clustergraph.curation`, which runs them as one Neo4j transaction.
"""

from __future__ import annotations

from typing import Annotated, Any

import strawberry
from strawberry.scalars import JSON
from strawberry.types import Info

from clustergraph.curation import entities, links
from clustergraph.curation.merge import merge_entities
from clustergraph.curation.validate import InvalidInput
from clustergraph.execution.context import Context
from clustergraph.execution.permissions import IsAdmin, IsEditor
from clustergraph.model import Kind
from clustergraph.schema import docs
from clustergraph.schema.query import root_field
from clustergraph.schema.types import Entity, EntityKind, RelationshipType
from clustergraph.translate.roots import entity_by_key

_SOURCES = docs.WRITE_SOURCES
_RELATIONSHIP_TYPE = "The relationship's type; its start and end kinds must fit it (see `RelationshipType`)."
_KEY = Annotated[str, strawberry.argument(description=f"{docs.KEY} {docs.UNKNOWN_KEY}")]


@strawberry.input(description="A new entity; `properties` holds the data model's properties of its kind.")
class EntityInput:
    kind: EntityKind = strawberry.field(  # type: ignore[valid-type]
        description="Its kind; the key starts with its type name in lower case (`metacluster:` for META_CLUSTER)."
    )
    key: str = strawberry.field(
        description="Stable key `prefix:slug`, e.g. `cluster:silesian-medical`; a key taken already: "
        "BAD_USER_INPUT."
    )
    properties: JSON = strawberry.field(
        description='The data model\'s properties of its kind, e.g. {"name": "...", "country": "PL"} '
        "(see schema/MODEL.md); `name` is required, `key` and `mergedKeys` are the service's."
    )
    sources: list[str] = strawberry.field(description=f"{_SOURCES} At least one, except for a Source.")


@strawberry.input(description="A relationship between two entities, by their keys.")
class RelationshipInput:
    type: RelationshipType = strawberry.field(description=_RELATIONSHIP_TYPE)  # type: ignore[valid-type]
    from_: str = strawberry.field(
        name="from", description=f"Key of the entity it starts at. {docs.UNKNOWN_KEY}"
    )
    to: str = strawberry.field(description=f"Key of the entity it ends at. {docs.UNKNOWN_KEY}")
    properties: JSON | None = strawberry.field(
        default=None,
        description='The type\'s properties, e.g. {"role": "partner"} (see schema/MODEL.md); for CLAIMS '
        "`property` tells one claim from another.",
    )
    sources: list[str] = strawberry.field(
        default_factory=list, description=f"{_SOURCES} Linking needs at least one."
    )


@strawberry.type(description="A relationship as written or removed: its ends, properties and sources.")
class Relationship:
    type: RelationshipType = strawberry.field(description=docs.RELATIONSHIP_TYPE)  # type: ignore[valid-type]
    from_: str = strawberry.field(name="from", description="Key of the entity it starts at.")
    to: str = strawberry.field(description="Key of the entity it ends at.")
    properties: JSON = strawberry.field(
        description="Its properties but `sources`, after the write (an unlink: before)."
    )
    sources: list[str] = strawberry.field(
        description="Keys of the Sources that state it, after the write (an unlink: before)."
    )


@strawberry.type(description="What a deletion removed.")
class DeletedEntity:
    key: str = strawberry.field(description="The key the deletion was asked for.")
    change_id: str = strawberry.field(description="The history record; its `before` keeps the entity.")


def _object(value: Any, field: str) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise InvalidInput(field, "must be a JSON object of property names and values")
    return value


async def _entity(info: Info[Context, None], key: str) -> Any:
    prepared = entity_by_key(root_field(info), key)
    rows = await info.context.graph.read(prepared.query.text, prepared.query.params)  # type: ignore[arg-type]
    return rows[0]["result"]


def _relationship(data: dict[str, Any]) -> Relationship:
    return Relationship(
        type=RelationshipType[data["type"]],
        from_=data["from"],
        to=data["to"],
        properties=data["properties"],
        sources=data["sources"],
    )


@strawberry.type(
    description="Curating the graph. Editors create, update and link; admins also delete and merge."
)
class Mutation:
    @strawberry.mutation(permission_classes=[IsEditor], description=f"Create an entity. {docs.EDITOR}")
    async def create_entity(
        self,
        info: Info[Context, None],
        input: Annotated[
            EntityInput, strawberry.argument(description="The entity: kind, key, properties, sources.")
        ],
    ) -> Entity:
        ctx = info.context
        key = await entities.create_entity(
            ctx.graph,
            ctx.actor,
            Kind(input.kind),
            input.key,
            _object(input.properties, "properties"),
            input.sources,
        )
        return await _entity(info, key)

    @strawberry.mutation(
        permission_classes=[IsEditor],
        description="Change some properties of an entity (null removes one); `sources` are added to its sources. "
        + docs.EDITOR,
    )
    async def update_entity(
        self,
        info: Info[Context, None],
        key: _KEY,
        properties: Annotated[
            JSON,
            strawberry.argument(
                description='The properties to set, e.g. {"url": "https://…"}; a property given as null is '
                "removed, one left out is kept."
            ),
        ],
        sources: Annotated[list[str], strawberry.argument(description=f"{_SOURCES} At least one.")],
    ) -> Entity:
        ctx = info.context
        changed = await entities.update_entity(
            ctx.graph, ctx.actor, key, _object(properties, "properties"), sources
        )
        return await _entity(info, changed)

    @strawberry.mutation(
        permission_classes=[IsAdmin],
        description="Delete an entity and its relationships; its history keeps both. A Source that facts "
        f"still cite cannot be deleted. {docs.ADMIN}",
    )
    async def delete_entity(
        self,
        info: Info[Context, None],
        key: _KEY,
        sources: Annotated[
            list[str] | None, strawberry.argument(description=f"{_SOURCES} May be left out.")
        ] = None,
    ) -> DeletedEntity:
        ctx = info.context
        change = await entities.delete_entity(ctx.graph, ctx.actor, key, sources or [])
        return DeletedEntity(key=key, change_id=change)

    @strawberry.mutation(
        permission_classes=[IsEditor],
        description="Create a relationship, or add properties and sources to the same one (type, ends, identity). "
        + docs.EDITOR,
    )
    async def link_entities(
        self,
        info: Info[Context, None],
        input: Annotated[RelationshipInput, strawberry.argument(description="The relationship to write.")],
    ) -> Relationship:
        return _relationship(await links.link(*_link_arguments(info.context, input)))

    @strawberry.mutation(
        permission_classes=[IsEditor],
        description="Remove a relationship; `properties` names its identity where its type has one (CLAIMS: "
        f"property). No such relationship: BAD_USER_INPUT. {docs.EDITOR}",
    )
    async def unlink_entities(
        self,
        info: Info[Context, None],
        input: Annotated[
            RelationshipInput,
            strawberry.argument(description="The relationship to remove: type, ends, identity."),
        ],
    ) -> Relationship:
        return _relationship(await links.unlink(*_link_arguments(info.context, input)))

    @strawberry.mutation(
        permission_classes=[IsAdmin],
        description="Fold duplicates into `keep`: relationships move over without duplicates, names become "
        "aliases, sources are united, merged keys keep resolving to `keep`. Where both have a property, "
        f"`keep`'s value wins; the duplicates fill the gaps. {docs.ADMIN}",
    )
    async def merge_entities(
        self,
        info: Info[Context, None],
        keep: Annotated[
            str, strawberry.argument(description=f"Key of the entity that stays. {docs.UNKNOWN_KEY}")
        ],
        merge: Annotated[
            list[str],
            strawberry.argument(
                description="Keys of its duplicates, of the same kind and not Sources; at least one. They are "
                "deleted, and their keys become `keep`'s `mergedKeys`."
            ),
        ],
        sources: Annotated[list[str] | None, strawberry.argument(description=_SOURCES)] = None,
    ) -> Entity:
        ctx = info.context
        kept = await merge_entities(ctx.graph, ctx.actor, keep, merge, sources or [])
        return await _entity(info, kept)


def _link_arguments(ctx: Context, input: RelationshipInput) -> tuple[Any, ...]:
    """What `link` and `unlink` take from a request: who, which relationship, which sources."""
    properties = _object(input.properties, "properties")
    return (ctx.graph, ctx.actor, input.type.value, input.from_, input.to, properties, input.sources)
