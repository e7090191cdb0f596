"""A quarter's penilaian over gRPC on the real org, skp, PostgreSQL and broker: open, realisasi, feedback,
umpan balik, refusal before it is complete, rating with its explanation, inbox, outbox events."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import grpc
import pytest
from sqlalchemy import Engine, text

from kinerja.assessment.v1 import assessment_pb2 as pb
from kinerja.assessment.v1 import assessment_pb2_grpc
from kinerja_testing.platform import rpc_error

pytestmark = pytest.mark.integration

Stub = assessment_pb2_grpc.AssessmentServiceStub


def _counts(stub: Stub, md: Any) -> dict[int, int]:
    inbox = stub.GetInbox(pb.GetInboxRequest(), metadata=md)
    return {j.jenis: j.jumlah for j in inbox.jumlah}


def test_a_quarter_from_realisasi_to_predikat(
    quarter: Any,
    wait_projected: Callable[..., dict[str, Any]],
    assessment_stub: Stub,
    assessment_inspect_engine: Engine,
) -> None:
    q, stub, t = quarter, assessment_stub, quarter.tenant
    wait_projected(q.kabid, status="DISETUJUI")
    kabid, kepala = t.md("kabid_informasi"), t.md("kepala")

    # open: only the owner; once
    code, err = rpc_error(
        stub.OpenPenilaian, pb.OpenPenilaianRequest(skp_id=q.kabid.id, periode_id=q.tw1), metadata=kepala
    )
    assert (code, err.reason) == (grpc.StatusCode.NOT_FOUND, "SKP_NOT_FOUND")
    opened = stub.OpenPenilaian(pb.OpenPenilaianRequest(skp_id=q.kabid.id, periode_id=q.tw1), metadata=kabid)
    assert opened.status == pb.STATUS_PENILAIAN_DIBUKA and opened.periode_nama
    assert len(opened.realisasi) == 1 and len(opened.perilaku) == 7
    code, err = rpc_error(
        stub.OpenPenilaian, pb.OpenPenilaianRequest(skp_id=q.kabid.id, periode_id=q.tw1), metadata=kabid
    )
    assert (code, err.reason) == (grpc.StatusCode.ALREADY_EXISTS, "PENILAIAN_SUDAH_ADA")
    # the final periode is open too; a periode without rencana aksi is not
    code, err = rpc_error(
        stub.OpenPenilaian,
        pb.OpenPenilaianRequest(skp_id=q.kabid.id, periode_id=q.periode[1].id),
        metadata=kabid,
    )
    assert err.reason == "SKP_BELUM_SIAP" and [v.code for v in err.violations] == ["RHK_TANPA_RENCANA_AKSI"]
    assert _counts(stub, kabid)[pb.JENIS_TUGAS_ISI_REALISASI] == 1
    assert _counts(stub, t.md("prakom_1"))[pb.JENIS_TUGAS_FEEDBACK_PERILAKU] == 1

    # realisasi: a bad link refuses the whole input, nothing written
    indikator = opened.realisasi[0].indikator_id
    bad = pb.RealisasiInput(nilai="1,5", bukti_dukung=[pb.BuktiDukungInput(nama="Laporan", url="ftp://x")])
    code, err = rpc_error(
        stub.SetRealisasi,
        pb.SetRealisasiRequest(penilaian_id=opened.id, indikator_id=indikator, realisasi=bad),
        metadata=kabid,
    )
    assert code == grpc.StatusCode.INVALID_ARGUMENT and {v.code for v in err.violations} == {"INVALID_URL"}
    assert stub.GetPenilaian(pb.GetPenilaianRequest(id=opened.id), metadata=kabid).version == opened.version
    good = pb.RealisasiInput(
        nilai="1,5",
        keterangan="Selesai",
        bukti_dukung=[pb.BuktiDukungInput(nama="Laporan", url="https://drive.example/l")],
    )
    filled = stub.SetRealisasi(
        pb.SetRealisasiRequest(penilaian_id=opened.id, indikator_id=indikator, realisasi=good), metadata=kabid
    )
    r = filled.realisasi[0]
    assert (r.nilai, r.satuan, r.terisi, r.bukti_dukung[0].url) == (
        "1.5",
        "Dokumen",
        True,
        "https://drive.example/l",
    )
    assert filled.version == opened.version + 1
    code, err = rpc_error(
        stub.SetRealisasi,
        pb.SetRealisasiRequest(penilaian_id=opened.id, indikator_id=indikator, realisasi=good),
        metadata=kepala,
    )
    assert err.reason == "BUKAN_PEMILIK_SKP"
    # a stranger of the instansi does not learn it exists
    code, err = rpc_error(stub.GetPenilaian, pb.GetPenilaianRequest(id=opened.id), metadata=t.md("prakom_2"))
    assert (code, err.reason) == (grpc.StatusCode.NOT_FOUND, "PENILAIAN_NOT_FOUND")

    # rating before feedback and umpan balik: refused, with each gap
    code, err = rpc_error(
        stub.RatePenilaian,
        pb.RatePenilaianRequest(
            penilaian_id=opened.id,
            rating_hasil_kerja=pb.RATING_SESUAI_EKSPEKTASI,
            rating_perilaku_kerja=pb.RATING_DI_ATAS_EKSPEKTASI,
        ),
        metadata=kepala,
    )
    assert err.reason == "PENILAIAN_BELUM_LENGKAP"
    gaps = [v.code for v in err.violations]
    assert gaps.count("FEEDBACK_PERILAKU_BELUM_ADA") == 7 and gaps.count("UMPAN_BALIK_BELUM_ADA") == 8

    # feedback: each chosen penilai on their own values only
    code, err = rpc_error(
        stub.SetFeedbackPerilaku,
        pb.SetFeedbackPerilakuRequest(penilaian_id=opened.id, nilai=1, feedback="Baik"),
        metadata=t.md("prakom_1"),
    )
    assert err.reason == "BUKAN_PENILAI_PERILAKU"
    for nilai, key in [(n, "kepala") for n in range(1, 6)] + [(6, "kabid_bangkom"), (7, "prakom_1")]:
        stub.SetFeedbackPerilaku(
            pb.SetFeedbackPerilakuRequest(
                penilaian_id=opened.id, nilai=nilai, feedback="Konsisten dan teladan"
            ),
            metadata=t.md(key),
        )  # type: ignore[arg-type]
    assert _counts(stub, t.md("prakom_1"))[pb.JENIS_TUGAS_FEEDBACK_PERILAKU] == 0
    assert _counts(stub, kepala)[pb.JENIS_TUGAS_NILAI_BAWAHAN] == 1

    # umpan balik by the pejabat penilai of today, then the rating
    stub.SetUmpanBalik(
        pb.SetUmpanBalikRequest(penilaian_id=opened.id, indikator_id=indikator, umpan_balik="Tepat waktu"),
        metadata=kepala,
    )
    for nilai in range(1, 8):
        stub.SetUmpanBalik(
            pb.SetUmpanBalikRequest(penilaian_id=opened.id, nilai=nilai, umpan_balik="Pertahankan"),
            metadata=kepala,
        )  # type: ignore[arg-type]
    code, err = rpc_error(
        stub.SetUmpanBalik,
        pb.SetUmpanBalikRequest(penilaian_id=opened.id, nilai=1, umpan_balik="x"),
        metadata=kabid,
    )
    assert err.reason == "BUKAN_PEJABAT_PENILAI"
    rated = stub.RatePenilaian(
        pb.RatePenilaianRequest(
            penilaian_id=opened.id,
            rating_hasil_kerja=pb.RATING_SESUAI_EKSPEKTASI,
            rating_perilaku_kerja=pb.RATING_DI_ATAS_EKSPEKTASI,
        ),
        metadata=kepala,
    )
    assert rated.status == pb.STATUS_PENILAIAN_DINILAI and rated.predikat == pb.PREDIKAT_BAIK
    why = rated.penjelasan
    assert why.aturan_versi == "PermenPAN-RB 6/2022" and why.aturan_berlaku_sejak == "2022-01-01"
    assert why.dinilai_oleh.pegawai_id == t.id("kepala") and "Baik" in why.uraian and not rated.kekurangan
    assert _counts(stub, kepala)[pb.JENIS_TUGAS_NILAI_BAWAHAN] == 0

    # lists: own and bawahan
    mine = stub.ListPenilaian(pb.ListPenilaianRequest(scope=pb.PENILAIAN_SCOPE_SAYA), metadata=kabid)
    assert [p.id for p in mine.penilaian] == [opened.id] and not mine.penilaian[0].realisasi
    theirs = stub.ListPenilaian(pb.ListPenilaianRequest(scope=pb.PENILAIAN_SCOPE_BAWAHAN), metadata=kepala)
    assert [p.id for p in theirs.penilaian] == [opened.id]

    with assessment_inspect_engine.connect() as conn:
        types = (
            conn.execute(
                text("select event_type from outbox where aggregate_id = :id order by id"), {"id": opened.id}
            )
            .scalars()
            .all()
        )
    names = [t.rsplit(".", 1)[1] for t in types]
    assert names[0] == "PenilaianOpened" and names[-2:] == ["RatingGiven", "PredikatDitetapkan"]
    assert names.count("FeedbackPerilakuGiven") == 7 and names.count("UmpanBalikGiven") == 8
