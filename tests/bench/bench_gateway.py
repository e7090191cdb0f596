"""`make bench`: GraphQL vs. a typed FastAPI JSON endpoint for the same page of 100 pegawai.

One run starts PostgreSQL and the broker (embedded unless DATABASE_URL / KAFKA_BOOTSTRAP_SERVERS
are set), migrates and starts identity, org, skp and assessment in this process, starts the gateway under uvicorn
in a subprocess, loads pegawai into one instansi through org's gRPC API, then drives each endpoint
from a separate load process (httpx, fixed concurrency, fixed duration) and prints requests/s,
p50/p95 latency and the GraphQL/REST throughput ratio. Both endpoints make the same two gRPC calls
per request (SearchPegawai + BatchGetUnor). Then, on a gateway run as `make run` runs it (two workers),
the p99 latency of `{ __typename }` alone and while ten clients run the heaviest query the cost budget
admits (a page of 100 pegawai with unor, account and relations), and their ratio (target: at most 3x).
Nothing here asserts a time.

    .venv/bin/python tests/bench/bench_gateway.py [--pegawai 120] [--duration 10] [--concurrency 8]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import logging
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import grpc
import grpc.aio
import httpx

ISSUER = "https://kinerja.bench/identity"
AUDIENCE = "kinerja"
ADMIN_NIP = "197801012003121001"
ADMIN_PASSWORD = "BenchBkn2026"

GRAPHQL = "GraphQL pegawaiList(first: 100)"
REST = "REST GET /api/v1/pegawai?first=100"
GRPC = "gRPC only: SearchPegawai+BatchGetUnor"

GRAPHQL_QUERY = """
query Page($instansiId: ID!) {
  pegawaiList(first: 100, instansiId: $instansiId) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges {
      node {
        id nip nik nama pimpinan golongan pangkat tmtJabatan
        jabatan { nama jenis jenjang }
        unor { id nama }
      }
    }
  }
}
"""


PEGAWAI_FIELDS = (
    "id nip nama golongan pangkat jabatan { nama jenis jenjang } unor { id nama parent { id nama } }"
)
# The heaviest allowed query (check_heavy: its cost is just within the gateway's default budget).
HEAVY_QUERY = f"""
query Heavy($instansiId: ID!) {{
  pegawaiList(first: 100, instansiId: $instansiId) {{
    totalCount
    edges {{
      node {{
        {PEGAWAI_FIELDS}
        account {{ id username roles }}
        relations {{
          atasanLangsung {{ id nip nama golongan jabatan {{ nama }} unor {{ nama parent {{ nama }} }} }}
          atasanIi {{ id nama }}
          bawahan(first: 1) {{ totalCount edges {{ node {{ id }} }} }}
          rekanKerja(first: 1) {{ totalCount edges {{ node {{ id }} }} }}
          memimpinUnor {{ id nama }}
        }}
      }}
    }}
  }}
}}
"""
PROBE = "{ __typename } alone"
PROBE_LOADED = "{ __typename } with 10 heavy queries"
HEAVY = "heaviest allowed query, 10 clients"
HEAVY_CLIENTS = 10


# ---- the load process ----


async def drive(
    request: Callable[[], Awaitable[bool]], duration: float, concurrency: int, warmup: float
) -> dict[str, Any]:
    """`concurrency` workers repeat `request` (True when it succeeded): a warm-up, then `duration`
    seconds whose successful latencies are kept."""
    latencies: list[float] = []
    errors = 0

    async def worker(stop_at: float, record: bool) -> None:
        nonlocal errors
        while time.perf_counter() < stop_at:
            started = time.perf_counter()
            succeeded = await request()
            elapsed = time.perf_counter() - started
            if not succeeded:
                errors += 1
            elif record:
                latencies.append(elapsed)

    await asyncio.gather(*(worker(time.perf_counter() + warmup, False) for _ in range(concurrency)))
    started = time.perf_counter()
    await asyncio.gather(*(worker(started + duration, True) for _ in range(concurrency)))
    return _summary(latencies, time.perf_counter() - started, errors)


def _percentile(latencies: list[float], fraction: float) -> float:
    return 1000 * latencies[int(fraction * (len(latencies) - 1))] if latencies else 0.0


async def _drive(method: str, url: str, body: dict[str, Any] | None, headers: dict[str, str], duration: float,
                 concurrency: int, warmup: float) -> dict[str, Any]:  # fmt: skip
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(limits=limits, timeout=30.0, headers=headers) as client:

        async def request() -> bool:
            response = await client.request(method, url, json=body)
            return response.status_code == 200 and (body is None or "errors" not in response.json())

        return await drive(request, duration, concurrency, warmup)


async def _drive_grpc(org_addr: str, instansi_id: str, token: str, duration: float, concurrency: int,
                      warmup: float) -> dict[str, Any]:  # fmt: skip
    """The floor under both endpoints: their two gRPC calls, made directly."""
    from kinerja.org.v1 import org_pb2, org_pb2_grpc

    metadata = (("authorization", f"Bearer {token}"), ("x-instansi-id", instansi_id))
    async with grpc.aio.insecure_channel(org_addr) as channel:
        org = org_pb2_grpc.OrgServiceStub(channel)

        async def request() -> bool:
            page = await org.SearchPegawai(org_pb2.SearchPegawaiRequest(page_size=100), metadata=metadata)
            ids = list(dict.fromkeys(p.unor_id for p in page.pegawai))
            await org.BatchGetUnor(org_pb2.BatchGetUnorRequest(ids=ids), metadata=metadata)
            return True

        return await drive(request, duration, concurrency, warmup)


def _summary(latencies: list[float], wall: float, errors: int) -> dict[str, Any]:
    latencies.sort()
    return {
        "requests": len(latencies),
        "errors": errors,
        "rps": len(latencies) / wall,
        "p50_ms": 1000 * statistics.median(latencies) if latencies else 0.0,
        "p95_ms": _percentile(latencies, 0.95),
        "p99_ms": _percentile(latencies, 0.99),
    }


def load_main(spec: str) -> None:
    """Entry of the load subprocess: reads a JSON spec, prints a JSON result."""
    args = json.loads(spec)
    kind = args.pop("kind")
    result = asyncio.run(_drive_grpc(**args) if kind == "grpc" else _drive(**args))
    print(json.dumps(result))


def run_load(spec: dict[str, Any]) -> dict[str, Any]:
    """Runs one measurement in a separate process (so the client does not share the gateway's GIL)."""
    out = subprocess.run(
        [sys.executable, __file__, "--load", json.dumps(spec)], check=True, capture_output=True, text=True
    )
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def start_load(spec: dict[str, Any], script: str = __file__) -> subprocess.Popen[str]:
    """`script --load spec` (its `run_load`) in the background: `finish_load` waits for its result."""
    return subprocess.Popen(
        [sys.executable, script, "--load", json.dumps(spec)], stdout=subprocess.PIPE, text=True
    )


def finish_load(process: subprocess.Popen[str]) -> dict[str, Any]:
    out, _ = process.communicate()
    if process.returncode:
        raise RuntimeError(f"load process failed ({process.returncode})")
    result: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
    return result


# ---- the platform ----


class ServiceProcess:
    """A service in a process of its own (`command`, e.g. `python -m assessment`, configured by `env`),
    as `make run` and a cluster run it; stopped with SIGTERM. Started once its gRPC `port` answers (a
    consumer without one: once it has run for a moment)."""

    def __init__(self, command: list[str], env: dict[str, str], log: Path, port: int | None) -> None:
        self.command, self.env, self.log, self.port = command, env, log, port
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> ServiceProcess:
        out = self.log.open("ab")
        self.process = subprocess.Popen(self.command, env=self.env, stdout=out, stderr=subprocess.STDOUT)
        if self.port is None:
            time.sleep(1.0)
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.command} stopped; see {self.log}")
            return self
        with grpc.insecure_channel(f"127.0.0.1:{self.port}") as channel:
            try:
                grpc.channel_ready_future(channel).result(timeout=60)
            except grpc.FutureTimeoutError:
                self.stop()
                raise RuntimeError(f"{self.command} did not start; see {self.log}") from None
        return self

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def start_platform(
    workdir: Path, assessment_command: list[str] | None = None, consumer_command: list[str] | None = None
) -> tuple[list[Any], dict[str, str]]:
    """PostgreSQL, broker, identity, org, skp and assessment; returns what to stop and the gRPC addresses by
    service (and, as "postgres", the server's admin URL). All in this process, except assessment when
    `assessment_command` is given (`python -m assessment` or a command that runs it): then in its own, and
    with `consumer_command` (`python -m assessment.consumer`) its projection consumer in another, as in
    the cluster (the API's own consumer off)."""
    from assessment.bootstrap import build as build_assessment
    from assessment.bootstrap import migrate as migrate_assessment
    from assessment.settings import AssessmentSettings
    from identity.bootstrap import build as build_identity
    from identity.bootstrap import migrate as migrate_identity
    from identity.settings import IdentitySettings
    from kinerja_kit.db import provision_service_database
    from kinerja_testing.infra import external_or_embedded_broker, external_or_embedded_postgres, free_port
    from org.bootstrap import build as build_org
    from org.bootstrap import migrate as migrate_org
    from org.settings import OrgSettings
    from skp.bootstrap import build as build_skp
    from skp.bootstrap import migrate as migrate_skp
    from skp.settings import SkpSettings

    postgres = external_or_embedded_postgres(workdir / "pg")
    broker = external_or_embedded_broker(workdir / "tansu.log")
    identity_db = provision_service_database(postgres.url, "bench_identity")
    org_db = provision_service_database(postgres.url, "bench_org")
    skp_db = provision_service_database(postgres.url, "bench_skp")
    assessment_db = provision_service_database(postgres.url, "bench_assessment")
    migrate_identity(identity_db.owner_url)
    migrate_org(org_db.owner_url)
    migrate_skp(skp_db.owner_url)
    migrate_assessment(assessment_db.owner_url)
    common: dict[str, Any] = {
        "grpc_host": "127.0.0.1",
        "grpc_port": 0,
        "kafka_bootstrap_servers": broker.bootstrap_servers,
        "jwt_issuer": ISSUER,
        "jwt_audience": AUDIENCE,
        "log_level": "WARNING",
        "log_json": False,
    }
    identity = build_identity(
        IdentitySettings(
            database_url=identity_db.app_url,
            migration_database_url=identity_db.owner_url,
            argon2_time_cost=1,
            argon2_memory_cost_kib=8,
            bootstrap_admin_username=ADMIN_NIP,
            bootstrap_admin_password=ADMIN_PASSWORD,
            **common,
        )
    ).start()
    identity_addr = f"127.0.0.1:{identity.port}"
    org = build_org(
        OrgSettings(
            database_url=org_db.app_url,
            migration_database_url=org_db.owner_url,
            identity_addr=identity_addr,
            **common,
        )
    ).start()
    org_addr = f"127.0.0.1:{org.port}"
    skp = build_skp(
        SkpSettings(
            database_url=skp_db.app_url,
            migration_database_url=skp_db.owner_url,
            identity_addr=identity_addr,
            org_addr=org_addr,
            **common,
        )
    ).start()
    skp_addr = f"127.0.0.1:{skp.port}"
    assessment_settings = AssessmentSettings(
        database_url=assessment_db.app_url,
        migration_database_url=assessment_db.owner_url,
        identity_addr=identity_addr,
        org_addr=org_addr,
        skp_addr=skp_addr,
        **{**common, "grpc_port": free_port() if assessment_command else 0},
    )
    stoppable: list[Any] = []
    if assessment_command:
        env = {**os.environ, **{k.upper(): str(v) for k, v in assessment_settings.model_dump().items()}}
        if consumer_command:
            env["RUN_PROJECTION_CONSUMER"] = "false"
            consumer_env = {**env, "GRPC_PORT": "0"}
            log = workdir / "assessment-consumer.log"
            stoppable.append(ServiceProcess(consumer_command, consumer_env, log, None).start())
        assessment: Any = ServiceProcess(
            assessment_command, env, workdir / "assessment.log", assessment_settings.grpc_port
        ).start()
    else:
        assessment = build_assessment(assessment_settings).start()
    addrs = {
        "identity": identity_addr,
        "org": org_addr,
        "skp": skp_addr,
        "assessment": f"127.0.0.1:{assessment.port}",
        "postgres": postgres.url,
    }
    return [assessment, *stoppable, skp, org, identity, broker, postgres], addrs


@contextlib.contextmanager
def bench_platform(
    prefix: str, assessment_command: list[str] | None = None, consumer_command: list[str] | None = None
) -> Iterator[tuple[Path, dict[str, str]]]:
    """Quiet logs, a scratch folder, and the platform running in this process (assessment and its consumer
    in their own when their commands are given, see start_platform); all stopped at the end."""
    from kinerja_kit.logging import configure_logging

    configure_logging("bench", "ERROR", json_format=False)
    # identity's pegawai consumer and the relay run here too; their broker chatter is not the benchmark
    for noisy in ("kafka", "kinerja_kit.consumer", "kinerja_kit.relay"):
        logging.getLogger(noisy).setLevel(logging.CRITICAL)
    with tempfile.TemporaryDirectory(prefix=prefix) as tmp:
        workdir = Path(tmp)
        print("starting PostgreSQL, broker, identity, org, skp and assessment ...", flush=True)
        stoppable, addrs = start_platform(workdir, assessment_command, consumer_command)
        try:
            yield workdir, addrs
        finally:
            for thing in stoppable:
                thing.stop()


def _checked(call: Any, request: Any, metadata: list[tuple[str, str]]) -> Any:
    """A gRPC call whose domain error is shown with its field violations."""
    from kinerja_kit.errors import from_rpc_error

    try:
        return call(request, metadata=tuple(metadata), timeout=10)
    except grpc.RpcError as exc:
        domain = from_rpc_error(exc)
        raise RuntimeError(
            f"{call._method!r} refused: {domain} {domain.violations if domain else ''}"
        ) from exc


def _nip(i: int) -> str:
    # birth 1980-1989, CPNS 2008, a valid month, gender, a running sequence
    return f"198{i % 10}0{1 + i % 9}1{i % 9}2008{1 + i % 12:02d}{1 + i % 2}{1 + i % 999:03d}"


def load_data(identity_addr: str, org_addr: str, pegawai: int) -> tuple[str, str]:
    """Logs in as admin BKN and creates one instansi with a small tree and `pegawai` pegawai."""
    from kinerja.identity.v1 import identity_pb2, identity_pb2_grpc
    from kinerja.org.v1 import org_pb2, org_pb2_grpc

    with grpc.insecure_channel(identity_addr) as channel:
        login = identity_pb2_grpc.IdentityServiceStub(channel).Login(
            identity_pb2.LoginRequest(username=ADMIN_NIP, password=ADMIN_PASSWORD), timeout=10
        )
    token = login.tokens.access_token
    auth = [("authorization", f"Bearer {token}")]
    with grpc.insecure_channel(org_addr) as channel:
        org = org_pb2_grpc.OrgServiceStub(channel)
        suffix = os.urandom(3).hex().upper()
        instansi = org.CreateInstansi(
            org_pb2.CreateInstansiRequest(
                kode=f"BENCH-{suffix}", nama=f"Pemkab Bench {suffix}", jenis="DAERAH"
            ),
            metadata=tuple(auth),
        )
        md = [*auth, ("x-instansi-id", instansi.id)]
        kinds = [org_pb2.JENIS_UNOR_JPT_PRATAMA] + [org_pb2.JENIS_UNOR_ADMINISTRATOR] * 4
        unor_ids: list[str] = []
        for i, jenis in enumerate(kinds):
            unor = org.CreateUnor(
                org_pb2.CreateUnorRequest(
                    unor=org_pb2.UnorInput(
                        nama=f"Bidang {i}" if i else "Sekretariat Daerah",
                        jenis=jenis,
                        parent_id=unor_ids[0] if unor_ids else "",
                        kota="Blora",
                    )
                ),
                metadata=tuple(md),
            )
            unor_ids.append(unor.id)
        for i in range(pegawai):
            head = i < len(unor_ids)
            jabatan = (
                org_pb2.Jabatan(nama="Kepala", jenis=org_pb2.JENIS_JABATAN_ADMINISTRATOR)
                if head
                else org_pb2.Jabatan(nama="Analis SDM Aparatur", jenis=org_pb2.JENIS_JABATAN_FUNGSIONAL, jenjang="Ahli Pertama")
            )  # fmt: skip
            _checked(
                org.CreatePegawai,
                org_pb2.CreatePegawaiRequest(
                    pegawai=org_pb2.PegawaiInput(
                        nip=_nip(i),
                        nama=f"Pegawai Bench {i:04d}",
                        unor_id=unor_ids[i % len(unor_ids)],
                        pimpinan=head,
                        jabatan=jabatan,
                        golongan="III/b",
                        tmt_jabatan="2021-01-04",
                    )
                ),
                md,
            )
    return token, instansi.id


@contextlib.contextmanager
def running_gateway(
    addrs: dict[str, str],
    workdir: Path,
    settings: dict[str, str] | None = None,
    command: list[str] | None = None,
) -> Iterator[tuple[subprocess.Popen[bytes], str]]:
    """`python -m gateway` (or `command`, which runs it) on a free port, as it runs in production (plus
    `settings`, environment variables), until the block ends."""
    from kinerja_testing.infra import free_port

    port = free_port()
    env = {
        **(settings or {}),
        **os.environ,
        "IDENTITY_ADDR": addrs["identity"],
        "ORG_ADDR": addrs["org"],
        "SKP_ADDR": addrs["skp"],
        "ASSESSMENT_ADDR": addrs["assessment"],
        "GATEWAY_HOST": "127.0.0.1",
        "GATEWAY_PORT": str(port),
        "JWT_ISSUER": ISSUER,
        "JWT_AUDIENCE": AUDIENCE,
        "LOG_LEVEL": "WARNING",
    }
    log = (workdir / "gateway.log").open("ab")
    process = subprocess.Popen(
        command or [sys.executable, "-m", "gateway"], env=env, stdout=log, stderr=subprocess.STDOUT
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while not _healthy(base):
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"gateway did not become healthy; see {workdir / 'gateway.log'}")
            time.sleep(0.2)
        yield process, base
    finally:
        process.terminate()
        process.wait(10)


def _healthy(base: str) -> bool:
    try:
        return httpx.get(f"{base}/healthz", timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


def cpu_seconds(pid: int) -> float | None:
    """User + system CPU time of a process (Linux /proc; None elsewhere)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def graphql_data(base: str, query: str, variables: dict[str, Any], token: str) -> dict[str, Any]:
    """One GraphQL request to the gateway under test; its `data`, after checking it has no errors."""
    body = httpx.post(
        f"{base}/graphql",
        json={"query": query, "variables": variables},
        headers={"Authorization": f"Bearer {token}"},
        timeout=30,
    ).json()
    assert "errors" not in body, body
    return dict(body["data"])


def check_same_data(base: str, token: str, instansi_id: str) -> int:
    """Both endpoints serve the same 100 pegawai with the same unor names."""
    headers = {"Authorization": f"Bearer {token}"}
    data = graphql_data(base, GRAPHQL_QUERY, {"instansiId": instansi_id}, token)
    rest = httpx.get(
        f"{base}/api/v1/pegawai", params={"first": 100, "instansiId": instansi_id}, headers=headers
    ).json()
    nodes = [e["node"] for e in data["pegawaiList"]["edges"]]
    assert [(n["id"], n["nama"], n["unor"]["nama"]) for n in nodes] == [
        (p["id"], p["nama"], p["unor"]["nama"]) for p in rest["items"]
    ], "GraphQL and REST disagree"
    return len(nodes)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pegawai", type=int, default=120)
    parser.add_argument("--duration", type=float, default=10.0)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--load", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.load:
        load_main(args.load)
        return

    with bench_platform("kinerja-bench-") as (workdir, addrs):
        print(f"loading {args.pegawai} pegawai through org gRPC ...", flush=True)
        token, instansi_id = load_data(addrs["identity"], addrs["org"], args.pegawai)
        with running_gateway(addrs, workdir) as (gateway, base):
            rows = check_same_data(base, token, instansi_id)
            print(f"gateway at {base}; both endpoints return the same {rows} pegawai", flush=True)
            timing = {"duration": args.duration, "concurrency": args.concurrency, "warmup": 2.0}
            http = {"headers": {"Authorization": f"Bearer {token}"}, **timing}
            specs = {
                GRAPHQL: {"kind": "http", "method": "POST", "url": f"{base}/graphql",
                          "body": {"query": GRAPHQL_QUERY, "variables": {"instansiId": instansi_id}}, **http},
                REST: {"kind": "http", "method": "GET", "body": None,
                       "url": f"{base}/api/v1/pegawai?first=100&instansiId={instansi_id}", **http},
                GRPC: {"kind": "grpc", "org_addr": addrs["org"], "instansi_id": instansi_id, "token": token,
                       **timing},
            }  # fmt: skip
            results = measure(specs, gateway.pid, run_load, through_gateway={GRAPHQL, REST})
        print_table(results)
        fairness = measure_fairness(addrs, workdir, token, instansi_id, args.duration)
    print_fairness(fairness)


def check_heavy(base: str, token: str, instansi_id: str) -> int:
    """The heavy query is admitted (within the cost budget) and its cost is most of the budget."""
    from graphql import parse

    from gateway.api.limits import chosen_operation, query_cost
    from gateway.api.schema import schema
    from gateway.settings import GatewaySettings

    document = parse(HEAVY_QUERY)
    operation = chosen_operation(document, None)
    assert operation is not None
    cost = query_cost(schema._schema, document, operation, {"instansiId": instansi_id}, 100)
    budget = GatewaySettings().max_query_cost
    assert 0.9 * budget <= cost <= budget, f"the heavy query costs {cost}, the budget is {budget}"
    graphql_data(base, HEAVY_QUERY, {"instansiId": instansi_id}, token)
    return cost


def measure_fairness(
    addrs: dict[str, str], workdir: Path, token: str, instansi_id: str, duration: float
) -> dict[str, dict[str, Any]]:
    """p99 of `{ __typename }` (anonymous, one at a time) alone, then while HEAVY_CLIENTS clients run the
    heavy query, on a gateway with two workers as `make run` starts it. The heavy clients share one
    token, so the per-principal bound is raised to let all ten run at once."""
    settings = {"GATEWAY_WORKERS": "2", "MAX_CONCURRENT_PER_PRINCIPAL": str(HEAVY_CLIENTS)}
    with running_gateway(addrs, workdir, settings) as (_, base):
        cost = check_heavy(base, token, instansi_id)
        print(f"gateway with 2 workers at {base}; the heavy query costs {cost}", flush=True)
        probe = {
            "kind": "http",
            "method": "POST",
            "url": f"{base}/graphql",
            "headers": {},
            "body": {"query": "{ __typename }"},
            "duration": duration,
            "concurrency": 1,
            "warmup": 2.0,
        }
        heavy = {"kind": "http", "method": "POST", "url": f"{base}/graphql",
                 "headers": {"Authorization": f"Bearer {token}"},
                 "body": {"query": HEAVY_QUERY, "variables": {"instansiId": instansi_id}},
                 "duration": duration + 4.0, "concurrency": HEAVY_CLIENTS, "warmup": 2.0}  # fmt: skip
        print(f"measuring {PROBE}: {duration:.0f} s ...", flush=True)
        results = {PROBE: run_load(probe)}
        print(f"measuring {PROBE_LOADED}: {duration:.0f} s ...", flush=True)
        background = start_load(heavy)
        time.sleep(4.0)  # the heavy clients' warm-up, then they are all in flight
        results[PROBE_LOADED] = run_load({**probe, "warmup": 0.5})
        results[HEAVY] = finish_load(background)
    for result in results.values():
        result["gw_cpu_ms"] = None
    return results


def print_fairness(results: dict[str, dict[str, Any]]) -> None:
    print_rows(results, label="one heavy query must not stall everyone")
    alone, loaded = results[PROBE]["p99_ms"], results[PROBE_LOADED]["p99_ms"]
    print()
    print(
        f"{{ __typename }} p99: {alone:.1f} ms alone, {loaded:.1f} ms with {HEAVY_CLIENTS} heavy queries running"
    )
    print(f"p99 ratio under load / alone: {loaded / alone:.1f}x (target: at most 3x)")


def measure(
    specs: dict[str, dict[str, Any]],
    gateway_pid: int,
    runner: Callable[[dict[str, Any]], dict[str, Any]],
    through_gateway: set[str],
) -> dict[str, dict[str, Any]]:
    """Runs each load spec in turn; for those served by the gateway, also its CPU time per request."""
    results = {}
    for name, spec in specs.items():
        print(
            f"measuring {name}: {spec['duration']:.0f} s, concurrency {spec['concurrency']} ...", flush=True
        )
        before = cpu_seconds(gateway_pid)
        results[name] = runner(spec)
        after = cpu_seconds(gateway_pid)
        # the gateway's CPU per request, warm-up requests counted at the measured rate
        served = results[name]["requests"] * (1 + float(spec["warmup"]) / float(spec["duration"]))
        measurable = name in through_gateway and before is not None and after is not None and served
        results[name]["gw_cpu_ms"] = 1000 * (after - before) / served if measurable else None  # type: ignore[operator]
    return results


def print_rows(results: dict[str, dict[str, Any]], label: str = "endpoint", width: int = 38) -> None:
    print()
    print(
        f"{label:<{width}} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'requests':>8} {'errors':>6} "
        f"{'gw CPU ms/req':>13}"
    )
    for name, r in results.items():
        cpu = f"{r['gw_cpu_ms']:.1f}" if r["gw_cpu_ms"] is not None else "-"
        print(
            f"{name:<{width}} {r['rps']:>7.1f} {r['p50_ms']:>7.1f} {r['p95_ms']:>7.1f} {r['p99_ms']:>7.1f} "
            f"{r['requests']:>8} {r['errors']:>6} {cpu:>13}"
        )


def print_table(results: dict[str, dict[str, Any]]) -> None:
    print_rows(results)
    graphql, rest = results[GRAPHQL], results[REST]
    print()
    print(f"GraphQL/REST throughput ratio: {graphql['rps'] / rest['rps']:.2f}")
    if graphql["gw_cpu_ms"] and rest["gw_cpu_ms"]:
        print(f"GraphQL/REST gateway CPU per request: {graphql['gw_cpu_ms'] / rest['gw_cpu_ms']:.1f}x")
    print(
        f"({os.cpu_count()} CPUs shared by the services, the gateway and the load generator. Both endpoints make"
    )
    print(" the same 2 gRPC calls per request; the gRPC-only row is the floor the org service sets.)")


if __name__ == "__main__":
    main()
