"""GIN index on the SKP content document, for lookups inside it (who intervenes an RHK, which SKPs plan
in a periode, which SKP holds an RHK).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28
"""

from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # The one skp index not led by instansi_id: a GIN over JSONB cannot start with a uuid column
    # without the btree_gin extension. Every query using it also filters on instansi_id (and RLS does).
    op.create_index(
        "skp_isi_paths", "skp", ["isi"], postgresql_using="gin", postgresql_ops={"isi": "jsonb_path_ops"}
    )


def downgrade() -> None:
    op.drop_index("skp_isi_paths", "skp")
