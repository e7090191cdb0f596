"""What every skp handler shares: dependencies, topics, the caller's pegawai, loading and saving an SKP."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date

from google.protobuf.message import Message

from kinerja.skp.v1 import skp_pb2
from kinerja_kit.context import Principal
from kinerja_kit.db import Transaction, UnitOfWork
from kinerja_kit.errors import Conflict, NotFound, PermissionDenied
from kinerja_kit.handlers import parse_id, today
from kinerja_kit.org_directory import OrgDirectory, PenilaiToday
from skp.adapters.orm import SkpRow
from skp.adapters.proto import mph_pb, skp_pb
from skp.adapters.repository import SkpRepository, now, skp_from_row, write_skp
from skp.domain import rules
from skp.domain.model import Pejabat, Skp
from skp.service_layer.roles import pejabat, penilai_snapshot

TOPIC_PERIODE = "kinerja.skp.periode.v1"
TOPIC_PERJANJIAN = "kinerja.skp.perjanjian_kinerja.v1"
TOPIC_SKP = "kinerja.skp.skp.v1"
TOPIC_MPH = "kinerja.skp.mph.v1"
TOPIC_HARIAN = "kinerja.skp.kinerja_harian.v1"
TOPICS = (TOPIC_PERIODE, TOPIC_PERJANJIAN, TOPIC_SKP, TOPIC_MPH, TOPIC_HARIAN)

SKP_NOT_FOUND = ("SKP_NOT_FOUND", "SKP tidak ditemukan.")


@dataclass
class Deps:
    """What the handlers run on: the unit of work, org (read over gRPC) and the clock (today in WIB)."""

    uow: UnitOfWork
    org: OrgDirectory
    clock: Callable[[], date] = field(default=today)


def own_pegawai(principal: Principal) -> uuid.UUID:
    """The pegawai the caller is; accounts without one (admin BKN) cannot own an SKP."""
    if principal.pegawai_id is None:
        raise PermissionDenied(
            "PEGAWAI_REQUIRED", "Akun Anda tidak terhubung dengan data pegawai, sehingga tidak memiliki SKP."
        )
    return principal.pegawai_id


def load_skp(deps: Deps, skp_id: str) -> Skp:
    """One SKP as it is now, read without a lock (who may see it is the caller's to check)."""
    wanted = parse_id(skp_id, *SKP_NOT_FOUND)
    with deps.uow.transaction() as tx:
        row = SkpRepository(tx.session, tx.tenant).skp_row(wanted)
        if row is None:
            raise NotFound(*SKP_NOT_FOUND)
        return skp_from_row(row)


@contextlib.contextmanager
def skp_for_write(
    deps: Deps, skp_id: str, expected_version: int = 0
) -> Iterator[tuple[Transaction, SkpRepository, SkpRow, Skp]]:
    """A transaction holding one SKP locked; NOT_FOUND when missing, ABORTED when `expected_version` is stale."""
    wanted = parse_id(skp_id, *SKP_NOT_FOUND)
    with deps.uow.transaction() as tx:
        repo = SkpRepository(tx.session, tx.tenant)
        row = repo.skp_row(wanted, for_update=True)
        if row is None:
            raise NotFound(*SKP_NOT_FOUND)
        if expected_version and expected_version != row.version:
            raise Conflict()
        yield tx, repo, row, skp_from_row(row)


def save_skp(tx: Transaction, row: SkpRow, skp: Skp, event: Callable[[skp_pb2.Skp], Message]) -> Skp:
    """Writes the changed aggregate with a new version and emits `event(skp after the change)`; commits."""
    skp.version = row.version + 1
    skp.updated_at = now()
    write_skp(row, skp)
    row.version = skp.version
    row.updated_at = skp.updated_at
    tx.session.flush()
    tx.emit(
        TOPIC_SKP,
        event(skp_pb(skp)),
        aggregate_type="skp",
        aggregate_id=skp.id,
        aggregate_version=skp.version,
    )
    tx.commit()
    return skp


def drop_matriks(
    tx: Transaction, repo: SkpRepository, skp_id: uuid.UUID, rhk_id: uuid.UUID | None = None
) -> None:
    """Deletes the matriks peran hasil of an RHK being deleted (or of every RHK of an SKP being deleted),
    their peran with them, and says so on the matriks topic."""
    for mph in repo.mph_rows_of_skp(skp_id, rhk_id):
        gone = mph_pb(mph, repo.anggota_rows([mph.id]))
        tx.emit(
            TOPIC_MPH,
            skp_pb2.MatriksPeranHasilDeleted(matriks=gone),
            aggregate_type="mph",
            aggregate_id=mph.id,
            aggregate_version=mph.version + 1,
        )
        for anggota in repo.anggota_rows([mph.id]):
            tx.session.delete(anggota)
        tx.session.delete(mph)
    tx.session.flush()


class Authority:
    """What the caller may do with SKPs. The pejabat penilai is judged on the day of the call from org
    (`PenilaiToday`), never from the SKP's snapshot alone; org is read lazily and at most once per kind
    of question (the caller's PLT/PLH units, the relations of the SKPs' pegawai)."""

    def __init__(self, deps: Deps, principal: Principal) -> None:
        self.deps = deps
        self.principal = principal
        self.pegawai_id = principal.pegawai_id
        self.today = PenilaiToday(deps.org, deps.clock())

    def acting(self) -> frozenset[uuid.UUID]:
        """The unor the caller leads today as PLT/PLH in force (not the one they head definitively)."""
        return self.today.acting_units(self.pegawai_id)

    def is_owner(self, skp: Skp) -> bool:
        return self.pegawai_id is not None and self.pegawai_id == skp.pegawai_id

    def is_penilai(self, skp: Skp) -> bool:
        """The pejabat penilai of the SKP today, or whoever leads, as PLT/PLH in force today, a unor that
        penilai leads; never its owner (a PLH of their own penilai's unor does not rate themself). A PLT
        whose assignment has ended, or an atasan the pegawai no longer has, is not."""
        if self.pegawai_id is None or self.is_owner(skp):
            return False
        penilai = self.today.penilai_of(skp)
        if penilai is None:
            return False
        if penilai == self.pegawai_id:
            return True
        acting = self.acting()
        return bool(acting) and bool(acting & self.today.led_units([penilai])[penilai])

    def _reads_by_snapshot(self, skp: Skp) -> bool:
        """Owner, admins, and the people the SKP names: its pejabat penilai and atasan pejabat penilai as
        snapshotted (they keep reading what they rated), its chosen penilai perilaku."""
        if self.principal.is_admin or self.is_owner(skp):
            return True
        me = self.pegawai_id
        if me is None:
            return False
        people = {skp.penilai.pegawai_id if skp.penilai else None}
        people.add(skp.atasan_penilai.pegawai_id if skp.atasan_penilai else None)
        people |= {p.penilai_pegawai_id for p in skp.isi.perilaku}
        return me in people

    def can_read(self, skp: Skp) -> bool:
        """The people named on the SKP, admins, and its pejabat penilai of today (or their PLT/PLH)."""
        return self._reads_by_snapshot(skp) or self.is_penilai(skp)

    def readable(self, skps: list[Skp]) -> list[Skp]:
        """`can_read` over many SKPs, asking org once for the pegawai of those the snapshot does not allow."""
        others = [s for s in skps if not self._reads_by_snapshot(s)]
        if others and self.pegawai_id is not None:
            self.today.prepare(others)
            if self.acting():
                self.today.led_units(
                    p for p in (self.today.penilai_of(s) for s in others if s.plt_id is None) if p is not None
                )
        hidden = {s.id for s in others if not self.is_penilai(s)}
        return [s for s in skps if s.id not in hidden]

    def require_read(self, skp: Skp) -> None:
        if not self.can_read(skp):
            raise PermissionDenied("SKP_TIDAK_BERHAK", "Anda tidak berhak melihat SKP ini.")

    def require_penilai(self, skp: Skp, message: str = "") -> None:
        if not self.is_penilai(skp):
            raise PermissionDenied(
                "BUKAN_PEJABAT_PENILAI",
                message
                or "Hanya pejabat penilai kinerja SKP ini (atau PLT/PLH unit kerjanya) yang dapat melakukan ini.",
            )


@dataclass(frozen=True)
class PenilaiAct:
    """An action of the pejabat penilai, judged from org before the SKP is locked: who acts, and the
    pejabat penilai of today (with their unit and atasan) when the SKP's snapshot names someone else."""

    actor: Pejabat
    follow: tuple[Pejabat | None, uuid.UUID | None, Pejabat | None] | None

    def apply(self, skp: Skp) -> None:
        """Moves the snapshot's pejabat penilai to today's (the one whose authority the action used)."""
        if self.follow is not None:
            rules.follow_penilai(skp, *self.follow)


def penilai_act(deps: Deps, authority: Authority, skp: Skp, message: str = "") -> PenilaiAct:
    """Refuses anyone but the pejabat penilai of today (or their PLT/PLH); reads org for it outside the
    SKP's row lock, from an unlocked read of the SKP (its pegawai and PLT assignment never change)."""
    authority.require_penilai(skp, message)
    me = authority.pegawai_id
    penilai_id = authority.today.penilai_of(skp)
    assert me is not None and penilai_id is not None
    follow = None
    if skp.penilai is None or skp.penilai.pegawai_id != penilai_id:
        found = penilai_snapshot(deps.org, penilai_id, authority.today.as_of)
        follow = found if found[0] is not None else None
    if follow is not None and follow[0] is not None and follow[0].pegawai_id == me:
        actor = follow[0]
    elif skp.penilai is not None and skp.penilai.pegawai_id == me:
        actor = skp.penilai
    else:  # a PLT/PLH acting in the pejabat penilai's place
        person = deps.org.pegawai([me]).get(me)
        actor = pejabat(person, None) if person else Pejabat(pegawai_id=me)
    return PenilaiAct(actor, follow)
