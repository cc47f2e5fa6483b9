"""Bearer JWTs from an OpenID Connect issuer, verified with PyJWT against the issuer's JWKS.

Signature, issuer, audience and expiry are all checked. The caller's role is read from
one claim (a string or a list of strings); the highest known role in it wins, and a
verified token without one is a reader. A signed token is still input: a claim of another
JSON shape (an object, a number, a list of lists) is refused as UNAUTHENTICATED, naming
the claim, never read by guesswork.
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

# OpenID Connect Core 1.0, 2: `sub` is "locally unique ... MUST NOT exceed 255 ASCII characters".
MAX_SUBJECT = 255
# More roles than any issuer assigns one user; a longer list is not a role claim.
MAX_ROLES = 100


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
        return Identity(
            actor=f"oidc:{_subject(claims)}", role=_role(self.role_claim, claims.get(self.role_claim))
        )


def _subject(claims: dict[str, Any]) -> str:
    # PyJWT has checked that `sub` is a string.
    subject = str(claims["sub"])
    if not subject or len(subject) > MAX_SUBJECT:
        raise Unauthenticated(f"the token's `sub` claim must have 1 to {MAX_SUBJECT} characters")
    return subject


def _role(claim: str, value: Any) -> Role:
    """The highest known role a claim names; unknown role names are ignored, other shapes refused."""
    if value is None:
        return Role.READER
    values = value if isinstance(value, list) else [value]
    if not all(isinstance(v, str) for v in values):
        raise Unauthenticated(
            f"the token's `{claim}` claim must be a string or a list of strings, not {_json_type(value)}"
        )
    if len(values) > MAX_ROLES:
        raise Unauthenticated(
            f"the token's `{claim}` claim lists {len(values)} roles; at most {MAX_ROLES} are read"
        )
    roles = [Role(v) for v in values if v in Role._value2member_map_]
    return max(roles, key=lambda r: r.rank, default=Role.READER)


def _json_type(value: Any) -> str:
    """What JSON type a value is, for a message (a list: also the types of its members, one level)."""
    if isinstance(value, list):
        held = ", ".join(sorted({_JSON_TYPES.get(type(v), "null") for v in value}))
        return f"a list holding {held}" if value else "an empty list"
    return _JSON_TYPES.get(type(value), "null")


_JSON_TYPES = {
    dict: "an object",
    list: "a list",
    bool: "a boolean",
    int: "a number",
    float: "a number",
    str: "a string",
}


def _discover_jwks_url(issuer: str) -> str:
    url = issuer.rstrip("/") + "/.well-known/openid-configuration"
    with urllib.request.urlopen(url, timeout=5) as response:
        return str(json.load(response)["jwks_uri"])
