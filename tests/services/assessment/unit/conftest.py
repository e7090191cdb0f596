"""Fakes the assessment rules run on in milliseconds: an in-memory store (nothing kept without commit),
a small org directory, a fixed clock, and a world of one instansi with an approved SKP."""

from __future__ import annotations

import contextlib
import copy
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

import pytest

from assessment.domain.events import Event
from assessment.domain.model import (
    IndikatorRencana,
    JenisPeriode,
    ModelSkp,
    Pejabat,
    Pendekatan,
    Penilaian,
    PerilakuRencana,
    Periode,
    RhkRencana,
    SkpRencana,
    StatusSkp,
    Target,
    Unor,
)
from assessment.domain.records import CapaianOrganisasi, Keberatan, Perpanjangan, Statistik, Tugas
from assessment.service_layer.common import Deps
from kinerja_kit.context import ROLE_ADMIN_INSTANSI, ROLE_PEGAWAI, Principal, current_principal
from kinerja_kit.ids import new_id
from kinerja_kit.org_directory import OrgPegawai, OrgPlt, OrgRelations, OrgUnor

INSTANSI = uuid.UUID("0193a000-0000-7000-8000-000000000001")


@dataclass
class State:
    skp: dict[uuid.UUID, SkpRencana] = field(default_factory=dict)
    periode: dict[uuid.UUID, Periode] = field(default_factory=dict)
    unor: dict[uuid.UUID, Unor] = field(default_factory=dict)
    penilaian: dict[uuid.UUID, Penilaian] = field(default_factory=dict)
    perpanjangan: list[Perpanjangan] = field(default_factory=list)
    tugas: dict[uuid.UUID, Tugas] = field(default_factory=dict)
    capaian: dict[uuid.UUID, CapaianOrganisasi] = field(default_factory=dict)
    keberatan: dict[uuid.UUID, Keberatan] = field(default_factory=dict)
    events: list[Event] = field(default_factory=list)


class FakeStore:
    """One transaction on a copy of the state: `commit()` makes it the state, anything else drops it."""

    def __init__(self, db: FakeDb) -> None:
        self.db = db
        self.s = copy.deepcopy(db.state)

    def new_id(self) -> uuid.UUID:
        return new_id()

    def emit(self, event: Event) -> None:
        self.s.events.append(copy.deepcopy(event))

    def commit(self) -> None:
        self.db.state = self.s
        self.db.commits += 1

    def skp(self, skp_id: uuid.UUID) -> SkpRencana | None:
        return self.s.skp.get(skp_id)

    def periode(self, periode_id: uuid.UUID) -> Periode | None:
        return self.s.periode.get(periode_id)

    def unor(self, unor_id: uuid.UUID) -> Unor | None:
        return self.s.unor.get(unor_id)

    def batas_diperpanjang(self, skp: SkpRencana, periode_id: uuid.UUID, tahun: int) -> date | None:
        found = [
            p.batas_baru
            for p in self.s.perpanjangan
            if p.periode_id == periode_id
            and p.tahun == tahun
            and (p.pegawai_id == skp.pegawai_id or p.unor_id in {skp.unor_id, skp.unit_kerja_id})
        ]
        return max(found) if found else None

    def penilaian(self, penilaian_id: uuid.UUID, *, for_update: bool = False) -> Penilaian | None:
        found = self.s.penilaian.get(penilaian_id)
        if found is None:
            return None
        found.skp = self.s.skp[found.skp_id]
        found.periode = self.s.periode[found.periode_id]
        found.batas_diperpanjang = self.batas_diperpanjang(found.skp, found.periode_id, found.tahun)
        return found

    def penilaian_of_skp(self, skp_id: uuid.UUID) -> list[Penilaian]:
        ids = sorted(p.id for p in self.s.penilaian.values() if p.skp_id == skp_id)
        return self.penilaian_many(ids)

    def penilaian_many(self, ids: list[uuid.UUID]) -> list[Penilaian]:
        return [p for p in (self.penilaian(i) for i in ids) if p is not None]

    def penilaian_exists(self, skp_id: uuid.UUID, periode_id: uuid.UUID) -> bool:
        return any(p.skp_id == skp_id and p.periode_id == periode_id for p in self.s.penilaian.values())

    def add_penilaian(self, penilaian: Penilaian) -> None:
        self.s.penilaian[penilaian.id] = penilaian

    def save_penilaian(self, penilaian: Penilaian) -> None:
        self.s.penilaian[penilaian.id] = penilaian

    def add_perpanjangan(self, item: Perpanjangan) -> None:
        self.s.perpanjangan.append(item)

    def open_penilaian_for(
        self, periode_id: Any, tahun: int, pegawai_id: Any, unor_id: Any
    ) -> list[uuid.UUID]:
        return [
            p.id
            for p in self.s.penilaian.values()
            if p.periode_id == periode_id
            and (p.pegawai_id == pegawai_id or unor_id in {p.skp.unor_id, p.unit_kerja_id})
        ]

    def replace_tugas(
        self, penilaian_id: uuid.UUID, tugas: list[Tugas], keberatan_id: uuid.UUID | None = None
    ) -> None:
        for key, item in list(self.s.tugas.items()):
            if item.penilaian_id == penilaian_id and item.keberatan_id == keberatan_id:
                del self.s.tugas[key]
        self.s.tugas.update({t.id: t for t in tugas})

    def capaian(self, capaian_id: uuid.UUID, *, for_update: bool = False) -> CapaianOrganisasi | None:
        return self.s.capaian.get(capaian_id)

    def capaian_of(self, tahun: int, periode_id: uuid.UUID, unor_id: uuid.UUID) -> CapaianOrganisasi | None:
        return next(
            (
                c
                for c in self.s.capaian.values()
                if (c.tahun, c.periode_id, c.unor_id) == (tahun, periode_id, unor_id)
            ),
            None,
        )

    def save_capaian(self, item: CapaianOrganisasi) -> None:
        self.s.capaian[item.id] = item

    def delete_capaian(self, item: CapaianOrganisasi) -> None:
        del self.s.capaian[item.id]

    def statistik(self, unor_id: uuid.UUID, periode: Periode, tahun: int) -> Statistik:
        rated = [
            p
            for p in self.s.penilaian.values()
            if p.unit_kerja_id == unor_id and p.periode_id == periode.id and p.predikat is not None
        ]
        counts: dict[Any, int] = {}
        for p in rated:
            counts[p.predikat] = counts.get(p.predikat, 0) + 1
        total = sum(
            1 for s in self.s.skp.values() if s.unit_kerja_id == unor_id and s.status == StatusSkp.DISETUJUI
        )
        return Statistik(dinilai=len(rated), total=total, per_predikat=counts)

    def keberatan(self, keberatan_id: uuid.UUID, *, for_update: bool = False) -> Keberatan | None:
        return self.s.keberatan.get(keberatan_id)

    def keberatan_ada(self, penilaian_id: uuid.UUID, *, open_only: bool = False) -> bool:
        return any(
            k.penilaian_id == penilaian_id and (not open_only or k.status.name == "DIAJUKAN")
            for k in self.s.keberatan.values()
        )

    def save_keberatan(self, item: Keberatan) -> None:
        self.s.keberatan[item.id] = item


class FakeDb:
    def __init__(self) -> None:
        self.state = State()
        self.commits = 0

    @contextlib.contextmanager
    def transaction(self) -> Iterator[FakeStore]:
        yield FakeStore(self)


@dataclass
class Person:
    id: uuid.UUID
    nama: str
    unor_id: uuid.UUID
    atasan: uuid.UUID | None = None
    pimpinan: bool = False


class FakeOrg:
    """Org as a few people and units; relations of the day from `atasan` and `pimpinan`."""

    def __init__(self) -> None:
        self.people: dict[uuid.UUID, Person] = {}
        self.units: dict[uuid.UUID, OrgUnor] = {}
        self.plts: list[OrgPlt] = []

    def add(
        self, nama: str, unor_id: uuid.UUID, atasan: Person | None = None, pimpinan: bool = False
    ) -> Person:
        person = Person(new_id(), nama, unor_id, atasan.id if atasan else None, pimpinan)
        self.people[person.id] = person
        return person

    def pegawai(self, ids: Any) -> dict[uuid.UUID, OrgPegawai]:
        return {
            i: OrgPegawai(
                i,
                f"19800101200{i.int % 100000:05d}",
                p.nama,
                p.unor_id,
                p.pimpinan,
                "Jabatan " + p.nama,
                4,
                "III/a",
                "Penata",
                True,
                jenjang="Ahli Pertama",
            )
            for i in ids
            if (p := self.people.get(i)) is not None
        }

    def pegawai_by_nip(self, nip: str) -> OrgPegawai | None:
        return None

    def unor(self, ids: Any) -> dict[uuid.UUID, OrgUnor]:
        return {i: self.units[i] for i in ids if i in self.units}

    def all_unor(self) -> dict[uuid.UUID, OrgUnor]:
        return dict(self.units)

    def relations(self, ids: Any, as_of: date, *, lists: bool = True) -> dict[uuid.UUID, OrgRelations]:
        found = {}
        for i in ids:
            p = self.people.get(i)
            if p is None:
                continue
            led = tuple([p.unor_id] if p.pimpinan else []) + tuple(
                x.unor_id for x in self.plts if x.pegawai_id == i and x.in_force(as_of)
            )
            found[i] = OrgRelations(
                i,
                p.atasan,
                None,
                frozenset(b.id for b in self.people.values() if b.atasan == i),
                frozenset(),
                led,
            )
        return found

    def plt(self, *, pegawai_id: uuid.UUID | None = None, unor_id: uuid.UUID | None = None) -> list[OrgPlt]:
        return [
            p
            for p in self.plts
            if (pegawai_id is None or p.pegawai_id == pegawai_id)
            and (unor_id is None or p.unor_id == unor_id)
        ]

    def heads_of(self, unor_id: uuid.UUID) -> list[OrgPegawai]:
        return list(
            self.pegawai([p.id for p in self.people.values() if p.unor_id == unor_id and p.pimpinan]).values()
        )


TODAY = date(2027, 2, 15)


@dataclass
class World:
    """One instansi: a JPT unit with its head (kepala), a kabid under them, the kabid's staff and a rekan;
    the staff's approved SKP for the year with one indikator, the quarterly periode tw1."""

    db: FakeDb
    org: FakeOrg
    deps: Deps
    unit: uuid.UUID
    bidang: uuid.UUID
    kepala: Person
    kabid: Person
    staf: Person
    rekan: Person
    skp: SkpRencana
    tw1: Periode
    today: list[date]

    def act_as(self, person: Person | None, *, admin: bool = False) -> None:
        roles = frozenset({ROLE_PEGAWAI} | ({ROLE_ADMIN_INSTANSI} if admin else set()))
        current_principal.set(
            Principal(
                subject=str(new_id()),
                username="u",
                instansi_id=INSTANSI,
                roles=roles,
                pegawai_id=person.id if person else None,
            )
        )

    @property
    def events(self) -> list[Event]:
        return self.db.state.events

    def names(self) -> list[str]:
        return [type(e).__name__ for e in self.events]


def _pejabat(person: Person, unor_id: uuid.UUID) -> Pejabat:
    return Pejabat(
        pegawai_id=person.id, nip="1980", nama=person.nama, unor_id=unor_id, jabatan="Jabatan " + person.nama
    )


def make_skp(
    world_unit: uuid.UUID,
    unor_id: uuid.UUID,
    owner: Person,
    penilai: Person,
    atasan: Person | None,
    **extra: Any,
) -> SkpRencana:
    rhk_id = new_id()
    periode_ids = extra.pop("periode_ids", [])
    chosen = extra.pop("perilaku", {n: (1, penilai) for n in range(1, 8)})
    return SkpRencana(
        id=new_id(),
        instansi_id=INSTANSI,
        pegawai_id=owner.id,
        unor_id=unor_id,
        tahun=2027,
        tanggal_mulai=date(2027, 1, 1),
        tanggal_selesai=date(2027, 12, 31),
        status=extra.pop("status", StatusSkp.DISETUJUI),
        model=extra.pop("model", ModelSkp.JA_JF),
        pendekatan=Pendekatan.KUANTITATIF,
        unit_kerja_id=world_unit,
        pegawai=_pejabat(owner, unor_id),
        penilai=_pejabat(penilai, penilai.unor_id),
        penilai_unor_id=penilai.unor_id,
        atasan_penilai=_pejabat(atasan, atasan.unor_id) if atasan else None,
        rhk=[
            RhkRencana(
                id=rhk_id,
                jenis=1,
                teks="Tersusunnya laporan",
                indikator=[
                    IndikatorRencana(
                        id=new_id(),
                        rhk_id=rhk_id,
                        teks="Jumlah laporan",
                        aspek=1,
                        target=Target(min="4", max="4", satuan="Laporan"),
                    )
                ],
                rencana_aksi_periode_ids=periode_ids,
            )
        ],
        perilaku=[
            PerilakuRencana(
                nilai=n,
                nama=f"Nilai {n}",
                penilai_jenis=jenis,
                penilai_pegawai_id=who.id,
                penilai_nama=who.nama,
            )
            for n, (jenis, who) in chosen.items()
        ],
        version=5,
        **extra,
    )


@pytest.fixture
def world() -> Iterator[World]:
    db, org = FakeDb(), FakeOrg()
    unit, bidang = new_id(), new_id()
    org.units[unit] = OrgUnor(unit, "Badan Kepegawaian", 3, None, False)
    org.units[bidang] = OrgUnor(bidang, "Bidang Informasi", 4, unit, False)
    kepala = org.add("Kepala", unit, pimpinan=True)
    kabid = org.add("Kabid", bidang, atasan=kepala, pimpinan=True)
    staf = org.add("Staf", bidang, atasan=kabid)
    rekan = org.add("Rekan", bidang, atasan=kabid)
    tw1 = Periode(
        id=new_id(),
        instansi_id=INSTANSI,
        nama="Triwulan I",
        mulai="01-01",
        selesai="03-31",
        batas_pengisian="04-10",
        jenis=JenisPeriode.BIASA,
        version=1,
    )
    chosen = {n: (1, kabid) for n in range(1, 8)} | {6: (3, rekan)}
    skp = make_skp(unit, bidang, staf, kabid, kepala, periode_ids=[tw1.id], perilaku=chosen)
    db.state.skp[skp.id] = skp
    db.state.periode[tw1.id] = tw1
    db.state.unor[unit] = Unor(id=unit, instansi_id=INSTANSI, nama="Badan Kepegawaian", jenis=3)
    db.state.unor[bidang] = Unor(
        id=bidang, instansi_id=INSTANSI, nama="Bidang Informasi", jenis=4, induk_id=unit, parent_id=unit
    )
    today = [TODAY]
    clock = iter(range(10**6))
    deps = Deps(
        db, org, clock=lambda: today[0], now=lambda: datetime(2027, 2, 15, 3, 0, next(clock) % 60, tzinfo=UTC)
    )  # type: ignore[arg-type]
    w = World(db, org, deps, unit, bidang, kepala, kabid, staf, rekan, skp, tw1, today)
    token = current_principal.set(None)
    yield w
    current_principal.reset(token)
