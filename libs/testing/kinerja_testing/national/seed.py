"""`make seed-national`: the national data set, planned from a seed and loaded into the national stack, and
its manifest (`.national/manifest.json`) for the benchmark and the peak test."""

from __future__ import annotations

import contextlib
import json
import random
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from kinerja_testing.national import stack
from kinerja_testing.national.load import (
    AccountWatch,
    Bar,
    Loaded,
    Login,
    Phase,
    Report,
    Rpc,
    SkpPlan,
    count_accounts,
    create_instansi,
    create_periode,
    create_plt,
    import_pegawai,
    import_skp,
    import_unor,
    password_for,
    plan_skp,
    progress_bars,
    set_passwords,
)
from kinerja_testing.national.plan import (
    GENERATOR_VERSION,
    NIP_PREFIX,
    SEARCH_NAME,
    PeopleFactory,
    Population,
    Samples,
    build_population,
    choose_owners,
    choose_samples,
    eligible_owners,
    national_instansi,
    sample_quota,
)

MANIFEST_FORMAT = 1


@dataclass(frozen=True)
class Options:
    """What the data set is made of; the same options (and day's year) make the same data set."""

    pegawai: int = 1_000_000
    seed: int = 7
    instansi: int | None = None
    samples: int = 600
    skp_share: float = 0.05
    workers: int = 4
    # False: the manifest is written once the sample users can log in, while identity goes on opening
    # the other accounts from org's events; a later run with the same options waits for them.
    wait_accounts: bool = True

    def key(self, tahun: int) -> dict[str, Any]:
        return {
            "generator_version": GENERATOR_VERSION,
            "seed": self.seed,
            "pegawai_total": self.pegawai,
            "instansi_cap": self.instansi,
            "samples": self.samples,
            "skp_share": self.skp_share,
            "tahun": tahun,
        }


def manifest_path(data: Path) -> Path:
    return data / "manifest.json"


def read_manifest(data: Path = stack.DATA) -> dict[str, Any] | None:
    path = manifest_path(data)
    return json.loads(path.read_text()) if path.exists() else None


def matches(manifest: dict[str, Any] | None, options: Options, tahun: int) -> bool:
    """The manifest is of these options and complete (every account open, unless not to be waited for)."""
    if manifest is None or manifest.get("format") != MANIFEST_FORMAT:
        return False
    if options.wait_accounts and not manifest.get("accounts_complete", True):
        return False
    return all(manifest.get(k) == v for k, v in options.key(tahun).items())


def seed(
    options: Options, data: Path = stack.DATA, fresh: bool = False, console: Console | None = None
) -> dict[str, Any]:
    """Makes the data set unless the manifest says it exists; returns the manifest."""
    console = console or Console()
    today = date.today()
    tahun = today.year
    if fresh:
        console.print(f"[bold]--fresh[/]: stopping the national stack and removing {data}")
        stack.wipe(data)
    existing = read_manifest(data)
    if matches(existing, options, tahun):
        assert existing is not None
        console.print(
            f"The national data set in {data} is complete ({existing['pegawai_total']:,} pegawai); starting its stack."
        )
        stack.start(data)
        return existing
    plan_file = data / "plan.json"
    if plan_file.exists() and json.loads(plan_file.read_text()) != options.key(tahun):
        raise SystemExit(
            f"{data} holds (part of) a data set made with other options ({plan_file.read_text().strip()}); "
            "run with --fresh to rebuild it"
        )
    started = time.monotonic()
    report = Report()
    with report.phase("stack") as phase:
        endpoints = stack.start(data)
        phase.note = endpoints.gateway
    data.mkdir(parents=True, exist_ok=True)
    plan_file.write_text(json.dumps(options.key(tahun)))
    return generate(options, endpoints, data, report=report, started=started, console=console)


def generate(options: Options, endpoints: stack.Endpoints, data: Path, *, admin: dict[str, str] | None = None,
             report: Report | None = None, started: float | None = None,
             console: Console | None = None) -> dict[str, Any]:  # fmt: skip
    """Plans the data set and loads it into the services at `endpoints` (as admin BKN `admin`); writes the
    manifest into `data` and returns it."""
    console = console or Console()
    report = report or Report()
    started = started if started is not None else time.monotonic()
    today = date.today()
    tahun = today.year
    console.print(
        f"[bold]National data set[/]: {options.pegawai:,} pegawai, seed {options.seed}, {options.samples} sample staff, "
        f"SKPs for {options.skp_share:.0%}; data root {data}"
    )
    populations, samples, owners = _plan(options, report, console, today)
    rpc = Rpc(endpoints, admin)
    loaded = Loaded()
    total = sum(len(p.people) for p in populations)
    units = sum(len(p.units) for p in populations)
    plts = sum(len(p.plt) for p in populations)
    skps: dict[str, SkpPlan] = {}
    identity_db = endpoints.database("identity")
    checkpoints = Checkpoints(data / "progress.json")
    try:
        with progress_bars(console) as progress:
            with report.phase("instansi", len(populations)) as phase:
                phase.note = f"{create_instansi(rpc, populations, loaded)} created"
            with checkpoints.phase(report, "unor (ImportUnor)", units) as todo:
                if todo:
                    import_unor(rpc, populations, loaded, Bar(progress, "unor", units), options.workers)
            accounts_bar = Bar(progress, "accounts (identity)", total)
            watch = AccountWatch(identity_db, list(loaded.instansi.values()), accounts_bar).start()
            accounts_started = checkpoints.since("accounts", time.time())
            # the admins and sample users first, so that their passwords are set while the rest loads
            logins, _ = _logins_and_manifest(populations, samples, {}, loaded, options)
            first = {p.spec.kode: _first(p, samples[p.spec.kode]) for p in populations}

            def set_all() -> None:
                set_passwords(rpc, logins, loaded, Bar(progress, "passwords", len(logins)), options.workers)

            with checkpoints.phase(report, "pegawai (ImportPegawai)", total) as todo:
                if todo:
                    import_pegawai(
                        rpc, populations, loaded, Bar(progress, "pegawai", total), options.workers, first
                    )
            passwords = Background("passwords", set_all)
            with checkpoints.phase(report, "PLT/PLH (CreatePlt)", plts) as todo:
                if todo:
                    create_plt(
                        rpc,
                        populations,
                        loaded,
                        Bar(progress, "PLT/PLH", plts),
                        options.workers,
                        options.seed,
                    )
            with report.phase("periode", len(populations)):
                create_periode(
                    rpc, populations, loaded, Bar(progress, "periode", len(populations)), options.workers
                )
            for population in populations:
                kode = population.spec.kode
                skps[kode] = plan_skp(
                    population, owners[kode], samples[kode], loaded.periode[kode], options.seed, tahun, today
                )
            skp_total = sum(len(p.items) for p in skps.values())
            with checkpoints.phase(report, "SKP (ImportSkp)", skp_total) as todo:
                if todo:
                    import_skp(rpc, skps, loaded, Bar(progress, "SKP", skp_total), options.workers)
            if options.wait_accounts:
                with report.phase("accounts (wait)", total):
                    try:
                        watch.wait_for(total)
                    finally:
                        watch.stop()
                report.phases.append(_accounts_phase(total, time.time() - accounts_started))
            waited = time.monotonic()
            passwords.join()
            if time.monotonic() - waited > 1.0:
                report.phases.append(
                    Phase("passwords (wait)", 0, time.monotonic() - waited, "after the accounts")
                )
            report.phases.append(
                Phase(
                    "passwords", len(logins), passwords.seconds, "alongside the load, from the first accounts"
                )
            )
            _, manifest_instansi = _logins_and_manifest(populations, samples, skps, loaded, options)
    finally:
        rpc.close()
    manifest = {
        "format": MANIFEST_FORMAT,
        **options.key(tahun),
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "unor_total": units,
        "plt_total": plts,
        "skp_total": sum(len(p.items) for p in skps.values()),
        "accounts": (accounts := count_accounts(identity_db, list(loaded.instansi.values()))),
        "accounts_complete": accounts >= total,
        "endpoints": endpoints.as_dict(),
        "postgres_settings": list(stack.PG_SETTINGS),
        "admin_bkn": dict(admin or stack.ADMIN_BKN),
        "compare": {
            "big": next(m["id"] for m in manifest_instansi if m["role"] == "big"),
            "small": next(m["id"] for m in manifest_instansi if m["role"] == "small"),
        },
        "instansi": manifest_instansi,
    }
    seconds = time.monotonic() - started
    manifest["phases"] = [
        {"phase": p.name, "items": p.items, "seconds": round(p.seconds, 1), "per_second": round(p.rate, 1)}
        for p in report.phases
    ]
    manifest["seconds"] = round(seconds, 1)
    data.mkdir(parents=True, exist_ok=True)
    manifest["disk_bytes"] = stack.disk_usage(data)
    manifest_path(data).write_text(json.dumps(manifest, indent=1, ensure_ascii=False))
    _print_report(console, report, seconds, manifest, data)
    return manifest


class Checkpoints:
    """The phases a run finished (`.national/progress.json`), so that a run stopped half-way and started again
    with the same options goes on where it stopped (the imports would count everything as unchanged, but
    that costs nearly as much as the import), and when it began loading (for the accounts' rate)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.state: dict[str, Any] = json.loads(path.read_text()) if path.exists() else {"done": {}}

    def _save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.path.write_text(json.dumps(self.state, indent=1))

    def since(self, name: str, now: float) -> float:
        """The (wall clock) time `name` first began, recorded now if it has not."""
        started: dict[str, float] = self.state.setdefault("started", {})
        if name not in started:
            started[name] = now
            self._save()
        return started[name]

    @contextlib.contextmanager
    def phase(self, report: Report, name: str, items: int) -> Iterator[bool]:
        """A phase of the report, run (yields True) unless an earlier run finished it (then its figures)."""
        earlier = self.state["done"].get(name)
        if earlier is not None:
            report.phases.append(Phase(name, earlier["items"], earlier["seconds"], "in an earlier run"))
            yield False
            return
        with report.phase(name, items) as phase:
            yield True
        self.state["done"][name] = {"items": phase.items, "seconds": phase.seconds}
        self._save()


class Background:
    """A step that runs alongside the others (a thread); join() waits for it and raises what it raised."""

    def __init__(self, name: str, step: Callable[[], None]) -> None:
        self.error: BaseException | None = None
        self.seconds = 0.0
        self.step = step
        self.thread = threading.Thread(target=self._run, name=f"national-{name}", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        started = time.monotonic()
        try:
            self.step()
        except BaseException as exc:
            self.error = exc
        finally:
            self.seconds = time.monotonic() - started

    def join(self) -> None:
        self.thread.join()
        if self.error is not None:
            raise self.error


def _first(population: Population, samples: Samples) -> list[int]:
    """Who of an instansi is imported first: its admin, the designated head, the sample users."""
    staff = [s for group in samples.staff.values() for s in group]
    chosen = [population.admin, population.designated, *samples.atasan, *staff]
    return [i for i in dict.fromkeys(chosen) if i >= 0]


def _accounts_phase(total: int, seconds: float) -> Phase:
    return Phase(
        "accounts (through events)", total, seconds, "from the first ImportPegawai to the last account"
    )


def _plan(options: Options, report: Report, console: Console, today: date) -> tuple[list[Population], dict[str, Samples], dict[str, list[int]]]:  # fmt: skip
    specs = national_instansi(options.pegawai, options.seed, options.instansi)
    quota = sample_quota(specs, options.samples)
    factory = PeopleFactory({}, date(today.year, 1, 1))
    populations: list[Population] = []
    samples: dict[str, Samples] = {}
    owners: dict[str, list[int]] = {}
    with report.phase("plan", options.pegawai), progress_bars(console) as progress:
        bar = Bar(progress, "plan", options.pegawai)
        for spec, wanted in zip(specs, quota, strict=True):
            population = build_population(spec, options.seed, factory, today)
            rng = random.Random(f"{options.seed}:{spec.kode}:samples")
            eligible = eligible_owners(population)
            samples[spec.kode] = choose_samples(population, wanted, eligible, rng)
            owners[spec.kode] = choose_owners(
                population, options.skp_share, samples[spec.kode], eligible, rng
            )
            populations.append(population)
            bar.advance(len(population.people))
    return populations, samples, owners


def _logins_and_manifest(populations: Sequence[Population], samples: dict[str, Samples], skps: dict[str, SkpPlan],
                         loaded: Loaded, options: Options) -> tuple[list[Login], list[dict[str, Any]]]:  # fmt: skip
    """The users to give a password (each instansi's admin, its sample atasan and staff, the designated head)
    and the manifest's entry of each instansi."""
    logins: list[Login] = []
    entries: list[dict[str, Any]] = []
    for population in populations:
        spec = population.spec
        kode = spec.kode
        people, units = population.people, population.units
        sample = samples[kode]
        user = _Users(
            population,
            skps[kode].skp_id if kode in skps else {},
            random.Random(f"{options.seed}:{kode}:passwords"),
            logins,
        )

        admin = user(population.admin, admin=True)
        atasan: list[dict[str, Any]] = []
        staff: list[dict[str, Any]] = []
        by_index: dict[int, dict[str, Any]] = {}
        for boss in sample.atasan:
            entry = {**user(boss), "bawahan": population.bawahan[boss]}
            by_index[boss] = entry
            atasan.append(entry)
            for member in sample.staff[boss]:
                staff.append({**user(member), "atasan_id": people[boss].id})
            entry["sample_bawahan"] = [people[m].id for m in sample.staff[boss]]
        head_big = None
        if population.designated >= 0:
            d = population.designated
            head_big = {**(by_index.get(d) or user(d)), "bawahan": population.bawahan[d]}
        levels = [u for u in units if u.level == 1]
        mid = max(levels, key=lambda u: len(u.children)) if levels else units[0]
        entries.append(
            {
                "id": loaded.instansi.get(kode, ""),
                "kode": kode,
                "nama": spec.nama,
                "kind": spec.kind,
                "role": spec.role,
                "pegawai": len(people),
                "unor": len(units),
                "plt": len(population.plt),
                "skp": len(skps[kode].items) if kode in skps else 0,
                "periode": loaded.periode.get(kode, []),
                "admin": {**admin, "username": admin["nip"]},
                "samples": {
                    "staff": staff,
                    "atasan": atasan,
                    "head_big": head_big,
                    "unor_root": units[0].id,
                    "unor_mid": mid.id,
                    "search_name": SEARCH_NAME,
                    "nip_prefix": NIP_PREFIX,
                },
            }
        )
    return logins, entries


class _Users:
    """The manifest entry of a user of one instansi, and their login to give a password (one per person, the
    admin being maybe a sample user too)."""

    def __init__(
        self, population: Population, skp_id: dict[int, str], rng: random.Random, logins: list[Login]
    ) -> None:
        self.population, self.skp_id, self.rng, self.logins = population, skp_id, rng, logins
        self.made: dict[int, dict[str, Any]] = {}

    def __call__(self, index: int, admin: bool = False) -> dict[str, Any]:
        if index in self.made:
            return dict(self.made[index])
        person = self.population.people[index]
        password = password_for(self.rng)
        self.logins.append(Login(self.population.spec.kode, person.nip, password, admin))
        self.made[index] = {
            "pegawai_id": person.id,
            "nip": person.nip,
            "nama": person.nama,
            "password": password,
            "unor_id": self.population.units[person.unit].id,
            "skp_id": self.skp_id.get(index, ""),
        }
        return dict(self.made[index])


def _print_report(
    console: Console, report: Report, seconds: float, manifest: dict[str, Any], data: Path
) -> None:
    table = Table(title="national data set: load rates")
    for column, justify in (
        ("phase", "left"),
        ("items", "right"),
        ("seconds", "right"),
        ("per second", "right"),
        ("", "left"),
    ):
        table.add_column(column, justify=justify)  # type: ignore[arg-type]
    for phase in report.phases:
        rate = "" if not phase.items else f"{phase.rate:,.0f}" if phase.rate >= 10 else f"{phase.rate:.2f}"
        table.add_row(phase.name, f"{phase.items:,}", f"{phase.seconds:,.1f}", rate, phase.note)
    console.print(table)
    console.print(
        f"[bold]{manifest['pegawai_total']:,} pegawai[/] in {len(manifest['instansi'])} instansi, {manifest['unor_total']:,} unor, "
        f"{manifest['plt_total']:,} PLT/PLH, {manifest['skp_total']:,} SKPs, {manifest['accounts']:,} accounts: "
        f"[bold]{seconds / 60:.1f} min[/] in all; {manifest['disk_bytes'] / 2**30:.1f} GiB in {data}"
    )
    console.print(
        f"Manifest: {manifest_path(data)}   GraphQL: {manifest['endpoints']['gateway']}/graphql   Stop: make stop-national"
    )
