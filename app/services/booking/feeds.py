"""Calendar feeds: secret feed tokens and the work shown.

A token is an HMAC, keyed by SECRET_KEY, of what the feed shows and its generation: replacing a feed's
address raises the generation, so the old address stops working and every other feed's stays valid.
"""

import hashlib
import hmac
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from app.models import Allocation, Booking, Company, Equipment, User
from app.platform.errors import Forbidden, NotFound
from app.services import audit
from app.services.plan.inventory import equipment_by_code
from app.services.rows import by_id

HISTORY_DAYS = 365  # feeds show work that ended up to a year ago, and everything after
INVALID = "日历订阅地址无效"


def feed_token(secret: str, subject: str, generation: int) -> str:
    """The secret part of a feed URL for `subject` (e.g. "company:7") in its current generation."""
    message = f"calendar-feed:{subject}:{generation}".encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()[:32]


def company_feed_token(secret: str, company_id: int, generation: int) -> str:
    """`<id>-<hmac>`: the id says which company, the HMAC proves the link was handed out by the platform."""
    return f"{company_id}-{feed_token(secret, f'company:{company_id}', generation)}"


def equipment_feed_token(secret: str, code: str, generation: int) -> str:
    return feed_token(secret, f"equipment:{code}", generation)


def company_for_token(session: Session, secret: str, token: str) -> Company:
    """The company whose current feed token this is; anything else is not found."""
    company_id, _, _ = token.partition("-")
    company = by_id(session, Company, int(company_id)) if company_id.isdigit() else None
    if company is None or not hmac.compare_digest(
        token, company_feed_token(secret, company.id, company.feed_generation)
    ):
        raise NotFound(INVALID)
    return company


def check_equipment_token(secret: str, item: Equipment, token: str) -> None:
    """Not found unless `token` is the vessel's current feed token."""
    if not hmac.compare_digest(token, equipment_feed_token(secret, item.code, item.feed_generation)):
        raise NotFound(INVALID)


def replace_company_feed(session: Session, actor: User) -> None:
    """A company admin replaces the company's feed address; the old one stops working."""
    if not (actor.is_company_admin and actor.company_id):
        raise Forbidden("只有企业管理员可以更换日历订阅地址")
    _next_generation(session, actor, actor.company, f"company:{actor.company_id}")


def replace_equipment_feed(session: Session, actor: User, code: str) -> None:
    """Replace a vessel's feed address (staff subscriptions); the old one stops working."""
    _next_generation(session, actor, equipment_by_code(session, code), f"equipment:{code}")


def _next_generation(session: Session, actor: User, row: Company | Equipment, subject: str) -> None:
    """Raise the generation in the database (concurrent replacements each count) and audit it."""
    row.feed_generation = type(row).feed_generation + 1
    session.flush()
    audit.record(session, actor, "calendar_feed.replaced", "calendar_feed", subject)


def company_allocations(session: Session, company_id: int, now: datetime) -> list[Allocation]:
    """The company's active allocations, from a year ago on, earliest first."""
    return list(session.scalars(_active_since(now).where(Booking.company_id == company_id)))


def equipment_allocations(session: Session, equipment_id: int, now: datetime) -> list[Allocation]:
    """All active allocations on one vessel, from a year ago on, earliest first."""
    return list(session.scalars(_active_since(now).where(Allocation.equipment_id == equipment_id)))


def _active_since(now: datetime):
    return (
        select(Allocation)
        .join(Allocation.booking)
        .where(Allocation.active, Allocation.end > now - timedelta(days=HISTORY_DAYS))
        .options(joinedload(Allocation.booking).joinedload(Booking.company), joinedload(Allocation.equipment))
        .order_by(Allocation.start, Allocation.id)
    )
