"""A minimal repair of the plan: the conflicted bookings re-placed by scheduler.repair, moving as little as it can.

Every booking holding vessels is fixed work; the unstarted ones (requested, confirmed, conflicted) are described in
full (every vessel that fits them, their window and weight), so the core may move them; started work and work in
the next hours (the context's `solver.repair_pinned_h`) stays. The proposal is previewed, then applied with
schedule.apply_moves and the plan version it was made from (a stale one is refused)."""

from dataclasses import replace
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from app.models import Allocation, Booking, BookingStatus
from app.platform.context import Context
from app.platform.errors import Conflict
from app.platform.plant_rules import PlantRules
from app.services.booking.lifecycle import UNSTARTED
from app.services.booking.placements import Placement, current_placements
from app.services.plan.plan_cache import current_plan_version
from app.services.plan.planning import Clock, clock_at, fleet, pinned_work, request_of, staffed_windows
from app.services.plan.schedule import Move, Proposal
from scheduler import Problem, broken_jobs, repair
from scheduler.inventory import NoFit
from scheduler.rules import build_problem, job_for, roles


def propose_repair(session: Session, ctx: Context) -> Proposal:
    """The moves that mend every conflicted booking and every broken request (nothing saved), searched with the
    context's solver settings; Conflict when no valid plan exists."""
    rules, now, solver = ctx.rules, ctx.now(), ctx.solver
    clock = clock_at(now)
    unstarted = _unstarted(session, now)
    version = current_plan_version(session)
    problem, vessels = _repair_problem(session, rules, clock, unstarted)
    disrupted = _disrupted(problem, unstarted)
    if not disrupted:
        return Proposal([], "optimal", 0, 0, version)
    try:
        result = repair(
            problem,
            disrupted,
            pinned_until=clock.minutes(now + timedelta(hours=solver.repair_pinned_h)),
            time_limit_s=solver.repair_time_limit_s,
            workers=solver.workers,
            size_class=_size_classes(vessels),
        )
    except ValueError as error:
        raise Conflict(f"其他已开始的工作也与现状冲突，无法自动修复：{error}") from None
    if result.status == "infeasible":
        raise Conflict("找不到能容纳全部冲突预约的方案，请手动调整或放宽时间窗口")
    moves = [_move(unstarted[int(job)], stages, rules, clock) for job, stages in result.assignments.items()]
    cost = result.cost
    return Proposal(moves, result.status, cost.tardiness_after if cost else None, None, version)


def _disrupted(problem: Problem, unstarted: dict[int, Booking]) -> list[str]:
    """The conflicted bookings, and requests whose placement a fact broke (they are mended too, still requests)."""
    broken = {int(job) for job in broken_jobs(problem)}
    return [
        str(b.id)
        for b in unstarted.values()
        if b.status == BookingStatus.CONFLICTED or (b.id in broken and b.status == BookingStatus.REQUESTED)
    ]


def _unstarted(session: Session, now: datetime) -> dict[int, Booking]:
    query = (
        select(Booking)
        .where(Booking.status.in_(UNSTARTED))
        .options(selectinload(Booking.allocations).selectinload(Allocation.equipment), selectinload(Booking.company))
    )
    return {b.id: b for b in session.scalars(query) if any(a.active and a.start > now for a in b.allocations)}


def _repair_problem(session: Session, rules: PlantRules, clock: Clock, unstarted: dict[int, Booking]):
    """The plant with all work fixed, the unstarted bookings described in full where their placement fits."""
    vessels = fleet(session, clock)
    base = build_problem(
        vessels,
        [],
        rules.policy,
        start_windows=staffed_windows(rules, clock),
        confirmed=pinned_work(session, clock, clock.origin),
    )
    placed = {a.job: a for a in base.fixed}
    described = {j.id: j for j in base.fixed_jobs}
    for booking_id, booking in unstarted.items():
        try:
            job = job_for(request_of(booking, clock), vessels, rules.policy)
        except NoFit:
            continue  # no vessel takes it any more: it stays where it is
        if str(booking_id) in placed:
            described[job.id] = replace(job, release=max(job.release, 0))
    problem = Problem(base.resources, [], base.fixed, base.start_windows, base.pools, list(described.values()))
    return problem, vessels


def _size_classes(vessels) -> dict[str, str]:
    """Vessels of one kind and nominal volume are one size class."""
    return {v.code: f"{v.kind}:{v.nominal_volume_l:g}" for v in vessels}


def _move(booking: Booking, stages, rules: PlantRules, clock: Clock) -> Move:
    names = roles(request_of(booking, clock), rules.policy)
    after = [
        Placement(names[a.stage], a.resource, clock.moment(a.start), clock.moment(a.end))
        for a in sorted(stages, key=lambda a: a.stage)
    ]
    return Move(booking, current_placements(booking), after)
