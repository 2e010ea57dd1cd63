"""Monthly reports: vessel utilisation and service hours per customer (months in plant-local time).

Booked hours are the allocations' [start, end), the main stage's taken from the batch's actual start and end
where the plant recorded them (a running batch: its actual start and the planned length); the turnaround after a
batch (CIP/SIP, [end, free again)) is counted in its own column and not as booked. Available hours are the
month's hours minus maintenance."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session, joinedload

from app.models import Allocation, Booking, Equipment, EquipmentStatus, MaintenanceWindow, Stage
from app.platform.errors import ValidationFailed
from app.services.booking.lifecycle import SERVICE

Interval = tuple[datetime, datetime]
TURNAROUND_MARGIN = timedelta(days=3)  # longer than any vessel's turnaround and changeover after a batch


def clip(interval: Interval, window: Interval) -> Interval | None:
    """The part of half-open `interval` inside half-open `window`, or None when they do not overlap."""
    start, end = max(interval[0], window[0]), min(interval[1], window[1])
    return (start, end) if start < end else None


def hours_inside(intervals: Iterable[Interval], window: Interval) -> float:
    """Total hours of the intervals inside the window, overlaps between intervals counted once."""
    parts = sorted(part for part in (clip(i, window) for i in intervals) if part is not None)
    total, covered_until = timedelta(0), window[0]
    for start, end in parts:
        start = max(start, covered_until)
        if start < end:
            total += end - start
            covered_until = end
    return total.total_seconds() / 3600


def month_window(year: int, month: int, tz: ZoneInfo) -> Interval:
    """The plant-local calendar month as a half-open UTC interval."""
    first = datetime(year, month, 1, tzinfo=tz)
    following = datetime(year + month // 12, month % 12 + 1, 1, tzinfo=tz)
    return first.astimezone(UTC), following.astimezone(UTC)


def parse_month(year: str | None, month: str | None, today: date) -> tuple[int, int]:
    """The (year, month) asked for in a query string; the current month when not given."""
    try:
        chosen = (int(year) if year else today.year, int(month) if month else today.month)
    except ValueError:
        raise ValidationFailed("年份和月份须为数字", {"month": "年份和月份须为数字"}) from None
    if not 2000 <= chosen[0] <= 2100:
        raise ValidationFailed("年份须在 2000 至 2100 之间", {"year": "年份须在 2000 至 2100 之间"})
    if not 1 <= chosen[1] <= 12:
        raise ValidationFailed("月份须在 1 至 12 之间", {"month": "月份须在 1 至 12 之间"})
    return chosen


@dataclass(frozen=True)
class VesselMonth:
    code: str
    name: str
    kind: str
    available_h: float
    booked_h: float
    turnaround_h: float

    @property
    def utilisation(self) -> float | None:
        """Booked ÷ available (None when the vessel was not available at all)."""
        return self.booked_h / self.available_h if self.available_h > 0 else None


@dataclass(frozen=True)
class CustomerMonth:
    company: str
    bookings: int
    service_h: float


def vessel_utilisation(session: Session, year: int, month: int, tz: ZoneInfo) -> list[VesselMonth]:
    """Per vessel: available, booked and turnaround hours in the month (retired vessels only if booked)."""
    window = month_window(year, month, tz)
    month_h = (window[1] - window[0]).total_seconds() / 3600
    allocations = allocations_touching(session, window)
    maintenance = maintenance_touching(session, window)
    rows = []
    for item in session.scalars(select(Equipment).order_by(Equipment.kind, Equipment.nominal_volume_l, Equipment.code)):
        mine = [a for a in allocations if a.equipment_id == item.id]
        if item.status == EquipmentStatus.RETIRED and not mine:
            continue
        worked = [worked_interval(a) for a in mine]
        rows.append(
            VesselMonth(
                item.code,
                item.name,
                item.kind.value,
                available_h=month_h - hours_inside(maintenance.get(item.id, []), window),
                booked_h=hours_inside([(start, end) for start, end, _ in worked], window),
                turnaround_h=hours_inside([(end, free) for _, end, free in worked], window),
            )
        )
    return rows


def customer_service_hours(session: Session, year: int, month: int, tz: ZoneInfo) -> list[CustomerMonth]:
    """Per company: main-stage hours in the month of its confirmed, running, completed or invoiced bookings."""
    window = month_window(year, month, tz)
    query = (
        select(Allocation)
        .join(Allocation.booking)
        .where(Allocation.active, Allocation.stage == Stage.MAIN, Booking.status.in_(SERVICE), _touching(window))
        .options(joinedload(Allocation.booking).joinedload(Booking.company))
    )
    names: dict[int, str] = {}
    hours: dict[int, float] = {}
    bookings: dict[int, set[int]] = {}
    for allocation in session.scalars(query):
        company = allocation.booking.company
        names[company.id] = company.name
        hours[company.id] = hours.get(company.id, 0.0) + hours_inside([worked_interval(allocation)[:2]], window)
        bookings.setdefault(company.id, set()).add(allocation.booking_id)
    ranked = sorted(hours, key=lambda company_id: (-hours[company_id], names[company_id]))
    return [CustomerMonth(names[c], len(bookings[c]), hours[c]) for c in ranked]


def worked_interval(allocation: Allocation) -> tuple[datetime, datetime, datetime]:
    """The stage's [start, end) and when its vessel is free again: for the main stage the batch's actual times
    where recorded (the turnaround follows the actual end), else the plan."""
    booking = allocation.booking
    if allocation.stage != Stage.MAIN or booking.actual_start is None:
        return allocation.start, allocation.end, allocation.occupied_until
    end = booking.actual_end or booking.actual_start + (allocation.end - allocation.start)
    return booking.actual_start, end, end + (allocation.occupied_until - allocation.end)


def _touching(window: Interval):
    """Active allocations whose plan, or whose batch as it actually ran, may touch the window."""
    return or_(
        and_(Allocation.start < window[1], Allocation.occupied_until > window[0]),
        and_(
            Booking.actual_start < window[1],
            or_(Booking.actual_end.is_(None), Booking.actual_end > window[0] - TURNAROUND_MARGIN),
        ),
    )


def allocations_touching(session: Session, window: Interval) -> list[Allocation]:
    """Active allocations (with their bookings) whose plan or actual run may touch the window."""
    return list(
        session.scalars(
            select(Allocation)
            .join(Allocation.booking)
            .where(Allocation.active, _touching(window))
            .options(joinedload(Allocation.booking))
        )
    )


def maintenance_touching(session: Session, window: Interval) -> dict[int, list[Interval]]:
    """Per vessel id: its maintenance windows that touch the window."""
    found: dict[int, list[Interval]] = {}
    for w in session.scalars(
        select(MaintenanceWindow).where(MaintenanceWindow.start < window[1], MaintenanceWindow.end > window[0])
    ):
        found.setdefault(w.equipment_id, []).append((w.start, w.end))
    return found
