"""Periode penilaian (002 §2.2): days of the year (mm-dd), their deadline, and the rules between them."""

from __future__ import annotations

import calendar
import uuid
from dataclasses import dataclass
from datetime import date, timedelta

from kinerja_kit import fields
from kinerja_kit.errors import FailedPrecondition, FieldViolation, InvalidArgument, Violations
from skp.domain.values import JenisPeriode, PolaPeriode

NAMA_MAX = 100
BATAS_HARI_DEFAULT = 10
BULAN = (
    "Januari", "Februari", "Maret", "April", "Mei", "Juni",
    "Juli", "Agustus", "September", "Oktober", "November", "Desember",
)  # fmt: skip


@dataclass(frozen=True, order=True)
class HariTahun:
    """A day of any year, as the admin types it (mm-dd); 02-29 falls on 02-28 in common years."""

    bulan: int
    hari: int

    def __str__(self) -> str:
        return f"{self.bulan:02d}-{self.hari:02d}"

    def in_year(self, year: int) -> date:
        return date(year, self.bulan, min(self.hari, calendar.monthrange(year, self.bulan)[1]))

    def label(self) -> str:
        return f"{self.hari} {BULAN[self.bulan - 1]}"


def parse_hari(value: str) -> HariTahun | None:
    """mm-dd in ASCII digits, any real day of a leap year; None otherwise."""
    text = value.strip()
    if (
        len(text) != 5
        or text[2] != "-"
        or not text.isascii()
        or not (text[:2].isdigit() and text[3:].isdigit())
    ):
        return None
    month, day = int(text[:2]), int(text[3:])
    if not 1 <= month <= 12 or not 1 <= day <= calendar.monthrange(2024, month)[1]:
        return None
    return HariTahun(month, day)


YEAR_END = HariTahun(12, 31)


@dataclass(frozen=True)
class Periode:
    id: uuid.UUID
    instansi_id: uuid.UUID
    nama: str
    mulai: HariTahun
    selesai: HariTahun
    batas_pengisian: HariTahun
    jenis: JenisPeriode
    version: int

    def range_in(self, year: int) -> tuple[date, date]:
        """The periode's first and last day in `year`."""
        return self.mulai.in_year(year), self.selesai.in_year(year)

    def batas_in(self, year: int) -> date:
        """The deadline of the periode of `year`: a batas before the end (so before the start, or any
        batas of a periode ending on 12-31, e.g. the year-end periode's 01-10) falls in the next year."""
        return self.batas_pengisian.in_year(year + 1 if self.batas_pengisian < self.selesai else year)

    def overlaps(self, start: date, end: date) -> bool:
        """Whether the periode of `start`'s year touches [start, end]."""
        first, last = self.range_in(start.year)
        return first <= end and start <= last


@dataclass(frozen=True)
class PeriodeInput:
    nama: str
    mulai: str
    selesai: str
    batas_pengisian: str
    jenis: int


@dataclass(frozen=True)
class PeriodeFields:
    nama: str
    mulai: HariTahun
    selesai: HariTahun
    batas_pengisian: HariTahun
    jenis: JenisPeriode


def validate_periode(raw: PeriodeInput, others: list[Periode], path: str = "periode") -> PeriodeFields:
    """Checks one periode form against the instansi's other periode; every problem reported at once.

    Refuses an empty nama, a day that is not mm-dd, a start after the end (a periode lies within one
    year), a missing jenis, a batas inside the periode (except for a periode ending on 12-31, whose
    deadline can only be in the next year), and a range that overlaps another periode of the same jenis
    (the final periode overlaps the periodic ones by design).
    """
    v = Violations()
    nama = fields.text(v, f"{path}.nama", "Nama periode", raw.nama, max_len=NAMA_MAX, required=True)
    days: dict[str, HariTahun | None] = {}
    for name, label in (
        ("mulai", "Periode awal"),
        ("selesai", "Periode akhir"),
        ("batas_pengisian", "Batas pengisian"),
    ):
        value = getattr(raw, name)
        parsed = parse_hari(value) if value.strip() else None
        if not value.strip():
            v.add(f"{path}.{name}", "REQUIRED", f"{label} wajib diisi (format bb-hh).")
        elif parsed is None:
            v.add(
                f"{path}.{name}",
                "INVALID_DAY",
                f"{label} harus berformat bb-hh, misalnya 12-31 untuk 31 Desember.",
            )
        days[name] = parsed
    try:
        jenis = JenisPeriode(raw.jenis)
    except ValueError:
        v.add(f"{path}.jenis", "REQUIRED", "Jenis periode wajib dipilih (- atau final).")
        jenis = JenisPeriode.BIASA
    mulai, selesai, batas = days["mulai"], days["selesai"], days["batas_pengisian"]
    if mulai and selesai and mulai > selesai:
        v.add(
            f"{path}.selesai",
            "RANGE_INVERTED",
            "Periode akhir tidak boleh sebelum periode awal (satu periode berada dalam satu tahun).",
        )
    elif mulai and selesai and batas and mulai <= batas < selesai and selesai != YEAR_END:
        v.add(
            f"{path}.batas_pengisian",
            "BATAS_BEFORE_END",
            "Batas pengisian tidak boleh sebelum periode akhir.",
        )
    v.raise_if_any()
    assert mulai and selesai and batas
    other = overlapping(jenis, mulai, selesai, others)
    if other is not None:
        raise FailedPrecondition(
            "PERIODE_OVERLAP",
            f'Periode bertumpang tindih dengan periode "{other.nama}" '
            f"({other.mulai.label()} - {other.selesai.label()}).",
            [FieldViolation(f"{path}.mulai", "PERIODE_OVERLAP", f'Bertumpang tindih dengan "{other.nama}".')],
        )
    return PeriodeFields(nama, mulai, selesai, batas, jenis)


def overlapping(
    jenis: JenisPeriode, mulai: HariTahun, selesai: HariTahun, others: list[Periode]
) -> Periode | None:
    """The first periode of the same jenis whose days touch [mulai, selesai] (the final periode spans
    the periodic ones by design, so only the same jenis counts)."""
    return next((o for o in others if o.jenis == jenis and mulai <= o.selesai and o.mulai <= selesai), None)


def periode_set(pola: PolaPeriode, batas_hari: int) -> list[PeriodeFields]:
    """The monthly (12 + final) or quarterly (4 + final) set; each deadline `batas_hari` days after its end."""
    reference_year = 2023  # a common year for the deadlines; February itself ends on 02-29 (see below)

    def day(d: date) -> HariTahun:
        return HariTahun(d.month, d.day)

    def batas(end: date) -> HariTahun:
        return day(end + timedelta(days=batas_hari))

    items: list[PeriodeFields] = []
    if pola == PolaPeriode.BULANAN:
        for month in range(1, 13):
            end = date(reference_year, month, calendar.monthrange(reference_year, month)[1])
            # 02-29 is the last day of February in leap years and falls on 02-28 in common years
            last = HariTahun(month, calendar.monthrange(2024, month)[1])
            items.append(
                PeriodeFields(
                    f"Bulan {BULAN[month - 1]}", HariTahun(month, 1), last, batas(end), JenisPeriode.BIASA
                )
            )
    else:
        for quarter in range(4):
            first = 3 * quarter + 1
            end = date(reference_year, first + 2, calendar.monthrange(reference_year, first + 2)[1])
            items.append(
                PeriodeFields(
                    f"Triwulan {quarter + 1}", HariTahun(first, 1), day(end), batas(end), JenisPeriode.BIASA
                )
            )
    year_end = date(reference_year, 12, 31)
    items.append(
        PeriodeFields(
            "Periode Akhir Tahun", HariTahun(1, 1), HariTahun(12, 31), batas(year_end), JenisPeriode.FINAL
        )
    )
    return items


def validate_batas_hari(value: int) -> int:
    """Days between a periode's end and its deadline: 1 to 60, default 10."""
    if value == 0:
        return BATAS_HARI_DEFAULT
    if not 1 <= value <= 60:
        raise InvalidArgument(
            [FieldViolation("batas_hari", "OUT_OF_RANGE", "Batas hari harus antara 1 dan 60.")]
        )
    return value
