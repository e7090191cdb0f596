"""SKP planning through GraphQL, against FakeSkp: every field sends its request and maps the answer,
service violations come back as UserErrors with `input.*` paths, and a whole SKP costs one call."""

from __future__ import annotations

import uuid
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import pytest

from gateway.api.schema import schema
from kinerja.skp.v1 import skp_pb2
from kinerja_kit.errors import FieldViolation, InvalidArgument
from kinerja_testing.gateway import FakeSkp, Gql, TokenFactory, error_codes, sample_periode
from kinerja_testing.graphql_documents import delta, document, sent

GRAPHQL = schema._schema
SKP_RPCS = {m.name for m in skp_pb2.DESCRIPTOR.services_by_name["SkpService"].methods}
# GetSkp is served by skp(id) through the BatchGetSkp DataLoader.
# GetSkp: through BatchGetSkp; ImportSkp: a bulk load over gRPC (a migration, the national data set), no field
NOT_CALLED_DIRECTLY = {"GetSkp", "ImportSkp"}

SKP, RHK, IND, RA, PK, SAS, MPH, KOL, ANG, PER, KH, PLT, PEG, UNOR = (str(uuid.uuid4()) for _ in range(14))


@dataclass
class Case:
    field: str
    rpc: str
    variables: dict[str, Any] = field(default_factory=dict)
    request: dict[str, Any] = field(default_factory=dict)


RHK_INPUT = {"jenis": "UTAMA", "teks": "Tersusunnya kebijakan", "atasanRhkId": RHK, "tahapan": ["Data"]}
RHK_PB = {
    "jenis": "JENIS_RHK_UTAMA",
    "teks": "Tersusunnya kebijakan",
    "atasan_rhk_id": RHK,
    "tahapan": ["Data"],
}
INDIKATOR_INPUT = {
    "teks": "Jumlah dokumen",
    "aspek": "KUANTITAS",
    "target": {"min": "4.50", "max": "6", "satuan": "dokumen"},
}
INDIKATOR_PB = {
    "teks": "Jumlah dokumen",
    "aspek": "ASPEK_KUANTITAS",
    "target": {"min": "4.50", "max": "6", "satuan": "dokumen"},
}
RA_INPUT = {"rhkId": RHK, "periodeId": PER, "teks": "Konsep", "target": "1.5", "satuan": "laporan"}
RA_PB = {"rhk_id": RHK, "periode_id": PER, "teks": "Konsep", "target": "1.5", "satuan": "laporan"}
KH_INPUT = {"tanggal": "2026-03-02", "uraian": "Menyusun", "indikatorId": IND, "realisasi": "0.25"}
KH_PB = {"tanggal": "2026-03-02", "uraian": "Menyusun", "indikator_id": IND, "realisasi": "0.25"}
ANGGOTA_INPUT = {
    "nip": "199106192020122020",
    "peranTim": "ANGGOTA",
    "peran": [{"kolomId": KOL, "peran": "Konsep"}],
}
ANGGOTA_PB = {
    "nip": "199106192020122020",
    "peran_tim": "PERAN_TIM_ANGGOTA",
    "peran": [{"kolom_id": KOL, "peran": "Konsep"}],
}
PERIODE_INPUT = {
    "nama": "Triwulan I",
    "mulai": "01-01",
    "selesai": "03-31",
    "batasPengisian": "04-10",
    "jenis": "BIASA",
}
PERIODE_PB = {
    "nama": "Triwulan I",
    "mulai": "01-01",
    "selesai": "03-31",
    "batas_pengisian": "04-10",
    "jenis": "JENIS_PERIODE_BIASA",
}
SASARAN_INPUT = {
    "teks": "Meningkatnya layanan",
    "indikator": [{"teks": "Indeks", "target": "4.29", "satuan": "poin"}],
}
SASARAN_PB = {
    "teks": "Meningkatnya layanan",
    "indikator": [{"teks": "Indeks", "target": "4.29", "satuan": "poin"}],
}
SKP_DATES = {"tanggalMulai": "2026-01-02", "tanggalSelesai": "2026-12-31", "pendekatan": "KUANTITATIF"}
SKP_DATES_PB = {
    "tanggal_mulai": "2026-01-02",
    "tanggal_selesai": "2026-12-31",
    "pendekatan": "PENDEKATAN_KUANTITATIF",
}

QUERIES = [
    Case("perilakuKerja", "ListPerilakuKerja"),
    Case("perjanjianKinerja", "GetPerjanjianKinerja", {"id": PK}, {"id": PK}),
    Case(
        "perjanjianKinerjaList",
        "ListPerjanjianKinerja",
        {"pegawaiId": PEG, "tahun": 2026},
        {"pegawai_id": PEG, "tahun": 2026},
    ),
    Case("rhkAtasan", "ListRhkAtasan", {"skpId": SKP}, {"skp_id": SKP}),
    Case(
        "matriksPeranHasil",
        "GetMatriksPeranHasil",
        {"skpId": SKP, "rhkId": RHK},
        {"skp_id": SKP, "rhk_id": RHK},
    ),
    Case(
        "matriksPeranHasilList",
        "ListMatriksPeranHasil",
        {"unorId": UNOR, "tahun": 2026, "first": 5},
        {"unor_id": UNOR, "tahun": 2026, "page_size": 5},
    ),
    Case("peranDitugaskan", "ListPeranDitugaskan", {"tahun": 2026}, {"tahun": 2026}),
    Case("kinerjaHarian", "ListKinerjaHarian", {"skpId": SKP, "bulan": 3}, {"skp_id": SKP, "bulan": 3}),
    Case("rekapKinerjaBulanan", "RekapKinerjaBulanan", {"skpId": SKP}, {"skp_id": SKP}),
    Case(
        "kesiapanPenilaian",
        "CheckKesiapanPenilaian",
        {"skpId": SKP, "periodeId": PER},
        {"skp_id": SKP, "periode_id": PER},
    ),
]

MUTATIONS = [
    # periode
    Case("createPeriode", "CreatePeriode", {"input": PERIODE_INPUT}, {"periode": PERIODE_PB}),
    Case(
        "createPeriodeSet",
        "CreatePeriodeSet",
        {"pola": "TRIWULAN", "batasHari": 7},
        {"pola": "POLA_PERIODE_TRIWULAN", "batas_hari": 7},
    ),
    Case(
        "updatePeriode",
        "UpdatePeriode",
        {"id": PER, "input": PERIODE_INPUT, "expectedVersion": 2},
        {"id": PER, "periode": PERIODE_PB, "expected_version": "2"},
    ),
    Case("deletePeriode", "DeletePeriode", {"id": PER}, {"id": PER}),
    # perjanjian kinerja
    Case("createPerjanjianKinerja", "CreatePerjanjianKinerja", {"tahun": 2026}, {"tahun": 2026}),
    Case(
        "addSasaranStrategis",
        "AddSasaranStrategis",
        {"perjanjianKinerjaId": PK, "input": SASARAN_INPUT},
        {"perjanjian_kinerja_id": PK, "sasaran": SASARAN_PB},
    ),
    Case(
        "updateSasaranStrategis",
        "UpdateSasaranStrategis",
        {"perjanjianKinerjaId": PK, "sasaranId": SAS, "input": SASARAN_INPUT},
        {"perjanjian_kinerja_id": PK, "sasaran_id": SAS, "sasaran": SASARAN_PB},
    ),
    Case(
        "deleteSasaranStrategis",
        "DeleteSasaranStrategis",
        {"perjanjianKinerjaId": PK, "sasaranId": SAS},
        {"perjanjian_kinerja_id": PK, "sasaran_id": SAS},
    ),
    # SKP
    Case("createSkp", "CreateSkp", {**SKP_DATES, "pltId": PLT}, {**SKP_DATES_PB, "plt_id": PLT}),
    Case(
        "updateSkp",
        "UpdateSkp",
        {"id": SKP, **SKP_DATES, "expectedVersion": 4},
        {"id": SKP, **SKP_DATES_PB, "expected_version": "4"},
    ),
    Case("deleteSkp", "DeleteSkp", {"id": SKP}, {"id": SKP}),
    Case("refreshSkpSnapshot", "RefreshSkpSnapshot", {"id": SKP}, {"id": SKP}),
    Case(
        "addRhk",
        "AddRhk",
        {"skpId": SKP, "input": RHK_INPUT, "expectedVersion": 3},
        {"skp_id": SKP, "rhk": RHK_PB, "expected_version": "3"},
    ),
    Case(
        "updateRhk",
        "UpdateRhk",
        {"skpId": SKP, "rhkId": RHK, "input": RHK_INPUT},
        {"skp_id": SKP, "rhk_id": RHK, "rhk": RHK_PB},
    ),
    Case(
        "deleteRhk",
        "DeleteRhk",
        {"skpId": SKP, "rhkId": RHK, "expectedVersion": 5},
        {"skp_id": SKP, "rhk_id": RHK, "expected_version": "5"},
    ),
    Case(
        "copySasaranToSkp",
        "CopySasaranToSkp",
        {"skpId": SKP, "sasaranId": SAS},
        {"skp_id": SKP, "sasaran_id": SAS},
    ),
    Case(
        "copyPeranToSkp",
        "CopyPeranToSkp",
        {"skpId": SKP, "mphId": MPH, "kolomId": KOL},
        {"skp_id": SKP, "mph_id": MPH, "kolom_id": KOL},
    ),
    Case(
        "addIndikator",
        "AddIndikator",
        {"skpId": SKP, "rhkId": RHK, "input": INDIKATOR_INPUT},
        {"skp_id": SKP, "rhk_id": RHK, "indikator": INDIKATOR_PB},
    ),
    Case(
        "updateIndikator",
        "UpdateIndikator",
        {"skpId": SKP, "indikatorId": IND, "input": {"teks": "Indeks", "perspektif": "PROSES_BISNIS"}},
        {
            "skp_id": SKP,
            "indikator_id": IND,
            "indikator": {"teks": "Indeks", "perspektif": "PERSPEKTIF_PROSES_BISNIS"},
        },
    ),
    Case(
        "deleteIndikator",
        "DeleteIndikator",
        {"skpId": SKP, "indikatorId": IND},
        {"skp_id": SKP, "indikator_id": IND},
    ),
    Case(
        "setManualIndikator",
        "SetManualIndikator",
        {
            "skpId": SKP,
            "indikatorId": IND,
            "input": {"definisi": "Indeks kepuasan", "jenisIku": "OUTCOME", "periodePelaporan": "TRIWULAN"},
        },
        {
            "skp_id": SKP,
            "indikator_id": IND,
            "manual": {
                "definisi": "Indeks kepuasan",
                "jenis_iku": "JENIS_IKU_OUTCOME",
                "periode_pelaporan": "PERIODE_PELAPORAN_TRIWULAN",
            },
        },
    ),
    Case(
        "setPenilaiPerilaku",
        "SetPenilaiPerilaku",
        {"skpId": SKP, "nilai": "KOLABORATIF", "penilaiJenis": "REKAN_KERJA", "penilaiPegawaiId": PEG},
        {
            "skp_id": SKP,
            "nilai": "NILAI_PERILAKU_KOLABORATIF",
            "penilai_jenis": "JENIS_PENILAI_REKAN_KERJA",
            "penilai_pegawai_id": PEG,
        },
    ),
    Case(
        "setLampiran",
        "SetLampiran",
        {"skpId": SKP, "input": {"dukunganSumberDaya": ["Anggaran"], "konsekuensi": ["Teguran"]}},
        {"skp_id": SKP, "lampiran": {"dukungan_sumber_daya": ["Anggaran"], "konsekuensi": ["Teguran"]}},
    ),
    Case(
        "setEkspektasi",
        "SetEkspektasi",
        {"skpId": SKP, "nilai": "AKUNTABEL", "ekspektasi": "Tepat waktu"},
        {"skp_id": SKP, "nilai": "NILAI_PERILAKU_AKUNTABEL", "ekspektasi": "Tepat waktu"},
    ),
    # workflow
    Case("submitSkp", "SubmitSkp", {"id": SKP}, {"id": SKP}),
    Case("approveSkp", "ApproveSkp", {"id": SKP}, {"id": SKP}),
    Case("returnSkp", "ReturnSkp", {"id": SKP, "alasan": "Lengkapi"}, {"id": SKP, "alasan": "Lengkapi"}),
    Case("resetSkp", "ResetSkp", {"id": SKP, "alasan": "Salah"}, {"id": SKP, "alasan": "Salah"}),
    # rencana aksi and target bulanan
    Case(
        "addRencanaAksi",
        "AddRencanaAksi",
        {"skpId": SKP, "input": RA_INPUT},
        {"skp_id": SKP, "rencana_aksi": RA_PB},
    ),
    Case(
        "updateRencanaAksi",
        "UpdateRencanaAksi",
        {"skpId": SKP, "rencanaAksiId": RA, "input": RA_INPUT},
        {"skp_id": SKP, "rencana_aksi_id": RA, "rencana_aksi": RA_PB},
    ),
    Case(
        "deleteRencanaAksi",
        "DeleteRencanaAksi",
        {"skpId": SKP, "rencanaAksiId": RA},
        {"skp_id": SKP, "rencana_aksi_id": RA},
    ),
    Case(
        "setTargetBulanan",
        "SetTargetBulanan",
        {"skpId": SKP, "indikatorId": IND, "target": ["1", None, "0.5", *([None] * 9)]},
        {"skp_id": SKP, "indikator_id": IND, "target": ["1", "", "0.5", *([""] * 9)]},
    ),
    # matriks peran hasil
    Case(
        "setMphKolom",
        "SetMphKolom",
        {"skpId": SKP, "rhkId": RHK, "kolom": [{"id": KOL, "nama": "Dokumen"}, {"nama": "Layanan"}]},
        {"skp_id": SKP, "rhk_id": RHK, "kolom": [{"id": KOL, "nama": "Dokumen"}, {"nama": "Layanan"}]},
    ),
    Case(
        "addMphAnggota",
        "AddMphAnggota",
        {"skpId": SKP, "rhkId": RHK, "input": ANGGOTA_INPUT},
        {"skp_id": SKP, "rhk_id": RHK, "anggota": ANGGOTA_PB},
    ),
    Case(
        "updateMphAnggota",
        "UpdateMphAnggota",
        {"skpId": SKP, "rhkId": RHK, "anggotaId": ANG, "input": ANGGOTA_INPUT},
        {"skp_id": SKP, "rhk_id": RHK, "anggota_id": ANG, "anggota": ANGGOTA_PB},
    ),
    Case(
        "removeMphAnggota",
        "RemoveMphAnggota",
        {"skpId": SKP, "rhkId": RHK, "anggotaId": ANG},
        {"skp_id": SKP, "rhk_id": RHK, "anggota_id": ANG},
    ),
    # kinerja harian
    Case(
        "addKinerjaHarian",
        "AddKinerjaHarian",
        {"skpId": SKP, "input": KH_INPUT},
        {"skp_id": SKP, "kinerja_harian": KH_PB},
    ),
    Case(
        "updateKinerjaHarian",
        "UpdateKinerjaHarian",
        {"id": KH, "input": KH_INPUT, "expectedVersion": 1},
        {"id": KH, "kinerja_harian": KH_PB, "expected_version": "1"},
    ),
    Case("deleteKinerjaHarian", "DeleteKinerjaHarian", {"id": KH}, {"id": KH}),
]


@pytest.fixture
def tenant(fake_skp: FakeSkp, token_for: TokenFactory) -> tuple[str, str, str]:
    """A fresh instansi with an SKP and a periode: (instansi id, admin token, pegawai token)."""
    instansi = uuid.uuid4()
    pegawai = uuid.uuid4()
    fake_skp.seed_skp(str(instansi), pegawai_id=str(pegawai))
    periode = sample_periode(str(instansi))
    fake_skp.periode[periode.id] = periode
    return (
        str(instansi),
        token_for(instansi, role="admin_instansi"),
        token_for(instansi, pegawai_id=pegawai),
    )


def test_the_cases_cover_every_rpc_and_every_skp_field() -> None:
    called = {c.rpc for c in QUERIES + MUTATIONS} | {"BatchGetSkp", "ListSkp", "ListPeriode"}
    assert called | NOT_CALLED_DIRECTLY == SKP_RPCS
    assert GRAPHQL.mutation_type is not None
    skp_mutations = {c.field for c in MUTATIONS}
    assert skp_mutations <= set(GRAPHQL.mutation_type.fields) and len(skp_mutations) == len(MUTATIONS)


@pytest.mark.parametrize("case", QUERIES, ids=lambda c: c.field)
def test_every_skp_query_sends_its_request_and_maps_the_answer(
    case: Case, gql: Gql, fake_skp: FakeSkp, tenant: tuple[str, str, str]
) -> None:
    _, admin, _ = tenant
    body = gql(document("query", case.field, case.variables), case.variables, token=admin)
    assert not body.get("errors"), body
    assert body["data"][case.field] not in (None, []), body
    assert sent(fake_skp, case.rpc) == case.request


@pytest.mark.parametrize("case", MUTATIONS, ids=lambda c: c.field)
def test_every_skp_mutation_sends_its_request_and_returns_its_payload(
    case: Case, gql: Gql, fake_skp: FakeSkp, tenant: tuple[str, str, str]
) -> None:
    _, admin, _ = tenant
    body = gql(document("mutation", case.field, case.variables), case.variables, token=admin)
    assert not body.get("errors"), body
    payload = body["data"][case.field]
    assert payload.pop("errors") == [], payload
    assert payload.pop("clientMutationId", None) is None  # echoed only when sent (test_gateway_idempotency)
    assert all(value is not None for value in payload.values()), payload
    assert sent(fake_skp, case.rpc) == case.request


VIOLATIONS = [
    # (mutation case, the service's violation path, the UserError field clients see)
    ("createPeriode", "periode.mulai", "input.mulai"),
    ("updatePeriode", "periode.batas_pengisian", "input.batasPengisian"),
    ("createPeriodeSet", "batas_hari", "batasHari"),
    ("addSasaranStrategis", "sasaran.indikator[0].target", "input.indikator[0].target"),
    ("updateSasaranStrategis", "sasaran_id", "sasaranId"),
    ("createSkp", "tanggal_mulai", "tanggalMulai"),
    ("updateSkp", "expected_version", "expectedVersion"),
    ("addRhk", "rhk.teks", "input.teks"),
    ("updateRhk", "rhk.atasan_rhk_id", "input.atasanRhkId"),
    ("addIndikator", "indikator.target.min", "input.target.min"),
    ("updateIndikator", "indikator.perspektif", "input.perspektif"),
    ("setManualIndikator", "manual.definisi", "input.definisi"),
    ("setLampiran", "lampiran.konsekuensi[1]", "input.konsekuensi[1]"),
    ("setPenilaiPerilaku", "penilai_pegawai_id", "penilaiPegawaiId"),
    ("setEkspektasi", "nilai", "nilai"),
    ("returnSkp", "alasan", "alasan"),
    ("resetSkp", "alasan", "alasan"),
    ("addRencanaAksi", "rencana_aksi.target", "input.target"),
    ("updateRencanaAksi", "rencana_aksi.periode_id", "input.periodeId"),
    ("setTargetBulanan", "target[3]", "target[3]"),
    ("setMphKolom", "kolom[1].nama", "kolom[1].nama"),
    ("addMphAnggota", "anggota.nip", "input.nip"),
    ("updateMphAnggota", "anggota.peran[0].kolom_id", "input.peran[0].kolomId"),
    ("addKinerjaHarian", "kinerja_harian.tanggal", "input.tanggal"),
    ("updateKinerjaHarian", "kinerja_harian.realisasi", "input.realisasi"),
]
CASES = {c.field: c for c in MUTATIONS}


@pytest.mark.parametrize(("name", "path", "expected"), VIOLATIONS, ids=[v[0] for v in VIOLATIONS])
def test_service_violations_become_user_errors_on_the_arguments(
    name: str, path: str, expected: str, gql: Gql, fake_skp: FakeSkp, tenant: tuple[str, str, str]
) -> None:
    _, admin, _ = tenant
    case = CASES[name]
    fake_skp.fail[case.rpc] = InvalidArgument([FieldViolation(path, "INVALID", "Isian tidak valid.")])
    try:
        body = gql(document("mutation", name, case.variables, depth=1), case.variables, token=admin)
    finally:
        fake_skp.fail.pop(case.rpc, None)
    assert not body.get("errors"), body
    payload = body["data"][name]
    assert payload.pop("errors") == [{"field": expected, "code": "INVALID", "message": "Isian tidak valid."}]
    assert all(value is None for value in payload.values()), payload


def test_periode_days_are_checked_by_the_service(gql: Gql, tenant: tuple[str, str, str]) -> None:
    _, admin, _ = tenant
    body = gql(
        """mutation($p: PeriodeInput!) { createPeriode(input: $p) { periode { id } errors { field code } } }""",
        {"p": {**PERIODE_INPUT, "mulai": "1 Jan", "batasPengisian": "0410"}},
        token=admin,
    )
    assert body["data"]["createPeriode"] == {
        "periode": None,
        "errors": [
            {"field": "input.mulai", "code": "DAY_INVALID"},
            {"field": "input.batasPengisian", "code": "DAY_INVALID"},
        ],
    }


FULL_SKP = """
query($id: ID!) {
  skp(id: $id) {
    id instansiId pegawaiId unorId pltId tahun tanggalMulai tanggalSelesai pendekatan model status mandiri
    pegawai { pegawaiId nip nama golongan pangkat jabatan unorId unorNama }
    penilai { nama } atasanPenilai { nama }
    rhk {
      id jenis teks atasanRhkId atasanRhkTeks atasanSkpId tahapan sumberSasaranId sumberMphId
      indikator {
        id rhkId teks aspek perspektif targetBulanan
        target { min max satuan }
        manual { definisi jenisIku periodePelaporan }
      }
      rencanaAksi { id rhkId periodeId teks target satuan }
    }
    perilaku { nilai nama panduan ekspektasi penilaiJenis penilaiPegawaiId penilaiNama }
    lampiran { dukunganSumberDaya skemaPertanggungjawaban konsekuensi }
    alasanDikembalikan diajukanAt disetujuiAt dikembalikanAt createdAt updatedAt
    version jumlahRhk jumlahIndikator
  }
}
"""


def test_a_whole_skp_is_built_from_one_batch_get_skp(
    gql: Gql, fake_skp: FakeSkp, token_for: TokenFactory
) -> None:
    instansi = uuid.uuid4()
    pb = fake_skp.seed_skp(str(instansi), rhk=10, indikator=2, rencana_aksi=1)
    before = Counter(fake_skp.calls)
    body = gql(FULL_SKP, {"id": pb.id}, token=token_for(instansi))
    assert not body.get("errors"), body
    assert delta(before, fake_skp.calls) == {"BatchGetSkp": 1}
    skp = body["data"]["skp"]
    assert (skp["id"], skp["tahun"], skp["version"]) == (pb.id, 2026, 3)
    assert (skp["tanggalMulai"], skp["tanggalSelesai"]) == ("2026-01-02", "2026-12-31")
    assert (skp["pendekatan"], skp["model"], skp["status"]) == ("KUANTITATIF", "JA_JF", "DRAFT")
    assert skp["pltId"] is None and skp["alasanDikembalikan"] is None and skp["diajukanAt"] is None
    assert skp["createdAt"].startswith("2026-01-01T00:00:00")
    assert skp["pegawai"]["nama"] == "Siti Aminah" and skp["penilai"]["nama"] == "Budi Santoso"
    assert (skp["jumlahRhk"], skp["jumlahIndikator"]) == (10, 20)
    assert len(skp["rhk"]) == 10 and sum(len(r["indikator"]) for r in skp["rhk"]) == 20
    first, last = skp["rhk"][0], skp["rhk"][-1]
    assert first["jenis"] == "UTAMA" and first["atasanRhkId"] == pb.rhk[0].atasan_rhk_id
    assert last["jenis"] == "TAMBAHAN" and last["atasanRhkId"] is None and last["sumberMphId"] is None
    indikator = first["indikator"][1]
    assert indikator["target"] == {"min": "4.50", "max": "6.00", "satuan": "dokumen"}  # exact decimal text
    assert (
        indikator["aspek"] == "KUALITAS" and indikator["perspektif"] is None and indikator["manual"] is None
    )
    assert indikator["targetBulanan"] == [
        "0.5",
        None,
        "1.25",
        None,
        None,
        "1",
        None,
        None,
        "1",
        None,
        None,
        "0.75",
    ]
    assert first["rencanaAksi"][0]["target"] == "1.5" and first["rencanaAksi"][0]["periodeId"]
    assert [p["nilai"] for p in skp["perilaku"]] == [
        "BERORIENTASI_PELAYANAN",
        "AKUNTABEL",
        "KOMPETEN",
        "HARMONIS",
        "LOYAL",
        "ADAPTIF",
        "KOLABORATIF",
    ]
    assert (
        skp["perilaku"][0]["ekspektasi"] == "Menjadi teladan pelayanan"
        and skp["perilaku"][1]["ekspektasi"] is None
    )
    assert skp["lampiran"]["konsekuensi"] == ["Sesuai ketentuan", "Teguran"]


def test_skp_asked_twice_costs_one_batch_get_skp(
    gql: Gql, fake_skp: FakeSkp, token_for: TokenFactory
) -> None:
    instansi = uuid.uuid4()
    one, two = fake_skp.seed_skp(str(instansi)), fake_skp.seed_skp(str(instansi))
    token = token_for(instansi)
    before = Counter(fake_skp.calls)
    body = gql(
        """query($a: ID!) { first: skp(id: $a) { id rhk { id } } again: skp(id: $a) { id version } }""",
        {"a": one.id},
        token=token,
    )
    assert not body.get("errors"), body
    assert body["data"]["first"]["id"] == body["data"]["again"]["id"] == one.id
    assert delta(before, fake_skp.calls) == {"BatchGetSkp": 1}
    # two ids in one query: still one call, with both
    body = gql(
        "query($a: ID!, $b: ID!) { a: skp(id: $a) { id } b: skp(id: $b) { id } }",
        {"a": one.id, "b": two.id},
        token=token,
    )
    assert (body["data"]["a"]["id"], body["data"]["b"]["id"]) == (one.id, two.id)
    assert delta(before, fake_skp.calls) == {"BatchGetSkp": 2}
    assert sorted(fake_skp.requests["BatchGetSkp"].ids) == sorted([one.id, two.id])


def test_skp_of_another_instansi_or_unknown_is_null(
    gql: Gql, fake_skp: FakeSkp, token_for: TokenFactory
) -> None:
    theirs = fake_skp.seed_skp(str(uuid.uuid4()))
    body = gql(
        "query($a: ID!, $b: ID!) { a: skp(id: $a) { id } b: skp(id: $b) { id } }",
        {"a": theirs.id, "b": str(uuid.uuid4())},
        token=token_for(uuid.uuid4()),
    )
    assert body == {"data": {"a": None, "b": None}}
    body = gql('{ skp(id: "not-an-id") { id } }', token=token_for(uuid.uuid4()))
    assert error_codes(body) == ["INVALID_ARGUMENT"], body


SKP_PAGE = """query($after: String) {
  skpList(first: 2, after: $after, filter: {tahun: 2026}) {
    totalCount pageInfo { hasNextPage endCursor } edges { node { id jumlahRhk %s } }
  }
}"""


def test_skp_list_pages_and_loads_the_content_only_when_asked(
    gql: Gql, fake_skp: FakeSkp, token_for: TokenFactory
) -> None:
    instansi, pegawai = uuid.uuid4(), uuid.uuid4()
    ids = [fake_skp.seed_skp(str(instansi), pegawai_id=str(pegawai), rhk=3).id for _ in range(3)]
    fake_skp.seed_skp(str(instansi))  # someone else's: not in scope SAYA
    token = token_for(instansi, pegawai_id=pegawai)

    before = Counter(fake_skp.calls)
    page = gql(SKP_PAGE % "", token=token)["data"]["skpList"]
    assert delta(before, fake_skp.calls) == {"ListSkp": 1}
    assert page["totalCount"] == 3 and page["pageInfo"]["hasNextPage"]
    assert [e["node"]["id"] for e in page["edges"]] == ids[:2]
    assert sent(fake_skp, "ListSkp") == {"scope": "SKP_SCOPE_SAYA", "tahun": 2026, "page_size": 2}

    before = Counter(fake_skp.calls)
    body = gql(
        SKP_PAGE % "rhk { teks } perilaku { nama }", {"after": page["pageInfo"]["endCursor"]}, token=token
    )
    assert not body.get("errors"), body
    rest = body["data"]["skpList"]
    assert [e["node"]["id"] for e in rest["edges"]] == ids[2:] and not rest["pageInfo"]["hasNextPage"]
    assert len(rest["edges"][0]["node"]["rhk"]) == 3 and len(rest["edges"][0]["node"]["perilaku"]) == 7
    assert delta(before, fake_skp.calls) == {"ListSkp": 1, "BatchGetSkp": 1}


def test_skp_list_says_whether_its_count_stopped_at_the_limit(
    gql: Gql, fake_skp: FakeSkp, token_for: TokenFactory
) -> None:
    instansi, pegawai = uuid.uuid4(), uuid.uuid4()
    fake_skp.seed_skp(str(instansi), pegawai_id=str(pegawai))
    token = token_for(instansi, pegawai_id=pegawai)
    page = gql("{ skpList { totalCount totalCountExact } }", token=token)["data"]["skpList"]
    # FakeSkp leaves total_count_exact unset (false): the connection carries skp's answer, not the
    # connection's own default (true)
    assert page == {"totalCount": 1, "totalCountExact": False}


def test_admin_bkn_must_name_the_instansi(gql: Gql, fake_skp: FakeSkp, token_for: TokenFactory) -> None:
    bkn = token_for(role="admin_bkn")
    assert error_codes(gql("{ periodeList { id } }", token=bkn)) == ["INSTANSI_REQUIRED"]
    assert error_codes(gql("{ skpList { totalCount } }", token=bkn)) == ["INSTANSI_REQUIRED"]
    create = """mutation($p: PeriodeInput!, $i: ID) {
        createPeriode(input: $p, instansiId: $i) { periode { id instansiId } errors { field code } } }"""
    refused = gql(create, {"p": PERIODE_INPUT}, token=bkn)["data"]["createPeriode"]
    assert refused == {"periode": None, "errors": [{"field": "instansiId", "code": "INSTANSI_REQUIRED"}]}

    instansi = str(uuid.uuid4())
    made = gql(create, {"p": PERIODE_INPUT, "i": instansi}, token=bkn)["data"]["createPeriode"]
    assert made["errors"] == [] and made["periode"]["instansiId"] == instansi
    listed = gql("query($i: ID) { periodeList(instansiId: $i) { id } }", {"i": instansi}, token=bkn)
    assert listed["data"]["periodeList"] == [{"id": made["periode"]["id"]}]


def test_others_may_not_name_another_instansi(gql: Gql, tenant: tuple[str, str, str]) -> None:
    _, admin, pegawai = tenant
    for token in (admin, pegawai):
        body = gql(
            "query($i: ID) { skpList(instansiId: $i) { totalCount } }", {"i": str(uuid.uuid4())}, token=token
        )
        assert error_codes(body) == ["INSTANSI_FORBIDDEN"]


def test_periode_writes_and_reset_are_for_admins(
    gql: Gql, fake_skp: FakeSkp, tenant: tuple[str, str, str]
) -> None:
    _, _, pegawai = tenant
    before = Counter(fake_skp.calls)
    for case in (
        CASES["createPeriode"],
        CASES["deletePeriode"],
        CASES["resetSkp"],
        CASES["createPeriodeSet"],
    ):
        body = gql(document("mutation", case.field, case.variables, depth=1), case.variables, token=pegawai)
        assert error_codes(body) == ["ADMIN_ONLY"], body
    # submitting is for anyone signed in; the service judges ownership
    body = gql(document("mutation", "submitSkp", {"id": SKP}, depth=1), {"id": SKP}, token=pegawai)
    assert body["data"]["submitSkp"]["errors"] == []
    assert delta(before, fake_skp.calls) == {"SubmitSkp": 1}


def test_skp_fields_need_a_token(gql: Gql) -> None:
    assert error_codes(gql("{ perilakuKerja { nama } }")) == ["UNAUTHENTICATED"]
    body = gql('mutation { submitSkp(id: "x") { errors { code } } }')
    assert error_codes(body) == ["UNAUTHENTICATED"]


def test_perilaku_kerja_lists_the_seven_values_with_panduan(gql: Gql, token_for: TokenFactory) -> None:
    body = gql("{ perilakuKerja { nilai nama panduan } }", token=token_for(role="admin_bkn"))
    assert not body.get("errors"), body
    values = body["data"]["perilakuKerja"]
    assert len(values) == 7 and all(v["panduan"] for v in values)
