"""createInstansi: admin BKN registers a new instansi (tenant)."""

from __future__ import annotations

import strawberry

from gateway.api.context import Info
from gateway.api.errors import UserError
from gateway.api.org.types import Instansi
from gateway.api.permissions import IsAdminBkn
from gateway.api.protobuf import ClientMutationIdArg, Echoes, ToProto, payload
from kinerja.org.v1 import org_pb2


@strawberry.input
class CreateInstansiInput(ToProto, message=org_pb2.CreateInstansiRequest):
    kode: str = strawberry.field(description='Short national code, e.g. "PEMKAB-BLORA".')
    nama: str
    jenis: str = strawberry.field(description="PUSAT or DAERAH.")


@strawberry.type
class InstansiPayload(Echoes):
    instansi: Instansi | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class InstansiMutations:
    @strawberry.mutation(permission_classes=[IsAdminBkn], description="Registers an instansi (admin BKN).")
    async def create_instansi(
        self, info: Info, input: CreateInstansiInput, client_mutation_id: ClientMutationIdArg = None
    ) -> InstansiPayload:
        method = info.context.clients.org.CreateInstansi
        rename = {"kode": "input.kode", "nama": "input.nama", "jenis": "input.jenis"}
        return await payload(
            info,
            InstansiPayload,
            method,
            input.to_pb(),
            rename=rename,
            caller="own",
            client_mutation_id=client_mutation_id,
        )
