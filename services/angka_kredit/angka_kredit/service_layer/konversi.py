"""A final predikat of a pegawai in jabatan fungsional becomes a konversi PAK (draft); a changed predikat
recomputes it (the domain's `hitung_ulang`: applied in draft/diajukan, kept pending with perlu_pak_baru once
approved or signed), and the pegawai's later PAKs follow (the domain's cascade)."""

from __future__ import annotations

import logging
import uuid

from angka_kredit.adapters.repository import SqlStore
from angka_kredit.domain.aturan import aturan_pada
from angka_kredit.domain.model import Pak, alasan_predikat_diubah, hitung_konversi
from angka_kredit.service_layer.common import kumulatif_pegawai, now, simpan, tambah
from kinerja.assessment.v1 import assessment_pb2
from kinerja.org.v1 import org_pb2
from kinerja.skp.v1 import skp_pb2
from kinerja_kit.handlers import parse_day
from kinerja_kit.ids import new_id, parse_uuid

log = logging.getLogger(__name__)

# The event names the jenis as org's enum value name.
JABATAN_FUNGSIONAL = org_pb2.JenisJabatan.Name(org_pb2.JENIS_JABATAN_FUNGSIONAL)


def apply_predikat(store: SqlStore, instansi_id: uuid.UUID, event: assessment_pb2.PredikatDitetapkan) -> None:
    """The consumer's handler: see the module's docstring; everything else is skipped."""
    if event.periode_jenis != skp_pb2.JENIS_PERIODE_FINAL or event.jabatan_jenis != JABATAN_FUNGSIONAL:
        return
    penilaian_id = parse_uuid(event.penilaian_id)
    pegawai_id = parse_uuid(event.pegawai.pegawai_id)
    skp_id, periode_id = parse_uuid(event.skp_id), parse_uuid(event.periode_id)
    if penilaian_id is None or pegawai_id is None or skp_id is None or periode_id is None:
        log.warning("PredikatDitetapkan without its penilaian, pegawai, SKP or periode: skipped")
        return
    mulai, selesai = parse_day(event.tanggal_mulai), parse_day(event.tanggal_selesai)
    if mulai is None or selesai is None:
        log.warning("PredikatDitetapkan without its dates: skipped")
        return
    aturan = aturan_pada(selesai)
    if aturan.cari_jenjang(event.jenjang) is None:
        log.warning("PredikatDitetapkan of an unknown jenjang: skipped", extra={"jenjang": event.jenjang})
        return
    tmt = parse_day(event.tmt_jabatan)
    at = now()
    existing = store.by_penilaian(penilaian_id, lock=True)
    if existing is None:
        pegawai = event.pegawai
        pak, dibuat = Pak.konversi(
            id=new_id(),
            instansi_id=instansi_id,
            tahun=event.tahun,
            pegawai_id=pegawai_id,
            nip=pegawai.nip,
            nama=pegawai.nama,
            jabatan=event.jabatan,
            jenjang=event.jenjang,
            golongan=pegawai.golongan,
            tmt_jabatan=tmt,
            skp_id=skp_id,
            periode_id=periode_id,
            penilaian_id=penilaian_id,
            tanggal_mulai=mulai,
            tanggal_selesai=selesai,
            bulan_periode=event.jumlah_bulan,
            predikat=int(event.predikat),
            at=at,
            penilai_id=parse_uuid(event.penilai.pegawai_id),
            aturan=aturan,
            pangkat=pegawai.pangkat,
            unor_id=parse_uuid(pegawai.unor_id),
            unor_nama=pegawai.unor_nama,
        )
        later = kumulatif_pegawai(store, pak, at)
        tambah(store, dibuat)
    else:
        perhitungan = hitung_konversi(
            tanggal_mulai=mulai,
            tanggal_selesai=selesai,
            bulan_periode=event.jumlah_bulan,
            tmt_jabatan=tmt,
            predikat=int(event.predikat),
            jenjang=event.jenjang,
            aturan=aturan,
        )
        keberatan = event.penjelasan.keberatan_id
        changed = existing.hitung_ulang(
            perhitungan,
            alasan=alasan_predikat_diubah(keberatan),
            keberatan_id=parse_uuid(keberatan),
            at=at,
        )
        if changed is None:  # the same figures again (a repeated event)
            return
        later = kumulatif_pegawai(store, existing, at)
        simpan(store, changed, at)
    for event_later in later:
        simpan(store, event_later, at)
