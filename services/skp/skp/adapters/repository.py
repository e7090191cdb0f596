"""Queries over the skp tables, and the mapping between rows and domain objects (tenant transaction only)."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import ColumnElement, func, insert, literal, literal_column, select, text, tuple_
from sqlalchemy.orm import Session

from kinerja_kit import paging
from kinerja_kit.paging import bounded_count
from skp.adapters.orm import (
    KinerjaHarianRow,
    MphAnggotaRow,
    MphRow,
    PeriodeRow,
    PerjanjianKinerjaRow,
    SkpRow,
    skp_search,
)
from skp.domain.model import Pejabat, Skp, SkpIsi
from skp.domain.periode import Periode, parse_hari
from skp.domain.values import JenisPeriode, ModelSkp, Pendekatan, StatusSkp


class SkpRepository:
    """The skp tables seen from one tenant transaction (RLS confines them; filters repeat the tenant)."""

    def __init__(self, session: Session, tenant: uuid.UUID | None) -> None:
        self.session = session
        self.tenant = tenant or uuid.UUID(int=0)

    def lock(self, key: str) -> None:
        """Serialises writes on one key of this instansi (periode set, a pegawai's SKPs) for this transaction."""
        self.session.execute(
            text("select pg_advisory_xact_lock(hashtextextended(:key, 0))"),
            {"key": f"skp:{self.tenant}:{key}"},
        )

    def lock_many(self, keys: list[str]) -> None:
        """`lock` on many keys in one statement (sorted by the caller, so two calls cannot deadlock)."""
        if keys:
            self.session.execute(
                text(
                    "select pg_advisory_xact_lock(hashtextextended(k, 0)) from unnest(cast(:keys as text[])) k"
                ),
                {"keys": [f"skp:{self.tenant}:{k}" for k in keys]},
            )

    # ---- periode ----

    def periode_rows(self) -> list[PeriodeRow]:
        query = select(PeriodeRow).where(PeriodeRow.instansi_id == self.tenant)
        return list(
            self.session.scalars(query.order_by(PeriodeRow.jenis, PeriodeRow.mulai, PeriodeRow.selesai))
        )

    def periode_row(self, periode_id: uuid.UUID, *, for_update: bool = False) -> PeriodeRow | None:
        query = select(PeriodeRow).where(PeriodeRow.instansi_id == self.tenant, PeriodeRow.id == periode_id)
        return self.session.scalar(query.with_for_update() if for_update else query)

    def periode_in_use(self, periode_id: uuid.UUID) -> tuple[int, bool]:
        """How many live SKPs hold rencana aksi of this periode, counted up to COUNT_LIMIT (and whether
        that is exact): a quarter of a large instansi is planned in a quarter of a million SKPs."""
        return bounded_count(
            self.session,
            select(SkpRow.id).where(
                SkpRow.instansi_id == self.tenant,
                SkpRow.deleted_at.is_(None),
                _holds({"rhk": [{"rencana_aksi": [{"periode_id": str(periode_id)}]}]}),
            ),
        )

    # ---- perjanjian kinerja ----

    def pk_row(self, pk_id: uuid.UUID, *, for_update: bool = False) -> PerjanjianKinerjaRow | None:
        query = select(PerjanjianKinerjaRow).where(
            PerjanjianKinerjaRow.instansi_id == self.tenant, PerjanjianKinerjaRow.id == pk_id
        )
        return self.session.scalar(query.with_for_update() if for_update else query)

    def pk_rows(self, pegawai_id: uuid.UUID, tahun: int = 0) -> list[PerjanjianKinerjaRow]:
        query = select(PerjanjianKinerjaRow).where(
            PerjanjianKinerjaRow.instansi_id == self.tenant, PerjanjianKinerjaRow.pegawai_id == pegawai_id
        )
        if tahun:
            query = query.where(PerjanjianKinerjaRow.tahun == tahun)
        return list(self.session.scalars(query.order_by(PerjanjianKinerjaRow.tahun.desc())))

    # ---- skp ----

    def _live(self) -> list[ColumnElement[bool]]:
        return [SkpRow.instansi_id == self.tenant, SkpRow.deleted_at.is_(None)]

    def skp_row(self, skp_id: uuid.UUID, *, for_update: bool = False) -> SkpRow | None:
        query = select(SkpRow).where(*self._live(), SkpRow.id == skp_id)
        return self.session.scalar(query.with_for_update() if for_update else query)

    def skp_rows(self, ids: Iterable[uuid.UUID]) -> list[SkpRow]:
        return list(self.session.scalars(select(SkpRow).where(*self._live(), SkpRow.id.in_(list(ids)))))

    def skp_rows_of(self, pegawai_id: uuid.UUID, tahun: int | None = None) -> list[SkpRow]:
        query = select(SkpRow).where(*self._live(), SkpRow.pegawai_id == pegawai_id)
        if tahun is not None:
            query = query.where(SkpRow.tahun == tahun)
        return list(self.session.scalars(query.order_by(SkpRow.tanggal_mulai, SkpRow.id)))

    def skp_rows_of_many(self, pegawai_ids: Iterable[uuid.UUID], years: Iterable[int]) -> list[SkpRow]:
        """The live SKPs of these pegawai in these years."""
        wanted, tahun = list(pegawai_ids), list(years)
        if not wanted or not tahun:
            return []
        query = select(SkpRow).where(*self._live(), SkpRow.pegawai_id.in_(wanted), SkpRow.tahun.in_(tahun))
        return list(self.session.scalars(query.order_by(SkpRow.tanggal_mulai, SkpRow.id)))

    def import_digests(self, ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, str | None]:
        """Which of these SKP ids exist in the instansi (deleted ones too), with the digest of the item
        they were imported from (None: made by CreateSkp)."""
        wanted = list(ids)
        if not wanted:
            return {}
        query = select(SkpRow.id, SkpRow.import_digest).where(
            SkpRow.instansi_id == self.tenant, SkpRow.id.in_(wanted)
        )
        return {row.id: row.import_digest for row in self.session.execute(query)}

    def skp_dates_of(self, pegawai_ids: Iterable[uuid.UUID], years: Iterable[int]) -> list[Any]:
        """(id, pegawai_id, unor_id, tahun, tanggal_mulai, tanggal_selesai) of the live SKPs of these pegawai
        in these years: what the overlap rule reads."""
        wanted, tahun = list(pegawai_ids), list(years)
        if not wanted or not tahun:
            return []
        query = select(
            SkpRow.id,
            SkpRow.pegawai_id,
            SkpRow.unor_id,
            SkpRow.tahun,
            SkpRow.tanggal_mulai,
            SkpRow.tanggal_selesai,
        ).where(*self._live(), SkpRow.pegawai_id.in_(wanted), SkpRow.tahun.in_(tahun))
        return list(self.session.execute(query))

    def skp_ids_holding_rhk(self, rhk_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, uuid.UUID]:
        """rhk id -> the SKP (live or deleted) holding it, for these RHK ids: a jsonpath test per 50 ids,
        served by the GIN index on the content (one index scan each; a longer path makes the planner
        read the table instead)."""
        wanted = [str(uuid.UUID(str(i))) for i in dict.fromkeys(rhk_ids)]  # nothing but uuids in the path
        found: dict[uuid.UUID, uuid.UUID] = {}
        for start in range(0, len(wanted), 50):
            chunk = wanted[start : start + 50]
            # a literal (of uuids only) lets the planner see the ids it looks up in the index
            path = "$.rhk[*] ? (" + " || ".join(f'@.id == "{i}"' for i in chunk) + ")"
            query = select(SkpRow.id, SkpRow.isi["rhk"]).where(
                SkpRow.instansi_id == self.tenant, SkpRow.isi.op("@?")(literal_column(f"'{path}'::jsonpath"))
            )
            chosen = set(chunk)
            for skp_id, rhks in self.session.execute(query):
                for rhk in rhks or []:
                    if rhk.get("id") in chosen:
                        found[uuid.UUID(rhk["id"])] = skp_id
        return found

    def insert_skp_rows(self, rows: list[dict[str, Any]]) -> None:
        """New SKP rows in one multi-row insert (values from `row_values`)."""
        if rows:
            self.session.execute(insert(SkpRow), rows)

    @staticmethod
    def row_values(skp: Skp, stamp: datetime, import_digest: str | None = None) -> dict[str, Any]:
        """The column values of a new row for `skp` (for `insert_skp_rows`)."""
        return {
            **_columns(skp),
            "instansi_id": skp.instansi_id,
            "id": skp.id,
            "pegawai_id": skp.pegawai_id,
            "version": skp.version,
            "created_at": stamp,
            "updated_at": stamp,
            "import_digest": import_digest,
        }

    def skp_holding_rhk(self, rhk_id: uuid.UUID) -> SkpRow | None:
        """The live SKP of this instansi that has an RHK with this id (any owner, any year)."""
        return self.session.scalar(
            select(SkpRow)
            .where(
                *self._live(),
                _holds({"rhk": [{"id": str(rhk_id)}]}),
            )
            .limit(1)
        )

    def intervening(self, skp_id: uuid.UUID, rhk_id: uuid.UUID | None = None) -> list[SkpRow]:
        """Live SKPs with an RHK intervening an RHK of SKP `skp_id` (that RHK only, when given)."""
        if rhk_id is None:
            condition = _holds({"rhk": [{"atasan_skp_id": str(skp_id)}]})
        else:
            condition = _holds({"rhk": [{"atasan_rhk_id": str(rhk_id)}]})
        return list(self.session.scalars(select(SkpRow).where(*self._live(), SkpRow.id != skp_id, condition)))

    def list_skp(
        self,
        conditions: list[ColumnElement[bool]],
        after: tuple[str, uuid.UUID] | None,
        limit: int,
        *,
        by_nip: bool = False,
    ) -> tuple[list[SkpRow], int, bool]:
        """One page of the view skp_search (conditions on its columns) ordered by (pegawai nama, id), or by
        (NIP in byte order, id) for a NIP search, after the keyset `after`, and the count of matches up to
        COUNT_LIMIT with whether it is exact: each served by an index in that order, so a page costs the
        same in any instansi. The page is found on the view's indexes, then its rows read by key."""
        view = skp_search.c
        base = [view.instansi_id == self.tenant, *conditions]
        total, exact = bounded_count(self.session, select(view.id).where(*base))
        key = view.nip if by_nip else view.pegawai_nama
        page = select(view.id).where(*base)
        if after is not None:
            page = page.where(tuple_(key, view.id) > tuple_(after[0], after[1]))
        ids = list(self.session.scalars(page.order_by(key, view.id).limit(limit)))
        rows = {r.id: r for r in self.skp_rows(ids)} if ids else {}
        return [rows[i] for i in ids if i in rows], total, exact

    # ---- matriks peran hasil ----

    def mph_row(self, skp_id: uuid.UUID, rhk_id: uuid.UUID, *, for_update: bool = False) -> MphRow | None:
        query = select(MphRow).where(
            MphRow.instansi_id == self.tenant, MphRow.skp_id == skp_id, MphRow.rhk_id == rhk_id
        )
        return self.session.scalar(query.with_for_update() if for_update else query)

    def mph_by_id(self, mph_id: uuid.UUID) -> MphRow | None:
        query = select(MphRow).where(
            MphRow.instansi_id == self.tenant, MphRow.id == mph_id, self._mph_of_live_skp()
        )
        return self.session.scalar(query)

    def _mph_of_live_skp(self) -> ColumnElement[bool]:
        """The matriks of a deleted SKP are kept for history but no longer offered."""
        live = select(SkpRow.id).where(*self._live(), SkpRow.id == MphRow.skp_id)
        return live.exists()

    def mph_page(
        self, unor_id: uuid.UUID | None, tahun: int, after: tuple[int, uuid.UUID] | None, limit: int
    ) -> tuple[list[MphRow], int, bool]:
        """One page of the matriks of live SKPs ordered by (tahun, id) descending, walked backwards on
        `mph_by_tahun` (instansi_id, tahun, id) or, for a unit, `mph_by_unor_tahun` (instansi_id, unor_id,
        tahun, id), with the keyset `(tahun, id) < after`; and their count up to COUNT_LIMIT with whether
        it is exact."""
        base = [MphRow.instansi_id == self.tenant, self._mph_of_live_skp()]
        if unor_id is not None:
            base.append(MphRow.unor_id == unor_id)
        if tahun:
            base.append(MphRow.tahun == tahun)
        total, exact = bounded_count(self.session, select(MphRow.id).where(*base), paging.COUNT_LIMIT)
        page = select(MphRow).where(*base)
        if after is not None:
            page = page.where(tuple_(MphRow.tahun, MphRow.id) < tuple_(literal(after[0]), literal(after[1])))
        rows = self.session.scalars(page.order_by(MphRow.tahun.desc(), MphRow.id.desc()).limit(limit))
        return list(rows), total, exact

    def mph_rows_of_skp(self, skp_id: uuid.UUID, rhk_id: uuid.UUID | None = None) -> list[MphRow]:
        query = select(MphRow).where(MphRow.instansi_id == self.tenant, MphRow.skp_id == skp_id)
        if rhk_id is not None:
            query = query.where(MphRow.rhk_id == rhk_id)
        return list(self.session.scalars(query.with_for_update()))

    def anggota_rows(self, mph_ids: Iterable[uuid.UUID]) -> list[MphAnggotaRow]:
        wanted = list(mph_ids)
        if not wanted:
            return []
        query = select(MphAnggotaRow).where(
            MphAnggotaRow.instansi_id == self.tenant, MphAnggotaRow.mph_id.in_(wanted)
        )
        return list(self.session.scalars(query.order_by(MphAnggotaRow.created_at, MphAnggotaRow.id)))

    def peran_of(self, pegawai_id: uuid.UUID, tahun: int) -> list[tuple[MphAnggotaRow, MphRow]]:
        query = (
            select(MphAnggotaRow, MphRow)
            .join(
                MphRow,
                (MphRow.instansi_id == MphAnggotaRow.instansi_id) & (MphRow.id == MphAnggotaRow.mph_id),
            )
            .where(
                MphAnggotaRow.instansi_id == self.tenant,
                MphAnggotaRow.pegawai_id == pegawai_id,
                self._mph_of_live_skp(),
            )
        )
        if tahun:
            query = query.where(MphRow.tahun == tahun)
        rows = self.session.execute(query.order_by(MphRow.tahun.desc(), MphRow.created_at, MphAnggotaRow.id))
        return [(a, m) for a, m in rows]

    # ---- kinerja harian ----

    def harian_row(self, harian_id: uuid.UUID, *, for_update: bool = False) -> KinerjaHarianRow | None:
        query = select(KinerjaHarianRow).where(
            KinerjaHarianRow.instansi_id == self.tenant, KinerjaHarianRow.id == harian_id
        )
        return self.session.scalar(query.with_for_update() if for_update else query)

    def harian_rows(self, skp_id: uuid.UUID, bulan: int = 0) -> list[KinerjaHarianRow]:
        query = select(KinerjaHarianRow).where(
            KinerjaHarianRow.instansi_id == self.tenant, KinerjaHarianRow.skp_id == skp_id
        )
        if bulan:
            query = query.where(func.extract("month", KinerjaHarianRow.tanggal) == bulan)
        return list(self.session.scalars(query.order_by(KinerjaHarianRow.tanggal, KinerjaHarianRow.id)))


def prefix_end(prefix: str) -> str:
    """The first text after every text starting with `prefix` in byte order (`prefix` ASCII, non-empty):
    `x >= prefix and x < prefix_end(prefix)` is the prefix as a range."""
    return prefix[:-1] + chr(ord(prefix[-1]) + 1)


def _holds(fragment: dict[str, Any]) -> ColumnElement[bool]:
    """The SKP's content contains `fragment` (JSONB @>, served by the GIN index on the content)."""
    return SkpRow.isi.contains(fragment)


# ---- rows <-> domain ----


def periode_from_row(row: PeriodeRow) -> Periode:
    mulai, selesai, batas = parse_hari(row.mulai), parse_hari(row.selesai), parse_hari(row.batas_pengisian)
    assert mulai and selesai and batas
    return Periode(
        row.id, row.instansi_id, row.nama, mulai, selesai, batas, JenisPeriode[row.jenis], row.version
    )


def _pejabat(data: dict[str, Any] | None) -> Pejabat | None:
    return Pejabat.model_validate(data) if data else None


def _dump(pejabat: Pejabat | None) -> dict[str, Any] | None:
    return pejabat.model_dump(mode="json") if pejabat else None


def skp_from_row(row: SkpRow) -> Skp:
    pegawai = _pejabat(row.pegawai)
    assert pegawai is not None
    return Skp(
        id=row.id,
        instansi_id=row.instansi_id,
        pegawai_id=row.pegawai_id,
        unor_id=row.unor_id,
        plt_id=row.plt_id,
        tahun=row.tahun,
        tanggal_mulai=row.tanggal_mulai,
        tanggal_selesai=row.tanggal_selesai,
        pendekatan=Pendekatan[row.pendekatan],
        model=ModelSkp[row.model],
        status=StatusSkp[row.status],
        mandiri=row.mandiri,
        pegawai=pegawai,
        penilai=_pejabat(row.penilai),
        penilai_unor_id=row.penilai_unor_id,
        atasan_penilai=_pejabat(row.atasan_penilai),
        isi=SkpIsi.model_validate(row.isi),
        alasan_dikembalikan=row.alasan_dikembalikan,
        diajukan_at=row.diajukan_at,
        disetujui_at=row.disetujui_at,
        dikembalikan_at=row.dikembalikan_at,
        created_at=row.created_at,
        updated_at=row.updated_at,
        version=row.version,
    )


def _columns(skp: Skp) -> dict[str, Any]:
    """The row's columns that follow the aggregate (not id, owner, tenant or version)."""
    return {
        "unor_id": skp.unor_id,
        "plt_id": skp.plt_id,
        "tahun": skp.tahun,
        "tanggal_mulai": skp.tanggal_mulai,
        "tanggal_selesai": skp.tanggal_selesai,
        "pendekatan": skp.pendekatan.name,
        "model": skp.model.name,
        "status": skp.status.name,
        "mandiri": skp.mandiri,
        "pegawai_nip": skp.pegawai.nip,
        "pegawai_nama": skp.pegawai.nama,
        "pegawai": _dump(skp.pegawai),
        "penilai": _dump(skp.penilai),
        "penilai_pegawai_id": skp.penilai.pegawai_id if skp.penilai else None,
        "penilai_unor_id": skp.penilai_unor_id,
        "atasan_penilai": _dump(skp.atasan_penilai),
        "isi": skp.isi.model_dump(mode="json"),
        "alasan_dikembalikan": skp.alasan_dikembalikan,
        "diajukan_at": skp.diajukan_at,
        "disetujui_at": skp.disetujui_at,
        "dikembalikan_at": skp.dikembalikan_at,
    }


def write_skp(row: SkpRow, skp: Skp) -> None:
    """Copies the aggregate onto its row (not id, owner, tenant or version: the handler bumps that)."""
    for name, value in _columns(skp).items():
        setattr(row, name, value)


def new_skp_row(skp: Skp) -> SkpRow:
    row = SkpRow(instansi_id=skp.instansi_id, id=skp.id, pegawai_id=skp.pegawai_id, version=skp.version)
    write_skp(row, skp)
    return row


def now() -> datetime:
    return datetime.now(UTC)
