"""The inbox: the tasks a penilaian or a keberatan gives people, derived from it after every change."""

from __future__ import annotations

import uuid
from collections.abc import Callable

from assessment.domain.aturan import StatusKeberatan, StatusPenilaian
from assessment.domain.model import JenisTugas, Penilaian
from assessment.domain.penilaian import kekurangan
from assessment.domain.records import Keberatan, Tugas


def tugas_penilaian(penilaian: Penilaian, new_id: Callable[[], uuid.UUID]) -> list[Tugas]:
    """The open tasks of a penilaian: realisasi to enter (owner), feedback to give (each chosen penilai
    perilaku, their values together), the bawahan to rate (the penilai, or whoever leads their unit)."""
    if penilaian.status != StatusPenilaian.DIBUKA or penilaian.skp.deleted:
        return []
    skp = penilaian.skp
    common = {
        "subject_pegawai_id": penilaian.pegawai_id,
        "penilaian_id": penilaian.id,
        "skp_id": skp.id,
        "periode_id": penilaian.periode_id,
        "periode_nama": penilaian.periode.nama,
        "pegawai": skp.pegawai,
    }
    found: list[Tugas] = []
    indikator = skp.semua_indikator()
    kosong = sum(1 for _, i in indikator if not penilaian.terisi(i.id))
    if kosong:
        found.append(
            Tugas(
                id=new_id(),
                jenis=JenisTugas.ISI_REALISASI,
                assignee_pegawai_id=penilaian.pegawai_id,
                batas=penilaian.batas,
                keterangan=f"{kosong} dari {len(indikator)} indikator belum diisi realisasinya",
                **common,
            )
        )
    per_penilai: dict[uuid.UUID, list[int]] = {}
    sebagai: dict[uuid.UUID, int] = {}
    for perilaku in skp.perilaku:
        catatan = penilaian.isi.perilaku.get(str(perilaku.nilai))
        if perilaku.penilai_pegawai_id is None or (catatan is not None and catatan.feedback):
            continue
        per_penilai.setdefault(perilaku.penilai_pegawai_id, []).append(perilaku.nilai)
        sebagai.setdefault(perilaku.penilai_pegawai_id, perilaku.penilai_jenis)
    for penilai_id, nilai in per_penilai.items():
        found.append(
            Tugas(
                id=new_id(),
                jenis=JenisTugas.FEEDBACK_PERILAKU,
                assignee_pegawai_id=penilai_id,
                batas=penilaian.batas,
                sebagai=sebagai[penilai_id],
                nilai=nilai,
                keterangan=f"{len(nilai)} nilai perilaku menunggu feedback Anda",
                **common,
            )
        )
    if skp.penilai is not None and skp.penilai.pegawai_id is not None:
        gaps = len(kekurangan(penilaian))
        found.append(
            Tugas(
                id=new_id(),
                jenis=JenisTugas.NILAI_BAWAHAN,
                assignee_pegawai_id=skp.penilai.pegawai_id,
                assignee_unor_id=skp.penilai_unor_id,
                keterangan=(f"{gaps} hal belum lengkap sebelum penilaian" if gaps else "Siap dinilai"),
                **common,
            )
        )
    return found


def tugas_keberatan(
    keberatan: Keberatan, penilaian: Penilaian, new_id: Callable[[], uuid.UUID]
) -> list[Tugas]:
    """A keberatan to explain (the pejabat penilai) and then to decide (the atasan pejabat penilai)."""
    if keberatan.status != StatusKeberatan.DIAJUKAN:
        return []
    explained = keberatan.dijelaskan_at is not None
    who = keberatan.atasan_penilai if explained else keberatan.penilai
    if who is None or who.pegawai_id is None:
        return []
    unor = who.unor_id if explained else penilaian.skp.penilai_unor_id
    return [
        Tugas(
            id=new_id(),
            jenis=JenisTugas.JAWAB_KEBERATAN,
            assignee_pegawai_id=who.pegawai_id,
            assignee_unor_id=unor,
            subject_pegawai_id=keberatan.pegawai_id,
            penilaian_id=penilaian.id,
            keberatan_id=keberatan.id,
            skp_id=penilaian.skp_id,
            periode_id=penilaian.periode_id,
            periode_nama=penilaian.periode.nama,
            pegawai=penilaian.skp.pegawai,
            keterangan="Keberatan menunggu keputusan Anda"
            if explained
            else "Keberatan menunggu penjelasan Anda",
        )
    ]
