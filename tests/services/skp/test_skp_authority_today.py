"""Who acts as pejabat penilai is judged on the day of the action from org's relations of that day, not
from the snapshot taken when the SKP was made: a PLT whose assignment ended is refused and the new atasan
(a new PLT, the unit's new definitive head, the atasan after a move or a profile override, the head above
a PLT unit today) approves, returns and writes the ekspektasi; the snapshot's penilai follows them.

Each test builds its own instansi (demo structure 1): they change org under the SKPs they made."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from datetime import timedelta

import grpc
import pytest

from kinerja.common.v1 import envelope_pb2
from kinerja.org.v1 import org_pb2
from kinerja.skp.v1 import skp_pb2
from kinerja_kit.handlers import today
from kinerja_kit.outbox import unpack_payload
from kinerja_testing.org import rpc_error
from kinerja_testing.skp import NEXT_YEAR, THIS_YEAR, Metadata, SkpTenant, SkpWorld

pytestmark = pytest.mark.integration

C = grpc.StatusCode
TODAY = today()  # the service's day (WIB)
YESTERDAY = (TODAY - timedelta(days=1)).isoformat()
DENIED = (C.PERMISSION_DENIED, "BUKAN_PEJABAT_PENILAI")


@contextlib.contextmanager
def nothing_written(world: SkpWorld, t: SkpTenant) -> Iterator[None]:
    before = world.snapshot(t.instansi_id)
    yield
    assert world.snapshot(t.instansi_id) == before


def refused(call: object, request: object, metadata: Metadata) -> tuple[C, str]:
    found, error = rpc_error(call, request, metadata=metadata)  # type: ignore[arg-type]
    return found, error.reason


def penilai_rhk(world: SkpWorld, t: SkpTenant, key: str = "kabid_informasi", tahun: int = NEXT_YEAR) -> str:
    """An SKP of `key` with one RHK utama, for their staff to intervene; the RHK's id."""
    made = world.skp(t, key, mulai=f"{tahun}-01-01", selesai=f"{tahun}-12-31")
    return world.rhk(t, key, made.id, "Terselenggaranya layanan bidang").rhk[0].id


def submitted(world: SkpWorld, t: SkpTenant, key: str, atasan_rhk_id: str, **extra: str) -> skp_pb2.Skp:
    made = world.skp(t, key, **extra)
    return world.submit(t, key, world.complete(t, key, made.id, atasan_rhk_id).id)


def last_event(world: SkpWorld, skp_id: str, kind: type) -> object:
    row = world.outbox(skp_id)[-1]
    assert row.event_type.rsplit(".", 1)[1] == kind.__name__, row.event_type
    return unpack_payload(envelope_pb2.EventEnvelope.FromString(row.envelope), kind)


def inbox(world: SkpWorld, md: Metadata) -> set[str]:
    found = world.stub.ListSkp(
        skp_pb2.ListSkpRequest(scope=skp_pb2.SKP_SCOPE_BAWAHAN, status=skp_pb2.STATUS_SKP_DIAJUKAN),
        metadata=md,
    )
    return {x.id for x in found.skp}


def test_a_plt_whose_assignment_ended_cannot_approve_and_the_new_plt_can(world: SkpWorld) -> None:
    t, s = world.tenant(1), world.stub
    [plt_id] = t.plt  # kabid_informasi leads mutasi (no head of its own) as PLT, in force today
    sent = submitted(world, t, "analis_mutasi_1", penilai_rhk(world, t))
    assert sent.penilai.pegawai_id == t.id("kabid_informasi")

    world.org.end_plt(t.org, plt_id, YESTERDAY)
    world.org.assign_plt(
        t.org, t.id("kabid_bangkom"), t.unor("mutasi"), TODAY.isoformat(),
        (TODAY + timedelta(days=90)).isoformat(), jabatan="Plt. Kepala Bidang Mutasi dan Promosi",
    )  # fmt: skip
    with nothing_written(world, t):
        for md in (t.md("kabid_informasi"), t.md("kepala"), t.md("analis_mutasi_1")):
            assert refused(s.ApproveSkp, skp_pb2.ApproveSkpRequest(id=sent.id), md) == DENIED
            assert refused(s.ReturnSkp, skp_pb2.ReturnSkpRequest(id=sent.id, alasan="x"), md) == DENIED

    # the new PLT finds it, reads it and approves it; the snapshot's penilai becomes them
    new = t.md("kabid_bangkom")
    assert sent.id in inbox(world, new)
    assert s.GetSkp(skp_pb2.GetSkpRequest(id=sent.id), metadata=new).id == sent.id
    approved = s.ApproveSkp(skp_pb2.ApproveSkpRequest(id=sent.id), metadata=new)
    assert approved.status == skp_pb2.STATUS_SKP_DISETUJUI
    assert (approved.penilai.pegawai_id, approved.penilai.nip, approved.atasan_penilai.pegawai_id) == (
        t.id("kabid_bangkom"), t.nip("kabid_bangkom"), t.id("kepala"),
    )  # fmt: skip
    assert approved.version == sent.version + 1
    event = last_event(world, sent.id, skp_pb2.SkpApproved)
    assert event.disetujui_oleh.pegawai_id == t.id("kabid_bangkom")  # type: ignore[attr-defined]
    assert event.skp == approved  # type: ignore[attr-defined]
    stored = world.query("select penilai_pegawai_id from skp where id = :i", i=sent.id)
    assert [str(r[0]) for r in stored] == [t.id("kabid_bangkom")]


def test_a_plt_whose_assignment_ended_cannot_return_and_the_new_head_can(world: SkpWorld) -> None:
    t, s = world.tenant(1), world.stub
    [plt_id] = t.plt
    sent = submitted(world, t, "analis_mutasi_2", penilai_rhk(world, t))
    assert sent.penilai.pegawai_id == t.id("kabid_informasi")

    # the PLT ended yesterday and mutasi has a definitive head again
    world.org.end_plt(t.org, plt_id, YESTERDAY)
    head = world.org.pegawai(
        t.org, t.unor("mutasi"), "Sugeng Widodo, S.H., M.H.", pimpinan=True,
        jabatan=org_pb2.Jabatan(nama="Kepala Bidang Mutasi dan Promosi", jenis=org_pb2.JENIS_JABATAN_ADMINISTRATOR),
        golongan="IV/a",
    )  # fmt: skip
    new = t.org.as_pegawai(head.id)
    old = t.md("kabid_informasi")
    ekspektasi = skp_pb2.SetEkspektasiRequest(skp_id=sent.id, nilai=1, ekspektasi="Melayani dengan ramah")
    with nothing_written(world, t):
        assert (
            refused(s.ReturnSkp, skp_pb2.ReturnSkpRequest(id=sent.id, alasan="Perbaiki target"), old)
            == DENIED
        )
        assert refused(s.SetEkspektasi, ekspektasi, old) == DENIED

    # the new head writes the ekspektasi (the snapshot follows them), then returns the SKP
    written = s.SetEkspektasi(ekspektasi, metadata=new)
    assert written.perilaku[0].ekspektasi == "Melayani dengan ramah"
    assert (written.penilai.pegawai_id, written.penilai.jabatan, written.penilai.unor_id) == (
        head.id, "Kepala Bidang Mutasi dan Promosi", t.unor("mutasi"),
    )  # fmt: skip
    # the perilaku rated by the atasan follow the pejabat penilai
    assert {(p.penilai_pegawai_id, p.penilai_nama) for p in written.perilaku} == {(head.id, head.nama)}
    returned = s.ReturnSkp(skp_pb2.ReturnSkpRequest(id=sent.id, alasan="Perbaiki target"), metadata=new)
    assert (returned.status, returned.alasan_dikembalikan) == (skp_pb2.STATUS_SKP_DRAFT, "Perbaiki target")
    event = last_event(world, sent.id, skp_pb2.SkpReturned)
    assert (event.dikembalikan_oleh.pegawai_id, event.dikembalikan_oleh.nama) == (head.id, head.nama)  # type: ignore[attr-defined]


def test_after_a_move_or_an_override_the_old_atasan_is_refused_and_the_new_one_acts(world: SkpWorld) -> None:
    t, s = world.tenant(1), world.stub
    rhk = penilai_rhk(world, t)
    moved = submitted(world, t, "prakom_1", rhk)
    chosen = submitted(world, t, "prakom_2", rhk)
    assert {moved.penilai.pegawai_id, chosen.penilai.pegawai_id} == {t.id("kabid_informasi")}

    # prakom_1 moves to bangkom; prakom_2 stays but names kabid_bangkom atasan on their profile
    world.org.move_pegawai(t.org, t.id("prakom_1"), t.unor("bangkom"))
    world.org.stub.SetProfileRelations(
        org_pb2.SetProfileRelationsRequest(
            pegawai_id=t.id("prakom_2"),
            relations=org_pb2.ProfileRelations(atasan_langsung_id=t.id("kabid_bangkom")),
        ),
        metadata=t.admin,
    )
    old, new = t.md("kabid_informasi"), t.md("kabid_bangkom")
    with nothing_written(world, t):
        for sent in (moved, chosen):
            assert refused(s.ApproveSkp, skp_pb2.ApproveSkpRequest(id=sent.id), old) == DENIED
            assert refused(s.ReturnSkp, skp_pb2.ReturnSkpRequest(id=sent.id, alasan="x"), old) == DENIED
    assert {moved.id, chosen.id} <= inbox(world, new)
    assert s.GetSkp(skp_pb2.GetSkpRequest(id=moved.id), metadata=old).id == moved.id
    got = s.BatchGetSkp(skp_pb2.BatchGetSkpRequest(ids=[moved.id, chosen.id]), metadata=new)
    assert [x.id for x in got.skp] == [moved.id, chosen.id]

    approved = s.ApproveSkp(skp_pb2.ApproveSkpRequest(id=moved.id), metadata=new)
    assert (approved.status, approved.penilai.pegawai_id) == (
        skp_pb2.STATUS_SKP_DISETUJUI,
        t.id("kabid_bangkom"),
    )
    assert approved.pegawai == moved.pegawai  # the pegawai's own snapshot waits for a refresh
    returned = s.ReturnSkp(skp_pb2.ReturnSkpRequest(id=chosen.id, alasan="Lengkapi indikator"), metadata=new)
    assert (returned.status, returned.penilai.pegawai_id) == (skp_pb2.STATUS_SKP_DRAFT, t.id("kabid_bangkom"))
    # the old atasan read it while its snapshot named them; no longer
    assert refused(s.GetSkp, skp_pb2.GetSkpRequest(id=moved.id), old) == (
        C.PERMISSION_DENIED,
        "SKP_TIDAK_BERHAK",
    )


def test_a_plt_skp_is_rated_by_the_head_above_the_plt_unit_today(world: SkpWorld) -> None:
    t, s = world.tenant(1), world.stub
    [plt_id] = t.plt  # kabid_informasi, Plt. of mutasi (under bkd, led by the kepala)
    rhk = penilai_rhk(world, t, "kepala", THIS_YEAR)
    sent = submitted(
        world,
        t,
        "kabid_informasi",
        rhk,
        plt_id=plt_id,
        mulai=f"{THIS_YEAR}-01-01",
        selesai=f"{THIS_YEAR}-12-31",
    )
    assert (sent.unor_id, sent.penilai.pegawai_id) == (t.unor("mutasi"), t.id("kepala"))

    # mutasi moves under the sekretariat: its sekretaris is now the head above it
    unor = world.org.stub.GetUnor(org_pb2.GetUnorRequest(id=t.unor("mutasi")), metadata=t.admin)
    world.org.stub.UpdateUnor(
        org_pb2.UpdateUnorRequest(
            id=unor.id,
            unor=org_pb2.UnorInput(
                nama=unor.nama, jenis=unor.jenis, eselon=unor.eselon, parent_id=t.unor("sekretariat"),
                induk_id=unor.induk_id, mandiri=unor.mandiri, kota=unor.kota,
            ),
        ),
        metadata=t.admin,
    )  # fmt: skip
    with nothing_written(world, t):
        for md in (t.md("kepala"), t.md("kabid_informasi")):
            assert refused(s.ApproveSkp, skp_pb2.ApproveSkpRequest(id=sent.id), md) == DENIED
    approved = s.ApproveSkp(skp_pb2.ApproveSkpRequest(id=sent.id), metadata=t.md("sekretaris"))
    assert (approved.status, approved.penilai.pegawai_id, approved.atasan_penilai.pegawai_id) == (
        skp_pb2.STATUS_SKP_DISETUJUI, t.id("sekretaris"), t.id("kepala"),
    )  # fmt: skip
