"""GraphiQL and its examples: served locally, every example answers, the documentation shows the true answers."""

import json
import re
from typing import Any

import httpx

from clustergraph.http.playground import ASSETS, examples, examples_markdown
from clustergraph.paths import PROJECT_ROOT


async def _answer(gql: Any, query: str) -> dict[str, Any]:
    body = await gql(query, status=200)
    assert "errors" not in body, body
    return body  # type: ignore[no-any-return]


async def test_every_example_answers_in_one_query_per_root_field(gql: Any) -> None:
    assert len(examples()) >= 8
    for example in examples():
        body = await _answer(gql, example.query)
        assert body["extensions"]["cypherQueries"] == len(body["data"]), example.name
        assert all(value not in (None, [], {}) for value in body["data"].values()), example.name


async def test_the_documentation_shows_each_example_with_its_live_answer(gql: Any) -> None:
    answers = {e.name: (await _answer(gql, e.query))["data"] for e in examples()}
    page = (PROJECT_ROOT / "docs" / "examples.md").read_text(encoding="utf-8")
    assert examples_markdown(answers) in page, "run scripts/update-doc-examples against the seeded service"


async def test_graphiql_page_loads_only_local_assets(http: httpx.AsyncClient) -> None:
    page = await http.get("/graphql", headers={"Accept": "text/html"})
    assert page.status_code == 200
    sources = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    assert sources and all(s.startswith("/assets/") for s in sources), sources
    assert "cooperationPaths" in page.text
    for name, (_, media_type) in ASSETS.items():
        response = await http.get(f"/assets/{name}")
        assert response.status_code == 200, name
        assert response.headers["content-type"].startswith(media_type)
    assert (await http.get("/assets/..%2Fpyproject.toml")).status_code == 404


TOUR = re.compile(
    r"<!-- tour:start[^>]*-->\n```graphql\n(.*?)```\n\n```json\n(.*?)```\n<!-- tour:end -->", re.S
)


async def test_the_readme_tour_shows_the_live_answer(gql: Any) -> None:
    found = TOUR.search((PROJECT_ROOT / "README.md").read_text(encoding="utf-8"))
    assert found, "the README's tour lost its markers"
    query, shown = found.groups()
    answer = (await _answer(gql, query))["data"]
    assert json.loads(shown) == answer, json.dumps(answer, ensure_ascii=False, indent=2)
