"""From an `Authorization: Bearer ...` header to the caller's identity."""

from __future__ import annotations

from clustergraph.auth.identity import Identity, Unauthenticated
from clustergraph.auth.keys import TOKEN_PREFIX, identify_key
from clustergraph.auth.oidc import OidcVerifier
from clustergraph.db import Graph


class Authenticator:
    def __init__(self, graph: Graph, oidc: OidcVerifier | None) -> None:
        self.graph = graph
        self.oidc = oidc

    async def identify(self, authorization: str | None) -> Identity | None:
        """None without a header; raises Unauthenticated for a credential that does not verify."""
        if not authorization:
            return None
        scheme, _, token = authorization.partition(" ")
        token = token.strip()
        if scheme.lower() != "bearer" or not token:
            raise Unauthenticated("send the credential as `Authorization: Bearer <token>`")
        if token.startswith(TOKEN_PREFIX):
            identity = await identify_key(self.graph, token)
            if identity is None:
                raise Unauthenticated("the API key is unknown or revoked")
            return identity
        if self.oidc is not None and token.count(".") == 2:
            return await self.oidc.identify(token)
        raise Unauthenticated("the bearer token is neither an API key nor a JWT this service accepts")
