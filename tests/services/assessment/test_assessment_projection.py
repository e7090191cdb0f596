"""The projection consumer: skp's periode and SKP events and org's unor events, applied once."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import Engine, text

from kinerja_testing.platform import wait_for

pytestmark = pytest.mark.integration


def test_approved_skp_reaches_the_projection_with_its_plan(
    quarter: Any, wait_projected: Callable[..., dict[str, Any]], assessment_inspect_engine: Engine
) -> None:
    q = quarter
    row = wait_projected(q.kabid, status="DISETUJUI")
    assert row["pegawai_id"] == uuid.UUID(q.tenant.id("kabid_informasi"))
    assert row["penilai_pegawai_id"] == uuid.UUID(q.tenant.id("kepala"))
    assert row["model"] == "JA_JF" and row["pendekatan"] == "KUANTITATIF"
    assert row["source_occurred_at"] is not None and row["applied_at"] >= row["source_occurred_at"]
    rhk = row["isi"]["rhk"]
    assert [r["rencana_aksi_periode_ids"] for r in rhk] == [[q.tw1]]
    assert [len(p["penilai_pegawai_id"] or "") > 0 for p in row["isi"]["perilaku"]] == [True] * 7

    # the unit kerja is the JPT unit (org's induk), once org's unor events are applied
    bkd = uuid.UUID(q.tenant.unor("bkd"))

    def unit_is_bkd() -> bool:
        with assessment_inspect_engine.connect() as conn:
            unit = conn.execute(
                text("select unit_kerja_id from skp_proyeksi where id = :id"), {"id": q.kabid.id}
            )
            return unit.scalar() == bkd

    assert wait_for(unit_is_bkd, what="the unit kerja of the SKP")
    head = wait_projected(q.kepala, status="DISETUJUI")
    assert head["mandiri"] and head["unit_kerja_id"] == bkd

    with assessment_inspect_engine.connect() as conn:
        periode = conn.execute(
            text(
                "select nama, jenis, mulai, selesai from periode_proyeksi where instansi_id = :i order by mulai"
            ),
            {"i": q.tenant.instansi_id},
        ).all()
    assert sorted(p.jenis for p in periode) == ["BIASA"] * 4 + ["FINAL"]


def test_each_skp_is_one_row_at_its_latest_version(
    quarter: Any, wait_projected: Callable[..., dict[str, Any]], assessment_inspect_engine: Engine
) -> None:
    q = quarter
    row = wait_projected(q.kabid, status="DISETUJUI")
    with assessment_inspect_engine.connect() as conn:
        counted = conn.execute(
            text("select count(*) from skp_proyeksi where instansi_id = :i"), {"i": q.tenant.instansi_id}
        ).scalar()
    assert counted == 2 and row["version"] == q.kabid.version
