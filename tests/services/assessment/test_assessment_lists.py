"""The lists at the store, on the real PostgreSQL: keyset pages walked to the end in the index's order,
counts bounded at the kit's COUNT_LIMIT (made small here), the bawahan list's and the inbox's ways
(penilai named, penilai's unit led, bawahan today) each listed once and never the caller's own, the
keberatan NIP search in NIP order, the capaian list by the unit's name as org renames it.

Rows are written straight into the tables of a fresh instansi (a superuser, as the migration's data
would be), so the lists are checked at sizes no RPC-built quarter reaches."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any, TypeVar

import pytest
from sqlalchemy import Engine, create_engine, insert, text

from assessment.adapters.orm import (
    CapaianRow,
    KeberatanRow,
    PenilaianRow,
    PeriodeProyeksiRow,
    PerpanjanganRow,
    SkpProyeksiRow,
    TugasRow,
    UnorProyeksiRow,
)
from assessment.adapters.repository import SqlStore
from assessment.domain.model import JenisTugas, Unor
from assessment.domain.records import KeberatanQuery, Lingkup, PenilaianQuery
from kinerja.assessment.v1 import assessment_pb2 as pb
from kinerja.assessment.v1 import assessment_pb2_grpc
from kinerja_kit import paging
from kinerja_kit.db import ServiceDatabase, UnitOfWork
from kinerja_testing.skp import YEAR as YEAR_Q
from kinerja_testing.skp import SkpWorld

from .conftest import FullQuarter, build_full_quarter

pytestmark = pytest.mark.integration

Stub = assessment_pb2_grpc.AssessmentServiceStub
T = TypeVar("T")
YEAR = 2026
TODAY = date(YEAR, 1, 5)
NAMES = ["Sari Dewi", "Budi Santoso", "Agus Salim", "Sari Rahayu", "Dewi Lestari", "Eko Prasetyo", "Nur Aini"]


def _id() -> uuid.UUID:
    return uuid.uuid4()


@dataclass
class World:
    """One instansi: unit U (Biro Umum) with sub-unit S (Bagian Data) led by H, whose atasan A leads U;
    unit V (Biro Keuangan) with W (Bagian Arsip) led by OLD. 30 staff in S (H's bawahan today): their
    SKPs name H as penilai (unit S), except the first three, moved in, whose SKPs still name OLD (unit W);
    10 staff of W rated by OLD; H's own SKP (penilai A, unit U). Each SKP has a penilaian in tw1 (the
    even ones rated, with a keberatan) and tw2 (open), and the open ones their tasks."""

    instansi: uuid.UUID
    tw1: uuid.UUID
    tw2: uuid.UUID
    unit_u: uuid.UUID
    unit_s: uuid.UUID
    unit_v: uuid.UUID
    unit_w: uuid.UUID
    head: uuid.UUID
    atasan: uuid.UUID
    old: uuid.UUID
    bawahan: list[uuid.UUID] = field(default_factory=list)
    others: list[uuid.UUID] = field(default_factory=list)

    def lingkup(self, kind: str = "BAWAHAN", units: Sequence[uuid.UUID] = ()) -> Lingkup:
        return Lingkup(
            kind=kind,
            pegawai_id=self.head,
            units=frozenset(units or [self.unit_s]),
            bawahan=frozenset(self.bawahan),
        )


def _pejabat(pegawai: uuid.UUID, nama: str, nip: str = "") -> dict[str, Any]:
    return {"pegawai_id": str(pegawai), "nama": nama, "nip": nip}


def _build(engine: Engine) -> World:
    w = World(*(_id() for _ in range(10)))  # type: ignore[arg-type]
    w.bawahan = [_id() for _ in range(30)]
    w.others = [_id() for _ in range(10)]
    i, now = w.instansi, datetime.now(UTC)
    periode = [
        {"id": w.tw1, "nama": "Triwulan I", "mulai": "01-01", "selesai": "03-31", "batas_pengisian": "04-10"},
        {
            "id": w.tw2,
            "nama": "Triwulan II",
            "mulai": "04-01",
            "selesai": "06-30",
            "batas_pengisian": "07-10",
        },
    ]
    unor = [
        (w.unit_u, "Biro Umum", None),
        (w.unit_s, "Bagian Data", w.unit_u),
        (w.unit_v, "Biro Keuangan", None),
        (w.unit_w, "Bagian Arsip", w.unit_v),
    ]
    # (pegawai, name, nip, unor, penilai, penilai's unit)
    people: list[tuple[uuid.UUID, str, str, uuid.UUID, uuid.UUID, uuid.UUID]] = []
    for k, pegawai in enumerate(w.bawahan):
        moved = k < 3
        people.append(
            (
                pegawai,
                NAMES[k % len(NAMES)],
                f"{1980 + k % 15}0101{2005 + k % 3}011{k:03d}",
                w.unit_s,
                w.old if moved else w.head,
                w.unit_w if moved else w.unit_s,
            )
        )
    for k, pegawai in enumerate(w.others):
        people.append((pegawai, NAMES[k % len(NAMES)], f"1975010120010{k:05d}", w.unit_w, w.old, w.unit_w))
    people.append((w.head, "Hadi Kepala", "197001011995031001", w.unit_s, w.atasan, w.unit_u))
    unit_of = {w.unit_s: w.unit_u, w.unit_w: w.unit_v}
    skp, penilaian, tugas, keberatan = [], [], [], []
    for k, (pegawai, nama, nip, unor_id, penilai, penilai_unor) in enumerate(people):
        skp_id = _id()
        skp.append(
            {
                "instansi_id": i,
                "id": skp_id,
                "pegawai_id": pegawai,
                "unor_id": unor_id,
                "tahun": YEAR,
                "tanggal_mulai": date(YEAR, 1, 1),
                "tanggal_selesai": date(YEAR, 12, 31),
                "status": "DISETUJUI",
                "model": "JA_JF",
                "pendekatan": "KUANTITATIF",
                "penilai_pegawai_id": penilai,
                "penilai_unor_id": penilai_unor,
                "pegawai_nip": nip,
                "pegawai_nama": nama,
                "unit_kerja_id": unit_of[unor_id],
                "isi": {
                    "pegawai": _pejabat(pegawai, nama, nip),
                    "penilai": _pejabat(penilai, "Penilai"),
                    "rhk": [],
                    "perilaku": [],
                },
                "version": 1,
            }
        )
        for periode_id in (w.tw1, w.tw2):
            rated = periode_id == w.tw1 and k % 2 == 0
            penilaian_id = _id()
            penilaian.append(
                {
                    "instansi_id": i,
                    "id": penilaian_id,
                    "skp_id": skp_id,
                    "periode_id": periode_id,
                    "tahun": YEAR,
                    "pegawai_id": pegawai,
                    "pegawai_nama": nama,
                    "pegawai_nip": nip,
                    "unit_kerja_id": unit_of[unor_id],
                    "penilai_pegawai_id": penilai,
                    "penilai_unor_id": penilai_unor,
                    "status": "DINILAI" if rated else "DIBUKA",
                    "predikat": 2 if rated else None,
                    "isi": {},
                }
            )
            base = {
                "instansi_id": i,
                "subject_pegawai_id": pegawai,
                "penilaian_id": penilaian_id,
                "skp_id": skp_id,
                "periode_id": periode_id,
                "pegawai": _pejabat(pegawai, nama, nip),
                "assignee_unor_id": None,
                "batas": None,
            }
            if rated:
                keberatan.append(
                    {
                        "instansi_id": i,
                        "id": _id(),
                        "penilaian_id": penilaian_id,
                        "skp_id": skp_id,
                        "periode_id": periode_id,
                        "tahun": YEAR,
                        "pegawai_id": pegawai,
                        "pegawai_nama": nama,
                        "pegawai_nip": nip,
                        "penilai_pegawai_id": penilai,
                        "atasan_penilai_pegawai_id": w.atasan,
                        "status": "DIAJUKAN",
                        "alasan": "x",
                        "sebelum": {"rating_hasil_kerja": 2, "rating_perilaku_kerja": 2, "predikat": 2},
                        "diminta": {"rating_hasil_kerja": 1, "rating_perilaku_kerja": 2, "predikat": 2},
                        "diajukan_at": now,
                        "batas_pengajuan": date(YEAR, 5, 1),
                        "updated_at": now,
                    }
                )
                continue
            tugas.append(
                {
                    **base,
                    "id": _id(),
                    "jenis": int(JenisTugas.NILAI_BAWAHAN),
                    "assignee_pegawai_id": penilai,
                    "assignee_unor_id": penilai_unor,
                }
            )
            tugas.append(
                {
                    **base,
                    "id": _id(),
                    "jenis": int(JenisTugas.ISI_REALISASI),
                    "assignee_pegawai_id": pegawai,
                    "batas": date(YEAR, 4, 10),
                }
            )
    capaian = [
        {
            "instansi_id": i,
            "id": _id(),
            "tahun": YEAR,
            "periode_id": periode_id,
            "unor_id": unit,
            "unor_nama": nama,
            "capaian": 2,
            "diubah_oleh": {},
        }
        for unit, nama in ((w.unit_u, "Biro Umum"), (w.unit_v, "Biro Keuangan"))
        for periode_id in (w.tw1, w.tw2)
    ]
    perpanjangan = [
        {
            "instansi_id": i,
            "id": _id(),
            "periode_id": (w.tw1, w.tw2)[k % 2],
            "tahun": YEAR,
            "pegawai_id": w.bawahan[k],
            "batas_baru": date(YEAR, 8, 1),
            "alasan": "x",
            "oleh": {},
        }
        for k in range(12)
    ]
    with engine.begin() as conn:
        conn.execute(
            insert(PeriodeProyeksiRow.__table__),  # type: ignore[arg-type]
            [{**p, "instansi_id": i, "jenis": "BIASA", "version": 1} for p in periode],
        )
        conn.execute(
            insert(UnorProyeksiRow.__table__),  # type: ignore[arg-type]
            [
                {
                    "instansi_id": i,
                    "id": u,
                    "nama": n,
                    "parent_id": p,
                    "induk_id": p,
                    "jenis": 3,
                    "version": 1,
                }
                for u, n, p in unor
            ],
        )
        for row_type, rows in (
            (SkpProyeksiRow, skp),
            (PenilaianRow, penilaian),
            (TugasRow, tugas),
            (KeberatanRow, keberatan),
            (CapaianRow, capaian),
            (PerpanjanganRow, perpanjangan),
        ):
            conn.execute(insert(row_type.__table__), rows)  # type: ignore[arg-type]
    return w


@pytest.fixture(scope="module")
def world(assessment_inspect_engine: Engine) -> World:
    return _build(assessment_inspect_engine)


@pytest.fixture(scope="module")
def uow(assessment_db: ServiceDatabase) -> Iterator[UnitOfWork]:
    engine = create_engine(assessment_db.app_url)
    yield UnitOfWork.from_engine(engine)
    engine.dispose()


@pytest.fixture
def store(uow: UnitOfWork, world: World) -> Iterator[SqlStore]:
    with uow.transaction(tenant=world.instansi) as tx:
        yield SqlStore(tx)


@pytest.fixture
def count_limit(monkeypatch: pytest.MonkeyPatch) -> Callable[[int], None]:
    """Makes the kit's count limit small (the lists read it at each call)."""
    return lambda limit: monkeypatch.setattr(paging, "COUNT_LIMIT", limit)


def walk(fetch: Callable[[Any, int], list[T]], size: int, key: Callable[[T], Any]) -> list[T]:
    """Every item of a list, a page of `size` at a time, each page read with one extra row as the
    services do (the keyset after the last item of the page before)."""
    seen: list[T] = []
    after = None
    while True:
        page = fetch(after, size + 1)
        seen += page[:size]
        if len(page) <= size:
            return seen
        after = key(page[size - 1])


def expected(engine: Engine, sql: str, **params: Any) -> list[uuid.UUID]:
    with engine.connect() as conn:
        return list(conn.execute(text(sql), params).scalars())


def _penilaian(store: SqlStore, query: PenilaianQuery, size: int) -> list[uuid.UUID]:
    found = walk(
        lambda after, limit: store.list_penilaian(query, after, limit),
        size,
        lambda p: (p.skp.pegawai.nama, p.id),
    )
    return [p.id for p in found]


@pytest.mark.parametrize("size", [1, 7, 100])
def test_the_instansi_list_walks_every_page_in_name_order(
    world: World, store: SqlStore, assessment_inspect_engine: Engine, size: int
) -> None:
    everything = expected(
        assessment_inspect_engine,
        "select id from penilaian where instansi_id = :i order by pegawai_nama, id",
        i=world.instansi,
    )
    assert len(everything) == 82
    assert _penilaian(store, PenilaianQuery(lingkup=Lingkup(kind="INSTANSI")), size) == everything


def test_counts_stop_at_the_count_limit(
    world: World, store: SqlStore, count_limit: Callable[[int], None]
) -> None:
    instansi = PenilaianQuery(lingkup=Lingkup(kind="INSTANSI"))
    rated = PenilaianQuery(
        lingkup=Lingkup(kind="INSTANSI"), tahun=YEAR, periode_id=world.tw1, status="DINILAI"
    )
    assert store.count_penilaian(instansi) == (82, True)
    assert store.count_penilaian(rated) == (21, True)
    count_limit(21)
    assert store.count_penilaian(instansi) == (21, False)
    assert store.count_penilaian(rated) == (21, True)
    count_limit(20)
    assert store.count_penilaian(rated) == (20, False)
    # the page is what it is whatever the count
    assert len(store.list_penilaian(rated, None, 100)) == 21


def test_filters_narrow_the_walk_and_its_count(
    world: World, store: SqlStore, assessment_inspect_engine: Engine
) -> None:
    cases = [
        (PenilaianQuery(lingkup=Lingkup(kind="INSTANSI"), tahun=YEAR), "tahun = :y"),
        (
            PenilaianQuery(lingkup=Lingkup(kind="INSTANSI"), tahun=YEAR, periode_id=world.tw2),
            "tahun = :y and periode_id = :p",
        ),
        (
            PenilaianQuery(
                lingkup=Lingkup(kind="INSTANSI"), tahun=YEAR, periode_id=world.tw1, status="DIBUKA"
            ),
            "tahun = :y and periode_id = :t1 and status = 'DIBUKA'",
        ),
        # kalibrasi: a unit's penilaian of a periode, all of them or of one predikat
        (
            PenilaianQuery(
                lingkup=Lingkup(kind="INSTANSI"), tahun=YEAR, periode_id=world.tw1, unit_kerja_id=world.unit_u
            ),
            "tahun = :y and periode_id = :t1 and unit_kerja_id = :u",
        ),
        (
            PenilaianQuery(
                lingkup=Lingkup(kind="INSTANSI"),
                tahun=YEAR,
                periode_id=world.tw1,
                unit_kerja_id=world.unit_u,
                predikat=2,
            ),
            "tahun = :y and periode_id = :t1 and unit_kerja_id = :u and predikat = 2",
        ),
        (PenilaianQuery(lingkup=Lingkup(kind="SAYA", pegawai_id=world.head)), "pegawai_id = :h"),
    ]
    for query, where in cases:
        wanted = expected(
            assessment_inspect_engine,
            f"select id from penilaian where instansi_id = :i and {where} order by pegawai_nama, id",
            i=world.instansi,
            y=YEAR,
            p=world.tw2,
            t1=world.tw1,
            u=world.unit_u,
            h=world.head,
        )
        assert wanted, where
        assert _penilaian(store, query, 4) == wanted, where
        assert store.count_penilaian(query) == (len(wanted), True), where


BAWAHAN_SQL = """
    select id from penilaian
    where instansi_id = :i and pegawai_id <> :h and tahun = :y
      and (penilai_pegawai_id = :h or penilai_unor_id = any(:units) or pegawai_id = any(:bawahan))
      {periode}
    order by pegawai_nama, id"""


@pytest.mark.parametrize("periode", [False, True])
def test_the_bawahan_list_unions_its_ways_once_each(
    world: World,
    store: SqlStore,
    assessment_inspect_engine: Engine,
    count_limit: Callable[[int], None],
    periode: bool,
) -> None:
    # the head leads S, and (as PLH) U: U is their own penilai's unit, so their own penilaian is found
    # by a way and must still not be listed
    units = [world.unit_s, world.unit_u]
    query = PenilaianQuery(
        lingkup=world.lingkup(units=units), tahun=YEAR, periode_id=world.tw1 if periode else None
    )
    wanted = expected(
        assessment_inspect_engine,
        BAWAHAN_SQL.format(periode="and periode_id = :p" if periode else ""),
        i=world.instansi,
        h=world.head,
        y=YEAR,
        p=world.tw1,
        units=units,
        bawahan=world.bawahan,
    )
    # every bawahan (the three moved in are theirs by org only), none of OLD's other staff, never their own
    assert len(wanted) == (30 if periode else 60)
    for size in (1, 4, 30, 100):
        assert _penilaian(store, query, size) == wanted
    assert store.count_penilaian(query) == (len(wanted), True)
    count_limit(10)
    assert store.count_penilaian(query) == (10, False)
    assert _penilaian(store, query, 10) == wanted


def test_the_bawahan_list_without_org_s_bawahan_misses_the_moved_ones(world: World, store: SqlStore) -> None:
    query = PenilaianQuery(
        lingkup=Lingkup(kind="BAWAHAN", pegawai_id=world.head, units=frozenset({world.unit_s})),
        periode_id=world.tw1,
    )
    found = store.list_penilaian(query, None, 100)
    assert {p.pegawai_id for p in found} == set(world.bawahan[3:])
    assert store.count_penilaian(query) == (27, True)


def test_the_inbox_unions_the_callers_ways_and_counts_their_own_tasks(
    world: World, store: SqlStore, assessment_inspect_engine: Engine
) -> None:
    inbox = world.lingkup(kind="INBOX")
    wanted = expected(
        assessment_inspect_engine,
        """select id from tugas where instansi_id = :i and jenis = 3 and subject_pegawai_id <> :h
           and (assignee_pegawai_id = :h or assignee_unor_id = :s or subject_pegawai_id = any(:bawahan))
           order by id""",
        i=world.instansi,
        h=world.head,
        s=world.unit_s,
        bawahan=world.bawahan,
    )
    # tw1: the 15 odd bawahan open; tw2: all 30
    assert len(wanted) == 45
    for size in (1, 8, 100):
        found = walk(
            lambda after, limit: store.inbox_page(inbox, JenisTugas.NILAI_BAWAHAN, None, TODAY, after, limit),
            size,
            lambda t: t.id,
        )
        assert [t.id for t in found] == wanted
    counts = store.inbox_counts(inbox, None, TODAY)
    assert counts[JenisTugas.NILAI_BAWAHAN] == 45
    # the head's own penilaian is open in tw2: their realisasi to enter (and not their own rating, though
    # they lead no unit of their own penilai here)
    assert counts[JenisTugas.ISI_REALISASI] == 1
    only_tw1 = store.inbox_counts(inbox, world.tw1, TODAY)
    assert only_tw1[JenisTugas.NILAI_BAWAHAN] == 15
    assert store.inbox_page(inbox, JenisTugas.FEEDBACK_PERILAKU, None, TODAY, None, 21) == []


def _keberatan(store: SqlStore, query: KeberatanQuery, size: int) -> list[Any]:
    keyed = walk(
        lambda after, limit: store.list_keberatan(query, after, limit), size, lambda k: (k[1], k[0].id)
    )
    return [k.id for k, _ in keyed]


def test_keberatan_by_nip_prefix_walk_nip_order_and_by_name_part_name_order(
    world: World, store: SqlStore, assessment_inspect_engine: Engine, count_limit: Callable[[int], None]
) -> None:
    instansi = Lingkup(kind="INSTANSI")
    by_nip = expected(
        assessment_inspect_engine,
        """select id from keberatan where instansi_id = :i and pegawai_nip like '198%'
           order by pegawai_nip collate "C", id""",
        i=world.instansi,
    )
    assert len(by_nip) == 10
    assert _keberatan(store, KeberatanQuery(lingkup=instansi, term=("nip", "198")), 3) == by_nip
    by_name = expected(
        assessment_inspect_engine,
        "select id from keberatan where instansi_id = :i and pegawai_nama ilike '%sari%' order by pegawai_nama, id",
        i=world.instansi,
    )
    assert by_name
    query = KeberatanQuery(lingkup=instansi, term=("nama", "sari"))
    assert _keberatan(store, query, 2) == by_name
    assert store.count_keberatan(query) == (len(by_name), True)
    count_limit(2)
    assert store.count_keberatan(query) == (2, False)


def test_keberatan_to_answer_union_penilai_atasan_and_bawahan(world: World, store: SqlStore) -> None:
    # the head answers as penilai (their staff's, but the three moved in name OLD) and as atasan of the
    # pegawai who filed (org's bawahan: the moved ones too)
    query = KeberatanQuery(lingkup=world.lingkup(kind="DIJAWAB"))
    found = _keberatan(store, query, 4)
    filed_by = {k.id: k.pegawai_id for k, _ in store.list_keberatan(query, None, 100)}
    assert len(found) == len(set(found)) == 15
    assert {filed_by[k] for k in found} == set(world.bawahan[::2])
    assert store.count_keberatan(query) == (15, True)


def test_the_capaian_list_follows_the_unit_name_and_its_rename(
    world: World, uow: UnitOfWork, count_limit: Callable[[int], None]
) -> None:
    def names() -> list[str]:
        with uow.transaction(tenant=world.instansi) as tx:
            store = SqlStore(tx)
            found = walk(
                lambda after, limit: store.list_capaian(0, None, "", after, limit),
                1,
                lambda c: (c.unor_nama, c.id),
            )
            return [c.unor_nama for c in found]

    assert names() == ["Biro Keuangan", "Biro Keuangan", "Biro Umum", "Biro Umum"]
    with uow.transaction(tenant=world.instansi) as tx:
        store = SqlStore(tx)
        assert store.count_capaian(YEAR, world.tw1, "biro") == (2, True)
        assert [c.unor_nama for c in store.list_capaian(YEAR, world.tw1, "keu", None, 10)] == [
            "Biro Keuangan"
        ]
        count_limit(1)
        assert store.count_capaian(YEAR, world.tw1, "biro") == (1, False)
        # org renames V: its capaian are listed (and searched) by the new name
        renamed = Unor(id=world.unit_v, instansi_id=world.instansi, nama="Biro Anggaran", version=2)
        assert store.apply_unor(renamed)
        store.commit()
    assert names() == ["Biro Anggaran", "Biro Anggaran", "Biro Umum", "Biro Umum"]


def test_the_extensions_are_paged_by_id_and_counted(
    world: World, store: SqlStore, count_limit: Callable[[int], None]
) -> None:
    everything = walk(lambda after, limit: store.list_perpanjangan(None, 0, after, limit), 5, lambda p: p.id)
    assert [p.id for p in everything] == sorted(p.id for p in everything)
    assert len(everything) == 12
    of_tw1 = walk(
        lambda after, limit: store.list_perpanjangan(world.tw1, YEAR, after, limit), 2, lambda p: p.id
    )
    assert len(of_tw1) == 6 and {p.periode_id for p in of_tw1} == {world.tw1}
    assert store.count_perpanjangan(world.tw1, YEAR) == (6, True)
    count_limit(5)
    assert store.count_perpanjangan(world.tw1, YEAR) == (5, False)


# ---- over gRPC: every list answers its bounded count ----


@pytest.fixture(scope="module")
def full(skp_world: SkpWorld, assessment_stub: Stub, assessment_inspect_engine: Engine) -> FullQuarter:
    return build_full_quarter(skp_world, assessment_stub, assessment_inspect_engine)


def test_every_list_answers_how_many_up_to_the_count_limit(
    full: FullQuarter, assessment_stub: Stub, count_limit: Callable[[int], None]
) -> None:
    stub, t = assessment_stub, full.t
    instansi = pb.ListPenilaianRequest(scope=pb.PENILAIAN_SCOPE_INSTANSI, page_size=1)
    bawahan = pb.ListPenilaianRequest(scope=pb.PENILAIAN_SCOPE_BAWAHAN, tahun=YEAR_Q, periode_id=full.tw1)
    kalibrasi = pb.ListKalibrasiRequest(unor_id=t.unor("bkd"), periode_id=full.tw1, tahun=YEAR_Q, page_size=1)
    calls: list[tuple[Callable[..., Any], Any, Any, int]] = [
        (stub.ListPenilaian, instansi, t.admin, 3),
        (stub.ListPenilaian, bawahan, t.md("kabid_informasi"), 2),
        (stub.ListKalibrasi, kalibrasi, t.admin, 3),
        (stub.ListKeberatan, pb.ListKeberatanRequest(scope=pb.KEBERATAN_SCOPE_INSTANSI), t.admin, 1),
        (stub.ListCapaian, pb.ListCapaianRequest(tahun=YEAR_Q), t.admin, 1),
        (stub.ListPerpanjanganBatas, pb.ListPerpanjanganBatasRequest(), t.admin, 1),
    ]
    for method, request, metadata, total in calls:
        answer = method(request, metadata=metadata)
        assert (answer.total_count, answer.total_count_exact) == (total, True), request
    count_limit(1)
    for method, request, metadata, total in calls:
        answer = method(request, metadata=metadata)
        assert (answer.total_count, answer.total_count_exact) == (1, total == 1), request
    # the pages are what they were: the next page of the admin's list follows on
    first = stub.ListPenilaian(instansi, metadata=t.admin)
    rest = stub.ListPenilaian(
        pb.ListPenilaianRequest(scope=pb.PENILAIAN_SCOPE_INSTANSI, page_token=first.next_page_token),
        metadata=t.admin,
    )
    assert len(first.penilaian) == 1 and len(rest.penilaian) == 2
    assert (rest.total_count, rest.total_count_exact) == (1, False)
