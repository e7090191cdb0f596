"""Fixtures of the skp tests: the platform's skp service (with the real org and identity), an org world to
build instansi in, and a superuser view of the skp database."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from typing import Any

import grpc
import pytest
from sqlalchemy import Engine, create_engine
from sqlalchemy.engine import make_url

from kinerja.org.v1 import org_pb2, org_pb2_grpc
from kinerja.skp.v1 import skp_pb2, skp_pb2_grpc
from kinerja_kit.db import ServiceDatabase
from kinerja_testing.org import OrgWorld
from kinerja_testing.platform import Platform
from kinerja_testing.skp import SkpWorld


@pytest.fixture(scope="session")
def skp_stub(platform: Platform) -> Iterator[skp_pb2_grpc.SkpServiceStub]:
    channel = grpc.insecure_channel(platform.skp_addr)
    yield skp_pb2_grpc.SkpServiceStub(channel)
    channel.close()


@pytest.fixture(scope="session")
def skp_inspect_engine(
    pg_admin_url: str, service_database: Callable[[str], ServiceDatabase]
) -> Iterator[Engine]:
    """A superuser on the skp database: sees every row, to check what a call stored."""
    engine = create_engine(make_url(pg_admin_url).set(database=service_database("skp").name))
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def org_world(platform: Platform, token_for: Callable[..., str], pg_admin_url: str) -> Iterator[OrgWorld]:
    channel = grpc.insecure_channel(platform.org_addr)
    engine = create_engine(make_url(pg_admin_url).set(database="kinerja_org"))
    yield OrgWorld(org_pb2_grpc.OrgServiceStub(channel), token_for, engine)
    engine.dispose()
    channel.close()


@pytest.fixture(scope="session")
def world(org_world: OrgWorld, skp_stub: skp_pb2_grpc.SkpServiceStub, skp_inspect_engine: Engine) -> SkpWorld:
    return SkpWorld(org_world, skp_stub, skp_inspect_engine)


JPT_KEYS = frozenset({"kepala", "kepala_upt"})
"""Demo structure 1's JPT SKPs: the heads of the mandiri units (bkd, upt)."""


class ImportKit:
    """Builds ImportSkp items for the people of demo structure 1 from their org relations: a JA/JF SKP's RHK
    utama intervenes the RHK chosen for its atasan, a JPT one carries perspektif, the root head (no
    atasan) names bawahan to rate its perilaku."""

    def __init__(self, world: SkpWorld) -> None:
        self.world = world

    def atasan(self, t: Any) -> dict[str, str | None]:
        """key -> the key of the atasan langsung today (None for the root head)."""
        assert t.org.loaded is not None
        keys = dict(t.org.loaded.pegawai)
        by_id = {v: k for k, v in keys.items()}
        found = self.world.org.stub.BatchGetRelations(
            org_pb2.BatchGetRelationsRequest(pegawai_ids=list(keys.values())), metadata=t.admin
        )
        return {by_id[r.pegawai_id]: by_id.get(r.atasan_langsung_id) for r in found.relations}

    def item(
        self,
        t: Any,
        key: str,
        *,
        tahun: int,
        skp_id: str | None = None,
        rhk_id: str | None = None,
        atasan_rhk_id: str = "",
        mulai: str = "",
        selesai: str = "",
        indikator: int = 2,
        rencana: list[str] | None = None,
        perilaku: list[skp_pb2.ImportPerilaku] | None = None,
        **extra: Any,
    ) -> skp_pb2.ImportSkp:
        jpt = key in JPT_KEYS
        aspect = (
            {"perspektif": skp_pb2.PERSPEKTIF_PROSES_BISNIS} if jpt else {"aspek": skp_pb2.ASPEK_KUANTITAS}
        )
        utama = skp_pb2.ImportRhk(
            id=rhk_id or str(uuid.uuid4()),
            rhk=skp_pb2.RhkInput(
                jenis=skp_pb2.JENIS_RHK_UTAMA,
                teks=f"Terselenggaranya layanan kepegawaian ({key})",
                atasan_rhk_id="" if jpt else atasan_rhk_id,
            ),
            indikator=[
                skp_pb2.ImportIndikator(
                    indikator=skp_pb2.IndikatorInput(
                        teks=f"Jumlah layanan {n + 1}",
                        target=skp_pb2.Target(min="10", satuan="Dokumen"),
                        **aspect,
                    )
                )
                for n in range(indikator)
            ],
            rencana_aksi=[
                skp_pb2.ImportRencanaAksi(
                    rencana_aksi=skp_pb2.RencanaAksiInput(
                        periode_id=p, teks="Menyusun laporan", target="1", satuan="Laporan"
                    )
                )
                for p in rencana or []
            ],
        )
        return skp_pb2.ImportSkp(
            id=skp_id or str(uuid.uuid4()),
            pegawai_id=t.id(key),
            tahun=tahun,
            tanggal_mulai=mulai,
            tanggal_selesai=selesai,
            pendekatan=skp_pb2.PENDEKATAN_KUANTITATIF,
            rhk=[utama],
            perilaku=perilaku or [],
            **extra,
        )

    def rated_by(self, t: Any, key: str) -> list[skp_pb2.ImportPerilaku]:
        """The seven perilaku rated by bawahan `key` (for the root head, who has no atasan)."""
        return [
            skp_pb2.ImportPerilaku(
                nilai=n,  # type: ignore[arg-type]
                penilai_jenis=skp_pb2.JENIS_PENILAI_BAWAHAN,
                penilai_pegawai_id=t.id(key),
            )
            for n in range(1, 8)
        ]

    def tree(
        self, t: Any, tahun: int, *, slices: int = 1, first: int = 0, rencana: list[str] | None = None
    ) -> list[skp_pb2.ImportSkp]:
        """SKPs for everyone of the tenant in `tahun`, atasan before bawahan: the root head's one for the
        year (when `first` is 0), everyone else's cut into `slices` date ranges from slice `first` (each
        range 9 days), each intervening the RHK of its atasan's first SKP of the year."""
        atasan = self.atasan(t)
        order: list[str] = []
        while len(order) < len(atasan):
            for key, boss in sorted(atasan.items()):
                if key not in order and (boss is None or boss in order):
                    order.append(key)
        rhk_of = {key: str(uuid.uuid5(uuid.NAMESPACE_URL, f"{t.instansi_id}/{tahun}/{key}")) for key in order}
        items = []
        for key in order:
            boss = atasan[key]
            if boss is None:
                if first == 0:
                    items.append(
                        self.item(
                            t, key, tahun=tahun, rhk_id=rhk_of[key], perilaku=self.rated_by(t, "sekretaris"),
                            rencana=rencana,
                        )
                    )  # fmt: skip
                continue
            for n in range(first, first + slices):
                start = date(tahun, 1, 1) + timedelta(days=9 * n)
                end = start + timedelta(days=8)
                items.append(
                    self.item(
                        t,
                        key,
                        tahun=tahun,
                        rhk_id=rhk_of[key] if n == 0 else None,
                        atasan_rhk_id=rhk_of[boss],
                        mulai=start.isoformat() if slices > 1 or first else "",
                        selesai=end.isoformat() if slices > 1 or first else "",
                        rencana=rencana,
                    )
                )
        return items


@pytest.fixture(scope="session")
def import_kit(world: SkpWorld) -> ImportKit:
    return ImportKit(world)
