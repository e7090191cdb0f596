"""Indexes for ListPlt a page at a time, newest first (tanggal_mulai, id descending).

- `plt_by_mulai`: btree on (instansi_id, tanggal_mulai, id), walked backwards: the instansi's PLT/PLH in
  the list's order with its keyset (`(tanggal_mulai, id) < (d, i)`); the page's cost is the page's.
- `plt_not_ended`: btree on (instansi_id, tanggal_selesai) of switched-on assignments: those in force
  today are among the ones not yet ended (`tanggal_selesai >= today`), at most a few per unit (switched-on
  assignments of one unit never overlap), not the instansi's whole history; also serves the acting heads
  of every unit (relations).

A pegawai's or a unit's list stays on `plt_by_pegawai` / `plt_by_unor` (0001), bounded by that pegawai
or unit, sorted.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01
"""

from __future__ import annotations

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("create index plt_by_mulai on plt (instansi_id, tanggal_mulai, id)")
    op.execute("create index plt_not_ended on plt (instansi_id, tanggal_selesai) where aktif")


def downgrade() -> None:
    op.execute("drop index if exists plt_not_ended")
    op.execute("drop index if exists plt_by_mulai")
