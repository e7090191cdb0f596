"""ImportSkp: approved SKPs ("SKP hasil migrasi") in bulk, as the single calls would make them: snapshots
from org, the events of created, submitted and approved, all or nothing per call with every violation
named by its item, a repeat counted unchanged, another item with a known id refused, admins only."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import grpc
import pytest
from google.protobuf import timestamp_pb2

from kinerja.common.v1 import envelope_pb2
from kinerja.skp.v1 import skp_pb2
from kinerja_kit.outbox import unpack_payload
from kinerja_testing.org import rpc_error
from kinerja_testing.skp import NEXT_YEAR, THIS_YEAR, SkpTenant, SkpWorld

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def t(world: SkpWorld) -> SkpTenant:
    return world.tenant(1)


def _import(world: SkpWorld, t: SkpTenant, items: list[skp_pb2.ImportSkp], metadata: Any = None) -> Any:
    return world.stub.ImportSkp(skp_pb2.ImportSkpRequest(skp=items), metadata=metadata or t.admin)


def _events(world: SkpWorld, skp_id: str) -> list[tuple[str, int, Any]]:
    found = []
    for row in world.outbox(skp_id):
        envelope = envelope_pb2.EventEnvelope.FromString(row.envelope)
        kind = getattr(skp_pb2, row.event_type.rsplit(".", 1)[1])
        found.append(
            (row.event_type.rsplit(".", 1)[1], row.aggregate_version, unpack_payload(envelope, kind))
        )
    return found


def _violations(error: Any) -> dict[str, str]:
    return {v.field: v.code for v in error.violations}


def test_a_tree_of_skps_is_created_approved_with_the_events_of_the_single_calls(
    world: SkpWorld, t: SkpTenant, import_kit: Any
) -> None:
    items = import_kit.tree(t, 2021)
    approved = datetime(2021, 1, 20, 3, 0, tzinfo=UTC)
    stamp = timestamp_pb2.Timestamp()
    stamp.FromDatetime(approved)
    for item in items:
        item.disetujui_at.CopyFrom(stamp)
    answer = _import(world, t, items)
    assert (answer.created, answer.unchanged) == (len(items), 0)

    by_key = {next(k for k in ("kepala", "kabid_informasi", "prakom_1") if t.id(k) == i.pegawai_id): i
              for i in items if i.pegawai_id in {t.id("kepala"), t.id("kabid_informasi"), t.id("prakom_1")}}  # fmt: skip
    staff = world.stub.GetSkp(skp_pb2.GetSkpRequest(id=by_key["prakom_1"].id), metadata=t.md("prakom_1"))
    assert staff.status == skp_pb2.STATUS_SKP_DISETUJUI
    assert staff.version == 3
    assert staff.model == skp_pb2.MODEL_SKP_JA_JF
    assert staff.penilai.pegawai_id == t.id("kabid_informasi")
    assert staff.atasan_penilai.pegawai_id == t.id("kepala")
    assert staff.disetujui_at.ToDatetime(tzinfo=UTC) == approved
    assert staff.rhk[0].atasan_rhk_id == by_key["kabid_informasi"].rhk[0].id
    assert staff.rhk[0].atasan_skp_id == by_key["kabid_informasi"].id
    assert staff.rhk[0].atasan_rhk_teks == by_key["kabid_informasi"].rhk[0].rhk.teks
    assert {p.penilai_pegawai_id for p in staff.perilaku} == {t.id("kabid_informasi")}
    assert [e[:2] for e in _events(world, staff.id)] == [
        ("SkpCreated", 1), ("SkpSubmitted", 2), ("SkpApproved", 3),
    ]  # fmt: skip
    created, submitted, approved_event = (e[2] for e in _events(world, staff.id))
    assert created.skp.status == skp_pb2.STATUS_SKP_DRAFT and len(created.skp.rhk[0].indikator) == 2
    assert submitted.skp.status == skp_pb2.STATUS_SKP_DIAJUKAN
    assert approved_event.skp == staff
    assert approved_event.disetujui_oleh.pegawai_id == t.id("kabid_informasi")
    assert not approved_event.otomatis

    head = world.stub.GetSkp(skp_pb2.GetSkpRequest(id=by_key["kepala"].id), metadata=t.md("kepala"))
    assert (head.model, head.mandiri, head.status, head.version) == (
        skp_pb2.MODEL_SKP_JPT, True, skp_pb2.STATUS_SKP_DISETUJUI, 2,
    )  # fmt: skip
    assert {p.penilai_pegawai_id for p in head.perilaku} == {t.id("sekretaris")}
    events = _events(world, head.id)
    assert [e[:2] for e in events] == [("SkpCreated", 1), ("SkpApproved", 2)]
    assert events[1][2].otomatis and events[1][2].disetujui_oleh.pegawai_id == t.id("kepala")


def test_the_snapshots_are_those_create_skp_takes(world: SkpWorld, t: SkpTenant, import_kit: Any) -> None:
    single = world.skp(t, "prakom_2", mulai="2022-01-01", selesai="2022-06-30")
    kabid = import_kit.item(t, "kabid_informasi", tahun=2022, atasan_rhk_id="")
    # the atasan's atasan (the root head) has no SKP in 2022: intervene nothing higher than kabid's own
    kepala = import_kit.item(t, "kepala", tahun=2022, perilaku=import_kit.rated_by(t, "sekretaris"))
    kabid.rhk[0].rhk.atasan_rhk_id = kepala.rhk[0].id
    imported = import_kit.item(
        t, "prakom_2", tahun=2022, mulai="2022-07-01", selesai="2022-12-31", atasan_rhk_id=kabid.rhk[0].id
    )
    _import(world, t, [imported, kabid, kepala])  # the atasan after the bawahan: the call is one whole
    found = world.stub.GetSkp(skp_pb2.GetSkpRequest(id=imported.id), metadata=t.md("prakom_2"))
    for name in ("pegawai", "penilai", "atasan_penilai", "model", "mandiri", "unor_id", "tahun"):
        assert getattr(found, name) == getattr(single, name), name


def test_a_repeat_is_unchanged_and_another_item_with_a_known_id_is_refused(
    world: SkpWorld, t: SkpTenant, import_kit: Any
) -> None:
    items = import_kit.tree(t, 2023)[:6]
    first = _import(world, t, items)
    assert (first.created, first.unchanged) == (6, 0)
    before = world.snapshot(t.instansi_id)
    again = _import(world, t, items)
    assert (again.created, again.unchanged) == (0, 6)
    assert world.snapshot(t.instansi_id) == before  # no row, no event

    changed = skp_pb2.ImportSkp()
    changed.CopyFrom(items[2])
    changed.rhk[0].rhk.teks = "Teks lain"
    code, error = rpc_error(
        world.stub.ImportSkp, skp_pb2.ImportSkpRequest(skp=[items[0], changed]), metadata=t.admin
    )
    assert (code, error.reason) == (grpc.StatusCode.FAILED_PRECONDITION, "IMPORT_CONFLICT")
    assert _violations(error) == {"skp[1].id": "IMPORT_CONFLICT"}

    made = world.skp(t, "prakom_3", mulai=f"{NEXT_YEAR}-01-01", selesai=f"{NEXT_YEAR}-03-31")
    before = world.snapshot(t.instansi_id)
    taken = import_kit.item(t, "prakom_3", tahun=2023, skp_id=made.id, atasan_rhk_id=items[0].rhk[0].id)
    code, error = rpc_error(world.stub.ImportSkp, skp_pb2.ImportSkpRequest(skp=[taken]), metadata=t.admin)
    assert _violations(error) == {"skp[0].id": "IMPORT_CONFLICT"}
    assert world.snapshot(t.instansi_id) == before


def test_every_violation_is_named_by_its_item_and_nothing_is_written(
    world: SkpWorld, t: SkpTenant, import_kit: Any
) -> None:
    tree = import_kit.tree(t, 2024)
    head = next(i for i in tree if i.pegawai_id == t.id("kepala"))
    kabid = next(i for i in tree if i.pegawai_id == t.id("kabid_informasi"))
    good = import_kit.item(t, "prakom_1", tahun=2024, atasan_rhk_id=kabid.rhk[0].id)
    bad_target = import_kit.item(t, "prakom_2", tahun=2024, atasan_rhk_id=kabid.rhk[0].id)
    bad_target.rhk[0].indikator[1].indikator.target.max = "5"  # below min 10
    bad_target.rhk[0].indikator[0].target_bulanan.extend(["1,250"] + [""] * 11)
    stranger = import_kit.item(t, "prakom_3", tahun=2024, atasan_rhk_id=kabid.rhk[0].id)
    stranger.pegawai_id = str(uuid.uuid4())
    not_atasan = import_kit.item(t, "analis_informasi", tahun=2024, atasan_rhk_id=head.rhk[0].id)
    unknown_rhk = import_kit.item(t, "prakom_terampil", tahun=2024, atasan_rhk_id=str(uuid.uuid4()))
    no_periode = import_kit.item(
        t, "analis_mutasi_1", tahun=2024, atasan_rhk_id=kabid.rhk[0].id, rencana=[str(uuid.uuid4())]
    )
    before = world.snapshot(t.instansi_id)
    items = [head, kabid, good, bad_target, stranger, not_atasan, unknown_rhk, no_periode]
    code, error = rpc_error(world.stub.ImportSkp, skp_pb2.ImportSkpRequest(skp=items), metadata=t.admin)
    assert code == grpc.StatusCode.INVALID_ARGUMENT
    assert _violations(error) == {
        "skp[3].rhk[0].indikator[1].target.max": "RANGE_INVERTED",
        "skp[3].rhk[0].indikator[0].target_bulanan[0]": "AMBIGUOUS_NUMBER",
        "skp[4].pegawai_id": "PEGAWAI_NOT_FOUND",
        "skp[5].rhk[0].atasan_rhk_id": "ATASAN_RHK_BUKAN_ATASAN",
        "skp[6].rhk[0].atasan_rhk_id": "ATASAN_RHK_NOT_FOUND",
        "skp[7].rhk[0].rencana_aksi[0].periode_id": "PERIODE_NOT_FOUND",
    }
    assert world.snapshot(t.instansi_id) == before

    # complete as SubmitSkp requires: the gaps by the item's order (a tambahan listed before the utama)
    gap = import_kit.item(t, "prakom_1", tahun=2024, atasan_rhk_id="")
    gap.rhk.insert(
        0, skp_pb2.ImportRhk(rhk=skp_pb2.RhkInput(jenis=skp_pb2.JENIS_RHK_TAMBAHAN, teks="Tambahan"))
    )
    twice = import_kit.item(t, "prakom_2", tahun=2024, atasan_rhk_id=kabid.rhk[0].id, mulai="2024-03-01",
                            selesai="2024-05-31")  # fmt: skip
    overlap = import_kit.item(t, "prakom_2", tahun=2024, atasan_rhk_id=kabid.rhk[0].id, mulai="2024-05-01",
                              selesai="2024-06-30")  # fmt: skip
    code, error = rpc_error(
        world.stub.ImportSkp,
        skp_pb2.ImportSkpRequest(skp=[head, kabid, gap, twice, overlap]),
        metadata=t.admin,
    )
    assert (code, error.reason) == (grpc.StatusCode.FAILED_PRECONDITION, "SKP_SUDAH_ADA")
    assert _violations(error) == {
        "skp[2].rhk[0].indikator": "RHK_TANPA_INDIKATOR",
        "skp[2].rhk[1].atasan_rhk_id": "RHK_TANPA_INTERVENSI",
        "skp[3]": "SKP_SUDAH_ADA",
        "skp[4]": "SKP_SUDAH_ADA",
    }
    code, error = rpc_error(
        world.stub.ImportSkp, skp_pb2.ImportSkpRequest(skp=[head, kabid, gap]), metadata=t.admin
    )
    assert (code, error.reason) == (grpc.StatusCode.FAILED_PRECONDITION, "SKP_BELUM_LENGKAP")
    assert world.snapshot(t.instansi_id) == before

    code, error = rpc_error(
        world.stub.ImportSkp, skp_pb2.ImportSkpRequest(skp=[good] * 501), metadata=t.admin
    )
    assert (code, _violations(error)) == (grpc.StatusCode.INVALID_ARGUMENT, {"skp": "TOO_MANY"})


def test_admins_only(world: SkpWorld, t: SkpTenant, import_kit: Any) -> None:
    item = import_kit.item(t, "kepala", tahun=2020, perilaku=import_kit.rated_by(t, "sekretaris"))
    code, error = rpc_error(
        world.stub.ImportSkp, skp_pb2.ImportSkpRequest(skp=[item]), metadata=t.md("kepala")
    )
    assert (code, error.reason) == (grpc.StatusCode.PERMISSION_DENIED, "ADMIN_REQUIRED")
    bkn = [t.org.bkn[0]]  # admin BKN without an instansi chosen
    code, error = rpc_error(world.stub.ImportSkp, skp_pb2.ImportSkpRequest(skp=[item]), metadata=bkn)
    assert code == grpc.StatusCode.PERMISSION_DENIED
    assert _import(world, t, [item], t.org.bkn).created == 1  # admin BKN acting for the instansi
    found = world.stub.GetSkp(skp_pb2.GetSkpRequest(id=item.id), metadata=t.admin)
    assert found.instansi_id == str(t.instansi_id)


def test_an_imported_skp_is_ready_for_assessment_when_it_plans_the_periode(
    world: SkpWorld, t: SkpTenant, import_kit: Any
) -> None:
    periode = world.quarterly(t)
    q1 = next(p for p in periode if p.mulai == "01-01" and p.jenis == skp_pb2.JENIS_PERIODE_BIASA)
    q2 = next(p for p in periode if p.mulai == "04-01")
    final = next(p for p in periode if p.jenis == skp_pb2.JENIS_PERIODE_FINAL)
    # this year's first quarter is past its batas pengisian: a migration records what was planned
    items = [
        i
        for i in import_kit.tree(t, THIS_YEAR, rencana=[q1.id])
        if i.pegawai_id in {t.id("kepala"), t.id("kabid_informasi"), t.id("prakom_1")}
    ]
    assert _import(world, t, items).created == 3
    staff = items[-1]

    def kesiapan(periode_id: str) -> Any:
        return world.stub.CheckKesiapanPenilaian(
            skp_pb2.CheckKesiapanPenilaianRequest(skp_id=staff.id, periode_id=periode_id),
            metadata=t.md("prakom_1"),
        )

    assert kesiapan(q1.id).siap
    assert kesiapan(final.id).siap
    later = kesiapan(q2.id)
    assert not later.siap and [k.code for k in later.kekurangan] == ["RHK_TANPA_RENCANA_AKSI"]
