"""The consumer: a final predikat of a JF pegawai becomes a draft konversi PAK (the worked example of the
form), non-JF and non-final predikat are skipped, a changed predikat recomputes a draft with a Perubahan
and marks an approved PAK perlu_pak_baru (never changed silently)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import Engine

from kinerja.angka_kredit.v1 import angka_kredit_pb2 as pb
from kinerja.angka_kredit.v1 import angka_kredit_pb2_grpc
from kinerja.assessment.v1 import assessment_pb2
from kinerja_testing.angka_kredit import AkWorld, predikat_event, publish_predikat, stored_pak, wait_pak

pytestmark = pytest.mark.integration

Stub = angka_kredit_pb2_grpc.AngkaKreditServiceStub
SB, B = assessment_pb2.PREDIKAT_SANGAT_BAIK, assessment_pb2.PREDIKAT_BAIK


def test_worked_example_from_a_final_predikat(
    world: AkWorld, ak_stub: Stub, ak_inspect_engine: Engine, kafka_bootstrap: str
) -> None:
    # 002 §2.15: TMT jabatan 1 Juni 2024, Januari-Desember 2024, Sangat Baik, Ahli Pertama (12.5)
    event = predikat_event(world.analis, world.kepala, SB, tmt_jabatan="2024-06-01")
    publish_predikat(kafka_bootstrap, world.instansi_id, event)
    row = wait_pak(ak_inspect_engine, event.penilaian_id)
    pak = ak_stub.GetPak(pb.GetPakRequest(id=str(row.id)), metadata=world.as_(world.analis))
    assert pak.status == pb.STATUS_PAK_DRAFT
    assert pak.sumber == pb.SUMBER_PAK_KONVERSI
    assert pak.jenjang == "Ahli Pertama" and pak.golongan == "III/a"
    assert pak.perhitungan.jumlah_bulan == 7
    assert pak.perhitungan.rumus == "7 / 12 × 150 % × 12.5 = 10.938"
    assert (pak.angka_kredit.pecahan, pak.angka_kredit.desimal, pak.angka_kredit.tampil) == (
        "175/16",
        "10.9375",
        "10.938",
    )
    assert pak.kenaikan_pangkat.kebutuhan.desimal == "50"
    assert pak.kenaikan_jenjang.kebutuhan.desimal == "100"
    assert pak.kenaikan_pangkat.baru.desimal == "10.9375" and not pak.kenaikan_pangkat.terpenuhi
    assert pak.kenaikan_pangkat.kekurangan.desimal == "39.0625"
    assert pak.penilaian_id == event.penilaian_id
    assert [step.aksi for step in pak.riwayat] == ["DIBUAT"]
    # the penilai today reads it too, and the same event again changes nothing
    assert ak_stub.GetPak(pb.GetPakRequest(id=pak.id), metadata=world.as_(world.kepala)).id == pak.id
    publish_predikat(kafka_bootstrap, world.instansi_id, event)
    # a change after the repeat on the same key (same partition, so handled after it): one change only
    changed = predikat_event(
        world.analis, world.kepala, B, penilaian_id=event.penilaian_id, tmt_jabatan="2024-06-01"
    )
    publish_predikat(kafka_bootstrap, world.instansi_id, changed)
    wait_pak(ak_inspect_engine, event.penilaian_id, version=2)
    after = ak_stub.GetPak(pb.GetPakRequest(id=pak.id), metadata=world.admin)
    assert [step.aksi for step in after.riwayat] == ["DIBUAT", "DIHITUNG_ULANG"]
    assert len(after.perubahan) == 1 and after.version == 2
    assert after.angka_kredit.pecahan == "175/24"  # 7 / 12 × 100 % × 12.5


def test_non_jf_and_non_final_are_skipped(
    world: AkWorld, ak_inspect_engine: Engine, kafka_bootstrap: str
) -> None:
    pelaksana = predikat_event(
        world.pelaksana, world.kepala, SB, jabatan_jenis="JENIS_JABATAN_PELAKSANA", jenjang=""
    )
    periodic = predikat_event(world.analis, world.kepala, SB, final=False)
    unknown = predikat_event(world.analis, world.kepala, SB, jenjang="Ahli Tidak Ada")
    marker = predikat_event(world.pranata, world.kepala, SB)
    for event in (pelaksana, periodic, unknown, marker):
        publish_predikat(kafka_bootstrap, world.instansi_id, event)
    wait_pak(ak_inspect_engine, marker.penilaian_id)
    for event in (pelaksana, periodic, unknown):
        assert stored_pak(ak_inspect_engine, event.penilaian_id) is None


def test_changed_predikat_recomputes_a_draft(
    world: AkWorld, ak_stub: Stub, ak_inspect_engine: Engine, kafka_bootstrap: str
) -> None:
    event = predikat_event(world.analis, world.kepala, B)
    publish_predikat(kafka_bootstrap, world.instansi_id, event)
    row = wait_pak(ak_inspect_engine, event.penilaian_id)
    changed = predikat_event(
        world.analis, world.kepala, SB, penilaian_id=event.penilaian_id, keberatan_id="kb-1", sebelumnya=B
    )
    publish_predikat(kafka_bootstrap, world.instansi_id, changed)
    wait_pak(ak_inspect_engine, event.penilaian_id, version=2)
    pak = ak_stub.GetPak(pb.GetPakRequest(id=str(row.id)), metadata=world.admin)
    assert pak.status == pb.STATUS_PAK_DRAFT
    assert pak.angka_kredit.desimal == "18.75"
    [perubahan] = pak.perubahan
    assert perubahan.diterapkan
    assert perubahan.alasan == "Predikat diubah melalui keberatan kb-1 yang disetujui"
    assert (perubahan.ak_sebelum.desimal, perubahan.ak_sesudah.desimal) == ("12.5", "18.75")
    assert [s.aksi for s in pak.riwayat] == ["DIBUAT", "DIHITUNG_ULANG"]


def test_changed_predikat_marks_an_approved_pak(
    world: AkWorld, ak_stub: Stub, ak_inspect_engine: Engine, kafka_bootstrap: str
) -> None:
    event = predikat_event(world.analis, world.kepala, B)
    publish_predikat(kafka_bootstrap, world.instansi_id, event)
    row = wait_pak(ak_inspect_engine, event.penilaian_id)
    pak_id = str(row.id)
    ak_stub.AjukanPak(
        pb.AjukanPakRequest(id=pak_id, tempat="Semarang", tanggal_sk=date.today().isoformat()),
        metadata=world.as_(world.analis),
    )
    ak_stub.SetujuiPak(pb.SetujuiPakRequest(id=pak_id), metadata=world.as_(world.kepala))
    changed = predikat_event(world.analis, world.kepala, SB, penilaian_id=event.penilaian_id)
    publish_predikat(kafka_bootstrap, world.instansi_id, changed)
    wait_pak(ak_inspect_engine, event.penilaian_id, version=4)
    pak = ak_stub.GetPak(pb.GetPakRequest(id=pak_id), metadata=world.admin)
    assert pak.status == pb.STATUS_PAK_DISETUJUI
    assert pak.angka_kredit.desimal == "12.5"  # unchanged
    assert pak.perlu_pak_baru and pak.perlu_pak_baru_alasan == "Predikat diubah oleh pejabat penilai"
    assert not pak.perubahan[0].diterapkan
    # returned to draft: the pending figures are applied, the flag cleared, the number kept
    back = ak_stub.KembalikanPakKeDraft(
        pb.KembalikanPakKeDraftRequest(id=pak_id, alasan="Predikat berubah"), metadata=world.admin
    )
    assert back.status == pb.STATUS_PAK_DRAFT and not back.perlu_pak_baru
    assert back.angka_kredit.desimal == "18.75" and back.perubahan[0].diterapkan
    assert back.nomor_sk == pak.nomor_sk != ""
