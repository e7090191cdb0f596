"""Pegawai through gRPC: create, update, soft removal, JPT non-ASN, lookups, refusals, events."""

from __future__ import annotations

import uuid

import grpc
import pytest

from kinerja.common.v1 import envelope_pb2
from kinerja.org.v1 import org_pb2
from kinerja_kit.outbox import unpack_payload
from kinerja_testing.org import OrgWorld, Tenant, codes, random_nik, random_nip, rpc_error

pytestmark = pytest.mark.integration

JF = org_pb2.Jabatan(
    nama="Analis Kepegawaian Ahli Muda", jenis=org_pb2.JENIS_JABATAN_FUNGSIONAL, jenjang="Ahli Muda"
)


def _payload(row: object, cls: type) -> object:
    return unpack_payload(envelope_pb2.EventEnvelope.FromString(row.envelope), cls)  # type: ignore[attr-defined]


@pytest.fixture
def unit(world: OrgWorld, tenant: Tenant) -> org_pb2.Unor:
    return world.root(tenant)


def test_create_update_remove_with_full_events(world: OrgWorld, tenant: Tenant, unit: org_pb2.Unor) -> None:
    nip = random_nip()
    created = world.pegawai(
        tenant,
        unit.id,
        "  Hendra   Kurniawan, S.H. ",
        jabatan=JF,
        golongan="iii/c",
        tmt_jabatan="2019-01-02",
        nip=nip,
    )
    assert created.nama == "Hendra Kurniawan, S.H." and created.nip == nip and created.active
    assert created.golongan == "III/c" and created.pangkat == "Penata"
    assert created.jabatan.jenjang == "Ahli Muda" and created.tmt_jabatan == "2019-01-02"
    assert created.version == 1 and not created.non_asn and created.instansi_id == str(tenant.id)

    second = world.unor(tenant, "Bidang Mutasi", parent_id=unit.id)
    updated = world.stub.UpdatePegawai(
        org_pb2.UpdatePegawaiRequest(
            id=created.id,
            pegawai=org_pb2.PegawaiInput(
                nip=nip, nama="Hendra Kurniawan, S.H.", unor_id=second.id, pimpinan=True,
                jabatan=org_pb2.Jabatan(nama="Kepala Bidang Mutasi", jenis=org_pb2.JENIS_JABATAN_ADMINISTRATOR),
                golongan="IV/a", pangkat="Pembina (khusus)",
            ),
            expected_version=1,
        ),
        metadata=tenant.admin,
    )  # fmt: skip
    assert updated.unor_id == second.id and updated.pimpinan and updated.version == 2
    assert updated.pangkat == "Pembina (khusus)" and updated.tmt_jabatan == ""
    same = world.stub.UpdatePegawai(
        org_pb2.UpdatePegawaiRequest(
            id=created.id,
            pegawai=org_pb2.PegawaiInput(
                nip=nip, nama=updated.nama, unor_id=second.id, pimpinan=True, jabatan=updated.jabatan,
                golongan="IV/a", pangkat="Pembina (khusus)",
            ),
        ),
        metadata=tenant.admin,
    )  # fmt: skip
    assert same.version == 2  # nothing changed: no new version, no event

    world.stub.RemovePegawai(org_pb2.RemovePegawaiRequest(id=created.id), metadata=tenant.admin)
    removed = world.stub.GetPegawai(org_pb2.GetPegawaiRequest(id=created.id), metadata=tenant.pegawai)
    assert not removed.active and removed.version == 3

    rows = world.outbox(created.id)
    assert [(r.topic, r.event_type, r.aggregate_version) for r in rows] == [
        ("kinerja.org.pegawai.v1", "kinerja.org.v1.PegawaiCreated", 1),
        ("kinerja.org.pegawai.v1", "kinerja.org.v1.PegawaiUpdated", 2),
        ("kinerja.org.pegawai.v1", "kinerja.org.v1.PegawaiRemoved", 3),
    ]
    assert _payload(rows[0], org_pb2.PegawaiCreated).pegawai == created  # type: ignore[attr-defined]
    changed = _payload(rows[1], org_pb2.PegawaiUpdated)
    assert changed.pegawai == updated and changed.previous == created  # type: ignore[attr-defined]
    gone = _payload(rows[2], org_pb2.PegawaiRemoved)
    assert (gone.pegawai_id, gone.nip, gone.nik) == (created.id, nip, "")  # type: ignore[attr-defined]

    code, error = rpc_error(
        world.stub.RemovePegawai, org_pb2.RemovePegawaiRequest(id=created.id), metadata=tenant.admin
    )
    assert code == grpc.StatusCode.FAILED_PRECONDITION and error.reason == "PEGAWAI_REMOVED"
    code, _ = rpc_error(
        world.stub.GetPegawaiByNip, org_pb2.GetPegawaiByNipRequest(nip=nip), metadata=tenant.pegawai
    )
    assert code == grpc.StatusCode.NOT_FOUND


def test_refused_pegawai_change_nothing(world: OrgWorld, tenant: Tenant, unit: org_pb2.Unor) -> None:
    head = world.pegawai(tenant, unit.id, "Kepala", pimpinan=True)
    other = world.instansi()
    foreign_unor = world.root(other)
    taken_elsewhere = world.pegawai(other, foreign_unor.id, "Pegawai Lain")
    before = world.snapshot(tenant.id)

    def create(**changes: object) -> tuple[grpc.StatusCode, dict[str, str], str]:
        fields: dict[str, object] = {
            "nip": random_nip(), "nama": "Budi", "unor_id": unit.id, "jabatan": JF, "golongan": "III/c",
        }  # fmt: skip
        fields.update(changes)
        code, error = rpc_error(
            world.stub.CreatePegawai,
            org_pb2.CreatePegawaiRequest(pegawai=org_pb2.PegawaiInput(**fields)),  # type: ignore[arg-type]
            metadata=tenant.admin,
        )
        return code, codes(error), error.reason

    invalid = grpc.StatusCode.INVALID_ARGUMENT
    assert create(nip="12345678") == (invalid, {"pegawai.nip": "NIP_FORMAT"}, "INVALID_ARGUMENT")
    assert create(nip="199102302020122005")[1] == {"pegawai.nip": "NIP_BIRTH_DATE"}
    assert create(nip="199106192020132005")[1] == {"pegawai.nip": "NIP_TMT"}
    assert create(nip="199106192020123005")[1] == {"pegawai.nip": "NIP_GENDER"}
    assert create(nip="199106192020122000")[1] == {"pegawai.nip": "NIP_SEQUENCE"}
    assert create(unor_id=str(uuid.uuid4()))[1] == {"pegawai.unor_id": "UNOR_NOT_FOUND"}
    assert create(unor_id=foreign_unor.id)[1] == {"pegawai.unor_id": "UNOR_NOT_FOUND"}
    assert create(nama=" ")[1] == {"pegawai.nama": "REQUIRED"}
    assert create(nama="n" * 201)[1] == {"pegawai.nama": "TOO_LONG"}
    assert create(jabatan=org_pb2.Jabatan(nama="j" * 256, jenis=org_pb2.JENIS_JABATAN_PELAKSANA))[1] == {
        "pegawai.jabatan.nama": "TOO_LONG"
    }
    assert create(jabatan=org_pb2.Jabatan(nama="Analis", jenis=org_pb2.JENIS_JABATAN_FUNGSIONAL))[1] == {
        "pegawai.jabatan.jenjang": "REQUIRED"
    }
    assert create(golongan="III/x", tmt_jabatan="2020-13-01")[1] == {
        "pegawai.golongan": "GOLONGAN_INVALID",
        "pegawai.tmt_jabatan": "INVALID_DATE",
    }
    all_at_once = create(nip="1", nama="", unor_id="", jabatan=org_pb2.Jabatan())[1]
    assert set(all_at_once) == {
        "pegawai.nip", "pegawai.nama", "pegawai.unor_id", "pegawai.jabatan.nama", "pegawai.jabatan.jenis",
    }  # fmt: skip

    code, found, reason = create(pimpinan=True)
    assert (code, reason) == (grpc.StatusCode.FAILED_PRECONDITION, "PIMPINAN_EXISTS")
    assert found == {"pegawai.pimpinan": "PIMPINAN_EXISTS"}
    code, found, reason = create(nip=head.nip)
    assert (code, reason) == (grpc.StatusCode.ALREADY_EXISTS, "NIP_EXISTS")
    code, found, reason = create(nip=taken_elsewhere.nip)  # NIP is national: taken in another instansi
    assert (code, reason, found) == (
        grpc.StatusCode.ALREADY_EXISTS,
        "NIP_EXISTS",
        {"pegawai.nip": "NIP_EXISTS"},
    )
    assert world.snapshot(tenant.id) == before


def test_second_pimpinan_refused_on_update_and_nip_conflict(
    world: OrgWorld, tenant: Tenant, unit: org_pb2.Unor
) -> None:
    head = world.pegawai(tenant, unit.id, "Kepala", pimpinan=True)
    staff = world.pegawai(tenant, unit.id, "Staf")
    before = world.snapshot(tenant.id)
    base = {"nama": "Staf", "unor_id": unit.id, "jabatan": staff.jabatan}
    code, error = rpc_error(
        world.stub.UpdatePegawai,
        org_pb2.UpdatePegawaiRequest(
            id=staff.id, pegawai=org_pb2.PegawaiInput(nip=staff.nip, pimpinan=True, **base)
        ),
        metadata=tenant.admin,
    )
    assert code == grpc.StatusCode.FAILED_PRECONDITION and error.reason == "PIMPINAN_EXISTS"
    assert "Kepala" in error.message
    code, error = rpc_error(
        world.stub.UpdatePegawai,
        org_pb2.UpdatePegawaiRequest(id=staff.id, pegawai=org_pb2.PegawaiInput(nip=head.nip, **base)),
        metadata=tenant.admin,
    )
    assert code == grpc.StatusCode.ALREADY_EXISTS and error.reason == "NIP_EXISTS"
    code, error = rpc_error(
        world.stub.UpdatePegawai,
        org_pb2.UpdatePegawaiRequest(
            id=staff.id, pegawai=org_pb2.PegawaiInput(nip=staff.nip, **base), expected_version=9
        ),
        metadata=tenant.admin,
    )
    assert code == grpc.StatusCode.ABORTED
    assert world.snapshot(tenant.id) == before


def test_the_unique_index_catches_a_national_duplicate(
    world: OrgWorld, tenant: Tenant, unit: org_pb2.Unor
) -> None:
    nip = random_nip()
    world.pegawai(tenant, unit.id, nip=nip)
    other = world.instansi()
    code, error = rpc_error(
        world.stub.CreatePegawai,
        org_pb2.CreatePegawaiRequest(
            pegawai=org_pb2.PegawaiInput(nip=nip, nama="Kembar", unor_id=world.root(other).id, jabatan=JF)
        ),
        metadata=other.admin,
    )
    assert code == grpc.StatusCode.ALREADY_EXISTS and error.reason == "NIP_EXISTS"
    assert world.query("select count(*) from pegawai where instansi_id = :i", i=other.id)[0][0] == 0


def test_a_removed_nip_can_be_registered_again(world: OrgWorld, tenant: Tenant, unit: org_pb2.Unor) -> None:
    first = world.pegawai(tenant, unit.id, "Pindah Instansi")
    world.stub.RemovePegawai(org_pb2.RemovePegawaiRequest(id=first.id), metadata=tenant.admin)
    other = world.instansi()
    moved = world.pegawai(other, world.root(other).id, "Pindah Instansi", nip=first.nip)
    assert moved.nip == first.nip and moved.id != first.id


def test_jpt_non_asn_by_nik(world: OrgWorld, tenant: Tenant, unit: org_pb2.Unor) -> None:
    nik = random_nik()
    request = org_pb2.AddJptNonAsnRequest(
        nik=nik, nama="BRAGATA", unor_id=unit.id, jabatan="Bupati", tmt_jabatan="2017-08-01"
    )
    created = world.stub.AddJptNonAsn(request, metadata=tenant.admin)
    assert (created.nik, created.nip, created.non_asn, created.pimpinan) == (nik, "", True, True)
    assert created.jabatan.jenis == org_pb2.JENIS_JABATAN_JPT and created.jabatan.nama == "Bupati"
    assert (
        world.stub.GetPegawaiByNip(org_pb2.GetPegawaiByNipRequest(nip=nik), metadata=tenant.pegawai).id
        == created.id
    )
    [row] = world.outbox(created.id)
    assert _payload(row, org_pb2.PegawaiCreated).pegawai.nik == nik  # type: ignore[attr-defined]

    code, error = rpc_error(world.stub.AddJptNonAsn, request, metadata=tenant.admin)
    assert code == grpc.StatusCode.FAILED_PRECONDITION and error.reason == "PIMPINAN_EXISTS"
    second = world.unor(tenant, "Unit Lain", parent_id=unit.id)
    code, error = rpc_error(
        world.stub.AddJptNonAsn,
        org_pb2.AddJptNonAsnRequest(nik=nik, nama="Lagi", unor_id=second.id, jabatan="Wakil Bupati"),
        metadata=tenant.admin,
    )
    assert code == grpc.StatusCode.ALREADY_EXISTS and error.reason == "NIK_EXISTS"
    code, error = rpc_error(
        world.stub.AddJptNonAsn,
        org_pb2.AddJptNonAsnRequest(nik="123", nama="", unor_id=str(uuid.uuid4()), jabatan=""),
        metadata=tenant.admin,
    )
    assert codes(error) == {
        "nik": "NIK_FORMAT",
        "nama": "REQUIRED",
        "unor_id": "UNOR_NOT_FOUND",
        "jabatan": "REQUIRED",
    }

    edited = world.stub.UpdatePegawai(
        org_pb2.UpdatePegawaiRequest(
            id=created.id,
            pegawai=org_pb2.PegawaiInput(
                nama="BRAGATA",
                unor_id=unit.id,
                pimpinan=True,
                jabatan=created.jabatan,
                tmt_jabatan="2017-08-01",
            ),
        ),
        metadata=tenant.admin,
    )
    assert edited.nik == nik and edited.nip == "" and edited.version == 1
    code, error = rpc_error(
        world.stub.UpdatePegawai,
        org_pb2.UpdatePegawaiRequest(
            id=created.id,
            pegawai=org_pb2.PegawaiInput(
                nip=random_nip(), nama="BRAGATA", unor_id=unit.id, jabatan=created.jabatan
            ),
        ),
        metadata=tenant.admin,
    )
    assert codes(error) == {"pegawai.nip": "NIP_NOT_ALLOWED"}


def test_lookups(world: OrgWorld, demo: Tenant) -> None:
    assert demo.structure is not None
    person = next(p for p in demo.structure.pegawai if p.key == "prakom_1")
    found = world.stub.GetPegawaiByNip(org_pb2.GetPegawaiByNipRequest(nip=person.nip), metadata=demo.pegawai)
    assert found.id == demo.peg("prakom_1") and found.jabatan.jenjang == "Ahli Pertama"
    code, error = rpc_error(
        world.stub.GetPegawaiByNip, org_pb2.GetPegawaiByNipRequest(nip="12"), metadata=demo.pegawai
    )
    assert code == grpc.StatusCode.INVALID_ARGUMENT and codes(error) == {"nip": "NIP_FORMAT"}
    code, _ = rpc_error(world.stub.GetPegawai, org_pb2.GetPegawaiRequest(id="bukan"), metadata=demo.pegawai)
    assert code == grpc.StatusCode.NOT_FOUND
    ids = [demo.peg("kepala"), str(uuid.uuid4()), demo.peg("prakom_1"), demo.peg("kepala")]
    batch = world.stub.BatchGetPegawai(org_pb2.BatchGetPegawaiRequest(ids=ids), metadata=demo.pegawai).pegawai
    assert [p.id for p in batch] == [demo.peg("kepala"), demo.peg("prakom_1")]
    code, _error = rpc_error(
        world.stub.BatchGetPegawai, org_pb2.BatchGetPegawaiRequest(ids=["x"] * 1001), metadata=demo.pegawai
    )
    assert code == grpc.StatusCode.INVALID_ARGUMENT
