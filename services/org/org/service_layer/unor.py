"""Unor handlers: create, update (no cycles, optimistic concurrency), guarded delete, reads of the tree."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from google.protobuf.message import Message

from kinerja.org.v1 import org_pb2
from kinerja_kit.db import Transaction, UnitOfWork
from kinerja_kit.errors import FailedPrecondition, FieldViolation, InvalidArgument, NotFound
from kinerja_kit.fields import search_query
from kinerja_kit.ids import new_id
from kinerja_kit.paging import decode_page_token, fingerprint, page_size, split_page
from org.adapters.orm import UnorRow
from org.adapters.proto import unor_pb
from org.adapters.repository import OrgRepository, unor_from_row
from org.domain.unor import Unor, UnorInput, UnorTree, validate_unor
from org.service_layer.common import (
    TOPIC_UNOR,
    caller,
    open_instansi_for_write,
    parse_id,
    parse_ids,
    require_admin,
    row_for_write,
    today,
)

NOT_FOUND = ("UNOR_NOT_FOUND", "Unor tidak ditemukan.")


@dataclass(frozen=True)
class ChildrenPage:
    """One page of one level of the tree."""

    unor: list[Unor]
    next_page_token: str
    total_count: int
    total_count_exact: bool


def _emit(tx: Transaction, payload: Message, unor_id: uuid.UUID, version: int) -> None:
    tx.emit(TOPIC_UNOR, payload, aggregate_type="unor", aggregate_id=unor_id, aggregate_version=version)


def create_unor(uow: UnitOfWork, raw: UnorInput) -> Unor:
    """Adds a unor to the caller's instansi and emits UnorCreated."""
    require_admin(caller())
    with uow.transaction() as tx:
        repo = OrgRepository(tx.session, tx.tenant)
        open_instansi_for_write(repo)
        fields = validate_unor(raw, repo.tree())
        row = UnorRow(
            instansi_id=repo.tenant,
            id=new_id(),
            nama=fields.nama,
            jenis=fields.jenis.name,
            eselon=fields.eselon,
            parent_id=fields.parent_id,
            induk_id=fields.induk_id,
            mandiri=fields.mandiri,
            kota=fields.kota,
            version=1,
        )
        tx.session.add(row)
        tx.session.flush()
        created = unor_from_row(row)
        _emit(tx, org_pb2.UnorCreated(unor=unor_pb(created)), created.id, created.version)
        tx.commit()
    return created


def update_unor(uow: UnitOfWork, unor_id: str, raw: UnorInput, expected_version: int) -> Unor:
    """Changes a unor's fields (refusing cycles) and emits UnorUpdated with the previous state."""
    require_admin(caller())
    wanted = parse_id(unor_id, *NOT_FOUND)
    with uow.transaction() as tx:
        repo = OrgRepository(tx.session, tx.tenant)
        row = row_for_write(repo, repo.unor_row, wanted, NOT_FOUND, expected_version)
        [previous] = repo.unor_with_counts([row])
        fields = validate_unor(raw, repo.tree(), self_id=row.id)
        current = (row.nama, row.jenis, row.eselon, row.parent_id, row.induk_id, row.mandiri, row.kota)
        wanted_fields = (
            fields.nama, fields.jenis.name, fields.eselon, fields.parent_id, fields.induk_id, fields.mandiri, fields.kota,
        )  # fmt: skip
        if current == wanted_fields:
            return previous  # nothing changed: no new version, no event
        row.nama = fields.nama
        row.jenis = fields.jenis.name
        row.eselon = fields.eselon
        row.parent_id = fields.parent_id
        row.induk_id = fields.induk_id
        row.mandiri = fields.mandiri
        row.kota = fields.kota
        row.version += 1
        row.updated_at = datetime.now(UTC)
        tx.session.flush()
        [updated] = repo.unor_with_counts([row])
        _emit(
            tx,
            org_pb2.UnorUpdated(unor=unor_pb(updated), previous=unor_pb(previous)),
            updated.id,
            updated.version,
        )
        tx.commit()
    return updated


def delete_unor(uow: UnitOfWork, unor_id: str) -> None:
    """Deletes a unor that holds no active pegawai, child unor, dependent unor or running PLT/PLH."""
    require_admin(caller())
    wanted = parse_id(unor_id, *NOT_FOUND)
    with uow.transaction() as tx:
        repo = OrgRepository(tx.session, tx.tenant)
        row = row_for_write(repo, repo.unor_row, wanted, NOT_FOUND)
        holds = repo.unor_holds(row.id, today())
        if holds["pegawai"]:
            raise FailedPrecondition(
                "UNOR_HAS_PEGAWAI",
                f"Unor tidak dapat dihapus karena masih memiliki {holds['pegawai']} pegawai aktif. "
                "Pindahkan atau hapus pegawai tersebut terlebih dahulu.",
            )
        if holds["children"]:
            raise FailedPrecondition(
                "UNOR_HAS_CHILDREN",
                f"Unor tidak dapat dihapus karena masih menjadi unor atasan dari {holds['children']} unor. "
                "Pindahkan atau hapus unor bawahannya terlebih dahulu.",
            )
        if holds["induk"]:
            raise FailedPrecondition(
                "UNOR_IS_INDUK",
                f"Unor tidak dapat dihapus karena masih menjadi unor induk dari {holds['induk']} unor.",
            )
        if holds["plt"]:
            raise FailedPrecondition(
                "UNOR_HAS_PLT",
                "Unor tidak dapat dihapus karena masih memiliki PLT/PLH yang aktif. "
                "Nonaktifkan atau hapus PLT/PLH tersebut terlebih dahulu.",
            )
        row.deleted_at = datetime.now(UTC)
        row.version += 1
        tx.session.flush()
        _emit(tx, org_pb2.UnorDeleted(unor_id=str(row.id), nama=row.nama), row.id, row.version)
        tx.commit()


def get_unor(uow: UnitOfWork, unor_id: str) -> Unor:
    """One unor of the caller's instansi, with its counts."""
    caller()
    wanted = parse_id(unor_id, *NOT_FOUND)
    with uow.transaction() as tx:
        repo = OrgRepository(tx.session, tx.tenant)
        found = repo.unor_with_counts(repo.unor_rows([wanted]))
    if not found:
        raise NotFound(*NOT_FOUND)
    return found[0]


def batch_get_unor(uow: UnitOfWork, ids: list[str]) -> list[Unor]:
    """The unor found among `ids`, in the order asked, unknown ones skipped (for DataLoaders)."""
    caller()
    wanted = parse_ids(ids)
    if not wanted:
        return []
    with uow.transaction() as tx:
        repo = OrgRepository(tx.session, tx.tenant)
        found = {u.id: u for u in repo.unor_with_counts(repo.unor_rows(wanted))}
    return [found[i] for i in wanted if i in found]


def list_unor(uow: UnitOfWork, query: str = "", root_id: str = "", depth: int = 0) -> list[Unor]:
    """The tree, flat, parents before children (siblings by name): the whole tree, or `root_id` and the
    unor below it, `depth` levels down (0: all; without a root, depth 1 is the roots alone). `query`
    keeps the unor whose name contains it, with their ancestors (within what was asked). The counts are
    read for the unor returned only."""
    caller()
    needle = search_query(query).casefold()
    if depth < 0:
        raise InvalidArgument([FieldViolation("depth", "DEPTH_INVALID", "Kedalaman tidak boleh negatif.")])
    root = parse_id(root_id, *NOT_FOUND) if root_id.strip() else None
    with uow.transaction() as tx:
        repo = OrgRepository(tx.session, tx.tenant)
        if root is not None:
            levels = repo.subtree(root, depth)
            if root not in levels:
                raise NotFound(*NOT_FOUND)
            rows = repo.unor_rows(levels)
        elif depth:
            rows = repo.unor_rows(repo.roots_down(depth))
        else:
            rows = repo.unor_rows()
        if needle:
            rows = _matches_and_ancestors(rows, needle)
        whole = root is None and not depth and not needle
        items = {u.id: u for u in repo.unor_with_counts(rows, whole_instansi=whole)}
    shown = UnorTree({u.id: u.parent_id for u in items.values()})
    return [items[i] for i in shown.ordered({u.id: u.nama for u in items.values()})]


def _matches_and_ancestors(rows: list[UnorRow], needle: str) -> list[UnorRow]:
    by_id = {r.id: r for r in rows}
    kept: set[uuid.UUID] = set()
    for row in rows:
        if needle in row.nama.casefold():
            current: UnorRow | None = row
            while current is not None and current.id not in kept:
                kept.add(current.id)
                current = by_id.get(current.parent_id) if current.parent_id else None
    return [r for r in rows if r.id in kept]


def list_unor_children(uow: UnitOfWork, parent_id: str, size: int, page_token: str) -> ChildrenPage:
    """One level of the tree a page at a time by (nama, id): the children of `parent_id`, or the roots
    when it is empty; each with its counts (jumlah_sub_unor says whether to expand it)."""
    caller()
    parent = parse_id(parent_id, *NOT_FOUND) if parent_id.strip() else None
    limit = page_size(size)
    filters = fingerprint("unor_children", "" if parent is None else str(parent))
    after = decode_page_token(page_token, filters) if page_token else None
    with uow.transaction() as tx:
        repo = OrgRepository(tx.session, tx.tenant)
        if parent is not None and repo.unor_row(parent) is None:
            raise NotFound(*NOT_FOUND)
        rows, (total, exact) = repo.children_page(parent, after, limit + 1)
        shown, token = split_page(rows, limit, lambda r: (r.nama, r.id), filters)
        page = repo.unor_with_counts(shown)
    return ChildrenPage(unor=page, next_page_token=token, total_count=total, total_count_exact=exact)
