"""Database tables for tickets (SQLAlchemy 1.4 classic declarative; SQLite and PostgreSQL).

Facts live in one JSON column (categories add their own facts) with the fields staff search and count
on copied into indexed columns. Phone, ID number and transcript are stored only encrypted
(see ``privacy.py``). The schema is created by the Alembic migrations in ``migrations/``; keep the
two in step (``tests/tickets/test_migrations.py`` compares them).
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import declarative_base, relationship

Base = declarative_base()
metadata = Base.metadata


class Ticket(Base):
    __tablename__ = "tickets"
    __table_args__ = (
        UniqueConstraint("sender_id", "idempotency_key", name="uq_tickets_sender_idempotency"),
        Index("ix_tickets_created_at", "created_at"),
        # each filing counts the open tickets per mediator (least-loaded routing): only the rows
        # with a mediator, not every open ticket
        Index("ix_tickets_mediator_status", "mediator_id", "status"),
    )

    id = Column(Integer, primary_key=True)
    code = Column(String(32), nullable=False, unique=True)
    sender_id = Column(String(128), nullable=False, index=True)
    channel = Column(String(32), nullable=False, index=True)
    idempotency_key = Column(String(128))
    category = Column(String(32), nullable=False, index=True)
    status = Column(String(20), nullable=False, index=True)
    risk_level = Column(String(16), nullable=False, index=True)
    risk_reasons = Column(JSON, nullable=False, default=list)
    tier = Column(String(16), nullable=False)
    window = Column(String(64), nullable=False, index=True)
    mediator_id = Column(String(64), index=True)
    route = Column(JSON, nullable=False)  # the full route dict with reasons
    materials = Column(JSON, nullable=False, default=list)
    facts = Column(JSON, nullable=False)  # without phone / id_number (those are encrypted below)
    amount_yuan = Column(Float)
    headcount = Column(Integer)
    location = Column(String(200), index=True)
    phone_enc = Column(Text)
    phone_last4_hash = Column(String(64), index=True)
    # keyed hashes that find a citizen's earlier tickets (repeat complaints): the whole phone, and the
    # applicant's name with the counterparty (``bot.privacy.match_hash``); cleared by the purge
    phone_hash = Column(String(64), index=True)
    party_hash = Column(String(64), index=True)
    id_number_enc = Column(Text)
    summary = Column(Text, nullable=False, default="")
    transcript_sender_id = Column(String(128))  # transcript reference: the tracker's sender + channel
    transcript_channel = Column(String(32))
    transcript_enc = Column(Text)  # optional copy of the conversation, encrypted
    assignee = Column(String(100))
    assignee_id = Column(String(64))  # who claimed it: "user:<id>" (console) or "token:<id>" (API)
    satisfaction = Column(Integer)  # recorded by staff at the return visit (回访)
    follow_up_note = Column(Text)
    citizen_rating = Column(Integer)  # the citizen's own 1-5 after 办结 (issue 17), apart from staff's
    citizen_rating_comment_enc = Column(Text)  # optional comment, encrypted like the transcript
    citizen_rated_at = Column(DateTime(timezone=True))
    repeat_count = Column(Integer, nullable=False, default=0, server_default="0")  # earlier tickets linked
    # 代填 (issue 20): filed by staff for a citizen: "user:<id>" / "token:<id>" (a grid worker's scope)
    # and {name, role, area, consent_method} as shown on the ticket
    filed_by_id = Column(String(64), index=True)
    filed_by = Column(JSON)
    created_at = Column(DateTime(timezone=True), nullable=False)
    updated_at = Column(DateTime(timezone=True), nullable=False)
    accepted_at = Column(DateTime(timezone=True))
    resolved_at = Column(DateTime(timezone=True))
    closed_at = Column(DateTime(timezone=True))
    followed_up_at = Column(DateTime(timezone=True))
    purged_at = Column(DateTime(timezone=True))
    sign_due = Column(DateTime(timezone=True))
    contact_due = Column(DateTime(timezone=True))
    report_due = Column(DateTime(timezone=True))
    close_due = Column(DateTime(timezone=True))

    history = relationship(
        "StatusHistory", order_by="StatusHistory.id", cascade="all, delete-orphan", back_populates="ticket"
    )
    windows = relationship("TicketWindow", cascade="all, delete-orphan", back_populates="ticket")
    parties = relationship("Party", cascade="all, delete-orphan", back_populates="ticket")
    sessions = relationship(
        "MediationSession", order_by="MediationSession.id", cascade="all, delete-orphan", lazy="selectin"
    )
    outcome = relationship("MediationOutcome", uselist=False, cascade="all, delete-orphan", lazy="selectin")
    confirmation = relationship(
        "JudicialConfirmation", uselist=False, cascade="all, delete-orphan", lazy="selectin"
    )
    payments = relationship(
        "AgreementPayment", order_by="AgreementPayment.seq", cascade="all, delete-orphan", lazy="selectin"
    )
    supervisions = relationship(
        "Supervision", order_by="Supervision.id", cascade="all, delete-orphan", lazy="selectin"
    )
    repeats = relationship(
        "TicketRepeat",
        foreign_keys="TicketRepeat.ticket_id",
        order_by="TicketRepeat.earlier_id",
        cascade="all, delete-orphan",
        lazy="selectin",
    )


class TicketWindow(Base):
    """Every window a ticket is routed to (primary and secondary), so staff see their windows' tickets."""

    __tablename__ = "ticket_windows"
    ticket_id = Column(Integer, ForeignKey("tickets.id", ondelete="CASCADE"), primary_key=True)
    window = Column(String(64), primary_key=True, index=True)
    role = Column(String(16), nullable=False)  # primary | secondary
    ticket = relationship("Ticket", back_populates="windows")


class Party(Base):
    __tablename__ = "parties"
    id = Column(Integer, primary_key=True)
    ticket_id = Column(Integer, ForeignKey("tickets.id", ondelete="CASCADE"), nullable=False, index=True)
    role = Column(String(20), nullable=False)  # applicant | counterparty
    name = Column(String(200))
    phone_enc = Column(Text)
    ticket = relationship("Ticket", back_populates="parties")


class StatusHistory(Base):
    __tablename__ = "status_history"
    id = Column(Integer, primary_key=True)
    ticket_id = Column(Integer, ForeignKey("tickets.id", ondelete="CASCADE"), nullable=False, index=True)
    at = Column(DateTime(timezone=True), nullable=False)
    actor = Column(String(100), nullable=False)
    kind = Column(String(20), nullable=False)  # created | status | claim | note | follow_up
    from_status = Column(String(20))
    to_status = Column(String(20))
    note = Column(Text)
    ticket = relationship("Ticket", back_populates="history")


class Supervision(Base):
    """One 督办 (supervision notice) of a ticket: ``near`` when a 13710 deadline is close, ``overdue`` once
    it has passed. The unique key makes issuing idempotent: one notice per ticket, stage and kind, however
    many scheduler runs or instances see the same deadline."""

    __tablename__ = "supervisions"
    __table_args__ = (
        UniqueConstraint("ticket_id", "stage", "kind", name="uq_supervisions_ticket_stage_kind"),
    )
    id = Column(Integer, primary_key=True)
    ticket_id = Column(Integer, ForeignKey("tickets.id", ondelete="CASCADE"), nullable=False, index=True)
    stage = Column(String(16), nullable=False)  # sign | contact | report | close (the 13710 deadlines)
    kind = Column(String(16), nullable=False)  # near | overdue
    deadline = Column(DateTime(timezone=True), nullable=False)
    at = Column(DateTime(timezone=True), nullable=False, index=True)


class TicketRepeat(Base):
    """An earlier ticket of the same citizen (repeat complaint, 重复信访), linked at filing: matched by
    the phone or by the applicant's name with the counterparty. The earlier code is kept with the link
    (codes never change) so a ticket's JSON names them without loading those tickets."""

    __tablename__ = "ticket_repeats"
    ticket_id = Column(Integer, ForeignKey("tickets.id", ondelete="CASCADE"), primary_key=True)
    earlier_id = Column(Integer, ForeignKey("tickets.id", ondelete="CASCADE"), primary_key=True, index=True)
    earlier_code = Column(String(32), nullable=False)
    basis = Column(String(16), nullable=False)  # phone | party (name + counterparty)


class Outbox(Base):
    """Webhook notifications, written in the filing/update transaction and delivered later; and the
    channels' outgoing messages (hotline callbacks, WeChat customer-service messages), whose
    ``ticket_code`` is a keyed hash of the recipient (the order key), never a phone or an openid."""

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_state_next", "state", "next_attempt_at"),)
    id = Column(Integer, primary_key=True)
    target = Column(String(16), nullable=False, default="center", server_default="center")  # or a channel
    ticket_code = Column(String(32), nullable=False, index=True)
    event = Column(String(40), nullable=False)
    idempotency_key = Column(String(64), nullable=False, unique=True)
    payload_enc = Column(Text, nullable=False)  # the JSON body, encrypted (it carries the phone)
    state = Column(String(12), nullable=False)  # pending | delivered | dead
    urgent = Column(Boolean, nullable=False, default=False, server_default="0")  # never goes dead
    attempts = Column(Integer, nullable=False, default=0)
    next_attempt_at = Column(DateTime(timezone=True), nullable=False)
    lease_until = Column(DateTime(timezone=True))
    last_error = Column(Text)
    created_at = Column(DateTime(timezone=True), nullable=False)
    delivered_at = Column(DateTime(timezone=True))


class StaffToken(Base):
    __tablename__ = "staff_tokens"
    id = Column(Integer, primary_key=True)
    name = Column(String(100), nullable=False)
    role = Column(String(20), nullable=False)  # admin | window_staff | mediator | grid_worker
    windows = Column(JSON, nullable=False, default=list)
    area = Column(String(100))  # a grid worker's town or grid (网格)
    token_hash = Column(String(64), nullable=False, unique=True)
    prefix = Column(String(12), nullable=False)
    created_at = Column(DateTime(timezone=True), nullable=False)
    last_used_at = Column(DateTime(timezone=True))
    revoked_at = Column(DateTime(timezone=True))


class CaseSequence(Base):
    __tablename__ = "case_sequences"
    region_code = Column(String(12), primary_key=True)
    day = Column(String(8), primary_key=True)
    last_value = Column(Integer, nullable=False)


case_sequences = CaseSequence.__table__


class StaffUser(Base):
    """A console login: password stored as a salted scrypt hash (see ``bot.storage.passwords``)."""

    __tablename__ = "staff_users"
    id = Column(Integer, primary_key=True)
    username = Column(String(64), nullable=False, unique=True)
    name = Column(String(100), nullable=False)
    role = Column(String(20), nullable=False)  # admin | window_staff | mediator | grid_worker
    windows = Column(JSON, nullable=False, default=list)
    area = Column(String(100))  # a grid worker's town or grid (网格)
    mediator_id = Column(String(64))  # the profile's mediator id for a mediator account
    password_hash = Column(String(255), nullable=False)
    created_at = Column(DateTime(timezone=True), nullable=False)
    last_login_at = Column(DateTime(timezone=True))
    disabled_at = Column(DateTime(timezone=True))


class StaffSession(Base):
    """A console session: the cookie carries a random id, only its hash is stored."""

    __tablename__ = "staff_sessions"
    id_hash = Column(String(64), primary_key=True)
    user_id = Column(Integer, ForeignKey("staff_users.id", ondelete="CASCADE"), nullable=False, index=True)
    csrf_token = Column(String(64), nullable=False)
    created_at = Column(DateTime(timezone=True), nullable=False)
    expires_at = Column(DateTime(timezone=True), nullable=False)


class StatusAttempt(Base):
    """Failed public status checks per case code (chat and API, every process): after
    ``MAX_FAILURES`` the code is locked until ``locked_until``, whatever the last 4 digits."""

    __tablename__ = "status_attempts"
    code = Column(String(32), primary_key=True)
    failures = Column(Integer, nullable=False, default=0)
    locked_until = Column(DateTime(timezone=True))
    updated_at = Column(DateTime(timezone=True), nullable=False)


class MediationSession(Base):
    """One mediation session of a ticket: when, where, how, who took part, who mediated."""

    __tablename__ = "mediation_sessions"
    id = Column(Integer, primary_key=True)
    ticket_id = Column(Integer, ForeignKey("tickets.id", ondelete="CASCADE"), nullable=False, index=True)
    held_on = Column(Date, nullable=False)
    place = Column(String(200), nullable=False, default="")
    method = Column(String(16), nullable=False)  # in_person | video | phone | home
    participants = Column(Text, nullable=False)
    mediator = Column(String(100), nullable=False)
    note = Column(Text)
    recorded_by = Column(String(100), nullable=False)
    created_at = Column(DateTime(timezone=True), nullable=False)


class MediationOutcome(Base):
    """How the mediation ended (one per ticket; recording again replaces it): result, agreed terms
    (JSON: text, amount, payments, obligations, payer, payee), referral, the counterparty as named on
    the agreement (ID number encrypted)."""

    __tablename__ = "mediation_outcomes"
    ticket_id = Column(Integer, ForeignKey("tickets.id", ondelete="CASCADE"), primary_key=True)
    result = Column(String(16), nullable=False, index=True)  # agreement | partial | failed | withdrawn
    terms = Column(JSON)
    referral_to = Column(String(32), index=True)
    referral_note = Column(Text)
    referred_at = Column(DateTime(timezone=True))
    counterparty_name = Column(String(200))
    counterparty_id_enc = Column(Text)
    mediator_id = Column(String(64), index=True)  # the ticket's mediator when the outcome was recorded
    recorded_by = Column(String(100), nullable=False)
    recorded_at = Column(DateTime(timezone=True), nullable=False)
    updated_at = Column(DateTime(timezone=True), nullable=False)


class JudicialConfirmation(Base):
    """The application for 司法确认 of an agreement and the court's ruling."""

    __tablename__ = "judicial_confirmations"
    ticket_id = Column(Integer, ForeignKey("tickets.id", ondelete="CASCADE"), primary_key=True)
    court = Column(String(200), nullable=False)
    applied_on = Column(Date, nullable=False)
    result = Column(String(16), nullable=False)  # pending | confirmed | rejected
    ruling_no = Column(String(100))
    decided_on = Column(Date)
    recorded_by = Column(String(100), nullable=False)
    updated_at = Column(DateTime(timezone=True), nullable=False)


class AgreementPayment(Base):
    """One payment of an agreement's schedule (履约): staff mark it paid / not paid; ``reminded_at``
    when its reminder went out, ``raised_at`` when it was missed and the ticket went back to the queue."""

    __tablename__ = "agreement_payments"
    __table_args__ = (UniqueConstraint("ticket_id", "seq", name="uq_agreement_payments_ticket_seq"),)
    id = Column(Integer, primary_key=True)
    ticket_id = Column(Integer, ForeignKey("tickets.id", ondelete="CASCADE"), nullable=False, index=True)
    seq = Column(Integer, nullable=False)
    due = Column(Date, nullable=False, index=True)
    amount_yuan = Column(Float, nullable=False)
    status = Column(String(12), nullable=False, default="pending")  # pending | paid | not_paid
    marked_by = Column(String(100))
    marked_at = Column(DateTime(timezone=True))
    reminded_at = Column(DateTime(timezone=True))
    raised_at = Column(DateTime(timezone=True))


class EvidenceFile(Base):
    """A photo or PDF a citizen (widget) or staff (console) attached: the bytes live encrypted in the
    blob store under ``storage_key`` (thumbnail under ``thumb_key``) with their own key, kept here
    wrapped by the data key. Uploaded before filing it waits under the conversation's ``sender_id``
    and joins the ticket when the ticket is filed."""

    __tablename__ = "evidence_files"
    id = Column(Integer, primary_key=True)
    public_id = Column(String(40), nullable=False, unique=True)  # random: the id in URLs
    ticket_id = Column(Integer, ForeignKey("tickets.id", ondelete="CASCADE"), index=True)
    sender_id = Column(String(128), index=True)  # the conversation it was uploaded in
    media_type = Column(String(40), nullable=False)  # image/jpeg | image/png | application/pdf
    size = Column(Integer, nullable=False)
    storage_key = Column(String(200), nullable=False)
    thumb_key = Column(String(200))
    wrapped_key = Column(Text, nullable=False)
    source = Column(String(16), nullable=False)  # widget | console | api
    uploaded_by = Column(String(100), nullable=False)
    created_at = Column(DateTime(timezone=True), nullable=False)


class Handoff(Base):
    """A conversation handed to a person (live 转人工, issue 20): who waits, since when, who took it.

    Only the queue's state lives here; the messages (the citizen's, the staff's as bot utterances with
    the staff member's name) stay in Rasa's tracker, which is the one chat store. One row per
    conversation, reused when the citizen asks again. The summary (names, phones) and the channel's
    recipient (the hotline caller's number, for staff messages as SMS) are encrypted.
    """

    __tablename__ = "handoffs"
    sender_id = Column(String(128), primary_key=True)
    channel = Column(String(32), nullable=False)
    ticket_code = Column(String(32), index=True)
    reason = Column(String(16), nullable=False, default="asked")  # asked | misunderstood | urgent
    state = Column(String(12), nullable=False, index=True)  # waiting | taken | released | expired | closed
    paused = Column(Boolean, nullable=False, default=True)  # the bot is silent (an urgent one may not be)
    summary_enc = Column(Text)
    recipient_enc = Column(Text)
    since = Column(DateTime(timezone=True), nullable=False)
    taken_by = Column(String(100))
    taken_by_id = Column(String(64))
    taken_at = Column(DateTime(timezone=True))
    ended_at = Column(DateTime(timezone=True))
