"""Domain → protobuf, once: the API's messages and the events (with their topic and aggregate)."""

from __future__ import annotations

import uuid
from datetime import datetime

from google.protobuf.message import Message
from google.protobuf.timestamp_pb2 import Timestamp

from assessment.domain import events as ev
from assessment.domain.distribusi import PolaHasil
from assessment.domain.model import Pejabat, Pelaku, Penilaian, Penjelasan
from assessment.domain.penilaian import kekurangan
from assessment.domain.records import (
    CapaianOrganisasi,
    Keberatan,
    NilaiKeberatan,
    Perpanjangan,
    Statistik,
    Tugas,
)
from kinerja.assessment.v1 import assessment_pb2 as pb
from kinerja.org.v1 import org_pb2
from kinerja.skp.v1 import skp_pb2

TOPIC_PENILAIAN = "kinerja.assessment.penilaian.v1"
TOPIC_CAPAIAN = "kinerja.assessment.capaian.v1"
TOPIC_KEBERATAN = "kinerja.assessment.keberatan.v1"
TOPICS = (TOPIC_PENILAIAN, TOPIC_CAPAIAN, TOPIC_KEBERATAN)


def _s(value: uuid.UUID | None) -> str:
    return str(value) if value is not None else ""


def ts(value: datetime | None) -> Timestamp | None:
    if value is None:
        return None
    stamp = Timestamp()
    stamp.FromDatetime(value)
    return stamp


def pejabat_pb(value: Pejabat | None) -> skp_pb2.Pejabat | None:
    if value is None:
        return None
    return skp_pb2.Pejabat(
        pegawai_id=_s(value.pegawai_id),
        nip=value.nip,
        nama=value.nama,
        golongan=value.golongan,
        pangkat=value.pangkat,
        jabatan=value.jabatan,
        unor_id=_s(value.unor_id),
        unor_nama=value.unor_nama,
    )


def pelaku_pb(value: Pelaku | None) -> pb.Pelaku | None:
    if value is None:
        return None
    return pb.Pelaku(pegawai_id=_s(value.pegawai_id), nip=value.nip, nama=value.nama, jabatan=value.jabatan)


def penjelasan_pb(value: Penjelasan | None) -> pb.PenjelasanPredikat | None:
    if value is None:
        return None
    return pb.PenjelasanPredikat(
        predikat=int(value.predikat),  # type: ignore[arg-type]
        rating_hasil_kerja=int(value.rating_hasil_kerja),  # type: ignore[arg-type]
        rating_perilaku_kerja=int(value.rating_perilaku_kerja),  # type: ignore[arg-type]
        aturan_versi=value.aturan_versi,
        aturan_berlaku_sejak=value.aturan_berlaku_sejak.isoformat(),
        aturan_sumber=value.aturan_sumber,
        hasil_dari_capaian=value.hasil_dari_capaian,
        capaian=int(value.capaian or 0),  # type: ignore[arg-type]
        capaian_unor_id=_s(value.capaian_unor_id),
        dinilai_oleh=pelaku_pb(value.dinilai_oleh),
        dinilai_at=ts(value.dinilai_at),
        keberatan_id=_s(value.keberatan_id),
        uraian=value.uraian,
    )


def _realisasi(p: Penilaian) -> list[pb.RealisasiIndikator]:
    found = []
    for rhk, indikator in p.skp.semua_indikator():
        r = p.isi.realisasi.get(str(indikator.id))
        item = pb.RealisasiIndikator(
            indikator_id=str(indikator.id),
            rhk_id=str(rhk.id),
            indikator_teks=indikator.teks,
            rhk_teks=rhk.teks,
            jenis_rhk=rhk.jenis,  # type: ignore[arg-type]
            aspek=indikator.aspek,  # type: ignore[arg-type]
            perspektif=indikator.perspektif,  # type: ignore[arg-type]
            target=skp_pb2.Target(
                min=indikator.target.min, max=indikator.target.max, satuan=indikator.target.satuan
            ),
        )
        if r is not None:
            item.nilai, item.satuan, item.teks, item.keterangan = r.nilai, r.satuan, r.teks, r.keterangan
            item.bukti_dukung.extend(
                pb.BuktiDukung(id=str(b.id), nama=b.nama, url=b.url) for b in r.bukti_dukung
            )
            if r.diisi_at is not None:
                item.diisi_at.FromDatetime(r.diisi_at)
                item.terisi = True
            item.umpan_balik = r.umpan_balik
            if r.umpan_balik_at is not None:
                item.umpan_balik_at.FromDatetime(r.umpan_balik_at)
        found.append(item)
    return found


def _perilaku(p: Penilaian) -> list[pb.PerilakuPenilaian]:
    found = []
    for perilaku in p.skp.perilaku:
        c = p.isi.perilaku.get(str(perilaku.nilai))
        found.append(
            pb.PerilakuPenilaian(
                nilai=perilaku.nilai,  # type: ignore[arg-type]
                nama=perilaku.nama,
                ekspektasi=perilaku.ekspektasi,
                penilai_jenis=perilaku.penilai_jenis,  # type: ignore[arg-type]
                penilai_pegawai_id=_s(perilaku.penilai_pegawai_id),
                penilai_nama=perilaku.penilai_nama,
                feedback=c.feedback if c else "",
                feedback_at=ts(c.feedback_at) if c else None,
                umpan_balik=c.umpan_balik if c else "",
                umpan_balik_at=ts(c.umpan_balik_at) if c else None,
            )
        )
    return found


def penilaian_pb(p: Penilaian, *, full: bool = True) -> pb.Penilaian:
    """The API's penilaian; lists leave out realisasi, perilaku and kekurangan (`full=False`)."""
    mulai, selesai = p.tanggal
    message = pb.Penilaian(
        id=str(p.id),
        instansi_id=str(p.instansi_id),
        skp_id=str(p.skp_id),
        periode_id=str(p.periode_id),
        tahun=p.tahun,
        periode_nama=p.periode.nama,
        periode_jenis=int(p.periode.jenis),  # type: ignore[arg-type]
        tanggal_mulai=mulai.isoformat(),
        tanggal_selesai=selesai.isoformat(),
        batas_pengisian=p.batas.isoformat(),
        batas_diperpanjang=p.batas != p.batas_default,
        model=int(p.skp.model),  # type: ignore[arg-type]
        pendekatan=int(p.skp.pendekatan),  # type: ignore[arg-type]
        pegawai=pejabat_pb(p.skp.pegawai),
        penilai=pejabat_pb(p.skp.penilai),
        atasan_penilai=pejabat_pb(p.skp.atasan_penilai),
        unit_kerja_id=str(p.unit_kerja_id),
        pimpinan_unit_kerja=p.skp.pimpinan_unit_kerja,
        status=int(p.status),  # type: ignore[arg-type]
        rating_hasil_kerja=int(p.rating_hasil_kerja or 0),  # type: ignore[arg-type]
        rating_perilaku_kerja=int(p.rating_perilaku_kerja or 0),  # type: ignore[arg-type]
        predikat=int(p.predikat or 0),  # type: ignore[arg-type]
        penjelasan=penjelasan_pb(p.isi.penjelasan),
        created_at=ts(p.created_at),
        updated_at=ts(p.updated_at),
        version=p.version,
    )
    if full:
        message.realisasi.extend(_realisasi(p))
        message.perilaku.extend(_perilaku(p))
        message.kekurangan.extend(
            pb.Kekurangan(field=g.field, code=g.code, message=g.message) for g in kekurangan(p)
        )
    return message


def perpanjangan_pb(item: Perpanjangan) -> pb.PerpanjanganBatas:
    return pb.PerpanjanganBatas(
        id=str(item.id),
        periode_id=str(item.periode_id),
        tahun=item.tahun,
        pegawai_id=_s(item.pegawai_id),
        unor_id=_s(item.unor_id),
        batas_baru=item.batas_baru.isoformat(),
        alasan=item.alasan,
        oleh=pelaku_pb(item.oleh),
        created_at=ts(item.created_at),
    )


def tugas_pb(item: Tugas) -> pb.Tugas:
    return pb.Tugas(
        jenis=int(item.jenis),  # type: ignore[arg-type]
        penilaian_id=str(item.penilaian_id),
        keberatan_id=_s(item.keberatan_id),
        skp_id=str(item.skp_id),
        periode_id=str(item.periode_id),
        periode_nama=item.periode_nama,
        pegawai=pejabat_pb(item.pegawai),
        sebagai=item.sebagai,  # type: ignore[arg-type]
        nilai=item.nilai,  # type: ignore[arg-type]
        batas_pengisian=item.batas.isoformat() if item.batas else "",
        keterangan=item.keterangan,
    )


def statistik_pb(value: Statistik) -> pb.StatistikCapaian:
    return pb.StatistikCapaian(
        dinilai=value.dinilai,
        total=value.total,
        per_predikat=[
            pb.JumlahPredikat(predikat=int(p), jumlah=n)  # type: ignore[arg-type]
            for p, n in sorted(value.per_predikat.items())
        ],
    )


def capaian_pb(item: CapaianOrganisasi, statistik: Statistik | None = None) -> pb.CapaianOrganisasi:
    return pb.CapaianOrganisasi(
        id=str(item.id),
        instansi_id=str(item.instansi_id),
        tahun=item.tahun,
        periode_id=str(item.periode_id),
        periode_nama=item.periode_nama,
        unor_id=str(item.unor_id),
        unor_nama=item.unor_nama,
        capaian=int(item.capaian),  # type: ignore[arg-type]
        bukti_dukung_url=item.bukti_dukung_url,
        final=item.final,
        finalised_at=ts(item.finalised_at),
        diubah_oleh=pelaku_pb(item.diubah_oleh),
        created_at=ts(item.created_at),
        updated_at=ts(item.updated_at),
        version=item.version,
        statistik=statistik_pb(statistik) if statistik is not None else None,
    )


def pola_pb(
    hasil: PolaHasil,
    *,
    unor_id: uuid.UUID,
    unor_nama: str,
    periode_id: uuid.UUID,
    tahun: int,
    final: bool,
    statistik: Statistik,
) -> pb.PolaDistribusi:
    return pb.PolaDistribusi(
        unor_id=str(unor_id),
        unor_nama=unor_nama,
        periode_id=str(periode_id),
        tahun=tahun,
        capaian=int(hasil.capaian or 0),  # type: ignore[arg-type]
        capaian_final=final,
        statistik=statistik_pb(statistik),
        batas=[
            pb.BatasDistribusi(
                jenis=int(b.batas.jenis),  # type: ignore[arg-type]
                predikat=[int(p) for p in b.batas.predikat],  # type: ignore[misc]
                persen=str(b.batas.persen),
                jumlah_minimal=b.batas.jumlah_minimal,
                batas_jumlah=b.batas_jumlah,
                jumlah=b.jumlah,
                terpenuhi=b.terpenuhi,
                selisih=b.selisih,
                uraian=b.uraian,
            )
            for b in hasil.batas
        ],
        sesuai=hasil.sesuai,
        aturan_versi=hasil.aturan.versi,
        aturan_sumber=hasil.aturan.sumber,
    )


def _nilai(value: NilaiKeberatan | None) -> pb.NilaiKeberatan | None:
    if value is None:
        return None
    return pb.NilaiKeberatan(
        rating_hasil_kerja=int(value.rating_hasil_kerja),  # type: ignore[arg-type]
        rating_perilaku_kerja=int(value.rating_perilaku_kerja),  # type: ignore[arg-type]
        predikat=int(value.predikat),  # type: ignore[arg-type]
    )


def keberatan_pb(item: Keberatan) -> pb.Keberatan:
    return pb.Keberatan(
        id=str(item.id),
        instansi_id=str(item.instansi_id),
        penilaian_id=str(item.penilaian_id),
        skp_id=str(item.skp_id),
        periode_id=str(item.periode_id),
        periode_nama=item.periode_nama,
        tahun=item.tahun,
        pegawai=pejabat_pb(item.pegawai),
        penilai=pejabat_pb(item.penilai),
        atasan_penilai=pejabat_pb(item.atasan_penilai),
        status=int(item.status),  # type: ignore[arg-type]
        alasan=item.alasan,
        sebelum=_nilai(item.sebelum),
        diminta=_nilai(item.diminta),
        sesudah=_nilai(item.sesudah),
        penjelasan_penilai=item.penjelasan_penilai,
        dijelaskan_oleh=pelaku_pb(item.dijelaskan_oleh),
        dijelaskan_at=ts(item.dijelaskan_at),
        keputusan=item.keputusan,
        diputuskan_oleh=pelaku_pb(item.diputuskan_oleh),
        diajukan_at=ts(item.diajukan_at),
        dicek_at=ts(item.dicek_at),
        diputuskan_at=ts(item.diputuskan_at),
        batas_pengajuan=item.batas_pengajuan.isoformat(),
        version=item.version,
    )


def _jabatan_jenis(value: int) -> str:
    try:
        return org_pb2.JenisJabatan.Name(value) if value else ""  # type: ignore[arg-type]
    except ValueError:
        return ""


def _predikat_ditetapkan(event: ev.PredikatDitetapkan) -> pb.PredikatDitetapkan:
    p = event.penilaian
    mulai, selesai = p.tanggal
    return pb.PredikatDitetapkan(
        penilaian_id=str(p.id),
        skp_id=str(p.skp_id),
        periode_id=str(p.periode_id),
        periode_jenis=int(p.periode.jenis),  # type: ignore[arg-type]
        tahun=p.tahun,
        tanggal_mulai=mulai.isoformat(),
        tanggal_selesai=selesai.isoformat(),
        jumlah_bulan=p.jumlah_bulan,
        pegawai=pejabat_pb(p.skp.pegawai),
        jabatan=event.jabatan,
        jabatan_jenis=_jabatan_jenis(event.jabatan_jenis),
        jenjang=event.jenjang,
        penilai=pejabat_pb(p.skp.penilai),
        predikat=int(p.predikat or 0),  # type: ignore[arg-type]
        penjelasan=penjelasan_pb(p.isi.penjelasan),
        sebelumnya=int(event.sebelumnya or 0),  # type: ignore[arg-type]
        tmt_jabatan=event.tmt_jabatan.isoformat() if event.tmt_jabatan else "",
    )


def _penilaian_payload(event: ev.PenilaianEvent) -> Message:
    if isinstance(event, ev.PredikatDitetapkan):
        return _predikat_ditetapkan(event)
    if isinstance(event, ev.BatasDiperpanjang):
        return pb.BatasDiperpanjang(perpanjangan=perpanjangan_pb(event.perpanjangan))
    whole = penilaian_pb(event.penilaian)
    if isinstance(event, ev.PenilaianOpened):
        return pb.PenilaianOpened(penilaian=whole)
    if isinstance(event, ev.RealisasiSubmitted):
        return pb.RealisasiSubmitted(penilaian=whole, indikator_id=str(event.indikator_id))
    if isinstance(event, ev.FeedbackPerilakuGiven):
        return pb.FeedbackPerilakuGiven(penilaian=whole, nilai=event.nilai, oleh=pelaku_pb(event.oleh))  # type: ignore[arg-type]
    if isinstance(event, ev.UmpanBalikGiven):
        return pb.UmpanBalikGiven(penilaian=whole, indikator_id=_s(event.indikator_id), nilai=event.nilai)  # type: ignore[arg-type]
    return pb.RatingGiven(penilaian=whole, oleh=pelaku_pb(event.oleh))


def event_message(event: ev.Event) -> tuple[str, Message, str, uuid.UUID, int]:
    """The topic, payload, aggregate type, id and version (after the change) of an event."""
    if isinstance(event, ev.BatasDiperpanjang):
        item = event.perpanjangan
        return TOPIC_PENILAIAN, _penilaian_payload(event), "perpanjangan_batas", item.id, 1
    if isinstance(
        event,
        ev.PenilaianOpened
        | ev.RealisasiSubmitted
        | ev.FeedbackPerilakuGiven
        | ev.UmpanBalikGiven
        | ev.RatingGiven
        | ev.PredikatDitetapkan,
    ):
        p = event.penilaian
        return TOPIC_PENILAIAN, _penilaian_payload(event), "penilaian", p.id, p.version
    if isinstance(event, ev.KeberatanFiled | ev.KeberatanExplained | ev.KeberatanDecided):
        k = event.keberatan
        message = {
            ev.KeberatanFiled: pb.KeberatanFiled,
            ev.KeberatanExplained: pb.KeberatanExplained,
            ev.KeberatanDecided: pb.KeberatanDecided,
        }[type(event)](keberatan=keberatan_pb(k))
        return TOPIC_KEBERATAN, message, "keberatan", k.id, k.version
    c = event.capaian
    whole = capaian_pb(c, event.statistik)
    if isinstance(event, ev.CapaianFinalised):
        pola = pola_pb(
            event.pola,
            unor_id=c.unor_id,
            unor_nama=c.unor_nama,
            periode_id=c.periode_id,
            tahun=c.tahun,
            final=True,
            statistik=event.statistik,
        )
        return (
            TOPIC_CAPAIAN,
            pb.CapaianFinalised(capaian=whole, pola_distribusi=pola),
            "capaian",
            c.id,
            c.version,
        )
    if isinstance(event, ev.CapaianDeleted):
        return TOPIC_CAPAIAN, pb.CapaianDeleted(capaian=whole), "capaian", c.id, c.version + 1
    if isinstance(event, ev.CapaianUnfinalised):
        return TOPIC_CAPAIAN, pb.CapaianUnfinalised(capaian=whole), "capaian", c.id, c.version
    return TOPIC_CAPAIAN, pb.CapaianChanged(capaian=whole), "capaian", c.id, c.version
