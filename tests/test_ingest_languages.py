"""Linking and proposing in the languages covered, on short texts that restate what the sources say.

No graph needed: the linker takes the seed's names as the graph holds them.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from clustergraph.ingest.document import IngestError, parse
from clustergraph.ingest.pipeline import Analysis, analyse
from clustergraph.paths import SEED_DIR


def seed_names() -> list[dict[str, Any]]:
    rows = []
    for path in sorted(SEED_DIR.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            if row["type"] == "node":
                rows.append({"key": row["key"], "kind": row["kind"], **row["properties"]})
    return rows


def read(text: str) -> Analysis:
    return analyse(parse(text.encode(), "test"), seed_names(), set())


def links(analysis: Analysis) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for m in analysis.mentions:
        found.setdefault(m.key, set()).add(m.text)
    return found


def relationships(analysis: Analysis) -> set[tuple[str | None, str | None, str | None]]:
    return {(p.rel, p.from_key, p.to_key) for p in analysis.proposals if p.kind == "relationship"}


def test_polish_inflected_names_link_to_their_entities() -> None:
    analysis = read(
        "Spotkanie odbyło się w Bielsku-Białej. Przedstawiciele klastra Euroregion Beskidy rozmawiali z "
        "Agencją Rozwoju Regionalnego z Usti o dalszej współpracy w ramach projektu Clusters-Cord."
    )
    assert analysis.article.language == "pl"
    found = links(analysis)
    assert found["city:bielsko-biala"] == {"Bielsku-Białej"}
    assert found["cluster:euroregion-beskidy"] == {"klastra Euroregion Beskidy"}
    assert "Agencją Rozwoju Regionalnego z Usti" in found["organisation:rda-usti-region"]


def test_english_links_names_without_their_legal_form_and_proposes_relationships() -> None:
    analysis = read(
        "The Regional Development Agency of Usti Region, the lead partner of Clusters-Cord, organised the "
        "project's final conference. Kinga Skałacka represented the Śląski Klaster Transplantologii Szpiku "
        "at the meeting. The Stuttgart Region Economic Development Corporation is a partner of the project."
    )
    assert analysis.article.language == "en"  # though "Skałacka" has a letter English lacks
    found = links(analysis)
    assert found["organisation:rda-usti-region"] == {"Regional Development Agency of Usti Region"}
    assert {"person:kinga-skalacka", "organisation:wrs", "project:clusters-cord"} <= set(found)
    assert {
        ("REPRESENTS", "person:kinga-skalacka", "cluster:slaski-klaster-transplantologii-szpiku"),
        ("ORGANISED", "organisation:rda-usti-region", "event:clusters-cord-final-conference-2013"),
        ("PARTNER_IN", "organisation:wrs", "project:clusters-cord"),
    } <= relationships(analysis)


def test_czech_and_german_link_names_with_diacritics_and_inflection() -> None:
    czech = read(
        "Regionální rozvojová agentura byla vedoucím partnerem projektu Clusters-Cord. Kontaktní osobou "
        "byla Dana Krejsová z Ústí nad Labem. Projekt byl financován z programu CENTRAL EUROPE."
    )
    assert czech.article.language == "cs"
    assert {"person:dana-krejsova", "city:usti-nad-labem", "programme:central-europe"} <= set(links(czech))
    german = read(
        "Das Projekt Clusters-Cord wurde durch das Programm CENTRAL EUROPE gefördert. Die Abschlusskonferenz "
        "wurde von der Regionalen Entwicklungsagentur in Usti nad Labem organisiert."
    )
    assert german.article.language == "de"
    assert {"project:clusters-cord", "programme:central-europe", "city:usti-nad-labem"} <= set(links(german))
    # "Das Projekt" is the article's project, not a new one.
    assert not [p for p in german.proposals if p.kind == "entity" and p.entity_kind == "Project"]


def test_a_language_the_service_does_not_cover_is_refused() -> None:
    with pytest.raises(IngestError, match=r"does not cover \(es\)"):
        parse(
            "El clúster organizó una conferencia en Madrid sobre la cooperación entre las regiones europeas "
            "y los representantes de las empresas presentaron sus proyectos.".encode(),
            "test",
        )
