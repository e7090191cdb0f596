"""Who the peak run plays: the sample users of the national manifest (`.national/manifest.json`, written by
`make seed-national`), or a small data set built through each service's own gRPC API on a stack of its own
(`--small`), written in the same shape.

Both give pegawai with an approved SKP and a password, each with their atasan langsung (from the manifest
when it says, else from org's BatchGetRelations), and atasan with a password.
"""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import grpc
import httpx
from bench_assessment import (
    LagProbe,
    Owned,
    Person,
    Platform,
    approved_skp,
    build_org,
    log_in,
    open_penilaian,
    parallel,
    quarterly_periode,
    rhk_of_head,
    wait_for_accounts,
)
from bench_gateway import _checked
from bench_skp import PASSWORD

from peak.workload import LOGIN, SKP, SKP_LIST, Atasan, Pegawai


@dataclass
class Population:
    pegawai: list[Pegawai]
    atasan: list[Atasan]
    instansi: list[str]
    source: str  # what the data is, for the report


# ---- the national manifest ----


def from_manifest(manifest: dict[str, Any], platform: Any) -> Population:
    pegawai: dict[str, Pegawai] = {}
    atasan: dict[str, Atasan] = {}
    instansi = []
    for entry in manifest["instansi"]:
        instansi.append(entry["id"])
        samples = entry.get("samples") or {}
        for staff in samples.get("staff", []):
            boss = staff.get("atasan") or {}
            atasan_id = (
                staff.get("atasan_id") or (boss.get("pegawai_id") if isinstance(boss, dict) else "") or ""
            )
            pegawai[staff["pegawai_id"]] = Pegawai(
                staff["nip"], staff["password"], staff["pegawai_id"], atasan_id
            )
            if isinstance(boss, dict) and boss.get("password"):
                atasan[boss["pegawai_id"]] = Atasan(boss["nip"], boss["password"], boss["pegawai_id"])
        heads = [*samples.get("atasan", []), *([samples["head_big"]] if samples.get("head_big") else [])]
        for head in heads:
            if head.get("password"):
                atasan[head["pegawai_id"]] = Atasan(head["nip"], head["password"], head["pegawai_id"])
        missing = [p for p in pegawai.values() if not p.atasan_id]
        if missing:
            for p, boss_id in zip(
                missing, atasan_of(platform, entry["id"], [p.pegawai_id for p in missing]), strict=True
            ):
                p.atasan_id = boss_id
    total = manifest.get("pegawai_total", "?")
    return Population(
        list(pegawai.values()),
        list(atasan.values()),
        instansi,
        f"the national data set ({total} pegawai in {len(instansi)} instansi; its sample users)",
    )


def atasan_of(platform: Any, instansi_id: str, pegawai_ids: Sequence[str]) -> list[str]:
    """Each pegawai's atasan langsung today, from org (as admin BKN), 1,000 at a time."""
    from kinerja.org.v1 import org_pb2

    found: dict[str, str] = {}
    ids = list(pegawai_ids)
    for start in range(0, len(ids), 1000):
        response = _checked(
            platform.org.BatchGetRelations,
            org_pb2.BatchGetRelationsRequest(pegawai_ids=ids[start : start + 1000], omit_lists=True),
            platform.admin(instansi_id),
        )
        found |= {r.pegawai_id: r.atasan_langsung_id for r in response.relations}
    return [found.get(i, "") for i in ids]


class ManifestPlatform:
    """The gRPC stubs bench_assessment's helpers use (org, skp), as the manifest's admin BKN."""

    def __init__(self, addrs: dict[str, str], admin: tuple[str, str]) -> None:
        from kinerja.identity.v1 import identity_pb2, identity_pb2_grpc
        from kinerja.org.v1 import org_pb2_grpc
        from kinerja.skp.v1 import skp_pb2_grpc

        self.addrs = addrs
        self.channels = [grpc.insecure_channel(addrs[s]) for s in ("identity", "org", "skp")]
        identity, org, skp = self.channels
        self.org = org_pb2_grpc.OrgServiceStub(org)
        self.skp = skp_pb2_grpc.SkpServiceStub(skp)
        login = identity_pb2_grpc.IdentityServiceStub(identity).Login(
            identity_pb2.LoginRequest(username=admin[0], password=admin[1]), timeout=30
        )
        self.admin_token = login.tokens.access_token

    def admin(self, instansi_id: str) -> list[tuple[str, str]]:
        return [("authorization", f"Bearer {self.admin_token}"), ("x-instansi-id", instansi_id)]

    def close(self) -> None:
        for channel in self.channels:
            channel.close()


# ---- the small data set ----


def build_small(platform: Platform, addrs: dict[str, str], pegawai: int, units: int, indikator: int, prefill: float,
                started: float) -> dict[str, Any]:  # fmt: skip
    """An instansi of `pegawai` pegawai in `units` unor (bench_assessment's layout: a root, a bidang whose
    head has 30 bawahan, the others' staff spread over the other bidang, each bidang's head their atasan);
    quarterly periode with the final one; every staff member with an approved SKP of `indikator` indikator
    (one RHK intervening their head's), their head the penilai of every perilaku; a `prefill` share of them
    with the final penilaian open and every realisasi in (day five of January: their atasan have work). Every
    one has bench_skp's password. Returns it in the manifest's shape."""
    from kinerja.skp.v1 import skp_pb2

    def progress(what: str) -> None:
        print(f"  {time.monotonic() - started:.0f} s; {what} ...", flush=True)

    progress(f"an instansi of {pegawai} pegawai in {units} unor through org")
    tenant = build_org(platform, pegawai, units, 0, "PUNCAK")
    progress("waiting for identity to open their accounts")
    wait_for_accounts(addrs["postgres"], tenant.pegawai + 1)
    quarterly_periode(platform, tenant)
    final = next(p.id for p in tenant.periode if p.jenis == skp_pb2.JENIS_PERIODE_FINAL)
    pairs = [(b, tenant.atasan) for b in tenant.bawahan]
    pairs += [(s, head) for head, staff in zip(tenant.heads, tenant.staff, strict=True) for s in staff]
    heads = [tenant.atasan, *tenant.heads]
    progress(f"passwords for {len(heads) + len(pairs)} pegawai through identity")
    log_in(platform, tenant.id, [*heads, *(o for o, _ in pairs)])
    progress("the heads' SKPs, then an approved SKP for every staff member through skp")
    rhk = dict(zip([h.id for h in heads], parallel(lambda h: rhk_of_head(platform, h), heads), strict=True))
    owned: list[Owned] = parallel(
        lambda pair: approved_skp(platform, pair[0], pair[1], rhk[pair[1].id], [], indikator), pairs
    )
    chosen = owned[:: max(1, round(1 / prefill))] if prefill > 0 else []
    progress(
        f"{len(chosen)} of them with the final penilaian open and their realisasi in, through assessment"
    )
    parallel(lambda o: _fill(platform, o, final), chosen)
    atasan_of_owner = {o.id: h for o, h in pairs}
    bawahan = {h.id: sum(1 for _, x in pairs if x.id == h.id) for h in heads}
    return {
        "format": 1,
        "generated_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "pegawai_total": tenant.pegawai,
        "instansi": [
            {
                "id": tenant.id,
                "kind": "kabupaten",
                "pegawai": tenant.pegawai,
                "unor": units,
                "samples": {
                    "staff": [
                        {"pegawai_id": o.owner.id, "nip": o.owner.nip, "password": PASSWORD,
                         "atasan_id": atasan_of_owner[o.owner.id].id}
                        for o in owned
                    ],
                    "atasan": [
                        {"pegawai_id": h.id, "nip": h.nip, "password": PASSWORD, "bawahan": bawahan[h.id]} for h in heads
                    ],
                },
            }
        ],
    }  # fmt: skip


def _fill(platform: Platform, owned: Owned, final: str) -> None:
    from kinerja.assessment.v1 import assessment_pb2

    open_penilaian(platform, owned, [final])
    for n, indikator in enumerate(owned.indikator_ids):
        _checked(
            platform.assessment.SetRealisasi,
            assessment_pb2.SetRealisasiRequest(
                penilaian_id=owned.penilaian[final],
                indikator_id=indikator,
                realisasi=assessment_pb2.RealisasiInput(
                    nilai=f"{4 + n % 3}", satuan="Dokumen", keterangan="Isian awal"
                ),
            ),
            owned.owner.md,
        )


def small_population(data: dict[str, Any]) -> Population:
    entry = data["instansi"][0]
    samples = entry["samples"]
    return Population(
        [Pegawai(s["nip"], s["password"], s["pegawai_id"], s["atasan_id"]) for s in samples["staff"]],
        [Atasan(a["nip"], a["password"], a["pegawai_id"]) for a in samples["atasan"]],
        [entry["id"]],
        f"a small data set ({entry['pegawai']} pegawai, {entry['unor']} unor, "
        f"{len(samples['staff'])} with an approved SKP, {len(samples['atasan'])} atasan)",
    )


# ---- before a run ----


def rated_already(admin_url: str, database: str, pegawai_ids: Sequence[str]) -> set[str]:
    """The pegawai whose final penilaian is rated (read from assessment's database, as the lag is): they
    cannot enter realisasi any more, so no sitting is started for them."""
    import psycopg
    from bench_assessment import _database_url

    with psycopg.connect(_database_url(admin_url, database), autocommit=True) as connection:
        rows = connection.execute(
            "select distinct p.pegawai_id::text from penilaian p join periode_proyeksi pp "
            "on pp.instansi_id = p.instansi_id and pp.id = p.periode_id "
            "where p.status = 'DINILAI' and pp.jenis = 'FINAL' and p.pegawai_id = any(%s::uuid[])",
            (list(pegawai_ids),),
        ).fetchall()
    return {r[0] for r in rows}


def lag_owners(gateway: str, people: Sequence[Pegawai]) -> list[Owned]:
    """The pegawai whose SKPs the lag probe changes (kept out of the sittings): logged in, with their approved
    SKP and its indikator, through GraphQL."""
    owners = []
    with httpx.Client(base_url=gateway, timeout=60) as http:

        def ask(query: str, variables: dict[str, Any], token: str = "") -> dict[str, Any]:
            headers = {"Authorization": f"Bearer {token}"} if token else {}
            body = http.post(
                "/graphql", json={"query": query, "variables": variables}, headers=headers
            ).json()
            if body.get("errors"):
                raise RuntimeError(f"preparing the lag probe: {body['errors'][0]}")
            return dict(body["data"])

        for p in people:
            login = ask(LOGIN, {"username": p.nip, "password": p.password})["login"]
            if login["errors"]:
                raise RuntimeError(f"preparing the lag probe: login of {p.nip}: {login['errors'][0]}")
            token = login["tokens"]["accessToken"]
            edges = ask(SKP_LIST, {}, token)["skpList"]["edges"]
            approved = [e["node"] for e in edges if e["node"]["status"] == "DISETUJUI"]
            if not approved:
                continue
            skp = ask(SKP, {"id": max(approved, key=lambda n: n["tahun"])["id"]}, token)["skp"]
            indikator = [i["id"] for r in skp["rhk"] for i in r["indikator"]]
            owners.append(Owned(Person(p.pegawai_id, p.nip, token), skp["id"], indikator))
    return owners


def start_lag_probe(platform: Any, owners: list[Owned], rate: float, databases: dict[str, str]) -> LagProbe:
    """bench_assessment's LagProbe (skp changes through skp's gRPC API, their arrival in assessment's
    projection read from its database), pointed at this stack's database names."""
    import bench_assessment

    names = {f"kinerja_bench_{s}": name for s, name in databases.items()}
    if not hasattr(bench_assessment, "_peak_original_database_url"):
        bench_assessment._peak_original_database_url = bench_assessment._database_url  # type: ignore[attr-defined]
    original = bench_assessment._peak_original_database_url  # type: ignore[attr-defined]
    bench_assessment._database_url = lambda url, database: original(url, names.get(database, database))
    return LagProbe(platform, owners, rate).start()


def assessment_outbox_lag(admin_url: str, database: str, since: float, until: float) -> dict[str, Any]:
    """How long assessment's events (the realisasi, feedback and ratings of the run) waited in its outbox
    until its relay published them: rows created between the two wall-clock times."""
    import psycopg
    from bench_assessment import _database_url

    with psycopg.connect(_database_url(admin_url, database), autocommit=True) as connection:
        row = connection.execute(
            "select count(*), count(*) filter (where sent_at is null), "
            "percentile_cont(0.5) within group (order by extract(epoch from sent_at - created_at)), "
            "percentile_cont(0.99) within group (order by extract(epoch from sent_at - created_at)), "
            "max(extract(epoch from sent_at - created_at)) "
            "from outbox where created_at >= to_timestamp(%s) and created_at < to_timestamp(%s)",
            (since, until),
        ).fetchone()
    assert row is not None
    count, unsent, p50, p99, worst = row
    return {
        "events": count,
        "unsent": unsent,
        "p50_ms": 1000 * float(p50 or 0.0),
        "p99_ms": 1000 * float(p99 or 0.0),
        "max_ms": 1000 * float(worst or 0.0),
    }


def load_json(path: Path) -> dict[str, Any]:
    return dict(json.loads(path.read_text()))


def calibration_contexts(
    gateway: str, people: Sequence[Pegawai], atasan: Sequence[Atasan]
) -> list[dict[str, Any]]:
    """For the calibration: each pegawai logged in, with their approved SKP, the final periode and their open
    penilaian of it (opened when needed), and their atasan logged in."""
    from peak.workload import OPEN_PENILAIAN, PENILAIAN_SAYA, PERIODE_LIST

    heads = {a.pegawai_id: a for a in atasan}
    tokens: dict[str, str] = {}
    contexts = []
    with httpx.Client(base_url=gateway, timeout=60) as http:

        def ask(query: str, variables: dict[str, Any], token: str = "") -> dict[str, Any]:
            headers = {"Authorization": f"Bearer {token}"} if token else {}
            body = http.post(
                "/graphql", json={"query": query, "variables": variables}, headers=headers
            ).json()
            if body.get("errors"):
                raise RuntimeError(f"preparing the calibration: {body['errors'][0]}")
            return dict(body["data"])

        def token_of(nip: str, password: str) -> str:
            if nip not in tokens:
                login = ask(LOGIN, {"username": nip, "password": password})["login"]
                if login["errors"]:
                    raise RuntimeError(f"preparing the calibration: login of {nip}: {login['errors'][0]}")
                tokens[nip] = login["tokens"]["accessToken"]
            return tokens[nip]

        for p in people:
            head = heads.get(p.atasan_id)
            if head is None:
                continue
            token = token_of(p.nip, p.password)
            approved = [
                e["node"]
                for e in ask(SKP_LIST, {}, token)["skpList"]["edges"]
                if e["node"]["status"] == "DISETUJUI"
            ]
            if not approved:
                continue
            skp = ask(SKP, {"id": max(approved, key=lambda n: n["tahun"])["id"]}, token)["skp"]
            final = next(
                x["id"] for x in ask(PERIODE_LIST, {}, token)["periodeList"] if x["jenis"] == "FINAL"
            )
            edges = ask(PENILAIAN_SAYA, {"skpId": skp["id"], "periodeId": final}, token)["penilaianList"][
                "edges"
            ]
            if edges:
                penilaian_id = edges[0]["node"]["id"]
            else:
                opened = ask(OPEN_PENILAIAN, {"skpId": skp["id"], "periodeId": final}, token)["openPenilaian"]
                penilaian_id = opened["penilaian"]["id"]
            contexts.append(
                {
                    "nip": p.nip,
                    "password": p.password,
                    "token": token,
                    "skp_id": skp["id"],
                    "periode_id": final,
                    "penilaian_id": penilaian_id,
                    "indikator_ids": [i["id"] for r in skp["rhk"] for i in r["indikator"]],
                    "atasan_token": token_of(head.nip, head.password),
                }
            )
    return contexts


def postgres_counters(admin_url: str) -> dict[str, Any]:
    """The server's WAL position and, per database, its commits and rows written so far."""
    import psycopg
    from bench_assessment import _database_url

    with psycopg.connect(_database_url(admin_url, "postgres"), autocommit=True) as connection:
        wal = connection.execute("select pg_current_wal_lsn()::text").fetchone()
        rows = connection.execute(
            "select datname, xact_commit, tup_inserted, tup_updated, tup_deleted from pg_stat_database "
            "where datname like 'kinerja%'"
        ).fetchall()
    return {"wal": wal[0] if wal else "0/0", "databases": {r[0]: list(r[1:]) for r in rows}}


def postgres_rates(
    admin_url: str, before: dict[str, Any], after: dict[str, Any], wall: float
) -> dict[str, Any]:
    """Per second between two counters: WAL bytes, and per database commits, rows inserted, updated, deleted."""
    import psycopg
    from bench_assessment import _database_url

    with psycopg.connect(_database_url(admin_url, "postgres"), autocommit=True) as connection:
        row = connection.execute("select pg_wal_lsn_diff(%s, %s)", (after["wal"], before["wal"])).fetchone()
    wal_bytes = float(row[0]) if row else 0.0
    databases = {}
    for name, values in after["databases"].items():
        old = before["databases"].get(name, [0, 0, 0, 0])
        commits, inserted, updated, deleted = ((a - b) / wall for a, b in zip(values, old, strict=True))
        if commits > 0.05:
            databases[name] = {
                "commits": commits,
                "inserted": inserted,
                "updated": updated,
                "deleted": deleted,
            }
    return {"wal_bytes_per_s": wal_bytes / wall, "databases": databases}
