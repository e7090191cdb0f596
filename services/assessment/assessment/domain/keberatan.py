"""The rules of a keberatan: filing within the window, the penilai's explanation, the atasan's decision."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from zoneinfo import ZoneInfo

from assessment.domain.aturan import Rating, StatusKeberatan, StatusPenilaian, batas_keberatan, predikat_for
from assessment.domain.model import Pelaku, Penilaian
from assessment.domain.penilaian import TEXT_MAX, apply_ratings
from assessment.domain.records import CapaianOrganisasi, Keberatan, NilaiKeberatan
from kinerja_kit import fields
from kinerja_kit.errors import AlreadyExists, FailedPrecondition, Violations

# The day a predikat was set, and so the keberatan window, is judged in Western Indonesia.
WIB = ZoneInfo("Asia/Jakarta")


def nilai_of(hasil: Rating, perilaku: Rating, day: date) -> NilaiKeberatan:
    return NilaiKeberatan(
        rating_hasil_kerja=hasil,
        rating_perilaku_kerja=perilaku,
        predikat=predikat_for(hasil, perilaku, day)[0],
    )


def _asked(
    penilaian: Penilaian, hasil: Rating | None, perilaku: Rating | None, path: str
) -> tuple[Rating, Rating]:
    """The ratings asked for (unspecified: unchanged); a unit head's hasil comes from capaian only."""
    assert penilaian.rating_hasil_kerja is not None and penilaian.rating_perilaku_kerja is not None
    if penilaian.skp.pimpinan_unit_kerja and hasil is not None and hasil != penilaian.rating_hasil_kerja:
        raise fields.refuse(
            f"{path}rating_hasil_kerja",
            "RATING_DARI_CAPAIAN",
            "Rating hasil kerja pimpinan unit kerja berasal dari capaian kinerja organisasi: hanya rating "
            "perilaku kerja yang dapat diajukan keberatan.",
        )
    return hasil or penilaian.rating_hasil_kerja, perilaku or penilaian.rating_perilaku_kerja


def file(
    penilaian: Penilaian,
    alasan: str,
    hasil: Rating | None,
    perilaku: Rating | None,
    *,
    sudah_ada: bool,
    keberatan_id: uuid.UUID,
    today: date,
    now: datetime,
) -> Keberatan:
    """The owner objects to their predikat; after the window it is kept as TERLAMBAT, nothing more."""
    if penilaian.status != StatusPenilaian.DINILAI or penilaian.dinilai_at is None:
        raise FailedPrecondition("PENILAIAN_BELUM_DINILAI", "Penilaian ini belum dinilai.")
    violations = Violations()
    reason = fields.text(violations, "alasan", "Alasan keberatan", alasan, max_len=TEXT_MAX, required=True)
    violations.raise_if_any()
    asked = _asked(penilaian, hasil, perilaku, "")
    current = (penilaian.rating_hasil_kerja, penilaian.rating_perilaku_kerja)
    if asked == current:
        raise fields.refuse(
            "rating_perilaku_kerja",
            "KEBERATAN_TANPA_PERUBAHAN",
            "Pilih rating yang Anda minta: paling sedikit satu harus berbeda dari rating saat ini.",
        )
    if sudah_ada:
        raise AlreadyExists("KEBERATAN_SUDAH_ADA", "Keberatan atas penilaian ini sedang diproses.")
    assert penilaian.rating_hasil_kerja is not None and penilaian.rating_perilaku_kerja is not None
    dinilai = penilaian.dinilai_at.astimezone(WIB).date()
    batas = batas_keberatan(dinilai)
    return Keberatan(
        id=keberatan_id,
        instansi_id=penilaian.instansi_id,
        penilaian_id=penilaian.id,
        skp_id=penilaian.skp_id,
        periode_id=penilaian.periode_id,
        tahun=penilaian.tahun,
        pegawai=penilaian.skp.pegawai,
        penilai=penilaian.skp.penilai,
        atasan_penilai=penilaian.skp.atasan_penilai,
        status=StatusKeberatan.DIAJUKAN if today <= batas else StatusKeberatan.TERLAMBAT,
        alasan=reason,
        sebelum=nilai_of(penilaian.rating_hasil_kerja, penilaian.rating_perilaku_kerja, today),
        diminta=nilai_of(asked[0], asked[1], today),
        diajukan_at=now,
        batas_pengajuan=batas,
        periode_nama=penilaian.periode.nama,
    )


def require_open(keberatan: Keberatan) -> None:
    if keberatan.status == StatusKeberatan.TERLAMBAT:
        raise FailedPrecondition(
            "KEBERATAN_TERLAMBAT",
            "Keberatan ini diajukan setelah batas waktu: tidak dapat dijawab atau diputuskan.",
        )
    if keberatan.status != StatusKeberatan.DIAJUKAN:
        raise FailedPrecondition("KEBERATAN_SUDAH_DIPUTUSKAN", "Keberatan ini sudah diputuskan.")


def explain(keberatan: Keberatan, penjelasan: str, oleh: Pelaku, now: datetime) -> None:
    """The pejabat penilai's explanation (may be rewritten until the decision)."""
    require_open(keberatan)
    violations = Violations()
    text = fields.text(violations, "penjelasan", "Penjelasan", penjelasan, max_len=TEXT_MAX, required=True)
    violations.raise_if_any()
    keberatan.penjelasan_penilai, keberatan.dijelaskan_oleh, keberatan.dijelaskan_at = text, oleh, now
    keberatan.version += 1


def decide(
    keberatan: Keberatan,
    penilaian: Penilaian,
    *,
    disetujui: bool,
    keputusan: str,
    hasil: Rating | None,
    perilaku: Rating | None,
    capaian: CapaianOrganisasi | None,
    oleh: Pelaku,
    day: date,
    now: datetime,
) -> bool:
    """The atasan pejabat penilai's decision, after the explanation; approving sets new ratings (default:
    those asked) and so a new predikat with a new explanation. Returns whether the predikat changed."""
    require_open(keberatan)
    if keberatan.dijelaskan_at is None:
        raise FailedPrecondition(
            "PENJELASAN_BELUM_ADA", "Pejabat penilai belum memberikan penjelasan atas keberatan ini."
        )
    violations = Violations()
    text = fields.text(violations, "keputusan", "Keputusan", keputusan, max_len=TEXT_MAX, required=True)
    violations.raise_if_any()
    keberatan.keputusan, keberatan.diputuskan_oleh, keberatan.diputuskan_at = text, oleh, now
    keberatan.version += 1
    if not disetujui:
        keberatan.status = StatusKeberatan.DITOLAK
        keberatan.sesudah = keberatan.sebelum
        return False
    new_hasil, new_perilaku = _asked(
        penilaian,
        hasil or keberatan.diminta.rating_hasil_kerja,
        perilaku or keberatan.diminta.rating_perilaku_kerja,
        "",
    )
    dari_capaian = capaian if penilaian.skp.pimpinan_unit_kerja else None
    apply_ratings(
        penilaian,
        new_hasil,
        new_perilaku,
        capaian=dari_capaian,
        oleh=oleh,
        day=day,
        now=now,
        keberatan_id=keberatan.id,
    )
    keberatan.status = StatusKeberatan.DISETUJUI
    keberatan.sesudah = nilai_of(new_hasil, new_perilaku, day)
    return True
