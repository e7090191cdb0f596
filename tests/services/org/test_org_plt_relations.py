"""PLT/PLH assignments and relations (atasan, bawahan, rekan kerja) through gRPC, with profile overrides."""

from __future__ import annotations

import uuid
from datetime import timedelta

import grpc
import pytest

from kinerja.common.v1 import envelope_pb2
from kinerja.org.v1 import org_pb2
from kinerja_kit.outbox import unpack_payload
from kinerja_testing.org import OrgWorld, Tenant, codes, rpc_error
from org.service_layer.common import today

pytestmark = pytest.mark.integration

# The service judges PLT periods on today's date in WIB, which is a day ahead of UTC after 17:00 UTC.
TODAY = today()


def relations(world: OrgWorld, tenant: Tenant, key: str, as_of: str = "") -> org_pb2.Relations:
    found: org_pb2.Relations = world.stub.GetRelations(
        org_pb2.GetRelationsRequest(pegawai_id=tenant.peg(key), as_of=as_of), metadata=tenant.pegawai
    )
    return found


def keys(tenant: Tenant, ids: object) -> set[str]:
    assert tenant.loaded is not None
    back = {v: k for k, v in tenant.loaded.pegawai.items()}
    return {back[i] for i in ids}  # type: ignore[attr-defined]


def key(tenant: Tenant, pegawai_id: str) -> str:
    return next(iter(keys(tenant, [pegawai_id]))) if pegawai_id else ""


def test_relations_follow_the_tree_and_the_active_plt(world: OrgWorld, demo: Tenant) -> None:
    staff = relations(world, demo, "analis_mutasi_1")
    assert (key(demo, staff.atasan_langsung_id), key(demo, staff.atasan_ii_id), staff.atasan_iii_id) == (
        "kabid_informasi", "kepala", "",
    )  # fmt: skip
    assert keys(demo, staff.rekan_kerja_ids) == {
        "analis_mutasi_2", "analis_mutasi_3", "data_mutasi",
        "prakom_1", "prakom_2", "prakom_3", "analis_informasi", "prakom_terampil",
    }  # fmt: skip
    assert staff.as_of == TODAY.isoformat() and list(staff.overridden) == []
    acting = relations(world, demo, "kabid_informasi")
    assert set(acting.memimpin_unor_ids) == {demo.unor("informasi"), demo.unor("mutasi")}
    assert {"analis_mutasi_1", "prakom_1"} <= keys(demo, acting.bawahan_ids)
    head = relations(world, demo, "kepala")
    assert head.atasan_langsung_id == "" and list(head.memimpin_unor_ids) == [demo.unor("bkd")]
    assert keys(demo, head.bawahan_ids) == {"sekretaris", "kabid_bangkom", "kabid_informasi", "kepala_upt"}
    deep = relations(world, demo, "keuangan_upt")
    assert [key(demo, i) for i in (deep.atasan_langsung_id, deep.atasan_ii_id, deep.atasan_iii_id)] == [
        "kasubbag_tu_upt", "kepala_upt", "kepala",
    ]  # fmt: skip

    after = (TODAY + timedelta(days=400)).isoformat()
    later = relations(world, demo, "analis_mutasi_1", as_of=after)
    assert key(demo, later.atasan_langsung_id) == "kepala" and later.as_of == after
    assert demo.unor("mutasi") not in relations(world, demo, "kabid_informasi", as_of=after).memimpin_unor_ids

    ids = [demo.peg("kepala"), str(uuid.uuid4()), demo.peg("analis_mutasi_1")]
    batch = world.stub.BatchGetRelations(
        org_pb2.BatchGetRelationsRequest(pegawai_ids=ids), metadata=demo.pegawai
    ).relations
    assert [r.pegawai_id for r in batch] == [demo.peg("kepala"), demo.peg("analis_mutasi_1")]
    assert batch[1] == staff
    code, error = rpc_error(
        world.stub.GetRelations,
        org_pb2.GetRelationsRequest(pegawai_id=demo.peg("kepala"), as_of="2026-02-30"),
        metadata=demo.pegawai,
    )
    assert code == grpc.StatusCode.INVALID_ARGUMENT and codes(error) == {"as_of": "INVALID_DATE"}


def test_plt_lifecycle_changes_relations_and_emits_events(world: OrgWorld) -> None:
    tenant = world.tree(2)
    [plt] = world.stub.ListPlt(org_pb2.ListPltRequest(only_active=True), metadata=tenant.pegawai).plt
    assert plt.pegawai_id == tenant.peg("sekretaris_bkpsdm") and plt.unor_id == tenant.unor("mutasi")
    assert key(tenant, relations(world, tenant, "analis_mutasi_1").atasan_langsung_id) == "sekretaris_bkpsdm"

    switched_off = org_pb2.PltInput(
        pegawai_id=plt.pegawai_id, unor_id=plt.unor_id, jabatan=plt.jabatan, jenis=plt.jenis,
        tanggal_mulai=plt.tanggal_mulai, tanggal_selesai=plt.tanggal_selesai, aktif=False,
    )  # fmt: skip
    updated = world.stub.UpdatePlt(
        org_pb2.UpdatePltRequest(id=plt.id, plt=switched_off, expected_version=1), metadata=tenant.admin
    )
    assert not updated.aktif and updated.version == 2
    assert key(tenant, relations(world, tenant, "analis_mutasi_1").atasan_langsung_id) == "kepala_bkpsdm"
    assert world.stub.ListPlt(org_pb2.ListPltRequest(only_active=True), metadata=tenant.pegawai).plt == []
    listed = world.stub.ListPlt(
        org_pb2.ListPltRequest(pegawai_id=plt.pegawai_id), metadata=tenant.pegawai
    ).plt
    assert [p.id for p in listed] == [plt.id]

    world.stub.DeletePlt(org_pb2.DeletePltRequest(id=plt.id), metadata=tenant.admin)
    assert world.stub.ListPlt(org_pb2.ListPltRequest(), metadata=tenant.pegawai).plt == []
    rows = world.outbox(plt.id)
    assert [(r.topic, r.event_type, r.aggregate_version) for r in rows] == [
        ("kinerja.org.plt.v1", "kinerja.org.v1.PltAssigned", 1),
        ("kinerja.org.plt.v1", "kinerja.org.v1.PltUpdated", 2),
        ("kinerja.org.plt.v1", "kinerja.org.v1.PltRemoved", 3),
    ]
    removed = unpack_payload(envelope_pb2.EventEnvelope.FromString(rows[2].envelope), org_pb2.PltRemoved)
    assert (removed.plt_id, removed.pegawai_id, removed.unor_id) == (plt.id, plt.pegawai_id, plt.unor_id)  # type: ignore[attr-defined]

    # a PLH for the now vacant unit makes a new head
    plh = world.stub.CreatePlt(
        org_pb2.CreatePltRequest(
            plt=org_pb2.PltInput(
                pegawai_id=tenant.peg("analis_mutasi_1"), unor_id=tenant.unor("mutasi"),
                jabatan="Plh. Kepala Bidang Mutasi dan Promosi", jenis=org_pb2.JENIS_PLT_PLH,
                tanggal_mulai=TODAY.isoformat(), tanggal_selesai=TODAY.isoformat(), aktif=True,
            )
        ),
        metadata=tenant.admin,
    )  # fmt: skip
    assert plh.version == 1
    assert key(tenant, relations(world, tenant, "analis_mutasi_2").atasan_langsung_id) == "analis_mutasi_1"
    assert key(tenant, relations(world, tenant, "analis_mutasi_1").atasan_langsung_id) == "kepala_bkpsdm"


def test_plt_refusals_change_nothing(world: OrgWorld) -> None:
    tenant = world.tree(1)
    other = world.tree(2)
    before = world.snapshot(tenant.id)
    valid = {
        "pegawai_id": tenant.peg("prakom_1"), "unor_id": tenant.unor("mutasi"), "jabatan": "Plh. Kepala Bidang",
        "jenis": org_pb2.JENIS_PLT_PLH, "tanggal_mulai": TODAY.isoformat(),
        "tanggal_selesai": (TODAY + timedelta(days=5)).isoformat(), "aktif": True,
    }  # fmt: skip

    def create(**changes: object) -> tuple[grpc.StatusCode, str, dict[str, str]]:
        code, error = rpc_error(
            world.stub.CreatePlt,
            org_pb2.CreatePltRequest(plt=org_pb2.PltInput(**{**valid, **changes})),  # type: ignore[arg-type]
            metadata=tenant.admin,
        )
        return code, error.reason, codes(error)

    assert create() == (  # the demo PLT already leads this unit over these days
        grpc.StatusCode.FAILED_PRECONDITION, "PLT_OVERLAP", {"plt.tanggal_mulai": "PLT_OVERLAP"},
    )  # fmt: skip
    assert (
        create(unor_id=tenant.unor("bangkom"), pegawai_id=tenant.peg("kabid_bangkom"))[1]
        == "PLT_ALREADY_HEAD"
    )
    reversed_period = create(
        unor_id=tenant.unor("bangkom"), tanggal_mulai="2026-12-31", tanggal_selesai="2026-12-01"
    )
    assert reversed_period[2] == {"plt.tanggal_selesai": "PERIOD_REVERSED"}
    assert create(pegawai_id=other.peg("prakom_1"), unor_id=other.unor("mutasi"))[2] == {
        "plt.pegawai_id": "PEGAWAI_NOT_FOUND",
        "plt.unor_id": "UNOR_NOT_FOUND",
    }
    assert create(jenis=0, jabatan="", tanggal_mulai="kemarin")[2] == {
        "plt.jenis": "REQUIRED", "plt.jabatan": "REQUIRED", "plt.tanggal_mulai": "INVALID_DATE",
    }  # fmt: skip
    code, error = rpc_error(
        world.stub.CreatePlt,
        org_pb2.CreatePltRequest(plt=org_pb2.PltInput(**valid)),
        metadata=tenant.pegawai,  # type: ignore[arg-type]
    )
    assert code == grpc.StatusCode.PERMISSION_DENIED
    code, error = rpc_error(
        world.stub.DeleteUnor, org_pb2.DeleteUnorRequest(id=tenant.unor("mutasi")), metadata=tenant.admin
    )
    assert error.reason == "UNOR_HAS_PEGAWAI"
    assert world.snapshot(tenant.id) == before


def test_profile_overrides(world: OrgWorld) -> None:
    tenant = world.tree(1)
    own = tenant.as_pegawai(tenant.peg("prakom_1"))
    chosen = org_pb2.ProfileRelations(
        atasan_langsung_id=tenant.peg("prakom_3"),
        rekan_kerja_ids=[tenant.peg("prakom_2"), tenant.peg("analis_mutasi_1")],
    )
    result = world.stub.SetProfileRelations(
        org_pb2.SetProfileRelationsRequest(pegawai_id=tenant.peg("prakom_1"), relations=chosen), metadata=own
    )
    assert key(tenant, result.atasan_langsung_id) == "prakom_3"
    assert key(tenant, result.atasan_ii_id) == "kabid_informasi"  # the atasan of the chosen atasan
    assert [key(tenant, i) for i in result.rekan_kerja_ids] == ["prakom_2", "analis_mutasi_1"]
    assert set(result.overridden) == {"atasan_langsung_id", "rekan_kerja_ids"}
    assert relations(world, tenant, "prakom_1") == result
    assert "prakom_1" in keys(tenant, relations(world, tenant, "prakom_3").bawahan_ids)
    assert "prakom_1" not in keys(tenant, relations(world, tenant, "kabid_informasi").bawahan_ids)

    [row] = [
        r for r in world.outbox(tenant.peg("prakom_1")) if r.event_type.endswith("ProfileRelationsChanged")
    ]
    assert row.topic == "kinerja.org.pegawai.v1" and row.aggregate_version == 2
    event = unpack_payload(
        envelope_pb2.EventEnvelope.FromString(row.envelope), org_pb2.ProfileRelationsChanged
    )
    assert event.relations == chosen  # type: ignore[attr-defined]

    before = world.snapshot(tenant.id)
    someone_else = tenant.as_pegawai(tenant.peg("prakom_2"))
    code, error = rpc_error(
        world.stub.SetProfileRelations,
        org_pb2.SetProfileRelationsRequest(
            pegawai_id=tenant.peg("prakom_1"), relations=org_pb2.ProfileRelations()
        ),
        metadata=someone_else,
    )
    assert code == grpc.StatusCode.PERMISSION_DENIED and error.reason == "NOT_OWN_PROFILE"
    foreign = world.instansi()
    stranger = world.pegawai(foreign, world.root(foreign).id, "Orang Lain")
    code, error = rpc_error(
        world.stub.SetProfileRelations,
        org_pb2.SetProfileRelationsRequest(
            pegawai_id=tenant.peg("prakom_1"),
            relations=org_pb2.ProfileRelations(
                atasan_langsung_id=tenant.peg("prakom_1"), atasan_ii_id=stranger.id, bawahan_ids=["bukan-id"]
            ),
        ),
        metadata=own,
    )
    assert code == grpc.StatusCode.INVALID_ARGUMENT
    assert codes(error) == {"relations.bawahan_ids[0]": "INVALID_ID"}
    code, error = rpc_error(
        world.stub.SetProfileRelations,
        org_pb2.SetProfileRelationsRequest(
            pegawai_id=tenant.peg("prakom_1"),
            relations=org_pb2.ProfileRelations(
                atasan_langsung_id=tenant.peg("prakom_1"), atasan_ii_id=stranger.id
            ),
        ),
        metadata=own,
    )
    assert codes(error) == {
        "relations.atasan_langsung_id": "SELF_REFERENCE",
        "relations.atasan_ii_id": "PEGAWAI_NOT_FOUND",
    }
    assert world.snapshot(tenant.id) == before

    cleared = world.stub.SetProfileRelations(
        org_pb2.SetProfileRelationsRequest(
            pegawai_id=tenant.peg("prakom_1"), relations=org_pb2.ProfileRelations()
        ),
        metadata=tenant.admin,
    )
    assert list(cleared.overridden) == [] and key(tenant, cleared.atasan_langsung_id) == "kabid_informasi"
    assert (
        world.query("select count(*) from profile_relations where instansi_id = :i", i=tenant.id)[0][0] == 0
    )
