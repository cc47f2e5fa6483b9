"""A view as the explorer posts it for export: the nodes on screen with their places,
colours and sizes, and the ids of the relationships drawn between them.

POST /export/{format} with `{"nodes": [{"key", "x", "y", "colour", "size"}], "edges": [id]}`
exports exactly that view; positions are the explorer's model coordinates (y grows down).
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from clustergraph.errors import BadUserInput
from clustergraph.exporting.formats import Placement

Coordinate = Annotated[float, Field(allow_inf_nan=False, ge=-1e7, le=1e7)]


class PlacedNode(BaseModel):
    model_config = ConfigDict(extra="forbid")
    key: str = Field(min_length=1, max_length=500)
    x: Coordinate
    y: Coordinate
    colour: str = Field(pattern=r"^#[0-9a-fA-F]{6}$")
    size: float = Field(gt=0, le=1000, allow_inf_nan=False)


class View(BaseModel):
    model_config = ConfigDict(extra="forbid")
    nodes: list[PlacedNode] = Field(min_length=1)
    edges: list[Annotated[str, Field(max_length=200)]] = Field(default_factory=list)

    def placements(self) -> dict[str, Placement]:
        return {n.key: Placement(n.x, n.y, n.colour, n.size) for n in self.nodes}


def parse_view(body: bytes, most_nodes: int) -> View:
    """The posted view, or the BadUserInput that says, in one line, why it is not one."""
    try:
        view = View.model_validate_json(body)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "body"
        raise BadUserInput(
            f"the view is not valid JSON of the expected shape ({where}: {first['msg']})"
        ) from None
    if len(view.nodes) > most_nodes:
        raise BadUserInput(f"a view export holds at most {most_nodes} nodes")
    if len(view.edges) > 20 * most_nodes:
        raise BadUserInput(f"a view export holds at most {20 * most_nodes} edges")
    return view
