"""The rules of a penilaian: when it may be opened, realisasi, feedback, umpan balik, rating and predikat."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from urllib.parse import urlsplit

from assessment.domain.aturan import (
    Predikat,
    Rating,
    StatusPenilaian,
    predikat_for,
    rating_dari_capaian,
    uraian_predikat,
)
from assessment.domain.model import (
    BuktiDukung,
    JenisPeriode,
    Pelaku,
    Pendekatan,
    Penilaian,
    Penjelasan,
    Periode,
    SkpRencana,
    StatusSkp,
)
from assessment.domain.records import CapaianOrganisasi
from kinerja_kit import fields
from kinerja_kit.errors import (
    AlreadyExists,
    FailedPrecondition,
    FieldViolation,
    InvalidArgument,
    NotFound,
    PermissionDenied,
    Violations,
)
from kinerja_kit.numbers import DecimalSpec, decimal_text, parse

REALISASI = DecimalSpec("Realisasi", integer_digits=12, scale=4)
TEXT_MAX = 2000
SATUAN_MAX = 100
BUKTI_MAX = 10
NAMA_BUKTI_MAX = 255
URL_MAX = 2000

SKP_NOT_FOUND = (
    "SKP_NOT_FOUND",
    "SKP tidak ditemukan. Jika SKP baru saja disetujui, datanya mungkin masih dalam perjalanan: "
    "silakan coba lagi sebentar lagi.",
)
PENILAIAN_NOT_FOUND = ("PENILAIAN_NOT_FOUND", "Penilaian tidak ditemukan.")
PERIODE_NOT_FOUND = ("PERIODE_NOT_FOUND", "Periode penilaian tidak ditemukan.")


def kesiapan(skp: SkpRencana, periode: Periode) -> list[FieldViolation]:
    """Why an SKP cannot be assessed for a periode (skp's CheckKesiapanPenilaian rules), all at once."""
    gaps: list[FieldViolation] = []
    if skp.status != StatusSkp.DISETUJUI:
        gaps.append(FieldViolation("skp_id", "SKP_BELUM_DISETUJUI", "SKP belum disetujui pejabat penilai."))
    mulai, selesai = periode.days(skp.tahun)
    if mulai > skp.tanggal_selesai or selesai < skp.tanggal_mulai:
        gaps.append(
            FieldViolation(
                "periode_id", "PERIODE_DI_LUAR_SKP", f"Periode {periode.nama} berada di luar masa SKP."
            )
        )
    if periode.jenis == JenisPeriode.BIASA:
        for index, rhk in enumerate(skp.rhk):
            if periode.id not in rhk.rencana_aksi_periode_ids:
                gaps.append(
                    FieldViolation(
                        f"rhk[{index}].rencana_aksi",
                        "RHK_TANPA_RENCANA_AKSI",
                        f"RHK \u201c{rhk.teks[:80]}\u201d belum memiliki rencana aksi untuk periode {periode.nama}.",
                    )
                )
    return gaps


def open_penilaian(
    skp: SkpRencana,
    periode: Periode,
    *,
    pegawai_id: uuid.UUID,
    penilaian_id: uuid.UUID,
    exists: bool,
    now: datetime,
    batas_diperpanjang: date | None,
) -> Penilaian:
    """A new penilaian of the caller's own ready SKP for a periode."""
    if skp.pegawai_id != pegawai_id:
        raise PermissionDenied("BUKAN_PEMILIK_SKP", "Hanya pemilik SKP yang dapat membuka penilaiannya.")
    gaps = kesiapan(skp, periode)
    if gaps:
        raise FailedPrecondition("SKP_BELUM_SIAP", "SKP belum dapat dinilai untuk periode ini.", gaps)
    if exists:
        raise AlreadyExists("PENILAIAN_SUDAH_ADA", "Penilaian SKP ini untuk periode tersebut sudah dibuka.")
    return Penilaian(
        id=penilaian_id,
        instansi_id=skp.instansi_id,
        skp_id=skp.id,
        periode_id=periode.id,
        tahun=skp.tahun,
        pegawai_id=skp.pegawai_id,
        created_at=now,
        updated_at=now,
        skp=skp,
        periode=periode,
        batas_diperpanjang=batas_diperpanjang,
    )


def require_batas(penilaian: Penilaian, today: date) -> None:
    if today > penilaian.batas:
        raise FailedPrecondition(
            "LEWAT_BATAS_PENGISIAN",
            f"Batas pengisian periode {penilaian.periode.nama} adalah {penilaian.batas:%d-%m-%Y} dan telah "
            "lewat. Admin instansi dapat memperpanjang batas pengisian.",
        )


def require_dibuka(penilaian: Penilaian) -> None:
    if penilaian.status != StatusPenilaian.DIBUKA:
        raise FailedPrecondition("PENILAIAN_SUDAH_DINILAI", "Penilaian ini sudah dinilai.")


@dataclass(frozen=True)
class RealisasiInput:
    nilai: str = ""
    satuan: str = ""
    teks: str = ""
    keterangan: str = ""
    bukti_dukung: list[tuple[str, str]] = field(default_factory=list)


def http_url(violations: Violations, path: str, label: str, value: str, *, required: bool) -> str:
    """An http(s) link of at most URL_MAX characters ("" when refused or empty)."""
    cleaned = fields.text(violations, path, label, value, max_len=URL_MAX, required=required)
    if not cleaned:
        return ""
    try:
        parts = urlsplit(cleaned)
        valid = parts.scheme in ("http", "https") and bool(parts.hostname) and " " not in cleaned
    except ValueError:
        valid = False
    if not valid:
        violations.add(path, "INVALID_URL", f"{label} harus berupa tautan http:// atau https:// yang valid.")
        return ""
    return cleaned


def set_realisasi(
    penilaian: Penilaian,
    indikator_id: uuid.UUID,
    given: RealisasiInput,
    *,
    today: date,
    now: datetime,
    new_id: Callable[[], uuid.UUID],
) -> None:
    """The owner's realisasi of one indikator, validated as a whole (every bad field reported)."""
    require_dibuka(penilaian)
    found = penilaian.skp.indikator(indikator_id)
    if found is None:
        raise NotFound("INDIKATOR_NOT_FOUND", "Indikator tidak ditemukan pada SKP ini.")
    _, indikator = found
    require_batas(penilaian, today)
    violations = Violations()
    kuantitatif = penilaian.skp.pendekatan == Pendekatan.KUANTITATIF
    nilai = parse(violations, "realisasi.nilai", REALISASI, given.nilai)
    if kuantitatif and nilai is None and not given.nilai.strip():
        violations.add("realisasi.nilai", "REQUIRED", "Realisasi wajib diisi.")
    satuan = fields.text(violations, "realisasi.satuan", "Satuan", given.satuan, max_len=SATUAN_MAX)
    teks = fields.text(
        violations, "realisasi.teks", "Realisasi", given.teks, max_len=TEXT_MAX, required=not kuantitatif
    )
    keterangan = fields.text(
        violations, "realisasi.keterangan", "Keterangan", given.keterangan, max_len=TEXT_MAX
    )
    bukti: list[BuktiDukung] = []
    if len(given.bukti_dukung) > BUKTI_MAX:
        violations.add(
            "realisasi.bukti_dukung", "TOO_MANY", f"Paling banyak {BUKTI_MAX} bukti dukung per indikator."
        )
    else:
        for index, (nama, url) in enumerate(given.bukti_dukung):
            path = f"realisasi.bukti_dukung[{index}]"
            label = fields.text(
                violations, f"{path}.nama", "Nama bukti dukung", nama, max_len=NAMA_BUKTI_MAX, required=True
            )
            link = http_url(violations, f"{path}.url", "Tautan bukti dukung", url, required=True)
            bukti.append(BuktiDukung(id=new_id(), nama=label, url=link))
    violations.raise_if_any()
    realisasi = penilaian.realisasi_of(indikator_id)
    realisasi.nilai = decimal_text(nilai)
    realisasi.satuan = satuan or (indikator.target.satuan if kuantitatif else "")
    realisasi.teks = teks
    realisasi.keterangan = keterangan
    realisasi.bukti_dukung = bukti
    realisasi.diisi_at = now


def set_feedback(
    penilaian: Penilaian, nilai: int, oleh: Pelaku, feedback: str, *, today: date, now: datetime
) -> None:
    """A chosen penilai perilaku's feedback on a value assigned to them."""
    perilaku = penilaian.skp.perilaku_of(nilai)
    if (
        perilaku is None
        or perilaku.penilai_pegawai_id is None
        or perilaku.penilai_pegawai_id != oleh.pegawai_id
    ):
        raise PermissionDenied(
            "BUKAN_PENILAI_PERILAKU", "Anda bukan penilai perilaku yang dipilih untuk nilai ini."
        )
    require_dibuka(penilaian)
    require_batas(penilaian, today)
    violations = Violations()
    text = fields.text(violations, "feedback", "Feedback", feedback, max_len=TEXT_MAX, required=True)
    violations.raise_if_any()
    catatan = penilaian.catatan_of(nilai)
    catatan.feedback, catatan.feedback_oleh, catatan.feedback_at = text, oleh, now


def require_rerateable(penilaian: Penilaian, *, keberatan_ada: bool, capaian_final: bool) -> None:
    """A rated penilaian may be changed by its penilai until a keberatan exists or the capaian is final."""
    if penilaian.status == StatusPenilaian.DIBUKA:
        return
    if keberatan_ada:
        raise FailedPrecondition(
            "KEBERATAN_SUDAH_DIAJUKAN", "Penilaian ini sudah diajukan keberatan: nilainya tidak dapat diubah."
        )
    if capaian_final:
        raise FailedPrecondition(
            "CAPAIAN_SUDAH_FINAL",
            "Capaian kinerja organisasi unit kerja ini untuk periode tersebut sudah final: nilai tidak dapat "
            "diubah.",
        )


def set_umpan_balik(
    penilaian: Penilaian, indikator_id: uuid.UUID | None, nilai: int, teks: str, *, now: datetime
) -> None:
    """The pejabat penilai's umpan balik on one indikator or one perilaku value (exactly one)."""
    violations = Violations()
    if (indikator_id is None) == (nilai == 0):
        violations.add("indikator_id", "TARGET_REQUIRED", "Pilih tepat satu: indikator atau nilai perilaku.")
    text = fields.text(violations, "umpan_balik", "Umpan balik", teks, max_len=TEXT_MAX, required=True)
    violations.raise_if_any()
    if indikator_id is not None:
        if penilaian.skp.indikator(indikator_id) is None:
            raise NotFound("INDIKATOR_NOT_FOUND", "Indikator tidak ditemukan pada SKP ini.")
        realisasi = penilaian.realisasi_of(indikator_id)
        realisasi.umpan_balik, realisasi.umpan_balik_at = text, now
        return
    if penilaian.skp.perilaku_of(nilai) is None:
        raise NotFound("PERILAKU_NOT_FOUND", "Nilai perilaku tidak ditemukan pada SKP ini.")
    catatan = penilaian.catatan_of(nilai)
    catatan.umpan_balik, catatan.umpan_balik_at = text, now


def kekurangan(penilaian: Penilaian) -> list[FieldViolation]:
    """What is still missing before the pejabat penilai can rate: umpan balik on every indikator and
    perilaku value, and the feedback of every chosen penilai perilaku."""
    gaps: list[FieldViolation] = []
    for index, (_, indikator) in enumerate(penilaian.skp.semua_indikator()):
        found = penilaian.isi.realisasi.get(str(indikator.id))
        if found is None or not found.umpan_balik:
            gaps.append(
                FieldViolation(
                    f"realisasi[{index}].umpan_balik",
                    "UMPAN_BALIK_BELUM_ADA",
                    f"Umpan balik untuk indikator \u201c{indikator.teks[:80]}\u201d belum diberikan.",
                )
            )
    for index, perilaku in enumerate(penilaian.skp.perilaku):
        catatan = penilaian.isi.perilaku.get(str(perilaku.nilai))
        if perilaku.penilai_pegawai_id is not None and (catatan is None or not catatan.feedback):
            gaps.append(
                FieldViolation(
                    f"perilaku[{index}].feedback",
                    "FEEDBACK_PERILAKU_BELUM_ADA",
                    f"Feedback perilaku {perilaku.nama} dari {perilaku.penilai_nama or 'penilai'} belum ada.",
                )
            )
        if catatan is None or not catatan.umpan_balik:
            gaps.append(
                FieldViolation(
                    f"perilaku[{index}].umpan_balik",
                    "UMPAN_BALIK_BELUM_ADA",
                    f"Umpan balik untuk perilaku {perilaku.nama} belum diberikan.",
                )
            )
    return gaps


def ratings_asked(
    penilaian: Penilaian, hasil: Rating | None, perilaku: Rating | None, capaian: CapaianOrganisasi | None
) -> tuple[Rating, Rating, CapaianOrganisasi | None]:
    """The two ratings to apply: both given, or, for the head of a unit kerja, the hasil from the unit's
    capaian (a hasil sent for them is refused)."""
    violations = Violations()
    if perilaku is None:
        violations.add("rating_perilaku_kerja", "RATING_REQUIRED", "Rating perilaku kerja wajib dipilih.")
    if penilaian.skp.pimpinan_unit_kerja:
        if hasil is not None:
            violations.add(
                "rating_hasil_kerja",
                "RATING_DARI_CAPAIAN",
                "Rating hasil kerja pimpinan unit kerja berasal dari capaian kinerja organisasi.",
            )
    elif hasil is None:
        violations.add("rating_hasil_kerja", "RATING_REQUIRED", "Rating hasil kerja wajib dipilih.")
    violations.raise_if_any()
    assert perilaku is not None
    if not penilaian.skp.pimpinan_unit_kerja:
        assert hasil is not None
        return hasil, perilaku, None
    if capaian is None:
        raise FailedPrecondition(
            "CAPAIAN_BELUM_ADA",
            "Capaian kinerja organisasi unit kerja ini untuk periode tersebut belum ditetapkan admin: rating "
            "hasil kerja pimpinan unit kerja berasal darinya.",
        )
    return rating_dari_capaian(capaian.capaian, capaian_day(penilaian)), perilaku, capaian


def capaian_day(penilaian: Penilaian) -> date:
    """The day whose rule turns a capaian into a rating: the end of the penilaian's days."""
    return penilaian.tanggal[1]


def apply_ratings(
    penilaian: Penilaian,
    hasil: Rating,
    perilaku: Rating,
    *,
    capaian: CapaianOrganisasi | None,
    oleh: Pelaku,
    day: date,
    now: datetime,
    keberatan_id: uuid.UUID | None = None,
) -> Predikat | None:
    """Sets both ratings, the predikat by the matrix in force on `day` and its explanation; returns the
    predikat before."""
    predikat, matriks = predikat_for(hasil, perilaku, day)
    sebelumnya = penilaian.predikat
    penilaian.rating_hasil_kerja, penilaian.rating_perilaku_kerja = hasil, perilaku
    penilaian.predikat, penilaian.status, penilaian.dinilai_at = predikat, StatusPenilaian.DINILAI, now
    penilaian.isi.penjelasan = Penjelasan(
        predikat=predikat,
        rating_hasil_kerja=hasil,
        rating_perilaku_kerja=perilaku,
        aturan_versi=matriks.versi,
        aturan_berlaku_sejak=matriks.berlaku_sejak,
        aturan_sumber=matriks.sumber,
        hasil_dari_capaian=capaian is not None,
        capaian=capaian.capaian if capaian else None,
        capaian_unor_id=capaian.unor_id if capaian else None,
        dinilai_oleh=oleh,
        dinilai_at=now,
        keberatan_id=keberatan_id,
        uraian=uraian_predikat(predikat, hasil, perilaku, matriks, capaian.capaian if capaian else None),
    )
    return sebelumnya


def rate(
    penilaian: Penilaian,
    hasil: Rating | None,
    perilaku: Rating | None,
    *,
    capaian: CapaianOrganisasi | None,
    keberatan_ada: bool,
    oleh: Pelaku,
    day: date,
    now: datetime,
) -> Predikat | None:
    """The pejabat penilai's rating: refused until everything required is written."""
    require_rerateable(penilaian, keberatan_ada=keberatan_ada, capaian_final=bool(capaian and capaian.final))
    gaps = kekurangan(penilaian)
    if gaps:
        raise FailedPrecondition(
            "PENILAIAN_BELUM_LENGKAP", "Penilaian belum dapat diberikan: masih ada yang belum lengkap.", gaps
        )
    hasil, perilaku, dari_capaian = ratings_asked(penilaian, hasil, perilaku, capaian)
    return apply_ratings(penilaian, hasil, perilaku, capaian=dari_capaian, oleh=oleh, day=day, now=now)


def touch(penilaian: Penilaian, now: datetime) -> None:
    """A change: the next version."""
    penilaian.version += 1
    penilaian.updated_at = now


def rating_of(value: int, path: str) -> Rating | None:
    """A rating from the contract's number: 0 is none; anything else unknown is refused."""
    if value == 0:
        return None
    try:
        return Rating(value)
    except ValueError:
        raise InvalidArgument([FieldViolation(path, "INVALID_RATING", "Rating tidak dikenal.")]) from None
