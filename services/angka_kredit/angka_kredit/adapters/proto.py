"""The domain's PAK, its events, the pengaturan and the rules as the contract's messages (for the API and
the events), once."""

from __future__ import annotations

import hashlib
from datetime import date, datetime
from fractions import Fraction

from google.protobuf.message import Message
from google.protobuf.timestamp_pb2 import Timestamp

from angka_kredit.adapters.repository import Pengaturan
from angka_kredit.domain import nilai
from angka_kredit.domain.aturan import AturanAngkaKredit
from angka_kredit.domain.kumulatif import Kumulatif
from angka_kredit.domain.model import (
    Event,
    Langkah,
    Pak,
    PakDiajukan,
    PakDibuat,
    PakDihitungUlang,
    PakDikembalikan,
    PakDisetujui,
    PakPerluDiperbarui,
    PakSigned,
    Pelaku,
    Perubahan,
    TandaTangan,
)
from angka_kredit.domain.perhitungan import Perhitungan
from kinerja.angka_kredit.v1 import angka_kredit_pb2 as pb
from kinerja.assessment.v1 import assessment_pb2
from kinerja.skp.v1 import skp_pb2

TOPIC_PAK = "kinerja.angka_kredit.pak.v1"
TOPICS = (TOPIC_PAK,)


def _ts(value: datetime | None) -> Timestamp | None:
    if value is None:
        return None
    ts = Timestamp()
    ts.FromDatetime(value)
    return ts


def _day(value: date | None) -> str:
    return value.isoformat() if value else ""


def _id(value: object | None) -> str:
    return str(value) if value is not None else ""


def nilai_ak(value: Fraction) -> pb.NilaiAk:
    """An exact AK as the contract answers it: the reduced fraction and its two decimal forms."""
    n = nilai.nilai_ak(value)
    return pb.NilaiAk(pecahan=n.pecahan, desimal=n.desimal, tampil=n.tampil)


def pelaku_pb(p: Pelaku | None) -> assessment_pb2.Pelaku | None:
    if p is None:
        return None
    return assessment_pb2.Pelaku(pegawai_id=_id(p.pegawai_id), nip=p.nip, nama=p.nama, jabatan=p.jabatan)


def perhitungan_pb(h: Perhitungan) -> pb.Perhitungan:
    return pb.Perhitungan(
        predikat=int(h.predikat),  # type: ignore[arg-type]
        jumlah_bulan=h.jumlah_bulan,
        uraian_bulan=h.uraian_bulan,
        persentase=h.persentase_teks,
        koefisien=h.koefisien_teks,
        angka_kredit=nilai_ak(h.angka_kredit),
        rumus=h.rumus,
        aturan_versi=h.aturan_versi,
        aturan_berlaku_sejak=h.aturan_berlaku_sejak.isoformat(),
        aturan_sumber=h.aturan_sumber,
    )


def kumulatif_pb(k: Kumulatif) -> pb.Kumulatif:
    message = pb.Kumulatif(
        lama=nilai_ak(k.lama),
        diperoleh=nilai_ak(k.diperoleh),
        baru=nilai_ak(k.baru),
        terpenuhi=k.terpenuhi,
        kekurangan=nilai_ak(k.kekurangan),
        uraian=k.uraian,
    )
    if k.kebutuhan is not None:
        message.kebutuhan.CopyFrom(nilai_ak(k.kebutuhan))
    return message


def perubahan_pb(p: Perubahan) -> pb.Perubahan:
    return pb.Perubahan(
        at=_ts(p.at),
        alasan=p.alasan,
        keberatan_id=_id(p.keberatan_id),
        predikat_sebelum=int(p.predikat_sebelum or 0),  # type: ignore[arg-type]
        predikat_sesudah=int(p.predikat_sesudah or 0),  # type: ignore[arg-type]
        ak_sebelum=nilai_ak(p.ak_sebelum),
        ak_sesudah=nilai_ak(p.ak_sesudah),
        diterapkan=p.diterapkan,
    )


def langkah_pb(s: Langkah) -> pb.Langkah:
    # DIBUAT has no status before; the contract shows it as DRAFT → DRAFT.
    sebelum = s.status_sebelum if s.status_sebelum is not None else s.status_sesudah
    return pb.Langkah(
        aksi=str(s.aksi),
        status_sebelum=int(sebelum),  # type: ignore[arg-type]
        status_sesudah=int(s.status_sesudah),  # type: ignore[arg-type]
        oleh=pelaku_pb(s.oleh),
        at=_ts(s.at),
        alasan=s.alasan,
    )


def tanda_tangan_pb(t: TandaTangan) -> pb.TandaTangan:
    return pb.TandaTangan(
        cara=int(t.cara),  # type: ignore[arg-type]
        oleh=pelaku_pb(t.oleh),
        at=_ts(t.at),
        sha256=t.sha256,
        nama_berkas=t.nama_berkas,
        ukuran=t.ukuran,
    )


def pak_pb(p: Pak) -> pb.Pak:
    message = pb.Pak(
        id=str(p.id),
        instansi_id=str(p.instansi_id),
        sumber=int(p.sumber),  # type: ignore[arg-type]
        status=int(p.status),  # type: ignore[arg-type]
        tahun=p.tahun,
        skp_id=_id(p.skp_id),
        periode_id=_id(p.periode_id),
        penilaian_id=_id(p.penilaian_id),
        tanggal_mulai=_day(p.tanggal_mulai),
        tanggal_selesai=_day(p.tanggal_selesai),
        pegawai=skp_pb2.Pejabat(
            pegawai_id=str(p.pegawai_id),
            nip=p.nip,
            nama=p.nama,
            golongan=p.golongan,
            pangkat=p.pangkat,
            jabatan=p.jabatan,
            unor_id=_id(p.unor_id),
            unor_nama=p.unor_nama,
        ),
        jabatan=p.jabatan,
        jenjang=p.jenjang,
        golongan=p.golongan,
        tmt_jabatan=_day(p.tmt_jabatan),
        perhitungan=perhitungan_pb(p.perhitungan) if p.perhitungan else None,
        dokumen_sumber=p.dokumen_sumber,
        keterangan=p.keterangan,
        angka_kredit=nilai_ak(p.angka_kredit),
        kenaikan_pangkat=kumulatif_pb(p.kenaikan_pangkat) if p.kenaikan_pangkat else None,
        kenaikan_jenjang=kumulatif_pb(p.kenaikan_jenjang) if p.kenaikan_jenjang else None,
        nomor_sk=p.nomor_sk or "",
        tempat=p.tempat,
        tanggal_sk=_day(p.tanggal_sk),
        tanda_tangan=tanda_tangan_pb(p.tanda_tangan) if p.tanda_tangan else None,
        perlu_pak_baru=p.perlu_pak_baru,
        perlu_pak_baru_alasan=p.perlu_pak_baru_alasan if p.perlu_pak_baru else "",
        perubahan=[perubahan_pb(x) for x in p.perubahan],
        riwayat=[langkah_pb(s) for s in p.riwayat],
        version=p.version,
        created_at=_ts(p.created_at),
        updated_at=_ts(p.updated_at),
    )
    return message


def isi_sha256(p: Pak) -> str:
    """The digest a TTE signs: the PAK's content (its figures and SK) as the contract's message serialised
    deterministically, without workflow bookkeeping (status, steps, signature, changes, version, times)."""
    message = pak_pb(p)
    for name in ("riwayat", "tanda_tangan", "status", "version", "created_at", "updated_at", "perubahan"):
        message.ClearField(name)
    return hashlib.sha256(message.SerializeToString(deterministic=True)).hexdigest()


def event_pb(event: Event) -> Message:
    """A domain event as published on TOPIC_PAK, with the PAK as it is now."""
    pak = pak_pb(event.pak)
    match event:
        case PakDibuat():
            return pb.PakDibuat(pak=pak)
        case PakDihitungUlang(perubahan=perubahan):
            return pb.PakDihitungUlang(pak=pak, perubahan=perubahan_pb(perubahan) if perubahan else None)
        case PakDiajukan():
            return pb.PakDiajukan(pak=pak)
        case PakDisetujui():
            return pb.PakDisetujui(pak=pak)
        case PakSigned():
            return pb.PakSigned(pak=pak)
        case PakDikembalikan(alasan=alasan):
            return pb.PakDikembalikan(pak=pak, alasan=alasan)
        case PakPerluDiperbarui(alasan=alasan):
            return pb.PakPerluDiperbarui(pak=pak, alasan=alasan)
    raise TypeError(f"unknown event {type(event).__name__}")


def pengaturan_pb(p: Pengaturan) -> pb.PengaturanPak:
    return pb.PengaturanPak(
        instansi_id=str(p.instansi_id),
        mode=int(p.mode),  # type: ignore[arg-type]
        format_nomor=p.format_nomor,
        tempat=p.tempat,
        diubah_oleh=pelaku_pb(p.diubah_oleh),
        updated_at=_ts(p.updated_at),
        version=p.version,
    )


def aturan_pb(a: AturanAngkaKredit) -> pb.Aturan:
    return pb.Aturan(
        versi=a.versi,
        berlaku_sejak=a.berlaku_sejak.isoformat(),
        sumber=a.sumber,
        persentase=[
            pb.Aturan.Persentase(predikat=int(p), persentase=nilai.angka(v))  # type: ignore[arg-type]
            for p, v in sorted(a.persentase.items())
        ],
        jenjang=[
            pb.Aturan.Jenjang(
                jenjang=j.nama,
                koefisien=nilai.angka(j.koefisien),
                kebutuhan_pangkat=nilai.angka(j.kebutuhan_pangkat) if j.kebutuhan_pangkat is not None else "",
                kebutuhan_jenjang=nilai.angka(j.kebutuhan_jenjang) if j.kebutuhan_jenjang is not None else "",
                jenjang_berikutnya=j.jenjang_berikutnya or "",
            )
            for j in a.jenjang
        ],
        cara_hitung_bulan=a.cara_hitung_uraian,
    )
