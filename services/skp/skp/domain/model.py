"""The SKP aggregate: header, snapshots and its content (RHK, indikator, perilaku, lampiran, rencana aksi).

One SKP is loaded, checked and saved whole under one version; its content is stored as one document.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field

from skp.domain.values import (
    BERAKHLAK,
    Aspek,
    JenisIku,
    JenisPenilai,
    JenisRhk,
    ModelSkp,
    NilaiPerilaku,
    Pendekatan,
    PeriodePelaporan,
    Perspektif,
    StatusSkp,
)


class _Model(BaseModel):
    model_config = ConfigDict(validate_assignment=False, extra="ignore")


class Pejabat(_Model):
    """A person as printed on the SKP, copied from org when the SKP is made or refreshed."""

    pegawai_id: uuid.UUID
    nip: str = ""
    nama: str = ""
    golongan: str = ""
    pangkat: str = ""
    jabatan: str = ""
    unor_id: uuid.UUID | None = None
    unor_nama: str = ""


class Target(_Model):
    """A value (min == max) or a range; both None when there is no numeric target (kualitatif)."""

    min: Decimal | None = None
    max: Decimal | None = None
    satuan: str = ""

    @property
    def is_set(self) -> bool:
        return self.min is not None


class ManualIndikator(_Model):
    deskripsi_rencana_kerja: str = ""
    definisi: str = ""
    formula: str = ""
    tujuan: str = ""
    satuan_pengukuran: str = ""
    jenis_iku: JenisIku | None = None
    penanggung_jawab: str = ""
    penyedia_data: str = ""
    sumber_data: str = ""
    periode_pelaporan: PeriodePelaporan | None = None


def no_monthly_targets() -> list[Decimal | None]:
    return [None] * 12


class Indikator(_Model):
    id: uuid.UUID
    teks: str
    aspek: Aspek | None = None
    perspektif: Perspektif | None = None
    target: Target = Field(default_factory=Target)
    manual: ManualIndikator | None = None
    # Matriks target bulanan: 12 months, None where nothing is planned.
    target_bulanan: list[Decimal | None] = Field(default_factory=no_monthly_targets)


class RencanaAksi(_Model):
    id: uuid.UUID
    periode_id: uuid.UUID
    teks: str
    target: Decimal | None = None
    satuan: str = ""


class Rhk(_Model):
    id: uuid.UUID
    jenis: JenisRhk
    teks: str
    atasan_rhk_id: uuid.UUID | None = None
    atasan_rhk_teks: str = ""
    atasan_skp_id: uuid.UUID | None = None
    tahapan: list[str] = Field(default_factory=list)
    sumber_sasaran_id: uuid.UUID | None = None
    sumber_mph_id: uuid.UUID | None = None
    indikator: list[Indikator] = Field(default_factory=list)
    rencana_aksi: list[RencanaAksi] = Field(default_factory=list)


class Perilaku(_Model):
    nilai: NilaiPerilaku
    ekspektasi: str = ""
    penilai_jenis: JenisPenilai | None = None
    penilai_pegawai_id: uuid.UUID | None = None
    penilai_nama: str = ""


class Lampiran(_Model):
    dukungan_sumber_daya: list[str] = Field(default_factory=list)
    skema_pertanggungjawaban: list[str] = Field(default_factory=list)
    konsekuensi: list[str] = Field(default_factory=list)


def perilaku_awal() -> list[Perilaku]:
    """The seven BerAKHLAK values, nothing written or chosen yet."""
    return [Perilaku(nilai=n.nilai) for n in BERAKHLAK]


class SkpIsi(_Model):
    """The content of an SKP: stored as one document beside the header columns."""

    rhk: list[Rhk] = Field(default_factory=list)
    perilaku: list[Perilaku] = Field(default_factory=perilaku_awal)
    lampiran: Lampiran = Field(default_factory=Lampiran)


class Skp(_Model):
    id: uuid.UUID
    instansi_id: uuid.UUID
    pegawai_id: uuid.UUID
    unor_id: uuid.UUID
    plt_id: uuid.UUID | None = None
    tahun: int
    tanggal_mulai: date
    tanggal_selesai: date
    pendekatan: Pendekatan
    model: ModelSkp
    status: StatusSkp = StatusSkp.DRAFT
    mandiri: bool = False
    pegawai: Pejabat
    penilai: Pejabat | None = None
    # The unor the pejabat penilai leads (an active PLT/PLH of it may approve in their place).
    penilai_unor_id: uuid.UUID | None = None
    atasan_penilai: Pejabat | None = None
    isi: SkpIsi = Field(default_factory=SkpIsi)
    alasan_dikembalikan: str = ""
    diajukan_at: datetime | None = None
    disetujui_at: datetime | None = None
    dikembalikan_at: datetime | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    version: int = 1

    # ---- lookups ----

    def rhk(self, rhk_id: uuid.UUID) -> Rhk | None:
        return next((r for r in self.isi.rhk if r.id == rhk_id), None)

    def indikator(self, indikator_id: uuid.UUID) -> tuple[Rhk, Indikator] | None:
        for rhk in self.isi.rhk:
            for item in rhk.indikator:
                if item.id == indikator_id:
                    return rhk, item
        return None

    def rencana_aksi(self, rencana_id: uuid.UUID) -> tuple[Rhk, RencanaAksi] | None:
        for rhk in self.isi.rhk:
            for item in rhk.rencana_aksi:
                if item.id == rencana_id:
                    return rhk, item
        return None

    def perilaku(self, nilai: NilaiPerilaku) -> Perilaku:
        return next(p for p in self.isi.perilaku if p.nilai == nilai)

    @property
    def jumlah_indikator(self) -> int:
        return sum(len(r.indikator) for r in self.isi.rhk)

    def ordered_rhk(self) -> list[Rhk]:
        """Utama first, then tambahan, each in the order entered."""
        return sorted(self.isi.rhk, key=lambda r: r.jenis)
