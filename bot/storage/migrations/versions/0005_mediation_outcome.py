"""mediation sessions, outcome, 司法确认, payment schedule (履约)

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-08 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def _ticket_fk() -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(["ticket_id"], ["tickets.id"], ondelete="CASCADE")


def upgrade() -> None:
    op.create_table(
        "mediation_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ticket_id", sa.Integer(), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("place", sa.String(length=200), nullable=False),
        sa.Column("method", sa.String(length=16), nullable=False),
        sa.Column("participants", sa.Text(), nullable=False),
        sa.Column("mediator", sa.String(length=100), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("recorded_by", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        _ticket_fk(),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_mediation_sessions_ticket_id", "mediation_sessions", ["ticket_id"])
    op.create_table(
        "mediation_outcomes",
        sa.Column("ticket_id", sa.Integer(), nullable=False),
        sa.Column("result", sa.String(length=16), nullable=False),
        sa.Column("terms", sa.JSON(), nullable=True),
        sa.Column("referral_to", sa.String(length=32), nullable=True),
        sa.Column("referral_note", sa.Text(), nullable=True),
        sa.Column("referred_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("counterparty_name", sa.String(length=200), nullable=True),
        sa.Column("counterparty_id_enc", sa.Text(), nullable=True),
        sa.Column("mediator_id", sa.String(length=64), nullable=True),
        sa.Column("recorded_by", sa.String(length=100), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        _ticket_fk(),
        sa.PrimaryKeyConstraint("ticket_id"),
    )
    op.create_index("ix_mediation_outcomes_result", "mediation_outcomes", ["result"])
    op.create_index("ix_mediation_outcomes_referral_to", "mediation_outcomes", ["referral_to"])
    op.create_index("ix_mediation_outcomes_mediator_id", "mediation_outcomes", ["mediator_id"])
    op.create_table(
        "judicial_confirmations",
        sa.Column("ticket_id", sa.Integer(), nullable=False),
        sa.Column("court", sa.String(length=200), nullable=False),
        sa.Column("applied_on", sa.Date(), nullable=False),
        sa.Column("result", sa.String(length=16), nullable=False),
        sa.Column("ruling_no", sa.String(length=100), nullable=True),
        sa.Column("decided_on", sa.Date(), nullable=True),
        sa.Column("recorded_by", sa.String(length=100), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        _ticket_fk(),
        sa.PrimaryKeyConstraint("ticket_id"),
    )
    op.create_table(
        "agreement_payments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ticket_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("due", sa.Date(), nullable=False),
        sa.Column("amount_yuan", sa.Float(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("marked_by", sa.String(length=100), nullable=True),
        sa.Column("marked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reminded_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("raised_at", sa.DateTime(timezone=True), nullable=True),
        _ticket_fk(),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("ticket_id", "seq", name="uq_agreement_payments_ticket_seq"),
    )
    op.create_index("ix_agreement_payments_ticket_id", "agreement_payments", ["ticket_id"])
    op.create_index("ix_agreement_payments_due", "agreement_payments", ["due"])


def downgrade() -> None:
    op.drop_index("ix_agreement_payments_due", table_name="agreement_payments")
    op.drop_index("ix_agreement_payments_ticket_id", table_name="agreement_payments")
    op.drop_table("agreement_payments")
    op.drop_table("judicial_confirmations")
    op.drop_index("ix_mediation_outcomes_mediator_id", table_name="mediation_outcomes")
    op.drop_index("ix_mediation_outcomes_referral_to", table_name="mediation_outcomes")
    op.drop_index("ix_mediation_outcomes_result", table_name="mediation_outcomes")
    op.drop_table("mediation_outcomes")
    op.drop_index("ix_mediation_sessions_ticket_id", table_name="mediation_sessions")
    op.drop_table("mediation_sessions")
