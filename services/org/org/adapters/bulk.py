"""Bulk inserts for the imports: one INSERT ... SELECT FROM jsonb_to_recordset(:rows) per table, so a call of
5,000 items sends one short statement and one JSON document (encoded in C) instead of a statement with
tens of thousands of placeholders (what an executemany of SQLAlchemy's insertmanyvalues builds, and
psycopg parses, per batch) or arrays dumped element by element. COPY is not an option: PostgreSQL refuses
COPY FROM into a table with row-level security."""

from __future__ import annotations

import base64
import json
import uuid
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from sqlalchemy import bindparam, text
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.orm import Session

from kinerja_kit.outbox import OutboxEvent


def _json(value: object) -> object:
    if isinstance(value, uuid.UUID | date):
        return str(value)
    raise TypeError(f"not JSON: {type(value).__name__}")


def _rows(rows: Sequence[Mapping[str, Any]]) -> str:
    return json.dumps(list(rows), default=_json, ensure_ascii=False)


PEGAWAI = text(
    """
    insert into pegawai (instansi_id, id, nip, nik, nama, unor_id, pimpinan, jabatan_nama, jabatan_jenis,
                         jabatan_jenjang, golongan, pangkat, tmt_jabatan, non_asn, active, version)
    select :tenant, r.id, r.nip, null, r.nama, r.unor_id, r.pimpinan, r.jabatan_nama, r.jabatan_jenis,
           r.jabatan_jenjang, r.golongan, r.pangkat, r.tmt_jabatan, false, true, 1
    from jsonb_to_recordset(cast(:rows as jsonb))
         as r(id uuid, nip text, nama text, unor_id uuid, pimpinan boolean, jabatan_nama text, jabatan_jenis text,
              jabatan_jenjang text, golongan text, pangkat text, tmt_jabatan date)
    on conflict (nip) where active and nip is not null do nothing
    returning id
    """
).bindparams(bindparam("tenant", type_=UUID(as_uuid=True)))


def insert_pegawai(session: Session, tenant: uuid.UUID, rows: Sequence[Mapping[str, Any]]) -> set[uuid.UUID]:
    """Inserts active pegawai (version 1); the ids written: a row whose NIP an active pegawai already
    holds (in any instansi: the unique index sees past RLS) is left out."""
    if not rows:
        return set()
    return {uuid.UUID(str(i)) for i in session.scalars(PEGAWAI, {"tenant": tenant, "rows": _rows(rows)})}


UNOR = text(
    """
    insert into unor (instansi_id, id, nama, jenis, eselon, parent_id, induk_id, mandiri, kota, version)
    select :tenant, r.id, r.nama, r.jenis, r.eselon, r.parent_id, r.induk_id, r.mandiri, r.kota, 1
    from jsonb_to_recordset(cast(:rows as jsonb))
         as r(id uuid, nama text, jenis text, eselon text, parent_id uuid, induk_id uuid, mandiri boolean, kota text)
    """
).bindparams(bindparam("tenant", type_=UUID(as_uuid=True)))


def insert_unor(session: Session, tenant: uuid.UUID, rows: Sequence[Mapping[str, Any]]) -> None:
    """Inserts unor (version 1), parents listed before their children (checked at the statement's end)."""
    if rows:
        session.execute(UNOR, {"tenant": tenant, "rows": _rows(rows)})


OUTBOX = text(
    """
    insert into outbox (id, topic, event_type, instansi_id, aggregate_type, aggregate_id, aggregate_version,
                        envelope, headers)
    select r.id, r.topic, r.event_type, r.instansi_id, r.aggregate_type, r.aggregate_id, r.aggregate_version,
           decode(r.envelope, 'base64'), r.headers
    from jsonb_to_recordset(cast(:rows as jsonb))
         as r(id uuid, topic text, event_type text, instansi_id uuid, aggregate_type text, aggregate_id text,
              aggregate_version bigint, envelope text, headers jsonb)
    """
)


def insert_outbox(session: Session, events: Sequence[OutboxEvent]) -> None:
    """The outbox rows the kit's Transaction.commit writes for queued events (same columns and values),
    in one statement: for an import's thousands of events."""
    if not events:
        return
    rows = [
        {
            "id": e.id,
            "topic": e.topic,
            "event_type": e.event_type,
            "instansi_id": e.instansi_id,
            "aggregate_type": e.aggregate_type,
            "aggregate_id": e.aggregate_id,
            "aggregate_version": e.aggregate_version,
            "envelope": base64.b64encode(e.envelope.SerializeToString()).decode(),
            "headers": e.headers(),
        }
        for e in events
    ]
    session.execute(OUTBOX, {"rows": _rows(rows)})


__all__ = ["insert_outbox", "insert_pegawai", "insert_unor"]
