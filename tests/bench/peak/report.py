"""The figures of a peak run: per operation, per component's CPU, per minute; printed, and kept as JSON."""

from __future__ import annotations

import math
import os
from collections import Counter, defaultdict
from typing import Any

from peak.workload import OP_REALISASI, OPERATIONS, WRITES


def _percentile(values: list[float], fraction: float) -> float:
    if not values:
        return math.nan
    return values[min(len(values) - 1, int(fraction * len(values)))]


def operations(results: list[dict[str, Any]], start: float, end: float) -> dict[str, dict[str, Any]]:
    """Per operation, over the requests whose intended time falls in [start, end): sent per second, succeeded
    per second, p50/p95/p99/max of the latency from the intended time (every request, failed ones too),
    and the errors by code."""
    wall = end - start
    table: dict[str, dict[str, Any]] = {}
    for op in (*OPERATIONS, "all"):
        rows = [
            r
            for result in results
            for name, requests in result["requests"].items()
            if op in ("all", name)
            for r in requests
            if start <= r[0] < end
        ]
        if not rows and op != "all":
            continue
        latencies = sorted(r[1] for r in rows)
        errors = Counter(r[2] for r in rows if r[2])
        table[op] = {
            "sent": len(rows),
            "sent_per_s": len(rows) / wall,
            "ok_per_s": (len(rows) - sum(errors.values())) / wall,
            "p50_ms": _percentile(latencies, 0.50),
            "p95_ms": _percentile(latencies, 0.95),
            "p99_ms": _percentile(latencies, 0.99),
            "max_ms": latencies[-1] if latencies else math.nan,
            "errors": dict(errors.most_common()),
        }
    return table


def timeline(
    results: list[dict[str, Any]], start: float, end: float, step: float = 60.0
) -> list[dict[str, Any]]:
    """Per `step` seconds of the measured window: realisasi writes that succeeded per second, and the p99 of
    every request and of the writes."""
    buckets: dict[int, list[tuple[str, float, str]]] = defaultdict(list)
    for result in results:
        for op, requests in result["requests"].items():
            for at, latency, code in requests:
                if start <= at < end:
                    buckets[int((at - start) // step)].append((op, latency, code))
    rows = []
    for index in sorted(buckets):
        items = buckets[index]
        span = min(step, end - start - index * step)
        writes = [i for i in items if i[0] == OP_REALISASI]
        rows.append(
            {
                "from_s": index * step,
                "realisasi_ok_per_s": sum(1 for i in writes if not i[2]) / span,
                "p99_ms": _percentile(sorted(i[1] for i in items), 0.99),
                "realisasi_p99_ms": _percentile(sorted(i[1] for i in writes), 0.99),
                "errors": sum(1 for i in items if i[2]),
            }
        )
    return rows


def print_operations(table: dict[str, dict[str, Any]]) -> None:
    print()
    print(
        f"{'operation':<22} {'sent/s':>8} {'ok/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'max ms':>8} "
        f"{'requests':>9}  errors"
    )
    for op, row in table.items():
        if op == "all":
            print("-" * 100)
        errors = ", ".join(f"{code} {n}" for code, n in row["errors"].items()) or "-"
        print(
            f"{op + (' (w)' if op in WRITES else ''):<22} {row['sent_per_s']:>8.2f} {row['ok_per_s']:>8.2f} "
            f"{row['p50_ms']:>8.1f} {row['p95_ms']:>8.1f} {row['p99_ms']:>8.1f} {row['max_ms']:>8.0f} "
            f"{row['sent']:>9}  {errors}"
        )
    print("(w: writes; latency from each request's intended send time, failed requests included)")


COMPONENTS = ("gateway", "identity", "org", "skp", "assessment", "assessment-consumer", "postgres", "broker",
              "load drivers", "this process")  # fmt: skip


def cpu_rows(
    cpu: dict[str, float], wall: float, writes: int, requests: int, idle: dict[str, float]
) -> list[dict[str, Any]]:
    rows = []
    ours = 0.0
    platform = [n for n in COMPONENTS if n in cpu and n not in ("load drivers", "this process")]
    for name in COMPONENTS:
        if name in cpu:
            ours += cpu[name]
            rows.append(_cpu_row(name, cpu[name], wall, writes, requests, idle.get(name, 0.0)))
    total = sum(cpu[n] for n in platform)
    rows.append(_cpu_row("platform", total, wall, writes, requests, sum(idle.get(n, 0.0) for n in platform)))
    rows.append(_cpu_row("other processes", max(0.0, cpu["machine"] - ours), wall, writes, requests, 0.0))
    # (the machine's idle figure includes other people's work: shown, not taken off)
    rows.append(_cpu_row("machine", cpu["machine"], wall, writes, requests, 0.0))
    rows[-1]["idle_cores"] = idle.get("machine", 0.0)
    return rows


def _cpu_row(
    name: str, seconds: float, wall: float, writes: int, requests: int, idle: float
) -> dict[str, Any]:
    net = max(0.0, seconds - idle * wall)
    return {
        "component": name,
        "cpu_s": seconds,
        "cores": seconds / wall,
        "idle_cores": idle,
        "ms_per_realisasi": 1000 * net / writes if writes else math.nan,
        "ms_per_request": 1000 * net / requests if requests else math.nan,
    }


def print_cpu(rows: list[dict[str, Any]]) -> None:
    print()
    print(
        f"{'CPU':<22} {'seconds':>9} {'cores':>7} {'idle cores':>11} {'ms per realisasi write':>23} "
        f"{'ms per request':>15}"
    )
    for row in rows:
        if row["component"] in ("platform", "other processes"):
            print("-" * 92)
        print(
            f"{row['component']:<22} {row['cpu_s']:>9.1f} {row['cores']:>7.2f} {row['idle_cores']:>11.2f} "
            f"{row['ms_per_realisasi']:>23.2f} {row['ms_per_request']:>15.2f}"
        )
    print(
        f"({os.cpu_count()} CPUs. cores: CPU seconds per second of the measured window; idle cores: the same with "
        "nothing asked, measured before; per realisasi write and per request: the CPU above idle, divided by the "
        "realisasi writes that succeeded or by every request, so a realisasi write carries the whole mix; "
        "platform: every process but the drivers and this one; other processes: the machine's CPU that is none "
        "of ours)"
    )


CALIBRATION_COLUMNS = ("gateway", "identity", "org", "skp", "assessment", "assessment-consumer", "postgres", "broker",
                       "load drivers")  # fmt: skip


def print_calibration(rows: list[dict[str, Any]]) -> None:
    print()
    short = {"assessment-consumer": "consumer", "load drivers": "driver"}
    print(
        f"{'CPU ms per request':<22} {'req/s':>7} {'p50 ms':>7} "
        + " ".join(f"{short.get(c, c):>10}" for c in CALIBRATION_COLUMNS)
        + f" {'platform':>9} {'WAL KiB':>8} {'commits':>8}  errors"
    )
    for row in rows:
        cost = row["ms_per_request"]
        platform = sum(cost.get(c, 0.0) for c in CALIBRATION_COLUMNS if c != "load drivers")
        print(
            f"{row['op']:<22} {row['rps']:>7.1f} {row['p50_ms']:>7.1f} "
            + " ".join(f"{cost.get(c, math.nan):>10.2f}" for c in CALIBRATION_COLUMNS)
            + f" {platform:>9.2f} {row.get('wal_bytes_per_request', math.nan) / 1024:>8.2f} "
            f"{row.get('commits_per_request', math.nan):>8.2f}  {row['errors'] or '-'}"
        )
    print(
        "(each operation alone, closed loop; CPU of each process above its idle, per request, warm-up included)"
    )


def print_timeline(rows: list[dict[str, Any]]) -> None:
    print()
    print(f"{'from s':>7} {'realisasi ok/s':>15} {'p99 all ms':>11} {'p99 realisasi ms':>17} {'errors':>7}")
    for row in rows:
        print(
            f"{row['from_s']:>7.0f} {row['realisasi_ok_per_s']:>15.1f} {row['p99_ms']:>11.1f} "
            f"{row['realisasi_p99_ms']:>17.1f} {row['errors']:>7}"
        )


def print_lag(lag: dict[str, Any] | None, outbox: dict[str, Any] | None) -> None:
    print()
    if lag is not None:
        print(
            f"skp -> assessment projection lag: {lag['applied']} of {lag['changes']} SKP changes applied "
            f"({lag['errors']} refused), p50 {lag['p50_ms']:.0f} ms, p99 {lag['p99_ms']:.0f} ms, "
            f"max {lag['max_ms']:.0f} ms"
        )
        print(
            f"  in skp's outbox until its relay took it: p50 {lag['outbox_p50_ms']:.0f} ms, p99 "
            f"{lag['outbox_p99_ms']:.0f} ms; then broker, consumer fetch and projection: p50 "
            f"{lag['onwards_p50_ms']:.0f} ms, p99 {lag['onwards_p99_ms']:.0f} ms"
        )
    if outbox is not None:
        print(
            f"assessment's events of the window in its outbox until published: {outbox['events']} events, "
            f"{outbox['unsent']} still unsent at the end, p50 {outbox['p50_ms']:.0f} ms, p99 "
            f"{outbox['p99_ms']:.0f} ms, max {outbox['max_ms']:.0f} ms"
        )


def print_database(database: dict[str, Any], writes_per_s: float) -> None:
    print()
    wal = database["wal_bytes_per_s"]
    per_write = f", {wal / writes_per_s / 1024:.1f} KiB per realisasi write" if writes_per_s else ""
    print(f"PostgreSQL: WAL {wal / 1024:.0f} KiB/s{per_write}")
    print(f"  {'database':<28} {'commits/s':>10} {'inserted/s':>11} {'updated/s':>10} {'deleted/s':>10}")
    for name, row in sorted(database["databases"].items(), key=lambda item: -item[1]["commits"]):
        print(
            f"  {name:<28} {row['commits']:>10.1f} {row['inserted']:>11.1f} {row['updated']:>10.1f} "
            f"{row['deleted']:>10.1f}"
        )


def merge_profiles(reports: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """The single-worker gateways' samples as one gateway."""
    merged: dict[str, dict[str, Any]] = {}
    for name, report in reports.items():
        key = "gateway" if name.startswith("gateway-") else name
        if key not in merged:
            merged[key] = {
                "cpu": 0.0,
                "self": Counter(),
                "inclusive": Counter(),
                "owners": Counter(),
                "libraries": Counter(),
            }
        target = merged[key]
        target["cpu"] += report["cpu"]
        for part in ("self", "inclusive", "owners", "libraries"):
            for item, used in report[part]:
                target[part][item] += used
    return {
        name: {
            "cpu": r["cpu"],
            **{p: r[p].most_common() for p in ("self", "inclusive", "owners", "libraries")},
        }
        for name, r in merged.items()
    }


def search_row(rate: float, table: dict[str, dict[str, Any]], cpu: list[dict[str, Any]]) -> dict[str, Any]:
    """One run in a line: asked and done, the worst p99 of any operation, errors, where the CPU went."""
    worst = max((op for op in table if op != "all"), key=lambda op: table[op]["p99_ms"])
    cores = {row["component"]: row["cores"] for row in cpu}
    return {
        "rate": rate,
        "realisasi_ok_per_s": table.get(OP_REALISASI, {}).get("ok_per_s", 0.0),
        "requests_per_s": table["all"]["ok_per_s"],
        "p50_ms": table["all"]["p50_ms"],
        "p99_ms": table["all"]["p99_ms"],
        "realisasi_p99_ms": table.get(OP_REALISASI, {}).get("p99_ms", math.nan),
        "worst_op": worst,
        "worst_p99_ms": table[worst]["p99_ms"],
        "errors": sum(sum(row["errors"].values()) for op, row in table.items() if op != "all"),
        "platform_cores": cores.get("platform", math.nan),
        "driver_cores": cores.get("load drivers", math.nan),
        "other_cores": cores.get("other processes", math.nan),
    }


def print_search(rows: list[dict[str, Any]]) -> None:
    print()
    print(
        f"{'asked/s':>8} {'realisasi/s':>12} {'requests/s':>11} {'p50 ms':>7} {'p99 ms':>8} {'realisasi p99':>14} "
        f"{'worst operation p99':>32} {'errors':>7} {'platform':>9} {'drivers':>8} {'others':>7}"
    )
    for r in rows:
        worst = f"{r['worst_op']} {r['worst_p99_ms']:.0f}"
        print(
            f"{r['rate']:>8g} {r['realisasi_ok_per_s']:>12.1f} {r['requests_per_s']:>11.1f} {r['p50_ms']:>7.1f} "
            f"{r['p99_ms']:>8.0f} {r['realisasi_p99_ms']:>14.0f} {worst:>32} {r['errors']:>7} "
            f"{r['platform_cores']:>9.2f} {r['driver_cores']:>8.2f} {r['other_cores']:>7.2f}"
        )
    print("(platform, drivers, others: cores used during the window; others: processes none of ours)")
