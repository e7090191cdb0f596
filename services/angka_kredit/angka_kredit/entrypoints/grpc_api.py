"""The AngkaKreditService servicer: translates protobuf to service-layer inputs and back, and delegates."""

from __future__ import annotations

from collections.abc import Callable

import grpc

from angka_kredit.adapters.proto import aturan_pb, pak_pb, pengaturan_pb
from angka_kredit.domain.model import ModePenomoran
from angka_kredit.service_layer import forecast, reads, workflow
from angka_kredit.service_layer.common import Deps
from kinerja.angka_kredit.v1 import angka_kredit_pb2 as pb
from kinerja.angka_kredit.v1 import angka_kredit_pb2_grpc
from kinerja_kit import fields

SERVICE_NAME = pb.DESCRIPTOR.services_by_name["AngkaKreditService"].full_name

Ctx = grpc.ServicerContext


def _status(value: int) -> str:
    return pb.StatusPak.Name(value).removeprefix("STATUS_PAK_") if value else ""  # type: ignore[arg-type]


def _sumber(value: int) -> str:
    return pb.SumberPak.Name(value).removeprefix("SUMBER_PAK_") if value else ""  # type: ignore[arg-type]


def _mode(value: int) -> ModePenomoran | None:
    """None when unset (the default numbering); a value the contract does not know is refused."""
    try:
        return ModePenomoran(value) if value else None
    except ValueError:
        raise fields.refuse("mode", "INVALID_MODE", "Mode penomoran tidak valid.") from None


class AngkaKreditServicer(angka_kredit_pb2_grpc.AngkaKreditServiceServicer):
    """Every RPC of kinerja.angka_kredit.v1.AngkaKreditService; the caller interceptor verified the caller."""

    def __init__(self, deps: Deps) -> None:
        self.deps = deps

    def GetPak(self, request: pb.GetPakRequest, context: Ctx) -> pb.Pak:
        return pak_pb(reads.get_pak(self.deps, request.id))

    def BatchGetPak(self, request: pb.BatchGetPakRequest, context: Ctx) -> pb.BatchGetPakResponse:
        return pb.BatchGetPakResponse(
            pak=[pak_pb(p) for p in reads.batch_get_pak(self.deps, list(request.ids))]
        )

    def ListPak(self, request: pb.ListPakRequest, context: Ctx) -> pb.ListPakResponse:
        f = reads.ListFilter(
            scope=int(request.scope),
            tahun=request.tahun,
            query=request.query,
            jabatan=request.jabatan,
            status=_status(request.status),
            sumber=_sumber(request.sumber),
            perlu_pak_baru=request.perlu_pak_baru,
            pegawai_id=request.pegawai_id,
        )
        page = reads.list_pak(self.deps, f, request.page_size, request.page_token)
        return pb.ListPakResponse(
            pak=[pak_pb(p) for p in page.items],
            next_page_token=page.next_token,
            total_count=page.total,
            total_count_exact=page.exact,
        )

    def AjukanPak(self, request: pb.AjukanPakRequest, context: Ctx) -> pb.Pak:
        return pak_pb(
            workflow.ajukan(
                self.deps,
                request.id,
                request.nomor_sk,
                request.tempat,
                request.tanggal_sk,
                request.expected_version,
            )
        )

    def SetujuiPak(self, request: pb.SetujuiPakRequest, context: Ctx) -> pb.Pak:
        return pak_pb(workflow.setujui(self.deps, request.id, request.expected_version))

    def TandatanganiPak(self, request: pb.TandatanganiPakRequest, context: Ctx) -> pb.Pak:
        return pak_pb(workflow.tandatangani(self.deps, request.id, request.expected_version))

    def UnggahSkPak(self, request: pb.UnggahSkPakRequest, context: Ctx) -> pb.Pak:
        return pak_pb(
            workflow.unggah_sk(
                self.deps, request.id, request.berkas, request.nama_berkas, request.expected_version
            )
        )

    def GetSkPak(self, request: pb.GetSkPakRequest, context: Ctx) -> pb.GetSkPakResponse:
        berkas = reads.get_sk(self.deps, request.id)
        return pb.GetSkPakResponse(
            berkas=berkas.isi,
            nama_berkas=berkas.nama_berkas,
            sha256=berkas.sha256,
            content_type="application/pdf",
        )

    def KembalikanPakKeDraft(self, request: pb.KembalikanPakKeDraftRequest, context: Ctx) -> pb.Pak:
        return pak_pb(workflow.kembalikan(self.deps, request.id, request.alasan, request.expected_version))

    def CatatIntegrasi(self, request: pb.CatatIntegrasiRequest, context: Ctx) -> pb.Pak:
        return pak_pb(
            workflow.catat_integrasi(
                self.deps,
                workflow.IntegrasiInput(
                    request.pegawai_id,
                    request.tahun,
                    request.angka_kredit,
                    request.dokumen_sumber,
                    request.keterangan,
                    request.golongan,
                ),
            )
        )

    def GetPengaturan(self, request: pb.GetPengaturanRequest, context: Ctx) -> pb.PengaturanPak:
        return pengaturan_pb(reads.get_pengaturan(self.deps))

    def SetPengaturan(self, request: pb.SetPengaturanRequest, context: Ctx) -> pb.PengaturanPak:
        return pengaturan_pb(
            workflow.set_pengaturan(
                self.deps, _mode(request.mode), request.format_nomor, request.tempat, request.expected_version
            )
        )

    def GetAturan(self, request: pb.GetAturanRequest, context: Ctx) -> pb.Aturan:
        return aturan_pb(reads.get_aturan(self.deps, request.tanggal))

    def GetPrakiraan(self, request: pb.GetPrakiraanRequest, context: Ctx) -> pb.Prakiraan:
        return forecast.prakiraan_pb(self.deps, request.pegawai_id)


def register(servicer: AngkaKreditServicer) -> Callable[[grpc.Server], None]:
    """A register function for create_server."""

    def add(server: grpc.Server) -> None:
        angka_kredit_pb2_grpc.add_AngkaKreditServiceServicer_to_server(servicer, server)

    return add
