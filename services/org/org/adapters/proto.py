"""The protobuf form of org domain objects, shared by the gRPC API and the event payloads."""

from __future__ import annotations

from google.protobuf import timestamp_pb2

from kinerja.org.v1 import org_pb2
from org.domain.instansi import Instansi
from org.domain.pegawai import Pegawai
from org.domain.plt import Plt
from org.domain.relations import ProfileOverrides, Relations
from org.domain.unor import Unor


def _id(value: object | None) -> str:
    return "" if value is None else str(value)


def instansi_pb(item: Instansi) -> org_pb2.Instansi:
    created = timestamp_pb2.Timestamp()
    created.FromDatetime(item.created_at)
    return org_pb2.Instansi(
        id=str(item.id), kode=item.kode, nama=item.nama, jenis=item.jenis, created_at=created
    )


def unor_pb(item: Unor) -> org_pb2.Unor:
    return org_pb2.Unor(
        id=str(item.id),
        instansi_id=str(item.instansi_id),
        nama=item.nama,
        jenis=int(item.jenis),  # type: ignore[arg-type]
        eselon=item.eselon,
        parent_id=_id(item.parent_id),
        induk_id=_id(item.induk_id),
        mandiri=item.mandiri,
        kota=item.kota,
        version=item.version,
        jumlah_pegawai=item.jumlah_pegawai,
        jumlah_sub_unor=item.jumlah_sub_unor,
    )


def pegawai_pb(item: Pegawai) -> org_pb2.Pegawai:
    return org_pb2.Pegawai(
        id=str(item.id),
        instansi_id=str(item.instansi_id),
        nip=item.nip,
        nik=item.nik,
        nama=item.nama,
        unor_id=str(item.unor_id),
        pimpinan=item.pimpinan,
        jabatan=org_pb2.Jabatan(
            nama=item.jabatan.nama,
            jenis=int(item.jabatan.jenis),  # type: ignore[arg-type]
            jenjang=item.jabatan.jenjang,
        ),
        golongan=item.golongan,
        pangkat=item.pangkat,
        tmt_jabatan=item.tmt_jabatan.isoformat() if item.tmt_jabatan else "",
        non_asn=item.non_asn,
        active=item.active,
        version=item.version,
    )


def plt_pb(item: Plt) -> org_pb2.Plt:
    return org_pb2.Plt(
        id=str(item.id),
        instansi_id=str(item.instansi_id),
        pegawai_id=str(item.pegawai_id),
        unor_id=str(item.unor_id),
        jabatan=item.jabatan,
        jenis=int(item.jenis),  # type: ignore[arg-type]
        tanggal_mulai=item.tanggal_mulai.isoformat(),
        tanggal_selesai=item.tanggal_selesai.isoformat(),
        aktif=item.aktif,
        version=item.version,
    )


def overrides_pb(item: ProfileOverrides) -> org_pb2.ProfileRelations:
    return org_pb2.ProfileRelations(
        atasan_langsung_id=_id(item.atasan_langsung_id),
        atasan_ii_id=_id(item.atasan_ii_id),
        atasan_iii_id=_id(item.atasan_iii_id),
        rekan_kerja_ids=[str(i) for i in item.rekan_kerja_ids],
        bawahan_ids=[str(i) for i in item.bawahan_ids],
    )


def relations_pb(item: Relations) -> org_pb2.Relations:
    return org_pb2.Relations(
        pegawai_id=str(item.pegawai_id),
        atasan_langsung_id=_id(item.atasan_langsung_id),
        atasan_ii_id=_id(item.atasan_ii_id),
        atasan_iii_id=_id(item.atasan_iii_id),
        bawahan_ids=[str(i) for i in item.bawahan_ids],
        rekan_kerja_ids=[str(i) for i in item.rekan_kerja_ids],
        memimpin_unor_ids=[str(i) for i in item.memimpin_unor_ids],
        overridden=list(item.overridden),
        as_of=item.as_of.isoformat(),
    )
