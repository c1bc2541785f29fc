"""the citizen's own rating after 办结, the count of earlier linked tickets (repeat complaints) and the
督办 (supervision) notices

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-05 01:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("tickets", schema=None) as batch_op:
        batch_op.add_column(sa.Column("citizen_rating", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("citizen_rating_comment_enc", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("citizen_rated_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("repeat_count", sa.Integer(), server_default="0", nullable=False))
    op.create_table(
        "supervisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ticket_id", sa.Integer(), nullable=False),
        sa.Column("stage", sa.String(length=16), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("deadline", sa.DateTime(timezone=True), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["ticket_id"], ["tickets.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("ticket_id", "stage", "kind", name="uq_supervisions_ticket_stage_kind"),
    )
    op.create_index("ix_supervisions_ticket_id", "supervisions", ["ticket_id"])
    op.create_index("ix_supervisions_at", "supervisions", ["at"])


def downgrade() -> None:
    op.drop_index("ix_supervisions_at", table_name="supervisions")
    op.drop_index("ix_supervisions_ticket_id", table_name="supervisions")
    op.drop_table("supervisions")
    with op.batch_alter_table("tickets", schema=None) as batch_op:
        batch_op.drop_column("repeat_count")
        batch_op.drop_column("citizen_rated_at")
        batch_op.drop_column("citizen_rating_comment_enc")
        batch_op.drop_column("citizen_rating")
