"""Isolation: a caller of instansi A reaches nothing of instansi B through any SkpService method (reads
answer NOT_FOUND or nothing, writes change none of B's rows nor its outbox), B's ids inside A's own
requests name nothing, and row-level security alone (the application's filter bypassed) hides B from
A's transactions as the runtime role."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import grpc
import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError

from kinerja.skp.v1 import skp_pb2
from kinerja_kit.db import ServiceDatabase, UnitOfWork, make_engine
from kinerja_kit.errors import from_rpc_error
from kinerja_kit.handlers import today
from kinerja_testing.org import rpc_error
from kinerja_testing.platform import proto_strings
from kinerja_testing.skp import NEXT_YEAR, THIS_YEAR, Metadata, SkpTenant, SkpWorld
from skp.adapters.orm import TENANT_TABLES

pytestmark = pytest.mark.integration

DENIED = {grpc.StatusCode.NOT_FOUND, grpc.StatusCode.PERMISSION_DENIED}
# Calls that name nothing of B act on the caller's own instansi: any answer is fine as long as it
# carries nothing of B and B stays unchanged.
OWN_TENANT = {"CreatePeriode", "CreatePeriodeSet", "CreatePerjanjianKinerja"}


@dataclass
class BData:
    """Instansi B (demo structure 2) with one of everything the skp service stores."""

    t: SkpTenant
    periode: list[skp_pb2.Periode]
    pk: skp_pb2.PerjanjianKinerja
    head: skp_pb2.Skp  # sekda: JPT, mandiri, approved, with rencana aksi and monthly targets
    staff: skp_pb2.Skp  # kabag_organisasi: draft, its RHK copied from the head's matriks
    mph: skp_pb2.MatriksPeranHasil
    harian: skp_pb2.KinerjaHarian
    ids: set[str] = field(default_factory=set)

    @property
    def rhk(self) -> skp_pb2.Rhk:
        return self.head.rhk[0]

    @property
    def indikator(self) -> skp_pb2.Indikator:
        return self.head.rhk[0].indikator[0]

    @property
    def rencana(self) -> skp_pb2.RencanaAksi:
        return self.head.rhk[0].rencana_aksi[0]


def _build_b(world: SkpWorld) -> BData:
    t = world.tenant(2)
    s = world.stub
    periode = world.quarterly(t)
    final = next(p for p in periode if p.jenis == skp_pb2.JENIS_PERIODE_FINAL)
    pk = s.CreatePerjanjianKinerja(
        skp_pb2.CreatePerjanjianKinerjaRequest(tahun=THIS_YEAR), metadata=t.md("sekda")
    )
    pk = s.AddSasaranStrategis(
        skp_pb2.AddSasaranStrategisRequest(
            perjanjian_kinerja_id=pk.id,
            sasaran=skp_pb2.SasaranInput(
                teks="Meningkatnya kualitas tata kelola pemerintahan daerah",
                indikator=[
                    skp_pb2.PkIndikator(teks="Indeks reformasi birokrasi", target="72,5", satuan="Indeks")
                ],
            ),
        ),
        metadata=t.md("sekda"),
    )
    head = world.skp(t, "sekda", mulai=f"{THIS_YEAR}-01-01", selesai=f"{THIS_YEAR}-12-31")
    head = s.CopySasaranToSkp(
        skp_pb2.CopySasaranToSkpRequest(skp_id=head.id, sasaran_id=pk.sasaran[0].id), metadata=t.md("sekda")
    )
    item = head.rhk[0].indikator[0]
    head = s.UpdateIndikator(
        skp_pb2.UpdateIndikatorRequest(
            skp_id=head.id,
            indikator_id=item.id,
            indikator=skp_pb2.IndikatorInput(
                teks=item.teks, perspektif=skp_pb2.PERSPEKTIF_PENERIMA_LAYANAN, target=item.target
            ),
        ),
        metadata=t.md("sekda"),
    )
    for nilai in range(1, 8):  # the root head has no atasan: a bawahan rates behaviour
        head = s.SetPenilaiPerilaku(
            skp_pb2.SetPenilaiPerilakuRequest(
                skp_id=head.id, nilai=nilai, penilai_jenis=skp_pb2.JENIS_PENILAI_BAWAHAN,  # type: ignore[arg-type]
                penilai_pegawai_id=t.id("kabag_organisasi"),
            ),
            metadata=t.md("sekda"),
        )  # fmt: skip
    head = world.submit(t, "sekda", head.id)
    assert head.status == skp_pb2.STATUS_SKP_DISETUJUI
    head = s.AddRencanaAksi(
        skp_pb2.AddRencanaAksiRequest(
            skp_id=head.id,
            rencana_aksi=skp_pb2.RencanaAksiInput(
                rhk_id=head.rhk[0].id,
                periode_id=final.id,
                teks="Evaluasi tahunan",
                target="1",
                satuan="Laporan",
            ),
        ),
        metadata=t.md("sekda"),
    )
    head = s.SetTargetBulanan(
        skp_pb2.SetTargetBulananRequest(
            skp_id=head.id, indikator_id=item.id, target=["70", *[""] * 10, "72,5"]
        ),
        metadata=t.md("sekda"),
    )
    harian = s.AddKinerjaHarian(
        skp_pb2.AddKinerjaHarianRequest(
            skp_id=head.id,
            kinerja_harian=skp_pb2.KinerjaHarianInput(
                tanggal=today().isoformat(), uraian="Rapat evaluasi", indikator_id=item.id, realisasi="1"
            ),
        ),
        metadata=t.md("sekda"),
    )
    mph = s.SetMphKolom(
        skp_pb2.SetMphKolomRequest(
            skp_id=head.id, rhk_id=head.rhk[0].id, kolom=[skp_pb2.MphKolom(nama="Evaluasi")]
        ),
        metadata=t.md("sekda"),
    )
    mph = s.AddMphAnggota(
        skp_pb2.AddMphAnggotaRequest(
            skp_id=head.id,
            rhk_id=head.rhk[0].id,
            anggota=skp_pb2.MphAnggotaInput(
                nip=t.nip("kabag_organisasi"),
                peran_tim=skp_pb2.PERAN_TIM_KETUA,
                peran=[skp_pb2.MphPeran(kolom_id=mph.kolom[0].id, peran="Tersusunnya evaluasi kelembagaan")],
            ),
        ),
        metadata=t.md("sekda"),
    )
    staff = world.skp(t, "kabag_organisasi", mulai=f"{THIS_YEAR}-01-01", selesai=f"{THIS_YEAR}-12-31")
    staff = s.CopyPeranToSkp(
        skp_pb2.CopyPeranToSkpRequest(skp_id=staff.id, mph_id=mph.id, kolom_id=mph.kolom[0].id),
        metadata=t.md("kabag_organisasi"),
    )
    head = s.GetSkp(skp_pb2.GetSkpRequest(id=head.id), metadata=t.md("sekda"))
    data = BData(t, periode, pk, head, staff, mph, harian)
    assert t.org.loaded is not None
    data.ids = {
        str(t.instansi_id),
        *t.org.loaded.unor.values(),
        *t.org.loaded.pegawai.values(),
        *t.plt,
        *(p.id for p in periode),
        pk.id,
        pk.sasaran[0].id,
        head.id,
        staff.id,
        head.rhk[0].id,
        staff.rhk[0].id,
        item.id,
        data.rencana.id,
        mph.id,
        mph.kolom[0].id,
        mph.anggota[0].id,
        harian.id,
    }
    return data


@dataclass
class Pair:
    a: SkpTenant
    b: BData
    a_skp: skp_pb2.Skp  # A's kepala (JPT): a draft SKP with one RHK, to name B's things inside


@pytest.fixture(scope="module")
def pair(world: SkpWorld) -> Pair:
    a = world.tenant(1)
    a_skp = world.skp(a, "kepala", mulai=f"{NEXT_YEAR}-01-01", selesai=f"{NEXT_YEAR}-12-31")
    a_skp = world.rhk(a, "kepala", a_skp.id, "Meningkatnya kualitas layanan kepegawaian")
    return Pair(a, _build_b(world), a_skp)


@pytest.fixture(scope="module")
def app_engine(service_database: Callable[[str], ServiceDatabase]) -> Iterator[Engine]:
    """The skp runtime role (no BYPASSRLS), as the service connects."""
    engine = make_engine(service_database("skp").app_url, pool_size=2)
    yield engine
    engine.dispose()


def _calls(world: SkpWorld, b: BData) -> dict[str, Callable[[Metadata], Any]]:
    """One call per RPC, aimed at B's data."""
    s = world.stub
    head, rhk, item, rencana, mph = b.head.id, b.rhk.id, b.indikator.id, b.rencana.id, b.mph
    periode = b.periode[0].id
    anggota = mph.anggota[0].id
    kolom = mph.kolom[0].id
    periode_in = skp_pb2.PeriodeInput(
        nama="Susupan",
        mulai="01-01",
        selesai="01-31",
        batas_pengisian="02-10",
        jenis=skp_pb2.JENIS_PERIODE_BIASA,
    )
    sasaran_in = skp_pb2.SasaranInput(
        teks="Susupan", indikator=[skp_pb2.PkIndikator(teks="x", target="1", satuan="x")]
    )
    rhk_in = skp_pb2.RhkInput(jenis=skp_pb2.JENIS_RHK_TAMBAHAN, teks="Susupan")
    indikator_in = skp_pb2.IndikatorInput(
        teks="Susupan", perspektif=skp_pb2.PERSPEKTIF_ANGGARAN, target=skp_pb2.Target(min="1", satuan="x")
    )
    rencana_in = skp_pb2.RencanaAksiInput(
        rhk_id=rhk, periode_id=periode, teks="Susupan", target="1", satuan="x"
    )
    anggota_in = skp_pb2.MphAnggotaInput(
        nip=b.t.nip("kabag_organisasi"),
        peran_tim=skp_pb2.PERAN_TIM_ANGGOTA,
        peran=[skp_pb2.MphPeran(kolom_id=kolom, peran="Susupan")],
    )
    harian_in = skp_pb2.KinerjaHarianInput(
        tanggal=today().isoformat(), uraian="Susupan", indikator_id=item, realisasi="1"
    )
    return {
        "CreatePeriode": lambda m: s.CreatePeriode(
            skp_pb2.CreatePeriodeRequest(periode=periode_in), metadata=m
        ),
        "CreatePeriodeSet": lambda m: s.CreatePeriodeSet(
            skp_pb2.CreatePeriodeSetRequest(pola=skp_pb2.POLA_PERIODE_BULANAN), metadata=m
        ),
        "UpdatePeriode": lambda m: s.UpdatePeriode(
            skp_pb2.UpdatePeriodeRequest(id=periode, periode=periode_in), metadata=m
        ),
        "DeletePeriode": lambda m: s.DeletePeriode(skp_pb2.DeletePeriodeRequest(id=periode), metadata=m),
        "ListPeriode": lambda m: s.ListPeriode(skp_pb2.ListPeriodeRequest(), metadata=m),
        "CreatePerjanjianKinerja": lambda m: s.CreatePerjanjianKinerja(
            skp_pb2.CreatePerjanjianKinerjaRequest(tahun=THIS_YEAR), metadata=m
        ),
        "GetPerjanjianKinerja": lambda m: s.GetPerjanjianKinerja(
            skp_pb2.GetPerjanjianKinerjaRequest(id=b.pk.id), metadata=m
        ),
        "ListPerjanjianKinerja": lambda m: s.ListPerjanjianKinerja(
            skp_pb2.ListPerjanjianKinerjaRequest(pegawai_id=b.t.id("sekda")), metadata=m
        ),
        "AddSasaranStrategis": lambda m: s.AddSasaranStrategis(
            skp_pb2.AddSasaranStrategisRequest(perjanjian_kinerja_id=b.pk.id, sasaran=sasaran_in), metadata=m
        ),
        "UpdateSasaranStrategis": lambda m: s.UpdateSasaranStrategis(
            skp_pb2.UpdateSasaranStrategisRequest(
                perjanjian_kinerja_id=b.pk.id, sasaran_id=b.pk.sasaran[0].id, sasaran=sasaran_in
            ),
            metadata=m,
        ),
        "DeleteSasaranStrategis": lambda m: s.DeleteSasaranStrategis(
            skp_pb2.DeleteSasaranStrategisRequest(
                perjanjian_kinerja_id=b.pk.id, sasaran_id=b.pk.sasaran[0].id
            ),
            metadata=m,
        ),
        "CreateSkp": lambda m: s.CreateSkp(
            skp_pb2.CreateSkpRequest(
                tanggal_mulai=f"{THIS_YEAR}-01-01",
                tanggal_selesai=f"{THIS_YEAR}-12-31",
                pendekatan=skp_pb2.PENDEKATAN_KUANTITATIF,
                plt_id=b.t.plt[0],
            ),
            metadata=m,
        ),
        "UpdateSkp": lambda m: s.UpdateSkp(
            skp_pb2.UpdateSkpRequest(
                id=b.staff.id,
                tanggal_mulai=f"{THIS_YEAR}-01-01",
                tanggal_selesai=f"{THIS_YEAR}-06-30",
                pendekatan=skp_pb2.PENDEKATAN_KUALITATIF,
            ),
            metadata=m,
        ),
        "DeleteSkp": lambda m: s.DeleteSkp(skp_pb2.DeleteSkpRequest(id=b.staff.id), metadata=m),
        "GetSkp": lambda m: s.GetSkp(skp_pb2.GetSkpRequest(id=head), metadata=m),
        "BatchGetSkp": lambda m: s.BatchGetSkp(
            skp_pb2.BatchGetSkpRequest(ids=[head, b.staff.id]), metadata=m
        ),
        "ListSkp": lambda m: s.ListSkp(
            skp_pb2.ListSkpRequest(scope=skp_pb2.SKP_SCOPE_INSTANSI, query=b.t.nip("sekda")[:10]), metadata=m
        ),
        "ImportSkp": lambda m: s.ImportSkp(
            skp_pb2.ImportSkpRequest(
                skp=[
                    skp_pb2.ImportSkp(
                        id=b.staff.id,
                        pegawai_id=b.t.id("kabag_organisasi"),
                        tahun=THIS_YEAR,
                        pendekatan=skp_pb2.PENDEKATAN_KUANTITATIF,
                        rhk=[
                            skp_pb2.ImportRhk(
                                id=rhk,
                                rhk=skp_pb2.RhkInput(
                                    jenis=skp_pb2.JENIS_RHK_UTAMA, teks="Susupan", atasan_rhk_id=rhk
                                ),
                            )
                        ],
                    )
                ]
            ),
            metadata=m,
        ),
        "RefreshSkpSnapshot": lambda m: s.RefreshSkpSnapshot(
            skp_pb2.RefreshSkpSnapshotRequest(id=b.staff.id), metadata=m
        ),
        "ListPerilakuKerja": lambda m: s.ListPerilakuKerja(skp_pb2.ListPerilakuKerjaRequest(), metadata=m),
        "AddRhk": lambda m: s.AddRhk(skp_pb2.AddRhkRequest(skp_id=head, rhk=rhk_in), metadata=m),
        "UpdateRhk": lambda m: s.UpdateRhk(
            skp_pb2.UpdateRhkRequest(skp_id=head, rhk_id=rhk, rhk=rhk_in), metadata=m
        ),
        "DeleteRhk": lambda m: s.DeleteRhk(
            skp_pb2.DeleteRhkRequest(skp_id=b.staff.id, rhk_id=b.staff.rhk[0].id), metadata=m
        ),
        "CopySasaranToSkp": lambda m: s.CopySasaranToSkp(
            skp_pb2.CopySasaranToSkpRequest(skp_id=head, sasaran_id=b.pk.sasaran[0].id), metadata=m
        ),
        "CopyPeranToSkp": lambda m: s.CopyPeranToSkp(
            skp_pb2.CopyPeranToSkpRequest(skp_id=b.staff.id, mph_id=mph.id, kolom_id=kolom), metadata=m
        ),
        "ListRhkAtasan": lambda m: s.ListRhkAtasan(
            skp_pb2.ListRhkAtasanRequest(skp_id=b.staff.id), metadata=m
        ),
        "AddIndikator": lambda m: s.AddIndikator(
            skp_pb2.AddIndikatorRequest(skp_id=head, rhk_id=rhk, indikator=indikator_in), metadata=m
        ),
        "UpdateIndikator": lambda m: s.UpdateIndikator(
            skp_pb2.UpdateIndikatorRequest(skp_id=head, indikator_id=item, indikator=indikator_in), metadata=m
        ),
        "DeleteIndikator": lambda m: s.DeleteIndikator(
            skp_pb2.DeleteIndikatorRequest(skp_id=head, indikator_id=item), metadata=m
        ),
        "SetManualIndikator": lambda m: s.SetManualIndikator(
            skp_pb2.SetManualIndikatorRequest(
                skp_id=head, indikator_id=item, manual=skp_pb2.ManualIndikator(definisi="Susupan")
            ),
            metadata=m,
        ),
        "SetPenilaiPerilaku": lambda m: s.SetPenilaiPerilaku(
            skp_pb2.SetPenilaiPerilakuRequest(
                skp_id=b.staff.id,
                nilai=skp_pb2.NILAI_PERILAKU_LOYAL,
                penilai_jenis=skp_pb2.JENIS_PENILAI_ATASAN,
            ),
            metadata=m,
        ),
        "SetLampiran": lambda m: s.SetLampiran(
            skp_pb2.SetLampiranRequest(skp_id=b.staff.id, lampiran=skp_pb2.Lampiran(konsekuensi=["Susupan"])),
            metadata=m,
        ),
        "SetEkspektasi": lambda m: s.SetEkspektasi(
            skp_pb2.SetEkspektasiRequest(
                skp_id=b.staff.id, nilai=skp_pb2.NILAI_PERILAKU_LOYAL, ekspektasi="x"
            ),
            metadata=m,
        ),
        "SubmitSkp": lambda m: s.SubmitSkp(skp_pb2.SubmitSkpRequest(id=b.staff.id), metadata=m),
        "ApproveSkp": lambda m: s.ApproveSkp(skp_pb2.ApproveSkpRequest(id=b.staff.id), metadata=m),
        "ReturnSkp": lambda m: s.ReturnSkp(
            skp_pb2.ReturnSkpRequest(id=b.staff.id, alasan="Susupan"), metadata=m
        ),
        "ResetSkp": lambda m: s.ResetSkp(skp_pb2.ResetSkpRequest(id=head, alasan="Susupan"), metadata=m),
        "AddRencanaAksi": lambda m: s.AddRencanaAksi(
            skp_pb2.AddRencanaAksiRequest(skp_id=head, rencana_aksi=rencana_in), metadata=m
        ),
        "UpdateRencanaAksi": lambda m: s.UpdateRencanaAksi(
            skp_pb2.UpdateRencanaAksiRequest(skp_id=head, rencana_aksi_id=rencana, rencana_aksi=rencana_in),
            metadata=m,
        ),
        "DeleteRencanaAksi": lambda m: s.DeleteRencanaAksi(
            skp_pb2.DeleteRencanaAksiRequest(skp_id=head, rencana_aksi_id=rencana), metadata=m
        ),
        "SetTargetBulanan": lambda m: s.SetTargetBulanan(
            skp_pb2.SetTargetBulananRequest(skp_id=head, indikator_id=item, target=["1"] * 12), metadata=m
        ),
        "GetMatriksPeranHasil": lambda m: s.GetMatriksPeranHasil(
            skp_pb2.GetMatriksPeranHasilRequest(skp_id=head, rhk_id=rhk), metadata=m
        ),
        "SetMphKolom": lambda m: s.SetMphKolom(
            skp_pb2.SetMphKolomRequest(skp_id=head, rhk_id=rhk, kolom=[skp_pb2.MphKolom(nama="Susupan")]),
            metadata=m,
        ),
        "AddMphAnggota": lambda m: s.AddMphAnggota(
            skp_pb2.AddMphAnggotaRequest(skp_id=head, rhk_id=rhk, anggota=anggota_in), metadata=m
        ),
        "UpdateMphAnggota": lambda m: s.UpdateMphAnggota(
            skp_pb2.UpdateMphAnggotaRequest(skp_id=head, rhk_id=rhk, anggota_id=anggota, anggota=anggota_in),
            metadata=m,
        ),
        "RemoveMphAnggota": lambda m: s.RemoveMphAnggota(
            skp_pb2.RemoveMphAnggotaRequest(skp_id=head, rhk_id=rhk, anggota_id=anggota), metadata=m
        ),
        "ListMatriksPeranHasil": lambda m: s.ListMatriksPeranHasil(
            skp_pb2.ListMatriksPeranHasilRequest(unor_id=b.t.unor("setda")), metadata=m
        ),
        "ListPeranDitugaskan": lambda m: s.ListPeranDitugaskan(
            skp_pb2.ListPeranDitugaskanRequest(), metadata=m
        ),
        "AddKinerjaHarian": lambda m: s.AddKinerjaHarian(
            skp_pb2.AddKinerjaHarianRequest(skp_id=head, kinerja_harian=harian_in), metadata=m
        ),
        "UpdateKinerjaHarian": lambda m: s.UpdateKinerjaHarian(
            skp_pb2.UpdateKinerjaHarianRequest(id=b.harian.id, kinerja_harian=harian_in), metadata=m
        ),
        "DeleteKinerjaHarian": lambda m: s.DeleteKinerjaHarian(
            skp_pb2.DeleteKinerjaHarianRequest(id=b.harian.id), metadata=m
        ),
        "ListKinerjaHarian": lambda m: s.ListKinerjaHarian(
            skp_pb2.ListKinerjaHarianRequest(skp_id=head), metadata=m
        ),
        "RekapKinerjaBulanan": lambda m: s.RekapKinerjaBulanan(
            skp_pb2.RekapKinerjaBulananRequest(skp_id=head), metadata=m
        ),
        "CheckKesiapanPenilaian": lambda m: s.CheckKesiapanPenilaian(
            skp_pb2.CheckKesiapanPenilaianRequest(skp_id=head, periode_id=periode), metadata=m
        ),
    }


def test_the_calls_cover_every_rpc(world: SkpWorld, pair: Pair) -> None:
    service = skp_pb2.DESCRIPTOR.services_by_name["SkpService"]
    calls = _calls(world, pair.b)
    assert set(calls) == {m.name for m in service.methods}
    # positive control: B's own people see B's data through the same calls
    b = pair.b
    for name, who in (
        ("GetSkp", "sekda"),
        ("BatchGetSkp", "sekda"),
        ("GetPerjanjianKinerja", "sekda"),
        ("ListPerjanjianKinerja", "sekda"),
        ("GetMatriksPeranHasil", "sekda"),
        ("ListKinerjaHarian", "sekda"),
        ("RekapKinerjaBulanan", "sekda"),
        ("ListRhkAtasan", "kabag_organisasi"),
        ("ListPeranDitugaskan", "kabag_organisasi"),
        ("ListMatriksPeranHasil", "kabag_organisasi"),
        ("ListPeriode", "kabag_organisasi"),
    ):
        assert set(proto_strings(calls[name](b.t.md(who)))) & b.ids, name
    assert set(proto_strings(calls["ListSkp"](b.t.admin))) & b.ids


@pytest.mark.parametrize("role", ["admin", "pegawai", "bkn_acting_on_a"])
def test_a_reaches_nothing_of_b(world: SkpWorld, pair: Pair, role: str) -> None:
    a, b = pair.a, pair.b
    metadata = {"admin": a.admin, "pegawai": a.md("kabid_informasi"), "bkn_acting_on_a": a.org.bkn}[role]
    before = world.snapshot(b.t.instansi_id)
    for name, call in _calls(world, b).items():
        try:
            response = call(metadata)
        except grpc.RpcError as err:
            code, error = err.code(), from_rpc_error(err)  # type: ignore[attr-defined,arg-type]
            assert error is not None, (name, err)
            if name in OWN_TENANT:
                continue
            if code == grpc.StatusCode.INVALID_ARGUMENT:
                assert {v.code for v in error.violations} & {"PEGAWAI_NOT_FOUND"}, (name, error)
            else:
                assert code in DENIED, (name, code, error)
            continue
        leaked = set(proto_strings(response)) & b.ids
        assert not leaked, (name, leaked)
    assert world.snapshot(b.t.instansi_id) == before


def test_b_s_ids_inside_a_s_own_requests_name_nothing(world: SkpWorld, pair: Pair) -> None:
    a, b, mine = pair.a, pair.b, pair.a_skp
    s, me = world.stub, a.md("kepala")
    before_b, before_a = world.snapshot(b.t.instansi_id), world.snapshot(a.instansi_id)

    def violation(call: Callable[..., Any], request: Any, metadata: Metadata = me) -> dict[str, str]:
        code, error = rpc_error(call, request, metadata=metadata)
        assert code == grpc.StatusCode.INVALID_ARGUMENT, (code, error)
        return {v.field: v.code for v in error.violations}

    def not_found(call: Callable[..., Any], request: Any, metadata: Metadata = me) -> str:
        code, error = rpc_error(call, request, metadata=metadata)
        assert code == grpc.StatusCode.NOT_FOUND, (code, error)
        return error.reason

    rhk_in = skp_pb2.RhkInput(jenis=skp_pb2.JENIS_RHK_UTAMA, teks="Intervensi", atasan_rhk_id=b.rhk.id)
    assert violation(s.AddRhk, skp_pb2.AddRhkRequest(skp_id=mine.id, rhk=rhk_in)) == {
        "rhk.atasan_rhk_id": "ATASAN_RHK_NOT_FOUND"
    }
    assert (
        not_found(
            s.CopySasaranToSkp, skp_pb2.CopySasaranToSkpRequest(skp_id=mine.id, sasaran_id=b.pk.sasaran[0].id)
        )
        == "SASARAN_NOT_FOUND"
    )
    assert (
        not_found(
            s.CopyPeranToSkp,
            skp_pb2.CopyPeranToSkpRequest(skp_id=mine.id, mph_id=b.mph.id, kolom_id=b.mph.kolom[0].id),
        )
        == "PERAN_NOT_FOUND"
    )
    rencana = skp_pb2.RencanaAksiInput(
        rhk_id=mine.rhk[0].id, periode_id=b.periode[0].id, teks="Menyusun", target="1", satuan="Dokumen"
    )
    assert violation(
        s.AddRencanaAksi, skp_pb2.AddRencanaAksiRequest(skp_id=mine.id, rencana_aksi=rencana)
    ) == {"rencana_aksi.periode_id": "PERIODE_NOT_FOUND"}
    assert violation(
        s.SetPenilaiPerilaku,
        skp_pb2.SetPenilaiPerilakuRequest(
            skp_id=mine.id, nilai=skp_pb2.NILAI_PERILAKU_ADAPTIF, penilai_jenis=skp_pb2.JENIS_PENILAI_BAWAHAN,
            penilai_pegawai_id=b.t.id("kabag_organisasi"),
        ),
    ) == {"penilai_pegawai_id": "BUKAN_BAWAHAN"}  # fmt: skip
    anggota = skp_pb2.MphAnggotaInput(
        nip=b.t.nip("kabag_organisasi"), peran_tim=skp_pb2.PERAN_TIM_ANGGOTA,
        peran=[skp_pb2.MphPeran(kolom_id=b.mph.kolom[0].id, peran="x")],
    )  # fmt: skip
    assert violation(
        s.AddMphAnggota, skp_pb2.AddMphAnggotaRequest(skp_id=mine.id, rhk_id=mine.rhk[0].id, anggota=anggota)
    ) == {"anggota.nip": "PEGAWAI_NOT_FOUND"}
    assert (
        not_found(
            s.ListSkp,
            skp_pb2.ListSkpRequest(scope=skp_pb2.SKP_SCOPE_INSTANSI, periode_id=b.periode[0].id),
            a.admin,
        )
        == "PERIODE_NOT_FOUND"
    )
    listed = s.ListSkp(
        skp_pb2.ListSkpRequest(scope=skp_pb2.SKP_SCOPE_INSTANSI, unor_id=b.t.unor("setda")), metadata=a.admin
    )
    assert (list(listed.skp), listed.total_count) == ([], 0)
    # the indikator of B in A's kinerja harian, and B's RHK in A's matriks
    assert (
        s.ListMatriksPeranHasil(
            skp_pb2.ListMatriksPeranHasilRequest(unor_id=b.t.unor("setda")), metadata=me
        ).matriks
        == []
    )
    assert (
        not_found(
            s.GetMatriksPeranHasil, skp_pb2.GetMatriksPeranHasilRequest(skp_id=mine.id, rhk_id=b.rhk.id)
        )
        == "RHK_NOT_FOUND"
    )
    assert world.snapshot(b.t.instansi_id) == before_b
    assert world.snapshot(a.instansi_id) == before_a


def test_naming_another_instansi_is_refused_before_anything_runs(world: SkpWorld, pair: Pair) -> None:
    a, b = pair.a, pair.b
    spoofed = [*a.admin, ("x-instansi-id", str(b.t.instansi_id))]
    before = world.snapshot(b.t.instansi_id)
    for name, call in _calls(world, b).items():
        code, error = rpc_error(call, spoofed)
        assert (code, error.reason) == (grpc.StatusCode.PERMISSION_DENIED, "INSTANSI_FORBIDDEN"), name
    assert world.snapshot(b.t.instansi_id) == before


def test_no_token_no_access(world: SkpWorld, pair: Pair) -> None:
    for name, call in _calls(world, pair.b).items():
        code, _ = rpc_error(call, [])
        assert code == grpc.StatusCode.UNAUTHENTICATED, name
        code, _ = rpc_error(call, [("authorization", "Bearer palsu")])
        assert code == grpc.StatusCode.UNAUTHENTICATED, name


def test_row_level_security_without_the_application_filter(app_engine: Engine, pair: Pair) -> None:
    a, b = pair.a.instansi_id, pair.b.t.instansi_id
    uow = UnitOfWork.from_engine(app_engine)
    with uow.transaction(tenant=b) as tx:  # positive control: B has rows in every table
        for table in TENANT_TABLES:
            assert tx.session.execute(text(f"select count(*) from {table}")).scalar_one() > 0, table
    with uow.transaction(tenant=a) as tx:
        assert tx.session.execute(text("select current_user")).scalar_one() == "kinerja_skp_app"
        for table in TENANT_TABLES:
            tenants = {r[0] for r in tx.session.execute(text(f"select distinct instansi_id from {table}"))}
            assert tenants <= {a}, table
            count = tx.session.execute(text(f"select count(*) from {table} where instansi_id = :b"), {"b": b})
            assert count.scalar_one() == 0, table
            changed = tx.session.execute(
                text(f"update {table} set instansi_id = instansi_id where instansi_id = :b"), {"b": b}
            )
            assert changed.rowcount == 0, table  # type: ignore[attr-defined]
            deleted = tx.session.execute(text(f"delete from {table} where instansi_id = :b"), {"b": b})
            assert deleted.rowcount == 0, table  # type: ignore[attr-defined]
        assert tx.session.execute(text("select count(*) from skp")).scalar_one() >= 1
    with uow.transaction(tenant=None) as tx:
        for table in TENANT_TABLES:
            assert tx.session.execute(text(f"select count(*) from {table}")).scalar_one() == 0, table
    with pytest.raises(DBAPIError, match="row-level security"), uow.transaction(tenant=a) as tx:
        tx.session.execute(
            text(
                "insert into periode (instansi_id, id, nama, mulai, selesai, batas_pengisian, jenis) "
                "values (:b, :id, 'Susupan', '01-01', '01-31', '02-10', 'BIASA')"
            ),
            {"b": b, "id": uuid.uuid4()},
        )
    with pytest.raises(DBAPIError, match="row-level security"), uow.transaction(tenant=None) as tx:
        tx.session.execute(
            text(
                "insert into periode (instansi_id, id, nama, mulai, selesai, batas_pengisian, jenis) "
                "values (:b, :id, 'Susupan', '01-01', '01-31', '02-10', 'BIASA')"
            ),
            {"b": b, "id": uuid.uuid4()},
        )


def test_the_list_view_confines_itself_and_is_read_only(app_engine: Engine, pair: Pair) -> None:
    """skp_search (ListSkp's view, which reads the table as its owner so that the name and NIP searches
    reach their indexes) shows the tenant's live SKPs only, nothing without a tenant, and takes no write."""
    a, b = pair.a.instansi_id, pair.b.t.instansi_id
    uow = UnitOfWork.from_engine(app_engine)
    with uow.transaction(tenant=b) as tx:
        assert tx.session.execute(text("select count(*) from skp_search")).scalar_one() >= 2
    with uow.transaction(tenant=a) as tx:
        tenants = {r[0] for r in tx.session.execute(text("select distinct instansi_id from skp_search"))}
        assert tenants == {a}
        found = tx.session.execute(text("select count(*) from skp_search where instansi_id = :b"), {"b": b})
        assert found.scalar_one() == 0
    with uow.transaction(tenant=None) as tx:
        assert tx.session.execute(text("select count(*) from skp_search")).scalar_one() == 0
    for statement in (
        "update skp_search set status = 'DRAFT'",
        "delete from skp_search",
        "insert into skp_search (instansi_id, id) values (:a, :a)",
    ):
        with pytest.raises(DBAPIError, match="permission denied"), uow.transaction(tenant=a) as tx:
            tx.session.execute(text(statement), {"a": a})
