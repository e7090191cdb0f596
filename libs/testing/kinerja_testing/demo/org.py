"""Demo org structures (two instansi) for `make run` and the tests, and a loader that creates one via gRPC.

Each structure is a unor tree of three or more levels with a mandiri unit, heads, JF and JA staff and
one PLT in force today, about 30 pegawai with valid NIPs. Rows refer to each other by `key`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from kinerja.org.v1 import org_pb2, org_pb2_grpc
from org.domain.values import JenisJabatan, JenisPlt, JenisUnor

A, F, P = JenisJabatan.ADMINISTRATOR, JenisJabatan.FUNGSIONAL, JenisJabatan.PELAKSANA
JPT, PG = JenisJabatan.JPT, JenisJabatan.PENGAWAS


@dataclass(frozen=True)
class DemoInstansi:
    kode: str
    nama: str
    jenis: str


@dataclass(frozen=True)
class DemoUnor:
    key: str
    nama: str
    jenis: JenisUnor
    eselon: str
    parent: str | None
    induk: str | None
    mandiri: bool
    kota: str


@dataclass(frozen=True)
class DemoPegawai:
    key: str
    nip: str
    nama: str
    unor: str
    pimpinan: bool
    jabatan: str
    jenis_jabatan: JenisJabatan
    jenjang: str
    golongan: str
    tmt_jabatan: str


@dataclass(frozen=True)
class DemoPlt:
    pegawai: str
    unor: str
    jabatan: str
    jenis: JenisPlt
    tanggal_mulai: str
    tanggal_selesai: str
    aktif: bool = True


@dataclass(frozen=True)
class DemoStructure:
    """One instansi's demo data; `unor` lists parents before children."""

    instansi: DemoInstansi
    unor: list[DemoUnor]
    pegawai: list[DemoPegawai]
    plt: list[DemoPlt] = field(default_factory=list)

    def head(self, unor_key: str) -> DemoPegawai | None:
        return next((p for p in self.pegawai if p.unor == unor_key and p.pimpinan), None)

    def staff(self) -> list[DemoPegawai]:
        return [p for p in self.pegawai if not p.pimpinan]


def nip(birth: str, tmt: str, gender: int, sequence: int) -> str:
    """An 18-digit NIP: birth date YYYYMMDD, CPNS month YYYYMM, gender 1/2, 3-digit sequence."""
    return f"{birth}{tmt}{gender}{sequence:03d}"


_JENJANG = (
    "Ahli Utama",
    "Ahli Madya",
    "Ahli Muda",
    "Ahli Pertama",
    "Penyelia",
    "Mahir",
    "Terampil",
    "Pemula",
)


def _jenjang(jabatan: str, jenis: JenisJabatan) -> str:
    if jenis != JenisJabatan.FUNGSIONAL:
        return ""
    return next(j for j in _JENJANG if jabatan.endswith(j))


# (key, nama, unor, pimpinan, jabatan, jenis, golongan, birth, tmt cpns, gender, sequence, tmt jabatan)
_Row = tuple[str, str, str, bool, str, JenisJabatan, str, str, str, int, int, str]


def _pegawai(rows: Sequence[_Row]) -> list[DemoPegawai]:
    return [
        DemoPegawai(
            key=key,
            nip=nip(birth, tmt, gender, seq),
            nama=nama,
            unor=unor,
            pimpinan=lead,
            jabatan=jabatan,
            jenis_jabatan=jenis,
            jenjang=_jenjang(jabatan, jenis),
            golongan=golongan,
            tmt_jabatan=tmt_jabatan,
        )
        for key, nama, unor, lead, jabatan, jenis, golongan, birth, tmt, gender, seq, tmt_jabatan in rows
    ]


def _provinsi(today: date) -> DemoStructure:
    kota = "Semarang"
    root = "Badan Kepegawaian Daerah Provinsi Jawa Tengah"
    u = JenisUnor
    unor = [
        DemoUnor("bkd", root, u.JPT_PRATAMA, "21", None, None, True, kota),
        DemoUnor("sekretariat", "Sekretariat Badan Kepegawaian Daerah", u.ADMINISTRATOR, "31", "bkd", "bkd", False, kota),
        DemoUnor("sub_umum", "Subbagian Umum dan Kepegawaian", u.PENGAWAS, "41", "sekretariat", "bkd", False, kota),
        DemoUnor("sub_keuangan", "Subbagian Keuangan", u.PENGAWAS, "41", "sekretariat", "bkd", False, kota),
        DemoUnor("mutasi", "Bidang Mutasi dan Promosi", u.ADMINISTRATOR, "31", "bkd", "bkd", False, kota),
        DemoUnor("bangkom", "Bidang Pengembangan Kompetensi Aparatur", u.ADMINISTRATOR, "31", "bkd", "bkd", False, kota),
        DemoUnor("informasi", "Bidang Informasi dan Penilaian Kinerja", u.ADMINISTRATOR, "31", "bkd", "bkd", False, kota),
        DemoUnor("upt", "UPT Pusat Penilaian Kompetensi ASN", u.ADMINISTRATOR, "32", "bkd", None, True, kota),
        DemoUnor("upt_tu", "Subbagian Tata Usaha UPT Pusat Penilaian Kompetensi ASN", u.PENGAWAS, "42", "upt", "upt", False, kota),
    ]  # fmt: skip
    rows: list[_Row] = [
        ("kepala", "Dr. Ahmad Rofiq Hidayat, S.H., M.Si.", "bkd", True, f"Kepala {root}", JPT, "IV/c", "19700312", "199503", 1, 1, "2021-03-01"),
        ("sekretaris", "Sri Wahyuni, S.E., M.M.", "sekretariat", True, "Sekretaris Badan Kepegawaian Daerah", A, "IV/b", "19740521", "199903", 2, 2, "2020-07-01"),
        ("perencana", "Bagus Prasetyo, S.E.", "sekretariat", False, "Perencana Ahli Muda", F, "III/c", "19850814", "201001", 1, 3, "2019-01-02"),
        ("kasubbag_umum", "Endang Purwaningsih, S.Sos.", "sub_umum", True, "Kepala Subbagian Umum dan Kepegawaian", PG, "III/d", "19790203", "200501", 2, 4, "2019-05-02"),
        ("pengadministrasi", "Slamet Riyadi", "sub_umum", False, "Pengadministrasi Umum", P, "II/c", "19880917", "201503", 1, 5, "2016-03-01"),
        ("arsiparis", "Dwi Lestari, A.Md.", "sub_umum", False, "Arsiparis Terampil", F, "II/d", "19910425", "201712", 2, 6, "2020-01-02"),
        ("data_kepegawaian", "Yoga Aditya Nugraha, S.Kom.", "sub_umum", False, "Pengelola Data Kepegawaian", P, "III/a", "19950108", "202012", 1, 7, "2021-06-01"),
        ("kasubbag_keuangan", "Retno Handayani, S.E., M.Ak.", "sub_keuangan", True, "Kepala Subbagian Keuangan", PG, "III/d", "19800611", "200601", 2, 8, "2018-09-03"),
        ("pengelola_keuangan", "Fitriani Panjaitan, A.Md.", "sub_keuangan", False, "Pengelola Keuangan", P, "III/a", "19930302", "201903", 2, 9, "2019-03-01"),
        ("bendahara", "Agus Setiawan, S.E.", "sub_keuangan", False, "Bendahara Pengeluaran", P, "III/b", "19870727", "201101", 1, 10, "2017-01-02"),
        ("analis_mutasi_1", "Hendra Kurniawan, S.H.", "mutasi", False, "Analis Kepegawaian Ahli Muda", F, "III/c", "19830419", "200903", 1, 11, "2018-01-02"),
        ("analis_mutasi_2", "Rina Marlina, S.Psi.", "mutasi", False, "Analis Kepegawaian Ahli Muda", F, "III/d", "19820930", "200801", 2, 12, "2017-07-03"),
        ("analis_mutasi_3", "Muhammad Iqbal Fauzi, S.AP.", "mutasi", False, "Analis Kepegawaian Ahli Pertama", F, "III/a", "19960512", "202103", 1, 13, "2022-03-01"),
        ("data_mutasi", "Siti Nurhaliza", "mutasi", False, "Pengelola Data Kepegawaian", P, "II/d", "19920806", "201712", 2, 14, "2018-12-03"),
        ("kabid_bangkom", "Ir. Bambang Sutrisno, M.T.", "bangkom", True, "Kepala Bidang Pengembangan Kompetensi Aparatur", A, "IV/a", "19760115", "200112", 1, 15, "2021-01-04"),
        ("analis_bangkom", "Dewi Anggraini, S.Pd., M.Pd.", "bangkom", False, "Analis Kepegawaian Ahli Muda", F, "III/c", "19840222", "200912", 2, 16, "2019-07-01"),
        ("asesor_bangkom", "Rizky Ramadhan, S.Psi.", "bangkom", False, "Asesor SDM Aparatur Ahli Pertama", F, "III/b", "19941118", "201903", 1, 17, "2020-04-01"),
        ("pengadministrasi_bangkom", "Wulan Sari", "bangkom", False, "Pengadministrasi Perkantoran", P, "II/c", "19970403", "202012", 2, 18, "2021-01-04"),
        ("kabid_informasi", "Haryono Dwi Putranto, S.Kom., M.Cs.", "informasi", True, "Kepala Bidang Informasi dan Penilaian Kinerja", A, "IV/a", "19780909", "200303", 1, 19, "2020-10-01"),
        ("prakom_1", "Atim Mufarrihah, S.Kom.", "informasi", False, "Pranata Komputer Ahli Pertama", F, "III/a", "19910619", "202012", 2, 20, "2021-12-01"),
        ("prakom_2", "Irdian Nova Alexcandra, S.Kom.", "informasi", False, "Pranata Komputer Ahli Pertama", F, "III/b", "19921007", "201902", 1, 21, "2020-03-02"),
        ("prakom_3", "Teguh Wibowo, S.T., M.Kom.", "informasi", False, "Pranata Komputer Ahli Muda", F, "III/c", "19860130", "201003", 1, 22, "2018-04-02"),
        ("analis_informasi", "Nur Aini Rahmawati, S.AP.", "informasi", False, "Analis Kepegawaian Ahli Pertama", F, "III/a", "19980321", "202103", 2, 23, "2022-04-01"),
        ("prakom_terampil", "Joko Susilo, A.Md.", "informasi", False, "Pranata Komputer Terampil", F, "II/d", "19900705", "201503", 1, 24, "2016-07-01"),
        ("kepala_upt", "Dra. Lilik Suryani, M.Psi.", "upt", True, "Kepala UPT Pusat Penilaian Kompetensi ASN", A, "IV/a", "19750817", "200003", 2, 25, "2022-01-03"),
        ("asesor_1", "Andi Saputra, S.Psi., M.Psi.", "upt", False, "Asesor SDM Aparatur Ahli Muda", F, "III/d", "19811204", "200703", 1, 26, "2019-01-02"),
        ("asesor_2", "Maya Kartika Sari, S.Psi.", "upt", False, "Asesor SDM Aparatur Ahli Muda", F, "III/c", "19850328", "201012", 2, 27, "2020-01-02"),
        ("asesor_3", "Fajar Nugroho, S.Psi.", "upt", False, "Asesor SDM Aparatur Ahli Pertama", F, "III/a", "19950916", "202012", 1, 28, "2021-07-01"),
        ("kasubbag_tu_upt", "Sutarno, S.Sos.", "upt_tu", True, "Kepala Subbagian Tata Usaha", PG, "III/d", "19771126", "200212", 1, 29, "2019-10-01"),
        ("keuangan_upt", "Eka Puspitasari, A.Md.Ak.", "upt_tu", False, "Pengelola Keuangan", P, "II/d", "19940214", "201903", 2, 30, "2019-03-01"),
    ]  # fmt: skip
    plt = [
        DemoPlt(
            "kabid_informasi",
            "mutasi",
            "Plt. Kepala Bidang Mutasi dan Promosi",
            JenisPlt.PLT,
            (today - timedelta(days=30)).isoformat(),
            (today + timedelta(days=150)).isoformat(),
        )
    ]
    return DemoStructure(DemoInstansi("BKD-JATENG", root, "DAERAH"), unor, _pegawai(rows), plt)


def _kabupaten(today: date) -> DemoStructure:
    kota = "Sleman"
    u = JenisUnor
    unor = [
        DemoUnor("setda", "Sekretariat Daerah Kabupaten Sleman", u.JPT_PRATAMA, "21", None, None, True, kota),
        DemoUnor("organisasi", "Bagian Organisasi", u.ADMINISTRATOR, "31", "setda", "setda", False, kota),
        DemoUnor("kelembagaan", "Subbagian Kelembagaan dan Analisis Jabatan", u.PENGAWAS, "41", "organisasi", "setda", False, kota),
        DemoUnor("umum", "Bagian Umum", u.ADMINISTRATOR, "31", "setda", "setda", False, kota),
        DemoUnor("tata_usaha", "Subbagian Tata Usaha Pimpinan", u.PENGAWAS, "41", "umum", "setda", False, kota),
        DemoUnor("bkpsdm", "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia", u.JPT_PRATAMA, "22", "setda", None, True, kota),
        DemoUnor("sekretariat_bkpsdm", "Sekretariat Badan Kepegawaian dan Pengembangan SDM", u.ADMINISTRATOR, "31", "bkpsdm", "bkpsdm", False, kota),
        DemoUnor("umpeg_bkpsdm", "Subbagian Umum dan Kepegawaian BKPSDM", u.PENGAWAS, "41", "sekretariat_bkpsdm", "bkpsdm", False, kota),
        DemoUnor("mutasi", "Bidang Mutasi dan Promosi", u.ADMINISTRATOR, "31", "bkpsdm", "bkpsdm", False, kota),
        DemoUnor("pengembangan", "Bidang Pengembangan Sumber Daya Manusia", u.ADMINISTRATOR, "31", "bkpsdm", "bkpsdm", False, kota),
    ]  # fmt: skip
    rows: list[_Row] = [
        ("sekda", "Drs. Harda Kiswaya, M.Si.", "setda", True, "Sekretaris Daerah Kabupaten Sleman", JPT, "IV/d", "19680420", "199303", 1, 101, "2020-02-03"),
        ("kabag_organisasi", "Yuni Astuti, S.Sos., M.AP.", "organisasi", True, "Kepala Bagian Organisasi", A, "IV/a", "19770608", "200203", 2, 102, "2021-04-01"),
        ("analis_organisasi", "Danang Kurniawan, S.IP.", "organisasi", False, "Analis Kebijakan Ahli Muda", F, "III/c", "19840711", "200912", 1, 103, "2019-04-01"),
        ("kasubbag_kelembagaan", "Ratna Dewi Kusumawati, S.H.", "kelembagaan", True, "Kepala Subbagian Kelembagaan dan Analisis Jabatan", PG, "III/d", "19810922", "200601", 2, 104, "2020-01-02"),
        ("analis_jabatan", "Arif Budiman, S.AP.", "kelembagaan", False, "Analis Jabatan", P, "III/a", "19930517", "201903", 1, 105, "2019-03-01"),
        ("penata_kelembagaan", "Novi Rahmawati, S.Sos.", "kelembagaan", False, "Penata Kelembagaan", P, "III/b", "19890301", "201401", 2, 106, "2018-06-01"),
        ("kabag_umum", "Heru Saptono, S.E., M.M.", "umum", True, "Kepala Bagian Umum", A, "IV/b", "19730214", "199803", 1, 107, "2019-08-01"),
        ("pengelola_keuangan", "Sri Mulyani, A.Md.", "umum", False, "Pengelola Keuangan", P, "II/d", "19920826", "201712", 2, 108, "2018-01-02"),
        ("kasubbag_tu", "Bayu Aji Pamungkas, S.IP.", "tata_usaha", True, "Kepala Subbagian Tata Usaha Pimpinan", PG, "III/d", "19820403", "200801", 1, 109, "2021-02-01"),
        ("arsiparis", "Lestari Widodo, A.Md.", "tata_usaha", False, "Arsiparis Mahir", F, "III/a", "19870619", "201101", 2, 110, "2019-01-02"),
        ("pengadministrasi", "Wahyu Hidayat", "tata_usaha", False, "Pengadministrasi Umum", P, "II/b", "19980112", "202103", 1, 111, "2021-03-01"),
        ("kepala_bkpsdm", "Dr. Suparmono, S.IP., M.Si.", "bkpsdm", True, "Kepala Badan Kepegawaian dan Pengembangan Sumber Daya Manusia", JPT, "IV/c", "19710905", "199603", 1, 112, "2021-07-01"),
        ("sekretaris_bkpsdm", "Tri Wahyuningsih, S.E., M.Si.", "sekretariat_bkpsdm", True, "Sekretaris Badan Kepegawaian dan Pengembangan SDM", A, "IV/a", "19760728", "200103", 2, 113, "2020-05-04"),
        ("perencana", "Galih Permana, S.E.", "sekretariat_bkpsdm", False, "Perencana Ahli Pertama", F, "III/b", "19940309", "201903", 1, 114, "2020-03-02"),
        ("kasubbag_umpeg", "Mulyadi, S.Sos.", "umpeg_bkpsdm", True, "Kepala Subbagian Umum dan Kepegawaian", PG, "III/d", "19800130", "200503", 1, 115, "2019-06-03"),
        ("pengelola_keuangan_bkpsdm", "Anisa Nur Fitri, S.Ak.", "umpeg_bkpsdm", False, "Pengelola Keuangan", P, "III/a", "19960526", "202012", 2, 116, "2021-01-04"),
        ("pengadministrasi_bkpsdm", "Suharto", "umpeg_bkpsdm", False, "Pengadministrasi Perkantoran", P, "II/c", "19900415", "201503", 1, 117, "2016-01-04"),
        ("analis_mutasi_1", "Puji Astuti, S.Psi., M.Si.", "mutasi", False, "Analis Kepegawaian Ahli Muda", F, "III/d", "19830811", "200812", 2, 118, "2018-07-02"),
        ("analis_mutasi_2", "Yusuf Effendi, S.H.", "mutasi", False, "Analis Kepegawaian Ahli Muda", F, "III/c", "19851002", "201003", 1, 119, "2019-10-01"),
        ("analis_mutasi_3", "Citra Ayu Lestari, S.AP.", "mutasi", False, "Analis Kepegawaian Ahli Pertama", F, "III/a", "19970908", "202103", 2, 120, "2022-03-01"),
        ("analis_mutasi_4", "Dimas Ardiansyah, S.AP.", "mutasi", False, "Analis Kepegawaian Ahli Pertama", F, "III/b", "19950227", "202012", 1, 121, "2021-06-01"),
        ("data_mutasi", "Sulastri", "mutasi", False, "Pengelola Data Kepegawaian", P, "II/d", "19910113", "201712", 2, 122, "2018-03-01"),
        ("kabid_pengembangan", "Ir. Rahmat Hidayat, M.Eng.", "pengembangan", True, "Kepala Bidang Pengembangan Sumber Daya Manusia", A, "IV/a", "19740318", "199912", 1, 123, "2020-09-01"),
        ("analis_sdm_1", "Indah Permatasari, S.Psi.", "pengembangan", False, "Analis Sumber Daya Manusia Aparatur Ahli Muda", F, "III/c", "19860624", "201101", 2, 124, "2019-02-01"),
        ("analis_sdm_2", "Budi Santoso, S.Pd.", "pengembangan", False, "Analis Sumber Daya Manusia Aparatur Ahli Pertama", F, "III/a", "19961120", "202103", 1, 125, "2022-01-03"),
        ("prakom_1", "Aditya Pratama, S.Kom.", "pengembangan", False, "Pranata Komputer Ahli Pertama", F, "III/a", "19950704", "202012", 1, 126, "2021-12-01"),
        ("prakom_2", "Kurnia Sari Dewi, S.Kom., M.Kom.", "pengembangan", False, "Pranata Komputer Ahli Muda", F, "III/c", "19870215", "201101", 2, 127, "2020-06-01"),
        ("prakom_terampil", "Eko Prasetyo, A.Md.", "pengembangan", False, "Pranata Komputer Terampil", F, "II/d", "19930919", "201803", 1, 128, "2019-03-01"),
        ("pengelola_diklat", "Rahayu Ningsih", "pengembangan", False, "Pengelola Pendidikan dan Pelatihan", P, "II/c", "19941031", "202012", 2, 129, "2021-01-04"),
        ("asesor", "Hadi Purnomo, S.Psi.", "pengembangan", False, "Asesor SDM Aparatur Ahli Pertama", F, "III/b", "19920510", "201903", 1, 130, "2020-07-01"),
    ]  # fmt: skip
    plt = [
        DemoPlt(
            "sekretaris_bkpsdm",
            "mutasi",
            "Plt. Kepala Bidang Mutasi dan Promosi",
            JenisPlt.PLT,
            (today - timedelta(days=45)).isoformat(),
            (today + timedelta(days=135)).isoformat(),
        )
    ]
    return DemoStructure(
        DemoInstansi("PEMKAB-SLEMAN", "Pemerintah Kabupaten Sleman", "DAERAH"), unor, _pegawai(rows), plt
    )


def demo_structure(variant: int, today: date | None = None) -> DemoStructure:
    """Variant 1: a provincial BKD; variant 2: a kabupaten (Setda with a mandiri BKPSDM)."""
    day = today or date.today()
    if variant == 1:
        return _provinsi(day)
    if variant == 2:
        return _kabupaten(day)
    raise ValueError(f"unknown demo variant {variant}")


@dataclass
class LoadedStructure:
    """The ids the org service gave to a loaded structure, by key."""

    instansi_id: str
    unor: dict[str, str] = field(default_factory=dict)
    pegawai: dict[str, str] = field(default_factory=dict)
    plt: list[str] = field(default_factory=list)


def load_structure(
    stub: org_pb2_grpc.OrgServiceStub,
    structure: DemoStructure,
    instansi_id: str,
    metadata: Sequence[tuple[str, str]],
) -> LoadedStructure:
    """Creates the structure's unor, pegawai and PLT in an existing instansi, through the public RPCs.

    `metadata` must authorise an admin of that instansi (or an admin BKN with x-instansi-id).
    """
    loaded = LoadedStructure(instansi_id=instansi_id)
    md = tuple(metadata)
    for item in structure.unor:
        created = stub.CreateUnor(
            org_pb2.CreateUnorRequest(
                unor=org_pb2.UnorInput(
                    nama=item.nama,
                    jenis=int(item.jenis),  # type: ignore[arg-type]
                    eselon=item.eselon,
                    parent_id=loaded.unor[item.parent] if item.parent else "",
                    induk_id=loaded.unor[item.induk] if item.induk else "",
                    mandiri=item.mandiri,
                    kota=item.kota,
                )
            ),
            metadata=md,
        )
        loaded.unor[item.key] = created.id
    for person in structure.pegawai:
        created_pegawai = stub.CreatePegawai(
            org_pb2.CreatePegawaiRequest(
                pegawai=org_pb2.PegawaiInput(
                    nip=person.nip,
                    nama=person.nama,
                    unor_id=loaded.unor[person.unor],
                    pimpinan=person.pimpinan,
                    jabatan=org_pb2.Jabatan(
                        nama=person.jabatan,
                        jenis=int(person.jenis_jabatan),  # type: ignore[arg-type]
                        jenjang=person.jenjang,
                    ),
                    golongan=person.golongan,
                    tmt_jabatan=person.tmt_jabatan,
                )
            ),
            metadata=md,
        )
        loaded.pegawai[person.key] = created_pegawai.id
    for assignment in structure.plt:
        created_plt = stub.CreatePlt(
            org_pb2.CreatePltRequest(
                plt=org_pb2.PltInput(
                    pegawai_id=loaded.pegawai[assignment.pegawai],
                    unor_id=loaded.unor[assignment.unor],
                    jabatan=assignment.jabatan,
                    jenis=int(assignment.jenis),  # type: ignore[arg-type]
                    tanggal_mulai=assignment.tanggal_mulai,
                    tanggal_selesai=assignment.tanggal_selesai,
                    aktif=assignment.aktif,
                )
            ),
            metadata=md,
        )
        loaded.plt.append(created_plt.id)
    return loaded
