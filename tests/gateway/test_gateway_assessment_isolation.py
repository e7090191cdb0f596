"""A token of instansi A reads and changes nothing of instansi B through any assessment field.

The fields are taken from the schema (every field of AssessmentQuery and AssessmentMutation), so a new
one without an entry below fails. Both instansi are quarters built through GraphQL over the real
services (kinerja_testing.assessment.build_quarter); B also holds assessment records of every kind
(build_assessment_data): rated penilaian with realisasi and feedback, a capaian, a keberatan and an
extension. Each field is aimed with A's admin, A's atasan and A's pegawai at B's records (ids, names,
NIPs), and again naming B's instansi; nothing of B may show, and B's assessment data stays as it was.
test_gateway_isolation.py leaves these fields to this module.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from graphql import GraphQLObjectType, get_named_type, is_leaf_type, is_non_null_type
from graphql.pyutils import Undefined

from gateway.api.assessment.mutations import AssessmentMutation
from gateway.api.assessment.queries import AssessmentQuery
from gateway.api.schema import schema
from kinerja_testing.assessment import Quarter, build_assessment_data, build_quarter
from kinerja_testing.gateway import Gql, error_codes

pytestmark = pytest.mark.integration

GRAPHQL = schema._schema
REFUSALS = {"INSTANSI_FORBIDDEN", "ADMIN_ONLY", "ADMIN_BKN_ONLY"}


def graphql_names(kind: type) -> set[str]:
    definition = kind.__strawberry_definition__  # type: ignore[attr-defined]
    return {schema.config.name_converter.get_graphql_name(f) for f in definition.fields}


ASSESSMENT_QUERY_FIELDS = graphql_names(AssessmentQuery)
ASSESSMENT_MUTATION_FIELDS = graphql_names(AssessmentMutation)


@pytest.fixture(scope="module")
def quarters(e2e_gql: Gql, bkn_token: str) -> tuple[Quarter, Quarter]:
    a, b = build_quarter(e2e_gql, bkn_token), build_quarter(e2e_gql, bkn_token)
    build_assessment_data(e2e_gql, a)
    build_assessment_data(e2e_gql, b)
    return a, b


def query_arguments(name: str, t: Quarter) -> dict[str, Any]:
    """Every argument of an assessment query aimed at `t`'s records (instansiId and after left out)."""
    unit = {"unorId": t.unor["sekretariat"], "periodeId": t.periode, "tahun": t.tahun}
    values: dict[str, dict[str, Any]] = {
        "penilaian": {"id": t.skp["penilaian_analis"]},
        "penilaianList": {
            "scope": "INSTANSI",
            "tahun": t.tahun,
            "periodeId": t.periode,
            "skpId": t.skp["analis"],
            "status": "DINILAI",
            "unitKerjaId": t.unor["sekretariat"],
            "first": 10,
        },
        "inbox": {"periodeId": t.periode, "jenis": "NILAI_BAWAHAN", "first": 10},
        "capaianList": {"tahun": t.tahun, "periodeId": t.periode, "query": t.tag, "first": 10},
        "polaDistribusi": unit,
        "kalibrasi": {**unit, "predikat": "BAIK", "first": 10},
        "keberatan": {"id": t.skp["keberatan"]},
        "keberatanList": {
            "scope": "INSTANSI",
            "tahun": t.tahun,
            "status": "DIAJUKAN",
            "query": t.tag,
            "first": 10,
        },
        "perpanjanganBatasList": {"periodeId": t.periode, "tahun": t.tahun, "first": 10},
    }
    return values[name]


def mutation_arguments(t: Quarter, own: Quarter) -> dict[str, dict[str, Any]]:
    """For every assessment mutation, otherwise valid arguments aiming it at `t`'s records (where it
    also names a record of its own, the caller's: `own`)."""
    penilaian = t.skp["penilaian_analis"]
    return {
        "openPenilaian": {"skpId": t.skp["kasubag"], "periodeId": t.periode},
        "setRealisasi": {
            "penilaianId": penilaian,
            "indikatorId": t.indikator["analis"][0],
            "input": {"nilai": "99", "keterangan": own.tag},
        },
        "setFeedbackPerilaku": {"penilaianId": penilaian, "nilai": "KOLABORATIF", "feedback": own.tag},
        "setUmpanBalik": {"penilaianId": penilaian, "nilai": "AKUNTABEL", "umpanBalik": own.tag},
        "ratePenilaian": {
            "penilaianId": penilaian,
            "ratingHasilKerja": "DI_BAWAH_EKSPEKTASI",
            "ratingPerilakuKerja": "DI_BAWAH_EKSPEKTASI",
        },
        "extendBatas": {
            "periodeId": t.periode,
            "tahun": t.tahun,
            "pegawaiId": t["kasubag"].id,
            "batasBaru": f"{t.tahun + 1}-02-01",
            "alasan": own.tag,
        },
        "setCapaian": {
            "id": t.skp["capaian"],
            "input": {
                "tahun": t.tahun,
                "periodeId": t.periode,
                "unorId": t.unor["sekretariat"],
                "capaian": "KURANG",
            },
        },
        "deleteCapaian": {"id": t.skp["capaian"]},
        "finaliseCapaian": {"id": t.skp["capaian"]},
        "unfinaliseCapaian": {"id": t.skp["capaian"]},
        "fileKeberatan": {
            "penilaianId": t.skp["penilaian_kasubag"],
            "alasan": own.tag,
            "ratingHasilKerja": "DI_ATAS_EKSPEKTASI",
        },
        "explainKeberatan": {"id": t.skp["keberatan"], "penjelasan": own.tag},
        "decideKeberatan": {"id": t.skp["keberatan"], "disetujui": True, "keputusan": own.tag},
    }


def selection(type_: Any, depth: int) -> str:
    """Every field reachable without required arguments, `depth` object levels down."""
    named = get_named_type(type_)
    assert isinstance(named, GraphQLObjectType)
    parts = []
    for name, field in named.fields.items():
        if any(is_non_null_type(a.type) and a.default_value is Undefined for a in field.args.values()):
            continue
        inner = get_named_type(field.type)
        if is_leaf_type(inner):
            parts.append(name)
        elif depth > 0:
            parts.append(f"{name} {{ {selection(field.type, depth - 1)} }}")
    return " ".join(parts)


def document(operation: str, name: str, variables: dict[str, Any], depth: int) -> str:
    root = GRAPHQL.query_type if operation == "query" else GRAPHQL.mutation_type
    assert root is not None
    field = root.fields[name]
    declared = ", ".join(f"${n}: {field.args[n].type}" for n in variables)
    passed = ", ".join(f"{n}: ${n}" for n in variables)
    head = f"{operation}({declared})" if declared else operation
    return f"{head} {{ {name}({passed}) {{ {selection(field.type, depth)} }} }}"


def leaked(body: dict[str, Any], target: Quarter, sent: dict[str, Any]) -> set[str]:
    text, sent_text = json.dumps(body), json.dumps(sent)
    return {m for m in target.markers() if m in text and m not in sent_text}


SNAPSHOT = """query($t: Int!, $p: ID!) {
  penilaianList(scope: INSTANSI, first: 20) { edges { node {
    id status version predikat ratingHasilKerja ratingPerilakuKerja batasPengisian
    realisasi { indikatorId nilai keterangan buktiDukung { url } umpanBalik }
    perilaku { nilai feedback umpanBalik } penjelasan { uraian }
  } } }
  capaianList(first: 20) { edges { node { id capaian final version } } }
  keberatanList(scope: INSTANSI, first: 20) { edges { node { id status version penjelasanPenilai keputusan } } }
  perpanjanganBatasList(periodeId: $p, tahun: $t, first: 20) { edges { node { id pegawaiId batasBaru } } }
}"""


def snapshot(gql: Gql, q: Quarter) -> dict[str, Any]:
    body = gql(SNAPSHOT, {"t": q.tahun, "p": q.periode}, token=q["admin"].token)
    assert not body.get("errors"), body
    data: dict[str, Any] = body["data"]
    return data


def test_the_tables_name_every_assessment_field() -> None:
    assert not ASSESSMENT_QUERY_FIELDS - set(GRAPHQL.query_type.fields)  # type: ignore[union-attr]
    assert not ASSESSMENT_MUTATION_FIELDS - set(GRAPHQL.mutation_type.fields)  # type: ignore[union-attr]


@pytest.mark.parametrize("name", sorted(ASSESSMENT_QUERY_FIELDS))
def test_every_assessment_query_shows_nothing_of_another_instansi(
    name: str, e2e_gql: Gql, quarters: tuple[Quarter, Quarter]
) -> None:
    a, b = quarters
    field = GRAPHQL.query_type.fields[name]  # type: ignore[union-attr]
    own = query_arguments(name, a)
    unaimed = set(field.args) - set(own) - {"after", "instansiId"}
    assert not unaimed, f"query {name}: say how to aim {unaimed} at another instansi"
    # Control: aimed at A's own data, the same query answers A's admin with A's data.
    control = e2e_gql(document("query", name, own, 3), own, token=a["admin"].token)
    assert not control.get("errors"), control
    assert control["data"][name] is not None, control

    for token in (a["admin"].token, a["kabag"].token, a["analis"].token):
        aimed = query_arguments(name, b)
        body = e2e_gql(document("query", name, aimed, 3), aimed, token=token)
        assert "INTERNAL" not in error_codes(body), body
        assert not leaked(body, b, aimed), (name, body)
        named = {**aimed, "instansiId": b.instansi_id}
        body = e2e_gql(document("query", name, named, 3), named, token=token)
        assert error_codes(body) and set(error_codes(body)) <= REFUSALS, body
        assert not leaked(body, b, named), (name, body)


def test_every_assessment_mutation_changes_and_shows_nothing_of_another_instansi(
    e2e_gql: Gql, quarters: tuple[Quarter, Quarter]
) -> None:
    a, b = quarters
    before = snapshot(e2e_gql, b)
    assert len(before["penilaianList"]["edges"]) == 2 and before["keberatanList"]["edges"], before
    table = mutation_arguments(b, a)
    assert set(table) == ASSESSMENT_MUTATION_FIELDS, (
        "say how to aim every assessment mutation at another instansi"
    )
    for token in (a["admin"].token, a["kabag"].token, a["analis"].token, a["sekda"].token):
        for name in sorted(table):
            for variables in (table[name], {**table[name], "instansiId": b.instansi_id}):
                body = e2e_gql(document("mutation", name, variables, 1), variables, token=token)
                assert "INTERNAL" not in error_codes(body), (name, body)
                result = (body.get("data") or {}).get(name)
                if result is not None:
                    assert result["errors"], (name, variables, body)
                    if "instansiId" in variables:
                        assert [e["code"] for e in result["errors"]] == ["INSTANSI_FORBIDDEN"], body
                else:
                    assert set(error_codes(body)) <= REFUSALS, (name, body)
                assert not leaked(body, b, variables), (name, body)
    assert snapshot(e2e_gql, b) == before
