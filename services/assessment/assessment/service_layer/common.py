"""What every assessment handler shares: dependencies, the caller's authority, loading and saving."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Generic, TypeVar

from assessment.domain.aturan import Predikat
from assessment.domain.events import Event, PredikatDitetapkan
from assessment.domain.model import Pelaku, Penilaian, SkpRencana
from assessment.domain.penilaian import PENILAIAN_NOT_FOUND, touch
from assessment.domain.tugas import tugas_penilaian
from assessment.service_layer.ports import Store, Stores
from kinerja_kit.context import Principal
from kinerja_kit.errors import Conflict, NotFound, PermissionDenied
from kinerja_kit.handlers import parse_id, today
from kinerja_kit.org_directory import OrgDirectory, OrgPegawai, PenilaiToday

T = TypeVar("T")


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Listed(Generic[T]):
    """One page of a list, the token of the next, and how many match (counted up to the kit's
    COUNT_LIMIT: `total_count_exact` is False when the count stopped there)."""

    items: list[T]
    next_page_token: str
    total_count: int
    total_count_exact: bool


@dataclass
class Deps:
    """What the handlers run on: the stores, org (read over gRPC) and the clocks (today in WIB, now)."""

    stores: Stores
    org: OrgDirectory
    clock: Callable[[], date] = field(default=today)
    now: Callable[[], datetime] = field(default=utc_now)


def own_pegawai(principal: Principal) -> uuid.UUID:
    """The pegawai the caller is; accounts without one (admin BKN) have no penilaian."""
    if principal.pegawai_id is None:
        raise PermissionDenied(
            "PEGAWAI_REQUIRED",
            "Akun Anda tidak terhubung dengan data pegawai, sehingga tidak memiliki penilaian.",
        )
    return principal.pegawai_id


class Authority:
    """What the caller may do with penilaian. The pejabat penilai is judged on the day of the call from
    org (`PenilaiToday`), never from the SKP's snapshot alone; org is read lazily, once per question."""

    def __init__(self, deps: Deps, principal: Principal) -> None:
        self.deps = deps
        self.principal = principal
        self.pegawai_id = principal.pegawai_id
        self.today = PenilaiToday(deps.org, deps.clock())

    def acting(self) -> frozenset[uuid.UUID]:
        """The unor the caller leads today as PLT/PLH in force."""
        return self.today.acting_units(self.pegawai_id)

    def bawahan(self) -> frozenset[uuid.UUID]:
        """The caller's bawahan today (org's relations)."""
        return self.today.bawahan_of(self.pegawai_id) if self.pegawai_id else frozenset()

    def led(self) -> frozenset[uuid.UUID]:
        """The unor the caller leads today, definitively or as PLT/PLH in force (the same org read as
        `bawahan`)."""
        return self.today.led_units([self.pegawai_id])[self.pegawai_id] if self.pegawai_id else frozenset()

    def is_owner(self, skp: SkpRencana) -> bool:
        return self.pegawai_id is not None and self.pegawai_id == skp.pegawai_id

    def _leads_for(self, pegawai_id: uuid.UUID) -> bool:
        """The caller is `pegawai_id`, or leads as PLT/PLH in force a unor that `pegawai_id` leads."""
        if pegawai_id == self.pegawai_id:
            return True
        acting = self.acting()
        return bool(acting) and bool(acting & self.today.led_units([pegawai_id])[pegawai_id])

    def is_penilai(self, skp: SkpRencana) -> bool:
        """The pejabat penilai of the SKP today (or a PLT/PLH in force of a unor they lead); never its owner."""
        if self.pegawai_id is None or self.is_owner(skp):
            return False
        penilai = self.today.penilai_of(skp)
        return penilai is not None and self._leads_for(penilai)

    def is_atasan_penilai(self, skp: SkpRencana) -> bool:
        """The atasan langsung, today, of the SKP's pejabat penilai of today (or their PLT/PLH)."""
        if self.pegawai_id is None or self.is_owner(skp):
            return False
        penilai = self.today.penilai_of(skp)
        if penilai is None:
            return False
        # Their atasan only: without the lists, org reads the penilai's chain, not the unit they lead.
        relations = self.deps.org.relations([penilai], self.today.as_of, lists=False).get(penilai)
        atasan = relations.atasan_langsung_id if relations else None
        return atasan is not None and atasan != penilai and self._leads_for(atasan)

    def _named(self, skp: SkpRencana) -> bool:
        """Owner, admins, and the people the SKP names: penilai, atasan penilai, chosen penilai perilaku."""
        if self.principal.is_admin or self.is_owner(skp):
            return True
        me = self.pegawai_id
        if me is None:
            return False
        people = {skp.penilai.pegawai_id if skp.penilai else None}
        people.add(skp.atasan_penilai.pegawai_id if skp.atasan_penilai else None)
        people |= {p.penilai_pegawai_id for p in skp.perilaku}
        return me in people

    def can_read(self, skp: SkpRencana) -> bool:
        return self._named(skp) or self.is_penilai(skp) or self.is_atasan_penilai(skp)

    def readable(self, found: list[Penilaian]) -> list[Penilaian]:
        """`can_read` over many, asking org once for the pegawai of those the snapshot does not allow."""
        others = [p for p in found if not self._named(p.skp)]
        if others and self.pegawai_id is not None:
            self.today.prepare(p.skp for p in others)
        hidden = {p.id for p in others if not (self.is_penilai(p.skp) or self.is_atasan_penilai(p.skp))}
        return [p for p in found if p.id not in hidden]

    def require_penilai(self, skp: SkpRencana) -> None:
        if not self.is_penilai(skp):
            raise PermissionDenied(
                "BUKAN_PEJABAT_PENILAI",
                "Hanya pejabat penilai kinerja pegawai ini (atau PLT/PLH unit kerjanya) yang dapat melakukan ini.",
            )

    def pelaku(self) -> Pelaku:
        """The caller as printed, from org today."""
        me = self.pegawai_id
        if me is None:
            return Pelaku(nama=self.principal.nama or self.principal.username)
        person = self.deps.org.pegawai([me]).get(me)
        if person is None:
            return Pelaku(pegawai_id=me, nama=self.principal.nama)
        return Pelaku(pegawai_id=me, nip=person.nip, nama=person.nama, jabatan=person.jabatan)


def refresh_tugas(store: Store, penilaian: Penilaian) -> None:
    """The inbox follows the penilaian, in the same transaction."""
    store.replace_tugas(penilaian.id, tugas_penilaian(penilaian, store.new_id))


@contextlib.contextmanager
def penilaian_for_write(
    deps: Deps, authority: Authority, penilaian_id: str, expected_version: int = 0
) -> Iterator[tuple[Store, Penilaian]]:
    """A transaction holding one penilaian the caller may read, locked; NOT_FOUND when it is missing or
    unreadable (never a hint that it exists), ABORTED when `expected_version` is stale."""
    wanted = parse_id(penilaian_id, *PENILAIAN_NOT_FOUND)
    with deps.stores.transaction() as store:
        found = store.penilaian(wanted, for_update=True)
        if found is None or not authority.can_read(found.skp):
            raise NotFound(*PENILAIAN_NOT_FOUND)
        if expected_version and expected_version != found.version:
            raise Conflict()
        yield store, found


def save(deps: Deps, store: Store, penilaian: Penilaian, *events: Event) -> Penilaian:
    """Writes the changed penilaian with its next version, its tasks and its events; commits."""
    touch(penilaian, deps.now())
    store.save_penilaian(penilaian)
    refresh_tugas(store, penilaian)
    for event in events:
        store.emit(event)
    store.commit()
    return penilaian


def load_penilaian(deps: Deps, authority: Authority, penilaian_id: str) -> Penilaian:
    """One penilaian the caller may read, unlocked."""
    wanted = parse_id(penilaian_id, *PENILAIAN_NOT_FOUND)
    with deps.stores.transaction() as store:
        found = store.penilaian(wanted)
    if found is None or not authority.can_read(found.skp):
        raise NotFound(*PENILAIAN_NOT_FOUND)
    return found


def predikat_ditetapkan(
    penilaian: Penilaian, pegawai: OrgPegawai | None, sebelumnya: Predikat | None
) -> PredikatDitetapkan:
    """The event of a predikat set or changed, with the pegawai's jabatan, its jenis and JF jenjang on the
    day from org (the SKP's snapshot of the jabatan when org no longer knows them)."""
    if pegawai is None:
        return PredikatDitetapkan(penilaian, penilaian.skp.pegawai.jabatan, 0, "", sebelumnya)
    return PredikatDitetapkan(
        penilaian, pegawai.jabatan, pegawai.jabatan_jenis, pegawai.jenjang, sebelumnya, pegawai.tmt_jabatan
    )
