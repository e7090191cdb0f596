"""NIP (Nomor Induk Pegawai) and NIK checks: 18 digits carrying a birth date, a CPNS month, gender, sequence."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from org.domain.values import MIN_YEAR

PPPK_CODE = 21
"""PPPK NIPs carry the code 21 where a PNS NIP has the CPNS month (digits 13-14)."""

MIN_AGE_AT_APPOINTMENT = 15


@dataclass(frozen=True)
class NipProblem:
    """One reason a NIP is malformed: a stable code and an Indonesian message."""

    code: str
    message: str


@dataclass(frozen=True)
class NipInfo:
    """What an 18-digit NIP says about its holder."""

    tanggal_lahir: date
    tahun_pengangkatan: int
    # None for PPPK (the month position holds the PPPK code).
    bulan_pengangkatan: int | None
    jenis_kelamin: str  # "L" or "P"
    nomor_urut: int

    @property
    def pppk(self) -> bool:
        return self.bulan_pengangkatan is None


def check_nip(nip: str, today: date) -> tuple[NipInfo | None, list[NipProblem]]:
    """Parses a NIP; returns its info, or None with every problem found."""
    if not nip:
        return None, [NipProblem("NIP_REQUIRED", "NIP wajib diisi.")]
    if not re.fullmatch(r"[0-9]{18}", nip):
        return None, [NipProblem("NIP_FORMAT", "NIP harus terdiri dari tepat 18 digit angka.")]
    problems: list[NipProblem] = []
    birth = _birth_date(nip[0:8], today)
    if birth is None:
        problems.append(
            NipProblem(
                "NIP_BIRTH_DATE",
                f"Digit 1-8 NIP harus tanggal lahir yang valid (TTTTBBHH, tahun {MIN_YEAR} s.d. {today.year}).",
            )
        )
    year, month = int(nip[8:12]), int(nip[12:14])
    month_ok = 1 <= month <= 12 or month == PPPK_CODE
    year_ok = MIN_YEAR <= year <= today.year + 1
    if birth is not None and year < birth.year + MIN_AGE_AT_APPOINTMENT:
        year_ok = False
    if not (month_ok and year_ok):
        problems.append(
            NipProblem(
                "NIP_TMT",
                "Digit 9-14 NIP harus tahun dan bulan pengangkatan yang valid (TTTTBB), "
                f"paling cepat {MIN_AGE_AT_APPOINTMENT} tahun setelah tahun lahir.",
            )
        )
    gender = nip[14]
    if gender not in "12":
        problems.append(NipProblem("NIP_GENDER", "Digit 15 NIP harus 1 (laki-laki) atau 2 (perempuan)."))
    sequence = int(nip[15:18])
    if sequence == 0:
        problems.append(NipProblem("NIP_SEQUENCE", "Tiga digit terakhir NIP (nomor urut) tidak boleh 000."))
    if problems or birth is None:
        return None, problems
    return (
        NipInfo(
            tanggal_lahir=birth,
            tahun_pengangkatan=year,
            bulan_pengangkatan=None if month == PPPK_CODE else month,
            jenis_kelamin="L" if gender == "1" else "P",
            nomor_urut=sequence,
        ),
        [],
    )


def _birth_date(digits: str, today: date) -> date | None:
    try:
        born = date(int(digits[0:4]), int(digits[4:6]), int(digits[6:8]))
    except ValueError:
        return None
    if born.year < MIN_YEAR or born > today:
        return None
    return born


def check_nik(nik: str) -> list[NipProblem]:
    """A NIK (Nomor Induk Kependudukan) is exactly 16 digits."""
    if not nik:
        return [NipProblem("NIK_REQUIRED", "NIK wajib diisi.")]
    if not re.fullmatch(r"[0-9]{16}", nik):
        return [NipProblem("NIK_FORMAT", "NIK harus terdiri dari tepat 16 digit angka.")]
    return []
