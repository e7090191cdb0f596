"""`make bench` (third part): the assessment service under load, on a durable PostgreSQL.

One run starts PostgreSQL (embedded unless DATABASE_URL is set; fsync and synchronous_commit on) and the
broker; identity, org and skp in this process; assessment as the cluster runs it, its API
(`python -m assessment`, RUN_PROJECTION_CONSUMER=false) and its projection consumer (`python -m
assessment.consumer`) each in a process of its own (`--assessment-in-process`: both in this one); and
the gateway under uvicorn (one worker).
Through each service's own gRPC API it builds an instansi of `--pegawai` pegawai (10,000: org has no bulk
call, so CreatePegawai from 8 threads) and one of 100; in each an atasan heads a unit of 30 bawahan whose
SKPs are approved and whose penilaian are open, and the big one holds `--owners` more pegawai with an
approved SKP and a penilaian in each of the five quarterly periode (so assessment's tables are not
trivially small). Then, each load from a separate process:

1. raw: single-row INSERT commits from 8 psycopg clients on the same PostgreSQL (the durable floor);
2. realisasi: GraphQL `setRealisasi` from 8 clients, each a different pegawai with an open penilaian,
   every call a new value (so every call writes); the ratio to raw is the figure of issue 9 (target at
   least 0.10; `addKinerjaHarian` reached about 0.03);
3. while 2 runs, the target bulanan of approved SKPs changes a few times per second through skp's gRPC
   API, and the lag from each event's occurrence to its application to assessment's `skp_proyeksi` is
   read from the assessment database (`source_occurred_at`, `applied_at`; target p99 under 1 s);
4. inbox: GraphQL `inbox` (counts and the first page of bawahan to rate) of each atasan, one request in
   flight, and the p50 ratio of the big instansi to the small one (target at most 1.5).

It prints requests/s, p50/p95/p99, and the CPU per request of the gateway, assessment's API and consumer,
this process, PostgreSQL, the load generator and the whole machine (other work on the machine shows
there). `--profile` samples the stacks of each of those processes during the realisasi load,
each sample weighted by the CPU its thread used since the last one, and prints the top functions. A
thread's CPU is charged to where it stands when sampled, often the database call it went on to wait in
(psycopg's `wait`): read the inclusive figures of project functions for where the time goes. Nothing here
asserts a time.

    .venv/bin/python tests/bench/bench_assessment.py [--duration 10] [--pegawai 10000] [--profile]
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import contextlib
import itertools
import json
import os
import runpy
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Awaitable, Callable, Coroutine, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import grpc
import httpx
import psutil
from bench_gateway import (
    ADMIN_NIP,
    ADMIN_PASSWORD,
    _checked,
    _drive,
    _nip,
    _summary,
    bench_platform,
    finish_load,
    graphql_data,
    print_rows,
    running_gateway,
    start_load,
)
from bench_skp import _login_as

YEAR = date.today().year + 1  # a year whose periode deadlines are all ahead
BAWAHAN = 30
CLIENTS = 8
INDIKATOR = 3  # per SKP of the realisasi clients (each call sets the next one)
SMALL = 100
THREADS = 8  # loading: concurrent gRPC calls from this process

RAW = "raw INSERT commit (psycopg)"
REALISASI = "GraphQL setRealisasi"
INBOX_SMALL = f"GraphQL inbox, instansi of {SMALL}"

SET_REALISASI = """
mutation SetRealisasi($penilaianId: ID!, $indikatorId: ID!, $input: RealisasiInput!) {
  setRealisasi(penilaianId: $penilaianId, indikatorId: $indikatorId, input: $input) {
    penilaian { id version }
    errors { field code message }
  }
}
"""
# A portal's home page: the counts of every kind and the first page of bawahan to rate.
INBOX = """
query Inbox {
  inbox(jenis: NILAI_BAWAHAN, first: 20) {
    totalCount
    jumlah { jenis jumlah }
    edges { node { jenis penilaianId periodeNama batasPengisian keterangan pegawai { nip nama } } }
    pageInfo { hasNextPage endCursor }
  }
}
"""


# ---- the load processes ----


async def drive_each(
    requests: Sequence[Callable[[], Awaitable[bool]]], duration: float, warmup: float
) -> dict[str, Any]:
    """One worker per request function (each its own client), as bench_gateway.drive: a warm-up, then
    `duration` seconds whose successful latencies are kept."""
    latencies: list[float] = []
    errors = 0

    async def worker(request: Callable[[], Awaitable[bool]], stop_at: float, record: bool) -> None:
        nonlocal errors
        while time.perf_counter() < stop_at:
            started = time.perf_counter()
            succeeded = await request()
            elapsed = time.perf_counter() - started
            if not succeeded:
                errors += 1
            elif record:
                latencies.append(elapsed)

    await asyncio.gather(*(worker(r, time.perf_counter() + warmup, False) for r in requests))
    started = time.perf_counter()
    cpu = time.process_time()
    await asyncio.gather(*(worker(r, started + duration, True) for r in requests))
    result = _summary(latencies, time.perf_counter() - started, errors)
    result["load_cpu_s"] = time.process_time() - cpu
    return result


async def _drive_raw(url: str, duration: float, concurrency: int, warmup: float) -> dict[str, Any]:
    """`concurrency` connections, each committing one INSERT per transaction (autocommit)."""
    import psycopg

    connections = [await psycopg.AsyncConnection.connect(url, autocommit=True) for _ in range(concurrency)]
    counter = itertools.count()

    def request_on(connection: psycopg.AsyncConnection[Any]) -> Callable[[], Awaitable[bool]]:
        async def request() -> bool:
            await connection.execute("insert into bench_raw (payload) values (%s)", (f"row {next(counter)}",))
            return True

        return request

    try:
        return await drive_each([request_on(c) for c in connections], duration, warmup)
    finally:
        for connection in connections:
            await connection.close()


async def _drive_realisasi(
    url: str, clients: list[dict[str, Any]], duration: float, warmup: float
) -> dict[str, Any]:
    """One worker per client (its own pegawai, token and penilaian); every call a new value for the next
    indikator of the client's SKP."""
    limits = httpx.Limits(max_connections=len(clients), max_keepalive_connections=len(clients))
    first_error: list[str] = []
    async with httpx.AsyncClient(limits=limits, timeout=30.0) as http:

        def request_of(number: int, client: dict[str, Any]) -> Callable[[], Awaitable[bool]]:
            headers = {"Authorization": f"Bearer {client['token']}"}
            calls = itertools.count(1)

            async def request() -> bool:
                call = next(calls)
                indikator = client["indikator_ids"][call % len(client["indikator_ids"])]
                variables = {
                    "penilaianId": client["penilaian_id"],
                    "indikatorId": indikator,
                    "input": {"nilai": f"{call}.{number + 1}", "keterangan": f"Laporan ke-{call}"},
                }
                response = await http.post(
                    url, json={"query": SET_REALISASI, "variables": variables}, headers=headers
                )
                ok = response.status_code == 200 and _written(response.json())
                if not ok and not first_error:
                    first_error.append(response.text[:500])
                return ok

            return request

        result = await drive_each([request_of(i, c) for i, c in enumerate(clients)], duration, warmup)
    if first_error:
        print(f"first failed setRealisasi: {first_error[0]}", file=sys.stderr)
    return result


def _written(body: dict[str, Any]) -> bool:
    """A setRealisasi answer without GraphQL errors nor user errors."""
    return "errors" not in body and not body["data"]["setRealisasi"]["errors"]


def load_main(spec: str) -> None:
    args = json.loads(spec)
    kind = args.pop("kind")
    drivers: dict[str, Callable[..., Coroutine[Any, Any, dict[str, Any]]]] = {
        "raw": _drive_raw,
        "realisasi": _drive_realisasi,
        "http": _drive,
    }
    driver = drivers[kind]
    print(json.dumps(asyncio.run(driver(**args))))


# ---- CPU accounting: where the machine's time went during one load ----


def _postgres_processes(data_dir: Path) -> list[psutil.Process]:
    """The embedded server's processes, its postmaster (run with `-D data_dir`) first; with DATABASE_URL,
    every local PostgreSQL process."""
    servers = [
        p for p in psutil.process_iter(["name", "cmdline"]) if p.info["name"] in ("postgres", "postmaster")
    ]
    for server in servers:
        if str(data_dir) in " ".join(server.info["cmdline"] or []):
            with contextlib.suppress(psutil.Error):
                return [server, *server.children(recursive=True)]
    return servers


class CpuMeter:
    """CPU seconds between start and stop of each named process (the gateway; assessment when it runs in
    its own process; "services": this process, where identity, org and skp run), of PostgreSQL (its live
    processes plus what its postmaster reaped from ended backends) and of the whole machine (every
    process, whoever started it)."""

    def __init__(self, processes: dict[str, int], data_dir: Path) -> None:
        self.processes = {name: psutil.Process(pid) for name, pid in processes.items()}
        self.data_dir = data_dir
        self.before: dict[str, float] = {}

    @staticmethod
    def _cpu(process: psutil.Process, reaped: bool = False) -> float:
        try:
            times = process.cpu_times()
        except psutil.Error:
            return 0.0
        children = times.children_user + times.children_system if reaped else 0.0
        return float(times.user + times.system + children)

    def _now(self) -> dict[str, float]:
        now = {name: self._cpu(process) for name, process in self.processes.items()}
        postgres = _postgres_processes(self.data_dir)
        now["postgres"] = sum(self._cpu(p, reaped=i == 0) for i, p in enumerate(postgres))
        machine = psutil.cpu_times()
        now["machine"] = sum(machine) - machine.idle - getattr(machine, "iowait", 0.0)
        return now

    def start(self) -> None:
        self.before = self._now()

    def stop(self) -> dict[str, float]:
        after = self._now()
        return {name: after[name] - self.before[name] for name in after}


# ---- a sampling profiler (py-spy is not in the lock; cProfile sees one thread only) ----

REPO = Path(__file__).resolve().parents[2]


class Sampler(threading.Thread):
    """Every `interval` seconds, the Python stack of every other thread of this process, weighted by the
    CPU time that thread used since the previous sample (its own CPU clock): threads waiting for I/O, a
    lock or the GIL weigh nothing, so the shares are of CPU. Counts the leaf function (self), every
    function on the stack (inclusive), the service whose code the stack runs and the library of the leaf."""

    def __init__(self, interval: float = 0.005) -> None:
        super().__init__(name="bench-sampler", daemon=True)
        self.interval = interval
        self.running = threading.Event()
        self.finished = threading.Event()
        self.cpu = 0.0
        self.self_cpu: collections.defaultdict[str, float] = collections.defaultdict(float)
        self.inclusive: collections.defaultdict[str, float] = collections.defaultdict(float)
        self.owners: collections.defaultdict[str, float] = collections.defaultdict(float)
        self.libraries: collections.defaultdict[str, float] = collections.defaultdict(float)

    def run(self) -> None:
        me = threading.get_ident()
        last: dict[int, float] = {}
        while not self.finished.is_set():
            for ident, frame in sys._current_frames().items():
                if ident == me:
                    continue
                try:
                    used = time.clock_gettime(time.pthread_getcpuclockid(ident))
                except OSError:  # the thread has just ended
                    continue
                before = last.get(ident)
                last[ident] = used
                if before is not None and used > before and self.running.is_set():
                    self._count(frame, used - before)
            time.sleep(self.interval)

    def _count(self, leaf: Any, cpu: float) -> None:
        stack = []
        frame = leaf
        while frame is not None:
            stack.append(frame.f_code)
            frame = frame.f_back
        self.cpu += cpu
        self.self_cpu[_where(leaf.f_code)] += cpu
        for name in {_where(c) for c in stack}:
            self.inclusive[name] += cpu
        self.owners[_owner(stack)] += cpu
        self.libraries[_library(leaf.f_code.co_filename)] += cpu

    def report(self) -> dict[str, Any]:
        return {
            "cpu": self.cpu,
            "self": _most(self.self_cpu)[:40],
            "inclusive": [(n, c) for n, c in _most(self.inclusive) if n.startswith(PROJECT)][:40],
            "owners": _most(self.owners),
            "libraries": _most(self.libraries)[:15],
        }


def _most(counts: dict[str, float]) -> list[tuple[str, float]]:
    return sorted(counts.items(), key=lambda item: -item[1])


PROJECT = ("services/", "libs/", "gateway/")


def _place(filename: str) -> str:
    """`services/assessment/.../repository.py` for project code, `sqlalchemy/orm/session.py` for a
    library, `json/encoder.py` for the standard library."""
    path = Path(filename)
    parts = path.parts
    if "site-packages" in parts:
        return "/".join(parts[parts.index("site-packages") + 1 :])
    with contextlib.suppress(ValueError):
        return str(path.relative_to(REPO))
    lib = next((i for i, part in enumerate(parts) if part.startswith("python3")), None)
    return "/".join(parts[lib + 1 :]) if lib is not None else path.name


def _where(code: Any) -> str:
    return f"{_place(code.co_filename)}:{code.co_name}"


def _owner(stack: Sequence[Any]) -> str:
    """Whose work a stack is: the service whose code is on it, else the gateway's, else the kit's."""
    places = [_place(code.co_filename) for code in stack]
    services = [p.split("/")[1] for p in places if p.startswith("services/")]
    if services:
        return services[-1]
    if any(p.startswith("gateway/") for p in places):
        return "gateway"
    return "kit" if any(p.startswith("libs/") for p in places) else "(no project code)"


def _library(filename: str) -> str:
    place = _place(filename)
    if place.startswith(PROJECT):
        return "(project code)"
    if "site-packages" in Path(filename).parts:
        return place.split("/")[0]
    return "(python standard library)"


def profiled_main(module: str, out: str) -> None:
    """`python -m <module>` under the sampler: SIGUSR1 starts sampling, SIGUSR2 stops it and writes the
    report to `out`."""
    sampler = Sampler()
    sampler.start()

    def begin(*_: Any) -> None:
        sampler.running.set()

    def end(*_: Any) -> None:
        sampler.running.clear()
        Path(out).write_text(json.dumps(sampler.report()))

    signal.signal(signal.SIGUSR1, begin)
    signal.signal(signal.SIGUSR2, end)
    runpy.run_module(module, run_name="__main__", alter_sys=True)


class Profiles:
    """With --profile: the sampler of this process and of the gateway and assessment processes, started
    and stopped together; without, nothing."""

    def __init__(self, enabled: bool, folder: Path) -> None:
        self.enabled = enabled
        self.folder = folder
        self.local = Sampler() if enabled else None
        self.pids: dict[str, int] = {}

    def command(self, module: str) -> list[str]:
        """How to start `python -m <module>`: under the sampler when profiling."""
        if not self.enabled:
            return [sys.executable, "-m", module]
        return [sys.executable, __file__, "--profiled", module, str(self.folder / f"{module}.json")]

    def start(self, pids: dict[str, int]) -> None:
        if self.local is None:
            return
        self.pids = pids
        self.local.start()
        self.local.running.set()
        for pid in pids.values():
            os.kill(pid, signal.SIGUSR1)

    def stop(self) -> None:
        if self.local is None:
            return
        self.local.running.clear()
        self.local.finished.set()
        for pid in self.pids.values():
            os.kill(pid, signal.SIGUSR2)

    def reports(self) -> dict[str, dict[str, Any]]:
        if self.local is None:
            return {}
        found = {
            "this process (identity, org, skp; assessment too with --assessment-in-process)": self.local.report()
        }
        deadline = time.monotonic() + 10
        for name in self.pids:
            path = self.folder / f"{name}.json"
            while not path.exists() and time.monotonic() < deadline:
                time.sleep(0.1)
            if path.exists():
                found[name] = json.loads(path.read_text())
        return found


def print_profile(title: str, report: dict[str, Any], top: int) -> None:
    cpu = report["cpu"] or 1.0
    print()
    print(f"{title}: {report['cpu']:.1f} CPU s sampled")
    print("  by whose code the stack runs (a service's, else the gateway's, else the kit's):")
    for name, used in report["owners"]:
        print(f"    {100 * used / cpu:5.1f}%  {name}")
    print("  by library of the leaf frame:")
    for name, used in report["libraries"][:10]:
        print(f"    {100 * used / cpu:5.1f}%  {name}")
    print(f"  top {top} functions by self CPU:")
    for name, used in report["self"][:top]:
        print(f"    {100 * used / cpu:5.1f}%  {name}")
    print(f"  top {top} project functions by inclusive CPU:")
    for name, used in report["inclusive"][:top]:
        print(f"    {100 * used / cpu:5.1f}%  {name}")


# ---- the data, through each service's own API ----


@dataclass
class Person:
    id: str
    nip: str
    token: str = ""

    @property
    def md(self) -> list[tuple[str, str]]:
        return [("authorization", f"Bearer {self.token}")]


@dataclass
class Owned:
    """An approved SKP and its open penilaian (by periode id)."""

    owner: Person
    skp_id: str
    indikator_ids: list[str]
    penilaian: dict[str, str] = field(default_factory=dict)


@dataclass
class Tenant:
    id: str
    pegawai: int
    atasan: Person
    bawahan: list[Person]
    heads: list[Person]  # the heads of the other units (each the penilai of its staff)
    staff: list[list[Person]]  # the other units' staff, by unit (same order as heads)
    periode: list[Any] = field(default_factory=list)
    first_quarter: str = ""
    owned: list[Owned] = field(default_factory=list)


class Platform:
    """Stubs of the in-process services and the admin BKN's token."""

    def __init__(self, addrs: dict[str, str]) -> None:
        from kinerja.assessment.v1 import assessment_pb2_grpc
        from kinerja.identity.v1 import identity_pb2, identity_pb2_grpc
        from kinerja.org.v1 import org_pb2_grpc
        from kinerja.skp.v1 import skp_pb2_grpc

        self.addrs = addrs
        self.channels = [grpc.insecure_channel(addrs[s]) for s in ("identity", "org", "skp", "assessment")]
        identity, org, skp, assessment = self.channels
        self.identity = identity_pb2_grpc.IdentityServiceStub(identity)
        self.org = org_pb2_grpc.OrgServiceStub(org)
        self.skp = skp_pb2_grpc.SkpServiceStub(skp)
        self.assessment = assessment_pb2_grpc.AssessmentServiceStub(assessment)
        login = self.identity.Login(
            identity_pb2.LoginRequest(username=ADMIN_NIP, password=ADMIN_PASSWORD), timeout=10
        )
        self.admin_token = login.tokens.access_token

    def admin(self, instansi_id: str) -> list[tuple[str, str]]:
        return [("authorization", f"Bearer {self.admin_token}"), ("x-instansi-id", instansi_id)]

    def close(self) -> None:
        for channel in self.channels:
            channel.close()


def parallel(function: Callable[[Any], Any], items: Sequence[Any]) -> list[Any]:
    with ThreadPoolExecutor(THREADS) as pool:
        return list(pool.map(function, items))


def build_org(platform: Platform, pegawai: int, units: int, nip_base: int, label: str) -> Tenant:
    """An instansi: a JPT root and `units - 1` bidang below it. Bidang 1 is the atasan's: its head and
    exactly BAWAHAN staff. Every other bidang has a head; the remaining pegawai are spread over them."""
    from kinerja.org.v1 import org_pb2

    admin_bkn = [("authorization", f"Bearer {platform.admin_token}")]
    suffix = os.urandom(3).hex().upper()
    instansi = platform.org.CreateInstansi(
        org_pb2.CreateInstansiRequest(kode=f"BENCH-{label}-{suffix}", nama=f"Pemkab {label} {suffix}", jenis="DAERAH"),
        metadata=tuple(admin_bkn),
    )  # fmt: skip
    md = platform.admin(instansi.id)
    root = _checked(
        platform.org.CreateUnor,
        org_pb2.CreateUnorRequest(
            unor=org_pb2.UnorInput(nama="Sekretariat Daerah", jenis=org_pb2.JENIS_UNOR_JPT_PRATAMA, kota="Blora")
        ),
        md,
    )  # fmt: skip

    def unor(i: int) -> str:
        created = _checked(
            platform.org.CreateUnor,
            org_pb2.CreateUnorRequest(
                unor=org_pb2.UnorInput(
                    nama=f"Bidang {i}",
                    jenis=org_pb2.JENIS_UNOR_ADMINISTRATOR,
                    parent_id=root.id,
                    kota="Blora",
                )
            ),
            md,
        )
        return str(created.id)

    unor_ids = [root.id, *parallel(unor, range(1, units))]
    # (index, unor, head): the head of each unor (the root's, the atasan, the others), the atasan's
    # bawahan, then the other staff spread over the other bidang
    heads = [(u, u, True) for u in range(units)]
    staff = [(units + b, 1, False) for b in range(BAWAHAN)]
    staff += [(i, 2 + i % (units - 2), False) for i in range(units + BAWAHAN, pegawai)]

    def create(spec: tuple[int, int, bool]) -> tuple[int, int, bool, Person]:
        i, u, head = spec
        nip = _nip(nip_base + i)
        jabatan = (
            org_pb2.Jabatan(nama="Kepala", jenis=org_pb2.JENIS_JABATAN_JPT if u == 0 else org_pb2.JENIS_JABATAN_ADMINISTRATOR)
            if head
            else org_pb2.Jabatan(nama="Analis SDM Aparatur", jenis=org_pb2.JENIS_JABATAN_FUNGSIONAL, jenjang="Ahli Pertama")
        )  # fmt: skip
        created = _checked(
            platform.org.CreatePegawai,
            org_pb2.CreatePegawaiRequest(
                pegawai=org_pb2.PegawaiInput(
                    nip=nip, nama=f"Pegawai {label} {i:05d}", unor_id=unor_ids[u], pimpinan=head,
                    jabatan=jabatan, golongan="III/b", tmt_jabatan="2021-01-04",
                )
            ),
            md,
        )  # fmt: skip
        return i, u, head, Person(created.id, nip)

    made = parallel(create, heads) + parallel(create, staff)
    by_unit: dict[int, list[Person]] = collections.defaultdict(list)
    head_of: dict[int, Person] = {}
    for _, u, head, person in made:
        if head:
            head_of[u] = person
        else:
            by_unit[u].append(person)
    other_units = range(2, units)
    return Tenant(
        id=instansi.id,
        pegawai=len(made),
        atasan=head_of[1],
        bawahan=by_unit[1],
        heads=[head_of[u] for u in other_units],
        staff=[by_unit[u] for u in other_units],
    )


def wait_for_accounts(postgres_url: str, total: int, timeout: float = 300.0) -> None:
    """Until identity holds an account for every pegawai (it opens them from org's events): its
    consumer must be idle before anything is measured."""
    url = _database_url(postgres_url, "kinerja_bench_identity")
    deadline = time.monotonic() + timeout
    import psycopg

    with psycopg.connect(url, autocommit=True) as connection:
        while True:
            row = connection.execute("select count(*) from accounts").fetchone()
            if row and row[0] >= total:
                return
            if time.monotonic() > deadline:
                raise RuntimeError(f"identity opened {row[0] if row else 0} of {total} accounts")
            time.sleep(0.5)


def _database_url(admin_url: str, database: str) -> str:
    """A libpq URL of `database` on the server of `admin_url` (a SQLAlchemy URL), as its admin."""
    from sqlalchemy.engine import make_url

    url = make_url(admin_url).set(drivername="postgresql", database=database)
    return url.render_as_string(hide_password=False)


def log_in(platform: Platform, tenant_id: str, people: Sequence[Person]) -> None:
    def one(person: Person) -> None:
        person.token = _login_as(platform.addrs["identity"], platform.admin_token, tenant_id, person.nip)

    parallel(one, people)


def rhk_of_head(platform: Platform, head: Person) -> str:
    """The head's own (draft) SKP with one RHK: the RHK their bawahan's RHK utama intervene."""
    from kinerja.skp.v1 import skp_pb2

    skp = _checked(
        platform.skp.CreateSkp,
        skp_pb2.CreateSkpRequest(
            tanggal_mulai=f"{YEAR}-01-01", tanggal_selesai=f"{YEAR}-12-31", pendekatan=skp_pb2.PENDEKATAN_KUANTITATIF
        ),
        head.md,
    )  # fmt: skip
    skp = _checked(
        platform.skp.AddRhk,
        skp_pb2.AddRhkRequest(
            skp_id=skp.id,
            rhk=skp_pb2.RhkInput(jenis=skp_pb2.JENIS_RHK_UTAMA, teks="Terselenggaranya layanan kepegawaian bidang"),
        ),
        head.md,
    )  # fmt: skip
    return str(skp.rhk[-1].id)


def approved_skp(platform: Platform, owner: Person, head: Person, atasan_rhk_id: str, periode_ids: Sequence[str],
                 indikator: int) -> Owned:  # fmt: skip
    """An SKP of `owner` for YEAR: one RHK utama intervening the head's, `indikator` indikator with
    targets, the head as penilai of every perilaku, a rencana aksi in each of `periode_ids`; submitted
    by the owner and approved by the head."""
    from kinerja.skp.v1 import skp_pb2

    own = owner.md
    skp = _checked(
        platform.skp.CreateSkp,
        skp_pb2.CreateSkpRequest(
            tanggal_mulai=f"{YEAR}-01-01", tanggal_selesai=f"{YEAR}-12-31", pendekatan=skp_pb2.PENDEKATAN_KUANTITATIF
        ),
        own,
    )  # fmt: skip
    skp = _checked(
        platform.skp.AddRhk,
        skp_pb2.AddRhkRequest(
            skp_id=skp.id,
            rhk=skp_pb2.RhkInput(
                jenis=skp_pb2.JENIS_RHK_UTAMA, teks="Tersusunnya analisis kebutuhan pengembangan kompetensi",
                atasan_rhk_id=atasan_rhk_id,
            ),
        ),
        own,
    )  # fmt: skip
    rhk_id = skp.rhk[-1].id
    for i in range(indikator):
        skp = _checked(
            platform.skp.AddIndikator,
            skp_pb2.AddIndikatorRequest(
                skp_id=skp.id, rhk_id=rhk_id,
                indikator=skp_pb2.IndikatorInput(
                    teks=f"Jumlah dokumen analisis yang disahkan ({i + 1})", aspek=skp_pb2.ASPEK_KUANTITAS,
                    target=skp_pb2.Target(min="4", max="6", satuan="Dokumen"),
                ),
            ),
            own,
        )  # fmt: skip
    for nilai in range(1, 8):
        request = skp_pb2.SetPenilaiPerilakuRequest(
            skp_id=skp.id,
            nilai=nilai,  # type: ignore[arg-type]
            penilai_jenis=skp_pb2.JENIS_PENILAI_ATASAN,
        )
        skp = _checked(platform.skp.SetPenilaiPerilaku, request, own)
    for periode_id in periode_ids:
        skp = _checked(
            platform.skp.AddRencanaAksi,
            skp_pb2.AddRencanaAksiRequest(
                skp_id=skp.id,
                rencana_aksi=skp_pb2.RencanaAksiInput(
                    rhk_id=rhk_id, periode_id=periode_id, teks="Mengumpulkan dan memverifikasi data dukung",
                    target="1", satuan="Laporan",
                ),
            ),
            own,
        )  # fmt: skip
    _checked(platform.skp.SubmitSkp, skp_pb2.SubmitSkpRequest(id=skp.id), own)
    skp = _checked(platform.skp.ApproveSkp, skp_pb2.ApproveSkpRequest(id=skp.id), head.md)
    return Owned(owner, skp.id, [i.id for r in skp.rhk for i in r.indikator])


def open_penilaian(
    platform: Platform, owned: Owned, periode_ids: Sequence[str], timeout: float = 120.0
) -> None:
    """Opens the owner's penilaian of each periode; while assessment's projection has not caught up with
    the approval (SKP_NOT_FOUND, SKP_BELUM_SIAP) it tries again."""
    from kinerja.assessment.v1 import assessment_pb2
    from kinerja_kit.errors import from_rpc_error

    deadline = time.monotonic() + timeout
    for periode_id in periode_ids:
        while True:
            try:
                penilaian = platform.assessment.OpenPenilaian(
                    assessment_pb2.OpenPenilaianRequest(skp_id=owned.skp_id, periode_id=periode_id),
                    metadata=tuple(owned.owner.md),
                    timeout=10,
                )
                owned.penilaian[periode_id] = penilaian.id
                break
            except grpc.RpcError as exc:
                domain = from_rpc_error(exc)
                reason = domain.reason if domain else ""
                if reason not in ("SKP_NOT_FOUND", "SKP_BELUM_SIAP") or time.monotonic() > deadline:
                    raise RuntimeError(
                        f"OpenPenilaian refused: {domain} {domain.violations if domain else ''}"
                    ) from exc
                time.sleep(0.2)


def quarterly_periode(platform: Platform, tenant: Tenant) -> None:
    from kinerja.skp.v1 import skp_pb2

    created = _checked(
        platform.skp.CreatePeriodeSet,
        skp_pb2.CreatePeriodeSetRequest(pola=skp_pb2.POLA_PERIODE_TRIWULAN),
        platform.admin(tenant.id),
    )
    tenant.periode = list(created.periode)
    tenant.first_quarter = next(p.id for p in tenant.periode if p.jenis == skp_pb2.JENIS_PERIODE_BIASA)


def build_assessments(platform: Platform, tenant: Tenant, owners: int) -> None:
    """The atasan's 30 bawahan: approved SKPs, their first quarter's penilaian open. In the big instansi
    also `owners` staff of the other units: approved SKPs, a penilaian open in every periode."""
    from kinerja.skp.v1 import skp_pb2

    quarters = [p.id for p in tenant.periode if p.jenis == skp_pb2.JENIS_PERIODE_BIASA]
    everything = [p.id for p in tenant.periode]
    first = [tenant.first_quarter]
    chosen: list[tuple[Person, Person]] = [(b, tenant.atasan) for b in tenant.bawahan]
    spread = itertools.cycle(range(len(tenant.staff)))
    taken: dict[int, int] = collections.Counter()
    for _ in range(owners):
        unit = next(spread)
        while taken[unit] >= len(tenant.staff[unit]):
            unit = next(spread)
        chosen.append((tenant.staff[unit][taken[unit]], tenant.heads[unit]))
        taken[unit] += 1
    heads = list({h.id: h for _, h in chosen}.values())
    log_in(platform, tenant.id, [*heads, *(o for o, _ in chosen)])
    rhk = dict(zip([h.id for h in heads], parallel(lambda h: rhk_of_head(platform, h), heads), strict=True))

    def one(pair: tuple[Person, Person]) -> Owned:
        owner, head = pair
        is_bawahan = head.id == tenant.atasan.id
        periode_ids = first if is_bawahan else quarters
        owned = approved_skp(platform, owner, head, rhk[head.id], periode_ids, 1 if is_bawahan else INDIKATOR)
        open_penilaian(platform, owned, first if is_bawahan else everything)
        return owned

    tenant.owned = parallel(one, chosen)


# ---- the measurements ----


def prepare_raw(postgres_url: str) -> str:
    """A scratch database on the same server with one plain table; the URL its load process uses."""
    import psycopg

    from kinerja_kit.db import provision_service_database

    database = provision_service_database(postgres_url, "bench_raw")
    owner = _libpq(database.owner_url)
    with psycopg.connect(owner, autocommit=True) as connection:
        connection.execute(
            "create table if not exists bench_raw (id bigserial primary key, payload text not null, "
            "created_at timestamptz not null default now())"
        )
    return owner


def _libpq(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


class LagProbe:
    """While the realisasi load runs: `rate` target bulanan changes per second on approved SKPs (each
    SKP at most once, round robin), and a reader of assessment's `skp_proyeksi` every 50 ms that keeps,
    for each (SKP, version) it sees, the event's occurrence and its application."""

    def __init__(self, platform: Platform, owned: Sequence[Owned], rate: float) -> None:
        self.platform = platform
        self.owned = list(owned)
        self.rate = rate
        self.stop_changes = threading.Event()
        self.stop_reading = threading.Event()
        self.changed: list[tuple[str, int]] = []  # (skp id, the version skp answered)
        self.seen: dict[tuple[str, int], tuple[Any, Any]] = {}
        self.errors = 0
        self.threads = [
            threading.Thread(target=self._change, name="bench-lag-changes", daemon=True),
            threading.Thread(target=self._read, name="bench-lag-reader", daemon=True),
        ]

    def start(self) -> LagProbe:
        for thread in self.threads:
            thread.start()
        return self

    def _change(self) -> None:
        from kinerja.skp.v1 import skp_pb2

        period = 1.0 / self.rate
        next_at = time.monotonic()
        for n, owned in enumerate(itertools.cycle(self.owned)):
            if self.stop_changes.is_set():
                return
            monthly = [str(1 + (n + m) % 5) if m % 3 == 2 else "" for m in range(12)]
            try:
                skp = self.platform.skp.SetTargetBulanan(
                    skp_pb2.SetTargetBulananRequest(
                        skp_id=owned.skp_id, indikator_id=owned.indikator_ids[0], target=monthly
                    ),
                    metadata=tuple(owned.owner.md),
                    timeout=10,
                )
                self.changed.append((owned.skp_id, skp.version))
            except grpc.RpcError:
                self.errors += 1
            next_at += period
            self.stop_changes.wait(max(0.0, next_at - time.monotonic()))

    def _read(self) -> None:
        import psycopg

        url = _database_url(self.platform.addrs["postgres"], "kinerja_bench_assessment")
        with psycopg.connect(url, autocommit=True) as connection:
            while not self.stop_reading.is_set():
                ids = list({skp_id for skp_id, _ in self.changed})
                if ids:
                    rows = connection.execute(
                        "select id::text, version, source_occurred_at, applied_at from skp_proyeksi "
                        "where id = any(%s::uuid[])",
                        (ids,),
                    ).fetchall()
                    for skp_id, version, occurred, applied in rows:
                        self.seen.setdefault((skp_id, version), (occurred, applied))
                self.stop_reading.wait(0.05)

    def finish(self, grace: float = 10.0) -> dict[str, Any]:
        """Stops the changes, waits up to `grace` seconds for every change to arrive, and summarises."""
        self.stop_changes.set()
        self.threads[0].join()
        deadline = time.monotonic() + grace
        while time.monotonic() < deadline and not self._all_seen():
            time.sleep(0.1)
        self.stop_reading.set()
        self.threads[1].join()
        found = [(c, *self.seen[c]) for c in self.changed if c in self.seen]
        lags = sorted((applied - occurred).total_seconds() for _, occurred, applied in found)
        # Where it waited: in skp's outbox until the relay took it (its sent_at: the relay's transaction
        # start), then the broker, the consumer's fetch and the projection's transaction.
        picked = self._picked_up([c for c, _, _ in found])
        outbox = sorted((picked[c] - occurred).total_seconds() for c, occurred, _ in found if c in picked)
        onwards = sorted((applied - picked[c]).total_seconds() for c, _, applied in found if c in picked)
        return {
            "changes": len(self.changed),
            "applied": len(lags),
            "errors": self.errors,
            **_percentiles("", lags),
            **_percentiles("outbox_", outbox),
            **_percentiles("onwards_", onwards),
        }

    def _picked_up(self, changes: list[tuple[str, int]]) -> dict[tuple[str, int], Any]:
        """When skp's relay took each change's event from the outbox."""
        import psycopg

        url = _database_url(self.platform.addrs["postgres"], "kinerja_bench_skp")
        with psycopg.connect(url, autocommit=True) as connection:
            rows = connection.execute(
                "select aggregate_id, aggregate_version, sent_at from outbox "
                "where aggregate_id = any(%s) and sent_at is not null",
                ([skp_id for skp_id, _ in changes],),
            ).fetchall()
        wanted = set(changes)
        return {(a, v): sent for a, v, sent in rows if (a, v) in wanted}

    def _all_seen(self) -> bool:
        return all(change in self.seen for change in self.changed)


def _percentiles(prefix: str, values: list[float]) -> dict[str, float]:
    """p50, p99 and max in ms of sorted seconds (nan when empty)."""
    if not values:
        return {f"{prefix}{k}": float("nan") for k in ("p50_ms", "p99_ms", "max_ms")}
    return {
        f"{prefix}p50_ms": 1000 * statistics.median(values),
        f"{prefix}p99_ms": 1000 * values[int(0.99 * (len(values) - 1))],
        f"{prefix}max_ms": 1000 * values[-1],
    }


def check_realisasi(base: str, client: dict[str, Any]) -> None:
    variables = {
        "penilaianId": client["penilaian_id"],
        "indikatorId": client["indikator_ids"][0],
        "input": {"nilai": "0,5", "keterangan": "Pemeriksaan awal"},
    }
    payload = graphql_data(base, SET_REALISASI, variables, client["token"])["setRealisasi"]
    assert not payload["errors"], payload["errors"]


def check_inbox(base: str, token: str) -> tuple[int, int]:
    """The atasan's inbox: the NILAI_BAWAHAN count and the size of the first page."""
    inbox = graphql_data(base, INBOX, {}, token)["inbox"]
    counts = {j["jenis"]: j["jumlah"] for j in inbox["jumlah"]}
    return counts.get("NILAI_BAWAHAN", 0), len(inbox["edges"])


def _child(module: str) -> int:
    """The pid of this process's child that runs `module` (`-m module` or `--profiled module`)."""
    for child in psutil.Process().children(recursive=True):
        with contextlib.suppress(psutil.Error):
            command = child.cmdline()
            if any(a == module and b in ("-m", "--profiled") for b, a in itertools.pairwise(command)):
                return child.pid
    raise RuntimeError(f"no {module} process found")


def print_results(
    results: dict[str, dict[str, Any]], lag: dict[str, Any], inbox_big: str, pegawai: tuple[int, int]
) -> None:
    print_rows(results, "measurement", 40)
    raw, realisasi = results[RAW], results[REALISASI]
    shown = {"gateway": "gateway", "assessment": "assessment", "assessment.consumer": "consumer",
             "services": "services", "postgres": "postgres"}  # fmt: skip
    components = [c for c in shown if c in raw["cpu"]]
    print()
    print(
        f"{'CPU ms per request':<40} "
        + " ".join(f"{shown[c]:>10}" for c in components)
        + f" {'load':>10} {'machine':>10}"
    )
    for name, r in results.items():
        if not r["requests"]:
            continue
        # the meters also ran through the warm-up, at about the measured rate
        per = 1000 / (r["requests"] * (1 + r["warmup"] / r["duration"]))
        load = f"{r['load_cpu_s'] * 1000 / r['requests']:.2f}" if "load_cpu_s" in r else "-"
        cells = " ".join(f"{r['cpu'][c] * per:>10.2f}" for c in components)
        print(f"{name:<40} {cells} {load:>10} {r['cpu']['machine'] * per:>10.2f}")
    if "assessment" in components:
        print(
            "(assessment: its API; consumer: its projection consumer; services: identity, org and skp in this"
        )
    else:
        print("(services: identity, org, skp and assessment with its projection consumer, all in this")
    print(" process; machine: every process's CPU, whoever started it)")
    print()
    ratio = realisasi["rps"] / raw["rps"] if raw["rps"] else 0.0
    print(
        f"realisasi/raw commits: {realisasi['rps']:.0f}/s against {raw['rps']:.0f}/s = {ratio:.3f} "
        f"(target at least 0.10; addKinerjaHarian about 0.03); setRealisasi p50 {realisasi['p50_ms']:.1f} ms, "
        f"p99 {realisasi['p99_ms']:.1f} ms"
    )
    print(
        f"skp -> assessment projection lag at that load: {lag['applied']} of {lag['changes']} changes applied, "
        f"p50 {lag['p50_ms']:.0f} ms, p99 {lag['p99_ms']:.0f} ms, max {lag['max_ms']:.0f} ms (target p99 under 1 s)"
    )
    print(
        f"  of which in skp's outbox until its relay took it: p50 {lag['outbox_p50_ms']:.0f} ms, "
        f"p99 {lag['outbox_p99_ms']:.0f} ms; then broker, consumer fetch and projection: "
        f"p50 {lag['onwards_p50_ms']:.0f} ms, p99 {lag['onwards_p99_ms']:.0f} ms"
    )
    small, big = results[INBOX_SMALL]["p50_ms"], results[inbox_big]["p50_ms"]
    print(
        f"inbox p50: {big:.1f} ms with {pegawai[1]} pegawai against {small:.1f} ms with {pegawai[0]}: "
        f"{big / small:.2f}x (target at most 1.5x)"
    )
    print(f"({os.cpu_count()} CPUs shared by PostgreSQL, the services, the gateway and the load generator.)")


def load_data(platform: Platform, args: argparse.Namespace, started: float) -> tuple[Tenant, Tenant]:
    """The small and the big instansi, with their SKPs and penilaian."""

    def progress(what: str) -> None:
        print(f"  {time.monotonic() - started:.0f} s; {what} ...", flush=True)

    print(
        f"loading an instansi of {SMALL} and one of {args.pegawai} pegawai through org gRPC ...", flush=True
    )
    small = build_org(platform, SMALL, 5, args.pegawai + 10, "KECIL")  # _nip: unique below 19,980
    big = build_org(platform, args.pegawai, args.units, 0, "BESAR")
    progress("waiting for identity to open their accounts")
    wait_for_accounts(platform.addrs["postgres"], small.pegawai + big.pegawai)
    progress("SKPs through skp, penilaian through assessment")
    for tenant in (small, big):
        quarterly_periode(platform, tenant)
    build_assessments(platform, small, 0)
    build_assessments(platform, big, args.owners)
    penilaian = sum(len(o.penilaian) for o in (*small.owned, *big.owned))
    progress(f"{len(small.owned) + len(big.owned)} approved SKPs, {penilaian} open penilaian; measuring")
    return small, big


def measure_all(
    platform: Platform,
    args: argparse.Namespace,
    small: Tenant,
    big: Tenant,
    gateway: subprocess.Popen[bytes],
    base: str,
    profiles: Profiles,
    data_dir: Path,
) -> tuple[dict[str, dict[str, Any]], dict[str, Any]]:
    timing = {"duration": args.duration, "warmup": 2.0}
    load_owners = [o for o in big.owned if o.owner not in big.bawahan][:CLIENTS]
    clients = [
        {"token": o.owner.token, "penilaian_id": o.penilaian[big.first_quarter], "indikator_ids": o.indikator_ids}
        for o in load_owners
    ]  # fmt: skip
    check_realisasi(base, clients[0])
    for tenant in (small, big):
        count, page = check_inbox(base, tenant.atasan.token)
        print(f"  inbox of the atasan in {tenant.pegawai}: NILAI_BAWAHAN {count}, first page {page}")
    pids = {"gateway": gateway.pid}
    if not args.assessment_in_process:
        pids["assessment"] = _child("assessment")
        pids["assessment.consumer"] = _child("assessment.consumer")
    meter = CpuMeter({**pids, "services": os.getpid()}, data_dir)
    results: dict[str, dict[str, Any]] = {}

    def measure(name: str, spec: dict[str, Any], during: Callable[[], Any] | None = None) -> Any:
        meter.start()
        load = start_load({**spec, **timing}, __file__)
        alongside = during() if during else None
        results[name] = finish_load(load)
        results[name]["cpu"] = meter.stop()
        results[name].update(timing)
        results[name]["gw_cpu_ms"] = (
            1000 * results[name]["cpu"]["gateway"] / (results[name]["requests"] * (1 + 2.0 / args.duration))
            if results[name]["requests"]
            else None
        )
        return alongside

    print(f"measuring {RAW}: {args.duration:.0f} s, {CLIENTS} clients ...", flush=True)
    measure(RAW, {"kind": "raw", "url": prepare_raw(platform.addrs["postgres"]), "concurrency": CLIENTS})

    print(
        f"measuring {REALISASI}: {args.duration:.0f} s, {CLIENTS} clients, skp changes alongside ...",
        flush=True,
    )
    others = [o for o in big.owned if o not in load_owners and o.owner not in big.bawahan]

    def after_warmup() -> LagProbe:
        time.sleep(timing["warmup"])
        profiles.start(pids)
        return LagProbe(platform, others, args.lag_rate).start()

    probe = measure(
        REALISASI, {"kind": "realisasi", "url": f"{base}/graphql", "clients": clients}, after_warmup
    )
    profiles.stop()
    lag = probe.finish()

    for name, tenant in ((INBOX_SMALL, small), (f"GraphQL inbox, instansi of {big.pegawai}", big)):
        print(f"measuring {name}: {args.duration:.0f} s, one request in flight ...", flush=True)
        measure(
            name,
            {"kind": "http", "method": "POST", "url": f"{base}/graphql", "body": {"query": INBOX, "variables": {}},
             "headers": {"Authorization": f"Bearer {tenant.atasan.token}"}, "concurrency": 1},
        )  # fmt: skip
    return results, lag


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=10.0)
    parser.add_argument("--pegawai", type=int, default=10_000, help="pegawai of the big instansi")
    parser.add_argument("--units", type=int, default=100, help="unor of the big instansi")
    parser.add_argument(
        "--owners", type=int, default=60, help="more pegawai of the big instansi with penilaian"
    )
    parser.add_argument("--lag-rate", type=float, default=4.0, help="skp changes per second during the load")
    parser.add_argument(
        "--assessment-in-process",
        action="store_true",
        help="run assessment in this process with the other services (default: its own, as deployed)",
    )
    parser.add_argument(
        "--profile", action="store_true", help="sample the gateway and the services during the realisasi load"
    )
    parser.add_argument("--top", type=int, default=15, help="functions shown per profile")
    parser.add_argument("--load", help=argparse.SUPPRESS)
    parser.add_argument("--profiled", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.load:
        load_main(args.load)
        return
    if args.profiled:
        profiled_main(*args.profiled)
        return
    if args.units < 3 or args.pegawai < args.units + BAWAHAN + args.owners:
        parser.error("the big instansi needs at least 3 unor and room for the bawahan and the owners")
    if args.owners <= CLIENTS:
        parser.error(
            f"--owners must exceed the {CLIENTS} realisasi clients: the others' SKPs change for the lag"
        )

    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="kinerja-bench-profiles-") as folder:
        profiles = Profiles(args.profile, Path(folder))
        separate = not args.assessment_in_process
        assessment = profiles.command("assessment") if separate else None
        consumer = profiles.command("assessment.consumer") if separate else None
        with bench_platform("kinerja-bench-assessment-", assessment, consumer) as (workdir, addrs):
            platform = Platform(addrs)
            try:
                small, big = load_data(platform, args, started)
                gateway_command = profiles.command("gateway") if args.profile else None
                with running_gateway(addrs, workdir, command=gateway_command) as (gateway, base):
                    data_dir = (workdir / "pg").resolve()
                    results, lag = measure_all(platform, args, small, big, gateway, base, profiles, data_dir)
                reports = profiles.reports()
            finally:
                platform.close()
    print_results(results, lag, f"GraphQL inbox, instansi of {big.pegawai}", (small.pegawai, big.pegawai))
    for name, report in reports.items():
        print_profile(f"{name} during the realisasi load", report, args.top)
    if reports:
        print(
            "\n(the realisasi figures above were measured under the sampler: run without --profile for them)"
        )
    print(f"\n(whole run {time.monotonic() - started:.0f} s)")


if __name__ == "__main__":
    main()
