"""A final predikat of a pegawai in jabatan fungsional becomes a konversi PAK (draft); a changed predikat
recomputes it (draft, diajukan) or marks it perlu_pak_baru (approved, signed), never silently."""

from __future__ import annotations

import logging
import uuid
from datetime import UTC, date, datetime

from angka_kredit.adapters.proto import nilai_ak, pak_pb, to_json
from angka_kredit.adapters.repository import SqlStore
from angka_kredit.domain.aturan import aturan_pada
from angka_kredit.domain.perhitungan import Perhitungan, hitung, jumlah_bulan
from angka_kredit.service_layer.figures import emit, langkah, ordered, perhitungan_json, recompute
from angka_kredit.service_layer.records import DIAJUKAN, DRAFT, KONVERSI, PakRecord
from kinerja.angka_kredit.v1 import angka_kredit_pb2 as pb
from kinerja.assessment.v1 import assessment_pb2
from kinerja.skp.v1 import skp_pb2
from kinerja_kit.ids import new_id, parse_uuid

log = logging.getLogger(__name__)

JABATAN_FUNGSIONAL = "JENIS_JABATAN_FUNGSIONAL"


def _day(value: str) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _hitung(event: assessment_pb2.PredikatDitetapkan) -> Perhitungan | None:
    mulai, selesai = _day(event.tanggal_mulai), _day(event.tanggal_selesai)
    if mulai is None or selesai is None:
        log.warning("PredikatDitetapkan without its dates: skipped")
        return None
    aturan = aturan_pada(selesai)
    if aturan.cari_jenjang(event.jenjang) is None:
        log.warning("PredikatDitetapkan of an unknown jenjang: skipped", extra={"jenjang": event.jenjang})
        return None
    bulan, uraian = jumlah_bulan(
        mulai, selesai, event.jumlah_bulan, _day(event.tmt_jabatan), aturan.cara_hitung_bulan
    )
    return hitung(bulan, int(event.predikat), event.jenjang, aturan, uraian)


def alasan_perubahan(event: assessment_pb2.PredikatDitetapkan) -> tuple[str, str]:
    keberatan = event.penjelasan.keberatan_id
    if keberatan:
        return f"Predikat diubah melalui keberatan {keberatan} yang disetujui", keberatan
    return "Predikat diubah oleh pejabat penilai", ""


def apply_predikat(store: SqlStore, instansi_id: uuid.UUID, event: assessment_pb2.PredikatDitetapkan) -> None:
    """The consumer's handler: see the module's docstring; everything else is skipped."""
    if event.periode_jenis != skp_pb2.JENIS_PERIODE_FINAL or event.jabatan_jenis != JABATAN_FUNGSIONAL:
        return
    penilaian_id = parse_uuid(event.penilaian_id)
    pegawai_id = parse_uuid(event.pegawai.pegawai_id)
    if penilaian_id is None or pegawai_id is None:
        log.warning("PredikatDitetapkan without penilaian or pegawai: skipped")
        return
    h = _hitung(event)
    if h is None:
        return
    existing = store.by_penilaian(penilaian_id, lock=True)
    if existing is None:
        _create(store, instansi_id, pegawai_id, penilaian_id, event, h)
    elif existing.predikat != int(event.predikat):
        _recount(store, existing, event, h)


def _create(
    store: SqlStore,
    instansi_id: uuid.UUID,
    pegawai_id: uuid.UUID,
    penilaian_id: uuid.UUID,
    event: assessment_pb2.PredikatDitetapkan,
    h: Perhitungan,
) -> None:
    pegawai = event.pegawai
    p = PakRecord(
        instansi_id=instansi_id,
        id=new_id(),
        sumber=KONVERSI,
        status=DRAFT,
        tahun=event.tahun,
        pegawai_id=pegawai_id,
        nip=pegawai.nip,
        nama=pegawai.nama,
        jabatan=event.jabatan,
        jenjang=h.jenjang,
        golongan=pegawai.golongan,
        tmt_jabatan=_day(event.tmt_jabatan),
        skp_id=parse_uuid(event.skp_id),
        periode_id=parse_uuid(event.periode_id),
        penilaian_id=penilaian_id,
        tanggal_mulai=_day(event.tanggal_mulai) or date(event.tahun, 1, 1),
        tanggal_selesai=_day(event.tanggal_selesai) or date(event.tahun, 12, 31),
        ak=h.angka_kredit,
        penilai_id=parse_uuid(event.penilai.pegawai_id),
        created_at=datetime.now(UTC),
        dokumen={
            "predikat": int(event.predikat),
            "pegawai": to_json(pegawai),
            "perhitungan": perhitungan_json(h),
            "riwayat": [langkah("DIBUAT", DRAFT, DRAFT, None)],
        },
    )
    rows = ordered([*store.of_pegawai(pegawai_id, lock=True), p])
    recompute(store, rows, {p.id}, None)
    store.add(p)
    emit(store, pb.PakDibuat(pak=pak_pb(p)), p)


def _recount(store: SqlStore, p: PakRecord, event: assessment_pb2.PredikatDitetapkan, h: Perhitungan) -> None:
    alasan, keberatan_id = alasan_perubahan(event)
    perubahan = pb.Perubahan(
        alasan=alasan,
        keberatan_id=keberatan_id,
        predikat_sebelum=p.predikat,  # type: ignore[arg-type]
        predikat_sesudah=int(event.predikat),  # type: ignore[arg-type]
        ak_sebelum=nilai_ak(p.ak),
        ak_sesudah=nilai_ak(h.angka_kredit),
        diterapkan=p.status in (DRAFT, DIAJUKAN),
    )
    perubahan.at.FromDatetime(datetime.now(UTC))
    doc = p.dokumen
    doc.setdefault("perubahan", []).append(to_json(perubahan))
    if perubahan.diterapkan:
        p.ak = h.angka_kredit
        doc["predikat"] = int(event.predikat)
        doc["perhitungan"] = perhitungan_json(h)
        doc.pop("pending", None)
        doc.setdefault("riwayat", []).append(langkah("DIHITUNG_ULANG", p.status, p.status, None, alasan))
        rows = store.of_pegawai(p.pegawai_id, lock=True)
        rows = ordered([p if r.id == p.id else r for r in rows])
        recompute(store, rows, {p.id}, None)
        store.save(p)
        emit(store, pb.PakDihitungUlang(pak=pak_pb(p), perubahan=perubahan), p)
        return
    # Approved or signed: the figures stay; the new ones wait for the return to draft.
    doc["pending"] = {
        "predikat": int(event.predikat),
        "perhitungan": perhitungan_json(h),
        "ak_num": h.angka_kredit.numerator,
        "ak_den": h.angka_kredit.denominator,
        "perubahan_index": len(doc["perubahan"]) - 1,
    }
    p.perlu_pak_baru = True
    doc["perlu_pak_baru_alasan"] = alasan
    doc.setdefault("riwayat", []).append(langkah("PERLU_PAK_BARU", p.status, p.status, None, alasan))
    store.save(p)
    emit(store, pb.PakPerluDiperbarui(pak=pak_pb(p), alasan=alasan), p)
