"""Verifies Bearer tokens in the gateway with identity's public keys, fetched over gRPC and cached."""

from __future__ import annotations

import asyncio
import json
import time

import jwt

from gateway.clients import ServiceClients, call
from gateway.tenancy import Caller
from kinerja.identity.v1 import identity_pb2
from kinerja_kit.auth import TokenVerifier
from kinerja_kit.context import Principal
from kinerja_kit.errors import Unauthenticated

# An unknown key id makes the gateway ask identity again, but not more often than this.
MIN_REFRESH_SECONDS = 1.0


class KeyCache:
    """identity's JWKS, refreshed asynchronously when stale or when a token names an unknown key."""

    def __init__(self, clients: ServiceClients, cache_seconds: float) -> None:
        self._clients = clients
        self._cache_seconds = cache_seconds
        self._jwks = '{"keys": []}'
        self._kids: set[str] = set()
        self._loaded_at = 0.0
        self._lock = asyncio.Lock()

    @property
    def jwks_json(self) -> str:
        return self._jwks

    async def refresh(self) -> str:
        """Fetches the keys from identity now."""
        async with self._lock:
            response = await call(
                self._clients.identity.GetPublicKeys, identity_pb2.GetPublicKeysRequest(), Caller.of(None, "")
            )
            self._jwks = response.jwks_json
            self._kids = {str(k.get("kid", "")) for k in json.loads(self._jwks).get("keys", [])}
            self._loaded_at = time.monotonic()
        return self._jwks

    async def current(self, kid: str | None = None) -> str:
        """The keys, refreshed first when stale or when `kid` is not among them."""
        age = time.monotonic() - self._loaded_at
        if age > self._cache_seconds or (
            kid is not None and kid not in self._kids and age > MIN_REFRESH_SECONDS
        ):
            try:
                await self.refresh()
            except Exception as exc:
                if not self._kids:
                    raise Unauthenticated(
                        "KEYS_UNAVAILABLE", "Layanan identitas tidak dapat dihubungi."
                    ) from exc
        return self._jwks


class Authenticator:
    """Turns an `Authorization` header into a Principal (None without one)."""

    def __init__(self, keys: KeyCache, issuer: str, audience: str, cache_seconds: int) -> None:
        self._keys = keys
        # The verifier reads the cached JWKS (never identity itself): KeyCache decides when to ask.
        # KeyCache already limits calls to identity, so the verifier re-reads it on any unknown kid.
        self._verifier = TokenVerifier(
            lambda: keys.jwks_json, issuer, audience, cache_seconds=cache_seconds, min_refresh_seconds=0.0
        )

    async def principal(self, authorization: str | None) -> Principal | None:
        """The verified principal; raises Unauthenticated for a malformed, expired or forged token."""
        if not authorization:
            return None
        scheme, _, token = authorization.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise Unauthenticated("TOKEN_INVALID", "Token tidak valid.")
        token = token.strip()
        try:
            kid = str(jwt.get_unverified_header(token).get("kid", ""))
        except jwt.PyJWTError as exc:
            raise Unauthenticated("TOKEN_INVALID", "Token tidak valid.") from exc
        await self._keys.current(kid)
        return self._verifier.verify(token)
