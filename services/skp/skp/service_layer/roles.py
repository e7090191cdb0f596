"""Who an SKP belongs to and who rates it, read from org: the snapshots, the model and the penilai's unit,
and who the pejabat penilai of an SKP is on a given day (`PenilaiToday`)."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from kinerja_kit.errors import FailedPrecondition, NotFound
from skp.adapters.org_directory import JABATAN_JPT, OrgDirectory, OrgPegawai, OrgPlt, OrgUnor
from skp.domain.model import Pejabat, Skp
from skp.domain.values import ModelSkp


@dataclass(frozen=True)
class SkpRoles:
    """The people and unit of one SKP as org sees them on a given day."""

    pegawai: Pejabat
    unor_id: uuid.UUID
    # The PLT/PLH assignment of a second SKP; None for the pegawai's own unor.
    plt: OrgPlt | None
    model: ModelSkp
    mandiri: bool
    penilai: Pejabat | None
    penilai_unor_id: uuid.UUID | None
    atasan_penilai: Pejabat | None

    @property
    def plt_id(self) -> uuid.UUID | None:
        return self.plt.id if self.plt else None


def pejabat(person: OrgPegawai, unor: OrgUnor | None, jabatan: str = "") -> Pejabat:
    return Pejabat(
        pegawai_id=person.id,
        nip=person.nip,
        nama=person.nama,
        golongan=person.golongan,
        pangkat=person.pangkat,
        jabatan=jabatan or person.jabatan,
        unor_id=unor.id if unor else person.unor_id,
        unor_nama=unor.nama if unor else "",
    )


def _model(unit: OrgUnor, leads_it: bool, jabatan_jenis: int) -> tuple[ModelSkp, bool]:
    """JPT for the heads of JPT or mandiri units (and JPT jabatan); a mandiri head needs no approval."""
    jpt = (leads_it and (unit.is_jpt or unit.mandiri)) or jabatan_jenis == JABATAN_JPT
    return (ModelSkp.JPT if jpt else ModelSkp.JA_JF), (leads_it and unit.mandiri)


def _leader(org: OrgDirectory, person: OrgPegawai, as_of: date) -> tuple[uuid.UUID, str]:
    """The unit a pejabat penilai leads (their own as pimpinan, else the one they act for) and the
    jabatan to print for it."""
    if person.pimpinan:
        return person.unor_id, person.jabatan
    acting = [p for p in org.plt(pegawai_id=person.id) if p.in_force(as_of)]
    if acting:
        return acting[0].unor_id, acting[0].jabatan
    return person.unor_id, person.jabatan


def penilai_snapshot(
    org: OrgDirectory, penilai_id: uuid.UUID | None, as_of: date
) -> tuple[Pejabat | None, uuid.UUID | None, Pejabat | None]:
    """The pejabat penilai's snapshot and unit, and the atasan pejabat penilai's snapshot."""
    if penilai_id is None:
        return None, None, None
    relations = org.relations([penilai_id], as_of).get(penilai_id)
    atasan_id = relations.atasan_langsung_id if relations else None
    people = org.pegawai([penilai_id, *([atasan_id] if atasan_id else [])])
    person = people.get(penilai_id)
    if person is None:
        return None, None, None
    unit_id, jabatan = _leader(org, person, as_of)
    atasan = people.get(atasan_id) if atasan_id else None
    units = org.unor([unit_id, *([atasan.unor_id] if atasan else [])])
    penilai = pejabat(person, units.get(unit_id), jabatan)
    atasan_penilai = None
    if atasan is not None:
        atasan_unit, atasan_jabatan = _leader(org, atasan, as_of)
        atasan_penilai = pejabat(
            atasan, units.get(atasan_unit) or org.unor([atasan_unit]).get(atasan_unit), atasan_jabatan
        )
    return penilai, unit_id, atasan_penilai


def resolve_roles(
    org: OrgDirectory, pegawai_id: uuid.UUID, plt_id: uuid.UUID | None, as_of: date
) -> SkpRoles:
    """The SKP's people for `pegawai_id` in their own unor, or in the unor of their PLT/PLH `plt_id`."""
    person = org.pegawai([pegawai_id]).get(pegawai_id)
    if person is None or not person.active:
        raise NotFound("PEGAWAI_NOT_FOUND", "Data pegawai Anda tidak ditemukan di instansi ini.")
    if plt_id is not None:
        return _roles_as_plt(org, person, plt_id, as_of)
    unit = org.unor([person.unor_id]).get(person.unor_id)
    if unit is None:
        raise NotFound("UNOR_NOT_FOUND", "Unor pegawai tidak ditemukan.")
    model, mandiri = _model(unit, person.pimpinan, person.jabatan_jenis)
    relations = org.relations([person.id], as_of).get(person.id)
    penilai, penilai_unor, atasan_penilai = penilai_snapshot(
        org, relations.atasan_langsung_id if relations else None, as_of
    )
    return SkpRoles(
        pegawai=pejabat(person, unit),
        unor_id=unit.id,
        plt=None,
        model=model,
        mandiri=mandiri,
        penilai=penilai,
        penilai_unor_id=penilai_unor,
        atasan_penilai=atasan_penilai,
    )


def find_plt(org: OrgDirectory, pegawai_id: uuid.UUID, plt_id: uuid.UUID) -> OrgPlt:
    found = next((p for p in org.plt(pegawai_id=pegawai_id) if p.id == plt_id), None)
    if found is None:
        raise NotFound("PLT_NOT_FOUND", "Penugasan PLT/PLH tidak ditemukan untuk pegawai ini.")
    if not found.aktif:
        raise FailedPrecondition("PLT_TIDAK_AKTIF", "Penugasan PLT/PLH tersebut tidak aktif.")
    return found


def head_above(
    org: OrgDirectory, tree: dict[uuid.UUID, OrgUnor], unit_id: uuid.UUID, pegawai_id: uuid.UUID, as_of: date
) -> uuid.UUID | None:
    """The pejabat penilai of a PLT SKP for `unit_id`: the head of the nearest unor above it that has
    one, or its PLT/PLH in force on `as_of`; never the SKP's own pegawai."""
    seen = {unit_id}
    current = tree[unit_id].parent_id if unit_id in tree else None
    while current is not None and current in tree and current not in seen:
        seen.add(current)
        heads = [h for h in org.heads_of(current) if h.id != pegawai_id]
        if heads:
            return heads[0].id
        acting = [p for p in org.plt(unor_id=current) if p.in_force(as_of) and p.pegawai_id != pegawai_id]
        if acting:
            return acting[0].pegawai_id
        current = tree[current].parent_id
    return None


def _roles_as_plt(org: OrgDirectory, person: OrgPegawai, plt_id: uuid.UUID, as_of: date) -> SkpRoles:
    """A second SKP for the unor led as PLT/PLH: rated by the head of the nearest unit above it."""
    assignment = find_plt(org, person.id, plt_id)
    tree = org.all_unor()
    unit = tree.get(assignment.unor_id)
    if unit is None:
        raise NotFound("UNOR_NOT_FOUND", "Unor penugasan PLT/PLH tidak ditemukan.")
    model, mandiri = _model(unit, True, 0)
    penilai_id = head_above(org, tree, unit.id, person.id, as_of)
    penilai, penilai_unor, atasan_penilai = penilai_snapshot(org, penilai_id, as_of)
    return SkpRoles(
        pegawai=pejabat(person, unit, assignment.jabatan),
        unor_id=unit.id,
        plt=assignment,
        model=model,
        mandiri=mandiri,
        penilai=penilai,
        penilai_unor_id=penilai_unor,
        atasan_penilai=atasan_penilai,
    )


def acting_units(org: OrgDirectory, pegawai_id: uuid.UUID, as_of: date) -> set[uuid.UUID]:
    """The unor `pegawai_id` leads today as PLT/PLH: they approve and rate in the head's place."""
    return {p.unor_id for p in org.plt(pegawai_id=pegawai_id) if p.in_force(as_of)}


class PenilaiToday:
    """Who the pejabat penilai of SKPs is on one day, from org as it stands that day, never from the SKP's
    snapshot: for an SKP of the pegawai's own unit, org's atasan langsung of the pegawai (which already
    follows PLT/PLH in force, moves and profile overrides); for a PLT SKP, the head above its unit today.

    Reads org as little as it can and remembers what it read: one BatchGetRelations for the pegawai of
    any number of SKPs (`prepare`), the unor tree once, the walk above a PLT unit once per unit."""

    def __init__(self, org: OrgDirectory, as_of: date) -> None:
        self.org = org
        self.as_of = as_of
        self._atasan: dict[uuid.UUID, uuid.UUID | None] = {}
        self._led: dict[uuid.UUID, frozenset[uuid.UUID]] = {}
        self._tree: dict[uuid.UUID, OrgUnor] | None = None
        self._above: dict[tuple[uuid.UUID, uuid.UUID], uuid.UUID | None] = {}

    def prepare(self, skps: Iterable[Skp]) -> None:
        """Reads the atasan langsung of the pegawai of these SKPs (their own unit's) in one call."""
        self._relations({s.pegawai_id for s in skps if s.plt_id is None} - self._atasan.keys())

    def penilai_of(self, skp: Skp) -> uuid.UUID | None:
        """The pejabat penilai of `skp` today; None when there is none (or org no longer knows its pegawai)."""
        if skp.plt_id is None:
            self.prepare([skp])
            return self._atasan.get(skp.pegawai_id)
        key = (skp.unor_id, skp.pegawai_id)
        if key not in self._above:
            if self._tree is None:
                self._tree = self.org.all_unor()
            self._above[key] = head_above(self.org, self._tree, skp.unor_id, skp.pegawai_id, self.as_of)
        return self._above[key]

    def led_units(self, pegawai_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, frozenset[uuid.UUID]]:
        """The unor each of `pegawai_ids` leads today, definitively or as PLT/PLH in force (one call for
        those not read yet)."""
        wanted = set(pegawai_ids)
        self._relations(wanted - self._led.keys())
        return {i: self._led.get(i, frozenset()) for i in wanted}

    def _relations(self, wanted: set[uuid.UUID]) -> None:
        if not wanted:
            return
        found = self.org.relations(wanted, self.as_of)
        for pegawai_id in wanted:
            relations = found.get(pegawai_id)
            self._atasan[pegawai_id] = relations.atasan_langsung_id if relations else None
            self._led[pegawai_id] = frozenset(relations.memimpin_unor_ids) if relations else frozenset()
