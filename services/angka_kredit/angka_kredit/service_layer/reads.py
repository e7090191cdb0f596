"""Reads: one PAK, a batch, the SK file, the lists, the pengaturan and the rules."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Select, select, true

from angka_kredit.adapters import orm
from angka_kredit.adapters.repository import Berkas, Pengaturan
from angka_kredit.domain.aturan import AturanAngkaKredit, aturan_pada
from angka_kredit.domain.errors import PAK_NOT_FOUND, PakTidakDitemukan
from angka_kredit.domain.model import Pak, StatusPak
from angka_kredit.service_layer.common import Deps, is_admin, readable
from kinerja_kit import fields, paging
from kinerja_kit.errors import PermissionDenied, Violations
from kinerja_kit.handlers import caller, parse_id, parse_ids


def get_pak(deps: Deps, pak_id: str) -> Pak:
    wanted = parse_id(pak_id, *PAK_NOT_FOUND)
    with deps.store() as store:
        return readable(deps, store.get(wanted))


def batch_get_pak(deps: Deps, ids: list[str]) -> list[Pak]:
    wanted = parse_ids(ids)
    principal = caller()
    with deps.store() as store:
        found = store.get_many(wanted)
    if is_admin(principal):
        return found
    own = [p for p in found if p.pegawai_id == principal.pegawai_id]
    others = [p for p in found if p.pegawai_id != principal.pegawai_id]
    if not others or principal.pegawai_id is None:
        return own
    relations = deps.org.relations({p.pegawai_id for p in others}, deps.clock(), lists=False)
    led = {pid for pid, r in relations.items() if r.atasan_langsung_id == principal.pegawai_id}
    return [p for p in found if p.pegawai_id == principal.pegawai_id or p.pegawai_id in led]


def get_sk(deps: Deps, pak_id: str) -> Berkas:
    wanted = parse_id(pak_id, *PAK_NOT_FOUND)
    with deps.store() as store:
        readable(deps, store.get(wanted))
        berkas = store.berkas(wanted)
    if berkas is None:
        raise PakTidakDitemukan()
    return berkas


def get_pengaturan(deps: Deps) -> Pengaturan:
    caller()
    with deps.store() as store:
        return store.pengaturan()


def get_aturan(deps: Deps, tanggal: str) -> AturanAngkaKredit:
    caller()
    if not tanggal.strip():
        return aturan_pada(deps.clock())
    try:
        return aturan_pada(date.fromisoformat(tanggal.strip()))
    except ValueError:
        raise fields.refuse("tanggal", "INVALID_DATE", "Tanggal harus YYYY-MM-DD.") from None


# ---- lists ----

SAYA, INSTANSI, PERSETUJUAN = 1, 2, 3


@dataclass(frozen=True)
class ListFilter:
    scope: int
    tahun: int
    query: str
    jabatan: str
    status: str
    sumber: str
    perlu_pak_baru: bool
    pegawai_id: str


@dataclass
class Page:
    items: list[Pak]
    next_token: str
    total: int
    exact: bool


def list_pak(deps: Deps, f: ListFilter, size: int, token: str) -> Page:
    principal = caller()
    scope = f.scope or SAYA
    violations = Violations()
    pegawai = fields.reference(violations, "pegawai_id", "Pegawai", f.pegawai_id)
    violations.raise_if_any()
    tahun = (
        fields.tahun(f.tahun, deps.clock(), optional=scope != INSTANSI) if f.tahun or scope != INSTANSI else 0
    )
    if scope == INSTANSI and not tahun:
        tahun = deps.clock().year
    term = paging.search_term(f.query)
    jabatan = fields.search_query(f.jabatan, path="jabatan")
    if jabatan and sum(c.isalpha() for c in jabatan) < paging.MIN_QUERY:
        raise paging.bad_argument("jabatan", "QUERY_TOO_SHORT", "Ketik minimal 3 huruf jabatan.")
    size = paging.page_size(size)
    by_nip = term is not None and term[0] == "nip"
    table = orm.pak_cari if (term is not None and term[0] == "nama") or jabatan else orm.pak
    c = table.c
    query: Select[Any] = select(table)
    if scope == SAYA:
        if principal.pegawai_id is None:
            return Page([], "", 0, True)
        query = query.where(c.pegawai_id == principal.pegawai_id)
    elif scope == INSTANSI:
        if not is_admin(principal):
            raise PermissionDenied("ADMIN_REQUIRED", "Hanya admin instansi yang dapat melihat PAK instansi.")
    elif scope == PERSETUJUAN:
        if principal.pegawai_id is None:
            return Page([], "", 0, True)
        query = query.where(c.penilai_id == principal.pegawai_id, c.status == StatusPak.DIAJUKAN.name)
    else:
        raise fields.refuse("scope", "INVALID_SCOPE", "Cakupan daftar tidak valid.")
    if tahun:
        query = query.where(c.tahun == tahun)
    if term is not None:
        kind, value = term
        if kind == "nip":
            query = query.where(c.nip.like(paging.escape_like(value) + "%"))
        else:
            query = query.where(c.nama.ilike("%" + paging.escape_like(value) + "%"))
    if jabatan:
        query = query.where(c.jabatan.ilike("%" + paging.escape_like(jabatan) + "%"))
    if f.status:
        query = query.where(c.status == f.status)
    if f.sumber:
        query = query.where(c.sumber == f.sumber)
    if f.perlu_pak_baru:
        query = query.where(c.perlu_pak_baru.is_(true()))
    if pegawai is not None:
        query = query.where(c.pegawai_id == pegawai)
    key = c.nip if by_nip else c.nama
    filters = paging.fingerprint(
        scope, tahun, term, jabatan, f.status, f.sumber, f.perlu_pak_baru, str(pegawai)
    )
    with deps.store() as store:
        total, exact = paging.bounded_count(store.session, query)
        if token:
            after, last_id = paging.decode_page_token(token, filters)
            query = query.where((key > after) | ((key == after) & (c.id > last_id)))
        rows = store.page(query.order_by(key, c.id).limit(size + 1))
    items, next_token = paging.split_page(
        rows, size, lambda p: ((p.nip if by_nip else p.nama), p.id), filters
    )
    return Page(items, next_token, total, exact)
