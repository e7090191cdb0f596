"""Queries: a penilaian, many, lists by scope, the inbox; batas extensions (admin)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, timedelta

from assessment.domain import penilaian as rules
from assessment.domain.events import BatasDiperpanjang
from assessment.domain.model import JenisTugas, Penilaian
from assessment.domain.records import Lingkup, PenilaianQuery, Perpanjangan, Tugas
from assessment.service_layer.common import (
    Authority,
    Deps,
    Listed,
    load_penilaian,
    own_pegawai,
    refresh_tugas,
)
from kinerja_kit import fields
from kinerja_kit.errors import FieldViolation, InvalidArgument, NotFound, PermissionDenied, Violations
from kinerja_kit.handlers import caller, parse_ids, require_admin
from kinerja_kit.paging import bad_argument, decode_page_token, fingerprint, page_size, split_page

SCOPES = {1: "SAYA", 2: "BAWAHAN", 3: "INSTANSI"}
STATUS_PENILAIAN = {0: "", 1: "DIBUKA", 2: "DINILAI"}


def get_penilaian(deps: Deps, penilaian_id: str) -> Penilaian:
    """One penilaian the caller may read (others: NOT_FOUND, never a hint that it exists)."""
    return load_penilaian(deps, Authority(deps, caller()), penilaian_id)


def batch_get_penilaian(deps: Deps, ids: list[str]) -> list[Penilaian]:
    """Those of `ids` the caller may read, in order (unknown and unreadable ones skipped)."""
    authority = Authority(deps, caller())
    wanted = parse_ids(ids)
    with deps.stores.transaction() as store:
        found = {p.id: p for p in store.penilaian_many(wanted)}
    readable = {p.id for p in authority.readable(list(found.values()))}
    return [found[i] for i in wanted if i in readable]


def lingkup_of(authority: Authority, scope: int, *, bawahan_kind: str = "BAWAHAN") -> Lingkup:
    """Whose records a list shows for a scope (SAYA when unspecified); INSTANSI is for admins."""
    kind = SCOPES.get(scope or 1)
    if kind is None:
        raise bad_argument("scope", "INVALID_SCOPE", "Lingkup daftar tidak dikenal.")
    if kind == "INSTANSI":
        if not authority.principal.is_admin:
            raise PermissionDenied("ADMIN_REQUIRED", "Hanya admin yang dapat melihat data seluruh instansi.")
        return Lingkup(kind=kind)
    me = own_pegawai(authority.principal)
    if kind == "SAYA":
        return Lingkup(kind=kind, pegawai_id=me)
    return _theirs(authority, bawahan_kind, me)


def _theirs(authority: Authority, kind: str, me: uuid.UUID) -> Lingkup:
    """Whose records the caller rates or answers today: their bawahan first (the relations read with the
    lists), whose answer also names the units they lead, so org is read once."""
    bawahan = authority.bawahan()
    return Lingkup(kind=kind, pegawai_id=me, units=authority.led(), bawahan=bawahan)


@dataclass(frozen=True)
class PenilaianFilter:
    scope: int = 0
    tahun: int = 0
    periode_id: str = ""
    skp_id: str = ""
    status: int = 0
    unit_kerja_id: str = ""


def _optional_id(violations: Violations, path: str, value: str) -> uuid.UUID | None:
    return fields.reference(violations, path, "Id", value)


def list_penilaian(deps: Deps, wanted: PenilaianFilter, size: int, token: str) -> Listed[Penilaian]:
    """A keyset page (by pegawai name) of the caller's, their bawahan's, or (admins) the instansi's, and
    how many there are (counted up to the count limit)."""
    authority = Authority(deps, caller())
    limit = page_size(size)
    violations = Violations()
    periode_id = _optional_id(violations, "periode_id", wanted.periode_id)
    skp_id = _optional_id(violations, "skp_id", wanted.skp_id)
    unit = _optional_id(violations, "unit_kerja_id", wanted.unit_kerja_id)
    violations.raise_if_any()
    if wanted.status not in STATUS_PENILAIAN:
        raise bad_argument("status", "INVALID_STATUS", "Status penilaian tidak dikenal.")
    lingkup = lingkup_of(authority, wanted.scope)
    filters = fingerprint("penilaian", wanted, lingkup.pegawai_id)
    after = decode_page_token(token, filters) if token else None
    query = PenilaianQuery(
        lingkup=lingkup,
        tahun=wanted.tahun,
        periode_id=periode_id,
        skp_id=skp_id,
        status=STATUS_PENILAIAN[wanted.status],
        unit_kerja_id=unit,
    )
    with deps.stores.transaction() as store:
        found = store.list_penilaian(query, after, limit + 1)
        total, exact = store.count_penilaian(query)
    page, next_token = split_page(found, limit, lambda p: (p.skp.pegawai.nama, p.id), filters)
    return Listed(page, next_token, total, exact)


@dataclass(frozen=True)
class Inbox:
    jumlah: dict[JenisTugas, int]
    tugas: list[Tugas]
    next_page_token: str


def get_inbox(deps: Deps, periode_id: str, jenis: int, size: int, token: str) -> Inbox:
    """The caller's tasks: counts of every kind and one page of the kind asked (ISI_REALISASI by default).
    Reads the caller's own tasks by index, so it costs what they have to do, not the instansi's size."""
    authority = Authority(deps, caller())
    me = own_pegawai(authority.principal)
    violations = Violations()
    periode = _optional_id(violations, "periode_id", periode_id)
    violations.raise_if_any()
    try:
        kind = JenisTugas(jenis or JenisTugas.ISI_REALISASI)
    except ValueError:
        raise bad_argument("jenis", "INVALID_JENIS", "Jenis tugas tidak dikenal.") from None
    limit = page_size(size)
    inbox = _theirs(authority, "INBOX", me)
    filters = fingerprint("inbox", periode_id, int(kind), me)
    after = decode_page_token(token, filters)[1] if token else None
    day = deps.clock()
    with deps.stores.transaction() as store:
        jumlah = store.inbox_counts(inbox, periode, day)
        found = store.inbox_page(inbox, kind, periode, day, after, limit + 1)
    page, next_token = split_page(found, limit, lambda t: ("", t.id), filters)
    return Inbox({j: jumlah.get(j, 0) for j in JenisTugas}, page, next_token)


@dataclass(frozen=True)
class ExtendInput:
    periode_id: str
    tahun: int
    pegawai_id: str
    unor_id: str
    batas_baru: str
    alasan: str


def extend_batas(deps: Deps, given: ExtendInput) -> Perpanjangan:
    """An admin extends a periode's batas pengisian for one pegawai or one unit (recorded with who and why);
    the open penilaian it applies to get the new batas in their tasks."""
    principal = caller()
    require_admin(principal)
    violations = Violations()
    periode_id = fields.reference(violations, "periode_id", "Periode", given.periode_id)
    pegawai_id = fields.reference(violations, "pegawai_id", "Pegawai", given.pegawai_id)
    unor_id = fields.reference(violations, "unor_id", "Unit", given.unor_id)
    if not given.periode_id.strip():
        violations.add("periode_id", "REQUIRED", "Periode wajib dipilih.")
    # Each field is judged on what was sent, so every mistake is reported at once.
    if bool(given.pegawai_id.strip()) == bool(given.unor_id.strip()):
        violations.add("pegawai_id", "TARGET_REQUIRED", "Pilih tepat satu: pegawai atau unit.")
    alasan = fields.text(violations, "alasan", "Alasan", given.alasan, max_len=1000, required=True)
    try:
        batas = date.fromisoformat(given.batas_baru.strip())
    except ValueError:
        violations.add("batas_baru", "INVALID_DATE", "Tanggal batas baru tidak valid (YYYY-MM-DD).")
        batas = None
    fields.tahun(given.tahun, deps.clock(), violations=violations)
    violations.raise_if_any()
    assert periode_id is not None and batas is not None
    oleh = Authority(deps, principal).pelaku()
    # The pegawai must be one org knows in the caller's instansi (read with the caller's token).
    if pegawai_id is not None and pegawai_id not in deps.org.pegawai([pegawai_id]):
        raise NotFound("PEGAWAI_NOT_FOUND", "Pegawai tidak ditemukan di instansi ini.")
    with deps.stores.transaction() as store:
        periode = store.periode(periode_id)
        if periode is None:
            raise NotFound(*rules.PERIODE_NOT_FOUND)
        if unor_id is not None and store.unor(unor_id) is None:
            raise NotFound("UNOR_NOT_FOUND", "Unit tidak ditemukan di instansi ini.")
        own = periode.batas(given.tahun)
        if batas <= own or batas > own + timedelta(days=366):
            raise InvalidArgument(
                [
                    FieldViolation(
                        "batas_baru",
                        "BATAS_TIDAK_VALID",
                        f"Batas baru harus setelah batas periode ({own:%d-%m-%Y}) dan paling lama setahun sesudahnya.",
                    )
                ]
            )
        item = Perpanjangan(
            id=store.new_id(),
            instansi_id=periode.instansi_id,
            periode_id=periode_id,
            tahun=given.tahun,
            pegawai_id=pegawai_id,
            unor_id=unor_id,
            batas_baru=batas,
            alasan=alasan,
            oleh=oleh,
            created_at=deps.now(),
        )
        store.add_perpanjangan(item)
        for affected in store.open_penilaian_for(periode_id, given.tahun, pegawai_id, unor_id):
            found = store.penilaian(affected)
            if found is not None:
                refresh_tugas(store, found)
        store.emit(BatasDiperpanjang(item))
        store.commit()
        return item


def list_perpanjangan(deps: Deps, periode_id: str, tahun: int, size: int, token: str) -> Listed[Perpanjangan]:
    """The extensions of the instansi (admins), oldest first, paged, and how many (up to the limit)."""
    if not caller().is_admin:
        raise PermissionDenied(
            "ADMIN_REQUIRED", "Hanya admin yang dapat melihat perpanjangan batas pengisian."
        )
    violations = Violations()
    periode = _optional_id(violations, "periode_id", periode_id)
    violations.raise_if_any()
    limit = page_size(size)
    filters = fingerprint("perpanjangan", periode_id, tahun)
    after = decode_page_token(token, filters)[1] if token else None
    with deps.stores.transaction() as store:
        found = store.list_perpanjangan(periode, tahun, after, limit + 1)
        total, exact = store.count_perpanjangan(periode, tahun)
    page, next_token = split_page(found, limit, lambda p: ("", p.id), filters)
    return Listed(page, next_token, total, exact)
