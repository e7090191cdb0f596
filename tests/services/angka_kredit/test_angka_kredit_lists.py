"""ListPak: scopes, filters (tahun, name or NIP prefix through the search view, jabatan, status, sumber,
perlu_pak_baru, pegawai), keyset pages with bounded counts; a later PAK recomputed when an earlier one
changes; GetPrakiraan from a pegawai's PAKs."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import Engine

from kinerja.angka_kredit.v1 import angka_kredit_pb2 as pb
from kinerja.angka_kredit.v1 import angka_kredit_pb2_grpc
from kinerja.assessment.v1 import assessment_pb2
from kinerja_testing.angka_kredit import AkWorld, predikat_event, publish_predikat, wait_pak
from kinerja_testing.org import OrgWorld
from kinerja_testing.platform import every_page, rpc_error

pytestmark = pytest.mark.integration

Stub = angka_kredit_pb2_grpc.AngkaKreditServiceStub
THIS_YEAR = date.today().year


def _integrasi(stub: Stub, world: AkWorld, pegawai_id: str, tahun: int, ak: str = "10") -> pb.Pak:
    return stub.CatatIntegrasi(
        pb.CatatIntegrasiRequest(
            pegawai_id=pegawai_id, tahun=tahun, angka_kredit=ak, dokumen_sumber="PAK lama"
        ),
        metadata=world.admin,
    )


def test_list_filters_and_pages(world: AkWorld, org_world: OrgWorld, ak_stub: Stub) -> None:
    from kinerja_testing.angka_kredit import ANALIS

    root = world.analis.unor_id
    names = [f"Pegawai Uji {chr(ord('A') + i)}" for i in range(7)]
    people = [org_world.pegawai(world.tenant, root, nama, jabatan=ANALIS, golongan="III/a") for nama in names]
    made = [_integrasi(ak_stub, world, p.id, THIS_YEAR) for p in people]
    _integrasi(ak_stub, world, world.pranata.id, THIS_YEAR)
    _integrasi(ak_stub, world, world.analis.id, THIS_YEAR - 1)
    admin = world.admin

    def page(token: str, **filters: object) -> pb.ListPakResponse:
        request = pb.ListPakRequest(scope=pb.PAK_SCOPE_INSTANSI, page_size=3, page_token=token, **filters)  # type: ignore[arg-type]
        return ak_stub.ListPak(request, metadata=admin)

    # tahun defaults to this year for INSTANSI; by name then id
    items, sizes = every_page(lambda t: page(t), "pak")
    assert len(items) == 8 and sizes == [3, 3, 2]
    assert [p.pegawai.nama for p in items] == sorted(p.pegawai.nama for p in items)
    first = page("")
    assert (first.total_count, first.total_count_exact) == (8, True)
    # name fragment (search view), NIP prefix (ordered by NIP), jabatan fragment
    found, _ = every_page(lambda t: page(t, query="uji"), "pak")
    assert {p.id for p in found} == {p.id for p in made}
    nip = people[3].nip
    found, _ = every_page(lambda t: page(t, query=nip[:12]), "pak")
    assert made[3].id in {p.id for p in found}
    assert [p.pegawai.nip for p in found] == sorted(p.pegawai.nip for p in found)
    found, _ = every_page(lambda t: page(t, jabatan="pranata"), "pak")
    assert [p.pegawai.pegawai_id for p in found] == [world.pranata.id]
    # status, sumber, pegawai, tahun
    ak_stub.AjukanPak(
        pb.AjukanPakRequest(id=made[0].id, tempat="Semarang", tanggal_sk=date.today().isoformat()),
        metadata=admin,
    )
    found, _ = every_page(lambda t: page(t, status=pb.STATUS_PAK_DIAJUKAN), "pak")
    assert [p.id for p in found] == [made[0].id]
    assert not page("", sumber=pb.SUMBER_PAK_KONVERSI).pak
    found, _ = every_page(lambda t: page(t, tahun=THIS_YEAR - 1, pegawai_id=world.analis.id), "pak")
    assert len(found) == 1 and found[0].tahun == THIS_YEAR - 1
    assert not page("", perlu_pak_baru=True).pak
    # refusals: short query, a token of another list
    _, err = rpc_error(page, "", query="ab")
    assert err.violations[0].code == "QUERY_TOO_SHORT"
    _, err = rpc_error(page, first.next_page_token, query="uji")
    assert err.violations[0].code == "PAGE_TOKEN_INVALID"
    # SAYA: the caller's own
    own = ak_stub.ListPak(pb.ListPakRequest(scope=pb.PAK_SCOPE_SAYA), metadata=world.as_(people[2]))
    assert [p.id for p in own.pak] == [made[2].id]


def test_an_earlier_change_recomputes_later_paks_and_the_forecast(
    world: AkWorld, ak_stub: Stub, ak_inspect_engine: Engine, kafka_bootstrap: str
) -> None:
    b, sb = assessment_pb2.PREDIKAT_BAIK, assessment_pb2.PREDIKAT_SANGAT_BAIK
    y2023 = predikat_event(world.analis, world.kepala, b, tahun=2023)
    y2024 = predikat_event(world.analis, world.kepala, b, tahun=2024)
    for event in (y2023, y2024):
        publish_predikat(kafka_bootstrap, world.instansi_id, event)
    later_row = wait_pak(ak_inspect_engine, y2024.penilaian_id)
    wait_pak(ak_inspect_engine, y2023.penilaian_id)
    later = ak_stub.GetPak(pb.GetPakRequest(id=str(later_row.id)), metadata=world.admin)
    assert later.kenaikan_pangkat.lama.desimal == "12.5" and later.kenaikan_pangkat.baru.desimal == "25"
    prakiraan = ak_stub.GetPrakiraan(pb.GetPrakiraanRequest(), metadata=world.as_(world.analis))
    assert prakiraan.kumulatif_pangkat.desimal == "25" and prakiraan.mulai_bulan == "2025-01"
    assert prakiraan.predikat_terakhir == b
    baik = next(s for s in prakiraan.skenario if s.predikat == b)
    assert baik.saat_ini and baik.kenaikan_pangkat.bulan_dibutuhkan == 24
    # 2023's predikat changes: 2024's kumulatif follows (a draft: updated, with a step in its riwayat)
    publish_predikat(
        kafka_bootstrap,
        world.instansi_id,
        predikat_event(world.analis, world.kepala, sb, tahun=2023, penilaian_id=y2023.penilaian_id),
    )
    # (2024 is at version 1 or 2 by now: the two events have other keys, so either may be handled first)
    wait_pak(ak_inspect_engine, y2024.penilaian_id, version=later.version + 1)
    later = ak_stub.GetPak(pb.GetPakRequest(id=str(later_row.id)), metadata=world.admin)
    assert later.kenaikan_pangkat.lama.desimal == "18.75" and later.kenaikan_pangkat.baru.desimal == "31.25"
    assert (
        later.riwayat[-1].aksi == "DIHITUNG_ULANG" and later.riwayat[-1].alasan == "AK PAK sebelumnya berubah"
    )
