"""Capaian kinerja organisasi (admin): setCapaian, deleteCapaian, finaliseCapaian, unfinaliseCapaian."""

from __future__ import annotations

import strawberry

from gateway.api.arguments import InstansiArg
from gateway.api.assessment.mutations.penilaian import ExpectedVersionArg
from gateway.api.assessment.types import Capaian, CapaianOrganisasi
from gateway.api.context import Info
from gateway.api.errors import UserError
from gateway.api.permissions import IsAdmin
from gateway.api.protobuf import ClientMutationIdArg, Echoes, ToProto, payload
from kinerja.assessment.v1 import assessment_pb2


@strawberry.type
class CapaianPayload(Echoes):
    capaian: CapaianOrganisasi | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class DeleteCapaianPayload:
    deleted_id: strawberry.ID | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input(description="Capaian kinerja organisasi of a JPT/mandiri unit in a periode.")
class CapaianInput(ToProto, message=assessment_pb2.CapaianInput):
    tahun: int
    periode_id: strawberry.ID
    unor_id: strawberry.ID = strawberry.field(description="A unit kerja: JPT or mandiri (its own induk).")
    capaian: Capaian
    bukti_dukung_url: str | None = strawberry.field(default=None, description="An http(s) URL.")


@strawberry.type
class CapaianMutations:
    @strawberry.mutation(
        permission_classes=[IsAdmin],
        description="Adds a capaian (without id) or changes one (not while final).",
    )
    async def set_capaian(
        self,
        info: Info,
        input: CapaianInput,
        id: strawberry.ID | None = None,
        expected_version: ExpectedVersionArg = 0,
        instansi_id: InstansiArg = None,
        client_mutation_id: ClientMutationIdArg = None,
    ) -> CapaianPayload:
        request = assessment_pb2.SetCapaianRequest(
            id=id or "", capaian=input.to_pb(), expected_version=expected_version
        )
        return await payload(
            info,
            CapaianPayload,
            info.context.clients.assessment.SetCapaian,
            request,
            instansi_id,
            rename={"capaian": "input"},
            client_mutation_id=client_mutation_id,
        )

    @strawberry.mutation(permission_classes=[IsAdmin], description="Deletes a capaian that is not final.")
    async def delete_capaian(
        self, info: Info, id: strawberry.ID, instansi_id: InstansiArg = None
    ) -> DeleteCapaianPayload:
        request = assessment_pb2.DeleteCapaianRequest(id=id)
        method = info.context.clients.assessment.DeleteCapaian
        return await payload(info, DeleteCapaianPayload, method, request, instansi_id, result=lambda _: id)

    @strawberry.mutation(
        permission_classes=[IsAdmin],
        description="Finalises a capaian (after checking the pola distribusi); ratings of the unit then hold.",
    )
    async def finalise_capaian(
        self,
        info: Info,
        id: strawberry.ID,
        expected_version: ExpectedVersionArg = 0,
        instansi_id: InstansiArg = None,
    ) -> CapaianPayload:
        request = assessment_pb2.FinaliseCapaianRequest(id=id, expected_version=expected_version)
        method = info.context.clients.assessment.FinaliseCapaian
        return await payload(info, CapaianPayload, method, request, instansi_id)

    @strawberry.mutation(permission_classes=[IsAdmin], description="Opens a final capaian again.")
    async def unfinalise_capaian(
        self,
        info: Info,
        id: strawberry.ID,
        expected_version: ExpectedVersionArg = 0,
        instansi_id: InstansiArg = None,
    ) -> CapaianPayload:
        request = assessment_pb2.UnfinaliseCapaianRequest(id=id, expected_version=expected_version)
        method = info.context.clients.assessment.UnfinaliseCapaian
        return await payload(info, CapaianPayload, method, request, instansi_id)
