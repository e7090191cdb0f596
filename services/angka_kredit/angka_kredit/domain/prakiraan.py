"""A forecast of kenaikan pangkat and kenaikan jenjang of a pegawai in jabatan fungsional: for each
predikat, the months of assessment still needed if every month from now on were rated with it.

AK per year = persentase × koefisien (PermenPAN-RB 1/2023, aturan.py); months needed =
⌈(kebutuhan − kumulatif) × 12 / AK per year⌉, counted from the month after the last PAK's periode (or the
current month when there is none); the month reached is the month in which the last needed month is
assessed. The AK formula is the form's (002 §2.15); the forecast itself is this platform's reading aid.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from fractions import Fraction

from angka_kredit.domain.aturan import PREDIKAT_LABEL, AturanAngkaKredit, Predikat
from angka_kredit.domain.nilai import angka, desimal
from angka_kredit.domain.perhitungan import bulan_teks


@dataclass(frozen=True)
class TargetPrakiraan:
    berlaku: bool  # False: the jenjang has no such kenaikan
    kebutuhan: Fraction | None
    kumulatif: Fraction
    kekurangan: Fraction
    sudah_terpenuhi: bool
    bulan_dibutuhkan: int
    bulan_tercapai: str  # "2027-01", "" when not berlaku or already met
    rumus: str


@dataclass(frozen=True)
class SkenarioPrakiraan:
    predikat: Predikat
    saat_ini: bool
    ak_per_tahun: Fraction
    rumus_per_tahun: str
    kenaikan_pangkat: TargetPrakiraan
    kenaikan_jenjang: TargetPrakiraan


@dataclass(frozen=True)
class Prakiraan:
    jenjang: str
    golongan: str
    koefisien: Fraction
    jenjang_berikutnya: str | None
    kumulatif_pangkat: Fraction
    kumulatif_jenjang: Fraction
    mulai_bulan: str  # "2025-01"
    predikat_terakhir: Predikat | None
    skenario: tuple[SkenarioPrakiraan, ...]
    catatan: str
    aturan_versi: str
    aturan_sumber: str


def bulan_berikutnya(day: date) -> date:
    """The first day of the month after `day`."""
    return date(day.year + 1, 1, 1) if day.month == 12 else date(day.year, day.month + 1, 1)


def mulai_bulan(selesai_terakhir: date | None, today: date) -> date:
    """The first month the forecast counts: the month after the last PAK's tanggal_selesai, or the current
    month (of `today`, WIB) when the pegawai has no PAK."""
    if selesai_terakhir is None:
        return date(today.year, today.month, 1)
    return bulan_berikutnya(selesai_terakhir)


def tambah_bulan(mulai: date, bulan: int) -> date:
    """The first day of the month `bulan` months after `mulai`'s."""
    index = mulai.year * 12 + mulai.month - 1 + bulan
    return date(index // 12, index % 12 + 1, 1)


def _target(
    kebutuhan: Fraction | None,
    kumulatif: Fraction,
    persen: Fraction,
    koefisien: Fraction,
    mulai: date,
    kenaikan: str,
    jenjang: str,
) -> TargetPrakiraan:
    if kebutuhan is None:
        return TargetPrakiraan(
            False,
            None,
            kumulatif,
            Fraction(0),
            False,
            0,
            "",
            f"Jenjang {jenjang} tidak mempunyai kenaikan {kenaikan}.",
        )
    kekurangan = kebutuhan - kumulatif
    if kekurangan <= 0:
        rumus = f"{desimal(kumulatif)} ≥ {desimal(kebutuhan)}: kebutuhan kenaikan {kenaikan} sudah terpenuhi"
        return TargetPrakiraan(True, kebutuhan, kumulatif, Fraction(0), True, 0, "", rumus)
    ak_per_tahun = persen / 100 * koefisien
    exact = kekurangan * 12 / ak_per_tahun
    bulan = math.ceil(exact)
    tercapai = tambah_bulan(mulai, bulan - 1)
    hasil = f"{bulan} bulan" if exact == bulan else f"⌈{desimal(exact)}⌉ = {bulan} bulan"
    rumus = (
        f"({desimal(kebutuhan)} − {desimal(kumulatif)}) × 12 / ({angka(persen)} % × {angka(koefisien)}) = "
        f"{hasil} → {bulan_teks(tercapai.year, tercapai.month)}"
    )
    return TargetPrakiraan(
        True,
        kebutuhan,
        kumulatif,
        kekurangan,
        False,
        bulan,
        f"{tercapai.year:04d}-{tercapai.month:02d}",
        rumus,
    )


def prakiraan(
    *,
    jenjang: str,
    golongan: str,
    kumulatif_pangkat: Fraction,
    kumulatif_jenjang: Fraction,
    predikat_terakhir: Predikat | None,
    mulai: date,
    aturan: AturanAngkaKredit,
    hari_ini: date | None = None,
) -> Prakiraan:
    """The forecast for every predikat (`saat_ini` on the latest final one). `mulai`: see `mulai_bulan`;
    the cumulative figures: kumulatif.jumlah_saat_ini over the pegawai's PAKs. Unknown jenjang:
    JENJANG_TIDAK_DIKENAL."""
    found = aturan.jenjang_of(jenjang)
    mulai = date(mulai.year, mulai.month, 1)
    skenario = []
    for predikat in Predikat:
        persen = aturan.persen(predikat)
        per_tahun = persen / 100 * found.koefisien
        skenario.append(
            SkenarioPrakiraan(
                predikat=predikat,
                saat_ini=predikat == predikat_terakhir,
                ak_per_tahun=per_tahun,
                rumus_per_tahun=f"{angka(persen)} % × {angka(found.koefisien)} = {desimal(per_tahun)} per tahun",
                kenaikan_pangkat=_target(
                    found.kebutuhan_pangkat,
                    kumulatif_pangkat,
                    persen,
                    found.koefisien,
                    mulai,
                    "pangkat",
                    found.nama,
                ),
                kenaikan_jenjang=_target(
                    found.kebutuhan_jenjang,
                    kumulatif_jenjang,
                    persen,
                    found.koefisien,
                    mulai,
                    "jenjang",
                    found.nama,
                ),
            )
        )
    dasar = (
        f"predikat terakhir {PREDIKAT_LABEL[predikat_terakhir]}"
        if predikat_terakhir is not None
        else "belum ada predikat akhir"
    )
    catatan = (
        f"Prakiraan menganggap setiap bulan sejak {bulan_teks(mulai.year, mulai.month)} dinilai dengan "
        f"predikat yang sama ({dasar}); angka kredit menurut {aturan.versi}. Kumulatif menghitung PAK jenjang "
        f"{found.nama} (dan golongan {golongan} untuk kenaikan pangkat) dari semua status."
    )
    if hari_ini is not None and (mulai.year, mulai.month) < (hari_ini.year, hari_ini.month):
        catatan += (
            f" Belum ada PAK sejak {bulan_teks(mulai.year, mulai.month)}: bulan tercapai yang sudah lewat berarti "
            "kebutuhan terpenuhi begitu predikat bulan-bulan itu dikonversi menjadi PAK."
        )
    return Prakiraan(
        jenjang=found.nama,
        golongan=golongan,
        koefisien=found.koefisien,
        jenjang_berikutnya=found.jenjang_berikutnya,
        kumulatif_pangkat=kumulatif_pangkat,
        kumulatif_jenjang=kumulatif_jenjang,
        mulai_bulan=f"{mulai.year:04d}-{mulai.month:02d}",
        predikat_terakhir=predikat_terakhir,
        skenario=tuple(skenario),
        catatan=catatan,
        aturan_versi=aturan.versi,
        aturan_sumber=aturan.sumber,
    )
