"""Rows ↔ domain records: one place that knows how each aggregate is laid out in its table."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from assessment.adapters.orm import (
    CapaianRow,
    KeberatanRow,
    PenilaianRow,
    PeriodeProyeksiRow,
    PerpanjanganRow,
    SkpProyeksiRow,
    TugasRow,
    UnorProyeksiRow,
)
from assessment.domain.aturan import Capaian, Predikat, Rating, StatusKeberatan, StatusPenilaian
from assessment.domain.model import (
    JenisPeriode,
    JenisTugas,
    ModelSkp,
    Pejabat,
    Pelaku,
    Pendekatan,
    Penilaian,
    PenilaianIsi,
    PerilakuRencana,
    Periode,
    RhkRencana,
    SkpRencana,
    StatusSkp,
    Unor,
)
from assessment.domain.records import CapaianOrganisasi, Keberatan, NilaiKeberatan, Perpanjangan, Tugas


def _opt(model: Any) -> dict[str, Any] | None:
    return model.model_dump(mode="json") if model is not None else None


def periode_from_row(row: PeriodeProyeksiRow) -> Periode:
    return Periode(
        id=row.id,
        instansi_id=row.instansi_id,
        nama=row.nama,
        mulai=row.mulai,
        selesai=row.selesai,
        batas_pengisian=row.batas_pengisian,
        jenis=JenisPeriode[row.jenis],
        version=row.version,
        deleted=row.deleted,
    )


def write_periode(row: PeriodeProyeksiRow, periode: Periode) -> None:
    row.nama, row.mulai, row.selesai = periode.nama, periode.mulai, periode.selesai
    row.batas_pengisian, row.jenis = periode.batas_pengisian, periode.jenis.name
    row.version, row.deleted = periode.version, periode.deleted


def skp_from_row(row: SkpProyeksiRow) -> SkpRencana:
    isi = row.isi
    return SkpRencana(
        id=row.id,
        instansi_id=row.instansi_id,
        pegawai_id=row.pegawai_id,
        unor_id=row.unor_id,
        plt_id=row.plt_id,
        tahun=row.tahun,
        tanggal_mulai=row.tanggal_mulai,
        tanggal_selesai=row.tanggal_selesai,
        status=StatusSkp[row.status],
        model=ModelSkp[row.model],
        pendekatan=Pendekatan[row.pendekatan],
        mandiri=row.mandiri,
        unit_kerja_id=row.unit_kerja_id,
        pegawai=Pejabat.model_validate(isi.get("pegawai") or {}),
        penilai=Pejabat.model_validate(isi["penilai"]) if isi.get("penilai") else None,
        penilai_unor_id=row.penilai_unor_id,
        atasan_penilai=Pejabat.model_validate(isi["atasan_penilai"]) if isi.get("atasan_penilai") else None,
        rhk=[RhkRencana.model_validate(r) for r in isi.get("rhk", [])],
        perilaku=[PerilakuRencana.model_validate(p) for p in isi.get("perilaku", [])],
        version=row.version,
        deleted=row.deleted,
    )


def write_skp(row: SkpProyeksiRow, skp: SkpRencana) -> None:
    row.pegawai_id, row.unor_id, row.plt_id, row.tahun = skp.pegawai_id, skp.unor_id, skp.plt_id, skp.tahun
    row.tanggal_mulai, row.tanggal_selesai = skp.tanggal_mulai, skp.tanggal_selesai
    row.status, row.model, row.pendekatan = skp.status.name, skp.model.name, skp.pendekatan.name
    row.mandiri = skp.mandiri
    row.penilai_pegawai_id = skp.penilai.pegawai_id if skp.penilai else None
    row.penilai_unor_id = skp.penilai_unor_id
    row.atasan_penilai_pegawai_id = skp.atasan_penilai.pegawai_id if skp.atasan_penilai else None
    row.pegawai_nip, row.pegawai_nama = skp.pegawai.nip, skp.pegawai.nama
    row.unit_kerja_id = skp.unit_kerja_id
    row.isi = {
        "pegawai": skp.pegawai.model_dump(mode="json"),
        "penilai": _opt(skp.penilai),
        "atasan_penilai": _opt(skp.atasan_penilai),
        "rhk": [r.model_dump(mode="json") for r in skp.rhk],
        "perilaku": [p.model_dump(mode="json") for p in skp.perilaku],
    }
    row.version, row.deleted = skp.version, skp.deleted


def unor_from_row(row: UnorProyeksiRow) -> Unor:
    return Unor(
        id=row.id,
        instansi_id=row.instansi_id,
        nama=row.nama,
        parent_id=row.parent_id,
        jenis=row.jenis,
        mandiri=row.mandiri,
        induk_id=row.induk_id,
        version=row.version,
        deleted=row.deleted,
    )


def write_unor(row: UnorProyeksiRow, unor: Unor) -> None:
    row.nama, row.parent_id, row.jenis, row.mandiri = unor.nama, unor.parent_id, unor.jenis, unor.mandiri
    row.induk_id, row.version, row.deleted = unor.induk_id, unor.version, unor.deleted


def penilaian_from_rows(
    row: PenilaianRow, skp: SkpProyeksiRow, periode: PeriodeProyeksiRow, batas: Any
) -> Penilaian:
    return Penilaian(
        id=row.id,
        instansi_id=row.instansi_id,
        skp_id=row.skp_id,
        periode_id=row.periode_id,
        tahun=row.tahun,
        pegawai_id=row.pegawai_id,
        status=StatusPenilaian[row.status],
        rating_hasil_kerja=Rating(row.rating_hasil_kerja) if row.rating_hasil_kerja else None,
        rating_perilaku_kerja=Rating(row.rating_perilaku_kerja) if row.rating_perilaku_kerja else None,
        predikat=Predikat(row.predikat) if row.predikat else None,
        dinilai_at=row.dinilai_at,
        isi=PenilaianIsi.model_validate(row.isi),
        version=row.version,
        created_at=row.created_at,
        updated_at=row.updated_at,
        skp=skp_from_row(skp),
        periode=periode_from_row(periode),
        batas_diperpanjang=batas,
    )


def write_penilaian(row: PenilaianRow, penilaian: Penilaian) -> None:
    row.instansi_id, row.id = penilaian.instansi_id, penilaian.id
    row.skp_id, row.periode_id, row.tahun = penilaian.skp_id, penilaian.periode_id, penilaian.tahun
    row.pegawai_id = penilaian.pegawai_id
    row.pegawai_nama, row.pegawai_nip = penilaian.skp.pegawai.nama, penilaian.skp.pegawai.nip
    row.unit_kerja_id = penilaian.unit_kerja_id
    row.penilai_pegawai_id = penilaian.penilai_pegawai_id
    row.penilai_unor_id = penilaian.skp.penilai_unor_id
    row.status = penilaian.status.name
    row.rating_hasil_kerja = int(penilaian.rating_hasil_kerja) if penilaian.rating_hasil_kerja else None
    row.rating_perilaku_kerja = (
        int(penilaian.rating_perilaku_kerja) if penilaian.rating_perilaku_kerja else None
    )
    row.predikat = int(penilaian.predikat) if penilaian.predikat else None
    row.dinilai_at = penilaian.dinilai_at
    row.isi = penilaian.isi.model_dump(mode="json")
    row.version = penilaian.version
    if penilaian.created_at is not None:
        row.created_at = penilaian.created_at
    if penilaian.updated_at is not None:
        row.updated_at = penilaian.updated_at


def perpanjangan_from_row(row: PerpanjanganRow) -> Perpanjangan:
    return Perpanjangan(
        id=row.id,
        instansi_id=row.instansi_id,
        periode_id=row.periode_id,
        tahun=row.tahun,
        pegawai_id=row.pegawai_id,
        unor_id=row.unor_id,
        batas_baru=row.batas_baru,
        alasan=row.alasan,
        oleh=Pelaku.model_validate(row.oleh),
        created_at=row.created_at,
    )


def perpanjangan_row(item: Perpanjangan) -> PerpanjanganRow:
    return PerpanjanganRow(
        instansi_id=item.instansi_id,
        id=item.id,
        periode_id=item.periode_id,
        tahun=item.tahun,
        pegawai_id=item.pegawai_id,
        unor_id=item.unor_id,
        batas_baru=item.batas_baru,
        alasan=item.alasan,
        oleh=item.oleh.model_dump(mode="json"),
        created_at=item.created_at,
    )


def tugas_values(instansi_id: Any, item: Tugas) -> dict[str, Any]:
    """The columns of one `tugas` row."""
    return {
        "instansi_id": instansi_id,
        "id": item.id,
        "jenis": int(item.jenis),
        "assignee_pegawai_id": item.assignee_pegawai_id,
        "assignee_unor_id": item.assignee_unor_id,
        "subject_pegawai_id": item.subject_pegawai_id,
        "penilaian_id": item.penilaian_id,
        "keberatan_id": item.keberatan_id,
        "skp_id": item.skp_id,
        "periode_id": item.periode_id,
        "periode_nama": item.periode_nama,
        "batas": item.batas,
        "selesai": False,
        "keterangan": item.keterangan,
        "sebagai": item.sebagai,
        "nilai": list(item.nilai),
        "pegawai": item.pegawai.model_dump(mode="json"),
    }


# The columns of a `tugas` row that say what the task is, as TUGAS_STORED reads them (JSON, after its id).
TUGAS_CONTENT = (
    "jenis",
    "assignee_pegawai_id",
    "assignee_unor_id",
    "subject_pegawai_id",
    "skp_id",
    "periode_id",
    "periode_nama",
    "batas",
    "selesai",
    "keterangan",
    "sebagai",
    "nilai",
    "pegawai",
)


def _json(value: Any) -> Any:
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def tugas_content(values: dict[str, Any]) -> list[Any]:
    """What a task is (TUGAS_CONTENT, as JSON), to compare with what is stored."""
    return [_json(values[name]) for name in TUGAS_CONTENT]


def tugas_from_row(row: TugasRow) -> Tugas:
    return Tugas(
        id=row.id,
        jenis=JenisTugas(row.jenis),
        assignee_pegawai_id=row.assignee_pegawai_id,
        assignee_unor_id=row.assignee_unor_id,
        subject_pegawai_id=row.subject_pegawai_id,
        penilaian_id=row.penilaian_id,
        keberatan_id=row.keberatan_id,
        skp_id=row.skp_id,
        periode_id=row.periode_id,
        periode_nama=row.periode_nama,
        batas=row.batas,
        keterangan=row.keterangan,
        sebagai=row.sebagai,
        nilai=list(row.nilai),
        pegawai=Pejabat.model_validate(row.pegawai),
    )


def capaian_from_row(row: CapaianRow) -> CapaianOrganisasi:
    return CapaianOrganisasi(
        id=row.id,
        instansi_id=row.instansi_id,
        tahun=row.tahun,
        periode_id=row.periode_id,
        unor_id=row.unor_id,
        unor_nama=row.unor_nama,
        capaian=Capaian(row.capaian),
        bukti_dukung_url=row.bukti_dukung_url,
        final=row.final,
        finalised_at=row.finalised_at,
        diubah_oleh=Pelaku.model_validate(row.diubah_oleh),
        version=row.version,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


def write_capaian(row: CapaianRow, item: CapaianOrganisasi) -> None:
    row.instansi_id, row.id, row.tahun = item.instansi_id, item.id, item.tahun
    row.periode_id, row.unor_id, row.capaian = item.periode_id, item.unor_id, int(item.capaian)
    row.unor_nama = item.unor_nama
    row.bukti_dukung_url, row.final, row.finalised_at = item.bukti_dukung_url, item.final, item.finalised_at
    row.diubah_oleh = item.diubah_oleh.model_dump(mode="json")
    row.version, row.created_at, row.updated_at = item.version, item.created_at, item.updated_at


def keberatan_from_row(row: KeberatanRow, extra: dict[str, Any]) -> Keberatan:
    return Keberatan(
        id=row.id,
        instansi_id=row.instansi_id,
        penilaian_id=row.penilaian_id,
        skp_id=row.skp_id,
        periode_id=row.periode_id,
        tahun=row.tahun,
        pegawai=Pejabat.model_validate(extra["pegawai"]),
        penilai=Pejabat.model_validate(extra["penilai"]) if extra.get("penilai") else None,
        atasan_penilai=Pejabat.model_validate(extra["atasan_penilai"])
        if extra.get("atasan_penilai")
        else None,
        status=StatusKeberatan[row.status],
        alasan=row.alasan,
        sebelum=NilaiKeberatan.model_validate(row.sebelum),
        diminta=NilaiKeberatan.model_validate(row.diminta),
        sesudah=NilaiKeberatan.model_validate(row.sesudah) if row.sesudah else None,
        penjelasan_penilai=row.penjelasan_penilai,
        dijelaskan_oleh=Pelaku.model_validate(row.dijelaskan_oleh) if row.dijelaskan_oleh else None,
        dijelaskan_at=row.dijelaskan_at,
        keputusan=row.keputusan,
        diputuskan_oleh=Pelaku.model_validate(row.diputuskan_oleh) if row.diputuskan_oleh else None,
        diajukan_at=row.diajukan_at,
        dicek_at=row.dicek_at,
        diputuskan_at=row.diputuskan_at,
        batas_pengajuan=row.batas_pengajuan,
        version=row.version,
    )


def write_keberatan(row: KeberatanRow, item: Keberatan) -> None:
    row.instansi_id, row.id, row.penilaian_id = item.instansi_id, item.id, item.penilaian_id
    row.skp_id, row.periode_id, row.tahun = item.skp_id, item.periode_id, item.tahun
    row.pegawai_id, row.pegawai_nama, row.pegawai_nip = item.pegawai_id, item.pegawai.nama, item.pegawai.nip
    row.penilai_pegawai_id = item.penilai.pegawai_id if item.penilai else None
    row.atasan_penilai_pegawai_id = item.atasan_penilai.pegawai_id if item.atasan_penilai else None
    row.status, row.alasan = item.status.name, item.alasan
    row.sebelum, row.diminta = item.sebelum.model_dump(mode="json"), item.diminta.model_dump(mode="json")
    row.sesudah = _opt(item.sesudah)
    row.penjelasan_penilai, row.dijelaskan_oleh = item.penjelasan_penilai, _opt(item.dijelaskan_oleh)
    row.dijelaskan_at, row.keputusan = item.dijelaskan_at, item.keputusan
    row.diputuskan_oleh, row.diajukan_at = _opt(item.diputuskan_oleh), item.diajukan_at
    row.dicek_at, row.diputuskan_at = item.dicek_at, item.diputuskan_at
    row.batas_pengajuan, row.version = item.batas_pengajuan, item.version
