"""GraphQL types of angka kredit, derived from the angka kredit service's protobuf messages (api/protobuf.py).

A PAK is built from one GetPak/BatchGetPak/ListPak answer into plain typed objects (perhitungan,
kumulatif, perubahan, riwayat, tanda tangan). Every figure stays exact text: a NilaiAk carries the
reduced fraction ("175/16") beside its two decimal forms ("10.9375", "10.938"); never a float. What
refers elsewhere goes through the request's DataLoaders: `Pak.penilaian` (one BatchGetPenilaian for a
page). YYYY-MM-DD strings become Date; months ("2027-01") stay text.
"""

from __future__ import annotations

import datetime

import strawberry

from gateway.api.assessment.types import Pelaku, Penilaian, Predikat, load_penilaian
from gateway.api.context import Info
from gateway.api.protobuf import FromProto, ProtoEnum
from gateway.api.skp.types import Pejabat
from kinerja.angka_kredit.v1 import angka_kredit_pb2

SK_PATH = "/api/v1/pak/{id}/sk"
"""Where the uploaded SK PDF of a PAK is downloaded (gateway.rest.angka_kredit)."""

# ---- enums (values are the proto enum numbers) ----


@strawberry.enum(
    description="Where a PAK comes from: KONVERSI of a final predikat, or INTEGRASI of AK from before 2023."
)
class SumberPak(ProtoEnum, proto=angka_kredit_pb2.SumberPak): ...


@strawberry.enum(description="DRAFT → DIAJUKAN → DISETUJUI → DITANDATANGANI (back to DRAFT by the admin).")
class StatusPak(ProtoEnum, proto=angka_kredit_pb2.StatusPak): ...


@strawberry.enum(description="TTE (tanda tangan elektronik) or BASAH (the signed SK uploaded as a PDF).")
class CaraTandaTangan(ProtoEnum, proto=angka_kredit_pb2.CaraTandaTangan): ...


@strawberry.enum(
    description=(
        "How SK PAK numbers are given: OTOMATIS at approval from the instansi's format (never repeated, "
        "no gaps), or MANUAL when the PAK is submitted."
    )
)
class ModePenomoran(ProtoEnum, proto=angka_kredit_pb2.ModePenomoran): ...


@strawberry.enum(
    description="Which PAK a list shows: own, the instansi's (admin), or those to approve today."
)
class PakScope(ProtoEnum, proto=angka_kredit_pb2.PakScope): ...


# ---- values ----


@strawberry.type(
    description=(
        "An amount of angka kredit, exact: the reduced fraction, and two decimal forms for reading "
        "(rounded half up)."
    )
)
class NilaiAk(FromProto, message=angka_kredit_pb2.NilaiAk):
    pecahan: str = strawberry.field(description='Exact: "175/16", or an integer "50".')
    desimal: str = strawberry.field(description='Four decimals, as the form shows perolehan: "10.9375".')
    tampil: str = strawberry.field(description='Three decimals, as the formula\'s result: "10.938".')

    @classmethod
    def is_empty(cls, pb: angka_kredit_pb2.NilaiAk) -> bool:
        """No amount (e.g. the kebutuhan of a kenaikan the jenjang does not have)."""
        return not (pb.pecahan or pb.desimal)


@strawberry.type(
    description="One step of a PAK's history: what was done, by whom (null: the platform), when."
)
class Langkah(FromProto, message=angka_kredit_pb2.Langkah):
    aksi: str = strawberry.field(
        description="DIBUAT, DIHITUNG_ULANG, DIAJUKAN, DISETUJUI, DITANDATANGANI, DIKEMBALIKAN, PERLU_PAK_BARU."
    )
    status_sebelum: StatusPak | None
    status_sesudah: StatusPak | None
    oleh: Pelaku | None
    at: datetime.datetime | None
    alasan: str | None


@strawberry.type(description="How the AK of a konversi PAK was obtained, as the form shows it.")
class Perhitungan(FromProto, message=angka_kredit_pb2.Perhitungan):
    predikat: Predikat | None
    jumlah_bulan: int = strawberry.field(description="Months assessed (0-12).")
    uraian_bulan: str = strawberry.field(
        description='How they were counted, e.g. "Juni–Desember 2024 (7 bulan), dihitung sejak TMT jabatan 1 Juni 2024".'
    )
    persentase: str = strawberry.field(description='Percent of the predikat: "150".')
    koefisien: str = strawberry.field(description='Koefisien of the jenjang per year: "12.5".')
    angka_kredit: NilaiAk
    rumus: str = strawberry.field(description='"7 / 12 × 150 % × 12.5 = 10.938".')
    aturan_versi: str
    aturan_berlaku_sejak: datetime.date | None
    aturan_sumber: str


@strawberry.type(description="Cumulative AK for kenaikan pangkat or kenaikan jenjang at this PAK.")
class Kumulatif(FromProto, message=angka_kredit_pb2.Kumulatif):
    lama: NilaiAk = strawberry.field(description="Before this PAK.")
    diperoleh: NilaiAk = strawberry.field(description="This PAK.")
    baru: NilaiAk = strawberry.field(description="lama + diperoleh.")
    kebutuhan: NilaiAk | None = strawberry.field(
        description="Null when the jenjang has no such kenaikan (Penyelia, Ahli Utama: no kenaikan jenjang)."
    )
    terpenuhi: bool
    kekurangan: NilaiAk | None = strawberry.field(description="Zero when terpenuhi.")
    uraian: str = strawberry.field(description='"10.9375 + 0 = 10.9375 dari kebutuhan 50 (kurang 39.0625)".')


@strawberry.type(description="A change of a PAK's figures after it was made (a predikat changed later).")
class Perubahan(FromProto, message=angka_kredit_pb2.Perubahan):
    at: datetime.datetime | None
    alasan: str
    keberatan_id: strawberry.ID | None
    predikat_sebelum: Predikat | None
    predikat_sesudah: Predikat | None
    ak_sebelum: NilaiAk | None
    ak_sesudah: NilaiAk | None
    diterapkan: bool = strawberry.field(
        description="False when the PAK was approved or signed: its figures stay, it needs a new PAK."
    )


@strawberry.type(description="The signature of a PAK: TTE over its content, or a wet-signed SK uploaded.")
class TandaTangan(FromProto, message=angka_kredit_pb2.TandaTangan):
    cara: CaraTandaTangan | None
    oleh: Pelaku | None
    at: datetime.datetime | None
    sha256: str = strawberry.field(
        description="SHA-256 (hex) of what was signed: the PAK's content or the PDF."
    )
    nama_berkas: str | None
    ukuran: int = strawberry.field(description="Bytes of the uploaded PDF (0 for TTE).")

    @classmethod
    def is_empty(cls, pb: angka_kredit_pb2.TandaTangan) -> bool:
        """Not signed (or the signature was voided by a return to draft)."""
        return not pb.cara


@strawberry.type(
    description=(
        "A pengajuan angka kredit (PAK) of a pegawai in jabatan fungsional: from a final predikat "
        "(konversi) or carried over (integrasi), its figures, cumulative AK, SK and history."
    )
)
class Pak(FromProto, message=angka_kredit_pb2.Pak):
    id: strawberry.ID
    instansi_id: strawberry.ID
    sumber: SumberPak | None
    status: StatusPak | None
    tahun: int
    skp_id: strawberry.ID | None = strawberry.field(description="Konversi: the SKP the predikat came from.")
    periode_id: strawberry.ID | None
    penilaian_id: strawberry.ID | None
    tanggal_mulai: datetime.date | None
    tanggal_selesai: datetime.date | None
    pegawai: Pejabat | None
    jabatan: str = strawberry.field(description="The jabatan fungsional.")
    jenjang: str
    golongan: str | None = strawberry.field(description="The golongan the AK counts for in kenaikan pangkat.")
    tmt_jabatan: datetime.date | None
    perhitungan: Perhitungan | None = strawberry.field(description="Konversi only.")
    dokumen_sumber: str | None = strawberry.field(description="Integrasi: the source document.")
    keterangan: str | None
    angka_kredit: NilaiAk | None = strawberry.field(description="What this PAK adds.")
    kenaikan_pangkat: Kumulatif | None
    kenaikan_jenjang: Kumulatif | None
    nomor_sk: str | None = strawberry.field(
        description="Set at approval (automatic numbering) or at submission (manual)."
    )
    tempat: str | None
    tanggal_sk: datetime.date | None
    tanda_tangan: TandaTangan | None
    perlu_pak_baru: bool = strawberry.field(
        description="The figures it was approved or signed with no longer hold: the admin returns it to draft."
    )
    perlu_pak_baru_alasan: str | None
    perubahan: list[Perubahan]
    riwayat: list[Langkah]
    version: int
    created_at: datetime.datetime | None
    updated_at: datetime.datetime | None

    @strawberry.field(
        description="Where the uploaded SK PDF is downloaded (GET, with the token); null when none was uploaded."
    )
    def sk_url(self) -> str | None:
        signed = self.tanda_tangan
        if signed is None or signed.cara != CaraTandaTangan["BASAH"]:
            return None
        return SK_PATH.format(id=self.id)

    @strawberry.field(description="The penilaian the predikat came from (one BatchGetPenilaian for a page).")
    async def penilaian(self, info: Info) -> Penilaian | None:
        return await load_penilaian(info, str(self.instansi_id), self.penilaian_id)


async def load_pak(info: Info, instansi_id: str, pak_id: str | None) -> Pak | None:
    """A PAK through the request's DataLoader (one BatchGetPak per tick)."""
    if not pak_id:
        return None
    pb = await info.context.record_loaders(instansi_id).pak.load(str(pak_id))
    return Pak.from_pb(pb) if pb is not None else None


# ---- pengaturan and rules ----


@strawberry.type(description="The instansi's SK PAK numbering and default tempat penandatangan.")
class PengaturanPak(FromProto, message=angka_kredit_pb2.PengaturanPak):
    instansi_id: strawberry.ID
    mode: ModePenomoran | None
    format_nomor: str = strawberry.field(
        description=(
            "Automatic numbering: {nomor} (required; {nomor:4} pads to 4 digits), {tahun}, {bulan} and "
            '{bulan_romawi}, e.g. "{nomor:4}/PAK/BKD/{bulan_romawi}/{tahun}".'
        )
    )
    tempat: str | None
    diubah_oleh: Pelaku | None
    updated_at: datetime.datetime | None
    version: int


@strawberry.type(description="Percent of the koefisien one predikat gives.")
class PersentasePredikat(FromProto, message=angka_kredit_pb2.Aturan.Persentase):
    predikat: Predikat | None
    persentase: str = strawberry.field(description='"150".')


@strawberry.type(description="Koefisien and kebutuhan of one jenjang.")
class JenjangAngkaKredit(FromProto, message=angka_kredit_pb2.Aturan.Jenjang):
    jenjang: str
    koefisien: str = strawberry.field(description='AK per year at 100 %: "12.5".')
    kebutuhan_pangkat: str | None = strawberry.field(description="AK for kenaikan pangkat; null: none.")
    kebutuhan_jenjang: str | None = strawberry.field(description="AK for kenaikan jenjang; null: none.")
    jenjang_berikutnya: str | None


@strawberry.type(
    description="The angka kredit rules in force on a day (PermenPAN-RB 1/2023), with their source."
)
class AturanAngkaKredit(FromProto, message=angka_kredit_pb2.Aturan):
    versi: str
    berlaku_sejak: datetime.date | None
    sumber: str
    persentase: list[PersentasePredikat]
    jenjang: list[JenjangAngkaKredit]
    cara_hitung_bulan: str = strawberry.field(
        description="How months are counted when the TMT jabatan falls inside the periode."
    )


# ---- forecast ----


@strawberry.type(description="When a kenaikan is reached at one predikat.")
class TargetPrakiraan(FromProto, message=angka_kredit_pb2.TargetPrakiraan):
    berlaku: bool = strawberry.field(description="False: the jenjang has no such kenaikan.")
    kebutuhan: NilaiAk | None
    kumulatif: NilaiAk | None
    kekurangan: NilaiAk | None
    sudah_terpenuhi: bool
    bulan_dibutuhkan: int = strawberry.field(description="Months of assessment still needed.")
    bulan_tercapai: str | None = strawberry.field(description='The month they end in: "2027-06".')
    rumus: str


@strawberry.type(description="The forecast at one predikat.")
class SkenarioPrakiraan(FromProto, message=angka_kredit_pb2.SkenarioPrakiraan):
    predikat: Predikat | None
    saat_ini: bool = strawberry.field(description="The pegawai's latest final predikat.")
    ak_per_tahun: NilaiAk | None
    rumus_per_tahun: str = strawberry.field(description='"150 % × 12.5 = 18.75 per tahun".')
    kenaikan_pangkat: TargetPrakiraan | None
    kenaikan_jenjang: TargetPrakiraan | None


@strawberry.type(
    description="A forecast of kenaikan pangkat and kenaikan jenjang of a pegawai at each predikat."
)
class PrakiraanAngkaKredit(FromProto, message=angka_kredit_pb2.Prakiraan):
    pegawai: Pejabat | None
    jabatan: str
    jenjang: str
    golongan: str | None
    koefisien: str
    jenjang_berikutnya: str | None
    kumulatif_pangkat: NilaiAk | None
    kumulatif_jenjang: NilaiAk | None
    mulai_bulan: str = strawberry.field(description='The month the forecast counts from: "2025-01".')
    predikat_terakhir: Predikat | None
    skenario: list[SkenarioPrakiraan]
    catatan: str | None
    aturan_versi: str
    aturan_sumber: str
