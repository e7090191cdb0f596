"""A first walk through the skp service over gRPC on the real org."""

from __future__ import annotations

import pytest

from kinerja.skp.v1 import skp_pb2
from kinerja_testing.skp import SkpWorld

pytestmark = pytest.mark.integration


def test_create_skp_takes_snapshots_from_org(world: SkpWorld) -> None:
    tenant = world.tenant(1)
    staff = world.skp(tenant, "prakom_1")
    assert staff.model == skp_pb2.MODEL_SKP_JA_JF and staff.status == skp_pb2.STATUS_SKP_DRAFT
    assert staff.pegawai.nip == tenant.nip("prakom_1")
    assert staff.penilai.pegawai_id == tenant.id("kabid_informasi")
    assert staff.atasan_penilai.pegawai_id == tenant.id("kepala")
    assert len(staff.perilaku) == 7
    head = world.skp(tenant, "kepala")
    assert head.model == skp_pb2.MODEL_SKP_JPT and head.mandiri
