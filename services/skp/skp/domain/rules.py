"""The rules of an SKP: who may change it when, what its inputs must be, when it is complete, its workflow."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from kinerja_kit import fields, numbers
from kinerja_kit.errors import (
    FailedPrecondition,
    FieldViolation,
    InvalidArgument,
    PermissionDenied,
    Violations,
)
from kinerja_kit.ids import new_id
from skp.domain.model import Indikator, Lampiran, ManualIndikator, Pejabat, Rhk, Skp, Target
from skp.domain.periode import Periode
from skp.domain.values import (
    MIN_YEAR,
    NILAI_DASAR,
    STATUS_LABEL,
    TARGET,
    TARGET_BULANAN,
    TARGET_MAKSIMUM,
    TARGET_RENCANA_AKSI,
    Aspek,
    JenisIku,
    JenisPenilai,
    JenisPeriode,
    JenisRhk,
    ModelSkp,
    Pendekatan,
    PeriodePelaporan,
    Perspektif,
    StatusSkp,
    decimal_text,
    parse_iso_date,
)

TEKS_RHK_MAX = 2000
TEKS_INDIKATOR_MAX = 1000
TAHAPAN_MAX = 20
TAHAPAN_TEKS_MAX = 500
SATUAN_MAX = 100
MANUAL_TEKS_MAX = 2000
LAMPIRAN_ITEMS_MAX = 20
LAMPIRAN_TEKS_MAX = 1000
ALASAN_MAX = 1000
RHK_MAX = 50
INDIKATOR_PER_RHK_MAX = 20
RENCANA_AKSI_PER_RHK_MAX = 60


# ---------------------------------------------------------------------------------------------
# Who may change an SKP, and when
# ---------------------------------------------------------------------------------------------


def require_owner(skp: Skp, pegawai_id: uuid.UUID | None) -> None:
    if pegawai_id is None or pegawai_id != skp.pegawai_id:
        raise PermissionDenied("BUKAN_PEMILIK_SKP", "Hanya pegawai pemilik SKP yang dapat mengubah SKP ini.")


def require_draft(skp: Skp) -> None:
    """Only a draft (konsep) changes; an SKP sent or approved is fixed until it returns to draft."""
    if skp.status != StatusSkp.DRAFT:
        raise FailedPrecondition(
            "SKP_TIDAK_DAPAT_DIUBAH",
            f"SKP berstatus {STATUS_LABEL[skp.status]} tidak dapat diubah. "
            "Hanya SKP berstatus konsep (draft) yang dapat diubah oleh pemiliknya.",
        )


def require_draft_or_approved(skp: Skp, what: str) -> None:
    """Rencana aksi and monthly targets are planned in draft or after approval, never while under review."""
    if skp.status == StatusSkp.DIAJUKAN:
        raise FailedPrecondition(
            "SKP_SEDANG_DIPERIKSA",
            f"{what} tidak dapat diubah selama SKP sedang diperiksa pejabat penilai.",
        )


def follow_penilai(
    skp: Skp, penilai: Pejabat | None, penilai_unor_id: uuid.UUID | None, atasan_penilai: Pejabat | None
) -> None:
    """Puts the pejabat penilai of today (their unit, their atasan) on the SKP's snapshot; the perilaku
    rated by the atasan are rated by that pejabat penilai, so they follow."""
    skp.penilai, skp.penilai_unor_id, skp.atasan_penilai = penilai, penilai_unor_id, atasan_penilai
    for perilaku in skp.isi.perilaku:
        if perilaku.penilai_jenis == JenisPenilai.ATASAN:
            perilaku.penilai_pegawai_id = penilai.pegawai_id if penilai else None
            perilaku.penilai_nama = penilai.nama if penilai else ""


def require_approved(skp: Skp, what: str) -> None:
    if skp.status != StatusSkp.DISETUJUI:
        raise FailedPrecondition(
            "SKP_BELUM_DISETUJUI", f"{what} hanya dapat diisi setelah SKP disetujui pejabat penilai."
        )


# ---------------------------------------------------------------------------------------------
# Inputs as typed (ids and numbers still text)
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TargetInput:
    min: str = ""
    max: str = ""
    satuan: str = ""


@dataclass(frozen=True)
class RhkInput:
    jenis: int
    teks: str
    atasan_rhk_id: str = ""
    tahapan: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class IndikatorInput:
    teks: str
    aspek: int = 0
    perspektif: int = 0
    target: TargetInput = field(default_factory=TargetInput)


@dataclass(frozen=True)
class ManualInput:
    deskripsi_rencana_kerja: str = ""
    definisi: str = ""
    formula: str = ""
    tujuan: str = ""
    satuan_pengukuran: str = ""
    jenis_iku: int = 0
    penanggung_jawab: str = ""
    penyedia_data: str = ""
    sumber_data: str = ""
    periode_pelaporan: int = 0


@dataclass(frozen=True)
class RencanaAksiInput:
    rhk_id: str
    periode_id: str
    teks: str
    target: str = ""
    satuan: str = ""


@dataclass(frozen=True)
class LampiranInput:
    dukungan_sumber_daya: list[str] = field(default_factory=list)
    skema_pertanggungjawaban: list[str] = field(default_factory=list)
    konsekuensi: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class RhkFields:
    jenis: JenisRhk
    teks: str
    atasan_rhk_id: uuid.UUID | None
    tahapan: list[str]


# ---------------------------------------------------------------------------------------------
# Validation
# ---------------------------------------------------------------------------------------------


def _enum(v: Violations, kind: type, value: int, path: str, message: str, *, required: bool) -> object | None:
    if value == 0:
        if required:
            v.add(path, "REQUIRED", message)
        return None
    try:
        return kind(value)
    except ValueError:
        v.add(path, "INVALID_CHOICE", message)
        return None


def _text_list(
    v: Violations, path: str, label: str, values: list[str], *, max_items: int, max_len: int
) -> list[str]:
    """Non-empty trimmed lines, each checked; too many lines is one violation."""
    kept = []
    for i, value in enumerate(values):
        cleaned = fields.text(v, f"{path}[{i}]", label, value, max_len=max_len)
        if cleaned:
            kept.append(cleaned)
    if len(kept) > max_items:
        v.add(path, "TOO_MANY", f"{label} paling banyak {max_items} butir.")
    return kept


def validate_rhk(raw: RhkInput, skp: Skp, path: str = "rhk") -> RhkFields:
    v = Violations()
    jenis = _enum(
        v,
        JenisRhk,
        raw.jenis,
        f"{path}.jenis",
        "Jenis RHK wajib dipilih (utama atau tambahan).",
        required=True,
    )
    teks = fields.text(
        v, f"{path}.teks", "Rencana hasil kerja", raw.teks, max_len=TEKS_RHK_MAX, required=True
    )
    tahapan = _text_list(
        v, f"{path}.tahapan", "Tahapan", raw.tahapan, max_items=TAHAPAN_MAX, max_len=TAHAPAN_TEKS_MAX
    )
    atasan = fields.reference(v, f"{path}.atasan_rhk_id", "RHK atasan", raw.atasan_rhk_id)
    if atasan is not None and jenis == JenisRhk.TAMBAHAN:
        v.add(
            f"{path}.atasan_rhk_id",
            "ATASAN_RHK_TIDAK_BERLAKU",
            "RHK tambahan tidak mengintervensi RHK atasan; kosongkan RHK atasan.",
        )
    v.raise_if_any()
    assert isinstance(jenis, JenisRhk)
    return RhkFields(jenis, teks, atasan, tahapan)


def resolve_intervention(
    skp: Skp,
    atasan_rhk_id: uuid.UUID,
    atasan_skps: list[Skp],
    found_in: Skp | None,
    path: str = "rhk.atasan_rhk_id",
) -> tuple[str, uuid.UUID]:
    """The text and SKP of the atasan RHK an RHK intervenes: it must be an RHK of an SKP of the
    pejabat penilai for the same year (`atasan_skps`); `found_in` is the SKP holding it otherwise."""
    for atasan_skp in atasan_skps:
        found = atasan_skp.rhk(atasan_rhk_id)
        if found is not None:
            return found.teks, atasan_skp.id
    if found_in is not None and skp.penilai is not None and found_in.pegawai_id == skp.penilai.pegawai_id:
        code, message = (
            "ATASAN_RHK_TAHUN_BERBEDA",
            f"RHK atasan yang dipilih berasal dari SKP tahun {found_in.tahun}; pilih RHK dari SKP atasan "
            f"tahun {skp.tahun}.",
        )
    elif found_in is not None:
        code, message = (
            "ATASAN_RHK_BUKAN_ATASAN",
            f"RHK yang dipilih bukan milik pejabat penilai Anda ({found_in.pegawai.nama}). "
            "Pilih RHK dari SKP atasan langsung Anda.",
        )
    else:
        code, message = "ATASAN_RHK_NOT_FOUND", "RHK atasan tidak ditemukan."
    raise InvalidArgument([FieldViolation(path, code, message)])


def validate_target(v: Violations, path: str, raw: TargetInput, *, required: bool) -> Target:
    """A value (min only, or min == max) or a range min-max, each a non-negative number, with a satuan."""
    low_text, high_text = raw.min.strip(), raw.max.strip()
    checked = fields.checked(v, f"{path}.satuan", "Satuan target", raw.satuan, max_len=SATUAN_MAX)
    satuan = checked or ""
    if not low_text and not high_text:
        if required:
            v.add(f"{path}.min", "REQUIRED", "Target wajib diisi untuk SKP kuantitatif.")
        return Target(satuan=satuan)
    if not low_text:
        v.add(f"{path}.min", "REQUIRED", "Target minimum wajib diisi bila target berupa rentang.")
        return Target(satuan=satuan)
    low = numbers.parse(v, f"{path}.min", TARGET, low_text)
    high = numbers.parse(v, f"{path}.max", TARGET_MAKSIMUM, high_text) if high_text else low
    if low is not None and high is not None and low > high:
        v.add(
            f"{path}.max",
            "RANGE_INVERTED",
            f"Target minimum ({decimal_text(low)}) tidak boleh lebih besar dari target maksimum "
            f"({decimal_text(high)}).",
        )
    if checked == "":
        v.add(f"{path}.satuan", "REQUIRED", "Satuan target wajib diisi, misalnya Dokumen atau Persen.")
    return Target(min=low, max=high, satuan=satuan)


def validate_indikator(raw: IndikatorInput, skp: Skp, path: str = "indikator") -> Indikator:
    """An indikator of this SKP's model: JPT ones carry a perspektif, JA/JF ones an aspek (required when
    kuantitatif); a kuantitatif SKP needs a numeric target, a kualitatif one may use the text alone."""
    v = Violations()
    teks = fields.text(
        v, f"{path}.teks", "Indikator kinerja individu", raw.teks, max_len=TEKS_INDIKATOR_MAX, required=True
    )
    jpt = skp.model == ModelSkp.JPT
    kuantitatif = skp.pendekatan == Pendekatan.KUANTITATIF
    aspek = _enum(
        v, Aspek, raw.aspek, f"{path}.aspek", "Aspek wajib dipilih (Kuantitas, Kualitas, Waktu atau Biaya).",
        required=not jpt and kuantitatif,
    )  # fmt: skip
    perspektif = _enum(
        v, Perspektif, raw.perspektif, f"{path}.perspektif",
        "Perspektif wajib dipilih (Penerima Layanan, Proses Bisnis, Penguatan Internal atau Anggaran).",
        required=jpt,
    )  # fmt: skip
    if perspektif is not None and not jpt:
        v.add(f"{path}.perspektif", "PERSPEKTIF_HANYA_JPT", "Perspektif hanya dipakai pada SKP model JPT.")
    target = validate_target(v, f"{path}.target", raw.target, required=kuantitatif)
    v.raise_if_any()
    return Indikator(
        id=new_id(),
        teks=teks,
        aspek=aspek,  # type: ignore[arg-type]
        perspektif=perspektif,  # type: ignore[arg-type]
        target=target,
    )


def validate_manual(raw: ManualInput, skp: Skp, path: str = "manual") -> ManualIndikator:
    if skp.model != ModelSkp.JPT:
        raise FailedPrecondition("MANUAL_HANYA_JPT", "Manual indikator hanya diisi pada SKP model JPT.")
    v = Violations()
    texts = {
        name: fields.text(v, f"{path}.{name}", label, getattr(raw, name), max_len=MANUAL_TEKS_MAX)
        for name, label in (
            ("deskripsi_rencana_kerja", "Deskripsi rencana kerja"),
            ("definisi", "Definisi"),
            ("formula", "Formula"),
            ("tujuan", "Tujuan"),
            ("satuan_pengukuran", "Satuan pengukuran"),
            ("penanggung_jawab", "Penanggung jawab IKU"),
            ("penyedia_data", "Pihak penyedia data"),
            ("sumber_data", "Sumber data"),
        )
    }
    jenis_iku = _enum(
        v, JenisIku, raw.jenis_iku, f"{path}.jenis_iku", "Jenis IKU tidak dikenal.", required=False
    )
    pelaporan = _enum(
        v, PeriodePelaporan, raw.periode_pelaporan, f"{path}.periode_pelaporan",
        "Periode pelaporan tidak dikenal.", required=False,
    )  # fmt: skip
    if not texts["definisi"]:
        v.add(f"{path}.definisi", "REQUIRED", "Definisi indikator wajib diisi.")
    v.raise_if_any()
    return ManualIndikator(**texts, jenis_iku=jenis_iku, periode_pelaporan=pelaporan)  # type: ignore[arg-type]


def validate_lampiran(raw: LampiranInput, path: str = "lampiran") -> Lampiran:
    v = Violations()
    lists = {
        name: _text_list(
            v,
            f"{path}.{name}",
            label,
            getattr(raw, name),
            max_items=LAMPIRAN_ITEMS_MAX,
            max_len=LAMPIRAN_TEKS_MAX,
        )
        for name, label in (
            ("dukungan_sumber_daya", "Dukungan sumber daya"),
            ("skema_pertanggungjawaban", "Skema pertanggungjawaban"),
            ("konsekuensi", "Konsekuensi"),
        )
    }
    v.raise_if_any()
    return Lampiran(**lists)


@dataclass(frozen=True)
class RencanaAksiFields:
    rhk_id: uuid.UUID
    periode_id: uuid.UUID
    teks: str
    target: Decimal | None
    satuan: str


def validate_rencana_aksi(
    raw: RencanaAksiInput, skp: Skp, periode: Periode | None, path: str = "rencana_aksi"
) -> RencanaAksiFields:
    """Rencana aksi of an RHK of this SKP for a periode that falls within the SKP's dates."""
    v = Violations()
    rhk_id = fields.reference(v, f"{path}.rhk_id", "RHK", raw.rhk_id)
    if not raw.rhk_id.strip():
        v.add(f"{path}.rhk_id", "REQUIRED", "RHK wajib dipilih.")
    elif rhk_id is not None and skp.rhk(rhk_id) is None:
        v.add(f"{path}.rhk_id", "RHK_NOT_FOUND", "RHK tidak ditemukan pada SKP ini.")
    if not raw.periode_id.strip():
        v.add(f"{path}.periode_id", "REQUIRED", "Periode wajib dipilih.")
    elif periode is None:
        v.add(f"{path}.periode_id", "PERIODE_NOT_FOUND", "Periode tidak ditemukan.")
    elif not periode.overlaps(skp.tanggal_mulai, skp.tanggal_selesai):
        first, last = periode.range_in(skp.tahun)
        v.add(
            f"{path}.periode_id",
            "PERIODE_DI_LUAR_SKP",
            f"Periode {periode.nama} ({first:%d-%m-%Y} s.d. {last:%d-%m-%Y}) berada di luar masa SKP "
            f"({skp.tanggal_mulai:%d-%m-%Y} s.d. {skp.tanggal_selesai:%d-%m-%Y}).",
        )
    teks = fields.text(v, f"{path}.teks", "Rencana aksi", raw.teks, max_len=TEKS_INDIKATOR_MAX, required=True)
    checked = fields.checked(v, f"{path}.satuan", "Satuan", raw.satuan, max_len=SATUAN_MAX)
    satuan = checked or ""
    target: Decimal | None = None
    if raw.target.strip():
        target = numbers.parse(v, f"{path}.target", TARGET_RENCANA_AKSI, raw.target)
        if target is not None and checked == "":
            v.add(f"{path}.satuan", "REQUIRED", "Satuan target rencana aksi wajib diisi.")
    elif skp.pendekatan == Pendekatan.KUANTITATIF:
        v.add(f"{path}.target", "REQUIRED", "Target rencana aksi wajib diisi untuk SKP kuantitatif.")
    v.raise_if_any()
    assert rhk_id is not None and periode is not None
    return RencanaAksiFields(rhk_id, periode.id, teks, target, satuan)


def validate_target_bulanan(values: list[str], path: str = "target") -> list[Decimal | None]:
    v = Violations()
    if len(values) != 12:
        v.add(path, "TWELVE_MONTHS", "Target bulanan harus berisi 12 bulan (Januari sampai Desember).")
        v.raise_if_any()
    result = [numbers.parse(v, f"{path}[{i}]", TARGET_BULANAN, value) for i, value in enumerate(values)]
    v.raise_if_any()
    return result


def count_limit(current: int, limit: int, what: str) -> None:
    if current >= limit:
        raise FailedPrecondition("BATAS_JUMLAH", f"{what} paling banyak {limit}.")


# ---------------------------------------------------------------------------------------------
# Completeness and workflow
# ---------------------------------------------------------------------------------------------


def _short(text: str, size: int = 60) -> str:
    return text if len(text) <= size else text[: size - 1] + "…"


def submission_gaps(skp: Skp) -> list[FieldViolation]:
    """Everything that keeps an SKP from being sent for approval, all at once."""
    gaps: list[FieldViolation] = []
    rhks = skp.ordered_rhk()
    if not any(r.jenis == JenisRhk.UTAMA for r in rhks):
        gaps.append(FieldViolation("rhk", "RHK_UTAMA_KOSONG", "SKP belum memiliki RHK utama."))
    kuantitatif = skp.pendekatan == Pendekatan.KUANTITATIF
    for i, rhk in enumerate(rhks):
        name = _short(rhk.teks)
        if not rhk.indikator:
            gaps.append(
                FieldViolation(
                    f"rhk[{i}].indikator", "RHK_TANPA_INDIKATOR", f'RHK "{name}" belum memiliki indikator.'
                )
            )
        if skp.model == ModelSkp.JA_JF and rhk.jenis == JenisRhk.UTAMA and rhk.atasan_rhk_id is None:
            gaps.append(
                FieldViolation(
                    f"rhk[{i}].atasan_rhk_id",
                    "RHK_TANPA_INTERVENSI",
                    f'RHK utama "{name}" belum memilih RHK atasan yang diintervensi.',
                )
            )
        for j, item in enumerate(rhk.indikator):
            where = f"rhk[{i}].indikator[{j}]"
            if skp.model == ModelSkp.JPT and item.perspektif is None:
                gaps.append(
                    FieldViolation(
                        f"{where}.perspektif", "INDIKATOR_TANPA_PERSPEKTIF",
                        f'Indikator "{_short(item.teks)}" belum memilih perspektif.',
                    )
                )  # fmt: skip
            if skp.model == ModelSkp.JA_JF and kuantitatif and item.aspek is None:
                gaps.append(
                    FieldViolation(
                        f"{where}.aspek",
                        "INDIKATOR_TANPA_ASPEK",
                        f'Indikator "{_short(item.teks)}" belum memilih aspek.',
                    )
                )
            if kuantitatif and not item.target.is_set:
                gaps.append(
                    FieldViolation(
                        f"{where}.target",
                        "INDIKATOR_TANPA_TARGET",
                        f'Indikator "{_short(item.teks)}" belum memiliki target.',
                    )
                )
    for k, perilaku in enumerate(skp.isi.perilaku):
        if perilaku.penilai_jenis is None:
            gaps.append(
                FieldViolation(
                    f"perilaku[{k}].penilai",
                    "PERILAKU_TANPA_PENILAI",
                    f"Penilai perilaku {NILAI_DASAR[perilaku.nilai].nama} belum ditentukan.",
                )
            )
    if not skp.mandiri and skp.penilai is None:
        gaps.append(
            FieldViolation(
                "penilai",
                "PENILAI_TIDAK_ADA",
                "SKP belum memiliki pejabat penilai kinerja. Minta admin melengkapi data atasan, lalu "
                "perbarui data SKP.",
            )
        )
    return gaps


def planning_outside_dates(skp: Skp, periode: dict[uuid.UUID, Periode]) -> list[FieldViolation]:
    """Rencana aksi whose periode, and monthly targets whose month, no longer touch the SKP's dates."""
    found: list[FieldViolation] = []
    for i, rhk in enumerate(skp.ordered_rhk()):
        for j, rencana in enumerate(rhk.rencana_aksi):
            known = periode.get(rencana.periode_id)
            if known is not None and not known.overlaps(skp.tanggal_mulai, skp.tanggal_selesai):
                found.append(
                    FieldViolation(
                        f"rhk[{i}].rencana_aksi[{j}]",
                        "RENCANA_AKSI_DI_LUAR_MASA",
                        f'Rencana aksi "{_short(rencana.teks)}" periode {known.nama} berada di luar masa SKP.',
                    )
                )
        for j, item in enumerate(rhk.indikator):
            months = [m + 1 for m, t in enumerate(item.target_bulanan) if t is not None]
            if any(not skp.tanggal_mulai.month <= m <= skp.tanggal_selesai.month for m in months):
                found.append(
                    FieldViolation(
                        f"rhk[{i}].indikator[{j}].target_bulanan",
                        "TARGET_BULANAN_DI_LUAR_MASA",
                        f'Indikator "{_short(item.teks)}" memiliki target bulanan di luar masa SKP.',
                    )
                )
    return found


@dataclass(frozen=True)
class Kekurangan:
    field: str
    code: str
    message: str
    rhk_id: uuid.UUID | None = None


def assessment_gaps(skp: Skp, periode: Periode) -> list[Kekurangan]:
    """What keeps an SKP from being assessed for a periode (003): it must be approved, the periode must
    fall within it, and for a periodic (non-final) periode every RHK needs rencana aksi in it."""
    gaps: list[Kekurangan] = []
    if skp.status != StatusSkp.DISETUJUI:
        gaps.append(Kekurangan("status", "SKP_BELUM_DISETUJUI", "SKP belum disetujui pejabat penilai."))
    if not periode.overlaps(skp.tanggal_mulai, skp.tanggal_selesai):
        gaps.append(
            Kekurangan(
                "periode_id", "PERIODE_DI_LUAR_SKP", f"Periode {periode.nama} berada di luar masa SKP."
            )
        )
    elif periode.jenis == JenisPeriode.BIASA:
        for i, rhk in enumerate(skp.ordered_rhk()):
            if not any(r.periode_id == periode.id for r in rhk.rencana_aksi):
                gaps.append(
                    Kekurangan(
                        f"rhk[{i}]",
                        "RHK_TANPA_RENCANA_AKSI",
                        f'RHK "{_short(rhk.teks)}" belum memiliki rencana aksi periode {periode.nama}.',
                        rhk.id,
                    )
                )
    return gaps


def submit(skp: Skp, now: datetime) -> bool:
    """Sends a complete draft to the pejabat penilai; a mandiri head's SKP is approved at once (True)."""
    if skp.status != StatusSkp.DRAFT:
        raise FailedPrecondition(
            "SKP_SUDAH_DIAJUKAN", f"SKP berstatus {STATUS_LABEL[skp.status]} tidak dapat diajukan lagi."
        )
    gaps = submission_gaps(skp)
    if gaps:
        raise FailedPrecondition(
            "SKP_BELUM_LENGKAP",
            f"SKP belum lengkap: {len(gaps)} hal harus dilengkapi sebelum diajukan.",
            gaps,
        )
    skp.diajukan_at = now
    if skp.mandiri:
        skp.status = StatusSkp.DISETUJUI
        skp.disetujui_at = now
        skp.alasan_dikembalikan = ""
        return True
    skp.status = StatusSkp.DIAJUKAN
    return False


def _require_diajukan(skp: Skp, action: str) -> None:
    if skp.status != StatusSkp.DIAJUKAN:
        raise FailedPrecondition(
            "SKP_BELUM_DIAJUKAN",
            f"SKP berstatus {STATUS_LABEL[skp.status]} tidak dapat {action}; hanya SKP yang sudah diajukan.",
        )


def approve(skp: Skp, now: datetime) -> None:
    _require_diajukan(skp, "disetujui")
    skp.status = StatusSkp.DISETUJUI
    skp.disetujui_at = now
    skp.alasan_dikembalikan = ""


def alasan(value: str, *, required: bool, path: str = "alasan") -> str:
    v = Violations()
    cleaned = fields.text(v, path, "Alasan", value, max_len=ALASAN_MAX, required=required)
    v.raise_if_any()
    return cleaned


def return_to_draft(skp: Skp, reason: str, now: datetime) -> None:
    _require_diajukan(skp, "dikembalikan")
    skp.status = StatusSkp.DRAFT
    skp.alasan_dikembalikan = reason
    skp.dikembalikan_at = now


def reset(skp: Skp, reason: str, now: datetime) -> StatusSkp:
    """Admin: back to draft from any other status; returns the status it had."""
    if skp.status == StatusSkp.DRAFT:
        raise FailedPrecondition("SKP_SUDAH_DRAFT", "SKP sudah berstatus konsep (draft).")
    previous = skp.status
    skp.status = StatusSkp.DRAFT
    skp.alasan_dikembalikan = reason
    skp.dikembalikan_at = now
    skp.disetujui_at = None
    return previous


def rhk_from_fields(values: RhkFields, atasan: tuple[str, uuid.UUID] | None, rhk_id: uuid.UUID) -> Rhk:
    return Rhk(
        id=rhk_id,
        jenis=values.jenis,
        teks=values.teks,
        atasan_rhk_id=values.atasan_rhk_id,
        atasan_rhk_teks=atasan[0] if atasan else "",
        atasan_skp_id=atasan[1] if atasan else None,
        tahapan=values.tahapan,
    )


def pejabat_label(pejabat: Pejabat | None) -> str:
    return f"{pejabat.nama} ({pejabat.nip})" if pejabat else "-"


@dataclass(frozen=True)
class SkpHeaderInput:
    tanggal_mulai: str
    tanggal_selesai: str
    pendekatan: int
    plt_id: str = ""


@dataclass(frozen=True)
class SkpHeaderFields:
    tanggal_mulai: date
    tanggal_selesai: date
    pendekatan: Pendekatan
    plt_id: uuid.UUID | None

    @property
    def tahun(self) -> int:
        return self.tanggal_mulai.year


def validate_header(raw: SkpHeaderInput, today: date) -> SkpHeaderFields:
    """One year's date range (within one calendar year, from 2020 to next year) and a pendekatan."""
    v = Violations()
    dates: dict[str, date | None] = {}
    last_year = today.year + 1
    for name, label in (("tanggal_mulai", "Tanggal mulai"), ("tanggal_selesai", "Tanggal selesai")):
        value = getattr(raw, name).strip()
        parsed = parse_iso_date(value) if value else None
        if not value:
            v.add(name, "REQUIRED", f"{label} wajib diisi.")
        elif parsed is None or not MIN_YEAR <= parsed.year <= last_year:
            v.add(
                name,
                "INVALID_DATE",
                f"{label} harus tanggal yang valid (TTTT-BB-HH, tahun {MIN_YEAR}-{last_year}).",
            )
            parsed = None
        dates[name] = parsed
    start, end = dates["tanggal_mulai"], dates["tanggal_selesai"]
    if start and end and start > end:
        v.add("tanggal_selesai", "RANGE_INVERTED", "Tanggal selesai tidak boleh sebelum tanggal mulai.")
    elif start and end and start.year != end.year:
        v.add("tanggal_selesai", "RANGE_CROSSES_YEAR", "Masa SKP harus berada dalam satu tahun yang sama.")
    pendekatan = _enum(
        v, Pendekatan, raw.pendekatan, "pendekatan", "Pendekatan wajib dipilih (kuantitatif atau kualitatif).",
        required=True,
    )  # fmt: skip
    plt_id = fields.reference(v, "plt_id", "Penugasan PLT/PLH", raw.plt_id)
    v.raise_if_any()
    assert start and end and isinstance(pendekatan, Pendekatan)
    return SkpHeaderFields(start, end, pendekatan, plt_id)
