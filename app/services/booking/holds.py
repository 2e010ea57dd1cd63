"""What unconfirmed requests may hold: limits per request and per company, and holds that run out.

A requested (unconfirmed) booking holds its vessels until `hold_until` (REQUEST_HOLD_HOURS after it was placed).
An expired hold counts for nothing at once — plan reads leave it out — and its allocations are released, with an
audit entry, by the next change to the plan (`release_expired`), so no worker has to run. The booking stays
requested, without placement; confirming it places it again. Only approved companies' requests are placed."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session, selectinload

from app.models import Allocation, Booking, BookingStatus, Company
from app.platform.errors import ValidationFailed
from app.platform.plant_rules import RequestLimits
from app.services import audit


@dataclass(frozen=True)
class CompanyHolds:
    company: Company
    requests: int
    vessel_hours: float
    first_expiry: datetime | None  # None: held before holds expired (no expiry)


def limit_problems(duration_h: float, latest_end: datetime, limits: RequestLimits, now: datetime) -> dict[str, str]:
    """Field → Chinese message for a request longer or further ahead than any one request may be."""
    problems = {}
    if duration_h > limits.max_duration_h:
        problems["duration_h"] = f"单次预约的发酵时长不能超过 {limits.max_duration_h:g} 小时"
    if latest_end > now + timedelta(days=limits.max_horizon_days):
        problems["latest_end"] = f"最晚结束时间不能晚于 {limits.max_horizon_days} 天之后"
    return problems


def still_held(now: datetime):
    """The SQL condition: a booking's allocations hold vessels (not an unconfirmed request whose hold ran out)."""
    return or_(Booking.status != BookingStatus.REQUESTED, Booking.hold_until.is_(None), Booking.hold_until > now)


def hold_expired(booking: Booking, now: datetime) -> bool:
    return booking.status == BookingStatus.REQUESTED and booking.hold_until is not None and booking.hold_until <= now


def release_expired(session: Session, now: datetime) -> list[Booking]:
    """Release the allocations of every request whose hold ran out (the caller holds the plan lock); audited."""
    query = (
        select(Booking)
        .where(
            Booking.status == BookingStatus.REQUESTED,
            Booking.hold_until <= now,
            Booking.id.in_(select(Allocation.booking_id).where(Allocation.active)),
        )
        .options(selectinload(Booking.allocations))
    )
    expired = list(session.scalars(query))
    for booking in expired:
        for allocation in booking.allocations:
            allocation.active = False
        audit.record(session, None, "booking.hold_expired", "booking", booking.id, hold_until=booking.hold_until)
    session.flush()
    return expired


def next_expiry(session: Session, now: datetime) -> datetime | None:
    """When the earliest hold in force runs out (a stored plan is good until then)."""
    return session.scalar(
        select(Booking.hold_until)
        .where(
            Booking.status == BookingStatus.REQUESTED,
            Booking.hold_until > now,
            Booking.id.in_(select(Allocation.booking_id).where(Allocation.active)),
        )
        .order_by(Booking.hold_until)
        .limit(1)
    )


def _held_rows(session: Session, now: datetime, company_id: int | None = None):
    query = (
        select(Booking.company_id, Booking.id, Booking.hold_until, Allocation.start, Allocation.end)
        .join(Allocation, and_(Allocation.booking_id == Booking.id, Allocation.active))
        .where(Booking.status == BookingStatus.REQUESTED, still_held(now))
    )
    if company_id is not None:
        query = query.where(Booking.company_id == company_id)
    return session.execute(query).all()


def _hours(rows) -> float:
    return sum((row.end - row.start).total_seconds() for row in rows) / 3600


def check_company_hold(session: Session, company_id: int, limits: RequestLimits, now: datetime) -> None:
    """Refuse when the company's placed unconfirmed requests (this one included) hold too many vessel-hours."""
    held = _hours(_held_rows(session, now, company_id))
    if held > limits.max_unconfirmed_vessel_hours:
        message = (
            f"贵企业待确认的预约已占用 {held:g} 设备小时，超过上限 {limits.max_unconfirmed_vessel_hours:g} 小时；"
            "请等待平台确认已提交的预约，或取消不需要的预约"
        )
        raise ValidationFailed(message, {"duration_h": message})


def holds_by_company(session: Session, now: datetime) -> list[CompanyHolds]:
    """Per company: its placed unconfirmed requests, the vessel-hours they hold and when the holds run out."""
    by_company: dict[int, list] = {}
    for row in _held_rows(session, now):
        by_company.setdefault(row.company_id, []).append(row)
    companies = {c.id: c for c in session.scalars(select(Company).where(Company.id.in_(by_company)))}
    held = [
        CompanyHolds(
            companies[cid],
            len({r.id for r in rows}),
            _hours(rows),
            min((r.hold_until for r in rows if r.hold_until), default=None),
        )
        for cid, rows in by_company.items()
    ]
    return sorted(held, key=lambda h: -h.vessel_hours)
