"""Where a booking's stages are placed, now and before the last change the customer has not yet accepted."""

import json
from dataclasses import dataclass
from datetime import datetime

from app.models import Booking
from app.platform.timefmt import as_utc


@dataclass(frozen=True)
class Placement:
    stage: str
    equipment: str
    start: datetime
    end: datetime


def current_placements(booking: Booking) -> list[Placement]:
    return [Placement(a.stage.value, a.equipment.code, a.start, a.end) for a in booking.allocations if a.active]


def remember_plan(booking: Booking) -> None:
    """Keep the booking's placement as its "before" times, unless an unaccepted earlier change already did."""
    if not booking.previous_times:
        booking.previous_times = json.dumps(
            [[p.stage, p.equipment, p.start.isoformat(), p.end.isoformat()] for p in current_placements(booking)]
        )


def previous_placements(booking: Booking) -> list[Placement]:
    """The times before the last change (empty when nothing changed or the customer accepted it)."""
    if not booking.previous_times:
        return []
    return [
        Placement(stage, code, as_utc(datetime.fromisoformat(start)), as_utc(datetime.fromisoformat(end)))
        for stage, code, start, end in json.loads(booking.previous_times)
    ]
