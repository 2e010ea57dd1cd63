"""What needs the operator now: conflicted bookings and overrunning batches (overruns settled on the way)."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from app.models import Allocation, Booking, BookingStatus
from app.platform.plant_rules import PlantRules
from app.services.batch.batch_times import is_overrunning, settle_overruns


@dataclass(frozen=True)
class Attention:
    conflicted: list[Booking]
    overrunning: list[Booking]
    changed: list[Booking]  # bookings the settled overruns conflicted just now (to tell their customers)


def needing_attention(session: Session, rules: PlantRules, now: datetime) -> Attention:
    """Settle overruns past their grace period, then list what is conflicted and what runs late."""
    changed = settle_overruns(session, rules, now)
    query = (
        select(Booking)
        .where(Booking.status.in_((BookingStatus.CONFLICTED, BookingStatus.RUNNING)))
        .options(selectinload(Booking.allocations).selectinload(Allocation.equipment), selectinload(Booking.company))
        .order_by(Booking.id)
    )
    found = list(session.scalars(query))
    return Attention(
        [b for b in found if b.status == BookingStatus.CONFLICTED],
        [b for b in found if is_overrunning(b, now)],
        changed,
    )
