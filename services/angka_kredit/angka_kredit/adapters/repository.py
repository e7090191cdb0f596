"""`SqlStore`: one transaction's loads and saves of PAKs (rows ↔ the domain's `Pak`), pengaturan, SK files and
SK number counters.

A PAK's header (who, which periode, the exact AK as `ak_num`/`ak_den`, the SK number and its year, status,
version) is columns, for the lists and the unique indexes; the rest is the domain's JSON document
(`model.dokumen` / `model.isi_dokumen`) in the `dokumen` column.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from fractions import Fraction
from typing import Any

from sqlalchemy import Select, insert, select, text, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from angka_kredit.adapters import orm
from angka_kredit.domain.errors import NomorSkTerpakai
from angka_kredit.domain.model import ModePenomoran, Pak, Pelaku, StatusPak, SumberPak, dokumen, isi_dokumen
from angka_kredit.domain.penomoran import FORMAT_BAKU
from kinerja_kit.db import Transaction
from kinerja_kit.errors import AlreadyExists
from kinerja_kit.handlers import raise_integrity

# The columns that are a Pak field of the same name and value.
_PLAIN = (
    "instansi_id", "id", "tahun", "pegawai_id", "nip", "nama", "jabatan", "jenjang", "golongan", "tmt_jabatan",
    "skp_id", "periode_id", "penilaian_id", "tanggal_mulai", "tanggal_selesai", "penilai_id", "nomor_sk",
    "tempat", "tanggal_sk", "perlu_pak_baru", "version", "created_at", "updated_at",
)  # fmt: skip

_NEXT_NUMBER = text(
    "insert into nomor_sk_counter (instansi_id, tahun, berikutnya) values (:i, :t, 2) "
    "on conflict (instansi_id, tahun) do update set berikutnya = nomor_sk_counter.berikutnya + 1 "
    "returning berikutnya - 1"
)


@dataclass
class Pengaturan:
    """The instansi's SK numbering (none stored: automatic in the default format)."""

    instansi_id: uuid.UUID
    mode: ModePenomoran = ModePenomoran.OTOMATIS
    format_nomor: str = FORMAT_BAKU
    tempat: str = ""
    version: int = 0
    updated_at: datetime | None = None
    diubah_oleh: Pelaku | None = None


@dataclass(frozen=True)
class Berkas:
    pak_id: uuid.UUID
    sha256: str
    nama_berkas: str
    ukuran: int
    isi: bytes


def _pak(row: Any) -> Pak:
    return Pak(
        sumber=SumberPak[row.sumber],
        status=StatusPak[row.status],
        angka_kredit=Fraction(row.ak_num, row.ak_den),
        **{name: getattr(row, name) for name in _PLAIN},
        **isi_dokumen(row.dokumen),
    )


def _values(pak: Pak) -> dict[str, Any]:
    values = {name: getattr(pak, name) for name in _PLAIN}
    values.update(
        sumber=pak.sumber.name,
        status=pak.status.name,
        ak_num=pak.angka_kredit.numerator,
        ak_den=pak.angka_kredit.denominator,
        tahun_sk=pak.tahun_sk if pak.nomor_sk is not None else None,
        dokumen=dokumen(pak),
    )
    return values


def _pelaku_json(p: Pelaku | None) -> dict[str, str] | None:
    if p is None:
        return None
    return {"pegawai_id": str(p.pegawai_id or ""), "nip": p.nip, "nama": p.nama, "jabatan": p.jabatan}


def _pelaku(d: dict[str, str] | None) -> Pelaku | None:
    if not d:
        return None
    found = d.get("pegawai_id") or None
    return Pelaku(
        uuid.UUID(found) if found else None, d.get("nip", ""), d.get("nama", ""), d.get("jabatan", "")
    )


class SqlStore:
    """What one transaction reads and writes; rows are confined to its instansi by RLS."""

    def __init__(self, tx: Transaction) -> None:
        self.tx = tx

    @property
    def session(self) -> Session:
        return self.tx.session

    # ---- pak ----

    def _one(self, query: Select[Any], lock: bool) -> Pak | None:
        row = self.session.execute(query.with_for_update() if lock else query).first()
        return _pak(row) if row else None

    def get(self, pak_id: uuid.UUID, *, lock: bool = False) -> Pak | None:
        return self._one(select(orm.pak).where(orm.pak.c.id == pak_id), lock)

    def get_many(self, ids: Sequence[uuid.UUID]) -> list[Pak]:
        if not ids:
            return []
        rows = self.session.execute(select(orm.pak).where(orm.pak.c.id.in_(list(ids)))).all()
        found = {r.id: _pak(r) for r in rows}
        return [found[i] for i in ids if i in found]

    def by_penilaian(self, penilaian_id: uuid.UUID, *, lock: bool = False) -> Pak | None:
        return self._one(select(orm.pak).where(orm.pak.c.penilaian_id == penilaian_id), lock)

    def of_pegawai(self, pegawai_id: uuid.UUID, *, lock: bool = False) -> list[Pak]:
        """Every PAK of a pegawai (a handful), by tanggal_selesai then creation (UUIDv7)."""
        query = (
            select(orm.pak)
            .where(orm.pak.c.pegawai_id == pegawai_id)
            .order_by(orm.pak.c.tanggal_selesai, orm.pak.c.id)
        )
        if lock:
            query = query.with_for_update()
        return [_pak(r) for r in self.session.execute(query).all()]

    def page(self, query: Select[Any]) -> list[Pak]:
        return [_pak(r) for r in self.session.execute(query).all()]

    def add(self, pak: Pak) -> None:
        try:
            with self.session.begin_nested():
                self.session.execute(insert(orm.pak).values(**_values(pak)))
        except IntegrityError as err:
            raise_integrity(
                err,
                {
                    "pak_penilaian": AlreadyExists("PAK_SUDAH_ADA", "PAK untuk penilaian ini sudah ada."),
                    "pak_nomor_sk": NomorSkTerpakai(pak.nomor_sk or "", pak.tahun_sk),
                },
            )

    def save(self, pak: Pak) -> None:
        """Writes a changed PAK as it is (the caller holds its row lock and moved its version)."""
        values = _values(pak)
        for key in ("instansi_id", "id", "created_at"):
            values.pop(key)
        try:
            with self.session.begin_nested():
                self.session.execute(update(orm.pak).where(orm.pak.c.id == pak.id).values(**values))
        except IntegrityError as err:
            raise_integrity(err, {"pak_nomor_sk": NomorSkTerpakai(pak.nomor_sk or "", pak.tahun_sk)})

    def nomor_berikutnya(self, tahun: int) -> int:
        """The next automatic SK number of the instansi in `tahun`; its counter row stays locked to the end
        of the transaction (a rolled-back approval gives the number back)."""
        found = self.session.execute(_NEXT_NUMBER, {"i": self.tx.tenant, "t": tahun}).scalar_one()
        return int(found)

    # ---- pengaturan ----

    def pengaturan(self, *, lock: bool = False) -> Pengaturan:
        assert self.tx.tenant is not None
        query = select(orm.pengaturan_pak)
        row = self.session.execute(query.with_for_update() if lock else query).first()
        if row is None:
            return Pengaturan(self.tx.tenant)
        return Pengaturan(
            row.instansi_id,
            ModePenomoran[row.mode],
            row.format_nomor,
            row.tempat,
            row.version,
            row.updated_at,
            _pelaku(row.diubah_oleh),
        )

    def save_pengaturan(self, p: Pengaturan) -> None:
        p.version += 1
        p.updated_at = datetime.now(UTC)
        values = {
            "instansi_id": p.instansi_id,
            "mode": p.mode.name,
            "format_nomor": p.format_nomor,
            "tempat": p.tempat,
            "version": p.version,
            "updated_at": p.updated_at,
            "diubah_oleh": _pelaku_json(p.diubah_oleh),
        }
        statement = pg_insert(orm.pengaturan_pak).values(**values)
        statement = statement.on_conflict_do_update(
            index_elements=["instansi_id"], set_={k: v for k, v in values.items() if k != "instansi_id"}
        )
        self.session.execute(statement)

    # ---- berkas ----

    def save_berkas(self, berkas: Berkas, oleh: Pelaku | None, at: datetime) -> None:
        values = {
            "instansi_id": self.tx.tenant,
            "pak_id": berkas.pak_id,
            "sha256": berkas.sha256,
            "nama_berkas": berkas.nama_berkas,
            "ukuran": berkas.ukuran,
            "isi": berkas.isi,
            "uploaded_at": at,
            "uploaded_by": _pelaku_json(oleh) or {},
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
