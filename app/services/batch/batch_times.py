"""Where a batch really runs: its start (as planned, or re-placed now), extensions, overruns, aborts and its end.

Each writes the facts onto the batch's allocations, so the plan holds the truth; the allocation touched is marked
`in_conflict` first (it may now overlap other work) and plan_check.refresh_conflicts settles who is broken."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from app.models import Allocation, Booking, BookingStatus, EquipmentStatus, Stage
from app.platform.errors import Conflict
from app.platform.plant_rules import PlantRules
from app.platform.timefmt import to_local
from app.services import audit
from app.services.booking.placements import remember_plan
from app.services.plan.plan_check import new_errors, plan_errors, refresh_conflicts, refuse_if_broken

EQUIPMENT_STATES = {EquipmentStatus.MAINTENANCE: "维护中", EquipmentStatus.RETIRED: "已停用"}


def _active(booking: Booking) -> list[Allocation]:
    return sorted((a for a in booking.allocations if a.active), key=lambda a: a.start)


def main_allocation(booking: Booking) -> Allocation:
    return next(a for a in _active(booking) if a.stage == Stage.MAIN)


def local_text(moment: datetime, tz: ZoneInfo) -> str:
    return to_local(moment, tz).strftime("%Y-%m-%d %H:%M")


def _set_times(allocation: Allocation, start: datetime, end: datetime) -> None:
    turnaround = timedelta(hours=allocation.equipment.turnaround_h)
    allocation.in_conflict = True
    allocation.start, allocation.end, allocation.occupied_until = start, end, end + turnaround


def start_batch(session: Session, booking: Booking, rules: PlantRules, now: datetime, here: bool) -> None:
    """Start at the planned time (within the tolerance), or with `here` re-placed to start now on its vessels."""
    stages = _active(booking)
    if not stages:
        raise Conflict(f"预约 {booking.reference} 没有占用设备，不能开始")
    for a in stages:
        if a.equipment.status != EquipmentStatus.ACTIVE:
            raise Conflict(
                f"设备 {a.equipment.code} 当前{EQUIPMENT_STATES[a.equipment.status]}，不能开始批次",
                {"equipment": a.equipment.code},
            )
    offset = now - stages[0].start
    if here and offset:
        _start_here(session, booking, stages, offset, rules, now)
    elif abs(offset) > rules.start_tolerance:
        raise Conflict(
            f"计划开始时间为 {local_text(stages[0].start, rules.tz)}，现在不在允许的前后 "
            f"{rules.start_tolerance.total_seconds() / 3600:g} 小时内；如需现在开始，请选择“在此设备上立即开始”",
            {"start": "不在计划开始时间附近"},
        )
    else:
        refuse_if_broken(session, rules, now, booking, "开始")
    booking.actual_start = now


def _start_here(
    session: Session, booking: Booking, stages: list[Allocation], offset: timedelta, rules: PlantRules, now: datetime
) -> None:
    """Shift every stage by `offset`; refused when that breaks anything it touches."""
    before = plan_errors(session, rules, now)
    remember_plan(booking)
    for a in stages:
        _set_times(a, a.start + offset, a.end + offset)
    session.flush()
    caused = new_errors(before, plan_errors(session, rules, now), {booking.id})
    if caused:
        raise Conflict(f"在此设备上立即开始会与其他排程冲突：{caused[0]}", {"start": caused[0]})


def end_batch(booking: Booking, actual_start: datetime, actual_end: datetime) -> None:
    """The main stage takes its actual times (the vessel is busy as it really was)."""
    _set_times(main_allocation(booking), actual_start, actual_end)


def lengthen(booking: Booking, expected_end: datetime) -> None:
    """The main stage ends at `expected_end`; the stages after it move with it."""
    remember_plan(booking)
    main = main_allocation(booking)
    shift = expected_end - main.end
    for a in _active(booking):
        if a.stage == Stage.DOWNSTREAM:
            _set_times(a, a.start + shift, a.end + shift)
    _set_times(main, main.start, expected_end)


def settle_overruns(session: Session, rules: PlantRules, now: datetime) -> list[Booking]:
    """Running batches past their end by the grace period are taken to run another grace period; what that breaks.

    Evaluated lazily on reads of the plan (board, home page), so it needs no worker."""
    overrun = [b for b in _running(session) if main_allocation(b).end + rules.overrun_grace <= now]
    if not overrun:
        return []
    for booking in overrun:
        expected_end = now + rules.overrun_grace
        lengthen(booking, expected_end)
        audit.record(session, None, "booking.overrun", "booking", booking.id, expected_end=expected_end)
    names = "、".join(b.reference for b in overrun)
    return refresh_conflicts(session, None, rules, now, f"{names} 超过计划结束时间仍在运行")


def _running(session: Session) -> list[Booking]:
    query = (
        select(Booking)
        .where(Booking.status == BookingStatus.RUNNING)
        .options(selectinload(Booking.allocations).selectinload(Allocation.equipment))
    )
    return [b for b in session.scalars(query) if any(a.stage == Stage.MAIN for a in _active(b))]


def is_overrunning(booking: Booking, now: datetime) -> bool:
    """A running batch longer than it was booked for (whether or not it was extended)."""
    if booking.status != BookingStatus.RUNNING:
        return False
    return any(now > a.start + timedelta(hours=booking.duration_h) for a in _active(booking) if a.stage == Stage.MAIN)


def stop_batch(booking: Booking, now: datetime) -> None:
    """An aborted batch: its main stage ends now, stages not yet begun are released."""
    main = main_allocation(booking)
    if main.start < now < main.end:
        _set_times(main, main.start, now)
    for a in _active(booking):
        if a.start >= now:
            a.active = False
