"""submitSkp, approveSkp, returnSkp and resetSkp: the SKP approval workflow (rules in the service)."""

from __future__ import annotations

import strawberry

from gateway.api.arguments import InstansiArg
from gateway.api.context import Info
from gateway.api.permissions import IsAdmin, IsAuthenticated
from gateway.api.protobuf import payload
from gateway.api.skp.mutations.skp import SkpPayload
from kinerja.skp.v1 import skp_pb2


@strawberry.type
class WorkflowMutations:
    @strawberry.mutation(
        permission_classes=[IsAuthenticated],
        description="The owner sends a draft to the pejabat penilai (a mandiri SKP is approved at once).",
    )
    async def submit_skp(self, info: Info, id: strawberry.ID, instansi_id: InstansiArg = None) -> SkpPayload:
        request = skp_pb2.SubmitSkpRequest(id=id)
        return await payload(info, SkpPayload, info.context.clients.skp.SubmitSkp, request, instansi_id)

    @strawberry.mutation(permission_classes=[IsAuthenticated], description="The pejabat penilai approves.")
    async def approve_skp(self, info: Info, id: strawberry.ID, instansi_id: InstansiArg = None) -> SkpPayload:
        request = skp_pb2.ApproveSkpRequest(id=id)
        return await payload(info, SkpPayload, info.context.clients.skp.ApproveSkp, request, instansi_id)

    @strawberry.mutation(
        permission_classes=[IsAuthenticated], description="The pejabat penilai sends it back to draft."
    )
    async def return_skp(
        self, info: Info, id: strawberry.ID, alasan: str, instansi_id: InstansiArg = None
    ) -> SkpPayload:
        request = skp_pb2.ReturnSkpRequest(id=id, alasan=alasan)
        return await payload(info, SkpPayload, info.context.clients.skp.ReturnSkp, request, instansi_id)

    @strawberry.mutation(permission_classes=[IsAdmin], description="An admin puts an SKP back to draft.")
    async def reset_skp(
        self, info: Info, id: strawberry.ID, alasan: str | None = None, instansi_id: InstansiArg = None
    ) -> SkpPayload:
        request = skp_pb2.ResetSkpRequest(id=id, alasan=alasan or "")
        return await payload(info, SkpPayload, info.context.clients.skp.ResetSkp, request, instansi_id)
