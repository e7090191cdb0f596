"""What the first ten days of January look like through GraphQL, played open loop by driver processes.

Two kinds of sitting, each a script of GraphQL requests a think time apart, started at Poisson arrival
times whatever the answers take (open loop):

- a pegawai enters realisasi: `login`, the home page (`me`, their own `inbox`), "my SKP" (`skpList` scope
  SAYA, then the `skp`), the periode (`periodeList`), their penilaian of the final periode
  (`penilaianList` scope SAYA; `openPenilaian` the first time), then `writes_per_sitting` times the
  penilaian (`penilaian`, the form) and a new value for the next indikator (`setRealisasi`);
- an atasan rates: `login`, `inbox` (NILAI_BAWAHAN, with each bawahan's realisasi), then for up to
  `ratings_per_sitting` bawahan whose realisasi is all in: the `penilaian`, the perilaku feedback the
  atasan owes as the chosen penilai (`setFeedbackPerilaku`), umpan balik on every indikator and every
  perilaku value (`setUmpanBalik`, required before a rating), the rating (`ratePenilaian`), and the inbox
  again.

Every step has an intended send time fixed when its sitting starts (the sitting's start plus the think
times before it). A step goes out at that time, or at once when the previous step answered later, and
its latency is counted from the intended time: a slow answer delays the rest of the sitting and each of
those requests carries the delay (no coordinated omission).

A driver process owns a disjoint share of the pegawai and atasan (an atasan with the bawahan it knows), so
it never rates a penilaian while a sitting of the same pegawai is writing to it, and never starts a
sitting of a pegawai already in one.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import random
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import asdict, dataclass, field
from typing import Any

import httpx
from bench_assessment import SET_REALISASI

# ---- the GraphQL documents (a portal's pages; checked against the gateway's schema by `check_documents`)

LOGIN = """
mutation Login($username: String!, $password: String!) {
  login(username: $username, password: $password) {
    tokens { accessToken expiresIn }
    account { id pegawaiId mustChangePassword }
    errors { field code message }
  }
}
"""
# The home page: who I am, my atasan, and the counts of what I still have to do.
ME = """
query Me {
  me {
    account { id username roles }
    pegawai {
      id nip nama golongan pangkat jabatan { nama jenis jenjang } unor { id nama }
      relations { atasanLangsung { id nip nama } }
    }
  }
}
"""
INBOX_SAYA = """
query InboxSaya {
  inbox(first: 5) {
    totalCount
    jumlah { jenis jumlah }
    edges { node { jenis penilaianId periodeNama batasPengisian keterangan } }
  }
}
"""
SKP_LIST = """
query SkpSaya {
  skpList(scope: SAYA, first: 10) {
    totalCount
    edges { node { id tahun status model pendekatan jumlahRhk jumlahIndikator penilai { nama jabatan } } }
    pageInfo { hasNextPage endCursor }
  }
}
"""
SKP = """
query Skp($id: ID!) {
  skp(id: $id) {
    id tahun status version
    pegawai { nip nama jabatan unorNama }
    penilai { pegawaiId nama jabatan }
    rhk { id jenis teks indikator { id teks aspek target { min max satuan } } }
    perilaku { nilai nama ekspektasi penilaiJenis penilaiPegawaiId penilaiNama }
  }
}
"""
PERIODE_LIST = """
query PeriodeList {
  periodeList { id nama jenis mulai selesai batasPengisian }
}
"""
PENILAIAN_SAYA = """
query PenilaianSaya($skpId: ID!, $periodeId: ID!) {
  penilaianList(scope: SAYA, skpId: $skpId, periodeId: $periodeId, first: 5) {
    edges { node { id status version batasPengisian predikat } }
  }
}
"""
OPEN_PENILAIAN = """
mutation OpenPenilaian($skpId: ID!, $periodeId: ID!) {
  openPenilaian(skpId: $skpId, periodeId: $periodeId) {
    penilaian { id status version }
    errors { field code message }
  }
}
"""
# The penilaian page (the pegawai's form, or the atasan's before feedback and rating).
PENILAIAN = """
query Penilaian($id: ID!) {
  penilaian(id: $id) {
    id status version periodeNama batasPengisian pimpinanUnitKerja predikat
    pegawai { pegawaiId nip nama }
    realisasi { indikatorId indikatorTeks target { min max satuan } nilai satuan keterangan terisi umpanBalik }
    perilaku { nilai nama penilaiJenis penilaiPegawaiId feedback umpanBalik }
    kekurangan { code }
  }
}
"""
# The atasan's list of bawahan to rate, with whether each one's realisasi is in.
INBOX_ATASAN = """
query InboxAtasan($after: String) {
  inbox(jenis: NILAI_BAWAHAN, first: 20, after: $after) {
    totalCount
    jumlah { jenis jumlah }
    edges {
      node {
        jenis penilaianId periodeNama batasPengisian keterangan
        pegawai { pegawaiId nip nama }
        penilaian { id status realisasi { terisi } }
      }
    }
    pageInfo { hasNextPage endCursor }
  }
}
"""
SET_FEEDBACK = """
mutation SetFeedbackPerilaku($penilaianId: ID!, $nilai: NilaiPerilaku!, $feedback: String!) {
  setFeedbackPerilaku(penilaianId: $penilaianId, nilai: $nilai, feedback: $feedback) {
    penilaian { id version }
    errors { field code message }
  }
}
"""
SET_UMPAN_BALIK = """
mutation SetUmpanBalik($penilaianId: ID!, $umpanBalik: String!, $indikatorId: ID, $nilai: NilaiPerilaku) {
  setUmpanBalik(penilaianId: $penilaianId, umpanBalik: $umpanBalik, indikatorId: $indikatorId, nilai: $nilai) {
    penilaian { id version }
    errors { field code message }
  }
}
"""
RATE = """
mutation RatePenilaian($penilaianId: ID!, $hasil: Rating, $perilaku: Rating!) {
  ratePenilaian(penilaianId: $penilaianId, ratingHasilKerja: $hasil, ratingPerilakuKerja: $perilaku) {
    penilaian { id status predikat version }
    errors { field code message }
  }
}
"""

DOCUMENTS = {
    "LOGIN": LOGIN,
    "ME": ME,
    "INBOX_SAYA": INBOX_SAYA,
    "SKP_LIST": SKP_LIST,
    "SKP": SKP,
    "PERIODE_LIST": PERIODE_LIST,
    "PENILAIAN_SAYA": PENILAIAN_SAYA,
    "OPEN_PENILAIAN": OPEN_PENILAIAN,
    "PENILAIAN": PENILAIAN,
    "SET_REALISASI": SET_REALISASI,
    "INBOX_ATASAN": INBOX_ATASAN,
    "SET_FEEDBACK": SET_FEEDBACK,
    "SET_UMPAN_BALIK": SET_UMPAN_BALIK,
    "RATE": RATE,
}


def check_documents() -> None:
    """Every document is valid against the gateway's schema (a renamed field fails here, before a run)."""
    from graphql import parse, validate

    from gateway.api.schema import schema

    for name, text in DOCUMENTS.items():
        errors = validate(schema._schema, parse(text))
        if errors:
            raise SystemExit(
                f"GraphQL document {name} does not fit the gateway's schema: {errors[0].message}"
            )


# ---- the operations, in the order the report shows them ----

OP_LOGIN = "login"
OP_ME = "me (home)"
OP_INBOX_SAYA = "inbox (own tasks)"
OP_SKP_LIST = "skpList SAYA"
OP_SKP = "skp"
OP_PERIODE = "periodeList"
OP_PENILAIAN_SAYA = "penilaianList SAYA"
OP_OPEN = "openPenilaian"
OP_PENILAIAN = "penilaian"
OP_REALISASI = "setRealisasi"
OP_INBOX_ATASAN = "inbox NILAI_BAWAHAN"
OP_FEEDBACK = "setFeedbackPerilaku"
OP_UMPAN_BALIK = "setUmpanBalik"
OP_RATE = "ratePenilaian"
OPERATIONS = (
    OP_LOGIN, OP_ME, OP_INBOX_SAYA, OP_SKP_LIST, OP_SKP, OP_PERIODE, OP_PENILAIAN_SAYA, OP_OPEN, OP_PENILAIAN,
    OP_REALISASI, OP_INBOX_ATASAN, OP_FEEDBACK, OP_UMPAN_BALIK, OP_RATE,
)  # fmt: skip
WRITES = (OP_OPEN, OP_REALISASI, OP_FEEDBACK, OP_UMPAN_BALIK, OP_RATE)

NILAI_PERILAKU = (
    "BERORIENTASI_PELAYANAN",
    "AKUNTABEL",
    "KOMPETEN",
    "HARMONIS",
    "LOYAL",
    "ADAPTIF",
    "KOLABORATIF",
)
RATINGS = ("SESUAI_EKSPEKTASI",) * 7 + ("DI_ATAS_EKSPEKTASI",) * 2 + ("DI_BAWAH_EKSPEKTASI",)


@dataclass(frozen=True)
class Mix:
    """The proportions (docs/scaling.md gives the reasoning): per realisasi write, 1/writes_per_sitting
    pegawai sittings (a login, six page reads, the penilaian opened once) and one read of the penilaian form;
    `ratings_per_write` ratings, `ratings_per_sitting` of them per atasan sitting, each with the feedback
    and umpan balik the rules require first."""

    writes_per_sitting: int = 10
    ratings_per_write: float = 0.05
    ratings_per_sitting: int = 5
    think: float = 1.0  # seconds between two steps of a sitting (uniform between half and 1.5 times)


@dataclass
class Pegawai:
    nip: str
    password: str
    pegawai_id: str
    atasan_id: str = ""
    rated: bool = False
    # learnt by its sittings
    indikator_ids: list[str] = field(default_factory=list)
    filled: set[str] = field(default_factory=set)
    writes: int = 0
    busy: bool = False

    @property
    def ready(self) -> bool:
        """Realisasi in for every indikator (as far as this driver saw), not yet rated."""
        return bool(self.indikator_ids) and not self.rated and self.filled >= set(self.indikator_ids)


@dataclass
class Atasan:
    nip: str
    password: str
    pegawai_id: str
    busy: bool = False


# ---- one driver process ----


class Recorder:
    """Per operation: each request's intended send time (seconds from the common start), its latency (ms,
    from the intended time) and its error code ("" when it succeeded)."""

    def __init__(self) -> None:
        self.requests: dict[str, list[tuple[float, float, str]]] = {op: [] for op in OPERATIONS}
        self.notes: Counter[str] = Counter()

    def record(self, op: str, intended: float, latency: float, code: str) -> None:
        self.requests[op].append((round(intended, 4), round(1000 * latency, 2), code))


class Stop(Exception):
    """A sitting ends early: a step it needs failed, or the run's end came."""


class Sitting:
    """One person's steps; `step` sends one request at its intended time and returns its `data` (None
    when it failed)."""

    def __init__(self, driver: Driver, start: float, gateway: str) -> None:
        self.driver = driver
        self.at = start
        self.gateway = gateway
        self.token = ""

    async def step(self, op: str, query: str, variables: dict[str, Any], need: bool = True) -> Any:
        driver = self.driver
        if self.at >= driver.end:
            raise Stop("end of the run")
        await driver.sleep_until(self.at)
        data = await driver.request(op, self.at, self.gateway, query, variables, self.token)
        self.at += driver.think()
        if data is None and need:
            driver.recorder.notes[f"sittings cut short: {op} failed"] += 1
            raise Stop(op)
        return data


class Driver:
    def __init__(self, spec: dict[str, Any]) -> None:
        self.spec = spec
        self.mix = Mix(**spec["mix"])
        self.rng = random.Random(spec["seed"])
        self.gateways: list[str] = spec["gateways"]
        self.pegawai = [Pegawai(**p) for p in spec["pegawai"]]
        self.atasan = [Atasan(**a) for a in spec["atasan"]]
        self.pegawai_by_id = {p.pegawai_id: p for p in self.pegawai}
        self.bawahan_of: dict[str, list[Pegawai]] = {}
        for p in self.pegawai:
            self.bawahan_of.setdefault(p.atasan_id, []).append(p)
        self.claimed: set[str] = set()  # penilaian being rated
        self.recorder = Recorder()
        self.end = float(spec["warmup"]) + float(spec["duration"])
        self.sittings = 0
        self.final_periode: dict[str, str] = {}
        self.http: httpx.AsyncClient | None = None
        self.origin = 0.0

    # -- time: offsets in seconds from the common start (spec["t0"], wall clock) --

    def now(self) -> float:
        return asyncio.get_running_loop().time() - self.origin

    async def sleep_until(self, at: float) -> None:
        delay = at - self.now()
        if delay > 0:
            await asyncio.sleep(delay)

    def think(self) -> float:
        return self.mix.think * self.rng.uniform(0.5, 1.5)

    # -- one request --

    async def request(
        self, op: str, intended: float, url: str, query: str, variables: dict[str, Any], token: str
    ) -> Any:
        assert self.http is not None
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        code, data = "", None
        try:
            response = await self.http.post(
                f"{url}/graphql", json={"query": query, "variables": variables}, headers=headers
            )
        except httpx.TimeoutException:
            code = "TIMEOUT"
        except httpx.HTTPError as exc:
            code = type(exc).__name__
        else:
            code, data = _outcome(response)
        self.recorder.record(op, intended, self.now() - intended, code)
        if code and self.spec.get("verbose") and self.recorder.notes[f"shown {code}"] < 3:
            self.recorder.notes[f"shown {code}"] += 1
            print(f"[driver {self.spec['index']}] {op} failed: {code}", flush=True)
        return None if code else data

    # -- arrivals --

    async def arrivals(self, rate: float, start: Callable[[float], Awaitable[None]], tasks: set[Any]) -> None:
        """Poisson arrivals at `rate` per second until the end; each starts a sitting at its arrival time."""
        if rate <= 0:
            return
        at = 0.0
        while True:
            at += self.rng.expovariate(rate)
            if at >= self.end:
                return
            await self.sleep_until(at)
            task = asyncio.create_task(start(at))
            tasks.add(task)
            task.add_done_callback(tasks.discard)

    def gateway(self) -> str:
        self.sittings += 1
        return self.gateways[self.sittings % len(self.gateways)]

    # -- the pegawai's sitting --

    async def pegawai_arrives(self, at: float) -> None:
        idle = [p for p in self.pegawai if not p.busy and not p.rated]
        if not idle:
            self.recorder.notes["pegawai sittings not started: every pegawai busy or rated"] += 1
            return
        person = self.rng.choice(idle)
        person.busy = True
        try:
            await self.pegawai_sitting(Sitting(self, at, self.gateway()), person)
        except Stop:
            pass
        finally:
            person.busy = False

    async def login(self, sitting: Sitting, nip: str, password: str) -> dict[str, Any]:
        data = await sitting.step(OP_LOGIN, LOGIN, {"username": nip, "password": password})
        login = data["login"]
        sitting.token = login["tokens"]["accessToken"]
        return dict(login["account"])

    async def pegawai_sitting(self, s: Sitting, p: Pegawai) -> None:
        await self.login(s, p.nip, p.password)
        await s.step(OP_ME, ME, {}, need=False)
        await s.step(OP_INBOX_SAYA, INBOX_SAYA, {}, need=False)
        skps = await s.step(OP_SKP_LIST, SKP_LIST, {})
        approved = [e["node"] for e in skps["skpList"]["edges"] if e["node"]["status"] == "DISETUJUI"]
        if not approved:
            self.recorder.notes["pegawai without an approved SKP (left out)"] += 1
            p.rated = True
            return
        skp_id = max(approved, key=lambda n: n["tahun"])["id"]
        skp = (await s.step(OP_SKP, SKP, {"id": skp_id}))["skp"]
        p.indikator_ids = [i["id"] for r in skp["rhk"] for i in r["indikator"]]
        periode = (await s.step(OP_PERIODE, PERIODE_LIST, {}))["periodeList"]
        final = [x["id"] for x in periode if x["jenis"] == "FINAL"]
        if not final or not p.indikator_ids:
            self.recorder.notes["pegawai without a final periode or an indikator (left out)"] += 1
            p.rated = True
            return
        found = await s.step(OP_PENILAIAN_SAYA, PENILAIAN_SAYA, {"skpId": skp_id, "periodeId": final[0]})
        edges = found["penilaianList"]["edges"]
        if edges:
            penilaian = edges[0]["node"]
        else:
            opened = await s.step(OP_OPEN, OPEN_PENILAIAN, {"skpId": skp_id, "periodeId": final[0]})
            penilaian = opened["openPenilaian"]["penilaian"]
        if penilaian["status"] != "DIBUKA":
            p.rated = True
            self.recorder.notes["pegawai already rated (read only)"] += 1
            await s.step(OP_PENILAIAN, PENILAIAN, {"id": penilaian["id"]}, need=False)
            return
        for _ in range(self.mix.writes_per_sitting):
            await s.step(OP_PENILAIAN, PENILAIAN, {"id": penilaian["id"]}, need=False)
            indikator = p.indikator_ids[p.writes % len(p.indikator_ids)]
            p.writes += 1
            variables = {
                "penilaianId": penilaian["id"],
                "indikatorId": indikator,
                "input": {
                    "nilai": f"{p.writes}.{self.rng.randrange(1, 10)}",
                    "satuan": "Dokumen",
                    "keterangan": f"Realisasi Januari, isian ke-{p.writes}",
                },
            }
            if await s.step(OP_REALISASI, SET_REALISASI, variables, need=False) is not None:
                p.filled.add(indikator)

    # -- the atasan's sitting --

    async def atasan_arrives(self, at: float) -> None:
        idle = [a for a in self.atasan if not a.busy]
        waiting = [
            a for a in idle if any(b.ready and not b.busy for b in self.bawahan_of.get(a.pegawai_id, []))
        ]
        if not idle:
            self.recorder.notes["atasan sittings not started: every atasan busy"] += 1
            return
        person = self.rng.choice(waiting or idle)
        person.busy = True
        try:
            await self.atasan_sitting(Sitting(self, at, self.gateway()), person)
        except Stop:
            pass
        finally:
            person.busy = False

    def _claimable(self, node: dict[str, Any]) -> bool:
        penilaian = node.get("penilaian") or {}
        realisasi = penilaian.get("realisasi") or []
        if penilaian.get("status") != "DIBUKA" or not realisasi or not all(r["terisi"] for r in realisasi):
            return False
        if node["penilaianId"] in self.claimed:
            return False
        owner = self.pegawai_by_id.get((node.get("pegawai") or {}).get("pegawaiId") or "")
        return owner is None or (not owner.busy and not owner.rated)

    async def atasan_sitting(self, s: Sitting, a: Atasan) -> None:
        account = await self.login(s, a.nip, a.password)
        me = account.get("pegawaiId") or a.pegawai_id
        chosen: list[dict[str, Any]] = []
        after: str | None = None
        for _ in range(3):  # up to three pages of the inbox to find bawahan whose realisasi is in
            inbox = (await s.step(OP_INBOX_ATASAN, INBOX_ATASAN, {"after": after}))["inbox"]
            chosen += [e["node"] for e in inbox["edges"] if self._claimable(e["node"])]
            if len(chosen) >= self.mix.ratings_per_sitting or not inbox["pageInfo"]["hasNextPage"]:
                break
            after = inbox["pageInfo"]["endCursor"]
        if not chosen:
            self.recorder.notes["atasan sittings with no bawahan ready to rate"] += 1
            return
        for node in chosen[: self.mix.ratings_per_sitting]:
            owner = self.pegawai_by_id.get((node.get("pegawai") or {}).get("pegawaiId") or "")
            if node["penilaianId"] in self.claimed or (owner is not None and (owner.busy or owner.rated)):
                continue
            self.claimed.add(node["penilaianId"])
            if owner is not None:
                owner.busy = True
            try:
                if await self.rate(s, me, node["penilaianId"]) and owner is not None:
                    owner.rated = True
            finally:
                self.claimed.discard(node["penilaianId"])
                if owner is not None:
                    owner.busy = False
        await s.step(OP_INBOX_ATASAN, INBOX_ATASAN, {"after": None}, need=False)

    async def rate(self, s: Sitting, me: str, penilaian_id: str) -> bool:
        """Feedback, umpan balik and the rating of one bawahan; True when rated."""
        penilaian = (await s.step(OP_PENILAIAN, PENILAIAN, {"id": penilaian_id}))["penilaian"]
        if penilaian is None or penilaian["status"] != "DIBUKA":
            return False
        if penilaian["pimpinanUnitKerja"]:  # rated from the unit's capaian: not this sitting's work
            self.recorder.notes["bawahan heading a unit kerja (not rated)"] += 1
            return False
        for perilaku in penilaian["perilaku"]:
            if perilaku["penilaiPegawaiId"] == me and not perilaku["feedback"]:
                variables = {
                    "penilaianId": penilaian_id,
                    "nilai": perilaku["nilai"],
                    "feedback": f"Menunjukkan perilaku {perilaku['nama'].lower()} yang konsisten sepanjang tahun.",
                }
                await s.step(OP_FEEDBACK, SET_FEEDBACK, variables, need=False)
        for realisasi in penilaian["realisasi"]:
            if not realisasi["umpanBalik"]:
                variables = {
                    "penilaianId": penilaian_id,
                    "indikatorId": realisasi["indikatorId"],
                    "umpanBalik": "Capaian sesuai target; lengkapi bukti dukung pada periode berikutnya.",
                }
                await s.step(OP_UMPAN_BALIK, SET_UMPAN_BALIK, variables, need=False)
        for perilaku in penilaian["perilaku"]:
            if not perilaku["umpanBalik"]:
                variables = {
                    "penilaianId": penilaian_id,
                    "nilai": perilaku["nilai"],
                    "umpanBalik": "Pertahankan dan tularkan kepada rekan kerja.",
                }
                await s.step(OP_UMPAN_BALIK, SET_UMPAN_BALIK, variables, need=False)
        variables = {
            "penilaianId": penilaian_id,
            "hasil": self.rng.choice(RATINGS),
            "perilaku": self.rng.choice(RATINGS),
        }
        return await s.step(OP_RATE, RATE, variables, need=False) is not None

    # -- the whole run --

    async def run(self) -> dict[str, Any]:
        loop = asyncio.get_running_loop()
        self.origin = loop.time() + (float(self.spec["t0"]) - time.time())
        rate = float(self.spec["rate"])  # realisasi writes per second asked of this process
        connections = int(self.spec.get("connections", 512))
        limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
        timeout = httpx.Timeout(float(self.spec.get("timeout", 30.0)))
        tasks: set[Any] = set()
        cpu = time.process_time()
        async with httpx.AsyncClient(limits=limits, timeout=timeout) as http:
            self.http = http
            pegawai_rate = rate / self.mix.writes_per_sitting
            atasan_rate = (
                rate * self.mix.ratings_per_write / self.mix.ratings_per_sitting if self.atasan else 0.0
            )
            await asyncio.gather(
                self.arrivals(pegawai_rate, self.pegawai_arrives, tasks),
                self.arrivals(atasan_rate, self.atasan_arrives, tasks),
            )
            # sittings stop at the end (no step is sent after it); the requests in flight finish
            while tasks:
                await asyncio.gather(*list(tasks), return_exceptions=True)
        return {
            "index": self.spec["index"],
            "requests": self.recorder.requests,
            "notes": dict(self.recorder.notes),
            "cpu_s": time.process_time() - cpu,
            "rated": [p.pegawai_id for p in self.pegawai if p.rated],
        }


def _outcome(response: httpx.Response) -> tuple[str, Any]:
    """The error code of an answer ("" when it succeeded) and its data: an HTTP status, a GraphQL error's
    extensions code, or the first user error of a mutation's payload."""
    if response.status_code != 200:
        return f"HTTP {response.status_code}", None
    try:
        body = response.json()
    except ValueError:
        return "NOT_JSON", None
    if body.get("errors"):
        extensions = body["errors"][0].get("extensions") or {}
        return str(extensions.get("code") or "GRAPHQL_ERROR"), None
    data = body.get("data") or {}
    for payload in data.values():
        if isinstance(payload, dict) and payload.get("errors"):
            return str(payload["errors"][0].get("code") or "USER_ERROR"), None
    return "", data


def drive_main(spec_path: str, out_path: str) -> None:
    """Entry of a driver process: the spec from a file, the result to a file."""
    with open(spec_path) as f:
        spec = json.load(f)
    with contextlib.suppress(ImportError):
        import uvloop

        uvloop.install()
    result = asyncio.run(Driver(spec).run())
    with open(out_path, "w") as f:
        json.dump(result, f)


def spec_of(
    index: int,
    gateways: list[str],
    t0: float,
    warmup: float,
    duration: float,
    rate: float,
    mix: Mix,
    pegawai: list[Pegawai],
    atasan: list[Atasan],
    seed: int,
    verbose: bool,
) -> dict[str, Any]:
    keep = ("nip", "password", "pegawai_id")
    return {
        "index": index,
        "gateways": gateways,
        "t0": t0,
        "warmup": warmup,
        "duration": duration,
        "rate": rate,
        "mix": asdict(mix),
        "seed": seed,
        "verbose": verbose,
        "pegawai": [
            {**{k: getattr(p, k) for k in keep}, "atasan_id": p.atasan_id, "rated": p.rated} for p in pegawai
        ],
        "atasan": [{k: getattr(a, k) for k in keep} for a in atasan],
    }


# ---- calibration: one operation alone, to learn what it costs each process ----

CALIBRATED = (
    OP_LOGIN, OP_ME, OP_INBOX_SAYA, OP_SKP_LIST, OP_SKP, OP_PERIODE, OP_PENILAIAN_SAYA, OP_PENILAIAN, OP_REALISASI,
    OP_INBOX_ATASAN, OP_FEEDBACK, OP_UMPAN_BALIK, OP_RATE,
)  # fmt: skip


def calibration_request(op: str, ctx: dict[str, Any], n: int) -> tuple[str, dict[str, Any], str]:
    """The document, variables and token of the `n`-th call of `op` on a prepared context (a pegawai with
    their token, SKP, final periode and open penilaian, and their atasan's token)."""
    pegawai, atasan = ctx["token"], ctx["atasan_token"]
    nilai = NILAI_PERILAKU[n % len(NILAI_PERILAKU)]
    indikator = ctx["indikator_ids"][n % len(ctx["indikator_ids"])]
    if op == OP_LOGIN:
        return LOGIN, {"username": ctx["nip"], "password": ctx["password"]}, ""
    reads = {
        OP_ME: (ME, {}),
        OP_INBOX_SAYA: (INBOX_SAYA, {}),
        OP_SKP_LIST: (SKP_LIST, {}),
        OP_SKP: (SKP, {"id": ctx["skp_id"]}),
        OP_PERIODE: (PERIODE_LIST, {}),
        OP_PENILAIAN_SAYA: (PENILAIAN_SAYA, {"skpId": ctx["skp_id"], "periodeId": ctx["periode_id"]}),
        OP_PENILAIAN: (PENILAIAN, {"id": ctx["penilaian_id"]}),
    }
    if op in reads:
        return *reads[op], pegawai
    if op == OP_REALISASI:
        value = {"nilai": f"{n}.5", "satuan": "Dokumen", "keterangan": f"Kalibrasi ke-{n}"}
        return (
            SET_REALISASI,
            {"penilaianId": ctx["penilaian_id"], "indikatorId": indikator, "input": value},
            pegawai,
        )
    if op == OP_INBOX_ATASAN:
        return INBOX_ATASAN, {"after": None}, atasan
    if op == OP_FEEDBACK:
        return (
            SET_FEEDBACK,
            {"penilaianId": ctx["penilaian_id"], "nilai": nilai, "feedback": f"Umpan ke-{n}"},
            atasan,
        )
    if op == OP_UMPAN_BALIK:
        # every indikator, then every perilaku value, round and round: after one round a rating is allowed
        k = len(ctx["indikator_ids"])
        m = n % (k + len(NILAI_PERILAKU))
        target = {"indikatorId": ctx["indikator_ids"][m]} if m < k else {"nilai": NILAI_PERILAKU[m - k]}
        return (
            SET_UMPAN_BALIK,
            {"penilaianId": ctx["penilaian_id"], "umpanBalik": f"Catatan ke-{n}", **target},
            atasan,
        )
    if op == OP_RATE:
        return (
            RATE,
            {"penilaianId": ctx["penilaian_id"], "hasil": RATINGS[n % 10], "perilaku": RATINGS[(n * 3) % 10]},
            atasan,
        )
    raise ValueError(op)


async def calibrate(spec: dict[str, Any]) -> dict[str, Any]:
    """`concurrency` workers repeat one operation on the prepared contexts (closed loop): a warm-up, then
    `duration` seconds."""
    driver = Driver({**spec, "pegawai": [], "atasan": [], "mix": {}, "seed": 0, "t0": time.time()})
    op, contexts = spec["op"], spec["contexts"]
    counter = iter(range(10**9))
    limits = httpx.Limits(max_connections=64, max_keepalive_connections=64)
    async with httpx.AsyncClient(limits=limits, timeout=httpx.Timeout(30.0)) as http:
        driver.http = http

        calls = [0] * len(contexts)  # per context, so each walks its indikator and values in turn

        async def worker(index: int, stop_at: float) -> None:
            while driver.now() < stop_at:
                which = next(counter) % len(contexts)
                calls[which] += 1
                query, variables, token = calibration_request(op, contexts[which], calls[which] - 1)
                n = which + calls[which]
                await driver.request(
                    op, driver.now(), spec["gateways"][n % len(spec["gateways"])], query, variables, token
                )

        await asyncio.gather(*(worker(i, float(spec["warmup"])) for i in range(spec["concurrency"])))
        start = driver.now()
        cpu = time.process_time()
        await asyncio.gather(
            *(worker(i, start + float(spec["duration"])) for i in range(spec["concurrency"]))
        )
        wall = driver.now() - start
    every = driver.recorder.requests[op]
    done = [r for r in every if r[0] >= start]
    latencies = sorted(r[1] for r in done)
    return {
        "op": op,
        "requests_all": len(every),
        "requests": len(done),
        "errors": dict(Counter(r[2] for r in done if r[2])),
        "rps": len(done) / wall,
        "p50_ms": latencies[len(latencies) // 2] if latencies else float("nan"),
        "wall": wall,
        "driver_cpu_s": time.process_time() - cpu,
        "driver_total_cpu_s": time.process_time(),
    }


def calibrate_main(spec_path: str, out_path: str) -> None:
    with open(spec_path) as f:
        spec = json.load(f)
    result = asyncio.run(calibrate(spec))
    with open(out_path, "w") as f:
        json.dump(result, f)
