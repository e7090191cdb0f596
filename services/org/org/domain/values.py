"""Value types of the org domain: kinds of unor, jabatan and PLT, JF jenjang, golongan and pangkat."""

from __future__ import annotations

import re
from datetime import date
from enum import IntEnum


class JenisUnor(IntEnum):
    """The level of the head that leads a unor (002 §2.3 "Jenis"); numbers match the proto enum."""

    UNSPECIFIED = 0
    JPT_UTAMA = 1
    JPT_MADYA = 2
    JPT_PRATAMA = 3
    ADMINISTRATOR = 4
    PENGAWAS = 5
    ESELON_V = 6
    NON_ESELON = 7


class JenisJabatan(IntEnum):
    """Kind of jabatan; numbers match the proto enum."""

    UNSPECIFIED = 0
    JPT = 1
    ADMINISTRATOR = 2
    PENGAWAS = 3
    FUNGSIONAL = 4
    PELAKSANA = 5


class JenisPlt(IntEnum):
    """Pelaksana Tugas or Pelaksana Harian; numbers match the proto enum."""

    UNSPECIFIED = 0
    PLT = 1
    PLH = 2


JENJANG_JF: tuple[str, ...] = (
    "Pemula",
    "Terampil",
    "Mahir",
    "Penyelia",
    "Ahli Pertama",
    "Ahli Muda",
    "Ahli Madya",
    "Ahli Utama",
)
"""Jenjang of jabatan fungsional, keterampilan then keahlian (PermenPAN-RB 1/2023)."""

PANGKAT_BY_GOLONGAN: dict[str, str] = {
    # Source: PP 99/2000 (kenaikan pangkat PNS), lampiran I.
    "I/a": "Juru Muda",
    "I/b": "Juru Muda Tingkat I",
    "I/c": "Juru",
    "I/d": "Juru Tingkat I",
    "II/a": "Pengatur Muda",
    "II/b": "Pengatur Muda Tingkat I",
    "II/c": "Pengatur",
    "II/d": "Pengatur Tingkat I",
    "III/a": "Penata Muda",
    "III/b": "Penata Muda Tingkat I",
    "III/c": "Penata",
    "III/d": "Penata Tingkat I",
    "IV/a": "Pembina",
    "IV/b": "Pembina Tingkat I",
    "IV/c": "Pembina Utama Muda",
    "IV/d": "Pembina Utama Madya",
    "IV/e": "Pembina Utama",
}

GOLONGAN_PPPK: tuple[str, ...] = (
    # Source: Perpres 98/2020 (gaji dan tunjangan PPPK): golongan I to XVII, no pangkat name.
    "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX",
    "X", "XI", "XII", "XIII", "XIV", "XV", "XVI", "XVII",
)  # fmt: skip

MIN_YEAR = 1940


def canonical_jenjang(value: str) -> str | None:
    """The jenjang as written in JENJANG_JF (case-insensitive match), or None when it is not one."""
    wanted = " ".join(value.split()).casefold()
    for jenjang in JENJANG_JF:
        if jenjang.casefold() == wanted:
            return jenjang
    return None


def canonical_golongan(value: str) -> str | None:
    """A PNS golongan ("III/a") or PPPK golongan ("IX") in canonical case, or None when malformed."""
    text = value.strip().replace(" ", "")
    match = re.fullmatch(r"([IVX]+)/([a-eA-E])", text, flags=re.IGNORECASE)
    if match:
        candidate = f"{match.group(1).upper()}/{match.group(2).lower()}"
        return candidate if candidate in PANGKAT_BY_GOLONGAN else None
    upper = text.upper()
    return upper if upper in GOLONGAN_PPPK else None


def pangkat_for(golongan: str) -> str:
    """The pangkat name of a PNS golongan; empty for PPPK golongan and for no golongan."""
    return PANGKAT_BY_GOLONGAN.get(golongan, "")


def parse_iso_date(value: str) -> date | None:
    """A YYYY-MM-DD date that exists in the calendar, or None."""
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None
