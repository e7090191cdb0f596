"""setProfileRelations: a pegawai (or an admin) overrides computed atasan, bawahan and rekan kerja."""

from __future__ import annotations

import strawberry

from gateway.api.arguments import InstansiArg
from gateway.api.context import Info
from gateway.api.errors import UserError, attempt, user_errors
from gateway.api.org.types import Relations
from gateway.api.permissions import IsAuthenticated
from gateway.api.protobuf import ToProto
from gateway.clients import call
from kinerja.org.v1 import org_pb2
from kinerja_kit.errors import DomainError


@strawberry.input(description="Overrides; a null or empty field means 'computed from the unor tree'.")
class ProfileRelationsInput(ToProto, message=org_pb2.ProfileRelations):
    atasan_langsung_id: strawberry.ID | None = None
    atasan_ii_id: strawberry.ID | None = None
    atasan_iii_id: strawberry.ID | None = None
    rekan_kerja_ids: list[strawberry.ID] = strawberry.field(default_factory=list)
    bawahan_ids: list[strawberry.ID] = strawberry.field(default_factory=list)


@strawberry.type
class RelationsPayload:
    relations: Relations | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class RelationsMutations:
    @strawberry.mutation(
        permission_classes=[IsAuthenticated], description="The pegawai themself or an admin."
    )
    async def set_profile_relations(
        self,
        info: Info,
        pegawai_id: strawberry.ID,
        input: ProfileRelationsInput,
        instansi_id: InstansiArg = None,
    ) -> RelationsPayload:
        request = org_pb2.SetProfileRelationsRequest(pegawai_id=str(pegawai_id), relations=input.to_pb())
        try:
            caller = info.context.caller(instansi_id)
        except DomainError as err:
            return RelationsPayload(errors=user_errors(err))
        pb, errors = await attempt(
            lambda: call(info.context.clients.org.SetProfileRelations, request, caller),
            {"relations": "input"},
        )
        tenant = str(caller.principal.tenant_id) if caller.principal else ""
        return RelationsPayload(relations=Relations.from_pb(pb, tenant) if pb else None, errors=errors)
