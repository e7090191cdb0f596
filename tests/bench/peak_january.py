"""`make peak`: the first ten days of January through GraphQL, open loop, at a sustained rate of realisasi
writes with the reads, umpan balik and ratings the domain brings along.

Against the national data set (`.national/manifest.json` from `make seed-national`: its running stack and
its sample users), or with `--small` against a platform of its own with a small data set built through each
service's gRPC API (kept in `--small-dir` between runs; `--rebuild` makes it again). The workload
(peak/workload.py) plays pegawai sittings (login, home page, my SKP, the final periode's penilaian, opened
once, and realisasi, each a new value) and atasan sittings (login, inbox, per bawahan whose realisasi is in:
the penilaian, perilaku feedback and umpan balik as the rules require, the rating), started at Poisson
times; each request's latency counts from its intended send time. The proportions, per realisasi write:
1/`--writes-per-sitting` pegawai sittings (each a login and six page reads), one read of the penilaian form,
`--ratings-per-write` ratings (docs/scaling.md gives the reasoning).

It prints, for the measured window (after `--warmup`): sent and succeeded per second, p50/p95/p99/max and
errors by code per operation; per minute the realisasi rate and p99; the skp -> assessment projection lag
of SKP changes made alongside (bench_assessment's LagProbe) and the wait of the run's own events in
assessment's outbox; CPU seconds, cores and ms per realisasi write of the gateway, each service, PostgreSQL,
the broker, the load drivers and the rest of the machine. `--profile` runs the Python processes under
bench_assessment's sampler (a stack of its own only) and prints where the gateway and the busiest services
spend it. Nothing asserts a time.

    .venv/bin/python tests/bench/peak_january.py [--rate 330] [--duration 600] [--users N] [--profile]
    .venv/bin/python tests/bench/peak_january.py --small [--small-pegawai 4000] --rate 30 --duration 120
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_assessment import Platform, Profiles, print_profile
from peak.population import (
    ManifestPlatform,
    Population,
    assessment_outbox_lag,
    build_small,
    calibration_contexts,
    from_manifest,
    lag_owners,
    load_json,
    postgres_counters,
    postgres_rates,
    rated_already,
    small_population,
    start_lag_probe,
)
from peak.report import (
    cpu_rows,
    merge_profiles,
    operations,
    print_calibration,
    print_cpu,
    print_database,
    print_lag,
    print_operations,
    print_search,
    print_timeline,
    search_row,
    timeline,
)
from peak.stack import Stack, TreeMeter, cloned, running_stack, small_stack, wait_quiet
from peak.workload import (
    CALIBRATED,
    OP_LOGIN,
    OP_REALISASI,
    Atasan,
    Mix,
    Pegawai,
    calibrate_main,
    check_documents,
    drive_main,
    spec_of,
)

REPO = Path(__file__).resolve().parents[2]
MANIFEST = REPO / ".national" / "manifest.json"
LAG_OWNERS = 8


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rate", type=float, default=330.0, help="realisasi writes per second asked")
    parser.add_argument(
        "--rates", help="several runs on one start of the platform, e.g. 4,8,12 (the rate search)"
    )
    parser.add_argument("--duration", type=float, default=600.0, help="measured seconds")
    parser.add_argument("--warmup", type=float, default=30.0, help="seconds before the measured window")
    parser.add_argument("--users", type=int, default=0, help="play at most this many pegawai (0: all)")
    parser.add_argument(
        "--profile", action="store_true", help="sample the stacks of the platform's processes"
    )
    parser.add_argument("--top", type=int, default=15, help="functions shown per profile")
    parser.add_argument("--manifest", type=Path, default=MANIFEST)
    parser.add_argument("--small", action="store_true", help="a platform and a small data set of its own")
    parser.add_argument("--small-dir", type=Path, default=Path(tempfile.gettempdir()) / "kinerja-peak-small")
    parser.add_argument("--small-pegawai", type=int, default=4000, help="pegawai of the small data set")
    parser.add_argument("--small-units", type=int, default=400, help="unor of the small data set")
    parser.add_argument("--indikator", type=int, default=3, help="indikator per SKP of the small data set")
    parser.add_argument("--prefill", type=float, default=0.3, help="share with realisasi in before the run")
    parser.add_argument("--rebuild", action="store_true", help="build the small data set again")
    parser.add_argument("--gateways", type=int, default=2, help="single-worker gateway processes of our own")
    parser.add_argument("--cheap-logins", action="store_true", help="identity with cheap argon2 (small)")
    parser.add_argument("--writes-per-sitting", type=int, default=Mix.writes_per_sitting)
    parser.add_argument("--ratings-per-write", type=float, default=Mix.ratings_per_write)
    parser.add_argument("--ratings-per-sitting", type=int, default=Mix.ratings_per_sitting)
    parser.add_argument("--think", type=float, default=Mix.think, help="seconds between a sitting's steps")
    parser.add_argument("--drivers", type=int, default=0, help="load processes (0: one per 100 writes/s)")
    parser.add_argument("--lag-rate", type=float, default=1.0, help="SKP changes per second for the lag")
    parser.add_argument(
        "--quiet-timeout",
        type=float,
        default=3600.0,
        help="longest wait for a quiet platform (0: do not wait)",
    )
    parser.add_argument(
        "--idle", type=float, default=10.0, help="seconds of the idle platform's CPU measured first"
    )
    parser.add_argument("--calibrate", action="store_true", help="each operation alone: its CPU per process")
    parser.add_argument("--calibrate-seconds", type=float, default=20.0)
    parser.add_argument("--calibrate-concurrency", type=int, default=4)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--json", type=Path, help="also write every figure to this file")
    parser.add_argument("--verbose", action="store_true", help="show the first failures of each code")
    parser.add_argument("--drive", nargs=2, help=argparse.SUPPRESS)
    parser.add_argument("--drive-calibration", nargs=2, help=argparse.SUPPRESS)
    return parser.parse_args()


def main() -> None:
    args = arguments()
    # a stop (SIGTERM) ends as an exception does: the platform started here is stopped with it
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    if args.drive:
        drive_main(*args.drive)
        return
    if args.drive_calibration:
        calibrate_main(*args.drive_calibration)
        return
    check_documents()
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="kinerja-peak-") as folder:
        profiles = Profiles(args.profile, Path(folder))
        if args.small or not args.manifest.exists():
            if not args.small:
                raise SystemExit(
                    f"No {args.manifest}: run `make seed-national` first, or pass --small for a small data set "
                    "on a platform of its own."
                )
            run_small(args, profiles, Path(folder), started)
        else:
            manifest = load_json(args.manifest)
            admin = manifest["admin_bkn"]
            stack = running_stack(manifest["endpoints"], (admin["username"], admin["password"]))
            missing = [
                s for s in ("gateway", "identity", "org", "skp", "assessment") if s not in stack.processes
            ]
            if missing:
                raise SystemExit(
                    f"The national stack is not running ({', '.join(missing)}): `make seed-national`."
                )
            with contextlib.ExitStack() as opened:
                if args.profile:  # its services and gateway again, under the sampler (peak/stack.py)
                    print("starting the national stack's services and gateway again under the sampler ...")
                    stack = opened.enter_context(cloned(stack, profiles, Path(folder), args.gateways))
                platform = ManifestPlatform(stack.addrs, stack.admin)
                opened.callback(platform.close)
                population = from_manifest(manifest, platform)
                measure_all(args, stack, platform, population, profiles, Path(folder))
    print(f"\n(whole run {time.monotonic() - started:.0f} s)")


def run_small(args: argparse.Namespace, profiles: Profiles, folder: Path, started: float) -> None:
    root: Path = args.small_dir
    data_path = root / "data.json"
    if args.rebuild and root.exists():
        shutil.rmtree(root)
    build = not data_path.exists()
    if build and root.exists():
        shutil.rmtree(root)  # an unfinished build
    root.mkdir(parents=True, exist_ok=True)
    print(f"starting a platform of its own in {root} ...", flush=True)
    with small_stack(root, profiles, args.gateways, cheap_logins=build or args.cheap_logins) as (
        small,
        stack,
    ):
        platform = Platform(stack.addrs)
        try:
            if build:
                print("building the small data set through the services' gRPC APIs ...", flush=True)
                data = build_small(
                    platform,
                    stack.addrs,
                    args.small_pegawai,
                    args.small_units,
                    args.indikator,
                    args.prefill,
                    started,
                )
                data_path.write_text(json.dumps(data))
                if not args.cheap_logins:
                    print("identity again with its production argon2 parameters ...", flush=True)
                    small.restart_identity(stack, cheap_logins=False)
            population = small_population(load_json(data_path))
            measure_all(args, stack, platform, population, profiles, folder)
        finally:
            platform.close()


def partition(
    population: Population, drivers: int, rng: random.Random
) -> list[tuple[list[Pegawai], list[Atasan]]]:
    """Each atasan with the pegawai whose atasan they are in one driver; groups dealt out largest first."""
    atasan = {a.pegawai_id: a for a in population.atasan}
    groups: dict[str, list[Pegawai]] = {}
    for p in population.pegawai:
        groups.setdefault(p.atasan_id if p.atasan_id in atasan else f"alone {p.pegawai_id}", []).append(p)
    for a in population.atasan:
        groups.setdefault(a.pegawai_id, [])
    shares: list[tuple[list[Pegawai], list[Atasan]]] = [([], []) for _ in range(drivers)]
    keys = sorted(groups, key=lambda k: (-len(groups[k]), rng.random()))
    for key in keys:
        pegawai, heads = min(shares, key=lambda s: len(s[0]))
        pegawai.extend(groups[key])
        if key in atasan:
            heads.append(atasan[key])
    return shares


def measure_all(
    args: argparse.Namespace,
    stack: Stack,
    platform: Any,
    population: Population,
    profiles: Profiles,
    folder: Path,
) -> None:
    """One run, or with --rates one per rate in turn (the platform quiet again before each), then a line per
    run."""
    if not args.rates:
        measure(args, stack, platform, population, profiles, folder)
        return
    rows = []
    for n, rate in enumerate(float(r) for r in args.rates.split(",")):
        json_path = args.json.with_suffix(f".{rate:g}.json") if args.json else None
        run = argparse.Namespace(
            **{**vars(args), "rate": rate, "json": json_path, "idle": args.idle if n == 0 else 0}
        )
        print(f"\n==== {rate:g} realisasi writes/s ====", flush=True)
        rows.append(measure(run, stack, platform, population, Profiles(False, folder), folder))
    print_search(rows)


def measure(
    args: argparse.Namespace,
    stack: Stack,
    platform: Any,
    population: Population,
    profiles: Profiles,
    folder: Path,
) -> dict[str, Any]:
    rng = random.Random(args.seed)
    rated = rated_already(
        stack.addrs["postgres"], stack.databases["assessment"], [p.pegawai_id for p in population.pegawai]
    )
    for p in population.pegawai:
        p.rated = p.pegawai_id in rated
    writers = [p for p in population.pegawai if not p.rated]
    rng.shuffle(writers)
    reserved, writers = writers[:LAG_OWNERS], writers[LAG_OWNERS:]
    if args.users:
        writers = writers[: args.users]
    keep = {p.pegawai_id for p in writers}
    played = Population(
        [p for p in population.pegawai if p.pegawai_id in keep or p.rated],
        population.atasan,
        population.instansi,
        population.source,
    )
    mix = Mix(args.writes_per_sitting, args.ratings_per_write, args.ratings_per_sitting, args.think)
    drivers = args.drivers or max(1, math.ceil(args.rate / 100))
    shares = partition(played, drivers, rng)
    ratings_asked = args.rate * mix.ratings_per_write * (args.warmup + args.duration)
    print(f"data: {population.source}", flush=True)
    if args.calibrate:
        wait_quiet(stack, args.quiet_timeout)
        calibration(args, stack, population, writers, measure_idle(stack, args.idle), folder)
        return {}
    print(
        f"playing {len(writers)} pegawai able to write ({len(rated)} already rated, {len(reserved)} kept for the lag "
        f"probe) and {len(population.atasan)} atasan, at {args.rate:g} realisasi writes/s for {args.duration:g} s "
        f"after {args.warmup:g} s of warm-up, from {drivers} load process(es), through {len(stack.gateways)} "
        f"gateway process(es)",
        flush=True,
    )
    print(f"mix: {asdict(mix)}", flush=True)
    if ratings_asked > 0.8 * len(writers):
        print(
            f"(the run asks for about {ratings_asked:.0f} ratings and {len(writers)} pegawai can be rated: once they "
            "are, no sitting is left to start; a bigger data set, or fewer ratings per write)",
            flush=True,
        )
    wait_quiet(stack, args.quiet_timeout)
    idle = measure_idle(stack, args.idle) if args.idle > 0 else getattr(measure_idle, "last", {})
    measure_idle.last = idle  # type: ignore[attr-defined]
    owners = lag_owners(stack.gateways[0], reserved)
    t0 = time.time() + 5.0
    processes = []
    outputs = []
    for index, (pegawai, atasan) in enumerate(shares):
        spec = spec_of(index, stack.gateways, t0, args.warmup, args.duration, args.rate / drivers, mix, pegawai,
                       atasan, args.seed + index, args.verbose)  # fmt: skip
        spec_path, out_path = folder / f"driver-{index}.json", folder / f"driver-{index}.out.json"
        spec_path.write_text(json.dumps(spec))
        outputs.append(out_path)
        processes.append(
            subprocess.Popen([sys.executable, __file__, "--drive", str(spec_path), str(out_path)])
        )
    meter = TreeMeter(stack)
    meter.components["load drivers"] = [p.pid for p in processes]
    try:
        _sleep_until(t0 + args.warmup)
        counters = postgres_counters(stack.addrs["postgres"])
        meter.start()
        profiles.start(stack.profiled)
        probe = start_lag_probe(platform, owners, args.lag_rate, stack.databases) if owners else None
        window_start = time.time()
        _progress_until(t0 + args.warmup + args.duration, t0 + args.warmup)
        cpu, wall = meter.stop()
        window_end = time.time()
        database = postgres_rates(
            stack.addrs["postgres"], counters, postgres_counters(stack.addrs["postgres"]), wall
        )
        profiles.stop()
        lag = probe.finish() if probe else None
        for process in processes:
            process.wait()
    finally:
        for process in processes:
            if process.poll() is None:
                process.terminate()
    results = [json.loads(path.read_text()) for path in outputs if path.exists()]
    if len(results) != len(processes):
        raise SystemExit("a load process failed")
    outbox = assessment_outbox_lag(
        stack.addrs["postgres"], stack.databases["assessment"], window_start, window_end
    )
    table = operations(results, args.warmup, args.warmup + args.duration)
    minutes = timeline(results, args.warmup, args.warmup + args.duration)
    writes = table.get(OP_REALISASI, {}).get("ok_per_s", 0.0) * args.duration
    requests = table["all"]["sent"]
    cpu_table = cpu_rows(cpu, wall, round(writes), requests, idle)
    notes: dict[str, int] = {}
    for result in results:
        for note, n in result["notes"].items():
            if not note.startswith("shown "):
                notes[note] = notes.get(note, 0) + n

    print_operations(table)
    if notes:
        print("notes: " + "; ".join(f"{k}: {v}" for k, v in sorted(notes.items())))
    print_timeline(minutes)
    print_lag(lag, outbox)
    print_database(database, writes / args.duration)
    print_cpu(cpu_table)
    reports = merge_profiles(
        {k: v for k, v in profiles.reports().items() if not k.startswith("this process")}
    )
    if reports:
        busiest = sorted((name for name in reports if name != "gateway"), key=lambda n: -cpu.get(n, 0.0))[:3]
        for name in ("gateway", *busiest):
            if name in reports:
                print_profile(f"{name} during the measured window", reports[name], args.top)
        print("\n(the figures above were measured under the sampler: run without --profile for them)")
    summary = search_row(args.rate, table, cpu_table)
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "arguments": {k: str(v) if isinstance(v, Path) else v for k, v in vars(args).items()},
                    "data": population.source,
                    "writers": len(writers),
                    "atasan": len(population.atasan),
                    "drivers": drivers,
                    "gateways": len(stack.gateways),
                    "operations": table,
                    "timeline": minutes,
                    "notes": notes,
                    "lag": lag,
                    "outbox": outbox,
                    "postgres": database,
                    "cpu": cpu_table,
                    "profiles": reports,
                },
                indent=1,
                default=str,
            )
        )
    return summary


def measure_idle(stack: Stack, seconds: float) -> dict[str, float]:
    """Each component's CPU (cores) with nothing asked of the platform: relays polling, consumers waiting."""
    if seconds <= 0:
        return {}
    print(f"measuring the idle platform's CPU for {seconds:g} s ...", flush=True)
    meter = TreeMeter(stack)
    meter.start()
    time.sleep(seconds)
    cpu, wall = meter.stop()
    return {name: used / wall for name, used in cpu.items()}


def calibration(
    args: argparse.Namespace,
    stack: Stack,
    population: Population,
    writers: list[Pegawai],
    idle: dict[str, float],
    folder: Path,
) -> None:
    """Each operation alone, closed loop from one load process: requests/s, p50, and the CPU per request of
    every process (the idle platform's CPU taken off). The pegawai used end up rated (ratePenilaian is one
    of the operations), so they are not played again."""
    contexts = calibration_contexts(stack.gateways[0], writers[:16], population.atasan)
    print(f"calibrating on {len(contexts)} pegawai and their atasan: each operation {args.calibrate_seconds:g} s, "
          f"{args.calibrate_concurrency} in flight", flush=True)  # fmt: skip
    rows = []
    for op in CALIBRATED:
        spec = {
            "index": 0, "op": op, "contexts": contexts, "gateways": stack.gateways, "warmup": 3.0,
            "duration": args.calibrate_seconds,
            "concurrency": 2 if op == OP_LOGIN else args.calibrate_concurrency,
        }  # fmt: skip
        spec_path, out_path = folder / "calibrate.json", folder / "calibrate.out.json"
        spec_path.write_text(json.dumps(spec))
        out_path.unlink(missing_ok=True)
        meter = TreeMeter(stack)
        counters = postgres_counters(stack.addrs["postgres"])
        meter.start()
        process = subprocess.Popen(
            [sys.executable, __file__, "--drive-calibration", str(spec_path), str(out_path)]
        )
        meter.components["load drivers"] = [process.pid]
        process.wait()
        cpu, wall = meter.stop()
        result = json.loads(out_path.read_text())
        cpu["load drivers"] = result["driver_total_cpu_s"]  # (the process has ended: its own count)
        served = result["requests_all"]
        database = postgres_rates(
            stack.addrs["postgres"], counters, postgres_counters(stack.addrs["postgres"]), wall
        )
        result["wal_bytes_per_request"] = (
            database["wal_bytes_per_s"] * wall / served if served else float("nan")
        )
        result["commits_per_request"] = (
            sum(d["commits"] for d in database["databases"].values()) * wall / served
            if served
            else float("nan")
        )
        result["ms_per_request"] = {
            name: 1000 * max(0.0, used - idle.get(name, 0.0) * wall) / served if served else float("nan")
            for name, used in cpu.items()
        }
        rows.append(result)
        print(
            f"  {op}: {result['rps']:.1f}/s, p50 {result['p50_ms']:.1f} ms, errors {result['errors'] or '-'}",
            flush=True,
        )
    print_calibration(rows)
    if args.json:
        args.json.write_text(json.dumps({"idle_cores": idle, "calibration": rows}, indent=1))


def _sleep_until(at: float) -> None:
    while (left := at - time.time()) > 0:
        time.sleep(min(left, 1.0))


def _progress_until(end: float, start: float) -> None:
    """Waits for the end of the measured window, saying every minute how far it is."""
    import psutil

    psutil.cpu_percent()
    while (left := end - time.time()) > 0:
        time.sleep(min(left, 60.0))
        if end - time.time() > 1:
            print(
                f"  {time.time() - start:.0f} s of {end - start:.0f}; machine CPU {psutil.cpu_percent():.0f}%",
                flush=True,
            )


if __name__ == "__main__":
    os.environ.setdefault("PYTHONDONTWRITEBYTECODE", "1")
    main()
