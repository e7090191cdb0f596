"""Capaian, pola distribusi and keberatan on fakes: admin only, final freezes, the window, the chain."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from assessment.domain.aturan import Capaian, Predikat, Rating, StatusKeberatan
from assessment.domain.model import JenisTugas
from assessment.service_layer import capaian as capaian_handlers
from assessment.service_layer import keberatan as handlers
from assessment.service_layer import penilaian as penilaian_handlers
from kinerja_kit.errors import DomainError

from .conftest import World
from .test_penilaian_rules import ready

A, S, B = Rating.DI_ATAS, Rating.SESUAI, Rating.DI_BAWAH


def refused(call, *args) -> DomainError:  # type: ignore[no-untyped-def]
    with pytest.raises(DomainError) as info:
        call(*args)
    return info.value


def rated(w: World, hasil: Rating = S, perilaku: Rating = S) -> str:
    p = ready(w)
    w.act_as(w.kabid)
    penilaian_handlers.rate_penilaian(w.deps, str(p.id), hasil, perilaku)
    return str(p.id)


def _input(w: World, value: Capaian = Capaian.BAIK, unor: str = "") -> capaian_handlers.CapaianInput:
    return capaian_handlers.CapaianInput(
        2027, str(w.tw1.id), unor or str(w.unit), int(value), "https://bukti.example/c"
    )


def test_capaian_by_admins_for_a_unit_kerja_once_and_frozen_while_final(world: World) -> None:
    w = world
    rated(w, S, A)
    w.act_as(w.kepala)
    assert refused(capaian_handlers.set_capaian, w.deps, "", _input(w)).reason == "ADMIN_REQUIRED"
    w.act_as(w.kepala, admin=True)
    assert (
        refused(capaian_handlers.set_capaian, w.deps, "", _input(w, unor=str(w.bidang))).reason
        == "BUKAN_UNIT_KERJA"
    )
    bad = capaian_handlers.CapaianInput(2027, str(w.tw1.id), str(w.unit), 0, "ftp://x")
    assert {v.code for v in refused(capaian_handlers.set_capaian, w.deps, "", bad).violations} == {
        "REQUIRED",
        "INVALID_URL",
    }
    item, statistik = capaian_handlers.set_capaian(w.deps, "", _input(w))
    assert (statistik.dinilai, statistik.total, statistik.per_predikat) == (1, 1, {Predikat.BAIK: 1})
    assert refused(capaian_handlers.set_capaian, w.deps, "", _input(w)).reason == "CAPAIAN_SUDAH_ADA"
    item, _ = capaian_handlers.set_capaian(w.deps, str(item.id), _input(w, Capaian.ISTIMEWA))
    assert item.capaian == Capaian.ISTIMEWA and item.version == 2
    final, _ = capaian_handlers.finalise_capaian(w.deps, str(item.id))
    assert final.final
    finalised = w.events[-1]
    assert type(finalised).__name__ == "CapaianFinalised" and finalised.pola.sesuai  # type: ignore[union-attr]
    assert (
        refused(capaian_handlers.set_capaian, w.deps, str(item.id), _input(w)).reason == "CAPAIAN_SUDAH_FINAL"
    )
    assert refused(capaian_handlers.delete_capaian, w.deps, str(item.id)).reason == "CAPAIAN_SUDAH_FINAL"
    assert refused(capaian_handlers.finalise_capaian, w.deps, str(item.id)).reason == "CAPAIAN_SUDAH_FINAL"
    # the penilai can no longer change the unit's ratings
    w.act_as(w.kabid)
    p = next(iter(w.db.state.penilaian))
    assert refused(penilaian_handlers.rate_penilaian, w.deps, str(p), A, A).reason == "CAPAIAN_SUDAH_FINAL"
    w.act_as(w.kepala, admin=True)
    back, _ = capaian_handlers.unfinalise_capaian(w.deps, str(item.id))
    assert not back.final
    assert refused(capaian_handlers.unfinalise_capaian, w.deps, str(item.id)).reason == "CAPAIAN_BELUM_FINAL"
    capaian_handlers.delete_capaian(w.deps, str(item.id))
    assert not w.db.state.capaian


def test_pola_distribusi_for_admins_and_the_unit_head(world: World) -> None:
    w = world
    rated(w, B, B)  # one Sangat Kurang
    w.act_as(w.kepala, admin=True)
    capaian_handlers.set_capaian(w.deps, "", _input(w, Capaian.ISTIMEWA))
    w.act_as(w.kepala)  # the head of the unit, without the admin role
    pola = capaian_handlers.get_pola_distribusi(w.deps, str(w.unit), str(w.tw1.id), 2027)
    assert (
        pola.capaian is not None
        and pola.hasil.sesuai
        and pola.statistik.per_predikat == {Predikat.SANGAT_KURANG: 1}
    )
    w.act_as(w.staf)
    assert (
        refused(capaian_handlers.get_pola_distribusi, w.deps, str(w.unit), str(w.tw1.id), 2027).reason
        == "BUKAN_PIMPINAN_UNIT"
    )


def test_keberatan_filed_explained_approved_changes_the_predikat(world: World) -> None:
    w = world
    p = rated(w, S, S)
    w.act_as(w.staf)
    assert (
        refused(handlers.file_keberatan, w.deps, p, "Tidak sesuai", S, S).violations[0].code
        == "KEBERATAN_TANPA_PERUBAHAN"
    )
    assert refused(handlers.file_keberatan, w.deps, p, " ", A, A).violations[0].code == "REQUIRED"
    filed = handlers.file_keberatan(w.deps, p, "Target terlampaui", A, None)
    assert filed.status == StatusKeberatan.DIAJUKAN and filed.batas_pengajuan == date(2027, 3, 1)
    assert (filed.sebelum.predikat, filed.diminta.predikat) == (Predikat.BAIK, Predikat.BAIK)
    assert (filed.diminta.rating_hasil_kerja, filed.diminta.rating_perilaku_kerja) == (A, S)
    assert refused(handlers.file_keberatan, w.deps, p, "Lagi", A, A).reason == "KEBERATAN_SUDAH_ADA"
    # while a keberatan exists the penilai cannot re-rate
    w.act_as(w.kabid)
    assert refused(penilaian_handlers.rate_penilaian, w.deps, p, B, B).reason == "KEBERATAN_SUDAH_DIAJUKAN"
    assert [t.jenis for t in w.db.state.tugas.values() if t.keberatan_id] == [JenisTugas.JAWAB_KEBERATAN]
    # the atasan pejabat penilai decides, after the explanation; the first read is recorded
    w.act_as(w.kepala)
    assert (
        refused(handlers.decide_keberatan, w.deps, str(filed.id), True, "Setuju", None, None).reason
        == "PENJELASAN_BELUM_ADA"
    )
    assert handlers.get_keberatan(w.deps, str(filed.id)).dicek_at is not None
    w.act_as(w.staf)
    assert refused(handlers.explain_keberatan, w.deps, str(filed.id), "x").reason == "BUKAN_PEJABAT_PENILAI"
    w.act_as(w.kabid)
    handlers.explain_keberatan(w.deps, str(filed.id), "Target memang terlampaui")
    assert (
        refused(handlers.decide_keberatan, w.deps, str(filed.id), True, "x", None, None).reason
        == "BUKAN_ATASAN_PEJABAT_PENILAI"
    )
    w.act_as(w.kepala)
    decided = handlers.decide_keberatan(w.deps, str(filed.id), True, "Disetujui", None, A)
    assert decided.status == StatusKeberatan.DISETUJUI and decided.sesudah is not None
    assert decided.sesudah.predikat == Predikat.SANGAT_BAIK
    after = w.db.state.penilaian[next(iter(w.db.state.penilaian))]
    why = after.isi.penjelasan
    assert after.predikat == Predikat.SANGAT_BAIK and why is not None and why.keberatan_id == filed.id
    assert why.dinilai_oleh.pegawai_id == w.kepala.id
    assert w.names()[-2:] == ["PredikatDitetapkan", "KeberatanDecided"]
    assert not [t for t in w.db.state.tugas.values() if t.keberatan_id]
    assert (
        refused(handlers.decide_keberatan, w.deps, str(filed.id), False, "x", None, None).reason
        == "KEBERATAN_SUDAH_DIPUTUSKAN"
    )


def test_a_late_keberatan_is_kept_as_terlambat_and_never_answered(world: World) -> None:
    w = world
    p = rated(w, S, S)
    w.today[0] = date(2027, 3, 2)
    w.deps.now = lambda: datetime(2027, 3, 2, 3, tzinfo=UTC)
    w.act_as(w.staf)
    filed = handlers.file_keberatan(w.deps, p, "Terlambat tetapi penting", S, A)
    assert filed.status == StatusKeberatan.TERLAMBAT
    w.act_as(w.kabid)
    assert refused(handlers.explain_keberatan, w.deps, str(filed.id), "x").reason == "KEBERATAN_TERLAMBAT"
    assert not [t for t in w.db.state.tugas.values() if t.keberatan_id]


def test_a_rejected_keberatan_leaves_the_predikat(world: World) -> None:
    w = world
    p = rated(w, S, B)
    w.act_as(w.staf)
    filed = handlers.file_keberatan(w.deps, p, "Alasan", None, S)
    w.act_as(w.kabid)
    handlers.explain_keberatan(w.deps, str(filed.id), "Perilaku kurang")
    w.act_as(w.kepala)
    decided = handlers.decide_keberatan(w.deps, str(filed.id), False, "Ditolak", None, None)
    assert decided.status == StatusKeberatan.DITOLAK and decided.sesudah == decided.sebelum
    assert w.db.state.penilaian[next(iter(w.db.state.penilaian))].predikat == Predikat.KURANG
