"""The forecast (exact and non-exact ceilings, a jenjang without kenaikan jenjang, already met) and the SK
number format (valid, missing {nomor}, unknown placeholder, padding, roman months, at most 50 characters)."""

from __future__ import annotations

from datetime import date
from fractions import Fraction

import pytest

from angka_kredit.domain.aturan import Predikat, aturan_pada
from angka_kredit.domain.errors import JenjangTidakDikenal
from angka_kredit.domain.penomoran import FORMAT_BAKU, contoh, periksa_format, render
from angka_kredit.domain.prakiraan import Prakiraan, mulai_bulan, prakiraan, tambah_bulan
from kinerja_kit.errors import DomainError

RULE = aturan_pada(date(2025, 1, 1))


def forecast(jenjang: str = "Ahli Pertama", kp: Fraction = Fraction(175, 16), kj: Fraction = Fraction(175, 16),
             predikat: Predikat | None = Predikat.SANGAT_BAIK, mulai: date = date(2025, 1, 1)) -> Prakiraan:  # fmt: skip
    return prakiraan(
        jenjang=jenjang, golongan="III/a", kumulatif_pangkat=kp, kumulatif_jenjang=kj,
        predikat_terakhir=predikat, mulai=mulai, aturan=RULE,
    )  # fmt: skip


def test_forecast_exact_ceiling_from_the_worked_example() -> None:
    got = forecast()
    assert (got.jenjang, got.koefisien, got.jenjang_berikutnya, got.mulai_bulan) == (
        "Ahli Pertama", Fraction(25, 2), "Ahli Muda", "2025-01",
    )  # fmt: skip
    assert [s.predikat for s in got.skenario] == list(Predikat)
    assert [s.saat_ini for s in got.skenario] == [True, False, False, False, False]
    sb = got.skenario[0]
    assert sb.ak_per_tahun == Fraction(75, 4)
    assert sb.rumus_per_tahun == "150 % × 12.5 = 18.75 per tahun"
    kp = sb.kenaikan_pangkat
    assert (kp.berlaku, kp.kebutuhan, kp.kekurangan, kp.sudah_terpenuhi) == (
        True,
        50,
        Fraction(625, 16),
        False,
    )
    assert (kp.bulan_dibutuhkan, kp.bulan_tercapai) == (25, "2027-01")
    assert kp.rumus == "(50 − 10.9375) × 12 / (150 % × 12.5) = 25 bulan → Januari 2027"
    kj = sb.kenaikan_jenjang
    # (100 − 10.9375) × 12 / 18.75 = 57 exactly
    assert (kj.bulan_dibutuhkan, kj.bulan_tercapai) == (57, "2029-09")
    assert kj.rumus == "(100 − 10.9375) × 12 / (150 % × 12.5) = 57 bulan → September 2029"
    assert got.aturan_versi == "PermenPAN-RB 1/2023"
    assert "Januari 2025" in got.catatan and "Sangat Baik" in got.catatan


def test_forecast_non_exact_ceiling() -> None:
    baik = forecast(kp=Fraction(10), kj=Fraction(10)).skenario[1]
    # (50 − 10) × 12 / 12.5 = 38.4 → 39 months from January 2025: March 2028
    assert (baik.kenaikan_pangkat.bulan_dibutuhkan, baik.kenaikan_pangkat.bulan_tercapai) == (39, "2028-03")
    assert baik.kenaikan_pangkat.rumus == "(50 − 10) × 12 / (100 % × 12.5) = ⌈38.4⌉ = 39 bulan → Maret 2028"
    sk = forecast(kp=Fraction(0), kj=Fraction(0)).skenario[4]
    # 50 × 12 / 3.125 = 192 exactly; 100 × 12 / 3.125 = 384
    assert (sk.kenaikan_pangkat.bulan_dibutuhkan, sk.kenaikan_jenjang.bulan_dibutuhkan) == (192, 384)
    # a recurring decimal: (15 − 1) × 12 / (75 % × 3.75) = 59.7333… → 60
    bp = forecast("Pemula", Fraction(1), Fraction(1)).skenario[2]
    assert bp.kenaikan_pangkat.bulan_dibutuhkan == 60
    assert "⌈59.7333⌉ = 60 bulan" in bp.kenaikan_pangkat.rumus


def test_forecast_without_kenaikan_jenjang() -> None:
    got = forecast("Penyelia", Fraction(20), Fraction(20), predikat=None)
    assert got.jenjang_berikutnya is None
    for s in got.skenario:
        assert not s.saat_ini
        kj = s.kenaikan_jenjang
        assert (kj.berlaku, kj.kebutuhan, kj.bulan_dibutuhkan, kj.bulan_tercapai) == (False, None, 0, "")
        assert kj.rumus == "Jenjang Penyelia tidak mempunyai kenaikan jenjang."
        assert s.kenaikan_pangkat.berlaku
    assert "belum ada predikat akhir" in got.catatan


def test_forecast_already_met() -> None:
    got = forecast(kp=Fraction(50), kj=Fraction(60))
    kp = got.skenario[0].kenaikan_pangkat
    assert (kp.sudah_terpenuhi, kp.kekurangan, kp.bulan_dibutuhkan, kp.bulan_tercapai) == (True, 0, 0, "")
    assert kp.rumus == "50 ≥ 50: kebutuhan kenaikan pangkat sudah terpenuhi"
    assert not got.skenario[0].kenaikan_jenjang.sudah_terpenuhi
    # one month short of a full month's AK: one month
    one = forecast(kp=Fraction(50) - Fraction(1, 100), kj=Fraction(0)).skenario[0].kenaikan_pangkat
    assert (one.bulan_dibutuhkan, one.bulan_tercapai) == (1, "2025-01")


def test_forecast_start_month() -> None:
    assert mulai_bulan(date(2024, 12, 31), date(2025, 6, 3)) == date(2025, 1, 1)
    assert mulai_bulan(date(2025, 3, 31), date(2025, 6, 3)) == date(2025, 4, 1)
    assert mulai_bulan(None, date(2025, 6, 3)) == date(2025, 6, 1)
    assert tambah_bulan(date(2025, 11, 1), 2) == date(2026, 1, 1)
    assert forecast(mulai=date(2025, 6, 17)).mulai_bulan == "2025-06"
    with pytest.raises(JenjangTidakDikenal):
        forecast("Ahli Menengah")


# --- numbering --------------------------------------------------------------------------------------


def refused(fmt: str) -> str:
    with pytest.raises(DomainError) as error:
        periksa_format(fmt)
    assert error.value.violations[0].code == "FORMAT_NOMOR_TIDAK_SAH"
    assert error.value.violations[0].field == "format_nomor"
    return error.value.message


def test_valid_formats_and_rendering() -> None:
    assert FORMAT_BAKU == "{nomor}/PAK/{tahun}"
    assert render(FORMAT_BAKU, 7, 2025, 3) == "7/PAK/2025"
    assert render("{nomor:4}/PAK/BKD/{bulan_romawi}/{tahun}", 7, 2025, 3) == "0007/PAK/BKD/III/2025"
    assert render("800.{bulan}/{nomor:3}/{tahun}", 12, 2025, 9) == "800.09/012/2025"
    assert render("{nomor:2}", 12345, 2025, 1) == "12345"  # padding never cuts
    assert [render("{bulan_romawi}-{nomor}", 1, 2025, m).split("-")[0] for m in range(1, 13)] == [
        "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII",
    ]  # fmt: skip
    assert periksa_format("  {nomor}/PAK  /{tahun} ") == "{nomor}/PAK /{tahun}"
    assert periksa_format("") == FORMAT_BAKU
    assert contoh("{nomor:4}/{tahun}") == "0001/2025"


def test_refused_formats() -> None:
    assert "{nomor}" in refused("PAK/{tahun}")
    assert "satu kali" in refused("{nomor}/{nomor:3}")
    assert "{seri}" in refused("{nomor}/{seri}")
    refused("{nomor}/{Tahun}")
    refused("{nomor:0}")
    refused("{nomor:9}")
    refused("{nomor:x}")
    refused("{nomor}/PAK/{tahun")
    refused("{nomor}}")
    refused("{{nomor}}")
    refused("{}{nomor}")
    refused("{nomor}\x00")


def test_format_length_at_most_50_with_a_six_digit_number() -> None:
    # 6 digits + 44 characters = 50: accepted; one more refused
    fmt = "{nomor}/" + "A" * 43
    assert periksa_format(fmt) == fmt
    assert len(render(fmt, 999_999, 2025, 1)) == 50
    assert "50" in refused("{nomor}/" + "A" * 44)
    # widest month and year count: VIII and 4 digits
    refused("{nomor}/{bulan_romawi}/{tahun}/" + "B" * 35)  # 6+1+4+1+4+1+35 = 52
    assert periksa_format("{nomor:8}/" + "C" * 41)  # 8 + 42 = 50
    refused("{nomor:8}/" + "C" * 42)
    with pytest.raises(DomainError) as too_long:
        render(fmt, 1_000_000, 2025, 1)  # a seventh digit
    assert too_long.value.reason == "NOMOR_SK_TIDAK_SAH"
    with pytest.raises(DomainError):
        render(FORMAT_BAKU, 0, 2025, 1)


def test_a_forecast_counting_from_a_past_month_says_what_a_past_month_means() -> None:
    past = prakiraan(
        jenjang="Ahli Pertama", golongan="III/a", kumulatif_pangkat=Fraction(25, 2), kumulatif_jenjang=Fraction(25, 2),
        predikat_terakhir=None, mulai=date(2023, 1, 1), aturan=RULE, hari_ini=date(2026, 12, 1),
    )  # fmt: skip
    assert past.skenario[0].kenaikan_pangkat.bulan_tercapai == "2024-12"
    assert "Belum ada PAK sejak Januari 2023" in past.catatan and "sudah lewat" in past.catatan
    current = prakiraan(
        jenjang="Ahli Pertama", golongan="III/a", kumulatif_pangkat=Fraction(0), kumulatif_jenjang=Fraction(0),
        predikat_terakhir=None, mulai=date(2026, 12, 1), aturan=RULE, hari_ini=date(2026, 12, 15),
    )  # fmt: skip
    assert "Belum ada PAK" not in current.catatan
