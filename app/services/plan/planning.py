"""The bridge to the scheduler: the plant, its bookings and time, as the pure core's minutes and records."""

import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from app.models import Allocation, Booking, Equipment, EquipmentStatus, Service
from app.platform.plant_rules import PlantRules
from app.services.booking.holds import still_held
from scheduler import Assignment, Problem
from scheduler.rules import Extraction, Request, Vessel, build_problem

STAGE_NAMES = {"seed": 0, "main": 1, "downstream": 2}
HORIZON_DAYS = 400


@dataclass(frozen=True)
class Clock:
    """Minutes from an origin (aware UTC) to datetimes and back."""

    origin: datetime

    def minutes(self, moment: datetime) -> int:
        return int((moment - self.origin).total_seconds() // 60)

    def moment(self, minutes: int) -> datetime:
        return self.origin + timedelta(minutes=minutes)


def clock_at(now: datetime) -> Clock:
    return Clock(now.astimezone(UTC).replace(second=0, microsecond=0))


def staffed_windows(rules: PlantRules, clock: Clock, days: int = HORIZON_DAYS) -> list[tuple[int, int]]:
    """The staffed start windows, day by day in plant-local time, as minutes."""
    first = clock.origin.astimezone(rules.tz).date() - timedelta(days=1)
    windows = []
    for offset in range(days + 2):
        day = first + timedelta(days=offset)
        start = datetime.combine(day, rules.staffed_from, rules.tz)
        end = datetime.combine(day, rules.staffed_until, rules.tz)
        windows.append((clock.minutes(start), clock.minutes(end)))
    return windows


def vessel_of(item: Equipment, clock: Clock) -> Vessel:
    """The vessel for the scheduler; one out of service (maintenance, retired) is blocked from the origin on."""
    return Vessel(
        code=item.code,
        kind=item.kind.value,
        nominal_volume_l=item.nominal_volume_l,
        min_working_volume_l=item.min_working_volume_l,
        max_working_volume_l=item.max_working_volume_l,
        turnaround_h=item.turnaround_h,
        changeover_h=item.changeover_h,
        biosafety_level=item.biosafety_level,
        status=item.status.value,
        throughput_l_per_h=item.throughput_l_per_h,
        unit=item.unit_type or None,
        maintenance=tuple(
            (clock.minutes(w.start), clock.minutes(w.end)) for w in item.maintenance if w.end > clock.origin
        )
        + _out_of_service(item),
    )


def _out_of_service(item: Equipment) -> tuple[tuple[int, int], ...]:
    return () if item.status == EquipmentStatus.ACTIVE else ((0, HORIZON_DAYS * 24 * 60),)


def extraction_of(booking: Booking) -> Extraction | None:
    """The downstream stage a booking asks for: its `extraction` details, or any unit for that service."""
    details = json.loads(booking.extraction) if booking.extraction else None
    if details is None:
        return Extraction() if booking.service == Service.EXTRACTION else None
    return Extraction(unit=details.get("unit_type"), code=details.get("equipment"), volume_l=details.get("volume_l"))


def request_of(booking: Booking, clock: Clock, weight: int = 1) -> Request:
    return Request(
        id=str(booking.id),
        service=booking.service.value,
        kind=booking.kind.value,
        working_volume_l=booking.working_volume_l,
        duration_h=booking.duration_h,
        earliest_start=max(0, clock.minutes(booking.earliest_start)),
        latest_end=clock.minutes(booking.latest_end),
        organism_family=booking.organism_family or None,
        biosafety_level=booking.biosafety_level,
        extraction=extraction_of(booking),
        weight=weight,
    )


def fleet(session: Session, clock: Clock) -> list[Vessel]:
    """Every vessel, retired ones too (work may still sit on them); only active ones take new work."""
    items = session.scalars(select(Equipment).options(selectinload(Equipment.maintenance)))
    return [vessel_of(item, clock) for item in items]


def pinned_work(
    session: Session, clock: Clock, now: datetime, exclude: set[int] = frozenset(), only: set[int] | None = None
) -> list[tuple[Request, list[Assignment]]]:
    """Bookings holding vessels after the origin (or only those of `only`) with their active stages; a request
    whose hold ran out by `now` holds nothing.

    One column query, no ORM objects: this runs whenever the plan is built or caught up."""
    holding = select(Allocation.booking_id).where(Allocation.active, Allocation.occupied_until > clock.origin)
    if only is not None:
        holding = holding.where(Allocation.booking_id.in_(only))
    query = (
        select(
            Booking.id,
            Booking.service,
            Booking.kind,
            Booking.working_volume_l,
            Booking.duration_h,
            Booking.organism_family,
            Booking.biosafety_level,
            Allocation.stage,
            Equipment.code,
            Allocation.start,
            Allocation.end,
        )
        .join(Allocation, Allocation.booking_id == Booking.id)
        .join(Equipment, Equipment.id == Allocation.equipment_id)
        .where(Allocation.active, Booking.id.in_(holding), still_held(now))
    )
    if exclude:
        query = query.where(Booking.id.not_in(exclude))
    stages: dict[int, list] = {}
    for row in session.execute(query):
        stages.setdefault(row.id, []).append(row)
    return [_pinned(rows, clock) for rows in stages.values()]


def _pinned(rows: list, clock: Clock) -> tuple[Request, list[Assignment]]:
    """A placed booking as the scheduler's fixed record (its window is not needed once it is placed)."""
    first = rows[0]
    request = Request(
        id=str(first.id),
        service=first.service.value,
        kind=first.kind.value,
        working_volume_l=first.working_volume_l,
        duration_h=first.duration_h,
        organism_family=first.organism_family or None,
        biosafety_level=first.biosafety_level,
    )
    placed = sorted(rows, key=lambda r: STAGE_NAMES[r.stage.value])
    return request, [
        _assignment(request.id, k, r.code, clock.minutes(r.start), clock.minutes(r.end)) for k, r in enumerate(placed)
    ]


def _assignment(job: str, stage: int, code: str, start: int, end: int) -> Assignment:
    """A placed stage in whole minutes; one cut short within its first minute (an abort) still lasts one."""
    start = max(start, -(10**6))
    return Assignment(job, stage, code, start, max(end, start + 1))


def plant_problem(session: Session, rules: PlantRules, clock: Clock, open_bookings: list[Booking]) -> Problem:
    """The plant as a Problem: `open_bookings` to place; all other work holding vessels is fixed."""
    pinned = pinned_work(session, clock, clock.origin, {b.id for b in open_bookings})
    return build_problem(
        fleet(session, clock),
        [request_of(b, clock) for b in open_bookings],
        rules.policy,
        start_windows=staffed_windows(rules, clock),
        confirmed=pinned,
    )
