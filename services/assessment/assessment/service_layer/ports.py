"""The ports the handlers run on: a store per transaction (SQL in production, in memory in unit tests)."""

from __future__ import annotations

import contextlib
import uuid
from datetime import date, datetime
from typing import Protocol

from assessment.domain.events import Event
from assessment.domain.model import JenisTugas, Penilaian, Periode, SkpRencana, Unor
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

# (count, exact): counted up to the kit's COUNT_LIMIT; exact is False when the count stopped there.
Counted = tuple[int, bool]


class Store(Protocol):
    """What one transaction reads and writes; nothing is kept unless `commit()` is called."""

    def new_id(self) -> uuid.UUID: ...

    def emit(self, event: Event) -> None: ...

    def commit(self) -> None: ...

    # projections (written by the projection consumer only)
    def skp(self, skp_id: uuid.UUID) -> SkpRencana | None: ...

    def periode(self, periode_id: uuid.UUID) -> Periode | None: ...

    def unor(self, unor_id: uuid.UUID) -> Unor | None: ...

    def apply_periode(self, periode: Periode) -> bool: ...

    def apply_skp(self, skp: SkpRencana, occurred_at: datetime | None) -> bool: ...

    def apply_unor(self, unor: Unor) -> bool: ...

    def penilaian_of_skp(self, skp_id: uuid.UUID) -> list[Penilaian]:
        """The penilaian of an SKP, locked, to be saved."""
        ...

    def open_penilaian_of_periode(self, periode_id: uuid.UUID) -> list[uuid.UUID]: ...

    # penilaian
    def batas_diperpanjang(self, skp: SkpRencana, periode_id: uuid.UUID, tahun: int) -> date | None: ...

    def penilaian(self, penilaian_id: uuid.UUID, *, for_update: bool = False) -> Penilaian | None: ...

    def penilaian_many(self, ids: list[uuid.UUID]) -> list[Penilaian]: ...

    def penilaian_exists(self, skp_id: uuid.UUID, periode_id: uuid.UUID) -> bool: ...

    def add_penilaian(self, penilaian: Penilaian) -> None: ...

    def save_penilaian(self, penilaian: Penilaian) -> None: ...

    def list_penilaian(
        self, query: PenilaianQuery, after: tuple[str, uuid.UUID] | None = None, limit: int = 20
    ) -> list[Penilaian]:
        """A page ordered by (pegawai name, id)."""
        ...

    def count_penilaian(self, query: PenilaianQuery) -> Counted: ...

    # batas extensions
    def add_perpanjangan(self, item: Perpanjangan) -> None: ...

    def open_penilaian_for(
        self, periode_id: uuid.UUID, tahun: int, pegawai_id: uuid.UUID | None, unor_id: uuid.UUID | None
    ) -> list[uuid.UUID]: ...

    def list_perpanjangan(
        self, periode_id: uuid.UUID | None, tahun: int, after: uuid.UUID | None, limit: int
    ) -> list[Perpanjangan]: ...

    def count_perpanjangan(self, periode_id: uuid.UUID | None, tahun: int) -> Counted: ...

    # inbox
    def replace_tugas(
        self, penilaian_id: uuid.UUID, tugas: list[Tugas], keberatan_id: uuid.UUID | None = None
    ) -> None: ...

    def inbox_counts(
        self, inbox: Lingkup, periode_id: uuid.UUID | None, today: date
    ) -> dict[JenisTugas, int]: ...

    def inbox_page(
        self,
        inbox: Lingkup,
        jenis: JenisTugas,
        periode_id: uuid.UUID | None,
        today: date,
        after: uuid.UUID | None,
        limit: int,
    ) -> list[Tugas]: ...

    # capaian
    def capaian(self, capaian_id: uuid.UUID, *, for_update: bool = False) -> CapaianOrganisasi | None: ...

    def capaian_of(
        self, tahun: int, periode_id: uuid.UUID, unor_id: uuid.UUID
    ) -> CapaianOrganisasi | None: ...

    def save_capaian(self, item: CapaianOrganisasi) -> None: ...

    def delete_capaian(self, item: CapaianOrganisasi) -> None: ...

    def statistik(self, unor_id: uuid.UUID, periode: Periode, tahun: int) -> Statistik: ...

    def list_capaian(
        self,
        tahun: int,
        periode_id: uuid.UUID | None,
        nama: str,
        after: tuple[str, uuid.UUID] | None,
        limit: int,
    ) -> list[CapaianOrganisasi]: ...

    def count_capaian(self, tahun: int, periode_id: uuid.UUID | None, nama: str) -> Counted: ...

    # keberatan
    def keberatan(self, keberatan_id: uuid.UUID, *, for_update: bool = False) -> Keberatan | None: ...

    def keberatan_ada(self, penilaian_id: uuid.UUID, *, open_only: bool = False) -> bool: ...

    def save_keberatan(self, item: Keberatan) -> None: ...

    def list_keberatan(
        self, query: KeberatanQuery, after: tuple[str, uuid.UUID] | None, limit: int
    ) -> list[tuple[Keberatan, str]]:
        """A page ordered by (pegawai name, id), or (NIP, id) for a NIP search; each with that key."""
        ...

    def count_keberatan(self, query: KeberatanQuery) -> Counted: ...


class Stores(Protocol):
    """Opens a store per transaction, confined to the caller's instansi."""

    def transaction(self) -> contextlib.AbstractContextManager[Store]: ...
