"""skp's inputs over gRPC: numbers are stored exactly as answered and never guessed, text with forbidden
characters and overlong searches are field errors (never INTERNAL), and nothing is written on a refusal."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from typing import Any

import grpc
import pytest

from kinerja.skp.v1 import skp_pb2
from kinerja_kit.errors import DomainError
from kinerja_kit.handlers import today
from kinerja_testing.org import rpc_error
from kinerja_testing.skp import THIS_YEAR, Metadata, SkpTenant, SkpWorld

pytestmark = pytest.mark.integration

C = grpc.StatusCode
NUL = "\x00"


@contextlib.contextmanager
def nothing_written(world: SkpWorld, t: SkpTenant) -> Iterator[None]:
    before = world.snapshot(t.instansi_id)
    yield
    assert world.snapshot(t.instansi_id) == before


def refused(call: Callable[..., Any], request: Any, metadata: Metadata) -> DomainError:
    """The call fails with INVALID_ARGUMENT and field violations (not INTERNAL with a trace id)."""
    code, error = rpc_error(call, request, metadata=metadata)
    assert code == C.INVALID_ARGUMENT, (code, error)
    return error


def violations(call: Callable[..., Any], request: Any, metadata: Metadata) -> dict[str, str]:
    return {v.field: v.code for v in refused(call, request, metadata).violations}


def messages(error: DomainError) -> dict[str, str]:
    return {v.field: v.message for v in error.violations}


@pytest.fixture(scope="module")
def approved(world: SkpWorld) -> tuple[SkpTenant, skp_pb2.Skp]:
    """kepala_upt heads a mandiri unit: a JPT SKP of this year, approved on submission, one indikator."""
    t = world.tenant(1)
    world.quarterly(t)
    found = world.skp(t, "kepala_upt", mulai=f"{THIS_YEAR}-01-01", selesai=f"{THIS_YEAR}-12-31")
    world.complete(t, "kepala_upt", found.id, jpt=True)
    found = world.submit(t, "kepala_upt", found.id)
    assert found.status == skp_pb2.STATUS_SKP_DISETUJUI
    return t, found


def test_exponents_and_foreign_digits_are_refused(
    world: SkpWorld, approved: tuple[SkpTenant, skp_pb2.Skp]
) -> None:
    t, skp = approved
    s, me = world.stub, t.md("kepala_upt")
    item = skp.rhk[0].indikator[0]
    with nothing_written(world, t):
        for value, code in (
            ("1e-100000", "INVALID_NUMBER"),
            ("1e-999999999", "INVALID_NUMBER"),
            ("٣", "INVALID_DIGIT"),
        ):
            bulanan = skp_pb2.SetTargetBulananRequest(
                skp_id=skp.id, indikator_id=item.id, target=[value, *[""] * 11]
            )
            assert violations(s.SetTargetBulanan, bulanan, me) == {"target[0]": code}
            harian = skp_pb2.AddKinerjaHarianRequest(skp_id=skp.id, kinerja_harian=skp_pb2.KinerjaHarianInput(
                tanggal=today().isoformat(), uraian="Rapat", indikator_id=item.id, realisasi=value))  # fmt: skip
            assert violations(s.AddKinerjaHarian, harian, me) == {"kinerja_harian.realisasi": code}


def test_a_draft_indikator_refuses_an_exponent(world: SkpWorld) -> None:
    t = world.tenant(1)
    me = t.md("kepala_upt")
    draft = world.skp(t, "kepala_upt")
    draft = world.rhk(t, "kepala_upt", draft.id, "Terselenggaranya layanan kepegawaian")
    with nothing_written(world, t):
        request = skp_pb2.AddIndikatorRequest(skp_id=draft.id, rhk_id=draft.rhk[0].id, indikator=skp_pb2.IndikatorInput(
            teks="Indeks", perspektif=skp_pb2.PERSPEKTIF_PROSES_BISNIS,
            target=skp_pb2.Target(min="1e-100000", max="1_000", satuan="Indeks")))  # fmt: skip
        assert violations(world.stub.AddIndikator, request, me) == {
            "indikator.target.min": "INVALID_NUMBER",
            "indikator.target.max": "INVALID_NUMBER",
        }
        request.indikator.target.min, request.indikator.target.max = "1.250", ""
        error = refused(world.stub.AddIndikator, request, me)
        assert {v.field: v.code for v in error.violations} == {"indikator.target.min": "AMBIGUOUS_NUMBER"}
        assert "Tulis 1250" in messages(error)["indikator.target.min"]
    request.indikator.target.min, request.indikator.target.max = "1.250.000", "1.250.000,5"
    added = world.stub.AddIndikator(request, metadata=me)
    target = added.rhk[0].indikator[0].target
    assert (target.min, target.max) == ("1250000", "1250000.5")
    stored = world.query("select isi from skp where id = :id", id=draft.id)[0][0]
    assert stored["rhk"][0]["indikator"][0]["target"]["min"] in ("1250000.00", "1250000")


def test_realisasi_keeps_four_decimals_and_the_answer_is_what_is_stored(
    world: SkpWorld, approved: tuple[SkpTenant, skp_pb2.Skp]
) -> None:
    t, skp = approved
    s, me = world.stub, t.md("kepala_upt")
    item = skp.rhk[0].indikator[0]

    def entry(realisasi: str) -> skp_pb2.KinerjaHarianInput:
        return skp_pb2.KinerjaHarianInput(
            tanggal=today().isoformat(), uraian="Menyusun laporan", indikator_id=item.id, realisasi=realisasi
        )

    with nothing_written(world, t):
        for value in ("1.23456", "0.00001", "1,23456"):
            error = refused(
                s.AddKinerjaHarian,
                skp_pb2.AddKinerjaHarianRequest(skp_id=skp.id, kinerja_harian=entry(value)),
                me,
            )
            assert {v.field: v.code for v in error.violations} == {"kinerja_harian.realisasi": "TOO_PRECISE"}
            assert (
                messages(error)["kinerja_harian.realisasi"]
                == "Realisasi paling banyak 4 angka di belakang koma."
            )
    added = s.AddKinerjaHarian(
        skp_pb2.AddKinerjaHarianRequest(skp_id=skp.id, kinerja_harian=entry("1,2345")), metadata=me
    )
    assert added.realisasi == "1.2345"
    [(stored,)] = world.query("select realisasi::text from kinerja_harian where id = :id", id=added.id)
    assert stored == "1.2345"
    zero = s.AddKinerjaHarian(
        skp_pb2.AddKinerjaHarianRequest(skp_id=skp.id, kinerja_harian=entry("-0")), metadata=me
    )
    assert zero.realisasi == "0"
    listed = s.ListKinerjaHarian(skp_pb2.ListKinerjaHarianRequest(skp_id=skp.id), metadata=me).kinerja_harian
    assert {k.id: k.realisasi for k in listed} == {added.id: "1.2345", zero.id: "0"}


def test_monthly_targets_are_normalised_never_stored_as_typed(
    world: SkpWorld, approved: tuple[SkpTenant, skp_pb2.Skp]
) -> None:
    t, skp = approved
    s, me = world.stub, t.md("kepala_upt")
    item = skp.rhk[0].indikator[0]
    with nothing_written(world, t):
        bulanan = skp_pb2.SetTargetBulananRequest(
            skp_id=skp.id, indikator_id=item.id, target=["0,125", *[""] * 11]
        )
        error = refused(s.SetTargetBulanan, bulanan, me)
        assert messages(error) == {"target[0]": "Target bulanan paling banyak 2 angka di belakang koma."}
    values = ["-0", "1.000.000", "2,50", "007", "4.29", *[""] * 7]
    planned = s.SetTargetBulanan(
        skp_pb2.SetTargetBulananRequest(skp_id=skp.id, indikator_id=item.id, target=values), metadata=me
    )
    expected = ["0", "1000000", "2.5", "7", "4.29", *[""] * 7]
    assert list(planned.rhk[0].indikator[0].target_bulanan) == expected
    again = s.GetSkp(skp_pb2.GetSkpRequest(id=skp.id), metadata=me)
    assert list(again.rhk[0].indikator[0].target_bulanan) == expected
    # what was answered is accepted back unchanged
    resent = s.SetTargetBulanan(
        skp_pb2.SetTargetBulananRequest(skp_id=skp.id, indikator_id=item.id, target=expected), metadata=me
    )
    assert list(resent.rhk[0].indikator[0].target_bulanan) == expected


def test_text_with_a_nul_is_a_field_error(world: SkpWorld) -> None:
    t = world.tenant(1)
    s, me = world.stub, t.md("kepala_upt")
    periode = world.quarterly(t)[0]
    draft = world.skp(t, "kepala_upt", mulai=f"{THIS_YEAR + 1}-01-01", selesai=f"{THIS_YEAR + 1}-12-31")
    draft = world.rhk(t, "kepala_upt", draft.id, "Terselenggaranya layanan")
    draft = world.indikator(
        t, "kepala_upt", draft.id, draft.rhk[0].id, "Indeks", perspektif=skp_pb2.PERSPEKTIF_PROSES_BISNIS
    )
    rhk = draft.rhk[0]
    cases: list[tuple[Callable[..., Any], Any, Metadata, str]] = [
        (s.AddRhk, skp_pb2.AddRhkRequest(skp_id=draft.id, rhk=skp_pb2.RhkInput(jenis=1, teks=f"RHK{NUL}")), me, "rhk.teks"),
        (s.AddRhk, skp_pb2.AddRhkRequest(skp_id=draft.id, rhk=skp_pb2.RhkInput(jenis=1, teks="RHK", tahapan=[f"a{NUL}"])), me, "rhk.tahapan[0]"),
        (s.AddIndikator, skp_pb2.AddIndikatorRequest(skp_id=draft.id, rhk_id=rhk.id, indikator=skp_pb2.IndikatorInput(
            teks=f"Indeks{NUL}", perspektif=1, target=skp_pb2.Target(min="1", satuan="x"))), me, "indikator.teks"),
        (s.AddIndikator, skp_pb2.AddIndikatorRequest(skp_id=draft.id, rhk_id=rhk.id, indikator=skp_pb2.IndikatorInput(
            teks="Indeks", perspektif=1, target=skp_pb2.Target(min="1", satuan=f"x{NUL}"))), me, "indikator.target.satuan"),
        (s.AddRencanaAksi, skp_pb2.AddRencanaAksiRequest(skp_id=draft.id, rencana_aksi=skp_pb2.RencanaAksiInput(
            rhk_id=rhk.id, periode_id=periode.id, teks=f"Aksi{NUL}", target="1", satuan="x")), me, "rencana_aksi.teks"),
        (s.SetLampiran, skp_pb2.SetLampiranRequest(skp_id=draft.id, lampiran=skp_pb2.Lampiran(
            konsekuensi=[f"k{NUL}"])), me, "lampiran.konsekuensi[0]"),
        (s.SetEkspektasi, skp_pb2.SetEkspektasiRequest(skp_id=draft.id, nilai=1, ekspektasi=f"e{NUL}"), me, "ekspektasi"),
        (s.CreatePeriode, skp_pb2.CreatePeriodeRequest(periode=skp_pb2.PeriodeInput(
            nama=f"P{NUL}", mulai="01-01", selesai="01-31", batas_pengisian="02-10", jenis=1)), t.admin, "periode.nama"),
        (s.UpdateRhk, skp_pb2.UpdateRhkRequest(skp_id=draft.id, rhk_id=rhk.id, rhk=skp_pb2.RhkInput(
            jenis=1, teks="RHK \u202egnp.exe")), me, "rhk.teks"),  # a right-to-left override
    ]  # fmt: skip
    with nothing_written(world, t):
        for call, request, metadata, field in cases:
            error = refused(call, request, metadata)
            found = {v.field: v.code for v in error.violations}
            assert found.get(field) == "INVALID_CHARACTER", (field, found)
            assert "karakter yang tidak diizinkan" in messages(error)[field]


def test_searches_refuse_a_nul_and_overlong_queries(
    world: SkpWorld, approved: tuple[SkpTenant, skp_pb2.Skp]
) -> None:
    t, _ = approved
    s = world.stub
    for query, code in ((f"bud{NUL}i", "INVALID_CHARACTER"), ("a" * 10_000, "TOO_LONG")):
        request = skp_pb2.ListSkpRequest(scope=skp_pb2.SKP_SCOPE_INSTANSI, query=query)
        assert violations(s.ListSkp, request, t.admin) == {"query": code}
