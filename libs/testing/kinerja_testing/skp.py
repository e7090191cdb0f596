"""Helpers of the skp tests: an instansi with the demo org tree, metadata per pegawai, SKP builders."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine, text

from kinerja.skp.v1 import skp_pb2, skp_pb2_grpc
from kinerja_kit.handlers import today
from kinerja_testing.org import OrgWorld, Tenant
from skp.adapters.orm import TENANT_TABLES

Metadata = list[tuple[str, str]]
# The service judges days in WIB: the current and the next year as it sees them.
THIS_YEAR = today().year
NEXT_YEAR = THIS_YEAR + 1
YEAR = NEXT_YEAR  # planning happens ahead: no periode deadline of that year has passed


@dataclass
class SkpTenant:
    """An instansi holding demo structure 1 (BKD Provinsi Jawa Tengah) and the ways to call as its people."""

    org: Tenant
    _md: dict[str, Metadata] = field(default_factory=dict, repr=False)

    def md(self, key: str) -> Metadata:
        """Metadata of the pegawai `key` of the demo structure (signed once: signing takes a while)."""
        if key not in self._md:
            self._md[key] = self.org.as_pegawai(self.org.peg(key))
        return self._md[key]

    def id(self, key: str) -> str:
        return self.org.peg(key)

    def nip(self, key: str) -> str:
        assert self.org.structure is not None
        return next(p.nip for p in self.org.structure.pegawai if p.key == key)

    def unor(self, key: str) -> str:
        return self.org.unor(key)

    @property
    def instansi_id(self) -> uuid.UUID:
        return self.org.id

    @property
    def plt(self) -> list[str]:
        """The ids of the demo structure's PLT assignments (structure 1: kabid_informasi leads mutasi)."""
        assert self.org.loaded is not None
        return self.org.loaded.plt

    @property
    def admin(self) -> Metadata:
        return self.org.admin


@dataclass
class SkpWorld:
    org: OrgWorld
    stub: skp_pb2_grpc.SkpServiceStub
    inspect_engine: Engine

    def tenant(self, variant: int = 1) -> SkpTenant:
        return SkpTenant(self.org.tree(variant))

    def skp(
        self, tenant: SkpTenant, key: str, pendekatan: int = skp_pb2.PENDEKATAN_KUANTITATIF, **extra: Any
    ) -> skp_pb2.Skp:
        created: skp_pb2.Skp = self.stub.CreateSkp(
            skp_pb2.CreateSkpRequest(
                tanggal_mulai=extra.pop("mulai", f"{YEAR}-01-01"),
                tanggal_selesai=extra.pop("selesai", f"{YEAR}-12-31"),
                pendekatan=pendekatan,  # type: ignore[arg-type]
                **extra,
            ),
            metadata=tenant.md(key),
        )
        return created

    def rhk(self, tenant: SkpTenant, key: str, skp_id: str, teks: str, **extra: Any) -> skp_pb2.Skp:
        jenis = extra.pop("jenis", skp_pb2.JENIS_RHK_UTAMA)
        found: skp_pb2.Skp = self.stub.AddRhk(
            skp_pb2.AddRhkRequest(skp_id=skp_id, rhk=skp_pb2.RhkInput(jenis=jenis, teks=teks, **extra)),
            metadata=tenant.md(key),
        )
        return found

    def indikator(
        self, tenant: SkpTenant, key: str, skp_id: str, rhk_id: str, teks: str, **extra: Any
    ) -> skp_pb2.Skp:
        target = extra.pop("target", skp_pb2.Target(min="1", satuan="Dokumen"))
        found: skp_pb2.Skp = self.stub.AddIndikator(
            skp_pb2.AddIndikatorRequest(
                skp_id=skp_id,
                rhk_id=rhk_id,
                indikator=skp_pb2.IndikatorInput(teks=teks, target=target, **extra),
            ),
            metadata=tenant.md(key),
        )
        return found

    def penilai_atasan_semua(self, tenant: SkpTenant, key: str, skp_id: str) -> skp_pb2.Skp:
        found = None
        for nilai in range(1, 8):
            found = self.stub.SetPenilaiPerilaku(
                skp_pb2.SetPenilaiPerilakuRequest(
                    skp_id=skp_id,
                    nilai=nilai,
                    penilai_jenis=skp_pb2.JENIS_PENILAI_ATASAN,  # type: ignore[arg-type]
                ),
                metadata=tenant.md(key),
            )
        assert found is not None
        return found

    def complete(
        self, tenant: SkpTenant, key: str, skp_id: str, atasan_rhk_id: str = "", *, jpt: bool = False
    ) -> skp_pb2.Skp:
        """Makes a draft ready to submit: an RHK utama (intervening `atasan_rhk_id` for JA/JF) with one
        indikator, and the atasan as penilai of every perilaku."""
        found = self.rhk(
            tenant, key, skp_id, "Terselenggaranya layanan kepegawaian", atasan_rhk_id=atasan_rhk_id
        )
        aspect = (
            {"perspektif": skp_pb2.PERSPEKTIF_PROSES_BISNIS} if jpt else {"aspek": skp_pb2.ASPEK_KUANTITAS}
        )
        self.indikator(tenant, key, skp_id, found.rhk[-1].id, "Jumlah layanan yang diselesaikan", **aspect)
        return self.penilai_atasan_semua(tenant, key, skp_id)

    def submit(self, tenant: SkpTenant, key: str, skp_id: str) -> skp_pb2.Skp:
        found: skp_pb2.Skp = self.stub.SubmitSkp(skp_pb2.SubmitSkpRequest(id=skp_id), metadata=tenant.md(key))
        return found

    def quarterly(self, tenant: SkpTenant) -> list[skp_pb2.Periode]:
        """The quarterly periode set (4 + final) of the tenant."""
        created = self.stub.CreatePeriodeSet(
            skp_pb2.CreatePeriodeSetRequest(pola=skp_pb2.POLA_PERIODE_TRIWULAN), metadata=tenant.admin
        )
        return list(created.periode)

    def query(self, sql: str, **params: Any) -> list[Any]:
        with self.inspect_engine.connect() as conn:
            return list(conn.execute(text(sql), params).all())

    def snapshot(self, instansi_id: uuid.UUID) -> dict[str, list[Any]]:
        """Every skp row of one instansi and its outbox rows: to show a refused call changed nothing.

        Outbox rows without their delivery columns (the relay marks rows sent meanwhile)."""
        result: dict[str, list[Any]] = {}
        for table in TENANT_TABLES:
            rows = self.query(f"select * from {table} where instansi_id = :i order by id", i=instansi_id)
            result[table] = [tuple(r) for r in rows]
        rows = self.query(
            "select id, topic, event_type, aggregate_type, aggregate_id, aggregate_version, envelope "
            "from outbox where instansi_id = :i order by id",
            i=instansi_id,
        )
        result["outbox"] = [tuple(r) for r in rows]
        return result

    def outbox(self, aggregate_id: str) -> list[Any]:
        return self.query(
            "select topic, event_type, aggregate_version, envelope from outbox where aggregate_id = :a order by id",
            a=aggregate_id,
        )
