"""An SKP and its content: createSkp, updateSkp, deleteSkp, refreshSkpSnapshot, RHK, indikator,
manual indikator, penilai perilaku, lampiran and ekspektasi. Every content change returns the SKP."""

from __future__ import annotations

import datetime
from typing import Annotated

import strawberry

from gateway.api.arguments import InstansiArg
from gateway.api.context import Info
from gateway.api.errors import UserError
from gateway.api.permissions import IsAuthenticated
from gateway.api.protobuf import ClientMutationIdArg, Echoes, ToProto, date_text, payload
from gateway.api.skp.types import (
    Aspek,
    JenisIku,
    JenisPenilai,
    JenisRhk,
    NilaiPerilaku,
    Pendekatan,
    PeriodePelaporan,
    Perspektif,
    Skp,
)
from kinerja.skp.v1 import skp_pb2


@strawberry.type
class SkpPayload(Echoes):
    skp: Skp | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class DeleteSkpPayload:
    deleted_id: strawberry.ID | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input
class RhkInput(ToProto, message=skp_pb2.RhkInput):
    jenis: JenisRhk
    teks: str
    atasan_rhk_id: strawberry.ID | None = strawberry.field(
        default=None, description="JA/JF RHK utama: the atasan's RHK it intervenes."
    )
    tahapan: list[str] = strawberry.field(default_factory=list)


@strawberry.input(description="One value (min = max) or a range, decimal text with a dot.")
class TargetInput(ToProto, message=skp_pb2.Target):
    min: str | None = None
    max: str | None = None
    satuan: str = ""


@strawberry.input
class IndikatorInput(ToProto, message=skp_pb2.IndikatorInput):
    teks: str
    aspek: Aspek | None = strawberry.field(default=None, description="JA/JF indikator.")
    perspektif: Perspektif | None = strawberry.field(default=None, description="JPT indikator.")
    target: TargetInput | None = None


@strawberry.input
class ManualIndikatorInput(ToProto, message=skp_pb2.ManualIndikator):
    deskripsi_rencana_kerja: str = ""
    definisi: str
    formula: str = ""
    tujuan: str = ""
    satuan_pengukuran: str = ""
    jenis_iku: JenisIku | None = None
    penanggung_jawab: str = ""
    penyedia_data: str = ""
    sumber_data: str = ""
    periode_pelaporan: PeriodePelaporan | None = None


@strawberry.input
class LampiranInput(ToProto, message=skp_pb2.Lampiran):
    dukungan_sumber_daya: list[str] = strawberry.field(default_factory=list)
    skema_pertanggungjawaban: list[str] = strawberry.field(default_factory=list)
    konsekuensi: list[str] = strawberry.field(default_factory=list)


@strawberry.type
class SkpMutations:
    # ---- the SKP itself ----

    @strawberry.mutation(
        permission_classes=[IsAuthenticated],
        description="The caller's SKP; with pltId a second one for the unor they lead as PLT/PLH.",
    )
    async def create_skp(
        self,
        info: Info,
        tanggal_mulai: datetime.date,
        tanggal_selesai: datetime.date,
        pendekatan: Pendekatan,
        plt_id: strawberry.ID | None = None,
        instansi_id: InstansiArg = None,
        client_mutation_id: ClientMutationIdArg = None,
    ) -> SkpPayload:
        request = skp_pb2.CreateSkpRequest(
            tanggal_mulai=date_text(tanggal_mulai),
            tanggal_selesai=date_text(tanggal_selesai),
            pendekatan=pendekatan.value,
            plt_id=plt_id or "",
        )
        return await payload(
            info,
            SkpPayload,
            info.context.clients.skp.CreateSkp,
            request,
            instansi_id,
            client_mutation_id=client_mutation_id,
        )

    @strawberry.mutation(permission_classes=[IsAuthenticated])
    async def update_skp(
        self,
        info: Info,
        id: strawberry.ID,
        tanggal_mulai: datetime.date,
        tanggal_selesai: datetime.date,
        pendekatan: Pendekatan,
        expected_version: int = 0,
        instansi_id: InstansiArg = None,
    ) -> SkpPayload:
        request = skp_pb2.UpdateSkpRequest(
            id=id,
            tanggal_mulai=date_text(tanggal_mulai),
            tanggal_selesai=date_text(tanggal_selesai),
            pendekatan=pendekatan.value,
            expected_version=expected_version,
        )
        return await payload(info, SkpPayload, info.context.clients.skp.UpdateSkp, request, instansi_id)

    @strawberry.mutation(permission_classes=[IsAuthenticated])
    async def delete_skp(
        self, info: Info, id: strawberry.ID, instansi_id: InstansiArg = None
    ) -> DeleteSkpPayload:
        request = skp_pb2.DeleteSkpRequest(id=id)
        method = info.context.clients.skp.DeleteSkp
        return await payload(info, DeleteSkpPayload, method, request, instansi_id, result=lambda _: id)

    @strawberry.mutation(
        permission_classes=[IsAuthenticated],
        description="Copies the pegawai, penilai and atasan penilai from org again.",
    )
    async def refresh_skp_snapshot(
        self, info: Info, id: strawberry.ID, instansi_id: InstansiArg = None
    ) -> SkpPayload:
        request = skp_pb2.RefreshSkpSnapshotRequest(id=id)
        method = info.context.clients.skp.RefreshSkpSnapshot
        return await payload(info, SkpPayload, method, request, instansi_id)

    # ---- RHK ----

    @strawberry.mutation(permission_classes=[IsAuthenticated])
    async def add_rhk(
        self,
        info: Info,
        skp_id: strawberry.ID,
        input: RhkInput,
        expected_version: int = 0,
        instansi_id: InstansiArg = None,
        client_mutation_id: ClientMutationIdArg = None,
    ) -> SkpPayload:
        request = skp_pb2.AddRhkRequest(skp_id=skp_id, rhk=input.to_pb(), expected_version=expected_version)
        method = info.context.clients.skp.AddRhk
        return await payload(
            info,
            SkpPayload,
            method,
            request,
            instansi_id,
            rename={"rhk": "input"},
            client_mutation_id=client_mutation_id,
        )

    @strawberry.mutation(permission_classes=[IsAuthenticated])
    async def update_rhk(
        self,
        info: Info,
        skp_id: strawberry.ID,
        rhk_id: strawberry.ID,
        input: RhkInput,
        expected_version: int = 0,
        instansi_id: InstansiArg = None,
    ) -> SkpPayload:
        request = skp_pb2.UpdateRhkRequest(
            skp_id=skp_id, rhk_id=rhk_id, rhk=input.to_pb(), expected_version=expected_version
        )
        method = info.context.clients.skp.UpdateRhk
        return await payload(info, SkpPayload, method, request, instansi_id, rename={"rhk": "input"})

    @strawberry.mutation(permission_classes=[IsAuthenticated])
    async def delete_rhk(
        self,
        info: Info,
        skp_id: strawberry.ID,
        rhk_id: strawberry.ID,
        expected_version: int = 0,
        instansi_id: InstansiArg = None,
    ) -> SkpPayload:
        request = skp_pb2.DeleteRhkRequest(skp_id=skp_id, rhk_id=rhk_id, expected_version=expected_version)
        return await payload(info, SkpPayload, info.context.clients.skp.DeleteRhk, request, instansi_id)

    @strawberry.mutation(
        permission_classes=[IsAuthenticated],
        description="JPT: a sasaran strategis of the caller's perjanjian kinerja becomes an RHK.",
    )
    async def copy_sasaran_to_skp(
        self,
        info: Info,
        skp_id: strawberry.ID,
        sasaran_id: strawberry.ID,
        instansi_id: InstansiArg = None,
        client_mutation_id: ClientMutationIdArg = None,
    ) -> SkpPayload:
        request = skp_pb2.CopySasaranToSkpRequest(skp_id=skp_id, sasaran_id=sasaran_id)
        method = info.context.clients.skp.CopySasaranToSkp
        return await payload(
            info, SkpPayload, method, request, instansi_id, client_mutation_id=client_mutation_id
        )

    @strawberry.mutation(
        permission_classes=[IsAuthenticated],
        description="A peran assigned to the caller in a matriks peran hasil becomes an RHK.",
    )
    async def copy_peran_to_skp(
        self,
        info: Info,
        skp_id: strawberry.ID,
        mph_id: strawberry.ID,
        kolom_id: strawberry.ID,
        instansi_id: InstansiArg = None,
        client_mutation_id: ClientMutationIdArg = None,
    ) -> SkpPayload:
        request = skp_pb2.CopyPeranToSkpRequest(skp_id=skp_id, mph_id=mph_id, kolom_id=kolom_id)
        method = info.context.clients.skp.CopyPeranToSkp
        return await payload(
            info, SkpPayload, method, request, instansi_id, client_mutation_id=client_mutation_id
        )

    # ---- indikator ----

    @strawberry.mutation(permission_classes=[IsAuthenticated])
    async def add_indikator(
        self,
        info: Info,
        skp_id: strawberry.ID,
        rhk_id: strawberry.ID,
        input: IndikatorInput,
        expected_version: int = 0,
        instansi_id: InstansiArg = None,
        client_mutation_id: ClientMutationIdArg = None,
    ) -> SkpPayload:
        request = skp_pb2.AddIndikatorRequest(
            skp_id=skp_id, rhk_id=rhk_id, indikator=input.to_pb(), expected_version=expected_version
        )
        method = info.context.clients.skp.AddIndikator
        return await payload(
            info,
            SkpPayload,
            method,
            request,
            instansi_id,
            rename={"indikator": "input"},
            client_mutation_id=client_mutation_id,
        )

    @strawberry.mutation(permission_classes=[IsAuthenticated])
    async def update_indikator(
        self,
        info: Info,
        skp_id: strawberry.ID,
        indikator_id: strawberry.ID,
        input: IndikatorInput,
        expected_version: int = 0,
        instansi_id: InstansiArg = None,
    ) -> SkpPayload:
        request = skp_pb2.UpdateIndikatorRequest(
            skp_id=skp_id,
            indikator_id=indikator_id,
            indikator=input.to_pb(),
            expected_version=expected_version,
        )
        method = info.context.clients.skp.UpdateIndikator
        return await payload(info, SkpPayload, method, request, instansi_id, rename={"indikator": "input"})

    @strawberry.mutation(permission_classes=[IsAuthenticated])
    async def delete_indikator(
        self,
        info: Info,
        skp_id: strawberry.ID,
        indikator_id: strawberry.ID,
        expected_version: int = 0,
        instansi_id: InstansiArg = None,
    ) -> SkpPayload:
        request = skp_pb2.DeleteIndikatorRequest(
            skp_id=skp_id, indikator_id=indikator_id, expected_version=expected_version
        )
        method = info.context.clients.skp.DeleteIndikator
        return await payload(info, SkpPayload, method, request, instansi_id)

    @strawberry.mutation(permission_classes=[IsAuthenticated], description="The manual of a JPT indikator.")
    async def set_manual_indikator(
        self,
        info: Info,
        skp_id: strawberry.ID,
        indikator_id: strawberry.ID,
        input: ManualIndikatorInput,
        instansi_id: InstansiArg = None,
    ) -> SkpPayload:
        request = skp_pb2.SetManualIndikatorRequest(
            skp_id=skp_id, indikator_id=indikator_id, manual=input.to_pb()
        )
        method = info.context.clients.skp.SetManualIndikator
        return await payload(info, SkpPayload, method, request, instansi_id, rename={"manual": "input"})

    # ---- perilaku and lampiran ----

    @strawberry.mutation(
        permission_classes=[IsAuthenticated],
        description="Who gives feedback on a perilaku; for ATASAN no penilaiPegawaiId means the pejabat penilai.",
    )
    async def set_penilai_perilaku(
        self,
        info: Info,
        skp_id: strawberry.ID,
        nilai: NilaiPerilaku,
        penilai_jenis: JenisPenilai,
        penilai_pegawai_id: strawberry.ID | None = None,
        instansi_id: InstansiArg = None,
    ) -> SkpPayload:
        request = skp_pb2.SetPenilaiPerilakuRequest(
            skp_id=skp_id,
            nilai=nilai.value,
            penilai_jenis=penilai_jenis.value,
            penilai_pegawai_id=penilai_pegawai_id or "",
        )
        method = info.context.clients.skp.SetPenilaiPerilaku
        return await payload(info, SkpPayload, method, request, instansi_id)

    @strawberry.mutation(permission_classes=[IsAuthenticated], description="Replaces the whole lampiran.")
    async def set_lampiran(
        self, info: Info, skp_id: strawberry.ID, input: LampiranInput, instansi_id: InstansiArg = None
    ) -> SkpPayload:
        request = skp_pb2.SetLampiranRequest(skp_id=skp_id, lampiran=input.to_pb())
        method = info.context.clients.skp.SetLampiran
        return await payload(info, SkpPayload, method, request, instansi_id, rename={"lampiran": "input"})

    @strawberry.mutation(
        permission_classes=[IsAuthenticated],
        description="Ekspektasi khusus pimpinan, by the pejabat penilai (or the owner of a mandiri SKP).",
    )
    async def set_ekspektasi(
        self,
        info: Info,
        skp_id: strawberry.ID,
        nilai: NilaiPerilaku,
        ekspektasi: Annotated[str | None, strawberry.argument(description="Null or empty clears it.")] = None,
        instansi_id: InstansiArg = None,
    ) -> SkpPayload:
        request = skp_pb2.SetEkspektasiRequest(skp_id=skp_id, nilai=nilai.value, ekspektasi=ekspektasi or "")
        method = info.context.clients.skp.SetEkspektasi
        return await payload(info, SkpPayload, method, request, instansi_id)
