"""The national-scale read paths through the gateway over the real org service: a head with more than
1,000 bawahan (loaded with ImportPegawai) read page by page, each exactly once; a count stopping at
1,000; the unor tree by subtree and depth, and a level at a time."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import grpc
import pytest

from kinerja.org.v1 import org_pb2_grpc
from kinerja_testing.gateway import Gql, ServiceAddrs
from kinerja_testing.gateway_e2e import Tenant, build_tenant
from kinerja_testing.org import import_pegawai
from kinerja_testing.platform import md

IMPORTED = 1_150


@pytest.fixture(scope="module")
def large_unit(
    e2e_gql: Gql, bkn_token: str, e2e_services: ServiceAddrs
) -> Iterator[tuple[Tenant, list[str]]]:
    """A fresh instansi (build_tenant) whose Bagian Umum gets IMPORTED more pelaksana under its head."""
    tenant = build_tenant(e2e_gql, bkn_token)
    with grpc.insecure_channel(e2e_services.org) as channel:
        stub = org_pb2_grpc.OrgServiceStub(channel)
        ids = import_pegawai(
            stub, md(bkn_token, tenant.instansi_id), tenant.unor_ids[1], IMPORTED, nama=f"Impor {tenant.tag}"
        )
    yield tenant, ids


BAWAHAN = """query($p: ID!, $i: ID!, $after: String) {
  relations(pegawaiId: $p, instansiId: $i) {
    atasanLangsung { id }
    bawahan(first: 100, after: $after) {
      totalCount totalCountExact pageInfo { hasNextPage endCursor } edges { node { id nama unor { id } } }
    }
  }
}"""


def test_a_head_with_more_than_1000_bawahan_reads_them_page_by_page(
    e2e_gql: Gql, bkn_token: str, large_unit: tuple[Tenant, list[str]]
) -> None:
    tenant, imported = large_unit
    seen: list[str] = []
    names: list[str] = []
    totals: set[int] = set()
    after = None
    while True:
        body = e2e_gql(
            BAWAHAN, {"p": tenant.head["id"], "i": tenant.instansi_id, "after": after}, token=bkn_token
        )
        assert not body.get("errors"), body
        connection = body["data"]["relations"]["bawahan"]
        assert connection["totalCountExact"] is True
        totals.add(connection["totalCount"])
        assert len(connection["edges"]) <= 100
        seen += [e["node"]["id"] for e in connection["edges"]]
        names += [e["node"]["nama"] for e in connection["edges"]]
        if not connection["pageInfo"]["hasNextPage"]:
            break
        after = connection["pageInfo"]["endCursor"]
    assert len(seen) == len(set(seen)), "a bawahan appeared twice"
    assert set(imported) <= set(seen) and {s["id"] for s in tenant.staff} <= set(seen)
    assert tenant.head["id"] not in seen
    assert totals == {len(seen)} and len(seen) > 1000
    assert names == sorted(names, key=str.casefold) or names == sorted(names)


def test_a_member_of_the_large_unit_reads_their_atasan_and_a_page_of_rekan(
    e2e_gql: Gql, bkn_token: str, large_unit: tuple[Tenant, list[str]]
) -> None:
    tenant, imported = large_unit
    body = e2e_gql(
        """query($p: ID!, $i: ID!) { relations(pegawaiId: $p, instansiId: $i) {
             atasanLangsung { id } rekanKerja(first: 5) { totalCount edges { node { id } } } } }""",
        {"p": imported[0], "i": tenant.instansi_id},
        token=bkn_token,
    )
    assert not body.get("errors"), body
    relations = body["data"]["relations"]
    assert relations["atasanLangsung"]["id"] == tenant.head["id"]
    assert len(relations["rekanKerja"]["edges"]) == 5
    assert relations["rekanKerja"]["totalCount"] >= IMPORTED - 1


def test_the_pegawai_count_of_a_large_unit_stops_at_1000(
    e2e_gql: Gql, bkn_token: str, large_unit: tuple[Tenant, list[str]]
) -> None:
    tenant, _ = large_unit
    body = e2e_gql(
        """query($i: ID!, $u: ID!, $q: String) {
             all: pegawaiList(first: 5, instansiId: $i, filter: {unorId: $u}) { totalCount totalCountExact }
             few: pegawaiList(first: 5, instansiId: $i, filter: {query: $q}) { totalCount totalCountExact }
           }""",
        {"i": tenant.instansi_id, "u": tenant.unor_ids[1], "q": f"Staf 1 {tenant.tag}"},
        token=bkn_token,
    )
    assert not body.get("errors"), body
    assert body["data"]["all"] == {"totalCount": 1000, "totalCountExact": False}
    assert body["data"]["few"] == {"totalCount": 1, "totalCountExact": True}


def _tree(e2e_gql: Gql, token: str, tenant: Tenant, **arguments: Any) -> list[str]:
    body = e2e_gql(
        """query($i: ID!, $r: ID, $d: Int) { unorTree(instansiId: $i, rootId: $r, depth: $d) { id parentId } }""",
        {"i": tenant.instansi_id, **arguments},
        token=token,
    )
    assert not body.get("errors"), body
    return [u["id"] for u in body["data"]["unorTree"]]


def test_the_unor_tree_by_subtree_and_depth(
    e2e_gql: Gql, bkn_token: str, tenants: tuple[Tenant, Tenant]
) -> None:
    a, _ = tenants
    sekretariat, bagian, subbagian = a.unor_ids
    assert _tree(e2e_gql, bkn_token, a) == [sekretariat, bagian, subbagian]
    assert _tree(e2e_gql, bkn_token, a, d=1) == [sekretariat]
    assert _tree(e2e_gql, bkn_token, a, d=2) == [sekretariat, bagian]
    assert _tree(e2e_gql, bkn_token, a, r=sekretariat, d=1) == [sekretariat, bagian]
    assert _tree(e2e_gql, bkn_token, a, r=bagian) == [bagian, subbagian]
    assert _tree(e2e_gql, bkn_token, a, r=subbagian, d=3) == [subbagian]


def test_unor_children_a_level_at_a_time(
    e2e_gql: Gql, bkn_token: str, tenants: tuple[Tenant, Tenant]
) -> None:
    a, _ = tenants
    query = """query($i: ID!, $p: ID) { unorChildren(instansiId: $i, parentId: $p, first: 10) {
        totalCount totalCountExact pageInfo { hasNextPage } edges { node { id parentId jumlahSubUnor } } } }"""
    expanded = []
    parent = None
    for _ in a.unor_ids:
        body = e2e_gql(query, {"i": a.instansi_id, "p": parent}, token=bkn_token)
        assert not body.get("errors"), body
        level = body["data"]["unorChildren"]
        assert (level["totalCount"], level["totalCountExact"], level["pageInfo"]["hasNextPage"]) == (
            1,
            True,
            False,
        )
        [node] = [e["node"] for e in level["edges"]]
        assert node["parentId"] == parent
        expanded.append(node["id"])
        parent = node["id"]
    assert expanded == a.unor_ids
    assert node["jumlahSubUnor"] == 0
