"""The AssessmentService servicer: translates protobuf to domain inputs and back, and delegates."""

from __future__ import annotations

from collections.abc import Callable

import grpc

from assessment.adapters.proto import (
    capaian_pb,
    keberatan_pb,
    penilaian_pb,
    perpanjangan_pb,
    pola_pb,
    tugas_pb,
)
from assessment.domain.model import Penilaian
from assessment.domain.penilaian import RealisasiInput, rating_of
from assessment.service_layer import capaian, keberatan, penilaian, reads
from assessment.service_layer.common import Deps
from kinerja.assessment.v1 import assessment_pb2 as pb
from kinerja.assessment.v1 import assessment_pb2_grpc
from kinerja_kit import fields
from kinerja_kit.db import UnitOfWork
from kinerja_kit.idempotency import idempotent

SERVICE_NAME = pb.DESCRIPTOR.services_by_name["AssessmentService"].full_name

Ctx = grpc.ServicerContext


def _realisasi(msg: pb.RealisasiInput) -> RealisasiInput:
    return RealisasiInput(
        msg.nilai, msg.satuan, msg.teks, msg.keterangan, [(b.nama, b.url) for b in msg.bukti_dukung]
    )


def _kalibrasi(p: Penilaian) -> pb.KalibrasiItem:
    summary = penilaian_pb(p, full=False)
    return pb.KalibrasiItem(
        penilaian_id=summary.id,
        pegawai=summary.pegawai,
        predikat=summary.predikat,
        rating_hasil_kerja=summary.rating_hasil_kerja,
        rating_perilaku_kerja=summary.rating_perilaku_kerja,
        status=summary.status,
    )


class AssessmentServicer(assessment_pb2_grpc.AssessmentServiceServicer):
    """Every RPC of kinerja.assessment.v1.AssessmentService; the caller interceptor has verified the caller.

    `@idempotent`: the RPCs that create something, so a retry with the same idempotency key answers the
    first result instead of a refusal or a twin.
    """

    def __init__(self, deps: Deps, uow: UnitOfWork) -> None:
        self.deps = deps
        # The kit's unit of work: `@idempotent` runs a retried create in one enclosing transaction.
        self.uow = uow

    def _tahun(self, value: int, *, optional: bool = True) -> int:
        # Checked here, before any query: a year far outside the platform's would overflow a date.
        return fields.tahun(value, self.deps.clock(), optional=optional)

    # ---- penilaian ----

    @idempotent
    def OpenPenilaian(self, request: pb.OpenPenilaianRequest, context: Ctx) -> pb.Penilaian:
        return penilaian_pb(penilaian.open_penilaian(self.deps, request.skp_id, request.periode_id))

    def GetPenilaian(self, request: pb.GetPenilaianRequest, context: Ctx) -> pb.Penilaian:
        return penilaian_pb(reads.get_penilaian(self.deps, request.id))

    def BatchGetPenilaian(
        self, request: pb.BatchGetPenilaianRequest, context: Ctx
    ) -> pb.BatchGetPenilaianResponse:
        found = reads.batch_get_penilaian(self.deps, list(request.ids))
        return pb.BatchGetPenilaianResponse(penilaian=[penilaian_pb(p) for p in found])

    def ListPenilaian(self, request: pb.ListPenilaianRequest, context: Ctx) -> pb.ListPenilaianResponse:
        wanted = reads.PenilaianFilter(
            int(request.scope),
            self._tahun(request.tahun),
            request.periode_id,
            request.skp_id,
            int(request.status),
            request.unit_kerja_id,
        )
        found = reads.list_penilaian(self.deps, wanted, request.page_size, request.page_token)
        return pb.ListPenilaianResponse(
            penilaian=[penilaian_pb(p, full=False) for p in found.items],
            next_page_token=found.next_page_token,
            total_count=found.total_count,
            total_count_exact=found.total_count_exact,
        )

    def SetRealisasi(self, request: pb.SetRealisasiRequest, context: Ctx) -> pb.Penilaian:
        changed = penilaian.set_realisasi(
            self.deps,
            request.penilaian_id,
            request.indikator_id,
            _realisasi(request.realisasi),
            request.expected_version,
        )
        return penilaian_pb(changed)

    def SetFeedbackPerilaku(self, request: pb.SetFeedbackPerilakuRequest, context: Ctx) -> pb.Penilaian:
        changed = penilaian.set_feedback_perilaku(
            self.deps, request.penilaian_id, int(request.nilai), request.feedback
        )
        return penilaian_pb(changed)

    def SetUmpanBalik(self, request: pb.SetUmpanBalikRequest, context: Ctx) -> pb.Penilaian:
        changed = penilaian.set_umpan_balik(
            self.deps, request.penilaian_id, request.indikator_id, int(request.nilai), request.umpan_balik
        )
        return penilaian_pb(changed)

    def RatePenilaian(self, request: pb.RatePenilaianRequest, context: Ctx) -> pb.Penilaian:
        changed = penilaian.rate_penilaian(
            self.deps,
            request.penilaian_id,
            rating_of(int(request.rating_hasil_kerja), "rating_hasil_kerja"),
            rating_of(int(request.rating_perilaku_kerja), "rating_perilaku_kerja"),
            request.expected_version,
        )
        return penilaian_pb(changed)

    @idempotent
    def ExtendBatas(self, request: pb.ExtendBatasRequest, context: Ctx) -> pb.PerpanjanganBatas:
        given = reads.ExtendInput(
            request.periode_id,
            request.tahun,
            request.pegawai_id,
            request.unor_id,
            request.batas_baru,
            request.alasan,
        )
        return perpanjangan_pb(reads.extend_batas(self.deps, given))

    def ListPerpanjanganBatas(
        self, request: pb.ListPerpanjanganBatasRequest, context: Ctx
    ) -> pb.ListPerpanjanganBatasResponse:
        found = reads.list_perpanjangan(
            self.deps, request.periode_id, self._tahun(request.tahun), request.page_size, request.page_token
        )
        return pb.ListPerpanjanganBatasResponse(
            perpanjangan=[perpanjangan_pb(p) for p in found.items],
            next_page_token=found.next_page_token,
            total_count=found.total_count,
            total_count_exact=found.total_count_exact,
        )

    def GetInbox(self, request: pb.GetInboxRequest, context: Ctx) -> pb.GetInboxResponse:
        inbox = reads.get_inbox(
            self.deps, request.periode_id, int(request.jenis), request.page_size, request.page_token
        )
        return pb.GetInboxResponse(
            jumlah=[pb.JumlahTugas(jenis=int(j), jumlah=n) for j, n in inbox.jumlah.items()],  # type: ignore[arg-type]
            tugas=[tugas_pb(t) for t in inbox.tugas],
            next_page_token=inbox.next_page_token,
        )

    # ---- capaian, pola distribusi, kalibrasi ----

    @idempotent
    def SetCapaian(self, request: pb.SetCapaianRequest, context: Ctx) -> pb.CapaianOrganisasi:
        msg = request.capaian
        given = capaian.CapaianInput(
            msg.tahun, msg.periode_id, msg.unor_id, int(msg.capaian), msg.bukti_dukung_url
        )
        return capaian_pb(*capaian.set_capaian(self.deps, request.id, given, request.expected_version))

    def DeleteCapaian(self, request: pb.DeleteCapaianRequest, context: Ctx) -> pb.DeleteCapaianResponse:
        capaian.delete_capaian(self.deps, request.id)
        return pb.DeleteCapaianResponse()

    def FinaliseCapaian(self, request: pb.FinaliseCapaianRequest, context: Ctx) -> pb.CapaianOrganisasi:
        return capaian_pb(*capaian.finalise_capaian(self.deps, request.id, request.expected_version))

    def UnfinaliseCapaian(self, request: pb.UnfinaliseCapaianRequest, context: Ctx) -> pb.CapaianOrganisasi:
        return capaian_pb(*capaian.unfinalise_capaian(self.deps, request.id, request.expected_version))

    def ListCapaian(self, request: pb.ListCapaianRequest, context: Ctx) -> pb.ListCapaianResponse:
        found = capaian.list_capaian(
            self.deps,
            self._tahun(request.tahun),
            request.periode_id,
            request.query,
            request.page_size,
            request.page_token,
        )
        return pb.ListCapaianResponse(
            capaian=[capaian_pb(c, s) for c, s in found.items],
            next_page_token=found.next_page_token,
            total_count=found.total_count,
            total_count_exact=found.total_count_exact,
        )

    def GetPolaDistribusi(self, request: pb.GetPolaDistribusiRequest, context: Ctx) -> pb.PolaDistribusi:
        pola = capaian.get_pola_distribusi(
            self.deps, request.unor_id, request.periode_id, self._tahun(request.tahun, optional=False)
        )
        return pola_pb(
            pola.hasil,
            unor_id=pola.unor.id,
            unor_nama=pola.unor.nama,
            periode_id=pola.periode.id,
            tahun=pola.tahun,
            final=bool(pola.capaian and pola.capaian.final),
            statistik=pola.statistik,
        )

    def ListKalibrasi(self, request: pb.ListKalibrasiRequest, context: Ctx) -> pb.ListKalibrasiResponse:
        found = capaian.list_kalibrasi(
            self.deps,
            request.unor_id,
            request.periode_id,
            self._tahun(request.tahun, optional=False),
            int(request.predikat),
            request.page_size,
            request.page_token,
        )
        return pb.ListKalibrasiResponse(
            items=[_kalibrasi(p) for p in found.items],
            next_page_token=found.next_page_token,
            total_count=found.total_count,
            total_count_exact=found.total_count_exact,
        )

    # ---- keberatan ----

    @idempotent
    def FileKeberatan(self, request: pb.FileKeberatanRequest, context: Ctx) -> pb.Keberatan:
        filed = keberatan.file_keberatan(
            self.deps,
            request.penilaian_id,
            request.alasan,
            rating_of(int(request.rating_hasil_kerja), "rating_hasil_kerja"),
            rating_of(int(request.rating_perilaku_kerja), "rating_perilaku_kerja"),
        )
        return keberatan_pb(filed)

    def ExplainKeberatan(self, request: pb.ExplainKeberatanRequest, context: Ctx) -> pb.Keberatan:
        return keberatan_pb(keberatan.explain_keberatan(self.deps, request.id, request.penjelasan))

    def DecideKeberatan(self, request: pb.DecideKeberatanRequest, context: Ctx) -> pb.Keberatan:
        decided = keberatan.decide_keberatan(
            self.deps,
            request.id,
            request.disetujui,
            request.keputusan,
            rating_of(int(request.rating_hasil_kerja), "rating_hasil_kerja"),
            rating_of(int(request.rating_perilaku_kerja), "rating_perilaku_kerja"),
        )
        return keberatan_pb(decided)

    def GetKeberatan(self, request: pb.GetKeberatanRequest, context: Ctx) -> pb.Keberatan:
        return keberatan_pb(keberatan.get_keberatan(self.deps, request.id))

    def ListKeberatan(self, request: pb.ListKeberatanRequest, context: Ctx) -> pb.ListKeberatanResponse:
        wanted = keberatan.KeberatanFilter(
            int(request.scope), self._tahun(request.tahun), int(request.status), request.query
        )
        found = keberatan.list_keberatan(self.deps, wanted, request.page_size, request.page_token)
        return pb.ListKeberatanResponse(
            keberatan=[keberatan_pb(k) for k in found.items],
            next_page_token=found.next_page_token,
            total_count=found.total_count,
            total_count_exact=found.total_count_exact,
        )


def register(servicer: AssessmentServicer) -> Callable[[grpc.Server], None]:
    """A register function for create_server."""

    def add(server: grpc.Server) -> None:
        assessment_pb2_grpc.add_AssessmentServiceServicer_to_server(servicer, server)

    return add
