"""The cumulative angka kredit of a pegawai at one PAK, for kenaikan pangkat and for kenaikan jenjang, as
the Pengajuan Angka Kredit form shows them ("Angka kredit perolehan untuk kenaikan pangkat / jabatan"
beside the kebutuhan; 002 §2.15; kebutuhan: PermenPAN-RB 1/2023, aturan.py).

A pegawai's PAKs (konversi and integrasi) are ordered by (tanggal_selesai, created order). At one PAK,
kenaikan pangkat counts the AK of the PAKs before it in the same jenjang AND the same golongan; kenaikan
jenjang counts those in the same jenjang (any golongan). The pegawai has a handful of PAKs: the whole list
is held in memory.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from fractions import Fraction

from angka_kredit.domain.aturan import AturanAngkaKredit, aturan_pada, normalisasi
from angka_kredit.domain.nilai import desimal


@dataclass(frozen=True)
class PakRingkas:
    """What the cumulative figures need of one PAK. `angka_kredit` is the PAK's effective AK
    (`Pak.ak_efektif`: the pending figures of a PAK that needs a new one, else its own)."""

    id: uuid.UUID
    jenjang: str
    golongan: str
    tanggal_selesai: date
    created_at: datetime
    angka_kredit: Fraction

    @property
    def urutan(self) -> tuple[date, datetime, uuid.UUID]:
        return (self.tanggal_selesai, self.created_at, self.id)


@dataclass(frozen=True)
class Kumulatif:
    """Cumulative AK for one purpose at one PAK (kinerja.angka_kredit.v1.Kumulatif)."""

    lama: Fraction
    diperoleh: Fraction
    baru: Fraction
    kebutuhan: Fraction | None  # None: the jenjang has no such kenaikan
    terpenuhi: bool
    kekurangan: Fraction
    uraian: str
    # "pangkat" or "jenjang": which kenaikan this is.
    kenaikan: str = "pangkat"

    def dengan_diperoleh(self, diperoleh: Fraction) -> Kumulatif:
        """The same cumulative with this PAK's AK changed (the figures before it stay)."""
        return hitung_kumulatif(self.lama, diperoleh, self.kebutuhan, self.kenaikan)


def hitung_kumulatif(
    lama: Fraction, diperoleh: Fraction, kebutuhan: Fraction | None, kenaikan: str = "pangkat"
) -> Kumulatif:
    """lama + diperoleh against kebutuhan; uraian "10.9375 + 0 = 10.9375 dari kebutuhan 50 (kurang 39.0625)"
    (this PAK's AK first, then the AK before it), "... (terpenuhi)", or "... (tidak ada kenaikan jenjang)".
    `kenaikan` ("pangkat" or "jenjang") names the kenaikan in the uraian when there is none."""
    baru = lama + diperoleh
    jumlah = f"{desimal(diperoleh)} + {desimal(lama)} = {desimal(baru)}"
    if kebutuhan is None:
        uraian = f"{jumlah} (tidak ada kenaikan {kenaikan})"
        return Kumulatif(lama, diperoleh, baru, None, False, Fraction(0), uraian, kenaikan)
    terpenuhi = baru >= kebutuhan
    kekurangan = max(Fraction(0), kebutuhan - baru)
    sisa = "terpenuhi" if terpenuhi else f"kurang {desimal(kekurangan)}"
    uraian = f"{jumlah} dari kebutuhan {desimal(kebutuhan)} ({sisa})"
    return Kumulatif(lama, diperoleh, baru, kebutuhan, terpenuhi, kekurangan, uraian, kenaikan)


def sama_jenjang(a: str, b: str) -> bool:
    return normalisasi(a) == normalisasi(b)


def sama_golongan(a: str, b: str) -> bool:
    return normalisasi(a) == normalisasi(b)


def urutkan(rows: Sequence[PakRingkas]) -> list[PakRingkas]:
    """The PAKs in their order: (tanggal_selesai, created_at, id)."""
    return sorted(rows, key=lambda r: r.urutan)


def kumulatif(
    rows: Sequence[PakRingkas], target_index: int, aturan: AturanAngkaKredit | None = None
) -> tuple[Kumulatif, Kumulatif]:
    """(kenaikan pangkat, kenaikan jenjang) at rows[target_index], over the PAKs of `rows` before it in
    their order (`rows` in any order). Kebutuhan from `aturan` (default: the rule in force on the PAK's
    tanggal_selesai) for the PAK's jenjang; an unknown jenjang is JENJANG_TIDAK_DIKENAL."""
    target = rows[target_index]
    rule = aturan or aturan_pada(target.tanggal_selesai)
    jenjang = rule.jenjang_of(target.jenjang)
    before = [r for i, r in enumerate(rows) if i != target_index and r.urutan < target.urutan]
    same_jenjang = [r for r in before if sama_jenjang(r.jenjang, target.jenjang)]
    lama_jenjang = sum((r.angka_kredit for r in same_jenjang), Fraction(0))
    lama_pangkat = sum(
        (r.angka_kredit for r in same_jenjang if sama_golongan(r.golongan, target.golongan)), Fraction(0)
    )
    return (
        hitung_kumulatif(lama_pangkat, target.angka_kredit, jenjang.kebutuhan_pangkat, "pangkat"),
        hitung_kumulatif(lama_jenjang, target.angka_kredit, jenjang.kebutuhan_jenjang, "jenjang"),
    )


def kumulatif_semua(
    rows: Sequence[PakRingkas], aturan: AturanAngkaKredit | None = None
) -> dict[uuid.UUID, tuple[Kumulatif, Kumulatif]]:
    """`kumulatif` of every PAK of a pegawai, by id (to recompute the later PAKs after a change)."""
    return {r.id: kumulatif(rows, i, aturan) for i, r in enumerate(rows)}


def jumlah_saat_ini(rows: Sequence[PakRingkas], jenjang: str, golongan: str) -> tuple[Fraction, Fraction]:
    """(kumulatif pangkat, kumulatif jenjang) of every PAK in `jenjang` (and `golongan` for pangkat): the
    starting point of a forecast."""
    same_jenjang = [r for r in rows if sama_jenjang(r.jenjang, jenjang)]
    return (
        sum((r.angka_kredit for r in same_jenjang if sama_golongan(r.golongan, golongan)), Fraction(0)),
        sum((r.angka_kredit for r in same_jenjang), Fraction(0)),
    )
