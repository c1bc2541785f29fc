"""The ticket store: filing, lookup, lifecycle, follow-up, statistics, tokens, outbox, retention.

``TicketStore`` wraps one SQLAlchemy engine (``DATABASE_URL``; default SQLite ``var/intake.db`` in WAL
mode with a busy timeout). Filing assigns the case code, routes, computes deadlines and writes the
ticket, its history and an outbox row in ONE transaction, so either all of it exists or none.
The schema is created and upgraded by the Alembic migrations when the store opens.

All methods are synchronous; the aiohttp service calls them in a worker thread.
"""

from __future__ import annotations

import dataclasses
import fcntl
import functools
import hashlib
import hmac
import json
import logging
import os
import re
import secrets
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import and_, create_engine, event, exists, func, or_, select, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.pool import QueuePool

from bot import paths, privacy
from bot.storage import outbox, sqlite
from bot.storage.models import (
    Party,
    StaffSession,
    StaffToken,
    StaffUser,
    StatusHistory,
    Ticket,
    TicketWindow,
)
from bot.storage.sequences import next_case_code
from bot.taxonomy import categories
from bot.tickets.centers import RISK_LEVELS, STAGES, CenterProfile, current_profile
from bot.tickets.codes import normalise_case_code
from bot.tickets.deadlines import (
    STAGE_NAMES,
    STATUS_ORDER,
    as_utc,
    compute_deadlines,
    deadlines_json,
    overdue_stages,
    overdue_warning,
    stage_done,
    utcnow,
)
from bot.tickets.records import (  # noqa: F401 - re-exported: the store's public names
    CONTRACT_FACTS,
    OPEN_STATUSES,
    ROLES,
    SECRET_FACTS,
    STATUS_NAMES,
    STATUSES,
    TRANSITIONS,
    IntakeRecord,
    InvalidInput,
    InvalidTransition,
    ListFilters,
    StaffIdentity,
    TicketError,
    TicketNotFound,
)
from bot.tickets.routing import materials_for, route_ticket

log = logging.getLogger(__name__)

ALEMBIC_INI = Path(__file__).with_name("alembic.ini")


def default_database_url() -> str:
    return f"sqlite:///{paths.var_dir() / 'intake.db'}"


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


_SCRYPT = {"n": 2**14, "r": 8, "p": 1}


def hash_password(password: str) -> str:
    """``scrypt$n$r$p$salt$hash`` with a random 16-byte salt per password."""
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, dklen=32, **_SCRYPT)
    return f"scrypt${_SCRYPT['n']}${_SCRYPT['r']}${_SCRYPT['p']}${salt.hex()}${digest.hex()}"


def verify_password(password: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        actual = hashlib.scrypt(
            password.encode("utf-8"), salt=bytes.fromhex(salt), n=int(n), r=int(r), p=int(p), dklen=32
        )
    except ValueError:
        return False
    return hmac.compare_digest(actual.hex(), digest)


@functools.lru_cache(maxsize=1)
def _dummy_hash() -> str:
    return hash_password(secrets.token_hex(8))


def _number(value: Any, kind: type) -> Any:
    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        number = float(str(value).replace(",", "").replace("，", ""))
    except ValueError:
        return None
    if kind is int:
        return int(number)
    return int(number) if number.is_integer() else number


_TOWN = re.compile(r"([\u4e00-\u9fa5]{1,10}?(?:街道|镇|乡))")
_PROVINCE = re.compile(r"^[\u4e00-\u9fa5]{1,8}?(?:省|自治区)")
_CITY = re.compile(r"^[\u4e00-\u9fa5]{1,8}?市(?=.*(?:街道|镇|乡))")


def town_of(location: str | None) -> str:
    """The 乡镇/街道 part of a location for statistics, else the location itself."""
    if not location:
        return "未填写"
    local = _CITY.sub("", _PROVINCE.sub("", location))  # "山西省太原市小店区坞城街道" → "小店区坞城街道"
    match = _TOWN.search(local)
    return match.group(1) if match else location[:20]


class TicketStore:
    """Ticket persistence. ``TicketStore()`` uses ``DATABASE_URL`` and the ``CENTER_PROFILE`` profile."""

    def __init__(
        self,
        database_url: str | None = None,
        profile: CenterProfile | None = None,
        *,
        migrate: bool = True,
        echo: bool = False,
    ):
        self.url = database_url or os.environ.get("DATABASE_URL") or default_database_url()
        self._profile = profile
        self.engine = self._make_engine(self.url, echo)
        if migrate:
            self.migrate()

    # ------------------------------------------------------------ engine and transactions

    @staticmethod
    def _make_engine(url: str, echo: bool) -> Engine:
        if url.startswith("sqlite"):
            path = url.split("///", 1)[1] if "///" in url else ""
            if path and path != ":memory:":
                Path(path).parent.mkdir(parents=True, exist_ok=True)
            # a real pool: opening a SQLite connection (and checkpointing when the last one closes) is slow
            pool = {"poolclass": QueuePool, "pool_size": 5} if path and path != ":memory:" else {}
            engine = create_engine(
                url, future=True, echo=echo, connect_args={"timeout": 30, "check_same_thread": False}, **pool
            )

            @event.listens_for(engine, "connect")
            def _on_connect(dbapi_conn: Any, _record: Any) -> None:
                dbapi_conn.isolation_level = None  # we emit BEGIN ourselves (see _on_begin)
                cur = dbapi_conn.cursor()
                sqlite.tune(cur, busy_timeout_ms=30000)
                cur.execute("PRAGMA foreign_keys=ON")
                cur.close()

            @event.listens_for(engine, "begin")
            def _on_begin(conn: Any) -> None:
                # write transactions take the write lock up front: no upgrade deadlocks between processes
                mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
                conn.exec_driver_sql(f"BEGIN {mode}")

            return engine
        if url.startswith("postgres://"):
            url = "postgresql://" + url[len("postgres://") :]
        return create_engine(url, future=True, echo=echo, pool_pre_ping=True)

    @contextmanager
    def _read(self) -> Iterator[Session]:
        with Session(self.engine, future=True, expire_on_commit=False) as session:
            yield session

    @contextmanager
    def _write(self) -> Iterator[Session]:
        with Session(self.engine, future=True, expire_on_commit=False) as session:
            session.connection(execution_options={"sqlite_begin": "IMMEDIATE"})
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise

    def migrate(self) -> None:
        """Run the Alembic migrations to head (serialised between processes by a lock)."""
        from alembic import command
        from alembic.config import Config
        from alembic.runtime.migration import MigrationContext
        from alembic.script import ScriptDirectory

        cfg = Config(str(ALEMBIC_INI))
        cfg.attributes["configure_logging"] = False
        alembic_log = logging.getLogger("alembic")
        if alembic_log.level == logging.NOTSET:  # its INFO chatter on every start is noise
            alembic_log.setLevel(logging.WARNING)
        head = ScriptDirectory.from_config(cfg).get_current_head()
        with (
            self._setup_lock(),
            self.engine.connect().execution_options(sqlite_begin="IMMEDIATE") as conn,
            conn.begin(),
        ):
            if conn.dialect.name == "postgresql":
                conn.execute(text("SELECT pg_advisory_xact_lock(5080140105)"))
            if MigrationContext.configure(conn).get_current_revision() == head:
                return
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")
            log.info("ticket database upgraded to schema revision %s", head)

    @contextmanager
    def _setup_lock(self) -> Iterator[None]:
        """For a SQLite file, an OS file lock around the first connection and the migrations: processes
        starting together on a fresh file would otherwise fight over switching it to WAL."""
        path = self.engine.url.database if self.engine.dialect.name == "sqlite" else None
        if not path or path == ":memory:":
            yield
            return
        with open(f"{path}.lock", "a+b") as fh:
            fcntl.flock(fh, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)

    def dispose(self) -> None:
        self.engine.dispose()

    @property
    def profile(self) -> CenterProfile:
        return self._profile or current_profile()

    def ping(self) -> bool:
        try:
            with self.engine.connect() as conn:
                conn.execute(text("SELECT 1"))
            return True
        except Exception as exc:  # reported by /health
            log.error("database unreachable: %s", exc.__class__.__name__)
            return False

    # ------------------------------------------------------------ filing

    def file_ticket(self, intake: IntakeRecord, *, now: datetime | None = None) -> dict[str, Any]:
        """File a ticket and return its JSON. Idempotent per (sender_id, idempotency_key)."""
        self._validate(intake)
        if intake.idempotency_key:
            existing = self._by_idempotency(intake.sender_id, intake.idempotency_key)
            if existing is not None:
                return existing
        try:
            return self._file(intake, now or utcnow())
        except IntegrityError:
            if intake.idempotency_key:  # a concurrent attempt with the same key won the race
                existing = self._by_idempotency(intake.sender_id, intake.idempotency_key)
                if existing is not None:
                    return existing
            raise

    def _validate(self, intake: IntakeRecord) -> None:
        if intake.category not in categories():
            raise InvalidInput(f"未知的纠纷类别：{intake.category}")
        if intake.risk_level not in RISK_LEVELS:
            raise InvalidInput(f"未知的风险等级：{intake.risk_level}")
        if intake.status not in STATUSES:
            raise InvalidInput(f"未知的状态：{intake.status}")
        if not intake.sender_id or not intake.channel:
            raise InvalidInput("缺少 sender_id 或 channel")
        if not isinstance(intake.facts, dict):
            raise InvalidInput("facts 必须是对象")

    def _by_idempotency(self, sender_id: str, key: str) -> dict[str, Any] | None:
        with self._read() as session:
            ticket = session.execute(
                self._loaded().where(Ticket.sender_id == sender_id, Ticket.idempotency_key == key)
            ).scalar()
            return self._to_json(ticket) if ticket else None

    @staticmethod
    def _normalised_facts(intake: IntakeRecord) -> dict[str, Any]:
        facts = {k: intake.facts.get(k) for k in CONTRACT_FACTS}
        facts.update({k: v for k, v in intake.facts.items() if k not in facts})
        facts["amount_yuan"] = _number(facts.get("amount_yuan"), float)
        facts["headcount"] = _number(facts.get("headcount"), int)
        return facts

    def _apply_intake(self, session: Session, ticket: Ticket, intake: IntakeRecord, now: datetime) -> Any:
        """Set everything a ticket derives from an intake: facts, secrets, route, materials, deadlines."""
        profile = self.profile
        facts = self._normalised_facts(intake)
        phone = privacy.normalise_phone(facts.get("phone"))
        id_number = str(facts["id_number"]).strip() if facts.get("id_number") else None
        # plain JSON only (extractors may hand over dates or decimals)
        stored_facts = json.loads(
            json.dumps(
                {k: v for k, v in facts.items() if k not in SECRET_FACTS}, ensure_ascii=False, default=str
            )
        )
        load = dict(
            session.execute(
                select(Ticket.mediator_id, func.count())
                .where(
                    # the profile's mediators by name: the (mediator, status) index then finds their
                    # open tickets without reading every open ticket
                    Ticket.mediator_id.in_([m.id for m in profile.mediators]),
                    Ticket.status.in_(OPEN_STATUSES),
                    Ticket.id != ticket.id,
                )
                .group_by(Ticket.mediator_id)
            ).all()
        )
        route = route_ticket(
            intake.category,
            facts,
            intake.risk_level,
            profile,
            mediator_load=load,
            risk_reasons=intake.risk_reasons,
        )
        deadlines = compute_deadlines(ticket.created_at or now, route.tier, intake.risk_level, profile)
        ticket.category = intake.category
        ticket.risk_level = intake.risk_level
        ticket.risk_reasons = list(intake.risk_reasons)
        ticket.tier = route.tier
        ticket.window = route.window
        ticket.mediator_id = route.mediator_id
        ticket.route = route.to_dict()
        ticket.materials = materials_for(route, intake.category, profile)
        ticket.facts = stored_facts
        ticket.amount_yuan = facts["amount_yuan"]
        ticket.headcount = facts["headcount"]
        ticket.location = str(facts["location"])[:200] if facts.get("location") else None
        ticket.phone_enc = privacy.encrypt(phone)
        ticket.phone_last4_hash = privacy.last4_hash(phone)
        ticket.id_number_enc = privacy.encrypt(id_number)
        ticket.summary = intake.summary or ""
        if intake.transcript is not None:
            ticket.transcript_enc = privacy.encrypt(json.dumps(intake.transcript, ensure_ascii=False))
        for stage in STAGES:
            setattr(ticket, f"{stage}_due", deadlines[stage])
        ticket.windows = [
            TicketWindow(window=w, role="primary" if i == 0 else "secondary")
            for i, w in enumerate(route.windows)
        ]
        ticket.parties = [
            Party(role="applicant", name=facts.get("applicant_name"), phone_enc=privacy.encrypt(phone))
        ]
        if facts.get("counterparty"):
            ticket.parties.append(Party(role="counterparty", name=str(facts["counterparty"])[:200]))
        return route

    def _file(self, intake: IntakeRecord, now: datetime) -> dict[str, Any]:
        profile = self.profile
        try:
            tz = ZoneInfo(profile.timezone)
        except Exception:
            tz = timezone(timedelta(hours=8))

        with self._write() as session:
            # One INSERT with the code in it. On PostgreSQL the day's counter row stays locked from
            # here to the commit (a few ms); on SQLite the whole write transaction holds the lock anyway.
            code = str(next_case_code(session.connection(), profile.region_code, now.astimezone(tz).date()))
            ticket = Ticket(
                code=code,
                sender_id=intake.sender_id,
                channel=intake.channel,
                idempotency_key=intake.idempotency_key,
                status=intake.status,
                transcript_sender_id=intake.sender_id,
                transcript_channel=intake.channel,
                created_at=now,
                updated_at=now,
            )
            route = self._apply_intake(session, ticket, intake, now)
            ticket.history = [
                StatusHistory(
                    at=now,
                    actor="intake-bot",
                    kind="created",
                    from_status=None,
                    to_status=intake.status,
                    note="；".join(route.reasons),
                )
            ]
            session.add(ticket)
            session.flush()
            data = self._to_json(ticket, now=now)
            outbox.enqueue(session, "ticket.created", data, now)
        log.info(
            "filed ticket %s category=%s risk=%s window=%s",
            code,
            intake.category,
            intake.risk_level,
            route.window,
        )
        return data

    def update_intake(
        self, code: str, intake: IntakeRecord, *, now: datetime | None = None
    ) -> dict[str, Any]:
        """Complete a ticket filed early (urgent or hand-off) with the facts collected since.

        The risk level never goes down; the status stays as staff left it, except that a ticket still
        waiting for the bot takes the intake's status.
        """
        self._validate(intake)
        now = now or utcnow()
        with self._write() as session:
            ticket = self._get(session, code)
            levels = {level: i for i, level in enumerate(RISK_LEVELS)}
            if levels.get(ticket.risk_level, 0) > levels.get(intake.risk_level, 0):
                intake = dataclasses.replace(intake, risk_level=ticket.risk_level)
            intake = dataclasses.replace(
                intake,
                risk_reasons=tuple(dict.fromkeys([*(ticket.risk_reasons or []), *intake.risk_reasons])),
            )
            route = self._apply_intake(session, ticket, intake, now)
            data = self._touch(session, ticket, now, "intake-bot", "updated", "；".join(route.reasons))
        log.info("updated ticket %s category=%s risk=%s", code, intake.category, intake.risk_level)
        return data

    # ------------------------------------------------------------ JSON

    def _to_json(
        self, t: Ticket, *, mask: bool = False, reveal: bool = False, now: datetime | None = None
    ) -> dict[str, Any]:
        facts = {k: t.facts.get(k) for k in CONTRACT_FACTS}
        facts.update(t.facts)
        phone = privacy.decrypt(t.phone_enc)
        facts["phone"] = privacy.mask_phone(phone) if (mask and phone) else phone
        id_number = privacy.decrypt(t.id_number_enc)
        if id_number:
            facts["id_number"] = id_number if reveal else privacy.mask_id_number(id_number)
        deadlines = {s: getattr(t, f"{s}_due") for s in STAGES}
        late = overdue_stages(t.status, deadlines, now)
        route = dict(t.route)
        profile = self.profile
        return {
            "code": t.code,
            "sender_id": t.sender_id,
            "channel": t.channel,
            "category": t.category,
            "category_name": categories()[t.category].name if t.category in categories() else t.category,
            "status": t.status,
            "status_name": STATUS_NAMES.get(t.status, t.status),
            "risk_level": t.risk_level,
            "risk_reasons": list(t.risk_reasons or []),
            "route": route,
            "facts": facts,
            "summary": privacy.mask_text(t.summary) if mask else t.summary,
            "materials": list(t.materials or []),
            "created_at": as_utc(t.created_at).isoformat(timespec="seconds"),
            "updated_at": as_utc(t.updated_at).isoformat(timespec="seconds"),
            "deadlines": deadlines_json(deadlines),
            "overdue": bool(late),
            "overdue_stages": late,
            "overdue_warning": overdue_warning(t.status, deadlines, profile.time_limits.warn_before, now),
            "assignee": t.assignee,
            "follow_up": {
                "satisfaction": t.satisfaction,
                "note": t.follow_up_note,
                "at": as_utc(t.followed_up_at).isoformat(timespec="seconds") if t.followed_up_at else None,
            },
            "transcript_ref": {"sender_id": t.transcript_sender_id, "channel": t.transcript_channel},
            "center": profile.public_info(),
            "history": [
                {
                    "at": as_utc(h.at).isoformat(timespec="seconds"),
                    "actor": h.actor,
                    "kind": h.kind,
                    "from_status": h.from_status,
                    "to_status": h.to_status,
                    "note": privacy.mask_text(h.note or "") if mask else h.note,
                }
                for h in t.history
            ],
        }

    @staticmethod
    def _loaded() -> Any:
        return select(Ticket).options(selectinload(Ticket.history))

    # ------------------------------------------------------------ reading

    def _get(self, session: Session, code: str, scope: Sequence[str] | None = None) -> Ticket:
        canonical = normalise_case_code(code) or code
        stmt = self._loaded().where(Ticket.code == canonical)
        if scope is not None:
            stmt = stmt.where(self._in_scope(scope))
        ticket = session.execute(stmt).scalar()
        if ticket is None:
            raise TicketNotFound(f"没有找到受理编号为 {code} 的记录")
        return ticket

    @staticmethod
    def _in_scope(scope: Sequence[str]) -> Any:
        return exists().where(TicketWindow.ticket_id == Ticket.id, TicketWindow.window.in_(list(scope)))

    def get_ticket(
        self, code: str, *, mask: bool = False, reveal: bool = False, scope: Sequence[str] | None = None
    ) -> dict[str, Any] | None:
        """The ticket JSON by code (typed forms accepted), or None. ``scope`` limits to windows."""
        with self._read() as session:
            try:
                return self._to_json(self._get(session, code, scope), mask=mask, reveal=reveal)
            except TicketNotFound:
                return None

    def list_tickets(
        self, filters: ListFilters | None = None, *, mask: bool = True, **kwargs: Any
    ) -> list[dict[str, Any]]:
        """Tickets newest first; phones masked unless ``mask=False``."""
        f = filters or ListFilters(**kwargs)
        stmt = self._loaded()
        if f.sender_id:
            stmt = stmt.where(Ticket.sender_id == f.sender_id)
        if f.window:
            stmt = stmt.where(self._in_scope([f.window]))
        if f.scope is not None:
            stmt = stmt.where(self._in_scope(f.scope))
        if f.assigned_to is not None:
            people = [p for p in f.assigned_to if p]
            stmt = stmt.where(or_(Ticket.mediator_id.in_(people), Ticket.assignee.in_(people)))
        if f.status:
            stmt = stmt.where(Ticket.status.in_(f.status.split(",")))
        if f.risk:
            stmt = stmt.where(Ticket.risk_level.in_(f.risk.split(",")))
        if f.category:
            stmt = stmt.where(Ticket.category.in_(f.category.split(",")))
        if f.overdue is not None:
            clause = self._overdue_clause(utcnow())
            stmt = stmt.where(clause if f.overdue else ~clause)
        stmt = self._date_range(stmt, f.date_from, f.date_to)
        stmt = stmt.order_by(Ticket.created_at.desc(), Ticket.id.desc()).limit(max(1, min(f.limit, 1000)))
        stmt = stmt.offset(max(0, f.offset))
        with self._read() as session:
            return [self._to_json(t, mask=mask) for t in session.execute(stmt).scalars()]

    def _date_range(self, stmt: Any, date_from: date | None, date_to: date | None) -> Any:
        tz = self._tz()
        if date_from:
            start = datetime.combine(date_from, datetime.min.time(), tz).astimezone(timezone.utc)
            stmt = stmt.where(Ticket.created_at >= start)
        if date_to:
            end = datetime.combine(date_to + timedelta(days=1), datetime.min.time(), tz).astimezone(
                timezone.utc
            )
            stmt = stmt.where(Ticket.created_at < end)
        return stmt

    def _tz(self) -> Any:
        try:
            return ZoneInfo(self.profile.timezone)
        except Exception:
            return timezone(timedelta(hours=8))

    @staticmethod
    def _overdue_clause(now: datetime) -> Any:
        """SQL form of deadlines.overdue_stages: a stage's deadline passed before its status was reached."""
        parts = [
            and_(
                Ticket.status.in_([s for s in STATUS_ORDER if not stage_done(stage, s)]),
                getattr(Ticket, f"{stage}_due") < now,
            )
            for stage in STAGES
        ]
        return or_(*parts)

    def public_status(self, code: str, phone_last4: str) -> dict[str, Any] | None:
        """Citizen status check: the public view when code and phone's last 4 digits match, else None."""
        canonical = normalise_case_code(code or "")
        wanted = privacy.last4_hash(phone_last4)
        if not canonical or not wanted or len(privacy.digits(phone_last4)) != 4:
            return None
        with self._read() as session:
            t = session.execute(self._loaded().where(Ticket.code == canonical)).scalar()
            if t is None or not t.phone_last4_hash or not hmac.compare_digest(t.phone_last4_hash, wanted):
                return None
            return {
                "code": t.code,
                "category_name": categories()[t.category].name,
                "status": t.status,
                "status_name": STATUS_NAMES.get(t.status, t.status),
                "window": t.window,
                "window_name": t.route.get("window_name"),
                "room": t.route.get("room"),
                "created_at": as_utc(t.created_at).isoformat(timespec="seconds"),
                "updated_at": as_utc(t.updated_at).isoformat(timespec="seconds"),
                "materials": list(t.materials or []),
                "center": self.profile.public_info(),
            }

    # ------------------------------------------------------------ lifecycle

    def _touch(
        self,
        session: Session,
        t: Ticket,
        now: datetime,
        actor: str,
        kind: str,
        note: str | None,
        to_status: str | None = None,
    ) -> dict[str, Any]:
        from_status = t.status
        if to_status and to_status != t.status:
            t.status = to_status
            stamp = {
                "accepted": "accepted_at",
                "resolved": "resolved_at",
                "referred": "resolved_at",
                "closed": "closed_at",
            }.get(to_status)
            if stamp and getattr(t, stamp) is None:
                setattr(t, stamp, now)
        t.updated_at = now
        t.history.append(
            StatusHistory(
                at=now, actor=actor, kind=kind, from_status=from_status, to_status=t.status, note=note
            )
        )
        session.flush()
        data = self._to_json(t, now=now)
        outbox.enqueue(session, f"ticket.{kind}" if kind != "status" else "ticket.status_changed", data, now)
        return data

    def change_status(
        self,
        code: str,
        to_status: str,
        actor: str,
        note: str | None = None,
        *,
        scope: Sequence[str] | None = None,
        now: datetime | None = None,
    ) -> dict[str, Any]:
        """Move a ticket along the lifecycle; raises InvalidTransition for a step that is not allowed."""
        if to_status not in STATUSES:
            raise InvalidInput(f"未知的状态：{to_status}")
        now = now or utcnow()
        with self._write() as session:
            t = self._get(session, code, scope)
            if to_status not in TRANSITIONS[t.status]:
                allowed = "、".join(STATUS_NAMES[s] for s in TRANSITIONS[t.status]) or "无"
                raise InvalidTransition(
                    f"不能从“{STATUS_NAMES[t.status]}”改为“{STATUS_NAMES[to_status]}”，可改为：{allowed}"
                )
            return self._touch(session, t, now, actor, "status", note, to_status)

    def claim(
        self, code: str, actor: str, *, scope: Sequence[str] | None = None, now: datetime | None = None
    ) -> dict[str, Any]:
        """A staff member takes the ticket (签收): assignee set, received/routed become accepted."""
        now = now or utcnow()
        with self._write() as session:
            t = self._get(session, code, scope)
            if t.status == "closed":
                raise InvalidTransition("已办结的案件不能再签收")
            previous = t.assignee
            t.assignee = actor
            to = "accepted" if t.status in ("received", "routed") else None
            note = (
                f"{actor}签收" if not previous or previous == actor else f"{actor}接手（原承办人{previous}）"
            )
            return self._touch(session, t, now, actor, "claim", note, to)

    def add_note(
        self,
        code: str,
        actor: str,
        note: str,
        *,
        scope: Sequence[str] | None = None,
        now: datetime | None = None,
    ) -> dict[str, Any]:
        if not note or not note.strip():
            raise InvalidInput("备注不能为空")
        with self._write() as session:
            return self._touch(
                session, self._get(session, code, scope), now or utcnow(), actor, "note", note.strip()
            )

    def follow_up(
        self,
        code: str,
        satisfaction: int,
        note: str | None = None,
        actor: str = "回访员",
        *,
        scope: Sequence[str] | None = None,
        now: datetime | None = None,
    ) -> dict[str, Any]:
        """Record the return visit (回访) of a resolved/referred/closed ticket with satisfaction 1-5."""
        if isinstance(satisfaction, bool) or not isinstance(satisfaction, int) or not 1 <= satisfaction <= 5:
            raise InvalidInput("满意度须为 1 到 5 的整数")
        now = now or utcnow()
        with self._write() as session:
            t = self._get(session, code, scope)
            if t.status not in ("resolved", "referred", "closed"):
                raise InvalidTransition("案件尚未化解或转办，暂不能回访")
            t.satisfaction, t.follow_up_note, t.followed_up_at = satisfaction, note, now
            return self._touch(
                session,
                t,
                now,
                actor,
                "follow_up",
                f"回访满意度{satisfaction}分" + (f"：{note}" if note else ""),
            )

    def transfer(
        self,
        code: str,
        window: str,
        actor: str,
        reason: str,
        *,
        mediator_id: str | None = None,
        scope: Sequence[str] | None = None,
        now: datetime | None = None,
    ) -> dict[str, Any]:
        """Hand a ticket to another window (转办) and/or mediator, with a reason; the old primary window
        loses it (unless a rule made it a secondary window), and the new window signs for it again."""
        reason = (reason or "").strip()
        if not reason:
            raise InvalidInput("请填写转办原因")
        profile = self.profile
        if window not in profile.windows:
            raise InvalidInput(f"未知的窗口：{window}")
        mediator = None
        if mediator_id:
            mediator = next((m for m in profile.mediators if m.id == mediator_id), None)
            if mediator is None:
                raise InvalidInput(f"未知的调解员：{mediator_id}")
        now = now or utcnow()
        with self._write() as session:
            t = self._get(session, code, scope)
            if t.status == "closed":
                raise InvalidTransition("已办结的案件不能转办")
            if window == t.window and (mediator is None or mediator.id == t.mediator_id):
                raise InvalidInput("案件已在该窗口，请选择其他窗口或调解员")
            target = profile.window(window)
            route = dict(t.route)
            old_name = route.get("window_name") or t.window
            if window != t.window:
                secondary = [s for s in route.get("secondary_windows", []) if s.get("window") != window]
                route["secondary_windows"] = secondary
                t.windows = [tw for tw in t.windows if tw.role == "secondary" and tw.window != window]
                session.flush()
                t.windows.append(TicketWindow(window=window, role="primary"))
                t.window = window
                t.assignee = None
                route.update(window=window, window_name=target.name, room=target.room)
                if mediator is None and t.mediator_id:
                    keep = next((m for m in profile.mediators if m.id == t.mediator_id), None)
                    if keep is None or keep.window != window:
                        t.mediator_id = None
                        route.update(mediator=None, mediator_id=None)
            if mediator is not None:
                t.mediator_id = mediator.id
                route.update(mediator=mediator.name, mediator_id=mediator.id)
            to_whom = target.name + (f"（调解员{mediator.name}）" if mediator else "")
            note = f"由{old_name}转至{to_whom}：{reason}"
            route["reasons"] = [*route.get("reasons", []), f"{actor}转办：{note}"]
            t.route = route
            data = self._touch(session, t, now, actor, "transfer", note)
        log.info("ticket %s transferred to %s by %s", code, window, actor)
        return data

    # ------------------------------------------------------------ statistics

    def statistics(
        self,
        *,
        scope: Sequence[str] | None = None,
        date_from: date | None = None,
        date_to: date | None = None,
        now: datetime | None = None,
    ) -> dict[str, Any]:
        now = now or utcnow()
        stmt = select(
            Ticket.category,
            Ticket.location,
            Ticket.channel,
            Ticket.status,
            Ticket.risk_level,
            Ticket.created_at,
            Ticket.accepted_at,
            Ticket.closed_at,
            Ticket.satisfaction,
            Ticket.window,
            self._overdue_clause(now).label("overdue"),
        )
        if scope is not None:
            stmt = stmt.where(self._in_scope(scope))
        stmt = self._date_range(stmt, date_from, date_to)
        with self._read() as session:
            rows = session.execute(stmt).all()
        by = {k: Counter() for k in ("category", "town", "channel", "status", "risk_level", "window", "week")}
        tz = self._tz()
        accept_hours, close_hours, scores = [], [], []
        overdue = 0
        for r in rows:
            by["category"][r.category] += 1
            by["town"][town_of(r.location)] += 1
            by["channel"][r.channel] += 1
            by["status"][r.status] += 1
            by["risk_level"][r.risk_level] += 1
            by["window"][r.window] += 1
            year, week, _ = as_utc(r.created_at).astimezone(tz).isocalendar()
            by["week"][f"{year}-W{week:02d}"] += 1
            overdue += bool(r.overdue)
            if r.accepted_at:
                accept_hours.append((as_utc(r.accepted_at) - as_utc(r.created_at)).total_seconds() / 3600)
            if r.closed_at:
                close_hours.append((as_utc(r.closed_at) - as_utc(r.created_at)).total_seconds() / 3600)
            if r.satisfaction:
                scores.append(r.satisfaction)

        def avg(values: list[float]) -> float | None:
            return round(sum(values) / len(values), 2) if values else None

        return {
            "total": len(rows),
            "by_category": dict(by["category"].most_common()),
            "by_town": dict(by["town"].most_common()),
            "by_channel": dict(by["channel"].most_common()),
            "by_status": dict(by["status"].most_common()),
            "by_risk": dict(by["risk_level"].most_common()),
            "by_window": dict(by["window"].most_common()),
            "overdue": overdue,
            "avg_hours_to_accept": avg(accept_hours),
            "avg_hours_to_close": avg(close_hours),
            "satisfaction": {"average": avg(scores), "count": len(scores)},
            "by_satisfaction": {str(k): v for k, v in sorted(Counter(scores).items())},
            "by_week": dict(sorted(by["week"].items())),
        }

    # ------------------------------------------------------------ staff tokens

    def create_token(self, name: str, role: str, windows: Sequence[str] = ()) -> tuple[str, dict[str, Any]]:
        """Create a staff token; the clear token is returned once and only its hash is stored."""
        if role not in ROLES:
            raise InvalidInput(f"未知的角色：{role}（可选 {', '.join(ROLES)}）")
        unknown = [w for w in windows if w not in self.profile.windows]
        if unknown:
            raise InvalidInput(f"未知的窗口：{', '.join(unknown)}")
        if role != "admin" and not windows:
            raise InvalidInput("窗口人员和调解员的令牌须指定至少一个窗口")
        token = "izk_" + secrets.token_urlsafe(32)
        with self._write() as session:
            row = StaffToken(
                name=name,
                role=role,
                windows=list(windows),
                token_hash=_hash_token(token),
                prefix=token[:10],
                created_at=utcnow(),
            )
            session.add(row)
            session.flush()
            return token, self._token_json(row)

    @staticmethod
    def _token_json(row: StaffToken) -> dict[str, Any]:
        return {
            "id": row.id,
            "name": row.name,
            "role": row.role,
            "windows": list(row.windows or []),
            "prefix": row.prefix,
            "created_at": as_utc(row.created_at).isoformat(timespec="seconds"),
            "last_used_at": as_utc(row.last_used_at).isoformat(timespec="seconds")
            if row.last_used_at
            else None,
            "revoked": row.revoked_at is not None,
        }

    def list_tokens(self) -> list[dict[str, Any]]:
        with self._read() as session:
            return [
                self._token_json(r)
                for r in session.execute(select(StaffToken).order_by(StaffToken.id)).scalars()
            ]

    def revoke_token(self, token_id: int) -> bool:
        with self._write() as session:
            row = session.get(StaffToken, token_id)
            if row is None or row.revoked_at is not None:
                return False
            row.revoked_at = utcnow()
            return True

    def authenticate(self, token: str) -> StaffIdentity | None:
        """The identity of a valid, unrevoked token, or None."""
        if not token:
            return None
        with self._read() as session:
            row = session.execute(
                select(StaffToken).where(
                    StaffToken.token_hash == _hash_token(token), StaffToken.revoked_at.is_(None)
                )
            ).scalar()
            if row is None:
                return None
            identity = StaffIdentity(
                name=row.name, role=row.role, windows=tuple(row.windows or ()), token_id=row.id
            )
            stale = row.last_used_at is None or as_utc(row.last_used_at) < utcnow() - timedelta(minutes=5)
        if stale:
            with self._write() as session:
                session.get(StaffToken, identity.token_id).last_used_at = utcnow()
        return identity

    # ------------------------------------------------------------ console accounts and sessions

    def create_user(
        self,
        username: str,
        password: str,
        name: str,
        role: str,
        windows: Sequence[str] = (),
        mediator_id: str | None = None,
    ) -> dict[str, Any]:
        """Create a console account; the password is kept only as a salted scrypt hash."""
        username = (username or "").strip()
        if not re.fullmatch(r"[A-Za-z0-9_.@-]{2,64}", username):
            raise InvalidInput("用户名须为 2–64 位字母、数字或 _ . @ -")
        if not name or not name.strip():
            raise InvalidInput("请填写姓名")
        if len(password or "") < 8:
            raise InvalidInput("密码至少 8 位")
        if role not in ROLES:
            raise InvalidInput(f"未知的角色：{role}（可选 {', '.join(ROLES)}）")
        profile = self.profile
        unknown = [w for w in windows if w not in profile.windows]
        if unknown:
            raise InvalidInput(f"未知的窗口：{', '.join(unknown)}")
        if role == "window_staff" and not windows:
            raise InvalidInput("窗口人员须指定至少一个窗口")
        if mediator_id and not any(m.id == mediator_id for m in profile.mediators):
            raise InvalidInput(f"未知的调解员：{mediator_id}")
        if role == "mediator" and not mediator_id:
            # a mediator account named like a mediator of the profile is that mediator
            match = next((m for m in profile.mediators if m.name == name.strip()), None)
            mediator_id = match.id if match else None
            if match and not windows and match.window:
                windows = (match.window,)
        with self._write() as session:
            if session.execute(select(StaffUser.id).where(StaffUser.username == username)).first():
                raise InvalidInput(f"用户名已存在：{username}")
            row = StaffUser(
                username=username,
                name=name.strip(),
                role=role,
                windows=list(windows),
                mediator_id=mediator_id if role == "mediator" else None,
                password_hash=hash_password(password),
                created_at=utcnow(),
            )
            session.add(row)
            session.flush()
            return self._user_json(row)

    @staticmethod
    def _user_json(row: StaffUser) -> dict[str, Any]:
        return {
            "id": row.id,
            "username": row.username,
            "name": row.name,
            "role": row.role,
            "windows": list(row.windows or []),
            "mediator_id": row.mediator_id,
            "created_at": as_utc(row.created_at).isoformat(timespec="seconds"),
            "last_login_at": as_utc(row.last_login_at).isoformat(timespec="seconds")
            if row.last_login_at
            else None,
            "disabled": row.disabled_at is not None,
        }

    def list_users(self) -> list[dict[str, Any]]:
        with self._read() as session:
            return [
                self._user_json(r)
                for r in session.execute(select(StaffUser).order_by(StaffUser.id)).scalars()
            ]

    def set_password(self, username: str, password: str) -> bool:
        if len(password or "") < 8:
            raise InvalidInput("密码至少 8 位")
        with self._write() as session:
            row = session.execute(select(StaffUser).where(StaffUser.username == username)).scalar()
            if row is None:
                return False
            row.password_hash = hash_password(password)
            session.execute(StaffSession.__table__.delete().where(StaffSession.user_id == row.id))
            return True

    def disable_user(self, username: str) -> bool:
        """Disable an account and end its sessions."""
        with self._write() as session:
            row = session.execute(select(StaffUser).where(StaffUser.username == username)).scalar()
            if row is None or row.disabled_at is not None:
                return False
            row.disabled_at = utcnow()
            session.execute(StaffSession.__table__.delete().where(StaffSession.user_id == row.id))
            return True

    def check_login(self, username: str, password: str) -> dict[str, Any] | None:
        """The account when the password is right and the account is active, else None."""
        with self._read() as session:
            row = session.execute(
                select(StaffUser).where(StaffUser.username == (username or "").strip())
            ).scalar()
        if row is None:
            verify_password(password or "", _dummy_hash())  # same work whether or not the user exists
            return None
        if not verify_password(password or "", row.password_hash) or row.disabled_at is not None:
            return None
        return self._user_json(row)

    def open_session(self, user_id: int, ttl: timedelta = timedelta(hours=10)) -> tuple[str, str]:
        """A new session for the account: returns (session id for the cookie, CSRF token)."""
        session_id, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
        now = utcnow()
        with self._write() as session:
            session.execute(StaffSession.__table__.delete().where(StaffSession.expires_at < now))
            session.add(
                StaffSession(
                    id_hash=_hash_token(session_id),
                    user_id=user_id,
                    csrf_token=csrf,
                    created_at=now,
                    expires_at=now + ttl,
                )
            )
            user = session.get(StaffUser, user_id)
            if user is not None:
                user.last_login_at = now
        return session_id, csrf

    def session_user(self, session_id: str) -> dict[str, Any] | None:
        """The active account of a session id, with the session's ``csrf_token``; None when expired."""
        if not session_id:
            return None
        with self._read() as session:
            row = session.execute(
                select(StaffSession, StaffUser)
                .join(StaffUser, StaffUser.id == StaffSession.user_id)
                .where(StaffSession.id_hash == _hash_token(session_id))
            ).first()
            if row is None:
                return None
            sess, user = row
            if as_utc(sess.expires_at) <= utcnow() or user.disabled_at is not None:
                return None
            return {**self._user_json(user), "csrf_token": sess.csrf_token}

    def close_session(self, session_id: str) -> None:
        with self._write() as session:
            session.execute(
                StaffSession.__table__.delete().where(StaffSession.id_hash == _hash_token(session_id or ""))
            )

    # ------------------------------------------------------------ outbox

    def due_outbox(self, limit: int = 20) -> list[outbox.OutboxMessage]:
        """Lease due outbox rows; a cheap read first, so an idle poll never takes the write lock."""
        with self._read() as session:
            if not outbox.any_due(session):
                return []
        with self._write() as session:
            return outbox.claim_due(session, limit)

    def outbox_delivered(self, message_id: int) -> None:
        with self._write() as session:
            outbox.mark_delivered(session, message_id)

    def outbox_failed(self, message_id: int, error: str, max_attempts: int, base_delay: float) -> str:
        with self._write() as session:
            return outbox.mark_failed(session, message_id, error, max_attempts, base_delay)

    def requeue_dead(self) -> int:
        with self._write() as session:
            return outbox.requeue_dead(session)

    def outbox_counts(self) -> dict[str, int]:
        with self._read() as session:
            return outbox.counts(session)

    def outbox_rows(self, code: str) -> list[dict[str, Any]]:
        with self._read() as session:
            return outbox.rows_for(session, code)

    # ------------------------------------------------------------ retention

    def purge_expired(self, now: datetime | None = None) -> int:
        """Erase personal data of tickets closed more than the retention period ago."""
        now = now or utcnow()
        cutoff = now - timedelta(days=privacy.retention_days(self.profile.retention_days))
        count = 0
        with self._write() as session:
            tickets = (
                session.execute(
                    select(Ticket)
                    .options(selectinload(Ticket.parties), selectinload(Ticket.history))
                    .where(Ticket.status == "closed", Ticket.closed_at < cutoff, Ticket.purged_at.is_(None))
                )
                .scalars()
                .all()
            )
            for t in tickets:
                name = t.facts.get("applicant_name")
                t.facts = privacy.scrub_facts(dict(t.facts))
                t.phone_enc = t.phone_last4_hash = t.id_number_enc = t.transcript_enc = None
                summary = privacy.mask_text(t.summary or "")
                t.summary = summary.replace(str(name), "某某") if name else summary
                for party in t.parties:
                    party.phone_enc = None
                    if party.role == "applicant":
                        party.name = None
                for h in t.history:
                    h.note = privacy.mask_text(h.note or "") or None
                t.purged_at = now
                count += 1
            if tickets:
                from bot.storage.models import Outbox

                session.execute(
                    Outbox.__table__.delete().where(
                        Outbox.ticket_code.in_([t.code for t in tickets]), Outbox.state != outbox.PENDING
                    )
                )
        log.info("purged personal data of %d closed tickets (closed before %s)", count, cutoff.date())
        return count

    # ------------------------------------------------------------ export

    def export_rows(self, date_from: date | None = None, date_to: date | None = None) -> list[dict[str, Any]]:
        """Flat rows for CSV/XLSX export (phones masked)."""
        with self._read() as session:
            stmt = self._date_range(self._loaded(), date_from, date_to).order_by(Ticket.created_at, Ticket.id)
            tickets = [self._to_json(t, mask=True) for t in session.execute(stmt).scalars()]
        rows = []
        for t in tickets:
            f = t["facts"]
            rows.append(
                {
                    "受理编号": t["code"],
                    "受理时间": t["created_at"],
                    "渠道": t["channel"],
                    "类别": t["category_name"],
                    "状态": t["status_name"],
                    "风险等级": t["risk_level"],
                    "主办窗口": t["route"]["window_name"],
                    "协办窗口": "、".join(s["window_name"] for s in t["route"].get("secondary_windows", [])),
                    "繁简": t["route"]["tier"],
                    "调解员": t["route"].get("mediator") or "",
                    "申请人": f.get("applicant_name") or "",
                    "电话": f.get("phone") or "",
                    "金额（元）": f.get("amount_yuan"),
                    "人数": f.get("headcount"),
                    "对方": f.get("counterparty") or "",
                    "地点": f.get("location") or "",
                    "诉求": f.get("demand") or "",
                    "摘要": t["summary"],
                    "是否超时": "是" if t["overdue"] else "否",
                    "满意度": t["follow_up"]["satisfaction"],
                    **{f"{STAGE_NAMES[s]}时限": t["deadlines"][s] for s in STAGES},
                }
            )
        return rows
