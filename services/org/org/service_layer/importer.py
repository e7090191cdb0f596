"""ImportUnor and ImportPegawai: an instansi loaded in bulk (a migration, a pull from SIASN, the national
data set), each call one transaction, all or nothing.

Every item is checked by the same rules as its single call (the violations name the item:
`pegawai[12].nip`); ids are the caller's (UUIDs), so items may name each other across calls and a repeated
call is harmless: an item whose id exists with the same content is counted unchanged, with other content
the call is refused (IMPORT_CONFLICT). Rows are written with multi-row INSERTs and each created item
emits its single call's event (UnorCreated / PegawaiCreated, version 1) in the same transaction, the outbox
rows written in one batch at commit.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TypeVar

from sqlalchemy import select

from kinerja.org.v1 import org_pb2
from kinerja_kit.db import Transaction, UnitOfWork
from kinerja_kit.errors import (
    AlreadyExists,
    DomainError,
    FailedPrecondition,
    FieldViolation,
    InvalidArgument,
)
from kinerja_kit.ids import parse_uuid
from kinerja_kit.outbox import OutboxEvent, insert_outbox_bulk
from org.adapters.bulk import insert_pegawai, insert_unor
from org.adapters.orm import PegawaiRow, UnorRow
from org.adapters.proto import pegawai_pb, unor_pb
from org.adapters.repository import OrgRepository, among
from org.domain.pegawai import Jabatan, Pegawai, PegawaiFields, PegawaiInput, validate_pegawai
from org.domain.unor import Unor, UnorFields, UnorInput, validate_unor
from org.service_layer.common import (
    TOPIC_PEGAWAI,
    TOPIC_UNOR,
    caller,
    open_instansi_for_write,
    require_admin,
    today,
)

MAX_IMPORT = 5000
"""Most items one import call takes (one transaction: a few seconds of work at most)."""

T = TypeVar("T")


@dataclass(frozen=True)
class ImportResult:
    created: int
    unchanged: int


def _too_large(kind: str, count: int) -> InvalidArgument:
    return InvalidArgument(
        [
            FieldViolation(
                kind, "IMPORT_TOO_LARGE", f"Paling banyak {MAX_IMPORT:,} data sekali impor.".replace(",", ".")
            )
        ],
        f"Satu impor paling banyak {MAX_IMPORT:,} data ({count:,} dikirim).".replace(",", "."),
    )


def _ids(
    kind: str, items: Sequence[tuple[str, T]], violations: list[FieldViolation]
) -> list[uuid.UUID | None]:
    """Each item's id (None when malformed or repeated), the violations recorded."""
    seen: set[uuid.UUID] = set()
    ids: list[uuid.UUID | None] = []
    for index, (raw, _) in enumerate(items):
        parsed = parse_uuid(raw.strip())
        if parsed is None:
            violations.append(FieldViolation(f"{kind}[{index}].id", "INVALID_ID", "Id harus UUID."))
        elif parsed in seen:
            violations.append(
                FieldViolation(
                    f"{kind}[{index}].id", "DUPLICATE_ID", "Id ini sudah dipakai data lain di impor ini."
                )
            )
            parsed = None
        else:
            seen.add(parsed)
        ids.append(parsed)
    return ids


def _checked(
    kind: str,
    index: int,
    violations: list[FieldViolation],
    check: Callable[..., T],
    *args: Any,
    **kwargs: Any,
) -> T | None:
    """Runs a single call's validator on one item; its violations are recorded under the item's path."""
    try:
        return check(*args, **kwargs)
    except InvalidArgument as error:
        for v in error.violations:
            path = v.field.removeprefix(f"{kind}.")
            violations.append(FieldViolation(f"{kind}[{index}].{path}", v.code, v.message))
        return None


def _refuse(
    error_type: type[DomainError], reason: str, message: str, violations: list[FieldViolation]
) -> None:
    if violations:
        raise error_type(reason, message, violations)  # type: ignore[call-arg]


def _conflict(kind: str, index: int) -> FieldViolation:
    return FieldViolation(
        f"{kind}[{index}].id", "IMPORT_CONFLICT", "Id ini sudah ada dengan isi yang berbeda."
    )


def _raise_conflicts(violations: list[FieldViolation]) -> None:
    _refuse(
        FailedPrecondition,
        "IMPORT_CONFLICT",
        "Sebagian data sudah ada dengan isi yang berbeda: impor tidak mengubah data yang ada.",
        violations,
    )


# ---- unor ----


def _unor_content(fields: UnorFields) -> tuple[Any, ...]:
    return (
        fields.nama,
        fields.jenis.name,
        fields.eselon,
        fields.parent_id,
        fields.induk_id,
        fields.mandiri,
        fields.kota,
    )


def _row_content(row: UnorRow) -> tuple[Any, ...]:
    return (row.nama, row.jenis, row.eselon, row.parent_id, row.induk_id, row.mandiri, row.kota)


def import_unor(uow: UnitOfWork, items: Sequence[tuple[str, UnorInput]]) -> ImportResult:
    """Adds the unor not yet there, in order (a parent or induk may be an earlier item); emits UnorCreated."""
    require_admin(caller())
    if len(items) > MAX_IMPORT:
        raise _too_large("unor", len(items))
    violations: list[FieldViolation] = []
    ids = _ids("unor", items, violations)
    with uow.transaction() as tx:
        repo = OrgRepository(tx.session, tx.tenant)
        open_instansi_for_write(repo)
        tree = repo.tree()
        wanted = [i for i in ids if i is not None]
        existing = {r.id: r for r in tx.session.scalars(
            select(UnorRow).where(UnorRow.instansi_id == repo.tenant, among(UnorRow.id, wanted))
        )} if wanted else {}  # fmt: skip
        checked: list[tuple[int, uuid.UUID, UnorFields]] = []
        for index, ((_, raw), unor_id) in enumerate(zip(items, ids, strict=True)):
            row = existing.get(unor_id) if unor_id is not None else None
            live = row is not None and row.deleted_at is None
            self_id = unor_id if live else None
            fields = _checked("unor", index, violations, validate_unor, raw, tree, self_id=self_id)
            if fields is None or unor_id is None:
                continue
            checked.append((index, unor_id, fields))
            if row is None:
                tree.add(unor_id, fields.parent_id)
        if violations:
            raise InvalidArgument(violations)
        conflicts = [
            _conflict("unor", index)
            for index, unor_id, fields in checked
            if unor_id in existing
            and (
                existing[unor_id].deleted_at is not None
                or _row_content(existing[unor_id]) != _unor_content(fields)
            )
        ]
        _raise_conflicts(conflicts)
        new = [(unor_id, fields) for _, unor_id, fields in checked if unor_id not in existing]
        if new:
            insert_unor(
                tx.session,
                repo.tenant,
                [
                    {
                        "id": unor_id, "nama": f.nama, "jenis": f.jenis.name, "eselon": f.eselon,
                        "parent_id": f.parent_id, "induk_id": f.induk_id, "mandiri": f.mandiri, "kota": f.kota,
                    }
                    for unor_id, f in new
                ],
            )  # fmt: skip
            events: list[OutboxEvent] = []
            now = datetime.now(UTC)
            for unor_id, f in new:
                created = Unor(
                    id=unor_id, instansi_id=repo.tenant, nama=f.nama, jenis=f.jenis, eselon=f.eselon,
                    parent_id=f.parent_id, induk_id=f.induk_id, mandiri=f.mandiri, kota=f.kota, version=1,
                )  # fmt: skip
                events.append(
                    _event(tx, TOPIC_UNOR, org_pb2.UnorCreated(unor=unor_pb(created)), "unor", unor_id, now)
                )
            insert_outbox_bulk(tx.session, events)
        tx.commit()
    return ImportResult(created=len(new), unchanged=len(checked) - len(new))


# ---- pegawai ----


def _pegawai_content(fields: PegawaiFields) -> tuple[Any, ...]:
    return (
        fields.nip, fields.nama, fields.unor_id, fields.pimpinan, fields.jabatan.nama, fields.jabatan.jenis.name,
        fields.jabatan.jenjang, fields.golongan, fields.pangkat, fields.tmt_jabatan,
    )  # fmt: skip


def _pegawai_row_content(row: PegawaiRow) -> tuple[Any, ...]:
    return (
        row.nip, row.nama, row.unor_id, row.pimpinan, row.jabatan_nama, row.jabatan_jenis, row.jabatan_jenjang,
        row.golongan, row.pangkat, row.tmt_jabatan,
    )  # fmt: skip


def import_pegawai(uow: UnitOfWork, items: Sequence[tuple[str, PegawaiInput]]) -> ImportResult:
    """Adds the pegawai not yet there (same rules as CreatePegawai: NIP, jabatan, one pimpinan per unor,
    an unor of this instansi); emits PegawaiCreated for each."""
    require_admin(caller())
    if len(items) > MAX_IMPORT:
        raise _too_large("pegawai", len(items))
    violations: list[FieldViolation] = []
    ids = _ids("pegawai", items, violations)
    day = today()
    with uow.transaction() as tx:
        repo = OrgRepository(tx.session, tx.tenant)
        open_instansi_for_write(repo)
        named = {raw.unor_id.strip() for _, raw in items}
        named_units = {u for u in map(parse_uuid, named) if u is not None}
        units = set(repo.unor_rows_ids(named_units))
        checked: list[tuple[int, uuid.UUID, PegawaiFields]] = []
        for index, ((_, raw), pegawai_id) in enumerate(zip(items, ids, strict=True)):
            fields = _checked(
                "pegawai", index, violations, validate_pegawai, raw, today=day, unor_exists=units.__contains__
            )
            if fields is not None and pegawai_id is not None:
                checked.append((index, pegawai_id, fields))
        if violations:
            raise InvalidArgument(violations)

        wanted = [pegawai_id for _, pegawai_id, _ in checked]
        existing = {r.id: r for r in repo.pegawai_rows(wanted)} if wanted else {}
        _raise_conflicts([
            _conflict("pegawai", index)
            for index, pegawai_id, fields in checked
            if pegawai_id in existing and (
                not existing[pegawai_id].active or existing[pegawai_id].non_asn
                or _pegawai_row_content(existing[pegawai_id]) != _pegawai_content(fields)
            )
        ])  # fmt: skip
        new = [(index, pegawai_id, f) for index, pegawai_id, f in checked if pegawai_id not in existing]

        # a NIP held by another active pegawai of this instansi, or twice in this call
        holders = repo.active_nip_holders([f.nip for _, _, f in new])
        taken: list[FieldViolation] = []
        first_of: dict[str, uuid.UUID] = {}
        for index, pegawai_id, f in new:
            holder = holders.get(f.nip) or first_of.setdefault(f.nip, pegawai_id)
            if holder != pegawai_id:
                taken.append(_nip_taken(index))
        _refuse(AlreadyExists, "NIP_TAKEN", "Sebagian NIP sudah terdaftar sebagai pegawai aktif lain.", taken)

        # one pimpinan per unor: the present head (another id) or an earlier item of this call
        heads = repo.active_heads_of({f.unor_id for _, _, f in new if f.pimpinan})
        doubled: list[FieldViolation] = []
        for index, pegawai_id, f in new:
            if f.pimpinan and heads.setdefault(f.unor_id, pegawai_id) != pegawai_id:
                doubled.append(
                    FieldViolation(
                        f"pegawai[{index}].pimpinan", "PIMPINAN_EXISTS", "Unor ini sudah memiliki pimpinan."
                    )
                )
        _refuse(
            FailedPrecondition,
            "PIMPINAN_EXISTS",
            "Sebagian unor sudah memiliki pimpinan. Satu unor hanya memiliki satu pimpinan.",
            doubled,
        )

        if new:
            rows = [
                {
                    "id": pegawai_id, "nip": f.nip, "nama": f.nama, "unor_id": f.unor_id, "pimpinan": f.pimpinan,
                    "jabatan_nama": f.jabatan.nama, "jabatan_jenis": f.jabatan.jenis.name,
                    "jabatan_jenjang": f.jabatan.jenjang, "golongan": f.golongan, "pangkat": f.pangkat,
                    "tmt_jabatan": f.tmt_jabatan,
                }
                for _, pegawai_id, f in new
            ]  # fmt: skip
            # A NIP active in another instansi is invisible here (RLS): the unique index finds it, and the
            # rows it kept out say which items.
            inserted = insert_pegawai(tx.session, repo.tenant, rows)
            _refuse(
                AlreadyExists,
                "NIP_TAKEN",
                "Sebagian NIP sudah terdaftar sebagai pegawai aktif lain.",
                [_nip_taken(index) for index, pegawai_id, _ in new if pegawai_id not in inserted],
            )
            events: list[OutboxEvent] = []
            now = datetime.now(UTC)
            for _, pegawai_id, f in new:
                created = Pegawai(
                    id=pegawai_id, instansi_id=repo.tenant, nip=f.nip, nik="", nama=f.nama, unor_id=f.unor_id,
                    pimpinan=f.pimpinan, jabatan=Jabatan(f.jabatan.nama, f.jabatan.jenis, f.jabatan.jenjang),
                    golongan=f.golongan, pangkat=f.pangkat, tmt_jabatan=f.tmt_jabatan, non_asn=False,
                    active=True, version=1,
                )  # fmt: skip
                payload = org_pb2.PegawaiCreated(pegawai=pegawai_pb(created))
                events.append(_event(tx, TOPIC_PEGAWAI, payload, "pegawai", pegawai_id, now))
            insert_outbox_bulk(tx.session, events)
        tx.commit()
    return ImportResult(created=len(new), unchanged=len(checked) - len(new))


def _nip_taken(index: int) -> FieldViolation:
    return FieldViolation(
        f"pegawai[{index}].nip", "NIP_TAKEN", "NIP sudah terdaftar sebagai pegawai aktif lain."
    )


def _event(
    tx: Transaction,
    topic: str,
    payload: Any,
    aggregate_type: str,
    aggregate_id: uuid.UUID,
    occurred: datetime,
) -> OutboxEvent:
    """The event a single create emits (version 1), for the outbox rows the import writes in one statement
    in its transaction (what `tx.emit` would queue, written by the kit one placeholder per value)."""
    assert tx.tenant is not None
    return OutboxEvent.build(
        occurred_at=occurred,
        topic=topic,
        payload=payload,
        aggregate_type=aggregate_type,
        aggregate_id=str(aggregate_id),
        aggregate_version=1,
        instansi_id=tx.tenant,
        actor=tx.actor,
    )
