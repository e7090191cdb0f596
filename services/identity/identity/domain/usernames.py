"""Usernames are NIP (18 digits) or, for JPT non-ASN, NIK (16 digits), unique nationally."""

from __future__ import annotations

from kinerja_kit.fields import has_forbidden_character

NIP_LENGTH = 18
NIK_LENGTH = 16
MAX_USERNAME_LENGTH = 64


def normalize_username(raw: str) -> str:
    """Strips surrounding whitespace and the spaces people type inside a NIP."""
    return "".join(raw.split())


def is_nip_or_nik(username: str) -> bool:
    """True for an 18-digit NIP or a 16-digit NIK."""
    return username.isascii() and username.isdigit() and len(username) in (NIP_LENGTH, NIK_LENGTH)


def username_problem(name: str) -> tuple[str, str] | None:
    """Why a normalised username cannot be looked up (violation code, Indonesian message), or None."""
    if not name:
        return "REQUIRED", "NIP wajib diisi."
    if len(name) > MAX_USERNAME_LENGTH:
        return "TOO_LONG", "NIP terlalu panjang."
    if has_forbidden_character(name):  # a NUL would reach the account lookup (the kit's text rule)
        return "INVALID_CHARACTER", "NIP berisi karakter yang tidak diizinkan."
    return None
