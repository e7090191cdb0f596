"""ImportSkp: approved SKPs of the previous system ("SKP hasil migrasi") loaded in bulk by an admin.

One call is one transaction of at most MAX_IMPORT_SKP SKPs, validated whole by the rules of the single
calls (header, RHK, indikator, target bulanan, rencana aksi, penilai perilaku, intervention, submission
gaps), every violation named by its item ("skp[3].rhk[0].indikator[1].target.max"), nothing written
when any is found. Org is read before the transaction, in bulk (one call per ORG_BATCH ids); the rows,
and their events, are written with one multi-row insert each.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any, ParamSpec, TypeVar

from kinerja.skp.v1 import skp_pb2
from kinerja_kit import fields
from kinerja_kit.errors import DomainError, FailedPrecondition, FieldViolation, InvalidArgument, Violations
from kinerja_kit.handlers import caller, require_admin
from kinerja_kit.ids import parse_uuid
from kinerja_kit.org_directory import OrgDirectory, OrgPegawai, OrgRelations, OrgUnor
from skp.adapters.proto import pejabat_pb, skp_pb
from skp.adapters.repository import SkpRepository, now, periode_from_row, skp_from_row
from skp.domain import rules
from skp.domain.model import Indikator, Pejabat, RencanaAksi, Rhk, Skp
from skp.domain.periode import Periode
from skp.domain.values import MIN_YEAR, JenisPenilai, JenisRhk, ModelSkp, NilaiPerilaku, StatusSkp
from skp.service_layer.common import TOPIC_SKP, Deps
from skp.service_layer.roles import _leader, _model, pejabat

MAX_IMPORT_SKP = 500
ORG_BATCH = 1000
"""Most ids in one org Batch* call (org's MAX_BATCH)."""

# Ids left empty in an item are derived from the SKP's id and the item's place, so a repeat makes the
# same ones: uuid5(<skp id>, "rhk[0]"), uuid5(<skp id>, "rhk[0].indikator[1]"), uuid5(<skp id>,
# "rhk[0].rencana_aksi[2]").

# Violations that say the data is fine but the instansi's state refuses it (FAILED_PRECONDITION).
_STATE_CODES = ("IMPORT_CONFLICT", "SKP_SUDAH_ADA")
_GAP_CODES = frozenset(
    {
        "RHK_UTAMA_KOSONG",
        "RHK_TANPA_INDIKATOR",
        "RHK_TANPA_INTERVENSI",
        "INDIKATOR_TANPA_PERSPEKTIF",
        "INDIKATOR_TANPA_ASPEK",
        "INDIKATOR_TANPA_TARGET",
        "PERILAKU_TANPA_PENILAI",
        "PENILAI_TIDAK_ADA",
    }
)

T = TypeVar("T")
P = ParamSpec("P")


# ---- the request, as typed (ids, dates and numbers still text) ----


@dataclass(frozen=True)
class IndikatorItem:
    id: str
    indikator: rules.IndikatorInput
    target_bulanan: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class RencanaItem:
    id: str
    periode_id: str
    teks: str
    target: str = ""
    satuan: str = ""


@dataclass(frozen=True)
class RhkItem:
    id: str
    rhk: rules.RhkInput
    indikator: list[IndikatorItem] = field(default_factory=list)
    rencana_aksi: list[RencanaItem] = field(default_factory=list)


@dataclass(frozen=True)
class PerilakuItem:
    nilai: int
    penilai_jenis: int
    penilai_pegawai_id: str = ""


@dataclass(frozen=True)
class SkpItem:
    id: str
    pegawai_id: str
    tahun: int
    tanggal_mulai: str = ""
    tanggal_selesai: str = ""
    pendekatan: int = 0
    rhk: list[RhkItem] = field(default_factory=list)
    disetujui_at: datetime | None = None
    perilaku: list[PerilakuItem] = field(default_factory=list)
    # A digest of the item as sent (its deterministic serialisation): a repeat is the same item.
    digest: str = ""


@dataclass(frozen=True)
class ImportResult:
    created: int
    unchanged: int


# ---- helpers ----


def _chunks(values: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


class _Org:
    """Org as the import reads it: in bulk, at most ORG_BATCH ids a call, each thing read once."""

    def __init__(self, org: OrgDirectory, as_of: date) -> None:
        self.org = org
        self.as_of = as_of
        self.pegawai: dict[uuid.UUID, OrgPegawai] = {}
        self.unor: dict[uuid.UUID, OrgUnor] = {}
        self.atasan: dict[uuid.UUID, uuid.UUID | None] = {}
        self.lists: dict[uuid.UUID, OrgRelations] = {}
        self._leaders: dict[uuid.UUID, tuple[uuid.UUID, str]] = {}

    def read_pegawai(self, ids: Iterable[uuid.UUID]) -> None:
        wanted = [i for i in dict.fromkeys(ids) if i not in self.pegawai]
        for chunk in _chunks(wanted, ORG_BATCH):
            self.pegawai.update(self.org.pegawai(chunk))

    def read_unor(self, ids: Iterable[uuid.UUID]) -> None:
        wanted = [i for i in dict.fromkeys(ids) if i not in self.unor]
        for chunk in _chunks(wanted, ORG_BATCH):
            self.unor.update(self.org.unor(chunk))

    def read_atasan(self, ids: Iterable[uuid.UUID]) -> None:
        """The atasan langsung of each, read without the bawahan and rekan kerja lists: 1,000 staff of a
        unit of 2,500 would otherwise bring 2.5 million rekan kerja ids."""
        wanted = [i for i in dict.fromkeys(ids) if i not in self.atasan]
        for chunk in _chunks(wanted, ORG_BATCH):
            relations = self.org.relations(chunk, self.as_of, lists=False)
            found = {k: r.atasan_langsung_id for k, r in relations.items()}
            for pegawai_id in chunk:
                self.atasan[pegawai_id] = found.get(pegawai_id)

    def read_lists(self, ids: Iterable[uuid.UUID]) -> None:
        """Relations with their bawahan and rekan kerja (only for SKPs naming such a penilai perilaku)."""
        wanted = [i for i in dict.fromkeys(ids) if i not in self.lists]
        for chunk in _chunks(wanted, ORG_BATCH):
            self.lists.update(self.org.relations(chunk, self.as_of))

    def leader(self, person: OrgPegawai) -> tuple[uuid.UUID, str]:
        """The unit a pejabat penilai leads and the jabatan printed for it (roles._leader, remembered)."""
        if person.id not in self._leaders:
            self._leaders[person.id] = _leader(self.org, person, self.as_of)
        return self._leaders[person.id]


@dataclass
class _Roles:
    pegawai: Pejabat
    unor_id: uuid.UUID
    model: ModelSkp
    mandiri: bool
    penilai: Pejabat | None
    penilai_unor_id: uuid.UUID | None
    atasan_penilai: Pejabat | None


def _read_roles(org: _Org, pegawai_ids: list[uuid.UUID]) -> dict[uuid.UUID, _Roles | str]:
    """The roles of each pegawai's SKP of their own unor as CreateSkp takes them (resolve_roles), read in
    bulk; a code (PEGAWAI_NOT_FOUND, UNOR_NOT_FOUND) where there are none."""
    org.read_pegawai(pegawai_ids)
    org.read_atasan(pegawai_ids)
    penilai_ids = {a for a in (org.atasan.get(i) for i in pegawai_ids) if a is not None}
    org.read_atasan(penilai_ids)
    atasan_penilai_ids = {a for a in (org.atasan.get(i) for i in penilai_ids) if a is not None}
    org.read_pegawai([*penilai_ids, *atasan_penilai_ids])
    units: set[uuid.UUID] = set()
    for pegawai_id in pegawai_ids:
        person = org.pegawai.get(pegawai_id)
        if person is not None:
            units.add(person.unor_id)
    for pegawai_id in penilai_ids | atasan_penilai_ids:
        person = org.pegawai.get(pegawai_id)
        if person is not None:
            units.add(org.leader(person)[0])
    org.read_unor(units)

    def snapshot(pegawai_id: uuid.UUID | None) -> Pejabat | None:
        person = org.pegawai.get(pegawai_id) if pegawai_id else None
        if person is None:
            return None
        unit_id, jabatan = org.leader(person)
        return pejabat(person, org.unor.get(unit_id), jabatan)

    result: dict[uuid.UUID, _Roles | str] = {}
    for pegawai_id in pegawai_ids:
        person = org.pegawai.get(pegawai_id)
        if person is None or not person.active:
            result[pegawai_id] = "PEGAWAI_NOT_FOUND"
            continue
        unit = org.unor.get(person.unor_id)
        if unit is None:
            result[pegawai_id] = "UNOR_NOT_FOUND"
            continue
        model, mandiri = _model(unit, person.pimpinan, person.jabatan_jenis)
        penilai_id = org.atasan.get(pegawai_id)
        penilai = snapshot(penilai_id)
        result[pegawai_id] = _Roles(
            pegawai=pejabat(person, unit),
            unor_id=unit.id,
            model=model,
            mandiri=mandiri,
            penilai=penilai,
            penilai_unor_id=org.leader(org.pegawai[penilai_id])[0] if penilai and penilai_id else None,
            atasan_penilai=snapshot(org.atasan.get(penilai_id)) if penilai and penilai_id else None,
        )
    return result


class _Found:
    """The violations of one call, each under its item's path."""

    def __init__(self) -> None:
        self.items: list[FieldViolation] = []

    def add(self, path: str, code: str, message: str) -> None:
        self.items.append(FieldViolation(path, code, message))

    def run(self, prefix: str, check: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T | None:
        """Runs a single call's validation, its violations moved under `prefix`; None when it refused."""
        try:
            return check(*args, **kwargs)
        except DomainError as error:
            if error.violations:
                for v in error.violations:
                    self.add(_under(prefix, v.field), v.code, v.message)
            else:
                self.add(prefix, error.reason, error.message)
            return None


def _under(prefix: str, path: str) -> str:
    return f"{prefix}.{path}" if prefix and path else prefix or path


_RHK_PATH = re.compile(r"^rhk\[(\d+)\]")


def _gaps(skp: Skp, prefix: str) -> list[FieldViolation]:
    """The submission gaps, with RHK paths by the item's order (submission_gaps counts utama first)."""
    ordered = skp.ordered_rhk()
    position = {r.id: i for i, r in enumerate(skp.isi.rhk)}
    found = []
    for gap in rules.submission_gaps(skp):
        path = _RHK_PATH.sub(lambda m: f"rhk[{position[ordered[int(m.group(1))].id]}]", gap.field)
        found.append(FieldViolation(_under(prefix, path), gap.code, gap.message))
    return found


def _derived(skp_id: uuid.UUID, place: str) -> uuid.UUID:
    return uuid.uuid5(skp_id, place)


def _own_id(
    found: _Found, path: str, value: str, skp_id: uuid.UUID, place: str, seen: set[uuid.UUID]
) -> uuid.UUID:
    v = Violations()
    parsed = fields.reference(v, path, "Id", value)
    for item in v.items:
        found.add(item.field, item.code, item.message)
    chosen = parsed or _derived(skp_id, place)
    if chosen in seen:
        found.add(path or place, "DUPLICATE_ID", "Id ini sudah dipakai butir lain dalam impor yang sama.")
    seen.add(chosen)
    return chosen


@dataclass
class _New:
    """An item to create: where it sits in the call, its aggregate, the RHK ids the caller chose."""

    index: int
    item: SkpItem
    skp: Skp
    chosen_rhk_ids: list[uuid.UUID]


# ---- the handler ----


def import_skp(deps: Deps, items: list[SkpItem]) -> ImportResult:
    """Creates the approved SKPs of `items` (admin instansi, or admin BKN acting for one), all or none."""
    principal = caller()
    require_admin(principal)
    if len(items) > MAX_IMPORT_SKP:
        raise InvalidArgument(
            [FieldViolation("skp", "TOO_MANY", f"Paling banyak {MAX_IMPORT_SKP} SKP dalam satu impor.")]
        )
    if not items:
        return ImportResult(0, 0)
    found = _Found()
    stamp = now()
    today = deps.clock()

    # ids: every SKP names its own, once in the call
    ids: dict[int, uuid.UUID] = {}
    seen_skp: set[uuid.UUID] = set()
    for i, item in enumerate(items):
        parsed = parse_uuid(item.id.strip()) if item.id.strip() else None
        if parsed is None:
            code = "REQUIRED" if not item.id.strip() else "INVALID_ID"
            found.add(f"skp[{i}].id", code, "Id SKP wajib berupa UUID yang dipilih pemanggil.")
        elif parsed in seen_skp:
            found.add(
                f"skp[{i}].id", "DUPLICATE_ID", "Id SKP ini sudah dipakai butir lain dalam impor yang sama."
            )
        else:
            seen_skp.add(parsed)
            ids[i] = parsed
    with deps.uow.transaction() as tx:
        existing = SkpRepository(tx.session, tx.tenant).import_digests(ids.values())
        periode = {r.id: periode_from_row(r) for r in SkpRepository(tx.session, tx.tenant).periode_rows()}
    fresh = [i for i in ids if ids[i] not in existing]

    # org, in bulk, for the pegawai of the SKPs to create
    pegawai_of: dict[int, uuid.UUID] = {}
    for i in fresh:
        raw = items[i].pegawai_id.strip()
        parsed = parse_uuid(raw) if raw else None
        if parsed is None:
            found.add(
                f"skp[{i}].pegawai_id", "REQUIRED" if not raw else "INVALID_ID", "Pegawai wajib dipilih."
            )
        else:
            pegawai_of[i] = parsed
    org = _Org(deps.org, today)
    roles = _read_roles(org, list(dict.fromkeys(pegawai_of.values())))
    listed = [
        pegawai_of[i]
        for i in fresh
        if i in pegawai_of
        and any(
            p.penilai_jenis in (JenisPenilai.BAWAHAN, JenisPenilai.REKAN_KERJA) for p in items[i].perilaku
        )
    ]
    org.read_lists(listed)
    named = (parse_uuid(p.penilai_pegawai_id.strip()) for i in fresh for p in items[i].perilaku)
    org.read_pegawai(n for n in named if n is not None)

    # each SKP as the single calls would build it
    made: list[_New] = []
    seen_inner: set[uuid.UUID] = set()
    for i in fresh:
        if i not in pegawai_of:
            continue
        built = _build(
            found, i, items[i], ids[i], roles[pegawai_of[i]], periode, org, stamp, today, seen_inner
        )
        if built is not None:
            made.append(built)

    with deps.uow.transaction() as tx:
        repo = SkpRepository(tx.session, tx.tenant)
        # one pegawai's SKPs (overlaps), and one id (two calls creating it), are written by one call at a time
        repo.lock_many(
            sorted({f"pegawai:{n.skp.pegawai_id}" for n in made} | {f"skp:{n.skp.id}" for n in made})
        )
        # an id another call stored meanwhile (with the same item: unchanged)
        existing.update(repo.import_digests([n.skp.id for n in made]))
        unchanged = 0
        for i, skp_id in ids.items():
            if skp_id in existing:
                if existing[skp_id] is not None and existing[skp_id] == items[i].digest:
                    unchanged += 1
                else:
                    found.add(
                        f"skp[{i}].id",
                        "IMPORT_CONFLICT",
                        "SKP dengan id ini sudah ada dengan isi lain (atau tidak berasal dari impor).",
                    )
        made = [n for n in made if n.skp.id not in existing]
        _check_against_stored(found, repo, made)
        violations = found.items
        if violations:
            _refuse(violations)
        rows = []
        for new in made:
            rows.append(_approve(tx, new, stamp))
        repo.insert_skp_rows(rows)
        tx.commit()
    return ImportResult(len(made), unchanged)


def _refuse(violations: list[FieldViolation]) -> None:
    message = f"Impor SKP ditolak: {len(violations)} kesalahan ditemukan; tidak ada SKP yang disimpan."
    codes = [v.code for v in violations]
    if any(c not in _STATE_CODES and c not in _GAP_CODES for c in codes):
        raise InvalidArgument(violations, message)
    for code in _STATE_CODES:
        if code in codes:
            raise FailedPrecondition(code, message, violations)
    raise FailedPrecondition("SKP_BELUM_LENGKAP", message, violations)


def _header(found: _Found, prefix: str, item: SkpItem, today: date) -> rules.SkpHeaderFields | None:
    mulai, selesai = item.tanggal_mulai.strip(), item.tanggal_selesai.strip()
    if not mulai and not selesai:
        if not MIN_YEAR <= item.tahun <= today.year + 1:
            found.add(
                f"{prefix}.tahun",
                "INVALID_YEAR" if item.tahun else "REQUIRED",
                f"Tahun SKP wajib diisi ({MIN_YEAR}-{today.year + 1}) bila tanggal tidak diisi.",
            )
            return None
        mulai, selesai = f"{item.tahun:04d}-01-01", f"{item.tahun:04d}-12-31"
    header = found.run(
        prefix, rules.validate_header, rules.SkpHeaderInput(mulai, selesai, item.pendekatan), today
    )
    if header is not None and item.tahun and item.tahun != header.tahun:
        found.add(
            f"{prefix}.tahun",
            "TAHUN_TIDAK_SESUAI",
            f"Tahun SKP ({item.tahun}) tidak sesuai dengan tanggalnya.",
        )
        return None
    return header


def _build(
    found: _Found,
    i: int,
    item: SkpItem,
    skp_id: uuid.UUID,
    roles: _Roles | str,
    periode: dict[uuid.UUID, Periode],
    org: _Org,
    stamp: datetime,
    today: date,
    seen: set[uuid.UUID],
) -> _New | None:
    prefix = f"skp[{i}]"
    before = len(found.items)
    header = _header(found, prefix, item, today)
    if isinstance(roles, str):
        message = (
            "Pegawai tidak ditemukan (atau tidak aktif) di instansi ini."
            if roles == "PEGAWAI_NOT_FOUND"
            else "Unor pegawai tidak ditemukan."
        )
        found.add(f"{prefix}.pegawai_id", roles, message)
        return None
    if header is None:
        return None
    approved_at = item.disetujui_at
    if approved_at is not None:
        if approved_at.tzinfo is None:
            approved_at = approved_at.replace(tzinfo=UTC)
        if approved_at > stamp or approved_at.year < MIN_YEAR:
            found.add(
                f"{prefix}.disetujui_at",
                "INVALID_DATE",
                f"Tanggal persetujuan harus antara tahun {MIN_YEAR} dan saat ini.",
            )
    skp = Skp(
        id=skp_id,
        instansi_id=uuid.UUID(int=0),  # set when written (the tenant of the transaction)
        pegawai_id=roles.pegawai.pegawai_id,
        unor_id=roles.unor_id,
        tahun=header.tahun,
        tanggal_mulai=header.tanggal_mulai,
        tanggal_selesai=header.tanggal_selesai,
        pendekatan=header.pendekatan,
        model=roles.model,
        mandiri=roles.mandiri,
        pegawai=roles.pegawai,
        created_at=stamp,
        updated_at=stamp,
    )
    rules.follow_penilai(skp, roles.penilai, roles.penilai_unor_id, roles.atasan_penilai)
    chosen: list[uuid.UUID] = []
    if len(item.rhk) > rules.RHK_MAX:
        found.add(f"{prefix}.rhk", "BATAS_JUMLAH", f"RHK dalam satu SKP paling banyak {rules.RHK_MAX}.")
    for j, raw in enumerate(item.rhk):
        where = f"{prefix}.rhk[{j}]"
        rhk_id = _own_id(found, f"{where}.id", raw.id, skp_id, f"rhk[{j}]", seen)
        if raw.id.strip():
            chosen.append(rhk_id)
        values = found.run("", rules.validate_rhk, raw.rhk, skp, where)
        rhk = (
            rules.rhk_from_fields(values, None, rhk_id)
            if values
            else Rhk(id=rhk_id, jenis=JenisRhk.UTAMA, teks="-")
        )
        skp.isi.rhk.append(rhk)
        _content(found, where, j, raw, rhk, skp, periode, seen)
    _perilaku(found, prefix, item, skp, org)
    if len(found.items) > before:
        return None
    skp.diajukan_at = skp.disetujui_at = approved_at or stamp
    return _New(i, item, skp, chosen)


def _content(
    found: _Found,
    where: str,
    j: int,
    raw: RhkItem,
    rhk: Rhk,
    skp: Skp,
    periode: dict[uuid.UUID, Periode],
    seen: set[uuid.UUID],
) -> None:
    if len(raw.indikator) > rules.INDIKATOR_PER_RHK_MAX:
        found.add(
            f"{where}.indikator",
            "BATAS_JUMLAH",
            f"Indikator dalam satu RHK paling banyak {rules.INDIKATOR_PER_RHK_MAX}.",
        )
    for k, given in enumerate(raw.indikator):
        path = f"{where}.indikator[{k}]"
        item_id = _own_id(found, f"{path}.id", given.id, skp.id, f"rhk[{j}].indikator[{k}]", seen)
        checked = found.run("", rules.validate_indikator, given.indikator, skp, path)
        if checked is None:
            continue
        item: Indikator = checked
        item.id = item_id
        if given.target_bulanan:
            months = found.run(
                "", rules.validate_target_bulanan, given.target_bulanan, f"{path}.target_bulanan"
            )
            if months is not None:
                for m, value in enumerate(months):
                    if (
                        value is not None
                        and not skp.tanggal_mulai.month <= m + 1 <= skp.tanggal_selesai.month
                    ):
                        found.add(
                            f"{path}.target_bulanan[{m}]",
                            "BULAN_DI_LUAR_SKP",
                            f"Bulan ke-{m + 1} berada di luar masa SKP.",
                        )
                item.target_bulanan = months
        rhk.indikator.append(item)
    if len(raw.rencana_aksi) > rules.RENCANA_AKSI_PER_RHK_MAX:
        found.add(
            f"{where}.rencana_aksi",
            "BATAS_JUMLAH",
            f"Rencana aksi dalam satu RHK paling banyak {rules.RENCANA_AKSI_PER_RHK_MAX}.",
        )
    for k, plan in enumerate(raw.rencana_aksi):
        path = f"{where}.rencana_aksi[{k}]"
        plan_id = _own_id(found, f"{path}.id", plan.id, skp.id, f"rhk[{j}].rencana_aksi[{k}]", seen)
        periode_id = parse_uuid(plan.periode_id.strip())
        raw_input = rules.RencanaAksiInput(str(rhk.id), plan.periode_id, plan.teks, plan.target, plan.satuan)
        known = periode.get(periode_id) if periode_id else None
        values = found.run("", rules.validate_rencana_aksi, raw_input, skp, known, path)
        if values is not None:
            rhk.rencana_aksi.append(
                RencanaAksi(
                    id=plan_id,
                    periode_id=values.periode_id,
                    teks=values.teks,
                    target=values.target,
                    satuan=values.satuan,
                )
            )


def _perilaku(found: _Found, prefix: str, item: SkpItem, skp: Skp, org: _Org) -> None:
    """The penilai of each value: as listed (SetPenilaiPerilaku's rules), else the atasan."""
    listed: set[NilaiPerilaku] = set()
    relations = org.lists.get(skp.pegawai_id)
    for k, given in enumerate(item.perilaku):
        path = f"{prefix}.perilaku[{k}]"
        try:
            nilai = NilaiPerilaku(given.nilai)
        except ValueError:
            found.add(f"{path}.nilai", "REQUIRED", "Nilai perilaku (BerAKHLAK) wajib dipilih.")
            continue
        if nilai in listed:
            found.add(f"{path}.nilai", "DUPLICATE", "Nilai perilaku ini sudah disebut sebelumnya.")
            continue
        listed.add(nilai)
        try:
            kind = JenisPenilai(given.penilai_jenis)
        except ValueError:
            found.add(
                f"{path}.penilai_jenis",
                "REQUIRED",
                "Penilai wajib dipilih: atasan, bawahan atau rekan kerja.",
            )
            continue
        raw = given.penilai_pegawai_id.strip()
        chosen = parse_uuid(raw) if raw else None
        if raw and chosen is None:
            found.add(f"{path}.penilai_pegawai_id", "INVALID_ID", "Pegawai penilai tidak valid.")
            continue
        target = skp.perilaku(nilai)
        if kind == JenisPenilai.ATASAN:
            if skp.penilai is None:
                found.add(
                    f"{path}.penilai_jenis",
                    "PENILAI_TIDAK_ADA",
                    "SKP ini tidak memiliki pejabat penilai untuk dipilih sebagai atasan.",
                )
            elif chosen is not None and chosen != skp.penilai.pegawai_id:
                found.add(
                    f"{path}.penilai_pegawai_id",
                    "BUKAN_ATASAN",
                    "Penilai atasan adalah pejabat penilai SKP ini.",
                )
            continue  # rated by the atasan, as every value not listed
        if chosen is None:
            found.add(
                f"{path}.penilai_pegawai_id",
                "REQUIRED",
                "Pilih pegawai bawahan atau rekan kerja yang menilai.",
            )
            continue
        allowed = (
            (relations.bawahan_ids if kind == JenisPenilai.BAWAHAN else relations.rekan_kerja_ids)
            if relations
            else frozenset()
        )
        if chosen not in allowed:
            label = "bawahan" if kind == JenisPenilai.BAWAHAN else "rekan kerja"
            found.add(
                f"{path}.penilai_pegawai_id",
                "BUKAN_" + kind.name,
                f"Pegawai yang dipilih bukan {label} pegawai ini.",
            )
            continue
        person = org.pegawai.get(chosen)
        target.penilai_jenis, target.penilai_pegawai_id, target.penilai_nama = (
            kind,
            chosen,
            person.nama if person else "",
        )
    if skp.penilai is not None:
        for perilaku in skp.isi.perilaku:
            if perilaku.penilai_jenis is None:  # not listed, or listed as rated by the atasan
                perilaku.penilai_jenis = JenisPenilai.ATASAN
                perilaku.penilai_pegawai_id = skp.penilai.pegawai_id
                perilaku.penilai_nama = skp.penilai.nama


def _check_against_stored(found: _Found, repo: SkpRepository, made: list[_New]) -> None:
    """What needs the stored SKPs (under the pegawai locks): one SKP per pegawai and unit for any day, the
    interventions (an RHK of the pejabat penilai's SKP of the same year, stored or in this call), RHK ids
    no stored SKP holds, and then the submission gaps."""
    if not made:
        return
    pegawai_ids = {n.skp.pegawai_id for n in made}
    penilai_ids = {n.skp.penilai.pegawai_id for n in made if n.skp.penilai is not None}
    years = {n.skp.tahun for n in made}
    dates: dict[tuple[uuid.UUID, int], list[tuple[uuid.UUID, uuid.UUID, date, date]]] = {}
    for row in repo.skp_dates_of(pegawai_ids, years):
        dates.setdefault((row.pegawai_id, row.tahun), []).append(
            (row.id, row.unor_id, row.tanggal_mulai, row.tanggal_selesai)
        )
    for n in made:
        dates.setdefault((n.skp.pegawai_id, n.skp.tahun), []).append(
            (n.skp.id, n.skp.unor_id, n.skp.tanggal_mulai, n.skp.tanggal_selesai)
        )
    for new in made:
        skp, prefix = new.skp, f"skp[{new.index}]"
        for other_id, unor_id, mulai, selesai in dates[(skp.pegawai_id, skp.tahun)]:
            if other_id == skp.id or unor_id != skp.unor_id:
                continue
            if mulai <= skp.tanggal_selesai and skp.tanggal_mulai <= selesai:
                found.add(
                    prefix,
                    "SKP_SUDAH_ADA",
                    f"Pegawai ini sudah memiliki SKP untuk unit kerja ini pada masa "
                    f"{mulai:%d-%m-%Y} s.d. {selesai:%d-%m-%Y}.",
                )
                break
    # the pejabat penilai's SKPs of the year, stored or in this call: the RHK their bawahan intervene
    by_pegawai: dict[tuple[uuid.UUID, int], list[Skp]] = {}
    stored = [skp_from_row(r) for r in repo.skp_rows_of_many(penilai_ids, years)]
    for skp in [*stored, *(n.skp for n in made)]:
        by_pegawai.setdefault((skp.pegawai_id, skp.tahun), []).append(skp)
    held = repo.skp_ids_holding_rhk({r for n in made for r in n.chosen_rhk_ids})
    for new in made:
        for j, rhk in enumerate(new.skp.isi.rhk):
            if held.get(rhk.id, new.skp.id) != new.skp.id:
                found.add(
                    f"skp[{new.index}].rhk[{j}].id", "DUPLICATE_ID", "Id RHK ini sudah dipakai SKP lain."
                )
    in_call = {r.id: n.skp for n in made for r in n.skp.isi.rhk}
    for new in made:
        skp = new.skp
        atasan_skps = by_pegawai.get((skp.penilai.pegawai_id, skp.tahun), []) if skp.penilai else []
        for j, rhk in enumerate(skp.isi.rhk):
            if rhk.atasan_rhk_id is None:
                continue
            wanted = rhk.atasan_rhk_id
            path = f"skp[{new.index}].rhk[{j}].atasan_rhk_id"

            holder: Skp | None = None
            if not any(a.rhk(wanted) is not None for a in atasan_skps):  # refused: say why
                row = None if wanted in in_call else repo.skp_holding_rhk(wanted)
                holder = in_call.get(wanted) or (skp_from_row(row) if row else None)
            resolved = found.run("", rules.resolve_intervention, skp, wanted, atasan_skps, holder, path)
            if resolved is not None:
                rhk.atasan_rhk_teks, rhk.atasan_skp_id = resolved
        found.items.extend(_gaps(skp, f"skp[{new.index}]"))


def _approve(tx: Any, new: _New, stamp: datetime) -> dict[str, Any]:
    """The events of an SKP created, filled, submitted and approved (each with the whole SKP after its
    step), and its row's values."""
    skp = new.skp
    skp.instansi_id = tx.tenant
    approved_at = skp.disetujui_at
    assert approved_at is not None
    by = pejabat_pb(skp.pegawai if skp.mandiri else skp.penilai)
    steps: list[tuple[StatusSkp, Callable[[skp_pb2.Skp], Any]]] = [
        (StatusSkp.DRAFT, lambda pb: skp_pb2.SkpCreated(skp=pb)),
    ]
    if skp.mandiri:
        steps.append(
            (StatusSkp.DISETUJUI, lambda pb: skp_pb2.SkpApproved(skp=pb, otomatis=True, disetujui_oleh=by))
        )
    else:
        steps.append((StatusSkp.DIAJUKAN, lambda pb: skp_pb2.SkpSubmitted(skp=pb)))
        steps.append(
            (StatusSkp.DISETUJUI, lambda pb: skp_pb2.SkpApproved(skp=pb, otomatis=False, disetujui_oleh=by))
        )
    skp.status, skp.version, skp.diajukan_at, skp.disetujui_at = StatusSkp.DRAFT, 1, None, None
    draft = skp_pb(skp)  # built once: each step changes its status, version and dates only
    for version, (status, event) in enumerate(steps, start=1):
        pb = skp_pb2.Skp()
        pb.CopyFrom(draft)
        pb.status, pb.version = int(status), version  # type: ignore[assignment]
        if status != StatusSkp.DRAFT:
            pb.diajukan_at.FromDatetime(approved_at)
        if status == StatusSkp.DISETUJUI:
            pb.disetujui_at.FromDatetime(approved_at)
        tx.emit(TOPIC_SKP, event(pb), aggregate_type="skp", aggregate_id=skp.id, aggregate_version=version)
    skp.status, skp.version = steps[-1][0], len(steps)
    skp.diajukan_at = skp.disetujui_at = approved_at
    return SkpRepository.row_values(skp, stamp, new.item.digest)
