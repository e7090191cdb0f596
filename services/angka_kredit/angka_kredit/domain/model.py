"""The PAK (pengajuan/penetapan angka kredit) aggregate, its workflow and its domain events (002 §2.6,
§2.14-2.15; the shared spec of the angka kredit service, issue 11).

Workflow: DRAFT → DIAJUKAN (ajukan: SK place and date, and the SK number in manual numbering) → DISETUJUI
(setujui: the automatic number is given here unless the PAK has one) → DITANDATANGANI (TTE, or an uploaded
wet-signed SK). The admin may return a DISETUJUI or DITANDATANGANI PAK to DRAFT with a reason: the signature
is voided (kept), the SK number is KEPT and reused at the next approval (no gaps), and figures waiting for
a new PAK (perlu_pak_baru) are applied then. A change of figures (a predikat changed by a keberatan, an
earlier PAK changed) is applied to a DRAFT/DIAJUKAN PAK; an approved or signed PAK is never changed
silently: it is marked perlu_pak_baru with the new figures kept pending.

The methods check the status and the inputs, change the PAK and return the event; they neither touch the
version nor authorise (the service layer does: `sentuh`, `periksa_versi`, who may act).
"""

from __future__ import annotations

import enum
import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from fractions import Fraction
from typing import Any

from angka_kredit.domain.aturan import AturanAngkaKredit, Predikat, aturan_pada
from angka_kredit.domain.errors import (
    AlasanTerlaluPanjang,
    AlasanWajib,
    BerkasBukanPdf,
    BerkasTerlaluBesar,
    NomorSkTerlaluPanjang,
    NomorSkTidakDiisiOtomatis,
    NomorSkWajib,
    StatusTidakSesuai,
    TanggalSkWajib,
    TeksTidakSah,
    TempatTerlaluPanjang,
    TempatWajib,
    VersiBerbeda,
)
from angka_kredit.domain.kumulatif import Kumulatif, PakRingkas, kumulatif_semua
from angka_kredit.domain.perhitungan import Perhitungan, hitung, jumlah_bulan
from kinerja_kit.errors import DomainError, InvalidArgument
from kinerja_kit.fields import clean

NOMOR_SK_MAX = 50  # "Maksimal 50 karakter" (002 §2.15)
TEMPAT_MAX = 100
ALASAN_MAX = 500
NAMA_BERKAS_MAX = 200
BERKAS_MAX = 1_048_576  # 1 MB
_SHA256 = re.compile(r"[0-9a-f]{64}")


class StatusPak(enum.IntEnum):
    """Values as kinerja.angka_kredit.v1.StatusPak."""

    DRAFT = 1
    DIAJUKAN = 2
    DISETUJUI = 3
    DITANDATANGANI = 4


class SumberPak(enum.IntEnum):
    KONVERSI = 1
    INTEGRASI = 2


class CaraTandaTangan(enum.IntEnum):
    TTE = 1
    BASAH = 2


class ModePenomoran(enum.IntEnum):
    OTOMATIS = 1
    MANUAL = 2


class Aksi(enum.StrEnum):
    """Langkah.aksi."""

    DIBUAT = "DIBUAT"
    DIHITUNG_ULANG = "DIHITUNG_ULANG"
    DIAJUKAN = "DIAJUKAN"
    DISETUJUI = "DISETUJUI"
    DITANDATANGANI = "DITANDATANGANI"
    DIKEMBALIKAN = "DIKEMBALIKAN"
    PERLU_PAK_BARU = "PERLU_PAK_BARU"


STATUS_LABEL = {
    StatusPak.DRAFT: "Draft",
    StatusPak.DIAJUKAN: "Diajukan",
    StatusPak.DISETUJUI: "Disetujui",
    StatusPak.DITANDATANGANI: "Ditandatangani",
}
ALASAN_AK_SEBELUMNYA = "AK PAK sebelumnya berubah"


def alasan_predikat_diubah(keberatan_id: uuid.UUID | str | None) -> str:
    """The reason of a recompute after a PredikatDitetapkan that changed the predikat (the keberatan's id
    as the event names it; empty or None: the pejabat penilai changed it)."""
    if keberatan_id:
        return f"Predikat diubah melalui keberatan {keberatan_id} yang disetujui"
    return "Predikat diubah oleh pejabat penilai"


# --- values -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Pelaku:
    """Who did something (kinerja.assessment.v1.Pelaku); None where the platform did (an event)."""

    pegawai_id: uuid.UUID | None = None
    nip: str = ""
    nama: str = ""
    jabatan: str = ""


@dataclass(frozen=True)
class Langkah:
    aksi: Aksi
    status_sebelum: StatusPak | None  # None for DIBUAT
    status_sesudah: StatusPak
    oleh: Pelaku | None
    at: datetime
    alasan: str = ""


@dataclass(frozen=True)
class Perubahan:
    """A change of the AK after the PAK was made; diterapkan False: kept pending (perlu_pak_baru)."""

    at: datetime
    alasan: str
    keberatan_id: uuid.UUID | None
    predikat_sebelum: Predikat | None
    predikat_sesudah: Predikat | None
    ak_sebelum: Fraction
    ak_sesudah: Fraction
    diterapkan: bool


@dataclass(frozen=True)
class TandaTangan:
    cara: CaraTandaTangan
    oleh: Pelaku | None
    at: datetime
    sha256: str
    nama_berkas: str = ""
    ukuran: int = 0
    # Set when the PAK was returned to draft: the signature is void, kept for the record.
    dibatalkan_at: datetime | None = None
    dibatalkan_alasan: str = ""


@dataclass(frozen=True)
class Angka:
    """The figures of a PAK: kept pending while an approved/signed PAK waits for a new one."""

    perhitungan: Perhitungan | None
    angka_kredit: Fraction
    kenaikan_pangkat: Kumulatif | None
    kenaikan_jenjang: Kumulatif | None


# --- events -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PakDibuat:
    pak: Pak


@dataclass(frozen=True)
class PakDihitungUlang:
    pak: Pak
    perubahan: Perubahan | None  # None when only the cumulative figures changed


@dataclass(frozen=True)
class PakDiajukan:
    pak: Pak


@dataclass(frozen=True)
class PakDisetujui:
    pak: Pak


@dataclass(frozen=True)
class PakSigned:
    pak: Pak


@dataclass(frozen=True)
class PakDikembalikan:
    pak: Pak
    alasan: str


@dataclass(frozen=True)
class PakPerluDiperbarui:
    pak: Pak
    alasan: str


Event = (
    PakDibuat
    | PakDihitungUlang
    | PakDiajukan
    | PakDisetujui
    | PakSigned
    | PakDikembalikan
    | PakPerluDiperbarui
)


# --- input checks -----------------------------------------------------------------------------------


def _text(value: str | None, path: str, label: str) -> str:
    cleaned = clean(value or "")
    if cleaned is None:
        raise TeksTidakSah(path, label)
    return cleaned


def _raise_all(errors: list[DomainError]) -> None:
    """One refusal as itself; several as one InvalidArgument with every violation."""
    if len(errors) == 1:
        raise errors[0]
    if errors:
        violations = [v for e in errors for v in e.violations]
        raise InvalidArgument(violations, violations[0].message)


def alasan_wajib(alasan: str | None) -> str:
    """A required reason: 1-500 characters after normalisation (ALASAN_WAJIB, ALASAN_TERLALU_PANJANG)."""
    text = _text(alasan, "alasan", "Alasan")
    if not text:
        raise AlasanWajib()
    if len(text) > ALASAN_MAX:
        raise AlasanTerlaluPanjang(ALASAN_MAX)
    return text


def nomor_sk_manual(nomor: str | None) -> str:
    """A manual SK number: 1-50 characters after normalisation."""
    text = _text(nomor, "nomor_sk", "Nomor SK PAK")
    if not text:
        raise NomorSkWajib()
    if len(text) > NOMOR_SK_MAX:
        raise NomorSkTerlaluPanjang(NOMOR_SK_MAX)
    return text


def periksa_berkas_sk(isi: bytes) -> None:
    """The signed SK must be a PDF (starts with %PDF-, %%EOF near its end) of at most 1 MB."""
    if len(isi) > BERKAS_MAX:
        raise BerkasTerlaluBesar()
    if not isi.startswith(b"%PDF-") or b"%%EOF" not in isi[-1024:]:
        raise BerkasBukanPdf()


def hitung_konversi(
    *,
    tanggal_mulai: date,
    tanggal_selesai: date,
    bulan_periode: int,
    tmt_jabatan: date | None,
    predikat: Predikat | int,
    jenjang: str,
    aturan: AturanAngkaKredit | None = None,
) -> Perhitungan:
    """The perhitungan of a konversi PAK: the months assessed (counted from the TMT jabatan when it falls
    inside the periode) and the AK of the predikat, by the rule in force on tanggal_selesai (unknown
    jenjang: JENJANG_TIDAK_DIKENAL). `Pak.konversi` makes a PAK with it, `hitung_ulang` recomputes one."""
    rule = aturan or aturan_pada(tanggal_selesai)
    found = rule.jenjang_of(jenjang)
    bulan, uraian = jumlah_bulan(
        tanggal_mulai, tanggal_selesai, bulan_periode, tmt_jabatan, rule.cara_hitung_bulan
    )
    return hitung(bulan, predikat, found.nama, rule, uraian)


# --- the aggregate ----------------------------------------------------------------------------------


@dataclass
class Pak:
    id: uuid.UUID
    instansi_id: uuid.UUID
    sumber: SumberPak
    tahun: int
    pegawai_id: uuid.UUID
    nip: str
    nama: str
    jabatan: str
    jenjang: str
    golongan: str
    tanggal_mulai: date
    tanggal_selesai: date
    angka_kredit: Fraction
    status: StatusPak = StatusPak.DRAFT
    tmt_jabatan: date | None = None
    # Konversi: where the predikat came from, and how the AK was obtained.
    skp_id: uuid.UUID | None = None
    periode_id: uuid.UUID | None = None
    penilaian_id: uuid.UUID | None = None
    perhitungan: Perhitungan | None = None
    # Integrasi: the source document and a note.
    dokumen_sumber: str = ""
    keterangan: str = ""
    kenaikan_pangkat: Kumulatif | None = None
    kenaikan_jenjang: Kumulatif | None = None
    # The pejabat penilai when the PAK was made (the PERSETUJUAN list); authority is judged on the day.
    penilai_id: uuid.UUID | None = None
    # The rest of the pegawai's snapshot (skp.v1.Pejabat).
    pangkat: str = ""
    unor_id: uuid.UUID | None = None
    unor_nama: str = ""
    nomor_sk: str | None = None
    tempat: str = ""
    tanggal_sk: date | None = None
    tanda_tangan: TandaTangan | None = None
    tanda_tangan_batal: list[TandaTangan] = field(default_factory=list)
    perlu_pak_baru: bool = False
    perlu_pak_baru_alasan: str = ""
    tertunda: Angka | None = None
    perubahan: list[Perubahan] = field(default_factory=list)
    riwayat: list[Langkah] = field(default_factory=list)
    version: int = 1
    created_at: datetime | None = None
    updated_at: datetime | None = None

    # --- making -------------------------------------------------------------------------------------

    @classmethod
    def konversi(
        cls,
        *,
        id: uuid.UUID,
        instansi_id: uuid.UUID,
        tahun: int,
        pegawai_id: uuid.UUID,
        nip: str,
        nama: str,
        jabatan: str,
        jenjang: str,
        golongan: str,
        tmt_jabatan: date | None,
        skp_id: uuid.UUID,
        periode_id: uuid.UUID,
        penilaian_id: uuid.UUID,
        tanggal_mulai: date,
        tanggal_selesai: date,
        bulan_periode: int,
        predikat: Predikat | int,
        at: datetime,
        penilai_id: uuid.UUID | None = None,
        aturan: AturanAngkaKredit | None = None,
        **snapshot: Any,
    ) -> tuple[Pak, PakDibuat]:
        """A konversi PAK in DRAFT from a final predikat, by the rule in force on tanggal_selesai; the
        kumulatif is set after (`tetapkan_kumulatif`, over the pegawai's PAKs with this one)."""
        perhitungan = hitung_konversi(
            tanggal_mulai=tanggal_mulai,
            tanggal_selesai=tanggal_selesai,
            bulan_periode=bulan_periode,
            tmt_jabatan=tmt_jabatan,
            predikat=predikat,
            jenjang=jenjang,
            aturan=aturan,
        )
        pak = cls(
            id=id,
            instansi_id=instansi_id,
            sumber=SumberPak.KONVERSI,
            tahun=tahun,
            pegawai_id=pegawai_id,
            nip=nip,
            nama=nama,
            jabatan=jabatan,
            jenjang=perhitungan.jenjang,
            golongan=golongan,
            tanggal_mulai=tanggal_mulai,
            tanggal_selesai=tanggal_selesai,
            angka_kredit=perhitungan.angka_kredit,
            tmt_jabatan=tmt_jabatan,
            skp_id=skp_id,
            periode_id=periode_id,
            penilaian_id=penilaian_id,
            perhitungan=perhitungan,
            penilai_id=penilai_id,
            created_at=at,
            updated_at=at,
            **snapshot,
        )
        pak._langkah(Aksi.DIBUAT, None, None, at)
        return pak, PakDibuat(pak)

    @classmethod
    def integrasi(
        cls,
        *,
        id: uuid.UUID,
        instansi_id: uuid.UUID,
        tahun: int,
        pegawai_id: uuid.UUID,
        nip: str,
        nama: str,
        jabatan: str,
        jenjang: str,
        golongan: str,
        angka_kredit: Fraction,
        dokumen_sumber: str,
        keterangan: str,
        oleh: Pelaku | None,
        at: datetime,
        tmt_jabatan: date | None = None,
        penilai_id: uuid.UUID | None = None,
        aturan: AturanAngkaKredit | None = None,
        **snapshot: Any,
    ) -> tuple[Pak, PakDibuat]:
        """An integrasi PAK in DRAFT: AK carried over (> 0, validated at the edge with kit numbers), counted
        as of tahun-12-31. The jenjang must be known (JENJANG_TIDAK_DIKENAL)."""
        if angka_kredit <= 0:
            raise ValueError("angka kredit integrasi harus lebih dari 0")
        selesai = date(tahun, 12, 31)
        found = (aturan or aturan_pada(selesai)).jenjang_of(jenjang)
        pak = cls(
            id=id,
            instansi_id=instansi_id,
            sumber=SumberPak.INTEGRASI,
            tahun=tahun,
            pegawai_id=pegawai_id,
            nip=nip,
            nama=nama,
            jabatan=jabatan,
            jenjang=found.nama,
            golongan=golongan,
            tanggal_mulai=date(tahun, 1, 1),
            tanggal_selesai=selesai,
            angka_kredit=Fraction(angka_kredit),
            tmt_jabatan=tmt_jabatan,
            dokumen_sumber=dokumen_sumber,
            keterangan=keterangan,
            penilai_id=penilai_id,
            created_at=at,
            updated_at=at,
            **snapshot,
        )
        pak._langkah(Aksi.DIBUAT, None, oleh, at)
        return pak, PakDibuat(pak)

    # --- reading ------------------------------------------------------------------------------------

    @property
    def predikat(self) -> Predikat | None:
        return self.perhitungan.predikat if self.perhitungan else None

    @property
    def angka(self) -> Angka:
        return Angka(self.perhitungan, self.angka_kredit, self.kenaikan_pangkat, self.kenaikan_jenjang)

    @property
    def angka_efektif(self) -> Angka:
        """The figures that count for the PAKs after this one: the pending ones, else its own."""
        return self.tertunda or self.angka

    @property
    def ak_efektif(self) -> Fraction:
        return self.angka_efektif.angka_kredit

    @property
    def tahun_sk(self) -> int:
        """The year the SK number is unique in: the year of tanggal_sk, else the PAK's year."""
        return self.tanggal_sk.year if self.tanggal_sk else self.tahun

    @property
    def perlu_nomor_otomatis(self) -> bool:
        """True when the approval needs a number drawn in automatic numbering: the PAK is DIAJUKAN (the
        only status setujui accepts) and has none (a number kept from an earlier approval is reused)."""
        return self.status == StatusPak.DIAJUKAN and self.nomor_sk is None

    def ringkas(self) -> PakRingkas:
        """This PAK for the cumulative figures (with its effective AK)."""
        assert self.created_at is not None, "created_at is set when a PAK is made or loaded"
        return PakRingkas(
            self.id, self.jenjang, self.golongan, self.tanggal_selesai, self.created_at, self.ak_efektif
        )

    def periksa_versi(self, expected: int) -> None:
        """VERSION_CONFLICT when `expected` (0: no check) is not the PAK's version."""
        if expected and expected != self.version:
            raise VersiBerbeda()

    def sentuh(self, now: datetime) -> None:
        """A change: the next version."""
        self.version += 1
        self.updated_at = now

    # --- workflow -----------------------------------------------------------------------------------

    def _require(self, *allowed: StatusPak) -> None:
        if self.status not in allowed:
            raise StatusTidakSesuai(self.status, allowed)

    def _langkah(
        self,
        aksi: Aksi,
        sebelum: StatusPak | None,
        oleh: Pelaku | None,
        at: datetime,
        alasan: str = "",
    ) -> None:
        self.riwayat.append(Langkah(aksi, sebelum, self.status, oleh, at, alasan))

    def tetapkan_kumulatif(self, kenaikan_pangkat: Kumulatif, kenaikan_jenjang: Kumulatif) -> None:
        """The cumulative figures of a PAK being made (no step of its own: part of DIBUAT)."""
        self.kenaikan_pangkat, self.kenaikan_jenjang = kenaikan_pangkat, kenaikan_jenjang

    def ajukan(
        self,
        *,
        mode: ModePenomoran,
        nomor_sk: str | None,
        tempat: str | None,
        tanggal_sk: date | None,
        oleh: Pelaku | None,
        at: datetime,
        tempat_baku: str = "",
        penilai_id: uuid.UUID | None = None,
    ) -> PakDiajukan:
        """DRAFT → DIAJUKAN. Manual numbering: nomor_sk required (1-50 characters); automatic: refused (a
        number kept from an earlier approval stays). tempat: 1-100 characters (default `tempat_baku`, the
        instansi's); tanggal_sk required. Uniqueness of the number is the repository's (NOMOR_SK_TERPAKAI).
        `penilai_id`: the pejabat penilai on the day of submission, when known, becomes the snapshot the
        PERSETUJUAN list reads (authority itself is judged on the day of each action)."""
        self._require(StatusPak.DRAFT)
        errors: list[DomainError] = []
        nomor: str | None = self.nomor_sk
        try:
            if mode == ModePenomoran.MANUAL:
                nomor = nomor_sk_manual(nomor_sk)
            elif _text(nomor_sk, "nomor_sk", "Nomor SK PAK"):
                raise NomorSkTidakDiisiOtomatis()
        except DomainError as error:
            errors.append(error)
        place = ""
        try:
            place = _text(tempat, "tempat", "Tempat/lokasi penandatangan") or _text(
                tempat_baku, "tempat", "Tempat/lokasi penandatangan"
            )
            if not place:
                raise TempatWajib()
            if len(place) > TEMPAT_MAX:
                raise TempatTerlaluPanjang(TEMPAT_MAX)
        except DomainError as error:
            errors.append(error)
        if tanggal_sk is None:
            errors.append(TanggalSkWajib())
        _raise_all(errors)
        sebelum = self.status
        self.nomor_sk, self.tempat, self.tanggal_sk = nomor, place, tanggal_sk
        self.penilai_id = penilai_id or self.penilai_id
        self.status = StatusPak.DIAJUKAN
        self._langkah(Aksi.DIAJUKAN, sebelum, oleh, at)
        return PakDiajukan(self)

    def setujui(
        self, *, oleh: Pelaku | None, at: datetime, nomor_otomatis: str | None = None
    ) -> PakDisetujui:
        """DIAJUKAN → DISETUJUI. Automatic numbering: the service draws `nomor_otomatis` (penomoran.render)
        only when `perlu_nomor_otomatis`; a PAK keeps the number it has."""
        self._require(StatusPak.DIAJUKAN)
        if nomor_otomatis is not None:
            if self.nomor_sk is not None:
                raise ValueError("PAK ini sudah bernomor: nomornya dipakai lagi, jangan mengambil nomor baru")
            self.nomor_sk = nomor_otomatis
        if self.nomor_sk is None:
            raise ValueError("PAK disetujui tanpa nomor SK: ambil nomor otomatis lebih dulu")
        sebelum = self.status
        self.status = StatusPak.DISETUJUI
        self._langkah(Aksi.DISETUJUI, sebelum, oleh, at)
        return PakDisetujui(self)

    def tandatangani_tte(self, *, sha256: str, oleh: Pelaku | None, at: datetime) -> PakSigned:
        """DISETUJUI → DITANDATANGANI by TTE: `sha256` (hex) of the PAK's canonical content."""
        self._require(StatusPak.DISETUJUI)
        if not _SHA256.fullmatch(sha256):
            raise ValueError("sha256 harus 64 digit heksadesimal huruf kecil")
        return self._signed(TandaTangan(CaraTandaTangan.TTE, oleh, at, sha256), oleh, at)

    def unggah_sk(
        self, *, sha256: str, nama: str, ukuran: int, oleh: Pelaku | None, at: datetime
    ) -> PakSigned:
        """DISETUJUI → DITANDATANGANI by an uploaded wet-signed SK (checked with `periksa_berkas_sk`)."""
        self._require(StatusPak.DISETUJUI)
        if ukuran > BERKAS_MAX:
            raise BerkasTerlaluBesar()
        if not _SHA256.fullmatch(sha256):
            raise ValueError("sha256 harus 64 digit heksadesimal huruf kecil")
        name = _text(nama, "nama_berkas", "Nama berkas")[:NAMA_BERKAS_MAX] or "SK-PAK.pdf"
        signature = TandaTangan(CaraTandaTangan.BASAH, oleh, at, sha256, name, ukuran)
        return self._signed(signature, oleh, at)

    def _signed(self, signature: TandaTangan, oleh: Pelaku | None, at: datetime) -> PakSigned:
        sebelum = self.status
        self.tanda_tangan = signature
        self.status = StatusPak.DITANDATANGANI
        self._langkah(Aksi.DITANDATANGANI, sebelum, oleh, at)
        return PakSigned(self)

    def kembalikan_ke_draft(
        self, *, alasan: str | None, oleh: Pelaku | None, at: datetime
    ) -> PakDikembalikan:
        """DISETUJUI/DITANDATANGANI → DRAFT (admin) with a reason: the signature voided and kept, the SK
        number kept, pending figures applied (the Perubahan that waited for them become diterapkan=True,
        a DIHITUNG_ULANG step, the flag cleared)."""
        self._require(StatusPak.DISETUJUI, StatusPak.DITANDATANGANI)
        reason = alasan_wajib(alasan)
        sebelum = self.status
        if self.tanda_tangan is not None:
            self.tanda_tangan_batal.append(
                replace(self.tanda_tangan, dibatalkan_at=at, dibatalkan_alasan=reason)
            )
            self.tanda_tangan = None
        self.status = StatusPak.DRAFT
        self._langkah(Aksi.DIKEMBALIKAN, sebelum, oleh, at, reason)
        if self.tertunda is not None:
            # The changes recorded while approved (each with its reason and keberatan) now hold.
            self.perubahan = [p if p.diterapkan else replace(p, diterapkan=True) for p in self.perubahan]
            self._terapkan(self.tertunda)
            self.tertunda = None
            self._langkah(Aksi.DIHITUNG_ULANG, StatusPak.DRAFT, oleh, at, self.perlu_pak_baru_alasan)
        self.perlu_pak_baru, self.perlu_pak_baru_alasan = False, ""
        return PakDikembalikan(self, reason)

    def _terapkan(self, angka: Angka) -> None:
        self.perhitungan = angka.perhitungan
        self.angka_kredit = angka.angka_kredit
        self.kenaikan_pangkat = angka.kenaikan_pangkat
        self.kenaikan_jenjang = angka.kenaikan_jenjang

    def tandai_perlu_pak_baru(self, alasan: str, *, oleh: Pelaku | None, at: datetime) -> PakPerluDiperbarui:
        """Marks an approved/signed PAK as needing a new one (figures unchanged)."""
        self._require(StatusPak.DISETUJUI, StatusPak.DITANDATANGANI)
        reason = alasan_wajib(alasan)
        self.perlu_pak_baru, self.perlu_pak_baru_alasan = True, reason
        self._langkah(Aksi.PERLU_PAK_BARU, self.status, oleh, at, reason)
        return PakPerluDiperbarui(self, reason)

    def hitung_ulang(
        self,
        perhitungan_baru: Perhitungan,
        *,
        alasan: str,
        keberatan_id: uuid.UUID | None,
        at: datetime,
        oleh: Pelaku | None = None,
    ) -> PakDihitungUlang | PakPerluDiperbarui | None:
        """The predikat of a konversi PAK changed. DRAFT/DIAJUKAN: figures replaced (its own kumulatif
        follows; Perubahan diterapkan=True; the status stays). DISETUJUI/DITANDATANGANI: figures kept,
        the new ones pending, perlu_pak_baru set (Perubahan diterapkan=False). Nothing (None) when the
        effective figures already are these (a repeated event)."""
        if self.sumber != SumberPak.KONVERSI:
            raise ValueError("hanya PAK konversi yang dihitung dari predikat")
        reason = alasan_wajib(alasan)
        now = self.angka_efektif
        if now.perhitungan == perhitungan_baru:
            return None
        ak = perhitungan_baru.angka_kredit
        baru = Angka(
            perhitungan_baru,
            ak,
            now.kenaikan_pangkat.dengan_diperoleh(ak) if now.kenaikan_pangkat else None,
            now.kenaikan_jenjang.dengan_diperoleh(ak) if now.kenaikan_jenjang else None,
        )
        terapkan = self.status in (StatusPak.DRAFT, StatusPak.DIAJUKAN)
        perubahan = Perubahan(
            at=at,
            alasan=reason,
            keberatan_id=keberatan_id,
            predikat_sebelum=now.perhitungan.predikat if now.perhitungan else None,
            predikat_sesudah=perhitungan_baru.predikat,
            ak_sebelum=now.angka_kredit,
            ak_sesudah=ak,
            diterapkan=terapkan,
        )
        self.perubahan.append(perubahan)
        return self._ganti(baru, reason, oleh, at, perubahan)

    def perbarui_kumulatif(
        self,
        kenaikan_pangkat: Kumulatif,
        kenaikan_jenjang: Kumulatif,
        *,
        at: datetime,
        alasan: str = ALASAN_AK_SEBELUMNYA,
        oleh: Pelaku | None = None,
    ) -> PakDihitungUlang | PakPerluDiperbarui | None:
        """An earlier PAK's AK changed: the cumulative figures of this one (computed with its effective AK)
        are replaced in DRAFT/DIAJUKAN, kept pending with perlu_pak_baru otherwise; None when unchanged."""
        now = self.angka_efektif
        if kenaikan_pangkat.diperoleh != now.angka_kredit or kenaikan_jenjang.diperoleh != now.angka_kredit:
            raise ValueError("kumulatif harus dihitung dengan AK efektif PAK ini")
        if (now.kenaikan_pangkat, now.kenaikan_jenjang) == (kenaikan_pangkat, kenaikan_jenjang):
            return None
        baru = replace(now, kenaikan_pangkat=kenaikan_pangkat, kenaikan_jenjang=kenaikan_jenjang)
        return self._ganti(baru, alasan_wajib(alasan), oleh, at, None)

    def _ganti(
        self, baru: Angka, alasan: str, oleh: Pelaku | None, at: datetime, perubahan: Perubahan | None
    ) -> PakDihitungUlang | PakPerluDiperbarui:
        if self.status in (StatusPak.DRAFT, StatusPak.DIAJUKAN):
            self._terapkan(baru)
            self._langkah(Aksi.DIHITUNG_ULANG, self.status, oleh, at, alasan)
            return PakDihitungUlang(self, perubahan)
        self.tertunda = baru
        self.perlu_pak_baru, self.perlu_pak_baru_alasan = True, alasan
        self._langkah(Aksi.PERLU_PAK_BARU, self.status, oleh, at, alasan)
        return PakPerluDiperbarui(self, alasan)


def kumulatif_berikutnya(
    paks: Sequence[Pak], pemicu: Pak, *, at: datetime, oleh: Pelaku | None = None
) -> list[PakDihitungUlang | PakPerluDiperbarui]:
    """The cumulative figures after `pemicu` (one of `paks`: every PAK of its pegawai) was made or its AK
    changed. A PAK being made (no kumulatif yet) gets its own (`tetapkan_kumulatif`, part of DIBUAT); each
    LATER PAK whose kumulatif moved gets them again (`perbarui_kumulatif`: updated in DRAFT/DIAJUKAN with
    "AK PAK sebelumnya berubah", kept pending with perlu_pak_baru once approved or signed). Effective AKs
    count (pending figures included). Returns the events of the later PAKs that changed (to be saved)."""
    if not any(p is pemicu for p in paks):
        raise ValueError("pemicu harus salah satu PAK pegawai itu")
    ringkas = {p.id: p.ringkas() for p in paks}
    semua = kumulatif_semua(list(ringkas.values()))
    if pemicu.kenaikan_pangkat is None or pemicu.kenaikan_jenjang is None:
        pemicu.tetapkan_kumulatif(*semua[pemicu.id])
    events: list[PakDihitungUlang | PakPerluDiperbarui] = []
    for pak in sorted(paks, key=lambda p: ringkas[p.id].urutan):
        if ringkas[pak.id].urutan <= ringkas[pemicu.id].urutan:
            continue
        event = pak.perbarui_kumulatif(*semua[pak.id], at=at, oleh=oleh)
        if event is not None:
            events.append(event)
    return events


# --- the stored document ----------------------------------------------------------------------------
# What the `pak` table keeps outside its columns, as JSON (figures as exact fractions "175/16").

DOKUMEN_KEYS = (
    "perhitungan",
    "kenaikan_pangkat",
    "kenaikan_jenjang",
    "dokumen_sumber",
    "keterangan",
    "pangkat",
    "unor_id",
    "unor_nama",
    "tanda_tangan",
    "tanda_tangan_batal",
    "perlu_pak_baru_alasan",
    "tertunda",
    "perubahan",
    "riwayat",
)


def _f(value: Fraction) -> str:
    return str(value.numerator) if value.denominator == 1 else f"{value.numerator}/{value.denominator}"


def _opt(value: Any, fn: Any) -> Any:
    return None if value is None else fn(value)


def _pelaku_json(p: Pelaku | None) -> dict[str, Any] | None:
    if p is None:
        return None
    return {"pegawai_id": _opt(p.pegawai_id, str), "nip": p.nip, "nama": p.nama, "jabatan": p.jabatan}


def _pelaku(d: dict[str, Any] | None) -> Pelaku | None:
    if d is None:
        return None
    return Pelaku(
        _opt(d.get("pegawai_id"), uuid.UUID), d.get("nip", ""), d.get("nama", ""), d.get("jabatan", "")
    )


def _perhitungan_json(p: Perhitungan) -> dict[str, Any]:
    return {
        "predikat": int(p.predikat),
        "jenjang": p.jenjang,
        "jumlah_bulan": p.jumlah_bulan,
        "uraian_bulan": p.uraian_bulan,
        "persentase": _f(p.persentase),
        "koefisien": _f(p.koefisien),
        "angka_kredit": _f(p.angka_kredit),
        "rumus": p.rumus,
        "aturan_versi": p.aturan_versi,
        "aturan_berlaku_sejak": p.aturan_berlaku_sejak.isoformat(),
        "aturan_sumber": p.aturan_sumber,
    }


def _perhitungan(d: dict[str, Any]) -> Perhitungan:
    return Perhitungan(
        predikat=Predikat(d["predikat"]),
        jenjang=d["jenjang"],
        jumlah_bulan=d["jumlah_bulan"],
        uraian_bulan=d["uraian_bulan"],
        persentase=Fraction(d["persentase"]),
        koefisien=Fraction(d["koefisien"]),
        angka_kredit=Fraction(d["angka_kredit"]),
        rumus=d["rumus"],
        aturan_versi=d["aturan_versi"],
        aturan_berlaku_sejak=date.fromisoformat(d["aturan_berlaku_sejak"]),
        aturan_sumber=d["aturan_sumber"],
    )


def _kumulatif_json(k: Kumulatif) -> dict[str, Any]:
    return {
        "lama": _f(k.lama),
        "diperoleh": _f(k.diperoleh),
        "baru": _f(k.baru),
        "kebutuhan": _opt(k.kebutuhan, _f),
        "terpenuhi": k.terpenuhi,
        "kekurangan": _f(k.kekurangan),
        "uraian": k.uraian,
        "kenaikan": k.kenaikan,
    }


def _kumulatif(d: dict[str, Any]) -> Kumulatif:
    return Kumulatif(
        lama=Fraction(d["lama"]),
        diperoleh=Fraction(d["diperoleh"]),
        baru=Fraction(d["baru"]),
        kebutuhan=_opt(d.get("kebutuhan"), Fraction),
        terpenuhi=d["terpenuhi"],
        kekurangan=Fraction(d["kekurangan"]),
        uraian=d["uraian"],
        kenaikan=d.get("kenaikan", "pangkat"),
    )


def _tanda_tangan_json(t: TandaTangan) -> dict[str, Any]:
    return {
        "cara": int(t.cara),
        "oleh": _pelaku_json(t.oleh),
        "at": t.at.isoformat(),
        "sha256": t.sha256,
        "nama_berkas": t.nama_berkas,
        "ukuran": t.ukuran,
        "dibatalkan_at": _opt(t.dibatalkan_at, datetime.isoformat),
        "dibatalkan_alasan": t.dibatalkan_alasan,
    }


def _tanda_tangan(d: dict[str, Any]) -> TandaTangan:
    return TandaTangan(
        cara=CaraTandaTangan(d["cara"]),
        oleh=_pelaku(d.get("oleh")),
        at=datetime.fromisoformat(d["at"]),
        sha256=d["sha256"],
        nama_berkas=d.get("nama_berkas", ""),
        ukuran=d.get("ukuran", 0),
        dibatalkan_at=_opt(d.get("dibatalkan_at"), datetime.fromisoformat),
        dibatalkan_alasan=d.get("dibatalkan_alasan", ""),
    )


def _angka_json(a: Angka) -> dict[str, Any]:
    return {
        "perhitungan": _opt(a.perhitungan, _perhitungan_json),
        "angka_kredit": _f(a.angka_kredit),
        "kenaikan_pangkat": _opt(a.kenaikan_pangkat, _kumulatif_json),
        "kenaikan_jenjang": _opt(a.kenaikan_jenjang, _kumulatif_json),
    }


def _angka(d: dict[str, Any]) -> Angka:
    return Angka(
        perhitungan=_opt(d.get("perhitungan"), _perhitungan),
        angka_kredit=Fraction(d["angka_kredit"]),
        kenaikan_pangkat=_opt(d.get("kenaikan_pangkat"), _kumulatif),
        kenaikan_jenjang=_opt(d.get("kenaikan_jenjang"), _kumulatif),
    )


def _perubahan_json(p: Perubahan) -> dict[str, Any]:
    return {
        "at": p.at.isoformat(),
        "alasan": p.alasan,
        "keberatan_id": _opt(p.keberatan_id, str),
        "predikat_sebelum": _opt(p.predikat_sebelum, int),
        "predikat_sesudah": _opt(p.predikat_sesudah, int),
        "ak_sebelum": _f(p.ak_sebelum),
        "ak_sesudah": _f(p.ak_sesudah),
        "diterapkan": p.diterapkan,
    }


def _perubahan(d: dict[str, Any]) -> Perubahan:
    return Perubahan(
        at=datetime.fromisoformat(d["at"]),
        alasan=d["alasan"],
        keberatan_id=_opt(d.get("keberatan_id"), uuid.UUID),
        predikat_sebelum=_opt(d.get("predikat_sebelum"), Predikat),
        predikat_sesudah=_opt(d.get("predikat_sesudah"), Predikat),
        ak_sebelum=Fraction(d["ak_sebelum"]),
        ak_sesudah=Fraction(d["ak_sesudah"]),
        diterapkan=d["diterapkan"],
    )


def _langkah_json(s: Langkah) -> dict[str, Any]:
    return {
        "aksi": str(s.aksi),
        "status_sebelum": _opt(s.status_sebelum, int),
        "status_sesudah": int(s.status_sesudah),
        "oleh": _pelaku_json(s.oleh),
        "at": s.at.isoformat(),
        "alasan": s.alasan,
    }


def _langkah(d: dict[str, Any]) -> Langkah:
    return Langkah(
        aksi=Aksi(d["aksi"]),
        status_sebelum=_opt(d.get("status_sebelum"), StatusPak),
        status_sesudah=StatusPak(d["status_sesudah"]),
        oleh=_pelaku(d.get("oleh")),
        at=datetime.fromisoformat(d["at"]),
        alasan=d.get("alasan", ""),
    )


def dokumen(pak: Pak) -> dict[str, Any]:
    """The JSON document of a PAK: everything of DOKUMEN_KEYS (the rest are the table's columns)."""
    return {
        "perhitungan": _opt(pak.perhitungan, _perhitungan_json),
        "kenaikan_pangkat": _opt(pak.kenaikan_pangkat, _kumulatif_json),
        "kenaikan_jenjang": _opt(pak.kenaikan_jenjang, _kumulatif_json),
        "dokumen_sumber": pak.dokumen_sumber,
        "keterangan": pak.keterangan,
        "pangkat": pak.pangkat,
        "unor_id": _opt(pak.unor_id, str),
        "unor_nama": pak.unor_nama,
        "tanda_tangan": _opt(pak.tanda_tangan, _tanda_tangan_json),
        "tanda_tangan_batal": [_tanda_tangan_json(t) for t in pak.tanda_tangan_batal],
        "perlu_pak_baru_alasan": pak.perlu_pak_baru_alasan,
        "tertunda": _opt(pak.tertunda, _angka_json),
        "perubahan": [_perubahan_json(p) for p in pak.perubahan],
        "riwayat": [_langkah_json(s) for s in pak.riwayat],
    }


def isi_dokumen(data: dict[str, Any]) -> dict[str, Any]:
    """The Pak fields of a stored document: `Pak(**columns, **isi_dokumen(row.dokumen))`."""
    return {
        "perhitungan": _opt(data.get("perhitungan"), _perhitungan),
        "kenaikan_pangkat": _opt(data.get("kenaikan_pangkat"), _kumulatif),
        "kenaikan_jenjang": _opt(data.get("kenaikan_jenjang"), _kumulatif),
        "dokumen_sumber": data.get("dokumen_sumber", ""),
        "keterangan": data.get("keterangan", ""),
        "pangkat": data.get("pangkat", ""),
        "unor_id": _opt(data.get("unor_id"), uuid.UUID),
        "unor_nama": data.get("unor_nama", ""),
        "tanda_tangan": _opt(data.get("tanda_tangan"), _tanda_tangan),
        "tanda_tangan_batal": [_tanda_tangan(t) for t in data.get("tanda_tangan_batal", [])],
        "perlu_pak_baru_alasan": data.get("perlu_pak_baru_alasan", ""),
        "tertunda": _opt(data.get("tertunda"), _angka),
        "perubahan": [_perubahan(p) for p in data.get("perubahan", [])],
        "riwayat": [_langkah(s) for s in data.get("riwayat", [])],
    }
