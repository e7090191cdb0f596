"""The OrgService servicer: translates protobuf to domain inputs and back, and delegates to the handlers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

import grpc

from kinerja.org.v1 import org_pb2, org_pb2_grpc
from kinerja_kit.db import UnitOfWork
from kinerja_kit.idempotency import idempotent
from org.adapters.proto import instansi_pb, pegawai_pb, plt_pb, relations_pb, unor_pb
from org.domain.instansi import InstansiInput
from org.domain.pegawai import JptNonAsnInput, PegawaiInput
from org.domain.plt import PltInput
from org.domain.unor import UnorInput
from org.service_layer import importer, instansi, pegawai, plt, relations, search, unor

SERVICE_NAME = org_pb2.DESCRIPTOR.services_by_name["OrgService"].full_name

Ctx = grpc.ServicerContext


def _unor_input(msg: org_pb2.UnorInput) -> UnorInput:
    return UnorInput(
        nama=msg.nama,
        jenis=int(msg.jenis),
        eselon=msg.eselon,
        parent_id=msg.parent_id,
        induk_id=msg.induk_id,
        mandiri=msg.mandiri,
        kota=msg.kota,
    )


def _pegawai_input(msg: org_pb2.PegawaiInput) -> PegawaiInput:
    return PegawaiInput(
        nip=msg.nip,
        nama=msg.nama,
        unor_id=msg.unor_id,
        pimpinan=msg.pimpinan,
        jabatan_nama=msg.jabatan.nama,
        jabatan_jenis=int(msg.jabatan.jenis),
        jabatan_jenjang=msg.jabatan.jenjang,
        golongan=msg.golongan,
        pangkat=msg.pangkat,
        tmt_jabatan=msg.tmt_jabatan,
    )


def _plt_input(msg: org_pb2.PltInput) -> PltInput:
    return PltInput(
        pegawai_id=msg.pegawai_id,
        unor_id=msg.unor_id,
        jabatan=msg.jabatan,
        jenis=int(msg.jenis),
        tanggal_mulai=msg.tanggal_mulai,
        tanggal_selesai=msg.tanggal_selesai,
        aktif=msg.aktif,
    )


class OrgServicer(org_pb2_grpc.OrgServiceServicer):
    """Every RPC of kinerja.org.v1.OrgService; the caller interceptor has verified the principal.

    `@idempotent`: the creates, so that a retry sent with the same idempotency key answers the first
    result instead of creating a twin (or, for a NIP, refusing it as taken).
    """

    def __init__(self, uow: UnitOfWork) -> None:
        self.uow = uow

    # ---- instansi ----

    @idempotent
    def CreateInstansi(self, request: org_pb2.CreateInstansiRequest, context: Ctx) -> org_pb2.Instansi:
        created = instansi.create_instansi(
            self.uow, InstansiInput(kode=request.kode, nama=request.nama, jenis=request.jenis)
        )
        return instansi_pb(created)

    def GetInstansi(self, request: org_pb2.GetInstansiRequest, context: Ctx) -> org_pb2.Instansi:
        return instansi_pb(instansi.get_instansi(self.uow, request.id))

    def ListInstansi(
        self, request: org_pb2.ListInstansiRequest, context: Ctx
    ) -> org_pb2.ListInstansiResponse:
        return org_pb2.ListInstansiResponse(
            instansi=[instansi_pb(i) for i in instansi.list_instansi(self.uow)]
        )

    # ---- unor ----

    @idempotent
    def CreateUnor(self, request: org_pb2.CreateUnorRequest, context: Ctx) -> org_pb2.Unor:
        return unor_pb(unor.create_unor(self.uow, _unor_input(request.unor)))

    def UpdateUnor(self, request: org_pb2.UpdateUnorRequest, context: Ctx) -> org_pb2.Unor:
        updated = unor.update_unor(self.uow, request.id, _unor_input(request.unor), request.expected_version)
        return unor_pb(updated)

    def DeleteUnor(self, request: org_pb2.DeleteUnorRequest, context: Ctx) -> org_pb2.DeleteUnorResponse:
        unor.delete_unor(self.uow, request.id)
        return org_pb2.DeleteUnorResponse()

    def GetUnor(self, request: org_pb2.GetUnorRequest, context: Ctx) -> org_pb2.Unor:
        return unor_pb(unor.get_unor(self.uow, request.id))

    def BatchGetUnor(
        self, request: org_pb2.BatchGetUnorRequest, context: Ctx
    ) -> org_pb2.BatchGetUnorResponse:
        found = unor.batch_get_unor(self.uow, list(request.ids))
        return org_pb2.BatchGetUnorResponse(unor=[unor_pb(u) for u in found])

    def ListUnor(self, request: org_pb2.ListUnorRequest, context: Ctx) -> org_pb2.ListUnorResponse:
        found = unor.list_unor(self.uow, request.query, request.root_id, request.depth)
        return org_pb2.ListUnorResponse(unor=[unor_pb(u) for u in found])

    def ListUnorChildren(
        self, request: org_pb2.ListUnorChildrenRequest, context: Ctx
    ) -> org_pb2.ListUnorChildrenResponse:
        page = unor.list_unor_children(self.uow, request.parent_id, request.page_size, request.page_token)
        return org_pb2.ListUnorChildrenResponse(unor=[unor_pb(u) for u in page.unor], **_page_fields(page))

    def ImportUnor(self, request: org_pb2.ImportUnorRequest, context: Ctx) -> org_pb2.ImportResponse:
        done = importer.import_unor(self.uow, [(item.id, _unor_input(item.unor)) for item in request.unor])
        return org_pb2.ImportResponse(created=done.created, unchanged=done.unchanged)

    # ---- pegawai ----

    def ImportPegawai(self, request: org_pb2.ImportPegawaiRequest, context: Ctx) -> org_pb2.ImportResponse:
        items = [(item.id, _pegawai_input(item.pegawai)) for item in request.pegawai]
        done = importer.import_pegawai(self.uow, items)
        return org_pb2.ImportResponse(created=done.created, unchanged=done.unchanged)

    @idempotent
    def CreatePegawai(self, request: org_pb2.CreatePegawaiRequest, context: Ctx) -> org_pb2.Pegawai:
        return pegawai_pb(pegawai.create_pegawai(self.uow, _pegawai_input(request.pegawai)))

    def UpdatePegawai(self, request: org_pb2.UpdatePegawaiRequest, context: Ctx) -> org_pb2.Pegawai:
        updated = pegawai.update_pegawai(
            self.uow, request.id, _pegawai_input(request.pegawai), request.expected_version
        )
        return pegawai_pb(updated)

    def RemovePegawai(
        self, request: org_pb2.RemovePegawaiRequest, context: Ctx
    ) -> org_pb2.RemovePegawaiResponse:
        pegawai.remove_pegawai(self.uow, request.id)
        return org_pb2.RemovePegawaiResponse()

    def GetPegawai(self, request: org_pb2.GetPegawaiRequest, context: Ctx) -> org_pb2.Pegawai:
        return pegawai_pb(pegawai.get_pegawai(self.uow, request.id))

    def GetPegawaiByNip(self, request: org_pb2.GetPegawaiByNipRequest, context: Ctx) -> org_pb2.Pegawai:
        return pegawai_pb(pegawai.get_pegawai_by_nip(self.uow, request.nip))

    def BatchGetPegawai(
        self, request: org_pb2.BatchGetPegawaiRequest, context: Ctx
    ) -> org_pb2.BatchGetPegawaiResponse:
        found = pegawai.batch_get_pegawai(self.uow, list(request.ids))
        return org_pb2.BatchGetPegawaiResponse(pegawai=[pegawai_pb(p) for p in found])

    def SearchPegawai(
        self, request: org_pb2.SearchPegawaiRequest, context: Ctx
    ) -> org_pb2.SearchPegawaiResponse:
        page = search.search_pegawai(
            self.uow,
            search.SearchRequest(
                query=request.query,
                unor_id=request.unor_id,
                include_sub_unor=request.include_sub_unor,
                jenis_jabatan=int(request.jenis_jabatan),
                only_pimpinan=request.only_pimpinan,
                page_size=request.page_size,
                page_token=request.page_token,
            ),
        )
        return org_pb2.SearchPegawaiResponse(
            pegawai=[pegawai_pb(p) for p in page.pegawai], **_page_fields(page)
        )

    @idempotent
    def AddJptNonAsn(self, request: org_pb2.AddJptNonAsnRequest, context: Ctx) -> org_pb2.Pegawai:
        raw = JptNonAsnInput(
            nik=request.nik,
            nama=request.nama,
            unor_id=request.unor_id,
            jabatan=request.jabatan,
            tmt_jabatan=request.tmt_jabatan,
        )
        return pegawai_pb(pegawai.add_jpt_non_asn(self.uow, raw))

    # ---- PLT/PLH ----

    @idempotent
    def CreatePlt(self, request: org_pb2.CreatePltRequest, context: Ctx) -> org_pb2.Plt:
        return plt_pb(plt.create_plt(self.uow, _plt_input(request.plt)))

    def UpdatePlt(self, request: org_pb2.UpdatePltRequest, context: Ctx) -> org_pb2.Plt:
        return plt_pb(plt.update_plt(self.uow, request.id, _plt_input(request.plt), request.expected_version))

    def DeletePlt(self, request: org_pb2.DeletePltRequest, context: Ctx) -> org_pb2.DeletePltResponse:
        plt.delete_plt(self.uow, request.id)
        return org_pb2.DeletePltResponse()

    def ListPlt(self, request: org_pb2.ListPltRequest, context: Ctx) -> org_pb2.ListPltResponse:
        page = plt.list_plt(
            self.uow,
            request.pegawai_id,
            request.unor_id,
            request.only_active,
            request.page_size,
            request.page_token,
        )
        return org_pb2.ListPltResponse(plt=[plt_pb(p) for p in page.plt], **_page_fields(page))

    # ---- relations ----

    def GetRelations(self, request: org_pb2.GetRelationsRequest, context: Ctx) -> org_pb2.Relations:
        found = relations.get_relations(self.uow, request.pegawai_id, request.as_of, request.omit_lists)
        return relations_pb(found)

    def BatchGetRelations(
        self, request: org_pb2.BatchGetRelationsRequest, context: Ctx
    ) -> org_pb2.BatchGetRelationsResponse:
        found = relations.batch_get_relations(
            self.uow, list(request.pegawai_ids), request.as_of, request.omit_lists
        )
        return org_pb2.BatchGetRelationsResponse(relations=[relations_pb(r) for r in found])

    def ListRelated(self, request: org_pb2.ListRelatedRequest, context: Ctx) -> org_pb2.ListRelatedResponse:
        page = relations.list_related(
            self.uow,
            request.pegawai_id,
            int(request.kind),
            request.as_of,
            request.page_size,
            request.page_token,
        )
        return org_pb2.ListRelatedResponse(
            pegawai=[pegawai_pb(p) for p in page.pegawai],
            next_page_token=page.next_page_token,
            total_count=page.total_count,
        )

    def SetProfileRelations(
        self, request: org_pb2.SetProfileRelationsRequest, context: Ctx
    ) -> org_pb2.Relations:
        changed = relations.set_profile_relations(self.uow, request.pegawai_id, request.relations)
        return relations_pb(changed)


def register(servicer: OrgServicer) -> Callable[[grpc.Server], None]:
    """A register function for create_server."""

    def add(server: grpc.Server) -> None:
        org_pb2_grpc.add_OrgServiceServicer_to_server(servicer, server)

    return add


class _Page(Protocol):
    @property
    def next_page_token(self) -> str: ...

    @property
    def total_count(self) -> int: ...

    @property
    def total_count_exact(self) -> bool: ...


def _page_fields(page: _Page) -> dict[str, Any]:
    """The paging fields of a list response: where the next page starts and the bounded count."""
    return {
        "next_page_token": page.next_page_token,
        "total_count": page.total_count,
        "total_count_exact": page.total_count_exact,
    }
