"""The penilaian rules on fakes: who may write what and when, what a refusal leaves, the predikat."""

from __future__ import annotations

from datetime import date

import pytest

from assessment.domain.aturan import Capaian, Predikat, Rating, StatusPenilaian
from assessment.domain.model import JenisTugas, Penilaian
from assessment.domain.penilaian import RealisasiInput
from assessment.domain.records import CapaianOrganisasi
from assessment.service_layer import penilaian as handlers
from assessment.service_layer import reads
from kinerja_kit.errors import DomainError
from kinerja_kit.ids import new_id

from .conftest import World, make_skp

A, S, B = Rating.DI_ATAS, Rating.SESUAI, Rating.DI_BAWAH


def opened(w: World) -> Penilaian:
    w.act_as(w.staf)
    return handlers.open_penilaian(w.deps, str(w.skp.id), str(w.tw1.id))


def ready(w: World, p: Penilaian | None = None) -> Penilaian:
    """Realisasi, every feedback and every umpan balik written."""
    p = p or opened(w)
    indikator = w.skp.rhk[0].indikator[0].id
    w.act_as(w.staf)
    handlers.set_realisasi(w.deps, str(p.id), str(indikator), RealisasiInput(nilai="4"))
    for nilai in range(1, 8):
        who = w.rekan if nilai == 6 else w.kabid
        w.act_as(who)
        handlers.set_feedback_perilaku(w.deps, str(p.id), nilai, "Teladan")
    w.act_as(w.kabid)
    handlers.set_umpan_balik(w.deps, str(p.id), str(indikator), 0, "Baik")
    for nilai in range(1, 8):
        handlers.set_umpan_balik(w.deps, str(p.id), "", nilai, "Pertahankan")
    return p


def refused(call, *args) -> DomainError:  # type: ignore[no-untyped-def]
    with pytest.raises(DomainError) as info:
        call(*args)
    return info.value


def test_open_only_by_the_owner_once_and_only_when_ready(world: World) -> None:
    w = world
    w.act_as(w.kabid)
    assert refused(handlers.open_penilaian, w.deps, str(w.skp.id), str(w.tw1.id)).reason == "SKP_NOT_FOUND"
    p = opened(w)
    assert p.tanggal == (date(2027, 1, 1), date(2027, 3, 31)) and p.batas == date(2027, 4, 10)
    assert (
        refused(handlers.open_penilaian, w.deps, str(w.skp.id), str(w.tw1.id)).reason == "PENILAIAN_SUDAH_ADA"
    )
    # a draft SKP without rencana aksi: both gaps at once
    draft = make_skp(w.unit, w.bidang, w.rekan, w.kabid, w.kepala, status=2)
    w.db.state.skp[draft.id] = draft
    w.act_as(w.rekan)
    err = refused(handlers.open_penilaian, w.deps, str(draft.id), str(w.tw1.id))
    assert err.reason == "SKP_BELUM_SIAP"
    assert [v.code for v in err.violations] == ["SKP_BELUM_DISETUJUI", "RHK_TANPA_RENCANA_AKSI"]
    assert w.names() == ["PenilaianOpened"]


def test_realisasi_until_the_batas_unless_extended(world: World) -> None:
    w = world
    p = opened(w)
    indikator = str(w.skp.rhk[0].indikator[0].id)
    w.today[0] = date(2027, 4, 11)
    err = refused(handlers.set_realisasi, w.deps, str(p.id), indikator, RealisasiInput(nilai="1"))
    assert err.reason == "LEWAT_BATAS_PENGISIAN" and "10-04-2027" in err.message
    w.act_as(w.kepala, admin=True)
    given = reads.ExtendInput(str(w.tw1.id), 2027, str(w.staf.id), "", "2027-04-20", "Sakit")
    reads.extend_batas(w.deps, given)
    w.act_as(w.staf)
    done = handlers.set_realisasi(w.deps, str(p.id), indikator, RealisasiInput(nilai="1.250,5"))
    assert done.isi.realisasi[indikator].nilai == "1250.5" and done.batas == date(2027, 4, 20)
    assert done.isi.realisasi[indikator].satuan == "Laporan"


def test_a_refused_realisasi_writes_nothing(world: World) -> None:
    w = world
    p = opened(w)
    before = (w.db.commits, list(w.names()))
    indikator = str(w.skp.rhk[0].indikator[0].id)
    bad = RealisasiInput(nilai="1.250", bukti_dukung=[("", "javascript:alert(1)")] * 2)
    err = refused(handlers.set_realisasi, w.deps, str(p.id), indikator, bad)
    assert {v.code for v in err.violations} == {"AMBIGUOUS_NUMBER", "REQUIRED", "INVALID_URL"}
    assert (
        refused(handlers.set_realisasi, w.deps, str(p.id), str(new_id()), bad).reason == "INDIKATOR_NOT_FOUND"
    )
    w.act_as(w.kabid)
    assert (
        refused(handlers.set_realisasi, w.deps, str(p.id), indikator, RealisasiInput(nilai="1")).reason
        == "BUKAN_PEMILIK_SKP"
    )
    assert (w.db.commits, w.names()) == before


def test_feedback_only_on_the_values_assigned(world: World) -> None:
    w = world
    p = opened(w)
    w.act_as(w.rekan)
    assert (
        refused(handlers.set_feedback_perilaku, w.deps, str(p.id), 1, "x").reason == "BUKAN_PENILAI_PERILAKU"
    )
    handlers.set_feedback_perilaku(w.deps, str(p.id), 6, "Kolaboratif")
    tugas = w.db.state.tugas.values()
    assert not [
        t for t in tugas if t.jenis == JenisTugas.FEEDBACK_PERILAKU and t.assignee_pegawai_id == w.rekan.id
    ]
    kabid_feedback = [
        t for t in tugas if t.jenis == JenisTugas.FEEDBACK_PERILAKU and t.assignee_pegawai_id == w.kabid.id
    ]
    assert kabid_feedback[0].nilai == [1, 2, 3, 4, 5, 7]


def test_rating_refused_until_complete_then_every_cell_of_the_matrix(world: World) -> None:
    w = world
    p = opened(w)
    w.act_as(w.kabid)
    err = refused(handlers.rate_penilaian, w.deps, str(p.id), S, S)
    assert err.reason == "PENILAIAN_BELUM_LENGKAP"
    assert {v.code for v in err.violations} == {"UMPAN_BALIK_BELUM_ADA", "FEEDBACK_PERILAKU_BELUM_ADA"}
    ready(w, p)
    w.act_as(w.staf)
    assert refused(handlers.rate_penilaian, w.deps, str(p.id), S, S).reason == "BUKAN_PEJABAT_PENILAI"
    w.act_as(w.kabid)
    assert (
        refused(handlers.rate_penilaian, w.deps, str(p.id), None, S).violations[0].code == "RATING_REQUIRED"
    )
    expected = {
        (A, A): Predikat.SANGAT_BAIK, (A, S): Predikat.BAIK, (A, B): Predikat.KURANG,
        (S, A): Predikat.BAIK, (S, S): Predikat.BAIK, (S, B): Predikat.KURANG,
        (B, A): Predikat.BUTUH_PERBAIKAN, (B, S): Predikat.BUTUH_PERBAIKAN, (B, B): Predikat.SANGAT_KURANG,
    }  # fmt: skip
    for (hasil, perilaku), predikat in expected.items():
        rated = handlers.rate_penilaian(w.deps, str(p.id), hasil, perilaku)
        assert (rated.status, rated.predikat) == (StatusPenilaian.DINILAI, predikat)
        why = rated.isi.penjelasan
        assert why is not None and why.dinilai_oleh.pegawai_id == w.kabid.id and why.predikat == predikat
    last = [e for e in w.events if type(e).__name__ == "PredikatDitetapkan"]
    assert len(last) == 9 and last[-1].sebelumnya == Predikat.BUTUH_PERBAIKAN  # type: ignore[union-attr]
    assert last[-1].jenjang == "Ahli Pertama"  # type: ignore[union-attr]  (from org on the day, for angka kredit)
    assert not [t for t in w.db.state.tugas.values() if t.jenis == JenisTugas.NILAI_BAWAHAN]


def test_a_plt_of_the_penilai_s_unit_rates_in_their_place(world: World) -> None:
    from kinerja_kit.org_directory import OrgPlt

    w = world
    p = ready(w)
    w.org.people[w.kabid.id].pimpinan = False  # the kabid left; a PLT leads the bidang
    w.org.people[w.staf.id].atasan = None
    plt = w.org.add("Plt Kabid", w.unit)
    w.org.plts.append(
        OrgPlt(new_id(), plt.id, w.bidang, "Plt. Kabid", date(2027, 1, 1), date(2027, 6, 30), True)
    )
    w.org.people[w.staf.id].atasan = plt.id
    w.act_as(w.kabid)  # still named on the snapshot, so they read it, but no longer rate it
    assert refused(handlers.rate_penilaian, w.deps, str(p.id), S, S).reason == "BUKAN_PEJABAT_PENILAI"
    w.act_as(plt)
    rated = handlers.rate_penilaian(w.deps, str(p.id), S, A)
    assert rated.predikat == Predikat.BAIK and rated.isi.penjelasan.dinilai_oleh.pegawai_id == plt.id  # type: ignore[union-attr]


def test_the_head_of_a_unit_gets_the_hasil_from_the_capaian(world: World) -> None:
    w = world
    head = make_skp(
        w.unit,
        w.unit,
        w.kabid,
        w.kepala,
        None,
        model=1,
        periode_ids=[w.tw1.id],
        perilaku={n: (1, w.kepala) for n in range(1, 8)},
    )
    # a JPT whose unor is its unit kerja heads it
    w.db.state.skp[head.id] = head
    w.act_as(w.kabid)
    p = handlers.open_penilaian(w.deps, str(head.id), str(w.tw1.id))
    assert p.skp.pimpinan_unit_kerja
    handlers.set_realisasi(w.deps, str(p.id), str(head.rhk[0].indikator[0].id), RealisasiInput(nilai="3"))
    w.act_as(w.kepala)
    for nilai in range(1, 8):
        handlers.set_feedback_perilaku(w.deps, str(p.id), nilai, "Baik")
        handlers.set_umpan_balik(w.deps, str(p.id), "", nilai, "Baik")
    handlers.set_umpan_balik(w.deps, str(p.id), str(head.rhk[0].indikator[0].id), 0, "Baik")
    assert refused(handlers.rate_penilaian, w.deps, str(p.id), None, S).reason == "CAPAIAN_BELUM_ADA"
    assert (
        refused(handlers.rate_penilaian, w.deps, str(p.id), S, S).violations[0].code == "RATING_DARI_CAPAIAN"
    )
    capaian = CapaianOrganisasi(
        id=new_id(),
        instansi_id=p.instansi_id,
        tahun=2027,
        periode_id=w.tw1.id,
        unor_id=w.unit,
        capaian=Capaian.ISTIMEWA,
        diubah_oleh={"nama": "Admin"},
        created_at=p.created_at,
        updated_at=p.created_at,  # type: ignore[arg-type]
    )
    w.db.state.capaian[capaian.id] = capaian
    rated = handlers.rate_penilaian(w.deps, str(p.id), None, S)
    why = rated.isi.penjelasan
    assert rated.rating_hasil_kerja == A and rated.predikat == Predikat.BAIK
    assert (
        why is not None
        and why.hasil_dari_capaian
        and why.capaian == Capaian.ISTIMEWA
        and "Istimewa" in why.uraian
    )
    # a final capaian freezes the unit's ratings
    w.db.state.capaian[capaian.id].final = True
    assert refused(handlers.rate_penilaian, w.deps, str(p.id), None, A).reason == "CAPAIAN_SUDAH_FINAL"
