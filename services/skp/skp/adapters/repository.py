"""Queries over the skp tables, and the mapping between rows and domain objects (tenant transaction only)."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import ColumnElement, func, select, text, tuple_
from sqlalchemy.orm import Session

from skp.adapters.orm import KinerjaHarianRow, MphAnggotaRow, MphRow, PeriodeRow, PerjanjianKinerjaRow, SkpRow
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

    # ---- periode ----

    def periode_rows(self) -> list[PeriodeRow]:
        query = select(PeriodeRow).where(PeriodeRow.instansi_id == self.tenant)
        return list(
            self.session.scalars(query.order_by(PeriodeRow.jenis, PeriodeRow.mulai, PeriodeRow.selesai))
        )

    def periode_row(self, periode_id: uuid.UUID, *, for_update: bool = False) -> PeriodeRow | None:
        query = select(PeriodeRow).where(PeriodeRow.instansi_id == self.tenant, PeriodeRow.id == periode_id)
        return self.session.scalar(query.with_for_update() if for_update else query)

    def periode_in_use(self, periode_id: uuid.UUID) -> int:
        """How many live SKPs hold rencana aksi of this periode."""
        return int(
            self.session.scalar(
                select(func.count()).where(
                    SkpRow.instansi_id == self.tenant,
                    SkpRow.deleted_at.is_(None),
                    _holds({"rhk": [{"rencana_aksi": [{"periode_id": str(periode_id)}]}]}),
                )
            )
            or 0
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
        self, conditions: list[ColumnElement[bool]], after: tuple[str, uuid.UUID] | None, limit: int
    ) -> tuple[list[SkpRow], int]:
        """One page ordered by (pegawai nama, id: creation order) after the keyset `after`, and the total."""
        base = [*self._live(), *conditions]
        total = self.session.scalar(select(func.count()).select_from(SkpRow).where(*base)) or 0
        page = select(SkpRow).where(*base)
        if after is not None:
            page = page.where(tuple_(SkpRow.pegawai_nama, SkpRow.id) > tuple_(after[0], after[1]))
        rows = self.session.scalars(page.order_by(SkpRow.pegawai_nama, SkpRow.id).limit(limit))
        return list(rows), int(total)

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

    def mph_rows(self, unor_id: uuid.UUID | None, tahun: int) -> list[MphRow]:
        query = select(MphRow).where(MphRow.instansi_id == self.tenant, self._mph_of_live_skp())
        if unor_id is not None:
            query = query.where(MphRow.unor_id == unor_id)
        if tahun:
            query = query.where(MphRow.tahun == tahun)
        return list(self.session.scalars(query.order_by(MphRow.tahun.desc(), MphRow.created_at, MphRow.id)))

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


def write_skp(row: SkpRow, skp: Skp) -> None:
    """Copies the aggregate onto its row (not id, owner, tenant or version: the handler bumps that)."""
    row.unor_id = skp.unor_id
    row.plt_id = skp.plt_id
    row.tahun = skp.tahun
    row.tanggal_mulai = skp.tanggal_mulai
    row.tanggal_selesai = skp.tanggal_selesai
    row.pendekatan = skp.pendekatan.name
    row.model = skp.model.name
    row.status = skp.status.name
    row.mandiri = skp.mandiri
    row.pegawai_nip = skp.pegawai.nip
    row.pegawai_nama = skp.pegawai.nama
    row.pegawai = _dump(skp.pegawai)  # type: ignore[assignment]
    row.penilai = _dump(skp.penilai)
    row.penilai_pegawai_id = skp.penilai.pegawai_id if skp.penilai else None
    row.penilai_unor_id = skp.penilai_unor_id
    row.atasan_penilai = _dump(skp.atasan_penilai)
    row.isi = skp.isi.model_dump(mode="json")
    row.alasan_dikembalikan = skp.alasan_dikembalikan
    row.diajukan_at = skp.diajukan_at
    row.disetujui_at = skp.disetujui_at
    row.dikembalikan_at = skp.dikembalikan_at


def new_skp_row(skp: Skp) -> SkpRow:
    row = SkpRow(instansi_id=skp.instansi_id, id=skp.id, pegawai_id=skp.pegawai_id, version=skp.version)
    write_skp(row, skp)
    return row


def now() -> datetime:
    return datetime.now(UTC)
