"""Fixtures of the assessment tests: the assessment service on the real org, PostgreSQL and broker (with
the platform's skp publishing the SKP events it projects), an org/skp world to build instansi in, and a
superuser view of the assessment database."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import grpc
import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

import assessment.bootstrap
from assessment.adapters.orm import TENANT_TABLES
from assessment.settings import AssessmentSettings
from kinerja.assessment.v1 import assessment_pb2, assessment_pb2_grpc
from kinerja.org.v1 import org_pb2_grpc
from kinerja.skp.v1 import skp_pb2, skp_pb2_grpc
from kinerja_kit.db import ServiceDatabase
from kinerja_kit.runtime import ServiceRuntime
from kinerja_testing.org import OrgWorld
from kinerja_testing.platform import AUDIENCE, ISSUER, Platform, wait_for
from kinerja_testing.skp import YEAR, SkpTenant, SkpWorld


@pytest.fixture(scope="session")
def assessment_db(service_database: Callable[[str], ServiceDatabase]) -> ServiceDatabase:
    db = service_database("assessment")
    assessment.bootstrap.migrate(db.owner_url)
    return db


@pytest.fixture(scope="session")
def assessment_runtime(
    platform: Platform,
    assessment_db: ServiceDatabase,
    kafka_bootstrap: str,
    jwks_provider: Callable[[], str],
) -> Iterator[ServiceRuntime]:
    shared = getattr(platform, "assessment", None)
    if shared is not None:  # the platform runs assessment already: one service, one consumer group member
        yield shared
        return
    settings = AssessmentSettings(
        database_url=assessment_db.app_url,
        org_addr=platform.org_addr,
        kafka_bootstrap_servers=kafka_bootstrap,
        grpc_port=0,
        jwt_issuer=ISSUER,
        jwt_audience=AUDIENCE,
        consumer_session_timeout_ms=3000,
        consumer_heartbeat_interval_ms=1000,
    )
    runtime = assessment.bootstrap.build(settings, jwks_provider=jwks_provider).start()
    yield runtime
    runtime.stop()


@pytest.fixture(scope="session")
def assessment_stub(
    assessment_runtime: ServiceRuntime,
) -> Iterator[assessment_pb2_grpc.AssessmentServiceStub]:
    channel = grpc.insecure_channel(f"127.0.0.1:{assessment_runtime.port}")
    yield assessment_pb2_grpc.AssessmentServiceStub(channel)
    channel.close()


@pytest.fixture(scope="session")
def assessment_inspect_engine(pg_admin_url: str, assessment_db: ServiceDatabase) -> Iterator[Engine]:
    """A superuser on the assessment database: sees every row, to check what was stored."""
    engine = create_engine(make_url(pg_admin_url).set(database=assessment_db.name))
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def skp_world(platform: Platform, token_for: Callable[..., str], pg_admin_url: str) -> Iterator[SkpWorld]:
    org_channel = grpc.insecure_channel(platform.org_addr)
    skp_channel = grpc.insecure_channel(platform.skp_addr)
    org_engine = create_engine(make_url(pg_admin_url).set(database="kinerja_org"))
    skp_engine = create_engine(make_url(pg_admin_url).set(database="kinerja_skp"))
    org = OrgWorld(org_pb2_grpc.OrgServiceStub(org_channel), token_for, org_engine)
    yield SkpWorld(org, skp_pb2_grpc.SkpServiceStub(skp_channel), skp_engine)
    org_engine.dispose()
    skp_engine.dispose()
    org_channel.close()
    skp_channel.close()


@dataclass
class Quarter:
    """demo structure 1 with the quarterly periode: the kepala's SKP (mandiri, approved on submission)
    and the kabid_informasi's (penilai: the kepala), approved, with rencana aksi in the first quarter."""

    tenant: SkpTenant
    periode: list[skp_pb2.Periode]
    kepala: skp_pb2.Skp
    kabid: skp_pb2.Skp

    @property
    def tw1(self) -> str:
        return self.periode[0].id


def build_quarter(world: SkpWorld) -> Quarter:
    t = world.tenant(1)
    periode = world.quarterly(t)
    tw1 = periode[0].id
    kepala = world.skp(t, "kepala")
    kepala = world.rhk(t, "kepala", kepala.id, "Meningkatnya kualitas manajemen ASN")
    kepala = world.indikator(
        t,
        "kepala",
        kepala.id,
        kepala.rhk[0].id,
        "Indeks sistem merit",
        perspektif=skp_pb2.PERSPEKTIF_PROSES_BISNIS,
    )
    kepala = _penilai(world, t, "kepala", kepala.id, {n: ("BAWAHAN", "sekretaris") for n in range(1, 8)})
    kepala = world.submit(t, "kepala", kepala.id)
    kabid = world.skp(t, "kabid_informasi")
    kabid = world.rhk(
        t, "kabid_informasi", kabid.id, "Tersusunnya sistem informasi kinerja", atasan_rhk_id=kepala.rhk[0].id
    )
    kabid = world.indikator(
        t,
        "kabid_informasi",
        kabid.id,
        kabid.rhk[0].id,
        "Jumlah modul yang selesai",
        aspek=skp_pb2.ASPEK_KUANTITAS,
    )
    # the chosen penilai perilaku: the atasan for five values, a rekan and a bawahan for one each
    chosen = {n: ("ATASAN", "") for n in range(1, 6)}
    chosen[6], chosen[7] = ("REKAN_KERJA", "kabid_bangkom"), ("BAWAHAN", "prakom_1")
    kabid = _penilai(world, t, "kabid_informasi", kabid.id, chosen)
    for rhk in kabid.rhk:
        kabid = world.stub.AddRencanaAksi(
            skp_pb2.AddRencanaAksiRequest(
                skp_id=kabid.id,
                rencana_aksi=skp_pb2.RencanaAksiInput(
                    rhk_id=rhk.id,
                    periode_id=tw1,
                    teks="Mengumpulkan data dukung",
                    target="1",
                    satuan="Laporan",
                ),
            ),
            metadata=t.md("kabid_informasi"),
        )
    kabid = world.submit(t, "kabid_informasi", kabid.id)
    kabid = world.stub.ApproveSkp(skp_pb2.ApproveSkpRequest(id=kabid.id), metadata=t.md("kepala"))
    return Quarter(t, periode, kepala, kabid)


def _penilai(
    world: SkpWorld, t: SkpTenant, key: str, skp_id: str, chosen: dict[int, tuple[str, str]]
) -> skp_pb2.Skp:
    found = None
    for nilai, (jenis, who) in chosen.items():
        found = world.stub.SetPenilaiPerilaku(
            skp_pb2.SetPenilaiPerilakuRequest(
                skp_id=skp_id,
                nilai=nilai,  # type: ignore[arg-type]
                penilai_jenis=skp_pb2.JenisPenilai.Value(f"JENIS_PENILAI_{jenis}"),
                penilai_pegawai_id=t.id(who) if who else "",
            ),
            metadata=t.md(key),
        )
    assert found is not None
    return found


def projected(engine: Engine, skp: skp_pb2.Skp, **wanted: Any) -> dict[str, Any]:
    """Waits until the assessment projection holds `skp` at its version; returns its row."""
    found: dict[str, Any] = {}

    def check() -> bool:
        with engine.connect() as conn:
            row = (
                conn.execute(text("select * from skp_proyeksi where id = :id"), {"id": skp.id})
                .mappings()
                .first()
            )
        if row is None or row["version"] < skp.version:
            return False
        found.update(row)
        return all(found.get(k) == v for k, v in wanted.items())

    assert wait_for(check, what=f"the projection of SKP {skp.id}")
    return found


@pytest.fixture
def quarter(
    skp_world: SkpWorld, assessment_runtime: ServiceRuntime, assessment_inspect_engine: Engine
) -> Quarter:
    """A fresh instansi with two approved SKPs (see Quarter), the assessment service running and its
    projection holding the periode (SKPs: wait with `wait_projected`)."""
    built = build_quarter(skp_world)

    def periode_known() -> bool:
        with assessment_inspect_engine.connect() as conn:
            found = conn.execute(
                text("select count(*) from periode_proyeksi where instansi_id = :i"),
                {"i": built.tenant.instansi_id},
            )
            return found.scalar() == len(built.periode)

    assert wait_for(periode_known, what="the projection of the periode")
    return built


@pytest.fixture(scope="session")
def wait_projected(assessment_inspect_engine: Engine) -> Callable[..., dict[str, Any]]:
    return lambda skp, **wanted: projected(assessment_inspect_engine, skp, **wanted)


# ---- a full quarter of one instansi (the isolation and authority tests build one per module) ----

STAFF_PENILAI = "kabid_informasi"  # the penilai of the staff SKPs below; kepala is their atasan penilai


def staff_skp(world: SkpWorld, q: Quarter, key: str) -> skp_pb2.Skp:
    """`key`'s SKP (a pegawai of Bidang Informasi: penilai kabid_informasi, atasan penilai kepala), every
    perilaku value rated by the atasan, approved, with a rencana aksi in the first quarter."""
    t = q.tenant
    skp = world.skp(t, key)
    skp = world.rhk(t, key, skp.id, "Tersedianya aplikasi", atasan_rhk_id=q.kabid.rhk[0].id)
    skp = world.indikator(t, key, skp.id, skp.rhk[0].id, "Jumlah modul", aspek=skp_pb2.ASPEK_KUANTITAS)
    world.stub.AddRencanaAksi(
        skp_pb2.AddRencanaAksiRequest(
            skp_id=skp.id,
            rencana_aksi=skp_pb2.RencanaAksiInput(
                rhk_id=skp.rhk[0].id, periode_id=q.tw1, teks="Membangun modul", target="1", satuan="Modul"
            ),
        ),
        metadata=t.md(key),
    )
    world.penilai_atasan_semua(t, key, skp.id)
    world.submit(t, key, skp.id)
    approved: skp_pb2.Skp = world.stub.ApproveSkp(
        skp_pb2.ApproveSkpRequest(id=skp.id), metadata=t.md(STAFF_PENILAI)
    )
    return approved


def rate_staff(
    stub: assessment_pb2_grpc.AssessmentServiceStub, t: SkpTenant, key: str, p: Any, hasil: int, perilaku: int
) -> Any:
    """Realisasi by `key`, feedback and umpan balik on everything and the rating, by kabid_informasi."""
    owner, penilai = t.md(key), t.md(STAFF_PENILAI)
    indikator = p.realisasi[0].indikator_id
    stub.SetRealisasi(
        assessment_pb2.SetRealisasiRequest(
            penilaian_id=p.id, indikator_id=indikator, realisasi=assessment_pb2.RealisasiInput(nilai="1")
        ),
        metadata=owner,
    )
    stub.SetUmpanBalik(
        assessment_pb2.SetUmpanBalikRequest(penilaian_id=p.id, indikator_id=indikator, umpan_balik="Baik"),
        metadata=penilai,
    )
    for nilai in range(1, 8):
        stub.SetFeedbackPerilaku(
            assessment_pb2.SetFeedbackPerilakuRequest(penilaian_id=p.id, nilai=nilai, feedback="Baik"),  # type: ignore[arg-type]
            metadata=penilai,
        )
        stub.SetUmpanBalik(
            assessment_pb2.SetUmpanBalikRequest(penilaian_id=p.id, nilai=nilai, umpan_balik="Baik"),  # type: ignore[arg-type]
            metadata=penilai,
        )
    return stub.RatePenilaian(
        assessment_pb2.RatePenilaianRequest(
            penilaian_id=p.id,
            rating_hasil_kerja=hasil,  # type: ignore[arg-type]
            rating_perilaku_kerja=perilaku,  # type: ignore[arg-type]
        ),
        metadata=penilai,
    )


@dataclass
class FullQuarter:
    """A Quarter (kepala, kabid_informasi) plus the SKPs of prakom_1 and prakom_2 (penilai kabid_informasi),
    all projected, and in the first quarter:
    - `kabid_p`: kabid_informasi's penilaian, open, with a realisasi (feedback: kepala on values 1-5,
      kabid_bangkom as rekan on 6, prakom_1 as bawahan on 7);
    - `open_p`: prakom_1's penilaian, open, nothing entered;
    - `rated_p`: prakom_2's, rated Sesuai/Sesuai, with a keberatan (`keberatan`) filed by prakom_2;
    - `capaian` of the BKD (the unit kerja) by the admin; `perpanjangan` of the batas for prakom_1."""

    q: Quarter
    staff1: skp_pb2.Skp
    staff2: skp_pb2.Skp
    kabid_p: Any
    open_p: Any
    rated_p: Any
    keberatan: Any
    capaian: Any
    perpanjangan: Any

    @property
    def t(self) -> SkpTenant:
        return self.q.tenant

    @property
    def tw1(self) -> str:
        return self.q.tw1

    def ids(self) -> set[str]:
        """Every id of this instansi's records a caller of another instansi must never see."""
        t = self.t
        assert t.org.loaded is not None
        found = {
            str(t.instansi_id),
            *t.org.loaded.unor.values(),
            *t.org.loaded.pegawai.values(),
            *(p.id for p in self.q.periode),
            self.q.kepala.id,
            self.q.kabid.id,
            self.staff1.id,
            self.staff2.id,
            self.capaian.id,
            self.perpanjangan.id,
            self.keberatan.id,
        }
        for p in (self.kabid_p, self.open_p, self.rated_p):
            found |= {p.id, *(r.indikator_id for r in p.realisasi), *(r.rhk_id for r in p.realisasi)}
        return found


def wait_unor_known(engine: Engine, t: SkpTenant) -> None:
    """Waits until the assessment projection holds every unor of the tenant's org tree."""
    assert t.org.loaded is not None
    wanted = len(t.org.loaded.unor)

    def check() -> bool:
        with engine.connect() as conn:
            found = conn.execute(
                text("select count(*) from unor_proyeksi where instansi_id = :i"), {"i": t.instansi_id}
            )
            return found.scalar() == wanted

    assert wait_for(check, what="the projection of the unor")


def build_full_quarter(
    world: SkpWorld, stub: assessment_pb2_grpc.AssessmentServiceStub, engine: Engine
) -> FullQuarter:
    q = build_quarter(world)
    t = q.tenant
    staff1, staff2 = staff_skp(world, q, "prakom_1"), staff_skp(world, q, "prakom_2")
    for skp in (q.kabid, staff1, staff2):
        projected(engine, skp, status="DISETUJUI")
    wait_unor_known(engine, t)

    def open_(skp: skp_pb2.Skp, key: str) -> Any:
        return stub.OpenPenilaian(
            assessment_pb2.OpenPenilaianRequest(skp_id=skp.id, periode_id=q.tw1), metadata=t.md(key)
        )

    kabid_p = open_(q.kabid, "kabid_informasi")
    kabid_p = stub.SetRealisasi(
        assessment_pb2.SetRealisasiRequest(
            penilaian_id=kabid_p.id,
            indikator_id=kabid_p.realisasi[0].indikator_id,
            realisasi=assessment_pb2.RealisasiInput(
                nilai="2",
                keterangan="Dua modul selesai",
                bukti_dukung=[assessment_pb2.BuktiDukungInput(nama="Laporan", url="https://bukti.example/m")],
            ),
        ),
        metadata=t.md("kabid_informasi"),
    )
    open_p = open_(staff1, "prakom_1")
    rated_p = rate_staff(
        stub,
        t,
        "prakom_2",
        open_(staff2, "prakom_2"),
        assessment_pb2.RATING_SESUAI_EKSPEKTASI,
        assessment_pb2.RATING_SESUAI_EKSPEKTASI,
    )
    keberatan = stub.FileKeberatan(
        assessment_pb2.FileKeberatanRequest(
            penilaian_id=rated_p.id,
            alasan="Modul selesai lebih awal",
            rating_hasil_kerja=assessment_pb2.RATING_DI_ATAS_EKSPEKTASI,
        ),
        metadata=t.md("prakom_2"),
    )
    capaian = stub.SetCapaian(
        assessment_pb2.SetCapaianRequest(
            capaian=assessment_pb2.CapaianInput(
                tahun=YEAR,
                periode_id=q.tw1,
                unor_id=t.unor("bkd"),
                capaian=assessment_pb2.CAPAIAN_BAIK,
                bukti_dukung_url="https://bukti.example/c",
            )
        ),
        metadata=t.admin,
    )
    perpanjangan = stub.ExtendBatas(
        assessment_pb2.ExtendBatasRequest(
            periode_id=q.tw1,
            tahun=YEAR,
            pegawai_id=t.id("prakom_1"),
            batas_baru=batas_later(q.periode[0], YEAR, days=14),
            alasan="Sakit",
        ),
        metadata=t.admin,
    )
    return FullQuarter(q, staff1, staff2, kabid_p, open_p, rated_p, keberatan, capaian, perpanjangan)


def batas_later(periode: skp_pb2.Periode, tahun: int, *, days: int) -> str:
    """`days` after the periode's own batas pengisian in `tahun` (YYYY-MM-DD)."""
    year = tahun + 1 if periode.batas_pengisian < periode.selesai else tahun
    own = date.fromisoformat(f"{year}-{periode.batas_pengisian}")
    return (own + timedelta(days=days)).isoformat()


def assessment_snapshot(engine: Engine, instansi_id: Any) -> dict[str, list[Any]]:
    """Every assessment row of one instansi, its idempotency keys and its outbox rows (without the relay's
    delivery columns): to show that refused calls changed nothing."""
    result: dict[str, list[Any]] = {}
    with engine.connect() as conn:
        for table in (*TENANT_TABLES, "idempotency_keys"):
            rows = conn.execute(
                text(f"select * from {table} where instansi_id = :i"), {"i": instansi_id}
            ).all()
            result[table] = sorted(tuple(map(str, r)) for r in rows)
        rows = conn.execute(
            text(
                "select id, topic, event_type, aggregate_type, aggregate_id, aggregate_version, envelope "
                "from outbox where instansi_id = :i order by id"
            ),
            {"i": instansi_id},
        ).all()
        result["outbox"] = [tuple(r) for r in rows]
    return result
