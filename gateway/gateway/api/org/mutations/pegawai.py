"""createPegawai, updatePegawai, removePegawai and addJptNonAsn: admins manage their pegawai."""

from __future__ import annotations

import datetime

import strawberry

from gateway.api.arguments import InstansiArg
from gateway.api.context import Info
from gateway.api.errors import UserError, attempt
from gateway.api.org.types import JenisJabatan, Pegawai, date_text
from gateway.api.permissions import IsAdmin
from gateway.clients import call
from kinerja.org.v1 import org_pb2

RENAME = {"pegawai": "input"}


@strawberry.input
class JabatanInput:
    nama: str
    jenis: JenisJabatan
    jenjang: str = strawberry.field(default="", description="JF jenjang; only for FUNGSIONAL.")


@strawberry.input
class PegawaiInput:
    nip: str
    nama: str
    unor_id: strawberry.ID
    pimpinan: bool = False
    jabatan: JabatanInput
    golongan: str = ""
    pangkat: str = ""
    tmt_jabatan: datetime.date | None = None

    def to_pb(self) -> org_pb2.PegawaiInput:
        jabatan = self.jabatan
        return org_pb2.PegawaiInput(
            nip=self.nip,
            nama=self.nama,
            unor_id=str(self.unor_id),
            pimpinan=self.pimpinan,
            jabatan=org_pb2.Jabatan(nama=jabatan.nama, jenis=jabatan.jenis.value, jenjang=jabatan.jenjang),
            golongan=self.golongan,
            pangkat=self.pangkat,
            tmt_jabatan=date_text(self.tmt_jabatan),
        )


@strawberry.input
class JptNonAsnInput:
    nik: str = strawberry.field(description="16-digit NIK.")
    nama: str
    unor_id: strawberry.ID
    jabatan: str
    tmt_jabatan: datetime.date | None = None


@strawberry.type
class PegawaiPayload:
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
        self, info: Info, input: PegawaiInput, instansi_id: InstansiArg = None
    ) -> PegawaiPayload:
        request = org_pb2.CreatePegawaiRequest(pegawai=input.to_pb())
        pb, errors = await attempt(
            lambda: call(info.context.clients.org.CreatePegawai, request, info.context.caller(instansi_id)),
            RENAME,
        )
        return PegawaiPayload(pegawai=Pegawai.from_pb(pb, info.context) if pb else None, errors=errors)

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
            id=str(id), pegawai=input.to_pb(), expected_version=expected_version
        )
        pb, errors = await attempt(
            lambda: call(info.context.clients.org.UpdatePegawai, request, info.context.caller(instansi_id)),
            RENAME,
        )
        return PegawaiPayload(pegawai=Pegawai.from_pb(pb, info.context) if pb else None, errors=errors)

    @strawberry.mutation(
        permission_classes=[IsAdmin], description="Removes a pegawai; their account is disabled."
    )
    async def remove_pegawai(
        self, info: Info, id: strawberry.ID, instansi_id: InstansiArg = None
    ) -> RemovePegawaiPayload:
        request = org_pb2.RemovePegawaiRequest(id=str(id))
        done, errors = await attempt(
            lambda: call(info.context.clients.org.RemovePegawai, request, info.context.caller(instansi_id))
        )
        return RemovePegawaiPayload(removed_id=id if done is not None else None, errors=errors)

    @strawberry.mutation(permission_classes=[IsAdmin], description="Adds a JPT non-ASN (by NIK).")
    async def add_jpt_non_asn(
        self, info: Info, input: JptNonAsnInput, instansi_id: InstansiArg = None
    ) -> PegawaiPayload:
        request = org_pb2.AddJptNonAsnRequest(
            nik=input.nik,
            nama=input.nama,
            unor_id=str(input.unor_id),
            jabatan=input.jabatan,
            tmt_jabatan=date_text(input.tmt_jabatan),
        )
        rename = {f: f"input.{f}" for f in ("nik", "nama", "unor_id", "jabatan", "tmt_jabatan")}
        pb, errors = await attempt(
            lambda: call(info.context.clients.org.AddJptNonAsn, request, info.context.caller(instansi_id)),
            rename,
        )
        return PegawaiPayload(pegawai=Pegawai.from_pb(pb, info.context) if pb else None, errors=errors)
