"""Queries over the org tables, returning domain objects; always called inside a tenant transaction."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, any_, bindparam, func, literal, or_, select, text, tuple_
from sqlalchemy.dialects.postgresql import ARRAY, UUID
from sqlalchemy.orm import Session, aliased
from sqlalchemy.types import Text

from kinerja_kit import paging
from kinerja_kit.paging import escape_like
from org.adapters.orm import InstansiRow, PegawaiRow, PltRow, ProfileRelationsRow, UnorRow, pegawai_search
from org.domain.instansi import Instansi
from org.domain.pegawai import Jabatan, Pegawai
from org.domain.plt import Plt
from org.domain.relations import Person, ProfileOverrides
from org.domain.unor import Unor, UnorTree
from org.domain.values import JenisJabatan, JenisPlt, JenisUnor


def among(column: ColumnElement[uuid.UUID] | object, ids: Iterable[uuid.UUID]) -> ColumnElement[bool]:
    """`column = ANY(:ids)` with the ids as one array parameter (not one parameter per id)."""
    return column == any_(bindparam(None, list(ids), type_=ARRAY(UUID(as_uuid=True))))  # type: ignore[no-any-return]


# Aliases of the recursive and joined queries, made once (building one per query costs more than the query).
_CHILD = aliased(UnorRow, name="child")
_PARENT = aliased(UnorRow, name="parent_unor")
_HEAD = aliased(PegawaiRow, name="head")


class OrgRepository:
    """The org tables seen from one tenant transaction (RLS confines them; filters repeat the tenant)."""

    def __init__(self, session: Session, tenant: uuid.UUID | None) -> None:
        self.session = session
        self.tenant = tenant or uuid.UUID(int=0)

    # ---- locking and instansi ----

    def lock_instansi(self) -> None:
        """Serialises the writes of one instansi (tree shape, pimpinan, PLT overlaps) for this transaction."""
        self.session.execute(
            text("select pg_advisory_xact_lock(hashtextextended(:key, 0))"), {"key": f"org:{self.tenant}"}
        )

    def instansi(self, instansi_id: uuid.UUID) -> Instansi | None:
        row = self.session.get(InstansiRow, instansi_id)
        return _instansi(row) if row else None

    def all_instansi(self) -> list[Instansi]:
        rows = self.session.scalars(select(InstansiRow).order_by(InstansiRow.nama, InstansiRow.id))
        return [_instansi(r) for r in rows]

    def instansi_kode_taken(self, kode: str) -> bool:
        return self.session.scalar(select(InstansiRow.id).where(InstansiRow.kode == kode)) is not None

    def add_instansi(self, row: InstansiRow) -> Instansi:
        self.session.add(row)
        self.session.flush()
        return _instansi(row)

    # ---- unor ----

    def tree(self) -> UnorTree:
        rows = self.session.execute(
            select(UnorRow.id, UnorRow.parent_id).where(
                UnorRow.instansi_id == self.tenant, UnorRow.deleted_at.is_(None)
            )
        )
        return UnorTree({r.id: r.parent_id for r in rows})

    def subtree(self, root: uuid.UUID, depth: int = 0) -> dict[uuid.UUID, int]:
        """`root` and the live unor below it (`depth` levels, 0: all), each with its level below the root;
        empty when `root` is not a live unor of the instansi. One recursive query down `unor_by_parent`."""
        return self._descend(UnorRow.id == root, 0, depth)

    def roots_down(self, depth: int) -> dict[uuid.UUID, int]:
        """The roots (level 1) and the live unor below them down to level `depth` (>= 1)."""
        return self._descend(UnorRow.parent_id.is_(None), 1, depth)

    def _descend(self, start: ColumnElement[bool], first: int, depth: int) -> dict[uuid.UUID, int]:
        top = select(UnorRow.id, literal(first).label("level")).where(
            UnorRow.instansi_id == self.tenant, UnorRow.deleted_at.is_(None), start
        )
        sub = top.cte("sub", recursive=True)
        child = _CHILD
        step = select(child.id, (sub.c.level + 1).label("level")).where(
            child.instansi_id == self.tenant, child.deleted_at.is_(None), child.parent_id == sub.c.id
        )
        if depth:
            step = step.where(sub.c.level < depth)
        walked = sub.union_all(step)
        return {r.id: r.level for r in self.session.execute(select(walked.c.id, walked.c.level))}

    def children_page(
        self, parent_id: uuid.UUID | None, after: tuple[str, uuid.UUID] | None, limit: int
    ) -> tuple[list[UnorRow], tuple[int, bool]]:
        """One page of the live children of `parent_id` (None: the roots) ordered by (nama, id) on
        `unor_children_by_nama`, and their (count, exact) counted up to the kit's COUNT_LIMIT."""
        parent = UnorRow.parent_id.is_(None) if parent_id is None else UnorRow.parent_id == parent_id
        base = [UnorRow.instansi_id == self.tenant, UnorRow.deleted_at.is_(None), parent]
        total = paging.bounded_count(self.session, select(UnorRow.id).where(*base), paging.COUNT_LIMIT)
        page = select(UnorRow).where(*base)
        if after is not None:
            page = page.where(tuple_(UnorRow.nama, UnorRow.id) > tuple_(literal(after[0]), literal(after[1])))
        rows = list(self.session.scalars(page.order_by(UnorRow.nama, UnorRow.id).limit(limit)))
        return rows, total

    def unor_row(self, unor_id: uuid.UUID, *, for_update: bool = False) -> UnorRow | None:
        query = select(UnorRow).where(
            UnorRow.instansi_id == self.tenant, UnorRow.id == unor_id, UnorRow.deleted_at.is_(None)
        )
        if for_update:
            query = query.with_for_update()
        return self.session.scalar(query)

    def unor_rows(self, ids: Iterable[uuid.UUID] | None = None, query: str = "") -> list[UnorRow]:
        stmt = select(UnorRow).where(UnorRow.instansi_id == self.tenant, UnorRow.deleted_at.is_(None))
        if ids is not None:
            stmt = stmt.where(among(UnorRow.id, ids))
        if query:
            stmt = stmt.where(UnorRow.nama.ilike(f"%{escape_like(query)}%", escape="\\"))
        return list(self.session.scalars(stmt))

    def unor_rows_ids(self, ids: Iterable[uuid.UUID]) -> list[uuid.UUID]:
        """The live unor of the instansi among `ids`."""
        wanted = list(set(ids))
        if not wanted:
            return []
        return list(
            self.session.scalars(
                select(UnorRow.id).where(
                    UnorRow.instansi_id == self.tenant,
                    UnorRow.deleted_at.is_(None),
                    among(UnorRow.id, wanted),
                )
            )
        )

    def unor_with_counts(self, rows: Sequence[UnorRow], *, whole_instansi: bool = False) -> list[Unor]:
        """Domain unor with jumlah_pegawai (active, directly in it) and jumlah_sub_unor (direct children)."""
        if not rows:
            return []
        ids = [r.id for r in rows]
        pegawai = select(PegawaiRow.unor_id, func.count()).where(
            PegawaiRow.instansi_id == self.tenant, PegawaiRow.active
        )
        children = select(UnorRow.parent_id, func.count()).where(
            UnorRow.instansi_id == self.tenant, UnorRow.deleted_at.is_(None), UnorRow.parent_id.is_not(None)
        )
        if not whole_instansi:
            pegawai = pegawai.where(among(PegawaiRow.unor_id, ids))
            children = children.where(among(UnorRow.parent_id, ids))
        counts_pegawai = {k: int(n) for k, n in self.session.execute(pegawai.group_by(PegawaiRow.unor_id))}
        counts_children = {k: int(n) for k, n in self.session.execute(children.group_by(UnorRow.parent_id))}
        return [unor_from_row(r, counts_pegawai.get(r.id, 0), counts_children.get(r.id, 0)) for r in rows]

    def unor_holds(self, unor_id: uuid.UUID, today: date) -> dict[str, int]:
        """What keeps a unor from being deleted: active pegawai, child unor, units naming it induk, PLT."""
        pegawai = self.session.scalar(
            select(func.count()).where(
                PegawaiRow.instansi_id == self.tenant, PegawaiRow.unor_id == unor_id, PegawaiRow.active
            )
        )
        live = (UnorRow.instansi_id == self.tenant, UnorRow.deleted_at.is_(None))
        children = self.session.scalar(select(func.count()).where(*live, UnorRow.parent_id == unor_id))
        induk_of = self.session.scalar(
            select(func.count()).where(*live, UnorRow.induk_id == unor_id, UnorRow.id != unor_id)
        )
        plt = self.session.scalar(
            select(func.count()).where(
                PltRow.instansi_id == self.tenant,
                PltRow.unor_id == unor_id,
                PltRow.aktif,
                PltRow.tanggal_selesai >= today,
            )
        )
        return {"pegawai": pegawai or 0, "children": children or 0, "induk": induk_of or 0, "plt": plt or 0}

    # ---- pegawai ----

    def pegawai_row(
        self, pegawai_id: uuid.UUID, *, for_update: bool = False, active_only: bool = False
    ) -> PegawaiRow | None:
        query = select(PegawaiRow).where(PegawaiRow.instansi_id == self.tenant, PegawaiRow.id == pegawai_id)
        if active_only:
            query = query.where(PegawaiRow.active)
        if for_update:
            query = query.with_for_update()
        return self.session.scalar(query)

    def pegawai_rows(self, ids: Iterable[uuid.UUID]) -> list[PegawaiRow]:
        return list(
            self.session.scalars(
                select(PegawaiRow).where(PegawaiRow.instansi_id == self.tenant, among(PegawaiRow.id, ids))
            )
        )

    def pegawai_by_nip(self, nip: str) -> PegawaiRow | None:
        return self.session.scalar(
            select(PegawaiRow).where(
                PegawaiRow.instansi_id == self.tenant, PegawaiRow.nip == nip, PegawaiRow.active
            )
        )

    def pegawai_by_nik(self, nik: str) -> PegawaiRow | None:
        return self.session.scalar(
            select(PegawaiRow).where(
                PegawaiRow.instansi_id == self.tenant, PegawaiRow.nik == nik, PegawaiRow.active
            )
        )

    def pimpinan_of(self, unor_id: uuid.UUID) -> PegawaiRow | None:
        return self.session.scalar(
            select(PegawaiRow).where(
                PegawaiRow.instansi_id == self.tenant,
                PegawaiRow.unor_id == unor_id,
                PegawaiRow.pimpinan,
                PegawaiRow.active,
            )
        )

    def active_nip_holders(self, nips: Iterable[str]) -> dict[str, uuid.UUID]:
        """NIP -> the active pegawai of the instansi holding it, among `nips`."""
        wanted = list(set(nips))
        if not wanted:
            return {}
        rows = self.session.execute(
            select(PegawaiRow.nip, PegawaiRow.id).where(
                PegawaiRow.instansi_id == self.tenant,
                PegawaiRow.active,
                PegawaiRow.nip == any_(bindparam(None, wanted, type_=ARRAY(Text))),
            )
        )
        return {r.nip: r.id for r in rows}

    def active_heads_of(self, units: Iterable[uuid.UUID]) -> dict[uuid.UUID, uuid.UUID]:
        """unor -> its active pimpinan, among `units`."""
        wanted = list(set(units))
        if not wanted:
            return {}
        rows = self.session.execute(
            select(PegawaiRow.unor_id, PegawaiRow.id).where(
                PegawaiRow.instansi_id == self.tenant,
                PegawaiRow.active,
                PegawaiRow.pimpinan,
                among(PegawaiRow.unor_id, wanted),
            )
        )
        return {r.unor_id: r.id for r in rows}

    def active_ids(self, ids: Iterable[uuid.UUID]) -> set[uuid.UUID]:
        wanted = list(set(ids))
        if not wanted:
            return set()
        rows = self.session.scalars(
            select(PegawaiRow.id).where(
                PegawaiRow.instansi_id == self.tenant, PegawaiRow.active, PegawaiRow.id.in_(wanted)
            )
        )
        return set(rows)

    def search(
        self,
        conditions: list[ColumnElement[bool]],
        order: tuple[Any, Any],
        after: tuple[str, uuid.UUID] | None,
        limit: int,
    ) -> tuple[list[PegawaiRow], tuple[int, bool]]:
        """One page of the view `pegawai_search` (conditions on its columns) ordered by `order` ((nama, id)
        or (nomor, id)) after the keyset `after`, and the (count, exact) of the filter counted up to the
        kit's COUNT_LIMIT. The page is found on the view's indexes, then its rows read by primary key."""
        view = pegawai_search
        base = [view.c.instansi_id == self.tenant, *conditions]
        total = paging.bounded_count(self.session, select(view.c.id).where(*base), paging.COUNT_LIMIT)
        page = select(view.c.id).where(*base)
        if after is not None:
            page = page.where(tuple_(*order) > tuple_(literal(after[0]), literal(after[1])))
        ids = list(self.session.scalars(page.order_by(*order).limit(limit)))
        rows = {r.id: r for r in self.pegawai_rows(ids)} if ids else {}
        return [rows[i] for i in ids if i in rows], total

    # ---- PLT/PLH ----

    def plt_row(self, plt_id: uuid.UUID, *, for_update: bool = False) -> PltRow | None:
        query = select(PltRow).where(PltRow.instansi_id == self.tenant, PltRow.id == plt_id)
        if for_update:
            query = query.with_for_update()
        return self.session.scalar(query)

    def plt_of_unor(self, unor_id: uuid.UUID) -> list[Plt]:
        rows = self.session.scalars(
            select(PltRow).where(PltRow.instansi_id == self.tenant, PltRow.unor_id == unor_id)
        )
        return [plt_from_row(r) for r in rows]

    def plt_page(
        self,
        pegawai_id: uuid.UUID | None,
        unor_id: uuid.UUID | None,
        active_on: date | None,
        after: tuple[date, uuid.UUID] | None,
        limit: int,
    ) -> tuple[list[Plt], tuple[int, bool]]:
        """One page of PLT/PLH ordered by (tanggal_mulai, id) descending, and their (count, exact) counted
        up to the kit's COUNT_LIMIT. A pegawai's or a unit's are found on `plt_by_pegawai` /
        `plt_by_unor` (bounded by that pegawai or unit); the instansi's are walked backwards on
        `plt_by_mulai`, those in force today from `plt_not_ended` (bounded by the assignments not yet
        ended, at most a few per unit: switched-on ones of a unit never overlap)."""
        base: list[ColumnElement[bool]] = [PltRow.instansi_id == self.tenant]
        if pegawai_id is not None:
            base.append(PltRow.pegawai_id == pegawai_id)
        if unor_id is not None:
            base.append(PltRow.unor_id == unor_id)
        if active_on is not None:
            base += [
                PltRow.aktif.expression,
                PltRow.tanggal_mulai <= active_on,
                PltRow.tanggal_selesai >= active_on,
            ]
        total = paging.bounded_count(self.session, select(PltRow.id).where(*base), paging.COUNT_LIMIT)
        page = select(PltRow).where(*base)
        if after is not None:
            page = page.where(
                tuple_(PltRow.tanggal_mulai, PltRow.id) < tuple_(literal(after[0]), literal(after[1]))
            )
        rows = self.session.scalars(page.order_by(PltRow.tanggal_mulai.desc(), PltRow.id.desc()).limit(limit))
        return [plt_from_row(r) for r in rows], total

    # ---- relations (each read bounded by the ids or units asked, never the whole instansi) ----

    def heads(self) -> tuple[dict[uuid.UUID, uuid.UUID], list[Person]]:
        """Definitive heads of the whole instansi: unor -> pegawai, and those pegawai."""
        rows = self.session.execute(
            select(PegawaiRow.id, PegawaiRow.unor_id, PegawaiRow.nama).where(
                PegawaiRow.instansi_id == self.tenant, PegawaiRow.active, PegawaiRow.pimpinan
            )
        ).all()
        return {r.unor_id: r.id for r in rows}, [Person(r.id, r.unor_id, r.nama) for r in rows]

    def unit_chains(self, units: Iterable[uuid.UUID]) -> list[UnitRow]:
        """The live unor among `units` and all their ancestors (one recursive query up `unor_pkey`), each
        with its definitive head (the active pimpinan, on `pegawai_one_pimpinan`)."""
        start = list(set(units))
        if not start:
            return []
        live = (UnorRow.instansi_id == self.tenant, UnorRow.deleted_at.is_(None))
        up = select(UnorRow.id, UnorRow.parent_id).where(*live, among(UnorRow.id, start))
        chain = up.cte("chain", recursive=True)
        parent = _PARENT
        chain = chain.union(
            select(parent.id, parent.parent_id).where(
                parent.instansi_id == self.tenant, parent.deleted_at.is_(None), parent.id == chain.c.parent_id
            )
        )
        return self._with_heads(select(chain.c.id, chain.c.parent_id))

    def unit_children(self, units: Iterable[uuid.UUID]) -> list[UnitRow]:
        """The live children of `units` (on `unor_by_parent`), each with its definitive head."""
        parents = list(set(units))
        if not parents:
            return []
        query = select(UnorRow.id, UnorRow.parent_id).where(
            UnorRow.instansi_id == self.tenant,
            UnorRow.deleted_at.is_(None),
            among(UnorRow.parent_id, parents),
        )
        return self._with_heads(query)

    def _with_heads(self, units: Any) -> list[UnitRow]:
        sub = units.subquery()
        head = _HEAD
        rows = self.session.execute(
            select(
                sub.c.id, sub.c.parent_id, head.id.label("head_id"), head.nama.label("head_nama")
            ).outerjoin(
                head,
                (head.instansi_id == self.tenant) & (head.unor_id == sub.c.id) & head.pimpinan & head.active,
            )
        ).all()
        return [
            UnitRow(r.id, r.parent_id, Person(r.head_id, r.id, r.head_nama) if r.head_id else None)
            for r in rows
        ]

    def acting_heads(
        self, as_of: date, units: Iterable[uuid.UUID] | None = None
    ) -> tuple[dict[uuid.UUID, list[uuid.UUID]], list[Person]]:
        """PLT/PLH in force on `as_of` (of active pegawai) of `units` (None: every unit): unor -> pegawai
        (latest start first), and those pegawai (at their own unit)."""
        query = (
            select(PltRow.unor_id, PegawaiRow.id, PegawaiRow.unor_id.label("home"), PegawaiRow.nama)
            .join(
                PegawaiRow,
                (PegawaiRow.instansi_id == PltRow.instansi_id) & (PegawaiRow.id == PltRow.pegawai_id),
            )
            .where(
                PltRow.instansi_id == self.tenant,
                PltRow.aktif,
                PltRow.tanggal_mulai <= as_of,
                PltRow.tanggal_selesai >= as_of,
                PegawaiRow.active,
            )
            .order_by(PltRow.tanggal_mulai.desc(), PltRow.id)
        )
        if units is not None:
            wanted = list(set(units))
            if not wanted:
                return {}, []
            query = query.where(among(PltRow.unor_id, wanted))
        acting: dict[uuid.UUID, list[uuid.UUID]] = {}
        people: list[Person] = []
        for r in self.session.execute(query).all():
            acting.setdefault(r.unor_id, []).append(r.id)
            people.append(Person(r.id, r.home, r.nama))
        return acting, people

    def acting_units(self, as_of: date, pegawai_ids: Iterable[uuid.UUID]) -> set[uuid.UUID]:
        """The unor these pegawai act for (PLT/PLH switched on and in force on `as_of`)."""
        wanted = list(set(pegawai_ids))
        if not wanted:
            return set()
        rows = self.session.scalars(
            select(PltRow.unor_id).where(
                PltRow.instansi_id == self.tenant,
                among(PltRow.pegawai_id, wanted),
                PltRow.aktif,
                PltRow.tanggal_mulai <= as_of,
                PltRow.tanggal_selesai >= as_of,
            )
        )
        return set(rows)

    def all_overrides(self) -> dict[uuid.UUID, ProfileOverrides]:
        rows = self.session.scalars(
            select(ProfileRelationsRow).where(ProfileRelationsRow.instansi_id == self.tenant)
        )
        return {r.pegawai_id: overrides_from_row(r) for r in rows}

    def overrides_of(self, pegawai_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, ProfileOverrides]:
        """The stored overrides of these pegawai (primary key)."""
        wanted = list(set(pegawai_ids))
        if not wanted:
            return {}
        rows = self.session.scalars(
            select(ProfileRelationsRow).where(
                ProfileRelationsRow.instansi_id == self.tenant, among(ProfileRelationsRow.pegawai_id, wanted)
            )
        )
        return {r.pegawai_id: overrides_from_row(r) for r in rows}

    def overrides_naming(self, atasan_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, ProfileOverrides]:
        """The overrides whose atasan langsung is one of `atasan_ids` (on `profile_relations_by_atasan`)."""
        wanted = list(set(atasan_ids))
        if not wanted:
            return {}
        rows = self.session.scalars(
            select(ProfileRelationsRow).where(
                ProfileRelationsRow.instansi_id == self.tenant,
                among(ProfileRelationsRow.atasan_langsung_id, wanted),
            )
        )
        return {r.pegawai_id: overrides_from_row(r) for r in rows}

    def overrides_row(self, pegawai_id: uuid.UUID) -> ProfileRelationsRow | None:
        return self.session.get(ProfileRelationsRow, (self.tenant, pegawai_id))

    def people(self, ids: Iterable[uuid.UUID] = (), units: Iterable[uuid.UUID] = ()) -> list[Person]:
        """Active pegawai by id or by unor (on `pegawai_by_unor`), as Persons."""
        id_list, unit_list = list(set(ids)), list(set(units))
        if not id_list and not unit_list:
            return []
        conditions = []
        if id_list:
            conditions.append(among(PegawaiRow.id, id_list))
        if unit_list:
            conditions.append(among(PegawaiRow.unor_id, unit_list))
        rows = self.session.execute(
            select(PegawaiRow.id, PegawaiRow.unor_id, PegawaiRow.nama).where(
                PegawaiRow.instansi_id == self.tenant, PegawaiRow.active, or_(*conditions)
            )
        ).all()
        return [Person(r.id, r.unor_id, r.nama) for r in rows]

    def page_of(
        self, ids: Iterable[uuid.UUID], after: tuple[str, uuid.UUID] | None, limit: int
    ) -> list[PegawaiRow]:
        """Active pegawai among `ids` ordered by (nama, id) after the keyset `after`, at most `limit`."""
        wanted = list(set(ids))
        if not wanted:
            return []
        query = select(PegawaiRow).where(
            PegawaiRow.instansi_id == self.tenant, PegawaiRow.active, among(PegawaiRow.id, wanted)
        )
        if after is not None:
            query = query.where(
                tuple_(PegawaiRow.nama, PegawaiRow.id) > tuple_(literal(after[0]), literal(after[1]))
            )
        return list(self.session.scalars(query.order_by(PegawaiRow.nama, PegawaiRow.id).limit(limit)))


@dataclass(frozen=True)
class UnitRow:
    """A unor as relations need it: its parent and its definitive head (None when it has none)."""

    id: uuid.UUID
    parent_id: uuid.UUID | None
    head: Person | None


def _instansi(row: InstansiRow) -> Instansi:
    return Instansi(id=row.id, kode=row.kode, nama=row.nama, jenis=row.jenis, created_at=row.created_at)


def unor_from_row(row: UnorRow, jumlah_pegawai: int = 0, jumlah_sub_unor: int = 0) -> Unor:
    return Unor(
        id=row.id,
        instansi_id=row.instansi_id,
        nama=row.nama,
        jenis=JenisUnor[row.jenis],
        eselon=row.eselon,
        parent_id=row.parent_id,
        induk_id=row.induk_id,
        mandiri=row.mandiri,
        kota=row.kota,
        version=row.version,
        jumlah_pegawai=jumlah_pegawai,
        jumlah_sub_unor=jumlah_sub_unor,
    )


def pegawai_from_row(row: PegawaiRow) -> Pegawai:
    return Pegawai(
        id=row.id,
        instansi_id=row.instansi_id,
        nip=row.nip or "",
        nik=row.nik or "",
        nama=row.nama,
        unor_id=row.unor_id,
        pimpinan=row.pimpinan,
        jabatan=Jabatan(row.jabatan_nama, JenisJabatan[row.jabatan_jenis], row.jabatan_jenjang),
        golongan=row.golongan,
        pangkat=row.pangkat,
        tmt_jabatan=row.tmt_jabatan,
        non_asn=row.non_asn,
        active=row.active,
        version=row.version,
    )


def plt_from_row(row: PltRow) -> Plt:
    return Plt(
        id=row.id,
        instansi_id=row.instansi_id,
        pegawai_id=row.pegawai_id,
        unor_id=row.unor_id,
        jabatan=row.jabatan,
        jenis=JenisPlt[row.jenis],
        tanggal_mulai=row.tanggal_mulai,
        tanggal_selesai=row.tanggal_selesai,
        aktif=row.aktif,
        version=row.version,
    )


def overrides_from_row(row: ProfileRelationsRow) -> ProfileOverrides:
    return ProfileOverrides(
        atasan_langsung_id=row.atasan_langsung_id,
        atasan_ii_id=row.atasan_ii_id,
        atasan_iii_id=row.atasan_iii_id,
        rekan_kerja_ids=tuple(row.rekan_kerja_ids or ()),
        bawahan_ids=tuple(row.bawahan_ids or ()),
    )
