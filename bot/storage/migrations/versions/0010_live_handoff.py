"""live 转人工: the handoffs table (who waits for a person, who took the conversation)

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-05 02:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "handoffs",
        sa.Column("sender_id", sa.String(length=128), nullable=False),
        sa.Column("channel", sa.String(length=32), nullable=False),
        sa.Column("ticket_code", sa.String(length=32), nullable=True),
        sa.Column("reason", sa.String(length=16), nullable=False),
        sa.Column("state", sa.String(length=12), nullable=False),
        sa.Column("paused", sa.Boolean(), nullable=False),
        sa.Column("summary_enc", sa.Text(), nullable=True),
        sa.Column("recipient_enc", sa.Text(), nullable=True),
        sa.Column("since", sa.DateTime(timezone=True), nullable=False),
        sa.Column("taken_by", sa.String(length=100), nullable=True),
        sa.Column("taken_by_id", sa.String(length=64), nullable=True),
        sa.Column("taken_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("sender_id"),
    )
    op.create_index("ix_handoffs_ticket_code", "handoffs", ["ticket_code"])
    op.create_index("ix_handoffs_state", "handoffs", ["state"])


def downgrade() -> None:
    op.drop_index("ix_handoffs_state", table_name="handoffs")
    op.drop_index("ix_handoffs_ticket_code", table_name="handoffs")
    op.drop_table("handoffs")
