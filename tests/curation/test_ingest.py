"""Ingesting an article over GraphQL and the command line; reviewing its proposals; refusing bad input."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from clustergraph.auth.identity import Role
from clustergraph.graph.db import Graph
from clustergraph.graph.location import GraphLocation
from tests.curation.ingest_support import pages, seed_article_html
from tests.support import codes, run_cli, snapshot

INGEST = """
mutation($url: String, $content: String) {
  ingestArticle(url: $url, content: $content) {
    createdSource proposalsCreated proposalsKnown
    article { key title url language links { key start end text } }
  }
}"""
PROPOSALS = """
query($article: String, $status: ProposalStatus) {
  proposals(article: $article, status: $status, first: 200) {
    id status kind entityKind name key rel from to properties sentence start end text confidence
    decidedBy reason result changeId
  }
}"""
ACCEPT = "mutation($id: ID!, $edit: ProposalEdit) { acceptProposal(id: $id, edit: $edit) { id status decidedBy result changeId } }"
REJECT = 'mutation($id: ID!) { rejectProposal(id: $id, reason: "not what the article says") { id status decidedBy reason } }'
HISTORY = "query($key: String!) { history(key: $key) { nodes { id action actor sources after } } }"


@pytest.fixture
def editor(tokens: dict[Role, str]) -> str:
    return tokens[Role.EDITOR]


@pytest.fixture
def site() -> Iterator[str]:
    with pages() as url:
        yield url


async def _ingest_seed_page(send: Any, editor: str, site: str) -> dict[str, Any]:
    body = await send(INGEST, {"url": f"{site}/article"}, token=editor)
    assert "errors" not in body, body
    return body["data"]["ingestArticle"]


async def test_ingest_a_page_review_its_proposals_accept_and_reject(
    restore: Graph, send: Any, editor: str, site: str
) -> None:
    # The article's relationships gone, as if no one had read it yet.
    await restore.write("MATCH ()-[r]->() WHERE 'source:s1' IN r.sources DELETE r")
    result = await _ingest_seed_page(send, editor, site)
    article = result["article"]
    assert result["createdSource"] and result["proposalsCreated"] > 10
    assert article["language"] == "pl" and article["url"].endswith("/article")
    assert article["title"].startswith("Konferencja finałowa projektu Clsuters-Cord")
    # The menu and the footer are not the article: the main text starts with the title.
    links = {link["key"]: link for link in article["links"]}
    assert links["city:bielsko-biala"]["text"] == "Bielsku-Białej"
    assert links["person:kinga-skalacka"]["text"] == "Kingę Skałacką"

    body = await send(PROPOSALS, {"article": article["key"], "status": "OPEN"}, token=editor)
    assert "errors" not in body, body
    listed = body["data"]
    proposals = {
        (p["rel"], p["from"], p["to"]): p for p in listed["proposals"] if p["kind"] == "relationship"
    }
    represents = proposals[
        ("REPRESENTS", "person:kinga-skalacka", "cluster:slaski-klaster-transplantologii-szpiku")
    ]
    assert "reprezentowany przez Panią Kingę Skałacką" in represents["sentence"]
    assert 0 < represents["confidence"] <= 1

    accepted = (await send(ACCEPT, {"id": represents["id"]}, token=editor))["data"]["acceptProposal"]
    assert accepted["status"] == "ACCEPTED" and accepted["decidedBy"].startswith("key:")
    history = (await send(HISTORY, {"key": "person:kinga-skalacka"}, token=editor))["data"]["history"][
        "nodes"
    ]
    assert history[0]["id"] == accepted["changeId"] and history[0]["action"] == "link"
    assert history[0]["sources"] == [article["key"]]
    rel = await restore.read(
        "MATCH (:Entity {key: 'person:kinga-skalacka'})-[r:REPRESENTS]->(:Entity) RETURN r.sources AS sources"
    )
    assert rel == [{"sources": [article["key"]]}]

    # Accepted twice: refused, nothing more written.
    again = await send(ACCEPT, {"id": represents["id"]}, token=editor)
    assert codes(again) == ["BAD_USER_INPUT"] and "ACCEPTED already" in again["errors"][0]["message"]

    wrong = proposals[("PARTICIPATED_IN", "person:marcin-filip", "event:clusters-cord-cluster-meeting-2013")]
    rejected = (await send(REJECT, {"id": wrong["id"]}, token=editor))["data"]["rejectProposal"]
    assert rejected["status"] == "REJECTED" and rejected["reason"] == "not what the article says"

    # The same article again: nothing new, the rejected one stays rejected and is not reopened.
    again = await _ingest_seed_page(send, editor, site)
    assert not again["createdSource"] and again["proposalsCreated"] == 0, again
    # The accepted one is a fact now, so it is not even proposed; every other is known.
    assert again["proposalsKnown"] == len(listed["proposals"]) - 1
    still_open = (await send(PROPOSALS, {"article": article["key"], "status": "OPEN"}, token=editor))["data"]
    assert wrong["id"] not in {p["id"] for p in still_open["proposals"]}
    everything = (await send(PROPOSALS, {"article": article["key"], "status": None}, token=editor))["data"]
    kept = next(p for p in everything["proposals"] if p["id"] == wrong["id"])
    assert kept["status"] == "REJECTED" and kept["decidedBy"] == rejected["decidedBy"]


async def test_accept_an_edited_entity_proposal_creates_it_with_history(
    restore: Graph, send: Any, editor: str, site: str
) -> None:
    await restore.write("MATCH (n:Entity {key: 'person:marcin-filip'}) DETACH DELETE n")
    result = await _ingest_seed_page(send, editor, site)
    listed = (await send(PROPOSALS, {"article": result["article"]["key"]}, token=editor))["data"]["proposals"]
    person = next(p for p in listed if p["kind"] == "entity" and p["entityKind"] == "Person")
    assert person["name"] == "Marcin Filip" and person["text"] == "Marcina Filipa"
    edit = {
        "key": "person:marcin-filip",
        "properties": {"name": "Marcin Filip", "names": ["pl:Marcin Filip"]},
    }
    accepted = (await send(ACCEPT, {"id": person["id"], "edit": edit}, token=editor))["data"][
        "acceptProposal"
    ]
    assert accepted["result"] == "person:marcin-filip"
    history = (await send(HISTORY, {"key": "person:marcin-filip"}, token=editor))["data"]["history"]["nodes"]
    # Newest first: the creation from the proposal (older entries are the seed import's).
    assert history[0]["id"] == accepted["changeId"] and history[0]["action"] == "create"
    assert history[0]["sources"] == [result["article"]["key"]]
    assert history[0]["after"]["name"] == "Marcin Filip"


async def test_readers_cannot_ingest_or_see_proposals(
    restore: Graph, send: Any, tokens: dict[Role, str]
) -> None:
    before = await snapshot(restore)
    body = await send(INGEST, {"content": seed_article_html()}, token=tokens[Role.READER])
    assert codes(body) == ["FORBIDDEN"]
    assert codes(await send(PROPOSALS, {}, token=tokens[Role.READER])) == ["FORBIDDEN"]
    assert await snapshot(restore) == before


def _refusing_port() -> int:
    """A loopback port nothing listens on: a connection to it is refused at once."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


FRENCH = (
    "Le pôle de compétitivité a organisé une conférence à Lyon sur la coopération entre les régions. "
    "Les représentants des entreprises ont présenté leurs projets et discuté des prochaines étapes "
    "de la collaboration européenne dans le domaine de l'énergie."
)


async def test_bad_input_gets_a_clear_error_and_writes_nothing(
    restore: Graph, location: GraphLocation, send: Any, editor: str, tmp_path: Path
) -> None:
    before = await snapshot(restore)
    binary = tmp_path / "photo.jpg"
    binary.write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(256)) * 40)
    huge = tmp_path / "huge.txt"
    with huge.open("wb") as f:
        f.truncate(50 * 1024 * 1024)
    french = tmp_path / "article-fr.txt"
    french.write_text(FRENCH, encoding="utf-8")
    with pages() as site:
        cases = {
            f"http://127.0.0.1:{_refusing_port()}/article": "could not be fetched",
            f"{site}/empty": "has no main text",
            f"{site}/image.png": "image/png, not an article",
            str(binary): "binary file",
            str(huge): "larger than 5 MB",
            str(french): "language the service does not cover (fr)",
        }
        for item, message in cases.items():
            done = run_cli(location, "ingest", item)
            assert done.returncode == 1, (item, done.stdout, done.stderr)
            assert message in done.stderr and "nothing was written" in done.stderr, (item, done.stderr)
            assert "Traceback" not in done.stderr
        # One bad item among good ones: none is written.
        done = run_cli(location, "ingest", f"{site}/article", str(french))
        assert done.returncode == 1
        # Over GraphQL the same errors carry a code.
        for variables in ({"url": f"http://127.0.0.1:{_refusing_port()}/"}, {"content": FRENCH}, {}):
            body = await send(INGEST, variables, token=editor)
            assert codes(body) == ["BAD_USER_INPUT"], body
    assert await snapshot(restore) == before


async def test_cli_ingests_a_text_file(restore: Graph, location: GraphLocation, tmp_path: Path) -> None:
    from tests.curation.ingest_support import SEED_ARTICLE

    done = run_cli(location, "ingest", str(SEED_ARTICLE))
    assert done.returncode == 0, done.stderr
    assert "source:article-konferencja-finalowa" in done.stdout and "links" in done.stdout
    rows = await restore.read(
        "MATCH (s:Source) WHERE s.key STARTS WITH 'source:article-' RETURN s.language AS language"
    )
    assert rows == [{"language": "pl"}]


async def test_one_decision_per_proposal_when_curators_decide_at_once(
    restore: Graph, send: Any, tokens: dict[Role, str], site: str
) -> None:
    await restore.write("MATCH ()-[r]->() WHERE 'source:s1' IN r.sources DELETE r")
    editor = tokens[Role.EDITOR]
    article = (await _ingest_seed_page(send, editor, site))["article"]
    listed = (await send(PROPOSALS, {"article": article["key"], "status": "OPEN"}, token=editor))["data"]
    contested = next(p for p in listed["proposals"] if p["kind"] == "relationship")
    changes_before = await restore.read("MATCH (c:Change) RETURN count(c) AS n")

    attempts = [send(ACCEPT, {"id": contested["id"]}, token=editor) for _ in range(6)]
    attempts += [send(REJECT, {"id": contested["id"]}, token=editor) for _ in range(2)]
    answers = await asyncio.gather(*attempts)
    won = [a for a in answers if "errors" not in a]
    lost = [a for a in answers if "errors" in a]
    assert len(won) == 1, answers
    assert all(codes(a) == ["BAD_USER_INPUT"] and "already" in a["errors"][0]["message"] for a in lost), lost
    decision = next(iter(won[0]["data"].values()))
    stored = await restore.read(
        "MATCH (p:Proposal {id: $id}) RETURN p.status AS status, p.changeId AS change",
        {"id": contested["id"]},
    )
    assert stored[0]["status"] == decision["status"]
    changes_after = await restore.read("MATCH (c:Change) RETURN count(c) AS n")
    # An acceptance wrote one history record (the link); a rejection none.
    written = changes_after[0]["n"] - changes_before[0]["n"]
    assert written == (1 if decision["status"] == "ACCEPTED" else 0), (decision, written)
    if decision["status"] == "ACCEPTED":
        assert stored[0]["change"] == decision["changeId"]


async def test_a_refused_fact_leaves_the_proposal_open_and_unedited(
    restore: Graph, send: Any, editor: str, site: str
) -> None:
    await restore.write("MATCH ()-[r]->() WHERE 'source:s1' IN r.sources DELETE r")
    article = (await _ingest_seed_page(send, editor, site))["article"]
    listed = (await send(PROPOSALS, {"article": article["key"], "status": "OPEN"}, token=editor))["data"]
    proposal = next(p for p in listed["proposals"] if p["kind"] == "relationship")
    before = await snapshot(restore)
    # An end nobody has: the fact is refused, and so is the edit that came with it.
    body = await send(
        ACCEPT, {"id": proposal["id"], "edit": {"to": "organisation:nobody-has-this"}}, token=editor
    )
    assert (
        codes(body) == ["BAD_USER_INPUT"] and "organisation:nobody-has-this" in body["errors"][0]["message"]
    )
    assert await snapshot(restore) == before
