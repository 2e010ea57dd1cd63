"""The schedule as a picture: vessels × time, laid out for a server-rendered SVG Gantt chart."""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from app.documents import labels
from app.models import Allocation, Booking, Equipment, EquipmentStatus, MaintenanceWindow, Stage
from app.services.batch.batch_times import is_overrunning

LABEL_WIDTH = 110
ROW_HEIGHT = 26
DAY_WIDTH = 48
HEADER = 30


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    css: str
    label: str
    title: str
    booking_id: int | None = None
    height: int = 20


@dataclass
class Board:
    rows: list[str]
    days: list[date]
    bars: list[Bar] = field(default_factory=list)
    links: list[tuple[float, float, float, float]] = field(default_factory=list)

    @property
    def width(self) -> int:
        return LABEL_WIDTH + DAY_WIDTH * len(self.days)

    @property
    def height(self) -> int:
        return HEADER + ROW_HEIGHT * len(self.rows)


@dataclass(frozen=True)
class Frame:
    """Maps datetimes and rows onto the picture."""

    start: datetime
    end: datetime
    rows: dict[str, int]

    def x(self, moment: datetime) -> float:
        moment = min(max(moment, self.start), self.end)
        return LABEL_WIDTH + (moment - self.start).total_seconds() / 86400 * DAY_WIDTH

    def y(self, code: str) -> float:
        return HEADER + self.rows[code] * ROW_HEIGHT + 3


def build_board(
    session: Session,
    first_day: date,
    days: int,
    tz: ZoneInfo,
    codes: list[str] | None = None,
    own_company: int | None = None,
    now: datetime | None = None,
) -> Board:
    """Allocations, turnaround and maintenance on each vessel; with `own_company`, others' work is anonymous.

    Drawn in layers: the plan, then maintenance windows above it, the actual run of started batches, and
    conflicted bookings (red) above everything."""
    equipment = _equipment(session, codes)
    start = datetime.combine(first_day, time(), tz)
    frame = Frame(start, start + timedelta(days=days), {e.code: i for i, e in enumerate(equipment)})
    board = Board([e.code for e in equipment], [first_day + timedelta(days=i) for i in range(days)])
    ids = [e.id for e in equipment]
    allocations = session.scalars(
        select(Allocation)
        .where(
            Allocation.equipment_id.in_(ids),
            Allocation.active,
            Allocation.start < frame.end,
            Allocation.occupied_until > frame.start,
        )
        .options(selectinload(Allocation.equipment), selectinload(Allocation.booking).selectinload(Booking.company))
    )
    by_booking: dict[int, list[Allocation]] = {}
    plan: list[Bar] = []
    for allocation in allocations:
        plan.extend(_allocation_bars(frame, allocation, own_company, now))
        by_booking.setdefault(allocation.booking_id, []).append(allocation)
    board.bars.extend(bar for bar in plan if "status-conflicted" not in bar.css)
    for window in session.scalars(
        select(MaintenanceWindow)
        .where(
            MaintenanceWindow.equipment_id.in_(ids),
            MaintenanceWindow.start < frame.end,
            MaintenanceWindow.end > frame.start,
        )
        .options(selectinload(MaintenanceWindow.equipment))
    ):
        board.bars.append(
            _bar(
                frame,
                window.equipment.code,
                window.start,
                window.end,
                "maintenance",
                str(labels.MAINTENANCE),
                window.reason or str(labels.MAINTENANCE),
            )
        )
    if own_company is None:
        board.bars.extend(
            _actual_bar(frame, chain, now) for chain in by_booking.values() if chain[0].booking.actual_start is not None
        )
    board.bars.extend(bar for bar in plan if "status-conflicted" in bar.css)
    if own_company is None:
        board.links = [
            _link(frame, a, b)
            for chain in by_booking.values()
            for a, b in pairwise(sorted(chain, key=lambda a: a.start))
        ]
    return board


def _equipment(session: Session, codes: list[str] | None) -> list[Equipment]:
    query = (
        select(Equipment)
        .where(Equipment.status != EquipmentStatus.RETIRED)
        .order_by(Equipment.kind, Equipment.nominal_volume_l, Equipment.code)
    )
    if codes is not None:
        query = query.where(Equipment.code.in_(codes))
    return list(session.scalars(query))


def _bar(
    frame: Frame,
    code: str,
    start: datetime,
    end: datetime,
    css: str,
    label: str,
    title: str,
    booking_id: int | None = None,
) -> Bar:
    x = frame.x(start)
    return Bar(x, frame.y(code), max(frame.x(end) - x, 1.0), css, label, title, booking_id)


def _allocation_bars(frame: Frame, a: Allocation, own_company: int | None, now: datetime | None) -> list[Bar]:
    booking = a.booking
    visible = own_company is None or booking.company_id == own_company
    if visible:
        label = booking.reference
        stage = labels.word(labels.STAGE, a.stage)
        title = f"{booking.reference} · {booking.company.name} · {stage} · {booking.organism}"
        css = f"status-{'conflicted' if a.in_conflict else booking.status.value} stage-{a.stage.value}"
        if now is not None and a.stage == Stage.MAIN and is_overrunning(booking, now):
            css, title = css + " overrun", f"{title} · {labels.OVERRUNNING}"
    else:
        label, title, css = str(labels.OCCUPIED), str(labels.OCCUPIED), "occupied"
    bars = [_bar(frame, a.equipment.code, a.start, a.end, css, label, title, booking.id if visible else None)]
    if a.occupied_until > a.end:
        bars.append(_bar(frame, a.equipment.code, a.end, a.occupied_until, "turnaround", "", str(labels.TURNAROUND)))
    return bars


def _actual_bar(frame: Frame, chain: list[Allocation], now: datetime | None) -> Bar:
    """A thin bar under the plan: when the batch really ran (until now while it runs)."""
    booking = chain[0].booking
    main = next((a for a in chain if a.stage == Stage.MAIN), chain[0])
    end = booking.actual_end or max(now or booking.actual_start, booking.actual_start + timedelta(minutes=1))
    bar = _bar(
        frame,
        main.equipment.code,
        booking.actual_start,
        end,
        "actual",
        "",
        f"{booking.reference} {labels.ACTUAL_START} "
        f"{booking.actual_start.astimezone(frame.start.tzinfo):%Y-%m-%d %H:%M}",
        booking.id,
    )
    return Bar(bar.x, bar.y + 16, bar.width, bar.css, bar.label, bar.title, bar.booking_id, height=4)


def _link(frame: Frame, before: Allocation, after: Allocation) -> tuple[float, float, float, float]:
    """A line from the end of one stage to the start of the next (seed → main → downstream)."""
    half = (ROW_HEIGHT - 6) / 2
    return (
        frame.x(before.end),
        frame.y(before.equipment.code) + half,
        frame.x(after.start),
        frame.y(after.equipment.code) + half,
    )
