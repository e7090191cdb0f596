"""createPegawai, updatePegawai, removePegawai and addJptNonAsn: admins manage their pegawai."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import strawberry

from gateway.api.arguments import InstansiArg
from gateway.api.context import Info
from gateway.api.errors import UserError
from gateway.api.org.types import JenisJabatan, Pegawai
from gateway.api.permissions import IsAdmin
from gateway.api.protobuf import ClientMutationIdArg, Echoes, ToProto, payload
from kinerja.org.v1 import org_pb2

RENAME = {"pegawai": "input"}


@strawberry.input
class JabatanInput(ToProto, message=org_pb2.Jabatan):
    nama: str
    jenis: JenisJabatan
    jenjang: str = strawberry.field(default="", description="JF jenjang; only for FUNGSIONAL.")


@strawberry.input
class PegawaiInput(ToProto, message=org_pb2.PegawaiInput):
    nip: str
    nama: str
    unor_id: strawberry.ID
    pimpinan: bool = False
    jabatan: JabatanInput
    golongan: str = ""
    pangkat: str = ""
    tmt_jabatan: datetime.date | None = None


@strawberry.input
class JptNonAsnInput(ToProto, message=org_pb2.AddJptNonAsnRequest):
    nik: str = strawberry.field(description="16-digit NIK.")
    nama: str
    unor_id: strawberry.ID
    jabatan: str
    tmt_jabatan: datetime.date | None = None


@strawberry.type
class PegawaiPayload(Echoes):
    pegawai: Pegawai | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class RemovePegawaiPayload:
    removed_id: strawberry.ID | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class PegawaiMutations:
    @strawberry.mutation(permission_classes=[IsAdmin])
    async def create_pegawai(
        self,
        info: Info,
        input: PegawaiInput,
        instansi_id: InstansiArg = None,
        client_mutation_id: ClientMutationIdArg = None,
    ) -> PegawaiPayload:
        request = org_pb2.CreatePegawaiRequest(pegawai=input.to_pb())
        method = info.context.clients.org.CreatePegawai
        return await payload(
            info,
            PegawaiPayload,
            method,
            request,
            instansi_id,
            rename=RENAME,
            result=_pegawai(info),
            client_mutation_id=client_mutation_id,
        )

    @strawberry.mutation(permission_classes=[IsAdmin])
    async def update_pegawai(
        self,
        info: Info,
        id: strawberry.ID,
        input: PegawaiInput,
        expected_version: int = 0,
        instansi_id: InstansiArg = None,
    ) -> PegawaiPayload:
        request = org_pb2.UpdatePegawaiRequest(
            id=id, pegawai=input.to_pb(), expected_version=expected_version
        )
        method = info.context.clients.org.UpdatePegawai
        return await payload(
            info, PegawaiPayload, method, request, instansi_id, rename=RENAME, result=_pegawai(info)
        )

    @strawberry.mutation(
        permission_classes=[IsAdmin], description="Removes a pegawai; their account is disabled."
    )
    async def remove_pegawai(
        self, info: Info, id: strawberry.ID, instansi_id: InstansiArg = None
    ) -> RemovePegawaiPayload:
        request = org_pb2.RemovePegawaiRequest(id=id)
        method = info.context.clients.org.RemovePegawai
        return await payload(info, RemovePegawaiPayload, method, request, instansi_id, result=lambda _: id)

    @strawberry.mutation(permission_classes=[IsAdmin], description="Adds a JPT non-ASN (by NIK).")
    async def add_jpt_non_asn(
        self,
        info: Info,
        input: JptNonAsnInput,
        instansi_id: InstansiArg = None,
        client_mutation_id: ClientMutationIdArg = None,
    ) -> PegawaiPayload:
        # The request is the input itself: its violations name the input's fields.
        rename = {f: f"input.{f}" for f in ("nik", "nama", "unor_id", "jabatan", "tmt_jabatan")}
        method = info.context.clients.org.AddJptNonAsn
        return await payload(
            info,
            PegawaiPayload,
            method,
            input.to_pb(),
            instansi_id,
            rename=rename,
            result=_pegawai(info),
            client_mutation_id=client_mutation_id,
        )


def _pegawai(info: Info) -> Callable[[org_pb2.Pegawai], Pegawai]:
    """A pegawai answered by a mutation, its unor loaded when the query reads it."""
    return lambda pb: Pegawai.from_pb(pb, info.context)
