"""What the handlers share: their dependencies, the caller's authority over a PAK (judged today from org),
and the records of who acted."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from angka_kredit.adapters.proto import pelaku_json
from angka_kredit.adapters.repository import SqlStore
from angka_kredit.domain.errors import BukanPenilai, PakTidakDitemukan, VersiBerbeda
from angka_kredit.service_layer.records import PakRecord
from kinerja_kit.context import Principal
from kinerja_kit.db import UnitOfWork
from kinerja_kit.handlers import caller, today
from kinerja_kit.org_directory import OrgDirectory


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


def is_admin(principal: Principal) -> bool:
    return principal.is_admin_instansi or (
        principal.is_admin_bkn and principal.acting_instansi_id is not None
    )


def can_read(deps: Deps, principal: Principal, p: PakRecord) -> bool:
    """The pegawai, their pejabat penilai today, admin instansi (admin BKN acting)."""
    if is_admin(principal) or principal.pegawai_id == p.pegawai_id:
        return True
    return principal.pegawai_id is not None and deps.atasan_today(p.pegawai_id) == principal.pegawai_id


def readable(deps: Deps, p: PakRecord | None) -> PakRecord:
    """The PAK when the caller may read it; otherwise PAK_NOT_FOUND (as for one that does not exist)."""
    if p is None or not can_read(deps, caller(), p):
        raise PakTidakDitemukan()
    return p


def require_penilai(deps: Deps, principal: Principal, p: PakRecord) -> None:
    """The pejabat penilai of the pegawai today, or admin: else BUKAN_PENILAI."""
    if is_admin(principal):
        return
    if principal.pegawai_id is None or deps.atasan_today(p.pegawai_id) != principal.pegawai_id:
        raise BukanPenilai()


def check_version(p: PakRecord, expected: int) -> None:
    if expected and expected != p.version:
        raise VersiBerbeda()


def pelaku(principal: Principal | None) -> dict[str, Any] | None:
    """Who acted, as stored in the riwayat (None: the platform)."""
    if principal is None or principal.subject == "system":
        return None
    return pelaku_json(str(principal.pegawai_id or ""), principal.username, principal.nama)
