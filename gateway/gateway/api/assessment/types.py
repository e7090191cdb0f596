"""GraphQL types of assessment, derived from the assessment service's protobuf messages (api/protobuf.py).

A penilaian is built from one GetPenilaian/BatchGetPenilaian response into plain typed objects
(realisasi, perilaku, penjelasan, kekurangan); what refers elsewhere goes through the request's
DataLoaders: `Penilaian.polaDistribusi` (one GetPolaDistribusi per unit kerja and periode in a
request), `Tugas.penilaian`, `Keberatan.penilaian` and `KalibrasiItem.penilaian` (one
BatchGetPenilaian for a page), and the unor of capaian and pola distribusi (org's BatchGetUnor).
Decimal values stay exact decimal text (String); YYYY-MM-DD strings become Date.
"""

from __future__ import annotations

import datetime
from typing import TypeVar

import strawberry

from gateway.api.context import Info
from gateway.api.errors import camel_path
from gateway.api.org.types import Unor, load_unor
from gateway.api.protobuf import FromProto, ProtoEnum
from gateway.api.skp.types import (
    Aspek,
    JenisPenilai,
    JenisPeriode,
    JenisRhk,
    ModelSkp,
    NilaiPerilaku,
    Pejabat,
    Pendekatan,
    Perspektif,
    Target,
)
from kinerja.assessment.v1 import assessment_pb2

# ---- enums (values are the proto enum numbers) ----


@strawberry.enum(description="Rating hasil kerja or rating perilaku kerja (PermenPAN-RB 6/2022).")
class Rating(ProtoEnum, proto=assessment_pb2.Rating): ...


@strawberry.enum(description="Predikat kinerja: from the two ratings by the matrix in force, never typed.")
class Predikat(ProtoEnum, proto=assessment_pb2.Predikat): ...


@strawberry.enum(description="Capaian kinerja organisasi of a JPT/mandiri unit.")
class Capaian(ProtoEnum, proto=assessment_pb2.Capaian): ...


@strawberry.enum(
    description="DIBUKA while realisasi, feedback and umpan balik are written; DINILAI once rated."
)
class StatusPenilaian(ProtoEnum, proto=assessment_pb2.StatusPenilaian): ...


@strawberry.enum(description="Where a keberatan is; TERLAMBAT: filed after the window, kept but not decided.")
class StatusKeberatan(ProtoEnum, proto=assessment_pb2.StatusKeberatan): ...


@strawberry.enum(description="Kind of task in a person's inbox.")
class JenisTugas(ProtoEnum, proto=assessment_pb2.JenisTugas): ...


@strawberry.enum(description="An upper or a lower bound of the pola distribusi.")
class JenisBatas(ProtoEnum, proto=assessment_pb2.JenisBatas): ...


@strawberry.enum(
    description="Which penilaian a list shows: own, those the caller rates today, or all (admin)."
)
class PenilaianScope(ProtoEnum, proto=assessment_pb2.PenilaianScope): ...


@strawberry.enum(description="Which keberatan a list shows: filed, to answer, or all (admin).")
class KeberatanScope(ProtoEnum, proto=assessment_pb2.KeberatanScope): ...


# ---- penilaian ----


@strawberry.type(description="A link to evidence (bukti dukung): where the file is kept, and what it is.")
class BuktiDukung(FromProto, message=assessment_pb2.BuktiDukung):
    id: strawberry.ID
    nama: str
    url: str


@strawberry.type(
    description="Who did something, as printed (from the SKP's snapshot or from org on the day)."
)
class Pelaku(FromProto, message=assessment_pb2.Pelaku):
    pegawai_id: strawberry.ID | None
    nip: str | None
    nama: str
    jabatan: str | None

    @classmethod
    def is_empty(cls, pb: assessment_pb2.Pelaku) -> bool:
        """Nobody yet (e.g. a keberatan not explained)."""
        return not (pb.pegawai_id or pb.nama)


@strawberry.type(description="Realisasi of one indikator by the SKP's owner, and the penilai's umpan balik.")
class RealisasiIndikator(FromProto, message=assessment_pb2.RealisasiIndikator):
    indikator_id: strawberry.ID
    rhk_id: strawberry.ID
    indikator_teks: str = strawberry.field(description="As planned in the SKP.")
    rhk_teks: str
    jenis_rhk: JenisRhk | None
    aspek: Aspek | None = strawberry.field(description="JA/JF indikator.")
    perspektif: Perspektif | None = strawberry.field(description="JPT indikator.")
    target: Target | None
    nilai: str | None = strawberry.field(description="Decimal text (kuantitatif); null when not entered.")
    satuan: str | None
    teks: str | None = strawberry.field(description="Kualitatif realisasi.")
    keterangan: str | None
    bukti_dukung: list[BuktiDukung]
    diisi_at: datetime.datetime | None
    umpan_balik: str | None
    umpan_balik_at: datetime.datetime | None
    terisi: bool = strawberry.field(description="The owner has entered it.")


@strawberry.type(
    description="One BerAKHLAK value: the chosen penilai's feedback and the penilai's umpan balik."
)
class PerilakuPenilaian(FromProto, message=assessment_pb2.PerilakuPenilaian):
    nilai: NilaiPerilaku | None
    nama: str
    ekspektasi: str | None
    penilai_jenis: JenisPenilai | None
    penilai_pegawai_id: strawberry.ID | None
    penilai_nama: str | None
    feedback: str | None
    feedback_at: datetime.datetime | None
    umpan_balik: str | None
    umpan_balik_at: datetime.datetime | None


@strawberry.type(
    description="Why a predikat is what it is: the rule in force, the ratings, who rated and when."
)
class PenjelasanPredikat(FromProto, message=assessment_pb2.PenjelasanPredikat):
    predikat: Predikat | None
    rating_hasil_kerja: Rating | None
    rating_perilaku_kerja: Rating | None
    aturan_versi: str = strawberry.field(description="Version of the matrix used.")
    aturan_berlaku_sejak: datetime.date | None = strawberry.field(
        description="The day that matrix took effect."
    )
    aturan_sumber: str = strawberry.field(description="Its source (regulation).")
    hasil_dari_capaian: bool = strawberry.field(
        description="Head of a JPT/mandiri unit: the unit's capaian gave the rating hasil kerja."
    )
    capaian: Capaian | None
    capaian_unor_id: strawberry.ID | None
    dinilai_oleh: Pelaku | None
    dinilai_at: datetime.datetime | None
    keberatan_id: strawberry.ID | None = strawberry.field(
        description="Set when an approved keberatan gave it."
    )
    uraian: str = strawberry.field(description="A sentence a pegawai can read.")


@strawberry.type(description="One thing still missing before the pejabat penilai can rate.")
class KekuranganPenilaian(
    FromProto, message=assessment_pb2.Kekurangan, by_hand={"field": lambda pb: camel_path(pb.field)}
):
    field: str = strawberry.field(description="Where, e.g. perilaku[3].feedback or realisasi[0].umpanBalik.")
    code: str = strawberry.field(description="e.g. UMPAN_BALIK_BELUM_ADA, FEEDBACK_PERILAKU_BELUM_ADA.")
    message: str = strawberry.field(description="Indonesian message for the user.")


@strawberry.type(description="The mix of predikat of a unit kerja in a periode against its capaian's bounds.")
class PolaDistribusi(FromProto, message=assessment_pb2.PolaDistribusi):
    unor_id: strawberry.ID
    unor_nama: str
    periode_id: strawberry.ID
    tahun: int
    capaian: Capaian | None = strawberry.field(description="Null until the admin sets it.")
    capaian_final: bool
    statistik: StatistikCapaian | None
    batas: list[BatasDistribusi]
    sesuai: bool = strawberry.field(description="Every bound holds (also when no capaian is set).")
    aturan_versi: str
    aturan_sumber: str

    @strawberry.field(description="The unit kerja, as org knows it now.")
    async def unor(self, info: Info) -> Unor | None:
        return await load_unor(info, read_for(self, info), self.unor_id)


@strawberry.type(description="A penilaian of an SKP for one periode: realisasi, feedback, ratings, predikat.")
class Penilaian(FromProto, message=assessment_pb2.Penilaian):
    id: strawberry.ID
    instansi_id: strawberry.ID
    skp_id: strawberry.ID
    periode_id: strawberry.ID
    tahun: int
    periode_nama: str
    periode_jenis: JenisPeriode | None
    tanggal_mulai: datetime.date | None = strawberry.field(description="The periode's days within the SKP.")
    tanggal_selesai: datetime.date | None
    batas_pengisian: datetime.date | None = strawberry.field(
        description="Last day for realisasi and feedback in force for this pegawai, extensions included."
    )
    batas_diperpanjang: bool
    model: ModelSkp | None
    pendekatan: Pendekatan | None
    pegawai: Pejabat | None
    penilai: Pejabat | None = strawberry.field(description="The pejabat penilai on the SKP.")
    atasan_penilai: Pejabat | None
    unit_kerja_id: strawberry.ID | None = strawberry.field(
        description="The JPT/mandiri unit of the pegawai's unor (capaian and pola distribusi are per unit)."
    )
    pimpinan_unit_kerja: bool = strawberry.field(
        description="Heads that unit: its capaian is their rating hasil kerja."
    )
    status: StatusPenilaian | None
    realisasi: list[RealisasiIndikator] = strawberry.field(description="Empty in lists unless selected.")
    perilaku: list[PerilakuPenilaian]
    rating_hasil_kerja: Rating | None
    rating_perilaku_kerja: Rating | None
    predikat: Predikat | None
    penjelasan: PenjelasanPredikat | None
    created_at: datetime.datetime | None
    updated_at: datetime.datetime | None
    version: int
    kekurangan: list[KekuranganPenilaian] = strawberry.field(
        description="What is still missing before the pejabat penilai can rate (empty when ready)."
    )

    @strawberry.field(
        description=(
            "The pola distribusi of the unit kerja in this periode, for its head and admins "
            "(null for others): one call per unit and periode however many penilaian ask."
        )
    )
    async def pola_distribusi(self, info: Info) -> PolaDistribusi | None:
        if not self.unit_kerja_id:
            return None
        loaders = info.context.record_loaders(self.instansi_id)
        pb = await loaders.pola_distribusi.load((str(self.unit_kerja_id), str(self.periode_id), self.tahun))
        if pb is None:
            return None
        return listed_for(PolaDistribusi.from_pb(pb), str(self.instansi_id))


async def load_penilaian(info: Info, instansi_id: str, penilaian_id: str | None) -> Penilaian | None:
    """A whole penilaian through the request's DataLoader (one BatchGetPenilaian per tick)."""
    if not penilaian_id:
        return None
    pb = await info.context.record_loaders(instansi_id).penilaian.load(str(penilaian_id))
    return Penilaian.from_pb(pb) if pb is not None else None


R = TypeVar("R")
_READ_FOR = "_read_for_instansi"


def listed_for(record: R, instansi_id: str) -> R:
    """Marks a record without an instansi of its own (a task, a calibration item, a pola distribusi)
    with the instansi it was read for (an admin BKN names it), so what it refers to is loaded there."""
    setattr(record, _READ_FOR, instansi_id)
    return record


def read_for(record: object, info: Info) -> str:
    """The instansi `record` was read for: as marked, else the caller's own."""
    marked: str = getattr(record, _READ_FOR, "")
    if marked:
        return marked
    principal = info.context.principal
    return str(principal.instansi_id) if principal is not None else ""


@strawberry.type(description="An admin's extension of a periode's batas pengisian for a pegawai or a unit.")
class PerpanjanganBatas(FromProto, message=assessment_pb2.PerpanjanganBatas):
    id: strawberry.ID
    periode_id: strawberry.ID
    tahun: int
    pegawai_id: strawberry.ID | None = strawberry.field(description="Exactly one of pegawaiId and unorId.")
    unor_id: strawberry.ID | None
    batas_baru: datetime.date | None
    alasan: str
    oleh: Pelaku | None
    created_at: datetime.datetime | None


# ---- inbox ----


@strawberry.type(description="Something a person still has to do.")
class Tugas(FromProto, message=assessment_pb2.Tugas):
    jenis: JenisTugas | None
    penilaian_id: strawberry.ID | None
    keberatan_id: strawberry.ID | None
    skp_id: strawberry.ID | None
    periode_id: strawberry.ID | None
    periode_nama: str
    pegawai: Pejabat | None = strawberry.field(description="Whose penilaian it is about.")
    sebagai: JenisPenilai | None = strawberry.field(description="FEEDBACK_PERILAKU: the role chosen in.")
    nilai: list[NilaiPerilaku] = strawberry.field(description="FEEDBACK_PERILAKU: the values assigned.")
    batas_pengisian: datetime.date | None
    keterangan: str

    @strawberry.field(description="The whole penilaian (one BatchGetPenilaian for a page).")
    async def penilaian(self, info: Info) -> Penilaian | None:
        return await load_penilaian(info, read_for(self, info), self.penilaian_id)


@strawberry.type(description="How many tasks of one kind.")
class JumlahTugas(FromProto, message=assessment_pb2.JumlahTugas):
    jenis: JenisTugas | None
    jumlah: int


# ---- capaian and pola distribusi ----


@strawberry.type(description="How many pegawai have one predikat.")
class JumlahPredikat(FromProto, message=assessment_pb2.JumlahPredikat):
    predikat: Predikat | None
    jumlah: int


@strawberry.type(description="Pegawai of the unit rated in the periode out of those with an SKP in it.")
class StatistikCapaian(FromProto, message=assessment_pb2.StatistikCapaian):
    dinilai: int
    total: int
    per_predikat: list[JumlahPredikat]


@strawberry.type(description="Capaian kinerja organisasi of a JPT/mandiri unit in a periode.")
class CapaianOrganisasi(FromProto, message=assessment_pb2.CapaianOrganisasi):
    id: strawberry.ID
    instansi_id: strawberry.ID
    tahun: int
    periode_id: strawberry.ID
    periode_nama: str
    unor_id: strawberry.ID
    unor_nama: str
    capaian: Capaian | None
    bukti_dukung_url: str | None
    final: bool
    finalised_at: datetime.datetime | None
    diubah_oleh: Pelaku | None
    created_at: datetime.datetime | None
    updated_at: datetime.datetime | None
    version: int
    statistik: StatistikCapaian | None

    @strawberry.field(description="The unit kerja, as org knows it now.")
    async def unor(self, info: Info) -> Unor | None:
        return await load_unor(info, self.instansi_id, self.unor_id)


@strawberry.type(description="One bound of the pola distribusi, checked against the unit's current mix.")
class BatasDistribusi(FromProto, message=assessment_pb2.BatasDistribusi):
    jenis: JenisBatas | None
    predikat: list[Predikat] = strawberry.field(description="The predikat the bound counts together.")
    persen: str = strawberry.field(description="Percent of the unit's rated pegawai, decimal text.")
    jumlah_minimal: int = strawberry.field(description='With persen 0: "at least this many".')
    batas_jumlah: int = strawberry.field(description="Allowed count for the unit's current total.")
    jumlah: int = strawberry.field(description="The count now.")
    terpenuhi: bool
    selisih: int = strawberry.field(description="How many pegawai break it (too many, or too few).")
    uraian: str


@strawberry.type(description="One pegawai of a unit in the calibration view.")
class KalibrasiItem(FromProto, message=assessment_pb2.KalibrasiItem):
    penilaian_id: strawberry.ID
    pegawai: Pejabat | None
    predikat: Predikat | None
    rating_hasil_kerja: Rating | None
    rating_perilaku_kerja: Rating | None
    status: StatusPenilaian | None

    @strawberry.field(description="The whole penilaian (one BatchGetPenilaian for a page).")
    async def penilaian(self, info: Info) -> Penilaian | None:
        return await load_penilaian(info, read_for(self, info), self.penilaian_id)


# ---- keberatan ----


@strawberry.type(description="Ratings and predikat at one point of a keberatan.")
class NilaiKeberatan(FromProto, message=assessment_pb2.NilaiKeberatan):
    rating_hasil_kerja: Rating | None
    rating_perilaku_kerja: Rating | None
    predikat: Predikat | None


@strawberry.type(description="A pegawai's objection to their predikat, and its answer.")
class Keberatan(FromProto, message=assessment_pb2.Keberatan):
    id: strawberry.ID
    instansi_id: strawberry.ID
    penilaian_id: strawberry.ID
    skp_id: strawberry.ID
    periode_id: strawberry.ID
    periode_nama: str
    tahun: int
    pegawai: Pejabat | None
    penilai: Pejabat | None
    atasan_penilai: Pejabat | None
    status: StatusKeberatan | None
    alasan: str
    sebelum: NilaiKeberatan | None = strawberry.field(description="The ratings and predikat objected to.")
    diminta: NilaiKeberatan | None = strawberry.field(description="What the pegawai asked for.")
    sesudah: NilaiKeberatan | None = strawberry.field(description="After the decision.")
    penjelasan_penilai: str | None
    dijelaskan_oleh: Pelaku | None
    dijelaskan_at: datetime.datetime | None
    keputusan: str | None
    diputuskan_oleh: Pelaku | None
    diajukan_at: datetime.datetime | None
    dicek_at: datetime.datetime | None = strawberry.field(
        description="First read by the atasan pejabat penilai."
    )
    diputuskan_at: datetime.datetime | None
    batas_pengajuan: datetime.date | None = strawberry.field(description="The last day to file (WIB).")
    version: int

    @strawberry.field(description="The penilaian objected to (one BatchGetPenilaian for a page).")
    async def penilaian(self, info: Info) -> Penilaian | None:
        return await load_penilaian(info, self.instansi_id, self.penilaian_id)
