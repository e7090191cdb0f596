"""Kinerja harian handlers (004): daily work entries on an approved SKP, rolled up by month."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal

from kinerja.skp.v1 import skp_pb2
from kinerja_kit import fields, numbers
from kinerja_kit.db import Transaction
from kinerja_kit.errors import Conflict, NotFound, Violations
from kinerja_kit.handlers import caller, parse_id
from kinerja_kit.ids import new_id, parse_uuid
from skp.adapters.orm import KinerjaHarianRow
from skp.adapters.proto import harian_pb
from skp.adapters.repository import SkpRepository, skp_from_row
from skp.domain import rules
from skp.domain.model import Skp
from skp.domain.values import REALISASI, decimal_text, parse_iso_date
from skp.service_layer.common import SKP_NOT_FOUND, TOPIC_HARIAN, Deps
from skp.service_layer.skp import get_skp

URAIAN_MAX = 2000
NOT_FOUND = ("KINERJA_HARIAN_NOT_FOUND", "Catatan kinerja harian tidak ditemukan.")


@dataclass(frozen=True)
class HarianInput:
    tanggal: str
    uraian: str
    indikator_id: str
    realisasi: str


def _validate(raw: HarianInput, skp: Skp, today: datetime) -> tuple:  # type: ignore[type-arg]
    v = Violations()
    path = "kinerja_harian"
    day = parse_iso_date(raw.tanggal) if raw.tanggal.strip() else None
    if not raw.tanggal.strip():
        v.add(f"{path}.tanggal", "REQUIRED", "Tanggal wajib diisi.")
    elif day is None:
        v.add(f"{path}.tanggal", "INVALID_DATE", "Tanggal harus berformat TTTT-BB-HH.")
    elif not skp.tanggal_mulai <= day <= skp.tanggal_selesai:
        v.add(f"{path}.tanggal", "DI_LUAR_MASA_SKP", "Tanggal berada di luar masa SKP.")
    elif day > today.date():
        v.add(
            f"{path}.tanggal",
            "TANGGAL_MENDATANG",
            "Kinerja harian tidak dapat dicatat untuk tanggal yang akan datang.",
        )
    uraian = fields.text(v, f"{path}.uraian", "Uraian", raw.uraian, max_len=URAIAN_MAX, required=True)
    indikator_id = parse_uuid(raw.indikator_id.strip())
    found = skp.indikator(indikator_id) if indikator_id else None
    if not raw.indikator_id.strip():
        v.add(f"{path}.indikator_id", "REQUIRED", "Indikator wajib dipilih.")
    elif found is None:
        v.add(f"{path}.indikator_id", "INDIKATOR_NOT_FOUND", "Indikator tidak ditemukan pada SKP ini.")
    # the value stored in the NUMERIC(20, 4) column, exactly: the answer is built from it
    realisasi = numbers.parse(v, f"{path}.realisasi", REALISASI, raw.realisasi)
    if not raw.realisasi.strip():
        v.add(f"{path}.realisasi", "REQUIRED", "Realisasi wajib diisi.")
    v.raise_if_any()
    assert found is not None
    return day, uraian, found, realisasi


def _emit(tx: Transaction, row: KinerjaHarianRow, change: str) -> None:
    tx.emit(
        TOPIC_HARIAN,
        skp_pb2.KinerjaHarianRecorded(kinerja_harian=harian_pb(row), change=change),
        aggregate_type="kinerja_harian",
        aggregate_id=row.id,
        aggregate_version=row.version,
    )


def _owned_approved_skp(repo: SkpRepository, skp_id: str) -> Skp:
    row = repo.skp_row(parse_id(skp_id, *SKP_NOT_FOUND))
    if row is None:
        raise NotFound(*SKP_NOT_FOUND)
    skp = skp_from_row(row)
    rules.require_owner(skp, caller().pegawai_id)
    rules.require_approved(skp, "Kinerja harian")
    return skp


def _now_wib(deps: Deps) -> datetime:
    return datetime.combine(deps.clock(), datetime.min.time())


def add_harian(deps: Deps, skp_id: str, raw: HarianInput) -> KinerjaHarianRow:
    with deps.uow.transaction() as tx:
        repo = SkpRepository(tx.session, tx.tenant)
        skp = _owned_approved_skp(repo, skp_id)
        day, uraian, (rhk, indikator), realisasi = _validate(raw, skp, _now_wib(deps))
        row = KinerjaHarianRow(
            instansi_id=repo.tenant, id=new_id(), skp_id=skp.id, pegawai_id=skp.pegawai_id, tanggal=day,
            uraian=uraian, indikator_id=indikator.id, rhk_id=rhk.id, realisasi=realisasi,
            satuan=indikator.target.satuan, version=1,
        )  # fmt: skip
        tx.session.add(row)
        tx.session.flush()
        _emit(tx, row, "ADDED")
        tx.commit()
    return row


def _row_for_write(repo: SkpRepository, harian_id: str, expected_version: int = 0) -> KinerjaHarianRow:
    row = repo.harian_row(parse_id(harian_id, *NOT_FOUND), for_update=True)
    if row is None:
        raise NotFound(*NOT_FOUND)
    if expected_version and expected_version != row.version:
        raise Conflict()
    return row


def update_harian(deps: Deps, harian_id: str, raw: HarianInput, expected_version: int) -> KinerjaHarianRow:
    with deps.uow.transaction() as tx:
        repo = SkpRepository(tx.session, tx.tenant)
        row = _row_for_write(repo, harian_id, expected_version)
        skp = _owned_approved_skp(repo, str(row.skp_id))
        day, uraian, (rhk, indikator), realisasi = _validate(raw, skp, _now_wib(deps))
        row.tanggal, row.uraian, row.indikator_id, row.rhk_id = day, uraian, indikator.id, rhk.id
        row.realisasi, row.satuan = realisasi, indikator.target.satuan
        row.version += 1
        row.updated_at = datetime.now(UTC)
        tx.session.flush()
        _emit(tx, row, "UPDATED")
        tx.commit()
    return row


def delete_harian(deps: Deps, harian_id: str) -> None:
    with deps.uow.transaction() as tx:
        repo = SkpRepository(tx.session, tx.tenant)
        row = _row_for_write(repo, harian_id)
        _owned_approved_skp(repo, str(row.skp_id))
        row.version += 1
        _emit(tx, row, "DELETED")
        tx.session.delete(row)
        tx.commit()


def list_harian(deps: Deps, skp_id: str, bulan: int) -> list[skp_pb2.KinerjaHarian]:
    """The entries of an SKP (of one month when `bulan` is 1-12), for whoever may see the SKP."""
    skp = get_skp(deps, skp_id)
    if not 0 <= bulan <= 12:
        v = Violations()
        v.add("bulan", "INVALID_MONTH", "Bulan harus 1 sampai 12.")
        v.raise_if_any()
    with deps.uow.transaction() as tx:
        return [harian_pb(r) for r in SkpRepository(tx.session, tx.tenant).harian_rows(skp.id, bulan)]


def rekap_bulanan(deps: Deps, skp_id: str) -> list[skp_pb2.RekapBulanan]:
    """Per indikator and month of the SKP: the planned monthly target and the sum of kinerja harian."""
    skp = get_skp(deps, skp_id)
    totals: dict[tuple[str, int], tuple[Decimal, int]] = defaultdict(lambda: (Decimal(0), 0))
    with deps.uow.transaction() as tx:
        for row in SkpRepository(tx.session, tx.tenant).harian_rows(skp.id):
            key = (str(row.indikator_id), row.tanggal.month)
            total, count = totals[key]
            totals[key] = (total + row.realisasi, count + 1)
    result = []
    for rhk in skp.ordered_rhk():
        for item in rhk.indikator:
            for month in range(skp.tanggal_mulai.month, skp.tanggal_selesai.month + 1):
                total, count = totals.get((str(item.id), month), (Decimal(0), 0))
                result.append(
                    skp_pb2.RekapBulanan(
                        indikator_id=str(item.id), rhk_id=str(rhk.id), bulan=month,
                        target=decimal_text(item.target_bulanan[month - 1]),
                        realisasi=decimal_text(total) if count else "", jumlah_entri=count,
                    )
                )  # fmt: skip
    return result
