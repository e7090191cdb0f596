"""Assessment through GraphQL, against FakeAssessment: every field sends its request and maps the answer,
service violations come back as UserErrors on the arguments, lists are connections costed by their
page, and embedded objects load in batches (one BatchGetPenilaian per page, one GetPolaDistribusi per
unit kerja and periode)."""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from fastapi.testclient import TestClient

import kinerja_testing.assessment as fake_module
from gateway.api.assessment.mutations import AssessmentMutation
from gateway.api.assessment.queries import AssessmentQuery
from gateway.api.schema import schema
from gateway.app import create_app
from kinerja.assessment.v1 import assessment_pb2
from kinerja_kit.auth import TokenVerifier
from kinerja_kit.errors import FieldViolation, InvalidArgument
from kinerja_kit.tokens import TokenSigner
from kinerja_testing.assessment import FakeAssessment, start_fake_assessment
from kinerja_testing.gateway import Gql, ServiceAddrs, TokenFactory, error_codes, gateway_settings
from kinerja_testing.graphql_documents import delta, document, selection, sent

GRAPHQL = schema._schema
RPCS = {m.name for m in assessment_pb2.DESCRIPTOR.services_by_name["AssessmentService"].methods}
# GetPenilaian is served by penilaian(id) through the BatchGetPenilaian DataLoader.
NOT_CALLED_DIRECTLY = {"GetPenilaian"}

PEN, IND, PER, SKP, UNOR, PEG, KEB, CAP = (str(uuid.uuid4()) for _ in range(8))


@pytest.fixture(scope="module")
def fake_assessment() -> FakeAssessment:
    return FakeAssessment()


@pytest.fixture(scope="module")
def assessment_client(
    fake_addrs: ServiceAddrs,
    fake_assessment: FakeAssessment,
    signer: TokenSigner,
    jwks_provider: Callable[[], str],
) -> Iterator[TestClient]:
    verifier = TokenVerifier(jwks_provider, signer.issuer, signer.audience)
    server, addr = start_fake_assessment(fake_assessment, verifier)
    settings = gateway_settings(
        fake_addrs.identity, fake_addrs.org, signer, skp_addr=fake_addrs.skp, assessment_addr=addr
    )
    with TestClient(create_app(settings)) as client:
        yield client
    server.stop(0)


@pytest.fixture(scope="module")
def agql(assessment_client: TestClient) -> Gql:
    def gql(query: str, variables: dict[str, Any] | None = None, token: str | None = None) -> dict[str, Any]:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        response = assessment_client.post(
            "/graphql", json={"query": query, "variables": variables or {}}, headers=headers
        )
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    return gql


@dataclass
class Tenant:
    instansi_id: str
    admin: str
    pegawai: str
    pegawai_id: str
    penilaian: list[assessment_pb2.Penilaian] = field(default_factory=list)


@pytest.fixture
def tenant(fake_assessment: FakeAssessment, token_for: TokenFactory) -> Tenant:
    """A fresh instansi with three penilaian of one unit kerja, the first the pegawai's own."""
    instansi, pegawai = uuid.uuid4(), uuid.uuid4()
    unit, periode = str(uuid.uuid4()), str(uuid.uuid4())
    found = Tenant(
        str(instansi),
        token_for(instansi, role="admin_instansi"),
        token_for(instansi, pegawai_id=pegawai),
        str(pegawai),
    )
    for i in range(3):
        extra: dict[str, Any] = {"unit_kerja_id": unit, "periode_id": periode}
        if i == 0:
            extra["pegawai"] = {"pegawai_id": str(pegawai), "nama": "Saya Sendiri"}
        found.penilaian.append(fake_assessment.seed(found.instansi_id, **extra))
    return found


def _graphql_names(kind: type) -> set[str]:
    definition = kind.__strawberry_definition__  # type: ignore[attr-defined]
    return {schema.config.name_converter.get_graphql_name(f) for f in definition.fields}


@dataclass
class Case:
    field: str
    rpc: str
    variables: dict[str, Any] = field(default_factory=dict)
    request: dict[str, Any] = field(default_factory=dict)


QUERIES = [
    Case(
        "penilaianList",
        "ListPenilaian",
        {"scope": "INSTANSI", "tahun": 2026, "periodeId": PER, "status": "DINILAI", "first": 5},
        {
            "scope": "PENILAIAN_SCOPE_INSTANSI",
            "tahun": 2026,
            "periode_id": PER,
            "status": "STATUS_PENILAIAN_DINILAI",
            "page_size": 5,
        },
    ),
    Case(
        "inbox",
        "GetInbox",
        {"periodeId": PER, "jenis": "NILAI_BAWAHAN", "first": 3},
        {"periode_id": PER, "jenis": "JENIS_TUGAS_NILAI_BAWAHAN", "page_size": 3},
    ),
    Case(
        "capaianList",
        "ListCapaian",
        {"tahun": 2026, "periodeId": PER, "query": "Sekre", "first": 10},
        {"tahun": 2026, "periode_id": PER, "query": "Sekre", "page_size": 10},
    ),
    Case(
        "polaDistribusi",
        "GetPolaDistribusi",
        {"unorId": UNOR, "periodeId": PER, "tahun": 2026},
        {"unor_id": UNOR, "periode_id": PER, "tahun": 2026},
    ),
    Case(
        "keberatan",
        "GetKeberatan",
        {"id": KEB},
        {"id": KEB},
    ),
    Case(
        "keberatanList",
        "ListKeberatan",
        {"scope": "DIJAWAB", "tahun": 2026, "status": "DIAJUKAN", "query": "1980", "first": 10},
        {
            "scope": "KEBERATAN_SCOPE_DIJAWAB",
            "tahun": 2026,
            "status": "STATUS_KEBERATAN_DIAJUKAN",
            "query": "1980",
            "page_size": 10,
        },
    ),
    Case(
        "perpanjanganBatasList",
        "ListPerpanjanganBatas",
        {"periodeId": PER, "tahun": 2026, "first": 10},
        {"periode_id": PER, "tahun": 2026, "page_size": 10},
    ),
]
# Queries whose answer depends on the seeded penilaian (checked by their own tests).
SEEDED_QUERIES = {"penilaian", "kalibrasi"}

REALISASI_INPUT = {
    "nilai": "12,5",
    "satuan": "Layanan",
    "keterangan": "Selesai",
    "buktiDukung": [{"nama": "Laporan", "url": "https://arsip.go.id/1"}],
}
MUTATIONS = [
    Case(
        "openPenilaian", "OpenPenilaian", {"skpId": SKP, "periodeId": PER}, {"skp_id": SKP, "periode_id": PER}
    ),
    Case(
        "setRealisasi",
        "SetRealisasi",
        {"penilaianId": PEN, "indikatorId": IND, "input": REALISASI_INPUT, "expectedVersion": 2},
        {
            "penilaian_id": PEN,
            "indikator_id": IND,
            "realisasi": {
                "nilai": "12,5",
                "satuan": "Layanan",
                "keterangan": "Selesai",
                "bukti_dukung": [{"nama": "Laporan", "url": "https://arsip.go.id/1"}],
            },
            "expected_version": "2",
        },
    ),
    Case(
        "setFeedbackPerilaku",
        "SetFeedbackPerilaku",
        {"penilaianId": PEN, "nilai": "AKUNTABEL", "feedback": "Jujur dan tepat waktu"},
        {"penilaian_id": PEN, "nilai": "NILAI_PERILAKU_AKUNTABEL", "feedback": "Jujur dan tepat waktu"},
    ),
    Case(
        "setUmpanBalik",
        "SetUmpanBalik",
        {"penilaianId": PEN, "indikatorId": IND, "umpanBalik": "Tingkatkan"},
        {"penilaian_id": PEN, "indikator_id": IND, "umpan_balik": "Tingkatkan"},
    ),
    Case(
        "ratePenilaian",
        "RatePenilaian",
        {
            "penilaianId": PEN,
            "ratingHasilKerja": "DI_ATAS_EKSPEKTASI",
            "ratingPerilakuKerja": "SESUAI_EKSPEKTASI",
        },
        {
            "penilaian_id": PEN,
            "rating_hasil_kerja": "RATING_DI_ATAS_EKSPEKTASI",
            "rating_perilaku_kerja": "RATING_SESUAI_EKSPEKTASI",
        },
    ),
    Case(
        "extendBatas",
        "ExtendBatas",
        {"periodeId": PER, "tahun": 2026, "pegawaiId": PEG, "batasBaru": "2026-05-01", "alasan": "Sakit"},
        {"periode_id": PER, "tahun": 2026, "pegawai_id": PEG, "batas_baru": "2026-05-01", "alasan": "Sakit"},
    ),
    Case(
        "setCapaian",
        "SetCapaian",
        {
            "input": {
                "tahun": 2026,
                "periodeId": PER,
                "unorId": UNOR,
                "capaian": "BAIK",
                "buktiDukungUrl": "https://arsip.go.id/c",
            }
        },
        {
            "capaian": {
                "tahun": 2026,
                "periode_id": PER,
                "unor_id": UNOR,
                "capaian": "CAPAIAN_BAIK",
                "bukti_dukung_url": "https://arsip.go.id/c",
            }
        },
    ),
    Case("deleteCapaian", "DeleteCapaian", {"id": CAP}, {"id": CAP}),
    Case(
        "finaliseCapaian",
        "FinaliseCapaian",
        {"id": CAP, "expectedVersion": 1},
        {"id": CAP, "expected_version": "1"},
    ),
    Case("unfinaliseCapaian", "UnfinaliseCapaian", {"id": CAP}, {"id": CAP}),
    Case(
        "fileKeberatan",
        "FileKeberatan",
        {"penilaianId": PEN, "alasan": "Tidak sesuai", "ratingPerilakuKerja": "DI_ATAS_EKSPEKTASI"},
        {"penilaian_id": PEN, "alasan": "Tidak sesuai", "rating_perilaku_kerja": "RATING_DI_ATAS_EKSPEKTASI"},
    ),
    Case(
        "explainKeberatan",
        "ExplainKeberatan",
        {"id": KEB, "penjelasan": "Sesuai bukti"},
        {"id": KEB, "penjelasan": "Sesuai bukti"},
    ),
    Case(
        "decideKeberatan",
        "DecideKeberatan",
        {"id": KEB, "disetujui": True, "keputusan": "Diterima", "ratingHasilKerja": "DI_ATAS_EKSPEKTASI"},
        {
            "id": KEB,
            "disetujui": True,
            "keputusan": "Diterima",
            "rating_hasil_kerja": "RATING_DI_ATAS_EKSPEKTASI",
        },
    ),
]
CASES = {c.field: c for c in MUTATIONS}


def test_the_cases_cover_every_rpc_and_every_assessment_field() -> None:
    called = {c.rpc for c in QUERIES + MUTATIONS} | {"BatchGetPenilaian", "ListKalibrasi"}
    assert called | NOT_CALLED_DIRECTLY == RPCS
    assert _graphql_names(AssessmentQuery) == {c.field for c in QUERIES} | SEEDED_QUERIES
    assert _graphql_names(AssessmentMutation) == set(CASES)


@pytest.mark.parametrize("case", QUERIES, ids=lambda c: c.field)
def test_every_query_sends_its_request_and_maps_the_answer(
    case: Case, agql: Gql, fake_assessment: FakeAssessment, tenant: Tenant
) -> None:
    body = agql(document("query", case.field, case.variables, depth=3), case.variables, token=tenant.admin)
    assert not body.get("errors"), body
    assert body["data"][case.field] not in (None, []), body
    assert sent(fake_assessment, case.rpc) == case.request


@pytest.mark.parametrize("case", MUTATIONS, ids=lambda c: c.field)
def test_every_mutation_sends_its_request_and_returns_its_payload(
    case: Case, agql: Gql, fake_assessment: FakeAssessment, tenant: Tenant
) -> None:
    body = agql(document("mutation", case.field, case.variables, depth=3), case.variables, token=tenant.admin)
    assert not body.get("errors"), body
    payload = body["data"][case.field]
    assert payload.pop("errors") == [], payload
    assert payload.pop("clientMutationId", None) is None
    assert all(value is not None for value in payload.values()), payload
    assert sent(fake_assessment, case.rpc) == case.request


VIOLATIONS = [
    ("openPenilaian", "periode_id", "periodeId"),
    ("setRealisasi", "realisasi.bukti_dukung[0].url", "input.buktiDukung[0].url"),
    ("setRealisasi", "realisasi.nilai", "input.nilai"),
    ("setFeedbackPerilaku", "feedback", "feedback"),
    ("setUmpanBalik", "umpan_balik", "umpanBalik"),
    ("ratePenilaian", "rating_hasil_kerja", "ratingHasilKerja"),
    ("extendBatas", "batas_baru", "batasBaru"),
    ("setCapaian", "capaian.bukti_dukung_url", "input.buktiDukungUrl"),
    ("fileKeberatan", "alasan", "alasan"),
    ("explainKeberatan", "penjelasan", "penjelasan"),
    ("decideKeberatan", "keputusan", "keputusan"),
]


@pytest.mark.parametrize(("name", "path", "expected"), VIOLATIONS, ids=[f"{v[0]}-{v[1]}" for v in VIOLATIONS])
def test_service_violations_become_user_errors_on_the_arguments(
    name: str, path: str, expected: str, agql: Gql, fake_assessment: FakeAssessment, tenant: Tenant
) -> None:
    case = CASES[name]
    fake_assessment.fail[case.rpc] = InvalidArgument([FieldViolation(path, "INVALID", "Isian tidak valid.")])
    try:
        body = agql(document("mutation", name, case.variables, depth=1), case.variables, token=tenant.admin)
    finally:
        fake_assessment.fail.pop(case.rpc, None)
    assert not body.get("errors"), body
    payload = body["data"][name]
    assert payload.pop("errors") == [{"field": expected, "code": "INVALID", "message": "Isian tidak valid."}]
    assert all(value is None for value in payload.values()), payload


def test_creates_send_their_client_mutation_id_and_echo_it(
    agql: Gql, fake_assessment: FakeAssessment, tenant: Tenant
) -> None:
    for name in ("openPenilaian", "extendBatas", "setCapaian", "fileKeberatan"):
        variables = {**CASES[name].variables, "clientMutationId": f"retry-{name}"}
        body = agql(document("mutation", name, variables, depth=1), variables, token=tenant.admin)
        assert body["data"][name]["clientMutationId"] == f"retry-{name}", body
        assert body["data"][name]["errors"] == []
        bad = {**CASES[name].variables, "clientMutationId": "tidak boleh spasi"}
        body = agql(document("mutation", name, bad, depth=1), bad, token=tenant.admin)
        assert [e["field"] for e in body["data"][name]["errors"]] == ["clientMutationId"], body


def test_a_whole_penilaian_is_one_batch_get_however_often_it_is_asked(
    agql: Gql, fake_assessment: FakeAssessment, tenant: Tenant
) -> None:
    own = tenant.penilaian[0]
    before = Counter(fake_assessment.calls)
    body = agql(
        """query($a: ID!, $b: ID!) {
             one: penilaian(id: $a) {
               id status predikat ratingHasilKerja tanggalMulai batasPengisian
               pegawai { nama } realisasi { indikatorId nilai target { min satuan } buktiDukung { nama url } terisi }
               perilaku { nilai feedback penilaiJenis umpanBalik }
               penjelasan { predikat aturanVersi aturanBerlakuSejak dinilaiOleh { nama } uraian keberatanId }
               kekurangan { field code }
             }
             two: penilaian(id: $b) { id }
             again: penilaian(id: $a) { id }
           }""",
        {"a": own.id, "b": tenant.penilaian[1].id},
        token=tenant.pegawai,
    )
    assert not body.get("errors"), body
    one = body["data"]["one"]
    assert one["id"] == own.id and one["status"] == "DINILAI" and one["predikat"] == "BAIK"
    assert one["tanggalMulai"] == "2026-01-01" and one["batasPengisian"] == "2026-04-10"
    assert (
        one["realisasi"][0]["nilai"] == "12.5" and one["realisasi"][0]["buktiDukung"][0]["nama"] == "Laporan"
    )
    assert len(one["perilaku"]) == 7 and one["perilaku"][0]["penilaiJenis"] == "ATASAN"
    assert (
        one["penjelasan"]["aturanBerlakuSejak"] == "2022-01-01" and one["penjelasan"]["keberatanId"] is None
    )
    assert one["kekurangan"] == []
    assert delta(before, Counter(fake_assessment.calls)) == {"BatchGetPenilaian": 1}


def test_penilaian_of_another_instansi_or_unknown_is_null(
    agql: Gql, fake_assessment: FakeAssessment, tenant: Tenant, token_for: TokenFactory
) -> None:
    stranger = token_for(uuid.uuid4(), role="admin_instansi")
    query = "query($a: ID!) { penilaian(id: $a) { id } }"
    assert agql(query, {"a": tenant.penilaian[0].id}, token=stranger)["data"] == {"penilaian": None}
    assert agql(query, {"a": str(uuid.uuid4())}, token=tenant.admin)["data"] == {"penilaian": None}
    invalid = agql(query, {"a": "bukan-id"}, token=tenant.admin)
    assert [f["code"] for f in invalid["errors"][0]["extensions"]["fields"]] == ["INVALID_ID"], invalid


def test_the_list_loads_content_and_pola_distribusi_in_batches(
    agql: Gql, fake_assessment: FakeAssessment, tenant: Tenant
) -> None:
    query = """query($f: Int!) { penilaianList(scope: INSTANSI, first: $f) {
                 edges { node { id predikat %s } } pageInfo { hasNextPage endCursor } } }"""
    before = Counter(fake_assessment.calls)
    body = agql(query % "", {"f": 3}, token=tenant.admin)
    assert not body.get("errors"), body
    assert len(body["data"]["penilaianList"]["edges"]) == 3
    assert delta(before, Counter(fake_assessment.calls)) == {"ListPenilaian": 1}

    before = Counter(fake_assessment.calls)
    body = agql(
        query % "realisasi { nilai } perilaku { nilai } polaDistribusi { unorId sesuai batas { uraian } }",
        {"f": 3},
        token=tenant.admin,
    )
    assert not body.get("errors"), body
    nodes = [e["node"] for e in body["data"]["penilaianList"]["edges"]]
    assert all(n["realisasi"] and len(n["perilaku"]) == 7 for n in nodes)
    assert {n["polaDistribusi"]["unorId"] for n in nodes} == {tenant.penilaian[0].unit_kerja_id}
    # One page: one list, one batch of whole penilaian, one pola distribusi for the one unit kerja.
    assert delta(before, Counter(fake_assessment.calls)) == {
        "ListPenilaian": 1,
        "BatchGetPenilaian": 1,
        "GetPolaDistribusi": 1,
    }


def test_pola_distribusi_of_a_unit_the_caller_may_not_read_is_null_on_a_penilaian(
    agql: Gql, fake_assessment: FakeAssessment, tenant: Tenant
) -> None:
    own = tenant.penilaian[0]
    fake_assessment.pola_denied.add(own.unit_kerja_id)
    body = agql(
        "query($a: ID!) { penilaian(id: $a) { id polaDistribusi { sesuai } } }",
        {"a": own.id},
        token=tenant.pegawai,
    )
    assert body["data"]["penilaian"] == {"id": own.id, "polaDistribusi": None}, body
    direct = agql(
        "query($u: ID!, $p: ID!) { polaDistribusi(unorId: $u, periodeId: $p, tahun: 2026) { sesuai } }",
        {"u": own.unit_kerja_id, "p": own.periode_id},
        token=tenant.pegawai,
    )
    assert error_codes(direct) == ["BUKAN_PIMPINAN_UNIT"], direct


def test_the_inbox_has_counts_and_a_page_whose_penilaian_load_in_one_batch(
    agql: Gql, fake_assessment: FakeAssessment, tenant: Tenant
) -> None:
    before = Counter(fake_assessment.calls)
    body = agql(
        """{ inbox(jenis: NILAI_BAWAHAN, first: 2) {
               jumlah { jenis jumlah } totalCount
               edges { cursor node { jenis pegawai { nama } batasPengisian penilaian { id status } } }
               pageInfo { hasNextPage endCursor } } }""",
        token=tenant.pegawai,
    )
    assert not body.get("errors"), body
    inbox = body["data"]["inbox"]
    assert {j["jenis"]: j["jumlah"] for j in inbox["jumlah"]}["NILAI_BAWAHAN"] == 3
    assert inbox["totalCount"] == 3 and inbox["pageInfo"]["hasNextPage"] is True
    assert [e["node"]["penilaian"]["id"] for e in inbox["edges"]] == [p.id for p in tenant.penilaian[:2]]
    assert delta(before, Counter(fake_assessment.calls)) == {"GetInbox": 1, "BatchGetPenilaian": 1}
    after = agql(
        "query($a: String) { inbox(jenis: NILAI_BAWAHAN, first: 2, after: $a) { edges { node { penilaianId } } } }",
        {"a": inbox["pageInfo"]["endCursor"]},
        token=tenant.pegawai,
    )
    assert [e["node"]["penilaianId"] for e in after["data"]["inbox"]["edges"]] == [tenant.penilaian[2].id]


COUNTED = (
    assessment_pb2.ListCapaianResponse,
    assessment_pb2.ListKeberatanResponse,
    assessment_pb2.ListPerpanjanganBatasResponse,
)


@pytest.mark.parametrize(("total", "exact"), [(1000, False), (7, True)])
def test_lists_answer_the_service_s_bounded_count_and_the_inbox_its_exact_one(
    agql: Gql, tenant: Tenant, monkeypatch: pytest.MonkeyPatch, total: int, exact: bool
) -> None:
    samples = fake_module._samples

    def counted(instansi: str) -> dict[Any, Callable[[], Any]]:
        found = dict(samples(instansi))
        for output in COUNTED:
            make = found.get(output, output)
            found[output] = lambda make=make: type(make())(
                **{**_fields(make()), "total_count": total, "total_count_exact": exact}
            )
        return found

    monkeypatch.setattr(fake_module, "_samples", counted)
    body = agql(
        """{ capaianList { totalCount totalCountExact }
             keberatanList(scope: INSTANSI) { totalCount totalCountExact }
             perpanjanganBatasList { totalCount totalCountExact }
             inbox { totalCount totalCountExact } }""",
        token=tenant.admin,
    )
    assert not body.get("errors"), body
    data = body["data"]
    for name in ("capaianList", "keberatanList", "perpanjanganBatasList"):
        assert data[name] == {"totalCount": total, "totalCountExact": exact}, name
    assert data["inbox"]["totalCountExact"] is True


def _fields(message: Any) -> dict[str, Any]:
    return {f.name: v for f, v in message.ListFields()}


def test_kalibrasi_lists_the_unit_and_loads_penilaian_in_one_batch(
    agql: Gql, fake_assessment: FakeAssessment, tenant: Tenant
) -> None:
    unit, periode = tenant.penilaian[0].unit_kerja_id, tenant.penilaian[0].periode_id
    before = Counter(fake_assessment.calls)
    body = agql(
        """query($u: ID!, $p: ID!) { kalibrasi(unorId: $u, periodeId: $p, tahun: 2026, predikat: BAIK, first: 10) {
             edges { node { penilaianId predikat ratingHasilKerja status pegawai { nama } penilaian { id } } } } }""",
        {"u": unit, "p": periode},
        token=tenant.admin,
    )
    assert not body.get("errors"), body
    nodes = [e["node"] for e in body["data"]["kalibrasi"]["edges"]]
    assert [n["penilaian"]["id"] for n in nodes] == [p.id for p in tenant.penilaian]
    assert sent(fake_assessment, "ListKalibrasi") == {
        "unor_id": unit,
        "periode_id": periode,
        "tahun": 2026,
        "predikat": "PREDIKAT_BAIK",
        "page_size": 10,
    }
    assert delta(before, Counter(fake_assessment.calls)) == {"ListKalibrasi": 1, "BatchGetPenilaian": 1}


def test_admin_fields_refuse_others_before_calling(
    agql: Gql, fake_assessment: FakeAssessment, tenant: Tenant
) -> None:
    before = Counter(fake_assessment.calls)
    for name in ("extendBatas", "setCapaian", "deleteCapaian", "finaliseCapaian", "unfinaliseCapaian"):
        case = CASES[name]
        body = agql(document("mutation", name, case.variables, depth=1), case.variables, token=tenant.pegawai)
        assert error_codes(body) == ["ADMIN_ONLY"], body
    for query in ("{ capaianList { totalCount } }", "{ perpanjanganBatasList { totalCount } }"):
        assert error_codes(agql(query, token=tenant.pegawai)) == ["ADMIN_ONLY"]
    assert delta(before, Counter(fake_assessment.calls)) == {}


def test_admin_bkn_names_the_instansi_and_others_may_not(
    agql: Gql, tenant: Tenant, token_for: TokenFactory
) -> None:
    bkn = token_for(role="admin_bkn")
    assert error_codes(agql("{ inbox { totalCount } }", token=bkn)) == ["INSTANSI_REQUIRED"]
    body = agql(
        "query($i: ID!) { penilaianList(scope: INSTANSI, instansiId: $i) { edges { node { id } } } }",
        {"i": tenant.instansi_id},
        token=bkn,
    )
    assert len(body["data"]["penilaianList"]["edges"]) == 3, body
    other = str(uuid.uuid4())
    assert error_codes(
        agql("query($i: ID!) { inbox(instansiId: $i) { totalCount } }", {"i": other}, token=tenant.admin)
    ) == ["INSTANSI_FORBIDDEN"]
    body = agql(
        "mutation($i: ID!, $p: ID!) { openPenilaian(skpId: $p, periodeId: $p, instansiId: $i) { errors { field code } } }",
        {"i": other, "p": PER},
        token=tenant.pegawai,
    )
    assert body["data"]["openPenilaian"]["errors"] == [{"field": "instansiId", "code": "INSTANSI_FORBIDDEN"}]


def test_every_list_is_costed_by_its_page(agql: Gql, tenant: Tenant) -> None:
    # Whole penilaian (every field three levels down, pola distribusi included): 20 fit, 100 do not.
    node = selection(GRAPHQL.type_map["Penilaian"], 3)
    heavy = "query($f: Int!) { penilaianList(first: $f) { edges { node { " + node + " } } } }"
    assert not agql(heavy, {"f": 20}, token=tenant.admin).get("errors")
    body = agql(heavy, {"f": 100}, token=tenant.admin)
    assert error_codes(body) == ["QUERY_TOO_COSTLY"], body
    assert body["errors"][0]["extensions"]["cost"] > 5000
    for name in ("inbox", "capaianList", "keberatanList", "perpanjanganBatasList"):
        leaf = "penilaianId" if name == "inbox" else "id"
        page = "{ " + name + "(first: 100) { edges { node { " + leaf + " } } } }"
        assert "QUERY_TOO_COSTLY" not in error_codes(agql(page, token=tenant.admin)), name


def test_assessment_fields_need_a_token(agql: Gql) -> None:
    assert error_codes(agql("{ inbox { totalCount } }")) == ["UNAUTHENTICATED"]
    body = agql(f'mutation {{ openPenilaian(skpId: "{SKP}", periodeId: "{PER}") {{ errors {{ code }} }} }}')
    assert error_codes(body) == ["UNAUTHENTICATED"]
