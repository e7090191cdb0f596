"""SearchPegawai: by NIP digits or at least 3 letters of a name, with filters and keyset pagination.

Every page costs its own rows, not the instansi: a name fragment is served by the trigram index (or, when
it is common, by walking `pegawai_by_nama` in order), a NIP/NIK prefix is a range of `pegawai_by_nomor`
listed in its order, a unor with its sub unor is one recursive query for the subtree's ids, and the total
stops counting at the kit's COUNT_LIMIT (`total_count_exact` false past it)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement

from kinerja_kit.db import UnitOfWork
from kinerja_kit.errors import NotFound
from kinerja_kit.ids import parse_uuid
from kinerja_kit.paging import (
    bad_argument,
    decode_page_token,
    escape_like,
    fingerprint,
    page_size,
    search_term,
    split_page,
)
from org.adapters.orm import pegawai_search as view
from org.adapters.repository import OrgRepository, among, pegawai_from_row
from org.domain.pegawai import Pegawai
from org.domain.values import JenisJabatan
from org.service_layer.common import caller


@dataclass(frozen=True)
class SearchRequest:
    """The filters of one search; the page token must come from the same filters."""

    query: str = ""
    unor_id: str = ""
    include_sub_unor: bool = False
    jenis_jabatan: int = 0
    only_pimpinan: bool = False
    page_size: int = 0
    page_token: str = ""

    def fingerprint(self) -> str:
        return fingerprint(
            " ".join(self.query.split()).casefold(), self.unor_id.strip(), self.include_sub_unor,
            self.jenis_jabatan, self.only_pimpinan,
        )  # fmt: skip


@dataclass(frozen=True)
class SearchPage:
    """One page of results."""

    pegawai: list[Pegawai]
    next_page_token: str
    total_count: int
    total_count_exact: bool = True


def next_prefix(prefix: str) -> str:
    """The least string above every string starting with `prefix` (digits here), in byte order."""
    return prefix[:-1] + chr(ord(prefix[-1]) + 1)


def search_pegawai(uow: UnitOfWork, request: SearchRequest) -> SearchPage:
    """Active pegawai of the caller's instansi matching the filters, ordered by name (by NIP for a NIP
    search)."""
    caller()
    conditions: list[ColumnElement[bool]] = []
    term = search_term(request.query)
    order: tuple[Any, Any] = (view.c.nama, view.c.id)
    if term is not None and term[0] == "nip":
        # NIP (or NIK) prefix: a range of the C-ordered index, which is also the list's order
        order = (view.c.nomor, view.c.id)
        conditions += [view.c.nomor >= term[1], view.c.nomor < next_prefix(term[1])]
    elif term is not None:
        conditions.append(view.c.nama.ilike(f"%{escape_like(term[1])}%", escape="\\"))
    if request.jenis_jabatan:
        try:
            jenis = JenisJabatan(request.jenis_jabatan)
        except ValueError as exc:
            raise bad_argument("jenis_jabatan", "JENIS_INVALID", "Jenis jabatan tidak dikenal.") from exc
        conditions.append(view.c.jabatan_jenis == jenis.name)
    if request.only_pimpinan:
        conditions.append(view.c.pimpinan.is_(True))
    size = page_size(request.page_size)
    filters = request.fingerprint()
    after = decode_page_token(request.page_token, filters) if request.page_token else None

    with uow.transaction() as tx:
        repo = OrgRepository(tx.session, tx.tenant)
        if request.unor_id.strip():
            unor_id = parse_uuid(request.unor_id.strip())
            if unor_id is None:
                raise bad_argument("unor_id", "INVALID_ID", "Unor tidak valid.")
            if request.include_sub_unor:
                units = repo.subtree(unor_id)  # ids only: the subtree, never the whole tree
                conditions.append(among(view.c.unor_id, units))
            else:
                units = {unor_id: 0} if repo.unor_row(unor_id) is not None else {}
                conditions.append(view.c.unor_id == unor_id)
            if unor_id not in units:
                raise NotFound("UNOR_NOT_FOUND", "Unor tidak ditemukan.")
        rows, (total, exact) = repo.search(conditions, order, after, size + 1)
        by_nip = term is not None and term[0] == "nip"
        shown, next_token = split_page(
            rows, size, lambda r: ((r.nip or r.nik or "") if by_nip else r.nama, r.id), filters
        )
        page = [pegawai_from_row(r) for r in shown]
    return SearchPage(pegawai=page, next_page_token=next_token, total_count=total, total_count_exact=exact)
