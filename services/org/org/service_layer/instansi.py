"""Instansi handlers: admin BKN creates them; everyone else sees only their own."""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError

from kinerja.org.v1 import org_pb2
from kinerja_kit.db import UnitOfWork
from kinerja_kit.errors import AlreadyExists, FieldViolation, NotFound, PermissionDenied
from kinerja_kit.ids import new_id
from org.adapters.orm import InstansiRow
from org.adapters.proto import instansi_pb
from org.adapters.repository import OrgRepository
from org.domain.instansi import Instansi, InstansiInput, validate_instansi
from org.service_layer.common import TOPIC_INSTANSI, caller, parse_id, raise_integrity

NOT_FOUND = ("INSTANSI_NOT_FOUND", "Instansi tidak ditemukan.")


def _kode_taken(kode: str) -> AlreadyExists:
    return AlreadyExists(
        "KODE_EXISTS",
        f"Kode instansi {kode} sudah digunakan.",
        [FieldViolation("kode", "KODE_EXISTS", "Kode instansi sudah digunakan.")],
    )


def create_instansi(uow: UnitOfWork, raw: InstansiInput) -> Instansi:
    """Creates an instansi (admin BKN only) and emits InstansiCreated."""
    principal = caller()
    if not principal.is_admin_bkn:
        raise PermissionDenied("ADMIN_BKN_REQUIRED", "Hanya admin BKN yang dapat membuat instansi.")
    fields = validate_instansi(raw)
    with uow.transaction() as tx:
        repo = OrgRepository(tx.session, tx.tenant)
        if repo.instansi_kode_taken(fields.kode):
            raise _kode_taken(fields.kode)
        try:
            created = repo.add_instansi(
                InstansiRow(id=new_id(), kode=fields.kode, nama=fields.nama, jenis=fields.jenis, version=1)
            )
        except IntegrityError as err:
            raise_integrity(err, {"instansi_kode_key": _kode_taken(fields.kode)})
            raise
        tx.emit(
            TOPIC_INSTANSI,
            org_pb2.InstansiCreated(instansi=instansi_pb(created)),
            aggregate_type="instansi",
            aggregate_id=created.id,
            aggregate_version=1,
            instansi_id=created.id,
        )
        tx.commit()
    return created


def get_instansi(uow: UnitOfWork, instansi_id: str) -> Instansi:
    """One instansi: admin BKN any, everyone else only their own (others are NOT_FOUND)."""
    principal = caller()
    wanted = parse_id(instansi_id, *NOT_FOUND)
    if not principal.is_admin_bkn and wanted != principal.tenant_id:
        raise NotFound(*NOT_FOUND)
    with uow.transaction() as tx:
        found = OrgRepository(tx.session, tx.tenant).instansi(wanted)
    if found is None:
        raise NotFound(*NOT_FOUND)
    return found


def list_instansi(uow: UnitOfWork) -> list[Instansi]:
    """Every instansi for admin BKN; the caller's own for everyone else."""
    principal = caller()
    with uow.transaction() as tx:
        repo = OrgRepository(tx.session, tx.tenant)
        if principal.is_admin_bkn:
            return repo.all_instansi()
        own = repo.instansi(principal.tenant_id)
    return [own] if own else []
