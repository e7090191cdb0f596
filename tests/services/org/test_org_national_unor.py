"""The unor tree a part at a time: ListUnor by subtree and depth, ListUnorChildren a page at a time with a
bounded count; counts read for the unor returned only."""

from __future__ import annotations

import uuid

import grpc
import pytest

from kinerja.org.v1 import org_pb2
from kinerja_kit import paging
from kinerja_testing.org import OrgWorld, Tenant, codes, rpc_error

pytestmark = pytest.mark.integration


def listed(world: OrgWorld, tenant: Tenant, **fields: object) -> list[org_pb2.Unor]:
    return list(
        world.stub.ListUnor(org_pb2.ListUnorRequest(**fields), metadata=tenant.pegawai).unor  # type: ignore[arg-type]
    )


def test_subtree_and_depth(world: OrgWorld, demo: Tenant) -> None:
    whole = {u.id: u for u in listed(world, demo)}
    sub = listed(world, demo, root_id=demo.unor("sekretariat"))
    assert [u.id for u in sub] == [demo.unor(k) for k in ("sekretariat", "sub_keuangan", "sub_umum")]
    assert all(u == whole[u.id] for u in sub)  # the same counts as in the whole tree
    top = listed(world, demo, root_id=demo.unor("bkd"), depth=1)
    below = sorted(u.nama for u in whole.values() if u.parent_id == demo.unor("bkd"))
    assert [u.nama for u in top] == [whole[demo.unor("bkd")].nama, *below]
    assert top[0].jumlah_sub_unor == 5 and top[0].jumlah_pegawai == 1
    assert [u.id for u in listed(world, demo, depth=1)] == [demo.unor("bkd")]  # the roots alone
    assert len(listed(world, demo, depth=2)) == 6
    assert len(listed(world, demo, depth=3)) == len(listed(world, demo, root_id=demo.unor("bkd"))) == 9
    leaf = listed(world, demo, root_id=demo.unor("sub_umum"), depth=4)
    assert [u.id for u in leaf] == [demo.unor("sub_umum")]
    # a query keeps the matches and their ancestors inside the subtree asked
    matched = listed(world, demo, root_id=demo.unor("upt"), query="tata usaha")
    assert [u.id for u in matched] == [demo.unor("upt"), demo.unor("upt_tu")]
    assert listed(world, demo, root_id=demo.unor("sekretariat"), query="tata usaha") == []

    for fields, expected in (
        ({"root_id": str(uuid.uuid4())}, (grpc.StatusCode.NOT_FOUND, "UNOR_NOT_FOUND")),
        ({"root_id": "bukan-id"}, (grpc.StatusCode.NOT_FOUND, "UNOR_NOT_FOUND")),
    ):
        code, error = rpc_error(world.stub.ListUnor, org_pb2.ListUnorRequest(**fields), metadata=demo.pegawai)  # type: ignore[arg-type]
        assert (code, error.reason) == expected
    code, error = rpc_error(world.stub.ListUnor, org_pb2.ListUnorRequest(depth=-1), metadata=demo.pegawai)
    assert code == grpc.StatusCode.INVALID_ARGUMENT and codes(error) == {"depth": "DEPTH_INVALID"}


def test_children_a_page_at_a_time(world: OrgWorld, tenant: Tenant, monkeypatch: pytest.MonkeyPatch) -> None:
    root = world.root(tenant)
    names = [f"Bidang {chr(65 + i % 26)}{i:02d}" for i in range(23)]
    made = [world.unor(tenant, nama, parent_id=root.id) for nama in names]
    world.unor(tenant, "Subbidang", parent_id=made[0].id)
    world.pegawai(tenant, made[0].id, "Pegawai Satu")

    def children(parent: str, size: int, token: str = "") -> org_pb2.ListUnorChildrenResponse:
        response: org_pb2.ListUnorChildrenResponse = world.stub.ListUnorChildren(
            org_pb2.ListUnorChildrenRequest(parent_id=parent, page_size=size, page_token=token),
            metadata=tenant.pegawai,
        )
        return response

    roots = children("", 10)
    assert [u.id for u in roots.unor] == [root.id] and roots.next_page_token == ""
    assert (roots.total_count, roots.total_count_exact) == (1, True) and roots.unor[0].jumlah_sub_unor == 23

    seen: list[org_pb2.Unor] = []
    token, sizes = "", []
    while True:
        page = children(root.id, 10, token)
        assert (page.total_count, page.total_count_exact) == (23, True)
        seen += page.unor
        sizes.append(len(page.unor))
        token = page.next_page_token
        if not token:
            break
    assert sizes == [10, 10, 3]
    assert [u.id for u in seen] == [u.id for u in sorted(made, key=lambda u: (u.nama, u.id))]
    first = next(u for u in seen if u.id == made[0].id)
    assert (first.jumlah_sub_unor, first.jumlah_pegawai) == (1, 1)

    monkeypatch.setattr(paging, "COUNT_LIMIT", 5)
    bounded = children(root.id, 3)
    assert (bounded.total_count, bounded.total_count_exact) == (5, False) and len(bounded.unor) == 3

    other = children(made[1].id, 3)
    assert list(other.unor) == [] and (other.total_count, other.total_count_exact) == (0, True)
    code, error = rpc_error(
        world.stub.ListUnorChildren,
        org_pb2.ListUnorChildrenRequest(parent_id=made[1].id, page_token=bounded.next_page_token),
        metadata=tenant.pegawai,
    )
    assert code == grpc.StatusCode.INVALID_ARGUMENT and codes(error) == {"page_token": "PAGE_TOKEN_INVALID"}
    code, error = rpc_error(
        world.stub.ListUnorChildren,
        org_pb2.ListUnorChildrenRequest(parent_id=str(uuid.uuid4())),
        metadata=tenant.pegawai,
    )
    assert (code, error.reason) == (grpc.StatusCode.NOT_FOUND, "UNOR_NOT_FOUND")
