"""keyed hashes that find a citizen's earlier tickets (whole phone; applicant name + counterparty) and
the links to those tickets (repeat complaints)

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-05 02:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("tickets", schema=None) as batch_op:
        batch_op.add_column(sa.Column("phone_hash", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("party_hash", sa.String(length=64), nullable=True))
    op.create_index("ix_tickets_phone_hash", "tickets", ["phone_hash"])
    op.create_index("ix_tickets_party_hash", "tickets", ["party_hash"])
    op.create_table(
        "ticket_repeats",
        sa.Column("ticket_id", sa.Integer(), nullable=False),
        sa.Column("earlier_id", sa.Integer(), nullable=False),
        sa.Column("earlier_code", sa.String(length=32), nullable=False),
        sa.Column("basis", sa.String(length=16), nullable=False),
        sa.ForeignKeyConstraint(["ticket_id"], ["tickets.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["earlier_id"], ["tickets.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("ticket_id", "earlier_id"),
    )
    op.create_index("ix_ticket_repeats_earlier_id", "ticket_repeats", ["earlier_id"])


def downgrade() -> None:
    op.drop_index("ix_ticket_repeats_earlier_id", table_name="ticket_repeats")
    op.drop_table("ticket_repeats")
    op.drop_index("ix_tickets_party_hash", table_name="tickets")
    op.drop_index("ix_tickets_phone_hash", table_name="tickets")
    with op.batch_alter_table("tickets", schema=None) as batch_op:
        batch_op.drop_column("party_hash")
        batch_op.drop_column("phone_hash")
