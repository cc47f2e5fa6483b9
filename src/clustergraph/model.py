"""The graph's data model: the allow-lists every Cypher query is built from.

Labels, relationship types and property names reach Cypher only from here, never
from a request. A node carries the label ``Entity`` plus exactly one kind label.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from functools import cache

ENTITY_LABEL = "Entity"
# A retired key of a merged duplicate, indexed, and the relationship to the entity holding it now.
MERGED_KEY_LABEL = "MergedKey"
MERGED_INTO = "MERGED_INTO"

# Bookkeeping nodes, apart from the entities: never exported, never part of a path.
CHANGE_LABEL = "Change"  # one per write: who, when, what, before and after
CHANGE_KEY_LABEL = "ChangeKey"  # one per key a Change touched: what an entity's history pages over
API_KEY_LABEL = "ApiKey"  # a credential, kept only as a hash
ARTICLE_LABEL = "Article"  # an ingested article's text and links, beside its Source entity
PROPOSAL_LABEL = "Proposal"  # a fact an article suggests, until a curator accepts or rejects it


class Direction(StrEnum):
    """Which way a relationship points, seen from the entity it is read from."""

    OUT = "OUT"
    IN = "IN"
    BOTH = "BOTH"


class Kind(StrEnum):
    CLUSTER = "Cluster"
    META_CLUSTER = "MetaCluster"
    ORGANISATION = "Organisation"
    PERSON = "Person"
    SECTOR = "Sector"
    PROJECT = "Project"
    PROGRAMME = "Programme"
    EVENT = "Event"
    COUNTRY = "Country"
    REGION = "Region"
    CITY = "City"
    SOURCE = "Source"


ACTOR_KINDS = frozenset({Kind.CLUSTER, Kind.META_CLUSTER, Kind.ORGANISATION, Kind.PERSON})
PLACE_KINDS = frozenset({Kind.COUNTRY, Kind.REGION, Kind.CITY})

# Properties every entity may carry, with their value type.
COMMON_PROPERTIES: dict[str, type] = {
    "key": str,
    "name": str,
    "names": list,  # localized names, each "lang:value" (ISO 639-1 code, colon, name)
    "aliases": list,
    "country": str,  # ISO 3166-1 alpha-2 code, denormalised from the places graph
    "description": str,
    "url": str,
    "synthetic": bool,
    "mergedKeys": list,  # keys of the duplicates merged into this entity; they still resolve to it
}

# Properties only some kinds carry.
KIND_PROPERTIES: dict[Kind, dict[str, type]] = {
    Kind.CLUSTER: {},
    Kind.META_CLUSTER: {"status": str},  # "formed" or "proposed"
    Kind.ORGANISATION: {"acronym": str, "address": str},
    Kind.PERSON: {"title": str},
    Kind.SECTOR: {},
    Kind.PROJECT: {
        "acronym": str,
        "startDate": str,
        "endDate": str,
        "durationMonths": int,
        "priority": str,
        "areaOfIntervention": str,
        "website": str,
    },
    Kind.PROGRAMME: {"acronym": str},
    Kind.EVENT: {"startDate": str, "endDate": str, "topics": list, "participantsOver": int},
    Kind.COUNTRY: {"code": str},
    # NUTS (Eurostat): the code, its level 0-3, the label in the national language(s), its
    # transliteration where the label is Cyrillic or Greek, the NUTS versions holding the code.
    Kind.REGION: {
        "nutsLevel": int,
        "nutsCode": str,
        "nameNational": str,
        "nameLatin": str,
        "nutsVersions": list,
    },
    # GeoNames: the city's id there, its coordinates (WGS 84 degrees) and population.
    Kind.CITY: {"geonameId": int, "latitude": float, "longitude": float, "population": int},
    Kind.SOURCE: {"publisher": str, "language": str, "title": str, "sourceId": str, "date": str},
}


@dataclass(frozen=True)
class UniqueProperty:
    """A property no two entities of a kind share, besides `key`: a uniqueness constraint of
    the schema's migrations, named so that an import can say which one a row would break."""

    kind: Kind
    name: str
    constraint: str


UNIQUE_PROPERTIES = (
    UniqueProperty(Kind.COUNTRY, "code", "country_code"),
    UniqueProperty(Kind.REGION, "nutsCode", "region_nuts_code"),
    UniqueProperty(Kind.CITY, "geonameId", "city_geoname_id"),
)

# Properties `clustergraph places load` adds to places a source of the graph already
# holds (a seed region, a seed city): an import whose row does not carry them keeps them,
# so loading the seed again after the places changes nothing.
REFERENCE_PROPERTIES: tuple[str, ...] = (
    "nameNational",
    "nameLatin",
    "nutsVersions",
    "geonameId",
    "latitude",
    "longitude",
    "population",
)


@dataclass(frozen=True)
class RelType:
    name: str
    starts: frozenset[Kind]
    ends: frozenset[Kind]
    properties: dict[str, type]
    cooperation: bool
    description: str
    # Properties that, with the two ends, tell one relationship of this type from another.
    identity: tuple[str, ...] = ()


def _rel(
    name: str,
    starts: set[Kind] | frozenset[Kind],
    ends: set[Kind] | frozenset[Kind],
    description: str,
    properties: dict[str, type] | None = None,
    cooperation: bool = False,
    identity: tuple[str, ...] = (),
) -> RelType:
    return RelType(
        name, frozenset(starts), frozenset(ends), properties or {}, cooperation, description, identity
    )


_ORGS = {Kind.ORGANISATION, Kind.CLUSTER}
_ANY = set(Kind)

# Properties every relationship may carry.
COMMON_REL_PROPERTIES: dict[str, type] = {"sources": list, "synthetic": bool}

REL_TYPES: dict[str, RelType] = {
    r.name: r
    for r in [
        _rel(
            "PARTNER_IN",
            _ORGS,
            {Kind.PROJECT},
            "an organisation is a partner of a project",
            {"role": str, "partnerNumber": int},
            cooperation=True,
        ),
        _rel(
            "PARTICIPATES_IN",
            {Kind.CLUSTER},
            {Kind.PROJECT},
            "a cluster takes part in (is supported by) a project",
            {"via": str},
            cooperation=True,
        ),
        _rel(
            "ENGAGES",
            {Kind.ORGANISATION},
            {Kind.CLUSTER},
            "an organisation engaged a cluster in a project",
            {"project": str},
            cooperation=True,
        ),
        _rel(
            "REPRESENTS",
            {Kind.PERSON},
            _ORGS,
            "a person represents a cluster or organisation",
            {"role": str},
            cooperation=True,
        ),
        _rel(
            "CONTACT_FOR",
            {Kind.PERSON},
            {Kind.ORGANISATION, Kind.PROJECT},
            "a person is the contact of an organisation (in a project)",
            {"project": str},
            cooperation=True,
        ),
        _rel(
            "MEMBER_OF",
            _ORGS,
            _ORGS | {Kind.META_CLUSTER},
            "a member of a cluster, organisation or meta-cluster",
            {"since": str},
            cooperation=True,
        ),
        _rel(
            "FORMED_IN",
            {Kind.META_CLUSTER},
            {Kind.PROJECT},
            "a meta-cluster was formed or proposed in a project",
            cooperation=True,
        ),
        _rel(
            "ORGANISED",
            _ORGS,
            {Kind.EVENT},
            "an organisation organised an event",
            cooperation=True,
        ),
        _rel(
            "PARTICIPATED_IN",
            _ORGS | {Kind.PERSON},
            {Kind.EVENT},
            "an actor took part in an event",
            cooperation=True,
        ),
        _rel("EVENT_OF", {Kind.EVENT}, {Kind.PROJECT}, "an event belongs to a project", cooperation=True),
        _rel(
            "PRESENTED",
            {Kind.EVENT},
            {Kind.META_CLUSTER},
            "a meta-cluster was presented at an event",
            cooperation=True,
        ),
        _rel("FUNDED_BY", {Kind.PROJECT}, {Kind.PROGRAMME}, "a project is funded by a programme"),
        _rel("IN_SECTOR", _ORGS | {Kind.META_CLUSTER}, {Kind.SECTOR}, "works in a sector"),
        _rel(
            "TARGETS_SECTOR",
            {Kind.PROJECT},
            {Kind.SECTOR},
            "a sector a project identified as a key industry",
        ),
        _rel("LOCATED_IN", _ORGS, PLACE_KINDS, "an actor is located in a place"),
        _rel("HELD_IN", {Kind.EVENT}, PLACE_KINDS, "an event took place in a place"),
        _rel(
            "IN_REGION",
            {Kind.CITY, Kind.REGION},
            {Kind.REGION},
            "a city lies in a region, a NUTS region in the region one level up",
        ),
        _rel("IN_COUNTRY", {Kind.REGION, Kind.CITY}, {Kind.COUNTRY}, "a region or city lies in a country"),
        _rel(
            "SOURCED_FROM",
            _ANY - {Kind.SOURCE},
            {Kind.SOURCE},
            "an entity is stated by a source",
        ),
        _rel(
            "CLAIMS",
            {Kind.SOURCE},
            _ANY - {Kind.SOURCE},
            "a source states a value of an entity's property (kept where sources disagree)",
            {"property": str, "value": str, "unit": str, "note": str},
            identity=("property",),
        ),
    ]
}

# Relationship properties whose values are entity keys (they follow a merge).
KEY_VALUED_REL_PROPERTIES: tuple[str, ...] = ("via", "project")

COOPERATION_TYPES: tuple[str, ...] = tuple(n for n, r in REL_TYPES.items() if r.cooperation)

# Kept out of neighbourhoods unless asked for: provenance is shown as `sources`.
PROVENANCE_TYPES: tuple[str, ...] = ("SOURCED_FROM", "CLAIMS")


@cache  # called once per imported row: build each kind's table once
def properties_of(kind: Kind) -> dict[str, type]:
    return {**COMMON_PROPERTIES, **KIND_PROPERTIES[kind]}


@cache
def rel_properties_of(rel_type: str) -> dict[str, type]:
    return {**COMMON_REL_PROPERTIES, **REL_TYPES[rel_type].properties}


def reached_kinds(types: tuple[str, ...], direction: str, targets: tuple[Kind, ...] = ()) -> frozenset[Kind]:
    """The kinds an entity can meet one hop away over `types` (direction OUT, IN or BOTH).

    What the schema derives a relationship field's node type from: one kind, that type.
    """
    kinds: set[Kind] = set()
    for name in types:
        rel = REL_TYPES[name]
        if direction in ("OUT", "BOTH"):
            kinds |= rel.ends
        if direction in ("IN", "BOTH"):
            kinds |= rel.starts
    return frozenset(kinds & set(targets)) if targets else frozenset(kinds)


def kind_of_labels(labels: list[str]) -> Kind | None:
    for label in labels:
        if label in Kind._value2member_map_:
            return Kind(label)
    return None


@dataclass(frozen=True)
class SearchIndex:
    """A full-text index `search` asks (created by schema/migrations), and what its analyser is for."""

    name: str
    properties: tuple[str, ...]
    analyzer: str
    weight: float  # its scores count this much in the sum that ranks the answers
    why: str


# Names and aliases (`searchText`) under two analysers, descriptions under a third; a
# search asks all three and adds their weighted scores (see cypher/reads.py `search`).
SEARCH_INDEXES: tuple[SearchIndex, ...] = (
    SearchIndex(
        "entity_names",
        ("name", "searchText"),
        "standard-folding",
        1.0,
        "folds case and diacritics (ł, ś, ž, ř, ő, ü to l, s, z, r, o, u), so a name typed "
        'without them is found; drops English stop words, so "of", "for" and "and" '
        "neither block a query nor count towards a match",
    ),
    SearchIndex(
        "entity_names_exact",
        ("searchText", "name"),
        "standard-no-stop-words",
        1.0,
        "keeps diacritics and every word: Lucene lower-cases a prefix but does not fold it, "
        'so a prefix typed with diacritics ("śląsk", "skała") is found here only, and a '
        "whole name with its stop words matches here as an exact phrase, which ranks it first",
    ),
    SearchIndex(
        "entity_descriptions",
        ("description",),
        "english",
        0.3,
        'descriptions and editors\' English glosses are English: stemmed ("transplant" finds '
        '"transplantation"), stop words dropped, weighted down so that a name always outranks '
        "a description that mentions it",
    ),
)
