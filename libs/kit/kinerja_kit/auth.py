"""Verifies access tokens signed by identity, using its public keys (JWKS), into a Principal."""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable

import jwt

from kinerja_kit.context import ALL_ROLES, PASSWORD_CHANGE_CLAIM, Principal
from kinerja_kit.errors import Unauthenticated

ALGORITHMS = ["RS256"]
MIN_REFRESH_SECONDS = 1.0
# Tokens already verified are remembered (by their exact text) until they expire, so a client's
# every request does not pay an RS256 signature check again; bounded, oldest forgotten first.
VERIFIED_CACHE_SIZE = 10_000


class TokenVerifier:
    """Checks signature, issuer, audience and expiry; refreshes keys when a token names an unknown kid."""

    def __init__(
        self,
        jwks_provider: Callable[[], str],
        issuer: str,
        audience: str,
        cache_seconds: int = 300,
        leeway_seconds: int = 5,
        min_refresh_seconds: float | None = None,
    ) -> None:
        self._provider = jwks_provider
        self._issuer = issuer
        self._audience = audience
        self._cache_seconds = cache_seconds
        self._leeway = leeway_seconds
        # None: the module default (read at call time); 0 for a provider that is itself a local cache.
        self._min_refresh = min_refresh_seconds
        self._lock = threading.Lock()
        self._keys: dict[str, jwt.PyJWK] = {}
        self._loaded_at = 0.0
        # token -> (principal, exp, kid): see `verify`.
        self._verified: OrderedDict[str, tuple[Principal, float, str]] = OrderedDict()

    def _load(self) -> None:
        jwk_set = jwt.PyJWKSet.from_json(self._provider())
        self._keys = {key.key_id: key for key in jwk_set.keys if key.key_id}
        self._loaded_at = time.monotonic()

    def _key(self, kid: str) -> jwt.PyJWK:
        with self._lock:
            age = time.monotonic() - self._loaded_at
            stale = age > self._cache_seconds
            # An unknown kid refreshes the keys (rotation), but at most once a second, so a stream of
            # forged tokens cannot turn into one call to identity per request.
            min_refresh = MIN_REFRESH_SECONDS if self._min_refresh is None else self._min_refresh
            if stale or (kid not in self._keys and age > min_refresh):
                try:
                    self._load()
                except Exception as exc:  # identity unreachable: keep old keys if we have them
                    if kid not in self._keys:
                        raise Unauthenticated(
                            "KEYS_UNAVAILABLE", "Layanan identitas tidak dapat dihubungi."
                        ) from exc
            key = self._keys.get(kid)
        if key is None:
            raise Unauthenticated("TOKEN_INVALID", "Token tidak valid.")
        return key

    def verify(self, token: str) -> Principal:
        """Returns the principal of a valid token; raises Unauthenticated otherwise.

        A token verified before is answered from memory while it has not expired and its key is still
        one identity publishes (a key withdrawn at the next refresh ends its tokens here too)."""
        with self._lock:
            known = self._verified.get(token)
            if known is not None:
                principal, expires, kid = known
                # Only while the keys themselves are fresh: a stale set is refreshed by a full check.
                keys_fresh = time.monotonic() - self._loaded_at <= self._cache_seconds
                if keys_fresh and kid in self._keys and time.time() <= expires + self._leeway:
                    self._verified.move_to_end(token)
                    return principal
                del self._verified[token]
        principal, expires, kid = self._verify(token)
        with self._lock:
            self._verified[token] = (principal, expires, kid)
            while len(self._verified) > VERIFIED_CACHE_SIZE:
                self._verified.popitem(last=False)
        return principal

    def _verify(self, token: str) -> tuple[Principal, float, str]:
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError as exc:
            raise Unauthenticated("TOKEN_INVALID", "Token tidak valid.") from exc
        kid = str(header.get("kid", ""))
        key = self._key(kid)
        try:
            claims = jwt.decode(
                token,
                key=key,
                algorithms=ALGORITHMS,
                audience=self._audience,
                issuer=self._issuer,
                leeway=self._leeway,
                options={"require": ["exp", "iat", "sub", "iss", "aud"]},
            )
        except jwt.ExpiredSignatureError as exc:
            raise Unauthenticated(
                "TOKEN_EXPIRED", "Sesi Anda telah berakhir. Silakan masuk kembali."
            ) from exc
        except jwt.PyJWTError as exc:
            raise Unauthenticated("TOKEN_INVALID", "Token tidak valid.") from exc
        return principal_from_claims(claims, token), float(claims["exp"]), kid


def principal_from_claims(claims: dict[str, object], token: str = "") -> Principal:
    """Builds a Principal from verified claims."""
    try:
        instansi = uuid.UUID(str(claims["instansi"]))
        roles = frozenset(str(r) for r in claims.get("roles", []) if str(r) in ALL_ROLES)  # type: ignore[attr-defined]
        pegawai = claims.get("pegawai_id")
        return Principal(
            subject=str(claims["sub"]),
            username=str(claims.get("username", "")),
            instansi_id=instansi,
            roles=roles,
            pegawai_id=uuid.UUID(str(pegawai)) if pegawai else None,
            nama=str(claims.get("name", "")),
            token=token,
            password_change_required=claims.get(PASSWORD_CHANGE_CLAIM) is True,
        )
    except (KeyError, ValueError) as exc:
        raise Unauthenticated("TOKEN_INVALID", "Token tidak valid.") from exc


def combined_jwks(*providers: Callable[[], str]) -> Callable[[], str]:
    """One JWKS provider trusting the keys of several (e.g. identity's own plus a test signer's)."""

    def provider() -> str:
        keys: list[object] = []
        for source in providers:
            keys.extend(json.loads(source())["keys"])
        return json.dumps({"keys": keys})

    return provider
