"""Instansi through gRPC: only admin BKN creates; others see only their own; InstansiCreated in the outbox."""

from __future__ import annotations

import uuid

import grpc
import pytest

from kinerja.common.v1 import envelope_pb2
from kinerja.org.v1 import org_pb2
from kinerja_kit.context import ROLE_ADMIN_BKN, ROLE_ADMIN_INSTANSI
from kinerja_kit.outbox import unpack_payload
from kinerja_testing.org import OrgWorld, Tenant, codes, md, rpc_error

pytestmark = pytest.mark.integration


def test_admin_bkn_creates_an_instansi_and_its_event(world: OrgWorld) -> None:
    bkn = md(world.token_for(None, ROLE_ADMIN_BKN))
    kode = f"pemprov-{uuid.uuid4().hex[:6]}"
    created = world.stub.CreateInstansi(
        org_pb2.CreateInstansiRequest(kode=kode, nama=" Pemerintah  Provinsi Jawa Tengah ", jenis="daerah"),
        metadata=bkn,
    )
    assert created.kode == kode.upper() and created.nama == "Pemerintah Provinsi Jawa Tengah"
    assert created.jenis == "DAERAH" and created.created_at.seconds > 0
    [row] = world.outbox(created.id)
    assert row.topic == "kinerja.org.instansi.v1" and row.event_type == "kinerja.org.v1.InstansiCreated"
    assert str(row.instansi_id) == created.id and row.aggregate_version == 1
    envelope = envelope_pb2.EventEnvelope.FromString(row.envelope)
    payload = unpack_payload(envelope, org_pb2.InstansiCreated)
    assert payload.instansi.kode == created.kode  # type: ignore[attr-defined]
    assert world.stub.GetInstansi(org_pb2.GetInstansiRequest(id=created.id), metadata=bkn) == created


def test_only_admin_bkn_creates(world: OrgWorld, tenant: Tenant) -> None:
    before = world.query("select count(*) from instansi")
    for metadata in (tenant.admin, tenant.pegawai):
        code, error = rpc_error(
            world.stub.CreateInstansi,
            org_pb2.CreateInstansiRequest(kode="BARU-1", nama="Baru", jenis="PUSAT"),
            metadata=metadata,
        )
        assert code == grpc.StatusCode.PERMISSION_DENIED and error.reason == "ADMIN_BKN_REQUIRED"
    assert world.query("select count(*) from instansi") == before


def test_bad_and_duplicate_instansi(world: OrgWorld, tenant: Tenant) -> None:
    bkn = md(world.token_for(None, ROLE_ADMIN_BKN))
    code, error = rpc_error(
        world.stub.CreateInstansi, org_pb2.CreateInstansiRequest(kode="a b", nama="", jenis="X"), metadata=bkn
    )
    assert code == grpc.StatusCode.INVALID_ARGUMENT
    assert codes(error) == {"kode": "KODE_FORMAT", "nama": "REQUIRED", "jenis": "JENIS_INVALID"}
    code, error = rpc_error(
        world.stub.CreateInstansi,
        org_pb2.CreateInstansiRequest(kode=tenant.kode, nama="Lain", jenis="PUSAT"),
        metadata=bkn,
    )
    assert code == grpc.StatusCode.ALREADY_EXISTS and error.reason == "KODE_EXISTS"
    assert world.query("select count(*) from instansi where kode = :k", k=tenant.kode)[0][0] == 1


def test_list_and_get_visibility(world: OrgWorld, tenant: Tenant) -> None:
    other = world.instansi("Instansi Lain")
    own = world.stub.ListInstansi(org_pb2.ListInstansiRequest(), metadata=tenant.pegawai).instansi
    assert [i.id for i in own] == [str(tenant.id)]
    everything = world.stub.ListInstansi(
        org_pb2.ListInstansiRequest(), metadata=md(world.token_for(None, ROLE_ADMIN_BKN))
    ).instansi
    assert {str(tenant.id), str(other.id)} <= {i.id for i in everything}
    assert (
        world.stub.GetInstansi(org_pb2.GetInstansiRequest(id=str(tenant.id)), metadata=tenant.admin).kode
        == tenant.kode
    )
    for bad in (str(other.id), "bukan-id", str(uuid.uuid4())):
        code, error = rpc_error(
            world.stub.GetInstansi, org_pb2.GetInstansiRequest(id=bad), metadata=tenant.admin
        )
        assert code == grpc.StatusCode.NOT_FOUND and error.reason == "INSTANSI_NOT_FOUND"


def test_admin_instansi_of_an_unknown_instansi_cannot_write(world: OrgWorld) -> None:
    ghost = md(world.token_for(uuid.uuid4(), ROLE_ADMIN_INSTANSI))
    code, error = rpc_error(
        world.stub.CreateUnor,
        org_pb2.CreateUnorRequest(unor=org_pb2.UnorInput(nama="X", jenis=org_pb2.JENIS_UNOR_JPT_PRATAMA)),
        metadata=ghost,
    )
    assert code == grpc.StatusCode.NOT_FOUND and error.reason == "INSTANSI_NOT_FOUND"


def test_admin_bkn_writes_only_when_acting_on_an_instansi(world: OrgWorld, tenant: Tenant) -> None:
    bkn = md(world.token_for(None, ROLE_ADMIN_BKN))
    request = org_pb2.CreateUnorRequest(
        unor=org_pb2.UnorInput(nama="Badan", jenis=org_pb2.JENIS_UNOR_JPT_PRATAMA)
    )
    code, error = rpc_error(world.stub.CreateUnor, request, metadata=bkn)
    assert code == grpc.StatusCode.PERMISSION_DENIED and error.reason == "INSTANSI_REQUIRED"
    created = world.stub.CreateUnor(request, metadata=tenant.bkn)
    assert created.instansi_id == str(tenant.id)
