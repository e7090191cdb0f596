"""Unor handlers: create, update (no cycles, optimistic concurrency), guarded delete, reads of the tree."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from google.protobuf.message import Message

from kinerja.org.v1 import org_pb2
from kinerja_kit.db import Transaction, UnitOfWork
from kinerja_kit.errors import FailedPrecondition, NotFound
from kinerja_kit.fields import search_query
from kinerja_kit.ids import new_id
from org.adapters.orm import UnorRow
from org.adapters.proto import unor_pb
from org.adapters.repository import OrgRepository, unor_from_row
from org.domain.unor import Unor, UnorInput, validate_unor
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


def list_unor(uow: UnitOfWork, query: str = "") -> list[Unor]:
    """The whole tree, flat, parents before children (siblings by name); `query` filters by name."""
    caller()
    needle = search_query(query).casefold()
    with uow.transaction() as tx:
        repo = OrgRepository(tx.session, tx.tenant)
        rows = repo.unor_rows()
        items = {u.id: u for u in repo.unor_with_counts(rows, whole_instansi=True)}
        tree = repo.tree()
    order = tree.ordered({u.id: u.nama for u in items.values()})
    return [items[i] for i in order if not needle or needle in items[i].nama.casefold()]
