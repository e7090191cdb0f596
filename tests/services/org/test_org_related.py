"""ListRelated: bawahan and rekan kerja a page at a time by name, the same rules and overrides as
GetRelations, an exact total and no fixed cap (a head of more than 1,000); GetRelations with omit_lists."""

from __future__ import annotations

import uuid

import grpc
import pytest

from kinerja.org.v1 import org_pb2
from kinerja_testing.org import OrgWorld, Tenant, codes, random_nip, rpc_error

pytestmark = pytest.mark.integration

STAFF = org_pb2.Jabatan(nama="Pengelola Data", jenis=org_pb2.JENIS_JABATAN_PELAKSANA)
HEAD = org_pb2.Jabatan(nama="Kepala", jenis=org_pb2.JENIS_JABATAN_ADMINISTRATOR)
BAWAHAN = org_pb2.RELATED_KIND_BAWAHAN
REKAN = org_pb2.RELATED_KIND_REKAN_KERJA
NAMES = ["Sari", "Budi", "agus", "Dewi", "Wahyu", "Siti", "Eko", "Rina"]


def item(unor_id: str, nama: str, *, pimpinan: bool = False) -> org_pb2.ImportPegawai:
    return org_pb2.ImportPegawai(
        id=str(uuid.uuid4()),
        pegawai=org_pb2.PegawaiInput(
            nip=random_nip(),
            nama=nama,
            unor_id=unor_id,
            pimpinan=pimpinan,
            jabatan=HEAD if pimpinan else STAFF,
        ),
    )


def pages(
    world: OrgWorld, tenant: Tenant, pegawai_id: str, kind: int, size: int
) -> list[org_pb2.ListRelatedResponse]:
    found: list[org_pb2.ListRelatedResponse] = []
    token = ""
    while True:
        page: org_pb2.ListRelatedResponse = world.stub.ListRelated(
            org_pb2.ListRelatedRequest(pegawai_id=pegawai_id, kind=kind, page_size=size, page_token=token),  # type: ignore[arg-type]
            metadata=tenant.pegawai,
        )
        found.append(page)
        token = page.next_page_token
        if not token:
            return found


@pytest.fixture(scope="module")
def big_unit(world: OrgWorld) -> tuple[Tenant, dict[str, org_pb2.ImportPegawai]]:
    """A head leading a unit of 1,150 staff, a headless sub unit of 60 and a headed sub unit."""
    tenant = world.instansi()
    root = world.root(tenant)
    unit = world.unor(tenant, "Bidang Besar", parent_id=root.id)
    headless = world.unor(tenant, "Seksi Tanpa Kepala", parent_id=unit.id)
    headed = world.unor(tenant, "Seksi Berkepala", parent_id=unit.id)
    made = {
        "kepala_badan": item(root.id, "Kepala Badan", pimpinan=True),
        "kepala": item(unit.id, "Kepala Bidang", pimpinan=True),
        "kasi": item(headed.id, "Kepala Seksi", pimpinan=True),
        "anggota_seksi": item(headed.id, "Staf Seksi"),
    }
    for i in range(1150):
        made[f"staf_{i}"] = item(unit.id, f"{NAMES[i % len(NAMES)]} {i // len(NAMES):03d}")
    for i in range(60):
        made[f"tanpa_{i}"] = item(headless.id, f"{NAMES[i % len(NAMES)]} Seksi {i:02d}")
    everyone = list(made.values())
    for start in range(0, len(everyone), 500):
        world.stub.ImportPegawai(
            org_pb2.ImportPegawaiRequest(pegawai=everyone[start : start + 500]), metadata=tenant.admin
        )
    return tenant, made


def test_a_head_of_more_than_a_thousand_pages_through_all_of_them_once(
    world: OrgWorld, big_unit: tuple[Tenant, dict[str, org_pb2.ImportPegawai]]
) -> None:
    tenant, made = big_unit
    head = made["kepala"].id
    found = pages(world, tenant, head, BAWAHAN, 100)
    seen = [p for page in found for p in page.pegawai]
    expected = {i.id for k, i in made.items() if k.startswith(("staf_", "tanpa_"))} | {made["kasi"].id}
    assert len(seen) == len(expected) == 1211 and {p.id for p in seen} == expected
    assert [(p.nama, p.id) for p in seen] == sorted((p.nama, p.id) for p in seen)
    assert {page.total_count for page in found} == {1211} and len(found) == 13
    # the same list GetRelations computes (it has no cap either)
    full = world.stub.GetRelations(org_pb2.GetRelationsRequest(pegawai_id=head), metadata=tenant.pegawai)
    assert set(full.bawahan_ids) == expected

    staff = made["staf_7"].id
    rekan = pages(world, tenant, staff, REKAN, 100)
    rekan_ids = [p.id for page in rekan for p in page.pegawai]
    assert len(rekan_ids) == 1210 and set(rekan_ids) == expected - {staff}
    assert rekan[0].total_count == 1210
    assert pages(world, tenant, staff, BAWAHAN, 10)[0].total_count == 0
    sub = pages(world, tenant, made["kasi"].id, BAWAHAN, 10)
    assert [p.id for p in sub[0].pegawai] == [made["anggota_seksi"].id]
    top = pages(world, tenant, made["kepala_badan"].id, BAWAHAN, 10)
    assert [p.id for p in top[0].pegawai] == [head] and top[0].total_count == 1

    short = world.stub.GetRelations(
        org_pb2.GetRelationsRequest(pegawai_id=staff, omit_lists=True), metadata=tenant.pegawai
    )
    assert (short.atasan_langsung_id, short.atasan_ii_id) == (head, made["kepala_badan"].id)
    assert list(short.bawahan_ids) == [] and list(short.rekan_kerja_ids) == []
    batch = world.stub.BatchGetRelations(
        org_pb2.BatchGetRelationsRequest(pegawai_ids=[staff, head], omit_lists=True), metadata=tenant.pegawai
    ).relations
    assert [r.pegawai_id for r in batch] == [staff, head] and batch[0] == short
    assert list(batch[1].bawahan_ids) == []


def test_overridden_lists_and_moved_atasan(world: OrgWorld, demo: Tenant) -> None:
    tenant = world.tree(1)
    chosen = [tenant.peg("prakom_2"), tenant.peg("analis_mutasi_1"), tenant.peg("kepala_upt")]
    world.stub.SetProfileRelations(
        org_pb2.SetProfileRelationsRequest(
            pegawai_id=tenant.peg("prakom_1"),
            relations=org_pb2.ProfileRelations(
                atasan_langsung_id=tenant.peg("prakom_3"), rekan_kerja_ids=chosen
            ),
        ),
        metadata=tenant.admin,
    )
    world.stub.SetProfileRelations(
        org_pb2.SetProfileRelationsRequest(
            pegawai_id=tenant.peg("sekretaris"),
            relations=org_pb2.ProfileRelations(bawahan_ids=[tenant.peg("prakom_2")]),
        ),
        metadata=tenant.admin,
    )
    rekan = pages(world, tenant, tenant.peg("prakom_1"), REKAN, 2)
    assert {p.id for page in rekan for p in page.pegawai} == set(chosen) and rekan[0].total_count == 3
    names = [p.nama for page in rekan for p in page.pegawai]
    assert names == sorted(names)
    # the chosen atasan sees the pegawai among their bawahan; the computed atasan no longer does
    assert [p.id for p in pages(world, tenant, tenant.peg("prakom_3"), BAWAHAN, 10)[0].pegawai] == [
        tenant.peg("prakom_1")
    ]
    informasi = {
        p.id for page in pages(world, tenant, tenant.peg("kabid_informasi"), BAWAHAN, 5) for p in page.pegawai
    }
    assert tenant.peg("prakom_1") not in informasi and tenant.peg("prakom_2") in informasi
    overridden = pages(world, tenant, tenant.peg("sekretaris"), BAWAHAN, 10)[0]
    assert [p.id for p in overridden.pegawai] == [tenant.peg("prakom_2")] and overridden.total_count == 1
    for key in ("prakom_1", "sekretaris", "kabid_informasi", "analis_mutasi_1"):
        rel = world.stub.GetRelations(
            org_pb2.GetRelationsRequest(pegawai_id=tenant.peg(key)), metadata=tenant.pegawai
        )
        for kind, listed in ((BAWAHAN, rel.bawahan_ids), (REKAN, rel.rekan_kerja_ids)):
            paged = [p.id for page in pages(world, tenant, tenant.peg(key), kind, 3) for p in page.pegawai]
            assert set(paged) == set(listed) and len(paged) == len(listed), (key, kind)
        short = world.stub.GetRelations(
            org_pb2.GetRelationsRequest(pegawai_id=tenant.peg(key), omit_lists=True), metadata=tenant.pegawai
        )
        assert list(short.overridden) == list(rel.overridden)  # the profile's choices are still named
        assert (short.atasan_langsung_id, short.atasan_ii_id, short.atasan_iii_id) == (
            rel.atasan_langsung_id, rel.atasan_ii_id, rel.atasan_iii_id,
        )  # fmt: skip
        assert list(short.memimpin_unor_ids) == list(rel.memimpin_unor_ids)


def test_refusals(world: OrgWorld, demo: Tenant) -> None:
    def refused(**fields: object) -> tuple[grpc.StatusCode, str, dict[str, str]]:
        code, error = rpc_error(
            world.stub.ListRelated,
            org_pb2.ListRelatedRequest(**fields),  # type: ignore[arg-type]
            metadata=demo.pegawai,
        )
        return code, error.reason, codes(error)

    head = demo.peg("kepala")
    assert refused(pegawai_id=head)[2] == {"kind": "REQUIRED"}
    assert refused(pegawai_id=str(uuid.uuid4()), kind=BAWAHAN)[:2] == (
        grpc.StatusCode.NOT_FOUND,
        "PEGAWAI_NOT_FOUND",
    )
    assert refused(pegawai_id=head, kind=BAWAHAN, as_of="2026-13-01")[2] == {"as_of": "INVALID_DATE"}
    token = pages(world, demo, demo.peg("kabid_informasi"), BAWAHAN, 2)[0].next_page_token
    assert token
    assert refused(pegawai_id=head, kind=BAWAHAN, page_token=token)[2] == {"page_token": "PAGE_TOKEN_INVALID"}
    code, _ = rpc_error(
        world.stub.ListRelated, org_pb2.ListRelatedRequest(pegawai_id=head, kind=BAWAHAN), metadata=[]
    )
    assert code == grpc.StatusCode.UNAUTHENTICATED
