"""SKP planning demo data of BKD Provinsi Jawa Tengah (demo structure 1) for the current year, through skp's
public gRPC API, each person calling with their own token:

- admin instansi: the quarterly periode set;
- kepala (JPT, mandiri): perjanjian kinerja, the JPT SKP copied from it (approved on submission) and a
  matriks peran hasil on its first RHK for kabid_informasi (ketua) and kabid_bangkom (anggota);
- kabid_informasi: an SKP from the copied peran, with indikator, rencana aksi and penilai, submitted
  (DIAJUKAN: the kepala has it to approve);
- prakom_1: a draft SKP whose RHK intervenes kabid_informasi's first RHK.

Each person's part is skipped when they already have an SKP for the year.
"""

from __future__ import annotations

from collections.abc import Mapping

from kinerja.identity.v1 import identity_pb2, identity_pb2_grpc
from kinerja.org.v1 import org_pb2, org_pb2_grpc
from kinerja.skp.v1 import skp_pb2, skp_pb2_grpc
from kinerja_kit.handlers import today
from kinerja_testing.demo.org import demo_structure

Metadata = list[tuple[str, str]]
Stub = skp_pb2_grpc.SkpServiceStub

# (sasaran strategis, perspektif of its indikator in the JPT SKP, [(indikator, target, satuan)])
SASARAN = [
    (
        "Meningkatnya profesionalitas dan kinerja ASN Pemerintah Provinsi Jawa Tengah",
        skp_pb2.PERSPEKTIF_PROSES_BISNIS,
        [
            ("Indeks Profesionalitas ASN", "82", "Nilai"),
            ("Persentase ASN dengan predikat kinerja minimal baik", "90", "Persen"),
        ],
    ),
    (
        "Meningkatnya kualitas layanan kepegawaian berbasis digital",
        skp_pb2.PERSPEKTIF_PENERIMA_LAYANAN,
        [("Indeks kepuasan layanan kepegawaian", "85", "Nilai")],
    ),
    (
        "Terwujudnya penempatan ASN sesuai kompetensi dan kualifikasi",
        skp_pb2.PERSPEKTIF_PENGUATAN_INTERNAL,
        [("Persentase jabatan yang diisi sesuai hasil uji kompetensi", "80", "Persen")],
    ),
]
# Matriks peran hasil on the kepala's first RHK: columns, then (pegawai key, peran tim, {column: peran}).
KOLOM = ["Sistem informasi penilaian kinerja", "Laporan evaluasi kinerja dan kompetensi"]
TIM = [
    (
        "kabid_informasi",
        skp_pb2.PERAN_TIM_KETUA,
        {
            0: "Terselenggaranya sistem informasi penilaian kinerja ASN yang terintegrasi",
            1: "Tersusunnya laporan evaluasi kinerja ASN",
        },
    ),
    ("kabid_bangkom", skp_pb2.PERAN_TIM_ANGGOTA, {1: "Tersusunnya laporan pemetaan kompetensi ASN"}),
]
# kabid_informasi, per copied peran: (indikator, target, satuan) and a rencana aksi (teks, target, satuan).
INFORMASI = [
    (
        ("Persentase perangkat daerah yang memakai sistem informasi penilaian kinerja", "100", "Persen"),
        ("Uji coba integrasi data SKP dengan SIASN", "1", "Kegiatan"),
    ),
    (
        ("Jumlah laporan evaluasi kinerja ASN", "4", "Laporan"),
        ("Menyusun laporan evaluasi kinerja triwulan", "1", "Laporan"),
    ),
]
PRAKOM = (
    "Terkelolanya aplikasi e-Kinerja Badan Kepegawaian Daerah Provinsi Jawa Tengah",
    ("Persentase ketersediaan layanan aplikasi e-Kinerja", "99", "Persen"),
)


def _login(identity: identity_pb2_grpc.IdentityServiceStub, username: str, password: str) -> Metadata:
    tokens = identity.Login(identity_pb2.LoginRequest(username=username, password=password)).tokens
    return [("authorization", f"Bearer {tokens.access_token}")]


def _own_skp(skp: Stub, md: Metadata, tahun: int) -> skp_pb2.Skp | None:
    """The caller's (first) SKP of the year, whole, or None."""
    found = skp.ListSkp(skp_pb2.ListSkpRequest(scope=skp_pb2.SKP_SCOPE_SAYA, tahun=tahun), metadata=md).skp
    return skp.GetSkp(skp_pb2.GetSkpRequest(id=found[0].id), metadata=md) if found else None


def _new_skp(skp: Stub, md: Metadata, tahun: int) -> skp_pb2.Skp:
    """A quantitative draft SKP over the whole year, for the caller's own unor."""
    request = skp_pb2.CreateSkpRequest(
        tanggal_mulai=f"{tahun}-01-01",
        tanggal_selesai=f"{tahun}-12-31",
        pendekatan=skp_pb2.PENDEKATAN_KUANTITATIF,
    )
    return skp.CreateSkp(request, metadata=md)


def _indikator(
    skp: Stub, md: Metadata, skp_id: str, rhk_id: str, teks: str, target: str, satuan: str, aspek: int
) -> skp_pb2.Skp:
    indikator = skp_pb2.IndikatorInput(
        teks=teks,
        aspek=aspek,  # type: ignore[arg-type]
        target=skp_pb2.Target(min=target, max=target, satuan=satuan),
    )
    request = skp_pb2.AddIndikatorRequest(skp_id=skp_id, rhk_id=rhk_id, indikator=indikator)
    return skp.AddIndikator(request, metadata=md)


def _penilai_perilaku(skp: Stub, md: Metadata, skp_id: str, jenis: int, pegawai_id: str = "") -> None:
    """The same penilai for the seven BerAKHLAK values (atasan: the pejabat penilai)."""
    for nilai in skp_pb2.NilaiPerilaku.values()[1:]:
        request = skp_pb2.SetPenilaiPerilakuRequest(
            skp_id=skp_id,
            nilai=nilai,
            penilai_jenis=jenis,  # type: ignore[arg-type]
            penilai_pegawai_id=pegawai_id,
        )
        skp.SetPenilaiPerilaku(request, metadata=md)


def _current_periode(skp: Stub, md: Metadata) -> str:
    """The quarter holding today: its rencana aksi deadline has not passed."""
    day = f"{today():%m-%d}"
    return next(
        p.id
        for p in skp.ListPeriode(skp_pb2.ListPeriodeRequest(), metadata=md).periode
        if p.jenis == skp_pb2.JENIS_PERIODE_BIASA and p.mulai <= day <= p.selesai
    )


def _kepala(
    skp: Stub, org: org_pb2_grpc.OrgServiceStub, md: Metadata, tahun: int, nip: Mapping[str, str]
) -> None:
    pk = skp.CreatePerjanjianKinerja(skp_pb2.CreatePerjanjianKinerjaRequest(tahun=tahun), metadata=md)
    for teks, _, indikator in SASARAN:
        sasaran = skp_pb2.SasaranInput(
            teks=teks, indikator=[skp_pb2.PkIndikator(teks=i, target=t, satuan=s) for i, t, s in indikator]
        )
        request = skp_pb2.AddSasaranStrategisRequest(perjanjian_kinerja_id=pk.id, sasaran=sasaran)
        pk = skp.AddSasaranStrategis(request, metadata=md)
    head = _new_skp(skp, md, tahun)
    for item in pk.sasaran:
        head = skp.CopySasaranToSkp(
            skp_pb2.CopySasaranToSkpRequest(skp_id=head.id, sasaran_id=item.id), metadata=md
        )
    for rhk, (_, perspektif, _) in zip(head.rhk, SASARAN, strict=True):
        for ind in rhk.indikator:
            changed = skp_pb2.IndikatorInput(teks=ind.teks, perspektif=perspektif, target=ind.target)  # type: ignore[arg-type]
            request = skp_pb2.UpdateIndikatorRequest(skp_id=head.id, indikator_id=ind.id, indikator=changed)
            skp.UpdateIndikator(request, metadata=md)
    # the head of a mandiri unit has no atasan: a bawahan (the sekretaris) rates behaviour
    sekretaris = org.SearchPegawai(
        org_pb2.SearchPegawaiRequest(query=nip["sekretaris"]), metadata=md
    ).pegawai[0]
    _penilai_perilaku(skp, md, head.id, skp_pb2.JENIS_PENILAI_BAWAHAN, sekretaris.id)

    rhk_id = head.rhk[0].id
    kolom = [skp_pb2.MphKolom(nama=nama) for nama in KOLOM]
    mph = skp.SetMphKolom(skp_pb2.SetMphKolomRequest(skp_id=head.id, rhk_id=rhk_id, kolom=kolom), metadata=md)
    for key, peran_tim, peran in TIM:
        anggota = skp_pb2.MphAnggotaInput(
            nip=nip[key],
            peran_tim=peran_tim,  # type: ignore[arg-type]
            peran=[skp_pb2.MphPeran(kolom_id=mph.kolom[i].id, peran=teks) for i, teks in peran.items()],
        )
        request = skp_pb2.AddMphAnggotaRequest(skp_id=head.id, rhk_id=rhk_id, anggota=anggota)
        skp.AddMphAnggota(request, metadata=md)
    skp.SubmitSkp(skp_pb2.SubmitSkpRequest(id=head.id), metadata=md)  # mandiri: approved on submission


def _kabid_informasi(skp: Stub, md: Metadata, tahun: int, periode_id: str) -> skp_pb2.Skp:
    own = _new_skp(skp, md, tahun)
    for peran in skp.ListPeranDitugaskan(skp_pb2.ListPeranDitugaskanRequest(tahun=tahun), metadata=md).peran:
        request = skp_pb2.CopyPeranToSkpRequest(skp_id=own.id, mph_id=peran.mph_id, kolom_id=peran.kolom_id)
        own = skp.CopyPeranToSkp(request, metadata=md)
    for rhk, (indikator, (teks, target, satuan)) in zip(own.rhk, INFORMASI, strict=True):
        _indikator(skp, md, own.id, rhk.id, *indikator, aspek=skp_pb2.ASPEK_KUANTITAS)
        rencana = skp_pb2.RencanaAksiInput(
            rhk_id=rhk.id, periode_id=periode_id, teks=teks, target=target, satuan=satuan
        )
        skp.AddRencanaAksi(skp_pb2.AddRencanaAksiRequest(skp_id=own.id, rencana_aksi=rencana), metadata=md)
    _penilai_perilaku(skp, md, own.id, skp_pb2.JENIS_PENILAI_ATASAN)
    return skp.SubmitSkp(skp_pb2.SubmitSkpRequest(id=own.id), metadata=md)


def _prakom(skp: Stub, md: Metadata, tahun: int, atasan_rhk_id: str) -> None:
    teks, indikator = PRAKOM
    own = _new_skp(skp, md, tahun)
    rhk = skp_pb2.RhkInput(jenis=skp_pb2.JENIS_RHK_UTAMA, teks=teks, atasan_rhk_id=atasan_rhk_id)
    own = skp.AddRhk(skp_pb2.AddRhkRequest(skp_id=own.id, rhk=rhk), metadata=md)
    _indikator(skp, md, own.id, own.rhk[0].id, *indikator, aspek=skp_pb2.ASPEK_KUALITAS)


def load_skp_demo(
    identity: identity_pb2_grpc.IdentityServiceStub,
    org: org_pb2_grpc.OrgServiceStub,
    skp: Stub,
    passwords: Mapping[str, str],
) -> bool:
    """Loads what is missing; `passwords` maps demo keys (data_kepegawaian, kepala, kabid_informasi,
    prakom_1) to their passwords. Returns whether anything was loaded."""
    nip = {p.key: p.nip for p in demo_structure(1).pegawai}

    def md(key: str) -> Metadata:
        return _login(identity, nip[key], passwords[key])

    tahun = today().year
    admin, kepala, informasi, prakom = (
        md(k) for k in ("data_kepegawaian", "kepala", "kabid_informasi", "prakom_1")
    )
    loaded = False
    if not skp.ListPeriode(skp_pb2.ListPeriodeRequest(), metadata=admin).periode:
        print("Loading SKP demo data: periode ...", flush=True)
        skp.CreatePeriodeSet(
            skp_pb2.CreatePeriodeSetRequest(pola=skp_pb2.POLA_PERIODE_TRIWULAN), metadata=admin
        )
        loaded = True
    if _own_skp(skp, kepala, tahun) is None:
        print(f"Loading SKP demo data: the kepala's perjanjian kinerja and SKP {tahun} ...", flush=True)
        _kepala(skp, org, kepala, tahun, nip)
        loaded = True
    atasan = _own_skp(skp, informasi, tahun)
    if atasan is None:
        print(f"Loading SKP demo data: the kepala bidang's SKP {tahun} ...", flush=True)
        atasan = _kabid_informasi(skp, informasi, tahun, _current_periode(skp, informasi))
        loaded = True
    if _own_skp(skp, prakom, tahun) is None:
        print(f"Loading SKP demo data: the pranata komputer's SKP {tahun} ...", flush=True)
        _prakom(skp, prakom, tahun, atasan.rhk[0].id)
        loaded = True
    return loaded
