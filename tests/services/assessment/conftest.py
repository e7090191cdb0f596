"""Fixtures of the assessment tests: the assessment service on the real org, PostgreSQL and broker (with
the platform's skp publishing the SKP events it projects), an org/skp world to build instansi in, and a
superuser view of the assessment database."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import grpc
import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

import assessment.bootstrap
from assessment.settings import AssessmentSettings
from kinerja.assessment.v1 import assessment_pb2_grpc
from kinerja.org.v1 import org_pb2_grpc
from kinerja.skp.v1 import skp_pb2, skp_pb2_grpc
from kinerja_kit.db import ServiceDatabase
from kinerja_kit.runtime import ServiceRuntime
from kinerja_testing.org import OrgWorld
from kinerja_testing.platform import AUDIENCE, ISSUER, Platform, wait_for
from kinerja_testing.skp import SkpTenant, SkpWorld


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
