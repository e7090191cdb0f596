"""Helpers of the org tests: metadata, error unpacking, valid random NIPs and the org world factory."""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine, text

from kinerja.org.v1 import org_pb2, org_pb2_grpc
from kinerja_kit.context import ROLE_ADMIN_BKN, ROLE_ADMIN_INSTANSI, ROLE_PEGAWAI
from kinerja_kit.errors import DomainError
from kinerja_kit.ids import new_id
from kinerja_testing.demo.org import DemoStructure, LoadedStructure, demo_structure, load_structure
from kinerja_testing.platform import every_page, md, random_nik, random_nip, rpc_error  # noqa: F401  (re-exported for the org tests)

Metadata = list[tuple[str, str]]

MAX_IMPORT = 5000  # items in one ImportUnor / ImportPegawai call (org.proto)


def import_pegawai(
    stub: org_pb2_grpc.OrgServiceStub,
    metadata: Metadata,
    unor_id: str,
    count: int,
    nama: str = "Pegawai Impor",
    batch: int = MAX_IMPORT,
) -> list[str]:
    """`count` pelaksana of `unor_id` ("<nama> 00000", ...) loaded with ImportPegawai in calls of at most
    `batch` items, ids chosen here: their ids in order."""
    ids = [str(new_id()) for _ in range(count)]
    items = [
        org_pb2.ImportPegawai(
            id=pegawai_id,
            pegawai=org_pb2.PegawaiInput(
                nip=random_nip(),
                nama=f"{nama} {i:05d}",
                unor_id=unor_id,
                jabatan=org_pb2.Jabatan(nama="Pengelola Umum", jenis=org_pb2.JENIS_JABATAN_PELAKSANA),
                golongan="II/a",
            ),
        )
        for i, pegawai_id in enumerate(ids)
    ]
    for start in range(0, count, batch):
        stub.ImportPegawai(
            org_pb2.ImportPegawaiRequest(pegawai=items[start : start + batch]), metadata=metadata
        )
    return ids


def codes(error: DomainError) -> dict[str, str]:
    """field -> violation code of an INVALID_ARGUMENT error."""
    return {v.field: v.code for v in error.violations}


@dataclass
class Tenant:
    """One instansi created for a test, with metadata for its roles."""

    id: uuid.UUID
    kode: str
    admin: Metadata
    pegawai: Metadata
    bkn: Metadata
    token_for: Callable[..., str] = field(repr=False)
    loaded: LoadedStructure | None = None
    structure: DemoStructure | None = None

    def as_pegawai(self, pegawai_id: str) -> Metadata:
        return md(self.token_for(self.id, ROLE_PEGAWAI, pegawai_id=uuid.UUID(pegawai_id)))

    def unor(self, key: str) -> str:
        assert self.loaded is not None
        return self.loaded.unor[key]

    def peg(self, key: str) -> str:
        assert self.loaded is not None
        return self.loaded.pegawai[key]


@dataclass
class OrgWorld:
    """Creates instansi (as admin BKN), unor, pegawai and demo trees through the real gRPC API."""

    stub: org_pb2_grpc.OrgServiceStub
    token_for: Callable[..., str]
    inspect_engine: Engine

    def instansi(self, nama: str = "Instansi Uji") -> Tenant:
        bkn = md(self.token_for(None, ROLE_ADMIN_BKN))
        kode = f"UJI-{uuid.uuid4().hex[:10].upper()}"
        created = self.stub.CreateInstansi(
            org_pb2.CreateInstansiRequest(kode=kode, nama=nama, jenis="DAERAH"), metadata=bkn
        )
        instansi_id = uuid.UUID(created.id)
        return Tenant(
            id=instansi_id,
            kode=kode,
            admin=md(self.token_for(instansi_id, ROLE_ADMIN_INSTANSI)),
            pegawai=md(self.token_for(instansi_id, ROLE_PEGAWAI)),
            bkn=md(self.token_for(None, ROLE_ADMIN_BKN), instansi_id),
            token_for=self.token_for,
        )

    def tree(self, variant: int = 1) -> Tenant:
        """A fresh instansi holding demo structure `variant` (NIPs replaced by fresh valid ones)."""
        structure = demo_structure(variant)
        structure = dataclasses.replace(
            structure,
            pegawai=[dataclasses.replace(p, nip=random_nip(int(p.nip[14]))) for p in structure.pegawai],
        )
        tenant = self.instansi(structure.instansi.nama)
        tenant.loaded = load_structure(self.stub, structure, str(tenant.id), tenant.admin)
        tenant.structure = structure
        return tenant

    def root(self, tenant: Tenant, nama: str = "Unor Induk") -> org_pb2.Unor:
        return self.unor(tenant, nama, parent_id="", jenis=org_pb2.JENIS_UNOR_JPT_PRATAMA)

    def unor(
        self,
        tenant: Tenant,
        nama: str,
        *,
        parent_id: str,
        jenis: int = org_pb2.JENIS_UNOR_ADMINISTRATOR,
        **extra: Any,
    ) -> org_pb2.Unor:
        created: org_pb2.Unor = self.stub.CreateUnor(
            org_pb2.CreateUnorRequest(
                unor=org_pb2.UnorInput(nama=nama, jenis=jenis, parent_id=parent_id, **extra)  # type: ignore[arg-type]
            ),
            metadata=tenant.admin,
        )
        return created

    def pegawai(
        self,
        tenant: Tenant,
        unor_id: str,
        nama: str = "Budi Santoso",
        *,
        pimpinan: bool = False,
        jabatan: org_pb2.Jabatan | None = None,
        **extra: Any,
    ) -> org_pb2.Pegawai:
        created: org_pb2.Pegawai = self.stub.CreatePegawai(
            org_pb2.CreatePegawaiRequest(
                pegawai=org_pb2.PegawaiInput(
                    nip=extra.pop("nip", None) or random_nip(),
                    nama=nama,
                    unor_id=unor_id,
                    pimpinan=pimpinan,
                    jabatan=jabatan
                    or org_pb2.Jabatan(nama="Pengelola Keuangan", jenis=org_pb2.JENIS_JABATAN_PELAKSANA),
                    **extra,
                )
            ),
            metadata=tenant.admin,
        )
        return created

    def query(self, sql: str, **params: Any) -> list[Any]:
        """SQL as a superuser on the org database (RLS bypassed): to inspect what really is stored."""
        with self.inspect_engine.connect() as conn:
            return list(conn.execute(text(sql), params).all())

    def outbox(self, aggregate_id: str) -> list[Any]:
        return self.query(
            "select topic, event_type, instansi_id, aggregate_type, aggregate_id, aggregate_version, envelope "
            "from outbox where aggregate_id = :a order by id",
            a=aggregate_id,
        )

    def snapshot(self, instansi_id: uuid.UUID) -> dict[str, list[Any]]:
        """Every org row of one instansi and its outbox rows: to show a refused call changed nothing."""
        result: dict[str, list[Any]] = {}
        # outbox: only what a call writes (another session's relay may be marking rows sent meanwhile)
        for table, columns, order in (
            ("unor", "*", "id"),
            ("pegawai", "*", "id"),
            ("plt", "*", "id"),
            ("profile_relations", "*", "pegawai_id"),
            ("outbox", "id, topic, event_type, aggregate_id, aggregate_version, envelope", "id"),
        ):
            rows = self.query(
                f"select {columns} from {table} where instansi_id = :i order by {order}", i=instansi_id
            )
            result[table] = [tuple(r) for r in rows]
        result["instansi"] = [
            tuple(r) for r in self.query("select * from instansi where id = :i", i=instansi_id)
        ]
        return result

    def assign_plt(
        self,
        tenant: Tenant,
        pegawai_id: str,
        unor_id: str,
        mulai: str,
        selesai: str,
        *,
        jabatan: str = "Plt. Kepala",
        jenis: int = org_pb2.JENIS_PLT_PLT,
    ) -> org_pb2.Plt:
        """A switched-on PLT (or PLH) assignment from `mulai` to `selesai` (YYYY-MM-DD)."""
        created: org_pb2.Plt = self.stub.CreatePlt(
            org_pb2.CreatePltRequest(
                plt=org_pb2.PltInput(
                    pegawai_id=pegawai_id, unor_id=unor_id, jabatan=jabatan, jenis=jenis,  # type: ignore[arg-type]
                    tanggal_mulai=mulai, tanggal_selesai=selesai, aktif=True,
                )
            ),
            metadata=tenant.admin,
        )  # fmt: skip
        return created

    def all_plt(self, tenant: Tenant, **filters: Any) -> list[org_pb2.Plt]:
        """Every PLT/PLH of the instansi (or of the `filters`: pegawai_id, unor_id, only_active), ListPlt
        paged to the end."""
        request = org_pb2.ListPltRequest(page_size=100, **filters)

        def page(token: str) -> org_pb2.ListPltResponse:
            request.page_token = token
            found: org_pb2.ListPltResponse = self.stub.ListPlt(request, metadata=tenant.admin)
            return found

        return every_page(page, "plt")[0]

    def end_plt(self, tenant: Tenant, plt_id: str, selesai: str) -> org_pb2.Plt:
        """Ends a PLT/PLH assignment on `selesai` (YYYY-MM-DD), everything else kept."""
        found = next(p for p in self.all_plt(tenant) if p.id == plt_id)
        updated: org_pb2.Plt = self.stub.UpdatePlt(
            org_pb2.UpdatePltRequest(
                id=plt_id,
                plt=org_pb2.PltInput(
                    pegawai_id=found.pegawai_id, unor_id=found.unor_id, jabatan=found.jabatan, jenis=found.jenis,
                    tanggal_mulai=found.tanggal_mulai, tanggal_selesai=selesai, aktif=found.aktif,
                ),
            ),
            metadata=tenant.admin,
        )  # fmt: skip
        return updated

    def move_pegawai(
        self, tenant: Tenant, pegawai_id: str, unor_id: str, *, pimpinan: bool = False
    ) -> org_pb2.Pegawai:
        """Moves a pegawai to another unor (as staff, or as its head), everything else kept."""
        found = self.stub.GetPegawai(org_pb2.GetPegawaiRequest(id=pegawai_id), metadata=tenant.admin)
        updated: org_pb2.Pegawai = self.stub.UpdatePegawai(
            org_pb2.UpdatePegawaiRequest(
                id=pegawai_id,
                pegawai=org_pb2.PegawaiInput(
                    nip=found.nip, nama=found.nama, unor_id=unor_id, pimpinan=pimpinan, jabatan=found.jabatan,
                    golongan=found.golongan, pangkat=found.pangkat, tmt_jabatan=found.tmt_jabatan,
                ),
            ),
            metadata=tenant.admin,
        )  # fmt: skip
        return updated
