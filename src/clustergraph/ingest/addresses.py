"""Which network addresses an article may be fetched from.

An editor's `ingestArticle(url:)` makes the service open a connection: left unchecked, a URL
could reach what only the service's own network can (Neo4j's port, a cloud metadata
endpoint, an intranet). So every connection the fetch opens, the first and each redirect's,
goes through `GuardedBackend`: the host is resolved once, every address is checked, and the
connection is made to a checked address, never to a second resolution of the name (which a
rebinding DNS server could answer differently).

Public (globally routable) addresses are allowed; loopback, private, link-local, shared,
reserved and multicast ones only when they fall in a network the operator allowed
(`CLUSTERGRAPH_INGEST_ALLOWED_NETWORKS`).
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Iterable
from typing import Any

import httpcore
import httpx

from clustergraph.settings import Network

Address = ipaddress.IPv4Address | ipaddress.IPv6Address


class AddressRefused(httpcore.ConnectError):
    """The host of a URL is, or resolves to, an address articles may not be fetched from."""


def _plain(address: Address) -> Address:
    # ::ffff:127.0.0.1 reaches 127.0.0.1: judge the IPv4 address it carries.
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def permitted(address: Address, allowed: Iterable[Network]) -> bool:
    plain = _plain(address)
    if any(plain in network for network in allowed):
        return True
    return plain.is_global and not plain.is_multicast


async def _resolve(host: str, port: int) -> list[Address]:
    try:
        return [ipaddress.ip_address(host)]
    except ValueError:
        pass
    loop = asyncio.get_running_loop()
    try:
        infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as error:
        raise httpcore.ConnectError(f"{host} does not resolve: {error.strerror}") from None
    except UnicodeError as error:  # the IDNA codec refuses the name (an empty or too long label)
        raise httpcore.ConnectError(f"{host} is not a host name: {error}") from None
    # The address is the first item of sockaddr; an IPv6 one may carry a "%scope" suffix.
    return [ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in infos]


class GuardedBackend(httpcore.AsyncNetworkBackend):
    """Opens TCP connections only to permitted addresses; TLS still names the host (SNI)."""

    def __init__(self, allowed: tuple[Network, ...]) -> None:
        self._allowed = allowed
        self._inner = httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        addresses = await _resolve(host, port)
        usable = [a for a in addresses if permitted(a, self._allowed)]
        if not usable:
            shown = ", ".join(sorted({str(a) for a in addresses}))
            raise AddressRefused(
                f"{host} is a private, loopback or reserved address ({shown}); articles are fetched "
                "from public addresses only (CLUSTERGRAPH_INGEST_ALLOWED_NETWORKS allows others)"
            )
        return await self._inner.connect_tcp(
            str(usable[0]), port, timeout=timeout, local_address=local_address, socket_options=socket_options
        )

    async def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None
    ) -> httpcore.AsyncNetworkStream:
        raise AddressRefused("articles are not fetched over Unix sockets")

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


class GuardedTransport(httpx.AsyncHTTPTransport):
    """httpx's own transport, its connection pool given the guarded backend."""

    def __init__(self, allowed: tuple[Network, ...]) -> None:
        super().__init__()
        # httpx (pinned <0.29) builds its pool without a way to pass a network backend.
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=httpx.create_ssl_context(), network_backend=GuardedBackend(allowed)
        )
