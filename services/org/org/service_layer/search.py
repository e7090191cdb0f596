"""SearchPegawai: by NIP digits or at least 3 letters of a name, with filters and keyset pagination."""

from __future__ import annotations

from dataclasses import dataclass

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
from org.adapters.orm import PegawaiRow
from org.adapters.repository import OrgRepository, pegawai_from_row
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


def search_pegawai(uow: UnitOfWork, request: SearchRequest) -> SearchPage:
    """Active pegawai of the caller's instansi matching the filters, ordered by name."""
    caller()
    conditions: list[ColumnElement[bool]] = []
    term = search_term(request.query)
    if term is not None and term[0] == "nip":
        conditions.append(PegawaiRow.nip.startswith(term[1]) | PegawaiRow.nik.startswith(term[1]))
    elif term is not None:
        conditions.append(PegawaiRow.nama.ilike(f"%{escape_like(term[1])}%", escape="\\"))
    if request.jenis_jabatan:
        try:
            jenis = JenisJabatan(request.jenis_jabatan)
        except ValueError as exc:
            raise bad_argument("jenis_jabatan", "JENIS_INVALID", "Jenis jabatan tidak dikenal.") from exc
        conditions.append(PegawaiRow.jabatan_jenis == jenis.name)
    if request.only_pimpinan:
        conditions.append(PegawaiRow.pimpinan.is_(True))
    size = page_size(request.page_size)
    filters = request.fingerprint()
    after = decode_page_token(request.page_token, filters) if request.page_token else None

    with uow.transaction() as tx:
        repo = OrgRepository(tx.session, tx.tenant)
        if request.unor_id.strip():
            unor_id = parse_uuid(request.unor_id.strip())
            if unor_id is None:
                raise bad_argument("unor_id", "INVALID_ID", "Unor tidak valid.")
            tree = repo.tree()
            if unor_id not in tree:
                raise NotFound("UNOR_NOT_FOUND", "Unor tidak ditemukan.")
            units = {unor_id} | (tree.descendants(unor_id) if request.include_sub_unor else set())
            conditions.append(PegawaiRow.unor_id.in_(list(units)))
        rows, total = repo.search(conditions, after, size + 1)
        shown, next_token = split_page(rows, size, lambda r: (r.nama, r.id), filters)
        page = [pegawai_from_row(r) for r in shown]
    return SearchPage(pegawai=page, next_page_token=next_token, total_count=total)
