"""The regulation numbers of assessment as dated rule data, each with its source: the predikat matrix,
the capaian → rating hasil kerja of a unit's head, the keberatan window. Nothing here is typed by a user.

Each rule is a tuple of versions ordered by the day they take effect; the version in force on a day is
the last one that took effect on or before it. A new regulation is a new entry, never an edit of an old
one, so a predikat set under an old rule still explains itself with that rule.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Protocol, TypeVar


class Rating(enum.IntEnum):
    """Rating hasil kerja / perilaku kerja (values as in the contract)."""

    DI_ATAS = 1
    SESUAI = 2
    DI_BAWAH = 3


class Predikat(enum.IntEnum):
    SANGAT_BAIK = 1
    BAIK = 2
    BUTUH_PERBAIKAN = 3
    KURANG = 4  # "Kurang/Misconduct"
    SANGAT_KURANG = 5


class Capaian(enum.IntEnum):
    """Capaian kinerja organisasi of a JPT/mandiri unit (002 §2.5)."""

    ISTIMEWA = 1
    BAIK = 2
    BUTUH_PERBAIKAN = 3
    KURANG = 4
    SANGAT_KURANG = 5


class StatusPenilaian(enum.IntEnum):
    DIBUKA = 1
    DINILAI = 2


class StatusKeberatan(enum.IntEnum):
    DIAJUKAN = 1
    DISETUJUI = 2
    DITOLAK = 3
    TERLAMBAT = 4


RATING_LABEL = {
    Rating.DI_ATAS: "Di Atas Ekspektasi",
    Rating.SESUAI: "Sesuai Ekspektasi",
    Rating.DI_BAWAH: "Di Bawah Ekspektasi",
}
PREDIKAT_LABEL = {
    Predikat.SANGAT_BAIK: "Sangat Baik",
    Predikat.BAIK: "Baik",
    Predikat.BUTUH_PERBAIKAN: "Butuh Perbaikan",
    Predikat.KURANG: "Kurang/Misconduct",
    Predikat.SANGAT_KURANG: "Sangat Kurang",
}
CAPAIAN_LABEL = {
    Capaian.ISTIMEWA: "Istimewa",
    Capaian.BAIK: "Baik",
    Capaian.BUTUH_PERBAIKAN: "Butuh Perbaikan",
    Capaian.KURANG: "Kurang",
    Capaian.SANGAT_KURANG: "Sangat Kurang",
}
STATUS_KEBERATAN_LABEL = {
    StatusKeberatan.DIAJUKAN: "Diajukan",
    StatusKeberatan.DISETUJUI: "Disetujui",
    StatusKeberatan.DITOLAK: "Ditolak",
    StatusKeberatan.TERLAMBAT: "Terlambat",
}


class Dated(Protocol):
    @property
    def berlaku_sejak(self) -> date: ...


D = TypeVar("D", bound=Dated)


def in_force(versions: Sequence[D], day: date) -> D:
    """The version of a rule in force on `day` (the earliest one for a day before all of them: an
    assessment year before the first rule is rated by it, as the platform has no older rule)."""
    current = versions[0]
    for version in versions:
        if version.berlaku_sejak <= day:
            current = version
    return current


@dataclass(frozen=True)
class Matriks:
    """The predikat matrix: rows rating hasil kerja, columns rating perilaku kerja."""

    versi: str
    berlaku_sejak: date
    sumber: str
    sel: Mapping[tuple[Rating, Rating], Predikat]


_A, _S, _B = Rating.DI_ATAS, Rating.SESUAI, Rating.DI_BAWAH

MATRIKS: tuple[Matriks, ...] = (
    Matriks(
        versi="PermenPAN-RB 6/2022",
        # Applied from the 2022 assessment year, the first year of the regulation.
        berlaku_sejak=date(2022, 1, 1),
        sumber=(
            "Peraturan Menteri PANRB Nomor 6 Tahun 2022 tentang Pengelolaan Kinerja Pegawai ASN, "
            "Lampiran: kombinasi rating hasil kerja dan rating perilaku kerja"
        ),
        sel={
            (_A, _A): Predikat.SANGAT_BAIK,
            (_A, _S): Predikat.BAIK,
            (_A, _B): Predikat.KURANG,
            (_S, _A): Predikat.BAIK,
            (_S, _S): Predikat.BAIK,
            (_S, _B): Predikat.KURANG,
            (_B, _A): Predikat.BUTUH_PERBAIKAN,
            (_B, _S): Predikat.BUTUH_PERBAIKAN,
            (_B, _B): Predikat.SANGAT_KURANG,
        },
    ),
)


def predikat_for(hasil: Rating, perilaku: Rating, day: date) -> tuple[Predikat, Matriks]:
    """The predikat of two ratings by the matrix in force on `day`, with the matrix used."""
    matriks = in_force(MATRIKS, day)
    return matriks.sel[(hasil, perilaku)], matriks


@dataclass(frozen=True)
class CapaianKeRating:
    """For the head of a JPT/mandiri unit, the unit's capaian kinerja organisasi gives the rating hasil
    kerja."""

    versi: str
    berlaku_sejak: date
    sumber: str
    rating: Mapping[Capaian, Rating]


CAPAIAN_KE_RATING: tuple[CapaianKeRating, ...] = (
    CapaianKeRating(
        versi="PermenPAN-RB 6/2022",
        berlaku_sejak=date(2022, 1, 1),
        sumber=(
            "Peraturan Menteri PANRB Nomor 6 Tahun 2022: capaian kinerja organisasi menjadi rating hasil "
            "kerja pimpinan unit kerja"
        ),
        rating={
            Capaian.ISTIMEWA: Rating.DI_ATAS,
            Capaian.BAIK: Rating.SESUAI,
            Capaian.BUTUH_PERBAIKAN: Rating.DI_BAWAH,
            Capaian.KURANG: Rating.DI_BAWAH,
            Capaian.SANGAT_KURANG: Rating.DI_BAWAH,
        },
    ),
)


def rating_dari_capaian(capaian: Capaian, day: date) -> Rating:
    """The rating hasil kerja a unit's head gets from the unit's capaian, by the rule in force on `day`."""
    return in_force(CAPAIAN_KE_RATING, day).rating[capaian]


@dataclass(frozen=True)
class AturanKeberatan:
    versi: str
    berlaku_sejak: date
    sumber: str
    # Days after the predikat is set within which a keberatan may be filed (the last day included).
    hari: int


KEBERATAN: tuple[AturanKeberatan, ...] = (
    AturanKeberatan(
        versi="PP 30/2019",
        berlaku_sejak=date(2019, 1, 1),
        sumber=(
            "Peraturan Pemerintah Nomor 30 Tahun 2019 tentang Penilaian Kinerja PNS, Pasal 59: keberatan "
            "atas predikat kinerja diajukan paling lama 14 hari"
        ),
        hari=14,
    ),
)


def batas_keberatan(ditetapkan: date) -> date:
    """The last day (WIB) a keberatan on a predikat set on `ditetapkan` is on time."""
    return ditetapkan + timedelta(days=in_force(KEBERATAN, ditetapkan).hari)


def uraian_predikat(
    predikat: Predikat,
    hasil: Rating,
    perilaku: Rating,
    matriks: Matriks,
    capaian: Capaian | None = None,
) -> str:
    """The sentence a pegawai reads under their predikat."""
    hasil_text = f"rating hasil kerja {RATING_LABEL[hasil]}"
    if capaian is not None:
        hasil_text += f" (dari capaian kinerja organisasi {CAPAIAN_LABEL[capaian]})"
    return (
        f"{hasil_text[0].upper()}{hasil_text[1:]} dan rating perilaku kerja {RATING_LABEL[perilaku]} "
        f"memberi predikat {PREDIKAT_LABEL[predikat]} menurut matriks {matriks.versi} "
        f"(berlaku sejak {matriks.berlaku_sejak.isoformat()})."
    )
