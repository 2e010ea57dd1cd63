"""Throttles shared by all workers: attempts counted per key with one atomic UPDATE, a doubling back-off.

A key's first `free` attempts in a quiet period pass at once; after that each attempt must wait
`base_s × 2^(n − free)` seconds (at most `max_s`) after the one before. Nobody is locked out for good: the wait
is short at first, and a quiet period (`quiet_s` without attempts) starts the count again. The claim is one
`UPDATE … SET attempts = attempts + 1 … WHERE <allowed>`: PostgreSQL re-checks the condition on the locked row,
so of many parallel attempts only the allowed number pass."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import case, or_, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from app.models import LoginThrottle
from app.platform.errors import DomainError


class TooManyAttempts(DomainError):
    status = 429


@dataclass(frozen=True)
class Limit:
    free: int
    base_s: float
    max_s: float
    quiet_s: float

    def wait_after(self, attempts: int) -> timedelta:
        """How long the next attempt waits after the `attempts`-th one."""
        if attempts < self.free:
            return timedelta(0)
        return timedelta(seconds=min(self.base_s * 2 ** (attempts - self.free), self.max_s))


def claim(session: Session, key: str, limit: Limit, now: datetime, message: str) -> None:
    """Count one attempt under `key`, or raise TooManyAttempts (429) when it has to wait."""
    _ensure_row(session, key, now)
    quiet_since = now - timedelta(seconds=limit.quiet_s)
    row = LoginThrottle
    quiet = row.last_at < quiet_since
    counted = session.execute(
        update(row)
        .where(row.key == key, or_(row.attempts < limit.free, row.next_allowed_at <= now, quiet))
        .values(attempts=case((quiet, 1), else_=row.attempts + 1), last_at=now)
        .returning(row.attempts)
    ).scalar()
    if counted is None:
        wait = session.get(row, key, populate_existing=True).next_allowed_at - now
        raise TooManyAttempts(f"{message}，请 {max(1, int(wait.total_seconds()) + 1)} 秒后再试")
    session.execute(update(row).where(row.key == key).values(next_allowed_at=now + limit.wait_after(counted)))


def clear(session: Session, key: str) -> None:
    """Forget the key's attempts (an account signed in successfully from that address)."""
    session.execute(update(LoginThrottle).where(LoginThrottle.key == key).values(attempts=0))


def forgive_one(session: Session, key: str) -> None:
    """Take back one counted attempt (a success from a shared address counts only its failures)."""
    row = LoginThrottle
    session.execute(update(row).where(row.key == key, row.attempts > 0).values(attempts=row.attempts - 1))


def _ensure_row(session: Session, key: str, now: datetime) -> None:
    dialect = session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    session.execute(
        insert(LoginThrottle)
        .values(key=key, attempts=0, last_at=now, next_allowed_at=now)
        .on_conflict_do_nothing(index_elements=["key"])
    )
