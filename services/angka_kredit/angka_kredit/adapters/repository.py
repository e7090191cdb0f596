"""`SqlStore`: one transaction's loads and saves of PAKs, pengaturan, SK files and SK number counters."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import asdict
from datetime import UTC, datetime
from fractions import Fraction
from typing import Any

from sqlalchemy import Select, insert, select, text, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from angka_kredit.adapters import orm
from angka_kredit.service_layer.records import Berkas, PakRecord, Pengaturan
from kinerja_kit.db import Transaction
from kinerja_kit.errors import AlreadyExists
from kinerja_kit.handlers import raise_integrity

_COLUMNS = [c.name for c in orm.pak.columns if c.name not in ("ak_num", "ak_den")]

_NEXT_NUMBER = text(
    "insert into nomor_sk_counter (instansi_id, tahun, berikutnya) values (:i, :t, 2) "
    "on conflict (instansi_id, tahun) do update set berikutnya = nomor_sk_counter.berikutnya + 1 "
    "returning berikutnya - 1"
)


def nomor_terpakai(nomor: str, tahun: int) -> AlreadyExists:
    return AlreadyExists(
        "NOMOR_SK_TERPAKAI", f"Nomor SK PAK {nomor} sudah dipakai di instansi ini pada tahun {tahun}."
    )


def _record(row: Any) -> PakRecord:
    data = {name: getattr(row, name) for name in _COLUMNS}
    return PakRecord(ak=Fraction(row.ak_num, row.ak_den), **data)


def _values(p: PakRecord) -> dict[str, Any]:
    values = {k: v for k, v in asdict(p).items() if k != "ak"}
    values["ak_num"] = p.ak.numerator
    values["ak_den"] = p.ak.denominator
    return values


class SqlStore:
    """What one transaction reads and writes; rows are confined to its instansi by RLS."""

    def __init__(self, tx: Transaction) -> None:
        self.tx = tx

    @property
    def session(self) -> Session:
        return self.tx.session

    # ---- pak ----

    def get(self, pak_id: uuid.UUID, *, lock: bool = False) -> PakRecord | None:
        query = select(orm.pak).where(orm.pak.c.id == pak_id)
        if lock:
            query = query.with_for_update()
        row = self.session.execute(query).first()
        return _record(row) if row else None

    def get_many(self, ids: Sequence[uuid.UUID]) -> list[PakRecord]:
        if not ids:
            return []
        rows = self.session.execute(select(orm.pak).where(orm.pak.c.id.in_(list(ids)))).all()
        found = {r.id: _record(r) for r in rows}
        return [found[i] for i in ids if i in found]

    def by_penilaian(self, penilaian_id: uuid.UUID, *, lock: bool = False) -> PakRecord | None:
        query = select(orm.pak).where(orm.pak.c.penilaian_id == penilaian_id)
        if lock:
            query = query.with_for_update()
        row = self.session.execute(query).first()
        return _record(row) if row else None

    def of_pegawai(self, pegawai_id: uuid.UUID, *, lock: bool = False) -> list[PakRecord]:
        """Every PAK of a pegawai (a handful), in their order: tanggal_selesai, then creation (UUIDv7)."""
        query = (
            select(orm.pak)
            .where(orm.pak.c.pegawai_id == pegawai_id)
            .order_by(orm.pak.c.tanggal_selesai, orm.pak.c.id)
        )
        if lock:
            query = query.with_for_update()
        return [_record(r) for r in self.session.execute(query).all()]

    def add(self, p: PakRecord) -> None:
        now = datetime.now(UTC)
        p.created_at = p.created_at or now
        p.updated_at = now
        try:
            with self.session.begin_nested():
                self.session.execute(insert(orm.pak).values(**_values(p)))
        except IntegrityError as err:
            raise_integrity(
                err,
                {
                    "pak_penilaian": AlreadyExists("PAK_SUDAH_ADA", "PAK untuk penilaian ini sudah ada."),
                    "pak_nomor_sk": nomor_terpakai(p.nomor_sk or "", p.tahun_sk or p.tahun),
                },
            )

    def save(self, p: PakRecord) -> None:
        """Writes a changed PAK with version + 1 (the caller holds its row lock)."""
        p.version += 1
        p.updated_at = datetime.now(UTC)
        values = _values(p)
        for key in ("instansi_id", "id", "created_at"):
            values.pop(key)
        try:
            with self.session.begin_nested():
                self.session.execute(update(orm.pak).where(orm.pak.c.id == p.id).values(**values))
        except IntegrityError as err:
            raise_integrity(err, {"pak_nomor_sk": nomor_terpakai(p.nomor_sk or "", p.tahun_sk or p.tahun)})

    def nomor_berikutnya(self, tahun: int) -> int:
        """The next automatic SK number of the instansi in `tahun`; its counter row stays locked to the end
        of the transaction (a rolled-back approval gives the number back)."""
        found = self.session.execute(_NEXT_NUMBER, {"i": self.tx.tenant, "t": tahun}).scalar_one()
        return int(found)

    def page(self, query: Select[Any]) -> list[PakRecord]:
        return [_record(r) for r in self.session.execute(query).all()]

    # ---- pengaturan ----

    def pengaturan(self, *, lock: bool = False) -> Pengaturan:
        assert self.tx.tenant is not None
        query = select(orm.pengaturan_pak)
        if lock:
            query = query.with_for_update()
        row = self.session.execute(query).first()
        if row is None:
            return Pengaturan(self.tx.tenant)
        return Pengaturan(
            row.instansi_id,
            row.mode,
            row.format_nomor,
            row.tempat,
            row.version,
            row.updated_at,
            row.diubah_oleh,
        )

    def save_pengaturan(self, p: Pengaturan) -> None:
        p.version += 1
        p.updated_at = datetime.now(UTC)
        values = asdict(p)
        statement = pg_insert(orm.pengaturan_pak).values(**values)
        statement = statement.on_conflict_do_update(
            index_elements=["instansi_id"], set_={k: v for k, v in values.items() if k != "instansi_id"}
        )
        self.session.execute(statement)

    # ---- berkas ----

    def save_berkas(self, berkas: Berkas, oleh: dict[str, str]) -> None:
        values = {
            "instansi_id": self.tx.tenant,
            "pak_id": berkas.pak_id,
            "sha256": berkas.sha256,
            "nama_berkas": berkas.nama_berkas,
            "ukuran": berkas.ukuran,
            "isi": berkas.isi,
            "uploaded_at": datetime.now(UTC),
            "uploaded_by": oleh,
        }
        statement = pg_insert(orm.sk_berkas).values(**values)
        statement = statement.on_conflict_do_update(
            index_elements=["instansi_id", "pak_id"],
            set_={k: v for k, v in values.items() if k not in ("instansi_id", "pak_id")},
        )
        self.session.execute(statement)

    def berkas(self, pak_id: uuid.UUID) -> Berkas | None:
        row = self.session.execute(select(orm.sk_berkas).where(orm.sk_berkas.c.pak_id == pak_id)).first()
        if row is None:
            return None
        return Berkas(row.pak_id, row.sha256, row.nama_berkas, row.ukuran, bytes(row.isi))
