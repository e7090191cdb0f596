"""A stored PAK and pengaturan as the contract's messages (for the API and the events), once."""

from __future__ import annotations

from datetime import date, datetime
from fractions import Fraction
from typing import Any

from google.protobuf import json_format
from google.protobuf.message import Message
from google.protobuf.timestamp_pb2 import Timestamp

from angka_kredit.domain import nilai
from angka_kredit.domain.aturan import AturanAngkaKredit
from angka_kredit.service_layer.records import PakRecord, Pengaturan
from kinerja.angka_kredit.v1 import angka_kredit_pb2 as pb
from kinerja.assessment.v1 import assessment_pb2
from kinerja.skp.v1 import skp_pb2

TOPIC_PAK = "kinerja.angka_kredit.pak.v1"
TOPICS = (TOPIC_PAK,)


def to_json(message: Message) -> dict[str, Any]:
    """A message as stored in a document (field names as in the .proto, enums by name)."""
    return json_format.MessageToDict(message, preserving_proto_field_name=True)


def from_json(data: dict[str, Any] | None, message: Message) -> Message:
    if data:
        json_format.ParseDict(data, message, ignore_unknown_fields=True)
    return message


def _ts(value: datetime | None) -> Timestamp | None:
    if value is None:
        return None
    ts = Timestamp()
    ts.FromDatetime(value)
    return ts


def _day(value: date | None) -> str:
    return value.isoformat() if value else ""


def nilai_ak(value: Fraction) -> pb.NilaiAk:
    """An exact AK as the contract answers it: the reduced fraction and its two decimal forms."""
    n = nilai.nilai_ak(value)
    return pb.NilaiAk(pecahan=n.pecahan, desimal=n.desimal, tampil=n.tampil)


def pak_pb(p: PakRecord) -> pb.Pak:
    doc = p.dokumen
    message = pb.Pak(
        id=str(p.id),
        instansi_id=str(p.instansi_id),
        sumber=pb.SumberPak.Value(f"SUMBER_PAK_{p.sumber}"),
        status=pb.StatusPak.Value(f"STATUS_PAK_{p.status}"),
        tahun=p.tahun,
        skp_id=str(p.skp_id or ""),
        periode_id=str(p.periode_id or ""),
        penilaian_id=str(p.penilaian_id or ""),
        tanggal_mulai=_day(p.tanggal_mulai),
        tanggal_selesai=_day(p.tanggal_selesai),
        jabatan=p.jabatan,
        jenjang=p.jenjang,
        golongan=p.golongan,
        tmt_jabatan=_day(p.tmt_jabatan),
        dokumen_sumber=doc.get("dokumen_sumber", ""),
        keterangan=doc.get("keterangan", ""),
        angka_kredit=nilai_ak(p.ak),
        nomor_sk=p.nomor_sk or "",
        tempat=p.tempat,
        tanggal_sk=_day(p.tanggal_sk),
        perlu_pak_baru=p.perlu_pak_baru,
        perlu_pak_baru_alasan=doc.get("perlu_pak_baru_alasan", "") if p.perlu_pak_baru else "",
        version=p.version,
        created_at=_ts(p.created_at),
        updated_at=_ts(p.updated_at),
    )
    from_json(doc.get("pegawai"), message.pegawai)
    if message.pegawai.pegawai_id == "":
        message.pegawai.CopyFrom(skp_pb2.Pejabat(pegawai_id=str(p.pegawai_id), nip=p.nip, nama=p.nama))
    if doc.get("perhitungan"):
        from_json(doc["perhitungan"], message.perhitungan)
    if doc.get("kenaikan_pangkat"):
        from_json(doc["kenaikan_pangkat"], message.kenaikan_pangkat)
    if doc.get("kenaikan_jenjang"):
        from_json(doc["kenaikan_jenjang"], message.kenaikan_jenjang)
    if doc.get("tanda_tangan"):
        from_json(doc["tanda_tangan"], message.tanda_tangan)
    for item in doc.get("perubahan", []):
        from_json(item, message.perubahan.add())
    for item in doc.get("riwayat", []):
        from_json(item, message.riwayat.add())
    return message


def pelaku_json(pegawai_id: str, nip: str, nama: str, jabatan: str = "") -> dict[str, Any]:
    return to_json(assessment_pb2.Pelaku(pegawai_id=pegawai_id, nip=nip, nama=nama, jabatan=jabatan))


def pengaturan_pb(p: Pengaturan) -> pb.PengaturanPak:
    message = pb.PengaturanPak(
        instansi_id=str(p.instansi_id),
        mode=pb.ModePenomoran.Value(f"MODE_PENOMORAN_{p.mode}"),
        format_nomor=p.format_nomor,
        tempat=p.tempat,
        updated_at=_ts(p.updated_at),
        version=p.version,
    )
    from_json(p.diubah_oleh, message.diubah_oleh)
    return message


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
