"""Capaian, pola distribusi, kalibrasi and a keberatan over gRPC on the real infrastructure (the lists
and statistics are SQL: checked here, the rules on fakes in unit/)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from kinerja.assessment.v1 import assessment_pb2 as pb
from kinerja.assessment.v1 import assessment_pb2_grpc
from kinerja.skp.v1 import skp_pb2
from kinerja_testing.platform import rpc_error
from kinerja_testing.skp import YEAR, SkpWorld

pytestmark = pytest.mark.integration

Stub = assessment_pb2_grpc.AssessmentServiceStub
S, A = pb.RATING_SESUAI_EKSPEKTASI, pb.RATING_DI_ATAS_EKSPEKTASI


def _staff_skp(world: SkpWorld, q: Any) -> skp_pb2.Skp:
    """prakom_1's SKP (penilai: kabid_informasi, atasan penilai: kepala), approved, planned in tw1."""
    t = q.tenant
    skp = world.skp(t, "prakom_1")
    skp = world.rhk(t, "prakom_1", skp.id, "Tersedianya aplikasi", atasan_rhk_id=q.kabid.rhk[0].id)
    skp = world.indikator(t, "prakom_1", skp.id, skp.rhk[0].id, "Jumlah modul", aspek=skp_pb2.ASPEK_KUANTITAS)
    skp = world.stub.AddRencanaAksi(
        skp_pb2.AddRencanaAksiRequest(
            skp_id=skp.id,
            rencana_aksi=skp_pb2.RencanaAksiInput(
                rhk_id=skp.rhk[0].id, periode_id=q.tw1, teks="Membangun modul", target="1", satuan="Modul"
            ),
        ),
        metadata=t.md("prakom_1"),
    )
    world.penilai_atasan_semua(t, "prakom_1", skp.id)
    world.submit(t, "prakom_1", skp.id)
    approved: skp_pb2.Skp = world.stub.ApproveSkp(
        skp_pb2.ApproveSkpRequest(id=skp.id), metadata=t.md("kabid_informasi")
    )
    return approved


def _rated(stub: Stub, t: Any, skp: skp_pb2.Skp, tw1: str, hasil: int, perilaku: int) -> pb.Penilaian:
    owner, penilai = t.md("prakom_1"), t.md("kabid_informasi")
    p = stub.OpenPenilaian(pb.OpenPenilaianRequest(skp_id=skp.id, periode_id=tw1), metadata=owner)
    indikator = p.realisasi[0].indikator_id
    stub.SetRealisasi(
        pb.SetRealisasiRequest(
            penilaian_id=p.id, indikator_id=indikator, realisasi=pb.RealisasiInput(nilai="1")
        ),
        metadata=owner,
    )
    stub.SetUmpanBalik(
        pb.SetUmpanBalikRequest(penilaian_id=p.id, indikator_id=indikator, umpan_balik="Baik"),
        metadata=penilai,
    )
    for nilai in range(1, 8):
        stub.SetFeedbackPerilaku(
            pb.SetFeedbackPerilakuRequest(penilaian_id=p.id, nilai=nilai, feedback="Baik"), metadata=penilai
        )  # type: ignore[arg-type]
        stub.SetUmpanBalik(
            pb.SetUmpanBalikRequest(penilaian_id=p.id, nilai=nilai, umpan_balik="Baik"), metadata=penilai
        )  # type: ignore[arg-type]
    rated: pb.Penilaian = stub.RatePenilaian(
        pb.RatePenilaianRequest(penilaian_id=p.id, rating_hasil_kerja=hasil, rating_perilaku_kerja=perilaku),  # type: ignore[arg-type]
        metadata=penilai,
    )
    return rated


def test_capaian_pola_kalibrasi_and_a_keberatan_approved(
    quarter: Any, skp_world: SkpWorld, wait_projected: Callable[..., dict[str, Any]], assessment_stub: Stub
) -> None:
    q, stub, t = quarter, assessment_stub, quarter.tenant
    staff = _staff_skp(skp_world, q)
    wait_projected(staff, status="DISETUJUI")
    rated = _rated(stub, t, staff, q.tw1, S, S)
    assert rated.predikat == pb.PREDIKAT_BAIK

    # capaian of the JPT unit by the admin, with its statistik; a bidang is no unit kerja
    bkd = t.unor("bkd")
    given = pb.CapaianInput(
        tahun=YEAR,
        periode_id=q.tw1,
        unor_id=bkd,
        capaian=pb.CAPAIAN_BAIK,
        bukti_dukung_url="https://bukti.example/c",
    )
    _, err = rpc_error(stub.SetCapaian, pb.SetCapaianRequest(capaian=given), metadata=t.md("kepala"))
    assert err.reason == "ADMIN_REQUIRED"
    other = pb.CapaianInput(
        tahun=YEAR, periode_id=q.tw1, unor_id=t.unor("informasi"), capaian=pb.CAPAIAN_BAIK
    )
    assert (
        rpc_error(stub.SetCapaian, pb.SetCapaianRequest(capaian=other), metadata=t.admin)[1].reason
        == "BUKAN_UNIT_KERJA"
    )
    capaian = stub.SetCapaian(pb.SetCapaianRequest(capaian=given), metadata=t.admin)
    assert capaian.unor_nama and capaian.periode_nama and capaian.statistik.dinilai == 1
    assert capaian.statistik.total >= 2  # the approved SKPs of the unit touching the periode
    listed = stub.ListCapaian(pb.ListCapaianRequest(tahun=YEAR, query="kepegawaian"), metadata=t.admin)
    assert [c.id for c in listed.capaian] == [capaian.id]

    # the head of the unit sees the pola distribusi and the kalibrasi
    pola = stub.GetPolaDistribusi(
        pb.GetPolaDistribusiRequest(unor_id=bkd, periode_id=q.tw1, tahun=YEAR), metadata=t.md("kepala")
    )
    assert pola.capaian == pb.CAPAIAN_BAIK and len(pola.batas) == 2 and not pola.sesuai
    assert [(b.jenis, b.selisih) for b in pola.batas if not b.terpenuhi] == [
        (pb.JENIS_BATAS_PALING_BANYAK, 1),
        (pb.JENIS_BATAS_PALING_SEDIKIT, 1),
    ]
    kalibrasi = stub.ListKalibrasi(
        pb.ListKalibrasiRequest(unor_id=bkd, periode_id=q.tw1, tahun=YEAR, predikat=pb.PREDIKAT_BAIK),
        metadata=t.md("kepala"),
    )
    assert [i.penilaian_id for i in kalibrasi.items] == [rated.id]
    assert (
        rpc_error(
            stub.GetPolaDistribusi,
            pb.GetPolaDistribusiRequest(unor_id=bkd, periode_id=q.tw1, tahun=YEAR),
            metadata=t.md("prakom_2"),
        )[1].reason
        == "BUKAN_PIMPINAN_UNIT"
    )

    # keberatan: filed, listed, explained, first read by the atasan penilai, approved
    filed = stub.FileKeberatan(
        pb.FileKeberatanRequest(
            penilaian_id=rated.id, alasan="Modul selesai lebih awal", rating_hasil_kerja=A
        ),
        metadata=t.md("prakom_1"),
    )
    assert filed.status == pb.STATUS_KEBERATAN_DIAJUKAN and filed.diminta.predikat == pb.PREDIKAT_BAIK
    mine = stub.ListKeberatan(
        pb.ListKeberatanRequest(scope=pb.KEBERATAN_SCOPE_SAYA), metadata=t.md("prakom_1")
    )
    assert [k.id for k in mine.keberatan] == [filed.id]
    answer = stub.ListKeberatan(
        pb.ListKeberatanRequest(scope=pb.KEBERATAN_SCOPE_DIJAWAB, query="atim"),
        metadata=t.md("kabid_informasi"),
    )
    assert [k.id for k in answer.keberatan] == [filed.id]
    inbox = stub.GetInbox(
        pb.GetInboxRequest(jenis=pb.JENIS_TUGAS_JAWAB_KEBERATAN), metadata=t.md("kabid_informasi")
    )
    assert [x.keberatan_id for x in inbox.tugas] == [filed.id]
    stub.ExplainKeberatan(
        pb.ExplainKeberatanRequest(id=filed.id, penjelasan="Setuju ditinjau"),
        metadata=t.md("kabid_informasi"),
    )
    seen = stub.GetKeberatan(pb.GetKeberatanRequest(id=filed.id), metadata=t.md("kepala"))
    assert seen.HasField("dicek_at")
    decided = stub.DecideKeberatan(
        pb.DecideKeberatanRequest(
            id=filed.id, disetujui=True, keputusan="Disetujui", rating_perilaku_kerja=A
        ),
        metadata=t.md("kepala"),
    )
    assert (
        decided.status == pb.STATUS_KEBERATAN_DISETUJUI
        and decided.sesudah.predikat == pb.PREDIKAT_SANGAT_BAIK
    )
    after = stub.GetPenilaian(pb.GetPenilaianRequest(id=rated.id), metadata=t.md("prakom_1"))
    assert after.predikat == pb.PREDIKAT_SANGAT_BAIK and after.penjelasan.keberatan_id == filed.id

    final = stub.FinaliseCapaian(pb.FinaliseCapaianRequest(id=capaian.id), metadata=t.admin)
    assert final.final and final.statistik.per_predikat[0].predikat == pb.PREDIKAT_SANGAT_BAIK
