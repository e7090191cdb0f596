"""org's text inputs over gRPC: forbidden characters are field errors (never INTERNAL), codes are plain
ASCII digits and letters, searches are bounded, and an unexpected database error logs no personal data."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import grpc
import pytest
from sqlalchemy import text

from kinerja.org.v1 import org_pb2
from kinerja_kit.logging import JsonFormatter
from kinerja_testing.org import OrgWorld, Tenant, random_nik, random_nip, rpc_error
from org.adapters.orm import PegawaiRow
from org.service_layer import pegawai as handlers

pytestmark = pytest.mark.integration

NUL = "\x00"


def refused(call: Callable[..., Any], request: Any, metadata: Any) -> dict[str, str]:
    """The call fails with INVALID_ARGUMENT; field -> code."""
    code, error = rpc_error(call, request, metadata=metadata)
    assert code == grpc.StatusCode.INVALID_ARGUMENT, (code, error)
    return {v.field: v.code for v in error.violations}


def test_a_nul_in_any_text_field_is_a_field_error(world: OrgWorld, tenant: Tenant) -> None:
    root = world.root(tenant)
    person = world.pegawai(tenant, root.id)
    s = world.stub
    pelaksana = org_pb2.Jabatan(nama="Pengelola", jenis=org_pb2.JENIS_JABATAN_PELAKSANA)

    def pegawai(**changes: Any) -> org_pb2.PegawaiInput:
        values: dict[str, Any] = {
            "nip": random_nip(),
            "nama": "Sri Rahayu",
            "unor_id": root.id,
            "jabatan": pelaksana,
        }
        return org_pb2.PegawaiInput(**{**values, **changes})

    unor = {"nama": "Bidang", "jenis": org_pb2.JENIS_UNOR_ADMINISTRATOR, "parent_id": root.id}
    plt = {"pegawai_id": person.id, "unor_id": root.id, "jenis": org_pb2.JENIS_PLT_PLT, "tanggal_mulai": "2025-01-01",
           "tanggal_selesai": "2025-02-01"}  # fmt: skip
    before = world.snapshot(tenant.id)
    cases: list[tuple[Callable[..., Any], Any, str]] = [
        (s.CreateUnor, org_pb2.CreateUnorRequest(unor=org_pb2.UnorInput(**{**unor, "nama": f"Bidang{NUL}"})), "unor.nama"),
        (s.CreateUnor, org_pb2.CreateUnorRequest(unor=org_pb2.UnorInput(**{**unor, "kota": f"Semarang{NUL}"})), "unor.kota"),
        (s.CreateUnor, org_pb2.CreateUnorRequest(unor=org_pb2.UnorInput(**{**unor, "eselon": f"21{NUL}"})), "unor.eselon"),
        (s.UpdateUnor, org_pb2.UpdateUnorRequest(id=root.id, unor=org_pb2.UnorInput(
            nama=f"Induk{NUL}", jenis=org_pb2.JENIS_UNOR_JPT_PRATAMA)), "unor.nama"),
        (s.CreatePegawai, org_pb2.CreatePegawaiRequest(pegawai=pegawai(nama=f"Sri{NUL}Rahayu")), "pegawai.nama"),
        (s.CreatePegawai, org_pb2.CreatePegawaiRequest(pegawai=pegawai(nip=f"{random_nip()}{NUL}")), "pegawai.nip"),
        (s.CreatePegawai, org_pb2.CreatePegawaiRequest(pegawai=pegawai(pangkat=f"Penata{NUL}")), "pegawai.pangkat"),
        (s.CreatePegawai, org_pb2.CreatePegawaiRequest(pegawai=pegawai(golongan=f"III/a{NUL}")), "pegawai.golongan"),
        (s.CreatePegawai, org_pb2.CreatePegawaiRequest(pegawai=pegawai(jabatan=org_pb2.Jabatan(
            nama=f"Analis{NUL}", jenis=org_pb2.JENIS_JABATAN_PELAKSANA))), "pegawai.jabatan.nama"),
        (s.CreatePegawai, org_pb2.CreatePegawaiRequest(pegawai=pegawai(jabatan=org_pb2.Jabatan(
            nama="Analis", jenis=org_pb2.JENIS_JABATAN_FUNGSIONAL, jenjang=f"Ahli Muda{NUL}"))), "pegawai.jabatan.jenjang"),
        (s.UpdatePegawai, org_pb2.UpdatePegawaiRequest(id=person.id, pegawai=pegawai(nama=f"Budi{NUL}")), "pegawai.nama"),
        (s.AddJptNonAsn, org_pb2.AddJptNonAsnRequest(nik=random_nik(), nama=f"Bupati{NUL}", unor_id=root.id,
                                                      jabatan="Bupati"), "nama"),
        (s.AddJptNonAsn, org_pb2.AddJptNonAsnRequest(nik=random_nik(), nama="Bupati", unor_id=root.id,
                                                      jabatan=f"Bupati{NUL}"), "jabatan"),
        (s.CreatePlt, org_pb2.CreatePltRequest(plt=org_pb2.PltInput(**plt, jabatan=f"Plt. Kepala{NUL}")), "plt.jabatan"),
        (s.GetPegawaiByNip, org_pb2.GetPegawaiByNipRequest(nip=f"{person.nip[:17]}{NUL}"), "nip"),
        (s.SearchPegawai, org_pb2.SearchPegawaiRequest(query=f"Bud{NUL}i"), "query"),
        (s.ListUnor, org_pb2.ListUnorRequest(query=f"Bid{NUL}ang"), "query"),
    ]  # fmt: skip
    for call, request, field in cases:
        found = refused(call, request, tenant.admin)
        assert found.get(field) == "INVALID_CHARACTER", (field, found)
    assert world.snapshot(tenant.id) == before


def test_codes_take_plain_digits_and_fold_compatibility_forms(world: OrgWorld, tenant: Tenant) -> None:
    root = world.root(tenant)
    s = world.stub
    arabic_21 = "\u0662\u0661"
    request = org_pb2.CreateUnorRequest(unor=org_pb2.UnorInput(
        nama="Bidang", jenis=org_pb2.JENIS_UNOR_ADMINISTRATOR, parent_id=root.id, eselon=arabic_21))  # fmt: skip
    assert refused(s.CreateUnor, request, tenant.admin) == {"unor.eselon": "INVALID_CHARACTER"}
    request.unor.eselon = "\uff12\uff11"  # full-width 21
    assert s.CreateUnor(request, metadata=tenant.admin).eselon == "21"
    [(stored,)] = world.query("select eselon from unor where instansi_id = :i and eselon <> ''", i=tenant.id)
    assert stored == "21"

    nip = random_nip()
    arabic = nip.translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    pegawai = org_pb2.PegawaiInput(nip=arabic, nama="Sri Rahayu", unor_id=root.id,
                                   jabatan=org_pb2.Jabatan(nama="Pengelola", jenis=org_pb2.JENIS_JABATAN_PELAKSANA))  # fmt: skip
    assert refused(s.CreatePegawai, org_pb2.CreatePegawaiRequest(pegawai=pegawai), tenant.admin) == {
        "pegawai.nip": "INVALID_CHARACTER"
    }
    assert refused(s.GetPegawaiByNip, org_pb2.GetPegawaiByNipRequest(nip=arabic), tenant.admin) == {
        "nip": "INVALID_CHARACTER"
    }
    pegawai.nip = nip.translate(str.maketrans("0123456789", "０１２３４５６７８９"))  # full-width
    created = s.CreatePegawai(org_pb2.CreatePegawaiRequest(pegawai=pegawai), metadata=tenant.admin)
    assert created.nip == nip
    by_nip = s.GetPegawaiByNip(org_pb2.GetPegawaiByNipRequest(nip=pegawai.nip), metadata=tenant.admin)
    assert by_nip.id == created.id


def test_names_are_normalised(world: OrgWorld, tenant: Tenant) -> None:
    root = world.root(tenant)
    created = world.pegawai(tenant, root.id, "  Rene\u0301   Sitompul\t")
    assert created.nama == "Ren\u00e9 Sitompul"
    [(stored,)] = world.query("select nama from pegawai where id = :id", id=created.id)
    assert stored == "Ren\u00e9 Sitompul"


def test_searches_are_bounded(world: OrgWorld, demo: Tenant) -> None:
    for call, request in (
        (world.stub.SearchPegawai, org_pb2.SearchPegawaiRequest(query="a" * 10_000)),
        (world.stub.ListUnor, org_pb2.ListUnorRequest(query="a" * 10_000)),
    ):
        assert refused(call, request, demo.pegawai) == {"query": "TOO_LONG"}
    assert (
        world.stub.SearchPegawai(
            org_pb2.SearchPegawaiRequest(query="a" * 100), metadata=demo.pegawai
        ).total_count
        == 0
    )


def test_an_unexpected_database_error_logs_no_personal_data(
    world: OrgWorld, tenant: Tenant, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """A statement that fails inside the server, carrying the pegawai's NIP and name both as parameters and
    in PostgreSQL's own message, is INTERNAL with a trace id, and the log line has neither."""

    def failing(tx: Any, nip_path: str = "pegawai.nip") -> None:
        [row] = [r for r in tx.session.new if isinstance(r, PegawaiRow)]
        params = {"nama": row.nama, "nip": row.nip}
        tx.session.execute(text("select cast(:nama as integer), cast(:nip as integer)"), params)

    monkeypatch.setattr(handlers, "_flush", failing)
    root = world.root(tenant)
    nip, nama = random_nip(), "Sri Rahayu Wulandari"
    caplog.set_level(logging.INFO)
    with pytest.raises(grpc.RpcError) as info:
        world.pegawai(tenant, root.id, nama, nip=nip)
    assert info.value.code() == grpc.StatusCode.INTERNAL  # type: ignore[attr-defined]
    trace_id = info.value.details().rsplit(" ", 1)[-1]  # type: ignore[attr-defined]
    failed = [r for r in caplog.records if r.getMessage() == "rpc failed"]
    assert len(failed) == 1
    line = JsonFormatter("org").format(failed[0])
    assert trace_id in line and "DataError" in line and "pegawai.py" in line  # what is needed to find it
    assert nip not in line and nama not in line and "Wulandari" not in line
    everything = "\n".join(JsonFormatter("org").format(r) for r in caplog.records)
    assert nip not in everything and "Wulandari" not in everything
