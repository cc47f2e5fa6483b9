"""The kinds' colours stay apart for normal vision and under simulated colour blindness.

Simulation: Machado, Oliveira and Fernandes (2009), severity 1, applied in linear sRGB;
distance: CIE76 ΔE in CIELAB (D65). A distance of 20 is far beyond a just-noticeable one.
The palette is read from the file the explorer and the widget are built from.
"""

from __future__ import annotations

import itertools
import math
import re

import pytest
from graphql import GraphQLEnumType, build_schema

from clustergraph.paths import PROJECT_ROOT
from clustergraph.schema.build import sdl

KINDS_JS = PROJECT_ROOT / "web" / "src" / "kinds.js"
MACHADO = {
    "normal": ((1, 0, 0), (0, 1, 0), (0, 0, 1)),
    "protanopia": (
        (0.152286, 1.052583, -0.204868),
        (0.114503, 0.786281, 0.099216),
        (-0.003882, -0.048116, 1.051998),
    ),
    "deuteranopia": (
        (0.367322, 0.860646, -0.227968),
        (0.280085, 0.672501, 0.047413),
        (-0.011820, 0.042940, 0.968881),
    ),
    "tritanopia": (
        (1.255528, -0.076749, -0.178779),
        (-0.078411, 0.930809, 0.147602),
        (0.004733, 0.691367, 0.303900),
    ),
}
LEAST_DISTANCE = 20.0
Lab = tuple[float, float, float]


def palette() -> dict[str, str]:
    text = KINDS_JS.read_text(encoding="utf-8")
    return dict(re.findall(r"^\s+([A-Z_]+): \{ colour: '(#[0-9a-f]{6})'", text, re.M))


def _linear(channel: int) -> float:
    c = channel / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def seen(colour: str, vision: str) -> Lab:
    rgb = [_linear(int(colour[i : i + 2], 16)) for i in (1, 3, 5)]
    r, g, b = (
        min(1.0, max(0.0, sum(m * c for m, c in zip(row, rgb, strict=True)))) for row in MACHADO[vision]
    )
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116

    return (116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z)))


def test_every_kind_of_the_schema_has_a_colour() -> None:
    # The enum's values, read by a GraphQL parser: its value descriptions hold capitals too.
    kinds = build_schema(sdl()).type_map["EntityKind"]
    assert isinstance(kinds, GraphQLEnumType)
    assert set(palette()) == set(kinds.values)


@pytest.mark.parametrize("vision", MACHADO)
def test_the_kinds_colours_are_told_apart(vision: str) -> None:
    colours = palette()
    closest = min(
        (math.dist(seen(colours[a], vision), seen(colours[b], vision)), a, b)
        for a, b in itertools.combinations(colours, 2)
    )
    print(f"{vision}: closest pair {closest[1]} / {closest[2]}, ΔE {closest[0]:.1f}")
    assert closest[0] >= LEAST_DISTANCE, closest


def test_the_simulation_does_confuse_what_colour_blind_people_confuse() -> None:
    """The check can fail: red and green, far apart normally, come close under deuteranopia."""
    red, green = "#cc3333", "#669933"
    normal = math.dist(seen(red, "normal"), seen(green, "normal"))
    deutan = math.dist(seen(red, "deuteranopia"), seen(green, "deuteranopia"))
    assert normal > 50 and deutan < normal / 2
