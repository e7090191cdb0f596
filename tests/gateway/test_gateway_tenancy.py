"""Tenancy in the gateway: admin BKN must name an instansi; nobody else may name one not theirs."""

from __future__ import annotations

import uuid

from kinerja_testing.gateway import FakeOrg, Gql, TokenFactory, error_codes


def test_admin_bkn_without_instansi_is_refused(gql: Gql, token_for: TokenFactory) -> None:
    bkn = token_for(role="admin_bkn")
    body = gql("{ pegawaiList(first: 5) { totalCount } }", token=bkn)
    assert error_codes(body) == ["INSTANSI_REQUIRED"]
    mutation = gql(
        'mutation { createUnor(input: {nama: "X", jenis: PENGAWAS}) { unor { id } errors { field code } } }',
        token=bkn,
    )
    assert mutation["data"]["createUnor"] == {
        "unor": None,
        "errors": [{"field": "instansiId", "code": "INSTANSI_REQUIRED"}],
    }


def test_admin_bkn_acts_on_the_named_instansi(gql: Gql, fake_org: FakeOrg, token_for: TokenFactory) -> None:
    seeded = fake_org.seed(pegawai=1)
    bkn = token_for(role="admin_bkn")
    body = gql(
        'mutation($i: ID!) { createUnor(input: {nama: "Bagian Baru", jenis: PENGAWAS}, instansiId: $i) { unor { id instansiId } errors { code } } }',
        {"i": seeded.instansi_id},
        token=bkn,
    )
    assert body["data"]["createUnor"]["errors"] == []
    assert body["data"]["createUnor"]["unor"]["instansiId"] == seeded.instansi_id


def test_others_naming_another_instansi_are_refused(
    gql: Gql, fake_org: FakeOrg, token_for: TokenFactory
) -> None:
    mine, theirs = fake_org.seed(pegawai=1), fake_org.seed(pegawai=1)
    admin = token_for(uuid.UUID(mine.instansi_id), role="admin_instansi")
    body = gql("query($i: ID!) { unorTree(instansiId: $i) { id } }", {"i": theirs.instansi_id}, token=admin)
    assert error_codes(body) == ["INSTANSI_FORBIDDEN"]
    body = gql("query($i: ID!) { instansi(id: $i) { id } }", {"i": theirs.instansi_id}, token=admin)
    assert error_codes(body) == ["INSTANSI_FORBIDDEN"]
    mutation = gql(
        'mutation($i: ID!) { createUnor(input: {nama: "X", jenis: PENGAWAS}, instansiId: $i) { errors { field code } } }',
        {"i": theirs.instansi_id},
        token=admin,
    )
    assert mutation["data"]["createUnor"]["errors"] == [{"field": "instansiId", "code": "INSTANSI_FORBIDDEN"}]
    own = gql("query($i: ID!) { unorTree(instansiId: $i) { id } }", {"i": mine.instansi_id}, token=admin)
    assert [u["id"] for u in own["data"]["unorTree"]] == mine.unor_ids


def test_ids_of_another_instansi_resolve_to_nothing(
    gql: Gql, fake_org: FakeOrg, token_for: TokenFactory
) -> None:
    mine, theirs = fake_org.seed(pegawai=1), fake_org.seed(pegawai=2)
    token = token_for(uuid.UUID(mine.instansi_id))
    body = gql(
        "query($p: ID!, $u: ID!) { pegawai(id: $p) { id } unor(id: $u) { id } relations(pegawaiId: $p) { pegawaiId } }",
        {"p": theirs.pegawai_ids[1], "u": theirs.unor_ids[0]},
        token=token,
    )
    assert body["data"] == {"pegawai": None, "unor": None, "relations": None}
