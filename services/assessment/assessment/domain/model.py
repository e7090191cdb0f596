"""The assessment aggregates: the SKP and periode as skp last said they are, and the Penilaian."""

from __future__ import annotations

import enum
import uuid
from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field

from assessment.domain.aturan import Capaian, Predikat, Rating, StatusPenilaian


class StatusSkp(enum.IntEnum):
    """skp's StatusSkp (values as in skp's contract; a test checks them against it)."""

    DRAFT = 1
    DIAJUKAN = 2
    DISETUJUI = 3


class ModelSkp(enum.IntEnum):
    JPT = 1
    JA_JF = 2


class Pendekatan(enum.IntEnum):
    KUANTITATIF = 1
    KUALITATIF = 2


class JenisPeriode(enum.IntEnum):
    BIASA = 1
    FINAL = 2


class JenisTugas(enum.IntEnum):
    ISI_REALISASI = 1
    FEEDBACK_PERILAKU = 2
    NILAI_BAWAHAN = 3
    JAWAB_KEBERATAN = 4


class Model(BaseModel):
    model_config = ConfigDict(validate_assignment=False)


class Pejabat(Model):
    """A person as the SKP prints them (skp's snapshot)."""

    pegawai_id: uuid.UUID | None = None
    nip: str = ""
    nama: str = ""
    golongan: str = ""
    pangkat: str = ""
    jabatan: str = ""
    unor_id: uuid.UUID | None = None
    unor_nama: str = ""


class Pelaku(Model):
    """Who did something, as printed."""

    pegawai_id: uuid.UUID | None = None
    nip: str = ""
    nama: str = ""
    jabatan: str = ""


class Target(Model):
    min: str = ""
    max: str = ""
    satuan: str = ""


class IndikatorRencana(Model):
    id: uuid.UUID
    rhk_id: uuid.UUID
    teks: str = ""
    aspek: int = 0
    perspektif: int = 0
    target: Target = Field(default_factory=Target)


class RhkRencana(Model):
    id: uuid.UUID
    jenis: int = 0
    teks: str = ""
    indikator: list[IndikatorRencana] = Field(default_factory=list)
    # The periode ids this RHK has rencana aksi in (003: every RHK plans each periodic periode).
    rencana_aksi_periode_ids: list[uuid.UUID] = Field(default_factory=list)


class PerilakuRencana(Model):
    nilai: int
    nama: str = ""
    ekspektasi: str = ""
    penilai_jenis: int = 0
    penilai_pegawai_id: uuid.UUID | None = None
    penilai_nama: str = ""


class SkpRencana(Model):
    """One SKP as skp's last event said it is: the planned side of every penilaian of it."""

    id: uuid.UUID
    instansi_id: uuid.UUID
    pegawai_id: uuid.UUID
    unor_id: uuid.UUID
    plt_id: uuid.UUID | None = None
    tahun: int
    tanggal_mulai: date
    tanggal_selesai: date
    status: StatusSkp
    model: ModelSkp
    pendekatan: Pendekatan
    mandiri: bool = False
    # The JPT/mandiri unit of its unor (the unor itself until org's unor event says otherwise).
    unit_kerja_id: uuid.UUID
    pegawai: Pejabat = Field(default_factory=Pejabat)
    penilai: Pejabat | None = None
    penilai_unor_id: uuid.UUID | None = None
    atasan_penilai: Pejabat | None = None
    rhk: list[RhkRencana] = Field(default_factory=list)
    perilaku: list[PerilakuRencana] = Field(default_factory=list)
    version: int = 0
    deleted: bool = False

    @property
    def pimpinan_unit_kerja(self) -> bool:
        """The pegawai heads the unit kerja: its capaian is their rating hasil kerja."""
        return self.mandiri or (self.model == ModelSkp.JPT and self.unor_id == self.unit_kerja_id)

    def indikator(self, indikator_id: uuid.UUID) -> tuple[RhkRencana, IndikatorRencana] | None:
        for rhk in self.rhk:
            for indikator in rhk.indikator:
                if indikator.id == indikator_id:
                    return rhk, indikator
        return None

    def semua_indikator(self) -> list[tuple[RhkRencana, IndikatorRencana]]:
        return [(rhk, i) for rhk in self.rhk for i in rhk.indikator]

    def perilaku_of(self, nilai: int) -> PerilakuRencana | None:
        return next((p for p in self.perilaku if p.nilai == nilai), None)


def _day(year: int, mm_dd: str) -> date:
    month, day = (int(part) for part in mm_dd.split("-"))
    if month == 2 and day == 29:
        try:
            return date(year, 2, 29)
        except ValueError:  # a 29 February periode in a common year ends on the 28th
            return date(year, 2, 28)
    return date(year, month, day)


class Periode(Model):
    """A periode penilaian as skp last said it is: days of any year (mm-dd)."""

    id: uuid.UUID
    instansi_id: uuid.UUID
    nama: str
    mulai: str
    selesai: str
    batas_pengisian: str
    jenis: JenisPeriode
    version: int = 0
    deleted: bool = False

    def days(self, year: int) -> tuple[date, date]:
        return _day(year, self.mulai), _day(year, self.selesai)

    def batas(self, year: int) -> date:
        """The batas pengisian of the periode in `year`: a day earlier in the year than its end (e.g.
        01-10 for a periode ending 12-31) is in the next year."""
        return _day(year + 1 if self.batas_pengisian < self.selesai else year, self.batas_pengisian)


class Unor(Model):
    """A unor as org last said it is."""

    id: uuid.UUID
    instansi_id: uuid.UUID
    nama: str = ""
    parent_id: uuid.UUID | None = None
    jenis: int = 0
    mandiri: bool = False
    induk_id: uuid.UUID | None = None
    version: int = 0
    deleted: bool = False

    @property
    def unit_kerja_id(self) -> uuid.UUID:
        return self.induk_id or self.id

    @property
    def is_unit_kerja(self) -> bool:
        return self.induk_id is None or self.induk_id == self.id


class BuktiDukung(Model):
    id: uuid.UUID
    nama: str = ""
    url: str = ""


class Realisasi(Model):
    """The owner's realisasi of one indikator, and the pejabat penilai's umpan balik on it."""

    nilai: str = ""  # decimal text with a dot, as stored
    satuan: str = ""
    teks: str = ""
    keterangan: str = ""
    bukti_dukung: list[BuktiDukung] = Field(default_factory=list)
    diisi_at: datetime | None = None
    umpan_balik: str = ""
    umpan_balik_at: datetime | None = None


class CatatanPerilaku(Model):
    """The chosen penilai's feedback on one value and the pejabat penilai's umpan balik."""

    feedback: str = ""
    feedback_oleh: Pelaku | None = None
    feedback_at: datetime | None = None
    umpan_balik: str = ""
    umpan_balik_at: datetime | None = None


class Penjelasan(Model):
    """Why a predikat is what it is."""

    predikat: Predikat
    rating_hasil_kerja: Rating
    rating_perilaku_kerja: Rating
    aturan_versi: str
    aturan_berlaku_sejak: date
    aturan_sumber: str
    hasil_dari_capaian: bool = False
    capaian: Capaian | None = None
    capaian_unor_id: uuid.UUID | None = None
    dinilai_oleh: Pelaku
    dinilai_at: datetime
    keberatan_id: uuid.UUID | None = None
    uraian: str = ""


class PenilaianIsi(Model):
    """What assessment owns of a penilaian (the JSONB document)."""

    realisasi: dict[str, Realisasi] = Field(default_factory=dict)  # by indikator id
    perilaku: dict[str, CatatanPerilaku] = Field(default_factory=dict)  # by nilai (its number)
    penjelasan: Penjelasan | None = None


class Penilaian(Model):
    """One penilaian of one SKP for one periode: what assessment owns, with the SKP and periode as skp
    last said they are (loaded beside it, never stored with it)."""

    id: uuid.UUID
    instansi_id: uuid.UUID
    skp_id: uuid.UUID
    periode_id: uuid.UUID
    tahun: int
    pegawai_id: uuid.UUID
    status: StatusPenilaian = StatusPenilaian.DIBUKA
    rating_hasil_kerja: Rating | None = None
    rating_perilaku_kerja: Rating | None = None
    predikat: Predikat | None = None
    dinilai_at: datetime | None = None
    isi: PenilaianIsi = Field(default_factory=PenilaianIsi)
    version: int = 1
    created_at: datetime | None = None
    updated_at: datetime | None = None
    skp: SkpRencana
    periode: Periode
    # The latest admin extension that applies to this pegawai (None: the periode's own batas).
    batas_diperpanjang: date | None = None

    @property
    def unit_kerja_id(self) -> uuid.UUID:
        return self.skp.unit_kerja_id

    @property
    def penilai_pegawai_id(self) -> uuid.UUID | None:
        return self.skp.penilai.pegawai_id if self.skp.penilai else None

    @property
    def tanggal(self) -> tuple[date, date]:
        """The periode's days in the SKP's year, clipped to the SKP's dates."""
        mulai, selesai = self.periode.days(self.tahun)
        return max(mulai, self.skp.tanggal_mulai), min(selesai, self.skp.tanggal_selesai)

    @property
    def batas_default(self) -> date:
        return self.periode.batas(self.tahun)

    @property
    def batas(self) -> date:
        """The batas pengisian in force: the periode's, or a later admin extension."""
        if self.batas_diperpanjang is not None and self.batas_diperpanjang > self.batas_default:
            return self.batas_diperpanjang
        return self.batas_default

    @property
    def jumlah_bulan(self) -> int:
        """Calendar months the penilaian's days cover."""
        mulai, selesai = self.tanggal
        return max(0, (selesai.year - mulai.year) * 12 + selesai.month - mulai.month + 1)

    def realisasi_of(self, indikator_id: uuid.UUID) -> Realisasi:
        return self.isi.realisasi.setdefault(str(indikator_id), Realisasi())

    def catatan_of(self, nilai: int) -> CatatanPerilaku:
        return self.isi.perilaku.setdefault(str(nilai), CatatanPerilaku())

    def terisi(self, indikator_id: uuid.UUID) -> bool:
        found = self.isi.realisasi.get(str(indikator_id))
        return found is not None and found.diisi_at is not None
