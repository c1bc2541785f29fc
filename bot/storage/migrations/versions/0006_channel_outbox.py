"""outbox rows for the channels' outgoing messages (hotline callbacks, WeChat customer-service messages)

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-10 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("target", sa.String(length=16), server_default="center", nullable=False)
        )


def downgrade() -> None:
    op.execute("DELETE FROM outbox WHERE target != 'center'")
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_column("target")
