"""Cursors, global ids and page info, without a database."""

from __future__ import annotations

import pytest

from clustergraph.cypher.plan import Page
from clustergraph.errors import BadUserInput
from clustergraph.translate.cursors import decode_cursor, encode_cursor, global_id, parse_global_id
from clustergraph.translate.fields import FieldModel
from clustergraph.translate.plan import DEFAULT_PAGE_SIZE, Limits, Planner
from clustergraph.translate.roots import paginated
from clustergraph.translate.selection import Request


@pytest.mark.parametrize("position", [0, 1, 19, 20, 12345])
def test_a_cursor_gives_back_its_position(position: int) -> None:
    assert decode_cursor(encode_cursor(position)) == position


@pytest.mark.parametrize(
    "cursor", ["not-a-cursor", "", encode_cursor(3)[:-2] + "!!", global_id("Cluster", "x")]
)
def test_what_is_not_a_cursor_is_refused(cursor: str) -> None:
    assert decode_cursor(cursor) is None
    with pytest.raises(BadUserInput, match="`after` is not a cursor"):
        _planner().page({"first": 5, "after": cursor})


def test_a_global_id_names_a_kind_and_a_key() -> None:
    assert parse_global_id(global_id("Person", "person:kinga-skalacka")) == (
        "Person",
        "person:kinga-skalacka",
    )
    assert parse_global_id(global_id("Galaxy", "galaxy:x")) is None
    assert parse_global_id("garbage") is None


def _planner(max_page_size: int = 100) -> Planner:
    return Planner(Request(None, {}, {}, FieldModel({})), Limits(max_page_size=max_page_size))  # type: ignore[arg-type]


def test_a_page_starts_after_its_cursor_and_defaults_to_twenty() -> None:
    assert _planner().page({}) == Page(first=DEFAULT_PAGE_SIZE, offset=0)
    assert _planner().page({"first": None, "after": encode_cursor(40)}) == Page(first=20, offset=40)
    assert _planner().page({"first": 0}) == Page(first=0, offset=0)


@pytest.mark.parametrize("first", [-1, 101])
def test_first_out_of_bounds_is_bad_input(first: int) -> None:
    with pytest.raises(BadUserInput, match="`first` must be between 0 and 100"):
        _planner().page({"first": first})


def test_page_info_of_a_middle_page() -> None:
    page = paginated(
        {"#total": 10, "#offset": 4, "#first": 2, "#edges": ["e"], "e": [{"node": {}}, {"node": {}}]}
    )
    assert page is not None
    assert [edge["#cursor"] for edge in page["e"]] == [encode_cursor(5), encode_cursor(6)]
    assert page["#page_info"] == {
        "has_next_page": True,
        "has_previous_page": True,
        "start_cursor": encode_cursor(5),
        "end_cursor": encode_cursor(6),
    }
    # The next page starts after the end cursor.
    assert _planner().page({"first": 2, "after": page["#page_info"]["end_cursor"]}).offset == 6


def test_every_selection_of_edges_gets_cursors() -> None:
    page = paginated(
        {"#total": 3, "#offset": 0, "#first": 2, "#edges": ["a", "b"], "a": [{}, {}], "b": [{}, {}]}
    )
    assert page is not None
    assert (
        [e["#cursor"] for e in page["a"]]
        == [e["#cursor"] for e in page["b"]]
        == [
            encode_cursor(1),
            encode_cursor(2),
        ]
    )


def test_page_info_of_the_last_and_of_an_empty_page() -> None:
    last = paginated({"#total": 3, "#offset": 2, "#first": 20, "#edges": [], "nodes": [{}]})
    assert last is not None and last["#page_info"]["has_next_page"] is False
    assert last["#page_info"]["end_cursor"] == encode_cursor(3)
    empty = paginated({"#total": 0, "#offset": 0, "#first": 20, "#edges": ["edges"], "edges": []})
    assert empty is not None
    assert empty["#page_info"] == {
        "has_next_page": False,
        "has_previous_page": False,
        "start_cursor": None,
        "end_cursor": None,
    }
    assert paginated(None) is None


def test_page_info_without_edges_or_nodes_still_knows_what_follows() -> None:
    # `{ totalCount pageInfo { hasNextPage } }`: no items selected, the page's length follows from its bounds.
    page = paginated({"#total": 30, "#offset": 0, "#first": 20, "#edges": []})
    assert page is not None and page["#page_info"]["has_next_page"] is True
    assert page["#page_info"]["end_cursor"] == encode_cursor(20)
