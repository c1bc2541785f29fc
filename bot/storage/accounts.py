"""Who may use the service: API tokens (for the center's systems), console accounts and their sessions.

Only hashes are stored: a token or session id as SHA-256 (they are long and random), a password as
scrypt (``bot.storage.passwords``). A clear token or session id exists only in the caller's hands. A
login with a password hashed under weaker parameters stores a new hash at today's parameters.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from sqlalchemy import select

from bot.storage.db import Database
from bot.storage.models import StaffSession, StaffToken, StaffUser
from bot.storage.passwords import dummy_hash, hash_password, needs_rehash, verify_password
from bot.tickets.deadlines import as_utc, iso, utcnow
from bot.tickets.records import ROLES, InvalidInput, StaffIdentity


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _grid_area(role: str, windows: Sequence[str], area: str | None) -> str | None:
    """A grid worker's town or grid (required, no windows: they see only the tickets they file);
    other roles have none."""
    if role != "grid_worker":
        return None
    area = (area or "").strip()
    if not area:
        raise InvalidInput("网格员须指定所在乡镇或网格（--area）")
    if windows:
        raise InvalidInput("网格员不属于窗口，只能查看自己代填的案件，请不要指定窗口")
    return area[:100]


class Accounts(Database):
    """API tokens, console users and console sessions."""

    # ------------------------------------------------------------ staff tokens

    def create_token(
        self, name: str, role: str, windows: Sequence[str] = (), area: str | None = None
    ) -> tuple[str, dict[str, Any]]:
        """Create a staff token; the clear token is returned once and only its hash is stored."""
        if role not in ROLES:
            raise InvalidInput(f"未知的角色：{role}（可选 {', '.join(ROLES)}）")
        unknown = [w for w in windows if w not in self.profile.windows]
        if unknown:
            raise InvalidInput(f"未知的窗口：{', '.join(unknown)}")
        area = _grid_area(role, windows, area)
        if role not in ("admin", "grid_worker") and not windows:
            raise InvalidInput("窗口人员和调解员的令牌须指定至少一个窗口")
        token = "izk_" + secrets.token_urlsafe(32)
        with self._write() as session:
            row = StaffToken(
                name=name,
                role=role,
                windows=list(windows),
                area=area,
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
            "area": row.area,
            "prefix": row.prefix,
            "created_at": iso(row.created_at),
            "last_used_at": iso(row.last_used_at),
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
                name=row.name, role=row.role, windows=tuple(row.windows or ()), token_id=row.id, area=row.area
            )
            stale = row.last_used_at is None or as_utc(row.last_used_at) < utcnow() - timedelta(minutes=5)
        if stale:
            with self._write() as session:
                session.get(StaffToken, identity.token_id).last_used_at = utcnow()
        return identity

    # ------------------------------------------------------------ console accounts

    def create_user(
        self,
        username: str,
        password: str,
        name: str,
        role: str,
        windows: Sequence[str] = (),
        mediator_id: str | None = None,
        area: str | None = None,
    ) -> dict[str, Any]:
        """Create a console account; the password is kept only as a salted scrypt hash. A grid
        worker (网格员) has an ``area`` (town or grid) and no window."""
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
        area = _grid_area(role, windows, area)
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
                area=area,
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
            "area": row.area,
            "mediator_id": row.mediator_id,
            "created_at": iso(row.created_at),
            "last_login_at": iso(row.last_login_at),
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
        """The account when the password is right and the account is active, else None. A right
        password stored under weaker hashing parameters is hashed again at today's."""
        with self._read() as session:
            row = session.execute(
                select(StaffUser).where(StaffUser.username == (username or "").strip())
            ).scalar()
        if row is None:
            verify_password(password or "", dummy_hash())  # same work whether or not the user exists
            return None
        if not verify_password(password or "", row.password_hash) or row.disabled_at is not None:
            return None
        if needs_rehash(row.password_hash):
            stronger = hash_password(password)
            with self._write() as session:
                # only if unchanged since we read it (a password set meanwhile wins)
                session.execute(
                    StaffUser.__table__.update()
                    .where(StaffUser.id == row.id, StaffUser.password_hash == row.password_hash)
                    .values(password_hash=stronger)
                )
        return self._user_json(row)

    # ------------------------------------------------------------ console sessions

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
