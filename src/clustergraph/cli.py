"""The `clustergraph` command line: run Neo4j, migrate, seed, import and serve."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import NoReturn, TypeVar

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.text import Text

from clustergraph.auth.identity import Role
from clustergraph.auth.keys import create_key, list_keys, revoke_key
from clustergraph.errors import OperatorError
from clustergraph.graph import location as graph_location
from clustergraph.graph.db import Graph, GraphUnavailable
from clustergraph.graph.migrations import migrate as apply_migrations
from clustergraph.graph.neo4j_local import Neo4jLocalError
from clustergraph.importer.loader import BatchConflict, ImportReport, load
from clustergraph.paths import MODEL_FILE, SDL_FILE, SEED_DIR
from clustergraph.settings import Settings, get_settings

T = TypeVar("T")
console = Console(stderr=True, soft_wrap=True)


def _fail(message: str) -> NoReturn:
    console.print(Text.assemble(("error:", "bold red"), " ", message), highlight=False)
    sys.exit(1)


def _with_graph(settings: Settings, work: Callable[[Graph], Awaitable[T]]) -> T:
    async def run() -> T:
        graph = Graph.connect(graph_location.resolve(settings), timeout=600)
        try:
            return await work(graph)
        finally:
            await graph.close()

    try:
        return asyncio.run(run())
    except GraphUnavailable as error:
        _fail(f"Neo4j does not answer ({error}). Start it with `clustergraph neo4j start`.")
    except OperatorError as error:  # a changed migration, the managed Neo4j: the message says what to do
        _fail(error.message())
    raise AssertionError("unreachable")


@click.group()
def main() -> None:
    """clustergraph: a knowledge graph of European industrial clusters, served over GraphQL."""


@main.group()
def neo4j() -> None:
    """Manage the graph database this machine uses."""


@neo4j.command("start")
def neo4j_start() -> None:
    """Start Neo4j (the local server, or a container when Docker answers) and wait for Bolt."""
    settings = get_settings()
    try:
        where = graph_location.resolve(settings, start=True)
    except Neo4jLocalError as error:
        _fail(str(error))
        return
    click.echo(f"Neo4j answers on {where.uri} ({where.origin})")


@neo4j.command("stop")
def neo4j_stop() -> None:
    """Stop the managed local Neo4j server."""
    settings = get_settings()
    if graph_location.choose_origin(settings) != "local":
        _fail("Neo4j is not managed by clustergraph here (NEO4J_URI is set or Docker runs it).")
    server = graph_location.local_server(settings)
    try:
        stopped = server.stop()
    except Neo4jLocalError as error:
        _fail(str(error))
        return
    if stopped:
        click.echo(f"Neo4j stopped ({server.home})")
    else:
        # Stopping a stopped server succeeds, but say so: a wrong home or port is the usual cause.
        click.echo(f"No Neo4j was running from {server.home} (under CLUSTERGRAPH_HOME): nothing to stop")


@neo4j.command("status")
def neo4j_status() -> None:
    """Say where the graph lives and whether it answers."""
    settings = get_settings()
    origin = graph_location.choose_origin(settings)
    if origin == "local":
        server = graph_location.local_server(settings)
        pid = server.pid()
        state = f"running (pid {pid})" if pid else "stopped"
        click.echo(f"local Neo4j on {server.uri}: {state}; home {server.home}")
        sys.exit(0 if pid else 3)
    where = graph_location.resolve(settings)
    click.echo(f"{origin} Neo4j at {where.uri}")


@main.command()
def migrate() -> None:
    """Apply pending schema migrations (safe to run again)."""
    applied = _with_graph(get_settings(), apply_migrations)
    click.echo(
        f"applied {len(applied)} migration(s): {', '.join(applied)}" if applied else "schema up to date"
    )


def _progress_bar() -> Progress:
    return Progress(
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[rate]} rows/s"),
        TimeElapsedColumn(),
        console=console,
        transient=False,
    )


def _cli_actor() -> str:
    """Who history records for writes made from this command line."""
    import getpass

    return f"cli:{getpass.getuser()}"


def _import(path: Path, dry_run: bool, skip_invalid: bool, history: bool = True) -> ImportReport:
    with _progress_bar() as bar:

        def start(total: int) -> Callable[[int], None]:
            task = bar.add_task("importing", total=total, rate="-")

            def advance(n: int) -> None:
                bar.advance(task, n)
                speed = bar.tasks[task].speed
                bar.update(task, rate=f"{speed:,.0f}" if speed else "-")

            return advance

        try:
            report = _with_graph(
                get_settings(),
                lambda g: load(
                    g,
                    path,
                    dry_run=dry_run,
                    skip_invalid=skip_invalid,
                    progress=start,
                    actor=_cli_actor(),
                    history=history,
                ),
            )
        except BatchConflict as error:
            bar.stop()
            _fail(str(error))
    _summarise(path, report)
    return report


def _summarise(path: Path, report: ImportReport, how: str = "") -> None:
    for rejected in report.rejected:
        # A Text, not markup: a row's keys and values are printed as they are (no `:emoji:`, no `[style]`).
        label = "conflict" if rejected.conflict else "rejected"
        console.print(Text.assemble((label, "red"), " ", str(rejected)), highlight=False)
    conflicts = sum(1 for r in report.rejected if r.conflict)
    summary = (
        f"{'validated' if not report.written else 'imported'} {path}{how}: created {report.created}, "
        f"updated {report.updated}, unchanged {report.unchanged}, rejected {len(report.rejected)}"
        + (f" ({conflicts} in conflict with the graph or the import)" if conflicts else "")
    )
    click.echo(summary)
    if report.rejected and not report.written:
        click.echo("nothing was written: fix the rejected rows (or pass --skip-invalid)")


def _import_offline(path: Path, dry_run: bool, skip_invalid: bool, history: bool) -> ImportReport:
    from clustergraph.offline.load import offline_import

    def say(message: str) -> None:
        console.print(Text(message), highlight=False)

    try:
        result = offline_import(get_settings(), path, dry_run, skip_invalid, history, _cli_actor(), say)
    except GraphUnavailable as error:
        _fail(f"Neo4j does not answer ({error}).")
    except OperatorError as error:  # not empty, not the managed server, neo4j-admin failed
        _fail(error.message())
    _summarise(path, result.report, " offline")
    if result.files is not None:
        files, total = result.files, result.total_s
        phases = ", ".join(f"{name} {seconds:.1f} s" for name, seconds in result.seconds.items())
        click.echo(
            f"{files.entities:,} entities, {files.relationship_rows:,} relationships, "
            f"{files.provenance:,} provenance edges, {files.changes:,} changes in {total:.1f} s "
            f"({files.relationship_rows / total:,.0f} relationships/s): {phases}"
        )
    return result.report


_IMPORT_HELP = """Load nodes and relationships from JSON Lines or CSV files (a file or a folder).

Every row is checked before anything is written, alone and against the graph. Into a
non-empty graph: a row equal to what the graph holds changes nothing (importing the same
files again is idempotent: all rows unchanged, no history added); a row whose key exists
with other properties or sources updates it (its properties are replaced whole). A row
that cannot be written as the graph is is a conflict, printed as
`conflict FILE:LINE: WHAT KEY: WHY`: a key the graph holds as another kind, a key merged
into another entity, a unique value (a Country's `code`, constraint country_code) that
another entity holds, a relationship ending at such a row. With any rejected or
conflicting row nothing is written and the exit status is 1 (--skip-invalid writes the
other rows). Each batch is one transaction: a batch the graph refuses all the same (a
concurrent writer) writes nothing, and the import stops with a plain message.
"""


@main.command("import", help=_IMPORT_HELP)
@click.argument("path", type=click.Path(exists=True, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Validate and report; write nothing.")
@click.option("--skip-invalid", is_flag=True, help="Write the valid rows even when some are rejected.")
@click.option(
    "--no-history",
    is_flag=True,
    help="Leave no per-row Change records (a first load of a large or synthetic dataset; about twice as fast).",
)
@click.option(
    "--offline",
    is_flag=True,
    help="A first load into an empty database through neo4j-admin's offline importer (the managed "
    "local Neo4j only): stops Neo4j, imports, starts it and creates the schema. Refuses a database "
    "that holds anything. Many times faster; writes the same graph, history included.",
)
def import_command(path: Path, dry_run: bool, skip_invalid: bool, no_history: bool, offline: bool) -> None:
    if offline:
        report = _import_offline(path, dry_run, skip_invalid, history=not no_history)
    else:
        report = _import(path, dry_run, skip_invalid, history=not no_history)
    sys.exit(1 if report.rejected else 0)


@main.command("ingest")
@click.argument("items", nargs=-1, required=True, metavar="PATH_OR_URL...")
def ingest_command(items: tuple[str, ...]) -> None:
    """Read articles (HTML or text files, or URLs), link what they mention and store proposals to review.

    Every article is read before any is written: one that cannot be read stops them all.
    """
    from clustergraph.ingest import document, store

    async def work(graph: Graph) -> list[store.Ingested]:
        articles = [await document.read(item) for item in items]
        return [await store.ingest(graph, _cli_actor(), article) for article in articles]

    try:
        done = _with_graph(get_settings(), work)
    except document.IngestError as error:
        _fail(f"{error}; nothing was written")
    for item, result in zip(items, done, strict=True):
        click.echo(
            f"{item}: source {result.source} ({'new' if result.created_source else 'known'}), "
            f"{result.links} links, {result.proposals_created} new proposals, "
            f"{result.proposals_known} known before"
        )


@main.command()
def seed() -> None:
    """Load the seed graph from seed/ (idempotent)."""
    report = _import(SEED_DIR, dry_run=False, skip_invalid=False)
    sys.exit(1 if report.rejected else 0)


@main.group()
def places() -> None:
    """Reference places: the NUTS regions (Eurostat) and European cities (GeoNames)."""


@places.command("load")
def places_load() -> None:
    """Load every NUTS 2021/2024 region (levels 0-3) and European city into the graph (idempotent).

    Run it after `clustergraph seed`: the seed's regions and cities gain their NUTS and
    GeoNames data instead of being loaded twice.
    """
    from clustergraph.places.load import load_places

    report = _with_graph(get_settings(), load_places)
    click.echo(
        f"places: {report.countries} countries, {report.regions} NUTS regions, {report.cities} cities "
        f"({report.cities_in_regions} placed in a NUTS-3 region); matched the graph's cities "
        f"{', '.join(report.seed_cities_matched) or 'none'}; created {report.created}, "
        f"updated {report.updated}, new links {report.links_created}"
    )


@main.command("export")
@click.argument("output", type=click.Path(allow_dash=True, path_type=Path), default="-")
def export_command(output: Path) -> None:
    """Write the whole graph as JSON Lines in the import format (to OUTPUT, or stdout)."""
    from clustergraph.exporting.jsonl import export_graph

    def write(graph: Graph) -> Awaitable[int]:
        if str(output) == "-":
            return export_graph(graph, sys.stdout)

        async def to_file() -> int:
            with output.open("w", encoding="utf-8") as handle:
                return await export_graph(graph, handle)

        return to_file()

    count = _with_graph(get_settings(), write)
    console.print(f"exported {count} rows" + ("" if str(output) == "-" else f" to {output}"), highlight=False)


@main.group()
def keys() -> None:
    """API keys: bearer tokens for writing through the API, each with a role."""


@keys.command("create")
@click.option("--name", required=True, help="Who or what the key is for.")
@click.option(
    "--role", type=click.Choice([r.value for r in Role]), default=Role.EDITOR.value, show_default=True
)
def keys_create(name: str, role: str) -> None:
    """Create a key and print its token once (only its hash is stored)."""
    new = _with_graph(get_settings(), lambda g: create_key(g, name, Role(role)))
    console.print(f"created key {new.id} ({name}, {role}); the token is shown only now:", highlight=False)
    click.echo(new.token)


@keys.command("list")
def keys_list() -> None:
    """List keys (never their tokens)."""
    from rich.table import Table

    rows = _with_graph(get_settings(), list_keys)
    table = Table("id", "name", "role", "created", "revoked")
    for row in rows:
        table.add_row(row["id"], row["name"], row["role"], row["createdAt"], row["revokedAt"] or "-")
    Console(soft_wrap=True).print(table)


@keys.command("revoke")
@click.argument("key_id")
def keys_revoke(key_id: str) -> None:
    """Revoke a key: its token stops working at once."""
    if not _with_graph(get_settings(), lambda g: revoke_key(g, key_id)):
        _fail(f"no key has the id {key_id!r}")
    click.echo(f"revoked key {key_id}")


@main.command()
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.option("--seed", default=1, show_default=True, help="Seed of the random generator.")
@click.option(
    "--scale",
    default=1.0,
    show_default=True,
    type=click.FloatRange(min=0.0, min_open=True),
    help="Size relative to the default (about 204,000 nodes and 1.09 million relationships).",
)
def synth(folder: Path, seed: int, scale: float) -> None:
    """Write a synthetic European cluster network (invented data, for benchmarks) to FOLDER.

    Load it into an empty database with `clustergraph import FOLDER`.
    """
    from clustergraph_tools.synth.network import generate

    summary = generate(folder, seed=seed, scale=scale)
    click.echo(
        f"wrote {summary.nodes:,} nodes and {summary.relationships:,} relationships "
        f"(seed {seed}, scale {scale}) to {folder} in {len(summary.files)} files"
    )


@main.command("export-schema")
@click.option("--output", type=click.Path(path_type=Path), default=SDL_FILE, show_default=True)
@click.option("--model-output", type=click.Path(path_type=Path), default=MODEL_FILE, show_default=True)
def export_schema(output: Path, model_output: Path) -> None:
    """Write the GraphQL SDL and the data model's Markdown, both generated from the code."""
    from clustergraph.model_doc import model_markdown
    from clustergraph.schema.build import sdl

    output.write_text(sdl(), encoding="utf-8")
    model_output.write_text(model_markdown(), encoding="utf-8")
    click.echo(f"wrote {output} and {model_output}")


@main.command()
@click.option("--host", default=None, help="Address to listen on (CLUSTERGRAPH_HOST).")
@click.option("--port", default=None, type=int, help="Port to listen on (CLUSTERGRAPH_PORT).")
@click.option(
    "--workers",
    default=None,
    type=click.IntRange(1, 64),
    help="uvicorn worker processes (CLUSTERGRAPH_WORKERS, default 1). Each has its own caches and rate limits.",
)
def serve(host: str | None, port: int | None, workers: int | None) -> None:
    """Serve the GraphQL API (GraphiQL at /graphql) under uvicorn."""
    import uvicorn

    from clustergraph.http.serving import uvicorn_options

    settings = get_settings()
    host = host or settings.host
    port = port or settings.port
    workers = workers or settings.workers
    click.echo(f"clustergraph serves GraphiQL at http://{host}:{port}/graphql")
    click.echo(f"             and the explorer at http://{host}:{port}/explore")
    if workers > 1:
        click.echo(f"             with {workers} worker processes")
        _share_metrics()
        if settings.rate_limit_storage.startswith(("memory", "async+memory")):
            console.print("note: rate limits are counted per worker; set CLUSTERGRAPH_RATE_LIMIT_STORAGE")
    # The service's own request log (JSON, no query text, no headers) replaces uvicorn's
    # access log, which would print query strings, variables included.
    log_config = dict(uvicorn.config.LOGGING_CONFIG)
    log_config["loggers"] = {
        **log_config["loggers"],
        "clustergraph": {"handlers": ["default"], "level": "INFO", "propagate": False},
    }
    # An import string and a factory: each worker process builds its own app from the environment.
    uvicorn.run(
        "clustergraph.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="info",
        access_log=False,
        log_config=log_config,
        timeout_graceful_shutdown=settings.shutdown_timeout,
        # Each worker reads its bounds from the environment too (the options are pickled to it).
        **uvicorn_options(settings, from_environment=True),
    )


def _share_metrics() -> None:
    """Multiprocess mode for the workers' metrics, in a fresh folder unless one is set."""
    import atexit
    import os
    import shutil
    import tempfile

    from clustergraph.metrics import MULTIPROCESS_DIR

    if not os.environ.get(MULTIPROCESS_DIR):
        folder = tempfile.mkdtemp(prefix="clustergraph-metrics-")
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        # Set before uvicorn spawns the workers, which read it when they import prometheus_client.
        os.environ[MULTIPROCESS_DIR] = folder


@main.command()
@click.option("--url", default="http://127.0.0.1:8000", show_default=True, help="A service on loopback.")
@click.option("--rate", default=50.0, show_default=True, help="Requests per second.")
@click.option("--duration", default=180.0, show_default=True, help="Seconds of steady load (at most 3600).")
def loadtest(url: str, rate: float, duration: float) -> None:
    """Hold a steady rate of GraphQL reads against a running service; print the figures as JSON."""
    import json

    try:
        from clustergraph_tools import loadtest as load
    except ImportError as error:  # httpx comes with the test extras, not with a serving install
        raise click.ClickException(f"the load test needs {error.name}: pip install -e '.[test]'") from error

    try:
        report = asyncio.run(load.run(url, rate, duration))
    except ValueError as error:
        raise click.ClickException(str(error)) from error
    click.echo(json.dumps(report.figures(), indent=2))
    if report.errors or report.skipped:
        sys.exit(1)


@main.command()
@click.pass_context
def up(ctx: click.Context) -> None:
    """Start Neo4j, migrate, seed, load the places, then serve: everything the quick start needs."""
    ctx.invoke(neo4j_start)
    ctx.invoke(migrate)
    report = _import(SEED_DIR, dry_run=False, skip_invalid=False)
    if report.rejected:
        sys.exit(1)
    ctx.invoke(places_load)
    ctx.invoke(serve)
