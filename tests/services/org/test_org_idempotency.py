"""Retries of org's creates are safe: the same `idempotency-key` answers the first result (a retried
CreatePegawai is the pegawai, not NIP_EXISTS; a retried CreateInstansi is the instansi, not a twin)."""

from __future__ import annotations

import grpc
import pytest

from kinerja.org.v1 import org_pb2
from kinerja_kit.context import ROLE_ADMIN_BKN
from kinerja_testing.org import OrgWorld, Tenant
from kinerja_testing.platform import md, random_nip, rpc_error
from org.entrypoints.grpc_api import OrgServicer

pytestmark = pytest.mark.integration

KEY = "idempotency-key"


def test_a_retried_create_pegawai_answers_the_pegawai(world: OrgWorld, tenant: Tenant) -> None:
    unor_id = world.root(tenant).id
    request = org_pb2.CreatePegawaiRequest(
        pegawai=org_pb2.PegawaiInput(
            nip=random_nip(),
            nama="Sri Lestari",
            unor_id=unor_id,
            jabatan=org_pb2.Jabatan(nama="Analis SDM Aparatur", jenis=org_pb2.JENIS_JABATAN_PELAKSANA),
        )
    )
    caller = [*tenant.admin, (KEY, "pegawai-baru-1")]
    first = world.stub.CreatePegawai(request, metadata=caller)
    assert world.stub.CreatePegawai(request, metadata=caller) == first
    code, error = rpc_error(world.stub.CreatePegawai, request, metadata=tenant.admin)
    assert (code, error.reason) == (grpc.StatusCode.ALREADY_EXISTS, "NIP_EXISTS")
    assert len(world.query("select id from pegawai where nip = :n", n=request.pegawai.nip)) == 1


def test_a_retried_create_instansi_makes_one(world: OrgWorld) -> None:
    bkn = [*md(world.token_for(None, ROLE_ADMIN_BKN)), (KEY, "instansi-baru")]
    request = org_pb2.CreateInstansiRequest(kode="UJI-IDEM-" + random_nip()[-6:], nama="Uji", jenis="DAERAH")
    first = world.stub.CreateInstansi(request, metadata=bkn)
    assert world.stub.CreateInstansi(request, metadata=bkn) == first
    assert len(world.query("select id from instansi where kode = :k", k=request.kode)) == 1


def test_every_create_opts_in() -> None:
    opted = {name for name, f in vars(OrgServicer).items() if hasattr(f, "__wrapped__")}
    assert opted == {"CreateInstansi", "CreateUnor", "CreatePegawai", "AddJptNonAsn", "CreatePlt"}
