"""The unor tree through gRPC: CRUD, every refusal leaving the data unchanged, guarded delete, events."""

from __future__ import annotations

import uuid

import grpc
import pytest

from kinerja.common.v1 import envelope_pb2
from kinerja.org.v1 import org_pb2
from kinerja_kit.outbox import unpack_payload
from kinerja_testing.org import OrgWorld, Tenant, codes, rpc_error

pytestmark = pytest.mark.integration


def _input(**fields: object) -> org_pb2.UnorInput:
    fields.setdefault("jenis", org_pb2.JENIS_UNOR_ADMINISTRATOR)
    return org_pb2.UnorInput(**fields)  # type: ignore[arg-type]


def test_create_get_update_with_events(world: OrgWorld, tenant: Tenant) -> None:
    root = world.unor(
        tenant, "Badan Kepegawaian Daerah", parent_id="", jenis=org_pb2.JENIS_UNOR_JPT_PRATAMA,
        eselon="21", mandiri=True, kota="Semarang",
    )  # fmt: skip
    assert root.version == 1 and root.parent_id == "" and root.mandiri and root.eselon == "21"
    child = world.unor(tenant, "Bidang Mutasi", parent_id=root.id, induk_id=root.id, kota="Semarang")
    assert child.parent_id == root.id and child.induk_id == root.id
    fetched = world.stub.GetUnor(org_pb2.GetUnorRequest(id=root.id), metadata=tenant.pegawai)
    assert fetched.jumlah_sub_unor == 1 and fetched.jumlah_pegawai == 0

    updated = world.stub.UpdateUnor(
        org_pb2.UpdateUnorRequest(
            id=child.id,
            unor=_input(nama="Bidang Mutasi dan Promosi", parent_id=root.id, eselon="31", kota="Semarang"),
            expected_version=1,
        ),
        metadata=tenant.admin,
    )
    assert updated.nama == "Bidang Mutasi dan Promosi" and updated.version == 2 and updated.induk_id == ""
    unchanged = world.stub.UpdateUnor(
        org_pb2.UpdateUnorRequest(
            id=child.id,
            unor=_input(nama="Bidang Mutasi dan Promosi", parent_id=root.id, eselon="31", kota="Semarang"),
        ),
        metadata=tenant.admin,
    )
    assert unchanged == updated

    rows = world.outbox(child.id)
    assert [(r.topic, r.event_type, r.aggregate_version) for r in rows] == [
        ("kinerja.org.unor.v1", "kinerja.org.v1.UnorCreated", 1),
        ("kinerja.org.unor.v1", "kinerja.org.v1.UnorUpdated", 2),
    ]
    assert {str(r.instansi_id) for r in rows} == {str(tenant.id)}
    event = unpack_payload(envelope_pb2.EventEnvelope.FromString(rows[1].envelope), org_pb2.UnorUpdated)
    assert event.unor.nama == "Bidang Mutasi dan Promosi" and event.previous.nama == "Bidang Mutasi"  # type: ignore[attr-defined]


def test_refusals_leave_the_tree_unchanged(world: OrgWorld, tenant: Tenant) -> None:
    root = world.root(tenant)
    child = world.unor(tenant, "Bidang", parent_id=root.id)
    grandchild = world.unor(tenant, "Subbidang", parent_id=child.id, jenis=org_pb2.JENIS_UNOR_PENGAWAS)
    elsewhere = world.instansi()
    foreign = world.root(elsewhere, "Unor Instansi Lain")
    before = world.snapshot(tenant.id)
    cases = [
        (_input(nama="", parent_id=root.id), "unor.nama", "REQUIRED"),
        (_input(nama="x" * 256, parent_id=root.id), "unor.nama", "TOO_LONG"),
        (_input(nama="Unit", parent_id=root.id, jenis=0), "unor.jenis", "REQUIRED"),
        (_input(nama="Unit", parent_id=str(uuid.uuid4())), "unor.parent_id", "PARENT_NOT_FOUND"),
        (_input(nama="Unit", parent_id=foreign.id), "unor.parent_id", "PARENT_NOT_FOUND"),
        (_input(nama="Unit", parent_id="bukan-id"), "unor.parent_id", "INVALID_ID"),
        (_input(nama="Unit", parent_id=""), "unor.parent_id", "PARENT_REQUIRED"),
        (_input(nama="Unit", parent_id=root.id, induk_id=foreign.id), "unor.induk_id", "INDUK_NOT_FOUND"),
        (_input(nama="Unit", parent_id=root.id, kota="k" * 101), "unor.kota", "TOO_LONG"),
    ]
    for unor_input, field, code_name in cases:
        code, error = rpc_error(
            world.stub.CreateUnor, org_pb2.CreateUnorRequest(unor=unor_input), metadata=tenant.admin
        )
        assert code == grpc.StatusCode.INVALID_ARGUMENT, (field, code_name)
        assert codes(error)[field] == code_name
        assert error.message
    for parent in (child.id, grandchild.id):
        code, error = rpc_error(
            world.stub.UpdateUnor,
            org_pb2.UpdateUnorRequest(id=child.id, unor=_input(nama="Bidang", parent_id=parent)),
            metadata=tenant.admin,
        )
        assert code == grpc.StatusCode.INVALID_ARGUMENT and codes(error) == {"unor.parent_id": "CYCLE"}
    code, error = rpc_error(
        world.stub.UpdateUnor,
        org_pb2.UpdateUnorRequest(id=root.id, unor=_input(nama="Induk", parent_id=grandchild.id)),
        metadata=tenant.admin,
    )
    assert codes(error) == {"unor.parent_id": "CYCLE"}
    code, error = rpc_error(
        world.stub.UpdateUnor,
        org_pb2.UpdateUnorRequest(
            id=child.id, unor=_input(nama="Bidang", parent_id=root.id), expected_version=7
        ),
        metadata=tenant.admin,
    )
    assert code == grpc.StatusCode.ABORTED and error.reason == "VERSION_CONFLICT"
    code, error = rpc_error(
        world.stub.UpdateUnor,
        org_pb2.UpdateUnorRequest(id=str(uuid.uuid4()), unor=_input(nama="X", parent_id=root.id)),
        metadata=tenant.admin,
    )
    assert code == grpc.StatusCode.NOT_FOUND and error.reason == "UNOR_NOT_FOUND"
    code, error = rpc_error(
        world.stub.CreateUnor,
        org_pb2.CreateUnorRequest(unor=_input(nama="Unit", parent_id=root.id)),
        metadata=tenant.pegawai,
    )
    assert code == grpc.StatusCode.PERMISSION_DENIED and error.reason == "ADMIN_REQUIRED"
    assert world.snapshot(tenant.id) == before


def test_delete_refuses_a_unor_holding_pegawai_or_children(world: OrgWorld, tenant: Tenant) -> None:
    root = world.root(tenant)
    parent = world.unor(tenant, "Bidang", parent_id=root.id)
    leaf = world.unor(tenant, "Subbidang", parent_id=parent.id, jenis=org_pb2.JENIS_UNOR_PENGAWAS)
    pegawai = world.pegawai(tenant, leaf.id)
    before = world.snapshot(tenant.id)
    for unor_id, reason in ((leaf.id, "UNOR_HAS_PEGAWAI"), (parent.id, "UNOR_HAS_CHILDREN")):
        code, error = rpc_error(
            world.stub.DeleteUnor, org_pb2.DeleteUnorRequest(id=unor_id), metadata=tenant.admin
        )
        assert code == grpc.StatusCode.FAILED_PRECONDITION and error.reason == reason
        assert "tidak dapat dihapus" in error.message
    assert world.snapshot(tenant.id) == before

    world.stub.RemovePegawai(org_pb2.RemovePegawaiRequest(id=pegawai.id), metadata=tenant.admin)
    world.stub.DeleteUnor(org_pb2.DeleteUnorRequest(id=leaf.id), metadata=tenant.admin)
    world.stub.DeleteUnor(org_pb2.DeleteUnorRequest(id=parent.id), metadata=tenant.admin)
    code, _ = rpc_error(world.stub.GetUnor, org_pb2.GetUnorRequest(id=leaf.id), metadata=tenant.admin)
    assert code == grpc.StatusCode.NOT_FOUND
    listed = world.stub.ListUnor(org_pb2.ListUnorRequest(), metadata=tenant.admin).unor
    assert [u.id for u in listed] == [root.id]
    deleted = world.outbox(leaf.id)[-1]
    assert deleted.event_type == "kinerja.org.v1.UnorDeleted" and deleted.aggregate_version == 2
    payload = unpack_payload(envelope_pb2.EventEnvelope.FromString(deleted.envelope), org_pb2.UnorDeleted)
    assert payload.unor_id == leaf.id and payload.nama == "Subbidang"  # type: ignore[attr-defined]


def test_delete_refuses_an_induk(world: OrgWorld, tenant: Tenant) -> None:
    root = world.root(tenant)
    left = world.unor(tenant, "Kiri", parent_id=root.id)
    world.unor(tenant, "Kanan", parent_id=root.id, induk_id=left.id)
    code, error = rpc_error(
        world.stub.DeleteUnor, org_pb2.DeleteUnorRequest(id=left.id), metadata=tenant.admin
    )
    assert code == grpc.StatusCode.FAILED_PRECONDITION and error.reason == "UNOR_IS_INDUK"


def test_list_batch_and_counts(world: OrgWorld, demo: Tenant) -> None:
    listed = world.stub.ListUnor(org_pb2.ListUnorRequest(), metadata=demo.pegawai).unor
    assert len(listed) == 9
    position = {u.id: i for i, u in enumerate(listed)}
    for unor in listed:
        if unor.parent_id:
            assert position[unor.parent_id] < position[unor.id]
    by_id = {u.id: u for u in listed}
    root = by_id[demo.unor("bkd")]
    assert listed[0].id == root.id and root.jumlah_sub_unor == 5 and root.jumlah_pegawai == 1
    assert by_id[demo.unor("informasi")].jumlah_pegawai == 6
    assert by_id[demo.unor("upt")].mandiri and by_id[demo.unor("upt")].jumlah_sub_unor == 1
    filtered = world.stub.ListUnor(org_pb2.ListUnorRequest(query="subbagian"), metadata=demo.pegawai).unor
    # the matches, with their ancestors (so the tree can be drawn), parents first
    assert [u.id for u in filtered] == [
        demo.unor(k) for k in ("bkd", "sekretariat", "sub_keuangan", "sub_umum", "upt", "upt_tu")
    ]

    wanted = [demo.unor("upt"), str(uuid.uuid4()), "bukan-id", demo.unor("bkd"), demo.unor("upt")]
    batch = world.stub.BatchGetUnor(org_pb2.BatchGetUnorRequest(ids=wanted), metadata=demo.pegawai).unor
    assert [u.id for u in batch] == [demo.unor("upt"), demo.unor("bkd")]
    assert batch[0].jumlah_pegawai == 4
