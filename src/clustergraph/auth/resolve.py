"""From an `Authorization: Bearer ...` header to the caller's identity.

`CREDENTIAL_HEADER` is the one header a credential is read from, here and by the rate
limiter, so a request is counted against exactly the key it is identified by.
"""

from __future__ import annotations

from clustergraph.auth.identity import Identity, Unauthenticated
from clustergraph.auth.keys import TOKEN_PREFIX, identify_key
from clustergraph.auth.oidc import OidcVerifier
from clustergraph.graph.db import Graph

CREDENTIAL_HEADER = "authorization"


def bearer_token(authorization: str | None) -> str | None:
    """The token of an `Authorization: Bearer <token>` value, or None for anything else."""
    scheme, _, token = (authorization or "").partition(" ")
    token = token.strip()
    return token if scheme.lower() == "bearer" and token else None


class Authenticator:
    def __init__(self, graph: Graph, oidc: OidcVerifier | None) -> None:
        self.graph = graph
        self.oidc = oidc

    async def identify(self, authorization: str | None) -> Identity | None:
        """None without a header; raises Unauthenticated for a credential that does not verify."""
        if not authorization:
            return None
        token = bearer_token(authorization)
        if token is None:
            raise Unauthenticated("send the credential as `Authorization: Bearer <token>`")
        if token.startswith(TOKEN_PREFIX):
            identity = await identify_key(self.graph, token)
            if identity is None:
                raise Unauthenticated("the API key is unknown or revoked")
            return identity
        if self.oidc is not None and token.count(".") == 2:
            return await self.oidc.identify(token)
        raise Unauthenticated("the bearer token is neither an API key nor a JWT this service accepts")
