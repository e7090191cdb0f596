"""Read-side queries: lists, the inbox, statistics; keyset pages led by instansi_id indexes."""

from __future__ import annotations

import uuid
from collections.abc import Collection
from datetime import date

from sqlalchemy import ColumnElement, Select, and_, false, func, or_, select, tuple_
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
from assessment.domain.aturan import Predikat
from assessment.domain.model import JenisTugas, Penilaian, Periode
from assessment.domain.records import CapaianOrganisasi, Keberatan, Lingkup, Perpanjangan, Statistik, Tugas
from kinerja_kit.paging import escape_like

# Tasks that end at the periode's batas pengisian (the others wait for whoever must act).
DATED = (int(JenisTugas.ISI_REALISASI), int(JenisTugas.FEEDBACK_PERILAKU))

# The latest extension of the batas pengisian that applies to a penilaian (for its SKP's pegawai, unor or
# unit kerja), as a column of the query that loads the penilaian with its SKP.
BATAS_DIPERPANJANG = (
    select(func.max(PerpanjanganRow.batas_baru))
    .where(
        PerpanjanganRow.instansi_id == PenilaianRow.instansi_id,
        PerpanjanganRow.periode_id == PenilaianRow.periode_id,
        PerpanjanganRow.tahun == PenilaianRow.tahun,
        or_(
            PerpanjanganRow.pegawai_id == SkpProyeksiRow.pegawai_id,
            PerpanjanganRow.unor_id.in_([SkpProyeksiRow.unor_id, SkpProyeksiRow.unit_kerja_id]),
        ),
    )
    .correlate(PenilaianRow, SkpProyeksiRow)
    .scalar_subquery()
)

PenilaianSelect = Select[PenilaianRow, SkpProyeksiRow, PeriodeProyeksiRow, date | None]

# A penilaian with its SKP and periode as the projections hold them and its batas extension.
PENILAIAN_SELECT = (
    select(PenilaianRow, SkpProyeksiRow, PeriodeProyeksiRow, BATAS_DIPERPANJANG)
    .join(
        SkpProyeksiRow,
        (SkpProyeksiRow.instansi_id == PenilaianRow.instansi_id) & (SkpProyeksiRow.id == PenilaianRow.skp_id),
    )
    .join(
        PeriodeProyeksiRow,
        (PeriodeProyeksiRow.instansi_id == PenilaianRow.instansi_id)
        & (PeriodeProyeksiRow.id == PenilaianRow.periode_id),
    )
)


class Queries:
    def __init__(self, session: Session) -> None:
        self.session = session

    @property
    def tenant(self) -> uuid.UUID | None:
        raise NotImplementedError

    # ---- penilaian ----

    def _penilaian_rows(self, query: PenilaianSelect) -> list[Penilaian]:
        return [
            rows.penilaian_from_rows(row, skp_row, periode_row, batas)
            for row, skp_row, periode_row, batas in self.session.execute(query)
        ]

    def _penilaian_select(self) -> PenilaianSelect:
        return PENILAIAN_SELECT.where(PenilaianRow.instansi_id == self.tenant)

    def penilaian_many(self, ids: Collection[uuid.UUID]) -> list[Penilaian]:
        if not ids:
            return []
        query = self._penilaian_select().where(PenilaianRow.id.in_(list(ids)))
        return self._penilaian_rows(query)

    def list_penilaian(
        self,
        *,
        lingkup: Lingkup,
        tahun: int = 0,
        periode_id: uuid.UUID | None = None,
        skp_id: uuid.UUID | None = None,
        status: str = "",
        unit_kerja_id: uuid.UUID | None = None,
        predikat: int = 0,
        after: tuple[str, uuid.UUID] | None = None,
        limit: int = 20,
    ) -> list[Penilaian]:
        """A page ordered by (pegawai name, id) of what `lingkup` shows."""
        query = self._penilaian_select().where(*self._penilaian_lingkup(lingkup))
        for column, value in (
            (PenilaianRow.tahun, tahun),
            (PenilaianRow.periode_id, periode_id),
            (PenilaianRow.skp_id, skp_id),
            (PenilaianRow.status, status),
            (PenilaianRow.unit_kerja_id, unit_kerja_id),
            (PenilaianRow.predikat, predikat),
        ):
            if value:
                query = query.where(column == value)
        if after is not None:
            query = query.where(tuple_(PenilaianRow.pegawai_nama, PenilaianRow.id) > tuple_(*after))
        query = query.order_by(PenilaianRow.pegawai_nama, PenilaianRow.id).limit(limit)
        return self._penilaian_rows(query)

    @staticmethod
    def _penilaian_lingkup(lingkup: Lingkup) -> list[ColumnElement[bool]]:
        if lingkup.kind == "INSTANSI":
            return []
        if lingkup.kind == "SAYA":
            return [PenilaianRow.pegawai_id == lingkup.pegawai_id]
        conditions: list[ColumnElement[bool]] = [PenilaianRow.penilai_pegawai_id == lingkup.pegawai_id]
        if lingkup.units:
            conditions.append(SkpProyeksiRow.penilai_unor_id.in_(list(lingkup.units)))
        if lingkup.bawahan:
            conditions.append(PenilaianRow.pegawai_id.in_(list(lingkup.bawahan)))
        return [or_(*conditions), PenilaianRow.pegawai_id != lingkup.pegawai_id]

    # ---- statistik ----

    def statistik(self, unor_id: uuid.UUID, periode: Periode, tahun: int) -> Statistik:
        """Rated penilaian of the unit kerja for the periode, out of its approved SKPs that touch it."""
        counts = self.session.execute(
            select(PenilaianRow.predikat, func.count())
            .where(
                PenilaianRow.instansi_id == self.tenant,
                PenilaianRow.unit_kerja_id == unor_id,
                PenilaianRow.periode_id == periode.id,
                PenilaianRow.tahun == tahun,
                PenilaianRow.status == "DINILAI",
            )
            .group_by(PenilaianRow.predikat)
        ).all()
        per_predikat = {Predikat(p): int(n) for p, n in counts if p}
        mulai, selesai = periode.days(tahun)
        total = self.session.scalar(
            select(func.count()).where(
                SkpProyeksiRow.instansi_id == self.tenant,
                SkpProyeksiRow.unit_kerja_id == unor_id,
                SkpProyeksiRow.tahun == tahun,
                SkpProyeksiRow.status == "DISETUJUI",
                SkpProyeksiRow.deleted == false(),
                SkpProyeksiRow.tanggal_mulai <= selesai,
                SkpProyeksiRow.tanggal_selesai >= mulai,
            )
        )
        dinilai = sum(per_predikat.values())
        return Statistik(dinilai=dinilai, total=max(int(total or 0), dinilai), per_predikat=per_predikat)

    # ---- inbox ----

    def _inbox_where(
        self, inbox: Lingkup, periode_id: uuid.UUID | None, today: date
    ) -> list[ColumnElement[bool]]:
        mine: list[ColumnElement[bool]] = [TugasRow.assignee_pegawai_id == inbox.pegawai_id]
        rates = [int(JenisTugas.NILAI_BAWAHAN), int(JenisTugas.JAWAB_KEBERATAN)]
        if inbox.units:
            mine.append(and_(TugasRow.assignee_unor_id.in_(list(inbox.units)), TugasRow.jenis.in_(rates)))
        if inbox.bawahan:
            mine.append(
                and_(
                    TugasRow.subject_pegawai_id.in_(list(inbox.bawahan)),
                    TugasRow.jenis == int(JenisTugas.NILAI_BAWAHAN),
                )
            )
        where = [
            TugasRow.instansi_id == self.tenant,
            TugasRow.selesai == false(),
            or_(*mine),
            or_(TugasRow.jenis.not_in(DATED), TugasRow.batas >= today),
            # Nobody rates or answers for themself (a PLH of their own penilai's unit included).
            or_(
                TugasRow.jenis == int(JenisTugas.ISI_REALISASI),
                TugasRow.subject_pegawai_id != inbox.pegawai_id,
            ),
        ]
        if periode_id is not None:
            where.append(TugasRow.periode_id == periode_id)
        return where

    def inbox_counts(
        self, inbox: Lingkup, periode_id: uuid.UUID | None, today: date
    ) -> dict[JenisTugas, int]:
        found = self.session.execute(
            select(TugasRow.jenis, func.count(func.distinct(TugasRow.id)))
            .where(*self._inbox_where(inbox, periode_id, today))
            .group_by(TugasRow.jenis)
        ).all()
        return {JenisTugas(j): int(n) for j, n in found}

    def inbox_page(
        self,
        inbox: Lingkup,
        jenis: JenisTugas,
        periode_id: uuid.UUID | None,
        today: date,
        after: uuid.UUID | None,
        limit: int,
    ) -> list[Tugas]:
        query = select(TugasRow).where(
            *self._inbox_where(inbox, periode_id, today), TugasRow.jenis == int(jenis)
        )
        if after is not None:
            query = query.where(TugasRow.id > after)
        return [
            rows.tugas_from_row(r) for r in self.session.scalars(query.order_by(TugasRow.id).limit(limit))
        ]

    # ---- perpanjangan, capaian ----

    def list_perpanjangan(
        self, periode_id: uuid.UUID | None, tahun: int, after: uuid.UUID | None, limit: int
    ) -> list[Perpanjangan]:
        query = select(PerpanjanganRow).where(PerpanjanganRow.instansi_id == self.tenant)
        if periode_id is not None:
            query = query.where(PerpanjanganRow.periode_id == periode_id)
        if tahun:
            query = query.where(PerpanjanganRow.tahun == tahun)
        if after is not None:
            query = query.where(PerpanjanganRow.id > after)
        found = self.session.scalars(query.order_by(PerpanjanganRow.id).limit(limit))
        return [rows.perpanjangan_from_row(r) for r in found]

    def list_capaian(
        self,
        tahun: int,
        periode_id: uuid.UUID | None,
        nama: str,
        after: tuple[str, uuid.UUID] | None,
        limit: int,
    ) -> list[CapaianOrganisasi]:
        """A page ordered by (unit name, id)."""
        unor_nama = func.coalesce(UnorProyeksiRow.nama, "")
        query = (
            select(CapaianRow, unor_nama, PeriodeProyeksiRow.nama)
            .outerjoin(
                UnorProyeksiRow,
                (UnorProyeksiRow.instansi_id == CapaianRow.instansi_id)
                & (UnorProyeksiRow.id == CapaianRow.unor_id),
            )
            .outerjoin(
                PeriodeProyeksiRow,
                (PeriodeProyeksiRow.instansi_id == CapaianRow.instansi_id)
                & (PeriodeProyeksiRow.id == CapaianRow.periode_id),
            )
            .where(CapaianRow.instansi_id == self.tenant)
        )
        if tahun:
            query = query.where(CapaianRow.tahun == tahun)
        if periode_id is not None:
            query = query.where(CapaianRow.periode_id == periode_id)
        if nama:
            query = query.where(UnorProyeksiRow.nama.ilike(f"%{escape_like(nama)}%"))
        if after is not None:
            query = query.where(tuple_(unor_nama, CapaianRow.id) > tuple_(*after))
        found = []
        for row, unit, periode in self.session.execute(query.order_by(unor_nama, CapaianRow.id).limit(limit)):
            item = rows.capaian_from_row(row)
            item.unor_nama, item.periode_nama = unit, periode or ""
            found.append(item)
        return found

    # ---- keberatan ----

    def keberatan_of_row(self, row: KeberatanRow) -> Keberatan:
        skp = self.session.get(SkpProyeksiRow, (row.instansi_id, row.skp_id))
        periode = self.session.get(PeriodeProyeksiRow, (row.instansi_id, row.periode_id))
        isi = skp.isi if skp is not None else {"pegawai": {"pegawai_id": str(row.pegawai_id)}}
        found = rows.keberatan_from_row(row, isi)
        found.periode_nama = periode.nama if periode else ""
        return found

    def list_keberatan(
        self,
        *,
        lingkup: Lingkup,
        tahun: int,
        status: str,
        term: tuple[str, str] | None,
        after: tuple[str, uuid.UUID] | None,
        limit: int,
    ) -> list[Keberatan]:
        """A page ordered by (pegawai name, id)."""
        query = select(KeberatanRow).where(
            KeberatanRow.instansi_id == self.tenant, *self._keberatan_lingkup(lingkup)
        )
        if tahun:
            query = query.where(KeberatanRow.tahun == tahun)
        if status:
            query = query.where(KeberatanRow.status == status)
        if term is not None:
            kind, value = term
            if kind == "nip":
                query = query.where(KeberatanRow.pegawai_nip.startswith(value, autoescape=True))
            else:
                query = query.where(KeberatanRow.pegawai_nama.ilike(f"%{escape_like(value)}%"))
        if after is not None:
            query = query.where(tuple_(KeberatanRow.pegawai_nama, KeberatanRow.id) > tuple_(*after))
        query = query.order_by(KeberatanRow.pegawai_nama, KeberatanRow.id).limit(limit)
        return [self.keberatan_of_row(r) for r in self.session.scalars(query)]

    @staticmethod
    def _keberatan_lingkup(lingkup: Lingkup) -> list[ColumnElement[bool]]:
        if lingkup.kind == "INSTANSI":
            return []
        if lingkup.kind == "SAYA":
            return [KeberatanRow.pegawai_id == lingkup.pegawai_id]
        conditions: list[ColumnElement[bool]] = [
            KeberatanRow.penilai_pegawai_id == lingkup.pegawai_id,
            KeberatanRow.atasan_penilai_pegawai_id == lingkup.pegawai_id,
        ]
        if lingkup.bawahan:
            conditions.append(KeberatanRow.pegawai_id.in_(list(lingkup.bawahan)))
        return [or_(*conditions), KeberatanRow.pegawai_id != lingkup.pegawai_id]
