"""The protobuf form of skp domain objects, shared by the gRPC API and the event payloads."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from google.protobuf import timestamp_pb2

from kinerja.skp.v1 import skp_pb2
from skp.adapters.orm import KinerjaHarianRow, MphAnggotaRow, MphRow, PerjanjianKinerjaRow
from skp.domain.model import Indikator, Pejabat, Perilaku, Rhk, Skp
from skp.domain.periode import Periode
from skp.domain.values import NILAI_DASAR, PeranTim, decimal_text


def _id(value: object | None) -> str:
    return "" if value is None else str(value)


def _num(value: object | None) -> int:
    return int(value) if value is not None else 0  # type: ignore[call-overload]


def _ts(value: datetime | None) -> timestamp_pb2.Timestamp | None:
    if value is None:
        return None
    stamp = timestamp_pb2.Timestamp()
    stamp.FromDatetime(value)
    return stamp


def periode_pb(item: Periode) -> skp_pb2.Periode:
    return skp_pb2.Periode(
        id=str(item.id),
        instansi_id=str(item.instansi_id),
        nama=item.nama,
        mulai=str(item.mulai),
        selesai=str(item.selesai),
        batas_pengisian=str(item.batas_pengisian),
        jenis=int(item.jenis),  # type: ignore[arg-type]
        version=item.version,
    )


def pk_pb(row: PerjanjianKinerjaRow) -> skp_pb2.PerjanjianKinerja:
    return skp_pb2.PerjanjianKinerja(
        id=str(row.id),
        instansi_id=str(row.instansi_id),
        pegawai_id=str(row.pegawai_id),
        tahun=row.tahun,
        sasaran=[
            skp_pb2.SasaranStrategis(
                id=s["id"],
                teks=s["teks"],
                indikator=[skp_pb2.PkIndikator(**i) for i in s.get("indikator", [])],
            )
            for s in row.sasaran
        ],
        version=row.version,
    )


def pejabat_pb(item: Pejabat | None) -> skp_pb2.Pejabat | None:
    if item is None:
        return None
    return skp_pb2.Pejabat(
        pegawai_id=str(item.pegawai_id),
        nip=item.nip,
        nama=item.nama,
        golongan=item.golongan,
        pangkat=item.pangkat,
        jabatan=item.jabatan,
        unor_id=_id(item.unor_id),
        unor_nama=item.unor_nama,
    )


def pejabat_from_json(data: dict[str, Any]) -> skp_pb2.Pejabat:
    found = pejabat_pb(Pejabat.model_validate(data))
    assert found is not None
    return found


def indikator_pb(item: Indikator, rhk_id: uuid.UUID) -> skp_pb2.Indikator:
    manual = None
    if item.manual is not None:
        m = item.manual
        manual = skp_pb2.ManualIndikator(
            deskripsi_rencana_kerja=m.deskripsi_rencana_kerja,
            definisi=m.definisi,
            formula=m.formula,
            tujuan=m.tujuan,
            satuan_pengukuran=m.satuan_pengukuran,
            jenis_iku=_num(m.jenis_iku),  # type: ignore[arg-type]
            penanggung_jawab=m.penanggung_jawab,
            penyedia_data=m.penyedia_data,
            sumber_data=m.sumber_data,
            periode_pelaporan=_num(m.periode_pelaporan),  # type: ignore[arg-type]
        )
    return skp_pb2.Indikator(
        id=str(item.id),
        rhk_id=str(rhk_id),
        teks=item.teks,
        aspek=_num(item.aspek),  # type: ignore[arg-type]
        perspektif=_num(item.perspektif),  # type: ignore[arg-type]
        target=skp_pb2.Target(
            min=decimal_text(item.target.min), max=decimal_text(item.target.max), satuan=item.target.satuan
        ),
        manual=manual,
        has_manual=manual is not None,
        target_bulanan=[decimal_text(t) for t in item.target_bulanan],
    )


def rhk_pb(item: Rhk) -> skp_pb2.Rhk:
    return skp_pb2.Rhk(
        id=str(item.id),
        jenis=int(item.jenis),  # type: ignore[arg-type]
        teks=item.teks,
        atasan_rhk_id=_id(item.atasan_rhk_id),
        atasan_rhk_teks=item.atasan_rhk_teks,
        atasan_skp_id=_id(item.atasan_skp_id),
        tahapan=item.tahapan,
        sumber_sasaran_id=_id(item.sumber_sasaran_id),
        sumber_mph_id=_id(item.sumber_mph_id),
        indikator=[indikator_pb(i, item.id) for i in item.indikator],
        rencana_aksi=[
            skp_pb2.RencanaAksi(
                id=str(r.id),
                rhk_id=str(item.id),
                periode_id=str(r.periode_id),
                teks=r.teks,
                target=decimal_text(r.target),
                satuan=r.satuan,
            )
            for r in item.rencana_aksi
        ],
    )


def perilaku_pb(item: Perilaku) -> skp_pb2.Perilaku:
    dasar = NILAI_DASAR[item.nilai]
    return skp_pb2.Perilaku(
        nilai=int(item.nilai),  # type: ignore[arg-type]
        nama=dasar.nama,
        panduan=list(dasar.panduan),
        ekspektasi=item.ekspektasi,
        penilai_jenis=_num(item.penilai_jenis),  # type: ignore[arg-type]
        penilai_pegawai_id=_id(item.penilai_pegawai_id),
        penilai_nama=item.penilai_nama,
    )


def skp_pb(item: Skp, *, full: bool = True) -> skp_pb2.Skp:
    """The SKP; `full=False` leaves out rhk and perilaku (lists), keeping their counts."""
    lampiran = item.isi.lampiran
    return skp_pb2.Skp(
        id=str(item.id),
        instansi_id=str(item.instansi_id),
        pegawai_id=str(item.pegawai_id),
        unor_id=str(item.unor_id),
        plt_id=_id(item.plt_id),
        tahun=item.tahun,
        tanggal_mulai=item.tanggal_mulai.isoformat(),
        tanggal_selesai=item.tanggal_selesai.isoformat(),
        pendekatan=int(item.pendekatan),  # type: ignore[arg-type]
        model=int(item.model),  # type: ignore[arg-type]
        status=int(item.status),  # type: ignore[arg-type]
        mandiri=item.mandiri,
        pegawai=pejabat_pb(item.pegawai),
        penilai=pejabat_pb(item.penilai),
        atasan_penilai=pejabat_pb(item.atasan_penilai),
        rhk=[rhk_pb(r) for r in item.ordered_rhk()] if full else [],
        perilaku=[perilaku_pb(p) for p in item.isi.perilaku] if full else [],
        lampiran=skp_pb2.Lampiran(
            dukungan_sumber_daya=lampiran.dukungan_sumber_daya,
            skema_pertanggungjawaban=lampiran.skema_pertanggungjawaban,
            konsekuensi=lampiran.konsekuensi,
        )
        if full
        else None,
        alasan_dikembalikan=item.alasan_dikembalikan,
        diajukan_at=_ts(item.diajukan_at),
        disetujui_at=_ts(item.disetujui_at),
        dikembalikan_at=_ts(item.dikembalikan_at),
        created_at=_ts(item.created_at),
        updated_at=_ts(item.updated_at),
        version=item.version,
        jumlah_rhk=len(item.isi.rhk),
        jumlah_indikator=item.jumlah_indikator,
    )


def mph_pb(row: MphRow, anggota: list[MphAnggotaRow]) -> skp_pb2.MatriksPeranHasil:
    kolom = [skp_pb2.MphKolom(id=k["id"], nama=k["nama"]) for k in row.kolom]
    order = [k.id for k in kolom]
    return skp_pb2.MatriksPeranHasil(
        id=str(row.id),
        instansi_id=str(row.instansi_id),
        skp_id=str(row.skp_id),
        rhk_id=str(row.rhk_id),
        rhk_teks=row.rhk_teks,
        pemilik=pejabat_from_json(row.pemilik),
        tahun=row.tahun,
        unor_id=str(row.unor_id),
        kolom=kolom,
        anggota=[
            skp_pb2.MphAnggota(
                id=str(a.id),
                pegawai=pejabat_from_json(a.pegawai),
                peran_tim=int(PeranTim[a.peran_tim]),  # type: ignore[arg-type]
                peran=[skp_pb2.MphPeran(kolom_id=k, peran=a.peran[k]) for k in order if a.peran.get(k)],
            )
            for a in anggota
        ],
        version=row.version,
    )


def harian_pb(row: KinerjaHarianRow) -> skp_pb2.KinerjaHarian:
    return skp_pb2.KinerjaHarian(
        id=str(row.id),
        skp_id=str(row.skp_id),
        tanggal=row.tanggal.isoformat(),
        uraian=row.uraian,
        indikator_id=str(row.indikator_id),
        rhk_id=str(row.rhk_id),
        realisasi=decimal_text(row.realisasi),
        satuan=row.satuan,
        version=row.version,
    )
