"""The plant's current plan (every placed stage pinned), kept per worker and brought up to date cheaply.

Every change to the plan — a placement, a move, a release, an equipment or maintenance change — runs under the
plan lock (`lock_plan_changes`; on SQLite every writer is serial already) and writes an audit entry in the same
transaction. So a plan stored with the newest audit id it saw is current while that id is still the newest; when
newer entries exist, only the bookings they name are reloaded (any equipment change, a new local day or other
rules rebuild it). Plans are built and caught up under the shared lock, so no plan change is half-visible and
every later one has a higher audit id. The cache is a plain dict owned by the caller (one per worker process); a
plan is read-only once built. The one change without a writer, an unconfirmed request's hold running out, ends a
stored plan's life: it is rebuilt without that hold.
"""

from dataclasses import dataclass
from datetime import UTC, datetime, time

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from app.models import AuditEntry
from app.platform.plant_rules import PlantRules
from app.services.booking import holds
from app.services.plan.planning import Clock, fleet, pinned_work, staffed_windows
from scheduler import Problem
from scheduler.rules import Vessel, build_problem, fixed_job_for

PLAN_LOCK = 72_410  # the PostgreSQL advisory lock key
CATCH_UP_LIMIT = 500  # more changes than this since a plan was stored: rebuild it


@dataclass(frozen=True)
class BasePlan:
    clock: Clock
    vessels: list[Vessel]
    problem: Problem  # every placed booking pinned, nothing to place


@dataclass(frozen=True)
class _Stored:
    audit_id: int
    day: object
    rules: PlantRules
    plan: BasePlan
    expires: datetime | None  # when the first hold it counts runs out (then it is rebuilt without it)


def lock_plan_changes(session: Session) -> None:
    """Serialise everything that changes the plan (PostgreSQL; SQLite writers are serial already)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": PLAN_LOCK})


def _share_plan_lock(session: Session) -> None:
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock_shared(:key)"), {"key": PLAN_LOCK})


def _newest_audit_id(session: Session) -> int:
    return session.scalar(select(func.max(AuditEntry.id))) or 0


def current_plan_version(session: Session) -> int:
    """The newest change to the plan (a booking's or the fleet's audit entry): a preview made from it is current."""
    return (
        session.scalar(select(func.max(AuditEntry.id)).where(AuditEntry.entity_type.in_(("booking", "equipment")))) or 0
    )


def current_plan(session: Session, rules: PlantRules, now: datetime, cache: dict) -> BasePlan:
    """The plan as of now: the stored one if nothing changed, caught up if bookings did, otherwise rebuilt."""
    day = now.astimezone(rules.tz).date()
    stored: _Stored | None = cache.get("plan")
    usable = (
        stored is not None
        and stored.day == day
        and stored.rules == rules
        and (stored.expires is None or now < stored.expires)
    )
    if usable and stored.audit_id == _newest_audit_id(session):
        return stored.plan
    _share_plan_lock(session)
    newest = _newest_audit_id(session)
    plan = (_caught_up(session, stored, newest, rules, now) if usable else None) or _built(session, rules, day, now)
    cache["plan"] = _Stored(newest, day, rules, plan, holds.next_expiry(session, now))
    return plan


def _built(session: Session, rules: PlantRules, day, now: datetime) -> BasePlan:
    clock = Clock(datetime.combine(day, time(), rules.tz).astimezone(UTC))
    vessels = fleet(session, clock)
    problem = build_problem(
        vessels,
        [],
        rules.policy,
        start_windows=staffed_windows(rules, clock),
        confirmed=pinned_work(session, clock, now),
    )
    return BasePlan(clock, vessels, problem)


def _caught_up(session: Session, stored: _Stored, newest: int, rules: PlantRules, now: datetime) -> BasePlan | None:
    """The stored plan with the bookings changed since re-pinned; None when only a rebuild will do."""
    changes = session.execute(
        select(AuditEntry.entity_type, AuditEntry.entity_id)
        .where(AuditEntry.id > stored.audit_id)
        .limit(CATCH_UP_LIMIT + 1)
    ).all()
    if len(changes) > CATCH_UP_LIMIT or any(kind == "equipment" for kind, _ in changes):
        return None
    changed = {int(entity) for kind, entity in changes if kind == "booking"}
    if not changed:
        return stored.plan
    plan = stored.plan
    repinned = pinned_work(session, plan.clock, now, only=changed)
    return BasePlan(plan.clock, plan.vessels, _with_repinned(plan.problem, changed, repinned, rules))


def plan_without(plan: BasePlan, booking_id: int, rules: PlantRules) -> Problem:
    """The plan's problem with the booking's own placement taken out (where else could it go?)."""
    return _with_repinned(plan.problem, {booking_id}, [], rules)


def _with_repinned(problem: Problem, changed: set[int], repinned, rules: PlantRules) -> Problem:
    """The problem with the fixed work of the `changed` bookings replaced by where they are now."""
    ids = {str(booking_id) for booking_id in changed}
    fixed = [a for a in problem.fixed if a.job not in ids] + [a for _, placed in repinned for a in placed]
    jobs = [j for j in problem.fixed_jobs if j.id not in ids]
    jobs += [fixed_job_for(request, placed, rules.policy) for request, placed in repinned]
    return Problem(
        problem.resources, (), fixed, start_windows=problem.start_windows, pools=problem.pools, fixed_jobs=jobs
    )
