"""Pegawai: NIP (or NIK for JPT non-ASN), nama, unor, pimpinan, jabatan, golongan/pangkat, TMT jabatan."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from kinerja_kit.errors import Violations
from org.domain import fields
from org.domain.nip import check_nik, check_nip
from org.domain.values import JenisJabatan, canonical_golongan, canonical_jenjang, pangkat_for

NAMA_MAX = 200
JABATAN_MAX = 255
PANGKAT_MAX = 100
NOMOR_MAX = 32
"""NIP and NIK are checked digit by digit after the text rules; this only bounds what is looked at."""
GOLONGAN_MAX = 10
JENJANG_MAX = 50


@dataclass(frozen=True)
class Jabatan:
    """A position: its name, kind and (for jabatan fungsional) jenjang."""

    nama: str
    jenis: JenisJabatan
    jenjang: str = ""


@dataclass(frozen=True)
class Pegawai:
    """An employee of one instansi; `active` false once removed (kept for history)."""

    id: uuid.UUID
    instansi_id: uuid.UUID
    nip: str
    nik: str
    nama: str
    unor_id: uuid.UUID
    pimpinan: bool
    jabatan: Jabatan
    golongan: str
    pangkat: str
    tmt_jabatan: date | None
    non_asn: bool
    active: bool
    version: int


@dataclass(frozen=True)
class PegawaiInput:
    """The pegawai form (002 §2.4) as typed."""

    nip: str
    nama: str
    unor_id: str
    pimpinan: bool
    jabatan_nama: str
    jabatan_jenis: int
    jabatan_jenjang: str
    golongan: str
    pangkat: str
    tmt_jabatan: str


@dataclass(frozen=True)
class PegawaiFields:
    """A checked pegawai form."""

    nip: str
    nama: str
    unor_id: uuid.UUID
    pimpinan: bool
    jabatan: Jabatan
    golongan: str
    pangkat: str
    tmt_jabatan: date | None


@dataclass(frozen=True)
class JptNonAsnInput:
    """A JPT non-ASN (e.g. a bupati) added by NIK (002 §2.5)."""

    nik: str
    nama: str
    unor_id: str
    jabatan: str
    tmt_jabatan: str


def validate_pegawai(
    raw: PegawaiInput, *, today: date, unor_exists: Callable[[uuid.UUID], bool], non_asn: bool = False
) -> PegawaiFields:
    """Checks every field of the form; raises InvalidArgument listing all violations.

    `non_asn` is set when editing a JPT non-ASN: they carry a NIK, so the NIP and golongan must be empty.
    """
    v = Violations()
    nip = fields.checked(v, "pegawai.nip", "NIP", raw.nip, max_len=NOMOR_MAX, code=True)
    if nip is None:
        nip = ""  # refused as text: its parts are not judged
    elif non_asn:
        if nip:
            v.add("pegawai.nip", "NIP_NOT_ALLOWED", "JPT non-ASN tidak memiliki NIP.")
    else:
        _, problems = check_nip(nip, today)
        for problem in problems:
            v.add("pegawai.nip", problem.code, problem.message)
    nama = fields.text(v, "pegawai.nama", "Nama", raw.nama, max_len=NAMA_MAX, required=True)
    unor_id = _unor(v, "pegawai.unor_id", raw.unor_id, unor_exists)
    jabatan = validate_jabatan(v, raw.jabatan_nama, raw.jabatan_jenis, raw.jabatan_jenjang)
    golongan_raw = fields.text(
        v, "pegawai.golongan", "Golongan", raw.golongan, max_len=GOLONGAN_MAX, code=True
    )
    golongan = ""
    if golongan_raw:
        if non_asn:
            v.add("pegawai.golongan", "GOLONGAN_NOT_ALLOWED", "JPT non-ASN tidak memiliki golongan.")
        else:
            golongan = canonical_golongan(golongan_raw) or ""
            if not golongan:
                v.add(
                    "pegawai.golongan",
                    "GOLONGAN_INVALID",
                    "Golongan tidak valid (PNS: I/a s.d. IV/e, contoh III/a; PPPK: I s.d. XVII).",
                )
    pangkat = fields.text(v, "pegawai.pangkat", "Pangkat", raw.pangkat, max_len=PANGKAT_MAX)
    if not pangkat:
        pangkat = pangkat_for(golongan)
    tmt = fields.optional_date(v, "pegawai.tmt_jabatan", "TMT jabatan", raw.tmt_jabatan, today=today)
    v.raise_if_any()
    assert unor_id is not None and jabatan is not None
    return PegawaiFields(
        nip=nip,
        nama=nama,
        unor_id=unor_id,
        pimpinan=raw.pimpinan,
        jabatan=jabatan,
        golongan=golongan,
        pangkat=pangkat,
        tmt_jabatan=tmt,
    )


def validate_jabatan(v: Violations, nama: str, jenis: int, jenjang: str) -> Jabatan | None:
    """Nama required; jenis one of the kinds; jenjang required for, and only for, jabatan fungsional."""
    clean_nama = fields.text(
        v, "pegawai.jabatan.nama", "Nama jabatan", nama, max_len=JABATAN_MAX, required=True
    )
    try:
        kind = JenisJabatan(jenis)
    except ValueError:
        kind = JenisJabatan.UNSPECIFIED
    if kind == JenisJabatan.UNSPECIFIED:
        v.add(
            "pegawai.jabatan.jenis",
            "REQUIRED",
            "Jenis jabatan wajib dipilih (JPT, administrator, pengawas, fungsional, atau pelaksana).",
        )
    clean_jenjang = ""
    cleaned = fields.checked(v, "pegawai.jabatan.jenjang", "Jenjang", jenjang, max_len=JENJANG_MAX)
    if cleaned is None:
        pass  # refused as text: nothing more to say of it
    elif kind == JenisJabatan.FUNGSIONAL:
        if not cleaned:
            v.add("pegawai.jabatan.jenjang", "REQUIRED", "Jenjang jabatan fungsional wajib diisi.")
        else:
            clean_jenjang = canonical_jenjang(cleaned) or ""
            if not clean_jenjang:
                v.add(
                    "pegawai.jabatan.jenjang",
                    "JENJANG_INVALID",
                    "Jenjang tidak dikenal (Pemula, Terampil, Mahir, Penyelia, Ahli Pertama, "
                    "Ahli Muda, Ahli Madya, Ahli Utama).",
                )
    elif cleaned:
        v.add(
            "pegawai.jabatan.jenjang",
            "JENJANG_NOT_ALLOWED",
            "Jenjang hanya diisi untuk jabatan fungsional.",
        )
    if v:
        return None
    return Jabatan(nama=clean_nama, jenis=kind, jenjang=clean_jenjang)


@dataclass(frozen=True)
class JptNonAsnFields:
    """A checked JPT non-ASN form."""

    nik: str
    nama: str
    unor_id: uuid.UUID
    jabatan: Jabatan
    tmt_jabatan: date | None


def validate_jpt_non_asn(
    raw: JptNonAsnInput, *, today: date, unor_exists: Callable[[uuid.UUID], bool]
) -> JptNonAsnFields:
    """Checks a JPT non-ASN: a 16-digit NIK, nama, an existing unor, jabatan; they lead the unor."""
    v = Violations()
    nik = fields.checked(v, "nik", "NIK", raw.nik, max_len=NOMOR_MAX, code=True)
    for problem in [] if nik is None else check_nik(nik):
        v.add("nik", problem.code, problem.message)
    nama = fields.text(v, "nama", "Nama", raw.nama, max_len=NAMA_MAX, required=True)
    unor_id = _unor(v, "unor_id", raw.unor_id, unor_exists)
    jabatan = fields.text(v, "jabatan", "Jabatan", raw.jabatan, max_len=JABATAN_MAX, required=True)
    tmt = fields.optional_date(v, "tmt_jabatan", "TMT jabatan", raw.tmt_jabatan, today=today)
    v.raise_if_any()
    assert unor_id is not None
    assert nik is not None
    return JptNonAsnFields(
        nik=nik, nama=nama, unor_id=unor_id, jabatan=Jabatan(jabatan, JenisJabatan.JPT), tmt_jabatan=tmt
    )


def _unor(v: Violations, path: str, value: str, unor_exists: Callable[[uuid.UUID], bool]) -> uuid.UUID | None:
    if not value.strip():
        v.add(path, "REQUIRED", "Unor wajib dipilih.")
        return None
    unor_id = fields.reference(v, path, "Unor", value)
    if unor_id is not None and not unor_exists(unor_id):
        v.add(path, "UNOR_NOT_FOUND", "Unor tidak ditemukan di instansi ini.")
    return unor_id
