"""`make bench` (fourth part): the read paths at national scale, the big ministry against a kabupaten.

It starts the national stack from `.national/` (the data set of `make seed-national`; made first when
absent, which takes a while: about half an hour at 1,000,000 pegawai on a 2-core machine), logs in as the
sample users of its manifest, and measures through GraphQL, one request in flight, a warm-up first, each
read path in the big ministry (250,000 pegawai and 2,500 unor in a data set of 1,000,000) against the same
in the kabupaten of 10,000: the first page of pegawaiList with its totalCount, a name search ("sari"), a
NIP prefix (a birth year), unorTree two levels from the root, unorChildren of the root, a staff member's
atasan through me, the first page of bawahan of the head with 2,500 direct bawahan (against a head with
about 30), skpList of the instansi (admin) with and without a name filter, and the atasan's inbox. It
prints p50/p95 of each side and the ratio of the p50s against the target (at most 2x). Nothing here
asserts a time.

    .venv/bin/python tests/bench/bench_national.py [--pegawai 1000000] [--duration 5] [--fresh]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import grpc
import httpx
from bench_gateway import _drive, finish_load, start_load

TARGET = 2.0
WARMUP = 2.0

PEGAWAI_PAGE = """
query Pegawai($filter: PegawaiFilter) {
  pegawaiList(first: 20, filter: $filter) {
    totalCount COUNT_EXACT
    pageInfo { hasNextPage endCursor }
    edges { node { id nip nama golongan jabatan { nama jenis jenjang } unor { id nama } } }
  }
}
"""
UNOR_TREE = """
query Tree($root: ID) {
  unorTree(ROOT_ARGS) { id nama jenis eselon parentId SUB_UNOR }
}
"""
UNOR_CHILDREN = """
query Children($parent: ID) {
  unorChildren(parentId: $parent, first: 20) {
    totalCount COUNT_EXACT
    edges { node { id nama jenis SUB_UNOR } }
    pageInfo { hasNextPage endCursor }
  }
}
"""
ATASAN = """
query Atasan {
  me {
    pegawai {
      id nama
      relations {
        atasanLangsung { id nip nama golongan jabatan { nama } unor { nama } }
        atasanIi { id nama }
      }
    }
  }
}
"""
BAWAHAN = """
query Bawahan {
  me { pegawai { id relations { BAWAHAN } } }
}
"""
SKP_LIST = """
query Skp($filter: SkpFilter) {
  skpList(scope: INSTANSI, first: 20, filter: $filter) {
    totalCount COUNT_EXACT
    edges { node { id tahun status pegawai { nip nama } penilai { nama } } }
    pageInfo { hasNextPage endCursor }
  }
}
"""
INBOX = """
query Inbox {
  inbox(jenis: NILAI_BAWAHAN, first: 20) {
    totalCount
    jumlah { jenis jumlah }
    edges { node { jenis penilaianId periodeNama pegawai { nip nama } } }
    pageInfo { hasNextPage endCursor }
  }
}
"""


# ---- the load process (bench_gateway's driver, one request in flight) ----


def load_main(spec: str) -> None:
    args = json.loads(spec)
    args.pop("kind")
    print(json.dumps(asyncio.run(_drive(**args))))


# ---- the schema as the gateway has it ----


@dataclass(frozen=True)
class Schema:
    """Which of the national-scale fields the running gateway offers (they are being added)."""

    fields: dict[str, dict[str, set[str]]]  # type -> field -> argument names

    @classmethod
    def read(cls, base: str) -> Schema:
        query = "{ __schema { types { name fields { name args { name } } } } }"
        body = httpx.post(f"{base}/graphql", json={"query": query}, timeout=30).json()
        types = body["data"]["__schema"]["types"]
        return cls(
            {t["name"]: {f["name"]: {a["name"] for a in f["args"]} for f in t["fields"] or []} for t in types}
        )

    def has(self, type_name: str, field: str, argument: str | None = None) -> bool:
        found = self.fields.get(type_name, {})
        return field in found and (argument is None or argument in found[field])

    def document(self, text: str, connection: str = "") -> str:
        exact = "totalCountExact" if connection and self.has(connection, "totalCountExact") else ""
        sub = "jumlahSubUnor" if self.has("Unor", "jumlahSubUnor") else ""
        if self.has("Relations", "bawahan", "first"):
            bawahan = "bawahan(first: 20) { totalCount edges { node { id nama } } pageInfo { hasNextPage endCursor } }"
        else:
            bawahan = "bawahan { id nama }"
        root = "rootId: $root, depth: 2" if self.has("Query", "unorTree", "rootId") else ""
        return (
            text.replace("COUNT_EXACT", exact)
            .replace("SUB_UNOR", sub)
            .replace("BAWAHAN", bawahan)
            .replace("ROOT_ARGS", root)
            .replace("query Tree($root: ID)", "query Tree($root: ID)" if root else "query Tree")
        )


# ---- logins ----


def login(identity_addr: str, username: str, password: str) -> str:
    from kinerja.identity.v1 import identity_pb2, identity_pb2_grpc

    with grpc.insecure_channel(identity_addr) as channel:
        stub = identity_pb2_grpc.IdentityServiceStub(channel)
        response = stub.Login(identity_pb2.LoginRequest(username=username, password=password), timeout=30)
    return str(response.tokens.access_token)


@dataclass
class Side:
    """One of the two instansi compared: its manifest entry and its users' tokens."""

    entry: dict[str, Any]
    admin: str = ""
    staff: str = ""
    head: str = ""

    @property
    def label(self) -> str:
        return f"{self.entry['nama']} ({self.entry['pegawai']:,} pegawai, {self.entry['unor']:,} unor)"


def sides(manifest: dict[str, Any]) -> tuple[Side, Side]:
    identity = manifest["endpoints"]["identity"]
    by_id = {i["id"]: i for i in manifest["instansi"]}
    out = []
    for key in ("small", "big"):
        entry = by_id[manifest["compare"][key]]
        samples = entry["samples"]
        head = samples["head_big"]
        staff = next(s for s in samples["staff"] if s["atasan_id"] != head["pegawai_id"])
        out.append(
            Side(
                entry,
                admin=login(identity, entry["admin"]["nip"], entry["admin"]["password"]),
                staff=login(identity, staff["nip"], staff["password"]),
                head=login(identity, head["nip"], head["password"]),
            )
        )
    return out[0], out[1]


# ---- the measurements ----


@dataclass(frozen=True)
class Read:
    name: str
    document: str
    user: str  # admin | staff | head
    variables: dict[str, Any]


def reads(schema: Schema, side: Side) -> list[Read]:
    samples = side.entry["samples"]
    root = samples["unor_root"]
    pegawai = schema.document(PEGAWAI_PAGE, "PegawaiConnection")
    skp = schema.document(SKP_LIST, "SkpConnection")
    out = [
        Read("pegawaiList(first: 20) + totalCount", pegawai, "admin", {}),
        Read(f'pegawaiList name "{samples["search_name"]}"', pegawai, "admin", {"filter": {"query": samples["search_name"]}}),
        Read(f'pegawaiList NIP prefix "{samples["nip_prefix"]}"', pegawai, "admin", {"filter": {"query": samples["nip_prefix"]}}),
    ]  # fmt: skip
    if schema.has("Query", "unorTree", "rootId"):
        out.append(
            Read("unorTree(rootId: root, depth: 2)", schema.document(UNOR_TREE), "admin", {"root": root})
        )
    else:
        out.append(Read("unorTree (whole tree)", schema.document(UNOR_TREE), "admin", {}))
    if schema.has("Query", "unorChildren"):
        out.append(Read("unorChildren(root, first: 20)", schema.document(UNOR_CHILDREN, "UnorConnection"), "admin", {"parent": root}))  # fmt: skip
    out += [
        Read("me { relations { atasanLangsung } } (staff)", ATASAN, "staff", {}),
        Read("me relations bawahan(first: 20) of the head", schema.document(BAWAHAN), "head", {}),
        Read("skpList(INSTANSI, first: 20) (admin)", skp, "admin", {}),
        Read(f'skpList(INSTANSI) name "{samples["search_name"]}" (admin)', skp, "admin", {"filter": {"query": samples["search_name"]}}),
        Read("inbox(NILAI_BAWAHAN, first: 20) of the head", INBOX, "head", {}),
    ]  # fmt: skip
    return out


def check(base: str, token: str, read: Read) -> str:
    """ "" when the query answers without errors, else the first error."""
    body = httpx.post(
        f"{base}/graphql",
        json={"query": read.document, "variables": read.variables},
        headers={"Authorization": f"Bearer {token}"},
        timeout=120,
    ).json()
    if "errors" in body:
        return str(body["errors"][0].get("message", body["errors"][0]))[:120]
    return ""


def measure(base: str, token: str, read: Read, duration: float) -> dict[str, Any]:
    spec = {
        "kind": "http",
        "method": "POST",
        "url": f"{base}/graphql",
        "body": {"query": read.document, "variables": read.variables},
        "headers": {"Authorization": f"Bearer {token}"},
        "duration": duration,
        "concurrency": 1,
        "warmup": WARMUP,
    }
    return finish_load(start_load(spec, __file__))


def print_table(
    rows: list[tuple[str, dict[str, Any] | str, dict[str, Any] | str]], small: Side, big: Side
) -> None:
    print()
    print(f"small: {small.label}")
    print(f"big:   {big.label}")
    width = max(len(r[0]) for r in rows) + 2
    print()
    print(
        f"{'query':<{width}} {'small p50':>9} {'p95':>7} {'big p50':>9} {'p95':>7} {'ratio':>6} {'target':>7} {'':>7}"
    )
    met = 0
    for name, small_result, big_result in rows:
        if isinstance(small_result, str) or isinstance(big_result, str):
            problem = small_result if isinstance(small_result, str) else big_result
            print(f"{name:<{width}} error: {problem}")
            continue
        ratio = big_result["p50_ms"] / small_result["p50_ms"] if small_result["p50_ms"] else float("inf")
        ok = ratio <= TARGET
        met += ok
        print(
            f"{name:<{width}} {small_result['p50_ms']:>7.1f}ms {small_result['p95_ms']:>5.1f}ms "
            f"{big_result['p50_ms']:>7.1f}ms {big_result['p95_ms']:>5.1f}ms {ratio:>5.2f}x {'<= 2x':>7} "
            f"{'met' if ok else 'MISSED':>7}"
        )
    print()
    print(
        f"{met} of {len(rows)} read paths within {TARGET:g}x of the kabupaten's p50 (one request in flight, through GraphQL;"
    )
    print(f" {os.cpu_count()} CPUs shared by PostgreSQL, the services, the gateway and the load generator)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--pegawai", type=int, default=1_000_000, help="size of the data set (default 1,000,000)"
    )
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--duration", type=float, default=5.0, help="seconds measured per query and instansi")
    parser.add_argument("--fresh", action="store_true", help="rebuild the data set first")
    parser.add_argument("--data", type=Path, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--load", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.load:
        load_main(args.load)
        return

    from kinerja_testing.national import stack
    from kinerja_testing.national.seed import MANIFEST_FORMAT, Options, read_manifest, seed

    started = time.monotonic()
    data = args.data or stack.DATA
    options = Options(pegawai=args.pegawai, seed=args.seed)
    existing = read_manifest(data)
    usable = (
        existing is not None
        and existing.get("format") == MANIFEST_FORMAT
        and existing["pegawai_total"] == args.pegawai
    )
    if args.fresh or not usable:
        if existing is not None and not args.fresh:
            raise SystemExit(
                f"{data} holds a data set of {existing['pegawai_total']:,} pegawai (seed {existing['seed']}): "
                f"run with --pegawai {existing['pegawai_total']} to measure it, or --fresh to rebuild it with {args.pegawai:,}"
            )
        print(
            f"No national data set of {args.pegawai:,} pegawai in {data}: making it first "
            f"(`make seed-national`; about {max(1, args.pegawai // 40_000)} minutes at this size on this machine) ...",
            flush=True,
        )
        manifest = seed(options, data, fresh=args.fresh)
    else:
        assert existing is not None
        print(
            f"national data set of {existing['pegawai_total']:,} pegawai in {data}; starting its stack ...",
            flush=True,
        )
        stack.start(data)
        manifest = existing
    base = manifest["endpoints"]["gateway"]
    small, big = sides(manifest)
    schema = Schema.read(base)
    rows: list[tuple[str, dict[str, Any] | str, dict[str, Any] | str]] = []
    for small_read, big_read in zip(reads(schema, small), reads(schema, big), strict=True):
        results: list[dict[str, Any] | str] = []
        for side, read in ((small, small_read), (big, big_read)):
            token = getattr(side, read.user)
            problem = check(base, token, read)
            if problem:
                results.append(problem)
                continue
            print(f"measuring {read.name} in {side.entry['kode']}: {args.duration:.0f} s ...", flush=True)
            results.append(measure(base, token, read, args.duration))
        name = big_read.name
        if big_read.user == "head":  # the designated heads: 2,500 bawahan against about 30
            heads = (
                small.entry["samples"]["head_big"]["bawahan"],
                big.entry["samples"]["head_big"]["bawahan"],
            )
            name = f"{name} ({heads[1]:,} vs {heads[0]:,} bawahan)"
        rows.append((name, results[0], results[1]))
    print_table(rows, small, big)
    print(f"\n(whole run {time.monotonic() - started:.0f} s)")


if __name__ == "__main__":
    main()
