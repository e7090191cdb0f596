"""Who may do what (another pegawai, the penilai, the admin) and isolation between instansi: a caller of
instansi B reaches nothing of instansi A through any read or write (answers as for ids that exist nowhere,
or refusals), naming A in x-instansi-id is refused, and row-level security alone hides A's rows from B's
transactions as the runtime role."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date

import grpc
import pytest
from sqlalchemy import Engine, text

from kinerja.angka_kredit.v1 import angka_kredit_pb2 as pb
from kinerja.angka_kredit.v1 import angka_kredit_pb2_grpc
from kinerja_kit.db import ServiceDatabase, UnitOfWork, make_engine
from kinerja_testing.angka_kredit import AkWorld, ak_world
from kinerja_testing.org import OrgWorld
from kinerja_testing.platform import proto_strings, rpc_error

pytestmark = pytest.mark.integration

Stub = angka_kredit_pb2_grpc.AngkaKreditServiceStub
REFUSED = {
    grpc.StatusCode.NOT_FOUND,
    grpc.StatusCode.PERMISSION_DENIED,
    grpc.StatusCode.FAILED_PRECONDITION,
    grpc.StatusCode.INVALID_ARGUMENT,
}


def _pak(stub: Stub, world: AkWorld) -> pb.Pak:
    pak = stub.CatatIntegrasi(
        pb.CatatIntegrasiRequest(
            pegawai_id=world.analis.id, tahun=2022, angka_kredit="20", dokumen_sumber="PAK lama"
        ),
        metadata=world.admin,
    )
    return stub.AjukanPak(
        pb.AjukanPakRequest(id=pak.id, tempat="Semarang", tanggal_sk=date.today().isoformat()),
        metadata=world.admin,
    )


def test_who_may_do_what(world: AkWorld, ak_stub: Stub) -> None:
    pak = _pak(ak_stub, world)
    other = world.as_(world.pranata)
    # another pegawai: as if it did not exist
    code, err = rpc_error(ak_stub.GetPak, pb.GetPakRequest(id=pak.id), metadata=other)
    assert code == grpc.StatusCode.NOT_FOUND and err.reason == "PAK_NOT_FOUND"
    assert not ak_stub.BatchGetPak(pb.BatchGetPakRequest(ids=[pak.id]), metadata=other).pak
    assert not ak_stub.ListPak(pb.ListPakRequest(scope=pb.PAK_SCOPE_SAYA), metadata=other).pak
    code, _ = rpc_error(ak_stub.ListPak, pb.ListPakRequest(scope=pb.PAK_SCOPE_INSTANSI), metadata=other)
    assert code == grpc.StatusCode.PERMISSION_DENIED
    # the pegawai reads but does not approve; the penilai today approves, and lists it for approval
    analis = world.as_(world.analis)
    assert ak_stub.GetPak(pb.GetPakRequest(id=pak.id), metadata=analis).id == pak.id
    _, err = rpc_error(ak_stub.SetujuiPak, pb.SetujuiPakRequest(id=pak.id), metadata=analis)
    assert err.reason == "BUKAN_PENILAI"
    kepala = world.as_(world.kepala)
    listed = ak_stub.ListPak(pb.ListPakRequest(scope=pb.PAK_SCOPE_PERSETUJUAN), metadata=kepala)
    assert [p.id for p in listed.pak] == [pak.id]
    assert [p.id for p in ak_stub.BatchGetPak(pb.BatchGetPakRequest(ids=[pak.id]), metadata=kepala).pak] == [
        pak.id
    ]
    ak_stub.SetujuiPak(pb.SetujuiPakRequest(id=pak.id), metadata=kepala)
    for call, request in (
        (ak_stub.UnggahSkPak, pb.UnggahSkPakRequest(id=pak.id, berkas=b"%PDF-1.4\n%%EOF")),
        (ak_stub.KembalikanPakKeDraft, pb.KembalikanPakKeDraftRequest(id=pak.id, alasan="x")),
        (ak_stub.SetPengaturan, pb.SetPengaturanRequest(mode=pb.MODE_PENOMORAN_MANUAL)),
    ):
        _, err = rpc_error(call, request, metadata=kepala)
        assert err.reason == "ADMIN_REQUIRED"
    # readers of the instansi: pengaturan and the rules
    assert ak_stub.GetPengaturan(pb.GetPengaturanRequest(), metadata=other).mode == pb.MODE_PENOMORAN_OTOMATIS
    aturan = ak_stub.GetAturan(pb.GetAturanRequest(tanggal="2024-06-01"), metadata=other)
    assert aturan.versi == "PermenPAN-RB 1/2023" and len(aturan.jenjang) == 8
    # the forecast: the pegawai and their atasan; another pegawai is told it does not exist
    assert ak_stub.GetPrakiraan(pb.GetPrakiraanRequest(), metadata=analis).jenjang == "Ahli Pertama"
    assert ak_stub.GetPrakiraan(pb.GetPrakiraanRequest(pegawai_id=world.analis.id), metadata=kepala).skenario
    code, _ = rpc_error(
        ak_stub.GetPrakiraan, pb.GetPrakiraanRequest(pegawai_id=world.analis.id), metadata=other
    )
    assert code == grpc.StatusCode.NOT_FOUND


def test_another_instansi_reaches_nothing(
    world: AkWorld,
    org_world: OrgWorld,
    ak_stub: Stub,
    ak_inspect_engine: Engine,
    service_database: Callable[[str], ServiceDatabase],
) -> None:
    pak = _pak(ak_stub, world)
    b = ak_world(org_world)
    callers = [b.admin, b.as_(b.analis), b.as_(b.kepala), b.tenant.bkn]
    with ak_inspect_engine.connect() as conn:
        before = conn.execute(text("select version from pak where id = :i"), {"i": pak.id}).scalar()
    for md in callers:
        for call, request in (
            (ak_stub.GetPak, pb.GetPakRequest(id=pak.id)),
            (ak_stub.GetSkPak, pb.GetSkPakRequest(id=pak.id)),
            (ak_stub.AjukanPak, pb.AjukanPakRequest(id=pak.id, tempat="X", tanggal_sk="2025-01-01")),
            (ak_stub.SetujuiPak, pb.SetujuiPakRequest(id=pak.id)),
            (ak_stub.TandatanganiPak, pb.TandatanganiPakRequest(id=pak.id)),
            (ak_stub.UnggahSkPak, pb.UnggahSkPakRequest(id=pak.id, berkas=b"%PDF-1.4\n%%EOF")),
            (ak_stub.KembalikanPakKeDraft, pb.KembalikanPakKeDraftRequest(id=pak.id, alasan="x")),
            (ak_stub.GetPrakiraan, pb.GetPrakiraanRequest(pegawai_id=world.analis.id)),
            (
                ak_stub.CatatIntegrasi,
                pb.CatatIntegrasiRequest(
                    pegawai_id=world.analis.id, tahun=2022, angka_kredit="1", dokumen_sumber="x"
                ),
            ),
        ):
            code, _ = rpc_error(call, request, metadata=md)
            assert code in REFUSED, (call, code)
        assert not ak_stub.BatchGetPak(pb.BatchGetPakRequest(ids=[pak.id]), metadata=md).pak
        for scope in (pb.PAK_SCOPE_SAYA, pb.PAK_SCOPE_PERSETUJUAN):
            page = ak_stub.ListPak(pb.ListPakRequest(scope=scope), metadata=md)
            assert str(world.instansi_id) not in {s for p in page.pak for s in proto_strings(p)}
    page = ak_stub.ListPak(pb.ListPakRequest(scope=pb.PAK_SCOPE_INSTANSI), metadata=b.admin)
    assert not page.pak
    # x-instansi-id naming A is refused for B's admin instansi
    code, err = rpc_error(
        ak_stub.GetPak,
        pb.GetPakRequest(id=pak.id),
        metadata=[*b.admin, ("x-instansi-id", str(world.instansi_id))],
    )
    assert err.reason == "INSTANSI_FORBIDDEN"
    with ak_inspect_engine.connect() as conn:
        after = conn.execute(text("select version from pak where id = :i"), {"i": pak.id}).scalar()
    assert after == before
    # RLS alone: B's transaction as the runtime role sees none of A's rows in any table or the view
    engine = make_engine(service_database("angka_kredit").app_url, 1)
    try:
        uow = UnitOfWork.from_engine(engine)
        for tenant in (b.instansi_id, None, uuid.uuid4()):
            with uow.transaction(tenant=tenant) as tx:
                for table in ("pak", "pak_cari", "sk_berkas", "pengaturan_pak", "nomor_sk_counter"):
                    found = tx.session.execute(
                        text(f"select count(*) from {table} where instansi_id = :a"), {"a": world.instansi_id}
                    ).scalar()
                    assert found == 0, table
        with uow.transaction(tenant=world.instansi_id) as tx:
            assert tx.session.execute(text("select count(*) from pak_cari")).scalar() == 1
    finally:
        engine.dispose()
