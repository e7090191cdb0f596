"""Angka kredit through GraphQL, against FakeAngkaKredit: every field sends its request and maps the
answer (exact figures as text, never a float), service violations come back as UserErrors on the
arguments, the edge refuses what the kit's rules refuse before any call (the SK's size on its base64
text, the AK of an integrasi), the list is a connection with its bounded count, a page's PAK and their
penilaian load in batches, and the SK PDF is downloaded over REST."""

from __future__ import annotations

import base64
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from fastapi.testclient import TestClient

from gateway.api.angka_kredit.mutations import AngkaKreditMutation
from gateway.api.angka_kredit.mutations.pak import SK_MAX_BASE64, SK_MAX_BYTES
from gateway.api.angka_kredit.queries import AngkaKreditQuery
from gateway.api.schema import schema
from gateway.app import create_app
from kinerja.angka_kredit.v1 import angka_kredit_pb2
from kinerja_kit.auth import TokenVerifier
from kinerja_kit.errors import FailedPrecondition, FieldViolation, InvalidArgument
from kinerja_kit.tokens import TokenSigner
from kinerja_testing.gateway import (
    FakeAngkaKredit,
    Gql,
    ServiceAddrs,
    TokenFactory,
    error_codes,
    gateway_settings,
    start_fake_angka_kredit,
)
from kinerja_testing.graphql_documents import delta, document, sent

RPCS = {m.name for m in angka_kredit_pb2.DESCRIPTOR.services_by_name["AngkaKreditService"].methods}
# GetPak is served by pak(id) through the BatchGetPak DataLoader; GetSkPak by the REST download.
NOT_GRAPHQL = {"GetPak", "GetSkPak"}

PAK, PEG = str(uuid.uuid4()), str(uuid.uuid4())
PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture(scope="module")
def fake_ak() -> FakeAngkaKredit:
    return FakeAngkaKredit()


@pytest.fixture(scope="module")
def ak_client(
    fake_addrs: ServiceAddrs,
    fake_ak: FakeAngkaKredit,
    signer: TokenSigner,
    jwks_provider: Callable[[], str],
) -> Iterator[TestClient]:
    verifier = TokenVerifier(jwks_provider, signer.issuer, signer.audience)
    server, addr = start_fake_angka_kredit(fake_ak, verifier)
    settings = gateway_settings(
        fake_addrs.identity,
        fake_addrs.org,
        signer,
        skp_addr=fake_addrs.skp,
        assessment_addr=fake_addrs.assessment,
        angka_kredit_addr=addr,
    )
    with TestClient(create_app(settings)) as client:
        yield client
    server.stop(0)


@pytest.fixture(scope="module")
def kgql(ak_client: TestClient) -> Gql:
    def gql(query: str, variables: dict[str, Any] | None = None, token: str | None = None) -> dict[str, Any]:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        response = ak_client.post(
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
    pak: list[angka_kredit_pb2.Pak] = field(default_factory=list)


@pytest.fixture
def tenant(fake_ak: FakeAngkaKredit, token_for: TokenFactory) -> Tenant:
    """A fresh instansi with three PAK, the first the pegawai's own."""
    instansi, pegawai = uuid.uuid4(), uuid.uuid4()
    found = Tenant(
        str(instansi),
        token_for(instansi, role="admin_instansi"),
        token_for(instansi, pegawai_id=pegawai),
        str(pegawai),
    )
    for i in range(3):
        extra: dict[str, Any] = {}
        if i == 0:
            extra["pegawai"] = {"pegawai_id": str(pegawai), "nama": "Saya Sendiri"}
        found.pak.append(fake_ak.seed(found.instansi_id, **extra))
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
        "pakList",
        "ListPak",
        {
            "scope": "INSTANSI",
            "filter": {
                "tahun": 2024,
                "query": "Siti",
                "jabatan": "Analis",
                "status": "DRAFT",
                "sumber": "KONVERSI",
                "perluPakBaru": True,
                "pegawaiId": PEG,
            },
            "first": 5,
        },
        {
            "scope": "PAK_SCOPE_INSTANSI",
            "tahun": 2024,
            "query": "Siti",
            "jabatan": "Analis",
            "status": "STATUS_PAK_DRAFT",
            "sumber": "SUMBER_PAK_KONVERSI",
            "perlu_pak_baru": True,
            "pegawai_id": PEG,
            "page_size": 5,
        },
    ),
    Case("pengaturanPak", "GetPengaturan"),
    Case("aturanAngkaKredit", "GetAturan", {"tanggal": "2024-12-31"}, {"tanggal": "2024-12-31"}),
    Case("prakiraanAngkaKredit", "GetPrakiraan", {"pegawaiId": PEG}, {"pegawai_id": PEG}),
]
# Queries whose answer depends on the seeded PAK (checked by their own tests).
SEEDED_QUERIES = {"pak"}

INTEGRASI = {
    "pegawaiId": PEG,
    "tahun": 2022,
    "angkaKredit": "45,25",
    "dokumenSumber": "PAK 800/12/BKD/2022",
    "keterangan": "AK terakhir sebelum PermenPAN-RB 1/2023",
    "golongan": "III/b",
}
MUTATIONS = [
    Case(
        "ajukanPak",
        "AjukanPak",
        {
            "id": PAK,
            "tanggalSk": "2025-01-15",
            "nomorSk": "800/1/PAK/2025",
            "tempat": "Bandung",
            "expectedVersion": 2,
        },
        {
            "id": PAK,
            "tanggal_sk": "2025-01-15",
            "nomor_sk": "800/1/PAK/2025",
            "tempat": "Bandung",
            "expected_version": "2",
        },
    ),
    Case("setujuiPak", "SetujuiPak", {"id": PAK, "expectedVersion": 3}, {"id": PAK, "expected_version": "3"}),
    Case("tandatanganiPak", "TandatanganiPak", {"id": PAK}, {"id": PAK}),
    Case(
        "unggahSkPak",
        "UnggahSkPak",
        {"id": PAK, "berkas": base64.b64encode(PDF).decode(), "namaBerkas": "SK PAK.pdf"},
        {"id": PAK, "berkas": base64.b64encode(PDF).decode(), "nama_berkas": "SK PAK.pdf"},
    ),
    Case(
        "kembalikanPakKeDraft",
        "KembalikanPakKeDraft",
        {"id": PAK, "alasan": "Predikat diubah", "expectedVersion": 4},
        {"id": PAK, "alasan": "Predikat diubah", "expected_version": "4"},
    ),
    Case(
        "catatIntegrasiAngkaKredit",
        "CatatIntegrasi",
        {"input": INTEGRASI},
        {
            "pegawai_id": PEG,
            "tahun": 2022,
            "angka_kredit": "45,25",
            "dokumen_sumber": "PAK 800/12/BKD/2022",
            "keterangan": "AK terakhir sebelum PermenPAN-RB 1/2023",
            "golongan": "III/b",
        },
    ),
    Case(
        "aturPengaturanPak",
        "SetPengaturan",
        {"mode": "OTOMATIS", "formatNomor": "{nomor:4}/PAK/{bulan_romawi}/{tahun}", "tempat": "Bandung"},
        {
            "mode": "MODE_PENOMORAN_OTOMATIS",
            "format_nomor": "{nomor:4}/PAK/{bulan_romawi}/{tahun}",
            "tempat": "Bandung",
        },
    ),
]
CASES = {c.field: c for c in MUTATIONS}


def test_the_cases_cover_every_rpc_and_every_angka_kredit_field() -> None:
    called = {c.rpc for c in QUERIES + MUTATIONS} | {"BatchGetPak"}
    assert called | NOT_GRAPHQL == RPCS
    assert _graphql_names(AngkaKreditQuery) == {c.field for c in QUERIES} | SEEDED_QUERIES
    assert _graphql_names(AngkaKreditMutation) == set(CASES)


@pytest.mark.parametrize("case", QUERIES, ids=lambda c: c.field)
def test_every_query_sends_its_request_and_maps_the_answer(
    case: Case, kgql: Gql, fake_ak: FakeAngkaKredit, tenant: Tenant
) -> None:
    body = kgql(document("query", case.field, case.variables, depth=3), case.variables, token=tenant.admin)
    assert not body.get("errors"), body
    assert body["data"][case.field] is not None, body
    assert sent(fake_ak, case.rpc) == case.request


@pytest.mark.parametrize("case", MUTATIONS, ids=lambda c: c.field)
def test_every_mutation_sends_its_request_and_returns_its_payload(
    case: Case, kgql: Gql, fake_ak: FakeAngkaKredit, tenant: Tenant
) -> None:
    body = kgql(document("mutation", case.field, case.variables, depth=3), case.variables, token=tenant.admin)
    assert not body.get("errors"), body
    payload = body["data"][case.field]
    assert payload.pop("errors") == [], payload
    assert payload.pop("clientMutationId", None) is None
    assert all(value is not None for value in payload.values()), payload
    assert sent(fake_ak, case.rpc) == case.request


VIOLATIONS = [
    ("ajukanPak", "nomor_sk", "nomorSk"),
    ("ajukanPak", "tanggal_sk", "tanggalSk"),
    ("setujuiPak", "id", "id"),
    ("unggahSkPak", "berkas", "berkas"),
    ("kembalikanPakKeDraft", "alasan", "alasan"),
    ("catatIntegrasiAngkaKredit", "angka_kredit", "input.angkaKredit"),
    ("catatIntegrasiAngkaKredit", "dokumen_sumber", "input.dokumenSumber"),
    ("aturPengaturanPak", "format_nomor", "formatNomor"),
]


@pytest.mark.parametrize(("name", "path", "expected"), VIOLATIONS, ids=[f"{v[0]}-{v[1]}" for v in VIOLATIONS])
def test_service_violations_become_user_errors_on_the_arguments(
    name: str, path: str, expected: str, kgql: Gql, fake_ak: FakeAngkaKredit, tenant: Tenant
) -> None:
    case = CASES[name]
    fake_ak.fail[case.rpc] = InvalidArgument([FieldViolation(path, "INVALID", "Isian tidak valid.")])
    try:
        body = kgql(document("mutation", name, case.variables, depth=1), case.variables, token=tenant.admin)
    finally:
        fake_ak.fail.pop(case.rpc, None)
    assert not body.get("errors"), body
    payload = body["data"][name]
    assert payload.pop("errors") == [{"field": expected, "code": "INVALID", "message": "Isian tidak valid."}]
    assert all(value is None for value in payload.values()), payload


def test_workflow_refusals_keep_their_code_and_indonesian_message(
    kgql: Gql, fake_ak: FakeAngkaKredit, tenant: Tenant
) -> None:
    message = "PAK berstatus Draft: tindakan ini hanya untuk PAK Diajukan."
    fake_ak.fail["SetujuiPak"] = FailedPrecondition("STATUS_TIDAK_SESUAI", message)
    case = CASES["setujuiPak"]
    body = kgql(
        document("mutation", "setujuiPak", case.variables, depth=1), case.variables, token=tenant.admin
    )
    assert body["data"]["setujuiPak"] == {
        "pak": None,
        "errors": [{"field": None, "code": "STATUS_TIDAK_SESUAI", "message": message}],
        "clientMutationId": None,
    }


def test_the_worked_example_reads_exactly(kgql: Gql, tenant: Tenant) -> None:
    """7 / 12 × 150 % × 12.5 = 10.938, perolehan 10.9375 (175/16) against kebutuhan 50 and 100."""
    body = kgql(
        """query($id: ID!) { pak(id: $id) {
             id status sumber jenjang tmtJabatan tanggalSelesai skUrl
             perhitungan { predikat jumlahBulan uraianBulan persentase koefisien rumus aturanBerlakuSejak
                           angkaKredit { pecahan desimal tampil } }
             kenaikanPangkat { baru { desimal } kebutuhan { pecahan } terpenuhi kekurangan { desimal } uraian }
             kenaikanJenjang { kebutuhan { pecahan } kekurangan { desimal } }
             tandaTangan { cara } riwayat { aksi statusSesudah oleh { nama } }
           } }""",
        {"id": tenant.pak[0].id},
        token=tenant.pegawai,
    )
    assert not body.get("errors"), body
    pak = body["data"]["pak"]
    assert (pak["status"], pak["sumber"], pak["jenjang"]) == ("DRAFT", "KONVERSI", "Ahli Pertama")
    assert pak["tmtJabatan"] == "2024-06-01" and pak["tanggalSelesai"] == "2024-12-31"
    hitung = pak["perhitungan"]
    assert hitung["rumus"] == "7 / 12 × 150 % × 12.5 = 10.938"
    assert (hitung["predikat"], hitung["jumlahBulan"], hitung["persentase"], hitung["koefisien"]) == (
        "SANGAT_BAIK",
        7,
        "150",
        "12.5",
    )
    assert hitung["angkaKredit"] == {"pecahan": "175/16", "desimal": "10.9375", "tampil": "10.938"}
    assert pak["kenaikanPangkat"] == {
        "baru": {"desimal": "10.9375"},
        "kebutuhan": {"pecahan": "50"},
        "terpenuhi": False,
        "kekurangan": {"desimal": "39.0625"},
        "uraian": "10.9375 + 0 = 10.9375 dari kebutuhan 50 (kurang 39.0625)",
    }
    assert pak["kenaikanJenjang"] == {"kebutuhan": {"pecahan": "100"}, "kekurangan": {"desimal": "89.0625"}}
    assert pak["tandaTangan"] is None and pak["skUrl"] is None
    assert pak["riwayat"] == [{"aksi": "DIBUAT", "statusSesudah": "DRAFT", "oleh": None}]


def test_a_kebutuhan_the_jenjang_does_not_have_is_null(
    kgql: Gql, fake_ak: FakeAngkaKredit, tenant: Tenant
) -> None:
    utama = fake_ak.seed(
        tenant.instansi_id,
        jenjang="Ahli Utama",
        kenaikan_jenjang=angka_kredit_pb2.Kumulatif(uraian="Tidak ada kenaikan jenjang"),
    )
    # MergeFrom keeps the sample's kebutuhan: clear it as the service sends it (absent).
    utama.kenaikan_jenjang.ClearField("kebutuhan")
    utama.kenaikan_jenjang.ClearField("kekurangan")
    body = kgql(
        "query($id: ID!) { pak(id: $id) { kenaikanJenjang { kebutuhan { pecahan } kekurangan { pecahan } } } }",
        {"id": utama.id},
        token=tenant.admin,
    )
    assert body["data"]["pak"]["kenaikanJenjang"] == {"kebutuhan": None, "kekurangan": None}, body


def test_pak_is_one_batch_get_and_null_for_another_instansi(
    kgql: Gql, fake_ak: FakeAngkaKredit, tenant: Tenant, token_for: TokenFactory
) -> None:
    before = Counter(fake_ak.calls)
    body = kgql(
        "query($a: ID!, $b: ID!) { one: pak(id: $a) { id } two: pak(id: $b) { id } again: pak(id: $a) { id } }",
        {"a": tenant.pak[0].id, "b": tenant.pak[1].id},
        token=tenant.admin,
    )
    assert not body.get("errors"), body
    assert body["data"]["one"]["id"] == tenant.pak[0].id and body["data"]["two"]["id"] == tenant.pak[1].id
    assert delta(before, Counter(fake_ak.calls)) == {"BatchGetPak": 1}
    stranger = token_for(uuid.uuid4(), role="admin_instansi")
    query = "query($a: ID!) { pak(id: $a) { id } }"
    assert kgql(query, {"a": tenant.pak[0].id}, token=stranger)["data"] == {"pak": None}
    invalid = kgql(query, {"a": "bukan-id"}, token=tenant.admin)
    assert [f["code"] for f in invalid["errors"][0]["extensions"]["fields"]] == ["INVALID_ID"], invalid


def test_the_list_is_a_counted_connection_by_scope(
    kgql: Gql, fake_ak: FakeAngkaKredit, tenant: Tenant
) -> None:
    query = """query($s: PakScope!, $f: Int!, $a: String) { pakList(scope: $s, first: $f, after: $a) {
                 totalCount totalCountExact edges { cursor node { id pegawai { nama } } }
                 pageInfo { hasNextPage endCursor } } }"""
    first = kgql(query, {"s": "INSTANSI", "f": 2}, token=tenant.admin)["data"]["pakList"]
    assert first["totalCount"] == 3 and first["totalCountExact"] is True
    assert len(first["edges"]) == 2 and first["pageInfo"]["hasNextPage"] is True
    rest = kgql(query, {"s": "INSTANSI", "f": 2, "a": first["pageInfo"]["endCursor"]}, token=tenant.admin)
    ids = [e["node"]["id"] for e in first["edges"] + rest["data"]["pakList"]["edges"]]
    assert ids == [p.id for p in tenant.pak]
    own = kgql(query, {"s": "SAYA", "f": 10}, token=tenant.pegawai)["data"]["pakList"]
    assert [e["node"]["pegawai"]["nama"] for e in own["edges"]] == ["Saya Sendiri"]
    refused = kgql(query, {"s": "INSTANSI", "f": 10}, token=tenant.pegawai)
    assert error_codes(refused) == ["ADMIN_ONLY"]
    too_many = kgql(query, {"s": "SAYA", "f": 101}, token=tenant.pegawai)
    assert error_codes(too_many) == ["QUERY_TOO_COSTLY"] or error_codes(too_many) == ["INVALID_ARGUMENT"]


def test_a_page_of_pak_loads_their_penilaian_in_one_batch(
    kgql: Gql, fake_addrs: ServiceAddrs, tenant: Tenant
) -> None:
    body = kgql(
        "{ pakList(scope: INSTANSI, first: 3) { edges { node { id penilaian { id } } } } }",
        token=tenant.admin,
    )
    assert not body.get("errors"), body
    # The fake assessment knows none of them: null, from one BatchGetPenilaian (not one per row).
    assert [e["node"]["penilaian"] for e in body["data"]["pakList"]["edges"]] == [None, None, None]


def test_the_filter_ids_and_search_are_checked_at_the_edge(kgql: Gql, tenant: Tenant) -> None:
    query = "query($f: PakFilter) { pakList(scope: INSTANSI, filter: $f) { totalCount } }"
    bad_id = kgql(query, {"f": {"pegawaiId": "bukan-id"}}, token=tenant.admin)
    assert bad_id["errors"][0]["extensions"]["fields"][0]["field"] == "filter.pegawaiId"
    bad_query = kgql(query, {"f": {"query": "x" * 101}}, token=tenant.admin)
    assert [f["code"] for f in bad_query["errors"][0]["extensions"]["fields"]] == ["TOO_LONG"], bad_query


UNGGAH = """mutation($id: ID!, $b: String!) { unggahSkPak(id: $id, berkas: $b, namaBerkas: "SK.pdf") {
              pak { id } errors { field code message } } }"""


def test_an_sk_too_large_is_refused_on_its_base64_text_before_decoding(
    kgql: Gql, fake_ak: FakeAngkaKredit, tenant: Tenant
) -> None:
    before = Counter(fake_ak.calls)
    # Not base64 at all, but longer than any 1 MB file's base64: refused by its length, never decoded.
    body = kgql(UNGGAH, {"id": PAK, "b": "!" * (SK_MAX_BASE64 + 1)}, token=tenant.admin)
    assert body["data"]["unggahSkPak"]["errors"] == [
        {"field": "berkas", "code": "BERKAS_TERLALU_BESAR", "message": "Ukuran berkas paling besar 1 MB."}
    ]
    # At most the base64 length, but decoding to a byte or two more than 1 MB.
    over = base64.b64encode(b"%PDF-" + b"0" * (SK_MAX_BYTES - 4)).decode()
    assert len(over) <= SK_MAX_BASE64
    body = kgql(UNGGAH, {"id": PAK, "b": over}, token=tenant.admin)
    assert [e["code"] for e in body["data"]["unggahSkPak"]["errors"]] == ["BERKAS_TERLALU_BESAR"]
    body = kgql(UNGGAH, {"id": PAK, "b": "bukan base64!"}, token=tenant.admin)
    assert [e["code"] for e in body["data"]["unggahSkPak"]["errors"]] == ["BERKAS_BUKAN_BASE64"]
    assert delta(before, Counter(fake_ak.calls)) == {}


def test_an_sk_of_exactly_1_mb_passes_the_edge(kgql: Gql, fake_ak: FakeAngkaKredit, tenant: Tenant) -> None:
    content = b"%PDF-" + b"0" * (SK_MAX_BYTES - 12) + b"\n%%EOF\n"
    assert len(content) == SK_MAX_BYTES
    body = kgql(UNGGAH, {"id": PAK, "b": base64.b64encode(content).decode()}, token=tenant.admin)
    assert body["data"]["unggahSkPak"]["errors"] == [], body
    assert fake_ak.requests["UnggahSkPak"].berkas == content


def test_admin_only_mutations_refuse_a_pegawai(kgql: Gql, tenant: Tenant) -> None:
    for name in ("unggahSkPak", "kembalikanPakKeDraft", "catatIntegrasiAngkaKredit", "aturPengaturanPak"):
        case = CASES[name]
        body = kgql(document("mutation", name, case.variables, depth=1), case.variables, token=tenant.pegawai)
        assert error_codes(body) == ["ADMIN_ONLY"], (name, body)


INTEGRASI_REFUSED = [
    ({"angkaKredit": ""}, "input.angkaKredit", "REQUIRED"),
    ({"angkaKredit": "0"}, "input.angkaKredit", "TOO_SMALL"),
    ({"angkaKredit": "-5"}, "input.angkaKredit", "INVALID_NUMBER"),
    ({"angkaKredit": "12,34567"}, "input.angkaKredit", "TOO_PRECISE"),
    ({"angkaKredit": "12345"}, "input.angkaKredit", "TOO_LARGE"),
    ({"angkaKredit": "1.250"}, "input.angkaKredit", "AMBIGUOUS_NUMBER"),
    ({"tahun": 1999}, "input.tahun", "INVALID_YEAR"),
    ({"dokumenSumber": "  "}, "input.dokumenSumber", "REQUIRED"),
    ({"dokumenSumber": "x" * 201}, "input.dokumenSumber", "TOO_LONG"),
    ({"keterangan": "x" * 501}, "input.keterangan", "TOO_LONG"),
    ({"pegawaiId": "bukan-id"}, "input.pegawaiId", "INVALID_ID"),
]


@pytest.mark.parametrize(
    ("change", "path", "code"), INTEGRASI_REFUSED, ids=[r[2] + r[1] for r in INTEGRASI_REFUSED]
)
def test_an_integrasi_is_checked_at_the_edge_by_the_kit_rules(
    change: dict[str, Any], path: str, code: str, kgql: Gql, fake_ak: FakeAngkaKredit, tenant: Tenant
) -> None:
    variables = {"input": {**INTEGRASI, **change}}
    before = Counter(fake_ak.calls)
    body = kgql(
        document("mutation", "catatIntegrasiAngkaKredit", variables, depth=1), variables, token=tenant.admin
    )
    errors = body["data"]["catatIntegrasiAngkaKredit"]["errors"]
    assert [(e["field"], e["code"]) for e in errors] == [(path, code)], body
    assert errors[0]["message"] and errors[0]["message"][0].isupper()
    assert delta(before, Counter(fake_ak.calls)) == {}


def test_an_integrasi_sends_its_client_mutation_id_and_echoes_it(kgql: Gql, tenant: Tenant) -> None:
    variables = {"input": INTEGRASI, "clientMutationId": "integrasi-1"}
    body = kgql(
        document("mutation", "catatIntegrasiAngkaKredit", variables, depth=1), variables, token=tenant.admin
    )
    assert body["data"]["catatIntegrasiAngkaKredit"]["clientMutationId"] == "integrasi-1", body
    assert body["data"]["catatIntegrasiAngkaKredit"]["errors"] == []


def test_the_sk_pdf_is_downloaded_over_rest(
    ak_client: TestClient, fake_ak: FakeAngkaKredit, tenant: Tenant
) -> None:
    response = ak_client.get(f"/api/v1/pak/{PAK}/sk", headers={"Authorization": f"Bearer {tenant.admin}"})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert "SK%20PAK.pdf" in response.headers["content-disposition"]
    assert sent(fake_ak, "GetSkPak") == {"id": PAK}
    fake_ak.fail["GetSkPak"] = FailedPrecondition("SK_BELUM_DIUNGGAH", "SK PAK ini belum diunggah.")
    missing = ak_client.get(f"/api/v1/pak/{PAK}/sk", headers={"Authorization": f"Bearer {tenant.admin}"})
    assert missing.status_code == 409 and missing.json()["code"] == "SK_BELUM_DIUNGGAH"
    assert ak_client.get(f"/api/v1/pak/{PAK}/sk").status_code == 401
    assert (
        ak_client.get(
            "/api/v1/pak/bukan-id/sk", headers={"Authorization": f"Bearer {tenant.admin}"}
        ).status_code
        == 400
    )


def test_a_signed_pak_links_its_sk(kgql: Gql, fake_ak: FakeAngkaKredit, tenant: Tenant) -> None:
    signed = fake_ak.seed(
        tenant.instansi_id,
        status=angka_kredit_pb2.STATUS_PAK_DITANDATANGANI,
        tanda_tangan=angka_kredit_pb2.TandaTangan(
            cara=angka_kredit_pb2.CARA_TANDA_TANGAN_BASAH, sha256="ab" * 32, nama_berkas="SK.pdf", ukuran=1234
        ),
    )
    body = kgql(
        "query($id: ID!) { pak(id: $id) { status skUrl tandaTangan { cara namaBerkas ukuran } } }",
        {"id": signed.id},
        token=tenant.admin,
    )
    assert body["data"]["pak"] == {
        "status": "DITANDATANGANI",
        "skUrl": f"/api/v1/pak/{signed.id}/sk",
        "tandaTangan": {"cara": "BASAH", "namaBerkas": "SK.pdf", "ukuran": 1234},
    }


def test_an_upload_without_file_or_name_is_refused_at_the_edge(
    kgql: Gql, fake_ak: FakeAngkaKredit, tenant: Tenant
) -> None:
    document = """mutation($id: ID!, $b: String!, $n: String!) {
                    unggahSkPak(id: $id, berkas: $b, namaBerkas: $n) { errors { field code } } }"""
    before = Counter(fake_ak.calls)
    body = kgql(document, {"id": PAK, "b": "", "n": " "}, token=tenant.admin)
    assert body["data"]["unggahSkPak"]["errors"] == [
        {"field": "namaBerkas", "code": "REQUIRED"},
        {"field": "berkas", "code": "REQUIRED"},
    ], body
    assert delta(before, Counter(fake_ak.calls)) == {}
