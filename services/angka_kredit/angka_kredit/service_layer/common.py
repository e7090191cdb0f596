"""What the handlers share: their dependencies, the caller's authority over a PAK (judged today from org),
who acted, and the saving of a changed PAK with its event."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from angka_kredit.adapters.proto import TOPIC_PAK, event_pb
from angka_kredit.adapters.repository import SqlStore
from angka_kredit.domain.errors import BukanJabatanFungsional, BukanPenilai, PakTidakDitemukan
from angka_kredit.domain.model import (
    Event,
    Pak,
    PakDihitungUlang,
    PakPerluDiperbarui,
    Pelaku,
    kumulatif_berikutnya,
)
from kinerja.org.v1 import org_pb2
from kinerja_kit.context import Principal
from kinerja_kit.db import UnitOfWork
from kinerja_kit.handlers import caller, today
from kinerja_kit.org_directory import OrgDirectory, OrgPegawai


@dataclass
class Deps:
    uow: UnitOfWork
    org: OrgDirectory
    clock: Callable[[], date] = field(default=today)

    @contextmanager
    def store(self) -> Iterator[SqlStore]:
        """One transaction of the caller's instansi; committed when the block ends without error."""
        with self.uow.transaction() as tx:
            yield SqlStore(tx)
            tx.commit()

    def atasan_today(self, pegawai_id: uuid.UUID) -> uuid.UUID | None:
        """Org's atasan langsung of the pegawai today: their pejabat penilai (PLT/PLH in force followed)."""
        found = self.org.relations([pegawai_id], self.clock(), lists=False).get(pegawai_id)
        return found.atasan_langsung_id if found else None


def now() -> datetime:
    return datetime.now(UTC)


def is_admin(principal: Principal) -> bool:
    return principal.is_admin_instansi or (
        principal.is_admin_bkn and principal.acting_instansi_id is not None
    )


def may_see(deps: Deps, principal: Principal, pegawai_id: uuid.UUID) -> bool:
    """Whether the caller may see a pegawai's PAK and forecast: the pegawai, their pejabat penilai today,
    admin instansi (admin BKN acting)."""
    if is_admin(principal) or principal.pegawai_id == pegawai_id:
        return True
    return principal.pegawai_id is not None and deps.atasan_today(pegawai_id) == principal.pegawai_id


def can_read(deps: Deps, principal: Principal, p: Pak) -> bool:
    return may_see(deps, principal, p.pegawai_id)


def require_jf(pegawai: OrgPegawai) -> None:
    """Angka kredit is for jabatan fungsional only (BUKAN_JABATAN_FUNGSIONAL)."""
    if pegawai.jabatan_jenis != org_pb2.JENIS_JABATAN_FUNGSIONAL:
        raise BukanJabatanFungsional()


def readable(deps: Deps, p: Pak | None) -> Pak:
    """The PAK when the caller may read it; otherwise PAK_NOT_FOUND (as for one that does not exist)."""
    if p is None or not can_read(deps, caller(), p):
        raise PakTidakDitemukan()
    return p


def require_penilai(deps: Deps, principal: Principal, p: Pak) -> None:
    """The pejabat penilai of the pegawai today, or admin: else BUKAN_PENILAI."""
    if is_admin(principal):
        return
    if principal.pegawai_id is None or deps.atasan_today(p.pegawai_id) != principal.pegawai_id:
        raise BukanPenilai()


def pelaku(principal: Principal | None) -> Pelaku | None:
    """Who acted, as the riwayat keeps it (None: the platform)."""
    if principal is None or principal.subject == "system":
        return None
    return Pelaku(principal.pegawai_id, principal.username, principal.nama)


def emit(store: SqlStore, event: Event) -> None:
    """Queues a domain event (the PAK as it is now) on the PAK topic, in the store's transaction."""
    pak = event.pak
    store.tx.emit(
        TOPIC_PAK,
        event_pb(event),
        aggregate_type="pak",
        aggregate_id=pak.id,
        aggregate_version=pak.version,
        instansi_id=pak.instansi_id,
    )


def simpan(store: SqlStore, event: Event, at: datetime) -> None:
    """A changed PAK (the event's) with its next version, saved, and its event queued."""
    event.pak.sentuh(at)
    store.save(event.pak)
    emit(store, event)


def tambah(store: SqlStore, event: Event) -> None:
    """A PAK just made (version 1), inserted, and its event queued."""
    store.add(event.pak)
    emit(store, event)


def kumulatif_pegawai(
    store: SqlStore, pemicu: Pak, at: datetime, oleh: Pelaku | None = None
) -> list[PakDihitungUlang | PakPerluDiperbarui]:
    """The domain's cascade after `pemicu` was made or its AK changed, over every PAK of its pegawai (locked):
    a new PAK gets its kumulatif, the later ones that moved are changed; their events (to `simpan`)."""
    paks = [pemicu if p.id == pemicu.id else p for p in store.of_pegawai(pemicu.pegawai_id, lock=True)]
    if not any(p is pemicu for p in paks):
        paks.append(pemicu)
    return kumulatif_berikutnya(paks, pemicu, at=at, oleh=oleh)
