"""Relations queries (atasan, bawahan, rekan kerja) and the profile overrides of 001 "Ubah Profile"."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import UTC, date, datetime

from kinerja.org.v1 import org_pb2
from kinerja_kit.db import UnitOfWork
from kinerja_kit.errors import FieldViolation, InvalidArgument, NotFound, PermissionDenied
from kinerja_kit.ids import parse_uuid
from org.adapters.orm import ProfileRelationsRow
from org.adapters.proto import overrides_pb
from org.adapters.repository import OrgRepository
from org.domain.relations import OrgGraph, Person, ProfileOverrides, Relations, validate_overrides
from org.domain.values import parse_iso_date
from org.service_layer.common import TOPIC_PEGAWAI, caller, parse_id, parse_ids, today

NOT_FOUND = ("PEGAWAI_NOT_FOUND", "Pegawai tidak ditemukan.")


def parse_as_of(value: str) -> date:
    """YYYY-MM-DD, or today when empty."""
    if not value.strip():
        return today()
    parsed = parse_iso_date(value.strip())
    if parsed is None:
        raise InvalidArgument(
            [FieldViolation("as_of", "INVALID_DATE", "Tanggal harus berformat TTTT-BB-HH.")]
        )
    return parsed


def load_graph(repo: OrgRepository, as_of: date, pegawai_ids: Iterable[uuid.UUID]) -> OrgGraph:
    """The graph needed for these pegawai, in six queries whatever their number."""
    wanted = set(pegawai_ids)
    definitive, heads = repo.heads()
    acting, acting_people = repo.acting_heads(as_of)
    overrides = repo.all_overrides()
    named = set(overrides)
    for item in overrides.values():
        named |= item.referenced()
    people: dict[uuid.UUID, Person] = {p.id: p for p in repo.people(ids=wanted | named)}
    people.update({p.id: p for p in heads})
    people.update({p.id: p for p in acting_people})
    graph = OrgGraph(
        tree=repo.tree(),
        as_of=as_of,
        definitive_heads=definitive,
        acting_heads=acting,
        people=people,
        overrides=overrides,
    )
    units = graph.units_to_load(i for i in wanted if i in people)
    members: dict[uuid.UUID, list[uuid.UUID]] = {}
    for person in repo.people(units=units):
        people.setdefault(person.id, person)
        if person.unor_id in units:
            members.setdefault(person.unor_id, []).append(person.id)
    graph.members = members
    return graph


def get_relations(uow: UnitOfWork, pegawai_id: str, as_of: str = "") -> Relations:
    """The relations of one active pegawai on `as_of` (default today)."""
    caller()
    wanted = parse_id(pegawai_id, *NOT_FOUND)
    day = parse_as_of(as_of)
    with uow.transaction() as tx:
        repo = OrgRepository(tx.session, tx.tenant)
        graph = load_graph(repo, day, [wanted])
    if wanted not in graph.people:
        raise NotFound(*NOT_FOUND)
    return graph.relations_of(wanted)


def batch_get_relations(uow: UnitOfWork, pegawai_ids: list[str], as_of: str = "") -> list[Relations]:
    """Relations of the active pegawai among `pegawai_ids`, in the order asked, unknown ones skipped."""
    caller()
    wanted = parse_ids(pegawai_ids)
    day = parse_as_of(as_of)
    if not wanted:
        return []
    with uow.transaction() as tx:
        graph = load_graph(OrgRepository(tx.session, tx.tenant), day, wanted)
    return [graph.relations_of(i) for i in wanted if i in graph.people]


def _parse_overrides(raw: org_pb2.ProfileRelations) -> ProfileOverrides:
    violations: list[FieldViolation] = []

    def one(path: str, value: str) -> uuid.UUID | None:
        if not value.strip():
            return None
        parsed = parse_uuid(value.strip())
        if parsed is None:
            violations.append(FieldViolation(path, "INVALID_ID", "Pegawai tidak valid."))
        return parsed

    def many(path: str, values: Iterable[str]) -> tuple[uuid.UUID, ...]:
        found: dict[uuid.UUID, None] = {}
        for index, value in enumerate(values):
            parsed = one(f"{path}[{index}]", value)
            if parsed is not None:
                found.setdefault(parsed, None)
        return tuple(found)

    result = ProfileOverrides(
        atasan_langsung_id=one("relations.atasan_langsung_id", raw.atasan_langsung_id),
        atasan_ii_id=one("relations.atasan_ii_id", raw.atasan_ii_id),
        atasan_iii_id=one("relations.atasan_iii_id", raw.atasan_iii_id),
        rekan_kerja_ids=many("relations.rekan_kerja_ids", raw.rekan_kerja_ids),
        bawahan_ids=many("relations.bawahan_ids", raw.bawahan_ids),
    )
    if violations:
        raise InvalidArgument(violations)
    return result


def set_profile_relations(uow: UnitOfWork, pegawai_id: str, raw: org_pb2.ProfileRelations) -> Relations:
    """Stores a pegawai's overrides (by the pegawai or an admin of the instansi); emits ProfileRelationsChanged.

    Empty fields return to the computed value; all empty clears the overrides.
    """
    principal = caller()
    wanted = parse_id(pegawai_id, *NOT_FOUND)
    own = principal.pegawai_id == wanted and principal.tenant_id == principal.instansi_id
    admin = principal.is_admin_instansi or (
        principal.is_admin_bkn and principal.acting_instansi_id is not None
    )
    if not (own or admin):
        raise PermissionDenied("NOT_OWN_PROFILE", "Anda hanya dapat mengubah profil Anda sendiri.")
    overrides = _parse_overrides(raw)
    with uow.transaction() as tx:
        repo = OrgRepository(tx.session, tx.tenant)
        repo.lock_instansi()
        pegawai = repo.pegawai_row(wanted, for_update=True, active_only=True)
        if pegawai is None:
            raise NotFound(*NOT_FOUND)
        validate_overrides(overrides, wanted, repo.active_ids(overrides.referenced()))
        stored = repo.overrides_row(wanted)
        if overrides.is_empty():
            if stored is not None:
                tx.session.delete(stored)
        else:
            if stored is None:
                stored = ProfileRelationsRow(instansi_id=repo.tenant, pegawai_id=wanted)
                tx.session.add(stored)
            stored.atasan_langsung_id = overrides.atasan_langsung_id
            stored.atasan_ii_id = overrides.atasan_ii_id
            stored.atasan_iii_id = overrides.atasan_iii_id
            stored.rekan_kerja_ids = list(overrides.rekan_kerja_ids)
            stored.bawahan_ids = list(overrides.bawahan_ids)
            stored.updated_at = datetime.now(UTC)
        # Overrides are part of the pegawai aggregate: its version orders the events on its key.
        pegawai.version += 1
        pegawai.updated_at = datetime.now(UTC)
        tx.session.flush()
        tx.emit(
            TOPIC_PEGAWAI,
            org_pb2.ProfileRelationsChanged(pegawai_id=str(wanted), relations=overrides_pb(overrides)),
            aggregate_type="pegawai",
            aggregate_id=wanted,
            aggregate_version=pegawai.version,
        )
        relations = load_graph(repo, today(), [wanted]).relations_of(wanted)
        tx.commit()
    return relations
