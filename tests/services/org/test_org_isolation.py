"""Isolation: a caller of instansi A reaches nothing of instansi B through any OrgService method, and
row-level security alone (the application's filter bypassed) still hides B from A's transactions."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import grpc
import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError

from kinerja.org.v1 import org_pb2
from kinerja_kit.db import UnitOfWork
from kinerja_kit.errors import from_rpc_error
from kinerja_testing.org import Metadata, OrgWorld, Tenant, random_nik, random_nip, rpc_error
from kinerja_testing.platform import proto_strings

pytestmark = pytest.mark.integration

DENIED = {grpc.StatusCode.NOT_FOUND, grpc.StatusCode.PERMISSION_DENIED}
NOT_FOUND_CODES = {"PARENT_NOT_FOUND", "UNOR_NOT_FOUND", "PEGAWAI_NOT_FOUND", "INDUK_NOT_FOUND"}


@pytest.fixture(scope="module")
def pair(world: OrgWorld) -> tuple[Tenant, Tenant]:
    return world.tree(1), world.tree(2)


def _b_ids(b: Tenant) -> set[str]:
    assert b.loaded is not None
    return {*b.loaded.unor.values(), *b.loaded.pegawai.values(), *b.loaded.plt, str(b.id)}


def _calls(world: OrgWorld, a: Tenant, b: Tenant) -> dict[str, Callable[[Metadata], Any]]:
    """One call per RPC, aimed at B's data."""
    s = world.stub
    assert b.structure is not None and b.loaded is not None
    b_unor, b_leaf, b_peg = b.unor("setda"), b.unor("kelembagaan"), b.peg("analis_jabatan")
    b_nip = next(p.nip for p in b.structure.pegawai if p.key == "analis_jabatan")
    b_plt = b.loaded.plt[0]
    jabatan = org_pb2.Jabatan(nama="Pengelola Keuangan", jenis=org_pb2.JENIS_JABATAN_PELAKSANA)
    unor_in = org_pb2.UnorInput(nama="Disusupkan", jenis=org_pb2.JENIS_UNOR_PENGAWAS, parent_id=b_unor)
    peg_in = org_pb2.PegawaiInput(nip=random_nip(), nama="Disusupkan", unor_id=b_leaf, jabatan=jabatan)
    plt_in = org_pb2.PltInput(
        pegawai_id=b_peg, unor_id=b_leaf, jabatan="Plh", jenis=org_pb2.JENIS_PLT_PLH,
        tanggal_mulai="2026-01-01", tanggal_selesai="2026-01-02", aktif=True,
    )  # fmt: skip
    return {
        "CreateInstansi": lambda m: s.CreateInstansi(
            org_pb2.CreateInstansiRequest(kode="SUSUP-1", nama="Susup", jenis="PUSAT"), metadata=m
        ),
        "GetInstansi": lambda m: s.GetInstansi(org_pb2.GetInstansiRequest(id=str(b.id)), metadata=m),
        "ListInstansi": lambda m: s.ListInstansi(org_pb2.ListInstansiRequest(), metadata=m),
        "CreateUnor": lambda m: s.CreateUnor(org_pb2.CreateUnorRequest(unor=unor_in), metadata=m),
        "UpdateUnor": lambda m: s.UpdateUnor(org_pb2.UpdateUnorRequest(id=b_leaf, unor=unor_in), metadata=m),
        "DeleteUnor": lambda m: s.DeleteUnor(org_pb2.DeleteUnorRequest(id=b_leaf), metadata=m),
        "GetUnor": lambda m: s.GetUnor(org_pb2.GetUnorRequest(id=b_unor), metadata=m),
        "BatchGetUnor": lambda m: s.BatchGetUnor(
            org_pb2.BatchGetUnorRequest(ids=[b_unor, b_leaf]), metadata=m
        ),
        "ListUnor": lambda m: s.ListUnor(org_pb2.ListUnorRequest(), metadata=m),
        "ListUnorChildren": lambda m: s.ListUnorChildren(
            org_pb2.ListUnorChildrenRequest(parent_id=b_unor), metadata=m
        ),
        "ImportUnor": lambda m: s.ImportUnor(
            org_pb2.ImportUnorRequest(unor=[org_pb2.ImportUnor(id=str(uuid.uuid4()), unor=unor_in)]),
            metadata=m,
        ),
        "ImportPegawai": lambda m: s.ImportPegawai(
            org_pb2.ImportPegawaiRequest(
                pegawai=[org_pb2.ImportPegawai(id=str(uuid.uuid4()), pegawai=peg_in)]
            ),
            metadata=m,
        ),
        "ListRelated": lambda m: s.ListRelated(
            org_pb2.ListRelatedRequest(pegawai_id=b.peg("kepala_bkpsdm"), kind=org_pb2.RELATED_KIND_BAWAHAN),
            metadata=m,
        ),
        "CreatePegawai": lambda m: s.CreatePegawai(org_pb2.CreatePegawaiRequest(pegawai=peg_in), metadata=m),
        "UpdatePegawai": lambda m: s.UpdatePegawai(
            org_pb2.UpdatePegawaiRequest(id=b_peg, pegawai=peg_in), metadata=m
        ),
        "RemovePegawai": lambda m: s.RemovePegawai(org_pb2.RemovePegawaiRequest(id=b_peg), metadata=m),
        "GetPegawai": lambda m: s.GetPegawai(org_pb2.GetPegawaiRequest(id=b_peg), metadata=m),
        "GetPegawaiByNip": lambda m: s.GetPegawaiByNip(org_pb2.GetPegawaiByNipRequest(nip=b_nip), metadata=m),
        "BatchGetPegawai": lambda m: s.BatchGetPegawai(
            org_pb2.BatchGetPegawaiRequest(ids=list(b.loaded.pegawai.values())), metadata=m
        ),
        "SearchPegawai": lambda m: s.SearchPegawai(org_pb2.SearchPegawaiRequest(query=b_nip), metadata=m),
        "AddJptNonAsn": lambda m: s.AddJptNonAsn(
            org_pb2.AddJptNonAsnRequest(nik=random_nik(), nama="Susup", unor_id=b_leaf, jabatan="Bupati"),
            metadata=m,
        ),
        "CreatePlt": lambda m: s.CreatePlt(org_pb2.CreatePltRequest(plt=plt_in), metadata=m),
        "UpdatePlt": lambda m: s.UpdatePlt(org_pb2.UpdatePltRequest(id=b_plt, plt=plt_in), metadata=m),
        "DeletePlt": lambda m: s.DeletePlt(org_pb2.DeletePltRequest(id=b_plt), metadata=m),
        "ListPlt": lambda m: s.ListPlt(
            org_pb2.ListPltRequest(pegawai_id=b.peg("sekretaris_bkpsdm")), metadata=m
        ),
        "GetRelations": lambda m: s.GetRelations(org_pb2.GetRelationsRequest(pegawai_id=b_peg), metadata=m),
        "BatchGetRelations": lambda m: s.BatchGetRelations(
            org_pb2.BatchGetRelationsRequest(pegawai_ids=list(b.loaded.pegawai.values())), metadata=m
        ),
        "SetProfileRelations": lambda m: s.SetProfileRelations(
            org_pb2.SetProfileRelationsRequest(
                pegawai_id=b_peg, relations=org_pb2.ProfileRelations(atasan_langsung_id=b.peg("sekda"))
            ),
            metadata=m,
        ),
    }


def test_the_calls_cover_every_rpc(world: OrgWorld, pair: tuple[Tenant, Tenant]) -> None:
    service = org_pb2.DESCRIPTOR.services_by_name["OrgService"]
    calls = _calls(world, *pair)
    assert set(calls) == {m.name for m in service.methods}
    # positive control: B's own caller does see B's data through the same calls
    b = pair[1]
    for name in (
        "GetPegawai", "BatchGetUnor", "ListPlt", "GetRelations", "SearchPegawai", "ListUnorChildren", "ListRelated",
    ):  # fmt: skip
        assert set(proto_strings(calls[name](b.admin))) & _b_ids(b), name


@pytest.mark.parametrize("role", ["admin", "pegawai", "bkn_acting_on_a"])
def test_a_reaches_nothing_of_b(world: OrgWorld, pair: tuple[Tenant, Tenant], role: str) -> None:
    a, b = pair
    metadata = {"admin": a.admin, "pegawai": a.pegawai, "bkn_acting_on_a": a.bkn}[role]
    before = world.snapshot(b.id)
    forbidden = _b_ids(b)
    for name, call in _calls(world, a, b).items():
        if role == "bkn_acting_on_a" and "Instansi" in name:
            continue  # admin BKN manages and reads every instansi by design; its tenant data stays confined
        try:
            response = call(metadata)
        except grpc.RpcError as err:
            code, error = err.code(), from_rpc_error(err)  # type: ignore[attr-defined,arg-type]
            assert error is not None, (name, err)
            if code == grpc.StatusCode.INVALID_ARGUMENT:
                assert {v.code for v in error.violations} & NOT_FOUND_CODES, (name, error)
            else:
                assert code in DENIED, (name, code, error)
            continue
        leaked = {value for value in proto_strings(response)} & forbidden
        assert not leaked, (name, leaked)
    assert world.snapshot(b.id) == before


def test_naming_another_instansi_is_refused_before_anything_runs(
    world: OrgWorld, pair: tuple[Tenant, Tenant]
) -> None:
    a, b = pair
    spoofed = [*a.admin, ("x-instansi-id", str(b.id))]
    before = world.snapshot(b.id)
    for name, call in _calls(world, a, b).items():
        code, error = rpc_error(call, spoofed)
        assert (code, error.reason) == (grpc.StatusCode.PERMISSION_DENIED, "INSTANSI_FORBIDDEN"), name
    assert world.snapshot(b.id) == before


def test_no_token_no_access(world: OrgWorld, pair: tuple[Tenant, Tenant]) -> None:
    a, b = pair
    for name, call in _calls(world, a, b).items():
        code, _ = rpc_error(call, [])
        assert code == grpc.StatusCode.UNAUTHENTICATED, name
        code, _ = rpc_error(call, [("authorization", "Bearer palsu")])
        assert code == grpc.StatusCode.UNAUTHENTICATED, name


def test_overrides_cannot_name_another_instansi(world: OrgWorld, pair: tuple[Tenant, Tenant]) -> None:
    a, b = pair
    code, error = rpc_error(
        world.stub.SetProfileRelations,
        org_pb2.SetProfileRelationsRequest(
            pegawai_id=a.peg("prakom_1"),
            relations=org_pb2.ProfileRelations(
                atasan_langsung_id=b.peg("sekda"), bawahan_ids=[b.peg("prakom_1")]
            ),
        ),
        metadata=a.admin,
    )
    assert code == grpc.StatusCode.INVALID_ARGUMENT
    assert {v.code for v in error.violations} == {"PEGAWAI_NOT_FOUND"}


def test_row_level_security_without_the_application_filter(
    app_engine: Engine, pair: tuple[Tenant, Tenant]
) -> None:
    a, b = pair
    uow = UnitOfWork.from_engine(app_engine)
    tables = ("unor", "pegawai", "plt", "profile_relations")
    with uow.transaction(tenant=a.id) as tx:
        for table in tables:
            tenants = {r[0] for r in tx.session.execute(text(f"select distinct instansi_id from {table}"))}
            assert tenants <= {a.id}, table
            count = tx.session.execute(
                text(f"select count(*) from {table} where instansi_id = :b"), {"b": b.id}
            )
            assert count.scalar_one() == 0, table
        assert tx.session.execute(text("select count(*) from unor")).scalar_one() == 9
        changed = tx.session.execute(
            text("update pegawai set nama = 'diretas' where instansi_id = :b"), {"b": b.id}
        )
        assert changed.rowcount == 0  # type: ignore[attr-defined]
    with uow.transaction(tenant=None) as tx:
        for table in tables:
            assert tx.session.execute(text(f"select count(*) from {table}")).scalar_one() == 0, table
    with pytest.raises(DBAPIError, match="row-level security"), uow.transaction(tenant=a.id) as tx:
        tx.session.execute(
            text("insert into unor (instansi_id, id, nama, jenis) values (:b, :id, 'Susupan', 'PENGAWAS')"),
            {"b": b.id, "id": uuid.uuid4()},
        )
    with uow.transaction(tenant=b.id) as tx:
        assert tx.session.execute(text("select count(*) from unor")).scalar_one() == 10
