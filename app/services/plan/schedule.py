"""The plant's schedule: optimiser proposals over unconfirmed work, and applying moves after validation."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from app.models import Allocation, Booking, BookingStatus, User
from app.platform.errors import Conflict, NotFound, ValidationFailed
from app.platform.plant_rules import PlantRules
from app.services import audit
from app.services.booking.bookings import save_allocations
from app.services.booking.holds import release_expired, still_held
from app.services.booking.lifecycle import TRANSITIONS, arrive, state_allows
from app.services.booking.placements import Placement, current_placements, remember_plan
from app.services.plan.move_findings import explain
from app.services.plan.plan_cache import current_plan_version, lock_plan_changes
from app.services.plan.plan_check import new_errors, plan_errors
from app.services.plan.planning import Clock, clock_at, fleet, plant_problem, request_of
from app.services.rows import by_id
from scheduler import Assignment, Schedule, optimize, validate
from scheduler.inventory import NoFit
from scheduler.rules import job_for, roles


@dataclass(frozen=True)
class Move:
    booking: Booking
    before: list[Placement]
    after: list[Placement]

    @property
    def tardiness_before_h(self) -> float:
        return _tardiness_h(self.booking, self.before)

    @property
    def tardiness_after_h(self) -> float:
        return _tardiness_h(self.booking, self.after)


@dataclass(frozen=True)
class Proposal:
    moves: list[Move]
    status: str
    objective: int | None
    bound: int | None
    plan_version: int | None = None  # the plan it was made from: applying it later than a change is refused


class StalePreview(Conflict):
    """The plan changed since the preview was made."""


def _tardiness_h(booking: Booking, placements: list[Placement]) -> float:
    if not placements:
        return 0.0
    late = max(p.end for p in placements) - booking.latest_end
    return max(late.total_seconds() / 3600, 0.0)


def open_requests(session: Session, now: datetime) -> list[Booking]:
    """Unconfirmed bookings the optimiser may move: requested and holding vessels (so approved, hold in force),
    not started, window still open."""
    query = (
        select(Booking)
        .where(Booking.status == BookingStatus.REQUESTED, Booking.latest_end > now, still_held(now))
        .options(selectinload(Booking.allocations).selectinload(Allocation.equipment))
    )
    return [
        b
        for b in session.scalars(query)
        if any(a.active for a in b.allocations) and all(a.start > now for a in b.allocations if a.active)
    ]


def propose(session: Session, rules: PlantRules, now: datetime, time_limit_s: float, workers: int = 2) -> Proposal:
    """Re-plan every open request around the pinned work; the moves, nothing saved."""
    clock = clock_at(now)
    bookings = open_requests(session, now)
    try:
        problem = plant_problem(session, rules, clock, open_bookings=bookings)
    except NoFit as error:
        raise Conflict(str(error)) from None
    current = [a for booking in bookings for a in _current_chain(booking, rules, clock)]
    result = optimize(problem, time_limit_s=time_limit_s, workers=workers, seed=0, current=current)
    by_job: dict[str, list[Assignment]] = {}
    for a in result.assignments:
        by_job.setdefault(a.job, []).append(a)
    moves = []
    for booking in bookings:
        names = roles(request_of(booking, clock), rules.policy)
        after = [
            Placement(names[a.stage], a.resource, clock.moment(a.start), clock.moment(a.end))
            for a in sorted(by_job.get(str(booking.id), []), key=lambda a: a.stage)
        ]
        before = current_placements(booking)
        if after and _key(after) != _key(before):
            moves.append(Move(booking, before, after))
    return Proposal(moves, result.status, result.objective, result.bound)


def _key(placements: list[Placement]) -> list[tuple]:
    return sorted((p.stage, p.equipment, p.start, p.end) for p in placements)


def apply_moves(
    session: Session,
    actor: User,
    rules: PlantRules,
    now: datetime,
    moves: dict[int, list[Placement]],
    plan_version: int | None = None,
) -> list[Booking]:
    """Move bookings to new placements, all or nothing, when scheduler.validate finds no rule the moves break
    or leave broken (what is broken elsewhere does not block them); conflicted ones are confirmed again.

    With `plan_version` (a preview's), refused with StalePreview when the plan changed since."""
    lock_plan_changes(session)
    if plan_version is not None and plan_version != current_plan_version(session):
        raise StalePreview("排程在预览之后已有变化，请查看新的方案", {"plan_version": "预览已过期"})
    release_expired(session, now)
    clock = clock_at(now)
    bookings = [_movable(session, booking_id, now) for booking_id in moves]
    try:
        problem = plant_problem(session, rules, clock, open_bookings=bookings)
    except NoFit as error:
        raise Conflict(str(error)) from None
    _refuse_unchanged(bookings, moves)
    chains = {b.id: _chain(b, moves[b.id], rules, clock) for b in bookings}
    after = validate(problem, Schedule([a for chain in chains.values() for a in chain], "feasible", None, None))
    errors = new_errors(plan_errors(session, rules, now), after, {b.id for b in bookings})
    if errors:
        sentences = explain(session, errors[:3], rules.tz, clock)
        raise Conflict("调整后的排程违反规则：" + "；".join(sentences), {"moves": sentences[0]})
    for booking in bookings:
        remember_plan(booking)
        booking.allocations.clear()  # delete-orphan: the rows go, and the collection stays true in this session
    session.flush()
    for booking in bookings:
        names = roles(request_of(booking, clock), rules.policy)
        save_allocations(session, booking, chains[booking.id], names, clock)
        audit.record(
            session,
            actor,
            TRANSITIONS["move"].audit,
            "booking",
            booking.id,
            to=[(p.stage, p.equipment, p.start) for p in moves[booking.id]],
        )
        if state_allows(booking, "repair"):
            arrive(session, actor, booking, "repair", booking.status, "已重新安排")
    return bookings


def move_bookings(
    session: Session,
    actor: User,
    rules: PlantRules,
    now: datetime,
    moves: dict[int, list[Placement]],
    plan_version: int | None = None,
) -> list[Move]:
    """`apply_moves`, answering each booking moved with its placements before and after (for the mail)."""
    before = {
        booking_id: current_placements(booking)
        for booking_id in moves
        if (booking := by_id(session, Booking, booking_id)) is not None
    }
    return [
        Move(booking, before[booking.id], moves[booking.id])
        for booking in apply_moves(session, actor, rules, now, moves, plan_version)
    ]


def _refuse_unchanged(bookings: list[Booking], moves: dict[int, list[Placement]]) -> None:
    unchanged = [b.reference for b in bookings if _key(current_placements(b)) == _key(moves[b.id])]
    if unchanged:
        message = f"预约 {'、'.join(unchanged)} 的安排与原来相同，没有需要调整的内容"
        raise ValidationFailed(message, {"moves": message})


def fitting_vessels(session: Session, booking: Booking, rules: PlantRules, now: datetime) -> dict[str, list[str]]:
    """For each stage of the booking, the vessels it could run on (kind, volume, biosafety and status fit)."""
    clock = clock_at(now)
    request = request_of(booking, clock)
    try:
        job = job_for(request, fleet(session, clock), rules.policy)
    except NoFit:
        return {}
    return {name: sorted(stage.options) for name, stage in zip(roles(request, rules.policy), job.stages, strict=True)}


def _movable(session: Session, booking_id: int, now: datetime) -> Booking:
    booking = by_id(session, Booking, booking_id)
    if booking is None:
        raise NotFound(f"预约 {booking_id} 不存在")
    if not state_allows(booking, "move"):
        raise Conflict(f"预约 {booking.reference} 已开始或已结束，不能调整")
    if not any(a.active for a in booking.allocations):
        raise Conflict(f"预约 {booking.reference} 未占用设备（占用已到期或企业待审核），请先确认它")
    return booking


def _chain(booking: Booking, placements: list[Placement], rules: PlantRules, clock: Clock) -> list[Assignment]:
    names = roles(request_of(booking, clock), rules.policy)
    chain = _as_chain(booking, placements, names, clock)
    if chain is None:
        raise Conflict(f"预约 {booking.reference} 需要的阶段为 {'、'.join(names)}", {"moves": "阶段不完整"})
    return chain


def _current_chain(booking: Booking, rules: PlantRules, clock: Clock) -> list[Assignment]:
    """Where the booking is now, as the scheduler's chain; empty when its allocations miss a stage."""
    names = roles(request_of(booking, clock), rules.policy)
    return _as_chain(booking, current_placements(booking), names, clock) or []


def _as_chain(booking: Booking, placements: list[Placement], names: list[str], clock: Clock) -> list[Assignment] | None:
    """Placements as the chain of stages `names`; None unless they name exactly those stages."""
    by_stage = {p.stage: p for p in placements}
    if sorted(by_stage) != sorted(names) or len(placements) != len(names):
        return None
    return [
        Assignment(
            str(booking.id),
            k,
            by_stage[name].equipment,
            clock.minutes(by_stage[name].start),
            clock.minutes(by_stage[name].end),
        )
        for k, name in enumerate(names)
    ]
