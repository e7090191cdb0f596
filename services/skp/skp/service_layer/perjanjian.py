"""Perjanjian kinerja handlers: a JPT's own per year; sasaran strategis added, changed, removed."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.exc import IntegrityError

from kinerja.skp.v1 import skp_pb2
from kinerja_kit.context import Principal
from kinerja_kit.errors import AlreadyExists, FailedPrecondition, NotFound, PermissionDenied
from kinerja_kit.handlers import caller, parse_id, raise_integrity
from kinerja_kit.ids import new_id
from skp.adapters.orm import PerjanjianKinerjaRow
from skp.adapters.proto import pk_pb
from skp.adapters.repository import SkpRepository
from skp.domain.perjanjian import SASARAN_MAX, SasaranInput, validate_sasaran, validate_tahun
from skp.domain.values import ModelSkp
from skp.service_layer.common import TOPIC_PERJANJIAN, Deps, own_pegawai
from skp.service_layer.roles import resolve_roles

NOT_FOUND = ("PK_NOT_FOUND", "Perjanjian kinerja tidak ditemukan.")
SASARAN_NOT_FOUND = ("SASARAN_NOT_FOUND", "Sasaran strategis tidak ditemukan.")


def _readable(principal: Principal, row: PerjanjianKinerjaRow) -> bool:
    return principal.is_admin or row.pegawai_id == principal.pegawai_id


def create_perjanjian(deps: Deps, tahun: int) -> PerjanjianKinerjaRow:
    """The caller's perjanjian kinerja of a year: one per JPT per year."""
    principal = caller()
    me = own_pegawai(principal)
    validate_tahun(tahun, deps.clock())
    if resolve_roles(deps.org, me, None, deps.clock()).model != ModelSkp.JPT:
        raise FailedPrecondition(
            "PK_HANYA_JPT",
            "Perjanjian kinerja disusun oleh pejabat pimpinan tinggi (JPT) atau pimpinan unit mandiri.",
        )
    with deps.uow.transaction() as tx:
        row = PerjanjianKinerjaRow(
            instansi_id=tx.tenant, id=new_id(), pegawai_id=me, tahun=tahun, sasaran=[], version=1
        )
        tx.session.add(row)
        try:
            tx.session.flush()
        except IntegrityError as err:
            raise_integrity(
                err,
                {
                    "perjanjian_kinerja_one_per_year": AlreadyExists(
                        "PK_SUDAH_ADA", f"Perjanjian kinerja tahun {tahun} sudah ada."
                    )
                },
            )
        _emit(tx, row)
        tx.commit()
    return row


def _emit(tx, row: PerjanjianKinerjaRow) -> None:  # type: ignore[no-untyped-def]
    tx.emit(
        TOPIC_PERJANJIAN,
        skp_pb2.PerjanjianKinerjaChanged(perjanjian_kinerja=pk_pb(row)),
        aggregate_type="perjanjian_kinerja",
        aggregate_id=row.id,
        aggregate_version=row.version,
    )


def get_perjanjian(deps: Deps, pk_id: str) -> skp_pb2.PerjanjianKinerja:
    principal = caller()
    wanted = parse_id(pk_id, *NOT_FOUND)
    with deps.uow.transaction() as tx:
        row = SkpRepository(tx.session, tx.tenant).pk_row(wanted)
        if row is None:
            raise NotFound(*NOT_FOUND)
        if not _readable(principal, row):
            raise PermissionDenied("PK_TIDAK_BERHAK", "Anda tidak berhak melihat perjanjian kinerja ini.")
        return pk_pb(row)


def list_perjanjian(deps: Deps, pegawai_id: str, tahun: int) -> list[skp_pb2.PerjanjianKinerja]:
    """The caller's own (or, for admins, any pegawai's) perjanjian kinerja, newest year first."""
    principal = caller()
    if pegawai_id.strip():
        wanted = parse_id(pegawai_id, "PEGAWAI_NOT_FOUND", "Pegawai tidak ditemukan.")
        if wanted != principal.pegawai_id and not principal.is_admin:
            raise PermissionDenied(
                "PK_TIDAK_BERHAK", "Anda hanya dapat melihat perjanjian kinerja Anda sendiri."
            )
    else:
        wanted = own_pegawai(principal)
    with deps.uow.transaction() as tx:
        return [pk_pb(r) for r in SkpRepository(tx.session, tx.tenant).pk_rows(wanted, tahun)]


def _change(deps: Deps, pk_id: str, change) -> PerjanjianKinerjaRow:  # type: ignore[no-untyped-def]
    """Runs `change(list of sasaran)` on the owner's perjanjian kinerja, saving it with a new version."""
    principal = caller()
    wanted = parse_id(pk_id, *NOT_FOUND)
    with deps.uow.transaction() as tx:
        row = SkpRepository(tx.session, tx.tenant).pk_row(wanted, for_update=True)
        if row is None:
            raise NotFound(*NOT_FOUND)
        if row.pegawai_id != principal.pegawai_id:
            raise PermissionDenied(
                "BUKAN_PEMILIK_PK", "Hanya pemilik perjanjian kinerja yang dapat mengubahnya."
            )
        sasaran = [dict(s) for s in row.sasaran]
        change(sasaran)
        row.sasaran = sasaran
        row.version += 1
        row.updated_at = datetime.now(UTC)
        tx.session.flush()
        _emit(tx, row)
        tx.commit()
    return row


def _index(sasaran: list[dict], sasaran_id: str) -> int:  # type: ignore[type-arg]
    wanted = str(parse_id(sasaran_id, *SASARAN_NOT_FOUND))
    for i, item in enumerate(sasaran):
        if item["id"] == wanted:
            return i
    raise NotFound(*SASARAN_NOT_FOUND)


def add_sasaran(deps: Deps, pk_id: str, raw: SasaranInput) -> PerjanjianKinerjaRow:
    item = validate_sasaran(raw)

    def change(sasaran: list) -> None:  # type: ignore[type-arg]
        if len(sasaran) >= SASARAN_MAX:
            raise FailedPrecondition("BATAS_JUMLAH", f"Sasaran strategis paling banyak {SASARAN_MAX}.")
        sasaran.append(item)

    return _change(deps, pk_id, change)


def update_sasaran(deps: Deps, pk_id: str, sasaran_id: str, raw: SasaranInput) -> PerjanjianKinerjaRow:
    """Replaces a sasaran's text and indikator (its id is kept)."""
    item = validate_sasaran(raw)

    def change(sasaran: list) -> None:  # type: ignore[type-arg]
        i = _index(sasaran, sasaran_id)
        sasaran[i] = {**item, "id": sasaran[i]["id"]}

    return _change(deps, pk_id, change)


def delete_sasaran(deps: Deps, pk_id: str, sasaran_id: str) -> PerjanjianKinerjaRow:
    def change(sasaran: list) -> None:  # type: ignore[type-arg]
        del sasaran[_index(sasaran, sasaran_id)]

    return _change(deps, pk_id, change)
