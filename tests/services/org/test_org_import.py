"""ImportUnor and ImportPegawai: the single calls' rules per item with item paths, all or nothing, caller-
chosen ids, an idempotent repeat, conflicts, the size limit, authority, and one event per created item."""

from __future__ import annotations

import uuid

import grpc
import pytest

from kinerja.common.v1 import envelope_pb2
from kinerja.org.v1 import org_pb2
from kinerja_kit.outbox import unpack_payload
from kinerja_testing.org import OrgWorld, Tenant, codes, random_nip, rpc_error
from org.service_layer.importer import MAX_IMPORT

pytestmark = pytest.mark.integration

STAFF = org_pb2.Jabatan(nama="Pengelola Data", jenis=org_pb2.JENIS_JABATAN_PELAKSANA)
HEAD = org_pb2.Jabatan(nama="Kepala Bidang", jenis=org_pb2.JENIS_JABATAN_ADMINISTRATOR)


def unor_item(nama: str, parent: str = "", unor_id: str = "", **extra: object) -> org_pb2.ImportUnor:
    return org_pb2.ImportUnor(
        id=unor_id or str(uuid.uuid4()),
        unor=org_pb2.UnorInput(
            nama=nama, parent_id=parent, **{"jenis": org_pb2.JENIS_UNOR_ADMINISTRATOR, **extra}
        ),  # type: ignore[arg-type]
    )


def pegawai_item(
    unor_id: str, nama: str = "Budi", pegawai_id: str = "", **extra: object
) -> org_pb2.ImportPegawai:
    fields: dict[str, object] = {"nip": random_nip(), "jabatan": STAFF, **extra}
    return org_pb2.ImportPegawai(
        id=pegawai_id or str(uuid.uuid4()),
        pegawai=org_pb2.PegawaiInput(nama=nama, unor_id=unor_id, **fields),  # type: ignore[arg-type]
    )


def import_unor(world: OrgWorld, tenant: Tenant, items: list[org_pb2.ImportUnor]) -> org_pb2.ImportResponse:
    done: org_pb2.ImportResponse = world.stub.ImportUnor(
        org_pb2.ImportUnorRequest(unor=items), metadata=tenant.admin
    )
    return done


def import_pegawai(
    world: OrgWorld, tenant: Tenant, items: list[org_pb2.ImportPegawai], metadata: object = None
) -> org_pb2.ImportResponse:
    done: org_pb2.ImportResponse = world.stub.ImportPegawai(
        org_pb2.ImportPegawaiRequest(pegawai=items), metadata=metadata or tenant.admin
    )
    return done


def test_import_unor_in_order_idempotent_and_all_or_nothing(world: OrgWorld, tenant: Tenant) -> None:
    root = unor_item("Badan", jenis=org_pb2.JENIS_UNOR_JPT_PRATAMA)
    bidang = unor_item("Bidang Satu", root.id)
    sub = unor_item("Subbidang", bidang.id, induk_id=root.id)
    items = [root, bidang, sub]
    assert import_unor(world, tenant, items) == org_pb2.ImportResponse(created=3, unchanged=0)
    listed = world.stub.ListUnor(org_pb2.ListUnorRequest(), metadata=tenant.pegawai).unor
    assert [u.id for u in listed] == [root.id, bidang.id, sub.id] and listed[2].induk_id == root.id
    [event] = world.outbox(sub.id)
    assert (event.event_type, event.aggregate_version) == ("kinerja.org.v1.UnorCreated", 1)
    payload = unpack_payload(envelope_pb2.EventEnvelope.FromString(event.envelope), org_pb2.UnorCreated)
    assert payload.unor == listed[2]  # type: ignore[attr-defined]

    # the same call again changes nothing; with one more item it creates that one only
    assert import_unor(world, tenant, items) == org_pb2.ImportResponse(created=0, unchanged=3)
    extra = unor_item("Bidang Dua", root.id)
    assert import_unor(world, tenant, [*items, extra]) == org_pb2.ImportResponse(created=1, unchanged=3)
    assert len(world.outbox(root.id)) == 1

    before = world.snapshot(tenant.id)
    changed = unor_item("Bidang Satu (baru)", root.id, unor_id=bidang.id)
    code, error = rpc_error(
        world.stub.ImportUnor, org_pb2.ImportUnorRequest(unor=[changed]), metadata=tenant.admin
    )
    assert (code, error.reason) == (grpc.StatusCode.FAILED_PRECONDITION, "IMPORT_CONFLICT")
    assert codes(error) == {"unor[0].id": "IMPORT_CONFLICT"}

    orphan_parent = str(uuid.uuid4())
    good = unor_item("Baik", root.id)
    bad = [
        good,
        unor_item("", root.id),
        unor_item("Yatim", orphan_parent),
        unor_item("Akar Kedua"),
        org_pb2.ImportUnor(id="bukan-uuid", unor=bidang.unor),
        unor_item("Kembar", root.id, unor_id=good.id),
        unor_item("Eselon", root.id, eselon="II.a"),
        unor_item("Induk Hilang", root.id, induk_id=str(uuid.uuid4())),
    ]
    code, error = rpc_error(world.stub.ImportUnor, org_pb2.ImportUnorRequest(unor=bad), metadata=tenant.admin)
    assert code == grpc.StatusCode.INVALID_ARGUMENT
    assert codes(error) == {
        "unor[1].nama": "REQUIRED",
        "unor[2].parent_id": "PARENT_NOT_FOUND",
        "unor[3].parent_id": "PARENT_REQUIRED",
        "unor[4].id": "INVALID_ID",
        "unor[5].id": "DUPLICATE_ID",
        "unor[6].eselon": "ESELON_FORMAT",
        "unor[7].induk_id": "INDUK_NOT_FOUND",
    }
    assert world.snapshot(tenant.id) == before  # nothing of the call, not even its good item


def test_import_pegawai_rules_paths_and_events(world: OrgWorld, tenant: Tenant) -> None:
    root = world.root(tenant)
    unit = world.unor(tenant, "Bidang", parent_id=root.id)
    head = pegawai_item(unit.id, "Kepala", pimpinan=True, jabatan=HEAD)
    staff = [
        pegawai_item(unit.id, f"Staf {i:02d}", golongan="III/a", tmt_jabatan="2020-01-02") for i in range(30)
    ]
    done = import_pegawai(world, tenant, [head, *staff])
    assert done == org_pb2.ImportResponse(created=31, unchanged=0)

    stored = world.stub.GetPegawai(org_pb2.GetPegawaiRequest(id=staff[3].id), metadata=tenant.pegawai)
    assert (stored.nip, stored.pangkat, stored.tmt_jabatan, stored.version) == (
        staff[3].pegawai.nip, "Penata Muda", "2020-01-02", 1,
    )  # fmt: skip
    for item in (head, *staff):  # one PegawaiCreated each, the payload of the single call
        [event] = world.outbox(item.id)
        assert (event.topic, event.event_type, event.aggregate_version) == (
            "kinerja.org.pegawai.v1", "kinerja.org.v1.PegawaiCreated", 1,
        )  # fmt: skip
    created = unpack_payload(
        envelope_pb2.EventEnvelope.FromString(world.outbox(staff[3].id)[0].envelope), org_pb2.PegawaiCreated
    )
    assert created.pegawai == stored  # type: ignore[attr-defined]
    relations = world.stub.GetRelations(
        org_pb2.GetRelationsRequest(pegawai_id=staff[0].id), metadata=tenant.pegawai
    )
    assert relations.atasan_langsung_id == head.id

    # idempotent repeat; a changed item is a conflict
    assert import_pegawai(world, tenant, [head, *staff]) == org_pb2.ImportResponse(created=0, unchanged=31)
    before = world.snapshot(tenant.id)
    moved = pegawai_item(root.id, "Staf 05", pegawai_id=staff[5].id, nip=staff[5].pegawai.nip)
    code, error = rpc_error(
        world.stub.ImportPegawai, org_pb2.ImportPegawaiRequest(pegawai=[moved]), metadata=tenant.admin
    )
    assert (code, error.reason, codes(error)) == (
        grpc.StatusCode.FAILED_PRECONDITION, "IMPORT_CONFLICT", {"pegawai[0].id": "IMPORT_CONFLICT"},
    )  # fmt: skip

    fungsional = org_pb2.Jabatan(nama="Analis", jenis=org_pb2.JENIS_JABATAN_FUNGSIONAL)
    bad = [
        pegawai_item(unit.id, "Baik"),
        pegawai_item(unit.id, "NIP Rusak", nip="12345"),
        pegawai_item(unit.id, "", jabatan=fungsional),
        pegawai_item(str(uuid.uuid4()), "Tanpa Unor"),
        pegawai_item(unit.id, "Golongan", golongan="V/z"),
        org_pb2.ImportPegawai(id="", pegawai=staff[1].pegawai),
    ]
    code, error = rpc_error(
        world.stub.ImportPegawai, org_pb2.ImportPegawaiRequest(pegawai=bad), metadata=tenant.admin
    )
    assert code == grpc.StatusCode.INVALID_ARGUMENT
    assert codes(error) == {
        "pegawai[1].nip": "NIP_FORMAT",
        "pegawai[2].nama": "REQUIRED",
        "pegawai[2].jabatan.jenjang": "REQUIRED",
        "pegawai[3].unor_id": "UNOR_NOT_FOUND",
        "pegawai[4].golongan": "GOLONGAN_INVALID",
        "pegawai[5].id": "INVALID_ID",
    }

    nip = random_nip()
    code, error = rpc_error(
        world.stub.ImportPegawai,
        org_pb2.ImportPegawaiRequest(
            pegawai=[
                pegawai_item(unit.id, "NIP Terpakai", nip=staff[7].pegawai.nip),
                pegawai_item(unit.id, "Kembar 1", nip=nip),
                pegawai_item(unit.id, "Kembar 2", nip=nip),
            ]
        ),
        metadata=tenant.admin,
    )
    assert (code, error.reason) == (grpc.StatusCode.ALREADY_EXISTS, "NIP_TAKEN")
    assert codes(error) == {"pegawai[0].nip": "NIP_TAKEN", "pegawai[2].nip": "NIP_TAKEN"}

    other = world.instansi()  # a NIP active in another instansi (invisible here) is taken too
    elsewhere = world.pegawai(other, world.root(other).id, "Di Instansi Lain")
    code, error = rpc_error(
        world.stub.ImportPegawai,
        org_pb2.ImportPegawaiRequest(
            pegawai=[pegawai_item(unit.id, "Baik Lagi"), pegawai_item(unit.id, "Pindahan", nip=elsewhere.nip)]
        ),
        metadata=tenant.admin,
    )
    assert (code, error.reason, codes(error)) == (
        grpc.StatusCode.ALREADY_EXISTS, "NIP_TAKEN", {"pegawai[1].nip": "NIP_TAKEN"},
    )  # fmt: skip

    code, error = rpc_error(
        world.stub.ImportPegawai,
        org_pb2.ImportPegawaiRequest(
            pegawai=[
                pegawai_item(unit.id, "Kepala Kedua", pimpinan=True, jabatan=HEAD),
                pegawai_item(root.id, "Kepala Induk", pimpinan=True, jabatan=HEAD),
                pegawai_item(root.id, "Kepala Induk Lagi", pimpinan=True, jabatan=HEAD),
            ]
        ),
        metadata=tenant.admin,
    )
    assert (code, error.reason) == (grpc.StatusCode.FAILED_PRECONDITION, "PIMPINAN_EXISTS")
    assert codes(error) == {
        "pegawai[0].pimpinan": "PIMPINAN_EXISTS",
        "pegawai[2].pimpinan": "PIMPINAN_EXISTS",
    }
    assert world.snapshot(tenant.id) == before


def test_import_limits_and_authority(world: OrgWorld, tenant: Tenant) -> None:
    root = world.root(tenant)
    too_many = [pegawai_item(root.id, nip="199001012015011001") for _ in range(MAX_IMPORT + 1)]
    code, error = rpc_error(
        world.stub.ImportPegawai, org_pb2.ImportPegawaiRequest(pegawai=too_many), metadata=tenant.admin
    )
    assert code == grpc.StatusCode.INVALID_ARGUMENT and codes(error) == {"pegawai": "IMPORT_TOO_LARGE"}
    code, error = rpc_error(
        world.stub.ImportUnor,
        org_pb2.ImportUnorRequest(unor=[unor_item("U", root.id) for _ in range(MAX_IMPORT + 1)]),
        metadata=tenant.admin,
    )
    assert code == grpc.StatusCode.INVALID_ARGUMENT and codes(error) == {"unor": "IMPORT_TOO_LARGE"}

    before = world.snapshot(tenant.id)
    for call, request in (
        (world.stub.ImportPegawai, org_pb2.ImportPegawaiRequest(pegawai=[pegawai_item(root.id)])),
        (world.stub.ImportUnor, org_pb2.ImportUnorRequest(unor=[unor_item("U", root.id)])),
    ):
        code, error = rpc_error(call, request, metadata=tenant.pegawai)  # type: ignore[operator]
        assert (code, error.reason) == (grpc.StatusCode.PERMISSION_DENIED, "ADMIN_REQUIRED")
    assert world.snapshot(tenant.id) == before
    # admin BKN acting for the instansi may
    done = import_pegawai(world, tenant, [pegawai_item(root.id, "Oleh BKN")], metadata=tenant.bkn)
    assert done.created == 1
