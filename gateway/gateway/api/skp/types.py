"""GraphQL types of SKP planning, derived from the skp service's protobuf messages (api/protobuf.py).

A whole SKP comes from one GetSkp/BatchGetSkp response: its nested content (RHK, indikator, rencana
aksi, perilaku, lampiran) is plain attributes filled by `from_pb`, never a resolver per field. A plain
type is its annotated fields; what differs from the proto says so by hand (`by_hand`, resolvers).
Decimal values stay exact decimal text (String); YYYY-MM-DD strings become Date.
"""

from __future__ import annotations

import datetime

import strawberry

from gateway.api.context import Info
from gateway.api.errors import camel_path
from gateway.api.org.types import Pegawai, load_pegawai
from gateway.api.protobuf import FromProto, ProtoEnum
from kinerja.skp.v1 import skp_pb2

# ---- enums (values are the proto enum numbers) ----


@strawberry.enum(description="Kind of periode: a periodic assessment or the year-end one.")
class JenisPeriode(ProtoEnum, proto=skp_pb2.JenisPeriode): ...


@strawberry.enum(description="A ready-made set of periode: 12 months or 4 quarters, plus the final one.")
class PolaPeriode(ProtoEnum, proto=skp_pb2.PolaPeriode): ...


@strawberry.enum(description="How the SKP's results are measured.")
class Pendekatan(ProtoEnum, proto=skp_pb2.Pendekatan): ...


@strawberry.enum(description="SKP model: JPT (heads of JPT or mandiri units) or JA/JF (everyone else).")
class ModelSkp(ProtoEnum, proto=skp_pb2.ModelSkp): ...


@strawberry.enum(description="Where an SKP is in its approval workflow.")
class StatusSkp(ProtoEnum, proto=skp_pb2.StatusSkp): ...


@strawberry.enum(description="RHK utama or tambahan.")
class JenisRhk(ProtoEnum, proto=skp_pb2.JenisRhk): ...


@strawberry.enum(description="Aspect a JA/JF indikator measures.")
class Aspek(ProtoEnum, proto=skp_pb2.Aspek): ...


@strawberry.enum(description="Balanced-scorecard perspective of a JPT indikator.")
class Perspektif(ProtoEnum, proto=skp_pb2.Perspektif): ...


@strawberry.enum(description="Kind of indikator kinerja utama (manual indikator).")
class JenisIku(ProtoEnum, proto=skp_pb2.JenisIku): ...


@strawberry.enum(description="How often an indikator is reported (manual indikator).")
class PeriodePelaporan(ProtoEnum, proto=skp_pb2.PeriodePelaporan): ...


@strawberry.enum(description="The seven BerAKHLAK core values.")
class NilaiPerilaku(ProtoEnum, proto=skp_pb2.NilaiPerilaku): ...


@strawberry.enum(description="Who gives feedback on a perilaku: the atasan, a bawahan or a rekan kerja.")
class JenisPenilai(ProtoEnum, proto=skp_pb2.JenisPenilai): ...


@strawberry.enum(description="Role in the team of a matriks peran hasil.")
class PeranTim(ProtoEnum, proto=skp_pb2.PeranTim): ...


@strawberry.enum(description="Which SKPs a list shows.")
class SkpScope(ProtoEnum, proto=skp_pb2.SkpScope): ...


# ---- periode ----


@strawberry.type(description="An assessment periode of an instansi; it applies to every year.")
class Periode(FromProto, message=skp_pb2.Periode):
    id: strawberry.ID
    instansi_id: strawberry.ID
    nama: str
    mulai: str = strawberry.field(description='First day in the year, mm-dd (e.g. "01-01").')
    selesai: str = strawberry.field(description="Last day in the year, mm-dd.")
    batas_pengisian: str = strawberry.field(
        description="Deadline for rencana aksi, evidence and feedback, mm-dd; before mulai: the next year."
    )
    jenis: JenisPeriode | None
    version: int


# ---- perjanjian kinerja ----


@strawberry.type(description="An indikator of a sasaran strategis.")
class PkIndikator(FromProto, message=skp_pb2.PkIndikator):
    id: strawberry.ID
    teks: str
    target: str | None = strawberry.field(description="Decimal text; null when not a number.")
    satuan: str


@strawberry.type(description="A sasaran strategis of a perjanjian kinerja, with its indikator.")
class SasaranStrategis(FromProto, message=skp_pb2.SasaranStrategis):
    id: strawberry.ID
    teks: str
    indikator: list[PkIndikator]


@strawberry.type(description="A JPT's perjanjian kinerja of a year: the sasaran strategis they commit to.")
class PerjanjianKinerja(FromProto, message=skp_pb2.PerjanjianKinerja):
    id: strawberry.ID
    instansi_id: strawberry.ID
    pegawai_id: strawberry.ID
    tahun: int
    sasaran: list[SasaranStrategis]
    version: int

    @strawberry.field(description="The pegawai, as org knows them now.")
    async def pegawai(self, info: Info) -> Pegawai | None:
        return await load_pegawai(info, self.instansi_id, self.pegawai_id)


# ---- SKP ----


@strawberry.type(description="A person as printed on an SKP, copied from org when it was made or refreshed.")
class Pejabat(FromProto, message=skp_pb2.Pejabat):
    pegawai_id: strawberry.ID | None
    nip: str | None
    nama: str
    golongan: str | None
    pangkat: str | None
    jabatan: str
    unor_id: strawberry.ID | None
    unor_nama: str

    @classmethod
    def is_empty(cls, pb: skp_pb2.Pejabat) -> bool:
        """A snapshot with neither id nor name is no one (e.g. a mandiri SKP's penilai)."""
        return not (pb.pegawai_id or pb.nama)


@strawberry.type(description="A target: one value (min = max) or a range, as exact decimal text.")
class Target(FromProto, message=skp_pb2.Target):
    min: str | None
    max: str | None
    satuan: str


@strawberry.type(description="Manual indikator of a JPT indikator.")
class ManualIndikator(FromProto, message=skp_pb2.ManualIndikator):
    deskripsi_rencana_kerja: str
    definisi: str
    formula: str
    tujuan: str
    satuan_pengukuran: str
    jenis_iku: JenisIku | None
    penanggung_jawab: str
    penyedia_data: str
    sumber_data: str
    periode_pelaporan: PeriodePelaporan | None


@strawberry.type(description="An indikator of an RHK, with its target and monthly targets.")
class Indikator(
    FromProto,
    message=skp_pb2.Indikator,
    # the proto always carries a manual message; has_manual says whether one was written
    by_hand={"manual": lambda pb: ManualIndikator.from_pb(pb.manual) if pb.has_manual else None},
):
    id: strawberry.ID
    rhk_id: strawberry.ID
    teks: str
    aspek: Aspek | None = strawberry.field(description="JA/JF indikator.")
    perspektif: Perspektif | None = strawberry.field(description="JPT indikator.")
    target: Target | None
    manual: ManualIndikator | None = strawberry.field(description="Null until one is written.")
    target_bulanan: list[str | None] = strawberry.field(
        description="12 monthly targets, January first, decimal text; null where nothing is planned."
    )


@strawberry.type(description="A rencana aksi of an RHK in one periode, with its own target.")
class RencanaAksi(FromProto, message=skp_pb2.RencanaAksi):
    id: strawberry.ID
    rhk_id: strawberry.ID
    periode_id: strawberry.ID | None
    teks: str
    target: str | None = strawberry.field(description="Decimal text; may differ from the yearly target.")
    satuan: str


@strawberry.type(description="Rencana hasil kerja: a planned work result of an SKP.")
class Rhk(FromProto, message=skp_pb2.Rhk):
    id: strawberry.ID
    jenis: JenisRhk | None
    teks: str
    atasan_rhk_id: strawberry.ID | None = strawberry.field(
        description="JA/JF: the atasan's RHK this one intervenes."
    )
    atasan_rhk_teks: str | None = strawberry.field(description="Its text when it was chosen.")
    atasan_skp_id: strawberry.ID | None
    tahapan: list[str]
    sumber_sasaran_id: strawberry.ID | None = strawberry.field(
        description="The sasaran strategis it was copied from."
    )
    sumber_mph_id: strawberry.ID | None = strawberry.field(
        description="The matriks peran hasil whose peran it was copied from."
    )
    indikator: list[Indikator]
    rencana_aksi: list[RencanaAksi]


@strawberry.type(description="A BerAKHLAK value on an SKP: its panduan, ekspektasi and who gives feedback.")
class Perilaku(FromProto, message=skp_pb2.Perilaku):
    nilai: NilaiPerilaku | None
    nama: str
    panduan: list[str]
    ekspektasi: str | None = strawberry.field(
        description="Ekspektasi khusus pimpinan, written by the pejabat penilai."
    )
    penilai_jenis: JenisPenilai | None
    penilai_pegawai_id: strawberry.ID | None
    penilai_nama: str | None


@strawberry.type(description="The SKP's lampiran: resources, accountability and consequences.")
class Lampiran(FromProto, message=skp_pb2.Lampiran):
    dukungan_sumber_daya: list[str]
    skema_pertanggungjawaban: list[str]
    konsekuensi: list[str]


@strawberry.type(description="Sasaran kinerja pegawai: a pegawai's performance plan for (part of) a year.")
class Skp(FromProto, message=skp_pb2.Skp):
    id: strawberry.ID
    instansi_id: strawberry.ID
    pegawai_id: strawberry.ID
    unor_id: strawberry.ID | None = strawberry.field(
        description="The unor the SKP is for: their own, or one they lead as PLT/PLH."
    )
    plt_id: strawberry.ID | None = strawberry.field(description="The PLT/PLH assignment of a second SKP.")
    tahun: int
    tanggal_mulai: datetime.date | None
    tanggal_selesai: datetime.date | None
    pendekatan: Pendekatan | None
    model: ModelSkp | None
    status: StatusSkp | None
    mandiri: bool = strawberry.field(
        description="Head of a mandiri unit: approved on submission, no pejabat penilai."
    )
    pegawai: Pejabat | None
    penilai: Pejabat | None = strawberry.field(description="The pejabat penilai.")
    atasan_penilai: Pejabat | None
    rhk: list[Rhk] = strawberry.field(description="RHK with their indikator and rencana aksi.")
    perilaku: list[Perilaku]
    lampiran: Lampiran
    alasan_dikembalikan: str | None = strawberry.field(
        description="Why it last went back to draft (returned or reset)."
    )
    diajukan_at: datetime.datetime | None
    disetujui_at: datetime.datetime | None
    dikembalikan_at: datetime.datetime | None
    created_at: datetime.datetime | None
    updated_at: datetime.datetime | None
    version: int
    jumlah_rhk: int
    jumlah_indikator: int


# ---- matriks peran hasil ----


@strawberry.type(description="A column of a matriks peran hasil: a produk or layanan.")
class MphKolom(FromProto, message=skp_pb2.MphKolom):
    id: strawberry.ID
    nama: str


@strawberry.type(description="The peran of an anggota in one column.")
class MphPeran(FromProto, message=skp_pb2.MphPeran):
    kolom_id: strawberry.ID
    peran: str


@strawberry.type(description="A team member of a matriks peran hasil, with their peran per column.")
class MphAnggota(FromProto, message=skp_pb2.MphAnggota):
    id: strawberry.ID
    pegawai: Pejabat | None
    peran_tim: PeranTim | None
    peran: list[MphPeran]


@strawberry.type(description="Matriks peran hasil of an RHK: who in the team delivers what.")
class MatriksPeranHasil(FromProto, message=skp_pb2.MatriksPeranHasil):
    id: strawberry.ID
    instansi_id: strawberry.ID
    skp_id: strawberry.ID
    rhk_id: strawberry.ID
    rhk_teks: str
    pemilik: Pejabat | None = strawberry.field(description="The owner of the RHK's SKP.")
    tahun: int
    unor_id: strawberry.ID | None
    kolom: list[MphKolom]
    anggota: list[MphAnggota]
    version: int


@strawberry.type(
    description="A peran assigned to the caller in an atasan's matriks, offered to copy to an RHK."
)
class PeranDitugaskan(FromProto, message=skp_pb2.PeranDitugaskan):
    mph_id: strawberry.ID
    kolom_id: strawberry.ID
    kolom_nama: str
    peran: str
    peran_tim: PeranTim | None
    atasan_skp_id: strawberry.ID | None
    atasan_rhk_id: strawberry.ID | None
    atasan_rhk_teks: str
    atasan: Pejabat | None
    tahun: int


# ---- kinerja harian ----


@strawberry.type(description="A day's work recorded against an indikator of an approved SKP.")
class KinerjaHarian(FromProto, message=skp_pb2.KinerjaHarian):
    id: strawberry.ID
    skp_id: strawberry.ID
    tanggal: datetime.date | None
    uraian: str
    indikator_id: strawberry.ID | None
    rhk_id: strawberry.ID | None
    realisasi: str = strawberry.field(description="Decimal text.")
    satuan: str
    version: int


@strawberry.type(description="One indikator in one month: its target and what kinerja harian add up to.")
class RekapBulanan(FromProto, message=skp_pb2.RekapBulanan):
    indikator_id: strawberry.ID
    rhk_id: strawberry.ID | None
    bulan: int = strawberry.field(description="1-12.")
    target: str | None = strawberry.field(description="Decimal text; null when nothing is planned.")
    realisasi: str = strawberry.field(description="Decimal text.")
    jumlah_entri: int


@strawberry.type(description="One thing that keeps an SKP from being assessed for a periode.")
class Kekurangan(FromProto, message=skp_pb2.Kekurangan, by_hand={"field": lambda pb: camel_path(pb.field)}):
    field: str = strawberry.field(description="Where: status, periodeId or rhk[i].")
    code: str = strawberry.field(
        description="SKP_BELUM_DISETUJUI, PERIODE_DI_LUAR_SKP or RHK_TANPA_RENCANA_AKSI."
    )
    message: str = strawberry.field(description="Indonesian message for the user.")
    rhk_id: strawberry.ID | None


@strawberry.type(
    description="Whether an SKP may be assessed for a periode: approved, and every RHK planned in it."
)
class KesiapanPenilaian(FromProto, message=skp_pb2.KesiapanPenilaian):
    siap: bool
    kekurangan: list[Kekurangan]
