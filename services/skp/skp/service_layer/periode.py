"""Periode handlers (admin): create one or a whole monthly/quarterly set, change, delete, list."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from google.protobuf.message import Message

from kinerja.skp.v1 import skp_pb2
from kinerja_kit.db import Transaction
from kinerja_kit.errors import Conflict, FailedPrecondition, FieldViolation, InvalidArgument, NotFound
from kinerja_kit.handlers import caller, parse_id, require_admin
from kinerja_kit.ids import new_id
from skp.adapters.orm import PeriodeRow
from skp.adapters.proto import periode_pb
from skp.adapters.repository import SkpRepository, periode_from_row
from skp.domain.periode import (
    Periode,
    PeriodeFields,
    PeriodeInput,
    overlapping,
    periode_set,
    validate_batas_hari,
    validate_periode,
)
from skp.domain.values import PolaPeriode
from skp.service_layer.common import TOPIC_PERIODE, Deps

NOT_FOUND = ("PERIODE_NOT_FOUND", "Periode tidak ditemukan.")


def _emit(tx: Transaction, payload: Message, periode: Periode) -> None:
    tx.emit(
        TOPIC_PERIODE,
        payload,
        aggregate_type="periode",
        aggregate_id=periode.id,
        aggregate_version=periode.version,
    )


def _write(row: PeriodeRow, values: PeriodeFields) -> None:
    row.nama = values.nama
    row.mulai = str(values.mulai)
    row.selesai = str(values.selesai)
    row.batas_pengisian = str(values.batas_pengisian)
    row.jenis = values.jenis.name


def _add(tx: Transaction, repo: SkpRepository, values: PeriodeFields) -> Periode:
    row = PeriodeRow(instansi_id=repo.tenant, id=new_id(), version=1)
    _write(row, values)
    tx.session.add(row)
    tx.session.flush()
    created = periode_from_row(row)
    _emit(tx, skp_pb2.PeriodeCreated(periode=periode_pb(created)), created)
    return created


def create_periode(deps: Deps, raw: PeriodeInput) -> Periode:
    require_admin(caller())
    with deps.uow.transaction() as tx:
        repo = SkpRepository(tx.session, tx.tenant)
        repo.lock("periode")
        values = validate_periode(raw, [periode_from_row(r) for r in repo.periode_rows()])
        created = _add(tx, repo, values)
        tx.commit()
    return created


def create_periode_set(deps: Deps, pola: int, batas_hari: int) -> list[Periode]:
    """The 12 + 1 monthly or 4 + 1 quarterly periode in one step; refused whole if any would overlap."""
    require_admin(caller())
    try:
        kind = PolaPeriode(pola)
    except ValueError as exc:
        raise InvalidArgument(
            [FieldViolation("pola", "REQUIRED", "Pola periode wajib dipilih (bulanan atau triwulan).")]
        ) from exc
    days = validate_batas_hari(batas_hari)
    with deps.uow.transaction() as tx:
        repo = SkpRepository(tx.session, tx.tenant)
        repo.lock("periode")
        existing = [periode_from_row(r) for r in repo.periode_rows()]
        created: list[Periode] = []
        for values in periode_set(kind, days):
            other = overlapping(values.jenis, values.mulai, values.selesai, existing + created)
            if other is not None:
                raise FailedPrecondition(
                    "PERIODE_OVERLAP",
                    f'Periode "{values.nama}" bertumpang tindih dengan periode "{other.nama}" yang sudah ada. '
                    "Hapus periode lama terlebih dahulu.",
                )
            created.append(_add(tx, repo, values))
        tx.commit()
    return created


def _for_write(repo: SkpRepository, periode_id: uuid.UUID, expected_version: int = 0) -> PeriodeRow:
    """The periode locked, with every write of the instansi's periode serialised; ABORTED when stale."""
    repo.lock("periode")
    row = repo.periode_row(periode_id, for_update=True)
    if row is None:
        raise NotFound(*NOT_FOUND)
    if expected_version and expected_version != row.version:
        raise Conflict()
    return row


def update_periode(deps: Deps, periode_id: str, raw: PeriodeInput, expected_version: int) -> Periode:
    require_admin(caller())
    wanted = parse_id(periode_id, *NOT_FOUND)
    with deps.uow.transaction() as tx:
        repo = SkpRepository(tx.session, tx.tenant)
        row = _for_write(repo, wanted, expected_version)
        previous = periode_from_row(row)
        others = [periode_from_row(r) for r in repo.periode_rows() if r.id != row.id]
        values = validate_periode(raw, others)
        _write(row, values)
        if periode_from_row(row) == previous:
            return previous
        row.version += 1
        row.updated_at = datetime.now(UTC)
        tx.session.flush()
        updated = periode_from_row(row)
        _emit(tx, skp_pb2.PeriodeUpdated(periode=periode_pb(updated), previous=periode_pb(previous)), updated)
        tx.commit()
    return updated


def delete_periode(deps: Deps, periode_id: str) -> None:
    """Deletes a periode no rencana aksi is planned in."""
    require_admin(caller())
    wanted = parse_id(periode_id, *NOT_FOUND)
    with deps.uow.transaction() as tx:
        repo = SkpRepository(tx.session, tx.tenant)
        row = _for_write(repo, wanted)
        used, exact = repo.periode_in_use(row.id)
        if used:
            many = f"{used} SKP" if exact else f"lebih dari {used:,} SKP".replace(",", ".")
            raise FailedPrecondition(
                "PERIODE_DIPAKAI",
                f"Periode tidak dapat dihapus karena sudah dipakai rencana aksi pada {many}.",
            )
        gone = periode_from_row(row)
        tx.session.delete(row)
        tx.session.flush()
        _emit(tx, skp_pb2.PeriodeDeleted(periode=periode_pb(gone)), gone)
        tx.commit()


def list_periode(deps: Deps) -> list[Periode]:
    """The instansi's periode: periodic ones by start, then the final one."""
    caller()
    with deps.uow.transaction() as tx:
        return [periode_from_row(r) for r in SkpRepository(tx.session, tx.tenant).periode_rows()]
