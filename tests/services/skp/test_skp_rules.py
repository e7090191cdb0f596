"""The SKP rules over gRPC on the real org service: every refusal with its status and reason (or violation
codes), each proving nothing was written (the instansi's skp rows and outbox before and after); the PLT
and PLH paths, kinerja harian and its monthly roll-up, ListSkp's filters and pages, snapshot refresh, and
the events of every kind of change with the whole SKP in the payload.

One instansi (demo structure 1) serves the module; each test writes with its own pegawai:
informasi / mutasi staff are rated by kabid_informasi (head of informasi, PLT of mutasi)."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import grpc
import pytest

from kinerja.common.v1 import envelope_pb2
from kinerja.org.v1 import org_pb2
from kinerja.skp.v1 import skp_pb2
from kinerja_kit.errors import DomainError
from kinerja_kit.handlers import today
from kinerja_kit.outbox import unpack_payload
from kinerja_testing.org import rpc_error
from kinerja_testing.skp import NEXT_YEAR, THIS_YEAR, Metadata, SkpTenant, SkpWorld

pytestmark = pytest.mark.integration

C = grpc.StatusCode
TODAY = today()  # the service's day (WIB)


def codes(error: DomainError) -> dict[str, str]:
    return {v.field: v.code for v in error.violations}


@contextlib.contextmanager
def nothing_written(world: SkpWorld, t: SkpTenant) -> Iterator[None]:
    """Every skp row of the instansi and its outbox are the same after the block."""
    before = world.snapshot(t.instansi_id)
    yield
    assert world.snapshot(t.instansi_id) == before


def refuse(call: Callable[..., Any], request: Any, metadata: Metadata, code: C, reason: str) -> DomainError:
    found, error = rpc_error(call, request, metadata=metadata)
    assert (found, error.reason) == (code, reason), (call, found, error)
    return error


def invalid(call: Callable[..., Any], request: Any, metadata: Metadata) -> dict[str, str]:
    found, error = rpc_error(call, request, metadata=metadata)
    assert found == C.INVALID_ARGUMENT, (found, error)
    return codes(error)


def year(y: int, start: str = "01-01", end: str = "12-31") -> dict[str, str]:
    return {"mulai": f"{y}-{start}", "selesai": f"{y}-{end}"}


def events(world: SkpWorld, aggregate_id: str) -> list[tuple[str, int, envelope_pb2.EventEnvelope]]:
    """(event type name, aggregate version, envelope) of one aggregate's outbox rows, in order."""
    return [
        (
            r.event_type.rsplit(".", 1)[1],
            r.aggregate_version,
            envelope_pb2.EventEnvelope.FromString(r.envelope),
        )
        for r in world.outbox(aggregate_id)
    ]


@dataclass
class Base:
    t: SkpTenant
    periode: dict[str, skp_pb2.Periode]  # by nama: Triwulan 1-4, Periode Akhir Tahun
    informasi: skp_pb2.Skp  # kabid_informasi, next year, one RHK utama: his staff intervene it
    informasi_now: skp_pb2.Skp  # kabid_informasi, this year, one RHK utama

    def tw(self, n: int) -> str:
        return self.periode[f"Triwulan {n}"].id

    @property
    def final(self) -> str:
        return self.periode["Periode Akhir Tahun"].id


@pytest.fixture(scope="module")
def base(world: SkpWorld) -> Base:
    t = world.tenant(1)
    periode = {p.nama: p for p in world.quarterly(t)}
    informasi = world.skp(t, "kabid_informasi", **year(NEXT_YEAR))
    informasi = world.rhk(t, "kabid_informasi", informasi.id, "Terselenggaranya sistem informasi kepegawaian")
    now = world.skp(t, "kabid_informasi", **year(THIS_YEAR))
    now = world.rhk(t, "kabid_informasi", now.id, "Terselenggaranya penilaian kinerja tahun berjalan")
    return Base(t, periode, informasi, now)


def ready(world: SkpWorld, base: Base, key: str, **dates: str) -> skp_pb2.Skp:
    """A complete draft of next year for one of kabid_informasi's staff, intervening his RHK."""
    created = world.skp(base.t, key, **(dates or year(NEXT_YEAR)))
    assert created.penilai.pegawai_id == base.t.id("kabid_informasi"), key
    return world.complete(base.t, key, created.id, base.informasi.rhk[0].id)


@pytest.fixture(scope="module")
def bangkom(world: SkpWorld, base: Base) -> skp_pb2.Skp:
    """kabid_bangkom's SKP of next year with one RHK: not the atasan of informasi's staff."""
    found = world.skp(base.t, "kabid_bangkom", **year(NEXT_YEAR))
    return world.rhk(base.t, "kabid_bangkom", found.id, "Terlaksananya pengembangan kompetensi aparatur")


@pytest.fixture(scope="module")
def approved_head(world: SkpWorld, base: Base) -> skp_pb2.Skp:
    """kepala_upt heads a mandiri unit: a JPT SKP of this year, approved on submission."""
    t = base.t
    found = world.skp(t, "kepala_upt", **year(THIS_YEAR))
    assert (found.model, found.mandiri, found.penilai.pegawai_id) == (
        skp_pb2.MODEL_SKP_JPT,
        True,
        t.id("kepala"),
    )
    world.complete(t, "kepala_upt", found.id, jpt=True)
    found = world.submit(t, "kepala_upt", found.id)
    assert found.status == skp_pb2.STATUS_SKP_DISETUJUI
    return found


# ---------------------------------------------------------------------------------------------
# Workflow and ownership
# ---------------------------------------------------------------------------------------------


def test_a_draft_is_not_approved_nor_returned_and_others_cannot_edit_it(world: SkpWorld, base: Base) -> None:
    t, s = base.t, world.stub
    draft = ready(world, base, "prakom_2")
    rhk, item = draft.rhk[0], draft.rhk[0].indikator[0]
    rhk_in = skp_pb2.RhkInput(jenis=skp_pb2.JENIS_RHK_TAMBAHAN, teks="Disisipkan")
    indikator_in = skp_pb2.IndikatorInput(
        teks="Disisipkan", aspek=skp_pb2.ASPEK_KUALITAS, target=skp_pb2.Target(min="1", satuan="x")
    )
    header = skp_pb2.UpdateSkpRequest(
        id=draft.id, tanggal_mulai=f"{NEXT_YEAR}-02-01", tanggal_selesai=f"{NEXT_YEAR}-12-31",
        pendekatan=skp_pb2.PENDEKATAN_KUANTITATIF,
    )  # fmt: skip
    writes: list[tuple[Callable[..., Any], Any]] = [
        (s.UpdateSkp, header),
        (s.DeleteSkp, skp_pb2.DeleteSkpRequest(id=draft.id)),
        (s.AddRhk, skp_pb2.AddRhkRequest(skp_id=draft.id, rhk=rhk_in)),
        (s.UpdateRhk, skp_pb2.UpdateRhkRequest(skp_id=draft.id, rhk_id=rhk.id, rhk=rhk_in)),
        (s.DeleteRhk, skp_pb2.DeleteRhkRequest(skp_id=draft.id, rhk_id=rhk.id)),
        (s.AddIndikator, skp_pb2.AddIndikatorRequest(skp_id=draft.id, rhk_id=rhk.id, indikator=indikator_in)),
        (s.UpdateIndikator, skp_pb2.UpdateIndikatorRequest(skp_id=draft.id, indikator_id=item.id, indikator=indikator_in)),
        (s.DeleteIndikator, skp_pb2.DeleteIndikatorRequest(skp_id=draft.id, indikator_id=item.id)),
        (s.SetPenilaiPerilaku, skp_pb2.SetPenilaiPerilakuRequest(
            skp_id=draft.id, nilai=skp_pb2.NILAI_PERILAKU_LOYAL, penilai_jenis=skp_pb2.JENIS_PENILAI_ATASAN)),
        (s.SetLampiran, skp_pb2.SetLampiranRequest(skp_id=draft.id, lampiran=skp_pb2.Lampiran(konsekuensi=["x"]))),
        (s.SubmitSkp, skp_pb2.SubmitSkpRequest(id=draft.id)),
        (s.AddRencanaAksi, skp_pb2.AddRencanaAksiRequest(skp_id=draft.id, rencana_aksi=skp_pb2.RencanaAksiInput(
            rhk_id=rhk.id, periode_id=base.tw(1), teks="x", target="1", satuan="x"))),
        (s.SetTargetBulanan, skp_pb2.SetTargetBulananRequest(skp_id=draft.id, indikator_id=item.id, target=["1"] * 12)),
        (s.SetMphKolom, skp_pb2.SetMphKolomRequest(skp_id=draft.id, rhk_id=rhk.id, kolom=[skp_pb2.MphKolom(nama="x")])),
    ]  # fmt: skip
    with nothing_written(world, t):
        for who in ("kabid_informasi", "prakom_3", "kepala"):  # the penilai, a rekan, the atasan penilai
            for call, request in writes:
                refuse(call, request, t.md(who), C.PERMISSION_DENIED, "BUKAN_PEMILIK_SKP")
        for call, request in writes:  # an admin resets and refreshes, but does not write someone's SKP
            refuse(call, request, t.admin, C.PERMISSION_DENIED, "BUKAN_PEMILIK_SKP")
        refuse(s.RefreshSkpSnapshot, skp_pb2.RefreshSkpSnapshotRequest(id=draft.id), t.md("prakom_3"),
               C.PERMISSION_DENIED, "BUKAN_PEMILIK_SKP")  # fmt: skip
        refuse(
            s.GetSkp,
            skp_pb2.GetSkpRequest(id=draft.id),
            t.md("prakom_3"),
            C.PERMISSION_DENIED,
            "SKP_TIDAK_BERHAK",
        )
        refuse(s.ResetSkp, skp_pb2.ResetSkpRequest(id=draft.id), t.md("kabid_informasi"),
               C.PERMISSION_DENIED, "ADMIN_REQUIRED")  # fmt: skip
        refuse(
            s.ResetSkp,
            skp_pb2.ResetSkpRequest(id=draft.id),
            t.admin,
            C.FAILED_PRECONDITION,
            "SKP_SUDAH_DRAFT",
        )
        # approving or returning a draft, even by its pejabat penilai
        refuse(s.ApproveSkp, skp_pb2.ApproveSkpRequest(id=draft.id), t.md("kabid_informasi"),
               C.FAILED_PRECONDITION, "SKP_BELUM_DIAJUKAN")  # fmt: skip
        refuse(s.ReturnSkp, skp_pb2.ReturnSkpRequest(id=draft.id, alasan="Belum lengkap"), t.md("kabid_informasi"),
               C.FAILED_PRECONDITION, "SKP_BELUM_DIAJUKAN")  # fmt: skip
    # the atasan penilai and an admin may read it
    assert s.GetSkp(skp_pb2.GetSkpRequest(id=draft.id), metadata=t.md("kepala")).id == draft.id
    assert s.GetSkp(skp_pb2.GetSkpRequest(id=draft.id), metadata=t.admin).id == draft.id


def test_a_submitted_skp_is_fixed_until_approved_or_returned(world: SkpWorld, base: Base) -> None:
    t, s = base.t, world.stub
    sent = world.submit(
        t, "prakom_terampil", ready(world, base, "prakom_terampil", **year(NEXT_YEAR, "01-01", "06-30")).id
    )
    assert sent.status == skp_pb2.STATUS_SKP_DIAJUKAN
    me = t.md("prakom_terampil")
    with nothing_written(world, t):
        refuse(s.AddRhk, skp_pb2.AddRhkRequest(skp_id=sent.id, rhk=skp_pb2.RhkInput(jenis=2, teks="x")), me,
               C.FAILED_PRECONDITION, "SKP_TIDAK_DAPAT_DIUBAH")  # fmt: skip
        refuse(
            s.SubmitSkp, skp_pb2.SubmitSkpRequest(id=sent.id), me, C.FAILED_PRECONDITION, "SKP_SUDAH_DIAJUKAN"
        )
        refuse(
            s.AddRencanaAksi,
            skp_pb2.AddRencanaAksiRequest(skp_id=sent.id, rencana_aksi=skp_pb2.RencanaAksiInput(
                rhk_id=sent.rhk[0].id, periode_id=base.tw(1), teks="x", target="1", satuan="x")),
            me, C.FAILED_PRECONDITION, "SKP_SEDANG_DIPERIKSA",
        )  # fmt: skip
        refuse(
            s.DeleteSkp,
            skp_pb2.DeleteSkpRequest(id=sent.id),
            me,
            C.FAILED_PRECONDITION,
            "SKP_TIDAK_DAPAT_DIUBAH",
        )
        refuse(s.RefreshSkpSnapshot, skp_pb2.RefreshSkpSnapshotRequest(id=sent.id), me,
               C.FAILED_PRECONDITION, "SKP_TIDAK_DAPAT_DIUBAH")  # fmt: skip
        for who in ("prakom_terampil", "prakom_3", "sekretaris", "kabid_bangkom", "kepala"):
            refuse(s.ApproveSkp, skp_pb2.ApproveSkpRequest(id=sent.id), t.md(who),
                   C.PERMISSION_DENIED, "BUKAN_PEJABAT_PENILAI")  # fmt: skip
            refuse(s.ReturnSkp, skp_pb2.ReturnSkpRequest(id=sent.id, alasan="x"), t.md(who),
                   C.PERMISSION_DENIED, "BUKAN_PEJABAT_PENILAI")  # fmt: skip
        refuse(
            s.ApproveSkp,
            skp_pb2.ApproveSkpRequest(id=sent.id),
            t.admin,
            C.PERMISSION_DENIED,
            "BUKAN_PEJABAT_PENILAI",
        )
        assert invalid(
            s.ReturnSkp, skp_pb2.ReturnSkpRequest(id=sent.id, alasan=" "), t.md("kabid_informasi")
        ) == {"alasan": "REQUIRED"}
    returned = s.ReturnSkp(
        skp_pb2.ReturnSkpRequest(id=sent.id, alasan="Lengkapi tahapan"), metadata=t.md("kabid_informasi")
    )
    assert (returned.status, returned.alasan_dikembalikan) == (skp_pb2.STATUS_SKP_DRAFT, "Lengkapi tahapan")
    world.submit(t, "prakom_terampil", sent.id)
    approved = s.ApproveSkp(skp_pb2.ApproveSkpRequest(id=sent.id), metadata=t.md("kabid_informasi"))
    assert (approved.status, approved.alasan_dikembalikan) == (skp_pb2.STATUS_SKP_DISETUJUI, "")
    reset = s.ResetSkp(skp_pb2.ResetSkpRequest(id=sent.id, alasan="Salah unit"), metadata=t.admin)
    assert (reset.status, reset.alasan_dikembalikan) == (skp_pb2.STATUS_SKP_DRAFT, "Salah unit")


def test_an_approved_skp_cannot_be_edited(world: SkpWorld, base: Base, approved_head: skp_pb2.Skp) -> None:
    t, s, skp = base.t, world.stub, approved_head
    me, rhk, item = t.md("kepala_upt"), skp.rhk[0], skp.rhk[0].indikator[0]
    rhk_in = skp_pb2.RhkInput(jenis=skp_pb2.JENIS_RHK_TAMBAHAN, teks="Tambahan")
    indikator_in = skp_pb2.IndikatorInput(
        teks="Baru", perspektif=skp_pb2.PERSPEKTIF_ANGGARAN, target=skp_pb2.Target(min="1", satuan="x")
    )
    fixed = [
        (s.UpdateSkp, skp_pb2.UpdateSkpRequest(
            id=skp.id, tanggal_mulai=f"{THIS_YEAR}-01-01", tanggal_selesai=f"{THIS_YEAR}-06-30",
            pendekatan=skp_pb2.PENDEKATAN_KUANTITATIF)),
        (s.DeleteSkp, skp_pb2.DeleteSkpRequest(id=skp.id)),
        (s.RefreshSkpSnapshot, skp_pb2.RefreshSkpSnapshotRequest(id=skp.id)),
        (s.AddRhk, skp_pb2.AddRhkRequest(skp_id=skp.id, rhk=rhk_in)),
        (s.UpdateRhk, skp_pb2.UpdateRhkRequest(skp_id=skp.id, rhk_id=rhk.id, rhk=rhk_in)),
        (s.DeleteRhk, skp_pb2.DeleteRhkRequest(skp_id=skp.id, rhk_id=rhk.id)),
        (s.CopySasaranToSkp, skp_pb2.CopySasaranToSkpRequest(skp_id=skp.id, sasaran_id=str(uuid.uuid4()))),
        (s.AddIndikator, skp_pb2.AddIndikatorRequest(skp_id=skp.id, rhk_id=rhk.id, indikator=indikator_in)),
        (s.UpdateIndikator, skp_pb2.UpdateIndikatorRequest(skp_id=skp.id, indikator_id=item.id, indikator=indikator_in)),
        (s.DeleteIndikator, skp_pb2.DeleteIndikatorRequest(skp_id=skp.id, indikator_id=item.id)),
        (s.SetManualIndikator, skp_pb2.SetManualIndikatorRequest(
            skp_id=skp.id, indikator_id=item.id, manual=skp_pb2.ManualIndikator(definisi="x"))),
        (s.SetPenilaiPerilaku, skp_pb2.SetPenilaiPerilakuRequest(
            skp_id=skp.id, nilai=skp_pb2.NILAI_PERILAKU_LOYAL, penilai_jenis=skp_pb2.JENIS_PENILAI_ATASAN)),
        (s.SetLampiran, skp_pb2.SetLampiranRequest(skp_id=skp.id, lampiran=skp_pb2.Lampiran(konsekuensi=["x"]))),
        (s.SetEkspektasi, skp_pb2.SetEkspektasiRequest(skp_id=skp.id, nilai=skp_pb2.NILAI_PERILAKU_LOYAL, ekspektasi="x")),
    ]  # fmt: skip
    with nothing_written(world, t):
        for call, request in fixed:
            refuse(call, request, me, C.FAILED_PRECONDITION, "SKP_TIDAK_DAPAT_DIUBAH")
        refuse(s.SetEkspektasi, fixed[-1][1], t.md("kepala"), C.FAILED_PRECONDITION, "SKP_TIDAK_DAPAT_DIUBAH")
        refuse(s.RefreshSkpSnapshot, fixed[2][1], t.admin, C.FAILED_PRECONDITION, "SKP_TIDAK_DAPAT_DIUBAH")
        refuse(
            s.SubmitSkp, skp_pb2.SubmitSkpRequest(id=skp.id), me, C.FAILED_PRECONDITION, "SKP_SUDAH_DIAJUKAN"
        )
        refuse(
            s.ApproveSkp,
            skp_pb2.ApproveSkpRequest(id=skp.id),
            t.md("kepala"),
            C.FAILED_PRECONDITION,
            "SKP_BELUM_DIAJUKAN",
        )
        refuse(s.ReturnSkp, skp_pb2.ReturnSkpRequest(id=skp.id, alasan="x"), t.md("kepala"),
               C.FAILED_PRECONDITION, "SKP_BELUM_DIAJUKAN")  # fmt: skip


# ---------------------------------------------------------------------------------------------
# Pejabat penilai, PLT and PLH
# ---------------------------------------------------------------------------------------------


def test_a_plh_of_the_penilai_s_unor_approves_in_their_place_but_never_their_own(
    world: SkpWorld, base: Base
) -> None:
    t, s = base.t, world.stub
    # mutasi has no head: its PLT, kabid_informasi (head of informasi), rates its staff
    mutasi = ready(world, base, "analis_mutasi_1")
    assert mutasi.penilai.jabatan == "Kepala Bidang Informasi dan Penilaian Kinerja"
    assert mutasi.atasan_penilai.pegawai_id == t.id("kepala")
    mutasi = world.submit(t, "analis_mutasi_1", mutasi.id)
    own = world.submit(t, "analis_informasi", ready(world, base, "analis_informasi").id)
    with nothing_written(world, t):
        refuse(s.ApproveSkp, skp_pb2.ApproveSkpRequest(id=mutasi.id), t.md("analis_informasi"),
               C.PERMISSION_DENIED, "BUKAN_PEJABAT_PENILAI")  # fmt: skip

    # the admin makes analis_informasi Plh. of informasi (its head stays): they now act for kabid_informasi
    world.org.stub.CreatePlt(
        org_pb2.CreatePltRequest(
            plt=org_pb2.PltInput(
                pegawai_id=t.id("analis_informasi"), unor_id=t.unor("informasi"),
                jabatan="Plh. Kepala Bidang Informasi dan Penilaian Kinerja", jenis=org_pb2.JENIS_PLT_PLH,
                tanggal_mulai=(TODAY - timedelta(days=1)).isoformat(),
                tanggal_selesai=(TODAY + timedelta(days=30)).isoformat(), aktif=True,
            )
        ),
        metadata=t.admin,
    )  # fmt: skip
    inbox = s.ListSkp(
        skp_pb2.ListSkpRequest(scope=skp_pb2.SKP_SCOPE_BAWAHAN, status=skp_pb2.STATUS_SKP_DIAJUKAN),
        metadata=t.md("analis_informasi"),
    )
    assert mutasi.id in {x.id for x in inbox.skp}
    assert own.id not in {x.id for x in inbox.skp}  # not their own, though its penilai's unor is theirs
    assert s.GetSkp(skp_pb2.GetSkpRequest(id=mutasi.id), metadata=t.md("analis_informasi")).id == mutasi.id
    approved = s.ApproveSkp(skp_pb2.ApproveSkpRequest(id=mutasi.id), metadata=t.md("analis_informasi"))
    assert approved.status == skp_pb2.STATUS_SKP_DISETUJUI
    assert approved.penilai.pegawai_id == t.id("kabid_informasi")  # the snapshot stays
    last = events(world, mutasi.id)[-1]
    assert last[0] == "SkpApproved"
    event = unpack_payload(last[2], skp_pb2.SkpApproved)
    assert (event.otomatis, event.disetujui_oleh.pegawai_id, event.disetujui_oleh.nip) == (  # type: ignore[attr-defined]
        False, t.id("analis_informasi"), t.nip("analis_informasi"),
    )  # fmt: skip

    # nobody approves their own SKP, not even as Plh. of their penilai's unor
    with nothing_written(world, t):
        for call, request in (
            (s.ApproveSkp, skp_pb2.ApproveSkpRequest(id=own.id)),
            (s.ReturnSkp, skp_pb2.ReturnSkpRequest(id=own.id, alasan="x")),
        ):
            refuse(call, request, t.md("analis_informasi"), C.PERMISSION_DENIED, "BUKAN_PEJABAT_PENILAI")
    approved = s.ApproveSkp(skp_pb2.ApproveSkpRequest(id=own.id), metadata=t.md("kabid_informasi"))
    assert approved.status == skp_pb2.STATUS_SKP_DISETUJUI


def test_a_plt_writes_a_second_skp_for_the_unit_they_lead(world: SkpWorld, base: Base) -> None:
    t, s = base.t, world.stub
    [plt_id] = t.plt  # kabid_informasi, Plt. Kepala Bidang Mutasi dan Promosi, in force today
    second = world.skp(t, "kabid_informasi", plt_id=plt_id, **year(THIS_YEAR))  # beside informasi_now
    assert (second.unor_id, second.plt_id, second.model, second.mandiri) == (
        t.unor("mutasi"), plt_id, skp_pb2.MODEL_SKP_JA_JF, False,
    )  # fmt: skip
    assert (second.pegawai.jabatan, second.pegawai.unor_nama) == (
        "Plt. Kepala Bidang Mutasi dan Promosi", "Bidang Mutasi dan Promosi",
    )  # fmt: skip
    assert second.penilai.pegawai_id == t.id("kepala")  # the head of the unit above mutasi
    assert base.informasi_now.unor_id == t.unor("informasi")
    mine = s.ListSkp(skp_pb2.ListSkpRequest(tahun=THIS_YEAR), metadata=t.md("kabid_informasi"))
    assert {x.id for x in mine.skp} == {second.id, base.informasi_now.id}
    with nothing_written(world, t):
        request = skp_pb2.CreateSkpRequest(
            tanggal_mulai=TODAY.replace(day=1).isoformat(), tanggal_selesai=TODAY.isoformat(),
            pendekatan=skp_pb2.PENDEKATAN_KUANTITATIF, plt_id=plt_id,
        )  # fmt: skip
        refuse(s.CreateSkp, request, t.md("kabid_informasi"), C.ALREADY_EXISTS, "SKP_SUDAH_ADA")
        refuse(s.CreateSkp, request, t.md("prakom_2"), C.NOT_FOUND, "PLT_NOT_FOUND")  # someone else's PLT
        far = skp_pb2.CreateSkpRequest(
            tanggal_mulai=f"{NEXT_YEAR}-12-01", tanggal_selesai=f"{NEXT_YEAR}-12-31",
            pendekatan=skp_pb2.PENDEKATAN_KUANTITATIF, plt_id=plt_id,
        )  # fmt: skip
        refuse(s.CreateSkp, far, t.md("kabid_informasi"), C.FAILED_PRECONDITION, "PLT_DI_LUAR_MASA_SKP")
        refuse(s.CreateSkp, skp_pb2.CreateSkpRequest(
            tanggal_mulai=f"{THIS_YEAR}-01-01", tanggal_selesai=f"{THIS_YEAR}-12-31", pendekatan=1, plt_id=str(uuid.uuid4())),
            t.md("kabid_informasi"), C.NOT_FOUND, "PLT_NOT_FOUND")  # fmt: skip
        refuse(s.CreateSkp, skp_pb2.CreateSkpRequest(tanggal_mulai=f"{THIS_YEAR}-01-01", tanggal_selesai=f"{THIS_YEAR}-12-31",
               pendekatan=1), t.admin, C.PERMISSION_DENIED, "PEGAWAI_REQUIRED")  # fmt: skip


def test_one_skp_per_pegawai_and_unit_for_any_day(world: SkpWorld, base: Base) -> None:
    t, s, me = base.t, world.stub, base.t.md("perencana")
    first = world.skp(t, "perencana", **year(NEXT_YEAR, "01-01", "06-30"))
    second = world.skp(t, "perencana", **year(NEXT_YEAR, "07-01", "12-31"))
    assert first.penilai.pegawai_id == t.id("sekretaris") and second.id != first.id
    with nothing_written(world, t):
        for start, end in (("06-15", "07-15"), ("01-01", "12-31"), ("06-30", "06-30")):
            refuse(s.CreateSkp, skp_pb2.CreateSkpRequest(
                tanggal_mulai=f"{NEXT_YEAR}-{start}", tanggal_selesai=f"{NEXT_YEAR}-{end}", pendekatan=1),
                me, C.ALREADY_EXISTS, "SKP_SUDAH_ADA")  # fmt: skip
        refuse(s.UpdateSkp, skp_pb2.UpdateSkpRequest(
            id=first.id, tanggal_mulai=f"{NEXT_YEAR}-01-01", tanggal_selesai=f"{NEXT_YEAR}-07-31", pendekatan=1),
            me, C.ALREADY_EXISTS, "SKP_SUDAH_ADA")  # fmt: skip
        refuse(s.UpdateSkp, skp_pb2.UpdateSkpRequest(
            id=first.id, tanggal_mulai=f"{THIS_YEAR}-01-01", tanggal_selesai=f"{THIS_YEAR}-06-30", pendekatan=1),
            me, C.FAILED_PRECONDITION, "TAHUN_TIDAK_DAPAT_DIUBAH")  # fmt: skip
        refuse(s.UpdateSkp, skp_pb2.UpdateSkpRequest(
            id=first.id, tanggal_mulai=f"{NEXT_YEAR}-01-01", tanggal_selesai=f"{NEXT_YEAR}-06-30", pendekatan=1,
            expected_version=first.version + 5), me, C.ABORTED, "VERSION_CONFLICT")  # fmt: skip
        assert invalid(s.CreateSkp, skp_pb2.CreateSkpRequest(
            tanggal_mulai=f"{THIS_YEAR}-07-01", tanggal_selesai=f"{NEXT_YEAR}-06-30", pendekatan=1), me,
        ) == {"tanggal_selesai": "RANGE_CROSSES_YEAR"}  # fmt: skip
    # another year is free; a deleted SKP frees its days
    world.skp(t, "perencana", **year(THIS_YEAR))
    s.DeleteSkp(skp_pb2.DeleteSkpRequest(id=second.id), metadata=me)
    moved = s.UpdateSkp(skp_pb2.UpdateSkpRequest(
        id=first.id, tanggal_mulai=f"{NEXT_YEAR}-01-01", tanggal_selesai=f"{NEXT_YEAR}-12-31", pendekatan=1), metadata=me)  # fmt: skip
    assert (moved.tanggal_selesai, moved.version) == (f"{NEXT_YEAR}-12-31", first.version + 1)
    refuse(s.GetSkp, skp_pb2.GetSkpRequest(id=second.id), me, C.NOT_FOUND, "SKP_NOT_FOUND")


# ---------------------------------------------------------------------------------------------
# Content
# ---------------------------------------------------------------------------------------------


def test_the_atasan_rhk_must_be_the_penilai_s_of_the_same_year(
    world: SkpWorld, base: Base, bangkom: skp_pb2.Skp
) -> None:
    t, s, me = base.t, world.stub, base.t.md("prakom_1")
    mine = world.skp(t, "prakom_1", **year(NEXT_YEAR))
    offered = s.ListRhkAtasan(skp_pb2.ListRhkAtasanRequest(skp_id=mine.id), metadata=me)
    assert [x.id for x in offered.skp] == [base.informasi.id]

    def add(atasan: str, jenis: int = skp_pb2.JENIS_RHK_UTAMA) -> dict[str, str]:
        request = skp_pb2.AddRhkRequest(
            skp_id=mine.id, rhk=skp_pb2.RhkInput(jenis=jenis, teks="RHK", atasan_rhk_id=atasan)
        )  # type: ignore[arg-type]
        return invalid(s.AddRhk, request, me)

    with nothing_written(world, t):
        assert add(bangkom.rhk[0].id) == {"rhk.atasan_rhk_id": "ATASAN_RHK_BUKAN_ATASAN"}
        assert add(base.informasi_now.rhk[0].id) == {"rhk.atasan_rhk_id": "ATASAN_RHK_TAHUN_BERBEDA"}
        assert add(str(uuid.uuid4())) == {"rhk.atasan_rhk_id": "ATASAN_RHK_NOT_FOUND"}
        assert add("bukan-id") == {"rhk.atasan_rhk_id": "INVALID_ID"}
        assert add(base.informasi.rhk[0].id, skp_pb2.JENIS_RHK_TAMBAHAN) == {
            "rhk.atasan_rhk_id": "ATASAN_RHK_TIDAK_BERLAKU"
        }
    mine = world.rhk(t, "prakom_1", mine.id, "Tersedianya aplikasi", atasan_rhk_id=base.informasi.rhk[0].id)
    rhk = mine.rhk[0]
    assert (rhk.atasan_rhk_teks, rhk.atasan_skp_id) == (base.informasi.rhk[0].teks, base.informasi.id)
    with nothing_written(world, t):
        request = skp_pb2.UpdateRhkRequest(
            skp_id=mine.id,
            rhk_id=rhk.id,
            rhk=skp_pb2.RhkInput(jenis=1, teks="RHK", atasan_rhk_id=bangkom.rhk[0].id),
        )
        assert invalid(s.UpdateRhk, request, me) == {"rhk.atasan_rhk_id": "ATASAN_RHK_BUKAN_ATASAN"}


def test_targets_and_indikator_inputs(world: SkpWorld, base: Base) -> None:
    t, s, me = base.t, world.stub, base.t.md("analis_mutasi_2")
    mine = world.skp(t, "analis_mutasi_2", **year(NEXT_YEAR))
    mine = world.rhk(
        t, "analis_mutasi_2", mine.id, "Terlaksananya mutasi", atasan_rhk_id=base.informasi.rhk[0].id
    )
    rhk = mine.rhk[0].id

    def add(min_: str, max_: str = "", satuan: str = "Persen", **extra: Any) -> dict[str, str]:
        extra.setdefault("aspek", skp_pb2.ASPEK_KUALITAS)
        item = skp_pb2.IndikatorInput(
            teks="Persentase usul mutasi", target=skp_pb2.Target(min=min_, max=max_, satuan=satuan), **extra
        )
        return invalid(
            s.AddIndikator, skp_pb2.AddIndikatorRequest(skp_id=mine.id, rhk_id=rhk, indikator=item), me
        )

    with nothing_written(world, t):
        assert add("90", "80") == {"indikator.target.max": "RANGE_INVERTED"}
        assert add("-5") == {"indikator.target.min": "INVALID_NUMBER"}
        assert add("80", "banyak") == {"indikator.target.max": "INVALID_NUMBER"}
        assert add("80", "90", "") == {"indikator.target.satuan": "REQUIRED"}
        assert add("", "") == {"indikator.target.min": "REQUIRED"}
        assert add("80", aspek=0) == {"indikator.aspek": "REQUIRED"}
        assert add("80", perspektif=skp_pb2.PERSPEKTIF_ANGGARAN) == {
            "indikator.perspektif": "PERSPEKTIF_HANYA_JPT"
        }
        refuse(s.SetManualIndikator, skp_pb2.SetManualIndikatorRequest(skp_id=mine.id, indikator_id=str(uuid.uuid4())),
               me, C.NOT_FOUND, "INDIKATOR_NOT_FOUND")  # fmt: skip
    mine = world.indikator(t, "analis_mutasi_2", mine.id, rhk, "Persentase usul mutasi", aspek=skp_pb2.ASPEK_KUALITAS,
                           target=skp_pb2.Target(min="80,5", max="1.250,5", satuan="Persen"))  # fmt: skip
    item = mine.rhk[0].indikator[0]
    assert (item.target.min, item.target.max) == ("80.5", "1250.5")
    with nothing_written(world, t):
        update = skp_pb2.UpdateIndikatorRequest(
            skp_id=mine.id, indikator_id=item.id,
            indikator=skp_pb2.IndikatorInput(teks="x", aspek=1, target=skp_pb2.Target(min="5", max="4", satuan="x")),
        )  # fmt: skip
        assert invalid(s.UpdateIndikator, update, me) == {"indikator.target.max": "RANGE_INVERTED"}
        refuse(s.SetManualIndikator, skp_pb2.SetManualIndikatorRequest(
            skp_id=mine.id, indikator_id=item.id, manual=skp_pb2.ManualIndikator(definisi="x")),
            me, C.FAILED_PRECONDITION, "MANUAL_HANYA_JPT")  # fmt: skip
        bulanan = skp_pb2.SetTargetBulananRequest(skp_id=mine.id, indikator_id=item.id, target=["1"] * 11)
        assert invalid(s.SetTargetBulanan, bulanan, me) == {"target": "TWELVE_MONTHS"}
        bulanan = skp_pb2.SetTargetBulananRequest(
            skp_id=mine.id, indikator_id=item.id, target=["-1", *["1"] * 11]
        )
        assert invalid(s.SetTargetBulanan, bulanan, me) == {"target[0]": "INVALID_NUMBER"}
        refuse(s.AddRhk, skp_pb2.AddRhkRequest(skp_id=mine.id, rhk=skp_pb2.RhkInput(jenis=2, teks="x"),
               expected_version=mine.version - 1), me, C.ABORTED, "VERSION_CONFLICT")  # fmt: skip


def test_rencana_aksi_periode_must_lie_in_the_skp(world: SkpWorld, base: Base) -> None:
    t, s, me = base.t, world.stub, base.t.md("analis_mutasi_3")
    half = world.skp(t, "analis_mutasi_3", **year(NEXT_YEAR, "01-01", "06-30"))
    half = world.rhk(
        t, "analis_mutasi_3", half.id, "Terlaksananya promosi", atasan_rhk_id=base.informasi.rhk[0].id
    )
    half = world.indikator(
        t, "analis_mutasi_3", half.id, half.rhk[0].id, "Jumlah promosi", aspek=skp_pb2.ASPEK_KUANTITAS
    )
    rhk, item = half.rhk[0].id, half.rhk[0].indikator[0].id

    def rencana(periode_id: str, **extra: str) -> skp_pb2.RencanaAksiInput:
        values = {"teks": "Menyusun daftar", "target": "1", "satuan": "Dokumen", **extra}
        return skp_pb2.RencanaAksiInput(rhk_id=rhk, periode_id=periode_id, **values)

    with nothing_written(world, t):
        for periode_id in (base.tw(3), base.tw(4)):
            request = skp_pb2.AddRencanaAksiRequest(skp_id=half.id, rencana_aksi=rencana(periode_id))
            assert invalid(s.AddRencanaAksi, request, me) == {
                "rencana_aksi.periode_id": "PERIODE_DI_LUAR_SKP"
            }
        request = skp_pb2.AddRencanaAksiRequest(
            skp_id=half.id, rencana_aksi=rencana(str(uuid.uuid4()), target="", teks="")
        )
        assert invalid(s.AddRencanaAksi, request, me) == {
            "rencana_aksi.periode_id": "PERIODE_NOT_FOUND", "rencana_aksi.teks": "REQUIRED", "rencana_aksi.target": "REQUIRED",
        }  # fmt: skip
        bulanan = skp_pb2.SetTargetBulananRequest(
            skp_id=half.id, indikator_id=item, target=[*[""] * 6, "1", *[""] * 4, "2"]
        )
        assert invalid(s.SetTargetBulanan, bulanan, me) == {
            "target[6]": "BULAN_DI_LUAR_SKP",
            "target[11]": "BULAN_DI_LUAR_SKP",
        }
    half = s.AddRencanaAksi(
        skp_pb2.AddRencanaAksiRequest(skp_id=half.id, rencana_aksi=rencana(base.tw(2))), metadata=me
    )
    half = s.AddRencanaAksi(
        skp_pb2.AddRencanaAksiRequest(skp_id=half.id, rencana_aksi=rencana(base.final, target="0,5")),
        metadata=me,
    )
    assert [(r.periode_id, r.target) for r in half.rhk[0].rencana_aksi] == [
        (base.tw(2), "1"),
        (base.final, "0.5"),
    ]
    with nothing_written(world, t):
        request = skp_pb2.UpdateRencanaAksiRequest(
            skp_id=half.id, rencana_aksi_id=half.rhk[0].rencana_aksi[0].id, rencana_aksi=rencana(base.tw(4))
        )
        assert invalid(s.UpdateRencanaAksi, request, me) == {"rencana_aksi.periode_id": "PERIODE_DI_LUAR_SKP"}
    # the SKP cannot shrink away from its own rencana aksi and monthly targets
    half = s.SetTargetBulanan(
        skp_pb2.SetTargetBulananRequest(
            skp_id=half.id, indikator_id=item, target=[*[""] * 4, "1", *[""] * 7]
        ),
        metadata=me,
    )
    with nothing_written(world, t):
        narrower = skp_pb2.UpdateSkpRequest(
            id=half.id, tanggal_mulai=f"{NEXT_YEAR}-01-01", tanggal_selesai=f"{NEXT_YEAR}-03-31",
            pendekatan=skp_pb2.PENDEKATAN_KUANTITATIF,
        )  # fmt: skip
        error = refuse(s.UpdateSkp, narrower, me, C.FAILED_PRECONDITION, "PERENCANAAN_DI_LUAR_MASA")
        assert codes(error) == {
            "rhk[0].rencana_aksi[0]": "RENCANA_AKSI_DI_LUAR_MASA",
            "rhk[0].indikator[0].target_bulanan": "TARGET_BULANAN_DI_LUAR_MASA",
        }


def test_rencana_aksi_closes_at_the_periode_s_deadline(world: SkpWorld, base: Base) -> None:
    t, s, me = base.t, world.stub, base.t.md("data_mutasi")
    past = world.skp(t, "data_mutasi", **year(THIS_YEAR - 1))
    past = world.rhk(t, "data_mutasi", past.id, "Tertatanya data mutasi", jenis=skp_pb2.JENIS_RHK_TAMBAHAN)
    with nothing_written(world, t):
        request = skp_pb2.AddRencanaAksiRequest(
            skp_id=past.id,
            rencana_aksi=skp_pb2.RencanaAksiInput(
                rhk_id=past.rhk[0].id, periode_id=base.tw(1), teks="Verifikasi", target="1", satuan="Dokumen"
            ),
        )
        refuse(s.AddRencanaAksi, request, me, C.FAILED_PRECONDITION, "LEWAT_BATAS_PENGISIAN")
    # this year's final periode is due on 10 January of the next year: still open
    now = world.skp(t, "data_mutasi", **year(THIS_YEAR))
    now = world.rhk(t, "data_mutasi", now.id, "Tertatanya data mutasi", jenis=skp_pb2.JENIS_RHK_TAMBAHAN)
    for periode_id in (base.final, base.tw(4)):
        now = s.AddRencanaAksi(
            skp_pb2.AddRencanaAksiRequest(
                skp_id=now.id,
                rencana_aksi=skp_pb2.RencanaAksiInput(
                    rhk_id=now.rhk[0].id,
                    periode_id=periode_id,
                    teks="Rekap tahunan",
                    target="1",
                    satuan="Laporan",
                ),
            ),
            metadata=me,
        )
    assert [r.periode_id for r in now.rhk[0].rencana_aksi] == [base.final, base.tw(4)]


def test_a_periode_in_use_is_not_deleted(world: SkpWorld, base: Base) -> None:
    t, s = base.t, world.stub
    mine = world.skp(t, "prakom_3", **year(NEXT_YEAR))
    mine = world.rhk(
        t, "prakom_3", mine.id, "Terpeliharanya jaringan", atasan_rhk_id=base.informasi.rhk[0].id
    )
    mine = s.AddRencanaAksi(
        skp_pb2.AddRencanaAksiRequest(
            skp_id=mine.id,
            rencana_aksi=skp_pb2.RencanaAksiInput(
                rhk_id=mine.rhk[0].id, periode_id=base.tw(3), teks="Pemeliharaan", target="2", satuan="Kali"
            ),
        ),
        metadata=t.md("prakom_3"),
    )
    with nothing_written(world, t):
        error = refuse(s.DeletePeriode, skp_pb2.DeletePeriodeRequest(id=base.tw(3)), t.admin,
                       C.FAILED_PRECONDITION, "PERIODE_DIPAKAI")  # fmt: skip
        assert "1 SKP" in error.message
        refuse(s.DeletePeriode, skp_pb2.DeletePeriodeRequest(id=base.tw(3)), t.md("prakom_3"),
               C.PERMISSION_DENIED, "ADMIN_REQUIRED")  # fmt: skip
        request = skp_pb2.CreatePeriodeRequest(
            periode=skp_pb2.PeriodeInput(
                nama="Agustus",
                mulai="08-01",
                selesai="08-31",
                batas_pengisian="09-10",
                jenis=skp_pb2.JENIS_PERIODE_BIASA,
            )
        )
        refuse(s.CreatePeriode, request, t.admin, C.FAILED_PRECONDITION, "PERIODE_OVERLAP")
    s.DeleteRencanaAksi(
        skp_pb2.DeleteRencanaAksiRequest(skp_id=mine.id, rencana_aksi_id=mine.rhk[0].rencana_aksi[0].id),
        metadata=t.md("prakom_3"),
    )
    s.DeletePeriode(skp_pb2.DeletePeriodeRequest(id=base.tw(3)), metadata=t.admin)
    assert base.tw(3) not in {
        p.id for p in s.ListPeriode(skp_pb2.ListPeriodeRequest(), metadata=t.md("prakom_3")).periode
    }
    assert [e[0] for e in events(world, base.tw(3))] == ["PeriodeCreated", "PeriodeDeleted"]


def test_every_submission_gap_is_listed_at_once(world: SkpWorld, base: Base) -> None:
    t, s, me = base.t, world.stub, base.t.md("pengadministrasi")
    mine = world.skp(t, "pengadministrasi", skp_pb2.PENDEKATAN_KUALITATIF, **year(NEXT_YEAR))
    assert mine.penilai.pegawai_id == t.id("kasubbag_umum")
    with nothing_written(world, t):
        error = refuse(
            s.SubmitSkp, skp_pb2.SubmitSkpRequest(id=mine.id), me, C.FAILED_PRECONDITION, "SKP_BELUM_LENGKAP"
        )
    assert [(v.field, v.code) for v in error.violations] == [
        ("rhk", "RHK_UTAMA_KOSONG"),
        *[(f"perilaku[{k}].penilai", "PERILAKU_TANPA_PENILAI") for k in range(7)],
    ]
    world.rhk(t, "pengadministrasi", mine.id, "Tertibnya arsip surat", jenis=skp_pb2.JENIS_RHK_TAMBAHAN)
    mine = world.rhk(t, "pengadministrasi", mine.id, "Terlayaninya surat masuk")  # utama, no atasan RHK
    utama = next(r for r in mine.rhk if r.jenis == skp_pb2.JENIS_RHK_UTAMA)
    # kualitatif: an indikator without aspek and target is fine ... until the SKP turns kuantitatif
    world.indikator(t, "pengadministrasi", mine.id, utama.id, "Surat tercatat", target=skp_pb2.Target())
    s.SetPenilaiPerilaku(
        skp_pb2.SetPenilaiPerilakuRequest(
            skp_id=mine.id, nilai=1, penilai_jenis=skp_pb2.JENIS_PENILAI_ATASAN
        ),
        metadata=me,
    )
    mine = s.UpdateSkp(skp_pb2.UpdateSkpRequest(
        id=mine.id, tanggal_mulai=mine.tanggal_mulai, tanggal_selesai=mine.tanggal_selesai,
        pendekatan=skp_pb2.PENDEKATAN_KUANTITATIF), metadata=me)  # fmt: skip
    with nothing_written(world, t):
        error = refuse(
            s.SubmitSkp, skp_pb2.SubmitSkpRequest(id=mine.id), me, C.FAILED_PRECONDITION, "SKP_BELUM_LENGKAP"
        )
    assert [(v.field, v.code) for v in error.violations] == [
        ("rhk[0].atasan_rhk_id", "RHK_TANPA_INTERVENSI"),
        ("rhk[0].indikator[0].aspek", "INDIKATOR_TANPA_ASPEK"),
        ("rhk[0].indikator[0].target", "INDIKATOR_TANPA_TARGET"),
        ("rhk[1].indikator", "RHK_TANPA_INDIKATOR"),
        *[(f"perilaku[{k}].penilai", "PERILAKU_TANPA_PENILAI") for k in range(1, 7)],
    ]
    assert "10 hal" in error.message


def test_an_intervened_rhk_stays(world: SkpWorld, base: Base, bangkom: skp_pb2.Skp) -> None:
    t, s, owner = base.t, world.stub, base.t.md("kabid_bangkom")
    atasan = world.rhk(t, "kabid_bangkom", bangkom.id, "Tersusunnya analisis kebutuhan diklat")
    target = atasan.rhk[-1]
    mine = world.skp(t, "analis_bangkom", **year(NEXT_YEAR))
    mine = world.rhk(t, "analis_bangkom", mine.id, "Tersusunnya AKD unit", atasan_rhk_id=target.id)
    with nothing_written(world, t):
        error = refuse(s.DeleteRhk, skp_pb2.DeleteRhkRequest(skp_id=bangkom.id, rhk_id=target.id), owner,
                       C.FAILED_PRECONDITION, "RHK_DIINTERVENSI")  # fmt: skip
        assert "Dewi Anggraini" in error.message  # who intervenes it
        refuse(s.UpdateRhk, skp_pb2.UpdateRhkRequest(
            skp_id=bangkom.id, rhk_id=target.id, rhk=skp_pb2.RhkInput(jenis=skp_pb2.JENIS_RHK_TAMBAHAN, teks=target.teks)),
            owner, C.FAILED_PRECONDITION, "RHK_DIINTERVENSI")  # fmt: skip
        refuse(
            s.DeleteSkp,
            skp_pb2.DeleteSkpRequest(id=bangkom.id),
            owner,
            C.FAILED_PRECONDITION,
            "SKP_DIINTERVENSI",
        )
    # its text may change; once the bawahan lets go, it may be deleted
    s.UpdateRhk(skp_pb2.UpdateRhkRequest(
        skp_id=bangkom.id, rhk_id=target.id, rhk=skp_pb2.RhkInput(jenis=1, teks="Tersusunnya AKD instansi")), metadata=owner)  # fmt: skip
    s.DeleteRhk(
        skp_pb2.DeleteRhkRequest(skp_id=mine.id, rhk_id=mine.rhk[0].id), metadata=t.md("analis_bangkom")
    )
    after = s.DeleteRhk(skp_pb2.DeleteRhkRequest(skp_id=bangkom.id, rhk_id=target.id), metadata=owner)
    assert [r.id for r in after.rhk] == [bangkom.rhk[0].id]


# ---------------------------------------------------------------------------------------------
# Snapshots
# ---------------------------------------------------------------------------------------------


def test_refresh_takes_org_changes_only_while_draft(world: SkpWorld, base: Base) -> None:
    t, s, me = base.t, world.stub, base.t.md("keuangan_upt")
    head = world.skp(t, "kasubbag_tu_upt", **year(NEXT_YEAR))
    head = world.rhk(t, "kasubbag_tu_upt", head.id, "Tertibnya administrasi UPT")
    sent = world.skp(t, "keuangan_upt", **year(NEXT_YEAR, "01-01", "06-30"))
    sent = world.submit(t, "keuangan_upt", world.complete(t, "keuangan_upt", sent.id, head.rhk[0].id).id)
    draft = world.skp(t, "keuangan_upt", **year(NEXT_YEAR, "07-01", "12-31"))
    old = "Subbagian Tata Usaha UPT Pusat Penilaian Kompetensi ASN"
    assert (draft.pegawai.unor_nama, draft.penilai.unor_nama) == (old, old)

    unor = world.org.stub.GetUnor(org_pb2.GetUnorRequest(id=t.unor("upt_tu")), metadata=t.admin)
    new = "Subbagian Tata Usaha dan Keuangan UPT Penilaian Kompetensi"
    world.org.stub.UpdateUnor(
        org_pb2.UpdateUnorRequest(
            id=unor.id,
            unor=org_pb2.UnorInput(
                nama=new, jenis=unor.jenis, eselon=unor.eselon, parent_id=unor.parent_id,
                induk_id=unor.induk_id, mandiri=unor.mandiri, kota=unor.kota,
            ),
        ),
        metadata=t.admin,
    )  # fmt: skip
    assert (
        s.GetSkp(skp_pb2.GetSkpRequest(id=draft.id), metadata=me).pegawai.unor_nama == old
    )  # kept until refreshed
    with nothing_written(world, t):
        refuse(s.RefreshSkpSnapshot, skp_pb2.RefreshSkpSnapshotRequest(id=sent.id), me,
               C.FAILED_PRECONDITION, "SKP_TIDAK_DAPAT_DIUBAH")  # fmt: skip
        refuse(s.RefreshSkpSnapshot, skp_pb2.RefreshSkpSnapshotRequest(id=draft.id), t.md("kasubbag_tu_upt"),
               C.PERMISSION_DENIED, "BUKAN_PEMILIK_SKP")  # fmt: skip
    refreshed = s.RefreshSkpSnapshot(skp_pb2.RefreshSkpSnapshotRequest(id=draft.id), metadata=me)
    assert (refreshed.pegawai.unor_nama, refreshed.penilai.unor_nama) == (new, new)
    assert refreshed.version == draft.version + 1
    assert s.GetSkp(skp_pb2.GetSkpRequest(id=sent.id), metadata=me).pegawai.unor_nama == old
    last = events(world, draft.id)[-1]
    assert (last[0], last[1]) == ("SkpSnapshotRefreshed", refreshed.version)
    assert unpack_payload(last[2], skp_pb2.SkpSnapshotRefreshed).skp == refreshed  # type: ignore[attr-defined]
    # an admin may refresh too
    assert (
        s.RefreshSkpSnapshot(
            skp_pb2.RefreshSkpSnapshotRequest(id=draft.id), metadata=t.admin
        ).pegawai.unor_nama
        == new
    )


# ---------------------------------------------------------------------------------------------
# Kinerja harian
# ---------------------------------------------------------------------------------------------


def test_kinerja_harian_and_the_monthly_roll_up(
    world: SkpWorld, base: Base, approved_head: skp_pb2.Skp
) -> None:
    t, s, me = base.t, world.stub, base.t.md("kepala_upt")
    skp, item = approved_head, approved_head.rhk[0].indikator[0]

    def entry(day: str, realisasi: str = "1", indikator: str = item.id) -> skp_pb2.KinerjaHarianInput:
        return skp_pb2.KinerjaHarianInput(
            tanggal=day, uraian="Asesmen kompetensi", indikator_id=indikator, realisasi=realisasi
        )

    def add(day: str, realisasi: str = "1", **extra: Any) -> skp_pb2.KinerjaHarian:
        found: skp_pb2.KinerjaHarian = s.AddKinerjaHarian(
            skp_pb2.AddKinerjaHarianRequest(skp_id=skp.id, kinerja_harian=entry(day, realisasi, **extra)),
            metadata=me,
        )
        return found

    tomorrow = TODAY + timedelta(days=1)
    with nothing_written(world, t):
        later = "TANGGAL_MENDATANG" if tomorrow.year == TODAY.year else "DI_LUAR_MASA_SKP"
        request = skp_pb2.AddKinerjaHarianRequest(skp_id=skp.id, kinerja_harian=entry(tomorrow.isoformat()))
        assert invalid(s.AddKinerjaHarian, request, me) == {"kinerja_harian.tanggal": later}
        request = skp_pb2.AddKinerjaHarianRequest(
            skp_id=skp.id, kinerja_harian=entry(f"{THIS_YEAR - 1}-12-31")
        )
        assert invalid(s.AddKinerjaHarian, request, me) == {"kinerja_harian.tanggal": "DI_LUAR_MASA_SKP"}
        request = skp_pb2.AddKinerjaHarianRequest(
            skp_id=skp.id, kinerja_harian=entry(TODAY.isoformat(), "-1", indikator=str(uuid.uuid4()))
        )
        assert invalid(s.AddKinerjaHarian, request, me) == {
            "kinerja_harian.realisasi": "INVALID_NUMBER", "kinerja_harian.indikator_id": "INDIKATOR_NOT_FOUND",
        }  # fmt: skip
        request = skp_pb2.AddKinerjaHarianRequest(skp_id=skp.id, kinerja_harian=entry(TODAY.isoformat()))
        refuse(s.AddKinerjaHarian, request, t.md("asesor_1"), C.PERMISSION_DENIED, "BUKAN_PEMILIK_SKP")
        refuse(s.AddKinerjaHarian, request, t.admin, C.PERMISSION_DENIED, "BUKAN_PEMILIK_SKP")
        # only on an approved SKP
        draft = skp_pb2.AddKinerjaHarianRequest(
            skp_id=base.informasi_now.id, kinerja_harian=entry(TODAY.isoformat())
        )
        refuse(
            s.AddKinerjaHarian, draft, t.md("kabid_informasi"), C.FAILED_PRECONDITION, "SKP_BELUM_DISETUJUI"
        )

    month, previous = TODAY.month, TODAY.month - 1
    targets = [""] * 12
    targets[month - 1] = "10"
    if previous:
        targets[previous - 1] = "5"
    planned = s.SetTargetBulanan(  # monthly targets are planned on an approved SKP too
        skp_pb2.SetTargetBulananRequest(skp_id=skp.id, indikator_id=item.id, target=targets), metadata=me
    )
    assert list(planned.rhk[0].indikator[0].target_bulanan) == targets
    first = add(TODAY.replace(day=1).isoformat(), "2,5")
    second = add(TODAY.isoformat(), "3")
    assert (first.satuan, first.realisasi, first.rhk_id) == ("Dokumen", "2.5", skp.rhk[0].id)
    if previous:
        add(TODAY.replace(month=previous, day=1).isoformat(), "4")

    def rekap() -> dict[int, tuple[str, str, int]]:
        rows = s.RekapKinerjaBulanan(skp_pb2.RekapKinerjaBulananRequest(skp_id=skp.id), metadata=me).rekap
        assert {(r.indikator_id, r.rhk_id) for r in rows} == {(item.id, skp.rhk[0].id)}
        return {r.bulan: (r.target, r.realisasi, r.jumlah_entri) for r in rows}

    found = rekap()
    assert sorted(found) == list(range(1, 13))
    assert found[month] == ("10", "5.5", 2)
    if previous:
        assert found[previous] == ("5", "4", 1)
    assert all(found[m] == ("", "", 0) for m in range(1, 13) if m not in (month, previous))

    updated = s.UpdateKinerjaHarian(
        skp_pb2.UpdateKinerjaHarianRequest(
            id=second.id, kinerja_harian=entry(TODAY.isoformat(), "4,5"), expected_version=1
        ),
        metadata=me,
    )
    assert (updated.realisasi, updated.version) == ("4.5", 2)
    with nothing_written(world, t):
        refuse(s.UpdateKinerjaHarian, skp_pb2.UpdateKinerjaHarianRequest(
            id=second.id, kinerja_harian=entry(TODAY.isoformat()), expected_version=1), me, C.ABORTED, "VERSION_CONFLICT")  # fmt: skip
        refuse(s.DeleteKinerjaHarian, skp_pb2.DeleteKinerjaHarianRequest(id=second.id), t.md("asesor_1"),
               C.PERMISSION_DENIED, "BUKAN_PEMILIK_SKP")  # fmt: skip
    assert rekap()[month] == ("10", "7", 2)
    s.DeleteKinerjaHarian(skp_pb2.DeleteKinerjaHarianRequest(id=first.id), metadata=me)
    assert rekap()[month] == ("10", "4.5", 1)
    listed = s.ListKinerjaHarian(skp_pb2.ListKinerjaHarianRequest(skp_id=skp.id, bulan=month), metadata=me)
    assert [(k.id, k.realisasi) for k in listed.kinerja_harian] == [(second.id, "4.5")]
    # the pejabat penilai reads them; a rekan does not
    assert s.ListKinerjaHarian(
        skp_pb2.ListKinerjaHarianRequest(skp_id=skp.id), metadata=t.md("kepala")
    ).kinerja_harian
    refuse(s.RekapKinerjaBulanan, skp_pb2.RekapKinerjaBulananRequest(skp_id=skp.id), t.md("asesor_1"),
           C.PERMISSION_DENIED, "SKP_TIDAK_BERHAK")  # fmt: skip
    assert invalid(s.ListKinerjaHarian, skp_pb2.ListKinerjaHarianRequest(skp_id=skp.id, bulan=13), me) == {
        "bulan": "INVALID_MONTH"
    }

    recorded = events(world, first.id)
    assert [(e[0], e[1]) for e in recorded] == [("KinerjaHarianRecorded", 1), ("KinerjaHarianRecorded", 2)]
    payloads = [unpack_payload(e[2], skp_pb2.KinerjaHarianRecorded) for e in recorded]
    assert [(p.change, p.kinerja_harian.realisasi) for p in payloads] == [
        ("ADDED", "2.5"),
        ("DELETED", "2.5"),
    ]  # type: ignore[attr-defined]
    assert [unpack_payload(e[2], skp_pb2.KinerjaHarianRecorded).change for e in events(world, second.id)] == [  # type: ignore[attr-defined]
        "ADDED", "UPDATED",
    ]  # fmt: skip


# ---------------------------------------------------------------------------------------------
# ListSkp
# ---------------------------------------------------------------------------------------------


def test_list_skp_scopes_filters_and_pages(world: SkpWorld) -> None:
    t = world.tenant(2)  # its own instansi: the lists hold exactly what this test made
    s = world.stub
    monthly = {p.nama: p.id for p in s.CreatePeriodeSet(
        skp_pb2.CreatePeriodeSetRequest(pola=skp_pb2.POLA_PERIODE_BULANAN), metadata=t.admin).periode}  # fmt: skip
    head = world.skp(t, "kabid_pengembangan", **year(NEXT_YEAR))
    head = world.rhk(t, "kabid_pengembangan", head.id, "Terselenggaranya pengembangan SDM")
    made = {
        "analis_sdm_1": world.skp(t, "analis_sdm_1", **year(NEXT_YEAR)),  # Indah Permatasari (submitted)
        "analis_sdm_2": world.skp(t, "analis_sdm_2", **year(NEXT_YEAR)),  # Budi Santoso
        "prakom_1": world.skp(t, "prakom_1", **year(NEXT_YEAR)),  # Aditya Pratama
        "prakom_2": world.skp(t, "prakom_2", **year(THIS_YEAR)),  # Kurnia Sari Dewi
        "asesor": world.skp(t, "asesor", **year(NEXT_YEAR, "01-01", "02-28")),  # Hadi Purnomo
        "prakom_terampil": world.skp(
            t, "prakom_terampil", **year(NEXT_YEAR, "03-01", "12-31")
        ),  # Eko Prasetyo
    }
    ids = {k: v.id for k, v in made.items()}
    world.complete(t, "analis_sdm_1", ids["analis_sdm_1"], head.rhk[0].id)
    world.submit(t, "analis_sdm_1", ids["analis_sdm_1"])
    by_name = ["prakom_1", "analis_sdm_2", "prakom_terampil", "asesor", "analis_sdm_1", "prakom_2"]

    def listed(md: Metadata, **request: Any) -> list[str]:
        found = s.ListSkp(skp_pb2.ListSkpRequest(**request), metadata=md)
        assert found.total_count == len(found.skp) and found.next_page_token == ""
        return [x.id for x in found.skp]

    penilai = t.md("kabid_pengembangan")
    bawahan = skp_pb2.SKP_SCOPE_BAWAHAN
    assert listed(t.md("analis_sdm_2")) == [ids["analis_sdm_2"]]  # scope SAYA by default
    assert listed(t.md("analis_sdm_2"), scope=bawahan) == []
    assert listed(penilai, scope=skp_pb2.SKP_SCOPE_SAYA) == [head.id]
    assert listed(penilai, scope=bawahan) == [ids[k] for k in by_name]
    assert listed(penilai, scope=bawahan, tahun=NEXT_YEAR) == [ids[k] for k in by_name if k != "prakom_2"]
    assert listed(penilai, scope=bawahan, status=skp_pb2.STATUS_SKP_DIAJUKAN) == [ids["analis_sdm_1"]]
    assert listed(penilai, scope=bawahan, status=skp_pb2.STATUS_SKP_DISETUJUI) == []
    # periode: the SKP's dates touch the periode of the SKP's year; February ends on its last day
    assert listed(penilai, scope=bawahan, periode_id=monthly["Bulan Februari"]) == [
        ids[k] for k in by_name if k != "prakom_terampil"
    ]
    assert listed(penilai, scope=bawahan, periode_id=monthly["Bulan Maret"]) == [
        ids[k] for k in by_name if k != "asesor"
    ]
    # query: a NIP prefix (digits) or 3+ letters of the name
    assert listed(penilai, scope=bawahan, query=t.nip("analis_sdm_2")) == [ids["analis_sdm_2"]]
    prefix = t.nip("prakom_2")[:8]
    assert listed(penilai, scope=bawahan, query=prefix) == [
        ids[k] for k in by_name if t.nip(k).startswith(prefix)
    ]
    assert listed(penilai, scope=bawahan, query="permata") == [ids["analis_sdm_1"]]
    assert listed(penilai, scope=bawahan, query="  PRASETYO ") == [ids["prakom_terampil"]]
    assert listed(penilai, scope=bawahan, query="sari", tahun=NEXT_YEAR) == [ids["analis_sdm_1"]]
    for short in ("ad", "12", "a1 2"):
        assert invalid(s.ListSkp, skp_pb2.ListSkpRequest(scope=bawahan, query=short), penilai) == {
            "query": "QUERY_TOO_SHORT"
        }
    # the instansi: admins only
    everyone = listed(t.admin, scope=skp_pb2.SKP_SCOPE_INSTANSI)
    assert set(everyone) == {head.id, *ids.values()} and len(everyone) == 7
    assert listed(t.admin, scope=skp_pb2.SKP_SCOPE_INSTANSI, unor_id=t.unor("pengembangan")) == everyone
    assert listed(t.admin, scope=skp_pb2.SKP_SCOPE_INSTANSI, unor_id=t.unor("mutasi")) == []
    refuse(
        s.ListSkp,
        skp_pb2.ListSkpRequest(scope=skp_pb2.SKP_SCOPE_INSTANSI),
        penilai,
        C.PERMISSION_DENIED,
        "ADMIN_REQUIRED",
    )
    refuse(s.ListSkp, skp_pb2.ListSkpRequest(scope=bawahan), t.admin, C.PERMISSION_DENIED, "PEGAWAI_REQUIRED")
    refuse(
        s.ListSkp,
        skp_pb2.ListSkpRequest(periode_id=str(uuid.uuid4())),
        penilai,
        C.NOT_FOUND,
        "PERIODE_NOT_FOUND",
    )
    assert invalid(s.ListSkp, skp_pb2.ListSkpRequest(scope=9), penilai) == {"scope": "SCOPE_INVALID"}  # type: ignore[arg-type]
    assert invalid(s.ListSkp, skp_pb2.ListSkpRequest(status=9), penilai) == {"status": "STATUS_INVALID"}  # type: ignore[arg-type]
    assert invalid(s.ListSkp, skp_pb2.ListSkpRequest(unor_id="x"), penilai) == {"unor_id": "INVALID_ID"}
    assert invalid(s.ListSkp, skp_pb2.ListSkpRequest(page_size=-1), penilai) == {
        "page_size": "PAGE_SIZE_INVALID"
    }

    # pages of 3 by name, each with the total; the token continues only the list it came from
    pages, token = [], ""
    while True:
        page = s.ListSkp(
            skp_pb2.ListSkpRequest(scope=skp_pb2.SKP_SCOPE_INSTANSI, page_size=3, page_token=token),
            metadata=t.admin,
        )
        assert page.total_count == 7
        pages.append([x.id for x in page.skp])
        token = page.next_page_token
        if not token:
            break
        other = skp_pb2.ListSkpRequest(
            scope=skp_pb2.SKP_SCOPE_INSTANSI, page_size=3, page_token=token, tahun=NEXT_YEAR
        )
        assert invalid(s.ListSkp, other, t.admin) == {"page_token": "PAGE_TOKEN_INVALID"}
    assert [len(p) for p in pages] == [3, 3, 1] and [i for p in pages for i in p] == everyone
    assert invalid(s.ListSkp, skp_pb2.ListSkpRequest(page_token="bukan-token"), penilai) == {
        "page_token": "PAGE_TOKEN_INVALID"
    }
    # list items carry counts, not content
    item = s.ListSkp(
        skp_pb2.ListSkpRequest(scope=bawahan, status=skp_pb2.STATUS_SKP_DIAJUKAN), metadata=penilai
    ).skp[0]
    assert (len(item.rhk), len(item.perilaku), item.jumlah_rhk, item.jumlah_indikator) == (0, 0, 1, 1)
    assert item.pegawai.nama == "Indah Permatasari, S.Psi." and item.penilai.pegawai_id == t.id(
        "kabid_pengembangan"
    )


# ---------------------------------------------------------------------------------------------
# Events
# ---------------------------------------------------------------------------------------------

SKP_EVENTS = {
    "SkpCreated": skp_pb2.SkpCreated, "SkpUpdated": skp_pb2.SkpUpdated, "SkpDeleted": skp_pb2.SkpDeleted,
    "SkpSnapshotRefreshed": skp_pb2.SkpSnapshotRefreshed, "RhkChanged": skp_pb2.RhkChanged,
    "IndikatorChanged": skp_pb2.IndikatorChanged, "PerilakuChanged": skp_pb2.PerilakuChanged,
    "LampiranChanged": skp_pb2.LampiranChanged, "SkpSubmitted": skp_pb2.SkpSubmitted,
    "SkpApproved": skp_pb2.SkpApproved, "SkpReturned": skp_pb2.SkpReturned, "SkpReset": skp_pb2.SkpReset,
    "RencanaAksiChanged": skp_pb2.RencanaAksiChanged, "TargetBulananChanged": skp_pb2.TargetBulananChanged,
}  # fmt: skip


def test_every_change_emits_an_event_with_the_whole_skp(world: SkpWorld, base: Base) -> None:
    t, s = base.t, world.stub
    me, penilai = t.md("asesor_1"), t.md("kepala_upt")
    atasan = world.skp(t, "kepala_upt", **year(NEXT_YEAR))
    atasan = world.rhk(t, "kepala_upt", atasan.id, "Terselenggaranya penilaian kompetensi ASN")
    steps: list[tuple[str, skp_pb2.Skp, dict[str, Any]]] = []  # event, the answer, payload fields besides skp

    def step(event: str, answer: skp_pb2.Skp, **fields: Any) -> skp_pb2.Skp:
        steps.append((event, answer, fields))
        return answer

    skp = step("SkpCreated", world.skp(t, "asesor_1", **year(NEXT_YEAR)))
    skp = step("SkpUpdated", s.UpdateSkp(skp_pb2.UpdateSkpRequest(
        id=skp.id, tanggal_mulai=f"{NEXT_YEAR}-01-02", tanggal_selesai=f"{NEXT_YEAR}-12-31",
        pendekatan=skp_pb2.PENDEKATAN_KUANTITATIF, expected_version=skp.version), metadata=me))  # fmt: skip
    skp = world.rhk(t, "asesor_1", skp.id, "Terlaksananya asesmen", atasan_rhk_id=atasan.rhk[0].id)
    utama = skp.rhk[0].id
    step("RhkChanged", skp, rhk_id=utama, change="ADDED")
    skp = step("RhkChanged", s.UpdateRhk(skp_pb2.UpdateRhkRequest(skp_id=skp.id, rhk_id=utama, rhk=skp_pb2.RhkInput(
        jenis=1, teks="Terlaksananya asesmen kompetensi", atasan_rhk_id=atasan.rhk[0].id, tahapan=["Persiapan", "Asesmen"])),
        metadata=me), rhk_id=utama, change="UPDATED")  # fmt: skip
    skp = world.rhk(t, "asesor_1", skp.id, "Tugas tambahan", jenis=skp_pb2.JENIS_RHK_TAMBAHAN)
    tambahan = skp.rhk[1].id
    step("RhkChanged", skp, rhk_id=tambahan, change="ADDED")
    skp = step("RhkChanged", s.DeleteRhk(skp_pb2.DeleteRhkRequest(skp_id=skp.id, rhk_id=tambahan), metadata=me),
               rhk_id=tambahan, change="DELETED")  # fmt: skip
    skp = world.indikator(t, "asesor_1", skp.id, utama, "Jumlah asesi", aspek=skp_pb2.ASPEK_KUANTITAS,
                          target=skp_pb2.Target(min="100", max="120", satuan="Orang"))  # fmt: skip
    item = skp.rhk[0].indikator[0].id
    step("IndikatorChanged", skp, rhk_id=utama, indikator_id=item, change="ADDED")
    skp = step("IndikatorChanged", s.UpdateIndikator(skp_pb2.UpdateIndikatorRequest(
        skp_id=skp.id, indikator_id=item, indikator=skp_pb2.IndikatorInput(
            teks="Jumlah asesi dinilai", aspek=skp_pb2.ASPEK_KUANTITAS, target=skp_pb2.Target(min="110", satuan="Orang"))),
        metadata=me), rhk_id=utama, indikator_id=item, change="UPDATED")  # fmt: skip
    skp = world.indikator(t, "asesor_1", skp.id, utama, "Indikator sementara", aspek=skp_pb2.ASPEK_WAKTU)
    extra = skp.rhk[0].indikator[1].id
    step("IndikatorChanged", skp, rhk_id=utama, indikator_id=extra, change="ADDED")
    skp = step("IndikatorChanged", s.DeleteIndikator(skp_pb2.DeleteIndikatorRequest(skp_id=skp.id, indikator_id=extra),
               metadata=me), rhk_id=utama, indikator_id=extra, change="DELETED")  # fmt: skip
    for nilai in range(1, 8):
        kind = skp_pb2.JENIS_PENILAI_REKAN_KERJA if nilai == 7 else skp_pb2.JENIS_PENILAI_ATASAN
        who = t.id("asesor_2") if nilai == 7 else ""
        skp = step("PerilakuChanged", s.SetPenilaiPerilaku(skp_pb2.SetPenilaiPerilakuRequest(
            skp_id=skp.id, nilai=nilai, penilai_jenis=kind, penilai_pegawai_id=who), metadata=me), nilai=nilai)  # type: ignore[arg-type]  # fmt: skip
    assert (skp.perilaku[6].penilai_nama, skp.perilaku[0].penilai_pegawai_id) == (
        "Maya Kartika Sari, S.Psi.", t.id("kepala_upt"),
    )  # fmt: skip
    skp = step("LampiranChanged", s.SetLampiran(skp_pb2.SetLampiranRequest(skp_id=skp.id, lampiran=skp_pb2.Lampiran(
        dukungan_sumber_daya=["Ruang asesmen"], konsekuensi=["Sesuai ketentuan"])), metadata=me))  # fmt: skip
    skp = s.AddRencanaAksi(skp_pb2.AddRencanaAksiRequest(skp_id=skp.id, rencana_aksi=skp_pb2.RencanaAksiInput(
        rhk_id=utama, periode_id=base.tw(1), teks="Menyiapkan instrumen", target="1", satuan="Paket")), metadata=me)  # fmt: skip
    rencana = skp.rhk[0].rencana_aksi[0].id
    step(
        "RencanaAksiChanged",
        skp,
        rhk_id=utama,
        periode_id=base.tw(1),
        rencana_aksi_id=rencana,
        change="ADDED",
    )
    skp = step("RencanaAksiChanged", s.UpdateRencanaAksi(skp_pb2.UpdateRencanaAksiRequest(
        skp_id=skp.id, rencana_aksi_id=rencana, rencana_aksi=skp_pb2.RencanaAksiInput(
            rhk_id=utama, periode_id=base.tw(2), teks="Menyiapkan instrumen asesmen", target="2", satuan="Paket")),
        metadata=me), rhk_id=utama, periode_id=base.tw(2), rencana_aksi_id=rencana, change="UPDATED")  # fmt: skip
    skp = step("TargetBulananChanged", s.SetTargetBulanan(skp_pb2.SetTargetBulananRequest(
        skp_id=skp.id, indikator_id=item, target=["10"] * 12), metadata=me), indikator_id=item)  # fmt: skip
    skp = step(
        "SkpSnapshotRefreshed",
        s.RefreshSkpSnapshot(skp_pb2.RefreshSkpSnapshotRequest(id=skp.id), metadata=me),
    )
    skp = step("SkpSubmitted", world.submit(t, "asesor_1", skp.id))
    skp = step("PerilakuChanged", s.SetEkspektasi(skp_pb2.SetEkspektasiRequest(
        skp_id=skp.id, nilai=skp_pb2.NILAI_PERILAKU_KOMPETEN, ekspektasi="Mengikuti sertifikasi asesor"),
        metadata=penilai), nilai=skp_pb2.NILAI_PERILAKU_KOMPETEN)  # fmt: skip
    skp = step("SkpReturned", s.ReturnSkp(skp_pb2.ReturnSkpRequest(id=skp.id, alasan="Perjelas target"), metadata=penilai),
               alasan="Perjelas target")  # fmt: skip
    skp = step("SkpSubmitted", world.submit(t, "asesor_1", skp.id))
    skp = step(
        "SkpApproved", s.ApproveSkp(skp_pb2.ApproveSkpRequest(id=skp.id), metadata=penilai), otomatis=False
    )
    skp = step("RencanaAksiChanged", s.DeleteRencanaAksi(skp_pb2.DeleteRencanaAksiRequest(
        skp_id=skp.id, rencana_aksi_id=rencana), metadata=me),
        rhk_id=utama, periode_id=base.tw(2), rencana_aksi_id=rencana, change="DELETED")  # fmt: skip
    skp = step("SkpReset", s.ResetSkp(skp_pb2.ResetSkpRequest(id=skp.id, alasan="Pindah jabatan"), metadata=t.admin),
               alasan="Pindah jabatan", status_sebelumnya=skp_pb2.STATUS_SKP_DISETUJUI)  # fmt: skip
    s.DeleteSkp(skp_pb2.DeleteSkpRequest(id=skp.id), metadata=me)
    deleted = skp_pb2.Skp()
    deleted.CopyFrom(skp)
    steps.append(("SkpDeleted", deleted, {}))

    rows = world.outbox(skp.id)
    assert [r.event_type for r in rows] == [f"kinerja.skp.v1.{e}" for e, _, _ in steps]
    assert {r.topic for r in rows} == {"kinerja.skp.skp.v1"}
    assert [r.aggregate_version for r in rows] == list(range(1, len(steps) + 1))
    for row, (event, answer, fields) in zip(rows, steps, strict=True):
        envelope = envelope_pb2.EventEnvelope.FromString(row.envelope)
        assert (envelope.instansi_id, envelope.aggregate_type, envelope.aggregate_id) == (
            str(t.instansi_id),
            "skp",
            skp.id,
        )
        payload = unpack_payload(envelope, SKP_EVENTS[event])
        carried = payload.skp  # type: ignore[attr-defined]
        assert carried.version == row.aggregate_version, event
        if event == "SkpDeleted":
            assert (
                carried.version == answer.version + 1
                and carried.rhk == answer.rhk
                and carried.perilaku == answer.perilaku
            )
        else:
            assert carried == answer, event  # the whole SKP after the change, as the RPC answered it
        for name, value in fields.items():
            assert getattr(payload, name) == value, (event, name)
    envelopes = {
        r.event_type.rsplit(".", 1)[1]: envelope_pb2.EventEnvelope.FromString(r.envelope) for r in rows
    }
    approved = unpack_payload(envelopes["SkpApproved"], skp_pb2.SkpApproved)
    assert approved.disetujui_oleh.pegawai_id == t.id("kepala_upt")  # type: ignore[attr-defined]
    returned = unpack_payload(envelopes["SkpReturned"], skp_pb2.SkpReturned)
    assert returned.dikembalikan_oleh.nip == t.nip("kepala_upt")  # type: ignore[attr-defined]
    last = unpack_payload(envelopes["SkpDeleted"], skp_pb2.SkpDeleted)
    assert (
        len(last.skp.rhk[0].indikator) == 1
        and last.skp.perilaku[2].ekspektasi == "Mengikuti sertifikasi asesor"
    )  # type: ignore[attr-defined]

    # the matriks peran hasil and the perjanjian kinerja: the whole aggregate on each change
    mph = s.SetMphKolom(skp_pb2.SetMphKolomRequest(
        skp_id=atasan.id, rhk_id=atasan.rhk[0].id, kolom=[skp_pb2.MphKolom(nama="Laporan asesmen")]), metadata=penilai)  # fmt: skip
    mph = s.AddMphAnggota(skp_pb2.AddMphAnggotaRequest(skp_id=atasan.id, rhk_id=atasan.rhk[0].id, anggota=skp_pb2.MphAnggotaInput(
        nip=t.nip("asesor_2"), peran_tim=skp_pb2.PERAN_TIM_KETUA,
        peran=[skp_pb2.MphPeran(kolom_id=mph.kolom[0].id, peran="Tersusunnya laporan asesmen")])), metadata=penilai)  # fmt: skip
    recorded = events(world, mph.id)
    assert [(e[0], e[1]) for e in recorded] == [
        ("MatriksPeranHasilChanged", 1),
        ("MatriksPeranHasilChanged", 2),
    ]
    assert unpack_payload(recorded[-1][2], skp_pb2.MatriksPeranHasilChanged).matriks == mph  # type: ignore[attr-defined]
    pk = s.CreatePerjanjianKinerja(skp_pb2.CreatePerjanjianKinerjaRequest(tahun=NEXT_YEAR), metadata=penilai)
    pk = s.AddSasaranStrategis(skp_pb2.AddSasaranStrategisRequest(perjanjian_kinerja_id=pk.id, sasaran=skp_pb2.SasaranInput(
        teks="Meningkatnya kompetensi ASN", indikator=[skp_pb2.PkIndikator(teks="Indeks", target="3,5", satuan="Indeks")])),
        metadata=penilai)  # fmt: skip
    recorded = events(world, pk.id)
    assert [(e[0], e[1]) for e in recorded] == [
        ("PerjanjianKinerjaChanged", 1),
        ("PerjanjianKinerjaChanged", 2),
    ]
    assert unpack_payload(recorded[-1][2], skp_pb2.PerjanjianKinerjaChanged).perjanjian_kinerja == pk  # type: ignore[attr-defined]
    assert pk.sasaran[0].indikator[0].target == "3.5"
    # deleting the RHK (no live bawahan SKP intervenes it any more) takes its matriks and peran with it
    s.DeleteRhk(skp_pb2.DeleteRhkRequest(skp_id=atasan.id, rhk_id=atasan.rhk[0].id), metadata=penilai)
    recorded = events(world, mph.id)
    assert [(e[0], e[1]) for e in recorded] == [
        ("MatriksPeranHasilChanged", 1), ("MatriksPeranHasilChanged", 2), ("MatriksPeranHasilDeleted", 3),
    ]  # fmt: skip
    assert unpack_payload(recorded[-1][2], skp_pb2.MatriksPeranHasilDeleted).matriks == mph  # type: ignore[attr-defined]
    offered = s.ListPeranDitugaskan(
        skp_pb2.ListPeranDitugaskanRequest(tahun=NEXT_YEAR), metadata=t.md("asesor_2")
    )
    assert list(offered.peran) == []


def test_periode_events_and_the_year_end_periode(world: SkpWorld) -> None:
    tenant = world.org.instansi()  # a bare instansi: periode need no pegawai
    s, admin = world.stub, tenant.admin
    created = s.CreatePeriodeSet(
        skp_pb2.CreatePeriodeSetRequest(pola=skp_pb2.POLA_PERIODE_BULANAN, batas_hari=5), metadata=admin
    ).periode
    assert [p.nama for p in created][:2] == ["Bulan Januari", "Bulan Februari"] and len(created) == 13
    assert (created[1].selesai, created[1].batas_pengisian) == (
        "02-29",
        "03-05",
    )  # February's last day in any year
    final = created[-1]
    assert (final.nama, final.mulai, final.selesai, final.batas_pengisian) == (
        "Periode Akhir Tahun",
        "01-01",
        "12-31",
        "01-05",
    )
    # the generated year-end periode can be saved as it is (its deadline falls in the next year)
    renamed = s.UpdatePeriode(skp_pb2.UpdatePeriodeRequest(id=final.id, expected_version=1, periode=skp_pb2.PeriodeInput(
        nama="Penilaian Akhir Tahun", mulai=final.mulai, selesai=final.selesai, batas_pengisian="01-15",
        jenis=final.jenis)), metadata=admin)  # fmt: skip
    assert (renamed.nama, renamed.batas_pengisian, renamed.version) == ("Penilaian Akhir Tahun", "01-15", 2)
    before = world.snapshot(tenant.id)
    code, error = rpc_error(s.UpdatePeriode, skp_pb2.UpdatePeriodeRequest(
        id=created[0].id, periode=skp_pb2.PeriodeInput(nama="Januari", mulai="01-01", selesai="01-31", batas_pengisian="01-15",
        jenis=skp_pb2.JENIS_PERIODE_BIASA)), metadata=admin)  # fmt: skip
    assert (code, codes(error)) == (C.INVALID_ARGUMENT, {"periode.batas_pengisian": "BATAS_BEFORE_END"})
    code, error = rpc_error(s.UpdatePeriode, skp_pb2.UpdatePeriodeRequest(id=final.id, expected_version=1, periode=skp_pb2.PeriodeInput(
        nama="x", mulai="01-01", selesai="12-31", batas_pengisian="01-15", jenis=2)), metadata=admin)  # fmt: skip
    assert (code, error.reason) == (C.ABORTED, "VERSION_CONFLICT")
    assert world.snapshot(tenant.id) == before
    s.DeletePeriode(skp_pb2.DeletePeriodeRequest(id=final.id), metadata=admin)
    recorded = events(world, final.id)
    assert [(e[0], e[1]) for e in recorded] == [
        ("PeriodeCreated", 1),
        ("PeriodeUpdated", 2),
        ("PeriodeDeleted", 2),
    ]
    update = unpack_payload(recorded[1][2], skp_pb2.PeriodeUpdated)
    assert (update.periode, update.previous) == (renamed, final)  # type: ignore[attr-defined]
    assert unpack_payload(recorded[2][2], skp_pb2.PeriodeDeleted).periode == renamed  # type: ignore[attr-defined]
    assert len(s.ListPeriode(skp_pb2.ListPeriodeRequest(), metadata=tenant.pegawai).periode) == 12
