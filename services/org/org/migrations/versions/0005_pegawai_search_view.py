"""`pegawai_search`: the active pegawai of the current tenant, as SearchPegawai reads them, so that its
name and NIP conditions reach their indexes.

Under forced row-level security PostgreSQL evaluates the tenant policy before any condition of the query
that is not leakproof, and so never uses such a condition as an index condition: `nama ILIKE '%x%'`
(texticlike is not leakproof, nor is any trigram operator) and anything on `coalesce(nip, nik)` (the
planner counts COALESCE as leaky) fall back to scanning the instansi. Marking functions leakproof takes a
superuser; this migration runs as the database owner.

So the view does the confinement itself (`kinerja_kit.migrations.create_tenant_search_view`), with the
same function the policies use (`instansi_id = kinerja_current_instansi()`: no tenant set, no rows), and
reads the table as its owner, who gets a SELECT-only policy `using (true)` (the owner owns the table and
its policies anyway; the runtime role still sees only its tenant, in the table and in the view). The view
is not a security barrier, so the query's conditions are planned together with the tenant condition: the
trigram index `pegawai_nama_trgm` serves a name fragment and `pegawai_by_nomor` a NIP prefix. Only the
service's fixed queries read it, with built-in operators on bound parameters. The runtime role gets SELECT
through the owner's default privileges (as for every table) and nothing else: the view would be updatable,
so every other privilege on it is revoked from whoever the default privileges gave it to.

`nomor` is the NIP, or the NIK of a JPT non-ASN, in byte order: the key of `pegawai_by_nomor`.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01
"""

from __future__ import annotations

from alembic import op

from kinerja_kit.migrations import create_tenant_search_view, drop_tenant_search_view

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_tenant_search_view(
        op,
        "pegawai_search",
        "pegawai",
        'instansi_id, id, nama, coalesce(nip, nik) collate "C" as nomor, unor_id, pimpinan, jabatan_jenis',
        where="active",
    )
    # Under RLS the trigram index cannot serve ListUnor's name filter either (a tree of at most a few
    # thousand unor is filtered as it is read): the index 0004 made for it goes.
    op.execute("drop index if exists unor_nama_trgm")


def downgrade() -> None:
    op.execute(
        "create index unor_nama_trgm on unor using gin (instansi_id, nama gin_trgm_ops) "
        "where deleted_at is null"
    )
    drop_tenant_search_view(op, "pegawai_search", "pegawai")
