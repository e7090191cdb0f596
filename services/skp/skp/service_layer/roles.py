"""Who an SKP belongs to and who rates it, read from org: the snapshots, the model and the penilai's unit,
and who the pejabat penilai of an SKP is on a given day (`PenilaiToday`)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from kinerja_kit.errors import FailedPrecondition, NotFound
from kinerja_kit.org_directory import JABATAN_JPT, OrgDirectory, OrgPegawai, OrgPlt, OrgUnor, head_above
from skp.domain.model import Pejabat
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
