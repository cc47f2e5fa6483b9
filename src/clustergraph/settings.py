"""Every setting of the service, read from environment variables and an optional `.env`."""

from __future__ import annotations

import ipaddress
from functools import lru_cache
from pathlib import Path
from typing import Annotated

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict


def _xdg(var: str, fallback: str) -> Path:
    import os

    base = os.environ.get(var)
    return Path(base) if base else Path.home() / fallback


Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_networks(text: str) -> tuple[Network, ...]:
    """`"10.1.0.0/16, 127.0.0.1"` as networks; a ValueError names the entry that is not one."""
    networks = []
    for entry in (part.strip() for part in text.split(",")):
        if entry:
            try:
                networks.append(ipaddress.ip_network(entry, strict=False))
            except ValueError:
                raise ValueError(f"{entry!r} is not an IP address or network (CIDR)") from None
    return tuple(networks)


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    # Where the graph lives: an explicit server wins over everything else.
    neo4j_uri: str | None = Field(default=None, validation_alias="NEO4J_URI")
    neo4j_user: str = Field(default="neo4j", validation_alias="NEO4J_USER")
    neo4j_password: SecretStr | None = Field(default=None, validation_alias="NEO4J_PASSWORD")
    neo4j_database: str = Field(default="neo4j", validation_alias="NEO4J_DATABASE")

    # The managed local Neo4j server (used when NEO4J_URI is unset and no Docker engine answers).
    home: Path = Field(
        default_factory=lambda: _xdg("XDG_DATA_HOME", ".local/share") / "clustergraph",
        validation_alias="CLUSTERGRAPH_HOME",
    )
    cache_dir: Path = Field(
        default_factory=lambda: _xdg("XDG_CACHE_HOME", ".cache") / "clustergraph",
        validation_alias="CLUSTERGRAPH_CACHE",
    )
    bolt_port: int = Field(default=7687, validation_alias="CLUSTERGRAPH_BOLT_PORT")
    neo4j_heap: str = Field(default="512m", validation_alias="CLUSTERGRAPH_NEO4J_HEAP")
    neo4j_pagecache: str = Field(default="256m", validation_alias="CLUSTERGRAPH_NEO4J_PAGECACHE")
    java_home: Path | None = Field(default=None, validation_alias="CLUSTERGRAPH_JAVA_HOME")
    maven_args: str = Field(default="", validation_alias="CLUSTERGRAPH_MAVEN_ARGS")
    neo4j_start_timeout: float = Field(default=120.0, validation_alias="CLUSTERGRAPH_NEO4J_START_TIMEOUT")
    use_docker: str = Field(default="auto", validation_alias="CLUSTERGRAPH_USE_DOCKER")

    # The HTTP service.
    host: str = Field(default="127.0.0.1", validation_alias="CLUSTERGRAPH_HOST")
    port: int = Field(default=8000, validation_alias="CLUSTERGRAPH_PORT")
    workers: int = Field(default=1, ge=1, le=64, validation_alias="CLUSTERGRAPH_WORKERS")
    query_timeout: float = Field(default=10.0, validation_alias="CLUSTERGRAPH_QUERY_TIMEOUT")
    # Proxies whose X-Forwarded-For names the client (comma-separated addresses or CIDRs, or
    # "*"). Empty (the default): no header is believed, the client is the connection's peer.
    # Behind a reverse proxy, list the proxy so the per-address bounds count the real client.
    forwarded_allow_ips: str = Field(default="", validation_alias="CLUSTERGRAPH_FORWARDED_ALLOW_IPS")
    # While Neo4j cannot be reached, a read answers 503 within this many seconds (graph/db.py).
    neo4j_reach_timeout: float = Field(default=3.0, gt=0, validation_alias="CLUSTERGRAPH_NEO4J_REACH_TIMEOUT")
    # How long SIGTERM lets the requests in flight finish before the process exits anyway
    # (`shutdown_timeout`, below); `workers` above is uvicorn's worker processes.
    shutdown_timeout: int = Field(default=10, ge=1, validation_alias="CLUSTERGRAPH_SHUTDOWN_TIMEOUT")

    # Bounds on what one GraphQL request may ask for.
    max_query_depth: int = Field(default=12, validation_alias="CLUSTERGRAPH_MAX_QUERY_DEPTH")
    max_query_tokens: int = Field(default=2000, validation_alias="CLUSTERGRAPH_MAX_QUERY_TOKENS")
    max_page_size: int = Field(default=100, validation_alias="CLUSTERGRAPH_MAX_PAGE_SIZE")
    max_hops: int = Field(default=6, validation_alias="CLUSTERGRAPH_MAX_HOPS")
    max_neighbourhood_depth: int = Field(default=3, validation_alias="CLUSTERGRAPH_MAX_NEIGHBOURHOOD_DEPTH")
    max_neighbourhood_limit: int = Field(default=500, validation_alias="CLUSTERGRAPH_MAX_NEIGHBOURHOOD_LIMIT")
    max_paths: int = Field(default=20, validation_alias="CLUSTERGRAPH_MAX_PATHS")
    max_query_bytes: int = Field(default=20_000, validation_alias="CLUSTERGRAPH_MAX_QUERY_BYTES")
    max_aliases: int = Field(default=30, validation_alias="CLUSTERGRAPH_MAX_ALIASES")
    max_query_cost: int = Field(default=5_000, validation_alias="CLUSTERGRAPH_MAX_QUERY_COST")
    hop_cost: int = Field(default=10, validation_alias="CLUSTERGRAPH_HOP_COST")
    max_batch_operations: int = Field(default=5, validation_alias="CLUSTERGRAPH_MAX_BATCH_OPERATIONS")
    # Seconds of database time one HTTP request's reads may spend in all (its aliases and
    # batched operations share it; each read gets what is left as its timeout); 0: no budget.
    # 1.5 s, not 2: Neo4j stops a query up to ~0.7 s past its timeout on a busy machine,
    # and no admitted request may cost more than 2 s (bench/REPORT-issue24.md).
    request_db_budget: float = Field(default=1.5, ge=0, validation_alias="CLUSTERGRAPH_REQUEST_DB_BUDGET")
    max_body_bytes: int = Field(default=100_000, validation_alias="CLUSTERGRAPH_MAX_BODY_BYTES")
    # Search text: Lucene refuses queries of more than 1,024 clauses, and no name is this long.
    max_search_chars: int = Field(default=200, validation_alias="CLUSTERGRAPH_MAX_SEARCH_CHARS")
    max_search_words: int = Field(default=20, validation_alias="CLUSTERGRAPH_MAX_SEARCH_WORDS")

    # Slow clients: seconds for a request's headers to arrive whole, and for its body; the
    # most connections open at once (past it, uvicorn answers 503 at once).
    header_timeout: float = Field(default=10.0, validation_alias="CLUSTERGRAPH_HEADER_TIMEOUT")
    body_timeout: float = Field(default=10.0, validation_alias="CLUSTERGRAPH_BODY_TIMEOUT")
    max_connections: int = Field(default=256, ge=2, validation_alias="CLUSTERGRAPH_MAX_CONNECTIONS")
    # Streams (WebSockets and server-sent event responses together) held open at once, per
    # process and per client address; past either, a new one is refused. Unset: three
    # quarters of max_connections, so plain requests and /readyz keep the rest (a reserve).
    max_streams: int | None = Field(default=None, ge=1, validation_alias="CLUSTERGRAPH_MAX_STREAMS")
    max_streams_per_address: int = Field(
        default=32, ge=1, validation_alias="CLUSTERGRAPH_MAX_STREAMS_PER_ADDRESS"
    )
    # permessage-deflate on WebSockets: smaller frames, but a compressor and a decompressor
    # held by every open connection (measured in bench/idle_sockets.py).
    ws_compression: bool = Field(default=True, validation_alias="CLUSTERGRAPH_WS_COMPRESSION")
    # Give freed memory back to the system after a burst of streams closed (live/trim.py).
    stream_trim: bool = Field(default=True, validation_alias="CLUSTERGRAPH_STREAM_TRIM")

    # Abuse and exposure.
    rate_limit_per_address: str = Field(
        default="600/minute", validation_alias="CLUSTERGRAPH_RATE_LIMIT_PER_ADDRESS"
    )
    rate_limit_per_key: str = Field(default="300/minute", validation_alias="CLUSTERGRAPH_RATE_LIMIT_PER_KEY")
    # Where the limits' counters live: one process's memory, or a store all replicas share
    # (a `limits` storage URI such as redis://127.0.0.1:6379/0).
    rate_limit_storage: str = Field(default="memory://", validation_alias="CLUSTERGRAPH_RATE_LIMIT_STORAGE")
    introspection: bool = Field(default=True, validation_alias="CLUSTERGRAPH_INTROSPECTION")
    # Answer the queries the translator compiles without graphql-core's executor (execution/run.py).
    compiled_reads: bool = Field(default=True, validation_alias="CLUSTERGRAPH_COMPILED_READS")
    graphiql: bool = Field(default=True, validation_alias="CLUSTERGRAPH_GRAPHIQL")
    # Serve only the registered documents of http/persisted/ (trusted documents), by hash or text.
    trusted_documents: bool = Field(default=False, validation_alias="CLUSTERGRAPH_TRUSTED_DOCUMENTS")

    # Partner sites: the origins (scheme://host:port) whose pages may call the API from a
    # browser (CORS) and frame the embed page; "*" allows any. Comma-separated in the environment.
    cors_origins: Annotated[list[str], NoDecode] = Field(
        default_factory=list, validation_alias="CLUSTERGRAPH_CORS_ORIGINS"
    )
    # Seconds a cache may reuse a GET answer without asking again (0: always revalidate by ETag).
    cache_max_age: int = Field(default=0, validation_alias="CLUSTERGRAPH_CACHE_MAX_AGE")
    # Bounds on exports: a neighbourhood export's depth and size.
    max_export_depth: int = Field(default=3, validation_alias="CLUSTERGRAPH_MAX_EXPORT_DEPTH")
    max_export_nodes: int = Field(default=2000, validation_alias="CLUSTERGRAPH_MAX_EXPORT_NODES")

    # Article ingestion by URL (`ingestArticle(url:)`) connects to public addresses only;
    # networks listed here (comma-separated addresses or CIDRs, e.g. an intranet's
    # "10.20.0.0/16") are allowed too. The operator's `clustergraph ingest` is not bound by it.
    ingest_allowed_networks: str = Field(default="", validation_alias="CLUSTERGRAPH_INGEST_ALLOWED_NETWORKS")

    @model_validator(mode="after")
    def _reserve_for_requests(self) -> Settings:
        if self.max_streams is not None and self.max_streams >= self.max_connections:
            raise ValueError(
                f"CLUSTERGRAPH_MAX_STREAMS ({self.max_streams}) must be less than "
                f"CLUSTERGRAPH_MAX_CONNECTIONS ({self.max_connections}): plain requests need a share of their own"
            )
        return self

    @property
    def stream_bound(self) -> int:
        """How many streams one process holds at once: max_streams, or 3/4 of max_connections."""
        if self.max_streams is not None:
            return min(self.max_streams, self.max_connections - 1)
        return max(1, self.max_connections * 3 // 4)

    @field_validator("ingest_allowed_networks")
    @classmethod
    def _check_networks(cls, value: str) -> str:
        parse_networks(value)  # a ValueError names the entry that is wrong
        return value

    @field_validator("cors_origins", mode="before")
    @classmethod
    def _split_origins(cls, value: object) -> object:
        if isinstance(value, str):
            return [o.strip().rstrip("/") for o in value.split(",") if o.strip()]
        return value

    # Who may read and write. Writes always need a credential: an API key, or a JWT
    # from the OpenID Connect issuer below when one is configured.
    public_reads: bool = Field(default=True, validation_alias="CLUSTERGRAPH_PUBLIC_READS")
    oidc_issuer: str | None = Field(default=None, validation_alias="CLUSTERGRAPH_OIDC_ISSUER")
    oidc_audience: str | None = Field(default=None, validation_alias="CLUSTERGRAPH_OIDC_AUDIENCE")
    oidc_jwks_url: str | None = Field(default=None, validation_alias="CLUSTERGRAPH_OIDC_JWKS_URL")
    oidc_role_claim: str = Field(default="clustergraph_role", validation_alias="CLUSTERGRAPH_OIDC_ROLE_CLAIM")
    oidc_algorithms: str = Field(default="RS256,ES256", validation_alias="CLUSTERGRAPH_OIDC_ALGORITHMS")

    # Live changes (subscriptions): how often each process reads the change log, and the
    # bounds every subscriber and connection lives within (see SECURITY.md).
    live_poll_interval: float = Field(default=0.5, validation_alias="CLUSTERGRAPH_LIVE_POLL_INTERVAL")
    live_queue_limit: int = Field(default=1000, validation_alias="CLUSTERGRAPH_LIVE_QUEUE_LIMIT")
    live_per_connection: int = Field(default=20, validation_alias="CLUSTERGRAPH_LIVE_PER_CONNECTION")
    live_per_address: int = Field(default=200, validation_alias="CLUSTERGRAPH_LIVE_PER_ADDRESS")
    live_idle_timeout: float = Field(default=60.0, validation_alias="CLUSTERGRAPH_LIVE_IDLE_TIMEOUT")


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
