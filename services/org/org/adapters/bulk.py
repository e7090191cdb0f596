"""Bulk inserts for the imports: one INSERT ... SELECT FROM jsonb_to_recordset(:rows) per table
(`kinerja_kit.bulk`), so a call of 5,000 items sends one short statement and one JSON document. Their
outbox rows are written by the kit's `insert_outbox_bulk` the same way."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import bindparam, text
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.orm import Session

from kinerja_kit.bulk import recordset_json

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
    return {
        uuid.UUID(str(i)) for i in session.scalars(PEGAWAI, {"tenant": tenant, "rows": recordset_json(rows)})
    }


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
        session.execute(UNOR, {"tenant": tenant, "rows": recordset_json(rows)})


__all__ = ["insert_pegawai", "insert_unor"]
