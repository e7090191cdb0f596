"""Read-side queries: lists, the inbox, statistics.

Every list reads one page by walking an index that serves its filters and its order (instansi_id first,
then the filters, then the keyset (name, id)), and counts its matches up to the kit's COUNT_LIMIT. A list
of the caller's bawahan (or of what the caller answers) is the union of one such walk per way of being
theirs (the penilai named, the penilai's unit they lead, their bawahan today by org), each stopped at the
page's size: the page costs its size plus, for the bawahan org names, one index probe per bawahan; the
instansi's size never enters it.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection
from datetime import date
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    SQLColumnExpression,
    and_,
    any_,
    false,
    func,
    literal,
    or_,
    select,
    tuple_,
    union,
)
from sqlalchemy.dialects.postgresql import ARRAY, UUID
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
)
from assessment.domain.aturan import Predikat
from assessment.domain.model import JenisTugas, Penilaian, Periode
from assessment.domain.records import (
    CapaianOrganisasi,
    Keberatan,
    KeberatanQuery,
    Lingkup,
    PenilaianQuery,
    Perpanjangan,
    Statistik,
    Tugas,
)
from kinerja_kit import paging
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


IdList = Collection[uuid.UUID]
# A select of (key, id): one way a row is in a list, with the key the list is ordered by before the id.
Way = Select[Any, uuid.UUID]


def among(column: SQLColumnExpression[Any], ids: IdList) -> ColumnElement[bool]:
    """`column` is one of `ids`: one uuid[] parameter (= ANY), an index probe per id and the same statement
    for any number of them; one id is an equality, so an index walk after it stays in the index's order.
    (Not sorted here: the server sorts the array for its index probes, far faster than Python sorts
    thousands of UUIDs. Not sent as text cast to uuid[]: the planner would not see the ids.)"""
    if len(ids) == 1:
        return column == next(iter(ids))
    return column == any_(literal(list(ids), ARRAY(UUID(as_uuid=True))))


def next_prefix(prefix: str) -> str:
    """The least string above every string starting with `prefix` (digits here), in byte order."""
    return prefix[:-1] + chr(ord(prefix[-1]) + 1)


def nip_key() -> ColumnElement[str]:
    """The keberatan's NIP in byte order (COLLATE "C"), as keberatan_by_nip holds it."""
    return KeberatanRow.pegawai_nip.collate("C")


def _first(ways: list[Way], order: tuple[Any, ...], limit: int) -> Way:
    """The first `limit` rows, in `order` (the key and the id), of the union of `ways`: each way is cut
    at `limit` first, so none is read past the page."""
    if len(ways) == 1:
        return ways[0].order_by(*order).limit(limit)
    cut = [way.order_by(*order).limit(limit).subquery() for way in ways]
    merged = union(*(select(c.c.key, c.c.id) for c in cut)).subquery()
    return select(merged.c.key, merged.c.id).order_by(merged.c.key, merged.c.id).limit(limit)


def _matches(ways: list[Way]) -> Select[Any]:
    """The ids of the union of `ways`, to be counted: several ways are merged in the list's order (each
    walks its index), so a count that stops at the limit reads no further."""
    if len(ways) == 1:
        return select(ways[0].subquery().c.id)
    merged = union(*ways).subquery()
    return select(merged.c.id).order_by(merged.c.key, merged.c.id)


def count(session: Session, query: Select[Any]) -> tuple[int, bool]:
    """(count, exact) of `query`'s rows, read up to the kit's COUNT_LIMIT (looked up at each call)."""
    return paging.bounded_count(session, query, paging.COUNT_LIMIT)


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

    def _penilaian_ways(self, query: PenilaianQuery) -> list[Way]:
        """One select of (key: the pegawai's name, id) per way a penilaian is in the list, each with the
        list's filters: the instansi's or the caller's own (one way); the bawahan's (three: the caller is
        the penilai named, leads the penilai's unit, or is the pegawai's atasan today)."""
        where: list[ColumnElement[bool]] = [PenilaianRow.instansi_id == self.tenant]
        for column, value in (
            (PenilaianRow.tahun, query.tahun),
            (PenilaianRow.periode_id, query.periode_id),
            (PenilaianRow.skp_id, query.skp_id),
            (PenilaianRow.status, query.status),
            (PenilaianRow.unit_kerja_id, query.unit_kerja_id),
            (PenilaianRow.predikat, query.predikat),
        ):
            if value:
                where.append(column == value)
        lingkup = query.lingkup
        ways: list[list[ColumnElement[bool]]] = [[]]
        if lingkup.kind == "SAYA":
            ways = [[PenilaianRow.pegawai_id == lingkup.pegawai_id]]
        elif lingkup.kind != "INSTANSI":
            # Never the caller's own (a PLH of their own penilai's unit): excluded by id, which each
            # way's index holds, so a count reads no row.
            own = select(PenilaianRow.id).where(
                PenilaianRow.instansi_id == self.tenant, PenilaianRow.pegawai_id == lingkup.pegawai_id
            )
            where.append(PenilaianRow.id.not_in(own))
            ways = [[PenilaianRow.penilai_pegawai_id == lingkup.pegawai_id]]
            if lingkup.units:
                ways.append([among(PenilaianRow.penilai_unor_id, lingkup.units)])
            if lingkup.bawahan:
                ways.append([among(PenilaianRow.pegawai_id, lingkup.bawahan)])
        key = PenilaianRow.pegawai_nama.label("key")
        return [select(key, PenilaianRow.id).where(*where, *way) for way in ways]

    def list_penilaian(
        self, query: PenilaianQuery, after: tuple[str, uuid.UUID] | None = None, limit: int = 20
    ) -> list[Penilaian]:
        """A page ordered by (pegawai name, id): its ids first (each way walks its index from `after`),
        then those rows with their SKP, periode and batas extension."""
        ways = self._penilaian_ways(query)
        if after is not None:
            ways = [
                w.where(tuple_(PenilaianRow.pegawai_nama, PenilaianRow.id) > tuple_(*after)) for w in ways
            ]
        page = _first(ways, (PenilaianRow.pegawai_nama, PenilaianRow.id), limit).subquery()
        found = (
            self._penilaian_select()
            .join(page, PenilaianRow.id == page.c.id)
            .order_by(PenilaianRow.pegawai_nama, PenilaianRow.id)
        )
        return self._penilaian_rows(found)

    def count_penilaian(self, query: PenilaianQuery) -> tuple[int, bool]:
        return count(self.session, _matches(self._penilaian_ways(query)))

    # ---- statistik ----

    def statistik(self, unor_id: uuid.UUID, periode: Periode, tahun: int) -> Statistik:
        """Rated penilaian of the unit kerja for the periode, out of its approved SKPs that touch it (both
        counted within the unit: its index ranges, never the instansi)."""
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
            mine.append(and_(among(TugasRow.assignee_unor_id, inbox.units), TugasRow.jenis.in_(rates)))
        if inbox.bawahan:
            mine.append(
                and_(
                    among(TugasRow.subject_pegawai_id, inbox.bawahan),
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
        """Exact counts per kind: they read the caller's own tasks (by assignee, by the units they lead,
        by their bawahan), never the instansi's."""
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
        """A page of one kind, by id: the union of one walk per way a task is the caller's (assigned to
        them, to a unit they lead, about their bawahan), each an index range of that kind cut at the
        page's size."""
        where: list[ColumnElement[bool]] = [
            TugasRow.instansi_id == self.tenant,
            TugasRow.selesai == false(),
            TugasRow.jenis == int(jenis),
        ]
        if jenis in DATED:
            where.append(TugasRow.batas >= today)
        if jenis != JenisTugas.ISI_REALISASI:
            where.append(TugasRow.subject_pegawai_id != inbox.pegawai_id)
        if periode_id is not None:
            where.append(TugasRow.periode_id == periode_id)
        if after is not None:
            where.append(TugasRow.id > after)
        ways: list[ColumnElement[bool]] = [TugasRow.assignee_pegawai_id == inbox.pegawai_id]
        if inbox.units and jenis in (JenisTugas.NILAI_BAWAHAN, JenisTugas.JAWAB_KEBERATAN):
            ways.append(among(TugasRow.assignee_unor_id, inbox.units))
        if inbox.bawahan and jenis == JenisTugas.NILAI_BAWAHAN:
            ways.append(among(TugasRow.subject_pegawai_id, inbox.bawahan))
        key = TugasRow.id.label("key")
        page = _first(
            [select(key, TugasRow.id).where(*where, way) for way in ways], (TugasRow.id,), limit
        ).subquery()
        found = (
            select(TugasRow)
            .join(page, TugasRow.id == page.c.id)
            .where(TugasRow.instansi_id == self.tenant)
            .order_by(TugasRow.id)
        )
        return [rows.tugas_from_row(r) for r in self.session.scalars(found)]

    # ---- perpanjangan, capaian ----

    def _perpanjangan_where(self, periode_id: uuid.UUID | None, tahun: int) -> list[ColumnElement[bool]]:
        where = [PerpanjanganRow.instansi_id == self.tenant]
        if periode_id is not None:
            where.append(PerpanjanganRow.periode_id == periode_id)
        if tahun:
            where.append(PerpanjanganRow.tahun == tahun)
        return where

    def list_perpanjangan(
        self, periode_id: uuid.UUID | None, tahun: int, after: uuid.UUID | None, limit: int
    ) -> list[Perpanjangan]:
        query = select(PerpanjanganRow).where(*self._perpanjangan_where(periode_id, tahun))
        if after is not None:
            query = query.where(PerpanjanganRow.id > after)
        found = self.session.scalars(query.order_by(PerpanjanganRow.id).limit(limit))
        return [rows.perpanjangan_from_row(r) for r in found]

    def count_perpanjangan(self, periode_id: uuid.UUID | None, tahun: int) -> tuple[int, bool]:
        return count(
            self.session, select(PerpanjanganRow.id).where(*self._perpanjangan_where(periode_id, tahun))
        )

    def _capaian_where(
        self, tahun: int, periode_id: uuid.UUID | None, nama: str
    ) -> list[ColumnElement[bool]]:
        where = [CapaianRow.instansi_id == self.tenant]
        if tahun:
            where.append(CapaianRow.tahun == tahun)
        if periode_id is not None:
            where.append(CapaianRow.periode_id == periode_id)
        if nama:
            where.append(CapaianRow.unor_nama.ilike(f"%{escape_like(nama)}%", escape="\\"))
        return where

    def list_capaian(
        self,
        tahun: int,
        periode_id: uuid.UUID | None,
        nama: str,
        after: tuple[str, uuid.UUID] | None,
        limit: int,
    ) -> list[CapaianOrganisasi]:
        """A page ordered by (unit name, id), the name kept with the capaian."""
        query = (
            select(CapaianRow, PeriodeProyeksiRow.nama)
            .outerjoin(
                PeriodeProyeksiRow,
                (PeriodeProyeksiRow.instansi_id == CapaianRow.instansi_id)
                & (PeriodeProyeksiRow.id == CapaianRow.periode_id),
            )
            .where(*self._capaian_where(tahun, periode_id, nama))
        )
        if after is not None:
            query = query.where(tuple_(CapaianRow.unor_nama, CapaianRow.id) > tuple_(*after))
        found = []
        query = query.order_by(CapaianRow.unor_nama, CapaianRow.id).limit(limit)
        for row, periode in self.session.execute(query):
            item = rows.capaian_from_row(row)
            item.periode_nama = periode or ""
            found.append(item)
        return found

    def count_capaian(self, tahun: int, periode_id: uuid.UUID | None, nama: str) -> tuple[int, bool]:
        return count(self.session, select(CapaianRow.id).where(*self._capaian_where(tahun, periode_id, nama)))

    # ---- keberatan ----

    def keberatan_of_row(self, row: KeberatanRow) -> Keberatan:
        skp = self.session.get(SkpProyeksiRow, (row.instansi_id, row.skp_id))
        periode = self.session.get(PeriodeProyeksiRow, (row.instansi_id, row.periode_id))
        return _keberatan(row, skp.isi if skp is not None else None, periode.nama if periode else None)

    def _keberatan_ways(self, query: KeberatanQuery) -> list[Way]:
        """One select of (key: the name, or the NIP for a NIP search, id) per way a keberatan is in the
        list: the instansi's or the caller's own (one way); those the caller answers (three: as the penilai
        named, as their atasan, or as the atasan today of the pegawai who filed it)."""
        where: list[ColumnElement[bool]] = [KeberatanRow.instansi_id == self.tenant]
        if query.tahun:
            where.append(KeberatanRow.tahun == query.tahun)
        if query.status:
            where.append(KeberatanRow.status == query.status)
        if query.term is not None:
            kind, value = query.term
            if kind == "nip":
                # A range of the NIP index in byte order, which is also the list's order.
                where += [nip_key() >= value, nip_key() < next_prefix(value)]
            else:
                where.append(KeberatanRow.pegawai_nama.ilike(f"%{escape_like(value)}%", escape="\\"))
        lingkup = query.lingkup
        ways: list[list[ColumnElement[bool]]] = [[]]
        if lingkup.kind == "SAYA":
            ways = [[KeberatanRow.pegawai_id == lingkup.pegawai_id]]
        elif lingkup.kind != "INSTANSI":
            where.append(KeberatanRow.pegawai_id != lingkup.pegawai_id)
            ways = [
                [KeberatanRow.penilai_pegawai_id == lingkup.pegawai_id],
                [KeberatanRow.atasan_penilai_pegawai_id == lingkup.pegawai_id],
            ]
            if lingkup.bawahan:
                ways.append([among(KeberatanRow.pegawai_id, lingkup.bawahan)])
        key = (nip_key() if query.by_nip else KeberatanRow.pegawai_nama).label("key")
        return [select(key, KeberatanRow.id).where(*where, *way) for way in ways]

    def list_keberatan(
        self, query: KeberatanQuery, after: tuple[str, uuid.UUID] | None, limit: int
    ) -> list[tuple[Keberatan, str]]:
        """A page ordered by (pegawai name, id), or (NIP, id) for a NIP search; each with its key."""
        sort = nip_key() if query.by_nip else KeberatanRow.pegawai_nama
        ways = self._keberatan_ways(query)
        if after is not None:
            ways = [w.where(tuple_(sort, KeberatanRow.id) > tuple_(*after)) for w in ways]
        page = _first(ways, (sort, KeberatanRow.id), limit).subquery()
        found = (
            select(KeberatanRow, SkpProyeksiRow.isi, PeriodeProyeksiRow.nama, page.c.key)
            .join(page, KeberatanRow.id == page.c.id)
            .outerjoin(
                SkpProyeksiRow,
                (SkpProyeksiRow.instansi_id == KeberatanRow.instansi_id)
                & (SkpProyeksiRow.id == KeberatanRow.skp_id),
            )
            .outerjoin(
                PeriodeProyeksiRow,
                (PeriodeProyeksiRow.instansi_id == KeberatanRow.instansi_id)
                & (PeriodeProyeksiRow.id == KeberatanRow.periode_id),
            )
            .where(KeberatanRow.instansi_id == self.tenant)
            .order_by(page.c.key, KeberatanRow.id)
        )
        return [
            (_keberatan(row, isi, periode), key) for row, isi, periode, key in self.session.execute(found)
        ]

    def count_keberatan(self, query: KeberatanQuery) -> tuple[int, bool]:
        return count(self.session, _matches(self._keberatan_ways(query)))


def _keberatan(row: KeberatanRow, isi: dict[str, Any] | None, periode_nama: str | None) -> Keberatan:
    found = rows.keberatan_from_row(
        row, isi if isi is not None else {"pegawai": {"pegawai_id": str(row.pegawai_id)}}
    )
    found.periode_nama = periode_nama or ""
    return found
