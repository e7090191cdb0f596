"""Enumerations of SKP planning, the BerAKHLAK rule data, the spec of every numeric field, and dates."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from kinerja_kit.numbers import DecimalSpec, decimal_text  # noqa: F401  (re-exported for skp's modules)

MIN_YEAR = 2020

# Every numeric input of skp, in one place: what it keeps (digits before and after the decimal mark),
# parsed by the kit's one rule (Indonesian notation, nothing rounded or guessed). Targets keep two
# decimals (a percentage, an index such as 4,29); realisasi keeps the four of its NUMERIC(20, 4) column.
TARGET = DecimalSpec("Target", integer_digits=12, scale=2)
TARGET_MAKSIMUM = DecimalSpec("Target maksimum", integer_digits=12, scale=2)
TARGET_BULANAN = DecimalSpec("Target bulanan", integer_digits=12, scale=2)
TARGET_RENCANA_AKSI = DecimalSpec("Target rencana aksi", integer_digits=12, scale=2)
TARGET_SASARAN = DecimalSpec("Target", integer_digits=12, scale=2)
REALISASI = DecimalSpec("Realisasi", integer_digits=12, scale=4)


class Pendekatan(enum.IntEnum):
    KUANTITATIF = 1
    KUALITATIF = 2


class ModelSkp(enum.IntEnum):
    JPT = 1
    JA_JF = 2


class StatusSkp(enum.IntEnum):
    DRAFT = 1
    DIAJUKAN = 2
    DISETUJUI = 3


STATUS_LABEL = {StatusSkp.DRAFT: "konsep", StatusSkp.DIAJUKAN: "diajukan", StatusSkp.DISETUJUI: "disetujui"}


class JenisRhk(enum.IntEnum):
    UTAMA = 1
    TAMBAHAN = 2


class Aspek(enum.IntEnum):
    KUANTITAS = 1
    KUALITAS = 2
    WAKTU = 3
    BIAYA = 4


class Perspektif(enum.IntEnum):
    PENERIMA_LAYANAN = 1
    PROSES_BISNIS = 2
    PENGUATAN_INTERNAL = 3
    ANGGARAN = 4


class JenisIku(enum.IntEnum):
    OUTCOME = 1
    OUTPUT_KENDALI_RENDAH = 2
    OUTPUT_KENDALI_SEDANG = 3


class PeriodePelaporan(enum.IntEnum):
    BULANAN = 1
    TRIWULAN = 2
    SEMESTERAN = 3
    TAHUNAN = 4


class NilaiPerilaku(enum.IntEnum):
    BERORIENTASI_PELAYANAN = 1
    AKUNTABEL = 2
    KOMPETEN = 3
    HARMONIS = 4
    LOYAL = 5
    ADAPTIF = 6
    KOLABORATIF = 7


class JenisPenilai(enum.IntEnum):
    ATASAN = 1
    BAWAHAN = 2
    REKAN_KERJA = 3


PENILAI_LABEL = {
    JenisPenilai.ATASAN: "atasan",
    JenisPenilai.BAWAHAN: "bawahan",
    JenisPenilai.REKAN_KERJA: "rekan kerja",
}


class PeranTim(enum.IntEnum):
    KETUA = 1
    ANGGOTA = 2


class JenisPeriode(enum.IntEnum):
    BIASA = 1
    FINAL = 2


class PolaPeriode(enum.IntEnum):
    BULANAN = 1
    TRIWULAN = 2


@dataclass(frozen=True)
class NilaiDasar:
    """One BerAKHLAK core value with its three fixed panduan perilaku."""

    nilai: NilaiPerilaku
    nama: str
    panduan: tuple[str, str, str]


# Rule data. Source: Surat Edaran MenPAN-RB No. 20 Tahun 2021 (core values ASN BerAKHLAK) as printed in
# the SKP forms of PermenPAN-RB No. 6 Tahun 2022 (Toolkit Kinerja BKN, "Perilaku Kerja"). In force from
# 2022-01-01; a change of wording is a new entry with its own date, never an edit of this one.
BERAKHLAK_BERLAKU = date(2022, 1, 1)
BERAKHLAK: tuple[NilaiDasar, ...] = (
    NilaiDasar(
        NilaiPerilaku.BERORIENTASI_PELAYANAN,
        "Berorientasi Pelayanan",
        (
            "Memahami dan memenuhi kebutuhan masyarakat",
            "Ramah, cekatan, solutif, dan dapat diandalkan",
            "Melakukan perbaikan tiada henti",
        ),
    ),
    NilaiDasar(
        NilaiPerilaku.AKUNTABEL,
        "Akuntabel",
        (
            "Melaksanakan tugas dengan jujur, bertanggung jawab, cermat, disiplin, dan berintegritas tinggi",
            "Menggunakan kekayaan dan barang milik negara secara bertanggung jawab, efektif, dan efisien",
            "Tidak menyalahgunakan kewenangan jabatan",
        ),
    ),
    NilaiDasar(
        NilaiPerilaku.KOMPETEN,
        "Kompeten",
        (
            "Meningkatkan kompetensi diri untuk menjawab tantangan yang selalu berubah",
            "Membantu orang lain belajar",
            "Melaksanakan tugas dengan kualitas terbaik",
        ),
    ),
    NilaiDasar(
        NilaiPerilaku.HARMONIS,
        "Harmonis",
        (
            "Menghargai setiap orang apapun latar belakangnya",
            "Suka menolong orang lain",
            "Membangun lingkungan kerja yang kondusif",
        ),
    ),
    NilaiDasar(
        NilaiPerilaku.LOYAL,
        "Loyal",
        (
            "Memegang teguh ideologi Pancasila, Undang-Undang Dasar Negara Republik Indonesia Tahun 1945, "
            "setia kepada NKRI serta pemerintahan yang sah",
            "Menjaga nama baik sesama ASN, Pimpinan, Instansi, dan Negara",
            "Menjaga rahasia jabatan dan negara",
        ),
    ),
    NilaiDasar(
        NilaiPerilaku.ADAPTIF,
        "Adaptif",
        (
            "Cepat menyesuaikan diri menghadapi perubahan",
            "Terus berinovasi dan mengembangkan kreativitas",
            "Bertindak proaktif",
        ),
    ),
    NilaiDasar(
        NilaiPerilaku.KOLABORATIF,
        "Kolaboratif",
        (
            "Memberi kesempatan kepada berbagai pihak untuk berkontribusi",
            "Terbuka dalam bekerja sama untuk menghasilkan nilai tambah",
            "Menggerakkan pemanfaatan berbagai sumber daya untuk tujuan bersama",
        ),
    ),
)
NILAI_DASAR = {n.nilai: n for n in BERAKHLAK}


def stored_decimal(value: str) -> Decimal | None:
    """A decimal skp stored as text itself (`decimal_text`, e.g. a perjanjian's target); None for ""."""
    if not value:
        return None
    try:
        return Decimal(value)
    except InvalidOperation:
        return None


def parse_iso_date(value: str) -> date | None:
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        return None
