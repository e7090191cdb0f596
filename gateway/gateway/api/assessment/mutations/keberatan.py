"""Keberatan: fileKeberatan (the pegawai), explainKeberatan (the pejabat penilai), decideKeberatan (the
atasan pejabat penilai). Windows and who may answer are the service's rules."""

from __future__ import annotations

import strawberry

from gateway.api.arguments import InstansiArg
from gateway.api.assessment.mutations.penilaian import rating_value
from gateway.api.assessment.types import Keberatan, Rating
from gateway.api.context import Info
from gateway.api.errors import UserError
from gateway.api.permissions import IsAuthenticated
from gateway.api.protobuf import ClientMutationIdArg, Echoes, payload
from kinerja.assessment.v1 import assessment_pb2


@strawberry.type
class KeberatanPayload(Echoes):
    keberatan: Keberatan | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class KeberatanMutations:
    @strawberry.mutation(
        permission_classes=[IsAuthenticated],
        description=(
            "The owner of a rated penilaian objects, with the ratings asked for (one at least differing). "
            "Filed after the window it is kept as TERLAMBAT."
        ),
    )
    async def file_keberatan(
        self,
        info: Info,
        penilaian_id: strawberry.ID,
        alasan: str,
        rating_hasil_kerja: Rating | None = None,
        rating_perilaku_kerja: Rating | None = None,
        instansi_id: InstansiArg = None,
        client_mutation_id: ClientMutationIdArg = None,
    ) -> KeberatanPayload:
        request = assessment_pb2.FileKeberatanRequest(
            penilaian_id=penilaian_id,
            alasan=alasan,
            rating_hasil_kerja=rating_value(rating_hasil_kerja),
            rating_perilaku_kerja=rating_value(rating_perilaku_kerja),
        )
        return await payload(
            info,
            KeberatanPayload,
            info.context.clients.assessment.FileKeberatan,
            request,
            instansi_id,
            client_mutation_id=client_mutation_id,
        )

    @strawberry.mutation(
        permission_classes=[IsAuthenticated],
        description="The pejabat penilai of today explains the predikat.",
    )
    async def explain_keberatan(
        self, info: Info, id: strawberry.ID, penjelasan: str, instansi_id: InstansiArg = None
    ) -> KeberatanPayload:
        request = assessment_pb2.ExplainKeberatanRequest(id=id, penjelasan=penjelasan)
        method = info.context.clients.assessment.ExplainKeberatan
        return await payload(info, KeberatanPayload, method, request, instansi_id)

    @strawberry.mutation(
        permission_classes=[IsAuthenticated],
        description=(
            "The atasan pejabat penilai of today decides, after the explanation: approved with new ratings "
            "(default: those asked), which change the predikat; or rejected."
        ),
    )
    async def decide_keberatan(
        self,
        info: Info,
        id: strawberry.ID,
        disetujui: bool,
        keputusan: str,
        rating_hasil_kerja: Rating | None = None,
        rating_perilaku_kerja: Rating | None = None,
        instansi_id: InstansiArg = None,
    ) -> KeberatanPayload:
        request = assessment_pb2.DecideKeberatanRequest(
            id=id,
            disetujui=disetujui,
            keputusan=keputusan,
            rating_hasil_kerja=rating_value(rating_hasil_kerja),
            rating_perilaku_kerja=rating_value(rating_perilaku_kerja),
        )
        method = info.context.clients.assessment.DecideKeberatan
        return await payload(info, KeberatanPayload, method, request, instansi_id)
