"""Signing of access tokens (RS256 with a key id) and their JWKS, shared by identity and the tests."""

from __future__ import annotations

import json
import time
import uuid
from dataclasses import dataclass
from functools import cached_property

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.asymmetric.types import PrivateKeyTypes

from kinerja_kit.context import PASSWORD_CHANGE_CLAIM
from kinerja_kit.ids import new_id


@dataclass(frozen=True)
class SigningKey:
    """An RSA key pair with its key id."""

    kid: str
    private_pem: bytes

    @classmethod
    def generate(cls) -> SigningKey:
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        pem = key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        return cls(kid=new_id().hex[:16], private_pem=pem)

    @cached_property
    def private_key(self) -> PrivateKeyTypes:
        """The key loaded once: loading (and checking) a PEM costs more than signing a token with it."""
        return serialization.load_pem_private_key(self.private_pem, password=None)

    def public_jwk(self) -> dict[str, str]:
        jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self.private_key.public_key()))  # type: ignore[arg-type]
        jwk.update({"kid": self.kid, "use": "sig", "alg": "RS256"})
        return {k: str(v) for k, v in jwk.items()}


def jwks_json(keys: list[SigningKey]) -> str:
    """The JSON Web Key Set of the public halves of `keys`."""
    return json.dumps({"keys": [k.public_jwk() for k in keys]})


@dataclass(frozen=True)
class TokenSigner:
    """Issues access tokens: subject, instansi, roles, username, pegawai id, name and expiry."""

    key: SigningKey
    issuer: str
    audience: str
    ttl_seconds: int = 900

    def issue(
        self,
        *,
        subject: str,
        instansi_id: uuid.UUID,
        roles: list[str],
        username: str,
        pegawai_id: uuid.UUID | None = None,
        name: str = "",
        ttl_seconds: int | None = None,
        password_change_required: bool = False,
    ) -> str:
        now = int(time.time())
        claims = {
            "iss": self.issuer,
            "aud": self.audience,
            "sub": subject,
            "iat": now,
            "nbf": now,
            "exp": now + (ttl_seconds if ttl_seconds is not None else self.ttl_seconds),
            "jti": new_id().hex,
            "instansi": str(instansi_id),
            "roles": sorted(roles),
            "username": username,
            "name": name,
        }
        if pegawai_id is not None:
            claims["pegawai_id"] = str(pegawai_id)
        if password_change_required:
            claims[PASSWORD_CHANGE_CLAIM] = True
        return jwt.encode(
            claims,
            self.key.private_key,  # type: ignore[arg-type]
            algorithm="RS256",
            headers={"kid": self.key.kid},
        )
