"""Descriptions the schema shares, worded once: paging, keys, country filters, sources,
dates and the errors fields answer with. GraphiQL's docs are where an analyst reads them.

Bounds are quoted from the settings' defaults (an operator may set others), and the
values of the enums that mirror the data model are described from `clustergraph.model`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any

import strawberry

from clustergraph.cypher.plan import COOPERATION_IN_PROJECTS
from clustergraph.model import REL_TYPES, Kind
from clustergraph.settings import Settings
from clustergraph.translate.plan import DEFAULT_PAGE_SIZE


def default(setting: str) -> Any:
    """The default of a setting: the bound the descriptions quote."""
    return Settings.model_fields[setting].default


def bounded(setting: str, low: int = 1) -> str:
    """The range an integer argument must lie in, and what lies outside it."""
    return f"{low} to {default(setting)} (the default bound); outside: BAD_USER_INPUT."


MAX_PAGE = default("max_page_size")

# -- paging (Relay connections) ----------------------------------------------------------------

FIRST = (
    f"Page size: 0 to {MAX_PAGE} items (the default bound), {DEFAULT_PAGE_SIZE} when null; "
    "outside: BAD_USER_INPUT."
)
AFTER = (
    "Start after the item with this cursor (an edge's `cursor` or `pageInfo.endCursor`); null: from the "
    "first item. A cursor this API did not give: BAD_USER_INPUT."
)
First = Annotated[int | None, strawberry.argument(description=FIRST)]
After = Annotated[str | None, strawberry.argument(description=AFTER)]
CURSOR = "This item's position in the list: pass it as `after` to read the items that follow."
PAGE_INFO = "Whether items come before or after this page, and the cursors of its ends."
TOTAL_COUNT = "How many items the whole list holds, over all pages."
NODES = "The entities of this page alone, in the order of `edges` (no cursors)."

# -- keys, countries, dates ---------------------------------------------------------------------

KEY = (
    "An entity's key, such as `cluster:euroregion-beskidy`. A key merged into another entity "
    "(its `mergedKeys`) names that entity."
)
UNKNOWN_KEY = "A key no entity has: BAD_USER_INPUT."
COUNTRY_CODES = (
    'ISO 3166-1 alpha-2 codes in capitals, such as ["PL", "CZ"]: only entities whose `countryCode` is one '
    "of them. Null: no filter; an empty list matches nothing. Another form of code: BAD_USER_INPUT."
)
REGION_CODES = (
    'NUTS codes in capitals, such as ["CZ04", "PL2"]: only the regions of these codes, everything that lies '
    "inside one (its regions further down, their cities) and what is located or held there, by its region or "
    "its city. A link to a country alone does not place an entity in a region: filter by `countries` for "
    "that. Null: no filter; an empty list matches nothing; a code of another form: BAD_USER_INPUT."
)
DATE = "As precise as its source: YYYY, YYYY-MM or YYYY-MM-DD; null when no source gives it."
ACRONYM = "Its acronym as its sources write it; null when it has none."
ACTOR = "`key:<id>:<name>` for an API key, `oidc:<subject>` for a JWT."
AT = "When, as an ISO 8601 date-time (UTC)."

# -- provenance ----------------------------------------------------------------------------------

ENTITY_SOURCES = "The Source entities that state this entity (SOURCED_FROM), in key order."
RELATIONSHIP_SOURCES = "The Source entities that state this relationship (its `sources` keys), in key order."
WRITE_SOURCES = (
    "Keys of the Source entities that back this change (recorded with it in `history`). "
    "A key that is not a Source's: BAD_USER_INPUT with `extensions.field` = sources."
)

# -- relationship properties (RelationshipEdge and GraphEdge) ----------------------------------

ROLE = "PARTNER_IN: `lead` or `partner`; REPRESENTS: the person's role as the source gives it. Else null."
PARTNER_NUMBER = (
    "PARTNER_IN: the partner's number in the programme's list of the project's partners. Else null."
)
VIA = "PARTICIPATES_IN: key of the organisation through which the cluster took part. Else null."
PROJECT = "ENGAGES, CONTACT_FOR: key of the project it is about. Else null."
SINCE = f"MEMBER_OF: since when. {DATE}"
RELATIONSHIP_TYPE = "The relationship's type (see `RelationshipType`)."

# -- errors and permissions ----------------------------------------------------------------------

QUERY = (
    "Questions about European industrial clusters and their cooperation. Every error carries "
    "`extensions.code`: BAD_USER_INPUT for an argument out of bounds or an unknown key (each argument says "
    "which), QUERY_TOO_COMPLEX for a document past the service's bounds (`extensions.bound`: bytes, tokens, "
    "depth, aliases or cost), GRAPHQL_PARSE_FAILED or GRAPHQL_VALIDATION_FAILED for a document that is not "
    "GraphQL or does not fit this schema, RATE_LIMITED, QUERY_TIMEOUT, and SERVICE_UNAVAILABLE while the "
    "database is down. Where the operator keeps reads private, a reader's credential is needed "
    "(UNAUTHENTICATED, FORBIDDEN)."
)

MUTATION = (
    "Curating the graph. Editors create, update and link; admins also delete and merge. Editors also ingest "
    "articles and accept, edit or reject what they propose. Each change of an entity or relationship is one "
    "transaction, recorded in `history`. Without a credential: UNAUTHENTICATED; with too small a role: FORBIDDEN; refused input "
    "(an unknown key, a property the data model lacks, a key taken meanwhile): BAD_USER_INPUT naming it in "
    "`extensions.field`. Nothing is written then."
)
EDITOR = "Editors and admins."
ADMIN = "Admins only."
EDITOR_ROLE = "Editors and admins only: without a credential UNAUTHENTICATED, with a reader's FORBIDDEN."


_NOT_SOURCES = frozenset(Kind) - {Kind.SOURCE}


def _kinds(kinds: frozenset[Kind]) -> str:
    return "any entity but a Source" if kinds == _NOT_SOURCES else ", ".join(sorted(kinds))


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def relationship_type(name: str) -> str:
    """A relationship type, described from the data model: its ends, meaning and properties."""
    rel = REL_TYPES[name]
    starts, ends = _kinds(rel.starts), _kinds(rel.ends)
    properties = f" Properties: {', '.join(rel.properties)}." if rel.properties else ""
    followed = ""
    if rel.cooperation:
        followed = " Cooperation: `cooperationPaths` and `crossBorderPartners` follow it."
    if name in COOPERATION_IN_PROJECTS.split("|"):
        followed += " `partners` and `cooperationMatrix` count the projects shared through it."
    return f"{_capital(starts)} → {ends}: {rel.description}.{properties}{followed}"


def describe_values(enum: Any, descriptions: Mapping[str, str | None]) -> Any:
    """Give every value of a Strawberry enum a description, by value name.

    Strawberry reads value descriptions from `strawberry.enum_value` members, which would
    change the members' values; the enums here, the data model's own (`Kind`, `Direction`)
    among them, keep plain values (`.value` stays a str), so their descriptions are set here.
    """
    values = enum.__strawberry_definition__.values
    missing = sorted(value.name for value in values if not descriptions.get(value.name))
    if missing:
        raise ValueError(f"{enum.__name__}: no description for {', '.join(missing)}")
    for value in values:
        value.description = descriptions[value.name]
    return enum
