"""PLT/PLH: a pegawai acting as head (Pelaksana Tugas / Harian) of a unor for a period (002 §2.4)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from kinerja_kit.errors import Violations
from org.domain import fields
from org.domain.values import JenisPlt

JABATAN_MAX = 255


@dataclass(frozen=True)
class Plt:
    """One PLT/PLH assignment."""

    id: uuid.UUID
    instansi_id: uuid.UUID
    pegawai_id: uuid.UUID
    unor_id: uuid.UUID
    jabatan: str
    jenis: JenisPlt
    tanggal_mulai: date
    tanggal_selesai: date
    aktif: bool
    version: int

    def active_on(self, day: date) -> bool:
        """In force on `day`: switched on, and `day` within [mulai, selesai]."""
        return self.aktif and self.tanggal_mulai <= day <= self.tanggal_selesai

    def overlaps(self, other: PltFields) -> bool:
        """Both switched on with intersecting periods."""
        return (
            self.aktif
            and other.aktif
            and self.tanggal_mulai <= other.tanggal_selesai
            and other.tanggal_mulai <= self.tanggal_selesai
        )


@dataclass(frozen=True)
class PltInput:
    """The PLT/PLH form as typed."""

    pegawai_id: str
    unor_id: str
    jabatan: str
    jenis: int
    tanggal_mulai: str
    tanggal_selesai: str
    aktif: bool


@dataclass(frozen=True)
class PltFields:
    """A checked PLT/PLH form; pegawai and unor existence is checked by the handler."""

    pegawai_id: uuid.UUID
    unor_id: uuid.UUID
    jabatan: str
    jenis: JenisPlt
    tanggal_mulai: date
    tanggal_selesai: date
    aktif: bool


def validate_plt(
    raw: PltInput,
    *,
    today: date,
    pegawai_exists: Callable[[uuid.UUID], bool],
    unor_exists: Callable[[uuid.UUID], bool],
) -> PltFields:
    """Checks every field, including that the pegawai and unor are in this instansi; raises InvalidArgument."""
    v = Violations()
    pegawai_id = fields.reference(v, "plt.pegawai_id", "Pegawai", raw.pegawai_id)
    if not raw.pegawai_id.strip():
        v.add("plt.pegawai_id", "REQUIRED", "Pegawai wajib dipilih.")
    elif pegawai_id is not None and not pegawai_exists(pegawai_id):
        v.add("plt.pegawai_id", "PEGAWAI_NOT_FOUND", "Pegawai tidak ditemukan di instansi ini.")
    unor_id = fields.reference(v, "plt.unor_id", "Unor", raw.unor_id)
    if not raw.unor_id.strip():
        v.add("plt.unor_id", "REQUIRED", "Unor wajib dipilih.")
    elif unor_id is not None and not unor_exists(unor_id):
        v.add("plt.unor_id", "UNOR_NOT_FOUND", "Unor tidak ditemukan di instansi ini.")
    jabatan = fields.text(
        v, "plt.jabatan", "Jabatan PLT/PLH", raw.jabatan, max_len=JABATAN_MAX, required=True
    )
    try:
        jenis = JenisPlt(raw.jenis)
    except ValueError:
        jenis = JenisPlt.UNSPECIFIED
    if jenis == JenisPlt.UNSPECIFIED:
        v.add("plt.jenis", "REQUIRED", "Jenis wajib dipilih (Pelaksana Tugas atau Pelaksana Harian).")
    mulai = fields.optional_date(
        v, "plt.tanggal_mulai", "Periode awal", raw.tanggal_mulai, today=today, required=True, years_ahead=5
    )
    selesai = fields.optional_date(
        v,
        "plt.tanggal_selesai",
        "Periode akhir",
        raw.tanggal_selesai,
        today=today,
        required=True,
        years_ahead=5,
    )
    if mulai is not None and selesai is not None and mulai > selesai:
        v.add(
            "plt.tanggal_selesai",
            "PERIOD_REVERSED",
            "Periode akhir tidak boleh sebelum periode awal.",
        )
    v.raise_if_any()
    assert pegawai_id and unor_id and mulai and selesai
    return PltFields(
        pegawai_id=pegawai_id,
        unor_id=unor_id,
        jabatan=jabatan,
        jenis=jenis,
        tanggal_mulai=mulai,
        tanggal_selesai=selesai,
        aktif=raw.aktif,
    )
