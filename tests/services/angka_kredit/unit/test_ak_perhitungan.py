"""Rule data, reading forms and the AK of one periode: every jenjang × every predikat over 12 months,
partial periods, the TMT jabatan inside and after the periode, and the form's worked example (002 §2.15)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest

from angka_kredit.domain.aturan import (
    ATURAN,
    CaraHitungBulan,
    Predikat,
    aturan_pada,
    jenjang_dikenal,
)
from angka_kredit.domain.errors import JenjangTidakDikenal, PredikatTidakDikenal
from angka_kredit.domain.nilai import angka, dari_pecahan, desimal, nilai_ak, pecahan, tampil
from angka_kredit.domain.perhitungan import hitung, jumlah_bulan

ATURAN_2024 = aturan_pada(date(2024, 12, 31))
SB, B, BP, K, SK = (
    Predikat.SANGAT_BAIK,
    Predikat.BAIK,
    Predikat.BUTUH_PERBAIKAN,
    Predikat.KURANG,
    Predikat.SANGAT_KURANG,
)
PENUH, TMT = CaraHitungBulan.BULAN_PENUH, CaraHitungBulan.BULAN_TMT

# AK of 12 months, by jenjang then predikat (Sangat Baik, Baik, Butuh Perbaikan, Kurang, Sangat Kurang).
SETAHUN = {
    "Pemula": ("5.625", "3.75", "2.8125", "1.875", "0.9375"),
    "Terampil": ("7.5", "5", "3.75", "2.5", "1.25"),
    "Mahir": ("18.75", "12.5", "9.375", "6.25", "3.125"),
    "Penyelia": ("37.5", "25", "18.75", "12.5", "6.25"),
    "Ahli Pertama": ("18.75", "12.5", "9.375", "6.25", "3.125"),
    "Ahli Muda": ("37.5", "25", "18.75", "12.5", "6.25"),
    "Ahli Madya": ("56.25", "37.5", "28.125", "18.75", "9.375"),
    "Ahli Utama": ("75", "50", "37.5", "25", "12.5"),
}
KOEFISIEN = {
    "Pemula": "3.75",
    "Terampil": "5",
    "Mahir": "12.5",
    "Penyelia": "25",
    "Ahli Pertama": "12.5",
    "Ahli Muda": "25",
    "Ahli Madya": "37.5",
    "Ahli Utama": "50",
}
PERSEN = {SB: "150", B: "100", BP: "75", K: "50", SK: "25"}


# --- rule data --------------------------------------------------------------------------------------


def test_rule_in_force_and_its_source() -> None:
    assert aturan_pada(date(2023, 1, 1)) is ATURAN[0]
    assert aturan_pada(date(2022, 6, 30)) is ATURAN[0]  # before every rule: the first
    assert ATURAN_2024.versi == "PermenPAN-RB 1/2023"
    assert ATURAN_2024.berlaku_sejak == date(2023, 1, 1)
    assert "Nomor 1 Tahun 2023" in ATURAN_2024.sumber
    assert ATURAN_2024.cara_hitung_bulan is PENUH
    assert ATURAN_2024.cara_hitung_sumber.startswith("Jika TMT Jabatan lebih dari Periode Awal")
    assert ATURAN_2024.cara_hitung_uraian


def test_rule_numbers() -> None:
    assert {p: angka(ATURAN_2024.persen(p)) for p in Predikat} == PERSEN
    table = {
        j.nama: (
            angka(j.koefisien),
            j.kebutuhan_pangkat and angka(j.kebutuhan_pangkat),
            j.kebutuhan_jenjang and angka(j.kebutuhan_jenjang),
            j.jenjang_berikutnya,
        )
        for j in ATURAN_2024.jenjang
    }
    assert table == {
        "Pemula": ("3.75", "15", "15", "Terampil"),
        "Terampil": ("5", "20", "60", "Mahir"),
        "Mahir": ("12.5", "50", "100", "Penyelia"),
        "Penyelia": ("25", "100", None, None),
        "Ahli Pertama": ("12.5", "50", "100", "Ahli Muda"),
        "Ahli Muda": ("25", "100", "200", "Ahli Madya"),
        "Ahli Madya": ("37.5", "150", "450", "Ahli Utama"),
        "Ahli Utama": ("50", "200", None, None),
    }
    assert ATURAN_2024.jenjang_of("Terampil").catatan == "satu sumber menyebut 40"
    for j in ATURAN_2024.jenjang:
        assert isinstance(j.koefisien, Fraction)


def test_jenjang_names_match_loosely() -> None:
    assert ATURAN_2024.jenjang_of("ahli  pertama").nama == "Ahli Pertama"
    assert ATURAN_2024.jenjang_of("  AHLI\tMUDA ").nama == "Ahli Muda"
    assert ATURAN_2024.cari_jenjang("Ahli Menengah") is None
    assert jenjang_dikenal("mahir", date(2024, 1, 1))
    assert not jenjang_dikenal("", date(2024, 1, 1))


def test_unknown_jenjang_and_predikat_are_domain_errors() -> None:
    with pytest.raises(JenjangTidakDikenal) as jenjang:
        ATURAN_2024.jenjang_of("Ahli Menengah")
    assert jenjang.value.reason == "JENJANG_TIDAK_DIKENAL"
    assert "Ahli Menengah" in jenjang.value.message
    with pytest.raises(PredikatTidakDikenal) as predikat:
        ATURAN_2024.persen(0)
    assert predikat.value.reason == "PREDIKAT_TIDAK_DIKENAL"
    with pytest.raises(JenjangTidakDikenal):
        hitung(12, SB, "Ahli Menengah", ATURAN_2024)
    with pytest.raises(PredikatTidakDikenal):
        hitung(12, 9, "Mahir", ATURAN_2024)


# --- reading forms ----------------------------------------------------------------------------------


def test_reading_forms() -> None:
    f = Fraction(175, 16)
    assert pecahan(f) == "175/16"
    assert pecahan(Fraction(50)) == "50"
    assert pecahan(0) == "0"
    assert desimal(f) == "10.9375"
    assert desimal(f, 4) == "10.9375"
    assert desimal(f, 3) == "10.938"
    assert tampil(f) == "10.938"
    assert desimal(Fraction(25, 2)) == "12.5"
    assert desimal(Fraction(50)) == "50"
    assert desimal(Fraction(0)) == "0"
    assert desimal(Fraction(1, 3)) == "0.3333"
    assert desimal(Fraction(2, 3)) == "0.6667"
    assert desimal(Fraction(1, 2000), 3) == "0.001"  # half up: 0.0005 → 0.001
    assert desimal(Fraction(1, 2001), 3) == "0"  # just below half
    assert desimal(Fraction(19999, 2000), 3) == "10"  # 9.9995 → 10.000 → "10" (no bare dot)
    assert desimal(Fraction(5, 2), 0) == "3"
    assert angka(Fraction(15, 4)) == "3.75"
    assert angka(150) == "150"
    value = nilai_ak(f)
    assert (value.nilai, value.pecahan, value.desimal, value.tampil) == (f, "175/16", "10.9375", "10.938")
    assert dari_pecahan("175/16") == f
    assert dari_pecahan("50") == 50


def test_negative_is_refused() -> None:
    for fn in (pecahan, desimal, tampil, nilai_ak):
        with pytest.raises(ValueError):
            fn(Fraction(-1, 2))


# --- the AK of one periode --------------------------------------------------------------------------


@pytest.mark.parametrize("jenjang", list(SETAHUN))
@pytest.mark.parametrize("index,predikat", list(enumerate([SB, B, BP, K, SK])))
def test_every_jenjang_every_predikat_twelve_months(jenjang: str, index: int, predikat: Predikat) -> None:
    got = hitung(12, predikat, jenjang, ATURAN_2024)
    expected = Fraction(Decimal(SETAHUN[jenjang][index]))
    assert got.angka_kredit == expected
    assert isinstance(got.angka_kredit, Fraction)
    assert got.jenjang == jenjang
    assert got.predikat is predikat
    assert got.persentase == int(PERSEN[predikat])
    assert got.koefisien == Fraction(Decimal(KOEFISIEN[jenjang]))
    assert got.persentase_teks == PERSEN[predikat]
    assert got.koefisien_teks == KOEFISIEN[jenjang]
    assert got.rumus == f"12 / 12 × {PERSEN[predikat]} % × {KOEFISIEN[jenjang]} = {tampil(expected)}"
    assert (got.aturan_versi, got.aturan_berlaku_sejak) == ("PermenPAN-RB 1/2023", date(2023, 1, 1))
    assert got.aturan_sumber == ATURAN_2024.sumber


def test_rumus_rounds_half_up_at_three_places() -> None:
    assert hitung(12, SK, "Pemula", ATURAN_2024).rumus == "12 / 12 × 25 % × 3.75 = 0.938"
    assert hitung(12, BP, "Pemula", ATURAN_2024).rumus == "12 / 12 × 75 % × 3.75 = 2.813"
    assert hitung(1, SK, "Pemula", ATURAN_2024).angka_kredit == Fraction(5, 64)  # 0.078125
    assert hitung(1, SK, "Pemula", ATURAN_2024).rumus == "1 / 12 × 25 % × 3.75 = 0.078"


def test_worked_example_of_the_form() -> None:
    for jenjang in ("Mahir", "Ahli Pertama"):
        got = hitung(7, SB, jenjang, ATURAN_2024, "Juni–Desember 2024 (7 bulan)")
        assert got.angka_kredit == Fraction(175, 16)
        assert desimal(got.angka_kredit) == "10.9375"
        assert tampil(got.angka_kredit) == "10.938"
        assert got.rumus == "7 / 12 × 150 % × 12.5 = 10.938"
        assert got.uraian_bulan == "Juni–Desember 2024 (7 bulan)"


@pytest.mark.parametrize(
    "bulan,expected",
    [
        (0, Fraction(0)),
        (1, Fraction(25, 16)),
        (3, Fraction(75, 16)),
        (6, Fraction(75, 8)),
        (7, Fraction(175, 16)),
    ],
)
def test_partial_periods(bulan: int, expected: Fraction) -> None:
    assert hitung(bulan, SB, "Ahli Pertama", ATURAN_2024).angka_kredit == expected


def test_months_outside_a_year_are_refused() -> None:
    with pytest.raises(ValueError):
        hitung(13, SB, "Mahir", ATURAN_2024)
    with pytest.raises(ValueError):
        hitung(-1, SB, "Mahir", ATURAN_2024)


# --- the months assessed ----------------------------------------------------------------------------

JAN, DES = date(2024, 1, 1), date(2024, 12, 31)


def test_months_without_tmt_or_tmt_before_the_periode() -> None:
    assert jumlah_bulan(JAN, DES, 12, None, PENUH) == (12, "Januari–Desember 2024 (12 bulan)")
    assert jumlah_bulan(JAN, DES, 12, date(2020, 3, 15), PENUH) == (12, "Januari–Desember 2024 (12 bulan)")
    assert jumlah_bulan(JAN, DES, 12, JAN, TMT) == (12, "Januari–Desember 2024 (12 bulan)")
    # a quarterly periode; a periode within one month; a periode across years
    assert jumlah_bulan(date(2024, 4, 1), date(2024, 6, 30), 3, None, PENUH) == (
        3,
        "April–Juni 2024 (3 bulan)",
    )
    assert jumlah_bulan(date(2024, 6, 1), date(2024, 6, 30), 1, None, PENUH) == (1, "Juni 2024 (1 bulan)")
    assert jumlah_bulan(date(2023, 11, 1), date(2024, 2, 29), 4, None, PENUH) == (
        4,
        "November 2023–Februari 2024 (4 bulan)",
    )


def test_tmt_on_the_first_of_a_month_inside_the_periode() -> None:
    expected = (7, "Juni–Desember 2024 (7 bulan), dihitung sejak TMT jabatan 1 Juni 2024")
    assert jumlah_bulan(JAN, DES, 12, date(2024, 6, 1), PENUH) == expected
    assert jumlah_bulan(JAN, DES, 12, date(2024, 6, 1), TMT) == expected


def test_tmt_in_the_middle_of_a_month_inside_the_periode() -> None:
    assert jumlah_bulan(JAN, DES, 12, date(2024, 6, 15), PENUH) == (
        6,
        "Juli–Desember 2024 (6 bulan), dihitung sejak TMT jabatan 15 Juni 2024",
    )
    assert jumlah_bulan(JAN, DES, 12, date(2024, 6, 15), TMT) == (
        7,
        "Juni–Desember 2024 (7 bulan), dihitung sejak TMT jabatan 15 Juni 2024",
    )
    # the periode's second day: the month of the TMT is January itself
    assert jumlah_bulan(JAN, DES, 12, date(2024, 1, 2), PENUH)[0] == 11
    assert jumlah_bulan(JAN, DES, 12, date(2024, 1, 2), TMT)[0] == 12


def test_tmt_in_the_last_month() -> None:
    assert jumlah_bulan(JAN, DES, 12, date(2024, 12, 1), PENUH)[0] == 1
    bulan, uraian = jumlah_bulan(JAN, DES, 12, date(2024, 12, 15), PENUH)
    assert bulan == 0
    assert "15 Desember 2024" in uraian
    assert jumlah_bulan(JAN, DES, 12, date(2024, 12, 31), TMT) == (
        1,
        "Desember 2024 (1 bulan), dihitung sejak TMT jabatan 31 Desember 2024",
    )


def test_tmt_after_the_periode_gives_no_month() -> None:
    bulan, uraian = jumlah_bulan(JAN, DES, 12, date(2025, 1, 1), PENUH)
    assert bulan == 0
    assert uraian.startswith("0 bulan: TMT jabatan 1 Januari 2025 sesudah periode Januari–Desember 2024")
    assert jumlah_bulan(JAN, date(2024, 6, 30), 6, date(2024, 7, 1), TMT)[0] == 0


def test_months_then_ak_mid_month() -> None:
    bulan, uraian = jumlah_bulan(JAN, DES, 12, date(2024, 6, 15), PENUH)
    got = hitung(bulan, B, "Ahli Muda", ATURAN_2024, uraian)
    assert got.angka_kredit == Fraction(25, 2)  # 6/12 × 100 % × 25
    assert got.rumus == "6 / 12 × 100 % × 25 = 12.5"
