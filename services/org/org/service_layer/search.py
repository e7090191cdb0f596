"""SearchPegawai: by NIP digits or at least 3 letters of a name, with filters and keyset pagination."""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import uuid
from dataclasses import dataclass

from sqlalchemy import ColumnElement

from kinerja_kit.db import UnitOfWork
from kinerja_kit.errors import FieldViolation, InvalidArgument, NotFound
from kinerja_kit.ids import parse_uuid
from org.adapters.orm import PegawaiRow
from org.adapters.repository import OrgRepository, escape_like, pegawai_from_row
from org.domain.pegawai import Pegawai
from org.domain.values import JenisJabatan
from org.service_layer.common import caller

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
MIN_QUERY = 3


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
        key = json.dumps(
            [" ".join(self.query.split()).casefold(), self.unor_id.strip(), self.include_sub_unor,
             self.jenis_jabatan, self.only_pimpinan],
        )  # fmt: skip
        return hashlib.sha256(key.encode()).hexdigest()[:16]


@dataclass(frozen=True)
class SearchPage:
    """One page of results."""

    pegawai: list[Pegawai]
    next_page_token: str
    total_count: int


def _bad(field: str, code: str, message: str) -> InvalidArgument:
    return InvalidArgument([FieldViolation(field, code, message)], message)


def _encode_token(nama: str, pegawai_id: uuid.UUID, fingerprint: str) -> str:
    raw = json.dumps({"n": nama, "i": str(pegawai_id), "f": fingerprint}, ensure_ascii=False)
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _decode_token(token: str, fingerprint: str) -> tuple[str, uuid.UUID]:
    try:
        padded = token + "=" * (-len(token) % 4)
        data = json.loads(base64.urlsafe_b64decode(padded.encode()).decode())
        pegawai_id = parse_uuid(data["i"])
        if data["f"] != fingerprint or pegawai_id is None or not isinstance(data["n"], str):
            raise ValueError("token of another search")
        return data["n"], pegawai_id
    except (ValueError, KeyError, TypeError, binascii.Error, UnicodeDecodeError) as exc:
        raise _bad(
            "page_token", "PAGE_TOKEN_INVALID", "Token halaman tidak valid untuk pencarian ini."
        ) from exc


def search_pegawai(uow: UnitOfWork, request: SearchRequest) -> SearchPage:
    """Active pegawai of the caller's instansi matching the filters, ordered by name."""
    caller()
    conditions: list[ColumnElement[bool]] = []
    query = " ".join(request.query.split())
    if query:
        if query.isdigit():
            if len(query) < MIN_QUERY:
                raise _bad("query", "QUERY_TOO_SHORT", "Ketik minimal 3 digit NIP.")
            conditions.append(PegawaiRow.nip.startswith(query) | PegawaiRow.nik.startswith(query))
        else:
            if sum(c.isalpha() for c in query) < MIN_QUERY:
                raise _bad("query", "QUERY_TOO_SHORT", "Ketik minimal 3 huruf nama pegawai.")
            conditions.append(PegawaiRow.nama.ilike(f"%{escape_like(query)}%", escape="\\"))
    if request.jenis_jabatan:
        try:
            jenis = JenisJabatan(request.jenis_jabatan)
        except ValueError as exc:
            raise _bad("jenis_jabatan", "JENIS_INVALID", "Jenis jabatan tidak dikenal.") from exc
        conditions.append(PegawaiRow.jabatan_jenis == jenis.name)
    if request.only_pimpinan:
        conditions.append(PegawaiRow.pimpinan.is_(True))
    if request.page_size < 0:
        raise _bad("page_size", "PAGE_SIZE_INVALID", "Ukuran halaman tidak boleh negatif.")
    size = min(request.page_size or DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE)
    fingerprint = request.fingerprint()
    after = _decode_token(request.page_token, fingerprint) if request.page_token else None

    with uow.transaction() as tx:
        repo = OrgRepository(tx.session, tx.tenant)
        if request.unor_id.strip():
            unor_id = parse_uuid(request.unor_id.strip())
            if unor_id is None:
                raise _bad("unor_id", "INVALID_ID", "Unor tidak valid.")
            tree = repo.tree()
            if unor_id not in tree:
                raise NotFound("UNOR_NOT_FOUND", "Unor tidak ditemukan.")
            units = {unor_id} | (tree.descendants(unor_id) if request.include_sub_unor else set())
            conditions.append(PegawaiRow.unor_id.in_(list(units)))
        rows, total = repo.search(conditions, after, size + 1)
        page = [pegawai_from_row(r) for r in rows[:size]]
    next_token = ""
    if len(rows) > size:
        next_token = _encode_token(page[-1].nama, page[-1].id, fingerprint)
    return SearchPage(pegawai=page, next_page_token=next_token, total_count=total)
