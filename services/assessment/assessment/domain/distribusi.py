"""Pola distribusi: the mix of predikat a unit's capaian kinerja organisasi allows, as dated rule data,
and the check of a unit's current mix against it (which bound is broken, by how many pegawai).

Percentages are of the unit's rated pegawai. "At most p %" allows floor(p × n / 100) pegawai, "at least
p %" needs ceil(p × n / 100): exact integer arithmetic, so 70 % of 10 is 7 and 10 % of 3 needs 1.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from assessment.domain.aturan import CAPAIAN_LABEL, PREDIKAT_LABEL, Capaian, Predikat, in_force


class JenisBatas(enum.IntEnum):
    PALING_BANYAK = 1
    PALING_SEDIKIT = 2


@dataclass(frozen=True)
class Batas:
    """One bound: at most / at least `persen` % (or `jumlah_minimal` pegawai) of these predikat together."""

    jenis: JenisBatas
    predikat: tuple[Predikat, ...]
    persen: int = 0
    jumlah_minimal: int = 0

    def allowed(self, total: int) -> int:
        """The count this bound allows (at most) or needs (at least) among `total` rated pegawai."""
        if self.jenis == JenisBatas.PALING_BANYAK:
            return self.persen * total // 100
        by_percent = -(-self.persen * total // 100)  # ceiling without floats
        return max(by_percent, self.jumlah_minimal)


@dataclass(frozen=True)
class AturanPola:
    versi: str
    berlaku_sejak: date
    sumber: str
    batas: Mapping[Capaian, tuple[Batas, ...]]


_SB, _B, _BP, _K, _SK = (
    Predikat.SANGAT_BAIK,
    Predikat.BAIK,
    Predikat.BUTUH_PERBAIKAN,
    Predikat.KURANG,
    Predikat.SANGAT_KURANG,
)
_MAX, _MIN = JenisBatas.PALING_BANYAK, JenisBatas.PALING_SEDIKIT

POLA: tuple[AturanPola, ...] = (
    AturanPola(
        versi="SE MenPAN-RB 3/2023",
        berlaku_sejak=date(2023, 1, 1),
        sumber=(
            "Surat Edaran Menteri PANRB Nomor 3 Tahun 2023 (kurva distribusi predikat kinerja pegawai "
            "menurut capaian kinerja organisasi), melaksanakan PermenPAN-RB 6/2022"
        ),
        batas={
            Capaian.ISTIMEWA: (Batas(_MAX, (_SB,), persen=70),),
            Capaian.BAIK: (Batas(_MAX, (_B,), persen=70), Batas(_MIN, (_BP, _K), jumlah_minimal=1)),
            Capaian.BUTUH_PERBAIKAN: (Batas(_MIN, (_BP,), persen=60), Batas(_MAX, (_SB,), persen=10)),
            Capaian.KURANG: (
                Batas(_MIN, (_K,), persen=60),
                Batas(_MIN, (_BP,), persen=10),
                Batas(_MAX, (_SB,), persen=10),
            ),
            Capaian.SANGAT_KURANG: (
                Batas(_MIN, (_SK,), persen=60),
                Batas(_MIN, (_K, _BP), persen=10),
                Batas(_MAX, (_SB,), persen=0),
            ),
        },
    ),
)


@dataclass(frozen=True)
class BatasHasil:
    """One bound checked against a unit's mix."""

    batas: Batas
    batas_jumlah: int
    jumlah: int
    terpenuhi: bool
    selisih: int
    uraian: str


@dataclass(frozen=True)
class PolaHasil:
    capaian: Capaian | None
    total: int
    batas: tuple[BatasHasil, ...]
    aturan: AturanPola

    @property
    def sesuai(self) -> bool:
        return all(b.terpenuhi for b in self.batas)


def _names(predikat: tuple[Predikat, ...]) -> str:
    return " atau ".join(PREDIKAT_LABEL[p] for p in predikat)


def _describe(batas: Batas, allowed: int, count: int, total: int, selisih: int) -> str:
    names = _names(batas.predikat)
    if batas.jenis == JenisBatas.PALING_BANYAK:
        rule = f"Paling banyak {batas.persen}% {names}"
    elif batas.persen:
        rule = f"Paling sedikit {batas.persen}% {names}"
    else:
        rule = f"Paling sedikit {batas.jumlah_minimal} pegawai {names}"
    text = f"{rule}: {allowed} dari {total} pegawai dinilai; saat ini {count}"
    if not selisih:
        return f"{text}."
    if batas.jenis == JenisBatas.PALING_BANYAK:
        return f"{text}, kelebihan {selisih} pegawai."
    return f"{text}, kurang {selisih} pegawai."


def periksa_pola(capaian: Capaian | None, jumlah: Mapping[Predikat, int], day: date) -> PolaHasil:
    """A unit's current mix of predikat (`jumlah`, rated pegawai per predikat) against the bounds its
    capaian allows by the rule in force on `day`. Without a capaian there is nothing to check; with no
    one rated yet every bound holds (it is checked again as ratings come in)."""
    aturan = in_force(POLA, day)
    total = sum(jumlah.values())
    if capaian is None:
        return PolaHasil(None, total, (), aturan)
    results = []
    for batas in aturan.batas[capaian]:
        count = sum(jumlah.get(p, 0) for p in batas.predikat)
        allowed = batas.allowed(total)
        if total == 0:
            selisih = 0
        elif batas.jenis == JenisBatas.PALING_BANYAK:
            selisih = max(0, count - allowed)
        else:
            selisih = max(0, allowed - count)
        results.append(
            BatasHasil(
                batas, allowed, count, selisih == 0, selisih, _describe(batas, allowed, count, total, selisih)
            )
        )
    return PolaHasil(capaian, total, tuple(results), aturan)


def ringkasan(hasil: PolaHasil) -> str:
    """One line for the unit's head or the admin: does the mix fit the capaian, and if not, why."""
    if hasil.capaian is None:
        return "Capaian kinerja organisasi belum ditetapkan: pola distribusi belum dapat diperiksa."
    label = CAPAIAN_LABEL[hasil.capaian]
    broken = [b for b in hasil.batas if not b.terpenuhi]
    if not broken:
        return f"Sebaran predikat sesuai pola distribusi capaian {label}."
    return f"Sebaran predikat belum sesuai pola distribusi capaian {label}: " + " ".join(
        b.uraian for b in broken
    )
