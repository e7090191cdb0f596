"""Index of sent outbox rows by sent_at: the relay prunes rows past the retention window by it and finds
the window to publish again when the broker lost its topics.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01
"""

from __future__ import annotations

from alembic import op

from kinerja_kit.migrations import create_outbox_sent_index, drop_outbox_sent_index

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_outbox_sent_index(op)


def downgrade() -> None:
    drop_outbox_sent_index(op)
