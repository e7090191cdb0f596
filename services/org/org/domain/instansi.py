"""Instansi: the tenants of the platform, created by admin BKN."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import datetime

from kinerja_kit.errors import Violations
from org.domain import fields

JENIS_INSTANSI = ("PUSAT", "DAERAH")
KODE_MAX = 50
NAMA_MAX = 255


@dataclass(frozen=True)
class Instansi:
    """A government agency (ministry, province, kabupaten/kota)."""

    id: uuid.UUID
    kode: str
    nama: str
    jenis: str
    created_at: datetime


@dataclass(frozen=True)
class InstansiInput:
    """What an admin BKN types to create an instansi."""

    kode: str
    nama: str
    jenis: str


def validate_instansi(raw: InstansiInput) -> InstansiInput:
    """Normalises (kode and jenis upper-cased) and checks every field; raises InvalidArgument."""
    v = Violations()
    kode = (fields.checked(v, "kode", "Kode instansi", raw.kode, max_len=KODE_MAX, code=True) or "").upper()
    if not kode and not v:
        v.add("kode", "REQUIRED", "Kode instansi wajib diisi.")
    elif kode and not re.fullmatch(r"[A-Z0-9]+(-[A-Z0-9]+)*", kode):
        v.add("kode", "KODE_FORMAT", "Kode instansi hanya boleh huruf kapital, angka, dan tanda hubung (-).")
    nama = fields.text(v, "nama", "Nama instansi", raw.nama, max_len=NAMA_MAX, required=True)
    jenis = raw.jenis.strip().upper()
    if jenis not in JENIS_INSTANSI:
        v.add("jenis", "JENIS_INVALID", "Jenis instansi harus PUSAT atau DAERAH.")
    v.raise_if_any()
    return InstansiInput(kode=kode, nama=nama, jenis=jenis)
