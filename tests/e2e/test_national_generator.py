"""The national data generator at a small size (3 instansi, 3,000 pegawai) against the real services: what
its manifest says is what org, identity and skp hold, loaded through their APIs and events."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import grpc
import pytest

from kinerja.identity.v1 import identity_pb2, identity_pb2_grpc
from kinerja.org.v1 import org_pb2, org_pb2_grpc
from kinerja.skp.v1 import skp_pb2, skp_pb2_grpc
from kinerja_testing.national.plan import NIP_PREFIX, SEARCH_NAME
from kinerja_testing.national.seed import MANIFEST_FORMAT, Options, generate, read_manifest
from kinerja_testing.national.stack import Endpoints
from kinerja_testing.platform import ADMIN_BKN_PASSWORD, ADMIN_BKN_USERNAME, Platform

pytestmark = pytest.mark.integration

OPTIONS = Options(pegawai=3_000, seed=11, instansi=3, samples=12, skp_share=0.05, workers=3)


@pytest.fixture(scope="module")
def manifest(platform: Platform, pg_admin_url: str, kafka_bootstrap: str, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:  # fmt: skip
    endpoints = Endpoints(
        gateway="",
        identity=platform.identity_addr,
        org=platform.org_addr,
        skp=platform.skp_addr,
        assessment=platform.assessment_addr,
        kafka=kafka_bootstrap,
        database_url=pg_admin_url,
    )
    data: Path = tmp_path_factory.mktemp("national")
    made = generate(
        OPTIONS, endpoints, data, admin={"username": ADMIN_BKN_USERNAME, "password": ADMIN_BKN_PASSWORD}
    )
    assert read_manifest(data) == made
    return made


def _login(platform: Platform, user: dict[str, Any]) -> tuple[tuple[str, str], ...]:
    identity = identity_pb2_grpc.IdentityServiceStub(grpc.insecure_channel(platform.identity_addr))
    login = identity.Login(identity_pb2.LoginRequest(username=user["nip"], password=user["password"]))
    assert not login.account.must_change_password
    return (("authorization", f"Bearer {login.tokens.access_token}"),)


def test_manifest_describes_the_data_set(manifest: dict[str, Any]) -> None:
    assert manifest["format"] == MANIFEST_FORMAT
    assert manifest["pegawai_total"] == 3_000 and manifest["seed"] == 11
    assert sum(i["pegawai"] for i in manifest["instansi"]) == 3_000
    assert len(manifest["instansi"]) == 3
    assert manifest["accounts"] == 3_000
    roles = {i["role"]: i for i in manifest["instansi"]}
    assert manifest["compare"] == {"big": roles["big"]["id"], "small": roles["small"]["id"]}
    for entry in manifest["instansi"]:
        samples = entry["samples"]
        assert samples["search_name"] == SEARCH_NAME and samples["nip_prefix"] == NIP_PREFIX
        assert entry["admin"]["password"] and entry["periode"]
        for staff in samples["staff"]:
            assert staff["skp_id"] and staff["atasan_id"] in {a["pegawai_id"] for a in samples["atasan"]}
    big = roles["big"]["samples"]["head_big"]
    assert big["bawahan"] == 75  # a tenth of the big ministry's 750 (2,500 at 1,000,000)


def test_org_holds_every_unor_and_pegawai(platform: Platform, manifest: dict[str, Any]) -> None:
    for entry in manifest["instansi"]:
        auth = _login(platform, entry["admin"])
        org = org_pb2_grpc.OrgServiceStub(grpc.insecure_channel(platform.org_addr))
        tree = org.ListUnor(org_pb2.ListUnorRequest(), metadata=auth).unor
        assert len(tree) == entry["unor"]
        assert sum(u.jumlah_pegawai for u in tree) == entry["pegawai"]
        depth: dict[str, int] = {}
        for unit in tree:  # parents first
            depth[unit.id] = depth[unit.parent_id] + 1 if unit.parent_id else 0
        assert max(depth.values()) >= 3
        plt = org.ListPlt(org_pb2.ListPltRequest(only_active=True), metadata=auth).plt
        assert len(plt) == entry["plt"]
        found = org.SearchPegawai(org_pb2.SearchPegawaiRequest(query=NIP_PREFIX, page_size=5), metadata=auth)
        assert all(p.nip.startswith(NIP_PREFIX) for p in found.pegawai)


def test_the_designated_heads_have_their_bawahan(platform: Platform, manifest: dict[str, Any]) -> None:
    for entry in manifest["instansi"]:
        head = entry["samples"]["head_big"]
        if head is None:
            continue
        org = org_pb2_grpc.OrgServiceStub(grpc.insecure_channel(platform.org_addr))
        page = org.ListRelated(
            org_pb2.ListRelatedRequest(
                pegawai_id=head["pegawai_id"], kind=org_pb2.RELATED_KIND_BAWAHAN, page_size=5
            ),
            metadata=_login(platform, head),
        )
        assert page.total_count == head["bawahan"]


def test_sample_users_log_in_to_their_approved_skp(platform: Platform, manifest: dict[str, Any]) -> None:
    skp = skp_pb2_grpc.SkpServiceStub(grpc.insecure_channel(platform.skp_addr))
    for entry in manifest["instansi"]:
        listed = skp.ListSkp(
            skp_pb2.ListSkpRequest(scope=skp_pb2.SKP_SCOPE_INSTANSI, tahun=manifest["tahun"], page_size=1),
            metadata=_login(platform, entry["admin"]),
        )
        assert listed.total_count == min(entry["skp"], 1_000)
        for staff in entry["samples"]["staff"][:3]:
            own = skp.GetSkp(skp_pb2.GetSkpRequest(id=staff["skp_id"]), metadata=_login(platform, staff))
            assert own.status == skp_pb2.STATUS_SKP_DISETUJUI
            assert own.penilai.pegawai_id == staff["atasan_id"]
            assert all(r.indikator and r.rencana_aksi for r in own.rhk)
