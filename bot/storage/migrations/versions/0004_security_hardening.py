"""failed status checks per case code, who claimed a ticket (by id), urgent outbox rows

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-04 22:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "status_attempts",
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("code"),
    )
    with op.batch_alter_table("tickets", schema=None) as batch_op:
        batch_op.add_column(sa.Column("assignee_id", sa.String(length=64), nullable=True))
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.add_column(sa.Column("urgent", sa.Boolean(), server_default="0", nullable=False))
    # rows already queued for urgent tickets keep being retried
    op.execute(
        "UPDATE outbox SET urgent = TRUE WHERE ticket_code IN "
        "(SELECT code FROM tickets WHERE risk_level = 'urgent')"
    )


def downgrade() -> None:
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_column("urgent")
    with op.batch_alter_table("tickets", schema=None) as batch_op:
        batch_op.drop_column("assignee_id")
    op.drop_table("status_attempts")
