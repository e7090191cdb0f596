"""A penilaian: openPenilaian, setRealisasi, setFeedbackPerilaku, setUmpanBalik, ratePenilaian, and the
admin's extendBatas. Every change returns the whole penilaian; the rules live in the service."""

from __future__ import annotations

import datetime
from typing import Annotated

import strawberry

from gateway.api.arguments import InstansiArg
from gateway.api.assessment.types import Penilaian, PerpanjanganBatas, Rating
from gateway.api.context import Info
from gateway.api.errors import UserError
from gateway.api.permissions import IsAdmin, IsAuthenticated
from gateway.api.protobuf import ClientMutationIdArg, Echoes, ToProto, date_text, payload
from gateway.api.skp.types import NilaiPerilaku
from kinerja.assessment.v1 import assessment_pb2
from kinerja.skp.v1 import skp_pb2


def rating_value(value: Rating | None) -> assessment_pb2.Rating.ValueType:
    """The proto number of a rating; UNSPECIFIED when left out."""
    return value.value if value is not None else assessment_pb2.RATING_UNSPECIFIED


ExpectedVersionArg = Annotated[
    int,
    strawberry.argument(
        description="The version the change is based on (VERSION_CONFLICT when stale); 0: any."
    ),
]


@strawberry.type
class PenilaianPayload(Echoes):
    penilaian: Penilaian | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class PerpanjanganBatasPayload(Echoes):
    perpanjangan: PerpanjanganBatas | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input(description="A link to evidence: a name and an http(s) URL.")
class BuktiDukungInput(ToProto, message=assessment_pb2.BuktiDukungInput):
    nama: str
    url: str


@strawberry.input(description="Realisasi of one indikator: a value (kuantitatif) or a text (kualitatif).")
class RealisasiInput(ToProto, message=assessment_pb2.RealisasiInput):
    nilai: str | None = strawberry.field(
        default=None, description="Decimal text (Indonesian convention accepted); kuantitatif."
    )
    satuan: str | None = strawberry.field(default=None, description="Default: the target's.")
    teks: str | None = strawberry.field(default=None, description="Kualitatif realisasi.")
    keterangan: str | None = None
    bukti_dukung: list[BuktiDukungInput] = strawberry.field(
        default_factory=list, description="The whole list of links (at most 10)."
    )


@strawberry.type
class PenilaianMutations:
    @strawberry.mutation(
        permission_classes=[IsAuthenticated],
        description="The SKP's owner opens its penilaian for a periode once the SKP is ready for it.",
    )
    async def open_penilaian(
        self,
        info: Info,
        skp_id: strawberry.ID,
        periode_id: strawberry.ID,
        instansi_id: InstansiArg = None,
        client_mutation_id: ClientMutationIdArg = None,
    ) -> PenilaianPayload:
        request = assessment_pb2.OpenPenilaianRequest(skp_id=skp_id, periode_id=periode_id)
        return await payload(
            info,
            PenilaianPayload,
            info.context.clients.assessment.OpenPenilaian,
            request,
            instansi_id,
            client_mutation_id=client_mutation_id,
        )

    @strawberry.mutation(
        permission_classes=[IsAuthenticated],
        description="The owner enters the realisasi of an indikator with its bukti dukung, until the batas.",
    )
    async def set_realisasi(
        self,
        info: Info,
        penilaian_id: strawberry.ID,
        indikator_id: strawberry.ID,
        input: RealisasiInput,
        expected_version: ExpectedVersionArg = 0,
        instansi_id: InstansiArg = None,
    ) -> PenilaianPayload:
        request = assessment_pb2.SetRealisasiRequest(
            penilaian_id=penilaian_id,
            indikator_id=indikator_id,
            realisasi=input.to_pb(),
            expected_version=expected_version,
        )
        method = info.context.clients.assessment.SetRealisasi
        return await payload(
            info, PenilaianPayload, method, request, instansi_id, rename={"realisasi": "input"}
        )

    @strawberry.mutation(
        permission_classes=[IsAuthenticated],
        description="A chosen penilai perilaku (atasan, rekan or bawahan) gives feedback on their value.",
    )
    async def set_feedback_perilaku(
        self,
        info: Info,
        penilaian_id: strawberry.ID,
        nilai: NilaiPerilaku,
        feedback: str,
        instansi_id: InstansiArg = None,
    ) -> PenilaianPayload:
        request = assessment_pb2.SetFeedbackPerilakuRequest(
            penilaian_id=penilaian_id, nilai=nilai.value, feedback=feedback
        )
        method = info.context.clients.assessment.SetFeedbackPerilaku
        return await payload(info, PenilaianPayload, method, request, instansi_id)

    @strawberry.mutation(
        permission_classes=[IsAuthenticated],
        description="The pejabat penilai of today gives umpan balik on an indikator or a perilaku value (one of the two).",
    )
    async def set_umpan_balik(
        self,
        info: Info,
        penilaian_id: strawberry.ID,
        umpan_balik: str,
        indikator_id: strawberry.ID | None = None,
        nilai: NilaiPerilaku | None = None,
        instansi_id: InstansiArg = None,
    ) -> PenilaianPayload:
        request = assessment_pb2.SetUmpanBalikRequest(
            penilaian_id=penilaian_id,
            indikator_id=indikator_id or "",
            nilai=nilai.value if nilai else skp_pb2.NILAI_PERILAKU_UNSPECIFIED,
            umpan_balik=umpan_balik,
        )
        method = info.context.clients.assessment.SetUmpanBalik
        return await payload(info, PenilaianPayload, method, request, instansi_id)

    @strawberry.mutation(
        permission_classes=[IsAuthenticated],
        description=(
            "The pejabat penilai of today rates; the predikat follows from the matrix in force. For the head "
            "of a JPT/mandiri unit leave ratingHasilKerja out: the unit's capaian gives it."
        ),
    )
    async def rate_penilaian(
        self,
        info: Info,
        penilaian_id: strawberry.ID,
        rating_perilaku_kerja: Rating,
        rating_hasil_kerja: Rating | None = None,
        expected_version: ExpectedVersionArg = 0,
        instansi_id: InstansiArg = None,
    ) -> PenilaianPayload:
        request = assessment_pb2.RatePenilaianRequest(
            penilaian_id=penilaian_id,
            rating_hasil_kerja=rating_value(rating_hasil_kerja),
            rating_perilaku_kerja=rating_perilaku_kerja.value,
            expected_version=expected_version,
        )
        method = info.context.clients.assessment.RatePenilaian
        return await payload(info, PenilaianPayload, method, request, instansi_id)

    @strawberry.mutation(
        permission_classes=[IsAdmin],
        description="An admin extends a periode's batas pengisian for one pegawai or one unit (exactly one).",
    )
    async def extend_batas(
        self,
        info: Info,
        periode_id: strawberry.ID,
        tahun: int,
        batas_baru: datetime.date,
        alasan: str,
        pegawai_id: strawberry.ID | None = None,
        unor_id: strawberry.ID | None = None,
        instansi_id: InstansiArg = None,
        client_mutation_id: ClientMutationIdArg = None,
    ) -> PerpanjanganBatasPayload:
        request = assessment_pb2.ExtendBatasRequest(
            periode_id=periode_id,
            tahun=tahun,
            pegawai_id=pegawai_id or "",
            unor_id=unor_id or "",
            batas_baru=date_text(batas_baru),
            alasan=alasan,
        )
        return await payload(
            info,
            PerpanjanganBatasPayload,
            info.context.clients.assessment.ExtendBatas,
            request,
            instansi_id,
            client_mutation_id=client_mutation_id,
        )
