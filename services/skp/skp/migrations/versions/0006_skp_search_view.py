"""`skp_search`: the live SKPs of the current tenant, as ListSkp reads them, so that a name fragment and a
NIP prefix reach their indexes (skp_nama_trgm, skp_by_nip).

Under forced row-level security PostgreSQL evaluates the tenant policy before any condition of the query
that is not leakproof, and so never uses such a condition as an index condition: `pegawai_nama ILIKE
'%x%'` (texticlike is not leakproof, nor is any trigram operator) falls back to walking the instansi's
SKPs; the uuid, integer, date and text comparisons the other filters use are leakproof and reach their
indexes anyway. Marking functions leakproof takes a superuser; this migration runs as the database owner.

So the view does the confinement itself (`kinerja_kit.migrations.create_tenant_search_view`), with the
function the policies use (`instansi_id = kinerja_current_instansi()`: no tenant set, no rows), and reads
the table as its owner, who gets a SELECT-only policy `using (true)` (the owner owns the table and its
policies anyway; the runtime role still sees only its tenant, in the table and in the view). The view is
not a security barrier, so the query's conditions are planned together with the tenant condition. Only the
service's fixed list query reads it, with built-in operators on bound parameters, and only ids; the rows
are then read from the table. The runtime role gets SELECT through the owner's default privileges (as for
every table) and nothing else: the view would be updatable, so every other privilege on it is revoked (as
org's pegawai_search).

`nip` is the pegawai's NIP in byte order (COLLATE "C"), the key of skp_by_nip.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01
"""

from __future__ import annotations

from alembic import op

from kinerja_kit.migrations import create_tenant_search_view, drop_tenant_search_view

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_tenant_search_view(
        op,
        "skp_search",
        "skp",
        "instansi_id, id, pegawai_id, unor_id, plt_id, tahun, tanggal_mulai, tanggal_selesai, status, "
        'pegawai_nama, pegawai_nip collate "C" as nip, penilai_pegawai_id, penilai_unor_id',
        where="deleted_at is null",
    )


def downgrade() -> None:
    drop_tenant_search_view(op, "skp_search", "skp")
