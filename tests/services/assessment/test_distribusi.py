"""Pola distribusi: each capaian's bounds against a unit's mix, with which bound breaks and by how many."""

from __future__ import annotations

from datetime import date

from assessment.domain.aturan import Capaian, Predikat
from assessment.domain.distribusi import JenisBatas, periksa_pola, ringkasan

DAY = date(2026, 12, 31)
SB, B, BP, K, SK = (
    Predikat.SANGAT_BAIK,
    Predikat.BAIK,
    Predikat.BUTUH_PERBAIKAN,
    Predikat.KURANG,
    Predikat.SANGAT_KURANG,
)


def test_istimewa_allows_at_most_seventy_percent_sangat_baik() -> None:
    fits = periksa_pola(Capaian.ISTIMEWA, {SB: 7, B: 3}, DAY)
    assert fits.sesuai and fits.total == 10
    assert fits.batas[0].batas_jumlah == 7
    broken = periksa_pola(Capaian.ISTIMEWA, {SB: 8, B: 2}, DAY)
    assert not broken.sesuai
    assert (broken.batas[0].jumlah, broken.batas[0].selisih) == (8, 1)
    assert broken.batas[0].uraian == (
        "Paling banyak 70% Sangat Baik: 7 dari 10 pegawai dinilai; saat ini 8, kelebihan 1 pegawai."
    )


def test_baik_needs_one_butuh_perbaikan_or_kurang() -> None:
    broken = periksa_pola(Capaian.BAIK, {B: 2, SB: 1}, DAY)
    assert [b.terpenuhi for b in broken.batas] == [True, False]
    assert broken.batas[1].selisih == 1
    assert "Paling sedikit 1 pegawai Butuh Perbaikan atau Kurang" in broken.batas[1].uraian
    assert periksa_pola(Capaian.BAIK, {B: 2, K: 1}, DAY).sesuai


def test_percent_bounds_round_in_the_units_favour_of_the_rule() -> None:
    # 60 % of 7 is 4.2: at least 5 needed; 10 % of 7 is 0.7: at most 0 allowed.
    hasil = periksa_pola(Capaian.BUTUH_PERBAIKAN, {BP: 4, B: 3}, DAY)
    assert [(b.batas.jenis, b.batas_jumlah, b.selisih) for b in hasil.batas] == [
        (JenisBatas.PALING_SEDIKIT, 5, 1),
        (JenisBatas.PALING_BANYAK, 0, 0),
    ]


def test_kurang_and_sangat_kurang() -> None:
    assert periksa_pola(Capaian.KURANG, {K: 6, BP: 1, B: 3}, DAY).sesuai
    assert not periksa_pola(Capaian.KURANG, {K: 6, B: 4}, DAY).sesuai
    no_sangat_baik = periksa_pola(Capaian.SANGAT_KURANG, {SK: 6, K: 3, SB: 1}, DAY)
    assert [b.terpenuhi for b in no_sangat_baik.batas] == [True, True, False]
    assert periksa_pola(Capaian.SANGAT_KURANG, {SK: 6, BP: 1, K: 3}, DAY).sesuai


def test_nothing_to_check_without_a_capaian_or_before_anyone_is_rated() -> None:
    none = periksa_pola(None, {SB: 3}, DAY)
    assert none.sesuai and none.batas == ()
    assert ringkasan(none).startswith("Capaian kinerja organisasi belum ditetapkan")
    empty = periksa_pola(Capaian.BAIK, {}, DAY)
    assert empty.sesuai and all(b.selisih == 0 for b in empty.batas)


def test_the_summary_names_the_broken_bounds() -> None:
    text = ringkasan(periksa_pola(Capaian.ISTIMEWA, {SB: 10}, DAY))
    assert text.startswith("Sebaran predikat belum sesuai pola distribusi capaian Istimewa:")
    assert "kelebihan 3 pegawai" in text
    assert ringkasan(periksa_pola(Capaian.ISTIMEWA, {SB: 1, B: 1}, DAY)) == (
        "Sebaran predikat sesuai pola distribusi capaian Istimewa."
    )
