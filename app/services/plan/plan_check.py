"""The plan against the plant's facts: which placed bookings are broken, and marking them.

scheduler.broken_jobs names them (taken in order of start, the one that no longer fits among the earlier work:
a stage in a blocked window — maintenance, a vessel out of service — or starting before the work ahead of it on
the vessel, extended or overrunning, has freed it, or a shared limit exceeded); scheduler.validate says why.
Confirmed bookings that are broken become `conflicted`; conflicted ones that are whole again (a window removed, a
vessel back in service) return to `confirmed`. A broken request stays `requested` (it is not yet a promise) with its
placement noted as broken until it is placed again. Their allocations are marked
`in_conflict`, which lets them overlap other work until the plan is repaired.
"""

import re
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload

from app.models import Allocation, Booking, BookingStatus, User
from app.platform.errors import Conflict
from app.platform.plant_rules import PlantRules
from app.services import audit
from app.services.booking.lifecycle import TRANSITIONS, follow
from app.services.plan.planning import clock_at, plant_problem
from scheduler import Schedule, broken_jobs, validate

#: the job a validator error is about: "<job> stage <k> …" (other jobs it names come later in the sentence)
SUBJECT = re.compile(r"^(\d+) stage \d+ ")


SHARED_LIMIT = "共享资源（蒸汽、人员）超出能力"
MENDED = "冲突已消除"


def plan_errors(session: Session, rules: PlantRules, now: datetime) -> list[str]:
    """Every broken rule of the placed work from now on, as the validator says it."""
    return validate(_placed(session, rules, now), Schedule([], "feasible", None, None))


def _placed(session: Session, rules: PlantRules, now: datetime):
    return plant_problem(session, rules, clock_at(now), open_bookings=[])


def broken_bookings(session: Session, rules: PlantRules, now: datetime) -> dict[int, list[str]]:
    """Booking id → why its placed work is broken (the validator's errors about it)."""
    problem = _placed(session, rules, now)
    reasons: dict[int, list[str]] = {}
    for error in validate(problem, Schedule([], "feasible", None, None)):
        if (subject := _subject(error)) is not None:
            reasons.setdefault(subject, []).append(error)
    return {int(job): reasons.get(int(job), [SHARED_LIMIT]) for job in broken_jobs(problem)}


def new_errors(before: list[str], after: list[str], touched: set[int]) -> list[str]:
    """Errors a change causes or touches: new ones, and any about the bookings it changed."""
    known = set(before)
    return [e for e in after if e not in known or _subject(e) in touched]


def _subject(error: str) -> int | None:
    found = SUBJECT.match(error)
    return int(found.group(1)) if found else None


def refresh_conflicts(
    session: Session, actor: User | None, rules: PlantRules, now: datetime, cause: str
) -> list[Booking]:
    """Mark what the plan's facts break (confirmed → conflicted, a request's placement noted as broken), release
    what is whole again; the changed."""
    session.flush()
    broken = broken_bookings(session, rules, now)
    broken_requests = _broken_request_ids(session)
    _mark_allocations(session, set(broken))
    changed = []
    for booking in _bookings(session, set(broken) | _conflicted_ids(session) | broken_requests):
        if booking.status == BookingStatus.REQUESTED:
            moved = _note_request(session, actor, booking, booking.id in broken_requests, broken.get(booking.id), cause)
        elif booking.id in broken:
            moved = _follow(session, actor, booking, "conflict", cause, broken[booking.id])
        else:
            moved = _follow(session, actor, booking, "resolve", MENDED, [])
        if moved:
            changed.append(booking)
    return changed


def _note_request(
    session: Session, actor: User | None, booking: Booking, was_broken: bool, errors: list[str] | None, cause: str
) -> bool:
    """A request is not yet a promise, so it stays requested: a fact that breaks its placement marks its allocations
    in conflict (the operator's list, red on the board, confirming refused) with the reason, until a repair or a move
    places it again or the fact goes away; whether that changed."""
    if (errors is not None) == was_broken:
        return False
    reason = cause if errors is not None else MENDED
    booking.status_reason = reason[:500]
    action = "booking.placement_broken" if errors is not None else "booking.placement_mended"
    audit.record(session, actor, action, "booking", booking.id, reason=reason, errors=(errors or [])[:3])
    return True


def _mark_allocations(session: Session, broken: set[int]) -> None:
    """Allocations of broken bookings may overlap others; first set, then clear (each write stays legal)."""
    rows = list(
        session.scalars(
            select(Allocation).where(Allocation.active, or_(Allocation.in_conflict, Allocation.booking_id.in_(broken)))
        )
    )
    for allocation in rows:
        allocation.in_conflict = allocation.in_conflict or allocation.booking_id in broken
    session.flush()
    for allocation in rows:
        allocation.in_conflict = allocation.booking_id in broken
    session.flush()


def _broken_request_ids(session: Session) -> set[int]:
    query = (
        select(Allocation.booking_id)
        .join(Booking)
        .where(Allocation.active, Allocation.in_conflict, Booking.status == BookingStatus.REQUESTED)
    )
    return set(session.scalars(query))


def _conflicted_ids(session: Session) -> set[int]:
    return set(session.scalars(select(Booking.id).where(Booking.status == BookingStatus.CONFLICTED)))


def _bookings(session: Session, ids: set[int]) -> list[Booking]:
    query = select(Booking).where(Booking.id.in_(ids)).options(selectinload(Booking.allocations))
    return list(session.scalars(query.order_by(Booking.id)))


def _follow(
    session: Session, actor: User | None, booking: Booking, action: str, reason: str, errors: list[str]
) -> bool:
    """Conflict or resolve the booking when its state allows, with the reason; whether it moved."""
    before, after = booking.status, TRANSITIONS[action].target
    if not follow(
        session, actor, booking, action, before=before.value, after=after.value, reason=reason, errors=errors[:3]
    ):
        return False
    booking.status_reason = reason[:500]
    return True


def refuse_if_broken(session: Session, rules: PlantRules, now: datetime, booking: Booking, what: str) -> None:
    """Raise Conflict (Chinese, with the validator's reason) when the booking's placed work breaks a rule."""
    errors = broken_bookings(session, rules, now).get(booking.id)
    if errors:
        raise Conflict(f"预约 {booking.reference} 的排程已失效，不能{what}：{errors[0]}", {"status": errors[0]})
