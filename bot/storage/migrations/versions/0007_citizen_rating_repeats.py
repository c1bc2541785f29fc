"""the citizen's own rating after 办结 and the count of earlier linked tickets (repeat complaints)

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


def downgrade() -> None:
    with op.batch_alter_table("tickets", schema=None) as batch_op:
        batch_op.drop_column("repeat_count")
        batch_op.drop_column("citizen_rated_at")
        batch_op.drop_column("citizen_rating_comment_enc")
        batch_op.drop_column("citizen_rating")
