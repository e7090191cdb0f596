"""Authority within one instansi: each write of the assessment service by the people the README names
(the SKP's owner, the chosen penilai of a perilaku value, the pejabat penilai of today, the atasan pejabat
penilai, admins), refused with its stable code for the others, and a refused call writes nothing; the pola
distribusi and kalibrasi read by admins and the unit's head only."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import grpc
import pytest
from sqlalchemy import Engine

from kinerja.assessment.v1 import assessment_pb2 as pb
from kinerja.assessment.v1 import assessment_pb2_grpc
from kinerja.skp.v1 import skp_pb2
from kinerja_kit.errors import from_rpc_error
from kinerja_testing.platform import proto_strings, rpc_error
from kinerja_testing.skp import YEAR, SkpWorld

from .conftest import (
    FullQuarter,
    assessment_snapshot,
    batas_later,
    build_full_quarter,
    projected,
    staff_skp,
)

pytestmark = pytest.mark.integration

Stub = assessment_pb2_grpc.AssessmentServiceStub
S, A = pb.RATING_SESUAI_EKSPEKTASI, pb.RATING_DI_ATAS_EKSPEKTASI
NOT_FOUND, DENIED = grpc.StatusCode.NOT_FOUND, grpc.StatusCode.PERMISSION_DENIED


@dataclass
class World:
    fq: FullQuarter
    moved_p: Any  # prakom_3's open penilaian (penilai kabid_informasi): the pegawai moves in the last test

    @property
    def t(self) -> Any:
        return self.fq.t


@pytest.fixture(scope="module")
def world(skp_world: SkpWorld, assessment_stub: Stub, assessment_inspect_engine: Engine) -> World:
    fq = build_full_quarter(skp_world, assessment_stub, assessment_inspect_engine)
    skp = staff_skp(skp_world, fq.q, "prakom_3")
    projected(assessment_inspect_engine, skp, status="DISETUJUI")
    moved = assessment_stub.OpenPenilaian(
        pb.OpenPenilaianRequest(skp_id=skp.id, periode_id=fq.tw1), metadata=fq.t.md("prakom_3")
    )
    return World(fq, moved)


@pytest.fixture
def unchanged(
    world: World, assessment_inspect_engine: Engine
) -> Callable[[Callable[..., Any], Any, dict[str, tuple[grpc.StatusCode, str]]], None]:
    """refused(call, request, {caller key: (code, reason)}): each caller is refused so, and the instansi's
    rows, tasks and outbox are as they were."""
    t = world.t

    def check(
        call: Callable[..., Any], request: Any, expected: dict[str, tuple[grpc.StatusCode, str]]
    ) -> None:
        before = assessment_snapshot(assessment_inspect_engine, t.instansi_id)
        for who, wanted in expected.items():
            metadata = {"admin": t.admin, "bkn": t.org.bkn}.get(who) or t.md(who)
            code, error = rpc_error(call, request, metadata=metadata)
            assert (code, error.reason) == wanted, (who, code, error.reason)
            assert error.message, who  # the reason is said, in Indonesian
        assert assessment_snapshot(assessment_inspect_engine, t.instansi_id) == before

    return check


Refused = Callable[[Callable[..., Any], Any, dict[str, tuple[grpc.StatusCode, str]]], None]


def test_open_penilaian_only_by_the_owner(world: World, assessment_stub: Stub, unchanged: Refused) -> None:
    fq, stub, t = world.fq, assessment_stub, world.t
    final = next(p for p in fq.q.periode if p.jenis == skp_pb2.JENIS_PERIODE_FINAL)
    request = pb.OpenPenilaianRequest(skp_id=fq.staff1.id, periode_id=final.id)
    skp_not_found = (NOT_FOUND, "SKP_NOT_FOUND")
    unchanged(
        stub.OpenPenilaian,
        request,
        {
            "kabid_informasi": skp_not_found,  # the atasan (pejabat penilai)
            "kepala": skp_not_found,  # the atasan pejabat penilai
            "prakom_2": skp_not_found,  # a rekan
            "admin": (DENIED, "PEGAWAI_REQUIRED"),
            "bkn": (DENIED, "PEGAWAI_REQUIRED"),
        },
    )
    opened = stub.OpenPenilaian(request, metadata=t.md("prakom_1"))
    assert opened.status == pb.STATUS_PENILAIAN_DIBUKA and opened.pegawai.pegawai_id == t.id("prakom_1")


def test_realisasi_only_by_the_owner(world: World, assessment_stub: Stub, unchanged: Refused) -> None:
    fq, stub, t = world.fq, assessment_stub, world.t
    p = fq.open_p  # prakom_1's: penilai kabid_informasi, atasan penilai kepala
    request = pb.SetRealisasiRequest(
        penilaian_id=p.id, indikator_id=p.realisasi[0].indikator_id, realisasi=pb.RealisasiInput(nilai="3")
    )
    not_owner = (DENIED, "BUKAN_PEMILIK_SKP")
    unchanged(
        stub.SetRealisasi,
        request,
        {
            "kabid_informasi": not_owner,
            "kepala": not_owner,
            "admin": not_owner,
            "bkn": not_owner,
            "prakom_2": (NOT_FOUND, "PENILAIAN_NOT_FOUND"),  # a rekan, named nowhere on this SKP
        },
    )
    filled = stub.SetRealisasi(request, metadata=t.md("prakom_1"))
    assert filled.realisasi[0].terisi and filled.realisasi[0].nilai == "3"


def test_feedback_perilaku_only_by_the_chosen_penilai_of_that_value(
    world: World, assessment_stub: Stub, unchanged: Refused
) -> None:
    fq, stub, t = world.fq, assessment_stub, world.t
    p = fq.kabid_p  # values 1-5: the atasan (kepala); 6: kabid_bangkom (rekan); 7: prakom_1 (bawahan)

    def request(nilai: int) -> pb.SetFeedbackPerilakuRequest:
        return pb.SetFeedbackPerilakuRequest(penilaian_id=p.id, nilai=nilai, feedback="Teladan")  # type: ignore[arg-type]

    not_theirs = (DENIED, "BUKAN_PENILAI_PERILAKU")
    for nilai, expected in (
        (1, {"prakom_1": not_theirs, "kabid_bangkom": not_theirs, "kabid_informasi": not_theirs}),
        (6, {"kepala": not_theirs, "prakom_1": not_theirs, "kabid_informasi": not_theirs}),
        (7, {"kepala": not_theirs, "kabid_bangkom": not_theirs, "kabid_informasi": not_theirs}),
    ):
        unchanged(
            stub.SetFeedbackPerilaku,
            request(nilai),
            {
                **expected,
                "admin": (DENIED, "PEGAWAI_REQUIRED"),
                "sekretaris": (NOT_FOUND, "PENILAIAN_NOT_FOUND"),  # named nowhere on this SKP
            },
        )
    for nilai, who in ((1, "kepala"), (6, "kabid_bangkom"), (7, "prakom_1")):
        given = stub.SetFeedbackPerilaku(request(nilai), metadata=t.md(who))
        value = next(v for v in given.perilaku if v.nilai == nilai)
        assert value.feedback == "Teladan" and value.penilai_pegawai_id == t.id(who)


def test_umpan_balik_and_rating_only_by_the_pejabat_penilai_of_today(
    world: World, assessment_stub: Stub, unchanged: Refused
) -> None:
    fq, stub, t = world.fq, assessment_stub, world.t
    p = fq.kabid_p  # penilai: kepala
    umpan_balik = pb.SetUmpanBalikRequest(
        penilaian_id=p.id, indikator_id=p.realisasi[0].indikator_id, umpan_balik="Tepat waktu"
    )
    rating = pb.RatePenilaianRequest(penilaian_id=p.id, rating_hasil_kerja=S, rating_perilaku_kerja=S)
    not_penilai = (DENIED, "BUKAN_PEJABAT_PENILAI")
    refused = {
        "kabid_informasi": not_penilai,  # the owner
        "kabid_bangkom": not_penilai,  # the rekan chosen for a perilaku value
        "prakom_1": not_penilai,  # the bawahan chosen for a perilaku value
        "admin": not_penilai,
        "bkn": not_penilai,
        "sekretaris": (NOT_FOUND, "PENILAIAN_NOT_FOUND"),  # a rekan named nowhere on this SKP
    }
    unchanged(stub.SetUmpanBalik, umpan_balik, refused)
    unchanged(stub.RatePenilaian, rating, refused)
    for request in (umpan_balik, rating):
        request.penilaian_id = fq.open_p.id  # prakom_1's: penilai kabid_informasi
    if umpan_balik.indikator_id:
        umpan_balik.indikator_id = fq.open_p.realisasi[0].indikator_id
    staff_refused = {
        "prakom_1": not_penilai,  # the owner
        "kepala": not_penilai,  # the atasan pejabat penilai
        "kabid_bangkom": (NOT_FOUND, "PENILAIAN_NOT_FOUND"),
        "admin": not_penilai,
    }
    unchanged(stub.SetUmpanBalik, umpan_balik, staff_refused)
    unchanged(stub.RatePenilaian, rating, staff_refused)
    # the pejabat penilai passes: umpan balik written, the rating refused only because it is incomplete
    given = stub.SetUmpanBalik(umpan_balik, metadata=t.md("kabid_informasi"))
    assert given.realisasi[0].umpan_balik == "Tepat waktu"
    code, error = rpc_error(stub.RatePenilaian, rating, metadata=t.md("kabid_informasi"))
    assert (code, error.reason) == (grpc.StatusCode.FAILED_PRECONDITION, "PENILAIAN_BELUM_LENGKAP")
    # and the fixture's rated penilaian was rated by its pejabat penilai
    assert fq.rated_p.penjelasan.dinilai_oleh.pegawai_id == t.id("kabid_informasi")


def test_keberatan_filed_by_the_owner_explained_by_the_penilai_decided_by_the_atasan_penilai(
    world: World, assessment_stub: Stub, unchanged: Refused
) -> None:
    fq, stub, t = world.fq, assessment_stub, world.t
    k = fq.keberatan  # prakom_2's, on a penilaian rated by kabid_informasi (atasan: kepala)
    unchanged(
        stub.FileKeberatan,
        pb.FileKeberatanRequest(penilaian_id=fq.rated_p.id, alasan="Tidak sesuai", rating_perilaku_kerja=A),
        {
            "kabid_informasi": (DENIED, "BUKAN_PEMILIK_SKP"),
            "kepala": (DENIED, "BUKAN_PEMILIK_SKP"),
            "admin": (DENIED, "PEGAWAI_REQUIRED"),
            "prakom_1": (NOT_FOUND, "PENILAIAN_NOT_FOUND"),
        },
    )
    explain = pb.ExplainKeberatanRequest(id=k.id, penjelasan="Modul memang selesai lebih awal")
    not_penilai = (DENIED, "BUKAN_PEJABAT_PENILAI")
    unchanged(
        stub.ExplainKeberatan,
        explain,
        {
            "kepala": not_penilai,  # the atasan pejabat penilai
            "prakom_2": not_penilai,  # the owner
            "admin": not_penilai,
            "bkn": not_penilai,
            "prakom_1": (NOT_FOUND, "KEBERATAN_NOT_FOUND"),
        },
    )
    decide = pb.DecideKeberatanRequest(id=k.id, disetujui=True, keputusan="Disetujui")
    not_atasan = (DENIED, "BUKAN_ATASAN_PEJABAT_PENILAI")
    refused = {
        "kabid_informasi": not_atasan,  # the pejabat penilai
        "prakom_2": not_atasan,  # the owner
        "admin": not_atasan,
        "bkn": not_atasan,
        "prakom_1": (NOT_FOUND, "KEBERATAN_NOT_FOUND"),
    }
    unchanged(stub.DecideKeberatan, decide, refused)
    explained = stub.ExplainKeberatan(explain, metadata=t.md("kabid_informasi"))
    assert explained.dijelaskan_oleh.pegawai_id == t.id("kabid_informasi")
    unchanged(stub.DecideKeberatan, decide, refused)
    decided = stub.DecideKeberatan(decide, metadata=t.md("kepala"))
    assert decided.status == pb.STATUS_KEBERATAN_DISETUJUI and decided.diputuskan_oleh.pegawai_id == t.id(
        "kepala"
    )
    assert (decided.sesudah.rating_hasil_kerja, decided.sesudah.predikat) == (A, pb.PREDIKAT_BAIK)


def test_capaian_finalisation_and_extensions_only_by_admins(
    world: World, assessment_stub: Stub, unchanged: Refused
) -> None:
    fq, stub, t = world.fq, assessment_stub, world.t
    tw2 = fq.q.periode[1].id
    given = pb.CapaianInput(tahun=YEAR, periode_id=tw2, unor_id=t.unor("bkd"), capaian=pb.CAPAIAN_BAIK)
    admin_only = (DENIED, "ADMIN_REQUIRED")
    people = {"kepala": admin_only, "kabid_informasi": admin_only, "prakom_1": admin_only}
    unchanged(stub.SetCapaian, pb.SetCapaianRequest(capaian=given), people)
    unchanged(stub.SetCapaian, pb.SetCapaianRequest(id=fq.capaian.id, capaian=given), people)
    unchanged(stub.DeleteCapaian, pb.DeleteCapaianRequest(id=fq.capaian.id), people)
    unchanged(stub.FinaliseCapaian, pb.FinaliseCapaianRequest(id=fq.capaian.id), people)
    unchanged(stub.UnfinaliseCapaian, pb.UnfinaliseCapaianRequest(id=fq.capaian.id), people)
    unchanged(stub.ListCapaian, pb.ListCapaianRequest(tahun=YEAR), people)
    extend = pb.ExtendBatasRequest(
        periode_id=fq.tw1,
        tahun=YEAR,
        unor_id=t.unor("informasi"),
        batas_baru=batas_later(fq.q.periode[0], YEAR, days=20),
        alasan="Gangguan aplikasi",
    )
    unchanged(stub.ExtendBatas, extend, people)
    unchanged(stub.ListPerpanjanganBatas, pb.ListPerpanjanganBatasRequest(), people)

    # the admin instansi and an admin BKN acting on the instansi may
    added = stub.SetCapaian(pb.SetCapaianRequest(capaian=given), metadata=t.org.bkn)
    final = stub.FinaliseCapaian(pb.FinaliseCapaianRequest(id=added.id), metadata=t.admin)
    assert final.final
    again = stub.UnfinaliseCapaian(pb.UnfinaliseCapaianRequest(id=added.id), metadata=t.org.bkn)
    assert not again.final
    listed = stub.ListCapaian(pb.ListCapaianRequest(tahun=YEAR), metadata=t.org.bkn)
    assert {c.id for c in listed.capaian} == {fq.capaian.id, added.id}
    stub.DeleteCapaian(pb.DeleteCapaianRequest(id=added.id), metadata=t.admin)
    extended = stub.ExtendBatas(extend, metadata=t.org.bkn)
    found = stub.ListPerpanjanganBatas(pb.ListPerpanjanganBatasRequest(), metadata=t.admin)
    assert {e.id for e in found.perpanjangan} == {fq.perpanjangan.id, extended.id}


def test_pola_distribusi_and_kalibrasi_only_for_admins_and_the_unit_head(
    world: World, assessment_stub: Stub, unchanged: Refused
) -> None:
    fq, stub, t = world.fq, assessment_stub, world.t
    pola = pb.GetPolaDistribusiRequest(unor_id=t.unor("bkd"), periode_id=fq.tw1, tahun=YEAR)
    kalibrasi = pb.ListKalibrasiRequest(unor_id=t.unor("bkd"), periode_id=fq.tw1, tahun=YEAR)
    not_head = (DENIED, "BUKAN_PIMPINAN_UNIT")
    refused = {
        "kabid_informasi": not_head,  # heads a bidang of the unit (and is PLT of another)
        "sekretaris": not_head,
        "prakom_2": not_head,  # rated in the unit
        "kepala_upt": not_head,  # heads another unit kerja
    }
    unchanged(stub.GetPolaDistribusi, pola, refused)
    unchanged(stub.ListKalibrasi, kalibrasi, refused)
    for who in (t.md("kepala"), t.admin, t.org.bkn):
        assert stub.GetPolaDistribusi(pola, metadata=who).capaian == pb.CAPAIAN_BAIK
        items = stub.ListKalibrasi(kalibrasi, metadata=who).items
        assert fq.rated_p.id in {i.penilaian_id for i in items}
    # the head of a mandiri unit reads their own unit's
    upt = pb.ListKalibrasiRequest(unor_id=t.unor("upt"), periode_id=fq.tw1, tahun=YEAR)
    assert list(stub.ListKalibrasi(upt, metadata=t.md("kepala_upt")).items) == []


def test_a_penilaian_and_its_keberatan_are_read_by_the_people_the_readme_names(
    world: World, assessment_stub: Stub
) -> None:
    fq, stub, t = world.fq, assessment_stub, world.t

    def reads(penilaian_id: str, who: str) -> bool:
        metadata = {"admin": t.admin, "bkn": t.org.bkn}.get(who) or t.md(who)
        try:
            stub.GetPenilaian(pb.GetPenilaianRequest(id=penilaian_id), metadata=metadata)
        except grpc.RpcError as err:
            assert from_rpc_error(err).reason == "PENILAIAN_NOT_FOUND", who  # type: ignore[arg-type,union-attr]
            return False
        return True

    # kabid_informasi's: penilai kepala; chosen penilai perilaku kepala, kabid_bangkom, prakom_1
    readers = {"kabid_informasi", "kepala", "kabid_bangkom", "prakom_1", "admin", "bkn"}
    for who in (*readers, "sekretaris", "prakom_2", "kepala_upt"):
        assert reads(fq.kabid_p.id, who) == (who in readers), who
    # prakom_1's: penilai kabid_informasi, atasan penilai kepala
    readers = {"prakom_1", "kabid_informasi", "kepala", "admin"}
    for who in (*readers, "prakom_2", "kabid_bangkom", "sekretaris"):
        assert reads(fq.open_p.id, who) == (who in readers), who
    batch = pb.BatchGetPenilaianRequest(ids=[fq.kabid_p.id, fq.open_p.id, fq.rated_p.id])
    assert [p.id for p in stub.BatchGetPenilaian(batch, metadata=t.md("sekretaris")).penilaian] == []
    assert [p.id for p in stub.BatchGetPenilaian(batch, metadata=t.md("prakom_1")).penilaian] == [
        fq.kabid_p.id,
        fq.open_p.id,
    ]
    for metadata in (t.md("prakom_2"), t.md("kabid_informasi"), t.admin):
        found = stub.GetKeberatan(pb.GetKeberatanRequest(id=fq.keberatan.id), metadata=metadata)
        assert found.id == fq.keberatan.id
    code, error = rpc_error(
        stub.GetKeberatan, pb.GetKeberatanRequest(id=fq.keberatan.id), metadata=t.md("prakom_1")
    )
    assert (code, error.reason) == (NOT_FOUND, "KEBERATAN_NOT_FOUND")
    # the instansi's lists are for admins
    for call, request in (
        (stub.ListPenilaian, pb.ListPenilaianRequest(scope=pb.PENILAIAN_SCOPE_INSTANSI)),
        (stub.ListKeberatan, pb.ListKeberatanRequest(scope=pb.KEBERATAN_SCOPE_INSTANSI)),
    ):
        code, error = rpc_error(call, request, metadata=t.md("kepala"))
        assert (code, error.reason) == (DENIED, "ADMIN_REQUIRED")
        assert fq.rated_p.id in set(proto_strings(call(request, metadata=t.admin)))


def test_a_former_atasan_no_longer_rates_after_the_pegawai_moved(
    world: World, skp_world: SkpWorld, assessment_stub: Stub, unchanged: Refused
) -> None:
    """Runs last: it moves prakom_3 out of Bidang Informasi (to Bidang Pengembangan Kompetensi)."""
    stub, t, p = assessment_stub, world.t, world.moved_p
    umpan_balik = pb.SetUmpanBalikRequest(
        penilaian_id=p.id, indikator_id=p.realisasi[0].indikator_id, umpan_balik="Baik"
    )
    stub.SetUmpanBalik(umpan_balik, metadata=t.md("kabid_informasi"))  # the penilai, before the move
    skp_world.org.move_pegawai(t.org, t.id("prakom_3"), t.unor("bangkom"))
    not_penilai = (DENIED, "BUKAN_PEJABAT_PENILAI")
    unchanged(stub.SetUmpanBalik, umpan_balik, {"kabid_informasi": not_penilai, "prakom_3": not_penilai})
    rating = pb.RatePenilaianRequest(penilaian_id=p.id, rating_hasil_kerja=S, rating_perilaku_kerja=S)
    unchanged(stub.RatePenilaian, rating, {"kabid_informasi": not_penilai})
    # the atasan of today takes over
    umpan_balik.umpan_balik = "Lanjutkan"
    given = stub.SetUmpanBalik(umpan_balik, metadata=t.md("kabid_bangkom"))
    assert given.realisasi[0].umpan_balik == "Lanjutkan"
