"""Loads a national plan into a running stack through the services' own APIs, with progress bars.

Phases: instansi (org CreateInstansi as admin BKN), unor (org ImportUnor, 5,000 a call), pegawai (org
ImportPegawai, 5,000 a call), PLT/PLH (org CreatePlt), accounts (identity opens them from org's
PegawaiCreated events: this only waits, counting identity's accounts), periode (skp CreatePeriodeSet),
SKPs (skp ImportSkp, 500 a call, a penilai's before their bawahan's), then the admins' role (identity
SetRoles) and the passwords of the admins and the sample users (identity ResetPassword, then Login and
ChangePassword as the user). Calls of one instansi go one at a time (org and skp serialise an instansi's
writes); several instansi are loaded at once. Nothing writes a service's tables: the counts are read from
identity's database only to show the progress of its consumer.
"""

from __future__ import annotations

import contextlib
import random
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

import grpc
from google.protobuf import timestamp_pb2
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from kinerja.identity.v1 import identity_pb2, identity_pb2_grpc
from kinerja.org.v1 import org_pb2, org_pb2_grpc
from kinerja.skp.v1 import skp_pb2, skp_pb2_grpc
from kinerja_kit.errors import from_rpc_error
from kinerja_testing.national import names
from kinerja_testing.national.plan import (
    Population,
    Samples,
    new_uuid,
)
from kinerja_testing.national.stack import ADMIN_BKN, Endpoints
from kinerja_testing.national.structure import ESELON

IMPORT_BATCH = 5_000
SKP_BATCH = 500
RETRYABLE = (
    grpc.StatusCode.UNAVAILABLE,
    grpc.StatusCode.DEADLINE_EXCEEDED,
    grpc.StatusCode.RESOURCE_EXHAUSTED,
)
CHANNEL_OPTIONS = [("grpc.max_send_message_length", 64 << 20), ("grpc.max_receive_message_length", 64 << 20)]


class LoadError(RuntimeError):
    """A call the load depends on was refused; the message names the call and the service's reasons."""


class Rpc:
    """gRPC clients of identity, org and skp, calling as admin BKN (its token renewed before it expires)."""

    def __init__(self, endpoints: Endpoints, admin: dict[str, str] | None = None) -> None:
        self.admin = admin or ADMIN_BKN
        self.channels = [
            grpc.insecure_channel(endpoints.__dict__[s], options=CHANNEL_OPTIONS)
            for s in ("identity", "org", "skp")
        ]
        self.identity = identity_pb2_grpc.IdentityServiceStub(self.channels[0])
        self.org = org_pb2_grpc.OrgServiceStub(self.channels[1])
        self.skp = skp_pb2_grpc.SkpServiceStub(self.channels[2])
        self._token = ""
        self._since = 0.0
        self._lock = threading.Lock()

    def token(self) -> str:
        with self._lock:
            if not self._token or time.monotonic() - self._since > 600:  # tokens live 15 minutes
                login = self.call(self.identity.Login, identity_pb2.LoginRequest(**self.admin), auth=False)
                self._token, self._since = login.tokens.access_token, time.monotonic()
            return self._token

    def metadata(self, instansi_id: str = "", key: str = "") -> tuple[tuple[str, str], ...]:
        md = [("authorization", f"Bearer {self.token()}")]
        if instansi_id:
            md.append(("x-instansi-id", instansi_id))
        if key:
            md.append(("idempotency-key", key))
        return tuple(md)

    def call(self, method: Any, request: Any, instansi_id: str = "", *, auth: bool = True, key: str = "",
             timeout: float = 900.0, token: str = "") -> Any:  # fmt: skip
        """One call, retried on a transient failure (every call here is safe to repeat)."""
        for attempt in range(6):
            if token:
                metadata: tuple[tuple[str, str], ...] = (("authorization", f"Bearer {token}"),)
            else:
                metadata = self.metadata(instansi_id, key) if auth else ()
            try:
                return method(request, metadata=metadata, timeout=timeout)
            except grpc.RpcError as exc:
                code = exc.code()  # type: ignore[attr-defined]
                if code in RETRYABLE and attempt < 5:
                    time.sleep(1.0 + 2 * attempt)
                    continue
                if code == grpc.StatusCode.UNAUTHENTICATED and auth and not token and attempt < 2:
                    with self._lock:
                        self._token = ""
                    continue
                raise

    def close(self) -> None:
        for channel in self.channels:
            channel.close()


def refused(what: str, exc: grpc.RpcError) -> LoadError:
    domain = from_rpc_error(exc)
    if domain is None:
        return LoadError(f"{what}: {exc.code()} {exc.details()}")  # type: ignore[attr-defined]
    shown = "; ".join(f"{v.field} {v.code} {v.message}" for v in domain.violations[:10])
    more = f" (+{len(domain.violations) - 10} more)" if len(domain.violations) > 10 else ""
    return LoadError(f"{what}: {domain.reason} {domain.message} {shown}{more}")


def reason(exc: grpc.RpcError) -> str:
    domain = from_rpc_error(exc)
    return domain.reason if domain else ""


# ---- progress and timing ----


@dataclass
class Phase:
    name: str
    items: int = 0
    seconds: float = 0.0
    note: str = ""

    @property
    def rate(self) -> float:
        return self.items / self.seconds if self.seconds > 0 else 0.0


@dataclass
class Report:
    phases: list[Phase] = field(default_factory=list)

    @contextlib.contextmanager
    def phase(self, name: str, items: int = 0) -> Iterator[Phase]:
        phase = Phase(name, items)
        started = time.monotonic()
        try:
            yield phase
        finally:
            phase.seconds = time.monotonic() - started
            self.phases.append(phase)


def progress_bars(console: Console) -> Progress:
    return Progress(
        SpinnerColumn(),
        TextColumn("[bold]{task.description:<22}"),
        BarColumn(bar_width=36),
        MofNCompleteColumn(),
        TextColumn("{task.fields[rate]:>9}"),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=console,
    )


class Bar:
    """A progress task that also shows its rate per second."""

    def __init__(self, progress: Progress, description: str, total: int) -> None:
        self.progress = progress
        self.task: TaskID = progress.add_task(description, total=total, rate="")
        self.started = time.monotonic()
        self.done = 0
        self.lock = threading.Lock()

    def advance(self, n: int) -> None:
        with self.lock:
            self.done += n
            self.set(self.done)

    def set(self, value: int) -> None:
        rate = value / max(1e-6, time.monotonic() - self.started)
        self.progress.update(
            self.task, completed=value, rate=f"{rate:,.0f}/s" if rate >= 10 else f"{rate:.2f}/s"
        )


def run_lanes(lanes: Sequence[Sequence[Callable[[], None]]], workers: int) -> None:
    """Runs each lane's calls in order, one at a time, and up to `workers` lanes at once, the longest lanes
    first; the first failure stops the others' next calls and is raised."""
    failed: list[BaseException] = []

    def run(lane: Sequence[Callable[[], None]]) -> None:
        for step in lane:
            if failed:
                return
            try:
                step()
            except BaseException as exc:
                failed.append(exc)
                return

    ordered = sorted(lanes, key=len, reverse=True)
    with ThreadPoolExecutor(max(1, workers)) as pool:
        list(pool.map(run, ordered))
    if failed:
        raise failed[0]


# ---- the phases ----


@dataclass
class Loaded:
    """Ids the services gave (instansi) and the periode of each instansi, by kode."""

    instansi: dict[str, str] = field(default_factory=dict)
    periode: dict[str, list[str]] = field(default_factory=dict)


def create_instansi(rpc: Rpc, populations: Sequence[Population], loaded: Loaded) -> int:
    existing = {i.kode: i.id for i in rpc.call(rpc.org.ListInstansi, org_pb2.ListInstansiRequest()).instansi}
    created = 0
    for population in populations:
        spec = population.spec
        if spec.kode not in existing:
            try:
                instansi = rpc.call(
                    rpc.org.CreateInstansi,
                    org_pb2.CreateInstansiRequest(kode=spec.kode, nama=spec.nama, jenis=spec.jenis),
                    key=f"national-instansi-{spec.kode}",
                )
            except grpc.RpcError as exc:
                raise refused(f"CreateInstansi {spec.kode}", exc) from exc
            existing[spec.kode] = instansi.id
            created += 1
        loaded.instansi[spec.kode] = existing[spec.kode]
    return created


def _chunks(items: Sequence[Any], size: int) -> list[Sequence[Any]]:
    return [items[i : i + size] for i in range(0, len(items), size)]


def import_unor(rpc: Rpc, populations: Sequence[Population], loaded: Loaded, bar: Bar, workers: int) -> None:
    def lane(population: Population) -> list[Callable[[], None]]:
        instansi_id = loaded.instansi[population.spec.kode]
        units = population.units

        def step(chunk: Sequence[int], first: int) -> Callable[[], None]:
            def run() -> None:
                request = org_pb2.ImportUnorRequest(
                    unor=[
                        org_pb2.ImportUnor(
                            id=units[i].id,
                            unor=org_pb2.UnorInput(
                                nama=units[i].nama,
                                jenis=units[i].jenis,  # type: ignore[arg-type]
                                eselon=ESELON.get(units[i].jenis, ""),
                                parent_id=units[units[i].parent].id if units[i].parent >= 0 else "",
                                induk_id=units[units[i].induk].id if units[i].induk >= 0 else "",
                                mandiri=units[i].mandiri,
                                kota=units[i].kota,
                            ),
                        )
                        for i in chunk
                    ]
                )
                try:
                    rpc.call(rpc.org.ImportUnor, request, instansi_id)
                except grpc.RpcError as exc:
                    raise refused(f"ImportUnor {population.spec.kode} from unor {first}", exc) from exc
                bar.advance(len(chunk))

            return run

        indexes = list(range(len(units)))
        return [step(chunk, n * IMPORT_BATCH) for n, chunk in enumerate(_chunks(indexes, IMPORT_BATCH))]

    run_lanes([lane(p) for p in populations], workers)


def import_pegawai(rpc: Rpc, populations: Sequence[Population], loaded: Loaded, bar: Bar, workers: int,
                   first: dict[str, Sequence[int]] | None = None) -> None:  # fmt: skip
    """Every pegawai, 5,000 a call; with `first`, those of each instansi (its admin and sample users) in
    a call of their own before the rest (identity then opens their accounts first)."""

    def lane(population: Population, part: str) -> list[Callable[[], None]]:
        kode = population.spec.kode
        instansi_id = loaded.instansi[kode]
        units, people = population.units, population.people
        early = list(dict.fromkeys((first or {}).get(kode, ())))
        if part == "first":
            order: Sequence[int] = early
        else:
            taken = set(early)
            order = [i for i in range(len(people)) if i not in taken] if taken else range(len(people))

        def step(chunk: Sequence[int], start: int) -> Callable[[], None]:
            def run() -> None:
                request = org_pb2.ImportPegawaiRequest(
                    pegawai=[
                        org_pb2.ImportPegawai(
                            id=people[i].id,
                            pegawai=org_pb2.PegawaiInput(
                                nip=people[i].nip,
                                nama=people[i].nama,
                                unor_id=units[people[i].unit].id,
                                pimpinan=people[i].pimpinan,
                                jabatan=org_pb2.Jabatan(
                                    nama=people[i].jabatan,
                                    jenis=people[i].jenis_jabatan,  # type: ignore[arg-type]
                                    jenjang=people[i].jenjang,
                                ),
                                golongan=people[i].golongan,
                                tmt_jabatan=people[i].tmt_jabatan,
                            ),
                        )
                        for i in chunk
                    ]
                )
                try:
                    rpc.call(rpc.org.ImportPegawai, request, instansi_id)
                except grpc.RpcError as exc:
                    raise refused(f"ImportPegawai {kode} ({part}) from pegawai {start}", exc) from exc
                bar.advance(len(chunk))

            return run

        return [step(order[s : s + IMPORT_BATCH], s) for s in range(0, len(order), IMPORT_BATCH)]

    if first:
        run_lanes([lane(p, "first") for p in populations], workers)
    run_lanes([lane(p, "rest") for p in populations], workers)


def create_plt(
    rpc: Rpc, populations: Sequence[Population], loaded: Loaded, bar: Bar, workers: int, seed: int
) -> None:
    def lane(population: Population) -> list[Callable[[], None]]:
        instansi_id = loaded.instansi[population.spec.kode]

        def step(n: int) -> Callable[[], None]:
            assignment = population.plt[n]

            def run() -> None:
                request = org_pb2.CreatePltRequest(
                    plt=org_pb2.PltInput(
                        pegawai_id=population.people[assignment.pegawai].id,
                        unor_id=population.units[assignment.unit].id,
                        jabatan=assignment.jabatan,
                        jenis=assignment.jenis,  # type: ignore[arg-type]
                        tanggal_mulai=assignment.tanggal_mulai,
                        tanggal_selesai=assignment.tanggal_selesai,
                        aktif=True,
                    )
                )
                try:
                    rpc.call(
                        rpc.org.CreatePlt,
                        request,
                        instansi_id,
                        key=f"national-{seed}-plt-{population.spec.kode}-{n}",
                    )
                except grpc.RpcError as exc:
                    if reason(exc) != "PLT_OVERLAP":  # loaded by an earlier run (on another day)
                        raise refused(f"CreatePlt {population.spec.kode} #{n}", exc) from exc
                bar.advance(1)

            return run

        return [step(n) for n in range(len(population.plt))]

    run_lanes([lane(p) for p in populations], workers)


def count_accounts(database_url: str, instansi_ids: Sequence[str]) -> int:
    """Accounts identity holds for pegawai of these instansi (read from its database: the progress of its
    consumer)."""
    import psycopg

    with psycopg.connect(database_url, autocommit=True, connect_timeout=10) as connection:
        row = connection.execute(
            "select count(*) from accounts where pegawai_id is not null and instansi_id = any(%s::uuid[])",
            (list(instansi_ids),),
        ).fetchone()
    return int(row[0]) if row else 0


class AccountWatch:
    """Polls identity's account count in the background, onto a progress bar."""

    def __init__(self, database_url: str, instansi_ids: Sequence[str], bar: Bar, every: float = 10.0) -> None:
        self.database_url, self.bar, self.every = database_url, bar, every
        self.instansi_ids = list(instansi_ids)
        self.count = 0
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._run, name="national-accounts", daemon=True)

    def start(self) -> AccountWatch:
        self.thread.start()
        return self

    def _run(self) -> None:
        while not self.stopped.is_set():
            with contextlib.suppress(Exception):
                self.count = count_accounts(self.database_url, self.instansi_ids)
                self.bar.set(self.count)
            self.stopped.wait(self.every)

    def wait_for(self, total: int, stall: float = 600.0) -> int:
        """Until identity has `total` accounts; fails when the count has not moved for `stall` seconds."""
        last, since = -1, time.monotonic()
        while True:
            count = count_accounts(self.database_url, self.instansi_ids)
            self.count = count
            self.bar.set(count)
            if count >= total:
                return count
            if count != last:
                last, since = count, time.monotonic()
            elif time.monotonic() - since > stall:
                raise LoadError(
                    f"identity holds {count} of {total} accounts and has opened none for {stall:.0f} s: "
                    "see identity's log (in .national/logs/ for the national stack; a broker restart in the middle of a load loses the "
                    "events not yet consumed: run again with --fresh)"
                )
            time.sleep(self.every)

    def stop(self) -> None:
        self.stopped.set()
        self.thread.join(5)


def create_periode(
    rpc: Rpc, populations: Sequence[Population], loaded: Loaded, bar: Bar, workers: int
) -> None:
    """A quarterly periode set (four quarters and the final) for each instansi, unless it has periode."""

    def lane(population: Population) -> list[Callable[[], None]]:
        kode = population.spec.kode
        instansi_id = loaded.instansi[kode]

        def run() -> None:
            existing = rpc.call(rpc.skp.ListPeriode, skp_pb2.ListPeriodeRequest(), instansi_id).periode
            if not existing:
                try:
                    existing = rpc.call(
                        rpc.skp.CreatePeriodeSet,
                        skp_pb2.CreatePeriodeSetRequest(pola=skp_pb2.POLA_PERIODE_TRIWULAN),
                        instansi_id,
                    ).periode
                except grpc.RpcError as exc:
                    raise refused(f"CreatePeriodeSet {kode}", exc) from exc
            loaded.periode[kode] = [p.id for p in sorted(existing, key=lambda p: (p.jenis, p.mulai))]
            bar.advance(1)

        return [run]

    run_lanes([lane(p) for p in populations], workers)


# ---- SKPs ----

RHK_JPT = (
    "Meningkatnya kualitas pelayanan publik {unit}", "Terwujudnya tata kelola {unit} yang akuntabel",
    "Meningkatnya capaian kinerja organisasi {unit}", "Terlaksananya reformasi birokrasi di lingkungan {unit}",
)  # fmt: skip
RHK_JAJF = {
    "guru": ("Terlaksananya pembelajaran yang bermutu pada kelas yang diampu", "Meningkatnya hasil belajar peserta didik"),
    "kesehatan": ("Terlaksananya asuhan pelayanan kesehatan sesuai standar", "Meningkatnya mutu layanan kesehatan di unit kerja"),
    "keagamaan": ("Terlaksananya bimbingan dan penyuluhan keagamaan bagi masyarakat", "Tercatatnya peristiwa nikah dan rujuk secara tertib"),
    "pajak": ("Meningkatnya kepatuhan wajib pajak yang diawasi", "Terselesaikannya pemeriksaan pajak tepat waktu"),
    "pemasyarakatan": ("Terlaksananya pembinaan warga binaan pemasyarakatan", "Terjaganya keamanan dan ketertiban lembaga"),
    "statistik": ("Tersedianya data statistik yang berkualitas dan tepat waktu", "Terlaksananya pengolahan data survei"),
    "pengawasan": ("Terlaksananya pengawasan intern yang berkualitas", "Tersusunnya laporan hasil pemeriksaan tepat waktu"),
}  # fmt: skip
RHK_UMUM = (
    "Tersusunnya dokumen perencanaan dan pelaporan {unit} tepat waktu", "Terlaksananya layanan administrasi {unit}",
    "Tersedianya data dan informasi {unit} yang mutakhir", "Terkelolanya arsip dan persuratan {unit}",
)  # fmt: skip
INDIKATOR = (
    ("Persentase {x} yang diselesaikan tepat waktu", skp_pb2.ASPEK_KUANTITAS, "80", "100", "Persen"),
    ("Jumlah dokumen {x} yang disahkan", skp_pb2.ASPEK_KUANTITAS, "4", "6", "Dokumen"),
    ("Nilai kepuasan atas {x}", skp_pb2.ASPEK_KUALITAS, "80", "90", "Nilai"),
    ("Waktu penyelesaian {x}", skp_pb2.ASPEK_WAKTU, "12", "12", "Bulan"),
)
PERSPEKTIF = (skp_pb2.PERSPEKTIF_PENERIMA_LAYANAN, skp_pb2.PERSPEKTIF_PROSES_BISNIS,
              skp_pb2.PERSPEKTIF_PENGUATAN_INTERNAL, skp_pb2.PERSPEKTIF_ANGGARAN)  # fmt: skip


@dataclass
class SkpPlan:
    """The SKPs of one instansi in load order, and the SKP id and first RHK id of each owner."""

    items: list[skp_pb2.ImportSkp]
    skp_id: dict[int, str]


def plan_skp(population: Population, owners: Sequence[int], samples: Samples, periode: Sequence[str], seed: int,
             tahun: int, today: date) -> SkpPlan:  # fmt: skip
    """One approved SKP per owner (kuantitatif, the whole year): RHK utama with indikator and targets; a
    JA/JF RHK intervenes the first RHK of the penilai's SKP; a mandiri head names a bawahan as penilai of
    the seven perilaku; the sample users' RHK have a rencana aksi in every periode."""
    rng = random.Random(f"{seed}:{population.spec.kode}:skp")
    sampled = set(samples.atasan) | {s for group in samples.staff.values() for s in group}
    people, units = population.people, population.units
    first_rhk: dict[int, str] = {}
    skp_id: dict[int, str] = {}
    items: list[skp_pb2.ImportSkp] = []
    latest = min(date(tahun, 2, 28), today - timedelta(days=1))
    for owner in owners:
        person = people[owner]
        unit = units[person.unit]
        jpt = population.model_jpt(owner)
        short = unit.nama if len(unit.nama) < 90 else unit.nama[:90]
        pool = _pool_of(population, person.unit)
        texts = RHK_JPT if jpt else RHK_JAJF.get(pool, RHK_UMUM)
        count = 2 if owner in sampled else 1 + (rng.random() < 0.4)
        rhk: list[skp_pb2.ImportRhk] = []
        for r in range(count):
            rhk_id = new_uuid(rng)
            text = texts[(owner + r) % len(texts)].format(unit=short)
            indikator = []
            for k in range(1 if rng.random() < 0.5 else 2):
                teks, aspek, low, high, satuan = INDIKATOR[(owner + r + k) % len(INDIKATOR)]
                indikator.append(
                    skp_pb2.ImportIndikator(
                        id=new_uuid(rng),
                        indikator=skp_pb2.IndikatorInput(
                            teks=teks.format(x=text.split(" ", 1)[1][:60].lower()),
                            aspek=skp_pb2.ASPEK_UNSPECIFIED if jpt else aspek,
                            perspektif=PERSPEKTIF[(r + k) % len(PERSPEKTIF)]
                            if jpt
                            else skp_pb2.PERSPEKTIF_UNSPECIFIED,
                            target=skp_pb2.Target(min=low, max=high, satuan=satuan),
                        ),
                    )
                )
            atasan_rhk = ""
            if not jpt:
                atasan_rhk = first_rhk[population.atasan[owner]]
            rencana = []
            if owner in sampled:
                rencana = [
                    skp_pb2.ImportRencanaAksi(
                        id=new_uuid(rng),
                        rencana_aksi=skp_pb2.RencanaAksiInput(
                            periode_id=periode_id, teks=f"Melaksanakan dan melaporkan kegiatan: {text[:80].lower()}",
                            target="1", satuan="Laporan",
                        ),
                    )
                    for periode_id in periode
                ]  # fmt: skip
            rhk.append(
                skp_pb2.ImportRhk(
                    id=rhk_id,
                    rhk=skp_pb2.RhkInput(jenis=skp_pb2.JENIS_RHK_UTAMA, teks=text, atasan_rhk_id=atasan_rhk),
                    indikator=indikator,
                    rencana_aksi=rencana,
                )
            )
            first_rhk.setdefault(owner, rhk_id)
        perilaku = []
        if population.mandiri_head(owner):
            penilai = people[population.first_bawahan[owner]].id
            perilaku = [
                skp_pb2.ImportPerilaku(
                    nilai=nilai, penilai_jenis=skp_pb2.JENIS_PENILAI_BAWAHAN, penilai_pegawai_id=penilai
                )  # type: ignore[arg-type]
                for nilai in range(1, 8)
            ]
        item = skp_pb2.ImportSkp(
            id=new_uuid(rng), pegawai_id=person.id, tahun=tahun, pendekatan=skp_pb2.PENDEKATAN_KUANTITATIF,
            rhk=rhk, perilaku=perilaku,
        )  # fmt: skip
        approved = date(tahun, 1, 2) + timedelta(days=int(rng.random() * 50))
        if approved <= latest:
            item.disetujui_at.CopyFrom(_timestamp(approved))
        items.append(item)
        skp_id[owner] = item.id
    return SkpPlan(items, skp_id)


def _timestamp(day: date) -> timestamp_pb2.Timestamp:
    stamp = timestamp_pb2.Timestamp()
    stamp.FromDatetime(datetime(day.year, day.month, day.day, 2, 0, tzinfo=UTC))
    return stamp


def _pool_of(population: Population, unit_index: int) -> str:
    from kinerja_testing.national.structure import unit_spec

    return unit_spec(population.ctx, population.units[unit_index], population.units)[1]


def import_skp(rpc: Rpc, plans: dict[str, SkpPlan], loaded: Loaded, bar: Bar, workers: int) -> None:
    def lane(kode: str, plan: SkpPlan) -> list[Callable[[], None]]:
        instansi_id = loaded.instansi[kode]

        def step(start: int) -> Callable[[], None]:
            chunk = plan.items[start : start + SKP_BATCH]

            def run() -> None:
                try:
                    rpc.call(rpc.skp.ImportSkp, skp_pb2.ImportSkpRequest(skp=chunk), instansi_id)
                except grpc.RpcError as exc:
                    raise refused(f"ImportSkp {kode} from SKP {start}", exc) from exc
                bar.advance(len(chunk))

            return run

        return [step(s) for s in range(0, len(plan.items), SKP_BATCH)]

    run_lanes([lane(k, p) for k, p in plans.items()], workers)


# ---- accounts: roles and passwords ----


def _account(rpc: Rpc, nip: str, instansi_id: str, patience: float = 3600.0) -> identity_pb2.Account:
    """The account identity opened for a pegawai, once its consumer got there."""
    deadline = time.monotonic() + patience
    while True:
        try:
            account: identity_pb2.Account = rpc.call(
                rpc.identity.GetAccountByUsername,
                identity_pb2.GetAccountByUsernameRequest(username=nip),
                instansi_id,
            )
            return account
        except grpc.RpcError as exc:
            if exc.code() != grpc.StatusCode.NOT_FOUND or time.monotonic() > deadline:  # type: ignore[attr-defined]
                raise
            time.sleep(2.0)


def password_for(rng: random.Random) -> str:
    """Three words that are no one's name and two digits (identity's policy: long, strong, no name)."""
    words = rng.sample(names.PASSWORD_WORDS, 3)
    return f"{words[0]}-{words[1]}-{words[2]}-{rng.randint(10, 99)}"


def _give_password(rpc: Rpc, account: identity_pb2.Account, login: Login, instansi_id: str) -> None:
    """A temporary password from the admin, a login with it, and the user's own password."""
    temporary = f"Sementara-{login.password}"
    rpc.call(
        rpc.identity.ResetPassword,
        identity_pb2.ResetPasswordRequest(account_id=account.id, new_password=temporary),
        instansi_id,
    )
    own = rpc.call(
        rpc.identity.Login, identity_pb2.LoginRequest(username=login.nip, password=temporary), auth=False
    )
    rpc.call(
        rpc.identity.ChangePassword,
        identity_pb2.ChangePasswordRequest(old_password=temporary, new_password=login.password),
        token=own.tokens.access_token,
    )


@dataclass(frozen=True)
class Login:
    """A user to give a password: their instansi, NIP, the password, and whether they administer it."""

    kode: str
    nip: str
    password: str
    admin: bool = False


def set_passwords(rpc: Rpc, logins: Sequence[Login], loaded: Loaded, bar: Bar, workers: int) -> None:
    """As an admin would and then the user: a temporary password, a login with it, the user's own password;
    an admin also gets the admin instansi role. Skipped for an account that already has a password of its
    own (an earlier run)."""

    def one(login: Login) -> None:
        instansi_id = loaded.instansi[login.kode]
        try:
            account = _account(rpc, login.nip, instansi_id)
            if login.admin and identity_pb2.ROLE_ADMIN_INSTANSI not in account.roles:
                rpc.call(
                    rpc.identity.SetRoles,
                    identity_pb2.SetRolesRequest(account_id=account.id, roles=[identity_pb2.ROLE_PEGAWAI, identity_pb2.ROLE_ADMIN_INSTANSI]),
                    instansi_id,
                )  # fmt: skip
            for attempt in range(3):
                if account.has_password and not account.must_change_password:
                    break
                try:
                    _give_password(rpc, account, login, instansi_id)
                except grpc.RpcError as exc:
                    # a call repeated after the service restarted may find its first try done (the old
                    # password already replaced): read the account again and go on from what it says
                    if attempt == 2 or exc.code() not in (*RETRYABLE, grpc.StatusCode.INVALID_ARGUMENT, grpc.StatusCode.UNAUTHENTICATED):  # type: ignore[attr-defined]  # fmt: skip
                        raise
                account = _account(rpc, login.nip, instansi_id)
        except grpc.RpcError as exc:
            raise refused(f"password of {login.nip} ({login.kode})", exc) from exc
        bar.advance(1)

    run_lanes([[lambda login=login: one(login)] for login in logins], workers)  # type: ignore[misc]
