"""Bearer tokens (only their SHA-256 is kept; each one revocable) and password changes."""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.models import ApiToken, User
from app.platform.errors import NotFound, require_valid
from app.services import audit
from app.services.access.passwords import NewPassword, new_password, password_matches
from app.services.rows import by_id


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(session: Session, user: User, now: datetime, days: int) -> str:
    """A new bearer token for the user; only its hash is kept."""
    token = secrets.token_urlsafe(32)
    session.add(
        ApiToken(user_id=user.id, token_hash=_token_hash(token), created_at=now, expires_at=now + timedelta(days=days))
    )
    return token


def user_for_token(session: Session, token: str, now: datetime) -> User | None:
    """The active user of an unexpired, unrevoked token (one query: this runs on every API call)."""
    return session.scalar(
        select(User)
        .join(ApiToken, ApiToken.user_id == User.id)
        .where(
            ApiToken.token_hash == _token_hash(token),
            ApiToken.revoked_at.is_(None),
            ApiToken.expires_at > now,
            User.active,
        )
    )


def revoke_presented(session: Session, user: User, token: str, now: datetime) -> None:
    """Revoke the token a request came with (a client signing out)."""
    row = session.scalar(select(ApiToken).where(ApiToken.token_hash == _token_hash(token), ApiToken.user_id == user.id))
    if row is None:
        raise NotFound("令牌不存在")
    _revoke(session, user, row, now)


def revoke(session: Session, user: User, token_id: int, now: datetime) -> None:
    """Revoke one of the user's own tokens by its id (others': not found)."""
    row = by_id(session, ApiToken, token_id)
    if row is None or row.user_id != user.id:
        raise NotFound("令牌不存在")
    _revoke(session, user, row, now)


def _revoke(session: Session, user: User, row: ApiToken, now: datetime) -> None:
    if row.revoked_at is None:
        row.revoked_at = now
        audit.record(session, user, "token.revoked", "api_token", row.id)


def tokens_of(session: Session, user: User) -> list[ApiToken]:
    """The user's tokens, newest first."""
    return list(
        session.scalars(
            select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
        )
    )


@dataclass(frozen=True)
class PasswordChange:
    """A password change, its slow checks and hashing done before the write transaction."""

    checked_hash: str  # the hash the current password was checked against
    current_matches: bool
    same_as_current: bool
    new: NewPassword

    @classmethod
    def of(cls, user: User, current: str, new: str) -> "PasswordChange":
        return cls(user.password_hash, password_matches(user.password_hash, current), new == current, new_password(new))


def change_password(session: Session, user: User, change: PasswordChange, now: datetime) -> None:
    """A new password (by the password rule) for a user who knows the current one; every token is revoked."""
    problems = {}
    if not change.current_matches or change.checked_hash != user.password_hash:
        problems["current_password"] = "当前密码不正确"
    elif change.new.problem:
        problems["new_password"] = change.new.problem
    elif change.same_as_current:
        problems["new_password"] = "新密码不能与当前密码相同"
    require_valid(problems)
    user.password_hash = change.new.hash
    session.execute(
        update(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None)).values(revoked_at=now)
    )
    audit.record(session, user, "user.password_changed", "user", user.id)
