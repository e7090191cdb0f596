"""The angka kredit of one konversi PAK, as the Pengajuan Angka Kredit form computes it (002 §2.15):

    (Jumlah Bulan Penilaian / 12) × Persentase Predikat Kinerja × Koefisien Angka Kredit Tahunan

"Jika TMT Jabatan lebih dari Periode Awal Penilaian Kinerja, maka Jumlah Bulan Penilaian dihitung sejak
TMT Jabatan" — how the TMT's own month counts is rule data (aturan.CaraHitungBulan). Worked example of the
form: 7 / 12 × 150 % × 12.5 = 10.938 (exactly 175/16 = 10.9375). Percentages and koefisien:
PermenPAN-RB 1/2023 (aturan.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from fractions import Fraction

from angka_kredit.domain.aturan import AturanAngkaKredit, CaraHitungBulan, Predikat
from angka_kredit.domain.nilai import angka, tampil

BULAN = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)


def nama_bulan(month: int) -> str:
    return BULAN[month - 1]


def tanggal_teks(day: date) -> str:
    """ "1 Juni 2024"."""
    return f"{day.day} {nama_bulan(day.month)} {day.year}"


def bulan_teks(year: int, month: int) -> str:
    """ "Juni 2024"."""
    return f"{nama_bulan(month)} {year}"


def _months(a: tuple[int, int], b: tuple[int, int]) -> int:
    """Calendar months from month a to month b, both included (0 when b is before a)."""
    return max(0, (b[0] - a[0]) * 12 + b[1] - a[1] + 1)


def _next(ym: tuple[int, int]) -> tuple[int, int]:
    year, month = ym
    return (year + 1, 1) if month == 12 else (year, month + 1)


def rentang_teks(a: tuple[int, int], b: tuple[int, int]) -> str:
    """ "Januari–Desember 2024", "November 2023–Februari 2024", "Juni 2024"."""
    if a == b:
        return bulan_teks(*a)
    if a[0] == b[0]:
        return f"{nama_bulan(a[1])}–{bulan_teks(*b)}"
    return f"{bulan_teks(*a)}–{bulan_teks(*b)}"


def jumlah_bulan(
    mulai: date,
    selesai: date,
    bulan_periode: int,
    tmt_jabatan: date | None,
    cara: CaraHitungBulan,
) -> tuple[int, str]:
    """The months assessed and how they were counted, in Indonesian.

    `bulan_periode` is the event's jumlah_bulan (calendar months the periode covers within the SKP). No TMT,
    or a TMT on or before `mulai`: `bulan_periode`. A TMT after `selesai`: 0. A TMT inside the periode:
    from the TMT's month (BULAN_TMT, or BULAN_PENUH when the TMT is the 1st) or the next month (BULAN_PENUH
    otherwise) to `selesai`'s month, both included."""
    awal, akhir = (mulai.year, mulai.month), (selesai.year, selesai.month)
    if tmt_jabatan is None or tmt_jabatan <= mulai:
        return bulan_periode, f"{rentang_teks(awal, akhir)} ({bulan_periode} bulan)"
    tmt = tanggal_teks(tmt_jabatan)
    if tmt_jabatan > selesai:
        return 0, (
            f"0 bulan: TMT jabatan {tmt} sesudah periode {rentang_teks(awal, akhir)}, tidak ada bulan "
            "penilaian dalam jabatan ini"
        )
    dari = (tmt_jabatan.year, tmt_jabatan.month)
    if cara is CaraHitungBulan.BULAN_PENUH and tmt_jabatan.day != 1:
        dari = _next(dari)
    bulan = min(bulan_periode, _months(dari, akhir))
    if bulan == 0:
        return 0, (
            f"0 bulan: TMT jabatan {tmt}, dihitung sejak bulan berikutnya, sesudah bulan terakhir periode "
            f"{rentang_teks(awal, akhir)}"
        )
    return bulan, f"{rentang_teks(dari, akhir)} ({bulan} bulan), dihitung sejak TMT jabatan {tmt}"


@dataclass(frozen=True)
class Perhitungan:
    """How the AK of a konversi PAK was obtained (kinerja.angka_kredit.v1.Perhitungan)."""

    predikat: Predikat
    jenjang: str
    jumlah_bulan: int
    uraian_bulan: str
    persentase: Fraction  # percent: 150
    koefisien: Fraction
    angka_kredit: Fraction
    rumus: str
    aturan_versi: str
    aturan_berlaku_sejak: date
    aturan_sumber: str

    @property
    def persentase_teks(self) -> str:
        return angka(self.persentase)

    @property
    def koefisien_teks(self) -> str:
        return angka(self.koefisien)


def rumus(bulan: int, persen: Fraction, koefisien: Fraction, hasil: Fraction) -> str:
    """ "7 / 12 × 150 % × 12.5 = 10.938" (the result at three decimals, half up)."""
    return f"{bulan} / 12 × {angka(persen)} % × {angka(koefisien)} = {tampil(hasil)}"


def hitung(
    bulan: int,
    predikat: Predikat | int,
    jenjang: str,
    aturan: AturanAngkaKredit,
    uraian_bulan: str = "",
) -> Perhitungan:
    """The AK of `bulan` months at `predikat` in `jenjang` by `aturan`, exactly:
    bulan / 12 × persen / 100 × koefisien. Unknown predikat or jenjang: a domain error."""
    if not 0 <= bulan <= 12:
        raise ValueError(f"jumlah bulan di luar 0-12: {bulan}")
    persen = aturan.persen(predikat)
    found = aturan.jenjang_of(jenjang)
    hasil = Fraction(bulan, 12) * persen / 100 * found.koefisien
    return Perhitungan(
        predikat=Predikat(predikat),
        jenjang=found.nama,
        jumlah_bulan=bulan,
        uraian_bulan=uraian_bulan,
        persentase=persen,
        koefisien=found.koefisien,
        angka_kredit=hasil,
        rumus=rumus(bulan, persen, found.koefisien, hasil),
        aturan_versi=aturan.versi,
        aturan_berlaku_sejak=aturan.berlaku_sejak,
        aturan_sumber=aturan.sumber,
    )
