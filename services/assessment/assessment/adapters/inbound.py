"""What the projection consumer reads: skp's periode and SKP and org's unor, protobuf → domain."""

from __future__ import annotations

import uuid
from datetime import date

from assessment.domain.model import (
    IndikatorRencana,
    JenisPeriode,
    ModelSkp,
    Pejabat,
    Pendekatan,
    PerilakuRencana,
    Periode,
    RhkRencana,
    SkpRencana,
    StatusSkp,
    Target,
    Unor,
)
from kinerja.org.v1 import org_pb2
from kinerja.skp.v1 import skp_pb2
from kinerja_kit.ids import parse_uuid


def _id(value: str) -> uuid.UUID | None:
    return parse_uuid(value) if value else None


def pejabat_from_pb(pb: skp_pb2.Pejabat) -> Pejabat | None:
    if not pb.pegawai_id:
        return None
    return Pejabat(
        pegawai_id=_id(pb.pegawai_id),
        nip=pb.nip,
        nama=pb.nama,
        golongan=pb.golongan,
        pangkat=pb.pangkat,
        jabatan=pb.jabatan,
        unor_id=_id(pb.unor_id),
        unor_nama=pb.unor_nama,
    )


def _rhk(pb: skp_pb2.Rhk) -> RhkRencana:
    return RhkRencana(
        id=uuid.UUID(pb.id),
        jenis=int(pb.jenis),
        teks=pb.teks,
        indikator=[
            IndikatorRencana(
                id=uuid.UUID(i.id),
                rhk_id=uuid.UUID(pb.id),
                teks=i.teks,
                aspek=int(i.aspek),
                perspektif=int(i.perspektif),
                target=Target(min=i.target.min, max=i.target.max, satuan=i.target.satuan),
            )
            for i in pb.indikator
        ],
        rencana_aksi_periode_ids=list(
            dict.fromkeys(uuid.UUID(r.periode_id) for r in pb.rencana_aksi if r.periode_id)
        ),
    )


def skp_from_pb(pb: skp_pb2.Skp, version: int, *, deleted: bool = False) -> SkpRencana:
    """The SKP an event carries (every SKP event carries the whole SKP); its unit kerja is set by the
    repository from the unor projection."""
    penilai = pejabat_from_pb(pb.penilai)
    unor_id = uuid.UUID(pb.unor_id)
    return SkpRencana(
        id=uuid.UUID(pb.id),
        instansi_id=uuid.UUID(pb.instansi_id),
        pegawai_id=uuid.UUID(pb.pegawai_id),
        unor_id=unor_id,
        plt_id=_id(pb.plt_id),
        tahun=pb.tahun,
        tanggal_mulai=date.fromisoformat(pb.tanggal_mulai),
        tanggal_selesai=date.fromisoformat(pb.tanggal_selesai),
        status=StatusSkp(pb.status),
        model=ModelSkp(pb.model),
        pendekatan=Pendekatan(pb.pendekatan),
        mandiri=pb.mandiri,
        unit_kerja_id=unor_id,
        pegawai=pejabat_from_pb(pb.pegawai) or Pejabat(pegawai_id=uuid.UUID(pb.pegawai_id)),
        penilai=penilai,
        # skp's snapshot holds the unor the penilai leads (their own, or the one they act for).
        penilai_unor_id=penilai.unor_id if penilai else None,
        atasan_penilai=pejabat_from_pb(pb.atasan_penilai),
        rhk=[_rhk(r) for r in pb.rhk],
        perilaku=[
            PerilakuRencana(
                nilai=int(p.nilai),
                nama=p.nama,
                ekspektasi=p.ekspektasi,
                penilai_jenis=int(p.penilai_jenis),
                penilai_pegawai_id=_id(p.penilai_pegawai_id),
                penilai_nama=p.penilai_nama,
            )
            for p in pb.perilaku
        ],
        version=version or pb.version,
        deleted=deleted,
    )


def periode_from_pb(pb: skp_pb2.Periode, version: int, *, deleted: bool = False) -> Periode:
    return Periode(
        id=uuid.UUID(pb.id),
        instansi_id=uuid.UUID(pb.instansi_id),
        nama=pb.nama,
        mulai=pb.mulai,
        selesai=pb.selesai,
        batas_pengisian=pb.batas_pengisian,
        jenis=JenisPeriode(pb.jenis),
        version=version or pb.version,
        deleted=deleted,
    )


def unor_from_pb(pb: org_pb2.Unor, instansi_id: uuid.UUID, version: int) -> Unor:
    return Unor(
        id=uuid.UUID(pb.id),
        instansi_id=instansi_id,
        nama=pb.nama,
        parent_id=_id(pb.parent_id),
        jenis=int(pb.jenis),
        mandiri=pb.mandiri,
        induk_id=_id(pb.induk_id),
        version=version or pb.version,
    )
