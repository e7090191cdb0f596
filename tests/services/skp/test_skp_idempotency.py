"""Retries are safe over gRPC on the real platform: a create sent again with the same `idempotency-key`
answers the first result instead of creating a twin, even when the copies race; without a key each call
creates (documented); the key of another request is refused; keys are scoped to the instansi."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import grpc
import pytest

from kinerja.skp.v1 import skp_pb2
from kinerja_kit.context import ROLE_ADMIN_BKN
from kinerja_kit.idempotency import REPLAYED_METADATA
from kinerja_testing.platform import md, rpc_error
from kinerja_testing.skp import YEAR, SkpWorld
from skp.entrypoints.grpc_api import SkpServicer

pytestmark = pytest.mark.integration

KEY = "idempotency-key"


def _add_rhk(skp_id: str, teks: str) -> skp_pb2.AddRhkRequest:
    return skp_pb2.AddRhkRequest(
        skp_id=skp_id, rhk=skp_pb2.RhkInput(jenis=skp_pb2.JENIS_RHK_UTAMA, teks=teks)
    )


def test_twenty_concurrent_identical_add_rhk_with_one_key_make_one_rhk(world: SkpWorld) -> None:
    tenant = world.tenant(1)
    draft = world.skp(tenant, "kabid_informasi")
    caller = [*tenant.md("kabid_informasi"), (KEY, "tambah-rhk-0001")]
    request = _add_rhk(draft.id, "Terkelolanya sistem informasi kepegawaian")

    def add(_: int) -> tuple[bytes, bool]:
        answer, call = world.stub.AddRhk.with_call(request, metadata=caller)
        return answer.SerializeToString(deterministic=True), (REPLAYED_METADATA, "true") in (
            call.trailing_metadata() or ()
        )

    with ThreadPoolExecutor(max_workers=20) as pool:
        answers = list(pool.map(add, range(20)))
    assert len({a for a, _ in answers}) == 1  # every answer is the first result, byte for byte
    assert sum(replayed for _, replayed in answers) == 19
    first = skp_pb2.Skp.FromString(answers[0][0])
    assert [r.teks for r in first.rhk] == ["Terkelolanya sistem informasi kepegawaian"]
    assert first.version == draft.version + 1
    now = world.stub.GetSkp(skp_pb2.GetSkpRequest(id=draft.id), metadata=tenant.md("kabid_informasi"))
    assert len(now.rhk) == 1 and now.version == first.version
    assert len(world.outbox(draft.id)) == 2  # SkpCreated and one RhkChanged

    # Later, after another change, the retry still answers the first result (not the current state).
    world.rhk(tenant, "kabid_informasi", draft.id, "Tersusunnya laporan")
    again = world.stub.AddRhk(request, metadata=caller)
    assert again.SerializeToString(deterministic=True) == answers[0][0]


def test_without_a_key_each_call_creates(world: SkpWorld) -> None:
    tenant = world.tenant(1)
    draft = world.skp(tenant, "kabid_informasi")
    request = _add_rhk(draft.id, "Terkelolanya arsip")
    world.stub.AddRhk(request, metadata=tenant.md("kabid_informasi"))
    second = world.stub.AddRhk(request, metadata=tenant.md("kabid_informasi"))
    assert [r.teks for r in second.rhk] == ["Terkelolanya arsip", "Terkelolanya arsip"]


def test_a_retried_create_skp_answers_the_skp_instead_of_already_exists(world: SkpWorld) -> None:
    tenant = world.tenant(1)
    caller = [*tenant.md("prakom_1"), (KEY, "skp-tahunan")]
    request = skp_pb2.CreateSkpRequest(
        tanggal_mulai=f"{YEAR}-01-01",
        tanggal_selesai=f"{YEAR}-12-31",
        pendekatan=skp_pb2.PENDEKATAN_KUANTITATIF,
    )
    first = world.stub.CreateSkp(request, metadata=caller)
    assert world.stub.CreateSkp(request, metadata=caller) == first
    code, error = rpc_error(world.stub.CreateSkp, request, metadata=tenant.md("prakom_1"))
    assert (code, error.reason) == (grpc.StatusCode.ALREADY_EXISTS, "SKP_SUDAH_ADA")


def test_the_same_key_with_another_body_is_refused_and_changes_nothing(world: SkpWorld) -> None:
    tenant = world.tenant(1)
    draft = world.skp(tenant, "kabid_informasi")
    caller = [*tenant.md("kabid_informasi"), (KEY, "kunci-sama")]
    world.stub.AddRhk(_add_rhk(draft.id, "RHK pertama"), metadata=caller)
    before = world.snapshot(tenant.instansi_id)
    code, error = rpc_error(world.stub.AddRhk, _add_rhk(draft.id, "RHK lain"), metadata=caller)
    assert (code, error.reason) == (grpc.StatusCode.FAILED_PRECONDITION, "IDEMPOTENCY_KEY_REUSED")
    assert "sudah dipakai" in error.message
    assert [(v.field, v.code) for v in error.violations] == [("idempotency_key", "IDEMPOTENCY_KEY_REUSED")]
    assert world.snapshot(tenant.instansi_id) == before


def test_keys_are_scoped_to_the_instansi(world: SkpWorld) -> None:
    """The same admin BKN (one subject) with the same key and body in A and in B creates in each."""
    a, b = world.tenant(1), world.tenant(1)
    token = world.org.token_for(None, ROLE_ADMIN_BKN)
    request = skp_pb2.CreatePeriodeRequest(
        periode=skp_pb2.PeriodeInput(
            nama="Triwulan Khusus",
            mulai="01-01",
            selesai="03-31",
            batas_pengisian="04-10",
            jenis=skp_pb2.JENIS_PERIODE_BIASA,
        )
    )
    in_a = world.stub.CreatePeriode(request, metadata=[*md(token, a.instansi_id), (KEY, "periode-1")])
    in_b = world.stub.CreatePeriode(request, metadata=[*md(token, b.instansi_id), (KEY, "periode-1")])
    assert in_a.id != in_b.id
    for tenant, made in ((a, in_a), (b, in_b)):
        listed = world.stub.ListPeriode(skp_pb2.ListPeriodeRequest(), metadata=tenant.admin)
        assert [p.id for p in listed.periode] == [made.id]
    rows = world.query(
        "select instansi_id from idempotency_keys where method = 'CreatePeriode' and key = 'periode-1' "
        "and instansi_id in (:a, :b)",
        a=a.instansi_id,
        b=b.instansi_id,
    )
    assert sorted(r[0] for r in rows) == sorted([a.instansi_id, b.instansi_id])


@pytest.mark.parametrize("key", ["", "dengan spasi", "x" * 101])
def test_a_malformed_key_is_refused(world: SkpWorld, key: str) -> None:
    tenant = world.tenant(1)
    draft = world.skp(tenant, "kabid_informasi")
    code, error = rpc_error(
        world.stub.AddRhk, _add_rhk(draft.id, "RHK"), metadata=[*tenant.md("kabid_informasi"), (KEY, key)]
    )
    assert code == grpc.StatusCode.INVALID_ARGUMENT
    assert [(v.field, v.code) for v in error.violations] == [("idempotency_key", "INVALID_IDEMPOTENCY_KEY")]


def test_every_create_opts_in() -> None:
    opted = {name for name, f in vars(SkpServicer).items() if hasattr(f, "__wrapped__")}
    assert opted == {
        "CreatePeriode",
        "CreatePeriodeSet",
        "CreatePerjanjianKinerja",
        "AddSasaranStrategis",
        "CreateSkp",
        "AddRhk",
        "CopySasaranToSkp",
        "CopyPeranToSkp",
        "AddIndikator",
        "AddRencanaAksi",
        "SetMphKolom",
        "AddMphAnggota",
        "AddKinerjaHarian",
    }
