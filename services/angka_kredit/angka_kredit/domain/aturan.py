"""The regulation numbers of angka kredit as dated rule data, each with its source: the percentage of
each predikat kinerja, and per jenjang jabatan fungsional the annual koefisien, the AK needed for kenaikan
pangkat and for kenaikan jenjang, and the next jenjang; and how the months of a periode are counted when
the TMT jabatan falls inside it.

Source: Peraturan Menteri PANRB Nomor 1 Tahun 2023 tentang Jabatan Fungsional (Lampiran: konversi predikat
kinerja ke angka kredit), as summarised in the platform's domain design ("Angka kredit") and the
Pengajuan Angka Kredit form of the manual (002 §2.15). Nothing here is typed by a user.

Each rule is a tuple of versions ordered by the day they take effect; the version in force on a day is the
last one that took effect on or before it (the first one for an earlier day). A new regulation is a new
entry, never an edit of an old one, so a PAK made under an old rule still explains itself with that rule.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Protocol, TypeVar

from angka_kredit.domain.errors import JenjangTidakDikenal, PredikatTidakDikenal


class Predikat(enum.IntEnum):
    """Predikat kinerja (values as kinerja.assessment.v1.Predikat)."""

    SANGAT_BAIK = 1
    BAIK = 2
    BUTUH_PERBAIKAN = 3
    KURANG = 4  # "Kurang/Misconduct"
    SANGAT_KURANG = 5


PREDIKAT_LABEL: Mapping[Predikat, str] = {
    Predikat.SANGAT_BAIK: "Sangat Baik",
    Predikat.BAIK: "Baik",
    Predikat.BUTUH_PERBAIKAN: "Butuh Perbaikan",
    Predikat.KURANG: "Kurang/Misconduct",
    Predikat.SANGAT_KURANG: "Sangat Kurang",
}


class CaraHitungBulan(enum.Enum):
    """How the months assessed are counted when the TMT jabatan falls after the periode's first day."""

    # From the TMT's month when the TMT is the 1st of that month, else from the next month.
    BULAN_PENUH = "BULAN_PENUH"
    # The TMT's month always counts.
    BULAN_TMT = "BULAN_TMT"


CARA_HITUNG_URAIAN: Mapping[CaraHitungBulan, str] = {
    CaraHitungBulan.BULAN_PENUH: (
        "Jika TMT jabatan lebih dari awal periode penilaian, jumlah bulan dihitung sejak bulan TMT jabatan "
        "bila TMT jatuh pada tanggal 1, atau sejak bulan berikutnya bila tidak, sampai bulan terakhir periode."
    ),
    CaraHitungBulan.BULAN_TMT: (
        "Jika TMT jabatan lebih dari awal periode penilaian, jumlah bulan dihitung sejak bulan TMT jabatan "
        "(bulan TMT selalu dihitung) sampai bulan terakhir periode."
    ),
}


def ak(text: str) -> Fraction:
    """An exact figure from the decimal text of rule data ("12.5" → 25/2)."""
    return Fraction(Decimal(text))


def normalisasi(nama: str) -> str:
    """A name for matching: whitespace collapsed, case folded ("ahli  pertama" ~ "Ahli Pertama")."""
    return " ".join(nama.split()).casefold()


@dataclass(frozen=True)
class Jenjang:
    """One jenjang jabatan fungsional: koefisien per year and the AK needed (None: no such kenaikan)."""

    nama: str
    koefisien: Fraction
    kebutuhan_pangkat: Fraction | None
    kebutuhan_jenjang: Fraction | None
    jenjang_berikutnya: str | None
    catatan: str = ""


class Dated(Protocol):
    @property
    def berlaku_sejak(self) -> date: ...


D = TypeVar("D", bound=Dated)


def in_force(versions: Sequence[D], day: date) -> D:
    """The version of a rule in force on `day` (the earliest one for a day before all of them)."""
    current = versions[0]
    for version in versions:
        if version.berlaku_sejak <= day:
            current = version
    return current


@dataclass(frozen=True)
class AturanAngkaKredit:
    versi: str
    berlaku_sejak: date
    sumber: str
    # Percent (150 means 150 %).
    persentase: Mapping[Predikat, Fraction]
    jenjang: tuple[Jenjang, ...]
    cara_hitung_bulan: CaraHitungBulan
    # The sentence of the source the month rule reads.
    cara_hitung_sumber: str

    def persen(self, predikat: Predikat | int) -> Fraction:
        """The percentage of a predikat; PREDIKAT_TIDAK_DIKENAL for anything else (0 among them)."""
        try:
            return self.persentase[Predikat(predikat)]
        except (ValueError, KeyError):
            raise PredikatTidakDikenal(predikat) from None

    def cari_jenjang(self, nama: str) -> Jenjang | None:
        """The jenjang of a name (case and whitespace ignored), None when unknown."""
        wanted = normalisasi(nama)
        return next((j for j in self.jenjang if normalisasi(j.nama) == wanted), None)

    def jenjang_of(self, nama: str) -> Jenjang:
        """The jenjang of a name; JENJANG_TIDAK_DIKENAL when unknown."""
        found = self.cari_jenjang(nama)
        if found is None:
            raise JenjangTidakDikenal(nama, self.versi)
        return found

    @property
    def cara_hitung_uraian(self) -> str:
        return CARA_HITUNG_URAIAN[self.cara_hitung_bulan]


def _jenjang(
    nama: str,
    koefisien: str,
    pangkat: str | None,
    jenjang: str | None,
    berikutnya: str | None,
    catatan: str = "",
) -> Jenjang:
    return Jenjang(
        nama=nama,
        koefisien=ak(koefisien),
        kebutuhan_pangkat=ak(pangkat) if pangkat is not None else None,
        kebutuhan_jenjang=ak(jenjang) if jenjang is not None else None,
        jenjang_berikutnya=berikutnya,
        catatan=catatan,
    )


ATURAN: tuple[AturanAngkaKredit, ...] = (
    AturanAngkaKredit(
        versi="PermenPAN-RB 1/2023",
        berlaku_sejak=date(2023, 1, 1),
        sumber=(
            "Peraturan Menteri PANRB Nomor 1 Tahun 2023 tentang Jabatan Fungsional, Lampiran (konversi "
            "predikat kinerja ke angka kredit)"
        ),
        persentase={
            Predikat.SANGAT_BAIK: ak("150"),
            Predikat.BAIK: ak("100"),
            Predikat.BUTUH_PERBAIKAN: ak("75"),
            Predikat.KURANG: ak("50"),
            Predikat.SANGAT_KURANG: ak("25"),
        },
        jenjang=(
            # Keterampilan
            _jenjang("Pemula", "3.75", "15", "15", "Terampil"),
            _jenjang("Terampil", "5", "20", "60", "Mahir", catatan="satu sumber menyebut 40"),
            _jenjang("Mahir", "12.5", "50", "100", "Penyelia"),
            _jenjang("Penyelia", "25", "100", None, None),
            # Keahlian
            _jenjang("Ahli Pertama", "12.5", "50", "100", "Ahli Muda"),
            _jenjang("Ahli Muda", "25", "100", "200", "Ahli Madya"),
            _jenjang("Ahli Madya", "37.5", "150", "450", "Ahli Utama"),
            _jenjang("Ahli Utama", "50", "200", None, None),
        ),
        cara_hitung_bulan=CaraHitungBulan.BULAN_PENUH,
        cara_hitung_sumber=(
            "Jika TMT Jabatan lebih dari Periode Awal Penilaian Kinerja, maka Jumlah Bulan Penilaian "
            "dihitung sejak TMT Jabatan"
        ),
    ),
)


def aturan_pada(day: date) -> AturanAngkaKredit:
    """The rule data in force on `day`."""
    return in_force(ATURAN, day)


def jenjang_dikenal(nama: str, day: date) -> bool:
    """True when the rule in force on `day` knows the jenjang (the consumer skips the others)."""
    return aturan_pada(day).cari_jenjang(nama) is not None
