"""Generating the synthetic network: places, then actors, then what joins them.

The structure is what the real network looks like from the sources: clusters belong to
a region and a sector; organisations sit in a region and join clusters mostly of their
own region; projects are mostly regional (one country, most partners from the lead
partner's region) with a heavy tail of transnational consortia spanning many countries;
events belong to projects or regions and gather local actors and people. One seeded
`random.Random` drives everything, so a seed and a scale always give the same files.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from clustergraph_tools.synth import names
from clustergraph_tools.synth.sink import SOURCE_KEY, Sink

# Node counts at scale 1 (places, sectors and programmes do not scale).
BASE_COUNTS: dict[str, int] = {
    "clusters": 3_000,
    "metaclusters": 150,
    "organisations": 125_000,
    "people": 55_000,
    "projects": 12_000,
    "events": 8_000,
}
CITIES_PER_REGION = 3
PROGRAMMES = 12
REGIONAL_PROJECT_SHARE = 0.65


@dataclass(frozen=True)
class SynthSummary:
    nodes: int
    relationships: int
    files: list[Path]


@dataclass
class _Region:
    key: str
    country: int
    cities: list[str]
    weight: float
    sectors: list[int]
    clusters: list[int] = field(default_factory=list)
    organisations: list[int] = field(default_factory=list)
    people: list[int] = field(default_factory=list)


def counts_at(scale: float) -> dict[str, int]:
    return {name: max(3, round(n * scale)) for name, n in BASE_COUNTS.items()}


def _key(prefix: str, i: int) -> str:
    return f"{prefix}:syn-{i:06d}"


class _Network:
    def __init__(self, sink: Sink, seed: int, scale: float) -> None:
        self.sink = sink
        self.rng = random.Random(seed)
        self.counts = counts_at(scale)
        self.regions: list[_Region] = []
        self.by_country: dict[int, list[int]] = defaultdict(list)  # country -> regions
        self.cluster_region: list[int] = []
        self.cluster_sector: list[int] = []
        self.org_region: list[int] = []
        self.person_region: list[int] = []
        self.representative: dict[str, int] = {}  # actor key -> a person who represents it
        self.metaclusters_by_sector: dict[int, list[int]] = defaultdict(list)
        self.transnational_projects: list[int] = []
        self.project_partners: list[list[str]] = []
        self.project_countries: list[list[int]] = []
        self.project_region: list[int] = []
        self.engaged: set[tuple[str, str]] = set()  # ENGAGES is one relationship per pair

    # -- helpers -------------------------------------------------------------------
    def pick_region(self, country: int | None = None) -> int:
        pool = self.by_country[country] if country is not None else range(len(self.regions))
        pool = list(pool)
        return self.rng.choices(pool, weights=[self.regions[r].weight for r in pool])[0]

    def country_of(self, region: int) -> names.Country:
        return names.COUNTRIES[self.regions[region].country]

    def _base(self, name: str, country: names.Country | None) -> dict[str, object]:
        props: dict[str, object] = {
            "name": name,
            "names": [f"{country.language if country else 'en'}:{name}"],
        }
        if country:
            props["country"] = country.code
        return props

    # -- places ----------------------------------------------------------------------
    def places(self) -> None:
        self.sink.group("01-source")
        self.sink.node(
            "Source",
            SOURCE_KEY,
            {
                "name": "Synthetic network generator",
                "names": ["en:Synthetic network generator"],
                "title": "Synthetic European cluster network (invented data, for benchmarks only)",
                "publisher": "clustergraph synth",
                "language": "en",
                "sourceId": "SYNTH",
                "description": "Every node and relationship citing this source is invented.",
            },
            sources=[],
        )
        self.sink.group("02-places")
        city_no = 0
        for c, country in enumerate(names.COUNTRIES):
            ckey = f"country:syn-{country.code.lower()}"
            props = self._base(country.name, country)
            props["code"] = country.code
            self.sink.node("Country", ckey, props)
            for i in range(1, country.regions + 1):
                code = f"{country.code}Z{i:02d}"  # "Z": no real NUTS code looks like this
                rkey = f"region:syn-{code.lower()}"
                rprops = self._base(names.region_name(self.rng), country)
                rprops.update(nutsLevel=2, aliases=[code])
                self.sink.node("Region", rkey, rprops)
                self.sink.rel("IN_COUNTRY", rkey, ckey)
                cities = []
                for _ in range(CITIES_PER_REGION):
                    city_no += 1
                    city = _key("city", city_no)
                    self.sink.node("City", city, self._base(names.city_name(self.rng), country))
                    self.sink.rel("IN_REGION", city, rkey)
                    self.sink.rel("IN_COUNTRY", city, ckey)
                    cities.append(city)
                region = _Region(
                    rkey,
                    c,
                    cities,
                    weight=self.rng.paretovariate(1.5),
                    sectors=self.rng.sample(range(len(names.SECTORS)), 4),
                )
                self.by_country[c].append(len(self.regions))
                self.regions.append(region)

    def taxonomy(self) -> None:
        self.sink.group("03-taxonomy")
        for s, sector in enumerate(names.SECTORS):
            self.sink.node("Sector", _key("sector", s), self._base(sector, None))
        for p in range(PROGRAMMES):
            name = f"{names.stem(self.rng)} Cooperation Programme"
            props = self._base(name, None)
            props["acronym"] = name[:4].upper()
            self.sink.node("Programme", _key("programme", p), props)

    def _sector_for(self, region: int) -> int:
        if self.rng.random() < 0.8:
            return self.rng.choice(self.regions[region].sectors)
        return self.rng.randrange(len(names.SECTORS))

    # -- actors ------------------------------------------------------------------------
    def clusters(self) -> None:
        self.sink.group("04-clusters")
        for i in range(self.counts["clusters"]):
            region = self.pick_region() if i >= len(self.regions) else i  # every region has one
            sector = self._sector_for(region)
            country = self.country_of(region)
            key = _key("cluster", i)
            name = names.cluster_name(self.rng, names.SECTORS[sector], names.stem(self.rng, 2))
            self.sink.node("Cluster", key, self._base(name, country))
            self.sink.rel("LOCATED_IN", key, self.regions[region].key)
            self.sink.rel("LOCATED_IN", key, self.rng.choice(self.regions[region].cities))
            self.sink.rel("IN_SECTOR", key, _key("sector", sector))
            self.regions[region].clusters.append(i)
            self.cluster_region.append(region)
            self.cluster_sector.append(sector)

    def metaclusters(self) -> None:
        self.sink.group("05-metaclusters")
        for i in range(self.counts["metaclusters"]):
            sector = i % len(names.SECTORS)
            key = _key("metacluster", i)
            name = f"European {names.SECTORS[sector]} Meta-Cluster {names.stem(self.rng, 2)}"
            props = self._base(name, None)
            props["status"] = self.rng.choice(("formed", "proposed"))
            self.sink.node("MetaCluster", key, props)
            self.sink.rel("IN_SECTOR", key, _key("sector", sector))
            self.metaclusters_by_sector[sector].append(i)
        for c, sector in enumerate(self.cluster_sector):
            metas = self.metaclusters_by_sector.get(sector)
            if metas and self.rng.random() < 0.3:
                since = str(self.rng.randint(2010, 2024))
                self.sink.rel(
                    "MEMBER_OF",
                    _key("cluster", c),
                    _key("metacluster", self.rng.choice(metas)),
                    {"since": since},
                )

    def _cluster_near(self, region: int) -> int:
        """A cluster of the region, else of its country, else anywhere."""
        local = self.regions[region].clusters
        if local and self.rng.random() < 0.85:
            return self.rng.choice(local)
        country_regions = self.by_country[self.regions[region].country]
        pool = self.regions[self.rng.choice(country_regions)].clusters
        return self.rng.choice(pool) if pool else self.rng.randrange(len(self.cluster_region))

    def organisations(self) -> None:
        self.sink.group("06-organisations")
        rng = self.rng
        for i in range(self.counts["organisations"]):
            region = self.pick_region()
            country = self.country_of(region)
            key = _key("organisation", i)
            self.sink.node("Organisation", key, self._base(names.organisation_name(rng, country), country))
            self.sink.rel("LOCATED_IN", key, self.regions[region].key)
            self.sink.rel("LOCATED_IN", key, rng.choice(self.regions[region].cities))
            sectors = {self._sector_for(region) for _ in range(1 + (rng.random() < 0.5))}
            for sector in sorted(sectors):
                self.sink.rel("IN_SECTOR", key, _key("sector", sector))
            joined = {
                self._cluster_near(region) for _ in range(1 + (rng.random() < 0.4) + (rng.random() < 0.1))
            }
            for cluster in sorted(joined):
                self.sink.rel(
                    "MEMBER_OF", key, _key("cluster", cluster), {"since": str(rng.randint(2005, 2024))}
                )
            self.regions[region].organisations.append(i)
            self.org_region.append(region)

    def people(self) -> None:
        self.sink.group("07-people")
        rng = self.rng
        for i in range(self.counts["people"]):
            key = _key("person", i)
            self.sink.node("Person", key, self._base(names.person_name(rng), None))
            if rng.random() < 0.85:
                org = rng.randrange(len(self.org_region))
                actor, region = _key("organisation", org), self.org_region[org]
                if rng.random() < 0.3:
                    self.sink.rel("CONTACT_FOR", key, actor)
            else:
                cluster = rng.randrange(len(self.cluster_region))
                actor, region = _key("cluster", cluster), self.cluster_region[cluster]
            self.sink.rel(
                "REPRESENTS", key, actor, {"role": rng.choice(("manager", "director", "coordinator"))}
            )
            self.representative.setdefault(actor, i)
            self.regions[region].people.append(i)
            self.person_region.append(region)

    # -- cooperation ---------------------------------------------------------------------
    def _project_countries(self, lead_country: int) -> list[int]:
        if self.rng.random() < REGIONAL_PROJECT_SHARE:
            return [lead_country]
        wanted = min(len(names.COUNTRIES), 1 + int(self.rng.paretovariate(1.1)))
        others = [c for c in range(len(names.COUNTRIES)) if c != lead_country]
        return [lead_country, *self.rng.sample(others, wanted - 1)] if wanted > 1 else [lead_country]

    def _actor_in(self, region: int, country: int, lead_region: int) -> str:
        rng = self.rng
        home = lead_region if region == lead_region and rng.random() < 0.7 else self.pick_region(country)
        pool = self.regions[home]
        if pool.clusters and rng.random() < 0.1:
            return _key("cluster", rng.choice(pool.clusters))
        if pool.organisations:
            return _key("organisation", rng.choice(pool.organisations))
        return _key("organisation", rng.randrange(len(self.org_region)))

    def projects(self) -> None:
        self.sink.group("08-projects")
        rng = self.rng
        for i in range(self.counts["projects"]):
            key = _key("project", i)
            lead_org = rng.randrange(len(self.org_region))
            lead_region = self.org_region[lead_org]
            countries = self._project_countries(self.regions[lead_region].country)
            name, acronym = names.project_name(rng)
            start_year, months = rng.randint(2008, 2024), rng.choice((24, 30, 36, 42, 48))
            start_month = rng.randint(1, 12)
            end_total = start_year * 12 + start_month - 1 + months
            props = self._base(name, None)
            props.update(
                acronym=acronym,
                startDate=f"{start_year}-{start_month:02d}",
                endDate=f"{end_total // 12}-{end_total % 12 + 1:02d}",
                durationMonths=months,
            )
            self.sink.node("Project", key, props)
            self.sink.rel("FUNDED_BY", key, _key("programme", rng.randrange(PROGRAMMES)))
            for sector in sorted({rng.randrange(len(names.SECTORS)) for _ in range(rng.randint(1, 3))}):
                self.sink.rel("TARGETS_SECTOR", key, _key("sector", sector))
            partners = [_key("organisation", lead_org)]
            size = min(40, 3 + int(rng.expovariate(1 / 6)) + 2 * len(countries))
            for n in range(size * 2):  # draws, some repeat
                if len(partners) >= size:
                    break
                country = countries[n % len(countries)] if n < len(countries) else rng.choice(countries)
                region = lead_region if country == countries[0] else -1
                actor = self._actor_in(region, country, lead_region)
                if actor not in partners:
                    partners.append(actor)
            for number, actor in enumerate(partners, start=1):
                role = "lead" if number == 1 else "partner"
                self.sink.rel("PARTNER_IN", actor, key, {"role": role, "partnerNumber": number})
            local = self.regions[lead_region].clusters
            if local and rng.random() < 0.8:
                cluster = _key("cluster", rng.choice(local))
                if cluster not in partners:
                    self.sink.rel("PARTICIPATES_IN", cluster, key, {"via": partners[0]})
                    if rng.random() < 0.5 and (partners[0], cluster) not in self.engaged:
                        self.engaged.add((partners[0], cluster))
                        self.sink.rel("ENGAGES", partners[0], cluster, {"project": key})
            contact = self.representative.get(partners[0])
            if contact is not None:
                self.sink.rel("CONTACT_FOR", _key("person", contact), key, {"project": key})
            if len(countries) > 1:
                self.transnational_projects.append(i)
            self.project_partners.append(partners)
            self.project_countries.append(countries)
            self.project_region.append(lead_region)
        for m in range(self.counts["metaclusters"]):
            pool = self.transnational_projects or list(range(len(self.project_partners)))
            self.sink.rel("FORMED_IN", _key("metacluster", m), _key("project", rng.choice(pool)))

    def events(self) -> None:
        self.sink.group("09-events")
        rng = self.rng
        for i in range(self.counts["events"]):
            key = _key("event", i)
            project = rng.randrange(len(self.project_partners)) if rng.random() < 0.6 else None
            if project is not None:
                country = rng.choice(self.project_countries[project])
                region = (
                    self.project_region[project]
                    if country == self.project_countries[project][0]
                    else self.pick_region(country)
                )
            else:
                region = self.pick_region()
            country_info = self.country_of(region)
            year = rng.randint(2008, 2025)
            date = f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
            props = self._base(
                f"{names.stem(rng)} {rng.choice(('Forum', 'Days', 'Summit', 'Matchmaking'))} {year}",
                country_info,
            )
            props.update(
                startDate=date,
                endDate=date,
                topics=names.event_topics(rng),
                participantsOver=rng.choice((20, 50, 100, 200)),
            )
            self.sink.node("Event", key, props)
            self.sink.rel("HELD_IN", key, rng.choice(self.regions[region].cities))
            self.sink.rel("HELD_IN", key, f"country:syn-{country_info.code.lower()}")
            actors: set[str] = set()
            if project is not None:
                self.sink.rel("EVENT_OF", key, _key("project", project))
                self.sink.rel("ORGANISED", self.project_partners[project][0], key)
                actors.update(
                    rng.sample(self.project_partners[project], min(5, len(self.project_partners[project])))
                )
            else:
                organiser = self._actor_in(region, self.regions[region].country, region)
                self.sink.rel("ORGANISED", organiser, key)
            for _ in range(rng.randint(4, 12)):
                actors.add(self._actor_in(region, self.regions[region].country, region))
            for actor in sorted(actors):
                self.sink.rel("PARTICIPATED_IN", actor, key)
            people = self.regions[region].people
            for person in sorted(set(rng.sample(people, min(len(people), rng.randint(4, 16))))):
                self.sink.rel("PARTICIPATED_IN", _key("person", person), key)
            if rng.random() < 0.05:
                self.sink.rel(
                    "PRESENTED", key, _key("metacluster", rng.randrange(self.counts["metaclusters"]))
                )


def generate(folder: Path, seed: int = 1, scale: float = 1.0) -> SynthSummary:
    """Write the synthetic network for `seed` and `scale` into `folder` (its .jsonl files are replaced)."""
    sink = Sink(folder)
    network = _Network(sink, seed, scale)
    try:
        network.places()
        network.taxonomy()
        network.clusters()
        network.metaclusters()
        network.organisations()
        network.people()
        network.projects()
        network.events()
    finally:
        sink.close()
    return SynthSummary(sink.nodes, sink.relationships, sorted(folder.glob("*.jsonl")))
