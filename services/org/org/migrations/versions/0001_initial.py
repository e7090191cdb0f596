"""Initial org schema: instansi, unor, pegawai, plt, profile_relations, outbox; RLS on tenant tables.

Revision ID: 0001
Revises:
Create Date: 2026-11-20
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import ARRAY, UUID

from kinerja_kit.migrations import create_outbox_tables, create_tenant_function, enable_tenant_rls

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

TENANT_TABLES = ("unor", "pegawai", "plt", "profile_relations")


def _uuid(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, UUID(as_uuid=True), nullable=nullable)


def _stamps() -> list[sa.Column]:
    return [
        sa.Column("version", sa.BigInteger, nullable=False, server_default="1"),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    ]


def upgrade() -> None:
    create_tenant_function(op)
    create_outbox_tables(op)

    op.create_table(
        "instansi",
        _uuid("id"),
        sa.Column("kode", sa.Text, nullable=False),
        sa.Column("nama", sa.Text, nullable=False),
        sa.Column("jenis", sa.Text, nullable=False),
        sa.Column("version", sa.BigInteger, nullable=False, server_default="1"),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("kode", name="instansi_kode_key"),
        sa.CheckConstraint("jenis in ('PUSAT', 'DAERAH')", name="instansi_jenis_check"),
    )

    op.create_table(
        "unor",
        _uuid("instansi_id"),
        _uuid("id"),
        sa.Column("nama", sa.Text, nullable=False),
        sa.Column("jenis", sa.Text, nullable=False),
        sa.Column("eselon", sa.Text, nullable=False, server_default=""),
        _uuid("parent_id", nullable=True),
        _uuid("induk_id", nullable=True),
        sa.Column("mandiri", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("kota", sa.Text, nullable=False, server_default=""),
        *_stamps(),
        sa.Column("deleted_at", sa.DateTime(timezone=True)),
        sa.PrimaryKeyConstraint("instansi_id", "id"),
        sa.ForeignKeyConstraint(["instansi_id"], ["instansi.id"], name="unor_instansi_fk"),
        sa.ForeignKeyConstraint(
            ["instansi_id", "parent_id"], ["unor.instansi_id", "unor.id"], name="unor_parent_fk"
        ),
        sa.ForeignKeyConstraint(
            ["instansi_id", "induk_id"], ["unor.instansi_id", "unor.id"], name="unor_induk_fk"
        ),
        sa.CheckConstraint("parent_id is null or parent_id <> id", name="unor_not_own_parent"),
        sa.CheckConstraint("char_length(nama) between 1 and 255", name="unor_nama_length"),
    )
    op.create_index(
        "unor_by_parent", "unor", ["instansi_id", "parent_id"], postgresql_where="deleted_at is null"
    )

    op.create_table(
        "pegawai",
        _uuid("instansi_id"),
        _uuid("id"),
        sa.Column("nip", sa.Text),
        sa.Column("nik", sa.Text),
        sa.Column("nama", sa.Text, nullable=False),
        _uuid("unor_id"),
        sa.Column("pimpinan", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("jabatan_nama", sa.Text, nullable=False),
        sa.Column("jabatan_jenis", sa.Text, nullable=False),
        sa.Column("jabatan_jenjang", sa.Text, nullable=False, server_default=""),
        sa.Column("golongan", sa.Text, nullable=False, server_default=""),
        sa.Column("pangkat", sa.Text, nullable=False, server_default=""),
        sa.Column("tmt_jabatan", sa.Date),
        sa.Column("non_asn", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("active", sa.Boolean, nullable=False, server_default=sa.true()),
        *_stamps(),
        sa.Column("removed_at", sa.DateTime(timezone=True)),
        sa.PrimaryKeyConstraint("instansi_id", "id"),
        sa.ForeignKeyConstraint(
            ["instansi_id", "unor_id"], ["unor.instansi_id", "unor.id"], name="pegawai_unor_fk"
        ),
        sa.CheckConstraint("nip is null or nip ~ '^[0-9]{18}$'", name="pegawai_nip_format"),
        sa.CheckConstraint("nik is null or nik ~ '^[0-9]{16}$'", name="pegawai_nik_format"),
        sa.CheckConstraint("nip is not null or nik is not null", name="pegawai_has_identifier"),
        sa.CheckConstraint("char_length(nama) between 1 and 200", name="pegawai_nama_length"),
    )
    # NIP and NIK are national identifiers: unique across instansi among active pegawai. These two
    # indexes cannot start with instansi_id; every other index does.
    op.create_index(
        "pegawai_nip_unique", "pegawai", ["nip"], unique=True, postgresql_where="active and nip is not null"
    )
    op.create_index(
        "pegawai_nik_unique", "pegawai", ["nik"], unique=True, postgresql_where="active and nik is not null"
    )
    op.create_index(
        "pegawai_one_pimpinan", "pegawai", ["instansi_id", "unor_id"], unique=True,
        postgresql_where="active and pimpinan",
    )  # fmt: skip
    op.create_index("pegawai_by_nama", "pegawai", ["instansi_id", "nama", "id"], postgresql_where="active")
    op.create_index("pegawai_by_unor", "pegawai", ["instansi_id", "unor_id"], postgresql_where="active")
    op.create_index("pegawai_by_nip", "pegawai", ["instansi_id", "nip"])

    op.create_table(
        "plt",
        _uuid("instansi_id"),
        _uuid("id"),
        _uuid("pegawai_id"),
        _uuid("unor_id"),
        sa.Column("jabatan", sa.Text, nullable=False),
        sa.Column("jenis", sa.Text, nullable=False),
        sa.Column("tanggal_mulai", sa.Date, nullable=False),
        sa.Column("tanggal_selesai", sa.Date, nullable=False),
        sa.Column("aktif", sa.Boolean, nullable=False, server_default=sa.true()),
        *_stamps(),
        sa.PrimaryKeyConstraint("instansi_id", "id"),
        sa.ForeignKeyConstraint(
            ["instansi_id", "pegawai_id"], ["pegawai.instansi_id", "pegawai.id"], name="plt_pegawai_fk"
        ),
        sa.ForeignKeyConstraint(
            ["instansi_id", "unor_id"], ["unor.instansi_id", "unor.id"], name="plt_unor_fk"
        ),
        sa.CheckConstraint("tanggal_mulai <= tanggal_selesai", name="plt_period_order"),
        sa.CheckConstraint("jenis in ('PLT', 'PLH')", name="plt_jenis_check"),
    )
    op.create_index("plt_by_unor", "plt", ["instansi_id", "unor_id"])
    op.create_index("plt_by_pegawai", "plt", ["instansi_id", "pegawai_id"])

    op.create_table(
        "profile_relations",
        _uuid("instansi_id"),
        _uuid("pegawai_id"),
        _uuid("atasan_langsung_id", nullable=True),
        _uuid("atasan_ii_id", nullable=True),
        _uuid("atasan_iii_id", nullable=True),
        sa.Column("rekan_kerja_ids", ARRAY(UUID(as_uuid=True)), nullable=False, server_default="{}"),
        sa.Column("bawahan_ids", ARRAY(UUID(as_uuid=True)), nullable=False, server_default="{}"),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.PrimaryKeyConstraint("instansi_id", "pegawai_id"),
        sa.ForeignKeyConstraint(
            ["instansi_id", "pegawai_id"], ["pegawai.instansi_id", "pegawai.id"], name="profile_pegawai_fk"
        ),
    )

    for table in TENANT_TABLES:
        enable_tenant_rls(op, table)


def downgrade() -> None:
    for table in ("profile_relations", "plt", "pegawai", "unor", "instansi"):
        op.drop_table(table)
