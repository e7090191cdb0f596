"""A token of instansi A reads and changes nothing of instansi B through ANY GraphQL field.

The fields are taken from the schema itself, so a new query or mutation cannot be forgotten: a query
argument or a mutation without an entry below fails the test until one is written. The SKP fields
(SKP_QUERY_FIELDS, SKP_MUTATION_FIELDS) are aimed at a second pair of instansi holding SKP planning data
built through GraphQL over the real skp service (gateway_e2e.build_skp_data): periode, a perjanjian
kinerja, SKPs in draft, submitted and approved, RHK, indikator, a rencana aksi, a matriks peran hasil
with an anggota and a kinerja harian entry.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable
from typing import Any

import pytest
from graphql import (
    GraphQLField,
    GraphQLNamedType,
    GraphQLObjectType,
    GraphQLOutputType,
    get_named_type,
    is_leaf_type,
    is_non_null_type,
)
from graphql.pyutils import Undefined

from gateway.api.angka_kredit.mutations import AngkaKreditMutation
from gateway.api.angka_kredit.queries import AngkaKreditQuery
from gateway.api.assessment.mutations import AssessmentMutation
from gateway.api.assessment.queries import AssessmentQuery
from gateway.api.schema import schema
from gateway.api.skp.mutations import SkpMutation
from gateway.api.skp.queries import SkpQuery
from kinerja_testing.gateway import Gql, error_codes
from kinerja_testing.gateway_e2e import Tenant, build_skp_data, build_tenant, give_logins, snapshot

GRAPHQL = schema._schema


def _graphql_names(kind: type) -> set[str]:
    definition = kind.__strawberry_definition__  # type: ignore[attr-defined]
    return {schema.config.name_converter.get_graphql_name(f) for f in definition.fields}


ASSESSMENT_QUERY_FIELDS = _graphql_names(AssessmentQuery) | _graphql_names(AngkaKreditQuery)
ASSESSMENT_MUTATION_FIELDS = _graphql_names(AssessmentMutation) | _graphql_names(AngkaKreditMutation)
# The assessment fields are aimed at assessment data in test_gateway_assessment_isolation.py, the angka
# kredit fields at PAK in test_gateway_angka_kredit_isolation.py.
QUERY_FIELDS = sorted(set(GRAPHQL.query_type.fields) - ASSESSMENT_QUERY_FIELDS)  # type: ignore[union-attr]
MUTATION_FIELDS = sorted(set(GRAPHQL.mutation_type.fields) - ASSESSMENT_MUTATION_FIELDS)  # type: ignore[union-attr]

# Ending a session by a refresh token someone does not hold is harmless and may succeed.
NOT_AIMED = {"logout"}

REFUSALS = {"INSTANSI_FORBIDDEN", "ADMIN_ONLY", "ADMIN_BKN_ONLY"}

# Every field served by the skp service: aimed at the `skp_tenants` pair.
SKP_QUERY_FIELDS = {
    "kinerjaHarian",
    "matriksPeranHasil",
    "matriksPeranHasilList",
    "peranDitugaskan",
    "perilakuKerja",
    "periodeList",
    "perjanjianKinerja",
    "perjanjianKinerjaList",
    "rekapKinerjaBulanan",
    "kesiapanPenilaian",
    "rhkAtasan",
    "skp",
    "skpList",
}
SKP_MUTATION_FIELDS = {
    "addIndikator",
    "addKinerjaHarian",
    "addMphAnggota",
    "addRencanaAksi",
    "addRhk",
    "addSasaranStrategis",
    "approveSkp",
    "copyPeranToSkp",
    "copySasaranToSkp",
    "createPerjanjianKinerja",
    "createPeriode",
    "createPeriodeSet",
    "createSkp",
    "deleteIndikator",
    "deleteKinerjaHarian",
    "deletePeriode",
    "deleteRencanaAksi",
    "deleteRhk",
    "deleteSasaranStrategis",
    "deleteSkp",
    "refreshSkpSnapshot",
    "removeMphAnggota",
    "resetSkp",
    "returnSkp",
    "setEkspektasi",
    "setLampiran",
    "setManualIndikator",
    "setMphKolom",
    "setPenilaiPerilaku",
    "setTargetBulanan",
    "submitSkp",
    "updateIndikator",
    "updateKinerjaHarian",
    "updateMphAnggota",
    "updatePeriode",
    "updateRencanaAksi",
    "updateRhk",
    "updateSasaranStrategis",
    "updateSkp",
}

# Which record an `id` argument of a query field names.
ID_OF_QUERY = {
    "pegawai": lambda t: t.head["id"],
    "unor": lambda t: t.unor_ids[0],
    "instansi": lambda t: t.instansi_id,
    "account": lambda t: t.head_account_id,
}


# Mutations that take no id of another instansi's record (they act on the caller's own instansi, or
# create the caller's own record): their one way at another instansi is naming it with `instansiId`.
ONLY_BY_INSTANSI_ID = {"createPeriode", "createPeriodeSet", "createPerjanjianKinerja"}


@pytest.fixture(scope="module")
def skp_tenants(e2e_gql: Gql, bkn_token: str) -> tuple[Tenant, Tenant]:
    """Two more instansi like `tenants`, each with SKP planning data of this year (build_skp_data).

    Not the session's `tenants`: test_gateway_e2e sets instansi A's quarterly periode itself and counts
    its SKPs, which SKP data built here would disturb.
    """
    a, b = build_tenant(e2e_gql, bkn_token), build_tenant(e2e_gql, bkn_token)
    for tenant in (a, b):
        give_logins(e2e_gql, bkn_token, tenant)
        build_skp_data(e2e_gql, bkn_token, tenant)
    return a, b


def skp_query_arguments(name: str, target: Tenant) -> dict[str, Any]:
    """Every argument of an SKP query aimed at `target`'s records (instansiId and after left out)."""
    ids = target.skp
    values: dict[str, dict[str, Any]] = {
        "kinerjaHarian": {"skpId": ids["skp_head"], "bulan": datetime.date.today().month},
        "matriksPeranHasil": {"skpId": ids["skp_jpt"], "rhkId": ids["rhk_jpt"]},
        "matriksPeranHasilList": {"unorId": target.unor_ids[0], "tahun": target.tahun, "first": 10},
        # the caller's own peran: no id of anyone to aim with, only instansiId
        "peranDitugaskan": {"tahun": target.tahun},
        "perilakuKerja": {},
        "periodeList": {},
        "perjanjianKinerja": {"id": ids["pk"]},
        "perjanjianKinerjaList": {"pegawaiId": target.jpt["id"], "tahun": target.tahun},
        "rekapKinerjaBulanan": {"skpId": ids["skp_head"]},
        "kesiapanPenilaian": {"skpId": ids["skp_head"], "periodeId": ids["periode"]},
        "rhkAtasan": {"skpId": ids["skp_head"]},
        "skp": {"id": ids["skp_head"]},
        "skpList": {
            "scope": "INSTANSI",
            "filter": {
                "tahun": target.tahun,
                "periodeId": ids["periode"],
                "query": target.tag,
                "unorId": target.unor_ids[1],
            },
            "first": 10,
        },
    }
    return values[name]


def query_argument(field: str, arg: str, target: Tenant) -> Any:
    """The value aiming a query argument at `target`'s data (Undefined: leave the argument out)."""
    values: dict[str, Callable[[Tenant], Any]] = {
        "pegawaiId": lambda t: t.staff[0]["id"],  # the one holding a PLT
        "unorId": lambda t: t.unor_ids[2],
        "rootId": lambda t: t.unor_ids[1],
        "parentId": lambda t: t.unor_ids[0],
        "depth": lambda t: 2,
        "nip": lambda t: t.head["nip"],
        "query": lambda t: t.tag,
        "filter": lambda t: {"query": t.tag},
        "first": lambda t: 10,
        "onlyActive": lambda t: False,
        "asOf": lambda t: str(datetime.date.today()),
    }
    if arg == "id":
        return ID_OF_QUERY[field](target)
    if arg in ("after", "instansiId"):
        return Undefined
    return values[arg](target)


def mutation_arguments(target: Tenant, own: Tenant) -> dict[str, dict[str, Any]]:
    """For every mutation, arguments aiming it at `target` (otherwise valid, so the service gets that far)."""
    unor = {"nama": f"Unor Baru {own.tag}", "jenis": "PENGAWAS", "parentId": target.unor_ids[1]}
    pegawai = {
        "nip": "198701012010011001",
        "nama": f"Pegawai Baru {own.tag}",
        "unorId": target.unor_ids[1],
        "jabatan": {"nama": "Pengelola Umum", "jenis": "PELAKSANA"},
        "golongan": "II/a",
    }
    plt = {
        "pegawaiId": target.staff[1]["id"],
        "unorId": target.unor_ids[2],
        "jabatan": "Plh. Kepala",
        "jenis": "PLH",
        "tanggalMulai": str(datetime.date.today()),
        "tanggalSelesai": str(datetime.date.today() + datetime.timedelta(days=7)),
    }
    return {
        "login": {"username": target.staff[1]["nip"], "password": "bukan-sandinya"},
        "refreshToken": {"refreshToken": target.admin_refresh_token[::-1]},
        "logout": {"refreshToken": target.admin_refresh_token[::-1]},
        "changePassword": {"oldPassword": "bukan-sandinya", "newPassword": "SandiBaru2026"},
        "resetPassword": {"accountId": target.staff_account_id, "newPassword": "SandiBaru2026"},
        "setRoles": {"accountId": target.staff_account_id, "roles": ["PEGAWAI", "ADMIN_INSTANSI"]},
        "createInstansi": {
            "input": {"kode": f"X-{own.tag.upper()}", "nama": "Instansi Palsu", "jenis": "DAERAH"}
        },
        "createUnor": {"input": unor},
        "updateUnor": {
            "id": target.unor_ids[2],
            "input": {**unor, "nama": "Diubah", "parentId": target.unor_ids[1]},
        },
        "deleteUnor": {"id": target.unor_ids[2]},
        "createPegawai": {"input": pegawai},
        "updatePegawai": {"id": target.staff[1]["id"], "input": {**pegawai, "nip": target.staff[1]["nip"]}},
        "removePegawai": {"id": target.staff[2]["id"]},
        "addJptNonAsn": {
            "input": {
                "nik": "3316010101800001",
                "nama": "Bupati",
                "unorId": target.unor_ids[0],
                "jabatan": "Bupati",
            }
        },
        "createPlt": {"input": plt},
        "updatePlt": {"id": target.plt_id, "input": {**plt, "pegawaiId": target.staff[0]["id"]}},
        "deletePlt": {"id": target.plt_id},
        "setProfileRelations": {
            "pegawaiId": target.staff[1]["id"],
            "input": {"atasanLangsungId": target.head["id"]},
        },
    }


def selection(type_: GraphQLOutputType | GraphQLNamedType, depth: int) -> str:
    """Every field reachable without required arguments, `depth` object levels down."""
    named = get_named_type(type_)
    assert isinstance(named, GraphQLObjectType)
    parts = []
    for name, field in named.fields.items():
        if _required_args(field):
            continue
        inner = get_named_type(field.type)
        if is_leaf_type(inner):
            parts.append(name)
        elif depth > 0:
            parts.append(f"{name} {{ {selection(field.type, depth - 1)} }}")
    return " ".join(parts)


def _required_args(field: GraphQLField) -> list[str]:
    return [n for n, a in field.args.items() if is_non_null_type(a.type) and a.default_value is Undefined]


def document(operation: str, name: str, field: GraphQLField, variables: dict[str, Any], depth: int) -> str:
    declared = ", ".join(f"${n}: {field.args[n].type}" for n in variables)
    passed = ", ".join(f"{n}: ${n}" for n in variables)
    head = f"{operation}({declared})" if declared else operation
    call = f"{name}({passed})" if passed else name
    inner = get_named_type(field.type)
    body = f" {{ {selection(field.type, depth)} }}" if not is_leaf_type(inner) else ""
    return f"{head} {{ {call}{body} }}"


def query_variables(name: str, field: GraphQLField, target: Tenant) -> dict[str, Any]:
    if name in SKP_QUERY_FIELDS:
        variables = skp_query_arguments(name, target)
        unaimed = set(field.args) - set(variables) - {"after", "instansiId"}
        assert not unaimed, f"query {name}: say how to aim {unaimed} at another instansi"
        return variables
    variables = {}
    for arg in field.args:
        value = query_argument(name, arg, target)
        if value is not Undefined:
            variables[arg] = value
    missing = [a for a in _required_args(field) if a not in variables]
    assert not missing, f"query {name}: say how to aim {missing} at another instansi"
    return variables


def leaked(body: dict[str, Any], target: Tenant, sent: dict[str, Any]) -> set[str]:
    """Markers of `target` in a response that the caller did not send themself."""
    text = json.dumps(body)
    sent_text = json.dumps(sent)
    return {m for m in target.markers() if m in text and m not in sent_text}


def test_the_skp_lists_name_exactly_the_skp_fields() -> None:
    """Only the skp service's fields may wait for it, and none of them is forgotten."""
    assert _graphql_names(SkpQuery) == SKP_QUERY_FIELDS
    assert _graphql_names(SkpMutation) == SKP_MUTATION_FIELDS
    assert not SKP_QUERY_FIELDS - set(QUERY_FIELDS)
    assert not SKP_MUTATION_FIELDS - set(MUTATION_FIELDS)


@pytest.mark.parametrize("name", QUERY_FIELDS)
def test_every_query_field_shows_nothing_of_another_instansi(
    name: str, e2e_gql: Gql, request: pytest.FixtureRequest
) -> None:
    a, b = request.getfixturevalue("skp_tenants" if name in SKP_QUERY_FIELDS else "tenants")
    field = GRAPHQL.query_type.fields[name]  # type: ignore[union-attr]
    depth = 3
    # Control: aimed at A's own data, the same generated query works for A's admin.
    own = query_variables(name, field, a)
    control = e2e_gql(document("query", name, field, own, depth), own, token=a.admin_token)
    if name == "instansiList":
        assert error_codes(control) == ["ADMIN_BKN_ONLY"]
    else:
        assert not control.get("errors"), control
        assert control["data"][name] not in (None, []), control

    for token in (a.admin_token, a.pegawai_token, *([a.jpt_token] if a.jpt_token else [])):
        # B's ids, names and NIPs, within A's own scope.
        aimed = query_variables(name, field, b)
        body = e2e_gql(document("query", name, field, aimed, depth), aimed, token=token)
        assert "INTERNAL" not in error_codes(body), body
        assert not leaked(body, b, aimed), (name, body)
        # And naming B's instansi explicitly.
        if "instansiId" in field.args:
            named = {**aimed, "instansiId": b.instansi_id}
            body = e2e_gql(document("query", name, field, named, depth), named, token=token)
            assert error_codes(body) and set(error_codes(body)) <= REFUSALS, body
            assert not leaked(body, b, named), (name, body)


def test_every_mutation_changes_and_shows_nothing_of_another_instansi(
    e2e_gql: Gql, bkn_token: str, tenants: tuple[Tenant, Tenant]
) -> None:
    a, b = tenants
    before = snapshot(e2e_gql, bkn_token, b)
    table = mutation_arguments(b, a)
    assert sorted(table.keys() | SKP_MUTATION_FIELDS) == MUTATION_FIELDS, (
        "say how to aim every mutation at another instansi"
    )
    for token in (a.admin_token, a.pegawai_token):
        for name in sorted(table):
            field = GRAPHQL.mutation_type.fields[name]  # type: ignore[union-attr]
            attempts = [table[name]]
            if "instansiId" in field.args:
                attempts.append({**table[name], "instansiId": b.instansi_id})
            for variables in attempts:
                body = e2e_gql(document("mutation", name, field, variables, 1), variables, token=token)
                assert "INTERNAL" not in error_codes(body), (name, body)
                result = (body.get("data") or {}).get(name)
                if result is not None and name not in NOT_AIMED:
                    assert result["errors"], (name, variables, body)
                    if "instansiId" in variables:
                        assert [e["code"] for e in result["errors"]] == ["INSTANSI_FORBIDDEN"], body
                assert not leaked(body, b, variables), (name, body)
    assert snapshot(e2e_gql, bkn_token, b) == before


def skp_mutation_arguments(target: Tenant, own: Tenant) -> dict[str, dict[str, Any]]:
    """For every SKP mutation, arguments aiming it at `target`'s records: mostly its containers, and
    where a mutation also names another record (an atasan RHK, a periode, a matriks, a NIP, an
    indikator), the caller's own SKP with `target`'s record in that argument."""
    theirs, mine = target.skp, own.skp
    year = target.tahun
    periode = {
        "nama": f"Periode {own.tag}",
        "mulai": "01-01",
        "selesai": "03-31",
        "batasPengisian": "04-10",
        "jenis": "BIASA",
    }
    sasaran = {
        "teks": f"Sasaran {own.tag}",
        "indikator": [{"teks": "Indeks", "target": "1", "satuan": "Indeks"}],
    }
    jpt_indikator = {
        "teks": f"Indikator {own.tag}",
        "perspektif": "PROSES_BISNIS",
        "target": {"min": "1", "satuan": "Dokumen"},
    }
    rencana = {"teks": f"Rencana {own.tag}", "target": "1", "satuan": "Dokumen"}
    harian = {"tanggal": str(datetime.date.today()), "uraian": f"Uraian {own.tag}", "realisasi": "1"}
    anggota = {
        "nip": target.staff[2]["nip"],
        "peranTim": "ANGGOTA",
        "peran": [{"kolomId": theirs["kolom"], "peran": f"Peran {own.tag}"}],
    }
    skp_dates = {
        "tanggalMulai": f"{year}-02-01",
        "tanggalSelesai": f"{year}-11-30",
        "pendekatan": "KUALITATIF",
    }
    return {
        "createPeriode": {"input": periode},
        "createPeriodeSet": {"pola": "BULANAN"},
        "createPerjanjianKinerja": {"tahun": year},
        "updatePeriode": {"id": theirs["periode"], "input": periode},
        "deletePeriode": {"id": theirs["periode"]},
        "addSasaranStrategis": {"perjanjianKinerjaId": theirs["pk"], "input": sasaran},
        "updateSasaranStrategis": {
            "perjanjianKinerjaId": theirs["pk"],
            "sasaranId": theirs["sasaran"],
            "input": sasaran,
        },
        "deleteSasaranStrategis": {"perjanjianKinerjaId": theirs["pk"], "sasaranId": theirs["sasaran"]},
        "createSkp": {**skp_dates, "pendekatan": "KUANTITATIF", "pltId": target.plt_id},
        "updateSkp": {"id": theirs["skp_draft"], **skp_dates},
        "deleteSkp": {"id": theirs["skp_draft"]},
        "refreshSkpSnapshot": {"id": theirs["skp_jpt"]},
        "addRhk": {
            "skpId": mine["skp_draft"],
            "input": {"jenis": "UTAMA", "teks": f"RHK {own.tag}", "atasanRhkId": theirs["rhk_head"]},
        },
        "updateRhk": {
            "skpId": theirs["skp_jpt"],
            "rhkId": theirs["rhk_jpt"],
            "input": {"jenis": "UTAMA", "teks": f"RHK {own.tag}"},
        },
        "deleteRhk": {"skpId": theirs["skp_draft"], "rhkId": theirs["rhk_draft"]},
        "copySasaranToSkp": {"skpId": mine["skp_jpt"], "sasaranId": theirs["sasaran"]},
        "copyPeranToSkp": {"skpId": mine["skp_draft"], "mphId": theirs["mph"], "kolomId": theirs["kolom"]},
        "addIndikator": {"skpId": theirs["skp_jpt"], "rhkId": theirs["rhk_jpt"], "input": jpt_indikator},
        "updateIndikator": {
            "skpId": theirs["skp_jpt"],
            "indikatorId": theirs["indikator_jpt"],
            "input": jpt_indikator,
        },
        "deleteIndikator": {"skpId": theirs["skp_jpt"], "indikatorId": theirs["indikator_jpt"]},
        "setManualIndikator": {
            "skpId": theirs["skp_jpt"],
            "indikatorId": theirs["indikator_jpt"],
            "input": {"definisi": f"Definisi {own.tag}"},
        },
        "setPenilaiPerilaku": {
            "skpId": mine["skp_draft"],
            "nilai": "AKUNTABEL",
            "penilaiJenis": "REKAN_KERJA",
            "penilaiPegawaiId": target.staff[1]["id"],
        },
        "setLampiran": {"skpId": theirs["skp_draft"], "input": {"konsekuensi": [f"Konsekuensi {own.tag}"]}},
        "setEkspektasi": {"skpId": theirs["skp_diajukan"], "nilai": "AKUNTABEL", "ekspektasi": own.tag},
        "submitSkp": {"id": theirs["skp_draft"]},
        "approveSkp": {"id": theirs["skp_diajukan"]},
        "returnSkp": {"id": theirs["skp_diajukan"], "alasan": f"Alasan {own.tag}"},
        "resetSkp": {"id": theirs["skp_head"], "alasan": f"Alasan {own.tag}"},
        "addRencanaAksi": {
            "skpId": mine["skp_draft"],
            "input": {**rencana, "rhkId": mine["rhk_draft"], "periodeId": theirs["periode"]},
        },
        "updateRencanaAksi": {
            "skpId": theirs["skp_head"],
            "rencanaAksiId": theirs["rencana_aksi"],
            "input": {**rencana, "rhkId": theirs["rhk_head"], "periodeId": theirs["periode"]},
        },
        "deleteRencanaAksi": {"skpId": theirs["skp_head"], "rencanaAksiId": theirs["rencana_aksi"]},
        "setTargetBulanan": {
            "skpId": theirs["skp_head"],
            "indikatorId": theirs["indikator_head"],
            "target": ["1"] * 12,
        },
        "setMphKolom": {
            "skpId": theirs["skp_jpt"],
            "rhkId": theirs["rhk_jpt"],
            "kolom": [{"id": theirs["kolom"], "nama": f"Kolom {own.tag}"}],
        },
        "addMphAnggota": {"skpId": mine["skp_head"], "rhkId": mine["rhk_head"], "input": anggota},
        "updateMphAnggota": {
            "skpId": theirs["skp_jpt"],
            "rhkId": theirs["rhk_jpt"],
            "anggotaId": theirs["anggota"],
            "input": {**anggota, "nip": target.head["nip"]},
        },
        "removeMphAnggota": {
            "skpId": theirs["skp_jpt"],
            "rhkId": theirs["rhk_jpt"],
            "anggotaId": theirs["anggota"],
        },
        "addKinerjaHarian": {
            "skpId": mine["skp_head"],
            "input": {**harian, "indikatorId": theirs["indikator_head"]},
        },
        "updateKinerjaHarian": {
            "id": theirs["kinerja_harian"],
            "input": {**harian, "indikatorId": theirs["indikator_head"]},
        },
        "deleteKinerjaHarian": {"id": theirs["kinerja_harian"]},
    }


def test_every_skp_mutation_changes_and_shows_nothing_of_another_instansi(
    e2e_gql: Gql, bkn_token: str, skp_tenants: tuple[Tenant, Tenant]
) -> None:
    a, b = skp_tenants
    before = snapshot(e2e_gql, bkn_token, b)
    assert before["skp"]["skpList"]["totalCount"] == 4 and before["skp"]["kinerjaHarian"], before
    table = skp_mutation_arguments(b, a)
    assert set(table) == SKP_MUTATION_FIELDS, "say how to aim every SKP mutation at another instansi"
    for token in (a.admin_token, a.pegawai_token, a.jpt_token):
        for name in sorted(table):
            field = GRAPHQL.mutation_type.fields[name]  # type: ignore[union-attr]
            attempts = [] if name in ONLY_BY_INSTANSI_ID else [table[name]]
            attempts.append({**table[name], "instansiId": b.instansi_id})
            for variables in attempts:
                body = e2e_gql(document("mutation", name, field, variables, 1), variables, token=token)
                assert "INTERNAL" not in error_codes(body), (name, body)
                result = (body.get("data") or {}).get(name)
                if result is not None:
                    assert result["errors"], (name, variables, body)
                    if "instansiId" in variables:
                        assert [e["code"] for e in result["errors"]] == ["INSTANSI_FORBIDDEN"], body
                else:
                    assert set(error_codes(body)) <= REFUSALS, (name, body)
                assert not leaked(body, b, variables), (name, body)
    assert snapshot(e2e_gql, bkn_token, b) == before
