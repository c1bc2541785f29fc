"""代填 (filing for a citizen: the filer on the ticket, grid workers' area) and evidence uploads

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-05 02:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("tickets", schema=None) as batch_op:
        batch_op.add_column(sa.Column("filed_by_id", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("filed_by", sa.JSON(), nullable=True))
        batch_op.create_index("ix_tickets_filed_by_id", ["filed_by_id"])
    for table in ("staff_users", "staff_tokens"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("area", sa.String(length=100), nullable=True))
    op.create_table(
        "evidence_files",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("public_id", sa.String(length=40), nullable=False),
        sa.Column("ticket_id", sa.Integer(), nullable=True),
        sa.Column("sender_id", sa.String(length=128), nullable=True),
        sa.Column("media_type", sa.String(length=40), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("storage_key", sa.String(length=200), nullable=False),
        sa.Column("thumb_key", sa.String(length=200), nullable=True),
        sa.Column("wrapped_key", sa.Text(), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("uploaded_by", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["ticket_id"], ["tickets.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("public_id"),
    )
    op.create_index("ix_evidence_files_ticket_id", "evidence_files", ["ticket_id"])
    op.create_index("ix_evidence_files_sender_id", "evidence_files", ["sender_id"])


def downgrade() -> None:
    op.drop_index("ix_evidence_files_sender_id", table_name="evidence_files")
    op.drop_index("ix_evidence_files_ticket_id", table_name="evidence_files")
    op.drop_table("evidence_files")
    for table in ("staff_tokens", "staff_users"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("area")
    with op.batch_alter_table("tickets", schema=None) as batch_op:
        batch_op.drop_index("ix_tickets_filed_by_id")
        batch_op.drop_column("filed_by")
        batch_op.drop_column("filed_by_id")
