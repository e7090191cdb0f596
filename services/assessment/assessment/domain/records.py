"""The other assessment records: batas extensions, capaian kinerja organisasi, keberatan, tugas."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from pydantic import Field

from assessment.domain.aturan import Capaian, Predikat, Rating, StatusKeberatan
from assessment.domain.model import JenisTugas, Model, Pejabat, Pelaku


class Perpanjangan(Model):
    """An admin's extension of a periode's batas pengisian for one pegawai or one unor."""

    id: uuid.UUID
    instansi_id: uuid.UUID
    periode_id: uuid.UUID
    tahun: int
    pegawai_id: uuid.UUID | None = None
    unor_id: uuid.UUID | None = None
    batas_baru: date
    alasan: str
    oleh: Pelaku
    created_at: datetime


class CapaianOrganisasi(Model):
    """The capaian kinerja organisasi of a unit kerja for one periode of one year."""

    id: uuid.UUID
    instansi_id: uuid.UUID
    tahun: int
    periode_id: uuid.UUID
    unor_id: uuid.UUID
    capaian: Capaian
    bukti_dukung_url: str = ""
    final: bool = False
    finalised_at: datetime | None = None
    diubah_oleh: Pelaku
    version: int = 1
    created_at: datetime
    updated_at: datetime
    # The unit's name as org last said it (stored with it, renamed with the unit); the periode's is read
    # beside it from the projection.
    unor_nama: str = ""
    periode_nama: str = ""


class Statistik(Model):
    """Rated pegawai of a unit out of those with an approved SKP in the periode, and the predikat mix."""

    dinilai: int = 0
    total: int = 0
    per_predikat: dict[Predikat, int] = Field(default_factory=dict)


class NilaiKeberatan(Model):
    rating_hasil_kerja: Rating
    rating_perilaku_kerja: Rating
    predikat: Predikat


class Keberatan(Model):
    """A pegawai's objection to their predikat, its explanation and its decision."""

    id: uuid.UUID
    instansi_id: uuid.UUID
    penilaian_id: uuid.UUID
    skp_id: uuid.UUID
    periode_id: uuid.UUID
    tahun: int
    pegawai: Pejabat
    penilai: Pejabat | None = None
    atasan_penilai: Pejabat | None = None
    status: StatusKeberatan
    alasan: str
    sebelum: NilaiKeberatan
    diminta: NilaiKeberatan
    sesudah: NilaiKeberatan | None = None
    penjelasan_penilai: str = ""
    dijelaskan_oleh: Pelaku | None = None
    dijelaskan_at: datetime | None = None
    keputusan: str = ""
    diputuskan_oleh: Pelaku | None = None
    diajukan_at: datetime
    dicek_at: datetime | None = None
    diputuskan_at: datetime | None = None
    batas_pengajuan: date
    version: int = 1
    # Read beside it from the projection, never stored with it.
    periode_nama: str = ""

    @property
    def pegawai_id(self) -> uuid.UUID:
        assert self.pegawai.pegawai_id is not None
        return self.pegawai.pegawai_id


class Tugas(Model):
    """One thing one person still has to do (the inbox)."""

    id: uuid.UUID
    jenis: JenisTugas
    assignee_pegawai_id: uuid.UUID | None = None
    # For NILAI_BAWAHAN and JAWAB_KEBERATAN: the penilai's unit, so a PLT/PLH in force finds it.
    assignee_unor_id: uuid.UUID | None = None
    subject_pegawai_id: uuid.UUID
    penilaian_id: uuid.UUID
    keberatan_id: uuid.UUID | None = None
    skp_id: uuid.UUID
    periode_id: uuid.UUID
    periode_nama: str = ""
    batas: date | None = None
    keterangan: str = ""
    sebagai: int = 0
    nilai: list[int] = Field(default_factory=list)
    pegawai: Pejabat = Field(default_factory=Pejabat)


class Lingkup(Model):
    """Whose records a list or inbox shows: `SAYA` (the caller's own), `BAWAHAN` / `DIJAWAB` (those the
    caller rates or answers today: named as penilai, the penilai's unit led as PLT/PLH, or the caller's
    bawahan), `INSTANSI` (admins: all)."""

    kind: str
    pegawai_id: uuid.UUID | None = None
    units: frozenset[uuid.UUID] = frozenset()
    bawahan: frozenset[uuid.UUID] = frozenset()


class PenilaianQuery(Model):
    """Which penilaian a list shows: whose (`lingkup`), narrowed by the filters that are set."""

    lingkup: Lingkup
    tahun: int = 0
    periode_id: uuid.UUID | None = None
    skp_id: uuid.UUID | None = None
    status: str = ""
    unit_kerja_id: uuid.UUID | None = None
    predikat: int = 0


class KeberatanQuery(Model):
    """Which keberatan a list shows: whose (`lingkup`), narrowed by year, status and a search term
    (("nip", digits): a NIP prefix, listed by NIP; ("nama", text): part of the name)."""

    lingkup: Lingkup
    tahun: int = 0
    status: str = ""
    term: tuple[str, str] | None = None

    @property
    def by_nip(self) -> bool:
        return self.term is not None and self.term[0] == "nip"
