"""The bounded relations loader answers exactly as the whole instansi would: random trees with heads,
headless units, PLT/PLH (some not in force, some switched off, some of removed pegawai), removed pegawai and
profile overrides (some naming removed pegawai), every pegawai compared with the computation on the whole
instansi loaded at once (the way relations were read before), with and without the lists."""

from __future__ import annotations

import random
import uuid
from datetime import date, timedelta

import pytest
from sqlalchemy import Engine, text

from kinerja_kit.db import UnitOfWork
from kinerja_testing.org import OrgWorld
from org.adapters.repository import OrgRepository
from org.domain.relations import OrgGraph
from org.service_layer.relations import GraphLoader

pytestmark = pytest.mark.integration

AS_OF = date(2026, 6, 15)


def whole_graph(repo: OrgRepository, as_of: date) -> OrgGraph:
    """Everything of the instansi, as the service read it before it was bounded."""
    definitive, heads = repo.heads()
    acting, acting_people = repo.acting_heads(as_of)
    tree = repo.tree()
    people = {p.id: p for p in repo.people(units=list(tree.parent))}
    for p in [*heads, *acting_people]:
        people.setdefault(p.id, p)
    members: dict[uuid.UUID, list[uuid.UUID]] = {}
    for person in people.values():
        members.setdefault(person.unor_id, []).append(person.id)
    return OrgGraph(
        tree=tree,
        as_of=as_of,
        definitive_heads=definitive,
        acting_heads=acting,
        people=people,
        overrides=repo.all_overrides(),
        members=members,
    )


def random_instansi(world: OrgWorld, seed: int) -> tuple[uuid.UUID, list[uuid.UUID]]:
    """A random instansi written straight into the tables (a superuser session)."""
    rng = random.Random(seed)
    tenant = world.instansi(f"Acak {seed}")
    units: list[uuid.UUID] = []
    parents: dict[uuid.UUID, uuid.UUID | None] = {}
    for i in range(rng.randint(8, 30)):
        unit = uuid.uuid4()
        parents[unit] = None if i == 0 else rng.choice(units[-6:] if rng.random() < 0.6 else units)
        units.append(unit)
    people: list[tuple[uuid.UUID, uuid.UUID, bool, bool]] = []  # id, unit, pimpinan, active
    for unit in units:
        if rng.random() < 0.65:
            people.append((uuid.uuid4(), unit, True, True))
        for _ in range(rng.randint(0, 5)):
            people.append((uuid.uuid4(), unit, False, rng.random() > 0.1))
    with world.inspect_engine.begin() as conn:
        for unit in units:
            conn.execute(
                text(
                    "insert into unor (instansi_id, id, nama, jenis, parent_id) "
                    "values (:i, :u, :n, 'ADMINISTRATOR', :p)"
                ),
                {"i": tenant.id, "u": unit, "n": f"Unit {rng.randint(0, 99)}", "p": parents[unit]},
            )
        for pid, unit, pimpinan, active in people:
            conn.execute(
                text(
                    "insert into pegawai (instansi_id, id, nip, nama, unor_id, pimpinan, jabatan_nama, "
                    "jabatan_jenis, active) values (:i, :p, :nip, :n, :u, :lead, 'J', 'PELAKSANA', :a)"
                ),
                {
                    "i": tenant.id, "p": pid, "nip": f"{rng.randint(10**17, 10**18 - 1)}",
                    "n": rng.choice(["Sari", "Budi", "Agus", "Dewi", "sari"]) + f" {rng.randint(0, 9)}",
                    "u": unit, "lead": pimpinan, "a": active,
                },
            )  # fmt: skip
        everyone = [p[0] for p in people]
        for _ in range(rng.randint(2, 12)):
            pid = rng.choice(everyone)  # often a head of another unit
            start = AS_OF + timedelta(days=rng.randint(-40, 10))
            conn.execute(
                text(
                    "insert into plt (instansi_id, id, pegawai_id, unor_id, jabatan, jenis, tanggal_mulai, "
                    "tanggal_selesai, aktif) values (:i, :id, :p, :u, 'Plt', 'PLT', :m, :s, :a)"
                ),
                {
                    "i": tenant.id, "id": uuid.uuid4(), "p": pid, "u": rng.choice(units), "m": start,
                    "s": start + timedelta(days=rng.randint(0, 60)), "a": rng.random() > 0.15,
                },
            )  # fmt: skip
        for subject in rng.sample(everyone, len(everyone) // rng.randint(3, 6)):

            def pick() -> uuid.UUID | None:
                return rng.choice(everyone) if rng.random() < 0.4 else None

            conn.execute(
                text(
                    "insert into profile_relations (instansi_id, pegawai_id, atasan_langsung_id, atasan_ii_id, "
                    "atasan_iii_id, rekan_kerja_ids, bawahan_ids) values (:i, :p, :a1, :a2, :a3, :r, :b)"
                ),
                {
                    "i": tenant.id, "p": subject, "a1": rng.choice(everyone) if rng.random() < 0.7 else None,
                    "a2": pick(), "a3": pick(),
                    "r": rng.sample(everyone, rng.randint(0, 3)) if rng.random() < 0.3 else [],
                    "b": rng.sample(everyone, rng.randint(0, 3)) if rng.random() < 0.3 else [],
                },
            )  # fmt: skip
    return tenant.id, [p[0] for p in people]


@pytest.mark.parametrize("seed", range(8))
def test_bounded_loading_answers_as_the_whole_instansi(
    world: OrgWorld, app_engine: Engine, seed: int
) -> None:
    tenant, people = random_instansi(world, seed)
    uow = UnitOfWork.from_engine(app_engine)
    with uow.transaction(tenant=tenant) as tx:
        repo = OrgRepository(tx.session, tenant)
        whole = whole_graph(repo, AS_OF)
        expected = {p: whole.relations_of(p) for p in people if p in whole.people}
        for pegawai_id in people:  # one at a time, as GetRelations
            found = GraphLoader(repo, AS_OF).relations([pegawai_id], lists=True)
            assert found.get(pegawai_id) == expected.get(pegawai_id), (seed, pegawai_id)
            short = GraphLoader(repo, AS_OF).relations([pegawai_id], lists=False).get(pegawai_id)
            if pegawai_id in expected:
                assert short == whole.relations_of(pegawai_id, lists=False)
                assert short is not None and short.bawahan_ids == () and short.rekan_kerja_ids == ()
            else:
                assert short is None
        batch = GraphLoader(repo, AS_OF).relations(people, lists=True)  # all at once, as a batch
        assert batch == expected
