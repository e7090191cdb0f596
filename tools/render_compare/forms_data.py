"""Sample data for the two forms, identical for every candidate, and the distribution-curve chart.

The data is realistic on purpose: long names and titles with academic degrees, the long unit names of
BKN, enough RHK rows (each with several indikator) that the table breaks across pages, and the seven
BerAKHLAK perilaku kerja with their printed bullet points and the leader's expectations.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Person:
    nama: str
    nip: str
    pangkat: str
    jabatan: str
    unit_kerja: str


@dataclass(frozen=True)
class Indikator:
    aspek: str
    teks: str
    target: str


@dataclass(frozen=True)
class Rhk:
    rhk_pimpinan: str
    rhk: str
    indikator: list[Indikator]


@dataclass(frozen=True)
class Perilaku:
    nama: str
    butir: list[str]
    ekspektasi: str


@dataclass(frozen=True)
class Rencana:
    instansi: str
    periode: str
    pendekatan: str
    pegawai: Person
    penilai: Person
    utama: list[Rhk]
    tambahan: list[Rhk]
    perilaku: list[Perilaku]
    lokasi: str
    tanggal: str


@dataclass(frozen=True)
class Evaluasi:
    instansi: str
    periode: str
    periode_penilaian: str
    pegawai: Person
    penilai: Person
    atasan_penilai: Person
    capaian_organisasi: str
    predikat: str
    catatan: str
    unit_induk: str
    distribusi: list[tuple[str, int]]
    lokasi_pegawai: str
    tanggal_pegawai: str
    lokasi_penilai: str
    tanggal_penilai: str


UNIT = "Direktorat Pembangunan dan Pengembangan Sistem Informasi Aparatur Sipil Negara"

PEGAWAI = Person(
    nama="Dr. RADEN AJENG SITI NURHALIZAH KUSUMAWARDHANI PRAMESWARI, S.Kom., M.T.I.",
    nip="199106192020122005",
    pangkat="Penata Muda / III/a",
    jabatan="Pranata Komputer Ahli Pertama",
    unit_kerja=UNIT,
)
PENILAI = Person(
    nama="Ir. MUHAMMAD MA'RUF AL-FARUQI SASTRODIHARDJO, M.Sc., Ph.D.",
    nip="197201171992122001",
    pangkat="Pembina Tingkat I / IV/b",
    jabatan="Direktur Pembangunan dan Pengembangan Sistem Informasi Aparatur Sipil Negara",
    unit_kerja=UNIT,
)
ATASAN = Person(
    nama="Prof. Dr. I GUSTI NGURAH BAGUS SURYAWAN WIRATAMA, S.E., M.M.",
    nip="196702271990031002",
    pangkat="Pembina Utama Madya / IV/d",
    jabatan="Deputi Bidang Sistem Informasi Kepegawaian",
    unit_kerja="Deputi Bidang Sistem Informasi Kepegawaian",
)

_PIMPINAN = [
    "Meningkatnya kualitas layanan digital manajemen ASN yang terintegrasi secara nasional",
    "Tersedianya data kepegawaian ASN yang akurat, mutakhir dan dapat dipertanggungjawabkan",
    "Terwujudnya keamanan informasi pada sistem informasi ASN sesuai standar SNI ISO/IEC 27001",
]
_RHK = [
    "Terselenggaranya pengembangan modul penilaian kinerja pada aplikasi e-Kinerja",
    "Tersusunnya dokumen analisis kebutuhan sistem layanan kenaikan pangkat otomatis",
    "Terlaksananya integrasi data SIASN dengan sistem informasi instansi daerah",
    "Tersedianya laporan pemantauan ketersediaan layanan (uptime) aplikasi nasional",
    "Terlaksananya pengujian keamanan aplikasi sebelum rilis ke lingkungan produksi",
    "Tersusunnya rancangan basis data riwayat jabatan dan angka kredit pegawai",
    "Terselenggaranya pendampingan teknis bagi admin instansi pusat dan daerah",
    "Terlaksananya migrasi layanan ke pusat data nasional sesuai tata kelola SPBE",
    "Tersedianya dokumentasi API layanan data kepegawaian untuk pihak ketiga",
    "Terselesaikannya tiket gangguan layanan sesuai tingkat layanan yang disepakati",
    "Tersusunnya laporan evaluasi pemanfaatan tanda tangan elektronik pada dokumen SKP",
    "Terlaksananya pemutakhiran data mandiri oleh pegawai melalui aplikasi MySAPK",
    "Tersedianya dasbor statistik kinerja pegawai per unit kerja untuk pimpinan",
    "Terlaksananya penyusunan kebijakan retensi dan pencadangan data kepegawaian",
]
_IND = [
    (
        "Kuantitas",
        "Jumlah modul/fitur yang selesai dikembangkan dan lulus uji penerimaan pengguna",
        "6 Modul",
    ),
    ("Kualitas", "Persentase hasil pengujian fungsional tanpa temuan kritikal", "95 %"),
    ("Waktu", "Ketepatan waktu penyelesaian sesuai jadwal rencana kerja tim", "12 Bulan"),
]
_BERAKHLAK = [
    (
        "BERORIENTASI PELAYANAN",
        [
            "Memahami dan memenuhi kebutuhan masyarakat",
            "Ramah, cekatan, solutif dan dapat diandalkan",
            "Melakukan perbaikan tiada henti",
        ],
    ),
    (
        "AKUNTABEL",
        [
            "Melaksanakan tugas dengan jujur, bertanggung jawab, cermat, disiplin dan berintegritas tinggi",
            "Menggunakan kekayaan dan BMN secara bertanggung jawab, efektif dan efisien",
            "Tidak menyalahgunakan kewenangan jabatan",
        ],
    ),
    (
        "KOMPETEN",
        [
            "Meningkatkan kompetensi diri untuk menjawab tantangan yang selalu berubah",
            "Membantu orang lain belajar",
            "Melaksanakan tugas dengan kualitas terbaik",
        ],
    ),
    (
        "HARMONIS",
        [
            "Menghargai setiap orang apapun latar belakangnya",
            "Suka menolong orang lain",
            "Membangun lingkungan kerja yang kondusif",
        ],
    ),
    (
        "LOYAL",
        [
            "Memegang teguh ideologi Pancasila, Undang–Undang Dasar Negara Republik Indonesia Tahun 1945, "
            "setia pada NKRI serta pemerintahan yang sah",
            "Menjaga nama baik sesama ASN, pimpinan, instansi dan negara",
            "Menjaga rahasia jabatan dan negara",
        ],
    ),
    (
        "ADAPTIF",
        [
            "Cepat menyesuaikan diri menghadapi perubahan",
            "Terus berinovasi dan mengembangkan kreativitas",
            "Bertindak proaktif",
        ],
    ),
    (
        "KOLABORATIF",
        [
            "Memberi kesempatan kepada berbagai pihak untuk berkontribusi",
            "Terbuka dalam bekerja sama untuk menghasilkan nilai tambah",
            "Menggerakkan pemanfaatan berbagai sumber daya untuk tujuan bersama",
        ],
    ),
]


def rencana() -> Rencana:
    utama = []
    for i, rhk in enumerate(_RHK, start=1):
        n = 2 + (i % 2)  # 2 or 3 indikator per RHK
        ind = [Indikator(a, f"{t} (IKI {i}.{k})", tg) for k, (a, t, tg) in enumerate(_IND[:n], start=1)]
        utama.append(Rhk(_PIMPINAN[i % len(_PIMPINAN)], rhk, ind))
    tambahan = [
        Rhk(
            "-",
            "Menjadi narasumber sosialisasi SKP berbasis aplikasi pada instansi daerah",
            [
                Indikator(
                    "Kuantitas", "Jumlah kegiatan sosialisasi sebagai narasumber (IKI T.1)", "4 Kegiatan"
                )
            ],
        ),
        Rhk(
            "-",
            "Menjadi anggota tim penyusun pedoman teknis tata naskah dinas elektronik",
            [
                Indikator(
                    "Kuantitas", "Jumlah draf pedoman yang diserahkan ke pimpinan tim (IKI T.2)", "1 Dokumen"
                )
            ],
        ),
    ]
    perilaku = [
        Perilaku(
            nama,
            butir,
            f"Ekspektasi khusus pimpinan untuk aspek {nama.lower()}: dibuktikan dengan umpan balik",
        )
        for nama, butir in _BERAKHLAK
    ]
    return Rencana(
        instansi="BADAN KEPEGAWAIAN NEGARA",
        periode="1 JANUARI S.D. 31 DESEMBER TAHUN 2024",
        pendekatan="JA/JF Kuantitatif",
        pegawai=PEGAWAI,
        penilai=PENILAI,
        utama=utama,
        tambahan=tambahan,
        perilaku=perilaku,
        lokasi="Jakarta",
        tanggal="4 April 2024",
    )


def evaluasi() -> Evaluasi:
    return Evaluasi(
        instansi="BADAN KEPEGAWAIAN NEGARA",
        periode="AKHIR TAHUN",
        periode_penilaian="2 JANUARI SD 31 DESEMBER TAHUN 2024",
        pegawai=PEGAWAI,
        penilai=PENILAI,
        atasan_penilai=ATASAN,
        capaian_organisasi="BAIK",
        predikat="SANGAT BAIK",
        catatan=(
            "Pertahankan konsistensi penyelesaian modul tepat waktu; tingkatkan dokumentasi pengujian "
            "keamanan dan berbagi pengetahuan dengan rekan kerja melalui forum mingguan tim."
        ),
        unit_induk=UNIT,
        distribusi=[
            ("Sangat Kurang", 2),
            ("Kurang/Misconduct", 7),
            ("Butuh Perbaikan", 21),
            ("Baik", 118),
            ("Sangat Baik", 26),
        ],
        lokasi_pegawai="Jakarta",
        tanggal_pegawai="2 Januari 2025",
        lokasi_penilai="Jakarta",
        tanggal_penilai="3 Januari 2025",
    )


def expected_fields_rencana(d: Rencana) -> list[str]:
    """Every printed field; the text extraction of the PDF must contain each one."""
    out = [d.instansi, d.periode, f"{d.lokasi}, {d.tanggal}"]
    for p in (d.pegawai, d.penilai):
        out += [p.nama, p.nip, p.pangkat, p.jabatan, p.unit_kerja]
    for r in d.utama + d.tambahan:
        out += [r.rhk]
        out += [i.teks for i in r.indikator] + [i.target for i in r.indikator]
    for b in d.perilaku:
        out += [b.nama, b.ekspektasi, *b.butir]
    return out


def expected_fields_evaluasi(d: Evaluasi) -> list[str]:
    out = [d.instansi, d.periode, d.periode_penilaian, d.capaian_organisasi, d.predikat, d.catatan]
    for p in (d.pegawai, d.penilai, d.atasan_penilai):
        out += [p.nama, p.nip, p.pangkat, p.jabatan, p.unit_kerja]
    out += [f"{d.lokasi_penilai}, {d.tanggal_penilai}", f"{d.lokasi_pegawai}, {d.tanggal_pegawai}"]
    out += [label for label, _ in d.distribusi]
    return out


def chart_points(d: Evaluasi, width: float, height: float) -> list[tuple[str, int, float, float, float]]:
    """(label, count, x centre, bar top y, bar width) in a width x height box with y pointing down."""
    top = max(c for _, c in d.distribusi)
    n = len(d.distribusi)
    left, bottom, plot_w, plot_h = 40.0, height - 38.0, width - 60.0, height - 70.0
    slot = plot_w / n
    pts = []
    for k, (label, count) in enumerate(d.distribusi):
        x = left + slot * (k + 0.5)
        y = bottom - plot_h * count / top
        pts.append((label, count, x, y, slot * 0.6))
    return pts


def chart_svg(d: Evaluasi, width: int = 520, height: int = 240) -> str:
    """The unit's distribution of predikat kinerja: bars with counts and a smoothed curve, as plain SVG."""
    pts = chart_points(d, width, height)
    bottom = height - 38.0
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="DejaVu Sans" font-size="10">',
        f'<text x="{width / 2}" y="16" text-anchor="middle" font-size="11" font-weight="bold">'
        f"Kurva Pola Distribusi Predikat Kinerja Pegawai</text>",
        f'<line x1="40" y1="{bottom}" x2="{width - 20}" y2="{bottom}" stroke="#333" stroke-width="1"/>',
        f'<line x1="40" y1="28" x2="40" y2="{bottom}" stroke="#333" stroke-width="1"/>',
    ]
    for label, count, x, y, w in pts:
        parts.append(
            f'<rect x="{x - w / 2:.1f}" y="{y:.1f}" width="{w:.1f}" height="{bottom - y:.1f}" '
            f'fill="#9ecae1" stroke="#3182bd"/>'
        )
        parts.append(f'<text x="{x:.1f}" y="{y - 4:.1f}" text-anchor="middle">{count}</text>')
        parts.append(
            f'<text x="{x:.1f}" y="{bottom + 14:.1f}" text-anchor="middle" font-size="9">{label}</text>'
        )
    # a smoothed curve through the bar tops (Catmull-Rom to cubic Bezier)
    path = f"M {pts[0][2]:.1f} {pts[0][3]:.1f}"
    for k in range(len(pts) - 1):
        p0 = pts[max(k - 1, 0)]
        p1, p2 = pts[k], pts[k + 1]
        p3 = pts[min(k + 2, len(pts) - 1)]
        c1 = (p1[2] + (p2[2] - p0[2]) / 6, p1[3] + (p2[3] - p0[3]) / 6)
        c2 = (p2[2] - (p3[2] - p1[2]) / 6, p2[3] - (p3[3] - p1[3]) / 6)
        path += f" C {c1[0]:.1f} {c1[1]:.1f} {c2[0]:.1f} {c2[1]:.1f} {p2[2]:.1f} {p2[3]:.1f}"
    parts.append(f'<path d="{path}" fill="none" stroke="#d62728" stroke-width="2"/>')
    parts.append(
        f'<text x="{width / 2}" y="{height - 6}" text-anchor="middle" font-size="9">'
        f"Unit kerja induk: {d.unit_induk} (n = {sum(c for _, c in d.distribusi)})</text>"
    )
    parts.append("</svg>")
    return "".join(parts)
