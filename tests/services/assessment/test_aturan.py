"""The rule data of assessment: the predikat matrix cell by cell, capaian → rating, the keberatan window,
and the enums tied to the contract's."""

from __future__ import annotations

from datetime import date

import pytest

from assessment.domain import aturan
from assessment.domain.aturan import Capaian, Predikat, Rating, batas_keberatan, predikat_for
from kinerja.assessment.v1 import assessment_pb2

DAY = date(2026, 3, 31)

# domain.md "Assessment": rows hasil kerja, columns perilaku kerja.
MATRIX = [
    (Rating.DI_ATAS, Rating.DI_ATAS, Predikat.SANGAT_BAIK),
    (Rating.DI_ATAS, Rating.SESUAI, Predikat.BAIK),
    (Rating.DI_ATAS, Rating.DI_BAWAH, Predikat.KURANG),
    (Rating.SESUAI, Rating.DI_ATAS, Predikat.BAIK),
    (Rating.SESUAI, Rating.SESUAI, Predikat.BAIK),
    (Rating.SESUAI, Rating.DI_BAWAH, Predikat.KURANG),
    (Rating.DI_BAWAH, Rating.DI_ATAS, Predikat.BUTUH_PERBAIKAN),
    (Rating.DI_BAWAH, Rating.SESUAI, Predikat.BUTUH_PERBAIKAN),
    (Rating.DI_BAWAH, Rating.DI_BAWAH, Predikat.SANGAT_KURANG),
]


@pytest.mark.parametrize(("hasil", "perilaku", "expected"), MATRIX)
def test_every_cell_of_the_matrix(hasil: Rating, perilaku: Rating, expected: Predikat) -> None:
    predikat, matriks = predikat_for(hasil, perilaku, DAY)
    assert predikat == expected
    assert matriks.versi == "PermenPAN-RB 6/2022"
    assert matriks.berlaku_sejak == date(2022, 1, 1)
    assert "6 Tahun 2022" in matriks.sumber


def test_the_matrix_covers_all_nine_pairs_once() -> None:
    for matriks in aturan.MATRIKS:
        assert set(matriks.sel) == {(h, p) for h in Rating for p in Rating}


def test_a_later_rule_applies_from_its_day_and_not_before() -> None:
    newer = aturan.Matriks(
        "Uji 2030", date(2030, 1, 1), "uji", {k: Predikat.BAIK for k in aturan.MATRIKS[0].sel}
    )
    versions = (*aturan.MATRIKS, newer)
    assert aturan.in_force(versions, date(2029, 12, 31)).versi == "PermenPAN-RB 6/2022"
    assert aturan.in_force(versions, date(2030, 1, 1)).versi == "Uji 2030"


@pytest.mark.parametrize(
    ("capaian", "rating"),
    [
        (Capaian.ISTIMEWA, Rating.DI_ATAS),
        (Capaian.BAIK, Rating.SESUAI),
        (Capaian.BUTUH_PERBAIKAN, Rating.DI_BAWAH),
        (Capaian.KURANG, Rating.DI_BAWAH),
        (Capaian.SANGAT_KURANG, Rating.DI_BAWAH),
    ],
)
def test_a_units_capaian_gives_its_heads_rating_hasil_kerja(capaian: Capaian, rating: Rating) -> None:
    assert aturan.rating_dari_capaian(capaian, DAY) == rating


def test_keberatan_window_is_fourteen_days_with_the_last_day_included() -> None:
    assert batas_keberatan(date(2026, 4, 1)) == date(2026, 4, 15)
    assert batas_keberatan(date(2026, 12, 25)) == date(2027, 1, 8)


def test_the_explanation_names_both_ratings_the_rule_and_its_date() -> None:
    predikat, matriks = predikat_for(Rating.SESUAI, Rating.DI_ATAS, DAY)
    text = aturan.uraian_predikat(predikat, Rating.SESUAI, Rating.DI_ATAS, matriks)
    assert text == (
        "Rating hasil kerja Sesuai Ekspektasi dan rating perilaku kerja Di Atas Ekspektasi memberi predikat "
        "Baik menurut matriks PermenPAN-RB 6/2022 (berlaku sejak 2022-01-01)."
    )
    from_capaian = aturan.uraian_predikat(predikat, Rating.SESUAI, Rating.DI_ATAS, matriks, Capaian.BAIK)
    assert "(dari capaian kinerja organisasi Baik)" in from_capaian


@pytest.mark.parametrize(
    ("enum", "proto_enum", "prefix"),
    [
        (aturan.Rating, assessment_pb2.Rating, "RATING_"),
        (aturan.Predikat, assessment_pb2.Predikat, "PREDIKAT_"),
        (aturan.Capaian, assessment_pb2.Capaian, "CAPAIAN_"),
        (aturan.StatusPenilaian, assessment_pb2.StatusPenilaian, "STATUS_PENILAIAN_"),
        (aturan.StatusKeberatan, assessment_pb2.StatusKeberatan, "STATUS_KEBERATAN_"),
    ],
)
def test_domain_enums_are_the_contracts(enum: type, proto_enum: object, prefix: str) -> None:
    """Declared once in the proto; the domain's copies must name and number the same values."""
    values = {n.removeprefix(prefix): v for n, v in proto_enum.items() if not n.endswith("UNSPECIFIED")}  # type: ignore[attr-defined]
    aliases = {
        "DI_ATAS_EKSPEKTASI": "DI_ATAS",
        "SESUAI_EKSPEKTASI": "SESUAI",
        "DI_BAWAH_EKSPEKTASI": "DI_BAWAH",
    }
    assert {aliases.get(k, k): v for k, v in values.items()} == {m.name: m.value for m in enum}  # type: ignore[attr-defined]
