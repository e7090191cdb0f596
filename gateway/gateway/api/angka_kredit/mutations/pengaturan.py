"""The instansi's SK PAK numbering (admin): aturPengaturanPak. The format's placeholders are the
service's rule (FORMAT_NOMOR_TIDAK_SAH)."""

from __future__ import annotations

import strawberry

from gateway.api.angka_kredit.types import ModePenomoran, PengaturanPak
from gateway.api.arguments import InstansiArg
from gateway.api.assessment.mutations.penilaian import ExpectedVersionArg
from gateway.api.context import Info
from gateway.api.errors import UserError
from gateway.api.permissions import IsAdmin
from gateway.api.protobuf import Echoes, payload
from kinerja.angka_kredit.v1 import angka_kredit_pb2


@strawberry.type
class PengaturanPakPayload(Echoes):
    pengaturan: PengaturanPak | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class PengaturanPakMutations:
    @strawberry.mutation(
        permission_classes=[IsAdmin],
        description=(
            "Sets the numbering of SK PAK (OTOMATIS with a format, or MANUAL) and the default tempat "
            "penandatangan (admin instansi)."
        ),
    )
    async def atur_pengaturan_pak(
        self,
        info: Info,
        mode: ModePenomoran,
        format_nomor: str | None = None,
        tempat: str | None = None,
        expected_version: ExpectedVersionArg = 0,
        instansi_id: InstansiArg = None,
    ) -> PengaturanPakPayload:
        request = angka_kredit_pb2.SetPengaturanRequest(
            mode=mode.value,
            format_nomor=format_nomor or "",
            tempat=tempat or "",
            expected_version=expected_version,
        )
        method = info.context.clients.angka_kredit.SetPengaturan
        return await payload(info, PengaturanPakPayload, method, request, instansi_id)
