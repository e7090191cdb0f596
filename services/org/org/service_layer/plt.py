"""PLT/PLH handlers: assign, change, remove, list (002 §2.4 "Manajemen PLT/PLH")."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime

from google.protobuf.message import Message

from kinerja.org.v1 import org_pb2
from kinerja_kit.db import Transaction, UnitOfWork
from kinerja_kit.errors import FailedPrecondition, FieldViolation, InvalidArgument
from kinerja_kit.ids import new_id, parse_uuid
from kinerja_kit.paging import decode_page_position, fingerprint, page_size, split_page
from org.adapters.orm import PltRow
from org.adapters.proto import plt_pb
from org.adapters.repository import OrgRepository, plt_from_row
from org.domain.plt import Plt, PltFields, PltInput, validate_plt
from org.service_layer.common import (
    TOPIC_PLT,
    caller,
    open_instansi_for_write,
    parse_id,
    require_admin,
    row_for_write,
    today,
)

NOT_FOUND = ("PLT_NOT_FOUND", "Data PLT/PLH tidak ditemukan.")


def _emit(tx: Transaction, payload: Message, plt_id: uuid.UUID, version: int) -> None:
    tx.emit(TOPIC_PLT, payload, aggregate_type="plt", aggregate_id=plt_id, aggregate_version=version)


def _checked(repo: OrgRepository, raw: PltInput, self_id: uuid.UUID | None) -> PltFields:
    tree = repo.tree()
    fields = validate_plt(
        raw,
        today=today(),
        pegawai_exists=lambda pid: repo.pegawai_row(pid, active_only=True) is not None,
        unor_exists=tree.__contains__,
    )
    head = repo.pimpinan_of(fields.unor_id)
    if head is not None and head.id == fields.pegawai_id:
        raise FailedPrecondition(
            "PLT_ALREADY_HEAD",
            "Pegawai tersebut sudah menjadi pimpinan definitif unor ini.",
            [FieldViolation("plt.pegawai_id", "PLT_ALREADY_HEAD", "Pegawai sudah pimpinan unor ini.")],
        )
    for other in repo.plt_of_unor(fields.unor_id):
        if other.id != self_id and other.overlaps(fields):
            raise FailedPrecondition(
                "PLT_OVERLAP",
                "Unor ini sudah memiliki PLT/PLH aktif pada periode "
                f"{other.tanggal_mulai.isoformat()} s.d. {other.tanggal_selesai.isoformat()}. "
                "Nonaktifkan atau ubah periode PLT/PLH tersebut terlebih dahulu.",
                [
                    FieldViolation(
                        "plt.tanggal_mulai", "PLT_OVERLAP", "Periode beririsan dengan PLT/PLH lain."
                    )
                ],
            )
    return fields


def _apply(row: PltRow, fields: PltFields) -> None:
    row.pegawai_id = fields.pegawai_id
    row.unor_id = fields.unor_id
    row.jabatan = fields.jabatan
    row.jenis = fields.jenis.name
    row.tanggal_mulai = fields.tanggal_mulai
    row.tanggal_selesai = fields.tanggal_selesai
    row.aktif = fields.aktif


def create_plt(uow: UnitOfWork, raw: PltInput) -> Plt:
    """Assigns a pegawai as PLT/PLH of a unor and emits PltAssigned."""
    require_admin(caller())
    with uow.transaction() as tx:
        repo = OrgRepository(tx.session, tx.tenant)
        open_instansi_for_write(repo)
        fields = _checked(repo, raw, None)
        row = PltRow(instansi_id=repo.tenant, id=new_id(), version=1)
        _apply(row, fields)
        tx.session.add(row)
        tx.session.flush()
        created = plt_from_row(row)
        _emit(tx, org_pb2.PltAssigned(plt=plt_pb(created)), created.id, created.version)
        tx.commit()
    return created


def update_plt(uow: UnitOfWork, plt_id: str, raw: PltInput, expected_version: int) -> Plt:
    """Changes a PLT/PLH assignment (e.g. switches it off) and emits PltUpdated."""
    require_admin(caller())
    wanted = parse_id(plt_id, *NOT_FOUND)
    with uow.transaction() as tx:
        repo = OrgRepository(tx.session, tx.tenant)
        row = row_for_write(repo, repo.plt_row, wanted, NOT_FOUND, expected_version)
        fields = _checked(repo, raw, row.id)
        _apply(row, fields)
        row.version += 1
        row.updated_at = datetime.now(UTC)
        tx.session.flush()
        updated = plt_from_row(row)
        _emit(tx, org_pb2.PltUpdated(plt=plt_pb(updated)), updated.id, updated.version)
        tx.commit()
    return updated


def delete_plt(uow: UnitOfWork, plt_id: str) -> None:
    """Deletes a PLT/PLH assignment and emits PltRemoved."""
    require_admin(caller())
    wanted = parse_id(plt_id, *NOT_FOUND)
    with uow.transaction() as tx:
        repo = OrgRepository(tx.session, tx.tenant)
        row = row_for_write(repo, repo.plt_row, wanted, NOT_FOUND)
        removed = org_pb2.PltRemoved(
            plt_id=str(row.id), pegawai_id=str(row.pegawai_id), unor_id=str(row.unor_id)
        )
        version = row.version + 1
        tx.session.delete(row)
        tx.session.flush()
        _emit(tx, removed, wanted, version)
        tx.commit()


@dataclass(frozen=True)
class PltPage:
    """One page of PLT/PLH assignments."""

    plt: list[Plt]
    next_page_token: str
    total_count: int
    total_count_exact: bool


def list_plt(
    uow: UnitOfWork,
    pegawai_id: str = "",
    unor_id: str = "",
    only_active: bool = False,
    size: int = 0,
    page_token: str = "",
) -> PltPage:
    """PLT/PLH of the caller's instansi, newest first (by tanggal_mulai, then id, descending), a page at
    a time; filters by pegawai, unor, in force today. The count stops at the kit's COUNT_LIMIT."""
    caller()
    violations = []
    filters: dict[str, uuid.UUID | None] = {}
    for name, value in (("pegawai_id", pegawai_id), ("unor_id", unor_id)):
        filters[name] = parse_uuid(value.strip()) if value.strip() else None
        if value.strip() and filters[name] is None:
            violations.append(FieldViolation(name, "INVALID_ID", "Id tidak valid."))
    if violations:
        raise InvalidArgument(violations)
    limit = page_size(size)
    bound = fingerprint("plt", str(filters["pegawai_id"] or ""), str(filters["unor_id"] or ""), only_active)
    after = decode_page_position(page_token, bound, date.fromisoformat) if page_token else None
    with uow.transaction() as tx:
        rows, (total, exact) = OrgRepository(tx.session, tx.tenant).plt_page(
            filters["pegawai_id"], filters["unor_id"], today() if only_active else None, after, limit + 1
        )
    shown, token = split_page(rows, limit, lambda p: (p.tanggal_mulai.isoformat(), p.id), bound)
    return PltPage(plt=shown, next_page_token=token, total_count=total, total_count_exact=exact)
