"""A PAK: ajukanPak (the pegawai or the admin), setujuiPak and tandatanganiPak (the pejabat penilai of
today or the admin), and the admin's unggahSkPak, kembalikanPakKeDraft and catatIntegrasiAngkaKredit.
Every change returns the whole PAK; the workflow's rules live in the service.

Checked here before any call, with the kit's rules: the uploaded SK's size (on its base64 text, before
decoding it, then on the bytes) and the AK of an integrasi (kit numbers: 4 integer and 4 fraction
digits, more than 0, Indonesian decimal comma accepted) and its year (kit fields).
"""

from __future__ import annotations

import base64
import binascii
import datetime
from zoneinfo import ZoneInfo

import strawberry

from gateway.api.angka_kredit.types import Pak
from gateway.api.arguments import InstansiArg
from gateway.api.assessment.mutations.penilaian import ExpectedVersionArg
from gateway.api.context import Info
from gateway.api.errors import UserError, camel_path
from gateway.api.permissions import IsAdmin, IsAuthenticated
from gateway.api.protobuf import ClientMutationIdArg, Echoes, ToProto, date_text, payload
from kinerja.angka_kredit.v1 import angka_kredit_pb2
from kinerja_kit import fields, numbers
from kinerja_kit.errors import DomainError, FieldViolation, Violations

ZONE = ZoneInfo("Asia/Jakarta")

SK_MAX_BYTES = 1_048_576
"""The largest SK PDF (1 MB), as the service keeps it (BERKAS_TERLALU_BESAR)."""
SK_MAX_BASE64 = 4 * -(-SK_MAX_BYTES // 3)
"""The longest base64 text of an SK of SK_MAX_BYTES: a longer one is refused before it is decoded."""

BERKAS_TERLALU_BESAR = "BERKAS_TERLALU_BESAR"
BERKAS_BUKAN_BASE64 = "BERKAS_BUKAN_BASE64"

ANGKA_KREDIT = numbers.DecimalSpec("Angka kredit", integer_digits=4, scale=4)


@strawberry.type
class PakPayload(Echoes):
    pak: Pak | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


def _refused(violations: list[FieldViolation]) -> PakPayload:
    return PakPayload(
        errors=[UserError(field=camel_path(v.field), code=v.code, message=v.message) for v in violations]
    )


def decode_berkas(berkas: str, path: str = "berkas") -> bytes:
    """The SK's bytes from its base64 text: its size is checked on the text first (nothing decoded when
    it is too large), then on the bytes. Raises InvalidArgument with BERKAS_TERLALU_BESAR or
    BERKAS_BUKAN_BASE64 at `path`."""
    if len(berkas) > SK_MAX_BASE64:
        raise fields.refuse(path, BERKAS_TERLALU_BESAR, "Ukuran berkas paling besar 1 MB.")
    try:
        content = base64.b64decode(berkas, validate=True)
    except (binascii.Error, ValueError):
        raise fields.refuse(path, BERKAS_BUKAN_BASE64, "Berkas harus dikirim sebagai teks base64.") from None
    if len(content) > SK_MAX_BYTES:
        raise fields.refuse(path, BERKAS_TERLALU_BESAR, "Ukuran berkas paling besar 1 MB.")
    return content


@strawberry.input(description="AK carried over from before PermenPAN-RB 1/2023, with its source document.")
class IntegrasiInput(ToProto, message=angka_kredit_pb2.CatatIntegrasiRequest):
    pegawai_id: strawberry.ID
    tahun: int = strawberry.field(
        description="The year the AK is recorded for (its tanggal selesai: 31 Desember)."
    )
    angka_kredit: str = strawberry.field(
        description='Decimal text, Indonesian convention accepted ("45,125"), more than 0, at most 4 decimals.'
    )
    dokumen_sumber: str = strawberry.field(
        description="The source document, e.g. the number of the last PAK under the old rules (1-200 characters)."
    )
    keterangan: str | None = strawberry.field(default=None, description="A note (at most 500 characters).")
    golongan: str | None = strawberry.field(
        default=None,
        description="The golongan the AK counts for in kenaikan pangkat (default: the pegawai's today).",
    )


def integrasi_violations(given: IntegrasiInput, today: datetime.date) -> list[FieldViolation]:
    """What the kit's rules refuse in an integrasi, as the service would, paths under `input`."""
    found = Violations()
    if not str(given.pegawai_id).strip():
        found.add("input.pegawai_id", "REQUIRED", "Pegawai wajib dipilih.")
    else:
        fields.reference(found, "input.pegawai_id", "ID pegawai", str(given.pegawai_id))
    fields.tahun(given.tahun, today, path="input.tahun", violations=found)
    if not given.angka_kredit.strip():
        found.add("input.angka_kredit", "REQUIRED", "Angka kredit wajib diisi.")
    else:
        value = numbers.parse(found, "input.angka_kredit", ANGKA_KREDIT, given.angka_kredit)
        if value is not None and value <= 0:
            found.add("input.angka_kredit", "TOO_SMALL", "Angka kredit harus lebih dari 0.")
    fields.text(
        found, "input.dokumen_sumber", "Dokumen sumber", given.dokumen_sumber, max_len=200, required=True
    )
    fields.text(found, "input.keterangan", "Keterangan", given.keterangan or "", max_len=500)
    return found.items


# The service names the request's fields; the client sent them inside `input`.
_INTEGRASI_PATHS = {
    name: f"input.{name}" for name in angka_kredit_pb2.CatatIntegrasiRequest.DESCRIPTOR.fields_by_name
}


@strawberry.type
class PakMutations:
    @strawberry.mutation(
        permission_classes=[IsAuthenticated],
        description=(
            "The pegawai (or the admin) submits a draft PAK: the SK number in manual numbering (refused in "
            "automatic), the tempat penandatangan (default the instansi's) and the tanggal SK."
        ),
    )
    async def ajukan_pak(
        self,
        info: Info,
        id: strawberry.ID,
        tanggal_sk: datetime.date,
        nomor_sk: str | None = None,
        tempat: str | None = None,
        expected_version: ExpectedVersionArg = 0,
        instansi_id: InstansiArg = None,
    ) -> PakPayload:
        request = angka_kredit_pb2.AjukanPakRequest(
            id=id,
            nomor_sk=nomor_sk or "",
            tempat=tempat or "",
            tanggal_sk=date_text(tanggal_sk),
            expected_version=expected_version,
        )
        method = info.context.clients.angka_kredit.AjukanPak
        return await payload(info, PakPayload, method, request, instansi_id)

    @strawberry.mutation(
        permission_classes=[IsAuthenticated],
        description=(
            "The pejabat penilai of today (or the admin) approves a submitted PAK; in automatic numbering "
            "it gets its SK number now (the next of the instansi and year, no gaps)."
        ),
    )
    async def setujui_pak(
        self,
        info: Info,
        id: strawberry.ID,
        expected_version: ExpectedVersionArg = 0,
        instansi_id: InstansiArg = None,
    ) -> PakPayload:
        request = angka_kredit_pb2.SetujuiPakRequest(id=id, expected_version=expected_version)
        method = info.context.clients.angka_kredit.SetujuiPak
        return await payload(info, PakPayload, method, request, instansi_id)

    @strawberry.mutation(
        permission_classes=[IsAuthenticated],
        description="The pejabat penilai of today (or the admin) signs an approved PAK electronically (TTE).",
    )
    async def tandatangani_pak(
        self,
        info: Info,
        id: strawberry.ID,
        expected_version: ExpectedVersionArg = 0,
        instansi_id: InstansiArg = None,
    ) -> PakPayload:
        request = angka_kredit_pb2.TandatanganiPakRequest(id=id, expected_version=expected_version)
        method = info.context.clients.angka_kredit.TandatanganiPak
        return await payload(info, PakPayload, method, request, instansi_id)

    @strawberry.mutation(
        permission_classes=[IsAdmin],
        description=(
            "The admin uploads the wet-signed SK of an approved PAK: a PDF of at most 1 MB, sent as base64 "
            "text (its size is checked before it is decoded). The PAK is then signed (BASAH)."
        ),
    )
    async def unggah_sk_pak(
        self,
        info: Info,
        id: strawberry.ID,
        berkas: str,
        nama_berkas: str,
        expected_version: ExpectedVersionArg = 0,
        instansi_id: InstansiArg = None,
    ) -> PakPayload:
        found = Violations()
        fields.text(found, "nama_berkas", "Nama berkas", nama_berkas, max_len=200, required=True)
        if not berkas:
            found.add("berkas", "REQUIRED", "Berkas SK wajib diunggah.")
        if found:
            return _refused(found.items)
        try:
            content = decode_berkas(berkas)
        except DomainError as err:
            return _refused(err.violations)
        request = angka_kredit_pb2.UnggahSkPakRequest(
            id=id, berkas=content, nama_berkas=nama_berkas, expected_version=expected_version
        )
        method = info.context.clients.angka_kredit.UnggahSkPak
        return await payload(info, PakPayload, method, request, instansi_id)

    @strawberry.mutation(
        permission_classes=[IsAdmin],
        description=(
            "The admin returns an approved or signed PAK to draft, with the reason: its signature is voided "
            "(kept in the history), its SK number kept; figures waiting for a new PAK are applied."
        ),
    )
    async def kembalikan_pak_ke_draft(
        self,
        info: Info,
        id: strawberry.ID,
        alasan: str,
        expected_version: ExpectedVersionArg = 0,
        instansi_id: InstansiArg = None,
    ) -> PakPayload:
        request = angka_kredit_pb2.KembalikanPakKeDraftRequest(
            id=id, alasan=alasan, expected_version=expected_version
        )
        method = info.context.clients.angka_kredit.KembalikanPakKeDraft
        return await payload(info, PakPayload, method, request, instansi_id)

    @strawberry.mutation(
        permission_classes=[IsAdmin],
        description=(
            "The admin records AK carried over from before PermenPAN-RB 1/2023 (integrasi) for a pegawai in "
            "jabatan fungsional: a PAK in draft that counts in the cumulative AK."
        ),
    )
    async def catat_integrasi_angka_kredit(
        self,
        info: Info,
        input: IntegrasiInput,
        instansi_id: InstansiArg = None,
        client_mutation_id: ClientMutationIdArg = None,
    ) -> PakPayload:
        violations = integrasi_violations(input, datetime.datetime.now(ZONE).date())
        if violations:
            return _refused(violations)
        return await payload(
            info,
            PakPayload,
            info.context.clients.angka_kredit.CatatIntegrasi,
            input.to_pb(),
            instansi_id,
            rename=_INTEGRASI_PATHS,
            client_mutation_id=client_mutation_id,
        )
