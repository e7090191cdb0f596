"""The SkpService servicer: translates protobuf to domain inputs and back, and delegates to the handlers."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import UTC

import grpc

from kinerja.skp.v1 import skp_pb2, skp_pb2_grpc
from kinerja_kit.db import UnitOfWork
from kinerja_kit.idempotency import idempotent
from skp.adapters.proto import harian_pb, perilaku_pb, periode_pb, pk_pb, skp_pb
from skp.domain import rules
from skp.domain.model import Perilaku
from skp.domain.periode import PeriodeInput
from skp.domain.perjanjian import PkIndikatorInput, SasaranInput
from skp.domain.values import BERAKHLAK
from skp.service_layer import content, harian, importer, mph, periode, perjanjian, skp
from skp.service_layer.common import Deps

SERVICE_NAME = skp_pb2.DESCRIPTOR.services_by_name["SkpService"].full_name

Ctx = grpc.ServicerContext


def _periode(msg: skp_pb2.PeriodeInput) -> PeriodeInput:
    return PeriodeInput(msg.nama, msg.mulai, msg.selesai, msg.batas_pengisian, int(msg.jenis))


def _sasaran(msg: skp_pb2.SasaranInput) -> SasaranInput:
    return SasaranInput(msg.teks, [PkIndikatorInput(i.teks, i.target, i.satuan) for i in msg.indikator])


def _rhk(msg: skp_pb2.RhkInput) -> rules.RhkInput:
    return rules.RhkInput(int(msg.jenis), msg.teks, msg.atasan_rhk_id, list(msg.tahapan))


def _indikator(msg: skp_pb2.IndikatorInput) -> rules.IndikatorInput:
    target = rules.TargetInput(msg.target.min, msg.target.max, msg.target.satuan)
    return rules.IndikatorInput(msg.teks, int(msg.aspek), int(msg.perspektif), target)


def _manual(msg: skp_pb2.ManualIndikator) -> rules.ManualInput:
    return rules.ManualInput(
        deskripsi_rencana_kerja=msg.deskripsi_rencana_kerja,
        definisi=msg.definisi,
        formula=msg.formula,
        tujuan=msg.tujuan,
        satuan_pengukuran=msg.satuan_pengukuran,
        jenis_iku=int(msg.jenis_iku),
        penanggung_jawab=msg.penanggung_jawab,
        penyedia_data=msg.penyedia_data,
        sumber_data=msg.sumber_data,
        periode_pelaporan=int(msg.periode_pelaporan),
    )


def _rencana(msg: skp_pb2.RencanaAksiInput) -> rules.RencanaAksiInput:
    return rules.RencanaAksiInput(msg.rhk_id, msg.periode_id, msg.teks, msg.target, msg.satuan)


def _anggota(msg: skp_pb2.MphAnggotaInput) -> mph.AnggotaInput:
    return mph.AnggotaInput(msg.nip, int(msg.peran_tim), [(p.kolom_id, p.peran) for p in msg.peran])


def _harian(msg: skp_pb2.KinerjaHarianInput) -> harian.HarianInput:
    return harian.HarianInput(msg.tanggal, msg.uraian, msg.indikator_id, msg.realisasi)


def _import_item(msg: skp_pb2.ImportSkp) -> importer.SkpItem:
    return importer.SkpItem(
        id=msg.id,
        pegawai_id=msg.pegawai_id,
        tahun=msg.tahun,
        tanggal_mulai=msg.tanggal_mulai,
        tanggal_selesai=msg.tanggal_selesai,
        pendekatan=int(msg.pendekatan),
        rhk=[
            importer.RhkItem(
                id=r.id,
                rhk=_rhk(r.rhk),
                indikator=[
                    importer.IndikatorItem(i.id, _indikator(i.indikator), list(i.target_bulanan))
                    for i in r.indikator
                ],
                rencana_aksi=[
                    importer.RencanaItem(
                        a.id,
                        a.rencana_aksi.periode_id,
                        a.rencana_aksi.teks,
                        a.rencana_aksi.target,
                        a.rencana_aksi.satuan,
                    )
                    for a in r.rencana_aksi
                ],
            )
            for r in msg.rhk
        ],
        disetujui_at=msg.disetujui_at.ToDatetime(tzinfo=UTC) if msg.HasField("disetujui_at") else None,
        perilaku=[
            importer.PerilakuItem(int(p.nilai), int(p.penilai_jenis), p.penilai_pegawai_id)
            for p in msg.perilaku
        ],
        digest=hashlib.sha256(msg.SerializeToString(deterministic=True)).hexdigest(),
    )


class SkpServicer(skp_pb2_grpc.SkpServiceServicer):
    """Every RPC of kinerja.skp.v1.SkpService; the caller interceptor has verified the principal.

    `@idempotent`: the RPCs that create something (or, like SetMphKolom, give new entries new ids), so
    that a retry sent with the same idempotency key answers the first result instead of creating a twin.
    """

    def __init__(self, deps: Deps) -> None:
        self.deps = deps

    @property
    def uow(self) -> UnitOfWork:
        return self.deps.uow

    # ---- periode ----

    @idempotent
    def CreatePeriode(self, request: skp_pb2.CreatePeriodeRequest, context: Ctx) -> skp_pb2.Periode:
        return periode_pb(periode.create_periode(self.deps, _periode(request.periode)))

    @idempotent
    def CreatePeriodeSet(
        self, request: skp_pb2.CreatePeriodeSetRequest, context: Ctx
    ) -> skp_pb2.ListPeriodeResponse:
        created = periode.create_periode_set(self.deps, int(request.pola), request.batas_hari)
        return skp_pb2.ListPeriodeResponse(periode=[periode_pb(p) for p in created])

    def UpdatePeriode(self, request: skp_pb2.UpdatePeriodeRequest, context: Ctx) -> skp_pb2.Periode:
        updated = periode.update_periode(
            self.deps, request.id, _periode(request.periode), request.expected_version
        )
        return periode_pb(updated)

    def DeletePeriode(
        self, request: skp_pb2.DeletePeriodeRequest, context: Ctx
    ) -> skp_pb2.DeletePeriodeResponse:
        periode.delete_periode(self.deps, request.id)
        return skp_pb2.DeletePeriodeResponse()

    def ListPeriode(self, request: skp_pb2.ListPeriodeRequest, context: Ctx) -> skp_pb2.ListPeriodeResponse:
        return skp_pb2.ListPeriodeResponse(periode=[periode_pb(p) for p in periode.list_periode(self.deps)])

    # ---- perjanjian kinerja ----

    @idempotent
    def CreatePerjanjianKinerja(
        self, request: skp_pb2.CreatePerjanjianKinerjaRequest, context: Ctx
    ) -> skp_pb2.PerjanjianKinerja:
        return pk_pb(perjanjian.create_perjanjian(self.deps, request.tahun))

    def GetPerjanjianKinerja(
        self, request: skp_pb2.GetPerjanjianKinerjaRequest, context: Ctx
    ) -> skp_pb2.PerjanjianKinerja:
        return perjanjian.get_perjanjian(self.deps, request.id)

    def ListPerjanjianKinerja(
        self, request: skp_pb2.ListPerjanjianKinerjaRequest, context: Ctx
    ) -> skp_pb2.ListPerjanjianKinerjaResponse:
        found = perjanjian.list_perjanjian(self.deps, request.pegawai_id, request.tahun)
        return skp_pb2.ListPerjanjianKinerjaResponse(perjanjian_kinerja=found)

    @idempotent
    def AddSasaranStrategis(
        self, request: skp_pb2.AddSasaranStrategisRequest, context: Ctx
    ) -> skp_pb2.PerjanjianKinerja:
        return pk_pb(
            perjanjian.add_sasaran(self.deps, request.perjanjian_kinerja_id, _sasaran(request.sasaran))
        )

    def UpdateSasaranStrategis(
        self, request: skp_pb2.UpdateSasaranStrategisRequest, context: Ctx
    ) -> skp_pb2.PerjanjianKinerja:
        changed = perjanjian.update_sasaran(
            self.deps, request.perjanjian_kinerja_id, request.sasaran_id, _sasaran(request.sasaran)
        )
        return pk_pb(changed)

    def DeleteSasaranStrategis(
        self, request: skp_pb2.DeleteSasaranStrategisRequest, context: Ctx
    ) -> skp_pb2.PerjanjianKinerja:
        return pk_pb(perjanjian.delete_sasaran(self.deps, request.perjanjian_kinerja_id, request.sasaran_id))

    # ---- SKP ----

    @idempotent
    def CreateSkp(self, request: skp_pb2.CreateSkpRequest, context: Ctx) -> skp_pb2.Skp:
        header = rules.SkpHeaderInput(
            request.tanggal_mulai, request.tanggal_selesai, int(request.pendekatan), request.plt_id
        )
        return skp_pb(skp.create_skp(self.deps, header))

    def UpdateSkp(self, request: skp_pb2.UpdateSkpRequest, context: Ctx) -> skp_pb2.Skp:
        header = rules.SkpHeaderInput(request.tanggal_mulai, request.tanggal_selesai, int(request.pendekatan))
        return skp_pb(skp.update_skp(self.deps, request.id, header, request.expected_version))

    def DeleteSkp(self, request: skp_pb2.DeleteSkpRequest, context: Ctx) -> skp_pb2.DeleteSkpResponse:
        skp.delete_skp(self.deps, request.id)
        return skp_pb2.DeleteSkpResponse()

    def GetSkp(self, request: skp_pb2.GetSkpRequest, context: Ctx) -> skp_pb2.Skp:
        return skp_pb(skp.get_skp(self.deps, request.id))

    def BatchGetSkp(self, request: skp_pb2.BatchGetSkpRequest, context: Ctx) -> skp_pb2.BatchGetSkpResponse:
        return skp_pb2.BatchGetSkpResponse(
            skp=[skp_pb(s) for s in skp.batch_get_skp(self.deps, list(request.ids))]
        )

    def ListSkp(self, request: skp_pb2.ListSkpRequest, context: Ctx) -> skp_pb2.ListSkpResponse:
        page = skp.list_skp(
            self.deps,
            skp.ListRequest(
                scope=int(request.scope),
                tahun=request.tahun,
                status=int(request.status),
                periode_id=request.periode_id,
                query=request.query,
                unor_id=request.unor_id,
                page_size=request.page_size,
                page_token=request.page_token,
            ),
        )
        return skp_pb2.ListSkpResponse(
            skp=[skp_pb(s, full=False) for s in page.skp],
            next_page_token=page.next_page_token,
            total_count=page.total_count,
            total_count_exact=page.total_count_exact,
        )

    def ImportSkp(self, request: skp_pb2.ImportSkpRequest, context: Ctx) -> skp_pb2.ImportSkpResponse:
        result = importer.import_skp(self.deps, [_import_item(item) for item in request.skp])
        return skp_pb2.ImportSkpResponse(created=result.created, unchanged=result.unchanged)

    def RefreshSkpSnapshot(self, request: skp_pb2.RefreshSkpSnapshotRequest, context: Ctx) -> skp_pb2.Skp:
        return skp_pb(skp.refresh_snapshot(self.deps, request.id))

    def ListPerilakuKerja(
        self, request: skp_pb2.ListPerilakuKerjaRequest, context: Ctx
    ) -> skp_pb2.ListPerilakuKerjaResponse:
        return skp_pb2.ListPerilakuKerjaResponse(
            perilaku=[perilaku_pb(Perilaku(nilai=n.nilai)) for n in BERAKHLAK]
        )

    # ---- content ----

    @idempotent
    def AddRhk(self, request: skp_pb2.AddRhkRequest, context: Ctx) -> skp_pb2.Skp:
        return skp_pb(content.add_rhk(self.deps, request.skp_id, _rhk(request.rhk), request.expected_version))

    def UpdateRhk(self, request: skp_pb2.UpdateRhkRequest, context: Ctx) -> skp_pb2.Skp:
        changed = content.update_rhk(
            self.deps, request.skp_id, request.rhk_id, _rhk(request.rhk), request.expected_version
        )
        return skp_pb(changed)

    def DeleteRhk(self, request: skp_pb2.DeleteRhkRequest, context: Ctx) -> skp_pb2.Skp:
        return skp_pb(content.delete_rhk(self.deps, request.skp_id, request.rhk_id, request.expected_version))

    @idempotent
    def CopySasaranToSkp(self, request: skp_pb2.CopySasaranToSkpRequest, context: Ctx) -> skp_pb2.Skp:
        return skp_pb(content.copy_sasaran(self.deps, request.skp_id, request.sasaran_id))

    @idempotent
    def CopyPeranToSkp(self, request: skp_pb2.CopyPeranToSkpRequest, context: Ctx) -> skp_pb2.Skp:
        return skp_pb(content.copy_peran(self.deps, request.skp_id, request.mph_id, request.kolom_id))

    def ListRhkAtasan(
        self, request: skp_pb2.ListRhkAtasanRequest, context: Ctx
    ) -> skp_pb2.ListRhkAtasanResponse:
        found = skp.list_rhk_atasan(self.deps, request.skp_id)
        return skp_pb2.ListRhkAtasanResponse(skp=[skp_pb(s) for s in found])

    @idempotent
    def AddIndikator(self, request: skp_pb2.AddIndikatorRequest, context: Ctx) -> skp_pb2.Skp:
        changed = content.add_indikator(
            self.deps, request.skp_id, request.rhk_id, _indikator(request.indikator), request.expected_version
        )
        return skp_pb(changed)

    def UpdateIndikator(self, request: skp_pb2.UpdateIndikatorRequest, context: Ctx) -> skp_pb2.Skp:
        changed = content.update_indikator(
            self.deps,
            request.skp_id,
            request.indikator_id,
            _indikator(request.indikator),
            request.expected_version,
        )
        return skp_pb(changed)

    def DeleteIndikator(self, request: skp_pb2.DeleteIndikatorRequest, context: Ctx) -> skp_pb2.Skp:
        changed = content.delete_indikator(
            self.deps, request.skp_id, request.indikator_id, request.expected_version
        )
        return skp_pb(changed)

    def SetManualIndikator(self, request: skp_pb2.SetManualIndikatorRequest, context: Ctx) -> skp_pb2.Skp:
        return skp_pb(
            content.set_manual(self.deps, request.skp_id, request.indikator_id, _manual(request.manual))
        )

    def SetPenilaiPerilaku(self, request: skp_pb2.SetPenilaiPerilakuRequest, context: Ctx) -> skp_pb2.Skp:
        changed = content.set_penilai_perilaku(
            self.deps,
            request.skp_id,
            int(request.nilai),
            int(request.penilai_jenis),
            request.penilai_pegawai_id,
        )
        return skp_pb(changed)

    def SetLampiran(self, request: skp_pb2.SetLampiranRequest, context: Ctx) -> skp_pb2.Skp:
        raw = rules.LampiranInput(
            list(request.lampiran.dukungan_sumber_daya),
            list(request.lampiran.skema_pertanggungjawaban),
            list(request.lampiran.konsekuensi),
        )
        return skp_pb(content.set_lampiran(self.deps, request.skp_id, raw))

    def SetEkspektasi(self, request: skp_pb2.SetEkspektasiRequest, context: Ctx) -> skp_pb2.Skp:
        return skp_pb(
            content.set_ekspektasi(self.deps, request.skp_id, int(request.nilai), request.ekspektasi)
        )

    # ---- workflow ----

    def SubmitSkp(self, request: skp_pb2.SubmitSkpRequest, context: Ctx) -> skp_pb2.Skp:
        return skp_pb(skp.submit_skp(self.deps, request.id))

    def ApproveSkp(self, request: skp_pb2.ApproveSkpRequest, context: Ctx) -> skp_pb2.Skp:
        return skp_pb(skp.approve_skp(self.deps, request.id))

    def ReturnSkp(self, request: skp_pb2.ReturnSkpRequest, context: Ctx) -> skp_pb2.Skp:
        return skp_pb(skp.return_skp(self.deps, request.id, request.alasan))

    def ResetSkp(self, request: skp_pb2.ResetSkpRequest, context: Ctx) -> skp_pb2.Skp:
        return skp_pb(skp.reset_skp(self.deps, request.id, request.alasan))

    # ---- rencana aksi, target bulanan ----

    @idempotent
    def AddRencanaAksi(self, request: skp_pb2.AddRencanaAksiRequest, context: Ctx) -> skp_pb2.Skp:
        return skp_pb(content.add_rencana_aksi(self.deps, request.skp_id, _rencana(request.rencana_aksi)))

    def UpdateRencanaAksi(self, request: skp_pb2.UpdateRencanaAksiRequest, context: Ctx) -> skp_pb2.Skp:
        changed = content.update_rencana_aksi(
            self.deps, request.skp_id, request.rencana_aksi_id, _rencana(request.rencana_aksi)
        )
        return skp_pb(changed)

    def DeleteRencanaAksi(self, request: skp_pb2.DeleteRencanaAksiRequest, context: Ctx) -> skp_pb2.Skp:
        return skp_pb(content.delete_rencana_aksi(self.deps, request.skp_id, request.rencana_aksi_id))

    def SetTargetBulanan(self, request: skp_pb2.SetTargetBulananRequest, context: Ctx) -> skp_pb2.Skp:
        changed = content.set_target_bulanan(
            self.deps, request.skp_id, request.indikator_id, list(request.target)
        )
        return skp_pb(changed)

    def CheckKesiapanPenilaian(
        self, request: skp_pb2.CheckKesiapanPenilaianRequest, context: Ctx
    ) -> skp_pb2.KesiapanPenilaian:
        gaps = content.check_kesiapan(self.deps, request.skp_id, request.periode_id)
        return skp_pb2.KesiapanPenilaian(
            siap=not gaps,
            kekurangan=[
                skp_pb2.Kekurangan(field=g.field, code=g.code, message=g.message, rhk_id=str(g.rhk_id or ""))
                for g in gaps
            ],
        )

    # ---- matriks peran hasil ----

    def GetMatriksPeranHasil(
        self, request: skp_pb2.GetMatriksPeranHasilRequest, context: Ctx
    ) -> skp_pb2.MatriksPeranHasil:
        return mph.get_mph(self.deps, request.skp_id, request.rhk_id)

    @idempotent
    def SetMphKolom(self, request: skp_pb2.SetMphKolomRequest, context: Ctx) -> skp_pb2.MatriksPeranHasil:
        return mph.set_kolom(
            self.deps, request.skp_id, request.rhk_id, [(k.id, k.nama) for k in request.kolom]
        )

    @idempotent
    def AddMphAnggota(self, request: skp_pb2.AddMphAnggotaRequest, context: Ctx) -> skp_pb2.MatriksPeranHasil:
        return mph.add_anggota(self.deps, request.skp_id, request.rhk_id, _anggota(request.anggota))

    def UpdateMphAnggota(
        self, request: skp_pb2.UpdateMphAnggotaRequest, context: Ctx
    ) -> skp_pb2.MatriksPeranHasil:
        return mph.update_anggota(
            self.deps, request.skp_id, request.rhk_id, request.anggota_id, _anggota(request.anggota)
        )

    def RemoveMphAnggota(
        self, request: skp_pb2.RemoveMphAnggotaRequest, context: Ctx
    ) -> skp_pb2.MatriksPeranHasil:
        return mph.remove_anggota(self.deps, request.skp_id, request.rhk_id, request.anggota_id)

    def ListMatriksPeranHasil(
        self, request: skp_pb2.ListMatriksPeranHasilRequest, context: Ctx
    ) -> skp_pb2.ListMatriksPeranHasilResponse:
        page = mph.list_mph(self.deps, request.unor_id, request.tahun, request.page_size, request.page_token)
        return skp_pb2.ListMatriksPeranHasilResponse(
            matriks=page.matriks,
            next_page_token=page.next_page_token,
            total_count=page.total_count,
            total_count_exact=page.total_count_exact,
        )

    def ListPeranDitugaskan(
        self, request: skp_pb2.ListPeranDitugaskanRequest, context: Ctx
    ) -> skp_pb2.ListPeranDitugaskanResponse:
        return skp_pb2.ListPeranDitugaskanResponse(peran=mph.list_peran_ditugaskan(self.deps, request.tahun))

    # ---- kinerja harian ----

    @idempotent
    def AddKinerjaHarian(
        self, request: skp_pb2.AddKinerjaHarianRequest, context: Ctx
    ) -> skp_pb2.KinerjaHarian:
        return harian_pb(harian.add_harian(self.deps, request.skp_id, _harian(request.kinerja_harian)))

    def UpdateKinerjaHarian(
        self, request: skp_pb2.UpdateKinerjaHarianRequest, context: Ctx
    ) -> skp_pb2.KinerjaHarian:
        changed = harian.update_harian(
            self.deps, request.id, _harian(request.kinerja_harian), request.expected_version
        )
        return harian_pb(changed)

    def DeleteKinerjaHarian(
        self, request: skp_pb2.DeleteKinerjaHarianRequest, context: Ctx
    ) -> skp_pb2.DeleteKinerjaHarianResponse:
        harian.delete_harian(self.deps, request.id)
        return skp_pb2.DeleteKinerjaHarianResponse()

    def ListKinerjaHarian(
        self, request: skp_pb2.ListKinerjaHarianRequest, context: Ctx
    ) -> skp_pb2.ListKinerjaHarianResponse:
        found = harian.list_harian(self.deps, request.skp_id, request.bulan)
        return skp_pb2.ListKinerjaHarianResponse(kinerja_harian=found)

    def RekapKinerjaBulanan(
        self, request: skp_pb2.RekapKinerjaBulananRequest, context: Ctx
    ) -> skp_pb2.RekapKinerjaBulananResponse:
        return skp_pb2.RekapKinerjaBulananResponse(rekap=harian.rekap_bulanan(self.deps, request.skp_id))


def register(servicer: SkpServicer) -> Callable[[grpc.Server], None]:
    """A register function for create_server."""

    def add(server: grpc.Server) -> None:
        skp_pb2_grpc.add_SkpServiceServicer_to_server(servicer, server)

    return add
