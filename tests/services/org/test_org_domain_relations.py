"""Relations computed from the tree, PLT/PLH and profile overrides (pure domain, no database).

The tree:            ROOT (head K)
    SEK (head S, staff s1)  BID (no head; PLT: H, staff b1 b2)  INF (head H, staff i1)  KOSONG (no head, staff n1)
    SUB (under SEK; head U, staff u1)                                                   SUBK (under KOSONG; head X, staff x1)
"""

from __future__ import annotations

import uuid
from datetime import date

import pytest

from kinerja_kit.errors import InvalidArgument
from org.domain.relations import OrgGraph, Person, ProfileOverrides, validate_overrides
from org.domain.unor import UnorTree

AS_OF = date(2026, 11, 20)


def _ids(*names: str) -> dict[str, uuid.UUID]:
    return {n: uuid.uuid5(uuid.NAMESPACE_OID, n) for n in names}


U = _ids("ROOT", "SEK", "SUB", "BID", "INF", "KOSONG", "SUBK")
P = _ids("K", "S", "s1", "U", "u1", "b1", "b2", "H", "i1", "n1", "X", "x1")
HOME = {
    "K": "ROOT", "S": "SEK", "s1": "SEK", "U": "SUB", "u1": "SUB", "b1": "BID", "b2": "BID",
    "H": "INF", "i1": "INF", "n1": "KOSONG", "X": "SUBK", "x1": "SUBK",
}  # fmt: skip
PARENT = {
    "ROOT": None,
    "SEK": "ROOT",
    "SUB": "SEK",
    "BID": "ROOT",
    "INF": "ROOT",
    "KOSONG": "ROOT",
    "SUBK": "KOSONG",
}
HEADS = {"ROOT": "K", "SEK": "S", "SUB": "U", "INF": "H", "SUBK": "X"}


def graph(
    *,
    acting: dict[str, list[str]] | None = None,
    heads: dict[str, str] | None = None,
    overrides: dict[str, ProfileOverrides] | None = None,
    gone: set[str] = frozenset(),  # type: ignore[assignment]
) -> OrgGraph:
    """The whole instansi loaded (as the service does for the units it needs)."""
    people = {P[n]: Person(P[n], U[h], n) for n, h in HOME.items() if n not in gone}
    members: dict[uuid.UUID, list[uuid.UUID]] = {}
    for person in people.values():
        members.setdefault(person.unor_id, []).append(person.id)
    return OrgGraph(
        tree=UnorTree({U[u]: U[p] if p else None for u, p in PARENT.items()}),
        as_of=AS_OF,
        definitive_heads={U[u]: P[h] for u, h in (HEADS if heads is None else heads).items()},
        acting_heads={
            U[u]: [P[h] for h in hs] for u, hs in (acting if acting is not None else {"BID": ["H"]}).items()
        },
        people=people,
        overrides={P[n]: o for n, o in (overrides or {}).items()},
        members=members,
    )


def names(ids: tuple[uuid.UUID, ...] | list[uuid.UUID]) -> set[str]:
    back = {v: k for k, v in P.items()}
    return {back[i] for i in ids}


def name(value: uuid.UUID | None) -> str | None:
    return None if value is None else {v: k for k, v in P.items()}[value]


def test_root_head_has_no_atasan() -> None:
    rel = graph().relations_of(P["K"])
    assert rel.atasan_langsung_id is None and rel.atasan_ii_id is None and rel.atasan_iii_id is None
    assert names(rel.bawahan_ids) == {"S", "H", "n1", "X"}
    assert rel.rekan_kerja_ids == ()
    assert rel.memimpin_unor_ids == (U["ROOT"],)
    assert rel.overridden == ()


def test_staff_head_and_chain_upwards() -> None:
    g = graph()
    staff = g.relations_of(P["u1"])
    assert (name(staff.atasan_langsung_id), name(staff.atasan_ii_id), name(staff.atasan_iii_id)) == (
        "U",
        "S",
        "K",
    )
    assert staff.bawahan_ids == () and staff.rekan_kerja_ids == ()
    head = g.relations_of(P["U"])
    assert (name(head.atasan_langsung_id), name(head.atasan_ii_id), name(head.atasan_iii_id)) == (
        "S",
        "K",
        None,
    )
    assert names(head.bawahan_ids) == {"u1"}
    assert names(head.rekan_kerja_ids) == {"s1"}
    assert names(g.relations_of(P["S"]).bawahan_ids) == {"s1", "U"}


def test_active_plt_leads_a_unit_without_a_head() -> None:
    g = graph()
    staff = g.relations_of(P["b1"])
    assert name(staff.atasan_langsung_id) == "H" and name(staff.atasan_ii_id) == "K"
    assert names(staff.rekan_kerja_ids) == {"b2", "i1"}
    acting = g.relations_of(P["H"])
    assert name(acting.atasan_langsung_id) == "K"  # skips itself as head of its own INF
    assert names(acting.bawahan_ids) == {"i1", "b1", "b2"}
    assert set(acting.memimpin_unor_ids) == {U["INF"], U["BID"]}


def test_without_the_plt_the_unit_reports_to_the_head_above() -> None:
    g = graph(acting={})
    assert name(g.relations_of(P["b1"]).atasan_langsung_id) == "K"
    assert names(g.relations_of(P["H"]).bawahan_ids) == {"i1"}
    assert U["BID"] not in g.relations_of(P["H"]).memimpin_unor_ids


def test_definitive_head_wins_over_plt_but_plt_still_leads() -> None:
    g = graph(heads={**HEADS, "BID": "b2"})
    assert name(g.relations_of(P["b1"]).atasan_langsung_id) == "b2"
    assert name(g.relations_of(P["b2"]).atasan_langsung_id) == "K"
    assert U["BID"] in g.relations_of(P["H"]).memimpin_unor_ids


def test_headless_units_report_upwards() -> None:
    g = graph()
    assert name(g.relations_of(P["n1"]).atasan_langsung_id) == "K"
    x = g.relations_of(P["X"])
    assert name(x.atasan_langsung_id) == "K" and names(x.bawahan_ids) == {"x1"}
    assert (name(g.relations_of(P["x1"]).atasan_langsung_id), name(g.relations_of(P["x1"]).atasan_ii_id)) == (
        "X",
        "K",
    )


def test_plt_from_below_does_not_make_a_cycle() -> None:
    # u1 (staff of SUB) acts for SEK while SEK has no head: u1 -> U -> u1 would loop.
    g = graph(heads={k: v for k, v in HEADS.items() if k != "SEK"}, acting={"SEK": ["u1"]})
    rel = g.relations_of(P["u1"])
    assert name(rel.atasan_langsung_id) == "U"
    assert rel.atasan_ii_id is None or name(rel.atasan_ii_id) != "u1"
    assert name(g.relations_of(P["U"]).atasan_langsung_id) == "u1"


def test_overridden_atasan_langsung_moves_bawahan_and_rekan() -> None:
    g = graph(overrides={"u1": ProfileOverrides(atasan_langsung_id=P["S"])})
    rel = g.relations_of(P["u1"])
    assert (name(rel.atasan_langsung_id), name(rel.atasan_ii_id), name(rel.atasan_iii_id)) == ("S", "K", None)
    assert rel.overridden == ("atasan_langsung_id",)
    assert names(rel.rekan_kerja_ids) == {"s1", "U"}
    assert names(g.relations_of(P["S"]).bawahan_ids) == {"s1", "U", "u1"}
    assert names(g.relations_of(P["U"]).bawahan_ids) == set()


def test_every_override_field() -> None:
    chosen = ProfileOverrides(
        atasan_ii_id=P["H"],
        atasan_iii_id=P["X"],
        rekan_kerja_ids=(P["i1"], P["i1"], P["n1"]),
        bawahan_ids=(P["x1"],),
    )
    rel = graph(overrides={"U": chosen}).relations_of(P["U"])
    assert name(rel.atasan_langsung_id) == "S"  # still computed
    assert (name(rel.atasan_ii_id), name(rel.atasan_iii_id)) == ("H", "X")
    assert [name(i) for i in rel.rekan_kerja_ids] == ["i1", "n1"]
    assert names(rel.bawahan_ids) == {"x1"}
    assert set(rel.overridden) == {"atasan_ii_id", "atasan_iii_id", "rekan_kerja_ids", "bawahan_ids"}


def test_overrides_naming_removed_pegawai_fall_back_to_computed() -> None:
    g = graph(
        overrides={"u1": ProfileOverrides(atasan_langsung_id=P["s1"], rekan_kerja_ids=(P["s1"],))},
        gone={"s1"},
    )
    rel = g.relations_of(P["u1"])
    assert name(rel.atasan_langsung_id) == "U" and rel.overridden == ()


def test_units_to_load_cover_bawahan_and_rekan() -> None:
    g = graph()
    assert g.units_to_load([P["b1"]]) == {U["INF"], U["BID"]}
    assert g.units_to_load([P["K"]]) == {U["ROOT"], U["KOSONG"]}


def test_validate_overrides() -> None:
    known = {P["S"], P["K"]}
    validate_overrides(ProfileOverrides(atasan_langsung_id=P["S"]), P["u1"], known)
    with pytest.raises(InvalidArgument) as error:
        validate_overrides(
            ProfileOverrides(atasan_langsung_id=P["u1"], rekan_kerja_ids=(P["K"], uuid.uuid4())),
            P["u1"],
            known,
        )
    assert {v.field: v.code for v in error.value.violations} == {
        "relations.atasan_langsung_id": "SELF_REFERENCE",
        "relations.rekan_kerja_ids[1]": "PEGAWAI_NOT_FOUND",
    }
