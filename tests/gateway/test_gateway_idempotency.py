"""Retries through GraphQL, over the real identity, org and skp services: a create sent again with the same
`clientMutationId` answers the same payload (the id echoed) instead of creating again; the value with
other arguments, or a malformed one, is a UserError at `clientMutationId`; without it each call creates."""

from __future__ import annotations

import datetime
import uuid
from typing import Any

import pytest

from kinerja_testing.gateway import Gql
from kinerja_testing.gateway_e2e import Tenant, build_tenant, give_logins

pytestmark = pytest.mark.integration

YEAR = datetime.date.today().year + 1
ERRORS = "errors { field code message }"
SKP = f"clientMutationId skp {{ id version rhk {{ id jenis teks }} }} {ERRORS}"
CREATE_SKP = f"""mutation($a: Date!, $b: Date!, $c: String) {{
  createSkp(tanggalMulai: $a, tanggalSelesai: $b, pendekatan: KUANTITATIF, clientMutationId: $c) {{ {SKP} }}
}}"""
ADD_RHK = f"""mutation($s: ID!, $r: RhkInput!, $c: String) {{
  addRhk(skpId: $s, input: $r, clientMutationId: $c) {{ {SKP} }}
}}"""


@pytest.fixture(scope="module")
def office(e2e_gql: Gql, bkn_token: str) -> Tenant:
    """A fresh instansi whose first staff member logs in (`pegawai_token`)."""
    tenant = build_tenant(e2e_gql, bkn_token)
    give_logins(e2e_gql, bkn_token, tenant)
    return tenant


def run(gql: Gql, token: str, document: str, variables: dict[str, Any]) -> dict[str, Any]:
    body = gql(document, variables, token=token)
    assert not body.get("errors"), body
    (payload,) = body["data"].values()
    result: dict[str, Any] = payload
    return result


def rhk(teks: str) -> dict[str, str]:
    return {"jenis": "TAMBAHAN", "teks": teks}


def test_a_retried_create_answers_the_same_payload_with_the_id_echoed(e2e_gql: Gql, office: Tenant) -> None:
    token, key = office.pegawai_token, f"skp-{uuid.uuid4()}"
    dates = {"a": f"{YEAR}-01-01", "b": f"{YEAR}-12-31"}
    created = run(e2e_gql, token, CREATE_SKP, {**dates, "c": key})
    assert created["errors"] == [] and created["clientMutationId"] == key
    # the lost answer's retry is the SKP, not SKP_SUDAH_ADA
    assert run(e2e_gql, token, CREATE_SKP, {**dates, "c": key}) == created
    skp_id = created["skp"]["id"]

    variables = {"s": skp_id, "r": rhk("Terlaksananya pelatihan pegawai"), "c": "x"}
    first = run(e2e_gql, token, ADD_RHK, variables)
    assert first["errors"] == [] and first["clientMutationId"] == "x"
    retried = run(e2e_gql, token, ADD_RHK, variables)
    assert retried == first
    assert [r["teks"] for r in retried["skp"]["rhk"]] == ["Terlaksananya pelatihan pegawai"]

    reused = run(e2e_gql, token, ADD_RHK, {**variables, "r": rhk("RHK yang lain")})
    assert reused["skp"] is None and reused["clientMutationId"] == "x"
    assert [(e["field"], e["code"]) for e in reused["errors"]] == [
        ("clientMutationId", "IDEMPOTENCY_KEY_REUSED")
    ]
    assert "sudah dipakai" in reused["errors"][0]["message"]

    for bad in ("kunci é", "", "x" * 101):
        refused = run(e2e_gql, token, ADD_RHK, {**variables, "r": rhk("RHK lain lagi"), "c": bad})
        assert refused["skp"] is None and refused["clientMutationId"] == bad
        assert [(e["field"], e["code"]) for e in refused["errors"]] == [
            ("clientMutationId", "INVALID_IDEMPOTENCY_KEY")
        ]

    # without clientMutationId every call creates (documented), and nothing is echoed
    plain = {"s": skp_id, "r": rhk("Tersusunnya laporan bulanan")}
    run(e2e_gql, token, ADD_RHK, plain)
    twice = run(e2e_gql, token, ADD_RHK, plain)
    assert twice["clientMutationId"] is None
    assert [r["teks"] for r in twice["skp"]["rhk"]] == [
        "Terlaksananya pelatihan pegawai",
        "Tersusunnya laporan bulanan",
        "Tersusunnya laporan bulanan",
    ]
