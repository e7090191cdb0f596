"""An SKP and its content: createSkp, updateSkp, deleteSkp, refreshSkpSnapshot, RHK, indikator,
manual indikator, penilai perilaku, lampiran and ekspektasi. Every content change returns the SKP."""

from __future__ import annotations

import datetime
from collections.abc import Awaitable, Callable, Mapping
from typing import Annotated

import strawberry
from google.protobuf.message import Message

from gateway.api.arguments import InstansiArg
from gateway.api.context import Info
from gateway.api.errors import UserError, attempt
from gateway.api.org.types import date_text
from gateway.api.permissions import IsAuthenticated
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
from gateway.clients import call
from kinerja.skp.v1 import skp_pb2


@strawberry.type
class SkpPayload:
    skp: Skp | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class DeleteSkpPayload:
    deleted_id: strawberry.ID | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


async def skp_payload(
    info: Info,
    method: Callable[..., Awaitable[skp_pb2.Skp]],
    request: Message,
    instansi_id: str | None,
    rename: Mapping[str, str] | None = None,
) -> SkpPayload:
    """Calls an RPC answering with the SKP; a domain error becomes UserErrors."""
    pb, errors = await attempt(lambda: call(method, request, info.context.caller(instansi_id)), rename)
    return SkpPayload(skp=Skp.from_pb(pb) if pb is not None else None, errors=errors)


@strawberry.input
class RhkInput:
    jenis: JenisRhk
    teks: str
    atasan_rhk_id: strawberry.ID | None = strawberry.field(
        default=None, description="JA/JF RHK utama: the atasan's RHK it intervenes."
    )
    tahapan: list[str] = strawberry.field(default_factory=list)

    def to_pb(self) -> skp_pb2.RhkInput:
        return skp_pb2.RhkInput(
            jenis=self.jenis.value,
            teks=self.teks,
            atasan_rhk_id=str(self.atasan_rhk_id or ""),
            tahapan=self.tahapan,
        )


@strawberry.input(description="One value (min = max) or a range, decimal text with a dot.")
class TargetInput:
    min: str | None = None
    max: str | None = None
    satuan: str = ""

    def to_pb(self) -> skp_pb2.Target:
        return skp_pb2.Target(min=self.min or "", max=self.max or "", satuan=self.satuan)


@strawberry.input
class IndikatorInput:
    teks: str
    aspek: Aspek | None = strawberry.field(default=None, description="JA/JF indikator.")
    perspektif: Perspektif | None = strawberry.field(default=None, description="JPT indikator.")
    target: TargetInput | None = None

    def to_pb(self) -> skp_pb2.IndikatorInput:
        return skp_pb2.IndikatorInput(
            teks=self.teks,
            aspek=self.aspek.value if self.aspek else skp_pb2.ASPEK_UNSPECIFIED,
            perspektif=self.perspektif.value if self.perspektif else skp_pb2.PERSPEKTIF_UNSPECIFIED,
            target=self.target.to_pb() if self.target is not None else None,
        )


@strawberry.input
class ManualIndikatorInput:
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

    def to_pb(self) -> skp_pb2.ManualIndikator:
        return skp_pb2.ManualIndikator(
            deskripsi_rencana_kerja=self.deskripsi_rencana_kerja,
            definisi=self.definisi,
            formula=self.formula,
            tujuan=self.tujuan,
            satuan_pengukuran=self.satuan_pengukuran,
            jenis_iku=self.jenis_iku.value if self.jenis_iku else skp_pb2.JENIS_IKU_UNSPECIFIED,
            penanggung_jawab=self.penanggung_jawab,
            penyedia_data=self.penyedia_data,
            sumber_data=self.sumber_data,
            periode_pelaporan=self.periode_pelaporan.value
            if self.periode_pelaporan
            else skp_pb2.PERIODE_PELAPORAN_UNSPECIFIED,
        )


@strawberry.input
class LampiranInput:
    dukungan_sumber_daya: list[str] = strawberry.field(default_factory=list)
    skema_pertanggungjawaban: list[str] = strawberry.field(default_factory=list)
    konsekuensi: list[str] = strawberry.field(default_factory=list)

    def to_pb(self) -> skp_pb2.Lampiran:
        return skp_pb2.Lampiran(
            dukungan_sumber_daya=self.dukungan_sumber_daya,
            skema_pertanggungjawaban=self.skema_pertanggungjawaban,
            konsekuensi=self.konsekuensi,
        )


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
    ) -> SkpPayload:
        request = skp_pb2.CreateSkpRequest(
            tanggal_mulai=date_text(tanggal_mulai),
            tanggal_selesai=date_text(tanggal_selesai),
            pendekatan=pendekatan.value,
            plt_id=str(plt_id or ""),
        )
        return await skp_payload(info, info.context.clients.skp.CreateSkp, request, instansi_id)

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
            id=str(id),
            tanggal_mulai=date_text(tanggal_mulai),
            tanggal_selesai=date_text(tanggal_selesai),
            pendekatan=pendekatan.value,
            expected_version=expected_version,
        )
        return await skp_payload(info, info.context.clients.skp.UpdateSkp, request, instansi_id)

    @strawberry.mutation(permission_classes=[IsAuthenticated])
    async def delete_skp(
        self, info: Info, id: strawberry.ID, instansi_id: InstansiArg = None
    ) -> DeleteSkpPayload:
        request = skp_pb2.DeleteSkpRequest(id=str(id))
        done, errors = await attempt(
            lambda: call(info.context.clients.skp.DeleteSkp, request, info.context.caller(instansi_id))
        )
        return DeleteSkpPayload(deleted_id=id if done is not None else None, errors=errors)

    @strawberry.mutation(
        permission_classes=[IsAuthenticated],
        description="Copies the pegawai, penilai and atasan penilai from org again.",
    )
    async def refresh_skp_snapshot(
        self, info: Info, id: strawberry.ID, instansi_id: InstansiArg = None
    ) -> SkpPayload:
        request = skp_pb2.RefreshSkpSnapshotRequest(id=str(id))
        return await skp_payload(info, info.context.clients.skp.RefreshSkpSnapshot, request, instansi_id)

    # ---- RHK ----

    @strawberry.mutation(permission_classes=[IsAuthenticated])
    async def add_rhk(
        self,
        info: Info,
        skp_id: strawberry.ID,
        input: RhkInput,
        expected_version: int = 0,
        instansi_id: InstansiArg = None,
    ) -> SkpPayload:
        request = skp_pb2.AddRhkRequest(
            skp_id=str(skp_id), rhk=input.to_pb(), expected_version=expected_version
        )
        return await skp_payload(
            info, info.context.clients.skp.AddRhk, request, instansi_id, {"rhk": "input"}
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
            skp_id=str(skp_id), rhk_id=str(rhk_id), rhk=input.to_pb(), expected_version=expected_version
        )
        return await skp_payload(
            info, info.context.clients.skp.UpdateRhk, request, instansi_id, {"rhk": "input"}
        )

    @strawberry.mutation(permission_classes=[IsAuthenticated])
    async def delete_rhk(
        self,
        info: Info,
        skp_id: strawberry.ID,
        rhk_id: strawberry.ID,
        expected_version: int = 0,
        instansi_id: InstansiArg = None,
    ) -> SkpPayload:
        request = skp_pb2.DeleteRhkRequest(
            skp_id=str(skp_id), rhk_id=str(rhk_id), expected_version=expected_version
        )
        return await skp_payload(info, info.context.clients.skp.DeleteRhk, request, instansi_id)

    @strawberry.mutation(
        permission_classes=[IsAuthenticated],
        description="JPT: a sasaran strategis of the caller's perjanjian kinerja becomes an RHK.",
    )
    async def copy_sasaran_to_skp(
        self, info: Info, skp_id: strawberry.ID, sasaran_id: strawberry.ID, instansi_id: InstansiArg = None
    ) -> SkpPayload:
        request = skp_pb2.CopySasaranToSkpRequest(skp_id=str(skp_id), sasaran_id=str(sasaran_id))
        return await skp_payload(info, info.context.clients.skp.CopySasaranToSkp, request, instansi_id)

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
    ) -> SkpPayload:
        request = skp_pb2.CopyPeranToSkpRequest(
            skp_id=str(skp_id), mph_id=str(mph_id), kolom_id=str(kolom_id)
        )
        return await skp_payload(info, info.context.clients.skp.CopyPeranToSkp, request, instansi_id)

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
    ) -> SkpPayload:
        request = skp_pb2.AddIndikatorRequest(
            skp_id=str(skp_id), rhk_id=str(rhk_id), indikator=input.to_pb(), expected_version=expected_version
        )
        return await skp_payload(
            info, info.context.clients.skp.AddIndikator, request, instansi_id, {"indikator": "input"}
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
            skp_id=str(skp_id),
            indikator_id=str(indikator_id),
            indikator=input.to_pb(),
            expected_version=expected_version,
        )
        return await skp_payload(
            info, info.context.clients.skp.UpdateIndikator, request, instansi_id, {"indikator": "input"}
        )

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
            skp_id=str(skp_id), indikator_id=str(indikator_id), expected_version=expected_version
        )
        return await skp_payload(info, info.context.clients.skp.DeleteIndikator, request, instansi_id)

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
            skp_id=str(skp_id), indikator_id=str(indikator_id), manual=input.to_pb()
        )
        return await skp_payload(
            info, info.context.clients.skp.SetManualIndikator, request, instansi_id, {"manual": "input"}
        )

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
            skp_id=str(skp_id),
            nilai=nilai.value,
            penilai_jenis=penilai_jenis.value,
            penilai_pegawai_id=str(penilai_pegawai_id or ""),
        )
        return await skp_payload(info, info.context.clients.skp.SetPenilaiPerilaku, request, instansi_id)

    @strawberry.mutation(permission_classes=[IsAuthenticated], description="Replaces the whole lampiran.")
    async def set_lampiran(
        self, info: Info, skp_id: strawberry.ID, input: LampiranInput, instansi_id: InstansiArg = None
    ) -> SkpPayload:
        request = skp_pb2.SetLampiranRequest(skp_id=str(skp_id), lampiran=input.to_pb())
        return await skp_payload(
            info, info.context.clients.skp.SetLampiran, request, instansi_id, {"lampiran": "input"}
        )

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
        request = skp_pb2.SetEkspektasiRequest(
            skp_id=str(skp_id), nilai=nilai.value, ekspektasi=ekspektasi or ""
        )
        return await skp_payload(info, info.context.clients.skp.SetEkspektasi, request, instansi_id)
