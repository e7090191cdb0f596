"""Through the gateway to the real identity, org and skp services: login, the unor tree, lists, relations and SKP planning."""

from __future__ import annotations

from fastapi.testclient import TestClient

from kinerja_testing.gateway import Gql, error_codes
from kinerja_testing.gateway_e2e import PASSWORD, TEMPORARY_PASSWORD, Tenant, login, wait_for_accounts


def test_login_through_graphql_then_unor_tree(e2e_gql: Gql, tenants: tuple[Tenant, Tenant]) -> None:
    a, _ = tenants
    token, _ = login(e2e_gql, a.head["nip"], PASSWORD)
    body = e2e_gql(
        "{ me { account { username roles } pegawai { id nama } } unorTree { id nama parentId } }", token=token
    )
    assert not body.get("errors"), body
    assert body["data"]["me"]["account"]["roles"] == ["PEGAWAI", "ADMIN_INSTANSI"] or set(
        body["data"]["me"]["account"]["roles"]
    ) == {"PEGAWAI", "ADMIN_INSTANSI"}
    assert body["data"]["me"]["pegawai"]["id"] == a.head["id"]
    tree = body["data"]["unorTree"]
    assert [u["id"] for u in tree] == a.unor_ids
    assert tree[0]["parentId"] is None and tree[2]["parentId"] == a.unor_ids[1]


def test_pegawai_list_relations_and_plt(e2e_gql: Gql, tenants: tuple[Tenant, Tenant]) -> None:
    a, _ = tenants
    body = e2e_gql(
        """query($q: String!, $p: ID!) {
             pegawaiList(first: 2, filter: {query: $q}) {
               totalCount pageInfo { hasNextPage endCursor } edges { node { id nama unor { nama } } }
             }
             relations(pegawaiId: $p) { atasanLangsung { id } rekanKerja { totalCount edges { node { id } } } }
             pltList(onlyActive: true) {
               totalCount totalCountExact edges { node { id pegawai { id } unor { id } } }
             }
           }""",
        {"q": a.tag, "p": a.staff[1]["id"]},
        token=a.pegawai_token,
    )
    assert not body.get("errors"), body
    page = body["data"]["pegawaiList"]
    assert page["totalCount"] == 4 and page["pageInfo"]["hasNextPage"] is True
    assert all(e["node"]["unor"]["nama"] == f"Bagian Umum {a.tag}" for e in page["edges"])
    rest = e2e_gql(
        "query($q: String!, $after: String!) { pegawaiList(first: 10, after: $after, filter: {query: $q}) { edges { node { id } } } }",
        {"q": a.tag, "after": page["pageInfo"]["endCursor"]},
        token=a.pegawai_token,
    )["data"]["pegawaiList"]["edges"]
    ids = [e["node"]["id"] for e in page["edges"]] + [e["node"]["id"] for e in rest]
    assert sorted(ids) == sorted([a.head["id"], *(s["id"] for s in a.staff)])
    assert body["data"]["relations"]["atasanLangsung"]["id"] == a.head["id"]
    rekan = body["data"]["relations"]["rekanKerja"]
    assert a.staff[0]["id"] in [e["node"]["id"] for e in rekan["edges"]]
    assert rekan["totalCount"] == len(rekan["edges"])
    assert body["data"]["pltList"] == {
        "totalCount": 1,
        "totalCountExact": True,
        "edges": [
            {"node": {"id": a.plt_id, "pegawai": {"id": a.staff[0]["id"]}, "unor": {"id": a.unor_ids[2]}}}
        ],
    }


def test_bad_input_through_the_real_service_becomes_user_errors(
    e2e_gql: Gql, tenants: tuple[Tenant, Tenant]
) -> None:
    a, _ = tenants
    body = e2e_gql(
        """mutation($u: ID!) {
             createPegawai(input: {nip: "19851301", nama: "", unorId: $u, jabatan: {nama: "Analis", jenis: FUNGSIONAL}}) {
               pegawai { id } errors { field code message }
             }
           }""",
        {"u": a.unor_ids[1]},
        token=a.admin_token,
    )
    payload = body["data"]["createPegawai"]
    assert payload["pegawai"] is None
    fields = {e["field"] for e in payload["errors"]}
    assert {"input.nip", "input.nama", "input.jabatan.jenjang"} <= fields
    assert all(e["message"] and e["code"] for e in payload["errors"])


def test_rest_login_health_and_json_list(e2e_client: TestClient, tenants: tuple[Tenant, Tenant]) -> None:
    a, _ = tenants
    assert e2e_client.get("/healthz").json()["status"] == "ok"
    tokens = e2e_client.post("/auth/login", json={"username": a.staff[1]["nip"], "password": "salah-sekali"})
    assert tokens.status_code == 401
    jwks = e2e_client.get("/.well-known/jwks.json").json()
    assert jwks["keys"]
    page = e2e_client.get(
        "/api/v1/pegawai",
        params={"first": 10, "query": a.tag},
        headers={"Authorization": f"Bearer {a.pegawai_token}"},
    ).json()
    assert page["totalCount"] == 4
    assert {p["unor"]["nama"] for p in page["items"]} == {f"Bagian Umum {a.tag}"}


def test_admin_bkn_must_name_the_instansi(
    e2e_gql: Gql, bkn_token: str, tenants: tuple[Tenant, Tenant]
) -> None:
    a, _ = tenants
    assert error_codes(e2e_gql("{ unorTree { id } }", token=bkn_token)) == ["INSTANSI_REQUIRED"]
    body = e2e_gql(
        "query($i: ID!) { unorTree(instansiId: $i) { id } }", {"i": a.instansi_id}, token=bkn_token
    )
    assert [u["id"] for u in body["data"]["unorTree"]] == a.unor_ids


def test_skp_planning_through_the_real_skp_service(e2e_gql: Gql, tenants: tuple[Tenant, Tenant]) -> None:
    a, b = tenants
    perilaku = e2e_gql("{ perilakuKerja { nilai panduan } }", token=a.pegawai_token)["data"]["perilakuKerja"]
    assert len(perilaku) == 7 and all(p["panduan"] for p in perilaku)

    periode_set = "mutation($h: Int) { createPeriodeSet(pola: TRIWULAN, batasHari: $h) { periode { nama jenis } errors { field code } } }"
    refused = e2e_gql(periode_set, {"h": 100}, token=a.admin_token)["data"]["createPeriodeSet"]
    assert refused == {"periode": None, "errors": [{"field": "batasHari", "code": "OUT_OF_RANGE"}]}
    made = e2e_gql(periode_set, {}, token=a.admin_token)["data"]["createPeriodeSet"]
    assert made["errors"] == [] and [p["jenis"] for p in made["periode"]] == ["BIASA"] * 4 + ["FINAL"]
    assert len(e2e_gql("{ periodeList { id } }", token=a.pegawai_token)["data"]["periodeList"]) == 5

    created = e2e_gql(
        """mutation { createSkp(tanggalMulai: "2027-01-01", tanggalSelesai: "2027-12-31", pendekatan: KUANTITATIF) {
             skp { id status model pegawai { pegawaiId } penilai { pegawaiId } perilaku { nilai } } errors { field code }
           } }""",
        token=a.pegawai_token,
    )["data"]["createSkp"]
    assert created["errors"] == [], created
    skp = created["skp"]
    assert (skp["status"], skp["model"], len(skp["perilaku"])) == ("DRAFT", "JA_JF", 7)
    assert (skp["pegawai"]["pegawaiId"], skp["penilai"]["pegawaiId"]) == (a.staff[0]["id"], a.head["id"])

    add_rhk = """mutation($s: ID!, $r: RhkInput!) { addRhk(skpId: $s, input: $r) {
        skp { version rhk { id teks } } errors { field code } } }"""
    bad = e2e_gql(add_rhk, {"s": skp["id"], "r": {"jenis": "TAMBAHAN", "teks": " "}}, token=a.pegawai_token)
    assert bad["data"]["addRhk"] == {"skp": None, "errors": [{"field": "input.teks", "code": "REQUIRED"}]}
    good = e2e_gql(
        add_rhk,
        {"s": skp["id"], "r": {"jenis": "TAMBAHAN", "teks": "Terkelolanya arsip"}},
        token=a.pegawai_token,
    )["data"]["addRhk"]
    assert good["errors"] == [] and [r["teks"] for r in good["skp"]["rhk"]] == ["Terkelolanya arsip"]

    read = e2e_gql(
        """query($s: ID!) { skp(id: $s) { id rhk { teks } } skpList { totalCount edges { node { id jumlahRhk } } } }""",
        {"s": skp["id"]},
        token=a.pegawai_token,
    )
    assert not read.get("errors"), read
    assert read["data"]["skp"]["rhk"] == [{"teks": "Terkelolanya arsip"}]
    assert read["data"]["skpList"]["edges"] == [{"node": {"id": skp["id"], "jumlahRhk": 1}}]
    # another instansi sees nothing of it
    other = e2e_gql("query($s: ID!) { skp(id: $s) { id } }", {"s": skp["id"]}, token=b.admin_token)
    assert other == {"data": {"skp": None}}


def test_after_a_reset_only_the_change_works_and_it_hands_back_a_usable_session(
    e2e_gql: Gql, bkn_token: str, tenants: tuple[Tenant, Tenant]
) -> None:
    a, _ = tenants
    nip = a.staff[2]["nip"]
    account_id = wait_for_accounts(e2e_gql, bkn_token, a, {nip})[nip]
    reset = e2e_gql(
        """mutation($a: ID!, $p: String!, $i: ID!) {
             resetPassword(accountId: $a, newPassword: $p, instansiId: $i) { errors { code } }
           }""",
        {"a": account_id, "p": TEMPORARY_PASSWORD, "i": a.instansi_id},
        token=bkn_token,
    )
    assert reset["data"]["resetPassword"]["errors"] == [], reset
    token, _ = login(e2e_gql, nip, TEMPORARY_PASSWORD)
    assert error_codes(e2e_gql("{ unorTree { id } }", token=token)) == ["PASSWORD_CHANGE_REQUIRED"]

    changed = e2e_gql(
        """mutation($o: String!, $n: String!) {
             changePassword(oldPassword: $o, newPassword: $n) {
               ok tokens { accessToken refreshToken } account { username mustChangePassword } errors { code }
             }
           }""",
        {"o": TEMPORARY_PASSWORD, "n": "Gunung-Merapi-Biru-88"},
        token=token,
    )["data"]["changePassword"]
    assert changed["ok"] and changed["errors"] == []
    assert changed["account"] == {"username": nip, "mustChangePassword": False}
    # The session the change hands back works at once: no second login.
    tree = e2e_gql("{ unorTree { id } }", token=changed["tokens"]["accessToken"])
    assert not tree.get("errors") and tree["data"]["unorTree"], tree
