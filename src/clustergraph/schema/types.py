"""The schema's types: plain Strawberry classes, each field tagged with how it maps onto the graph.

Resolvers here only read what the root field's single Cypher query already returned
(a nested dict per entity): every selected field under its response key (`stored`), so
aliases with different arguments or selections never collide, and what derived fields
are computed from (kind, key, page bounds, a relationship's type) under `__` keys.
"""

from __future__ import annotations

from enum import Enum
from typing import Annotated, Any, cast

import strawberry
from strawberry.types import Info
from strawberry.types.base import get_object_definition

from clustergraph.model import REL_TYPES, Direction, Kind, reached_kinds
from clustergraph.schema import docs
from clustergraph.translate.cursors import global_id
from clustergraph.translate.fields import Reader
from clustergraph.translate.roots import paginated
from clustergraph.translate.specs import (
    AnyRelated,
    Claims,
    ClaimSource,
    CoPartners,
    CountryOf,
    Derived,
    EdgeNode,
    Property,
    Related,
    Sources,
)
from clustergraph.translate.specs import Spec as GraphSpec

Row = dict[str, Any]

# Each kind's value is described by its object type's description (see the end of this module).
EntityKind = strawberry.enum(Kind, name="EntityKind", description="The kinds of entity in the graph.")
RelationshipType: Any = docs.describe_values(
    strawberry.enum(
        cast(Any, Enum("RelationshipType", {name: name for name in REL_TYPES})),
        name="RelationshipType",
        description="The relationship types of the graph (see schema/MODEL.md): start kinds → end kinds.",
    ),
    {name: docs.relationship_type(name) for name in REL_TYPES},
)
RelationshipDirection = docs.describe_values(
    strawberry.enum(Direction, name="Direction", description="Which way a relationship points."),
    {
        "OUT": "From the entity asked about to the other end.",
        "IN": "From the other end to the entity asked about.",
        "BOTH": "Either way.",
    },
)


def graph(spec: GraphSpec) -> dict[str, GraphSpec]:
    return {"graph": spec}


# -- how fields are read ------------------------------------------------------------------
# Each field declares in its metadata how its value is read from its parent's row (`read`):
# the field model (`translate/fields.py`) gives it to the shaper, and the field's resolver
# reads with it too, so graphql-core's executor and the compiled path read alike.


def by_key(row: Row, key: str) -> Any:
    return row.get(key)


def _resolving(read: Reader) -> Any:
    def resolve(root: strawberry.Parent[Row], info: Info) -> Any:
        return read(root, str(info.path.key))

    return resolve


def reading(read: Reader, *, resolver: Any = None, **options: Any) -> Any:
    """A field whose value `read` takes from its parent's row (`resolver`: one that declares arguments)."""
    metadata = {**options.pop("metadata", {}), "read": read}
    return strawberry.field(resolver=resolver or _resolving(read), metadata=metadata, **options)


def stored(**options: Any) -> Any:
    """A field whose value the root field's Cypher stored under the field's response key."""
    return reading(by_key, **options)


def internal(under: str, **options: Any) -> Any:
    """A field read from what every answer of its type carries under `#<under>`."""
    key = f"#{under}"
    return reading(lambda row, _key: row[key], metadata=graph(Derived()), **options)


def page(row: Row, key: str) -> Any:
    return paginated(row.get(key))


# Resolvers that declare the arguments of their field (for the schema; the planner reads them).


def connection_field(
    root: strawberry.Parent[Row],
    info: Info,
    first: docs.First = None,
    after: docs.After = None,
) -> Any:
    return page(root, str(info.path.key))


def typed_relationships(
    root: strawberry.Parent[Row],
    info: Info,
    types: Annotated[
        list[RelationshipType] | None,  # type: ignore[valid-type]
        strawberry.argument(
            description="Only relationships of these types; null or empty: every type, the provenance "
            "types SOURCED_FROM and CLAIMS included."
        ),
    ] = None,
    direction: Annotated[
        RelationshipDirection,  # type: ignore[valid-type]
        strawberry.argument(description="Only relationships that point this way, seen from this entity."),
    ] = Direction.BOTH,
    first: docs.First = None,
    after: docs.After = None,
) -> Any:
    return page(root, str(info.path.key))


def claims_field(
    root: strawberry.Parent[Row],
    info: Info,
    disputed: Annotated[
        bool,
        strawberry.argument(
            description="True: only the properties whose sources disagree (two or more different values, "
            "or units, for one property), every value of each with its source and note. False: every claim."
        ),
    ] = False,
) -> Any:
    return by_key(root, str(info.path.key))


def related(*types: str, direction: Direction, targets: tuple[Kind, ...] = (), description: str) -> Any:
    """A connection over `types`; typed by its one kind where the data model allows only one at the end."""
    kinds = reached_kinds(types, direction, targets)
    typed = _typed_connection(next(iter(kinds))) if len(kinds) == 1 else None
    return reading(
        page,
        resolver=connection_field,
        description=description,
        metadata=graph(Related(types, direction, targets)),
        graphql_type=typed,
    )


def related_one(
    *types: str,
    direction: Direction,
    targets: tuple[Kind, ...] = (),
    role: str | None = None,
    description: str,
) -> Any:
    return stored(
        description=description,
        metadata=graph(Related(types, direction, targets, role=role, single=True)),
    )


# -- small value types -------------------------------------------------------------------


@strawberry.type(description="A name in one language.")
class LocalizedName:
    language: str = strawberry.field(description="ISO 639-1 code of the language, such as `pl` or `en`.")
    value: str = strawberry.field(description="The name as written in that language.")


@strawberry.type(description="Where a page of a list stands.")
class PageInfo:
    has_next_page: bool = strawberry.field(
        description="True when items follow this page: ask again with `after` set to `endCursor`."
    )
    has_previous_page: bool = strawberry.field(
        description="True when items come before this page (it was asked for with `after`)."
    )
    start_cursor: str | None = strawberry.field(
        description="The cursor of the page's first item; null for an empty page."
    )
    end_cursor: str | None = strawberry.field(
        description="The cursor of the page's last item (the next page's `after`); null for an empty page."
    )


# -- Node and Entity --------------------------------------------------------------------------


@strawberry.interface(description="An object with a global id (Relay).")
class Node:
    id: strawberry.ID = reading(  # type: ignore[assignment]
        lambda row, _key: global_id(row["#kind"], row["#key"]),
        description="Global id; `node(id:)` fetches it.",
        metadata=graph(Derived()),
    )

    @classmethod
    def is_type_of(cls, obj: Any, info: Any) -> bool:
        return isinstance(obj, dict) and obj.get("#kind") == cls.__name__


def localized(stored_names: list[str] | None) -> list[LocalizedName]:
    """Names as the graph stores them (`pl:Nazwa`), one per language."""
    names = []
    for entry in stored_names or []:
        language, _, value = entry.partition(":")
        names.append(LocalizedName(language=language, value=value))
    return names


def _localized_names(row: Row, key: str) -> list[LocalizedName]:
    return localized(row.get(key))


def _kind(row: Row, _key: str) -> Kind:
    return Kind(row["#kind"])


@strawberry.interface(description="Anything the graph holds facts about.")
class Entity(Node):
    key: str = stored(description="Stable key, such as `cluster:euroregion-beskidy`.")
    name: str = stored(description="The name in its original language.")
    names: list[LocalizedName] = reading(
        _localized_names,
        description="The name in each language a source gives.",
        metadata=graph(Property("names", True)),
    )
    aliases: list[str] = stored(
        description="Other names: acronyms, spellings, names of duplicates merged into it.",
        metadata=graph(Property("aliases", True)),
    )
    kind: EntityKind = reading(  # type: ignore[valid-type]
        _kind,
        description="Which kind of entity it is (its `__typename`).",
        metadata=graph(Derived()),
    )
    country_code: str | None = stored(
        description="ISO 3166-1 alpha-2 code of its country, where it has one.",
        metadata=graph(Property("country")),
    )
    country: Annotated[Country, strawberry.lazy("clustergraph.schema.types")] | None = stored(
        description="Its country, where it has one.", metadata=graph(CountryOf())
    )
    description: str | None = stored(
        description="Free text about it, written from its sources; null when none was recorded."
    )
    url: str | None = stored(
        description="Its web page (for a Source, the page itself): an http(s) URL; null when none is known."
    )
    synthetic: bool | None = stored(
        description="True for the generated test network (`clustergraph synth`), stated by no real source; "
        "null for sourced data."
    )
    merged_keys: list[str] = stored(
        description="Keys of duplicates merged into this entity; `entity(key:)` finds it by them too.",
        metadata=graph(Property("mergedKeys", True)),
    )
    sources: list[Annotated[Source, strawberry.lazy("clustergraph.schema.types")]] = stored(
        description=docs.ENTITY_SOURCES, metadata=graph(Sources())
    )
    claims: list[Claim] = reading(
        by_key,
        resolver=claims_field,
        description="Values that sources state about this entity, each with its source, by property and then "
        "source key. Where sources disagree every value is kept and none wins here; a property the data model "
        "has (such as `startDate`) holds the curators' choice on the entity itself. Empty: no source states one.",
        metadata=graph(Claims()),
    )
    relationships: RelationshipConnection = reading(
        page,
        resolver=typed_relationships,
        description="Every relationship of this entity, optionally of some types and one direction, by partner "
        "number (PARTNER_IN), then the other end's name and key.",
        metadata=graph(AnyRelated()),
    )


# -- relationships --------------------------------------------------------------------------


@strawberry.type(description="A relationship seen from one of its ends, with its properties.")
class RelationshipEdge:
    cursor: str = internal("cursor", description=docs.CURSOR)
    type: RelationshipType = internal("type", description=docs.RELATIONSHIP_TYPE)  # type: ignore[valid-type]
    direction: RelationshipDirection = reading(  # type: ignore[valid-type]
        lambda row, _key: Direction(row["#direction"]),
        metadata=graph(Derived()),
        description="OUT when the relationship points from the entity asked about to `node`.",
    )
    node: Entity = stored(description="The entity at the other end.", metadata=graph(EdgeNode()))
    role: str | None = stored(description=docs.ROLE)
    partner_number: int | None = stored(description=docs.PARTNER_NUMBER)
    via: str | None = stored(description=docs.VIA)
    project: str | None = stored(description=docs.PROJECT)
    since: str | None = stored(description=docs.SINCE)
    sources: list[Annotated[Source, strawberry.lazy("clustergraph.schema.types")]] = stored(
        description=docs.RELATIONSHIP_SOURCES,
        metadata=graph(Sources()),
    )


@strawberry.type(description="A page of relationships.")
class RelationshipConnection:
    total_count: int = internal("total", description="How many relationships match, over all pages.")
    page_info: PageInfo = internal("page_info", description=docs.PAGE_INFO)
    edges: list[RelationshipEdge] = stored(
        description="This page's relationships with their properties and the entity at the other end."
    )
    nodes: list[Entity] = stored(description="The entities at the other ends, in the order of `edges`.")


_TYPED_CONNECTIONS: dict[Kind, type] = {}


def _typed_connection(kind: Kind) -> type:
    """`<Kind>RelationshipConnection`: relationships whose other end is always a `kind`, typed so.

    Its edges carry everything a `RelationshipEdge` does; only `node` (and `nodes`) have the
    kind's own type, so its fields are read without an inline fragment.
    """
    if kind in _TYPED_CONNECTIONS:
        return _TYPED_CONNECTIONS[kind]
    node: Any = strawberry.LazyType(kind.value, __name__)  # the kind's class, defined below
    article = "an" if kind.value[0] in "AEIOU" else "a"
    edge = strawberry.type(
        type(
            f"{kind.value}RelationshipEdge",
            (RelationshipEdge,),
            {
                "__annotations__": {"node": node},
                "node": stored(
                    metadata=graph(EdgeNode()),
                    description=f"The {kind.value} at the other end of the relationship.",
                ),
            },
        ),
        description=f"A relationship whose other end is always {article} {kind.value}, seen from one of its "
        "ends, with its properties.",
    )
    connection = strawberry.type(
        type(
            f"{kind.value}RelationshipConnection",
            (RelationshipConnection,),
            {
                "__annotations__": {"edges": list[edge], "nodes": list[node]},  # type: ignore[valid-type]
                "edges": stored(
                    description=f"This page's relationships with their properties and the {kind.value} "
                    "at the other end."
                ),
                "nodes": stored(
                    description=f"The {kind.value} at the other end of each relationship of the page, in order.",
                ),
            },
        ),
        description=f"A page of relationships whose other end is always {article} {kind.value} "
        "(the data model allows no other kind there).",
    )
    _TYPED_CONNECTIONS[kind] = connection
    return connection


@strawberry.type(description="A value one source states about an entity.")
class Claim:
    property: str = stored(
        description="What the value is of, in camelCase, such as `totalBudget` or `partnerCount` "
        "(also properties the entity itself does not have)."
    )
    value: str = stored(description="The value as the source states it, as text, such as `1358494.68`.")
    unit: str | None = stored(description="The unit of `value`, such as `EUR`; null for a count or text.")
    note: str | None = stored(
        description="What the source says of the value, or how it differs from other sources; null when nothing."
    )
    source: Annotated[Source, strawberry.lazy("clustergraph.schema.types")] = stored(
        description="The Source that states the value.",
        metadata=graph(ClaimSource()),
    )


@strawberry.type(description="An actor that shares at least one project with another.")
class PartnerEdge:
    cursor: str = internal("cursor", description=docs.CURSOR)
    node: Entity = stored(
        description="The partner: a cluster or organisation in a project with this entity (each a partner, "
        "PARTNER_IN, or taking part, PARTICIPATES_IN).",
        metadata=graph(EdgeNode()),
    )
    projects: list[Annotated[Project, strawberry.lazy("clustergraph.schema.types")]] = stored(
        description="The projects both take part in."
    )


@strawberry.type(description="A page of partners.")
class PartnerConnection:
    total_count: int = internal("total", description="How many partners, over all pages.")
    page_info: PageInfo = internal("page_info", description=docs.PAGE_INFO)
    edges: list[PartnerEdge] = stored(
        description="This page's partners, each once, by name and then key, with the projects shared."
    )
    nodes: list[Entity] = stored(description=docs.NODES)


_OUT, _IN = Direction.OUT, Direction.IN
_ACTORS = (Kind.CLUSTER, Kind.ORGANISATION)
_COOPERATION_IN_PROJECTS = ("PARTNER_IN", "PARTICIPATES_IN")


def partners_field(description: str) -> Any:
    return reading(page, resolver=connection_field, description=description, metadata=graph(CoPartners()))


# -- the kinds ------------------------------------------------------------------------------------


@strawberry.type(description="A cluster: a group of firms and institutions of one field and place.")
class Cluster(Entity):
    representatives: RelationshipConnection = related(
        "REPRESENTS", direction=_IN, description="People who represent the cluster."
    )
    members: RelationshipConnection = related(
        "MEMBER_OF", direction=_IN, description="Members of the cluster."
    )
    member_of: RelationshipConnection = related(
        "MEMBER_OF", direction=_OUT, description="Organisations and meta-clusters the cluster is a member of."
    )
    meta_clusters: RelationshipConnection = related(
        "MEMBER_OF",
        direction=_OUT,
        targets=(Kind.META_CLUSTER,),
        description="Meta-clusters the cluster belongs to.",
    )
    sectors: RelationshipConnection = related(
        "IN_SECTOR", direction=_OUT, description="Sectors of the cluster."
    )
    projects: RelationshipConnection = related(
        *_COOPERATION_IN_PROJECTS, direction=_OUT, description="Projects the cluster takes part in."
    )
    engaged_by: RelationshipConnection = related(
        "ENGAGES", direction=_IN, description="Organisations that engaged the cluster in a project."
    )
    events: RelationshipConnection = related(
        "ORGANISED",
        "PARTICIPATED_IN",
        direction=_OUT,
        description="Events the cluster organised or attended.",
    )
    partners: PartnerConnection = partners_field("Actors that share a project with the cluster.")


@strawberry.type(description="A transnational grouping of clusters of one sector.")
class MetaCluster(Entity):
    status: str | None = stored(
        description="`formed` or `proposed` (in a project: see `projects`); null when no source says."
    )
    sectors: RelationshipConnection = related("IN_SECTOR", direction=_OUT, description="Its sector.")
    members: RelationshipConnection = related("MEMBER_OF", direction=_IN, description="Member clusters.")
    projects: RelationshipConnection = related(
        "FORMED_IN", direction=_OUT, description="Projects in which it was formed or proposed."
    )
    presented_at: RelationshipConnection = related(
        "PRESENTED", direction=_IN, description="Events that presented it."
    )


@strawberry.type(description="An organisation: agency, chamber, company, association, research body.")
class Organisation(Entity):
    acronym: str | None = stored(description=docs.ACRONYM)
    address: str | None = stored(description="Its postal address as a source gives it; null when none does.")
    projects: RelationshipConnection = related(
        "PARTNER_IN", direction=_OUT, description="Projects it is a partner of (edge: role, partnerNumber)."
    )
    partners: PartnerConnection = partners_field("Actors that share a project with the organisation.")
    region: Region | None = related_one(
        "LOCATED_IN", direction=_OUT, targets=(Kind.REGION,), description="Its NUTS region."
    )
    city: City | None = related_one(
        "LOCATED_IN", direction=_OUT, targets=(Kind.CITY,), description="Its seat."
    )
    representatives: RelationshipConnection = related(
        "REPRESENTS", direction=_IN, description="People who represent it."
    )
    contacts: RelationshipConnection = related(
        "CONTACT_FOR", direction=_IN, description="Its contact people."
    )
    engages: RelationshipConnection = related(
        "ENGAGES", direction=_OUT, description="Clusters it engaged in a project."
    )
    events: RelationshipConnection = related(
        "ORGANISED", "PARTICIPATED_IN", direction=_OUT, description="Events it organised or attended."
    )
    members: RelationshipConnection = related("MEMBER_OF", direction=_IN, description="Its members.")
    member_of: RelationshipConnection = related(
        "MEMBER_OF", direction=_OUT, description="What it is a member of."
    )
    sectors: RelationshipConnection = related("IN_SECTOR", direction=_OUT, description="Its sectors.")


@strawberry.type(description="A person.")
class Person(Entity):
    title: str | None = stored(description="Form of address or title as the source gives it.")
    represents: RelationshipConnection = related(
        "REPRESENTS", direction=_OUT, description="Clusters and organisations the person represents."
    )
    contact_for: RelationshipConnection = related(
        "CONTACT_FOR", direction=_OUT, description="Organisations or projects the person is the contact of."
    )
    events: RelationshipConnection = related(
        "PARTICIPATED_IN", direction=_OUT, description="Events attended."
    )


@strawberry.type(description="An industrial sector.")
class Sector(Entity):
    meta_clusters: RelationshipConnection = related(
        "IN_SECTOR", direction=_IN, targets=(Kind.META_CLUSTER,), description="Meta-clusters of this sector."
    )
    members: RelationshipConnection = related(
        "IN_SECTOR", direction=_IN, targets=_ACTORS, description="Clusters and organisations in this sector."
    )
    projects: RelationshipConnection = related(
        "TARGETS_SECTOR", direction=_IN, description="Projects that identified this sector as a key industry."
    )


@strawberry.type(description="A funded cooperation project.")
class Project(Entity):
    acronym: str | None = stored(description=docs.ACRONYM)
    start_date: str | None = stored(description=f"When it started. {docs.DATE}")
    end_date: str | None = stored(description=f"When it ended (or ends). {docs.DATE}")
    duration_months: int | None = stored(description="How long it runs, in months, as its programme states.")
    priority: str | None = stored(
        description="The priority (axis) of its programme it is funded under, as the programme names it."
    )
    area_of_intervention: str | None = stored(
        description="The programme's area of intervention it belongs to, as the programme names it."
    )
    website: str | None = stored(
        description="The project's own web site; `url` is the page a source keeps about it, where known."
    )
    programme: Programme | None = related_one(
        "FUNDED_BY", direction=_OUT, description="The programme that funds it."
    )
    lead_partner: Organisation | None = related_one(
        "PARTNER_IN",
        direction=_IN,
        targets=(Kind.ORGANISATION,),
        role="lead",
        description="The lead partner.",
    )
    partners: RelationshipConnection = related(
        "PARTNER_IN", direction=_IN, description="Its partners (edge: role, partnerNumber, sources)."
    )
    clusters: RelationshipConnection = related(
        "PARTICIPATES_IN", direction=_IN, description="Clusters taking part (edge: via)."
    )
    events: RelationshipConnection = related("EVENT_OF", direction=_IN, description="Its events.")
    meta_clusters: RelationshipConnection = related(
        "FORMED_IN", direction=_IN, description="Meta-clusters formed or proposed in it."
    )
    sectors: RelationshipConnection = related(
        "TARGETS_SECTOR", direction=_OUT, description="Key industries it identified."
    )
    contacts: RelationshipConnection = related("CONTACT_FOR", direction=_IN, description="Contact people.")


@strawberry.type(description="A funding programme.")
class Programme(Entity):
    acronym: str | None = stored(description=docs.ACRONYM)
    projects: RelationshipConnection = related("FUNDED_BY", direction=_IN, description="Projects it funds.")


@strawberry.type(description="A meeting, conference or other event.")
class Event(Entity):
    start_date: str | None = stored(description=f"When it began. {docs.DATE}")
    end_date: str | None = stored(
        description=f"When it ended (the same day for a one-day event). {docs.DATE}"
    )
    topics: list[str] = stored(
        description="The topics of its programme as its sources list them; empty when none are known.",
        metadata=graph(Property("topics", True)),
    )
    participants_over: int | None = stored(description="More than this many people took part.")
    project: Project | None = related_one(
        "EVENT_OF", direction=_OUT, description="The project it belongs to."
    )
    organisers: RelationshipConnection = related("ORGANISED", direction=_IN, description="Who organised it.")
    participants: RelationshipConnection = related(
        "PARTICIPATED_IN", direction=_IN, description="Who took part."
    )
    presented: RelationshipConnection = related(
        "PRESENTED", direction=_OUT, description="Meta-clusters presented there."
    )
    place: Entity | None = related_one("HELD_IN", direction=_OUT, description="Where it took place.")


@strawberry.type(description="A country.")
class Country(Entity):
    code: str = stored(description="ISO 3166-1 alpha-2 code.")
    regions: RelationshipConnection = related(
        "IN_COUNTRY", direction=_IN, targets=(Kind.REGION,), description="Its regions."
    )
    cities: RelationshipConnection = related(
        "IN_COUNTRY", direction=_IN, targets=(Kind.CITY,), description="Cities."
    )


@strawberry.type(
    description="A NUTS region (Eurostat's classification, versions 2021 and 2024, levels 0 to 3; "
    "© European Union / Eurostat, CC BY 4.0)."
)
class Region(Entity):
    code: str | None = stored(
        description="Its NUTS code, such as `CZ04`: two letters of the country (EL for Greece), then one "
        "character per level. Null only for a region no NUTS table holds.",
        metadata=graph(Property("nutsCode")),
    )
    level: int | None = stored(
        description="Its NUTS level: 0 (the country), 1, 2 or 3; null when unknown.",
        metadata=graph(Property("nutsLevel")),
    )
    nuts_level: int | None = stored(description="The same as `level` (kept for clients written before it).")
    name_national: str | None = stored(
        description="Its name as Eurostat gives it, in the national language(s) (`/` between two); null "
        "for level 0 and for a region `clustergraph places load` has not reached."
    )
    name_latin: str | None = stored(
        description="Eurostat's transliteration of a Cyrillic or Greek `nameNational` (`Severozapaden` "
        "for `Северозападен`); null where the national name is in Latin script already."
    )
    versions: list[str] = stored(
        description="The NUTS versions that hold its code: `2021`, `2024` or both; empty when unknown.",
        metadata=graph(Property("nutsVersions", True)),
    )
    parent: Region | None = related_one(
        "IN_REGION",
        direction=_OUT,
        targets=(Kind.REGION,),
        description="The region one level up (its code less the last character); null at level 0.",
    )
    children: RelationshipConnection = related(
        "IN_REGION", direction=_IN, targets=(Kind.REGION,), description="The regions one level down."
    )
    cities: RelationshipConnection = related(
        "IN_REGION", direction=_IN, targets=(Kind.CITY,), description="Cities in the region."
    )
    actors: RelationshipConnection = related("LOCATED_IN", direction=_IN, description="Actors located there.")


@strawberry.type(description="A city.")
class City(Entity):
    latitude: float | None = stored(
        description="Its latitude in degrees (WGS 84), from GeoNames (CC BY 4.0); null when unknown."
    )
    longitude: float | None = stored(
        description="Its longitude in degrees (WGS 84), from GeoNames (CC BY 4.0); null when unknown."
    )
    geoname_id: int | None = stored(description="Its id in GeoNames; null when not matched to GeoNames.")
    population: int | None = stored(description="Its population as GeoNames gives it; null when unknown.")
    region: Region | None = related_one(
        "IN_REGION",
        direction=_OUT,
        description="The most precise region it lies in, where a source states it or the NUTS labels "
        "name it; null otherwise (never guessed).",
    )
    actors: RelationshipConnection = related("LOCATED_IN", direction=_IN, description="Actors seated there.")
    events: RelationshipConnection = related("HELD_IN", direction=_IN, description="Events held there.")


@strawberry.type(description="A source of facts: an article, a web page.")
class Source(Entity):
    publisher: str | None = stored(
        description="Who publishes it, as the source names itself; null when unknown."
    )
    language: str | None = stored(description="ISO 639 code of its language, such as `pl`.")
    title: str | None = stored(
        description="Its own title, in its own language (`name` is a short label); null when untitled."
    )
    date: str | None = stored(
        description="When it was published, as it states it (an ISO date); null when it does not."
    )
    source_id: str | None = stored(
        description="Its label in the reference list of facts the seed data was written from (S1, S2…); "
        "null for sources added since."
    )
    states: RelationshipConnection = related(
        "SOURCED_FROM", direction=_IN, description="Entities this source states."
    )


ENTITY_TYPES: list[type] = [
    Cluster,
    MetaCluster,
    Organisation,
    Person,
    Sector,
    Project,
    Programme,
    Event,
    Country,
    Region,
    City,
    Source,
]

# EntityKind's values say what their object types say.
docs.describe_values(
    EntityKind,
    {Kind(t.__name__).name: get_object_definition(t, strict=True).description for t in ENTITY_TYPES},
)
