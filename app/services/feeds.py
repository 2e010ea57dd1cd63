"""Calendar feeds: secret feed tokens (an HMAC of what the feed shows, keyed by SECRET_KEY) and the work shown."""
import hashlib
import hmac
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from ..errors import NotFound
from ..models import Allocation, Booking, Company

HISTORY_DAYS = 365  # feeds show work that ended up to a year ago, and everything after


def feed_token(secret: str, subject: str) -> str:
    """The secret part of a feed URL for `subject` (e.g. "company:7"): no schema, revoked by a new SECRET_KEY."""
    digest = hmac.new(secret.encode(), f"calendar-feed:{subject}".encode(), hashlib.sha256).hexdigest()
    return digest[:32]


def company_feed_token(secret: str, company_id: int) -> str:
    """`<id>-<hmac>`: the id says which company, the HMAC proves the link was handed out by the platform."""
    return f"{company_id}-{feed_token(secret, f'company:{company_id}')}"


def equipment_feed_token(secret: str, code: str) -> str:
    return feed_token(secret, f"equipment:{code}")


def company_for_token(session: Session, secret: str, token: str) -> Company:
    """The company whose feed token this is; anything else is not found."""
    company_id, _, _ = token.partition("-")
    if not company_id.isdigit() or not hmac.compare_digest(token, company_feed_token(secret, int(company_id))):
        raise NotFound("日历订阅地址无效")
    company = session.get(Company, int(company_id))
    if company is None:
        raise NotFound("日历订阅地址无效")
    return company


def valid_equipment_token(secret: str, code: str, token: str) -> bool:
    return hmac.compare_digest(token, equipment_feed_token(secret, code))


def company_allocations(session: Session, company_id: int, now: datetime) -> list[Allocation]:
    """The company's active allocations, from a year ago on, earliest first."""
    return list(session.scalars(_active_since(now).where(Booking.company_id == company_id)))


def equipment_allocations(session: Session, equipment_id: int, now: datetime) -> list[Allocation]:
    """All active allocations on one vessel, from a year ago on, earliest first."""
    return list(session.scalars(_active_since(now).where(Allocation.equipment_id == equipment_id)))


def _active_since(now: datetime):
    return (select(Allocation).join(Allocation.booking)
            .where(Allocation.active, Allocation.end > now - timedelta(days=HISTORY_DAYS))
            .options(joinedload(Allocation.booking).joinedload(Booking.company), joinedload(Allocation.equipment))
            .order_by(Allocation.start, Allocation.id))
