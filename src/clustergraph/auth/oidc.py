"""Bearer JWTs from an OpenID Connect issuer, verified with PyJWT against the issuer's JWKS.

Signature, issuer, audience and expiry are all checked. The caller's role is read from
one claim (a string or a list of strings); the highest known role in it wins, and a
verified token without one is a reader.
"""

from __future__ import annotations

import asyncio
import json
import urllib.request
from functools import cached_property
from typing import Any

import jwt

from clustergraph.auth.identity import Identity, Role, Unauthenticated
from clustergraph.settings import Settings


class OidcVerifier:
    def __init__(self, settings: Settings) -> None:
        assert settings.oidc_issuer, "OIDC needs CLUSTERGRAPH_OIDC_ISSUER"
        self.issuer = settings.oidc_issuer
        self.audience = settings.oidc_audience
        self.role_claim = settings.oidc_role_claim
        self.algorithms = [a.strip() for a in settings.oidc_algorithms.split(",") if a.strip()]
        self._jwks_url = settings.oidc_jwks_url

    @cached_property
    def _keys(self) -> jwt.PyJWKClient:
        # PyJWKClient caches the key set and fetches it again when a token names a new key id.
        return jwt.PyJWKClient(self._jwks_url or _discover_jwks_url(self.issuer), cache_keys=True)

    async def identify(self, token: str) -> Identity:
        # PyJWKClient fetches over blocking HTTP: keep it off the event loop.
        return await asyncio.to_thread(self._identify, token)

    def _identify(self, token: str) -> Identity:
        try:
            signing_key = self._keys.get_signing_key_from_jwt(token)
            claims: dict[str, Any] = jwt.decode(
                token,
                signing_key.key,
                algorithms=self.algorithms,
                issuer=self.issuer,
                audience=self.audience,
                options={"require": ["exp", "iss", "sub"], "verify_aud": self.audience is not None},
            )
        except jwt.PyJWTError as error:
            raise Unauthenticated(f"the bearer token does not verify: {error}") from error
        return Identity(actor=f"oidc:{claims['sub']}", role=_role(claims.get(self.role_claim)))


def _role(value: Any) -> Role:
    values = value if isinstance(value, list) else [value]
    roles = [Role(v) for v in values if v in Role._value2member_map_]
    return max(roles, key=lambda r: r.rank, default=Role.READER)


def _discover_jwks_url(issuer: str) -> str:
    url = issuer.rstrip("/") + "/.well-known/openid-configuration"
    with urllib.request.urlopen(url, timeout=5) as response:
        return str(json.load(response)["jwks_uri"])
