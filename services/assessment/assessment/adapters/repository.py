"""The SQL store of one transaction: loads and saves aggregates, applies the projections, emits events."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Iterator
from datetime import date, datetime
from typing import Any

from sqlalchemy import Table, bindparam, delete, func, insert, literal, or_, select, update
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Session

from assessment.adapters import rows
from assessment.adapters.orm import (
    CapaianRow,
    KeberatanRow,
    PenilaianRow,
    PeriodeProyeksiRow,
    PerpanjanganRow,
    SkpProyeksiRow,
    TugasRow,
    UnorProyeksiRow,
)
from assessment.adapters.proto import event_message
from assessment.adapters.queries import PENILAIAN_SELECT, Queries
from assessment.domain.events import Event
from assessment.domain.model import Penilaian, Periode, SkpRencana, Unor
from assessment.domain.records import CapaianOrganisasi, Keberatan, Perpanjangan, Tugas
from kinerja_kit.db import Transaction, UnitOfWork
from kinerja_kit.ids import new_id

# Statements built once, their values bound at execution: SQLAlchemy compiles each once per process.
_TUGAS: Table = TugasRow.__table__  # type: ignore[assignment]
# A task as stored: its id, then rows.TUGAS_CONTENT, as one JSON array.
_TUGAS_STORED = func.jsonb_build_array(
    _TUGAS.c.id, *(_TUGAS.c[name] for name in rows.TUGAS_CONTENT), type_=JSONB
)
# The tasks of a penilaian (not of its keberatan), beside the penilaian that is loaded to be changed.
_TUGAS_OF_PENILAIAN = (
    select(func.coalesce(func.jsonb_agg(_TUGAS_STORED), literal([], JSONB)))
    .where(
        _TUGAS.c.instansi_id == PenilaianRow.instansi_id,
        _TUGAS.c.penilaian_id == PenilaianRow.id,
        _TUGAS.c.keberatan_id.is_(None),
    )
    .correlate(PenilaianRow)
    .scalar_subquery()
)
# Rows loaded again in a session replace what it holds (a row is never read stale).
_LOAD = PENILAIAN_SELECT.where(PenilaianRow.instansi_id == bindparam("tenant")).execution_options(
    populate_existing=True
)
_PENILAIAN = _LOAD.where(PenilaianRow.id == bindparam("id"))
_PENILAIAN_FOR_UPDATE = _PENILAIAN.add_columns(_TUGAS_OF_PENILAIAN).with_for_update(of=PenilaianRow)
_PENILAIAN_OF_SKP_FOR_UPDATE = (
    _LOAD.add_columns(_TUGAS_OF_PENILAIAN)
    .where(PenilaianRow.skp_id == bindparam("skp_id"))
    .order_by(PenilaianRow.id)
    .with_for_update(of=PenilaianRow)
)
_TUGAS_FOUND = select(_TUGAS_STORED).where(
    _TUGAS.c.instansi_id == bindparam("tenant"), _TUGAS.c.penilaian_id == bindparam("penilaian_id")
)
_TUGAS_OF_PENILAIAN_FOUND = _TUGAS_FOUND.where(_TUGAS.c.keberatan_id.is_(None))
_TUGAS_OF_KEBERATAN_FOUND = _TUGAS_FOUND.where(_TUGAS.c.keberatan_id == bindparam("keberatan_id"))
_TUGAS_INSERT = insert(_TUGAS)
_TUGAS_UPDATE = (
    update(_TUGAS)
    .where(_TUGAS.c.instansi_id == bindparam("b_instansi_id"), _TUGAS.c.id == bindparam("b_id"))
    .values({name: bindparam(name) for name in rows.TUGAS_CONTENT})
)
_TUGAS_DELETE = delete(_TUGAS).where(
    _TUGAS.c.instansi_id == bindparam("tenant"), _TUGAS.c.id.in_(bindparam("ids", expanding=True))
)
# Which task of a penilaian (or of a keberatan) a row is: one per kind and assignee.
_TugasKey = tuple[int, str | None]


class SqlStore(Queries):
    """Everything handlers read and write in one transaction (RLS confines it to the tenant)."""

    def __init__(self, tx: Transaction) -> None:
        super().__init__(tx.session)
        self.tx = tx
        self.session: Session = tx.session
        # The penilaian rows this transaction loaded, held so that saving one updates it (the session
        # only holds rows weakly) and never reads it again.
        self._rows: dict[uuid.UUID, PenilaianRow] = {}
        # The stored tasks of a (penilaian, keberatan) read with the penilaian, or as last written.
        self._tugas: dict[tuple[uuid.UUID, uuid.UUID | None], list[list[Any]]] = {}

    @property
    def tenant(self) -> uuid.UUID | None:
        return self.tx.tenant

    def new_id(self) -> uuid.UUID:
        return new_id()

    def emit(self, event: Event) -> None:
        topic, payload, aggregate_type, aggregate_id, version = event_message(event)
        self.tx.emit(
            topic,
            payload,
            aggregate_type=aggregate_type,
            aggregate_id=aggregate_id,
            aggregate_version=version,
        )

    def commit(self) -> None:
        self.session.flush()
        self.tx.commit()

    # ---- projections ----

    def skp(self, skp_id: uuid.UUID) -> SkpRencana | None:
        row = self.session.get(SkpProyeksiRow, (self.tenant, skp_id))
        return rows.skp_from_row(row) if row is not None else None

    def periode(self, periode_id: uuid.UUID) -> Periode | None:
        row = self.session.get(PeriodeProyeksiRow, (self.tenant, periode_id))
        return rows.periode_from_row(row) if row is not None and not row.deleted else None

    def unor(self, unor_id: uuid.UUID) -> Unor | None:
        row = self.session.get(UnorProyeksiRow, (self.tenant, unor_id))
        return rows.unor_from_row(row) if row is not None and not row.deleted else None

    def apply_periode(self, periode: Periode) -> bool:
        """Stores a periode event unless a newer one was applied (events of one aggregate may be
        redelivered, never reordered on their partition; the version check makes a replay harmless)."""
        row = self.session.get(PeriodeProyeksiRow, (periode.instansi_id, periode.id), with_for_update=True)
        if row is not None and row.version >= periode.version:
            return False
        if row is None:
            row = PeriodeProyeksiRow(instansi_id=periode.instansi_id, id=periode.id)
            self.session.add(row)
        rows.write_periode(row, periode)
        row.applied_at = func.now()
        return True

    def apply_skp(self, skp: SkpRencana, occurred_at: datetime | None) -> bool:
        """Stores an SKP event unless a newer one was applied; its unit kerja from the unor projection."""
        row = self.session.get(SkpProyeksiRow, (skp.instansi_id, skp.id), with_for_update=True)
        if row is not None and row.version >= skp.version:
            return False
        unor = self.session.get(UnorProyeksiRow, (skp.instansi_id, skp.unor_id))
        skp.unit_kerja_id = rows.unor_from_row(unor).unit_kerja_id if unor is not None else skp.unor_id
        if row is None:
            row = SkpProyeksiRow(instansi_id=skp.instansi_id, id=skp.id)
            self.session.add(row)
        rows.write_skp(row, skp)
        row.source_occurred_at = occurred_at
        row.applied_at = func.now()
        return True

    def apply_unor(self, unor: Unor) -> bool:
        """Stores a unor event unless a newer one was applied, and moves the SKPs (and their penilaian)
        of that unor to its unit kerja."""
        row = self.session.get(UnorProyeksiRow, (unor.instansi_id, unor.id), with_for_update=True)
        if row is not None and row.version >= unor.version:
            return False
        if row is None:
            row = UnorProyeksiRow(instansi_id=unor.instansi_id, id=unor.id)
            self.session.add(row)
        rows.write_unor(row, unor)
        row.applied_at = func.now()
        self.session.flush()
        unit = unor.unit_kerja_id
        self.session.execute(
            update(SkpProyeksiRow)
            .where(SkpProyeksiRow.instansi_id == unor.instansi_id, SkpProyeksiRow.unor_id == unor.id)
            .where(SkpProyeksiRow.unit_kerja_id != unit)
            .values(unit_kerja_id=unit)
        )
        skp_ids = select(SkpProyeksiRow.id).where(
            SkpProyeksiRow.instansi_id == unor.instansi_id, SkpProyeksiRow.unor_id == unor.id
        )
        self.session.execute(
            update(PenilaianRow)
            .where(PenilaianRow.instansi_id == unor.instansi_id, PenilaianRow.skp_id.in_(skp_ids))
            .where(PenilaianRow.unit_kerja_id != unit)
            .values(unit_kerja_id=unit)
        )
        # The capaian of the unit are listed and searched by its name, kept with them.
        self.session.execute(
            update(CapaianRow)
            .where(CapaianRow.instansi_id == unor.instansi_id, CapaianRow.unor_id == unor.id)
            .where(CapaianRow.unor_nama != unor.nama)
            .values(unor_nama=unor.nama)
        )
        return True

    def penilaian_of_skp(self, skp_id: uuid.UUID) -> list[Penilaian]:
        """The penilaian of an SKP with their tasks, locked (in the order of their ids), in one query."""
        found = self.session.execute(_PENILAIAN_OF_SKP_FOR_UPDATE, {"tenant": self.tenant, "skp_id": skp_id})
        return [self._loaded(*item) for item in found]

    def open_penilaian_of_periode(self, periode_id: uuid.UUID) -> list[uuid.UUID]:
        found = self.session.scalars(
            select(PenilaianRow.id).where(
                PenilaianRow.instansi_id == self.tenant,
                PenilaianRow.periode_id == periode_id,
                PenilaianRow.status == "DIBUKA",
            )
        )
        return list(found)

    # ---- penilaian ----

    def batas_diperpanjang(self, skp: SkpRencana, periode_id: uuid.UUID, tahun: int) -> date | None:
        """The latest extension that applies to the SKP: for its pegawai, its unor or its unit kerja."""
        found: date | None = self.session.scalar(
            select(func.max(PerpanjanganRow.batas_baru)).where(
                PerpanjanganRow.instansi_id == skp.instansi_id,
                PerpanjanganRow.periode_id == periode_id,
                PerpanjanganRow.tahun == tahun,
                or_(
                    PerpanjanganRow.pegawai_id == skp.pegawai_id,
                    PerpanjanganRow.unor_id.in_({skp.unor_id, skp.unit_kerja_id}),
                ),
            )
        )
        return found

    def penilaian(self, penilaian_id: uuid.UUID, *, for_update: bool = False) -> Penilaian | None:
        """A penilaian with its SKP and periode as the projections hold them and its batas extension, in
        one query; to be changed: locked, with its tasks."""
        statement = _PENILAIAN_FOR_UPDATE if for_update else _PENILAIAN
        found = self.session.execute(statement, {"tenant": self.tenant, "id": penilaian_id}).first()
        return self._loaded(*found) if found is not None else None

    def _loaded(
        self,
        row: PenilaianRow,
        skp_row: SkpProyeksiRow,
        periode_row: PeriodeProyeksiRow,
        batas: date | None,
        tugas: list[list[Any]] | None = None,
    ) -> Penilaian:
        self._rows[row.id] = row
        if tugas is not None:
            self._tugas[(row.id, None)] = tugas
        return rows.penilaian_from_rows(row, skp_row, periode_row, batas)

    def penilaian_exists(self, skp_id: uuid.UUID, periode_id: uuid.UUID) -> bool:
        found = self.session.scalar(
            select(PenilaianRow.id).where(
                PenilaianRow.instansi_id == self.tenant,
                PenilaianRow.skp_id == skp_id,
                PenilaianRow.periode_id == periode_id,
            )
        )
        return found is not None

    def add_penilaian(self, penilaian: Penilaian) -> None:
        row = PenilaianRow()
        rows.write_penilaian(row, penilaian)
        self.session.add(row)
        self.session.flush()
        self._rows[row.id] = row
        self._tugas[(row.id, None)] = []

    def save_penilaian(self, penilaian: Penilaian) -> None:
        """Writes the penilaian into its loaded row: the session updates the columns that changed (none:
        no statement)."""
        row = self._rows.get(penilaian.id)
        if row is None:
            row = self.session.get(PenilaianRow, (penilaian.instansi_id, penilaian.id))
            assert row is not None, "a penilaian is loaded before it is saved"
            self._rows[penilaian.id] = row
        rows.write_penilaian(row, penilaian)

    def add_perpanjangan(self, item: Perpanjangan) -> None:
        self.session.add(rows.perpanjangan_row(item))
        self.session.flush()

    def open_penilaian_for(
        self, periode_id: uuid.UUID, tahun: int, pegawai_id: uuid.UUID | None, unor_id: uuid.UUID | None
    ) -> list[uuid.UUID]:
        """Open penilaian an extension applies to (of the pegawai, or of SKPs of the unor or unit kerja)."""
        query = (
            select(PenilaianRow.id)
            .join(
                SkpProyeksiRow,
                (SkpProyeksiRow.instansi_id == PenilaianRow.instansi_id)
                & (SkpProyeksiRow.id == PenilaianRow.skp_id),
            )
            .where(
                PenilaianRow.instansi_id == self.tenant,
                PenilaianRow.periode_id == periode_id,
                PenilaianRow.tahun == tahun,
                PenilaianRow.status == "DIBUKA",
            )
        )
        if pegawai_id is not None:
            query = query.where(PenilaianRow.pegawai_id == pegawai_id)
        else:
            query = query.where(
                or_(SkpProyeksiRow.unor_id == unor_id, SkpProyeksiRow.unit_kerja_id == unor_id)
            )
        return list(self.session.scalars(query))

    # ---- tugas ----

    def replace_tugas(
        self, penilaian_id: uuid.UUID, tugas: list[Tugas], keberatan_id: uuid.UUID | None = None
    ) -> None:
        """The open tasks of a penilaian (or of one of its keberatan) become `tugas`; ended ones go.

        Only what differs is written: a task that is stored already (same kind and assignee) keeps its
        row, updated when it says something else; new ones are inserted, gone ones deleted."""
        stored = self._tugas.pop((penilaian_id, keberatan_id), None)
        if stored is None:
            stored = self._stored_tugas(penilaian_id, keberatan_id)
        by_key: dict[_TugasKey, list[list[Any]]] = {}
        for item in sorted(stored, key=lambda found: found[0]):
            by_key.setdefault((item[1], item[2]), []).append(item)
        now: list[list[Any]] = []
        added: list[dict[str, Any]] = []
        changed: list[dict[str, Any]] = []
        for task in tugas:
            values = rows.tugas_values(self.tenant, task)
            content = rows.tugas_content(values)
            same = by_key.get((content[0], content[1]))
            if not same:
                added.append(values)
                now.append([str(task.id), *content])
                continue
            old = same.pop(0)
            now.append([old[0], *content])
            if old[1:] != content:
                changed.append(
                    {
                        "b_instansi_id": self.tenant,
                        "b_id": uuid.UUID(old[0]),
                        **{name: values[name] for name in rows.TUGAS_CONTENT},
                    }
                )
        gone = [uuid.UUID(item[0]) for left in by_key.values() for item in left]
        if gone:
            self.session.execute(_TUGAS_DELETE, {"tenant": self.tenant, "ids": gone})
        if changed:
            self.session.execute(_TUGAS_UPDATE, changed)
        if added:
            self.session.execute(_TUGAS_INSERT, added)
        self._tugas[(penilaian_id, keberatan_id)] = now

    def _stored_tugas(self, penilaian_id: uuid.UUID, keberatan_id: uuid.UUID | None) -> list[list[Any]]:
        params = {"tenant": self.tenant, "penilaian_id": penilaian_id}
        if keberatan_id is None:
            return list(self.session.scalars(_TUGAS_OF_PENILAIAN_FOUND, params))
        return list(self.session.scalars(_TUGAS_OF_KEBERATAN_FOUND, {**params, "keberatan_id": keberatan_id}))

    # ---- capaian ----

    def capaian(self, capaian_id: uuid.UUID, *, for_update: bool = False) -> CapaianOrganisasi | None:
        row = self.session.get(CapaianRow, (self.tenant, capaian_id), with_for_update=for_update)
        return self._capaian(row) if row is not None else None

    def capaian_of(self, tahun: int, periode_id: uuid.UUID, unor_id: uuid.UUID) -> CapaianOrganisasi | None:
        row = self.session.scalar(
            select(CapaianRow).where(
                CapaianRow.instansi_id == self.tenant,
                CapaianRow.tahun == tahun,
                CapaianRow.periode_id == periode_id,
                CapaianRow.unor_id == unor_id,
            )
        )
        return self._capaian(row) if row is not None else None

    def _capaian(self, row: CapaianRow) -> CapaianOrganisasi:
        found = rows.capaian_from_row(row)
        periode = self.session.get(PeriodeProyeksiRow, (row.instansi_id, row.periode_id))
        found.periode_nama = periode.nama if periode else ""
        return found

    def save_capaian(self, item: CapaianOrganisasi) -> None:
        row = self.session.get(CapaianRow, (item.instansi_id, item.id))
        if row is None:
            row = CapaianRow()
            self.session.add(row)
        rows.write_capaian(row, item)
        self.session.flush()

    def delete_capaian(self, item: CapaianOrganisasi) -> None:
        self.session.execute(
            delete(CapaianRow).where(CapaianRow.instansi_id == item.instansi_id, CapaianRow.id == item.id)
        )

    # ---- keberatan ----

    def keberatan(self, keberatan_id: uuid.UUID, *, for_update: bool = False) -> Keberatan | None:
        row = self.session.get(KeberatanRow, (self.tenant, keberatan_id), with_for_update=for_update)
        return self.keberatan_of_row(row) if row is not None else None

    def keberatan_ada(self, penilaian_id: uuid.UUID, *, open_only: bool = False) -> bool:
        query = select(KeberatanRow.id).where(
            KeberatanRow.instansi_id == self.tenant, KeberatanRow.penilaian_id == penilaian_id
        )
        if open_only:
            query = query.where(KeberatanRow.status == "DIAJUKAN")
        return self.session.scalar(query.limit(1)) is not None

    def save_keberatan(self, item: Keberatan) -> None:
        row = self.session.get(KeberatanRow, (item.instansi_id, item.id))
        if row is None:
            row = KeberatanRow()
            self.session.add(row)
        rows.write_keberatan(row, item)
        row.updated_at = func.now()
        self.session.flush()


@contextlib.contextmanager
def _store(uow: UnitOfWork) -> Iterator[SqlStore]:
    with uow.transaction() as tx:
        yield SqlStore(tx)


class SqlStores:
    """Opens one SqlStore per transaction of the kit's unit of work (tenant: the caller's instansi)."""

    def __init__(self, uow: UnitOfWork) -> None:
        self.uow = uow

    def transaction(self) -> contextlib.AbstractContextManager[SqlStore]:
        return _store(self.uow)
