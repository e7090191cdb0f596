"""Cumulative AK at a PAK: same jenjang and golongan for kenaikan pangkat, same jenjang for kenaikan
jenjang, in (tanggal_selesai, created) order, konversi and integrasi alike; the form's figures against
kebutuhan 50 and 100 (002 §2.15)."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from fractions import Fraction

from angka_kredit.domain.aturan import aturan_pada
from angka_kredit.domain.kumulatif import (
    PakRingkas,
    hitung_kumulatif,
    jumlah_saat_ini,
    kumulatif,
    kumulatif_semua,
)

T0 = datetime(2025, 1, 10, tzinfo=UTC)


def row(
    ak: Fraction | int,
    selesai: date,
    jenjang: str = "Ahli Pertama",
    golongan: str = "III/a",
    created: datetime = T0,
    n: int = 0,
) -> PakRingkas:
    return PakRingkas(uuid.UUID(int=n + 1), jenjang, golongan, selesai, created, Fraction(ak))


def test_worked_example_first_pak() -> None:
    kp, kj = kumulatif([row(Fraction(175, 16), date(2024, 12, 31))], 0)
    assert (kp.lama, kp.diperoleh, kp.baru, kp.kebutuhan) == (0, Fraction(175, 16), Fraction(175, 16), 50)
    assert not kp.terpenuhi
    assert kp.kekurangan == Fraction(625, 16)  # 39.0625
    assert kp.uraian == "10.9375 + 0 = 10.9375 dari kebutuhan 50 (kurang 39.0625)"
    assert kp.kenaikan == "pangkat"
    assert (kj.baru, kj.kebutuhan, kj.kekurangan) == (Fraction(175, 16), 100, Fraction(1425, 16))
    assert kj.uraian == "10.9375 + 0 = 10.9375 dari kebutuhan 100 (kurang 89.0625)"
    assert kj.kenaikan == "jenjang"


def test_mixed_golongan_jenjang_and_integrasi() -> None:
    rows = [
        # integrasi of 2022 (Ahli Pertama, III/a), then konversi of 2023 in III/a, then III/b in 2024
        row(30, date(2022, 12, 31), n=0),
        row(Fraction(75, 4), date(2023, 12, 31), n=1),  # 18.75
        row(Fraction(25, 2), date(2024, 12, 31), golongan="III/b", n=2),
        # another jenjang, never counted with Ahli Pertama
        row(25, date(2024, 6, 30), jenjang="Ahli Muda", golongan="III/b", n=3),
    ]
    kp, kj = kumulatif(rows, 2)
    assert (kp.lama, kp.baru) == (0, Fraction(25, 2))  # III/b: nothing before it
    assert (kj.lama, kj.baru) == (Fraction(195, 4), Fraction(245, 4))  # 48.75 + 12.5 = 61.25
    assert kj.uraian == "12.5 + 48.75 = 61.25 dari kebutuhan 100 (kurang 38.75)"
    kp, kj = kumulatif(rows, 1)
    assert (kp.lama, kp.baru, kp.terpenuhi) == (30, Fraction(195, 4), False)
    assert kp.uraian == "18.75 + 30 = 48.75 dari kebutuhan 50 (kurang 1.25)"
    kp, kj = kumulatif(rows, 3)
    assert (kp.lama, kj.lama, kp.kebutuhan, kj.kebutuhan) == (0, 0, 100, 200)


def test_order_is_by_tanggal_selesai_then_created() -> None:
    later = datetime(2025, 2, 1, tzinfo=UTC)
    rows = [
        row(10, date(2024, 6, 30), created=later, n=0),
        row(20, date(2024, 6, 30), created=T0, n=1),  # same day, created first
        row(40, date(2024, 12, 31), created=T0, n=2),
        row(5, date(2024, 3, 31), created=later, n=3),  # input order is not the order
    ]
    assert kumulatif(rows, 1)[0].lama == 5
    assert kumulatif(rows, 0)[0].lama == 25
    assert kumulatif(rows, 2)[0].lama == 35
    assert kumulatif(rows, 3)[0].lama == 0
    semua = kumulatif_semua(rows)
    assert semua[rows[2].id][1].baru == 75


def test_terpenuhi_and_golongan_or_jenjang_written_loosely() -> None:
    rows = [
        row(45, date(2023, 12, 31), golongan="III/a", n=0),
        row(5, date(2024, 12, 31), "ahli  pertama", " iii/A", n=1),
    ]
    kp, kj = kumulatif(rows, 1)
    assert (kp.baru, kp.terpenuhi, kp.kekurangan) == (50, True, 0)
    assert kp.uraian == "5 + 45 = 50 dari kebutuhan 50 (terpenuhi)"
    assert not kj.terpenuhi


def test_jenjang_without_kenaikan_jenjang() -> None:
    kp, kj = kumulatif([row(25, date(2024, 12, 31), jenjang="Penyelia")], 0)
    assert kp.kebutuhan == 100
    assert (kj.kebutuhan, kj.terpenuhi, kj.kekurangan) == (None, False, 0)
    assert kj.uraian == "25 + 0 = 25 (tidak ada kenaikan jenjang)"


def test_dengan_diperoleh_keeps_what_was_before() -> None:
    kp = hitung_kumulatif(Fraction(30), Fraction(175, 16), Fraction(50))
    again = kp.dengan_diperoleh(Fraction(25, 2))
    assert (again.lama, again.baru, again.kebutuhan) == (30, Fraction(85, 2), 50)
    kj = hitung_kumulatif(Fraction(0), Fraction(1), None, "jenjang")
    assert kj.dengan_diperoleh(Fraction(2)).uraian == "2 + 0 = 2 (tidak ada kenaikan jenjang)"


def test_rule_is_the_one_in_force_or_given() -> None:
    rows = [row(1, date(2024, 12, 31), jenjang="Pemula")]
    assert kumulatif(rows, 0, aturan_pada(date(2024, 1, 1)))[0].kebutuhan == 15


def test_current_totals_for_a_forecast() -> None:
    rows = [
        row(30, date(2022, 12, 31), n=0),
        row(10, date(2023, 12, 31), golongan="III/b", n=1),
        row(99, date(2023, 12, 31), jenjang="Ahli Muda", n=2),
    ]
    assert jumlah_saat_ini(rows, "Ahli Pertama", "III/b") == (10, 40)
    assert jumlah_saat_ini([], "Ahli Pertama", "III/b") == (0, 0)
