"""NIP and NIK rules (no database): 18 digits with a real birth date, CPNS month, gender and sequence."""

from __future__ import annotations

from datetime import date

import pytest

from org.domain.nip import check_nik, check_nip

TODAY = date(2026, 11, 20)


def problems(nip: str) -> set[str]:
    return {p.code for p in check_nip(nip, TODAY)[1]}


@pytest.mark.parametrize(
    "nip",
    [
        "199106192020122005",  # from the manual (Gambar 2.14)
        "196507041985091001",
        "197301092000032001",
        "200002292025011001",  # 29 February of a leap year
        "198801012022212001",  # PPPK: code 21 in the month position
    ],
)
def test_valid_nips(nip: str) -> None:
    info, found = check_nip(nip, TODAY)
    assert found == []
    assert info is not None and info.tanggal_lahir.year == int(nip[:4])


def test_info_of_a_nip() -> None:
    info, _ = check_nip("199106192020122005", TODAY)
    assert info is not None
    assert info.tanggal_lahir == date(1991, 6, 19)
    assert (info.tahun_pengangkatan, info.bulan_pengangkatan) == (2020, 12)
    assert info.jenis_kelamin == "P" and info.nomor_urut == 5 and not info.pppk
    pppk, _ = check_nip("198801012022212001", TODAY)
    assert pppk is not None and pppk.pppk


@pytest.mark.parametrize(
    ("nip", "code"),
    [
        ("", "NIP_REQUIRED"),
        ("19910619202012200", "NIP_FORMAT"),  # 17 digits
        ("1979112820022121001", "NIP_FORMAT"),  # 19 digits (a typo in the manual's own list)
        ("19910619202012200A", "NIP_FORMAT"),
        ("1991 06192020122005", "NIP_FORMAT"),
        ("199102302020122005", "NIP_BIRTH_DATE"),  # 30 February
        ("199113012020122005", "NIP_BIRTH_DATE"),  # month 13
        ("199106002020122005", "NIP_BIRTH_DATE"),  # day 0
        ("193512012000011001", "NIP_BIRTH_DATE"),  # born before 1940
        ("202712012050011001", "NIP_BIRTH_DATE"),  # born in the future
        ("199106192020132005", "NIP_TMT"),  # CPNS month 13
        ("199106192020002005", "NIP_TMT"),  # CPNS month 0
        ("199106192000012005", "NIP_TMT"),  # appointed at 9 years old
        ("199106192031012005", "NIP_TMT"),  # appointed years from now
        ("199106192020123005", "NIP_GENDER"),
        ("199106192020120005", "NIP_GENDER"),
        ("199106192020122000", "NIP_SEQUENCE"),
    ],
)
def test_malformed_nips(nip: str, code: str) -> None:
    info, found = check_nip(nip, TODAY)
    assert info is None
    assert code in {p.code for p in found}
    assert all(p.message for p in found)


def test_every_problem_is_reported_at_once() -> None:
    assert problems("199102302020133000") == {"NIP_BIRTH_DATE", "NIP_TMT", "NIP_GENDER", "NIP_SEQUENCE"}


def test_nik() -> None:
    assert check_nik("3316012208700001") == []
    assert [p.code for p in check_nik("")] == ["NIK_REQUIRED"]
    assert [p.code for p in check_nik("331601220870000")] == ["NIK_FORMAT"]
    assert [p.code for p in check_nik("33160122087000011")] == ["NIK_FORMAT"]
