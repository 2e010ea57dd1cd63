"""optimize(): a fast starting plan, then CP-SAT on the whole model or, for large problems, LNS."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import replace

from scheduler.bounds import alone_bound, back_to_back_bound
from scheduler.cpsat_solve import Limits, Objective, Outcome, solve
from scheduler.dispatch import applies, best_dispatch
from scheduler.gap_bound import gap_bound
from scheduler.greedy import ORDERS, list_schedule, score
from scheduler.lns import improve
from scheduler.model import Assignment, Problem, Schedule
from scheduler.restarts import restart
from scheduler.unmoved import current_plan, leave_unmoved

LNS_FROM_STAGES = 150  # weighted tardiness from this many open stages on: the whole model is too slow
DISPATCH_ROUNDS = 12
ORDER_MARGIN = 2  # a further list order only while the time left exceeds this many times the last one
WALL_MARGIN_S = 0.15  # kept back from a wall-clock budget for reading and scoring the last plan
ALONE_BOUND_FROM_S = 10.0  # with this much time, bound the LNS result by "each job alone" (≈ one list pass)
GAP_BOUND_SHARE = 0.25  # and spend this share of it on the gap-assignment relaxation's bound
RESTART_SHARE = 0.5  # share of the time left after the bound for list restarts, before the LNS
CUT_SHARE = 0.25  # plain-shop makespan: share of the time for the first solve, unhinted, with the load cuts


def optimize(
    problem: Problem,
    *,
    objective: Objective = "weighted_tardiness",
    time_limit_s: float = 10.0,
    workers: int | None = None,
    seed: int = 0,
    tie_break: bool = True,
    current: Sequence[Assignment] = (),
) -> Schedule:
    """Best plan found within the time limit; deterministic for workers=1 and a given seed.

    tie_break: among equally good plans prefer earlier-listed resource options (smaller vessels).
    current: where the jobs are now, if placed. When it is a valid plan the answer is never worse;
    and a job is moved from its current placement only when the move improves the objective.
    With several workers `time_limit_s` bounds the whole call (the first list schedule is always
    finished); with one worker it is CP-SAT's deterministic time, so that a seed fixes the plan.
    """
    if objective not in ("weighted_tardiness", "makespan"):
        raise ValueError(f"unknown objective {objective!r}")
    if not problem.jobs:
        return Schedule([], "optimal", 0, 0)
    found = _optimised(problem, objective, time_limit_s, workers, seed, tie_break, current_plan(problem, current))
    if not current or not found.assignments:
        return found
    plan = leave_unmoved(problem, found.assignments, current, objective)
    return replace(found, assignments=plan, objective=score(problem, plan, objective))


def _optimised(
    problem: Problem,
    objective: Objective,
    time_limit_s: float,
    workers: int | None,
    seed: int,
    tie_break: bool,
    now: list[Assignment] | None,
) -> Schedule:
    budget = _Budget(time_limit_s, workers or 0)
    start = _starting_plan(problem, objective, budget, seed, now)
    limits = Limits(time_limit_s, workers or 0, seed)
    if start is not None and _wants_lns(problem, objective):
        bound, spent = _lns_bound(problem, limits, budget)
        reserve = (1 - RESTART_SHARE) * budget.left(spent)
        start, restarted = restart(
            problem, start, objective, seed, budget.deterministic, lambda used: budget.left(spent + used) - reserve
        )
        plan = improve(problem, start, objective, tie_break, limits, lambda used: budget.left(spent + restarted + used))
        return _schedule(problem, plan, objective, "feasible", bound)
    if start is not None and budget.left(0.0) <= 0:
        return _schedule(problem, start, objective, "feasible", None)
    if objective == "makespan" and start is not None and applies(problem):
        return _cut_then_light(problem, start, tie_break, limits, budget)
    outcome = solve(problem, start, objective, tie_break, replace(limits, seconds=budget.left(0.0)))
    return _result(problem, outcome, start, objective)


def _cut_then_light(
    problem: Problem, start: list[Assignment], tie_break: bool, limits: Limits, budget: _Budget
) -> Schedule:
    """Makespan of a plain shop, in the plain flexible-shop form: first unhinted and with the load
    cuts, which prove many small shops optimal within seconds and, unhinted, search where the
    starting plan would not lead (on shops with few alternatives that is where the best plans are);
    then, unless that proof came, hinted with and capped by the better of its plan and `start`,
    without the cuts, whose heavier LP costs the search more than their bound gives on large,
    flexible shops, where CP-SAT needs the starting plan to get anywhere in time."""
    seconds = CUT_SHARE * budget.left(0.0)
    cut = solve(problem, None, "makespan", tie_break, replace(limits, seconds=seconds), interval_ends=True)
    if cut.status == "optimal":
        return _result(problem, cut, start, "makespan")
    best = min((plan for plan in (start, cut.plan) if plan), key=lambda plan: score(problem, plan, "makespan"))
    rest = replace(limits, seconds=budget.left(cut.deterministic_time))
    light = solve(problem, best, "makespan", tie_break, rest, cuts=False, interval_ends=True)
    return _result(problem, light, best, "makespan", cut.bound)


def _lns_bound(problem: Problem, limits: Limits, budget: _Budget) -> tuple[int, float]:
    """A weighted-tardiness bound for the LNS plan, and the deterministic time it used (0 on the wall
    clock). A short budget only affords the empty-plant bound; a longer one the higher of "each job
    alone" and the gap-assignment relaxation, which gets a share of the budget."""
    if limits.seconds < ALONE_BOUND_FROM_S:
        return back_to_back_bound(problem, "weighted_tardiness"), 0.0
    share = max(0.0, min(GAP_BOUND_SHARE * limits.seconds, budget.left(0.0)))
    relaxed = gap_bound(problem, replace(limits, seconds=share)) or 0
    return max(alone_bound(problem, "weighted_tardiness"), relaxed), share if budget.deterministic else 0.0


def _wants_lns(problem: Problem, objective: Objective) -> bool:
    """Large tardiness problems. A makespan is set by a few last jobs, which pinning the others
    in time cannot move much: CP-SAT's own neighbourhoods on the whole model do better there."""
    return objective == "weighted_tardiness" and sum(len(j.stages) for j in problem.jobs) >= LNS_FROM_STAGES


class _Budget:
    """Time left: wall clock with several workers, CP-SAT's deterministic time with one."""

    def __init__(self, seconds: float, workers: int) -> None:
        self.seconds, self.deterministic = seconds, workers == 1
        self.deadline = time.monotonic() + seconds - WALL_MARGIN_S

    def left(self, deterministic_used: float) -> float:
        if self.deterministic:
            return self.seconds - deterministic_used
        return self.deadline - time.monotonic()


def _starting_plan(
    problem: Problem, objective: Objective, budget: _Budget, seed: int, now: list[Assignment] | None
) -> list[Assignment] | None:
    """The best of the current plan (first, so that it wins ties), the dispatch plan and the list
    schedules; with a wall-clock budget, a further list order is tried only while the time left
    exceeds twice what the previous one took (the first always runs)."""
    plans = [now, best_dispatch(problem, lambda plan: score(problem, plan, objective), DISPATCH_ROUNDS, seed)]
    took = 0.0
    for order in ORDERS:
        if took and not budget.deterministic and budget.left(0.0) <= ORDER_MARGIN * took:
            break
        began = time.monotonic()
        plans.append(list_schedule(problem, order))
        took = time.monotonic() - began
    found = [plan for plan in plans if plan is not None]
    return min(found, key=lambda plan: score(problem, plan, objective), default=None)


def _result(
    problem: Problem,
    outcome: Outcome,
    start: list[Assignment] | None,
    objective: Objective,
    earlier_bound: int | None = None,
) -> Schedule:
    plan, status = (outcome.plan, outcome.status) if outcome.plan is not None else (start, "feasible")
    if outcome.status == "infeasible" or plan is None:
        return Schedule([], outcome.status, None, None)
    bound = max((b for b in (outcome.bound, earlier_bound) if b is not None), default=None)
    return _schedule(problem, plan, objective, status, bound)


def _schedule(
    problem: Problem, plan: list[Assignment], objective: Objective, status: str, bound: int | None
) -> Schedule:
    return Schedule(plan, status, score(problem, plan, objective), bound)
