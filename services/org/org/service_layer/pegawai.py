"""Pegawai handlers: create, update, soft removal, JPT non-ASN by NIK, and reads by id or NIP."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime

from google.protobuf.message import Message
from sqlalchemy.exc import IntegrityError

from kinerja.org.v1 import org_pb2
from kinerja_kit.db import Transaction, UnitOfWork
from kinerja_kit.errors import (
    AlreadyExists,
    Conflict,
    FailedPrecondition,
    FieldViolation,
    InvalidArgument,
    NotFound,
    Violations,
)
from kinerja_kit.ids import new_id
from org.adapters.orm import PegawaiRow
from org.adapters.proto import pegawai_pb
from org.adapters.repository import OrgRepository, pegawai_from_row
from org.domain import fields
from org.domain.pegawai import (
    NOMOR_MAX,
    JptNonAsnInput,
    Pegawai,
    PegawaiFields,
    PegawaiInput,
    validate_jpt_non_asn,
    validate_pegawai,
)
from org.service_layer.common import (
    TOPIC_PEGAWAI,
    caller,
    open_instansi_for_write,
    parse_id,
    parse_ids,
    raise_integrity,
    require_admin,
    row_for_write,
    today,
)

NOT_FOUND = ("PEGAWAI_NOT_FOUND", "Pegawai tidak ditemukan.")


def _emit(tx: Transaction, payload: Message, pegawai_id: uuid.UUID, version: int) -> None:
    tx.emit(
        TOPIC_PEGAWAI, payload, aggregate_type="pegawai", aggregate_id=pegawai_id, aggregate_version=version
    )


def _nip_taken(path: str = "pegawai.nip") -> AlreadyExists:
    return AlreadyExists(
        "NIP_EXISTS",
        "NIP sudah terdaftar sebagai pegawai aktif.",
        [FieldViolation(path, "NIP_EXISTS", "NIP sudah terdaftar.")],
    )


def _nik_taken() -> AlreadyExists:
    return AlreadyExists(
        "NIK_EXISTS",
        "NIK sudah terdaftar sebagai pegawai aktif.",
        [FieldViolation("nik", "NIK_EXISTS", "NIK sudah terdaftar.")],
    )


def _pimpinan_taken(holder: PegawaiRow | None = None, path: str = "pegawai.pimpinan") -> FailedPrecondition:
    who = f" ({holder.nama})" if holder is not None else ""
    return FailedPrecondition(
        "PIMPINAN_EXISTS",
        f"Unor ini sudah memiliki pimpinan{who}. Ubah pimpinan tersebut menjadi pegawai terlebih dahulu.",
        [FieldViolation(path, "PIMPINAN_EXISTS", "Unor ini sudah memiliki pimpinan.")],
    )


def _check_pimpinan(repo: OrgRepository, unor_id: uuid.UUID, self_id: uuid.UUID | None, path: str) -> None:
    holder = repo.pimpinan_of(unor_id)
    if holder is not None and holder.id != self_id:
        raise _pimpinan_taken(holder, path)


def _flush(tx: Transaction, nip_path: str = "pegawai.nip") -> None:
    try:
        tx.session.flush()
    except IntegrityError as err:
        raise_integrity(
            err,
            {
                "pegawai_nip_unique": _nip_taken(nip_path),
                "pegawai_nik_unique": _nik_taken(),
                "pegawai_one_pimpinan": _pimpinan_taken(),
            },
        )


def _apply(row: PegawaiRow, fields: PegawaiFields) -> None:
    row.nama = fields.nama
    row.unor_id = fields.unor_id
    row.pimpinan = fields.pimpinan
    row.jabatan_nama = fields.jabatan.nama
    row.jabatan_jenis = fields.jabatan.jenis.name
    row.jabatan_jenjang = fields.jabatan.jenjang
    row.golongan = fields.golongan
    row.pangkat = fields.pangkat
    row.tmt_jabatan = fields.tmt_jabatan


def create_pegawai(uow: UnitOfWork, raw: PegawaiInput) -> Pegawai:
    """Adds a pegawai (NIP unique nationally, at most one pimpinan per unor); emits PegawaiCreated."""
    require_admin(caller())
    with uow.transaction() as tx:
        repo = OrgRepository(tx.session, tx.tenant)
        open_instansi_for_write(repo)
        tree = repo.tree()
        fields = validate_pegawai(raw, today=today(), unor_exists=tree.__contains__)
        if repo.pegawai_by_nip(fields.nip) is not None:
            raise _nip_taken()
        if fields.pimpinan:
            _check_pimpinan(repo, fields.unor_id, None, "pegawai.pimpinan")
        row = PegawaiRow(instansi_id=repo.tenant, id=new_id(), nip=fields.nip, nik=None, non_asn=False)
        _apply(row, fields)
        row.active = True
        row.version = 1
        tx.session.add(row)
        _flush(tx)
        created = pegawai_from_row(row)
        _emit(tx, org_pb2.PegawaiCreated(pegawai=pegawai_pb(created)), created.id, created.version)
        tx.commit()
    return created


def add_jpt_non_asn(uow: UnitOfWork, raw: JptNonAsnInput) -> Pegawai:
    """Adds a JPT non-ASN by NIK as pimpinan of the unor (002 §2.5); emits PegawaiCreated."""
    require_admin(caller())
    with uow.transaction() as tx:
        repo = OrgRepository(tx.session, tx.tenant)
        open_instansi_for_write(repo)
        tree = repo.tree()
        fields = validate_jpt_non_asn(raw, today=today(), unor_exists=tree.__contains__)
        _check_pimpinan(repo, fields.unor_id, None, "unor_id")
        row = PegawaiRow(
            instansi_id=repo.tenant,
            id=new_id(),
            nip=None,
            nik=fields.nik,
            nama=fields.nama,
            unor_id=fields.unor_id,
            pimpinan=True,
            jabatan_nama=fields.jabatan.nama,
            jabatan_jenis=fields.jabatan.jenis.name,
            jabatan_jenjang="",
            golongan="",
            pangkat="",
            tmt_jabatan=fields.tmt_jabatan,
            non_asn=True,
            active=True,
            version=1,
        )
        tx.session.add(row)
        _flush(tx)
        created = pegawai_from_row(row)
        _emit(tx, org_pb2.PegawaiCreated(pegawai=pegawai_pb(created)), created.id, created.version)
        tx.commit()
    return created


def update_pegawai(uow: UnitOfWork, pegawai_id: str, raw: PegawaiInput, expected_version: int) -> Pegawai:
    """Changes a pegawai; emits PegawaiUpdated with the previous state (nothing when nothing changed)."""
    require_admin(caller())
    wanted = parse_id(pegawai_id, *NOT_FOUND)
    with uow.transaction() as tx:
        repo = OrgRepository(tx.session, tx.tenant)
        row = row_for_write(repo, repo.pegawai_row, wanted, NOT_FOUND)
        if not row.active:
            raise FailedPrecondition("PEGAWAI_REMOVED", "Pegawai sudah dihapus dan tidak dapat diubah.")
        if expected_version and expected_version != row.version:
            raise Conflict()
        previous = pegawai_from_row(row)
        tree = repo.tree()
        fields = validate_pegawai(raw, today=today(), unor_exists=tree.__contains__, non_asn=row.non_asn)
        if not row.non_asn and fields.nip != row.nip:
            other = repo.pegawai_by_nip(fields.nip)
            if other is not None and other.id != row.id:
                raise _nip_taken()
            row.nip = fields.nip
        if fields.pimpinan:
            _check_pimpinan(repo, fields.unor_id, row.id, "pegawai.pimpinan")
        _apply(row, fields)
        if pegawai_from_row(row) == previous:
            return previous
        row.version += 1
        row.updated_at = datetime.now(UTC)
        _flush(tx)
        updated = pegawai_from_row(row)
        _emit(
            tx,
            org_pb2.PegawaiUpdated(pegawai=pegawai_pb(updated), previous=pegawai_pb(previous)),
            updated.id,
            updated.version,
        )
        tx.commit()
    return updated


def remove_pegawai(uow: UnitOfWork, pegawai_id: str) -> None:
    """Soft-deletes a pegawai (active false, kept for history) and emits PegawaiRemoved."""
    require_admin(caller())
    wanted = parse_id(pegawai_id, *NOT_FOUND)
    with uow.transaction() as tx:
        repo = OrgRepository(tx.session, tx.tenant)
        row = row_for_write(repo, repo.pegawai_row, wanted, NOT_FOUND)
        if not row.active:
            raise FailedPrecondition("PEGAWAI_REMOVED", "Pegawai sudah dihapus.")
        row.active = False
        row.removed_at = datetime.now(UTC)
        row.version += 1
        tx.session.flush()
        _emit(
            tx,
            org_pb2.PegawaiRemoved(pegawai_id=str(row.id), nip=row.nip or "", nik=row.nik or ""),
            row.id,
            row.version,
        )
        tx.commit()


def get_pegawai(uow: UnitOfWork, pegawai_id: str) -> Pegawai:
    """One pegawai of the caller's instansi (a removed one too, with active false)."""
    caller()
    wanted = parse_id(pegawai_id, *NOT_FOUND)
    with uow.transaction() as tx:
        row = OrgRepository(tx.session, tx.tenant).pegawai_row(wanted)
        if row is None:
            raise NotFound(*NOT_FOUND)
        return pegawai_from_row(row)


def get_pegawai_by_nip(uow: UnitOfWork, nip: str) -> Pegawai:
    """The active pegawai with this NIP (or, for JPT non-ASN, NIK) in the caller's instansi."""
    caller()
    v = Violations()
    nip = fields.checked(v, "nip", "NIP", nip, max_len=NOMOR_MAX, code=True) or ""
    v.raise_if_any()
    if not re.fullmatch(r"[0-9]{18}|[0-9]{16}", nip):
        raise InvalidArgument(
            [FieldViolation("nip", "NIP_FORMAT", "NIP harus 18 digit angka (atau NIK 16 digit).")]
        )
    with uow.transaction() as tx:
        repo = OrgRepository(tx.session, tx.tenant)
        row = repo.pegawai_by_nip(nip) if len(nip) == 18 else repo.pegawai_by_nik(nip)
        if row is None:
            raise NotFound(*NOT_FOUND)
        return pegawai_from_row(row)


def batch_get_pegawai(uow: UnitOfWork, ids: list[str]) -> list[Pegawai]:
    """The pegawai found among `ids` (removed ones included), in the order asked, unknown skipped."""
    caller()
    wanted = parse_ids(ids)
    if not wanted:
        return []
    with uow.transaction() as tx:
        found = {r.id: pegawai_from_row(r) for r in OrgRepository(tx.session, tx.tenant).pegawai_rows(wanted)}
    return [found[i] for i in wanted if i in found]
