"""Assessment in gateway tests: an in-memory fake of the assessment service (a real gRPC server on port 0)
and, for the end-to-end story, helpers that build a quarter through GraphQL only.

`FakeAssessment` keeps penilaian per instansi for the reads (Get/BatchGet/List, tenancy by the caller's
principal); every other RPC records its request (`requests`) and answers a sample of its response type
for the caller's instansi, or the error a test set in `fail`.
"""

from __future__ import annotations

import datetime
import random
import string
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import grpc
from google.protobuf.message import Message

from kinerja.assessment.v1 import assessment_pb2, assessment_pb2_grpc
from kinerja.skp.v1 import skp_pb2
from kinerja_kit.auth import TokenVerifier
from kinerja_kit.errors import NotFound, PermissionDenied
from kinerja_kit.grpc_server import create_server
from kinerja_kit.ids import new_id
from kinerja_testing.gateway import BERAKHLAK, Gql, Recording, _principal, _tenant, sample_pejabat
from kinerja_testing.gateway_e2e import accounts_by_nip, create_pegawai, give_login, mutate, op
from kinerja_testing.platform import wait_for

ASSESSMENT_SERVICE = "kinerja.assessment.v1.AssessmentService"


def sample_penilaian(instansi_id: str, **kwargs: Any) -> assessment_pb2.Penilaian:
    """A rated penilaian with one realisasi (with bukti dukung), seven perilaku and its penjelasan."""
    pegawai = kwargs.pop("pegawai", None) or sample_pejabat("Siti Aminah")
    penilai = sample_pejabat("Budi Santoso")
    rated = assessment_pb2.RATING_SESUAI_EKSPEKTASI
    penilaian = assessment_pb2.Penilaian(
        id=str(new_id()),
        instansi_id=instansi_id,
        skp_id=str(new_id()),
        periode_id=str(new_id()),
        tahun=2026,
        periode_nama="Triwulan I",
        periode_jenis=skp_pb2.JENIS_PERIODE_BIASA,
        tanggal_mulai="2026-01-01",
        tanggal_selesai="2026-03-31",
        batas_pengisian="2026-04-10",
        model=skp_pb2.MODEL_SKP_JA_JF,
        pendekatan=skp_pb2.PENDEKATAN_KUANTITATIF,
        pegawai=pegawai,
        penilai=penilai,
        atasan_penilai=sample_pejabat("Sekretaris Daerah"),
        unit_kerja_id=str(new_id()),
        status=assessment_pb2.STATUS_PENILAIAN_DINILAI,
        realisasi=[
            assessment_pb2.RealisasiIndikator(
                indikator_id=str(new_id()),
                rhk_id=str(new_id()),
                indikator_teks="Jumlah layanan",
                rhk_teks="Terselenggaranya layanan",
                jenis_rhk=skp_pb2.JENIS_RHK_UTAMA,
                aspek=skp_pb2.ASPEK_KUANTITAS,
                target=skp_pb2.Target(min="12", max="12", satuan="Layanan"),
                nilai="12.5",
                satuan="Layanan",
                keterangan="Selesai",
                bukti_dukung=[
                    assessment_pb2.BuktiDukung(id=str(new_id()), nama="Laporan", url="https://arsip.go.id/1")
                ],
                umpan_balik="Baik",
                terisi=True,
            )
        ],
        perilaku=[
            assessment_pb2.PerilakuPenilaian(
                nilai=nilai,  # type: ignore[arg-type]
                nama=nama,
                penilai_jenis=skp_pb2.JENIS_PENILAI_ATASAN,
                penilai_pegawai_id=penilai.pegawai_id,
                penilai_nama=penilai.nama,
                feedback="Sudah baik",
                umpan_balik="Pertahankan",
            )
            for nilai, nama in BERAKHLAK
        ],
        rating_hasil_kerja=rated,
        rating_perilaku_kerja=rated,
        predikat=assessment_pb2.PREDIKAT_BAIK,
        penjelasan=assessment_pb2.PenjelasanPredikat(
            predikat=assessment_pb2.PREDIKAT_BAIK,
            rating_hasil_kerja=rated,
            rating_perilaku_kerja=rated,
            aturan_versi="permenpanrb-6-2022",
            aturan_berlaku_sejak="2022-01-01",
            aturan_sumber="PermenPAN-RB 6/2022",
            dinilai_oleh=assessment_pb2.Pelaku(
                pegawai_id=penilai.pegawai_id, nip=penilai.nip, nama=penilai.nama
            ),
            uraian="Rating hasil kerja Sesuai Ekspektasi dan rating perilaku kerja Sesuai Ekspektasi memberi predikat Baik.",
        ),
        version=3,
    )
    penilaian.MergeFrom(assessment_pb2.Penilaian(**kwargs))
    return penilaian


def _summary(penilaian: assessment_pb2.Penilaian) -> assessment_pb2.Penilaian:
    """As ListPenilaian answers: without realisasi and perilaku."""
    found = assessment_pb2.Penilaian()
    found.CopyFrom(penilaian)
    del found.realisasi[:]
    del found.perilaku[:]
    return found


def sample_pola(
    instansi_id: str, unor_id: str = "", periode_id: str = "", tahun: int = 2026
) -> assessment_pb2.PolaDistribusi:
    return assessment_pb2.PolaDistribusi(
        unor_id=unor_id or str(new_id()),
        unor_nama="Sekretariat Daerah",
        periode_id=periode_id or str(new_id()),
        tahun=tahun,
        capaian=assessment_pb2.CAPAIAN_BAIK,
        statistik=assessment_pb2.StatistikCapaian(
            dinilai=2,
            total=3,
            per_predikat=[assessment_pb2.JumlahPredikat(predikat=assessment_pb2.PREDIKAT_BAIK, jumlah=2)],
        ),
        batas=[
            assessment_pb2.BatasDistribusi(
                jenis=assessment_pb2.JENIS_BATAS_PALING_BANYAK,
                predikat=[assessment_pb2.PREDIKAT_SANGAT_BAIK],
                persen="20",
                batas_jumlah=0,
                jumlah=0,
                terpenuhi=True,
                uraian="Sangat Baik paling banyak 20%",
            )
        ],
        sesuai=True,
        aturan_versi="se-menpanrb-3-2023",
        aturan_sumber="SE MenPAN-RB 3/2023",
    )


def _samples(tenant: str) -> dict[type[Message], Callable[[], Message]]:
    pelaku = assessment_pb2.Pelaku(pegawai_id=str(new_id()), nip="198001012005011001", nama="Admin")
    capaian = assessment_pb2.CapaianOrganisasi(
        id=str(new_id()),
        instansi_id=tenant,
        tahun=2026,
        periode_id=str(new_id()),
        periode_nama="Triwulan I",
        unor_id=str(new_id()),
        unor_nama="Sekretariat Daerah",
        capaian=assessment_pb2.CAPAIAN_BAIK,
        bukti_dukung_url="https://arsip.go.id/capaian",
        diubah_oleh=pelaku,
        version=1,
        statistik=assessment_pb2.StatistikCapaian(dinilai=1, total=2),
    )
    keberatan = assessment_pb2.Keberatan(
        id=str(new_id()),
        instansi_id=tenant,
        penilaian_id=str(new_id()),
        status=assessment_pb2.STATUS_KEBERATAN_DIAJUKAN,
        alasan="Tidak sesuai",
        pegawai=sample_pejabat("Siti Aminah"),
        sebelum=assessment_pb2.NilaiKeberatan(
            rating_hasil_kerja=assessment_pb2.RATING_SESUAI_EKSPEKTASI,
            rating_perilaku_kerja=assessment_pb2.RATING_SESUAI_EKSPEKTASI,
            predikat=assessment_pb2.PREDIKAT_BAIK,
        ),
        batas_pengajuan="2026-04-24",
        version=1,
    )
    return {
        assessment_pb2.Penilaian: lambda: sample_penilaian(tenant),
        assessment_pb2.PerpanjanganBatas: lambda: assessment_pb2.PerpanjanganBatas(
            id=str(new_id()),
            periode_id=str(new_id()),
            tahun=2026,
            pegawai_id=str(new_id()),
            batas_baru="2026-05-01",
            alasan="Sakit",
            oleh=pelaku,
        ),
        assessment_pb2.CapaianOrganisasi: lambda: capaian,
        assessment_pb2.Keberatan: lambda: keberatan,
        assessment_pb2.PolaDistribusi: lambda: sample_pola(tenant),
        assessment_pb2.ListCapaianResponse: lambda: assessment_pb2.ListCapaianResponse(capaian=[capaian]),
        assessment_pb2.ListKeberatanResponse: lambda: assessment_pb2.ListKeberatanResponse(
            keberatan=[keberatan]
        ),
    }


class FakeAssessment(assessment_pb2_grpc.AssessmentServiceServicer, Recording):
    """Penilaian reads with tenancy; inbox and kalibrasi over the seeded penilaian; other RPCs record
    their request and answer a sample (see the module docstring)."""

    def __init__(self) -> None:
        Recording.__init__(self)
        self.penilaian: dict[str, assessment_pb2.Penilaian] = {}
        # Who may read pola distribusi: unor ids whose GetPolaDistribusi answers PERMISSION_DENIED.
        self.pola_denied: set[str] = set()

    def seed(self, instansi_id: str, **kwargs: Any) -> assessment_pb2.Penilaian:
        penilaian = sample_penilaian(instansi_id, **kwargs)
        self.penilaian[penilaian.id] = penilaian
        return penilaian

    def answer(self, method: str, request: Any, output: type[Message]) -> Message:
        self.record(method, request)
        make = _samples(_tenant()).get(output)
        return make() if make is not None else output()

    def _mine(self) -> list[assessment_pb2.Penilaian]:
        tenant = _tenant()
        return [p for p in self.penilaian.values() if p.instansi_id == tenant]

    @staticmethod
    def _page(items: list[Any], request: Any) -> tuple[list[Any], str]:
        offset = int(request.page_token or 0)
        size = request.page_size or 20
        return items[offset : offset + size], str(offset + size) if offset + size < len(items) else ""

    def GetPenilaian(self, request: Any, context: Any) -> assessment_pb2.Penilaian:
        self.record("GetPenilaian", request)
        found = [p for p in self._mine() if p.id == request.id]
        if not found:
            raise NotFound("PENILAIAN_NOT_FOUND", "Penilaian tidak ditemukan.")
        return found[0]

    def BatchGetPenilaian(self, request: Any, context: Any) -> assessment_pb2.BatchGetPenilaianResponse:
        self.record("BatchGetPenilaian", request)
        wanted = set(request.ids)
        return assessment_pb2.BatchGetPenilaianResponse(penilaian=[p for p in self._mine() if p.id in wanted])

    def ListPenilaian(self, request: Any, context: Any) -> assessment_pb2.ListPenilaianResponse:
        self.record("ListPenilaian", request)
        items = self._mine()
        if request.scope == assessment_pb2.PENILAIAN_SCOPE_SAYA:
            me = str(_principal().pegawai_id or "")
            items = [p for p in items if p.pegawai.pegawai_id == me]
        elif request.scope == assessment_pb2.PENILAIAN_SCOPE_INSTANSI and not _principal().is_admin:
            raise PermissionDenied("ADMIN_ONLY", "Hanya admin.")
        if request.tahun:
            items = [p for p in items if p.tahun == request.tahun]
        page, token = self._page(items, request)
        return assessment_pb2.ListPenilaianResponse(
            penilaian=[_summary(p) for p in page], next_page_token=token
        )

    def GetInbox(self, request: Any, context: Any) -> assessment_pb2.GetInboxResponse:
        self.record("GetInbox", request)
        tugas = [
            assessment_pb2.Tugas(
                jenis=assessment_pb2.JENIS_TUGAS_NILAI_BAWAHAN,
                penilaian_id=p.id,
                skp_id=p.skp_id,
                periode_id=p.periode_id,
                periode_nama=p.periode_nama,
                pegawai=p.pegawai,
                batas_pengisian=p.batas_pengisian,
                keterangan="Belum dinilai",
            )
            for p in self._mine()
        ]
        if request.jenis not in (0, assessment_pb2.JENIS_TUGAS_NILAI_BAWAHAN):
            tugas = []
        page, token = self._page(tugas, request)
        jumlah = [
            assessment_pb2.JumlahTugas(jenis=j, jumlah=len(self._mine()) if j == 3 else 0)  # type: ignore[arg-type]
            for j in (1, 2, 3, 4)
        ]
        return assessment_pb2.GetInboxResponse(jumlah=jumlah, tugas=page, next_page_token=token)

    def ListKalibrasi(self, request: Any, context: Any) -> assessment_pb2.ListKalibrasiResponse:
        self.record("ListKalibrasi", request)
        items = [
            assessment_pb2.KalibrasiItem(
                penilaian_id=p.id,
                pegawai=p.pegawai,
                predikat=p.predikat,
                rating_hasil_kerja=p.rating_hasil_kerja,
                rating_perilaku_kerja=p.rating_perilaku_kerja,
                status=p.status,
            )
            for p in self._mine()
            if p.unit_kerja_id == request.unor_id
        ]
        page, token = self._page(items, request)
        return assessment_pb2.ListKalibrasiResponse(items=page, next_page_token=token)

    def GetPolaDistribusi(self, request: Any, context: Any) -> assessment_pb2.PolaDistribusi:
        self.record("GetPolaDistribusi", request)
        if request.unor_id in self.pola_denied:
            raise PermissionDenied("BUKAN_PIMPINAN_UNIT", "Hanya pimpinan unit dan admin.")
        return sample_pola(_tenant(), request.unor_id, request.periode_id, request.tahun)


def _recording(method: str, output: type[Message]) -> Callable[..., Message]:
    def handler(self: FakeAssessment, request: Any, context: Any) -> Message:
        return self.answer(method, request, output)

    handler.__name__ = method
    return handler


# Every RPC FakeAssessment does not implement itself records its request and answers a sample.
for _method in assessment_pb2.DESCRIPTOR.services_by_name["AssessmentService"].methods:
    if _method.name not in FakeAssessment.__dict__:
        setattr(
            FakeAssessment,
            _method.name,
            _recording(_method.name, getattr(assessment_pb2, _method.output_type.name)),
        )


def start_fake_assessment(fake: FakeAssessment, verifier: TokenVerifier) -> tuple[grpc.Server, str]:
    """Serves a FakeAssessment on a free port (started), behind the kit's interceptor."""
    server, port = create_server(
        lambda s: assessment_pb2_grpc.add_AssessmentServiceServicer_to_server(fake, s),
        [ASSESSMENT_SERVICE],
        verifier=verifier,
    )
    server.start()
    return server, f"127.0.0.1:{port}"


# ---- a quarter built through GraphQL over the real services (the assessment story) ----

JPT = {"nama": "Sekretaris Daerah", "jenis": "JPT"}
NILAI_PERILAKU = [
    "BERORIENTASI_PELAYANAN", "AKUNTABEL", "KOMPETEN", "HARMONIS", "LOYAL", "ADAPTIF", "KOLABORATIF",
]  # fmt: skip

SKP_IDS = "skp { id status rhk { id indikator { id } } } errors { field code message }"


@dataclass
class Person:
    """A pegawai of the quarter with a login: id, NIP, name and access token."""

    id: str
    nip: str
    nama: str
    token: str = ""


@dataclass
class Quarter:
    """An instansi whose unit kerja (Sekretariat, JPT Pratama) holds Bagian Umum (headed by the atasan,
    `kabag`) and Subbagian TU (headed by `kasubag`). The two bawahan assessed are `kasubag` (with a
    bawahan of their own, `pelaksana`) and `analis`; `arsiparis` is their rekan kerja; `sekda` heads
    the unit kerja and is the atasan pejabat penilai; `admin` is admin instansi."""

    tag: str
    instansi_id: str = ""
    unor: dict[str, str] = field(default_factory=dict)
    people: dict[str, Person] = field(default_factory=dict)
    tahun: int = 0
    periode: str = ""  # the current quarter: its batas pengisian is ahead
    periode_final: str = ""  # the year's final periode (no rencana aksi needed)
    skp: dict[str, str] = field(default_factory=dict)
    indikator: dict[str, list[str]] = field(default_factory=dict)

    def __getitem__(self, key: str) -> Person:
        return self.people[key]

    def markers(self) -> set[str]:
        """Strings that appear only in this instansi's data."""
        values = {self.tag, self.instansi_id, *self.unor.values(), *self.skp.values()}
        for person in self.people.values():
            values |= {person.id, person.nip}
        return {v for v in values if v}


def _unor(
    gql: Gql, bkn: str, instansi_id: str, nama: str, jenis: str, parent: str | None, induk: str | None = None
) -> str:
    payload = mutate(
        gql,
        """mutation($u: UnorInput!, $i: ID!) {
             createUnor(input: $u, instansiId: $i) { unor { id } errors { field code message } } }""",
        {
            "u": {"nama": nama, "jenis": jenis, "parentId": parent, "indukId": induk, "kota": "Blora"},
            "i": instansi_id,
        },
        bkn,
    )
    unor_id: str = payload["unor"]["id"]
    return unor_id


def build_quarter(gql: Gql, bkn: str) -> Quarter:
    """The instansi, its people with logins, the quarterly periode set, and approved SKPs of the two
    bawahan with rencana aksi in the current quarter and their penilai perilaku chosen (atasan, a
    rekan kerja, a bawahan), all through GraphQL."""
    tag = "".join(random.choices(string.ascii_lowercase, k=8))
    quarter = Quarter(tag=tag)
    created = mutate(
        gql,
        "mutation($i: CreateInstansiInput!) { createInstansi(input: $i) { instansi { id } errors { code } } }",
        {"i": {"kode": f"AS-{tag.upper()}", "nama": f"Pemkab {tag}", "jenis": "DAERAH"}},
        bkn,
    )
    instansi = quarter.instansi_id = created["instansi"]["id"]
    quarter.unor["sekretariat"] = _unor(gql, bkn, instansi, f"Sekretariat {tag}", "JPT_PRATAMA", None)
    quarter.unor["umum"] = _unor(
        gql,
        bkn,
        instansi,
        f"Bagian Umum {tag}",
        "ADMINISTRATOR",
        quarter.unor["sekretariat"],
        quarter.unor["sekretariat"],
    )
    quarter.unor["tu"] = _unor(
        gql,
        bkn,
        instansi,
        f"Subbagian TU {tag}",
        "PENGAWAS",
        quarter.unor["umum"],
        quarter.unor["sekretariat"],
    )
    analis = {"nama": "Analis SDM Aparatur", "jenis": "FUNGSIONAL", "jenjang": "Ahli Pertama"}
    people = {
        "sekda": ("sekretariat", True, JPT, "IV/c"),
        "kabag": ("umum", True, {"nama": "Kepala Bagian Umum", "jenis": "ADMINISTRATOR"}, "IV/a"),
        "kasubag": ("tu", True, {"nama": "Kepala Subbagian TU", "jenis": "PENGAWAS"}, "III/d"),
        "analis": ("umum", False, analis, "III/a"),
        "arsiparis": ("umum", False, {**analis, "nama": "Arsiparis"}, "III/a"),
        "pelaksana": ("tu", False, {"nama": "Pengadministrasi Umum", "jenis": "PELAKSANA"}, "II/c"),
        "admin": ("sekretariat", False, {"nama": "Pranata Komputer", "jenis": "PELAKSANA"}, "II/d"),
    }
    for key, (unor, pimpinan, jabatan, golongan) in people.items():
        record = create_pegawai(
            gql,
            bkn,
            instansi,
            {
                "nama": f"{key.title()} {tag}",
                "unorId": quarter.unor[unor],
                "pimpinan": pimpinan,
                "jabatan": jabatan,
                "golongan": golongan,
            },
        )
        quarter.people[key] = Person(record["id"], record["nip"], record["nama"])
    accounts = accounts_by_nip(gql, bkn, instansi, {p.nip for p in quarter.people.values()})
    for key, person in quarter.people.items():
        roles = ["PEGAWAI", "ADMIN_INSTANSI"] if key == "admin" else None
        person.token = give_login(gql, bkn, instansi, accounts[person.nip], person.nip, roles)

    today = datetime.date.today()
    quarter.tahun = today.year
    periode = mutate(
        gql,
        """mutation { createPeriodeSet(pola: TRIWULAN) {
             periode { id nama mulai selesai batasPengisian jenis } errors { field code message } } }""",
        {},
        quarter["admin"].token,
    )["periode"]
    quarterly = [p for p in periode if p["jenis"] == "BIASA"]
    quarter.periode = quarterly[(today.month - 1) // 3]["id"]
    quarter.periode_final = next(p["id"] for p in periode if p["jenis"] == "FINAL")

    # The atasan's SKP (a draft is enough): the RHK the bawahan intervene.
    kabag = quarter["kabag"].token
    skp = _create_skp(gql, kabag, quarter.tahun)
    skp = mutate(
        gql,
        _ADD_RHK,
        {"s": skp["id"], "r": {"jenis": "UTAMA", "teks": f"Terselenggaranya layanan umum {tag}"}},
        kabag,
    )["skp"]
    quarter.skp["kabag"], atasan_rhk = skp["id"], skp["rhk"][0]["id"]

    rekan, bawahan = quarter["arsiparis"].id, quarter["pelaksana"].id
    penilai = {
        # kasubag: a rekan kerja on KOMPETEN, their own bawahan on HARMONIS, the atasan on the rest
        "kasubag": {"KOMPETEN": ("REKAN_KERJA", rekan), "HARMONIS": ("BAWAHAN", bawahan)},
        # analis: the same rekan kerja on KOLABORATIF, the atasan on the rest
        "analis": {"KOLABORATIF": ("REKAN_KERJA", rekan)},
    }
    for key, chosen in penilai.items():
        token = quarter[key].token
        skp = _create_skp(gql, token, quarter.tahun)
        skp_id = quarter.skp[key] = skp["id"]
        skp = mutate(
            gql,
            _ADD_RHK,
            {
                "s": skp_id,
                "r": {
                    "jenis": "UTAMA",
                    "teks": f"Tertib administrasi {key} {tag}",
                    "atasanRhkId": atasan_rhk,
                },
            },
            token,
        )["skp"]
        rhk = skp["rhk"][0]["id"]
        for teks, target in ((f"Jumlah naskah {tag}", "12"), (f"Jumlah arsip {tag}", "40")):
            skp = mutate(
                gql,
                _ADD_INDIKATOR,
                {
                    "s": skp_id,
                    "r": rhk,
                    "i": {"teks": teks, "aspek": "KUANTITAS", "target": {"min": target, "satuan": "Dokumen"}},
                },
                token,
            )["skp"]
        quarter.indikator[key] = [i["id"] for i in skp["rhk"][0]["indikator"]]
        for periode_id in (quarter.periode,):
            mutate(
                gql,
                _ADD_RENCANA_AKSI,
                {
                    "s": skp_id,
                    "r": {
                        "rhkId": rhk,
                        "periodeId": periode_id,
                        "teks": f"Menata naskah {tag}",
                        "target": "3",
                        "satuan": "Dokumen",
                    },
                },
                token,
            )
        for nilai in NILAI_PERILAKU:
            jenis, pegawai = chosen.get(nilai, ("ATASAN", None))
            mutate(gql, _PENILAI, {"s": skp_id, "n": nilai, "j": jenis, "p": pegawai}, token)
        assert mutate(gql, _SUBMIT, {"s": skp_id}, token)["skp"]["status"] == "DIAJUKAN"
        assert mutate(gql, _APPROVE, {"s": skp_id}, kabag)["skp"]["status"] == "DISETUJUI"
    return quarter


def _create_skp(gql: Gql, token: str, year: int) -> dict[str, Any]:
    skp: dict[str, Any] = mutate(gql, _CREATE_SKP, {"a": f"{year}-01-01", "b": f"{year}-12-31"}, token)["skp"]
    return skp


_CREATE_SKP = op(
    "$a: Date!, $b: Date!",
    "createSkp(tanggalMulai: $a, tanggalSelesai: $b, pendekatan: KUANTITATIF)",
    SKP_IDS,
)
_ADD_RHK = op("$s: ID!, $r: RhkInput!", "addRhk(skpId: $s, input: $r)", SKP_IDS)
_ADD_INDIKATOR = op(
    "$s: ID!, $r: ID!, $i: IndikatorInput!", "addIndikator(skpId: $s, rhkId: $r, input: $i)", SKP_IDS
)
_ADD_RENCANA_AKSI = op("$s: ID!, $r: RencanaAksiInput!", "addRencanaAksi(skpId: $s, input: $r)", SKP_IDS)
_PENILAI = op(
    "$s: ID!, $n: NilaiPerilaku!, $j: JenisPenilai!, $p: ID",
    "setPenilaiPerilaku(skpId: $s, nilai: $n, penilaiJenis: $j, penilaiPegawaiId: $p)",
    SKP_IDS,
)
_SUBMIT = op("$s: ID!", "submitSkp(id: $s)", SKP_IDS)
_APPROVE = op("$s: ID!", "approveSkp(id: $s)", SKP_IDS)


# ---- GraphQL documents of assessment the story and the isolation tests share ----

PENILAIAN_FIELDS = """
  id skpId periodeId tahun status version batasPengisian batasDiperpanjang unitKerjaId pimpinanUnitKerja
  pegawai { pegawaiId nama } penilai { pegawaiId nama } atasanPenilai { pegawaiId nama }
  realisasi { indikatorId indikatorTeks target { min satuan } nilai satuan keterangan terisi
              buktiDukung { nama url } umpanBalik }
  perilaku { nilai penilaiJenis penilaiPegawaiId feedback umpanBalik }
  ratingHasilKerja ratingPerilakuKerja predikat
  penjelasan { predikat ratingHasilKerja ratingPerilakuKerja aturanVersi aturanBerlakuSejak aturanSumber
               hasilDariCapaian dinilaiOleh { pegawaiId nama } dinilaiAt keberatanId uraian }
  kekurangan { field code message }
"""
PENILAIAN_PAYLOAD = "penilaian { " + PENILAIAN_FIELDS + " } errors { field code message }"
KEBERATAN_FIELDS = """
  id penilaianId status alasan batasPengajuan diajukanAt dicekAt diputuskanAt
  sebelum { ratingHasilKerja ratingPerilakuKerja predikat }
  diminta { ratingHasilKerja ratingPerilakuKerja predikat }
  sesudah { ratingHasilKerja ratingPerilakuKerja predikat }
  penjelasanPenilai dijelaskanOleh { pegawaiId } keputusan diputuskanOleh { pegawaiId }
"""
KEBERATAN_PAYLOAD = "keberatan { " + KEBERATAN_FIELDS + " } errors { field code message }"
CAPAIAN_PAYLOAD = (
    "capaian { id unorId capaian final version statistik { dinilai total perPredikat { predikat jumlah } } }"
    " errors { field code message }"
)

OPEN_PENILAIAN = op(
    "$s: ID!, $p: ID!, $c: String",
    "openPenilaian(skpId: $s, periodeId: $p, clientMutationId: $c)",
    PENILAIAN_PAYLOAD,
)
SET_REALISASI = op(
    "$p: ID!, $i: ID!, $r: RealisasiInput!",
    "setRealisasi(penilaianId: $p, indikatorId: $i, input: $r)",
    PENILAIAN_PAYLOAD,
)
SET_FEEDBACK = op(
    "$p: ID!, $n: NilaiPerilaku!, $f: String!",
    "setFeedbackPerilaku(penilaianId: $p, nilai: $n, feedback: $f)",
    PENILAIAN_PAYLOAD,
)
SET_UMPAN_BALIK = op(
    "$p: ID!, $i: ID, $n: NilaiPerilaku, $u: String!",
    "setUmpanBalik(penilaianId: $p, indikatorId: $i, nilai: $n, umpanBalik: $u)",
    PENILAIAN_PAYLOAD,
)
RATE = op(
    "$p: ID!, $h: Rating, $k: Rating!",
    "ratePenilaian(penilaianId: $p, ratingHasilKerja: $h, ratingPerilakuKerja: $k)",
    PENILAIAN_PAYLOAD,
)
EXTEND_BATAS = op(
    "$p: ID!, $t: Int!, $g: ID, $u: ID, $b: Date!, $a: String!",
    "extendBatas(periodeId: $p, tahun: $t, pegawaiId: $g, unorId: $u, batasBaru: $b, alasan: $a)",
    "perpanjangan { id pegawaiId unorId batasBaru alasan oleh { pegawaiId nama } } errors { field code message }",
)
SET_CAPAIAN = op("$c: CapaianInput!, $id: ID", "setCapaian(input: $c, id: $id)", CAPAIAN_PAYLOAD)
FINALISE_CAPAIAN = op("$id: ID!", "finaliseCapaian(id: $id)", CAPAIAN_PAYLOAD)
FILE_KEBERATAN = op(
    "$p: ID!, $a: String!, $h: Rating, $k: Rating",
    "fileKeberatan(penilaianId: $p, alasan: $a, ratingHasilKerja: $h, ratingPerilakuKerja: $k)",
    KEBERATAN_PAYLOAD,
)
EXPLAIN_KEBERATAN = op(
    "$id: ID!, $j: String!", "explainKeberatan(id: $id, penjelasan: $j)", KEBERATAN_PAYLOAD
)
DECIDE_KEBERATAN = op(
    "$id: ID!, $d: Boolean!, $k: String!, $h: Rating, $r: Rating",
    "decideKeberatan(id: $id, disetujui: $d, keputusan: $k, ratingHasilKerja: $h, ratingPerilakuKerja: $r)",
    KEBERATAN_PAYLOAD,
)
INBOX = """query($j: JenisTugas, $p: ID) { inbox(jenis: $j, periodeId: $p, first: 50) {
  jumlah { jenis jumlah } totalCount
  edges { node { jenis penilaianId keberatanId skpId periodeId pegawai { pegawaiId nama } sebagai nilai
                 batasPengisian keterangan } }
} }"""


def user_error_codes(gql: Gql, document: str, variables: dict[str, Any], token: str) -> list[str]:
    """The codes of a mutation's UserErrors (it must have answered as data, not as a GraphQL error)."""
    body = gql(document, variables, token=token)
    assert not body.get("errors"), body
    (payload,) = body["data"].values()
    return [e["code"] for e in payload["errors"]]


def open_penilaian(gql: Gql, token: str, skp_id: str, periode_id: str) -> dict[str, Any]:
    """Opens a penilaian once the assessment projection knows the approved SKP (skp's events reach it
    asynchronously: until then the service answers SKP_NOT_FOUND, or SKP_BELUM_SIAP from an older
    version of the SKP). A refused open writes nothing, so it is simply asked again."""
    opened: dict[str, Any] = {}

    def attempt() -> bool:
        body = gql(OPEN_PENILAIAN, {"s": skp_id, "p": periode_id}, token=token)
        assert not body.get("errors"), body
        payload = body["data"]["openPenilaian"]
        codes = {e["code"] for e in payload["errors"]}
        if not codes:
            opened.update(payload["penilaian"])
            return True
        assert codes <= PROJECTION_PENDING, payload
        return False

    wait_for(attempt, timeout=30.0, what=f"the assessment projection of SKP {skp_id}")
    return opened


# What openPenilaian answers while the projection has not caught up with the approved SKP.
PROJECTION_PENDING = {
    "SKP_NOT_FOUND",
    "PERIODE_NOT_FOUND",
    "SKP_BELUM_SIAP",
    "SKP_BELUM_DISETUJUI",
    "RHK_TANPA_RENCANA_AKSI",
}


def build_assessment_data(gql: Gql, quarter: Quarter) -> dict[str, str]:
    """Assessment records of every kind in the quarter's instansi, through GraphQL (for the isolation
    tests): both bawahan's penilaian opened, filled, given feedback and umpan balik and rated; the unit
    kerja's capaian (not final); a keberatan of analis waiting for the explanation; an extension of
    analis's batas. Returns their ids (also put in `quarter.skp`, so they count as its markers)."""
    q = quarter
    ids: dict[str, str] = {}
    for key in ("kasubag", "analis"):
        penilaian = open_penilaian(gql, q[key].token, q.skp[key], q.periode)
        ids[f"penilaian_{key}"] = penilaian["id"]
        for indikator in q.indikator[key]:
            realisasi = {
                "nilai": "10",
                "keterangan": f"Realisasi {q.tag}",
                "buktiDukung": [{"nama": f"Bukti {q.tag}", "url": f"https://arsip.example.go.id/{q.tag}"}],
            }
            mutate(gql, SET_REALISASI, {"p": penilaian["id"], "i": indikator, "r": realisasi}, q[key].token)
    for person in ("kabag", "pelaksana", "arsiparis"):
        body = gql(INBOX, {"j": "FEEDBACK_PERILAKU", "p": q.periode}, token=q[person].token)
        for edge in body["data"]["inbox"]["edges"]:
            for nilai in edge["node"]["nilai"]:
                mutate(
                    gql,
                    SET_FEEDBACK,
                    {"p": edge["node"]["penilaianId"], "n": nilai, "f": f"Umpan {q.tag}"},
                    q[person].token,
                )
    kabag = q["kabag"].token
    for key in ("kasubag", "analis"):
        penilaian_id = ids[f"penilaian_{key}"]
        for indikator in q.indikator[key]:
            mutate(gql, SET_UMPAN_BALIK, {"p": penilaian_id, "i": indikator, "u": f"Baik {q.tag}"}, kabag)
        for nilai in NILAI_PERILAKU:
            mutate(gql, SET_UMPAN_BALIK, {"p": penilaian_id, "n": nilai, "u": f"Baik {q.tag}"}, kabag)
        rating = {"p": penilaian_id, "h": "SESUAI_EKSPEKTASI", "k": "SESUAI_EKSPEKTASI"}
        assert mutate(gql, RATE, rating, kabag)["penilaian"]["predikat"] == "BAIK"
    capaian = {
        "tahun": q.tahun,
        "periodeId": q.periode,
        "unorId": q.unor["sekretariat"],
        "capaian": "BAIK",
        "buktiDukungUrl": f"https://arsip.example.go.id/{q.tag}/capaian",
    }
    ids["capaian"] = mutate(gql, SET_CAPAIAN, {"c": capaian}, q["admin"].token)["capaian"]["id"]
    keberatan = {
        "p": ids["penilaian_analis"],
        "a": f"Alasan {q.tag}",
        "h": "DI_ATAS_EKSPEKTASI",
        "k": "SESUAI_EKSPEKTASI",
    }
    ids["keberatan"] = mutate(gql, FILE_KEBERATAN, keberatan, q["analis"].token)["keberatan"]["id"]
    own = gql(
        "query($i: ID!) { penilaian(id: $i) { batasPengisian } }", {"i": ids["penilaian_analis"]}, token=kabag
    )["data"]["penilaian"]["batasPengisian"]
    extension = {
        "p": q.periode,
        "t": q.tahun,
        "g": q["analis"].id,
        "b": str(datetime.date.fromisoformat(own) + datetime.timedelta(days=5)),
        "a": f"Alasan perpanjangan {q.tag}",
    }
    ids["perpanjangan"] = mutate(gql, EXTEND_BATAS, extension, q["admin"].token)["perpanjangan"]["id"]
    q.skp.update(ids)
    return ids


def build_pending_assessment(gql: Gql, quarter: Quarter) -> dict[str, str]:
    """Records waiting for their next step, beside build_assessment_data's (run it first): the keberatan
    of analis explained by the atasan (waiting for the sekda's decision), and analis's penilaian of the
    final periode opened (waiting for realisasi, feedback and umpan balik). Returns their ids (also put
    in `quarter.skp`): `keberatan_dijelaskan`, `penilaian_dibuka`."""
    q = quarter
    keberatan = q.skp["keberatan"]
    explained = {"id": keberatan, "j": f"Penjelasan {q.tag}"}
    mutate(gql, EXPLAIN_KEBERATAN, explained, q["kabag"].token)
    opened = open_penilaian(gql, q["analis"].token, q.skp["analis"], q.periode_final)
    ids = {"keberatan_dijelaskan": keberatan, "penilaian_dibuka": opened["id"]}
    q.skp.update(ids)
    return ids
