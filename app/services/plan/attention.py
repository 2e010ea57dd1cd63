"""What needs the operator now: conflicted bookings, requests whose placement a fact broke, and overrunning batches
(overruns settled on the way)."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session, selectinload

from app.models import Allocation, Booking
from app.platform.plant_rules import PlantRules
from app.services.batch.batch_times import is_overrunning, settle_overruns
from app.services.booking.lifecycle import WATCHED


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
        .where(
            or_(Booking.status.in_(WATCHED), Booking.allocations.any(and_(Allocation.active, Allocation.in_conflict)))
        )
        .options(selectinload(Booking.allocations).selectinload(Allocation.equipment), selectinload(Booking.company))
        .order_by(Booking.id)
    )
    found = list(session.scalars(query))
    return Attention(
        [b for b in found if b.broken],
        [b for b in found if is_overrunning(b, now)],
        changed,
    )
