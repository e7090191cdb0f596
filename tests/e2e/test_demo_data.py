"""The demo data `make run` loads goes in through the public RPCs, its demo logins work, and its SKP
planning and assessment stories are there: each person with the SKP and status, the penilaian and the
inbox the README's logins lead to."""

from __future__ import annotations

import grpc
import pytest

from kinerja.assessment.v1 import assessment_pb2, assessment_pb2_grpc
from kinerja.identity.v1 import identity_pb2, identity_pb2_grpc
from kinerja.org.v1 import org_pb2, org_pb2_grpc
from kinerja.skp.v1 import skp_pb2, skp_pb2_grpc
from kinerja_kit.handlers import today
from kinerja_testing.demo.data import DEMO_LOGINS, load_demo_data
from kinerja_testing.demo.org import demo_structure
from kinerja_testing.demo.skp import _current_periode
from kinerja_testing.platform import ADMIN_BKN_PASSWORD, ADMIN_BKN_USERNAME, Platform

pytestmark = pytest.mark.integration


def _load(platform: Platform) -> bool:
    return load_demo_data(
        platform.identity_addr,
        platform.org_addr,
        platform.skp_addr,
        platform.assessment_addr,
        ADMIN_BKN_USERNAME,
        ADMIN_BKN_PASSWORD,
    )


def _as(platform: Platform, key: str) -> list[tuple[str, str]]:
    demo = next(d for d in DEMO_LOGINS if d.variant == 1 and d.key == key)
    identity = identity_pb2_grpc.IdentityServiceStub(grpc.insecure_channel(platform.identity_addr))
    login = identity.Login(identity_pb2.LoginRequest(username=demo.username, password=demo.password))
    return [("authorization", f"Bearer {login.tokens.access_token}")]


def test_demo_data_loads_once_and_its_logins_work(platform: Platform) -> None:
    _load(platform)  # another test of the session (the angka kredit demo) may have loaded it first
    assert not _load(platform)

    identity = identity_pb2_grpc.IdentityServiceStub(grpc.insecure_channel(platform.identity_addr))
    org = org_pb2_grpc.OrgServiceStub(grpc.insecure_channel(platform.org_addr))
    for demo in DEMO_LOGINS:
        login = identity.Login(identity_pb2.LoginRequest(username=demo.username, password=demo.password))
        assert not login.account.must_change_password
        roles = set(login.account.roles)
        assert (identity_pb2.ROLE_ADMIN_INSTANSI in roles) == demo.admin_instansi
        auth = [("authorization", f"Bearer {login.tokens.access_token}")]
        tree = org.ListUnor(org_pb2.ListUnorRequest(), metadata=auth).unor
        assert len(tree) >= 9
        assert any(u.mandiri for u in tree)
        depth = {u.id: 0 for u in tree if not u.parent_id}
        for u in tree:  # parents come before children
            if u.parent_id:
                depth[u.id] = depth[u.parent_id] + 1
        assert max(depth.values()) >= 2  # at least three levels
        found = org.SearchPegawai(org_pb2.SearchPegawaiRequest(page_size=100), metadata=auth)
        assert found.total_count >= 30
        active_plt = org.ListPlt(org_pb2.ListPltRequest(only_active=True), metadata=auth).plt
        assert len(active_plt) == 1


def test_demo_skp_planning(platform: Platform) -> None:
    _load(platform)  # loaded by the test above, or here when run alone
    skp = skp_pb2_grpc.SkpServiceStub(grpc.insecure_channel(platform.skp_addr))
    year = today().year

    def own(key: str) -> list[skp_pb2.Skp]:
        md = _as(platform, key)
        found = skp.ListSkp(skp_pb2.ListSkpRequest(scope=skp_pb2.SKP_SCOPE_SAYA, tahun=year), metadata=md)
        return [skp.GetSkp(skp_pb2.GetSkpRequest(id=s.id), metadata=md) for s in found.skp]

    periode = skp.ListPeriode(
        skp_pb2.ListPeriodeRequest(), metadata=_as(platform, "data_kepegawaian")
    ).periode
    assert [p.nama for p in periode][:4] == [f"Triwulan {i}" for i in range(1, 5)] and len(periode) == 5

    kepala = _as(platform, "kepala")
    pk = skp.ListPerjanjianKinerja(skp_pb2.ListPerjanjianKinerjaRequest(tahun=year), metadata=kepala)
    assert len(pk.perjanjian_kinerja) == 1 and len(pk.perjanjian_kinerja[0].sasaran) == 3
    [head] = own("kepala")
    assert (head.model, head.status) == (skp_pb2.MODEL_SKP_JPT, skp_pb2.STATUS_SKP_DISETUJUI)
    assert [r.sumber_sasaran_id for r in head.rhk] == [s.id for s in pk.perjanjian_kinerja[0].sasaran]
    assert all(i.perspektif for r in head.rhk for i in r.indikator)
    mph = skp.GetMatriksPeranHasil(
        skp_pb2.GetMatriksPeranHasilRequest(skp_id=head.id, rhk_id=head.rhk[0].id), metadata=kepala
    )
    nip = {p.key: p.nip for p in demo_structure(1).pegawai}
    assert [(a.pegawai.nip, a.peran_tim) for a in mph.anggota] == [
        (nip["kabid_informasi"], skp_pb2.PERAN_TIM_KETUA),
        (nip["kabid_bangkom"], skp_pb2.PERAN_TIM_ANGGOTA),
    ]

    [informasi] = own("kabid_informasi")
    assert informasi.status == skp_pb2.STATUS_SKP_DIAJUKAN and informasi.penilai.pegawai_id == head.pegawai_id
    assert {(r.sumber_mph_id, r.atasan_rhk_id) for r in informasi.rhk} == {(mph.id, head.rhk[0].id)}
    assert all(r.indikator and r.rencana_aksi for r in informasi.rhk)
    inbox = skp.ListSkp(
        skp_pb2.ListSkpRequest(scope=skp_pb2.SKP_SCOPE_BAWAHAN, status=skp_pb2.STATUS_SKP_DIAJUKAN),
        metadata=kepala,
    )
    assert [s.id for s in inbox.skp] == [informasi.id]

    [staf] = own("prakom_1")
    assert staf.status == skp_pb2.STATUS_SKP_DRAFT and staf.penilai.pegawai_id == informasi.pegawai_id
    assert [(r.atasan_skp_id, r.atasan_rhk_id) for r in staf.rhk] == [(informasi.id, informasi.rhk[0].id)]
    assert staf.rhk[0].indikator

    assert not _load(platform)
    assert [s.id for s in own("prakom_1")] == [staf.id] and [s.id for s in own("kepala")] == [head.id]


def test_demo_assessment(platform: Platform) -> None:
    _load(platform)
    skp = skp_pb2_grpc.SkpServiceStub(grpc.insecure_channel(platform.skp_addr))
    stub = assessment_pb2_grpc.AssessmentServiceStub(grpc.insecure_channel(platform.assessment_addr))
    org = org_pb2_grpc.OrgServiceStub(grpc.insecure_channel(platform.org_addr))
    year = today().year
    kabid, kepala, admin = (
        _as(platform, "kabid_informasi"),
        _as(platform, "kepala"),
        _as(platform, "data_kepegawaian"),
    )
    periode = _current_periode(skp, kabid)
    nip = {p.key: p.nip for p in demo_structure(1).pegawai}

    def inbox(md: list[tuple[str, str]], jenis: int) -> assessment_pb2.GetInboxResponse:
        return stub.GetInbox(assessment_pb2.GetInboxRequest(jenis=jenis), metadata=md)  # type: ignore[arg-type]

    def counts(response: assessment_pb2.GetInboxResponse) -> dict[int, int]:
        return {j.jenis: j.jumlah for j in response.jumlah if j.jumlah}

    def own(key: str) -> assessment_pb2.Penilaian:
        md = _as(platform, key)
        [found] = stub.ListPenilaian(
            assessment_pb2.ListPenilaianRequest(scope=assessment_pb2.PENILAIAN_SCOPE_SAYA), metadata=md
        ).penilaian
        assert (found.tahun, found.periode_id) == (year, periode)
        return stub.GetPenilaian(assessment_pb2.GetPenilaianRequest(id=found.id), metadata=md)

    # the atasan: one bawahan to rate, one penilaian with perilaku values to give feedback on
    nilai = inbox(kabid, assessment_pb2.JENIS_TUGAS_NILAI_BAWAHAN)
    assert counts(nilai) == {
        assessment_pb2.JENIS_TUGAS_NILAI_BAWAHAN: 1,
        assessment_pb2.JENIS_TUGAS_FEEDBACK_PERILAKU: 1,
    }
    assert [t.pegawai.nip for t in nilai.tugas] == [nip["prakom_2"]]
    [feedback] = inbox(kabid, assessment_pb2.JENIS_TUGAS_FEEDBACK_PERILAKU).tugas
    assert feedback.sebagai == skp_pb2.JENIS_PENILAI_ATASAN and len(feedback.nilai) == 5
    # the rekan: the two values chosen for them
    [rekan] = inbox(_as(platform, "prakom_1"), assessment_pb2.JENIS_TUGAS_FEEDBACK_PERILAKU).tugas
    assert rekan.pegawai.nip == nip["prakom_2"] and rekan.sebagai == skp_pb2.JENIS_PENILAI_REKAN_KERJA
    assert list(rekan.nilai) == [skp_pb2.NILAI_PERILAKU_HARMONIS, skp_pb2.NILAI_PERILAKU_KOLABORATIF]

    # the open penilaian: one of two indikator filled in, with its bukti dukung
    opened = own("prakom_2")
    assert (
        opened.status == assessment_pb2.STATUS_PENILAIAN_DIBUKA
        and opened.penilai.nip == nip["kabid_informasi"]
    )
    assert [r.terisi for r in opened.realisasi] == [True, False]
    assert opened.realisasi[0].bukti_dukung[0].url.startswith("https://")
    assert counts(inbox(_as(platform, "prakom_2"), assessment_pb2.JENIS_TUGAS_ISI_REALISASI)) == {
        assessment_pb2.JENIS_TUGAS_ISI_REALISASI: 1
    }
    # the rated one: predikat Baik with its explanation, no task left
    rated = own("analis_informasi")
    assert (rated.status, rated.predikat) == (
        assessment_pb2.STATUS_PENILAIAN_DINILAI,
        assessment_pb2.PREDIKAT_BAIK,
    )
    assert rated.penjelasan.uraian and rated.penjelasan.dinilai_oleh.nip == nip["kabid_informasi"]
    assert not counts(inbox(_as(platform, "analis_informasi"), assessment_pb2.JENIS_TUGAS_ISI_REALISASI))

    # the BKD's capaian for the quarter: not final, with the rated and assessable SKPs of the unit
    [capaian] = stub.ListCapaian(
        assessment_pb2.ListCapaianRequest(tahun=year, periode_id=periode), metadata=admin
    ).capaian
    bkd = next(u.id for u in org.ListUnor(org_pb2.ListUnorRequest(), metadata=admin).unor if not u.parent_id)
    assert (capaian.unor_id, capaian.capaian, capaian.final) == (bkd, assessment_pb2.CAPAIAN_BAIK, False)
    assert (capaian.statistik.dinilai, capaian.statistik.total) == (1, 3)  # the kepala, prakom_2, analis
    pola = stub.GetPolaDistribusi(
        assessment_pb2.GetPolaDistribusiRequest(unor_id=bkd, periode_id=periode, tahun=year), metadata=kepala
    )
    assert pola.capaian == assessment_pb2.CAPAIAN_BAIK and pola.batas

    # the SKP story stays as the README tells it
    informasi = skp.ListSkp(
        skp_pb2.ListSkpRequest(scope=skp_pb2.SKP_SCOPE_SAYA, tahun=year), metadata=kabid
    ).skp
    assert [s.status for s in informasi] == [skp_pb2.STATUS_SKP_DIAJUKAN]

    # a second load changes nothing
    assert not _load(platform)
    assert own("prakom_2").version == opened.version and own("analis_informasi").version == rated.version
