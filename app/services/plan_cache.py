"""The plant's current plan, built once per change and reused by every availability search.

The key is the newest audit-log entry: every change to bookings, allocations, equipment or maintenance
goes through a service that writes one in the same transaction. The clock's origin is the start of the
plant-local day, so a plan also expires at midnight. The cache is a plain dict owned by the caller (one
per app, i.e. per worker process); a plan is read-only once built.
"""
from dataclasses import dataclass
from datetime import datetime, time, timezone

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from scheduler import Problem
from scheduler.rules import Vessel, build_problem

from ..models import AuditEntry
from .planning import Clock, PlantRules, fleet, pinned_work, staffed_windows


@dataclass(frozen=True)
class BasePlan:
    clock: Clock
    vessels: list[Vessel]
    problem: Problem  # every placed booking pinned, nothing to place


def base_plan(session: Session, rules: PlantRules, now: datetime, cache: dict) -> BasePlan:
    """The cached plan if nothing changed since it was built today; otherwise a fresh one."""
    day = now.astimezone(rules.tz).date()
    key = (session.scalar(select(func.max(AuditEntry.id))), day, rules)
    cached = cache.get("base_plan")
    if cached is not None and cached[0] == key:
        return cached[1]
    clock = Clock(datetime.combine(day, time(), rules.tz).astimezone(timezone.utc))
    vessels = fleet(session, clock)
    problem = build_problem(vessels, [], rules.policy, start_windows=staffed_windows(rules, clock),
                            confirmed=pinned_work(session, clock))
    plan = BasePlan(clock, vessels, problem)
    cache["base_plan"] = (key, plan)
    return plan
