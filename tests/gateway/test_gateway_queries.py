"""Queries through the gateway against fake services: lists, connections, single reads, relations."""

from __future__ import annotations

import uuid

from kinerja_testing.gateway import FakeIdentity, FakeOrg, Gql, Seeded, TokenFactory, error_codes

PAGE = """
query Page($first: Int!, $after: String, $filter: PegawaiFilter) {
  pegawaiList(first: $first, after: $after, filter: $filter) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { cursor node { id nama nip unor { id nama } } }
  }
}
"""


def _admin(token_for: TokenFactory, seeded: Seeded) -> str:
    return token_for(uuid.UUID(seeded.instansi_id), role="admin_instansi")


def test_pegawai_list_pages_through_every_pegawai_once(
    gql: Gql, fake_org: FakeOrg, token_for: TokenFactory
) -> None:
    seeded = fake_org.seed(pegawai=23)
    token = _admin(token_for, seeded)
    seen: list[str] = []
    after = None
    while True:
        body = gql(PAGE, {"first": 10, "after": after}, token=token)
        assert not body.get("errors"), body
        connection = body["data"]["pegawaiList"]
        assert connection["totalCount"] == 23
        seen += [e["node"]["id"] for e in connection["edges"]]
        if not connection["pageInfo"]["hasNextPage"]:
            break
        after = connection["pageInfo"]["endCursor"]
    assert sorted(seen) == sorted(seeded.pegawai_ids)
    assert len(seen) == len(set(seen))


def test_any_edge_cursor_continues_after_that_edge(
    gql: Gql, fake_org: FakeOrg, token_for: TokenFactory
) -> None:
    seeded = fake_org.seed(pegawai=12)
    token = _admin(token_for, seeded)
    first = gql(PAGE, {"first": 6}, token=token)["data"]["pegawaiList"]["edges"]
    middle = first[2]["cursor"]
    rest = gql(PAGE, {"first": 5, "after": middle}, token=token)["data"]["pegawaiList"]["edges"]
    assert [e["node"]["id"] for e in rest][:3] == [e["node"]["id"] for e in first[3:6]]


def test_a_malformed_cursor_is_refused(gql: Gql, fake_org: FakeOrg, token_for: TokenFactory) -> None:
    seeded = fake_org.seed(pegawai=2)
    body = gql(PAGE, {"first": 5, "after": "%%%"}, token=_admin(token_for, seeded))
    assert error_codes(body) == ["INVALID_ARGUMENT"]
    assert body["errors"][0]["extensions"]["fields"][0]["field"] == "after"


def test_single_reads_and_not_found_is_null(gql: Gql, fake_org: FakeOrg, token_for: TokenFactory) -> None:
    seeded = fake_org.seed(pegawai=3)
    token = token_for(uuid.UUID(seeded.instansi_id))
    pegawai_id = seeded.pegawai_ids[1]
    body = gql(
        """query($id: ID!, $unor: ID!) {
             pegawai(id: $id) { id nama jabatan { nama jenis jenjang } tmtJabatan unor { nama parent { nama } } }
             unor(id: $unor) { nama jenis }
             missing: pegawai(id: "00000000-0000-7000-8000-000000000001") { id }
             byNip: pegawaiByNip(nip: "000000000000000000") { id }
           }""",
        {"id": pegawai_id, "unor": seeded.unor_ids[0]},
        token=token,
    )
    assert not body.get("errors"), body
    data = body["data"]
    assert data["pegawai"]["id"] == pegawai_id
    assert data["pegawai"]["jabatan"] == {"nama": "Analis", "jenis": "FUNGSIONAL", "jenjang": "Ahli Pertama"}
    assert data["pegawai"]["tmtJabatan"] == "2020-01-01"
    assert data["unor"] == {"nama": "Unor 0", "jenis": "ADMINISTRATOR"}
    assert data["missing"] is None and data["byNip"] is None


def test_a_malformed_id_is_refused_before_any_call(
    gql: Gql, fake_org: FakeOrg, token_for: TokenFactory
) -> None:
    seeded = fake_org.seed(pegawai=1)
    body = gql('{ pegawai(id: "not-a-uuid") { id } }', token=token_for(uuid.UUID(seeded.instansi_id)))
    assert error_codes(body) == ["INVALID_ARGUMENT"]


def test_relations_resolve_to_pegawai(gql: Gql, fake_org: FakeOrg, token_for: TokenFactory) -> None:
    seeded = fake_org.seed(pegawai=7)
    token = token_for(uuid.UUID(seeded.instansi_id), pegawai_id=uuid.UUID(seeded.staff_id))
    body = gql(
        """query($id: ID!) {
             relations(pegawaiId: $id, asOf: "2026-03-01") {
               asOf atasanLangsung { id nama }
               rekanKerja { totalCount edges { node { id } } }
               bawahan { totalCount edges { node { id } } }
             }
           }""",
        {"id": seeded.staff_id},
        token=token,
    )
    assert not body.get("errors"), body
    relations = body["data"]["relations"]
    assert relations["asOf"] == "2026-03-01"
    assert relations["atasanLangsung"]["id"] == seeded.head_id
    assert relations["bawahan"] == {"totalCount": 0, "edges": []}
    rekan = [e["node"]["id"] for e in relations["rekanKerja"]["edges"]]
    assert rekan and seeded.staff_id not in rekan and relations["rekanKerja"]["totalCount"] == len(rekan)
    # read on the relations' own date
    assert fake_org.requests["ListRelated"].as_of == "2026-03-01"


def test_unor_tree_is_flat_with_parent_ids(gql: Gql, fake_org: FakeOrg, token_for: TokenFactory) -> None:
    seeded = fake_org.seed(pegawai=1, unor=4)
    body = gql("{ unorTree { id parentId nama } }", token=token_for(uuid.UUID(seeded.instansi_id)))
    tree = body["data"]["unorTree"]
    assert [u["id"] for u in tree] == seeded.unor_ids
    assert tree[0]["parentId"] is None and {u["parentId"] for u in tree[1:]} == {seeded.unor_ids[0]}


def test_me_returns_account_and_pegawai(gql: Gql, fake_org: FakeOrg, fake_identity: FakeIdentity) -> None:
    seeded = fake_org.seed(pegawai=2)
    account = fake_identity.add_account(
        seeded.instansi_id, "199001012020010099", "rahasia-123", ["pegawai"], pegawai_id=seeded.staff_id
    )
    body = gql(
        "{ me { account { username roles } pegawai { id nama } } }", token=fake_identity.token(account)
    )
    assert not body.get("errors"), body
    assert body["data"]["me"]["account"] == {"username": "199001012020010099", "roles": ["PEGAWAI"]}
    assert body["data"]["me"]["pegawai"]["id"] == seeded.staff_id


def test_accounts_connection_and_pegawai_account(
    gql: Gql, fake_org: FakeOrg, fake_identity: FakeIdentity
) -> None:
    seeded = fake_org.seed(pegawai=2)
    nip = "199001012020010000"
    admin = fake_identity.add_account(
        seeded.instansi_id, f"adm-{seeded.instansi_id}", "x", ["admin_instansi", "pegawai"]
    )
    fake_identity.accounts.pop(nip, None)
    fake_identity.add_account(seeded.instansi_id, nip, "x", ["pegawai"], pegawai_id=seeded.head_id)
    token = fake_identity.token(admin)
    body = gql(
        """query($id: ID!) {
             accounts(first: 1) { edges { node { username } } pageInfo { hasNextPage endCursor } }
             pegawai(id: $id) { account { username } }
           }""",
        {"id": seeded.head_id},
        token=token,
    )
    assert not body.get("errors"), body
    assert body["data"]["accounts"]["pageInfo"]["hasNextPage"] is True
    assert body["data"]["pegawai"]["account"] == {"username": nip}


def test_admin_bkn_lists_instansi_and_reads_one_when_named(
    gql: Gql, fake_org: FakeOrg, token_for: TokenFactory
) -> None:
    seeded = fake_org.seed(pegawai=3)
    bkn = token_for(role="admin_bkn")
    body = gql(
        """query($i: ID!) {
             instansiList { id }
             pegawaiList(first: 5, instansiId: $i) { totalCount edges { node { unor { nama } } } }
           }""",
        {"i": seeded.instansi_id},
        token=bkn,
    )
    assert not body.get("errors"), body
    assert seeded.instansi_id in [i["id"] for i in body["data"]["instansiList"]]
    assert body["data"]["pegawaiList"]["totalCount"] == 3
    assert all(e["node"]["unor"] for e in body["data"]["pegawaiList"]["edges"])


def test_plt_list(gql: Gql, fake_org: FakeOrg, token_for: TokenFactory) -> None:
    seeded = fake_org.seed(pegawai=3)
    admin = token_for(uuid.UUID(seeded.instansi_id), role="admin_instansi")
    created = gql(
        """mutation($p: ID!, $u: ID!) {
             createPlt(input: {pegawaiId: $p, unorId: $u, jabatan: "Plt. Kepala", jenis: PLT, tanggalMulai: "2026-01-05", tanggalSelesai: "2026-03-31"}) {
               plt { id jenis tanggalMulai aktif } errors { code }
             }
           }""",
        {"p": seeded.staff_id, "u": seeded.unor_ids[1]},
        token=admin,
    )
    assert created["data"]["createPlt"]["errors"] == []
    body = gql(
        "{ pltList(onlyActive: true) { totalCount totalCountExact edges { node { id jenis pegawai { id } unor { id } } } } }",
        token=admin,
    )
    assert body["data"]["pltList"] == {
        "totalCount": 1,
        "totalCountExact": True,
        "edges": [
            {
                "node": {
                    "id": created["data"]["createPlt"]["plt"]["id"],
                    "jenis": "PLT",
                    "pegawai": {"id": seeded.staff_id},
                    "unor": {"id": seeded.unor_ids[1]},
                }
            }
        ],
    }


PLT_PAGE = """
query($first: Int!, $after: String, $p: ID) {
  pltList(first: $first, after: $after, pegawaiId: $p) {
    totalCount totalCountExact pageInfo { hasNextPage endCursor } edges { node { id tanggalMulai } }
  }
}
"""


def test_plt_list_pages_through_every_assignment_once(
    gql: Gql, fake_org: FakeOrg, token_for: TokenFactory
) -> None:
    """pltList is a connection: newest first, a page at a time to the end, each assignment once; a
    pegawai's filter goes to the service."""
    seeded = fake_org.seed(pegawai=3)
    admin = _admin(token_for, seeded)
    made = []
    for month in range(1, 8):
        created = gql(
            """mutation($p: ID!, $u: ID!, $m: Date!) {
                 createPlt(input: {pegawaiId: $p, unorId: $u, jabatan: "Plh. Kepala", jenis: PLH, tanggalMulai: $m, tanggalSelesai: $m}) {
                   plt { id } errors { code }
                 }
               }""",
            {"p": seeded.pegawai_ids[month % 2], "u": seeded.unor_ids[1], "m": f"2026-{month:02d}-01"},
            token=admin,
        )["data"]["createPlt"]
        assert created["errors"] == []
        made.append(created["plt"]["id"])
    calls = fake_org.calls["ListPlt"]
    seen: list[str] = []
    after = None
    while True:
        body = gql(PLT_PAGE, {"first": 3, "after": after}, token=admin)
        assert not body.get("errors"), body
        connection = body["data"]["pltList"]
        assert (connection["totalCount"], connection["totalCountExact"]) == (7, True)
        seen += [e["node"]["id"] for e in connection["edges"]]
        if not connection["pageInfo"]["hasNextPage"]:
            break
        after = connection["pageInfo"]["endCursor"]
    assert seen == made[::-1]  # newest first, each once
    mine = gql(PLT_PAGE, {"first": 20, "p": seeded.pegawai_ids[0]}, token=admin)["data"]["pltList"]
    assert [e["node"]["id"] for e in mine["edges"]] == made[1::2][::-1]
    assert fake_org.calls["ListPlt"] - calls == 4  # one call a page
