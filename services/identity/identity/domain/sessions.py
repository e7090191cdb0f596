"""Refresh tokens: opaque random secrets, stored only as SHA-256 hashes, rotated on every use.

A token reads `rt1.<instansi hex>.<secret>`: the instansi part only routes the lookup to the right
tenant (row-level security needs it before the row can be read); the secret carries the entropy.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass

PREFIX = "rt1"
SECRET_BYTES = 32


@dataclass(frozen=True)
class IssuedRefreshToken:
    """A new refresh token: the value handed to the client once, and the hash that is stored."""

    value: str
    token_hash: bytes


def hash_token(value: str) -> bytes:
    return hashlib.sha256(value.encode("utf-8")).digest()


def new_refresh_token(instansi_id: uuid.UUID) -> IssuedRefreshToken:
    """Generates a refresh token routed to `instansi_id`."""
    value = f"{PREFIX}.{instansi_id.hex}.{secrets.token_urlsafe(SECRET_BYTES)}"
    return IssuedRefreshToken(value, hash_token(value))


def token_instansi(value: str) -> uuid.UUID | None:
    """The instansi a refresh token belongs to; None when the value is not one of ours."""
    parts = value.split(".")
    if len(parts) != 3 or parts[0] != PREFIX or len(parts[2]) < 40:
        return None
    try:
        return uuid.UUID(hex=parts[1])
    except ValueError:
        return None
