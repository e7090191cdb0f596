"""Unor trees of the national data set: templates of the units of a kementerian, a provinsi and a
kabupaten/kota (names, jenis, eselon, who works there), and a builder that grows a tree of exactly the
number of units asked, a level at a time, each level sharing its units among the units above by their
weight. Deterministic for a given random generator."""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from kinerja.org.v1 import org_pb2
from kinerja_testing.national import names

JPT_UTAMA = org_pb2.JENIS_UNOR_JPT_UTAMA
JPT_MADYA = org_pb2.JENIS_UNOR_JPT_MADYA
JPT_PRATAMA = org_pb2.JENIS_UNOR_JPT_PRATAMA
ADMINISTRATOR = org_pb2.JENIS_UNOR_ADMINISTRATOR
PENGAWAS = org_pb2.JENIS_UNOR_PENGAWAS
NON_ESELON = org_pb2.JENIS_UNOR_NON_ESELON

ESELON: dict[int, str] = {
    JPT_UTAMA: "11",
    JPT_MADYA: "12",
    JPT_PRATAMA: "21",
    ADMINISTRATOR: "31",
    PENGAWAS: "41",
    NON_ESELON: "",
}

ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV", "XV")


@dataclass
class Unit:
    """One unor of the plan; `index` is its place in the instansi's list (parents before children)."""

    index: int
    type: str
    nama: str
    jenis: int
    parent: int  # -1 for the root
    level: int
    mandiri: bool
    kota: str
    place: str  # the province or kabupaten/kota the unit serves (for its children's names)
    induk: int = -1  # the mandiri unit it belongs to (-1: itself or none)
    children: list[int] = field(default_factory=list)
    id: str = ""


@dataclass(frozen=True)
class Context:
    """What names are made of for one instansi."""

    kind: str  # kementerian | provinsi | kabupaten
    nama: str  # the instansi's name
    place: str  # its province (provinsi) or kabupaten/kota name; the capital for a kementerian
    kota: str  # the city its offices are in
    profile: MinistryProfile | None = None


NameFn = Callable[[random.Random, Context, Unit | None, int], tuple[str, str]]


@dataclass(frozen=True)
class UnitType:
    """A kind of unit: its jenis, the pool of jabatan of its staff and their weight (share of the
    instansi's staff per unit), its children in order ((type, how many; 0 = all the rest)) and the weight
    by which it takes units of the next level."""

    jenis: int
    name: NameFn
    pool: str = "umum"
    staff: float = 4.0
    children: tuple[tuple[str, int], ...] = ()
    child_weight: float = 0.0
    mandiri: bool = False
    headless: bool = False  # the root of a government: led by a politician, not an ASN


def _fixed(text: str) -> NameFn:
    return lambda rng, ctx, parent, i: (text, parent.place if parent else ctx.place)


def _pick(pool: Sequence[str], prefix: str) -> NameFn:
    """The i-th of a pool (a numbered repeat once it is used up), after a prefix."""

    def name(rng: random.Random, ctx: Context, parent: Unit | None, i: int) -> tuple[str, str]:
        place = parent.place if parent else ctx.place
        base = pool[i % len(pool)]
        suffix = "" if i < len(pool) else f" {ROMAN[min(i // len(pool), len(ROMAN) - 1)]}"
        return f"{prefix}{base}{suffix}", place

    return name


# ---- a kementerian (or lembaga) ----


@dataclass(frozen=True)
class MinistryProfile:
    """What distinguishes one kementerian: its eselon I units (name, pool), the topics of its direktorat,
    its vertical offices (a provincial office, the offices below it, and the units of those)."""

    eselon1: tuple[tuple[str, str], ...]
    direktorat: tuple[str, ...]
    vertical_l1: str  # "... {prov}"
    vertical_l2: str  # "... {kab}" (a kabupaten/kota) or a fixed name cycled with a roman numeral
    vertical_pool: str
    kantor_units: tuple[
        tuple[str, int, str, float], ...
    ]  # (name pattern with {n} and {kab}, jenis, pool, staff)
    sekjen: str = "Sekretariat Jenderal"
    irjen: str = "Inspektorat Jenderal"


KEMENAG = MinistryProfile(
    eselon1=(
        ("Direktorat Jenderal Pendidikan Islam", "umum"),
        ("Direktorat Jenderal Bimbingan Masyarakat Islam", "keagamaan"),
        ("Direktorat Jenderal Penyelenggaraan Haji dan Umrah", "umum"),
        ("Direktorat Jenderal Bimbingan Masyarakat Kristen", "keagamaan"),
        ("Direktorat Jenderal Bimbingan Masyarakat Katolik", "keagamaan"),
        ("Direktorat Jenderal Bimbingan Masyarakat Hindu", "keagamaan"),
        ("Direktorat Jenderal Bimbingan Masyarakat Buddha", "keagamaan"),
        ("Badan Moderasi Beragama dan Pengembangan Sumber Daya Manusia", "umum"),
        ("Badan Penyelenggara Jaminan Produk Halal", "umum"),
    ),
    direktorat=(
        "Kurikulum, Sarana, Kelembagaan, dan Kesiswaan Madrasah",
        "Guru dan Tenaga Kependidikan Madrasah",
        "Pendidikan Tinggi Keagamaan Islam",
        "Pendidikan Agama Islam",
        "Pendidikan Diniyah dan Pondok Pesantren",
        "Penerangan Agama Islam",
        "Urusan Agama Islam dan Pembinaan Syariah",
        "Pemberdayaan Zakat dan Wakaf",
        "Bina Kantor Urusan Agama dan Keluarga Sakinah",
        "Pelayanan Haji Dalam Negeri",
        "Pelayanan Haji Luar Negeri",
        "Bina Umrah dan Haji Khusus",
        "Pengelolaan Dana Haji dan Sistem Informasi Haji",
        "Urusan Agama Kristen",
        "Pendidikan Kristen",
        "Urusan Agama Katolik",
        "Pendidikan Katolik",
        "Urusan dan Pendidikan Hindu",
        "Urusan dan Pendidikan Buddha",
        "Registrasi dan Sertifikasi Halal",
        "Kerja Sama dan Standardisasi Halal",
    ),
    vertical_l1="Kantor Wilayah Kementerian Agama Provinsi {prov}",
    vertical_l2="Kantor Kementerian Agama {kab}",
    vertical_pool="keagamaan",
    kantor_units=(
        ("Madrasah Aliyah Negeri {n} {kab}", NON_ESELON, "guru", 45.0),
        ("Kantor Urusan Agama Kecamatan {kec}", NON_ESELON, "keagamaan", 8.0),
        ("Madrasah Tsanawiyah Negeri {n} {kab}", NON_ESELON, "guru", 40.0),
        ("Madrasah Ibtidaiyah Negeri {n} {kab}", NON_ESELON, "guru", 30.0),
        ("Kantor Urusan Agama Kecamatan {kec}", NON_ESELON, "keagamaan", 8.0),
    ),
)

KEMENKEU = MinistryProfile(
    eselon1=(
        ("Direktorat Jenderal Pajak", "pajak"),
        ("Direktorat Jenderal Bea dan Cukai", "umum"),
        ("Direktorat Jenderal Perbendaharaan", "umum"),
        ("Direktorat Jenderal Anggaran", "umum"),
        ("Direktorat Jenderal Kekayaan Negara", "umum"),
        ("Direktorat Jenderal Perimbangan Keuangan", "umum"),
        ("Direktorat Jenderal Pengelolaan Pembiayaan dan Risiko", "umum"),
        ("Badan Pendidikan dan Pelatihan Keuangan", "umum"),
    ),
    direktorat=(
        "Peraturan Perpajakan I",
        "Peraturan Perpajakan II",
        "Pemeriksaan dan Penagihan",
        "Penegakan Hukum",
        "Teknologi Informasi dan Komunikasi",
        "Data dan Informasi Perpajakan",
        "Penyuluhan, Pelayanan, dan Hubungan Masyarakat",
        "Teknis dan Fasilitas Kepabeanan",
        "Penindakan dan Penyidikan",
        "Pelaksanaan Anggaran",
        "Sistem Perbendaharaan",
        "Pengelolaan Kas Negara",
        "Penyusunan APBN",
        "Anggaran Bidang Perekonomian dan Kemaritiman",
        "Barang Milik Negara",
        "Lelang",
        "Dana Transfer Umum",
        "Surat Utang Negara",
        "Pembiayaan Syariah",
    ),
    vertical_l1="Kantor Wilayah Direktorat Jenderal Pajak {prov}",
    vertical_l2="Kantor Pelayanan Pajak Pratama {kab}",
    vertical_pool="pajak",
    kantor_units=(
        ("Seksi Pengawasan {roman}", PENGAWAS, "pajak", 10.0),
        ("Seksi Pemeriksaan, Penilaian, dan Penagihan", PENGAWAS, "pajak", 10.0),
        ("Seksi Pelayanan", PENGAWAS, "pajak", 12.0),
        ("Seksi Pengawasan {roman}", PENGAWAS, "pajak", 10.0),
    ),
)

KEMENKES = MinistryProfile(
    eselon1=(
        ("Direktorat Jenderal Kesehatan Primer dan Komunitas", "kesehatan"),
        ("Direktorat Jenderal Kesehatan Lanjutan", "kesehatan"),
        ("Direktorat Jenderal Penanggulangan Penyakit", "kesehatan"),
        ("Direktorat Jenderal Farmasi dan Alat Kesehatan", "umum"),
        ("Direktorat Jenderal Sumber Daya Manusia Kesehatan", "umum"),
        ("Badan Kebijakan Pembangunan Kesehatan", "umum"),
    ),
    direktorat=(
        "Kesehatan Keluarga",
        "Gizi dan Kesehatan Ibu dan Anak",
        "Pelayanan Kesehatan Rujukan",
        "Mutu Pelayanan Kesehatan",
        "Surveilans dan Kekarantinaan Kesehatan",
        "Pencegahan dan Pengendalian Penyakit Menular",
        "Produksi dan Distribusi Kefarmasian",
        "Pengawasan Alat Kesehatan",
        "Perencanaan Tenaga Kesehatan",
        "Pendayagunaan Tenaga Kesehatan",
    ),
    vertical_l1="Rumah Sakit Umum Pusat Wilayah {prov}",
    vertical_l2="Instalasi Pelayanan {roman}",
    vertical_pool="kesehatan",
    kantor_units=(
        ("Ruang Rawat Inap {roman}", NON_ESELON, "kesehatan", 30.0),
        ("Instalasi Gawat Darurat", NON_ESELON, "kesehatan", 25.0),
        ("Ruang Rawat Inap {roman}", NON_ESELON, "kesehatan", 30.0),
        ("Instalasi Farmasi", NON_ESELON, "kesehatan", 12.0),
    ),
)

KEMENIMIPAS = MinistryProfile(
    eselon1=(
        ("Direktorat Jenderal Pemasyarakatan", "pemasyarakatan"),
        ("Direktorat Jenderal Imigrasi", "pemasyarakatan"),
    ),
    direktorat=(
        "Pembinaan Narapidana dan Latihan Kerja Produksi",
        "Keamanan dan Ketertiban",
        "Pelayanan Tahanan",
        "Bimbingan Kemasyarakatan dan Pengentasan Anak",
        "Lalu Lintas Keimigrasian",
        "Izin Tinggal Keimigrasian",
        "Intelijen Keimigrasian",
        "Pengawasan dan Penindakan Keimigrasian",
        "Sistem dan Teknologi Informasi Keimigrasian",
    ),
    vertical_l1="Kantor Wilayah Direktorat Jenderal Pemasyarakatan {prov}",
    vertical_l2="Lembaga Pemasyarakatan Kelas IIA {kab}",
    vertical_pool="pemasyarakatan",
    kantor_units=(
        ("Kesatuan Pengamanan Lembaga Pemasyarakatan", PENGAWAS, "pemasyarakatan", 40.0),
        ("Seksi Bimbingan Narapidana", PENGAWAS, "pemasyarakatan", 10.0),
        ("Seksi Kegiatan Kerja", PENGAWAS, "pemasyarakatan", 8.0),
    ),
)

BPS = MinistryProfile(
    eselon1=(
        ("Deputi Bidang Metodologi dan Informasi Statistik", "statistik"),
        ("Deputi Bidang Statistik Sosial", "statistik"),
        ("Deputi Bidang Statistik Produksi", "statistik"),
        ("Deputi Bidang Statistik Distribusi dan Jasa", "statistik"),
        ("Deputi Bidang Neraca dan Analisis Statistik", "statistik"),
    ),
    direktorat=(
        "Statistik Kependudukan dan Ketenagakerjaan",
        "Statistik Kesejahteraan Rakyat",
        "Statistik Ketahanan Sosial",
        "Statistik Tanaman Pangan, Hortikultura, dan Perkebunan",
        "Statistik Industri",
        "Statistik Harga",
        "Statistik Keuangan, Teknologi Informasi, dan Pariwisata",
        "Neraca Produksi",
        "Neraca Pengeluaran",
        "Sistem Informasi Statistik",
        "Diseminasi Statistik",
    ),
    vertical_l1="Badan Pusat Statistik Provinsi {prov}",
    vertical_l2="Badan Pusat Statistik {kab}",
    vertical_pool="statistik",
    kantor_units=(("Subbagian Umum", PENGAWAS, "statistik", 6.0),),
    sekjen="Sekretariat Utama",
    irjen="Inspektorat Utama",
)

BIRO = (
    "Perencanaan dan Keuangan", "Organisasi dan Sumber Daya Manusia", "Hukum dan Kerja Sama", "Umum dan Pengadaan",
    "Hubungan Masyarakat, Data, dan Informasi", "Kepegawaian", "Pengelolaan Barang Milik Negara",
)  # fmt: skip
SUBDIT = (
    "Perencanaan dan Anggaran", "Kurikulum dan Evaluasi", "Kelembagaan", "Sarana dan Prasarana", "Ketenagaan",
    "Data dan Informasi", "Bina Program", "Standardisasi", "Kerja Sama", "Pengembangan Sistem", "Pembinaan",
    "Pemantauan dan Evaluasi", "Fasilitasi dan Advokasi", "Penjaminan Mutu", "Pelayanan",
)  # fmt: skip
SEKSI = (
    "Penyusunan Program", "Evaluasi dan Pelaporan", "Pengelolaan Data", "Bimbingan Teknis", "Pelayanan Informasi",
    "Pengendalian Mutu", "Fasilitasi", "Pembinaan Kelembagaan", "Administrasi", "Verifikasi",
)  # fmt: skip
SUBBAGIAN = (
    "Tata Usaha", "Keuangan", "Kepegawaian", "Umum dan Rumah Tangga", "Perencanaan", "Program dan Pelaporan",
    "Perlengkapan", "Hukum", "Protokol", "Arsip dan Ekspedisi",
)  # fmt: skip
BIDANG_KANWIL = (
    "Pendidikan Madrasah", "Urusan Agama Islam", "Penerangan Agama Islam dan Pemberdayaan Zakat dan Wakaf",
    "Penyelenggaraan Haji dan Umrah", "Pendidikan Agama Islam", "Bimbingan Masyarakat Kristen",
)  # fmt: skip


def _ministry_l1(rng: random.Random, ctx: Context, parent: Unit | None, i: int) -> tuple[str, str]:
    assert ctx.profile is not None
    return ctx.profile.eselon1[i % len(ctx.profile.eselon1)][0], ctx.place


def _kanwil(rng: random.Random, ctx: Context, parent: Unit | None, i: int) -> tuple[str, str]:
    assert ctx.profile is not None
    # Central Java first: the provinces the data set's kabupaten come from most
    order = (12, 11, 14, 13, 1, 26, 2, 15, 16, 7, *range(38))
    seen = list(dict.fromkeys(order))
    prov = names.PROVINSI[seen[i % len(seen)]]
    return ctx.profile.vertical_l1.format(prov=prov), prov


def _eselon2(rng: random.Random, ctx: Context, parent: Unit | None, i: int) -> tuple[str, str]:
    assert ctx.profile is not None and parent is not None
    if parent.type == "setjen":
        return _pick(BIRO, "Biro ")(rng, ctx, parent, i)
    if parent.type == "itjen":
        return f"Inspektorat Wilayah {ROMAN[i % len(ROMAN)]}", parent.place
    if i == 0:
        short = parent.nama.replace("Direktorat Jenderal", "Direktorat Jenderal").replace(
            "Deputi Bidang", "Deputi"
        )
        return f"Sekretariat {short}", parent.place
    pool = ctx.profile.direktorat
    offset = (parent.index * 3) % len(pool)
    word = "Pusat" if parent.nama.startswith("Badan") else "Direktorat"
    return f"{word} {pool[(offset + i - 1) % len(pool)]}", parent.place


def _eselon3(rng: random.Random, ctx: Context, parent: Unit | None, i: int) -> tuple[str, str]:
    assert parent is not None
    word = "Subdirektorat" if parent.nama.startswith(("Direktorat", "Pusat")) else "Bagian"
    return _pick(SUBDIT[(parent.index % 5) :] + SUBDIT[: parent.index % 5], f"{word} ")(rng, ctx, parent, i)


def _eselon4(rng: random.Random, ctx: Context, parent: Unit | None, i: int) -> tuple[str, str]:
    assert parent is not None
    if parent.nama.startswith("Subdirektorat"):
        return _pick(SEKSI[(parent.index % 4) :] + SEKSI[: parent.index % 4], "Seksi ")(rng, ctx, parent, i)
    return _pick(SUBBAGIAN[(parent.index % 4) :] + SUBBAGIAN[: parent.index % 4], "Subbagian ")(
        rng, ctx, parent, i
    )


def _kantor(rng: random.Random, ctx: Context, parent: Unit | None, i: int) -> tuple[str, str]:
    assert ctx.profile is not None and parent is not None
    pattern = ctx.profile.vertical_l2
    if "{kab}" in pattern:
        kab = _kabupaten_in(parent.place, parent.index, i)
        return pattern.format(kab=kab), kab
    return pattern.format(roman=ROMAN[i % len(ROMAN)]), parent.place


def _kabupaten_in(province: str, salt: int, i: int) -> str:
    """A kabupaten/kota name for the i-th office of a province (from the list, spread by salt)."""
    kind, nama = names.KABUPATEN_KOTA[(salt * 7 + i) % len(names.KABUPATEN_KOTA)]
    return f"{kind} {nama}"


def _kantor_unit(rng: random.Random, ctx: Context, parent: Unit | None, i: int) -> tuple[str, str]:
    assert ctx.profile is not None and parent is not None
    if i == 0:
        return "Subbagian Tata Usaha", parent.place
    units = ctx.profile.kantor_units
    pattern = units[(i - 1) % len(units)][0]
    kab = parent.place.removeprefix("Kabupaten ").removeprefix("Kota ")
    kec = names.KECAMATAN[(parent.index * 5 + i) % len(names.KECAMATAN)]
    n = (i - 1) // len(units) + 1
    return pattern.format(n=n, kab=kab, kec=kec, roman=ROMAN[(i - 1) % len(ROMAN)]), parent.place


def kantor_unit_spec(ctx: Context, i: int) -> tuple[int, str, float]:
    """(jenis, pool, staff weight) of the i-th unit of a vertical office."""
    assert ctx.profile is not None
    if i == 0:
        return PENGAWAS, "umum", 5.0
    _, jenis, pool, staff = ctx.profile.kantor_units[(i - 1) % len(ctx.profile.kantor_units)]
    return jenis, pool, staff


MINISTRY: dict[str, UnitType] = {
    "root": UnitType(JPT_UTAMA, lambda rng, ctx, p, i: (ctx.nama, ctx.place), staff=0.0, headless=True,
                     children=(("setjen", 1), ("itjen", 1), ("eselon1", 9), ("kanwil", 0))),
    "setjen": UnitType(JPT_MADYA, lambda rng, ctx, p, i: (ctx.profile.sekjen if ctx.profile else "Sekretariat Jenderal", ctx.place),
                       staff=1.0, children=(("eselon2", 0),), child_weight=7, mandiri=True),
    "itjen": UnitType(JPT_MADYA, lambda rng, ctx, p, i: (ctx.profile.irjen if ctx.profile else "Inspektorat Jenderal", ctx.place),
                      pool="pengawasan", staff=1.0, children=(("eselon2", 0),), child_weight=4, mandiri=True),
    "eselon1": UnitType(JPT_MADYA, _ministry_l1, staff=1.0, children=(("eselon2", 0),), child_weight=6, mandiri=True),
    "kanwil": UnitType(JPT_PRATAMA, _kanwil, staff=3.0, children=(("bagian_tu", 1), ("bidang_kanwil", 4), ("kantor", 0)),
                       child_weight=12, mandiri=True),
    "eselon2": UnitType(JPT_PRATAMA, _eselon2, staff=3.0, children=(("eselon3", 0),), child_weight=4),
    "eselon3": UnitType(ADMINISTRATOR, _eselon3, staff=3.0, children=(("eselon4", 0),), child_weight=3),
    "eselon4": UnitType(PENGAWAS, _eselon4, staff=4.0),
    "bagian_tu": UnitType(ADMINISTRATOR, _fixed("Bagian Tata Usaha"), staff=6.0, children=(("subbagian_tu", 0),), child_weight=2),
    "subbagian_tu": UnitType(PENGAWAS, _pick(SUBBAGIAN[1:], "Subbagian "), staff=5.0),
    "bidang_kanwil": UnitType(ADMINISTRATOR, _pick(BIDANG_KANWIL, "Bidang "), staff=7.0),
    "kantor": UnitType(ADMINISTRATOR, _kantor, staff=14.0, children=(("kantor_unit", 0),), child_weight=6),
    "kantor_unit": UnitType(PENGAWAS, _kantor_unit, staff=8.0),  # jenis, pool and staff from the profile
}  # fmt: skip


# ---- a provinsi ----

DINAS_PROVINSI = (
    ("Dinas Pendidikan", "daerah"), ("Dinas Kesehatan", "kesehatan"), ("Badan Kepegawaian Daerah", "daerah"),
    ("Inspektorat Daerah", "pengawasan"), ("Badan Perencanaan Pembangunan Daerah", "daerah"),
    ("Badan Pengelolaan Keuangan dan Aset Daerah", "daerah"), ("Badan Pendapatan Daerah", "daerah"),
    ("Dinas Pekerjaan Umum Bina Marga dan Cipta Karya", "daerah"), ("Dinas Sosial", "daerah"),
    ("Dinas Tenaga Kerja dan Transmigrasi", "daerah"), ("Dinas Lingkungan Hidup dan Kehutanan", "daerah"),
    ("Dinas Perhubungan", "daerah"), ("Dinas Komunikasi dan Informatika", "daerah"),
    ("Dinas Pertanian dan Perkebunan", "daerah"), ("Dinas Kelautan dan Perikanan", "daerah"),
    ("Dinas Energi dan Sumber Daya Mineral", "daerah"), ("Dinas Perindustrian dan Perdagangan", "daerah"),
    ("Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu", "daerah"), ("Satuan Polisi Pamong Praja", "daerah"),
    ("Badan Penanggulangan Bencana Daerah", "daerah"), ("Badan Kesatuan Bangsa dan Politik", "daerah"),
    ("Dinas Pemuda dan Olahraga", "daerah"), ("Dinas Kebudayaan dan Pariwisata", "daerah"),
    ("Dinas Perpustakaan dan Kearsipan", "daerah"), ("Sekretariat Dewan Perwakilan Rakyat Daerah", "daerah"),
)  # fmt: skip
BIDANG = (
    "Perencanaan dan Pengembangan", "Pelayanan", "Pengawasan dan Pengendalian", "Pembinaan", "Data dan Informasi",
    "Sarana dan Prasarana", "Pemberdayaan", "Penataan dan Penegakan", "Program dan Evaluasi",
)  # fmt: skip
BIDANG_PENDIDIKAN = ("Pembinaan Sekolah Menengah Atas", "Pembinaan Sekolah Menengah Kejuruan", "Pembinaan Pendidikan Khusus", "Guru dan Tenaga Kependidikan")  # fmt: skip
BIDANG_KESEHATAN = ("Kesehatan Masyarakat", "Pencegahan dan Pengendalian Penyakit", "Pelayanan Kesehatan", "Sumber Daya Kesehatan")  # fmt: skip
BIRO_PROVINSI = (
    "Pemerintahan dan Otonomi Daerah", "Hukum", "Perekonomian", "Infrastruktur dan Sumber Daya Alam",
    "Kesejahteraan Rakyat", "Organisasi", "Pengadaan Barang dan Jasa", "Umum", "Administrasi Pimpinan",
)  # fmt: skip


def _dinas(pool: Sequence[tuple[str, str]]) -> NameFn:
    def name(rng: random.Random, ctx: Context, parent: Unit | None, i: int) -> tuple[str, str]:
        base = pool[i % len(pool)][0]
        suffix = "" if i < len(pool) else f" {ROMAN[min(i // len(pool), len(ROMAN) - 1)]}"
        return f"{base}{suffix}", ctx.place

    return name


def _sekretariat(rng: random.Random, ctx: Context, parent: Unit | None, i: int) -> tuple[str, str]:
    assert parent is not None
    short = parent.nama.split(" dan ")[0]
    return f"Sekretariat {short}", parent.place


def _bidang(rng: random.Random, ctx: Context, parent: Unit | None, i: int) -> tuple[str, str]:
    assert parent is not None
    if parent.nama.startswith("Dinas Pendidikan"):
        pool: Sequence[str] = BIDANG_PENDIDIKAN
    elif parent.nama.startswith("Dinas Kesehatan"):
        pool = BIDANG_KESEHATAN
    else:
        pool = BIDANG[(parent.index % 5) :] + BIDANG[: parent.index % 5]
    return _pick(pool, "Bidang ")(rng, ctx, parent, i)


def _special(rng: random.Random, ctx: Context, parent: Unit | None, i: int) -> tuple[str, str]:
    """The units that hold most of a region's staff: schools, puskesmas, hospitals, UPT."""
    assert parent is not None
    kind = special_kind(ctx, parent)
    place = ctx.place
    if kind == "sma":
        kab = _kabupaten_in(ctx.place, parent.index, i // 3).split(" ", 1)[1]
        school = ("SMA Negeri", "SMK Negeri", "SMA Negeri")[i % 3]
        return f"{school} {i // 3 + 1} {kab}", place
    if kind == "sekolah":
        school = ("SD Negeri", "SD Negeri", "SMP Negeri")[i % 3]
        return f"{school} {i // 3 + 1} {ctx.place}", place
    if kind == "puskesmas":
        return f"UPT Puskesmas {names.KECAMATAN[(parent.index + i) % len(names.KECAMATAN)]}", place
    if kind == "rsud":
        return (
            f"Rumah Sakit Umum Daerah {('Dr. Moewardi', 'Dr. Kariadi', 'Tugurejo', 'Prof. Dr. Margono Soekarjo', 'Dr. Soeselo')[i % 5]}",
            place,
        )
    return f"UPT {parent.nama.split(' ', 1)[1]} Wilayah {ROMAN[i % len(ROMAN)]}", place


def special_kind(ctx: Context, parent: Unit) -> str:
    if parent.nama.startswith("Dinas Pendidikan"):
        return "sma" if ctx.kind == "provinsi" else "sekolah"
    if parent.nama.startswith("Dinas Kesehatan"):
        return "rsud" if ctx.kind == "provinsi" else "puskesmas"
    return "upt"


# staff weight and pool of each special kind
SPECIAL = {"sma": (45.0, "guru", NON_ESELON), "sekolah": (22.0, "guru", NON_ESELON),
           "puskesmas": (26.0, "kesehatan", PENGAWAS), "rsud": (160.0, "kesehatan", JPT_PRATAMA),
           "upt": (10.0, "daerah", ADMINISTRATOR)}  # fmt: skip

PROVINSI: dict[str, UnitType] = {
    "root": UnitType(JPT_MADYA, lambda rng, ctx, p, i: (ctx.nama, ctx.place), staff=0.0, headless=True,
                     children=(("setda", 1), ("dinas", 0))),
    "setda": UnitType(JPT_MADYA, lambda rng, ctx, p, i: (f"Sekretariat Daerah Provinsi {ctx.place}", ctx.place),
                      staff=2.0, children=(("biro", 0),), child_weight=8, mandiri=True),
    "biro": UnitType(JPT_PRATAMA, _pick(BIRO_PROVINSI, "Biro "), staff=3.0, children=(("bagian", 0),), child_weight=3),
    "bagian": UnitType(ADMINISTRATOR, _pick(SUBDIT, "Bagian "), staff=4.0, children=(("subbagian", 0),), child_weight=2),
    "subbagian": UnitType(PENGAWAS, _pick(SUBBAGIAN, "Subbagian "), staff=4.0),
    "dinas": UnitType(JPT_PRATAMA, _dinas(DINAS_PROVINSI), pool="daerah", staff=3.0,
                      children=(("sekretariat", 1), ("bidang", 4), ("special", 0)), child_weight=6, mandiri=True),
    "sekretariat": UnitType(ADMINISTRATOR, _sekretariat, staff=6.0, children=(("subbagian", 0),), child_weight=2),
    "bidang": UnitType(ADMINISTRATOR, _bidang, pool="daerah", staff=5.0, children=(("seksi", 0),), child_weight=2),
    "seksi": UnitType(PENGAWAS, _pick(SEKSI, "Seksi "), pool="daerah", staff=4.0),
    "special": UnitType(NON_ESELON, _special, pool="guru", staff=40.0),  # jenis, pool and staff by SPECIAL
}  # fmt: skip


# ---- a kabupaten or kota ----

DINAS_KABUPATEN = (
    ("Dinas Pendidikan dan Kebudayaan", "daerah"), ("Dinas Kesehatan", "kesehatan"),
    ("Badan Kepegawaian dan Pengembangan Sumber Daya Manusia", "daerah"), ("Inspektorat Daerah", "pengawasan"),
    ("Badan Perencanaan Pembangunan, Riset, dan Inovasi Daerah", "daerah"),
    ("Badan Pengelolaan Keuangan dan Aset Daerah", "daerah"), ("Badan Pendapatan Daerah", "daerah"),
    ("Dinas Pekerjaan Umum dan Penataan Ruang", "daerah"), ("Dinas Perumahan Rakyat dan Kawasan Permukiman", "daerah"),
    ("Dinas Sosial, Pemberdayaan Perempuan, dan Perlindungan Anak", "daerah"), ("Dinas Tenaga Kerja", "daerah"),
    ("Dinas Lingkungan Hidup", "daerah"), ("Dinas Kependudukan dan Pencatatan Sipil", "daerah"),
    ("Dinas Pemberdayaan Masyarakat dan Desa", "daerah"), ("Dinas Perhubungan", "daerah"),
    ("Dinas Komunikasi dan Informatika", "daerah"), ("Dinas Koperasi, Usaha Kecil, dan Menengah", "daerah"),
    ("Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu", "daerah"), ("Dinas Pertanian dan Pangan", "daerah"),
    ("Dinas Perdagangan dan Perindustrian", "daerah"), ("Dinas Pariwisata, Pemuda, dan Olahraga", "daerah"),
    ("Dinas Perpustakaan dan Kearsipan", "daerah"), ("Satuan Polisi Pamong Praja", "daerah"),
    ("Badan Penanggulangan Bencana Daerah", "daerah"), ("Badan Kesatuan Bangsa dan Politik", "daerah"),
    ("Sekretariat Dewan Perwakilan Rakyat Daerah", "daerah"),
)  # fmt: skip
BAGIAN_SETDA = (
    "Tata Pemerintahan", "Hukum", "Kesejahteraan Rakyat", "Perekonomian dan Sumber Daya Alam",
    "Administrasi Pembangunan", "Pengadaan Barang dan Jasa", "Organisasi", "Umum", "Protokol dan Komunikasi Pimpinan",
)  # fmt: skip
SEKSI_KECAMATAN = (
    "Pemerintahan",
    "Ketenteraman dan Ketertiban Umum",
    "Pemberdayaan Masyarakat dan Desa",
    "Kesejahteraan Sosial",
)


def _kecamatan(rng: random.Random, ctx: Context, parent: Unit | None, i: int) -> tuple[str, str]:
    kec = names.KECAMATAN[(hash_text(ctx.place) + i) % len(names.KECAMATAN)]
    suffix = "" if i < len(names.KECAMATAN) else f" {ROMAN[min(i // len(names.KECAMATAN), len(ROMAN) - 1)]}"
    return f"Kecamatan {kec}{suffix}", kec


def _kecamatan_child(rng: random.Random, ctx: Context, parent: Unit | None, i: int) -> tuple[str, str]:
    assert parent is not None
    if i == 0:
        return f"Sekretariat Kecamatan {parent.place}", parent.place
    if i <= len(SEKSI_KECAMATAN):
        return f"Seksi {SEKSI_KECAMATAN[i - 1]}", parent.place
    j = i - len(SEKSI_KECAMATAN) - 1
    kel = names.KELURAHAN[(parent.index + j) % len(names.KELURAHAN)]
    suffix = "" if j < len(names.KELURAHAN) else f" {ROMAN[min(j // len(names.KELURAHAN), len(ROMAN) - 1)]}"
    return f"Kelurahan {kel}{suffix}", parent.place


def hash_text(text: str) -> int:
    """A stable small hash (Python's own is salted per process)."""
    return sum((i + 1) * ord(c) for i, c in enumerate(text))


KABUPATEN: dict[str, UnitType] = {
    "root": UnitType(JPT_PRATAMA, lambda rng, ctx, p, i: (ctx.nama, ctx.place), staff=0.0, headless=True,
                     children=(("setda", 1), ("dinas", len(DINAS_KABUPATEN)), ("kecamatan", 0))),
    "setda": UnitType(JPT_PRATAMA, lambda rng, ctx, p, i: (f"Sekretariat Daerah {ctx.nama.removeprefix('Pemerintah ')}", ctx.place),
                      staff=2.0, children=(("bagian", 0),), child_weight=9, mandiri=True),
    "bagian": UnitType(ADMINISTRATOR, _pick(BAGIAN_SETDA, "Bagian "), staff=5.0, children=(("subbagian", 0),), child_weight=2),
    "subbagian": UnitType(PENGAWAS, _pick(SUBBAGIAN, "Subbagian "), staff=4.0),
    "dinas": UnitType(JPT_PRATAMA, _dinas(DINAS_KABUPATEN), pool="daerah", staff=3.0,
                      children=(("sekretariat", 1), ("bidang", 3), ("special", 0)), child_weight=4, mandiri=True),
    "sekretariat": UnitType(ADMINISTRATOR, _sekretariat, staff=6.0, children=(("subbagian", 0),), child_weight=2),
    "bidang": UnitType(ADMINISTRATOR, _bidang, pool="daerah", staff=5.0, children=(("seksi", 0),), child_weight=2),
    "seksi": UnitType(PENGAWAS, _pick(SEKSI, "Seksi "), pool="daerah", staff=4.0),
    "special": UnitType(NON_ESELON, _special, pool="guru", staff=30.0),
    "kecamatan": UnitType(ADMINISTRATOR, _kecamatan, pool="daerah", staff=8.0,
                          children=(("kecamatan_child", 0),), child_weight=5, mandiri=True),
    "kecamatan_child": UnitType(PENGAWAS, _kecamatan_child, pool="daerah", staff=5.0),
}  # fmt: skip

TEMPLATES = {"kementerian": MINISTRY, "provinsi": PROVINSI, "kabupaten": KABUPATEN}

# Share of the units on each level below the root (the last level takes the rest).
LEVELS = {
    "kementerian": (0.009, 0.16, 0.45),
    "provinsi": (0.05, 0.30, 0.45),
    "kabupaten": (0.13, 0.47),
}
# The weight by which dinas of particular kinds take units of the next level (schools, puskesmas).
SPECIAL_CHILD_WEIGHT = {"sma": 18.0, "sekolah": 22.0, "puskesmas": 10.0, "rsud": 6.0, "upt": 4.0}


def level_counts(kind: str, units: int) -> list[int]:
    """How many units on each level: the root, then the shares of LEVELS, the last level the rest; at least
    one on a level while units remain."""
    counts = [1]
    left = units - 1
    for share in LEVELS[kind]:
        if left <= 0:
            break
        n = min(left, max(1, round(units * share)))
        counts.append(n)
        left -= n
    if left > 0:
        counts.append(left)
    return counts


def apportion(total: int, weights: Sequence[float]) -> list[int]:
    """`total` shared by `weights` (largest remainder), exact."""
    whole = sum(weights)
    if total <= 0 or whole <= 0:
        return [0] * len(weights)
    raw = [total * w / whole for w in weights]
    shares = [int(r) for r in raw]
    left = total - sum(shares)
    for i in sorted(range(len(raw)), key=lambda i: (shares[i] - raw[i], i))[:left]:
        shares[i] += 1
    return shares


def unit_spec(ctx: Context, unit: Unit, units: Sequence[Unit]) -> tuple[int, str, float]:
    """(jenis, pool, staff weight) of a unit, from its type and, for the profile- and kind-dependent types,
    its parent."""
    template = TEMPLATES[ctx.kind][unit.type]
    parent = units[unit.parent] if unit.parent >= 0 else None
    if unit.type == "kantor_unit" and parent is not None:
        return kantor_unit_spec(ctx, parent.children.index(unit.index))
    if unit.type == "special" and parent is not None:
        staff, pool, jenis = SPECIAL[special_kind(ctx, parent)]
        return jenis, pool, staff
    pool = template.pool
    if unit.type in ("eselon1",) and ctx.profile is not None:
        pool = ctx.profile.eselon1[_ordinal(unit, units) % len(ctx.profile.eselon1)][1]
    elif unit.type in ("kanwil", "kantor") and ctx.profile is not None:
        pool = ctx.profile.vertical_pool
    elif unit.type == "dinas":
        table = DINAS_PROVINSI if ctx.kind == "provinsi" else DINAS_KABUPATEN
        pool = dict(table).get(unit.nama, template.pool)
    elif parent is not None and unit.type not in ("eselon2", "eselon3", "eselon4"):
        pool = _inherited_pool(ctx, parent, units) or pool
    return unit.jenis, pool, template.staff


def _ordinal(unit: Unit, units: Sequence[Unit]) -> int:
    parent = units[unit.parent]
    same = [c for c in parent.children if units[c].type == unit.type]
    return same.index(unit.index)


def _inherited_pool(ctx: Context, unit: Unit, units: Sequence[Unit]) -> str | None:
    while unit.parent >= 0:
        if unit.type == "dinas":
            table = DINAS_PROVINSI if ctx.kind == "provinsi" else DINAS_KABUPATEN
            pool = dict(table).get(unit.nama)
            return None if pool == "daerah" else pool
        unit = units[unit.parent]
    return None


def build_tree(ctx: Context, units: int, rng: random.Random) -> list[Unit]:
    """A tree of exactly `units` unor, a level at a time, parents before children."""
    template = TEMPLATES[ctx.kind]
    root_name, root_place = template["root"].name(rng, ctx, None, 0)
    tree = [Unit(0, "root", root_name, template["root"].jenis, -1, 0, False, ctx.kota, root_place)]
    previous = [0]
    leaf = "eselon4" if ctx.kind == "kementerian" else "seksi"
    for level, count in enumerate(level_counts(ctx.kind, units)[1:], start=1):
        weights = [_child_weight(ctx, tree[i], template) for i in previous]
        if sum(weights) == 0:  # nothing on the level above takes children: its last units do
            weights = [1.0] * len(previous)
        shares = apportion(count, weights)
        current: list[int] = []
        for parent_index, share in zip(previous, shares, strict=True):
            parent = tree[parent_index]
            for child_type, ordinal in _child_types(template[parent.type], share, leaf):
                child_template = template[child_type]
                nama, place = child_template.name(rng, ctx, parent, ordinal)
                unit = Unit(len(tree), child_type, nama, child_template.jenis, parent_index, level,
                            child_template.mandiri, ctx.kota, place)  # fmt: skip
                tree.append(unit)
                parent.children.append(unit.index)
                current.append(unit.index)
        previous = current
    for unit in tree:
        jenis, _, _ = unit_spec(ctx, unit, tree)
        unit.jenis = jenis
        unit.induk = _induk(unit, tree)
    return tree


def _child_weight(ctx: Context, unit: Unit, template: dict[str, UnitType]) -> float:
    if unit.type == "dinas":
        kind = "sma" if ctx.kind == "provinsi" else "sekolah"
        if unit.nama.startswith("Dinas Pendidikan"):
            return SPECIAL_CHILD_WEIGHT[kind]
        if unit.nama.startswith("Dinas Kesehatan"):
            return SPECIAL_CHILD_WEIGHT["rsud" if ctx.kind == "provinsi" else "puskesmas"]
    return template[unit.type].child_weight if unit.type in template else 0.0


def _child_types(parent: UnitType, count: int, leaf: str) -> list[tuple[str, int]]:
    """The types of a parent's first `count` children, each with its ordinal among its parent's children of
    that type (the ordinal names it)."""
    out: list[tuple[str, int]] = []
    ordinal = 0
    for child_type, most in parent.children:
        take = count - len(out) if most == 0 else min(most, count - len(out))
        out += [(child_type, ordinal + k) for k in range(take)]
        ordinal += take
        if len(out) >= count:
            break
    if len(out) < count:  # a parent whose children are all fixed takes more of its last kind
        last = parent.children[-1][0] if parent.children else leaf
        out += [(last, ordinal + k) for k in range(count - len(out))]
    return out


def _induk(unit: Unit, tree: Sequence[Unit]) -> int:
    """The nearest mandiri unit above (the unit's induk); -1 when it is mandiri itself or has none."""
    if unit.mandiri:
        return -1
    parent = unit.parent
    while parent >= 0:
        if tree[parent].mandiri:
            return parent
        parent = tree[parent].parent
    return -1
