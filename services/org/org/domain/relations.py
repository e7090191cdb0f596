"""Who is whose atasan langsung, atasan II/III, bawahan and rekan kerja: from the tree, PLT/PLH, overrides.

Rules (domain.md "Org structure", 001 "Ubah Profile"):
- The head of a unor is its pimpinan; a unor without one is led by its active PLT/PLH, if any.
- Atasan langsung: the head of one's own unor; for that head (or when the unor has no head), the head
  of the nearest unor above that has one. Nobody is their own atasan.
- Atasan II / III: the atasan langsung of the atasan langsung, and once more.
- Bawahan: everyone whose atasan langsung is this pegawai. Rekan kerja: the others with the same
  atasan langsung.
- A profile override (atasan langsung, II, III, rekan kerja, bawahan) replaces the computed value;
  an overridden atasan langsung also counts when computing other people's bawahan and rekan kerja.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

from kinerja_kit.errors import Violations
from org.domain.unor import UnorTree

MAX_LISTED = 100
"""Most pegawai one override list (rekan kerja, bawahan) may name."""


@dataclass(frozen=True)
class Person:
    """The little of a pegawai that relations need: where they sit and their name (for ordering)."""

    id: uuid.UUID
    unor_id: uuid.UUID
    nama: str = ""


@dataclass(frozen=True)
class ProfileOverrides:
    """What a pegawai set on their profile; None / empty means "computed"."""

    atasan_langsung_id: uuid.UUID | None = None
    atasan_ii_id: uuid.UUID | None = None
    atasan_iii_id: uuid.UUID | None = None
    rekan_kerja_ids: tuple[uuid.UUID, ...] = ()
    bawahan_ids: tuple[uuid.UUID, ...] = ()

    def is_empty(self) -> bool:
        return not (
            self.atasan_langsung_id
            or self.atasan_ii_id
            or self.atasan_iii_id
            or self.rekan_kerja_ids
            or self.bawahan_ids
        )

    def referenced(self) -> set[uuid.UUID]:
        ids = {self.atasan_langsung_id, self.atasan_ii_id, self.atasan_iii_id}
        return {i for i in ids if i is not None} | set(self.rekan_kerja_ids) | set(self.bawahan_ids)


@dataclass(frozen=True)
class Relations:
    """The relations of one pegawai on one day; `overridden` names the fields taken from the profile."""

    pegawai_id: uuid.UUID
    as_of: date
    atasan_langsung_id: uuid.UUID | None = None
    atasan_ii_id: uuid.UUID | None = None
    atasan_iii_id: uuid.UUID | None = None
    bawahan_ids: tuple[uuid.UUID, ...] = ()
    rekan_kerja_ids: tuple[uuid.UUID, ...] = ()
    memimpin_unor_ids: tuple[uuid.UUID, ...] = ()
    overridden: tuple[str, ...] = ()


@dataclass
class OrgGraph:
    """An instansi's tree with its heads, active PLT/PLH on one day, profile overrides and the people known.

    `people` must hold every pegawai the computation may name: the ones asked about, every head and
    acting head, every override subject and target, and the members of the units `units_to_load`
    returns. Override targets missing from `people` (removed pegawai) are ignored.

    The graph may also hold only part of an instansi (the service loads what one answer needs): it
    answers as the whole would when, for every pegawai whose atasan it computes, their unit's chain of
    ancestors is in `tree` with the heads of those units and their override; for every leader whose
    bawahan it lists, the units it leads, every child of the units of its `region` (with their heads),
    the members of that region and every override naming the leader; and every unit in `tree` comes
    with its heads.
    """

    tree: UnorTree
    as_of: date
    definitive_heads: Mapping[uuid.UUID, uuid.UUID]
    acting_heads: Mapping[uuid.UUID, list[uuid.UUID]]
    people: dict[uuid.UUID, Person]
    overrides: Mapping[uuid.UUID, ProfileOverrides] = field(default_factory=dict)
    members: dict[uuid.UUID, list[uuid.UUID]] = field(default_factory=dict)
    # Answers remembered by this graph, which is read-only once built: the heads up a unit's chain, a
    # leader's region and bawahan (a batch asks the same leader for each of its rekan kerja).
    _heads_up: dict[uuid.UUID, tuple[uuid.UUID, ...]] = field(default_factory=dict, init=False, repr=False)
    _regions: dict[uuid.UUID, tuple[set[uuid.UUID], set[uuid.UUID]]] = field(
        default_factory=dict, init=False, repr=False
    )
    _bawahan: dict[uuid.UUID, list[uuid.UUID]] = field(default_factory=dict, init=False, repr=False)

    def head_of(self, unor_id: uuid.UUID) -> uuid.UUID | None:
        """The definitive head, else the first active PLT/PLH, else None."""
        head = self.definitive_heads.get(unor_id)
        if head is not None:
            return head
        acting = self.acting_heads.get(unor_id)
        return acting[0] if acting else None

    def computed_atasan(self, pegawai_id: uuid.UUID) -> uuid.UUID | None:
        """Atasan langsung from the tree and PLT/PLH alone."""
        person = self.people.get(pegawai_id)
        if person is None or person.unor_id not in self.tree:
            return None
        for head in self.heads_up(person.unor_id):
            if head != pegawai_id:
                return head
        return None

    def heads_up(self, unit_id: uuid.UUID) -> tuple[uuid.UUID, ...]:
        """The heads of the unit and of each unit above it, nearest first (headless units skipped)."""
        found = self._heads_up.get(unit_id)
        if found is None:
            chain = (self.head_of(u) for u in [unit_id, *self.tree.ancestors(unit_id)])
            found = self._heads_up[unit_id] = tuple(h for h in chain if h is not None)
        return found

    def effective_atasan(self, pegawai_id: uuid.UUID) -> uuid.UUID | None:
        """Atasan langsung after the pegawai's own profile override."""
        override = self.overrides.get(pegawai_id)
        if override and self._valid_target(override.atasan_langsung_id, pegawai_id):
            return override.atasan_langsung_id
        return self.computed_atasan(pegawai_id)

    def led_units(self, pegawai_id: uuid.UUID) -> list[uuid.UUID]:
        """Units led definitively or as active PLT/PLH."""
        units = {u for u, h in self.definitive_heads.items() if h == pegawai_id}
        units |= {u for u, hs in self.acting_heads.items() if pegawai_id in hs}
        return sorted(units, key=str)

    def region(self, leader_id: uuid.UUID) -> tuple[set[uuid.UUID], set[uuid.UUID]]:
        """Where the computed bawahan of `leader_id` can be: (units whose members to consider, heads).

        The units it heads, plus the headless units below them; and the heads of the first headed
        units below those.
        """
        cached = self._regions.get(leader_id)
        if cached is not None:
            return set(cached[0]), set(cached[1])
        units = {u for u in self.tree.parent if self.head_of(u) == leader_id}
        heads: set[uuid.UUID] = set()
        stack = list(units)
        while stack:
            current = stack.pop()
            for child in self.tree.children.get(current, ()):
                head = self.head_of(child)
                if head is None:
                    if child not in units:
                        units.add(child)
                        stack.append(child)
                elif head != leader_id:
                    heads.add(head)
        self._regions[leader_id] = (set(units), set(heads))
        return units, heads

    def units_to_load(self, pegawai_ids: Iterable[uuid.UUID]) -> set[uuid.UUID]:
        """Units whose members `relations_of` needs for these pegawai (their bawahan and rekan kerja)."""
        needed: set[uuid.UUID] = set()
        for pegawai_id in pegawai_ids:
            for leader in (pegawai_id, self.effective_atasan(pegawai_id)):
                if leader is not None:
                    needed |= self.region(leader)[0]
        return needed

    def bawahan_of(self, leader_id: uuid.UUID) -> list[uuid.UUID]:
        """Everyone whose effective atasan langsung is `leader_id`, by name."""
        cached = self._bawahan.get(leader_id)
        if cached is not None:
            return list(cached)
        units, heads = self.region(leader_id)
        candidates = set(heads)
        for unit in units:
            candidates.update(self.members.get(unit, ()))
        candidates |= {
            subject
            for subject, o in self.overrides.items()
            if o.atasan_langsung_id == leader_id and subject in self.people
        }
        candidates.discard(leader_id)
        found = [c for c in candidates if self.effective_atasan(c) == leader_id]
        self._bawahan[leader_id] = self._by_name(found)
        return list(self._bawahan[leader_id])

    def relations_of(self, pegawai_id: uuid.UUID, *, lists: bool = True) -> Relations:
        """Every relation of one pegawai, overrides applied. `lists=False` leaves bawahan and rekan kerja
        empty (not computed: they are read a page at a time); `overridden` still names them when the
        profile chooses them."""
        override = self.overrides.get(pegawai_id) or ProfileOverrides()
        overridden: list[str] = []

        atasan = self.effective_atasan(pegawai_id)
        if self._valid_target(override.atasan_langsung_id, pegawai_id):
            overridden.append("atasan_langsung_id")

        if self._valid_target(override.atasan_ii_id, pegawai_id):
            atasan_ii: uuid.UUID | None = override.atasan_ii_id
            overridden.append("atasan_ii_id")
        else:
            atasan_ii = self.effective_atasan(atasan) if atasan else None
            if atasan_ii in (pegawai_id, atasan):
                atasan_ii = None

        if self._valid_target(override.atasan_iii_id, pegawai_id):
            atasan_iii: uuid.UUID | None = override.atasan_iii_id
            overridden.append("atasan_iii_id")
        else:
            atasan_iii = self.effective_atasan(atasan_ii) if atasan_ii else None
            if atasan_iii in (pegawai_id, atasan, atasan_ii):
                atasan_iii = None

        if self._listed(override.bawahan_ids, pegawai_id):
            overridden.append("bawahan_ids")
        if self._listed(override.rekan_kerja_ids, pegawai_id):
            overridden.append("rekan_kerja_ids")
        bawahan = self.bawahan_list(pegawai_id) if lists else []
        rekan = self.rekan_kerja_list(pegawai_id) if lists else []

        return Relations(
            pegawai_id=pegawai_id,
            as_of=self.as_of,
            atasan_langsung_id=atasan,
            atasan_ii_id=atasan_ii,
            atasan_iii_id=atasan_iii,
            bawahan_ids=tuple(bawahan),
            rekan_kerja_ids=tuple(rekan),
            memimpin_unor_ids=tuple(self.led_units(pegawai_id)),
            overridden=tuple(overridden),
        )

    def bawahan_list(self, pegawai_id: uuid.UUID) -> list[uuid.UUID]:
        """The pegawai's bawahan: the ones their profile chooses, else the computed ones (by name)."""
        override = self.overrides.get(pegawai_id) or ProfileOverrides()
        return self._listed(override.bawahan_ids, pegawai_id) or self.bawahan_of(pegawai_id)

    def rekan_kerja_list(self, pegawai_id: uuid.UUID) -> list[uuid.UUID]:
        """The pegawai's rekan kerja: the ones their profile chooses, else the other bawahan of their
        (effective) atasan langsung."""
        override = self.overrides.get(pegawai_id) or ProfileOverrides()
        chosen = self._listed(override.rekan_kerja_ids, pegawai_id)
        if chosen:
            return chosen
        atasan = self.effective_atasan(pegawai_id)
        if atasan is None:
            return []
        return [r for r in self.bawahan_of(atasan) if r != pegawai_id]

    def _valid_target(self, target: uuid.UUID | None, pegawai_id: uuid.UUID) -> bool:
        return target is not None and target != pegawai_id and target in self.people

    def _listed(self, ids: Iterable[uuid.UUID], pegawai_id: uuid.UUID) -> list[uuid.UUID]:
        seen: dict[uuid.UUID, None] = {}
        for i in ids:
            if i != pegawai_id and i in self.people:
                seen.setdefault(i, None)
        return list(seen)

    def _by_name(self, ids: Iterable[uuid.UUID]) -> list[uuid.UUID]:
        return sorted(ids, key=lambda i: (self.people[i].nama.casefold(), str(i)))


def validate_overrides(overrides: ProfileOverrides, pegawai_id: uuid.UUID, known: set[uuid.UUID]) -> None:
    """Every named pegawai must be an active pegawai of the instansi, not the pegawai themself."""
    v = Violations()
    singles = {
        "relations.atasan_langsung_id": overrides.atasan_langsung_id,
        "relations.atasan_ii_id": overrides.atasan_ii_id,
        "relations.atasan_iii_id": overrides.atasan_iii_id,
    }
    for path, target in singles.items():
        if target is not None:
            _check_target(v, path, target, pegawai_id, known)
    lists = {
        "relations.rekan_kerja_ids": overrides.rekan_kerja_ids,
        "relations.bawahan_ids": overrides.bawahan_ids,
    }
    for path, ids in lists.items():
        if len(ids) > MAX_LISTED:
            v.add(path, "TOO_MANY", f"Paling banyak {MAX_LISTED} pegawai.")
        for index, target in enumerate(ids):
            _check_target(v, f"{path}[{index}]", target, pegawai_id, known)
    v.raise_if_any()


def _check_target(
    v: Violations, path: str, target: uuid.UUID, pegawai_id: uuid.UUID, known: set[uuid.UUID]
) -> None:
    if target == pegawai_id:
        v.add(path, "SELF_REFERENCE", "Tidak dapat memilih diri sendiri.")
    elif target not in known:
        v.add(path, "PEGAWAI_NOT_FOUND", "Pegawai tidak ditemukan di instansi ini.")
