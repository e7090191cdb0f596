"""Word lists of the national data set: Indonesian personal names and gelar, provinces, kabupaten/kota,
kecamatan and kelurahan, and the jabatan the pegawai hold. Names are drawn so that a name search such as
"sari" matches about as many people as it does in a real personnel register (a few percent)."""

from __future__ import annotations

# ---- people ----

MALE_FIRST = (
    "Agus", "Ahmad", "Andi", "Arif", "Bambang", "Budi", "Dedi", "Dwi", "Eko", "Fajar", "Hadi", "Hendra",
    "Heru", "Imam", "Joko", "Muhammad", "Rahmat", "Rizki", "Slamet", "Sugeng", "Teguh", "Wahyu", "Yusuf",
    "Aditya", "Bayu", "Dimas", "Galih", "Ilham", "Irfan", "Kurniawan", "Lukman", "Nur", "Rudi", "Sutrisno",
    "Taufik", "Yoga", "Zainal", "Abdul", "Achmad", "Anton", "Ari", "Asep", "Bagus", "Cahyo", "Darmawan",
    "Dodi", "Edi", "Faisal", "Gunawan", "Hasan", "Iwan", "Jaka", "Komang", "Made", "Nyoman", "Ketut",
    "Wayan", "Putu", "Maruli", "Parlindungan", "Togar", "Syahrul", "Syamsul", "Ridwan", "Rohmat", "Suparman",
    "Sutarno", "Sumarno", "Tri", "Yudi", "Yanto", "Hari", "Adi", "Firman", "Hidayat", "Iqbal", "Jefri",
    "Krisna", "Mulyadi", "Nanang", "Prasetyo", "Rahmad", "Samsudin", "Tatang", "Ujang", "Wawan", "Yayan",
    "Zulkifli", "Hamzah", "Fauzi", "Sarifudin", "Ansari",
)  # fmt: skip

FEMALE_FIRST = (
    "Siti", "Sri", "Dewi", "Rina", "Yuni", "Nur", "Ani", "Endang", "Fitri", "Indah", "Lestari", "Maya",
    "Novi", "Ratna", "Rini", "Tri", "Wulan", "Yanti", "Ayu", "Dian", "Eka", "Erna", "Evi", "Fatimah",
    "Handayani", "Ika", "Intan", "Kartika", "Lina", "Mega", "Nia", "Nurul", "Puji", "Putri", "Rahayu",
    "Retno", "Rika", "Sari", "Susi", "Tuti", "Umi", "Vina", "Wahyuni", "Yulia", "Zahra", "Anisa", "Citra",
    "Desi", "Elis", "Farida", "Hana", "Ida", "Juwita", "Kiki", "Lilis", "Mira", "Nining", "Oktavia", "Pratiwi",
    "Rosita", "Suci", "Titin", "Uswatun", "Vera", "Winda", "Yeni", "Ni Luh", "Ni Made", "Ni Putu", "Ni Ketut",
    "Rosmawati", "Hotmaida", "Tiurma", "Nurhayati", "Suryani", "Mulyani", "Astuti", "Hartini", "Sumiati",
    "Wartini", "Novita", "Yuliana", "Dwi", "Eni", "Ernawati", "Melati", "Anggun", "Laras", "Sarinah",
)  # fmt: skip

MALE_SECOND = (
    "Pratama", "Saputra", "Setiawan", "Hidayat", "Nugroho", "Santoso", "Wibowo", "Kurniawan", "Firmansyah",
    "Ramadhan", "Prasetyo", "Susanto", "Gunawan", "Suryadi", "Purnomo", "Wijaya", "Hermawan", "Syahputra",
    "Rahman", "Hakim", "Fauzan", "Maulana", "Hasibuan", "Siregar", "Nasution", "Lubis", "Simanjuntak",
    "Sitompul", "Harahap", "Pangaribuan", "Tambunan", "Sinaga", "Manurung", "Situmorang", "Pardede",
    "Sembiring", "Ginting", "Tarigan", "Surbakti", "Mahendra", "Ardiansyah", "Kusuma", "Permana", "Sutanto",
    "Budiman", "Wirawan", "Suardana", "Wiguna", "Astawa", "Arsana", "Mustofa", "Anwar", "Ismail", "Hamid",
    "Effendi", "Syafii", "Rasyid", "Tanjung", "Daulay", "Rangkuti", "Pohan", "Matondang", "Marpaung",
    "Panjaitan", "Hutapea", "Sihombing", "Lumbantobing", "Simatupang", "Batubara", "Sulistyo", "Utomo",
    "Haryanto", "Suharto", "Sudarsono", "Wahyudi", "Iskandar", "Rusdi", "Yulianto", "Triyono", "Mulyono",
)  # fmt: skip

FEMALE_SECOND = (
    "Lestari", "Rahayu", "Wulandari", "Handayani", "Susanti", "Pratiwi", "Puspitasari", "Wahyuni", "Kurniasih",
    "Rahmawati", "Safitri", "Anggraini", "Novitasari", "Permatasari", "Purnamasari", "Kusumawati",
    "Maharani", "Utami", "Nurhaliza", "Sulistyowati", "Setyaningsih", "Widyaningrum", "Kartini",
    "Marlina", "Yuliana", "Fitriani", "Oktaviani", "Damayanti", "Agustina", "Ningsih", "Mulyani", "Astuti",
    "Hasanah", "Aisyah", "Khasanah", "Siregar", "Nasution", "Lubis", "Simanjuntak", "Sitorus", "Hutagalung",
    "Sinaga", "Panjaitan", "Situmorang", "Ginting", "Sembiring", "Tarigan", "Manurung", "Pardede", "Harahap",
    "Dewi", "Sari", "Indriani", "Yulianti", "Kusumaningrum", "Puspita", "Anjani", "Lestiyani", "Setiawati",
    "Prihatin", "Suryaningsih", "Wijayanti", "Andriani", "Febriani", "Ayuningtyas", "Paramitha", "Cahyani",
    "Suciati", "Rosdiana", "Hartati", "Sumarni", "Wahyuningsih", "Triastuti", "Nurjanah",
)  # fmt: skip

# Gelar: the front title (a share), and the degree that follows by education level.
GELAR_DEPAN_MALE = ("Drs.", "Ir.", "Dr.", "H.")
GELAR_DEPAN_FEMALE = ("Dra.", "Ir.", "Dr.", "Hj.")
GELAR_S1 = ("S.Pd.", "S.E.", "S.H.", "S.Kom.", "S.Sos.", "S.IP.", "S.T.", "S.Ag.", "S.AP.", "S.Si.", "S.Psi.",
            "S.Pd.I.", "S.H.I.", "S.Kep., Ners", "S.Farm., Apt.", "S.K.M.", "S.Ak.", "S.Stat.", "S.Tr.Kes.")  # fmt: skip
GELAR_S2 = (
    "M.Pd.",
    "M.Si.",
    "M.M.",
    "M.AP.",
    "M.H.",
    "M.Kes.",
    "M.Kom.",
    "M.Ag.",
    "M.Ak.",
    "M.T.",
    "M.Pd.I.",
)
GELAR_D3 = ("A.Md.", "A.Md.Kep.", "A.Md.Keb.", "A.Md.Ak.", "A.Md.Kom.", "A.Md.Farm.")

# ---- places ----

PROVINSI = (
    "Aceh", "Sumatera Utara", "Sumatera Barat", "Riau", "Jambi", "Sumatera Selatan", "Bengkulu", "Lampung",
    "Kepulauan Bangka Belitung", "Kepulauan Riau", "DKI Jakarta", "Jawa Barat", "Jawa Tengah",
    "Daerah Istimewa Yogyakarta", "Jawa Timur", "Banten", "Bali", "Nusa Tenggara Barat", "Nusa Tenggara Timur",
    "Kalimantan Barat", "Kalimantan Tengah", "Kalimantan Selatan", "Kalimantan Timur", "Kalimantan Utara",
    "Sulawesi Utara", "Sulawesi Tengah", "Sulawesi Selatan", "Sulawesi Tenggara", "Gorontalo", "Sulawesi Barat",
    "Maluku", "Maluku Utara", "Papua", "Papua Barat", "Papua Selatan", "Papua Tengah", "Papua Pegunungan",
    "Papua Barat Daya",
)  # fmt: skip

# Province codes as instansi kode parts (PROV-JATENG).
PROVINSI_KODE = {
    "Aceh": "ACEH", "Sumatera Utara": "SUMUT", "Sumatera Barat": "SUMBAR", "Riau": "RIAU", "Jambi": "JAMBI",
    "Sumatera Selatan": "SUMSEL", "Bengkulu": "BENGKULU", "Lampung": "LAMPUNG",
    "Kepulauan Bangka Belitung": "BABEL", "Kepulauan Riau": "KEPRI", "DKI Jakarta": "DKI", "Jawa Barat": "JABAR",
    "Jawa Tengah": "JATENG", "Daerah Istimewa Yogyakarta": "DIY", "Jawa Timur": "JATIM", "Banten": "BANTEN",
    "Bali": "BALI", "Nusa Tenggara Barat": "NTB", "Nusa Tenggara Timur": "NTT", "Kalimantan Barat": "KALBAR",
    "Kalimantan Tengah": "KALTENG", "Kalimantan Selatan": "KALSEL", "Kalimantan Timur": "KALTIM",
    "Kalimantan Utara": "KALTARA", "Sulawesi Utara": "SULUT", "Sulawesi Tengah": "SULTENG",
    "Sulawesi Selatan": "SULSEL", "Sulawesi Tenggara": "SULTRA", "Gorontalo": "GORONTALO",
    "Sulawesi Barat": "SULBAR", "Maluku": "MALUKU", "Maluku Utara": "MALUT", "Papua": "PAPUA",
    "Papua Barat": "PAPBAR", "Papua Selatan": "PAPSEL", "Papua Tengah": "PAPTENG", "Papua Pegunungan": "PAPPEG",
    "Papua Barat Daya": "PAPBARDAYA",
}  # fmt: skip

# (kabupaten or kota, its name): kabupaten and kota of several provinces, the first the one compared in the
# benchmark.
KABUPATEN_KOTA = (
    ("Kabupaten", "Blora"), ("Kabupaten", "Sleman"), ("Kabupaten", "Bantul"), ("Kabupaten", "Gunungkidul"),
    ("Kabupaten", "Kulon Progo"), ("Kota", "Yogyakarta"), ("Kabupaten", "Banyumas"), ("Kabupaten", "Cilacap"),
    ("Kabupaten", "Kebumen"), ("Kabupaten", "Purworejo"), ("Kabupaten", "Wonosobo"), ("Kabupaten", "Magelang"),
    ("Kabupaten", "Boyolali"), ("Kabupaten", "Klaten"), ("Kabupaten", "Sukoharjo"), ("Kabupaten", "Wonogiri"),
    ("Kabupaten", "Karanganyar"), ("Kabupaten", "Sragen"), ("Kabupaten", "Grobogan"), ("Kabupaten", "Rembang"),
    ("Kabupaten", "Pati"), ("Kabupaten", "Kudus"), ("Kabupaten", "Jepara"), ("Kabupaten", "Demak"),
    ("Kabupaten", "Semarang"), ("Kabupaten", "Temanggung"), ("Kabupaten", "Kendal"), ("Kabupaten", "Batang"),
    ("Kabupaten", "Pekalongan"), ("Kabupaten", "Pemalang"), ("Kabupaten", "Tegal"), ("Kabupaten", "Brebes"),
    ("Kota", "Semarang"), ("Kota", "Surakarta"), ("Kota", "Salatiga"), ("Kota", "Magelang"),
    ("Kabupaten", "Bogor"), ("Kabupaten", "Sukabumi"), ("Kabupaten", "Cianjur"), ("Kabupaten", "Bandung"),
    ("Kabupaten", "Garut"), ("Kabupaten", "Tasikmalaya"), ("Kabupaten", "Ciamis"), ("Kabupaten", "Kuningan"),
    ("Kabupaten", "Cirebon"), ("Kabupaten", "Majalengka"), ("Kabupaten", "Sumedang"), ("Kabupaten", "Indramayu"),
    ("Kabupaten", "Subang"), ("Kabupaten", "Purwakarta"), ("Kabupaten", "Karawang"), ("Kabupaten", "Bekasi"),
    ("Kota", "Bandung"), ("Kota", "Bekasi"), ("Kota", "Depok"), ("Kota", "Cimahi"), ("Kota", "Tasikmalaya"),
    ("Kabupaten", "Pacitan"), ("Kabupaten", "Ponorogo"), ("Kabupaten", "Trenggalek"),
    ("Kabupaten", "Tulungagung"), ("Kabupaten", "Blitar"), ("Kabupaten", "Kediri"), ("Kabupaten", "Malang"),
    ("Kabupaten", "Lumajang"), ("Kabupaten", "Jember"), ("Kabupaten", "Banyuwangi"), ("Kabupaten", "Bondowoso"),
    ("Kabupaten", "Situbondo"), ("Kabupaten", "Probolinggo"), ("Kabupaten", "Pasuruan"),
    ("Kabupaten", "Sidoarjo"), ("Kabupaten", "Mojokerto"), ("Kabupaten", "Jombang"), ("Kabupaten", "Nganjuk"),
    ("Kabupaten", "Madiun"), ("Kabupaten", "Magetan"), ("Kabupaten", "Ngawi"), ("Kabupaten", "Bojonegoro"),
    ("Kabupaten", "Tuban"), ("Kabupaten", "Lamongan"), ("Kabupaten", "Gresik"), ("Kabupaten", "Bangkalan"),
    ("Kabupaten", "Sampang"), ("Kabupaten", "Pamekasan"), ("Kabupaten", "Sumenep"), ("Kota", "Surabaya"),
    ("Kota", "Malang"), ("Kota", "Kediri"), ("Kota", "Madiun"), ("Kabupaten", "Deli Serdang"),
    ("Kabupaten", "Langkat"), ("Kabupaten", "Karo"), ("Kabupaten", "Simalungun"), ("Kabupaten", "Asahan"),
    ("Kabupaten", "Tapanuli Utara"), ("Kabupaten", "Toba"), ("Kabupaten", "Mandailing Natal"),
    ("Kota", "Medan"), ("Kota", "Pematangsiantar"), ("Kabupaten", "Agam"), ("Kabupaten", "Tanah Datar"),
    ("Kabupaten", "Pesisir Selatan"), ("Kota", "Padang"), ("Kota", "Bukittinggi"), ("Kabupaten", "Kampar"),
    ("Kabupaten", "Bengkalis"), ("Kota", "Pekanbaru"), ("Kabupaten", "Muaro Jambi"), ("Kota", "Jambi"),
    ("Kabupaten", "Ogan Komering Ilir"), ("Kabupaten", "Muara Enim"), ("Kota", "Palembang"),
    ("Kabupaten", "Lampung Tengah"), ("Kabupaten", "Lampung Selatan"), ("Kota", "Bandar Lampung"),
    ("Kabupaten", "Serang"), ("Kabupaten", "Pandeglang"), ("Kabupaten", "Lebak"), ("Kabupaten", "Tangerang"),
    ("Kota", "Tangerang"), ("Kabupaten", "Badung"), ("Kabupaten", "Gianyar"), ("Kabupaten", "Tabanan"),
    ("Kabupaten", "Buleleng"), ("Kota", "Denpasar"), ("Kabupaten", "Lombok Barat"), ("Kabupaten", "Lombok Timur"),
    ("Kota", "Mataram"), ("Kabupaten", "Kupang"), ("Kabupaten", "Sikka"), ("Kabupaten", "Manggarai"),
    ("Kota", "Kupang"), ("Kabupaten", "Kubu Raya"), ("Kabupaten", "Sambas"), ("Kota", "Pontianak"),
    ("Kabupaten", "Kotawaringin Timur"), ("Kota", "Palangka Raya"), ("Kabupaten", "Banjar"),
    ("Kota", "Banjarmasin"), ("Kabupaten", "Kutai Kartanegara"), ("Kota", "Samarinda"), ("Kota", "Balikpapan"),
    ("Kabupaten", "Minahasa"), ("Kota", "Manado"), ("Kabupaten", "Donggala"), ("Kota", "Palu"),
    ("Kabupaten", "Gowa"), ("Kabupaten", "Bone"), ("Kabupaten", "Maros"), ("Kota", "Makassar"),
    ("Kota", "Parepare"), ("Kabupaten", "Konawe"), ("Kota", "Kendari"), ("Kabupaten", "Gorontalo"),
    ("Kabupaten", "Maluku Tengah"), ("Kota", "Ambon"), ("Kota", "Ternate"), ("Kabupaten", "Jayapura"),
    ("Kota", "Jayapura"), ("Kabupaten", "Merauke"), ("Kabupaten", "Manokwari"), ("Kota", "Sorong"),
    ("Kabupaten", "Aceh Besar"), ("Kabupaten", "Pidie"), ("Kota", "Banda Aceh"), ("Kota", "Lhokseumawe"),
)  # fmt: skip

KECAMATAN = (
    "Sukamaju", "Sukajadi", "Mekarsari", "Sidomulyo", "Sumberejo", "Karangrejo", "Tegalsari", "Banyuurip",
    "Kedungwuni", "Ngaliyan", "Tembalang", "Candisari", "Gajahmungkur", "Wonosari", "Purwodadi", "Ngawen",
    "Kunduran", "Todanan", "Randublatung", "Jepon", "Cepu", "Kedungtuban", "Banjarejo", "Japah", "Tunjungan",
    "Jiken", "Bogorejo", "Jati", "Kradenan", "Sambong", "Depok", "Mlati", "Gamping", "Godean", "Kalasan",
    "Ngemplak", "Pakem", "Turi", "Tempel", "Seyegan", "Minggir", "Moyudan", "Berbah", "Prambanan", "Cangkringan",
    "Ciparay", "Cileunyi", "Margahayu", "Soreang", "Banjaran", "Pangalengan", "Cicalengka", "Majalaya",
    "Rancaekek", "Dayeuhkolot", "Kepanjen", "Singosari", "Lawang", "Turen", "Dampit", "Gondanglegi", "Pakis",
    "Tumpang", "Bululawang", "Karangploso", "Medan Baru", "Medan Johor", "Percut Sei Tuan", "Tanjung Morawa",
    "Lubuk Pakam", "Sunggal", "Kuta", "Ubud", "Sukawati", "Mengwi", "Kediri", "Tabanan", "Rappocini",
    "Tamalate", "Panakkukang", "Biringkanaya", "Somba Opu", "Pallangga", "Bontomarannu", "Sentolo", "Wates",
    "Pengasih", "Kokap", "Galur", "Lendah", "Playen", "Karangmojo", "Semanu", "Ponjong", "Rongkop",
)  # fmt: skip

KELURAHAN = (
    "Sukamulya", "Sukarame", "Cempaka", "Melati", "Kenanga", "Mekarjaya", "Margamulya", "Sindangsari",
    "Karanganyar", "Kauman", "Kepatihan", "Kebonsari", "Pandean", "Sumbersari", "Tegalrejo", "Patangpuluhan",
    "Wirobrajan", "Pakuncen", "Bumijo", "Gowongan", "Cokrodiningratan", "Terban", "Kotabaru", "Demangan",
    "Klitren", "Baciro", "Semaki", "Tahunan", "Pandeyan", "Sorosutan", "Giwangan", "Prenggan", "Purbayan",
    "Rejowinangun", "Brontokusuman", "Keparakan", "Wirogunan", "Gunungketur", "Purwokinanti", "Ngupasan",
)  # fmt: skip

# ---- jabatan ----

JENJANG_AHLI = ("Ahli Pertama", "Ahli Muda", "Ahli Madya")
JENJANG_TERAMPIL = ("Terampil", "Mahir", "Penyelia")

# Pools of the jabatan staff hold, by the kind of unit they work in: (nama, jenjang choices or () for a
# pelaksana, weight). A fungsional's jabatan name is "<nama> <jenjang>".
JABATAN_POOLS: dict[str, tuple[tuple[str, tuple[str, ...], int], ...]] = {
    "umum": (
        ("Pengadministrasi Perkantoran", (), 14), ("Penata Layanan Operasional", (), 12),
        ("Pengolah Data dan Informasi", (), 8), ("Operator Layanan Operasional", (), 6),
        ("Pengelola Umum Operasional", (), 5), ("Penelaah Teknis Kebijakan", (), 5),
        ("Analis Kebijakan", JENJANG_AHLI, 6), ("Perencana", JENJANG_AHLI, 4), ("Pranata Komputer", ("Terampil", "Ahli Pertama", "Ahli Muda"), 4),
        ("Arsiparis", ("Terampil", "Mahir", "Ahli Pertama"), 3), ("Analis Sumber Daya Manusia Aparatur", JENJANG_AHLI, 4),
        ("Analis Pengelolaan Keuangan APBN", JENJANG_AHLI, 3), ("Pranata Hubungan Masyarakat", ("Terampil", "Ahli Pertama", "Ahli Muda"), 2),
        ("Pengelola Pengadaan Barang/Jasa", ("Ahli Pertama", "Ahli Muda"), 2), ("Pranata Keuangan APBN", ("Terampil", "Mahir"), 3),
    ),
    "daerah": (
        ("Pengadministrasi Perkantoran", (), 16), ("Penata Layanan Operasional", (), 12),
        ("Pengolah Data dan Informasi", (), 8), ("Operator Layanan Operasional", (), 8),
        ("Pengelola Umum Operasional", (), 6), ("Analis Kebijakan", JENJANG_AHLI, 4), ("Perencana", JENJANG_AHLI, 3),
        ("Pranata Komputer", ("Terampil", "Ahli Pertama", "Ahli Muda"), 3), ("Arsiparis", ("Terampil", "Mahir", "Ahli Pertama"), 3),
        ("Analis Sumber Daya Manusia Aparatur", JENJANG_AHLI, 3), ("Analis Keuangan Pusat dan Daerah", JENJANG_AHLI, 3),
        ("Penyuluh Pertanian", ("Terampil", "Ahli Pertama", "Ahli Muda"), 3), ("Pengawas Lingkungan Hidup", ("Ahli Pertama", "Ahli Muda"), 1),
        ("Polisi Pamong Praja", ("Terampil", "Mahir", "Ahli Pertama"), 3), ("Penyuluh Keluarga Berencana", ("Ahli Pertama", "Ahli Muda"), 1),
    ),
    "guru": (
        ("Guru", ("Ahli Pertama", "Ahli Muda", "Ahli Madya"), 82), ("Pengadministrasi Perkantoran", (), 6),
        ("Penata Layanan Operasional", (), 4), ("Pustakawan", ("Terampil", "Ahli Pertama"), 2),
        ("Pranata Laboratorium Pendidikan", ("Terampil", "Mahir"), 2),
    ),
    "kesehatan": (
        ("Perawat", ("Terampil", "Mahir", "Penyelia", "Ahli Pertama", "Ahli Muda"), 34), ("Bidan", ("Terampil", "Mahir", "Ahli Pertama"), 16),
        ("Dokter", ("Ahli Pertama", "Ahli Muda", "Ahli Madya"), 8), ("Apoteker", ("Ahli Pertama", "Ahli Muda"), 3),
        ("Pranata Laboratorium Kesehatan", ("Terampil", "Mahir", "Ahli Pertama"), 4), ("Nutrisionis", ("Terampil", "Ahli Pertama"), 3),
        ("Tenaga Sanitasi Lingkungan", ("Terampil", "Ahli Pertama"), 3), ("Penata Layanan Operasional", (), 8),
        ("Pengadministrasi Perkantoran", (), 8),
    ),
    "keagamaan": (
        ("Penyuluh Agama Islam", JENJANG_AHLI, 24), ("Penghulu", ("Ahli Pertama", "Ahli Muda", "Ahli Madya"), 14),
        ("Guru", ("Ahli Pertama", "Ahli Muda", "Ahli Madya"), 30), ("Pengadministrasi Perkantoran", (), 12),
        ("Penata Layanan Operasional", (), 10), ("Pengolah Data dan Informasi", (), 6),
    ),
    "pajak": (
        ("Pemeriksa Pajak", ("Terampil", "Ahli Pertama", "Ahli Muda", "Ahli Madya"), 18), ("Penyuluh Pajak", ("Terampil", "Ahli Pertama", "Ahli Muda"), 10),
        ("Penilai Pajak", ("Ahli Pertama", "Ahli Muda"), 4), ("Penelaah Keberatan", (), 6), ("Account Representative", (), 20),
        ("Pengadministrasi Perpajakan", (), 20), ("Pranata Komputer", ("Terampil", "Ahli Pertama"), 4),
    ),
    "pemasyarakatan": (
        ("Petugas Pengamanan Pemasyarakatan", (), 40), ("Pembimbing Kemasyarakatan", ("Ahli Pertama", "Ahli Muda"), 10),
        ("Asisten Pembimbing Kemasyarakatan", ("Terampil", "Mahir"), 6), ("Pengelola Layanan Kemasyarakatan", (), 14),
        ("Pengadministrasi Perkantoran", (), 10), ("Analis Keimigrasian", ("Ahli Pertama", "Ahli Muda"), 8),
        ("Pemeriksa Keimigrasian", ("Terampil", "Mahir", "Ahli Pertama"), 12),
    ),
    "statistik": (
        ("Statistisi", ("Terampil", "Mahir", "Ahli Pertama", "Ahli Muda", "Ahli Madya"), 50), ("Pranata Komputer", ("Terampil", "Ahli Pertama", "Ahli Muda"), 20),
        ("Pengadministrasi Perkantoran", (), 14), ("Penata Layanan Operasional", (), 10), ("Analis Pengelolaan Keuangan APBN", ("Ahli Pertama",), 6),
    ),
    "pengawasan": (
        ("Auditor", ("Terampil", "Ahli Pertama", "Ahli Muda", "Ahli Madya"), 50), ("Pengawas Penyelenggaraan Urusan Pemerintahan di Daerah", JENJANG_AHLI, 20),
        ("Pengadministrasi Perkantoran", (), 16), ("Penata Layanan Operasional", (), 14),
    ),
}  # fmt: skip

# Golongan a fungsional holds at each jenjang (PermenPANRB 1/2023), and pelaksana by the usual spread.
GOLONGAN_BY_JENJANG = {
    "Pemula": ("II/a",),
    "Terampil": ("II/b", "II/c", "II/d"),
    "Mahir": ("III/a", "III/b"),
    "Penyelia": ("III/c", "III/d"),
    "Ahli Pertama": ("III/a", "III/b"),
    "Ahli Muda": ("III/c", "III/d"),
    "Ahli Madya": ("IV/a", "IV/b", "IV/c"),
    "Ahli Utama": ("IV/d", "IV/e"),
}
GOLONGAN_PELAKSANA = ("II/a", "II/b", "II/c", "II/d", "III/a", "III/a", "III/b", "III/b", "III/c", "III/d")
GOLONGAN_PENGAWAS = ("III/c", "III/d", "III/d", "IV/a")
GOLONGAN_ADMINISTRATOR = ("III/d", "IV/a", "IV/a", "IV/b")
GOLONGAN_JPT_PRATAMA = ("IV/b", "IV/c", "IV/c", "IV/d")
GOLONGAN_JPT_MADYA = ("IV/c", "IV/d", "IV/e")
# PPPK golongan of teachers and health workers (Perpres 98/2020): S1/D4, D3, SMA.
GOLONGAN_PPPK = ("IX", "IX", "IX", "VII", "V")

# Words of the sample users' passwords: nouns that are no one's name (identity refuses a password that
# holds a part of its holder's name).
PASSWORD_WORDS = (
    "Jendela", "Gerobak", "Ombak", "Kecapi", "Layang", "Tembikar", "Lumbung", "Pelita", "Dermaga", "Kincir",
    "Perahu", "Anyaman", "Bambu", "Gamelan", "Serambi", "Lentera", "Pematang", "Rebana", "Sampan", "Tungku",
    "Bakiak", "Ceret", "Dandang", "Gentong", "Kendi", "Lesung", "Nampan", "Pikulan", "Tampah", "Wajan",
)  # fmt: skip
