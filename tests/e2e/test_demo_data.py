"""The demo data `make run` loads goes in through the public RPCs, its demo logins work, and its SKP
planning story is there: each person with the SKP and status the README's logins lead to."""

from __future__ import annotations

import grpc
import pytest

from kinerja.identity.v1 import identity_pb2, identity_pb2_grpc
from kinerja.org.v1 import org_pb2, org_pb2_grpc
from kinerja.skp.v1 import skp_pb2, skp_pb2_grpc
from kinerja_kit.handlers import today
from kinerja_testing.demo.data import DEMO_LOGINS, load_demo_data
from kinerja_testing.demo.org import demo_structure
from kinerja_testing.platform import ADMIN_BKN_PASSWORD, ADMIN_BKN_USERNAME, Platform

pytestmark = pytest.mark.integration


def _load(platform: Platform) -> bool:
    return load_demo_data(
        platform.identity_addr, platform.org_addr, platform.skp_addr, ADMIN_BKN_USERNAME, ADMIN_BKN_PASSWORD
    )


def _as(platform: Platform, key: str) -> list[tuple[str, str]]:
    demo = next(d for d in DEMO_LOGINS if d.variant == 1 and d.key == key)
    identity = identity_pb2_grpc.IdentityServiceStub(grpc.insecure_channel(platform.identity_addr))
    login = identity.Login(identity_pb2.LoginRequest(username=demo.username, password=demo.password))
    return [("authorization", f"Bearer {login.tokens.access_token}")]


def test_demo_data_loads_once_and_its_logins_work(platform: Platform) -> None:
    assert _load(platform)
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
