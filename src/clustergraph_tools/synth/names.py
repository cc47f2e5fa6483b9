"""Invented but plausible names: places, organisations, people, projects.

Names are made from syllables by a seeded random generator, so they look European
without being any real region, company or person. Only the countries are real.
"""

from __future__ import annotations

import random
from dataclasses import dataclass


@dataclass(frozen=True)
class Country:
    code: str  # ISO 3166-1 alpha-2
    name: str
    language: str  # ISO 639-1, the language synthetic names are tagged with
    regions: int  # about as many NUTS-2 regions as the real country has
    legal_form: str  # a typical suffix of a company's name there


# The EU member states; region counts follow the real NUTS-2 level (242 in all).
COUNTRIES: tuple[Country, ...] = (
    Country("AT", "Österreich", "de", 9, "GmbH"),
    Country("BE", "Belgique", "fr", 11, "SA"),
    Country("BG", "България", "bg", 6, "OOD"),
    Country("CY", "Κύπρος", "el", 1, "Ltd"),
    Country("CZ", "Česko", "cs", 8, "s.r.o."),
    Country("DE", "Deutschland", "de", 38, "GmbH"),
    Country("DK", "Danmark", "da", 5, "ApS"),
    Country("EE", "Eesti", "et", 1, "OÜ"),
    Country("EL", "Ελλάδα", "el", 13, "AE"),
    Country("ES", "España", "es", 19, "S.L."),
    Country("FI", "Suomi", "fi", 5, "Oy"),
    Country("FR", "France", "fr", 27, "SAS"),
    Country("HR", "Hrvatska", "hr", 4, "d.o.o."),
    Country("HU", "Magyarország", "hu", 8, "Kft."),
    Country("IE", "Éire", "ga", 3, "Ltd"),
    Country("IT", "Italia", "it", 21, "S.r.l."),
    Country("LT", "Lietuva", "lt", 2, "UAB"),
    Country("LU", "Luxembourg", "fr", 1, "S.à r.l."),
    Country("LV", "Latvija", "lv", 1, "SIA"),
    Country("MT", "Malta", "mt", 1, "Ltd"),
    Country("NL", "Nederland", "nl", 12, "B.V."),
    Country("PL", "Polska", "pl", 17, "Sp. z o.o."),
    Country("PT", "Portugal", "pt", 7, "Lda."),
    Country("RO", "România", "ro", 8, "S.R.L."),
    Country("SE", "Sverige", "sv", 8, "AB"),
    Country("SI", "Slovenija", "sl", 2, "d.o.o."),
    Country("SK", "Slovensko", "sk", 4, "s.r.o."),
)

SECTORS: tuple[str, ...] = (
    "Advanced Manufacturing",
    "Aerospace",
    "Agri-Food",
    "Automotive",
    "Biotechnology",
    "Chemicals",
    "Construction",
    "Creative Industries",
    "Cultural Heritage",
    "Digital Industries",
    "Energy",
    "Environmental Technologies",
    "Health and Life Sciences",
    "Logistics",
    "Maritime",
    "Materials",
    "Medical Devices",
    "Microelectronics",
    "Mobility",
    "Photonics",
    "Plastics",
    "Textiles",
    "Tourism",
    "Wood and Furniture",
)

_ONSETS = (
    "b",
    "br",
    "d",
    "dr",
    "f",
    "g",
    "gr",
    "k",
    "kr",
    "l",
    "m",
    "n",
    "p",
    "r",
    "s",
    "st",
    "t",
    "tr",
    "v",
    "z",
)
_VOWELS = ("a", "e", "i", "o", "u", "ia", "ei", "au")
_CODAS = ("", "", "n", "r", "s", "l", "m", "x", "k")
_REGION_WORDS = ("Upper", "Lower", "North", "South", "East", "West", "Central", "Greater")
_ORG_WORDS = (
    "Systems",
    "Technologies",
    "Industries",
    "Solutions",
    "Laboratories",
    "Engineering",
    "Works",
    "Institute",
    "Agency",
    "Innovations",
)
_CLUSTER_WORDS = ("Cluster", "Network", "Alliance", "Valley", "Hub", "Platform")
_GIVEN = ("Ana", "Jan", "Eva", "Marek", "Lena", "Tomas", "Ines", "Piotr", "Sara", "Luka", "Mia", "Karl")
_TOPICS = (
    "innovation",
    "internationalisation",
    "skills",
    "smart specialisation",
    "digitalisation",
    "green transition",
)


def stem(rng: random.Random, syllables: int = 3) -> str:
    """A pronounceable invented word, such as 'Valtrona'."""
    word = "".join(rng.choice(_ONSETS) + rng.choice(_VOWELS) for _ in range(syllables - 1))
    return (word + rng.choice(_ONSETS) + rng.choice(_VOWELS) + rng.choice(_CODAS)).capitalize()


def region_name(rng: random.Random) -> str:
    return f"{rng.choice(_REGION_WORDS)} {stem(rng)}"


def city_name(rng: random.Random) -> str:
    return stem(rng, rng.choice((2, 3)))


def organisation_name(rng: random.Random, country: Country) -> str:
    return f"{stem(rng)} {rng.choice(_ORG_WORDS)} {country.legal_form}"


def cluster_name(rng: random.Random, sector: str, region: str) -> str:
    return f"{region} {sector} {rng.choice(_CLUSTER_WORDS)}"


def person_name(rng: random.Random) -> str:
    return f"{rng.choice(_GIVEN)} {stem(rng, 3)}"


def project_name(rng: random.Random) -> tuple[str, str]:
    """A project's name and its acronym."""
    acronym = stem(rng, 2).upper()
    return f"{acronym}: {rng.choice(_TOPICS).capitalize()} across {stem(rng)}", acronym


def event_topics(rng: random.Random) -> list[str]:
    return rng.sample(_TOPICS, 2)
