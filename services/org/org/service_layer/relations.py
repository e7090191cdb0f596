"""Relations queries (atasan, bawahan, rekan kerja) and the profile overrides of 001 "Ubah Profile"."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime

from kinerja.org.v1 import org_pb2
from kinerja_kit.db import UnitOfWork
from kinerja_kit.errors import FieldViolation, InvalidArgument, NotFound, PermissionDenied
from kinerja_kit.ids import parse_uuid
from kinerja_kit.paging import decode_page_token, fingerprint, page_size, split_page
from org.adapters.orm import ProfileRelationsRow
from org.adapters.proto import overrides_pb
from org.adapters.repository import OrgRepository, UnitRow, pegawai_from_row
from org.domain.pegawai import Pegawai
from org.domain.relations import OrgGraph, Person, ProfileOverrides, Relations, validate_overrides
from org.domain.unor import UnorTree
from org.domain.values import parse_iso_date
from org.service_layer.common import TOPIC_PEGAWAI, caller, parse_id, parse_ids, today

NOT_FOUND = ("PEGAWAI_NOT_FOUND", "Pegawai tidak ditemukan.")
LISTS = ("bawahan_ids", "rekan_kerja_ids")


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


class GraphLoader:
    """Reads the part of an instansi's org graph that some pegawai's relations need, and no more.

    A GetRelations costs the pegawai's chain of unit ancestors with the heads (and PLT/PLH in force) of
    those units, the same for their atasan, atasan II and III (each read a step at a time, since who they
    are depends on the step before), and the overrides that matter: the pegawai's own, their atasan's,
    and, for a list, those of the candidates and those naming the leader. A list of bawahan (or rekan
    kerja: the bawahan of the atasan) adds the leader's region: the units it leads, the headless units
    below them found a level at a time, the heads of the first headed units below, and the members of
    the region. Every step is a few queries for the whole batch; the graph the domain computes on
    (`OrgGraph`) holds only what was read, which the domain answers on as on the whole instansi (see its
    docstring).
    """

    def __init__(self, repo: OrgRepository, as_of: date) -> None:
        self.repo = repo
        self.as_of = as_of
        self.parents: dict[uuid.UUID, uuid.UUID | None] = {}
        self.heads: dict[uuid.UUID, uuid.UUID] = {}
        self.acting: dict[uuid.UUID, list[uuid.UUID]] = {}
        self.expanded: set[uuid.UUID] = set()
        self.people: dict[uuid.UUID, Person] = {}
        self.looked_up: set[uuid.UUID] = set()
        self.overrides: dict[uuid.UUID, ProfileOverrides] = {}
        self.overrides_read: set[uuid.UUID] = set()
        self.members: dict[uuid.UUID, list[uuid.UUID]] = {}
        self.acting_read: set[uuid.UUID] = set()
        self.naming_read: set[uuid.UUID] = set()

    def graph(self) -> OrgGraph:
        return OrgGraph(
            tree=UnorTree(self.parents),
            as_of=self.as_of,
            definitive_heads=self.heads,
            acting_heads=self.acting,
            people=self.people,
            overrides=self.overrides,
            members=self.members,
        )

    # ---- the steps ----

    def relations(self, wanted: list[uuid.UUID], *, lists: bool) -> dict[uuid.UUID, Relations]:
        """The relations of the active pegawai among `wanted` (others are left out)."""
        graph, found = self.load(wanted, LISTS if lists else ())
        return {i: graph.relations_of(i, lists=lists) for i in found}

    def load(self, wanted: list[uuid.UUID], lists: Iterable[str] = ()) -> tuple[OrgGraph, list[uuid.UUID]]:
        """The graph answering the relations of the active pegawai among `wanted` (returned, in order),
        with the lists named in `lists` ("bawahan_ids", "rekan_kerja_ids")."""
        lists = set(lists)
        self._people(wanted)
        found = [i for i in wanted if i in self.people]
        self._prepare(found, all_targets=True)
        self._acting_for(found)
        # atasan langsung, then atasan II: each known once the step before is read
        for field_name in ("atasan_langsung_id", "atasan_ii_id"):
            graph = self.graph()
            step = {getattr(graph.relations_of(i, lists=False), field_name) for i in found}
            self._prepare([i for i in step if i is not None])
        if lists:
            graph = self.graph()
            leaders: set[uuid.UUID] = set()
            for i in found:
                rel = graph.relations_of(i, lists=False)
                if "bawahan_ids" in lists and "bawahan_ids" not in rel.overridden:
                    leaders.add(i)
                rekan = "rekan_kerja_ids" in lists and "rekan_kerja_ids" not in rel.overridden
                if rekan and rel.atasan_langsung_id is not None:
                    leaders.add(rel.atasan_langsung_id)
            self._regions(leaders)
        return self.graph(), found

    def _people(self, ids: Iterable[uuid.UUID]) -> None:
        wanted = set(ids) - self.looked_up
        if wanted:
            self.looked_up |= wanted
            for person in self.repo.people(ids=wanted):
                self.people.setdefault(person.id, person)

    def _prepare(self, ids: Iterable[uuid.UUID], *, all_targets: bool = False) -> None:
        """What the atasan of these (active, known) pegawai needs: their override, whether its targets
        are active, and their unit's chain with its heads."""
        wanted = [i for i in set(ids) if i in self.people]
        unread = [i for i in wanted if i not in self.overrides_read]
        if unread:
            self.overrides_read |= set(unread)
            self.overrides.update(self.repo.overrides_of(unread))
        targets: set[uuid.UUID] = set()
        for i in wanted:
            override = self.overrides.get(i)
            if override is None:
                continue
            if all_targets:
                targets |= override.referenced()
            elif override.atasan_langsung_id is not None:
                targets.add(override.atasan_langsung_id)
        self._people(targets)
        self._units(self.people[i].unor_id for i in wanted)

    def _units(self, units: Iterable[uuid.UUID]) -> None:
        """These units with their chains of ancestors, each with its heads."""
        missing = set(units) - set(self.parents)
        if missing:
            self._add_units(self.repo.unit_chains(missing))

    def _add_units(self, rows: Iterable[UnitRow]) -> None:
        new: list[uuid.UUID] = []
        for row in rows:
            if row.id in self.parents:
                continue
            self.parents[row.id] = row.parent_id
            new.append(row.id)
            if row.head is not None:
                self.heads[row.id] = row.head.id
                self.people.setdefault(row.head.id, row.head)
                self.looked_up.add(row.head.id)
        acting, people = self.repo.acting_heads(self.as_of, new)
        self.acting.update(acting)
        for person in people:
            self.people.setdefault(person.id, person)
            self.looked_up.add(person.id)

    def _acting_for(self, pegawai_ids: Iterable[uuid.UUID]) -> None:
        """The units these pegawai lead as PLT/PLH in force (with their chains)."""
        unread = set(pegawai_ids) - self.acting_read
        if unread:
            self.acting_read |= unread
            self._units(self.repo.acting_units(self.as_of, unread))

    def _regions(self, leaders: set[uuid.UUID]) -> None:
        """Everything `bawahan_of` needs for these leaders."""
        self._prepare(leaders)
        self._acting_for(leaders)
        while True:  # the headless units below a leader's units, a level at a time
            graph = self.graph()
            units: set[uuid.UUID] = set()
            for leader in leaders:
                units |= graph.region(leader)[0]
            unexpanded = units - self.expanded
            if not unexpanded:
                break
            self.expanded |= unexpanded
            self._add_units(self.repo.unit_children(unexpanded))
        heads: set[uuid.UUID] = set()
        for leader in leaders:
            heads |= graph.region(leader)[1]
        unread_units = [u for u in units if u not in self.members]
        for unit in unread_units:
            self.members[unit] = []
        for person in self.repo.people(units=unread_units):
            self.people.setdefault(person.id, person)
            self.looked_up.add(person.id)
            self.members[person.unor_id].append(person.id)
        unread_leaders = leaders - self.naming_read
        subjects: set[uuid.UUID] = set()
        if unread_leaders:
            self.naming_read |= unread_leaders
            naming = self.repo.overrides_naming(unread_leaders)
            for subject, override in naming.items():
                if subject not in self.overrides_read:
                    self.overrides[subject] = override
                    self.overrides_read.add(subject)
            subjects = set(naming)
            self._people(subjects)
        candidates = heads | subjects
        for unit in units:
            candidates.update(self.members.get(unit, ()))
        self._prepare(candidates)


def get_relations(uow: UnitOfWork, pegawai_id: str, as_of: str = "", omit_lists: bool = False) -> Relations:
    """The relations of one active pegawai on `as_of` (default today); `omit_lists` leaves out bawahan
    and rekan kerja (read them with ListRelated) and reads the chain of atasan only."""
    caller()
    wanted = parse_id(pegawai_id, *NOT_FOUND)
    day = parse_as_of(as_of)
    with uow.transaction() as tx:
        found = GraphLoader(OrgRepository(tx.session, tx.tenant), day).relations(
            [wanted], lists=not omit_lists
        )
    if wanted not in found:
        raise NotFound(*NOT_FOUND)
    return found[wanted]


def batch_get_relations(
    uow: UnitOfWork, pegawai_ids: list[str], as_of: str = "", omit_lists: bool = False
) -> list[Relations]:
    """Relations of the active pegawai among `pegawai_ids`, in the order asked, unknown ones skipped."""
    caller()
    wanted = parse_ids(pegawai_ids)
    day = parse_as_of(as_of)
    if not wanted:
        return []
    with uow.transaction() as tx:
        found = GraphLoader(OrgRepository(tx.session, tx.tenant), day).relations(wanted, lists=not omit_lists)
    return [found[i] for i in wanted if i in found]


@dataclass(frozen=True)
class RelatedPage:
    """One page of a pegawai's bawahan or rekan kerja; the total is exact."""

    pegawai: list[Pegawai]
    next_page_token: str
    total_count: int


KINDS: dict[int, str] = {
    org_pb2.RELATED_KIND_BAWAHAN: "bawahan_ids",
    org_pb2.RELATED_KIND_REKAN_KERJA: "rekan_kerja_ids",
}


def list_related(
    uow: UnitOfWork, pegawai_id: str, kind: int, as_of: str = "", size: int = 0, page_token: str = ""
) -> RelatedPage:
    """A page of the pegawai's bawahan or rekan kerja on `as_of` (same rules and overrides as
    GetRelations) by (nama, id). The candidates come from the leader's region (bounded by the units it
    leads, not the instansi); the page itself is read by id in name order; the total is exact."""
    caller()
    wanted = parse_id(pegawai_id, *NOT_FOUND)
    field_name = KINDS.get(kind)
    if field_name is None:
        raise InvalidArgument(
            [FieldViolation("kind", "REQUIRED", "Pilih jenis daftar: bawahan atau rekan kerja.")]
        )
    day = parse_as_of(as_of)
    limit = page_size(size)
    filters = fingerprint("related", str(wanted), field_name, day.isoformat())
    after = decode_page_token(page_token, filters) if page_token else None
    with uow.transaction() as tx:
        repo = OrgRepository(tx.session, tx.tenant)
        graph, found = GraphLoader(repo, day).load([wanted], [field_name])
        if not found:
            raise NotFound(*NOT_FOUND)
        listed = graph.bawahan_list if field_name == "bawahan_ids" else graph.rekan_kerja_list
        ids = listed(wanted)
        rows = repo.page_of(ids, after, limit + 1)
        shown, token = split_page(rows, limit, lambda r: (r.nama, r.id), filters)
        page = [pegawai_from_row(r) for r in shown]
    return RelatedPage(pegawai=page, next_page_token=token, total_count=len(ids))


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
        relations = GraphLoader(repo, today()).relations([wanted], lists=True)[wanted]
        tx.commit()
    return relations
