"""Earlier slots for a booking that already holds one: where it could move, and moving it there on acceptance.

"Earlier" compares main stages: a slot is earlier when its main stage starts strictly before the booking's current
main stage (the seed train moves with it, as place_at chains it), and the whole chain still ends within the
booking's window. The booking's own placement counts as free, so a slot overlapping it is found too.

The booking keeps its state when moved: a confirmed booking stays confirmed, because the operator promised it a
slot and an earlier one the customer chose keeps that promise; a conflicted one is repaired, as by any move."""

from dataclasses import replace
from datetime import datetime

from sqlalchemy.orm import Session

from app.models import Booking, Stage, User
from app.platform.errors import Conflict
from app.platform.plant_rules import PlantRules
from app.services.booking.availability import Slot, slot_of
from app.services.booking.bookings import exact_chain, locked
from app.services.booking.holds import hold_expired
from app.services.booking.lifecycle import UNSTARTED
from app.services.booking.placements import Placement
from app.services.plan.plan_cache import BasePlan, current_plan, lock_plan_changes, plan_without
from app.services.plan.planning import request_of
from app.services.plan.schedule import Move, move_bookings
from scheduler import earliest_slots
from scheduler.inventory import NoFit
from scheduler.rules import job_for, roles


def main_start(booking: Booking, now: datetime) -> datetime | None:
    """When the booking's main stage starts now; None when it holds no vessel (hold ran out, or never placed)."""
    if hold_expired(booking, now):
        return None
    return next((a.start for a in booking.allocations if a.active and a.stage == Stage.MAIN), None)


def still_waiting(booking: Booking, now: datetime) -> bool:
    """Whether the booking may still be moved earlier: not started or ended, and holding its slot."""
    return booking.status in UNSTARTED and main_start(booking, now) is not None


def earlier_slot(
    session: Session, booking: Booking, rules: PlantRules, now: datetime, cache: dict, taken: list[tuple]
) -> Slot | None:
    """The earliest slot for the booking before its current main start, within its window, clear of `taken`
    (equipment, start, end of main stages held for others); None when there is none."""
    current = main_start(booking, now)
    if current is None:
        return None
    plan = current_plan(session, rules, now, cache)
    try:
        job, names = _job(booking, plan, rules, now)
    except NoFit:
        return None
    deadline = plan.clock.minutes(booking.latest_end)
    for chain in earliest_slots(plan_without(plan, booking.id, rules), job, limit=3):
        slot = slot_of(chain, names, plan.clock)
        if slot.start >= current or chain[-1].end > deadline:
            return None
        if slot.clear_of(taken):
            return slot
    return None


def move_earlier(
    session: Session,
    actor: User,
    booking: Booking,
    offer: tuple[str, datetime],
    rules: PlantRules,
    now: datetime,
    cache: dict,
) -> Move:
    """Move the booking so that its main stage runs on the offered (equipment, start), under the plan lock and
    validated like any move; the customer chose it, so nothing is left for them to accept."""
    booking = locked(session, booking)
    lock_plan_changes(session)
    equipment, start = offer
    current = main_start(booking, now)
    if booking.status not in UNSTARTED or current is None:
        raise Conflict(f"预约 {booking.reference} 已开始、已结束或未占用设备，不能再提前", {"status": "预约不能再提前"})
    if start >= current:
        raise Conflict("该候补时段并不比预约现在的时段更早", {"status": "候补时段不更早"})
    plan = current_plan(session, rules, now, cache)
    try:
        job, names = _job(booking, plan, rules, now)
    except NoFit as error:
        raise Conflict(str(error), {"status": str(error)}) from None
    clock = plan.clock
    elsewhere = plan_without(plan, booking.id, rules)
    chain = exact_chain(elsewhere, job, names.index("main"), equipment, clock.minutes(start))
    if chain[-1].end > clock.minutes(booking.latest_end):
        raise Conflict("该候补时段结束晚于预约的最晚结束时间", {"status": "候补时段超出时间窗口"})
    after = [Placement(names[a.stage], a.resource, clock.moment(a.start), clock.moment(a.end)) for a in chain]
    (move,) = move_bookings(session, actor, rules, now, {booking.id: after})
    booking.previous_times = ""
    return move


def _job(booking: Booking, plan: BasePlan, rules: PlantRules, now: datetime):
    """The booking's job as if unplaced, released no earlier than now, and the names of its stages."""
    request = request_of(booking, plan.clock)
    request = replace(request, earliest_start=max(request.earliest_start, plan.clock.minutes(now)))
    return job_for(request, plan.vessels, rules.policy), roles(request, rules.policy)
