"""The angka kredit demo `make run` loads: the analis's integrasi PAK signed with the instansi's first
automatic SK number, the pranata komputer's waiting in the kepala bidang's approvals; a second load
changes nothing."""

from __future__ import annotations

import grpc
import pytest

from kinerja.angka_kredit.v1 import angka_kredit_pb2, angka_kredit_pb2_grpc
from kinerja.identity.v1 import identity_pb2, identity_pb2_grpc
from kinerja_kit.handlers import today
from kinerja_kit.runtime import ServiceRuntime
from kinerja_testing.demo.data import DEMO_LOGINS, load_demo_data
from kinerja_testing.platform import (
    ADMIN_BKN_PASSWORD,
    ADMIN_BKN_USERNAME,
    Platform,
    angka_kredit_service,
)

__all__ = ["angka_kredit_service"]  # the fixture, imported to be found here
pytestmark = pytest.mark.integration


def _load(platform: Platform) -> bool:
    return load_demo_data(
        platform.identity_addr,
        platform.org_addr,
        platform.skp_addr,
        platform.assessment_addr,
        ADMIN_BKN_USERNAME,
        ADMIN_BKN_PASSWORD,
        angka_kredit_addr=platform.angka_kredit_addr,
    )


def _as(platform: Platform, key: str) -> list[tuple[str, str]]:
    demo = next(d for d in DEMO_LOGINS if d.variant == 1 and d.key == key)
    identity = identity_pb2_grpc.IdentityServiceStub(grpc.insecure_channel(platform.identity_addr))
    login = identity.Login(identity_pb2.LoginRequest(username=demo.username, password=demo.password))
    return [("authorization", f"Bearer {login.tokens.access_token}")]


def test_demo_angka_kredit(platform: Platform, angka_kredit_service: ServiceRuntime) -> None:
    _load(platform)
    assert not _load(platform)
    stub = angka_kredit_pb2_grpc.AngkaKreditServiceStub(grpc.insecure_channel(platform.angka_kredit_addr))
    saya = angka_kredit_pb2.ListPakRequest(scope=angka_kredit_pb2.PAK_SCOPE_SAYA, tahun=2022)

    [analis] = stub.ListPak(saya, metadata=_as(platform, "analis_informasi")).pak
    assert analis.sumber == angka_kredit_pb2.SUMBER_PAK_INTEGRASI
    assert analis.status == angka_kredit_pb2.STATUS_PAK_DITANDATANGANI
    assert analis.nomor_sk == f"1/PAK/{today().year}" and analis.tempat == "Semarang"
    assert analis.tanda_tangan.cara == angka_kredit_pb2.CARA_TANDA_TANGAN_TTE
    assert (analis.jenjang, analis.golongan) == ("Ahli Pertama", "III/a")
    assert analis.angka_kredit.desimal == "12.5" and analis.kenaikan_pangkat.kebutuhan.pecahan == "50"

    [prakom] = stub.ListPak(saya, metadata=_as(platform, "prakom_2")).pak
    assert prakom.status == angka_kredit_pb2.STATUS_PAK_DIAJUKAN and not prakom.nomor_sk
    persetujuan = angka_kredit_pb2.ListPakRequest(scope=angka_kredit_pb2.PAK_SCOPE_PERSETUJUAN)
    waiting = stub.ListPak(persetujuan, metadata=_as(platform, "kabid_informasi")).pak
    assert [p.id for p in waiting] == [prakom.id]

    instansi = angka_kredit_pb2.ListPakRequest(scope=angka_kredit_pb2.PAK_SCOPE_INSTANSI, tahun=2022)
    listed = stub.ListPak(instansi, metadata=_as(platform, "data_kepegawaian"))
    assert {p.id for p in listed.pak} == {analis.id, prakom.id} and listed.total_count_exact
