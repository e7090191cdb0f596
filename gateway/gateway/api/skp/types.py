"""GraphQL types of SKP planning, built from the skp service's protobuf messages.

A whole SKP comes from one GetSkp/BatchGetSkp response: its nested content (RHK, indikator, rencana
aksi, perilaku, lampiran) is plain attributes filled in `from_pb`, never a resolver per field.
Decimal values stay exact decimal text (String); YYYY-MM-DD strings become Date.
"""

from __future__ import annotations

import datetime
import enum
from typing import Any

import strawberry

from gateway.api.context import Info
from gateway.api.errors import camel_path
from gateway.api.org.types import Pegawai, date_or_none, enum_or_none, load_pegawai
from kinerja.skp.v1 import skp_pb2


def id_or_none(value: str) -> strawberry.ID | None:
    """An optional id: the empty proto string becomes null."""
    return strawberry.ID(value) if value else None


def timestamp_or_none(pb: Any, field: str) -> datetime.datetime | None:
    return getattr(pb, field).ToDatetime(tzinfo=datetime.UTC) if pb.HasField(field) else None


# ---- enums (values are the proto enum numbers) ----


@strawberry.enum(description="Kind of periode: a periodic assessment or the year-end one.")
class JenisPeriode(enum.Enum):
    BIASA = skp_pb2.JENIS_PERIODE_BIASA
    FINAL = skp_pb2.JENIS_PERIODE_FINAL


@strawberry.enum(description="A ready-made set of periode: 12 months or 4 quarters, plus the final one.")
class PolaPeriode(enum.Enum):
    BULANAN = skp_pb2.POLA_PERIODE_BULANAN
    TRIWULAN = skp_pb2.POLA_PERIODE_TRIWULAN


@strawberry.enum(description="How the SKP's results are measured.")
class Pendekatan(enum.Enum):
    KUANTITATIF = skp_pb2.PENDEKATAN_KUANTITATIF
    KUALITATIF = skp_pb2.PENDEKATAN_KUALITATIF


@strawberry.enum(description="SKP model: JPT (heads of JPT or mandiri units) or JA/JF (everyone else).")
class ModelSkp(enum.Enum):
    JPT = skp_pb2.MODEL_SKP_JPT
    JA_JF = skp_pb2.MODEL_SKP_JA_JF


@strawberry.enum(description="Where an SKP is in its approval workflow.")
class StatusSkp(enum.Enum):
    DRAFT = skp_pb2.STATUS_SKP_DRAFT
    DIAJUKAN = skp_pb2.STATUS_SKP_DIAJUKAN
    DISETUJUI = skp_pb2.STATUS_SKP_DISETUJUI


@strawberry.enum(description="RHK utama or tambahan.")
class JenisRhk(enum.Enum):
    UTAMA = skp_pb2.JENIS_RHK_UTAMA
    TAMBAHAN = skp_pb2.JENIS_RHK_TAMBAHAN


@strawberry.enum(description="Aspect a JA/JF indikator measures.")
class Aspek(enum.Enum):
    KUANTITAS = skp_pb2.ASPEK_KUANTITAS
    KUALITAS = skp_pb2.ASPEK_KUALITAS
    WAKTU = skp_pb2.ASPEK_WAKTU
    BIAYA = skp_pb2.ASPEK_BIAYA


@strawberry.enum(description="Balanced-scorecard perspective of a JPT indikator.")
class Perspektif(enum.Enum):
    PENERIMA_LAYANAN = skp_pb2.PERSPEKTIF_PENERIMA_LAYANAN
    PROSES_BISNIS = skp_pb2.PERSPEKTIF_PROSES_BISNIS
    PENGUATAN_INTERNAL = skp_pb2.PERSPEKTIF_PENGUATAN_INTERNAL
    ANGGARAN = skp_pb2.PERSPEKTIF_ANGGARAN


@strawberry.enum(description="Kind of indikator kinerja utama (manual indikator).")
class JenisIku(enum.Enum):
    OUTCOME = skp_pb2.JENIS_IKU_OUTCOME
    OUTPUT_KENDALI_RENDAH = skp_pb2.JENIS_IKU_OUTPUT_KENDALI_RENDAH
    OUTPUT_KENDALI_SEDANG = skp_pb2.JENIS_IKU_OUTPUT_KENDALI_SEDANG


@strawberry.enum(description="How often an indikator is reported (manual indikator).")
class PeriodePelaporan(enum.Enum):
    BULANAN = skp_pb2.PERIODE_PELAPORAN_BULANAN
    TRIWULAN = skp_pb2.PERIODE_PELAPORAN_TRIWULAN
    SEMESTERAN = skp_pb2.PERIODE_PELAPORAN_SEMESTERAN
    TAHUNAN = skp_pb2.PERIODE_PELAPORAN_TAHUNAN


@strawberry.enum(description="The seven BerAKHLAK core values.")
class NilaiPerilaku(enum.Enum):
    BERORIENTASI_PELAYANAN = skp_pb2.NILAI_PERILAKU_BERORIENTASI_PELAYANAN
    AKUNTABEL = skp_pb2.NILAI_PERILAKU_AKUNTABEL
    KOMPETEN = skp_pb2.NILAI_PERILAKU_KOMPETEN
    HARMONIS = skp_pb2.NILAI_PERILAKU_HARMONIS
    LOYAL = skp_pb2.NILAI_PERILAKU_LOYAL
    ADAPTIF = skp_pb2.NILAI_PERILAKU_ADAPTIF
    KOLABORATIF = skp_pb2.NILAI_PERILAKU_KOLABORATIF


@strawberry.enum(description="Who gives feedback on a perilaku: the atasan, a bawahan or a rekan kerja.")
class JenisPenilai(enum.Enum):
    ATASAN = skp_pb2.JENIS_PENILAI_ATASAN
    BAWAHAN = skp_pb2.JENIS_PENILAI_BAWAHAN
    REKAN_KERJA = skp_pb2.JENIS_PENILAI_REKAN_KERJA


@strawberry.enum(description="Role in the team of a matriks peran hasil.")
class PeranTim(enum.Enum):
    KETUA = skp_pb2.PERAN_TIM_KETUA
    ANGGOTA = skp_pb2.PERAN_TIM_ANGGOTA


@strawberry.enum(description="Which SKPs a list shows.")
class SkpScope(enum.Enum):
    SAYA = skp_pb2.SKP_SCOPE_SAYA
    BAWAHAN = skp_pb2.SKP_SCOPE_BAWAHAN
    INSTANSI = skp_pb2.SKP_SCOPE_INSTANSI


# ---- periode ----


@strawberry.type(description="An assessment periode of an instansi; it applies to every year.")
class Periode:
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

    @classmethod
    def from_pb(cls, pb: skp_pb2.Periode) -> Periode:
        return cls(
            id=strawberry.ID(pb.id),
            instansi_id=strawberry.ID(pb.instansi_id),
            nama=pb.nama,
            mulai=pb.mulai,
            selesai=pb.selesai,
            batas_pengisian=pb.batas_pengisian,
            jenis=enum_or_none(JenisPeriode, pb.jenis),
            version=pb.version,
        )


# ---- perjanjian kinerja ----


@strawberry.type(description="An indikator of a sasaran strategis.")
class PkIndikator:
    id: strawberry.ID
    teks: str
    target: str | None = strawberry.field(description="Decimal text; null when not a number.")
    satuan: str

    @classmethod
    def from_pb(cls, pb: skp_pb2.PkIndikator) -> PkIndikator:
        return cls(id=strawberry.ID(pb.id), teks=pb.teks, target=pb.target or None, satuan=pb.satuan)


@strawberry.type(description="A sasaran strategis of a perjanjian kinerja, with its indikator.")
class SasaranStrategis:
    id: strawberry.ID
    teks: str
    indikator: list[PkIndikator]

    @classmethod
    def from_pb(cls, pb: skp_pb2.SasaranStrategis) -> SasaranStrategis:
        return cls(
            id=strawberry.ID(pb.id), teks=pb.teks, indikator=[PkIndikator.from_pb(i) for i in pb.indikator]
        )


@strawberry.type(description="A JPT's perjanjian kinerja of a year: the sasaran strategis they commit to.")
class PerjanjianKinerja:
    id: strawberry.ID
    instansi_id: strawberry.ID
    pegawai_id: strawberry.ID
    tahun: int
    sasaran: list[SasaranStrategis]
    version: int

    @classmethod
    def from_pb(cls, pb: skp_pb2.PerjanjianKinerja) -> PerjanjianKinerja:
        return cls(
            id=strawberry.ID(pb.id),
            instansi_id=strawberry.ID(pb.instansi_id),
            pegawai_id=strawberry.ID(pb.pegawai_id),
            tahun=pb.tahun,
            sasaran=[SasaranStrategis.from_pb(s) for s in pb.sasaran],
            version=pb.version,
        )

    @strawberry.field(description="The pegawai, as org knows them now.")
    async def pegawai(self, info: Info) -> Pegawai | None:
        return await load_pegawai(info, self.instansi_id, self.pegawai_id)


# ---- SKP ----


@strawberry.type(description="A person as printed on an SKP, copied from org when it was made or refreshed.")
class Pejabat:
    pegawai_id: strawberry.ID | None
    nip: str | None
    nama: str
    golongan: str | None
    pangkat: str | None
    jabatan: str
    unor_id: strawberry.ID | None
    unor_nama: str

    @classmethod
    def from_pb(cls, pb: skp_pb2.Pejabat) -> Pejabat:
        return cls(
            pegawai_id=id_or_none(pb.pegawai_id),
            nip=pb.nip or None,
            nama=pb.nama,
            golongan=pb.golongan or None,
            pangkat=pb.pangkat or None,
            jabatan=pb.jabatan,
            unor_id=id_or_none(pb.unor_id),
            unor_nama=pb.unor_nama,
        )

    @classmethod
    def of(cls, parent: Any, field: str) -> Pejabat | None:
        """The Pejabat in `parent.field`; null when absent or empty."""
        if not parent.HasField(field):
            return None
        pb = getattr(parent, field)
        return cls.from_pb(pb) if pb.pegawai_id or pb.nama else None


@strawberry.type(description="A target: one value (min = max) or a range, as exact decimal text.")
class Target:
    min: str | None
    max: str | None
    satuan: str

    @classmethod
    def from_pb(cls, pb: skp_pb2.Target) -> Target:
        return cls(min=pb.min or None, max=pb.max or None, satuan=pb.satuan)


@strawberry.type(description="Manual indikator of a JPT indikator.")
class ManualIndikator:
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

    @classmethod
    def from_pb(cls, pb: skp_pb2.ManualIndikator) -> ManualIndikator:
        return cls(
            deskripsi_rencana_kerja=pb.deskripsi_rencana_kerja,
            definisi=pb.definisi,
            formula=pb.formula,
            tujuan=pb.tujuan,
            satuan_pengukuran=pb.satuan_pengukuran,
            jenis_iku=enum_or_none(JenisIku, pb.jenis_iku),
            penanggung_jawab=pb.penanggung_jawab,
            penyedia_data=pb.penyedia_data,
            sumber_data=pb.sumber_data,
            periode_pelaporan=enum_or_none(PeriodePelaporan, pb.periode_pelaporan),
        )


@strawberry.type(description="An indikator of an RHK, with its target and monthly targets.")
class Indikator:
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

    @classmethod
    def from_pb(cls, pb: skp_pb2.Indikator) -> Indikator:
        return cls(
            id=strawberry.ID(pb.id),
            rhk_id=strawberry.ID(pb.rhk_id),
            teks=pb.teks,
            aspek=enum_or_none(Aspek, pb.aspek),
            perspektif=enum_or_none(Perspektif, pb.perspektif),
            target=Target.from_pb(pb.target) if pb.HasField("target") else None,
            manual=ManualIndikator.from_pb(pb.manual) if pb.has_manual else None,
            target_bulanan=[t or None for t in pb.target_bulanan],
        )


@strawberry.type(description="A rencana aksi of an RHK in one periode, with its own target.")
class RencanaAksi:
    id: strawberry.ID
    rhk_id: strawberry.ID
    periode_id: strawberry.ID | None
    teks: str
    target: str | None = strawberry.field(description="Decimal text; may differ from the yearly target.")
    satuan: str

    @classmethod
    def from_pb(cls, pb: skp_pb2.RencanaAksi) -> RencanaAksi:
        return cls(
            id=strawberry.ID(pb.id),
            rhk_id=strawberry.ID(pb.rhk_id),
            periode_id=id_or_none(pb.periode_id),
            teks=pb.teks,
            target=pb.target or None,
            satuan=pb.satuan,
        )


@strawberry.type(description="Rencana hasil kerja: a planned work result of an SKP.")
class Rhk:
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

    @classmethod
    def from_pb(cls, pb: skp_pb2.Rhk) -> Rhk:
        return cls(
            id=strawberry.ID(pb.id),
            jenis=enum_or_none(JenisRhk, pb.jenis),
            teks=pb.teks,
            atasan_rhk_id=id_or_none(pb.atasan_rhk_id),
            atasan_rhk_teks=pb.atasan_rhk_teks or None,
            atasan_skp_id=id_or_none(pb.atasan_skp_id),
            tahapan=list(pb.tahapan),
            sumber_sasaran_id=id_or_none(pb.sumber_sasaran_id),
            sumber_mph_id=id_or_none(pb.sumber_mph_id),
            indikator=[Indikator.from_pb(i) for i in pb.indikator],
            rencana_aksi=[RencanaAksi.from_pb(r) for r in pb.rencana_aksi],
        )


@strawberry.type(description="A BerAKHLAK value on an SKP: its panduan, ekspektasi and who gives feedback.")
class Perilaku:
    nilai: NilaiPerilaku | None
    nama: str
    panduan: list[str]
    ekspektasi: str | None = strawberry.field(
        description="Ekspektasi khusus pimpinan, written by the pejabat penilai."
    )
    penilai_jenis: JenisPenilai | None
    penilai_pegawai_id: strawberry.ID | None
    penilai_nama: str | None

    @classmethod
    def from_pb(cls, pb: skp_pb2.Perilaku) -> Perilaku:
        return cls(
            nilai=enum_or_none(NilaiPerilaku, pb.nilai),
            nama=pb.nama,
            panduan=list(pb.panduan),
            ekspektasi=pb.ekspektasi or None,
            penilai_jenis=enum_or_none(JenisPenilai, pb.penilai_jenis),
            penilai_pegawai_id=id_or_none(pb.penilai_pegawai_id),
            penilai_nama=pb.penilai_nama or None,
        )


@strawberry.type(description="The SKP's lampiran: resources, accountability and consequences.")
class Lampiran:
    dukungan_sumber_daya: list[str]
    skema_pertanggungjawaban: list[str]
    konsekuensi: list[str]

    @classmethod
    def from_pb(cls, pb: skp_pb2.Lampiran) -> Lampiran:
        return cls(
            dukungan_sumber_daya=list(pb.dukungan_sumber_daya),
            skema_pertanggungjawaban=list(pb.skema_pertanggungjawaban),
            konsekuensi=list(pb.konsekuensi),
        )


@strawberry.type(description="Sasaran kinerja pegawai: a pegawai's performance plan for (part of) a year.")
class Skp:
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

    @classmethod
    def from_pb(cls, pb: skp_pb2.Skp) -> Skp:
        return cls(
            id=strawberry.ID(pb.id),
            instansi_id=strawberry.ID(pb.instansi_id),
            pegawai_id=strawberry.ID(pb.pegawai_id),
            unor_id=id_or_none(pb.unor_id),
            plt_id=id_or_none(pb.plt_id),
            tahun=pb.tahun,
            tanggal_mulai=date_or_none(pb.tanggal_mulai),
            tanggal_selesai=date_or_none(pb.tanggal_selesai),
            pendekatan=enum_or_none(Pendekatan, pb.pendekatan),
            model=enum_or_none(ModelSkp, pb.model),
            status=enum_or_none(StatusSkp, pb.status),
            mandiri=pb.mandiri,
            pegawai=Pejabat.of(pb, "pegawai"),
            penilai=Pejabat.of(pb, "penilai"),
            atasan_penilai=Pejabat.of(pb, "atasan_penilai"),
            rhk=[Rhk.from_pb(r) for r in pb.rhk],
            perilaku=[Perilaku.from_pb(p) for p in pb.perilaku],
            lampiran=Lampiran.from_pb(pb.lampiran),
            alasan_dikembalikan=pb.alasan_dikembalikan or None,
            diajukan_at=timestamp_or_none(pb, "diajukan_at"),
            disetujui_at=timestamp_or_none(pb, "disetujui_at"),
            dikembalikan_at=timestamp_or_none(pb, "dikembalikan_at"),
            created_at=timestamp_or_none(pb, "created_at"),
            updated_at=timestamp_or_none(pb, "updated_at"),
            version=pb.version,
            jumlah_rhk=pb.jumlah_rhk,
            jumlah_indikator=pb.jumlah_indikator,
        )


# ---- matriks peran hasil ----


@strawberry.type(description="A column of a matriks peran hasil: a produk or layanan.")
class MphKolom:
    id: strawberry.ID
    nama: str


@strawberry.type(description="The peran of an anggota in one column.")
class MphPeran:
    kolom_id: strawberry.ID
    peran: str


@strawberry.type(description="A team member of a matriks peran hasil, with their peran per column.")
class MphAnggota:
    id: strawberry.ID
    pegawai: Pejabat | None
    peran_tim: PeranTim | None
    peran: list[MphPeran]

    @classmethod
    def from_pb(cls, pb: skp_pb2.MphAnggota) -> MphAnggota:
        return cls(
            id=strawberry.ID(pb.id),
            pegawai=Pejabat.of(pb, "pegawai"),
            peran_tim=enum_or_none(PeranTim, pb.peran_tim),
            peran=[MphPeran(kolom_id=strawberry.ID(p.kolom_id), peran=p.peran) for p in pb.peran],
        )


@strawberry.type(description="Matriks peran hasil of an RHK: who in the team delivers what.")
class MatriksPeranHasil:
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

    @classmethod
    def from_pb(cls, pb: skp_pb2.MatriksPeranHasil) -> MatriksPeranHasil:
        return cls(
            id=strawberry.ID(pb.id),
            instansi_id=strawberry.ID(pb.instansi_id),
            skp_id=strawberry.ID(pb.skp_id),
            rhk_id=strawberry.ID(pb.rhk_id),
            rhk_teks=pb.rhk_teks,
            pemilik=Pejabat.of(pb, "pemilik"),
            tahun=pb.tahun,
            unor_id=id_or_none(pb.unor_id),
            kolom=[MphKolom(id=strawberry.ID(k.id), nama=k.nama) for k in pb.kolom],
            anggota=[MphAnggota.from_pb(a) for a in pb.anggota],
            version=pb.version,
        )


@strawberry.type(
    description="A peran assigned to the caller in an atasan's matriks, offered to copy to an RHK."
)
class PeranDitugaskan:
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

    @classmethod
    def from_pb(cls, pb: skp_pb2.PeranDitugaskan) -> PeranDitugaskan:
        return cls(
            mph_id=strawberry.ID(pb.mph_id),
            kolom_id=strawberry.ID(pb.kolom_id),
            kolom_nama=pb.kolom_nama,
            peran=pb.peran,
            peran_tim=enum_or_none(PeranTim, pb.peran_tim),
            atasan_skp_id=id_or_none(pb.atasan_skp_id),
            atasan_rhk_id=id_or_none(pb.atasan_rhk_id),
            atasan_rhk_teks=pb.atasan_rhk_teks,
            atasan=Pejabat.of(pb, "atasan"),
            tahun=pb.tahun,
        )


# ---- kinerja harian ----


@strawberry.type(description="A day's work recorded against an indikator of an approved SKP.")
class KinerjaHarian:
    id: strawberry.ID
    skp_id: strawberry.ID
    tanggal: datetime.date | None
    uraian: str
    indikator_id: strawberry.ID | None
    rhk_id: strawberry.ID | None
    realisasi: str = strawberry.field(description="Decimal text.")
    satuan: str
    version: int

    @classmethod
    def from_pb(cls, pb: skp_pb2.KinerjaHarian) -> KinerjaHarian:
        return cls(
            id=strawberry.ID(pb.id),
            skp_id=strawberry.ID(pb.skp_id),
            tanggal=date_or_none(pb.tanggal),
            uraian=pb.uraian,
            indikator_id=id_or_none(pb.indikator_id),
            rhk_id=id_or_none(pb.rhk_id),
            realisasi=pb.realisasi,
            satuan=pb.satuan,
            version=pb.version,
        )


@strawberry.type(description="One indikator in one month: its target and what kinerja harian add up to.")
class RekapBulanan:
    indikator_id: strawberry.ID
    rhk_id: strawberry.ID | None
    bulan: int = strawberry.field(description="1-12.")
    target: str | None = strawberry.field(description="Decimal text; null when nothing is planned.")
    realisasi: str = strawberry.field(description="Decimal text.")
    jumlah_entri: int

    @classmethod
    def from_pb(cls, pb: skp_pb2.RekapBulanan) -> RekapBulanan:
        return cls(
            indikator_id=strawberry.ID(pb.indikator_id),
            rhk_id=id_or_none(pb.rhk_id),
            bulan=pb.bulan,
            target=pb.target or None,
            realisasi=pb.realisasi,
            jumlah_entri=pb.jumlah_entri,
        )


@strawberry.type(description="One thing that keeps an SKP from being assessed for a periode.")
class Kekurangan:
    field: str = strawberry.field(description="Where: status, periodeId or rhk[i].")
    code: str = strawberry.field(
        description="SKP_BELUM_DISETUJUI, PERIODE_DI_LUAR_SKP or RHK_TANPA_RENCANA_AKSI."
    )
    message: str = strawberry.field(description="Indonesian message for the user.")
    rhk_id: strawberry.ID | None

    @classmethod
    def from_pb(cls, pb: skp_pb2.Kekurangan) -> Kekurangan:
        return cls(field=camel_path(pb.field), code=pb.code, message=pb.message, rhk_id=id_or_none(pb.rhk_id))


@strawberry.type(
    description="Whether an SKP may be assessed for a periode: approved, and every RHK planned in it."
)
class KesiapanPenilaian:
    siap: bool
    kekurangan: list[Kekurangan]

    @classmethod
    def from_pb(cls, pb: skp_pb2.KesiapanPenilaian) -> KesiapanPenilaian:
        return cls(siap=pb.siap, kekurangan=[Kekurangan.from_pb(k) for k in pb.kekurangan])
