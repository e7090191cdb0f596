"""The national data set as a plan, before anything is loaded: which instansi, their unor trees, pegawai
(names, NIPs, jabatan, golongan), heads and PLT/PLH, the admins, the sample users and who gets an SKP.

Everything follows from the seed: each instansi draws from its own generator (seeded by the seed and its
kode), ids are UUIDs drawn from it, and NIPs are unique across the nation (one registry, filled in the
instansi's order). A plan made again with the same seed, size and year is the same plan, so loading it
again is harmless (the import RPCs count what exists as unchanged).

The relations (atasan langsung, bawahan) are computed here by org's rules (services/org README,
"Relations") so that the plan knows who rates whom: the head of one's unor, for a head (or in a unit without
one) the head of the nearest unit above that has one, where a unit without a head is led by its PLT/PLH.
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from kinerja.org.v1 import org_pb2
from kinerja_testing.national import names
from kinerja_testing.national.structure import (
    ADMINISTRATOR,
    BPS,
    JPT_MADYA,
    JPT_PRATAMA,
    JPT_UTAMA,
    KEMENAG,
    KEMENIMIPAS,
    KEMENKES,
    KEMENKEU,
    PENGAWAS,
    TEMPLATES,
    Context,
    MinistryProfile,
    Unit,
    apportion,
    build_tree,
    unit_spec,
)

# Bumped whenever the same seed would give other data: a manifest of another version is not reused.
GENERATOR_VERSION = 2

DEFAULT_PEGAWAI = 1_000_000
BIG_PEGAWAI, BIG_UNOR, BIG_BAWAHAN = 250_000, 2_500, 2_500
SMALL_PEGAWAI, SMALL_BAWAHAN = 10_000, 30
SEARCH_NAME, NIP_PREFIX = "sari", "1990"

J_JPT = org_pb2.JENIS_JABATAN_JPT
J_ADMINISTRATOR = org_pb2.JENIS_JABATAN_ADMINISTRATOR
J_PENGAWAS = org_pb2.JENIS_JABATAN_PENGAWAS
J_FUNGSIONAL = org_pb2.JENIS_JABATAN_FUNGSIONAL
J_PELAKSANA = org_pb2.JENIS_JABATAN_PELAKSANA

PLT = org_pb2.JENIS_PLT_PLT
PLH = org_pb2.JENIS_PLT_PLH


@dataclass(frozen=True)
class InstansiSpec:
    """One instansi of the nation: its names, kind, size and its part in the benchmark."""

    kode: str
    nama: str
    kind: str  # kementerian | provinsi | kabupaten
    pegawai: int
    unor: int
    place: str
    kota: str
    role: str = ""  # "big" (the 250,000 ministry), "small" (the kabupaten of 10,000) or ""
    profile: MinistryProfile | None = None

    @property
    def jenis(self) -> str:
        return "PUSAT" if self.kind == "kementerian" else "DAERAH"


# (nama, kode, profile, pegawai at 1,000,000)
MINISTRIES = (
    ("Kementerian Keuangan", "KEMENKEU", KEMENKEU, 80_000),
    ("Kementerian Kesehatan", "KEMENKES", KEMENKES, 50_000),
    ("Kementerian Imigrasi dan Pemasyarakatan", "KEMENIMIPAS", KEMENIMIPAS, 40_000),
    ("Badan Pusat Statistik", "BPS", BPS, 16_000),
)
# (province, pegawai at 1,000,000)
PROVINCES = (
    ("Jawa Barat", 33_000), ("Jawa Timur", 31_000), ("Jawa Tengah", 30_000), ("Sumatera Utara", 29_000),
    ("Sulawesi Selatan", 28_000), ("Daerah Istimewa Yogyakarta", 29_000),
)  # fmt: skip
KABUPATEN_RANGE = (2_000, 10_000)
PROVINCE_CAPITAL = {
    "Jawa Barat": "Bandung", "Jawa Timur": "Surabaya", "Jawa Tengah": "Semarang", "Sumatera Utara": "Medan",
    "Sulawesi Selatan": "Makassar", "Daerah Istimewa Yogyakarta": "Yogyakarta",
}  # fmt: skip


def _unor_for(kind: str, pegawai: int) -> int:
    per_unit = {"kementerian": 100, "provinsi": 60, "kabupaten": 35}[kind]
    return max(5, min(pegawai // 3, round(pegawai / per_unit)))


def national_instansi(total: int, seed: int, most: int | None = None) -> list[InstansiSpec]:
    """The instansi of a data set of `total` pegawai: the big ministry (a quarter, at most 250,000, with
    2,500 unor at 1,000,000), the small kabupaten (1%, at most 10,000), other ministries and provinces
    scaled with the total, and kabupaten/kota of 2,000-10,000 for the rest (fewer and smaller when the
    total is small). `most` caps the number of instansi (the others then share the rest)."""
    rng = random.Random(f"{seed}:instansi")
    scale = total / DEFAULT_PEGAWAI
    big = min(BIG_PEGAWAI, round(total * 0.25))
    small = min(SMALL_PEGAWAI, max(30, round(total * 0.01)))
    specs = [
        InstansiSpec("KEMENAG", "Kementerian Agama", "kementerian", big,
                     max(8, min(big // 3, round(BIG_UNOR * big / BIG_PEGAWAI))), "DKI Jakarta", "Jakarta Pusat",
                     "big", KEMENAG),
        _kabupaten(names.KABUPATEN_KOTA[0], small, "small"),
    ]  # fmt: skip
    others = [_provinsi(province, round(size * min(scale, 1.0))) for province, size in PROVINCES]
    others += [
        InstansiSpec(kode, nama, "kementerian", round(size * min(scale, 1.0)),
                     _unor_for("kementerian", round(size * min(scale, 1.0))), "DKI Jakarta", "Jakarta Pusat",
                     "", profile)
        for nama, kode, profile, size in MINISTRIES
    ]  # fmt: skip
    others = [o for o in others if o.pegawai >= 30]
    rest = total - big - small - sum(o.pegawai for o in others)
    kabupaten = iter(names.KABUPATEN_KOTA[1:])
    low, high = KABUPATEN_RANGE
    while rest >= 30:
        size = rng.randint(low, high)
        if rest <= high:
            size = rest  # the last one takes the rest (the whole of it when it is less than `low`)
        elif rest - size < low:
            size = rest - low  # so that the last one has at least `low`
        place = next(kabupaten, None)
        if place is None:  # the list is used up: a numbered one
            kind_name, base = names.KABUPATEN_KOTA[len(others) % len(names.KABUPATEN_KOTA)]
            place = (kind_name, f"{base} {len(others)}")
        others.append(_kabupaten(place, size, ""))
        rest -= size
    if rest > 0:  # what does not make an instansi goes to the big kabupaten of the list
        biggest = max(range(len(others)), key=lambda i: others[i].pegawai) if others else None
        if biggest is None:
            specs[0] = _resized(specs[0], specs[0].pegawai + rest)
        else:
            others[biggest] = _resized(others[biggest], others[biggest].pegawai + rest)
    if most is not None and len(specs) + len(others) > most:
        others = _fewer(others, max(0, most - len(specs)), total - big - small, rng)
    return specs + [o for o in others if o.pegawai > 0]


def _resized(spec: InstansiSpec, pegawai: int) -> InstansiSpec:
    unor = spec.unor if spec.role == "big" else _unor_for(spec.kind, pegawai)
    return InstansiSpec(
        spec.kode, spec.nama, spec.kind, pegawai, unor, spec.place, spec.kota, spec.role, spec.profile
    )


def _fewer(others: list[InstansiSpec], count: int, pegawai: int, rng: random.Random) -> list[InstansiSpec]:
    """The first `count` of the others (alternating kinds) sharing `pegawai` by their sizes."""
    if count == 0:
        return []
    by_kind: dict[str, list[InstansiSpec]] = {}
    for other in others:
        by_kind.setdefault(other.kind, []).append(other)
    order = ["provinsi", "kabupaten", "kementerian"]
    chosen: list[InstansiSpec] = []
    while len(chosen) < count and any(by_kind.values()):
        for kind in order:
            if by_kind.get(kind) and len(chosen) < count:
                chosen.append(by_kind[kind].pop(0))
    shares = apportion(pegawai, [c.pegawai for c in chosen])
    return [_resized(c, n) for c, n in zip(chosen, shares, strict=True)]


def _kabupaten(place: tuple[str, str], pegawai: int, role: str) -> InstansiSpec:
    kind_name, nama = place
    kode = ("PEMKAB-" if kind_name == "Kabupaten" else "PEMKOT-") + _kode(nama)
    return InstansiSpec(kode, f"Pemerintah {kind_name} {nama}", "kabupaten", pegawai,
                        _unor_for("kabupaten", pegawai), nama, nama, role)  # fmt: skip


def _provinsi(province: str, pegawai: int) -> InstansiSpec:
    return InstansiSpec(f"PEMPROV-{names.PROVINSI_KODE[province]}", f"Pemerintah Provinsi {province}", "provinsi",
                        pegawai, _unor_for("provinsi", pegawai), province, PROVINCE_CAPITAL.get(province, province))  # fmt: skip


def _kode(text: str) -> str:
    return "-".join("".join(c for c in word.upper() if c.isalnum()) for word in text.split())


# ---- people ----


@dataclass(slots=True)
class Person:
    """One pegawai of the plan."""

    id: str
    nip: str
    nama: str
    unit: int
    pimpinan: bool
    jabatan: str
    jenis_jabatan: int
    jenjang: str
    golongan: str
    tmt_jabatan: str


@dataclass(frozen=True)
class PltPlan:
    """A PLT/PLH assignment of a head to a unit without one, in force today."""

    pegawai: int
    unit: int
    jenis: int
    jabatan: str
    tanggal_mulai: str
    tanggal_selesai: str


@dataclass
class Population:
    """One instansi's plan: its unor tree, its pegawai (heads first in each unit), its PLT/PLH, and the
    relations that follow from them."""

    spec: InstansiSpec
    ctx: Context
    units: list[Unit]
    people: list[Person]
    head: list[int]  # per unit: its pimpinan (-1: none)
    plt: list[PltPlan]
    atasan: list[int] = field(default_factory=list)  # per person
    bawahan: list[int] = field(default_factory=list)  # per person: how many have them as atasan langsung
    first_bawahan: list[int] = field(default_factory=list)  # per person: one of them (-1: none)
    admin: int = -1
    designated: int = -1  # the head compared in the benchmark (the 2,500 of the big one, ~30 of the small)
    _leader: list[int] = field(default_factory=list)  # per unit: its head, else its PLT/PLH in force

    def leader(self, unit: int) -> int:
        return self._leader[unit]

    def compute_relations(self) -> None:
        """Atasan langsung and bawahan counts by org's rules (see the module's docstring)."""
        leader = list(self.head)
        for assignment in self.plt:
            if leader[assignment.unit] < 0:
                leader[assignment.unit] = assignment.pegawai
        self._leader = leader
        # the nearest leader strictly above each unit
        above = [-1] * len(self.units)
        for unit in self.units:  # parents first
            if unit.parent >= 0:
                parent_leader = leader[unit.parent]
                above[unit.index] = parent_leader if parent_leader >= 0 else above[unit.parent]
        atasan = [-1] * len(self.people)
        for index, person in enumerate(self.people):
            own = leader[person.unit]
            if person.pimpinan or own < 0 or own == index:
                candidate = above[person.unit]
                upper = self.units[person.unit].parent
                while candidate == index and upper >= 0:  # nobody is their own atasan
                    upper = self.units[upper].parent
                    candidate = above[upper] if upper >= 0 else -1
                atasan[index] = candidate
            else:
                atasan[index] = own
        self.atasan = atasan
        counts = [0] * len(self.people)
        first = [-1] * len(self.people)
        for index, boss in enumerate(atasan):
            if boss >= 0:
                counts[boss] += 1
                if first[boss] < 0:
                    first[boss] = index
        self.bawahan, self.first_bawahan = counts, first

    def model_jpt(self, person: int) -> bool:
        """SKP model JPT: heads of JPT or mandiri units, and JPT jabatan (skp's rule)."""
        p = self.people[person]
        unit = self.units[p.unit]
        jpt_unit = unit.jenis in (JPT_UTAMA, JPT_MADYA, JPT_PRATAMA)
        return (p.pimpinan and (jpt_unit or unit.mandiri)) or p.jenis_jabatan == J_JPT

    def mandiri_head(self, person: int) -> bool:
        p = self.people[person]
        return p.pimpinan and self.units[p.unit].mandiri


# ---- building one instansi's people ----

# Ages by jenjang (a fungsional's jenjang follows years of service).
AGES = {"Pemula": (20, 30), "Terampil": (22, 45), "Mahir": (28, 52), "Penyelia": (35, 58), "Ahli Pertama": (23, 45),
        "Ahli Muda": (30, 55), "Ahli Madya": (40, 58), "Ahli Utama": (48, 59)}  # fmt: skip
CPNS_MONTHS = (1, 1, 2, 3, 3, 4, 12, 12, 6, 10)

_POOL_CACHE: dict[str, list[tuple[str, tuple[str, ...]]]] = {}


def _pool(name: str) -> list[tuple[str, tuple[str, ...]]]:
    """The pool's jabatan, each repeated by its weight (a draw is one index)."""
    if name not in _POOL_CACHE:
        _POOL_CACHE[name] = [
            (nama, jenjang) for nama, jenjang, weight in names.JABATAN_POOLS[name] for _ in range(weight)
        ]
    return _POOL_CACHE[name]


def head_title(unit: Unit) -> str:
    """The jabatan of a unit's head as it is written: Direktur ..., Sekretaris ..., Camat ..., Kepala ..."""
    n = unit.nama
    for prefix, title in (
        ("Direktorat Jenderal ", "Direktur Jenderal "), ("Direktorat ", "Direktur "),
        ("Sekretariat Jenderal", "Sekretaris Jenderal"), ("Sekretariat Utama", "Sekretaris Utama"),
        ("Sekretariat ", "Sekretaris "), ("Inspektorat Jenderal", "Inspektur Jenderal"),
        ("Inspektorat Utama", "Inspektur Utama"), ("Inspektorat ", "Inspektur "), ("Deputi ", "Deputi "),
        ("Kecamatan ", "Camat "), ("Kelurahan ", "Lurah "), ("Rumah Sakit ", "Direktur Rumah Sakit "),
    ):  # fmt: skip
        if n.startswith(prefix):
            return title + n[len(prefix) :]
    return f"Kepala {n}"


def new_uuid(rng: random.Random) -> str:
    """A version 4 UUID drawn from `rng` (as uuid.UUID(int=..., version=4) makes it, faster)."""
    x = (rng.getrandbits(128) & ~(0xF000 << 64) & ~(0xC000 << 48)) | (0x4000 << 64) | (0x8000 << 48)
    h = f"{x:032x}"
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def _pick(rng: random.Random, items: Sequence[str]) -> str:
    return items[int(rng.random() * len(items))]


def _between(rng: random.Random, low: int, high: int) -> int:
    """An integer in [low, high] (random.randint, faster)."""
    return low + int(rng.random() * (high - low + 1))


class PeopleFactory:
    """Draws pegawai: a name of their gender, a NIP unique across the nation, a jabatan of their unit's
    pool with its jenjang and golongan, dates that agree with each other."""

    def __init__(self, nip_registry: dict[int, int], reference: date) -> None:
        self.registry = nip_registry
        self.reference = reference

    def person(self, rng: random.Random, unit: Unit, pool: str, head: bool) -> Person:
        if head:
            nama_jabatan, jenis, jenjang, golongan, age = self._head_jabatan(rng, unit, pool)
        else:
            nama_jabatan, jenis, jenjang, golongan, age = self._staff_jabatan(rng, pool)
        pppk = golongan in names.GOLONGAN_PPPK
        female = rng.random() < 0.53
        nip, cpns = self._nip(rng, age, female, pppk)
        span = (self.reference - cpns).days - 30
        tmt = cpns + timedelta(days=int(rng.random() * span)) if span > 30 else cpns
        return Person(
            id=new_uuid(rng),
            nip=nip,
            nama=self._nama(rng, female, jenjang, jenis),
            unit=unit.index,
            pimpinan=head,
            jabatan=nama_jabatan,
            jenis_jabatan=jenis,
            jenjang=jenjang,
            golongan=golongan,
            tmt_jabatan=tmt.isoformat(),
        )

    def _head_jabatan(self, rng: random.Random, unit: Unit, pool: str) -> tuple[str, int, str, str, int]:
        if unit.jenis in (JPT_UTAMA, JPT_MADYA):
            return head_title(unit), J_JPT, "", rng.choice(names.GOLONGAN_JPT_MADYA), rng.randint(50, 59)
        if unit.jenis == JPT_PRATAMA:
            return head_title(unit), J_JPT, "", rng.choice(names.GOLONGAN_JPT_PRATAMA), rng.randint(45, 58)
        if unit.jenis == ADMINISTRATOR:
            return (
                head_title(unit),
                J_ADMINISTRATOR,
                "",
                rng.choice(names.GOLONGAN_ADMINISTRATOR),
                rng.randint(40, 57),
            )
        if unit.jenis == PENGAWAS:
            return head_title(unit), J_PENGAWAS, "", rng.choice(names.GOLONGAN_PENGAWAS), rng.randint(35, 56)
        # a unit without eselon (a school, a KUA, a ward) is led by a fungsional
        nama = {"guru": "Guru", "keagamaan": "Penghulu", "kesehatan": "Perawat"}.get(pool, "Analis Kebijakan")
        jenjang = "Ahli Madya" if pool in ("guru", "keagamaan") else "Ahli Muda"
        return f"{nama} {jenjang}", J_FUNGSIONAL, jenjang, rng.choice(names.GOLONGAN_BY_JENJANG[jenjang]), rng.randint(40, 58)  # fmt: skip

    def _staff_jabatan(self, rng: random.Random, pool: str) -> tuple[str, int, str, str, int]:
        choices = _pool(pool)
        nama, jenjang_choices = choices[int(rng.random() * len(choices))]
        if not jenjang_choices:
            return nama, J_PELAKSANA, "", _pick(rng, names.GOLONGAN_PELAKSANA), _between(rng, 22, 58)
        jenjang = _pick(rng, jenjang_choices)
        if pool in ("guru", "kesehatan") and rng.random() < 0.15:  # PPPK teachers and health workers
            return (
                f"{nama} {jenjang}",
                J_FUNGSIONAL,
                jenjang,
                _pick(rng, names.GOLONGAN_PPPK),
                _between(rng, 26, 50),
            )
        low, high = AGES[jenjang]
        return f"{nama} {jenjang}", J_FUNGSIONAL, jenjang, _pick(rng, names.GOLONGAN_BY_JENJANG[jenjang]), _between(rng, low, high)  # fmt: skip

    def _nip(self, rng: random.Random, age: int, female: bool, pppk: bool) -> tuple[str, date]:
        """birth date, CPNS (or PPPK) year and month, gender, a sequence not yet taken for that prefix."""
        year_now = self.reference.year
        for _ in range(50):
            born = date.fromordinal(date(year_now - age, 1, 1).toordinal() + int(rng.random() * 365))
            if pppk:
                start_year = _between(
                    rng, max(2019, born.year + 20), max(2019, min(year_now - 1, born.year + age))
                )
                month = 21
                start = date(start_year, (1, 3, 4, 10)[int(rng.random() * 4)], 1)
            else:
                earliest = born.year + 19
                latest = min(year_now - 1, born.year + 35)
                start_year = _between(rng, earliest, max(earliest, latest))
                month = CPNS_MONTHS[int(rng.random() * len(CPNS_MONTHS))]
                start = date(start_year, month, 1)
            key = (
                (born.year * 10000 + born.month * 100 + born.day) * 10_000_000
                + start_year * 1000
                + month * 10
            )
            key += 2 if female else 1
            sequence = self.registry.get(key, 0) + 1
            if sequence <= 999:
                self.registry[key] = sequence
                return f"{key}{sequence:03d}", start
            age = max(22, min(58, age + rng.choice((-1, 1))))
        raise RuntimeError("no free NIP after 50 draws")

    def _nama(self, rng: random.Random, female: bool, jenjang: str, jenis: int) -> str:
        first = names.FEMALE_FIRST if female else names.MALE_FIRST
        second = names.FEMALE_SECOND if female else names.MALE_SECOND
        shape = rng.random()
        if shape < 0.12:
            nama = _pick(rng, first)
        elif shape < 0.78:
            nama = f"{_pick(rng, first)} {_pick(rng, second)}"
        else:
            a, b = _pick(rng, first), _pick(rng, first)
            nama = f"{a} {b} {_pick(rng, second)}" if a != b else f"{a} {_pick(rng, second)}"
        # gelar: degrees follow the jabatan (an ahli or a structural head holds one), some a front title
        if jenjang.startswith("Ahli") or jenis in (J_JPT, J_ADMINISTRATOR, J_PENGAWAS):
            gelar = _pick(rng, names.GELAR_S1)
            if (
                jenis in (J_JPT, J_ADMINISTRATOR)
                or jenjang in ("Ahli Madya", "Ahli Utama")
                or rng.random() < 0.15
            ):
                gelar = f"{gelar}, {_pick(rng, names.GELAR_S2)}"
            nama = f"{nama}, {gelar}"
        elif jenjang in ("Terampil", "Mahir", "Penyelia") or rng.random() < 0.35:
            nama = f"{nama}, {_pick(rng, names.GELAR_D3 if rng.random() < 0.6 else names.GELAR_S1)}"
        if rng.random() < 0.05:
            nama = f"{_pick(rng, names.GELAR_DEPAN_FEMALE if female else names.GELAR_DEPAN_MALE)} {nama}"
        return nama


def build_population(spec: InstansiSpec, seed: int, factory: PeopleFactory, today: date) -> Population:
    """One instansi: its tree, heads (most units; the root of a government has none), PLT/PLH for a share of
    the units without one, staff spread by each unit's weight, the admin and the designated head."""
    rng = random.Random(f"{seed}:{spec.kode}")
    ctx = Context(spec.kind, spec.nama, spec.place, spec.kota, spec.profile)
    units = build_tree(ctx, spec.unor, rng)
    for unit in units:
        unit.id = new_uuid(rng)
    template = TEMPLATES[spec.kind]
    specs = [unit_spec(ctx, unit, units) for unit in units]

    # the designated head and their unit: every child of it headed, its staff making the count exact
    designated_unit = _designated_unit(spec, units)
    forced = {designated_unit, *units[designated_unit].children} if designated_unit >= 0 else set()
    headed = [
        (not template[u.type].headless if u.type in template else True)
        and (u.index in forced or rng.random() < (0.97 if u.level == 1 else 0.9))
        for u in units
    ]
    heads_count = sum(headed)
    staff_total = max(0, spec.pegawai - heads_count)
    target = 0
    if designated_unit >= 0:
        wanted = BIG_BAWAHAN if spec.role == "big" else SMALL_BAWAHAN
        if spec.role == "big":
            wanted = min(BIG_BAWAHAN, max(20, spec.pegawai // 10))
        children = len(units[designated_unit].children)
        target = max(children + 1, min(wanted, staff_total // 2 + children))
    fixed = max(0, target - len(units[designated_unit].children)) if designated_unit >= 0 else 0
    weights = [
        0.0 if i == designated_unit else s[2] * (0.6 + 0.8 * rng.random()) for i, s in enumerate(specs)
    ]
    staff = apportion(staff_total - fixed, weights)
    if designated_unit >= 0:
        staff[designated_unit] = fixed

    people: list[Person] = []
    head = [-1] * len(units)
    for unit in units:
        pool = specs[unit.index][1]
        if headed[unit.index]:
            head[unit.index] = len(people)
            people.append(factory.person(rng, unit, pool, True))
        for _ in range(staff[unit.index]):
            people.append(factory.person(rng, unit, pool, False))

    population = Population(spec, ctx, units, people, head, [])
    population.plt = _plts(population, rng, today, forced)
    population.compute_relations()
    population.designated = head[designated_unit] if designated_unit >= 0 else -1
    population.admin = _admin(population)
    return population


def _designated_unit(spec: InstansiSpec, units: Sequence[Unit]) -> int:
    """The big ministry: a vertical office (its head leads the office's staff and its sections); the small
    kabupaten: a bidang or bagian with a few seksi. Other instansi: none."""
    if spec.role not in ("big", "small"):
        return -1
    wanted = ("kantor",) if spec.role == "big" else ("bidang", "bagian", "sekretariat")
    candidates = [u for u in units if u.type in wanted and u.level >= 1]
    if not candidates:
        candidates = [u for u in units if u.level >= 1] or list(units)
    return min(candidates, key=lambda u: (len(u.children) > 6, -u.level, u.index)).index


def _plts(population: Population, rng: random.Random, today: date, forced: set[int]) -> list[PltPlan]:
    """For about 60% of the units without a head (never the root): a PLT (or PLH) from the heads of its
    sibling units or of its parent, in force from a while ago until months ahead."""
    units, head = population.units, population.head
    designated = {head[u] for u in forced if head[u] >= 0}
    holders: set[int] = set()
    out: list[PltPlan] = []
    for unit in units:
        if unit.parent < 0 or head[unit.index] >= 0 or rng.random() >= 0.6:
            continue
        siblings = [head[s] for s in units[unit.parent].children if head[s] >= 0]
        choices = [h for h in siblings if h not in holders and h not in designated]
        parent_head = head[unit.parent]
        if not choices and parent_head >= 0 and parent_head not in holders and parent_head not in designated:
            choices = [parent_head]
        if not choices:
            continue
        holder = choices[rng.randrange(len(choices))]
        holders.add(holder)
        jenis = PLT if rng.random() < 0.75 else PLH
        title = head_title(unit)
        start = today - timedelta(days=rng.randint(7, 120))
        end = today + timedelta(days=rng.randint(180, 365))
        out.append(PltPlan(holder, unit.index, jenis, f"{'Plt.' if jenis == PLT else 'Plh.'} {title}",
                           start.isoformat(), end.isoformat()))  # fmt: skip
    return out


def _admin(population: Population) -> int:
    """A staff member of the personnel unit (or of the first unit with staff) becomes the admin instansi."""
    people, units = population.people, population.units
    designated_unit = people[population.designated].unit if population.designated >= 0 else -1
    candidates = [i for i, p in enumerate(people) if not p.pimpinan and p.unit != designated_unit]
    if not candidates:
        candidates = [i for i, p in enumerate(people) if i != population.designated] or [0]
    kepegawaian = [i for i in candidates if "Kepegawaian" in units[people[i].unit].nama]
    chosen = (kepegawaian or candidates)[0]
    person = people[chosen]
    if not person.pimpinan:
        person.jabatan, person.jenis_jabatan, person.jenjang = (
            "Analis Sumber Daya Manusia Aparatur Ahli Muda", J_FUNGSIONAL, "Ahli Muda")  # fmt: skip
        if person.golongan not in names.GOLONGAN_BY_JENJANG["Ahli Muda"]:
            person.golongan = "III/c"
    return chosen


# ---- samples and SKP owners ----


@dataclass
class Samples:
    """The sample users of one instansi: atasan (heads) and, under each, staff whose atasan langsung they
    are; every one of them gets an approved SKP and a password."""

    atasan: list[int] = field(default_factory=list)
    staff: dict[int, list[int]] = field(default_factory=dict)  # atasan -> their sample staff


def eligible_owners(population: Population) -> list[bool]:
    """Who can have an approved SKP imported: a mandiri head with a bawahan (to rate their perilaku), a
    JPT with a pejabat penilai, a JA/JF whose pejabat penilai can have one (their RHK intervenes one of
    the penilai's)."""
    n = len(population.people)
    state = [0] * n  # 0 unknown, 1 yes, 2 no

    def check(start: int) -> bool:
        chain: list[int] = []
        person = start
        result = False
        while True:
            if state[person]:
                result = state[person] == 1
                break
            chain.append(person)
            if population.mandiri_head(person):
                result = population.bawahan[person] > 0
                break
            boss = population.atasan[person]
            if boss < 0:
                result = False
                break
            if population.model_jpt(person):
                result = True
                break
            person = boss
        for p in chain:
            state[p] = 1 if result else 2
        return result

    return [check(i) for i in range(n)]


def choose_samples(
    population: Population, wanted: int, eligible: Sequence[bool], rng: random.Random
) -> Samples:
    """`wanted` staff in groups of up to 8 under an atasan each (the designated head first)."""
    samples = Samples()
    if wanted <= 0:
        return samples
    people = population.people
    by_atasan: dict[int, list[int]] = {}
    for index, boss in enumerate(population.atasan):
        if boss >= 0 and not people[index].pimpinan and eligible[index] and not population.model_jpt(index):
            by_atasan.setdefault(boss, []).append(index)
    candidates = [
        a for a, staff in by_atasan.items() if len(staff) >= 2 and eligible[a] and people[a].pimpinan
    ]
    rng.shuffle(candidates)
    if population.designated in by_atasan:
        candidates = [population.designated, *[c for c in candidates if c != population.designated]]
    taken = 0
    for boss in candidates:
        if taken >= wanted:
            break
        group = by_atasan[boss][:]
        rng.shuffle(group)
        group = sorted(group[: min(8, wanted - taken)])
        samples.atasan.append(boss)
        samples.staff[boss] = group
        taken += len(group)
    return samples


def choose_owners(population: Population, share: float, samples: Samples, eligible: Sequence[bool],
                  rng: random.Random) -> list[int]:  # fmt: skip
    """About `share` of the pegawai, every sample user among them, each with the pejabat penilai their
    SKP intervenes (up to a JPT): ordered so that a penilai's SKP comes before their bawahan's."""
    owners: set[int] = set()

    def add(person: int) -> None:
        while person >= 0 and person not in owners:
            owners.add(person)
            if population.model_jpt(person) or population.mandiri_head(person):
                return
            person = population.atasan[person]

    for boss in samples.atasan:
        add(boss)
        for person in samples.staff[boss]:
            add(person)
    target = round(share * len(population.people))
    candidates = [i for i, ok in enumerate(eligible) if ok]
    rng.shuffle(candidates)
    for person in candidates:
        if len(owners) >= target:
            break
        add(person)
    return sorted(owners, key=lambda p: (skp_level(population, p), p))


def skp_level(population: Population, person: int) -> int:
    level = 0
    while not (population.model_jpt(person) or population.mandiri_head(person)):
        person = population.atasan[person]
        level += 1
    return level


def sample_quota(specs: Sequence[InstansiSpec], total: int) -> list[int]:
    """Sample staff per instansi: by size, at least 4 each and 20 for the two compared."""
    shares = apportion(total, [s.pegawai for s in specs])
    return [max(share, 20 if s.role else 4) if total else 0 for share, s in zip(shares, specs, strict=True)]


def iter_batches(items: Sequence[int], size: int) -> Iterator[Sequence[int]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
