"""Assessment in gateway tests: an in-memory fake of the assessment service (a real gRPC server on port 0)
and, for the end-to-end story, helpers that build a quarter through GraphQL only.

`FakeAssessment` keeps penilaian per instansi for the reads (Get/BatchGet/List, tenancy by the caller's
principal); every other RPC records its request (`requests`) and answers a sample of its response type
for the caller's instansi, or the error a test set in `fail`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import grpc
from google.protobuf.message import Message

from kinerja.assessment.v1 import assessment_pb2, assessment_pb2_grpc
from kinerja.skp.v1 import skp_pb2
from kinerja_kit.auth import TokenVerifier
from kinerja_kit.errors import DomainError, NotFound, PermissionDenied
from kinerja_kit.grpc_server import create_server
from kinerja_kit.ids import new_id
from kinerja_testing.gateway import BERAKHLAK, Counting, _principal, _tenant, sample_pejabat

ASSESSMENT_SERVICE = "kinerja.assessment.v1.AssessmentService"


def sample_penilaian(instansi_id: str, **kwargs: Any) -> assessment_pb2.Penilaian:
    """A rated penilaian with one realisasi (with bukti dukung), seven perilaku and its penjelasan."""
    pegawai = kwargs.pop("pegawai", None) or sample_pejabat("Siti Aminah")
    penilai = sample_pejabat("Budi Santoso")
    rated = assessment_pb2.RATING_SESUAI_EKSPEKTASI
    penilaian = assessment_pb2.Penilaian(
        id=str(new_id()),
        instansi_id=instansi_id,
        skp_id=str(new_id()),
        periode_id=str(new_id()),
        tahun=2026,
        periode_nama="Triwulan I",
        periode_jenis=skp_pb2.JENIS_PERIODE_BIASA,
        tanggal_mulai="2026-01-01",
        tanggal_selesai="2026-03-31",
        batas_pengisian="2026-04-10",
        model=skp_pb2.MODEL_SKP_JA_JF,
        pendekatan=skp_pb2.PENDEKATAN_KUANTITATIF,
        pegawai=pegawai,
        penilai=penilai,
        atasan_penilai=sample_pejabat("Sekretaris Daerah"),
        unit_kerja_id=str(new_id()),
        status=assessment_pb2.STATUS_PENILAIAN_DINILAI,
        realisasi=[
            assessment_pb2.RealisasiIndikator(
                indikator_id=str(new_id()),
                rhk_id=str(new_id()),
                indikator_teks="Jumlah layanan",
                rhk_teks="Terselenggaranya layanan",
                jenis_rhk=skp_pb2.JENIS_RHK_UTAMA,
                aspek=skp_pb2.ASPEK_KUANTITAS,
                target=skp_pb2.Target(min="12", max="12", satuan="Layanan"),
                nilai="12.5",
                satuan="Layanan",
                keterangan="Selesai",
                bukti_dukung=[
                    assessment_pb2.BuktiDukung(id=str(new_id()), nama="Laporan", url="https://arsip.go.id/1")
                ],
                umpan_balik="Baik",
                terisi=True,
            )
        ],
        perilaku=[
            assessment_pb2.PerilakuPenilaian(
                nilai=nilai,  # type: ignore[arg-type]
                nama=nama,
                penilai_jenis=skp_pb2.JENIS_PENILAI_ATASAN,
                penilai_pegawai_id=penilai.pegawai_id,
                penilai_nama=penilai.nama,
                feedback="Sudah baik",
                umpan_balik="Pertahankan",
            )
            for nilai, nama in BERAKHLAK
        ],
        rating_hasil_kerja=rated,
        rating_perilaku_kerja=rated,
        predikat=assessment_pb2.PREDIKAT_BAIK,
        penjelasan=assessment_pb2.PenjelasanPredikat(
            predikat=assessment_pb2.PREDIKAT_BAIK,
            rating_hasil_kerja=rated,
            rating_perilaku_kerja=rated,
            aturan_versi="permenpanrb-6-2022",
            aturan_berlaku_sejak="2022-01-01",
            aturan_sumber="PermenPAN-RB 6/2022",
            dinilai_oleh=assessment_pb2.Pelaku(
                pegawai_id=penilai.pegawai_id, nip=penilai.nip, nama=penilai.nama
            ),
            uraian="Rating hasil kerja Sesuai Ekspektasi dan rating perilaku kerja Sesuai Ekspektasi memberi predikat Baik.",
        ),
        version=3,
    )
    penilaian.MergeFrom(assessment_pb2.Penilaian(**kwargs))
    return penilaian


def _summary(penilaian: assessment_pb2.Penilaian) -> assessment_pb2.Penilaian:
    """As ListPenilaian answers: without realisasi and perilaku."""
    found = assessment_pb2.Penilaian()
    found.CopyFrom(penilaian)
    del found.realisasi[:]
    del found.perilaku[:]
    return found


def sample_pola(instansi_id: str, unor_id: str = "", periode_id: str = "", tahun: int = 2026) -> Message:
    return assessment_pb2.PolaDistribusi(
        unor_id=unor_id or str(new_id()),
        unor_nama="Sekretariat Daerah",
        periode_id=periode_id or str(new_id()),
        tahun=tahun,
        capaian=assessment_pb2.CAPAIAN_BAIK,
        statistik=assessment_pb2.StatistikCapaian(
            dinilai=2,
            total=3,
            per_predikat=[assessment_pb2.JumlahPredikat(predikat=assessment_pb2.PREDIKAT_BAIK, jumlah=2)],
        ),
        batas=[
            assessment_pb2.BatasDistribusi(
                jenis=assessment_pb2.JENIS_BATAS_PALING_BANYAK,
                predikat=[assessment_pb2.PREDIKAT_SANGAT_BAIK],
                persen="20",
                batas_jumlah=0,
                jumlah=0,
                terpenuhi=True,
                uraian="Sangat Baik paling banyak 20%",
            )
        ],
        sesuai=True,
        aturan_versi="se-menpanrb-3-2023",
        aturan_sumber="SE MenPAN-RB 3/2023",
    )


def _samples(tenant: str) -> dict[type[Message], Callable[[], Message]]:
    pelaku = assessment_pb2.Pelaku(pegawai_id=str(new_id()), nip="198001012005011001", nama="Admin")
    capaian = assessment_pb2.CapaianOrganisasi(
        id=str(new_id()),
        instansi_id=tenant,
        tahun=2026,
        periode_id=str(new_id()),
        periode_nama="Triwulan I",
        unor_id=str(new_id()),
        unor_nama="Sekretariat Daerah",
        capaian=assessment_pb2.CAPAIAN_BAIK,
        bukti_dukung_url="https://arsip.go.id/capaian",
        diubah_oleh=pelaku,
        version=1,
        statistik=assessment_pb2.StatistikCapaian(dinilai=1, total=2),
    )
    keberatan = assessment_pb2.Keberatan(
        id=str(new_id()),
        instansi_id=tenant,
        penilaian_id=str(new_id()),
        status=assessment_pb2.STATUS_KEBERATAN_DIAJUKAN,
        alasan="Tidak sesuai",
        pegawai=sample_pejabat("Siti Aminah"),
        sebelum=assessment_pb2.NilaiKeberatan(
            rating_hasil_kerja=assessment_pb2.RATING_SESUAI_EKSPEKTASI,
            rating_perilaku_kerja=assessment_pb2.RATING_SESUAI_EKSPEKTASI,
            predikat=assessment_pb2.PREDIKAT_BAIK,
        ),
        batas_pengajuan="2026-04-24",
        version=1,
    )
    return {
        assessment_pb2.Penilaian: lambda: sample_penilaian(tenant),
        assessment_pb2.PerpanjanganBatas: lambda: assessment_pb2.PerpanjanganBatas(
            id=str(new_id()),
            periode_id=str(new_id()),
            tahun=2026,
            pegawai_id=str(new_id()),
            batas_baru="2026-05-01",
            alasan="Sakit",
            oleh=pelaku,
        ),
        assessment_pb2.CapaianOrganisasi: lambda: capaian,
        assessment_pb2.Keberatan: lambda: keberatan,
        assessment_pb2.PolaDistribusi: lambda: sample_pola(tenant),
        assessment_pb2.ListCapaianResponse: lambda: assessment_pb2.ListCapaianResponse(capaian=[capaian]),
        assessment_pb2.ListKeberatanResponse: lambda: assessment_pb2.ListKeberatanResponse(
            keberatan=[keberatan]
        ),
    }


class FakeAssessment(assessment_pb2_grpc.AssessmentServiceServicer, Counting):
    """Penilaian reads with tenancy; inbox and kalibrasi over the seeded penilaian; other RPCs record
    their request and answer a sample (see the module docstring)."""

    def __init__(self) -> None:
        Counting.__init__(self)
        self.penilaian: dict[str, assessment_pb2.Penilaian] = {}
        self.requests: dict[str, Any] = {}
        self.fail: dict[str, DomainError] = {}
        # Who may read pola distribusi: unor ids whose GetPolaDistribusi answers PERMISSION_DENIED.
        self.pola_denied: set[str] = set()

    def seed(self, instansi_id: str, **kwargs: Any) -> assessment_pb2.Penilaian:
        penilaian = sample_penilaian(instansi_id, **kwargs)
        self.penilaian[penilaian.id] = penilaian
        return penilaian

    def record(self, method: str, request: Any) -> None:
        """Counts the call and keeps its request; raises the error a test prepared for it."""
        self.count(method)
        self.requests[method] = request
        error = self.fail.pop(method, None)
        if error is not None:
            raise error

    def answer(self, method: str, request: Any, output: type[Message]) -> Message:
        self.record(method, request)
        make = _samples(_tenant()).get(output)
        return make() if make is not None else output()

    def _mine(self) -> list[assessment_pb2.Penilaian]:
        tenant = _tenant()
        return [p for p in self.penilaian.values() if p.instansi_id == tenant]

    @staticmethod
    def _page(items: list[Any], request: Any) -> tuple[list[Any], str]:
        offset = int(request.page_token or 0)
        size = request.page_size or 20
        return items[offset : offset + size], str(offset + size) if offset + size < len(items) else ""

    def GetPenilaian(self, request: Any, context: Any) -> assessment_pb2.Penilaian:
        self.record("GetPenilaian", request)
        found = [p for p in self._mine() if p.id == request.id]
        if not found:
            raise NotFound("PENILAIAN_NOT_FOUND", "Penilaian tidak ditemukan.")
        return found[0]

    def BatchGetPenilaian(self, request: Any, context: Any) -> assessment_pb2.BatchGetPenilaianResponse:
        self.record("BatchGetPenilaian", request)
        wanted = set(request.ids)
        return assessment_pb2.BatchGetPenilaianResponse(penilaian=[p for p in self._mine() if p.id in wanted])

    def ListPenilaian(self, request: Any, context: Any) -> assessment_pb2.ListPenilaianResponse:
        self.record("ListPenilaian", request)
        items = self._mine()
        if request.scope == assessment_pb2.PENILAIAN_SCOPE_SAYA:
            me = str(_principal().pegawai_id or "")
            items = [p for p in items if p.pegawai.pegawai_id == me]
        elif request.scope == assessment_pb2.PENILAIAN_SCOPE_INSTANSI and not _principal().is_admin:
            raise PermissionDenied("ADMIN_ONLY", "Hanya admin.")
        if request.tahun:
            items = [p for p in items if p.tahun == request.tahun]
        page, token = self._page(items, request)
        return assessment_pb2.ListPenilaianResponse(
            penilaian=[_summary(p) for p in page], next_page_token=token
        )

    def GetInbox(self, request: Any, context: Any) -> assessment_pb2.GetInboxResponse:
        self.record("GetInbox", request)
        tugas = [
            assessment_pb2.Tugas(
                jenis=assessment_pb2.JENIS_TUGAS_NILAI_BAWAHAN,
                penilaian_id=p.id,
                skp_id=p.skp_id,
                periode_id=p.periode_id,
                periode_nama=p.periode_nama,
                pegawai=p.pegawai,
                batas_pengisian=p.batas_pengisian,
                keterangan="Belum dinilai",
            )
            for p in self._mine()
        ]
        if request.jenis not in (0, assessment_pb2.JENIS_TUGAS_NILAI_BAWAHAN):
            tugas = []
        page, token = self._page(tugas, request)
        jumlah = [
            assessment_pb2.JumlahTugas(jenis=j, jumlah=len(self._mine()) if j == 3 else 0)  # type: ignore[arg-type]
            for j in (1, 2, 3, 4)
        ]
        return assessment_pb2.GetInboxResponse(jumlah=jumlah, tugas=page, next_page_token=token)

    def ListKalibrasi(self, request: Any, context: Any) -> assessment_pb2.ListKalibrasiResponse:
        self.record("ListKalibrasi", request)
        items = [
            assessment_pb2.KalibrasiItem(
                penilaian_id=p.id,
                pegawai=p.pegawai,
                predikat=p.predikat,
                rating_hasil_kerja=p.rating_hasil_kerja,
                rating_perilaku_kerja=p.rating_perilaku_kerja,
                status=p.status,
            )
            for p in self._mine()
            if p.unit_kerja_id == request.unor_id
        ]
        page, token = self._page(items, request)
        return assessment_pb2.ListKalibrasiResponse(items=page, next_page_token=token)

    def GetPolaDistribusi(self, request: Any, context: Any) -> Message:
        self.record("GetPolaDistribusi", request)
        if request.unor_id in self.pola_denied:
            raise PermissionDenied("BUKAN_PIMPINAN_UNIT", "Hanya pimpinan unit dan admin.")
        return sample_pola(_tenant(), request.unor_id, request.periode_id, request.tahun)


def _recording(method: str, output: type[Message]) -> Callable[..., Message]:
    def handler(self: FakeAssessment, request: Any, context: Any) -> Message:
        return self.answer(method, request, output)

    handler.__name__ = method
    return handler


# Every RPC FakeAssessment does not implement itself records its request and answers a sample.
for _method in assessment_pb2.DESCRIPTOR.services_by_name["AssessmentService"].methods:
    if _method.name not in FakeAssessment.__dict__:
        setattr(
            FakeAssessment,
            _method.name,
            _recording(_method.name, getattr(assessment_pb2, _method.output_type.name)),
        )


def start_fake_assessment(fake: FakeAssessment, verifier: TokenVerifier) -> tuple[grpc.Server, str]:
    """Serves a FakeAssessment on a free port (started), behind the kit's interceptor."""
    server, port = create_server(
        lambda s: assessment_pb2_grpc.add_AssessmentServiceServicer_to_server(fake, s),
        [ASSESSMENT_SERVICE],
        verifier=verifier,
    )
    server.start()
    return server, f"127.0.0.1:{port}"
