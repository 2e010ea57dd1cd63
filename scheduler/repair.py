"""repair(): re-place the disrupted (conflicted) jobs of a plan, moving as little else as possible.

Preferences, in lexicographic order: a valid plan; lowest weighted tardiness of the disrupted work;
fewest jobs moved; least total shift; stages kept in the same vessel size class.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from scheduler.cpsat_solve import Limits
from scheduler.model import Assignment, Problem, Schedule
from scheduler.repair_cost import Plan, RepairCost, cost_of, moved_jobs
from scheduler.repair_cpsat import improve_repair
from scheduler.repair_greedy import greedy_repair
from scheduler.repair_scope import Scope, scope_of
from scheduler.validate import validate

NEIGHBOURHOOD = 24  # movable jobs that CP-SAT may move besides the disrupted ones and those greedy moved


@dataclass(frozen=True)
class Repair:
    """The proposal: new assignments of each moved job, their ids, the objective parts, and the plan
    as `problem` (moved jobs to place, all other work fixed) with `schedule`, which passes `validate`.

    status: "optimal" (proven for the whole repair problem), "feasible" or "infeasible" (no plan).
    """

    assignments: dict[str, list[Assignment]]
    moved: list[str]
    cost: RepairCost | None
    status: str
    problem: Problem
    schedule: Schedule


def repair(
    problem: Problem,
    disrupted: Iterable[str],
    *,
    pinned_until: int,
    time_limit_s: float = 1.5,
    workers: int | None = None,
    seed: int = 0,
    size_class: Mapping[str, str] | None = None,
) -> Repair:
    """Re-place the `disrupted` confirmed jobs (ids of `problem.fixed` work, described in `fixed_jobs`).

    With several workers `time_limit_s` bounds the whole call (the greedy answer is always finished);
    with one it is CP-SAT's deterministic time, so that a seed fixes the answer.

    Work starting before `pinned_until` stays (unless disrupted); disrupted jobs start at or after
    it; other unstarted jobs may move but never end later than both their due date and their old
    end. `size_class` maps a resource to its size class (default: every vessel its own class).
    Raises ValueError when work that is not disrupted is itself broken.
    """
    began = time.monotonic()
    scope = scope_of(problem, disrupted, pinned_until)
    _check_the_rest_holds(scope)
    if not scope.disrupted:
        return _proposal(scope, {}, "optimal", size_class)
    plan = greedy_repair(scope)
    if plan is None:
        return _infeasible(scope)
    free = neighbourhood(scope, plan, NEIGHBOURHOOD)
    improved = improve_repair(scope, free, plan, size_class, _limits(time_limit_s, workers or 0, seed, began))
    if improved is None or not _at_least_as_good(scope, improved.plan, plan, size_class):
        return _proposal(scope, plan, "feasible", size_class)
    whole = len(free) == len(scope.disrupted) + len(scope.movable)
    return _proposal(scope, improved.plan, "optimal" if improved.proven and whole else "feasible", size_class)


def _limits(seconds: float, workers: int, seed: int, began: float) -> Limits:
    """CP-SAT's share: with one worker its deterministic time is the whole limit (so that a seed fixes
    the answer); with several, the time the whole call has left on the wall clock."""
    left = seconds if workers == 1 else seconds - (time.monotonic() - began)
    return Limits(max(0.0, left), workers, seed)


def neighbourhood(scope: Scope, plan: Plan, size: int) -> list[str]:
    """The disrupted jobs, the jobs the plan moved, and up to `size` more movable jobs on the vessels
    the disrupted jobs may use, starting before the plan's last new end, earliest first (all movable
    jobs when there are no more than `size`)."""
    chosen = list(dict.fromkeys([*scope.disrupted, *plan]))
    if len(scope.movable) <= size:
        return chosen + [j for j in scope.movable if j not in plan]
    vessels = {r for j in scope.disrupted for stage in scope.job(j).stages for r in stage.options}
    reach = max(stages[-1].end for stages in plan.values())
    near = sorted(
        (stages[0].start, j)
        for j in scope.movable
        if j not in plan
        for stages in [scope.placements[j]]
        if stages[0].start < reach and any(a.resource in vessels for a in stages)
    )
    return chosen + [j for _, j in near[:size]]


def _at_least_as_good(scope: Scope, plan: Plan, than: Plan, size_class: Mapping[str, str] | None) -> bool:
    return cost_of(scope, plan, size_class).key() <= cost_of(scope, than, size_class).key()


def _check_the_rest_holds(scope: Scope) -> None:
    rest = scope.subproblem([])
    errors = validate(rest, Schedule([], "fixed", None, None))
    if errors:
        raise ValueError(f"work that is not disrupted is broken: {errors[0]}")


def _proposal(
    scope: Scope, plan: dict[str, list[Assignment]], status: str, size_class: Mapping[str, str] | None
) -> Repair:
    moved = moved_jobs(scope, plan)
    placed = list(dict.fromkeys([*scope.disrupted, *moved]))
    cost = cost_of(scope, plan, size_class)
    schedule = Schedule([a for j in placed for a in plan[j]], status, cost.tardiness_after, None)
    return Repair({j: plan[j] for j in moved}, moved, cost, status, scope.subproblem(placed, everything=True), schedule)


def _infeasible(scope: Scope) -> Repair:
    nothing = Schedule([], "infeasible", None, None)
    return Repair({}, [], None, "infeasible", scope.subproblem([], everything=True), nothing)
