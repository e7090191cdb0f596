"""ListPlt a page at a time: newest first by (tanggal_mulai, id), every assignment once to the end, the
filters kept, the count bounded by the kit's COUNT_LIMIT and saying so, tokens bound to their filters."""

from __future__ import annotations

import base64
import json
import uuid
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import grpc
import pytest

from kinerja.org.v1 import org_pb2
from kinerja_kit import paging
from kinerja_testing.org import OrgWorld, Tenant, codes, every_page, rpc_error

pytestmark = pytest.mark.integration

TODAY = datetime.now(ZoneInfo("Asia/Jakarta")).date()


def plt_in(pegawai_id: str, unor_id: str, mulai: date, selesai: date, aktif: bool = True) -> org_pb2.PltInput:
    return org_pb2.PltInput(
        pegawai_id=pegawai_id, unor_id=unor_id, jabatan="Plh. Kepala", jenis=org_pb2.JENIS_PLT_PLH,
        tanggal_mulai=mulai.isoformat(), tanggal_selesai=selesai.isoformat(), aktif=aktif,
    )  # fmt: skip


def pages(
    world: OrgWorld, tenant: Tenant, size: int, **filters: object
) -> tuple[list[org_pb2.Plt], list[int]]:
    """Every page of ListPlt with `filters` to the end (each count exact): the items and each page's size."""

    def page(token: str) -> org_pb2.ListPltResponse:
        request = org_pb2.ListPltRequest(page_size=size, page_token=token, **filters)  # type: ignore[arg-type]
        found: org_pb2.ListPltResponse = world.stub.ListPlt(request, metadata=tenant.pegawai)
        assert found.total_count_exact
        return found

    return every_page(page, "plt")


def newest_first(items: list[org_pb2.Plt]) -> list[str]:
    return [p.id for p in sorted(items, key=lambda p: (p.tanggal_mulai, uuid.UUID(p.id)), reverse=True)]


def test_plt_paged_to_the_end_once(world: OrgWorld, tenant: Tenant, monkeypatch: pytest.MonkeyPatch) -> None:
    root = world.root(tenant)
    units = [world.unor(tenant, f"Bidang {i}", parent_id=root.id) for i in range(3)]
    staff = [world.pegawai(tenant, root.id, f"Pegawai {i}") for i in range(3)]
    made: list[org_pb2.Plt] = []
    # nine one-day assignments in each unit, on the same days in every unit: ties on the date go by id
    for k in range(9):
        day = TODAY - timedelta(days=400 - k)
        for i, unit in enumerate(units):
            pegawai = staff[(i + k) % len(staff)]
            made.append(
                world.stub.CreatePlt(
                    org_pb2.CreatePltRequest(plt=plt_in(pegawai.id, unit.id, day, day)), metadata=tenant.admin
                )
            )
    in_force = world.stub.CreatePlt(
        org_pb2.CreatePltRequest(
            plt=plt_in(staff[0].id, units[0].id, TODAY - timedelta(days=3), TODAY + timedelta(days=30))
        ),
        metadata=tenant.admin,
    )
    switched_off = world.stub.CreatePlt(
        org_pb2.CreatePltRequest(
            plt=plt_in(staff[1].id, units[1].id, TODAY, TODAY + timedelta(days=5), aktif=False)
        ),
        metadata=tenant.admin,
    )
    made += [in_force, switched_off]

    seen, sizes = pages(world, tenant, 10)
    assert sizes == [10, 10, 9]
    assert [p.id for p in seen] == newest_first(made)  # each once, newest first
    first = world.stub.ListPlt(org_pb2.ListPltRequest(page_size=10), metadata=tenant.pegawai)
    assert (first.total_count, first.total_count_exact) == (29, True)
    assert [p.id for p in first.plt][:2] == newest_first([in_force, switched_off])

    for filters in ({"pegawai_id": staff[1].id}, {"unor_id": units[2].id}):
        found, _ = pages(world, tenant, 3, **filters)
        key, value = next(iter(filters.items()))
        expected = [p for p in made if getattr(p, key) == value]
        assert [p.id for p in found] == newest_first(expected) and len(expected) > 3
    active, _ = pages(world, tenant, 5, only_active=True)
    assert [p.id for p in active] == [in_force.id]
    both, _ = pages(world, tenant, 5, unor_id=units[0].id, only_active=True)
    assert [p.id for p in both] == [in_force.id]

    monkeypatch.setattr(paging, "COUNT_LIMIT", 5)
    bounded = world.stub.ListPlt(org_pb2.ListPltRequest(page_size=4), metadata=tenant.pegawai)
    assert (bounded.total_count, bounded.total_count_exact) == (5, False) and len(bounded.plt) == 4
    few = world.stub.ListPlt(org_pb2.ListPltRequest(only_active=True), metadata=tenant.pegawai)
    assert (few.total_count, few.total_count_exact) == (1, True)

    # a token continues only the list it came from; a made-up position is refused too
    forged = base64.urlsafe_b64encode(
        json.dumps(
            {"n": "bukan tanggal", "i": str(uuid.uuid4()), "f": paging.fingerprint("plt", "", "", False)}
        ).encode()
    ).decode()
    for request in (
        org_pb2.ListPltRequest(unor_id=units[0].id, page_token=bounded.next_page_token),
        org_pb2.ListPltRequest(only_active=True, page_token=bounded.next_page_token),
        org_pb2.ListPltRequest(page_token=forged),
    ):
        code, error = rpc_error(world.stub.ListPlt, request, metadata=tenant.pegawai)
        assert code == grpc.StatusCode.INVALID_ARGUMENT and codes(error) == {
            "page_token": "PAGE_TOKEN_INVALID"
        }
    code, error = rpc_error(world.stub.ListPlt, org_pb2.ListPltRequest(page_size=-1), metadata=tenant.pegawai)
    assert code == grpc.StatusCode.INVALID_ARGUMENT and codes(error) == {"page_size": "PAGE_SIZE_INVALID"}
    code, error = rpc_error(
        world.stub.ListPlt, org_pb2.ListPltRequest(pegawai_id="x"), metadata=tenant.pegawai
    )
    assert code == grpc.StatusCode.INVALID_ARGUMENT and codes(error) == {"pegawai_id": "INVALID_ID"}
    assert world.all_plt(tenant, unor_id=units[1].id) == [p for p in seen if p.unor_id == units[1].id]
