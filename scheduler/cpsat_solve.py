"""One CP-SAT solve of a problem (or of an LNS sub-problem): objective, hint, limits, reading back."""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, replace
from typing import Literal

from ortools.sat.python import cp_model

from scheduler.cpsat_model import Built, StageVars, as_int, build
from scheduler.greedy import score
from scheduler.intervals import INF
from scheduler.model import Assignment, Problem

Objective = Literal["weighted_tardiness", "makespan"]
Helpers = dict[str, tuple[cp_model.IntVar, int | None]]  # job id -> its objective variable, due date
WALL_SAFETY = (20, 10.0)  # with one worker, wall-clock stop at max(20 × the deterministic limit, 10 s)
STATUS = {
    cp_model.OPTIMAL: "optimal",
    cp_model.FEASIBLE: "feasible",
    cp_model.INFEASIBLE: "infeasible",
    cp_model.UNKNOWN: "unknown",
}


@dataclass(frozen=True)
class Limits:
    """Solver budget: seconds (deterministic time when workers == 1), workers (0 = all), seed."""

    seconds: float
    workers: int
    seed: int


@dataclass(frozen=True)
class Outcome:
    status: str  # a value of STATUS
    plan: list[Assignment] | None
    bound: int | None
    deterministic_time: float


def solve(
    problem: Problem,
    start: list[Assignment] | None,
    objective: Objective,
    tie_break: bool,
    limits: Limits,
    window: tuple[int, int] = (-INF, INF),
    cuts: bool = True,
    interval_ends: bool = False,
) -> Outcome:
    """Solve `problem` from the plan `start` (a hint and a cap: no worse plan is searched).

    `window`: every stage of the problem lies inside it (constants outside are left out).
    `cuts`: add the redundant makespan load cuts (they prove bounds but make each LP heavier).
    `interval_ends`: the model's plain flexible-shop form (see `cpsat_model.build`).
    With several workers `limits.seconds` bounds the whole call, model building included.
    """
    began = time.monotonic()
    built = build(problem, end_limits(problem, start, objective), window, interval_ends)
    helpers = _set_objective(built, problem, objective, tie_break, cuts)
    if start:
        _hint(built, start, helpers)
    if limits.workers != 1:
        limits = replace(limits, seconds=limits.seconds - (time.monotonic() - began))
        if limits.seconds <= 0:
            return Outcome("unknown", None, None, 0.0)
    solver = limited_solver(limits)
    status = solver.solve(built.model)
    if status == cp_model.MODEL_INVALID:
        raise RuntimeError(f"invalid CP-SAT model: {built.model.validate()}")
    found = status in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    return Outcome(
        STATUS[status],
        read_plan(built, solver) if found else None,
        _bound(solver, built),
        solver.response_proto.deterministic_time,
    )


def limited_solver(limits: Limits) -> cp_model.CpSolver:
    """A solver with a time limit; with one worker the limit is CP-SAT's deterministic time."""
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = limits.workers
    solver.parameters.random_seed = limits.seed
    if limits.workers == 1:
        solver.parameters.max_deterministic_time = limits.seconds
        solver.parameters.max_time_in_seconds = max(WALL_SAFETY[0] * limits.seconds, WALL_SAFETY[1])
    else:
        solver.parameters.max_time_in_seconds = limits.seconds
    return solver


def end_limits(problem: Problem, plan: list[Assignment] | None, objective: Objective) -> dict[str, int]:
    """Completion caps that keep every plan at least as good as `plan`."""
    if not plan:
        return {}
    value = score(problem, plan, objective)
    if objective == "makespan":
        return {job.id: value for job in problem.jobs}
    return {j.id: j.due + value // j.weight for j in problem.jobs if j.due is not None and j.weight > 0}


def _bound(solver: cp_model.CpSolver, built: Built) -> int | None:
    value = solver.best_objective_bound
    return int(value) // built.scale if math.isfinite(value) and abs(value) < 2**62 else None


def _set_objective(built: Built, problem: Problem, objective: Objective, tie_break: bool, cuts: bool) -> Helpers:
    """Minimise the objective (times `scale`, plus option ranks as tie-break); returns its helper vars."""
    model = built.model
    helpers: Helpers = {}
    primary: cp_model.LinearExprT
    if objective == "makespan":
        span = model.new_int_var(0, 2**40, "makespan")
        model.add_max_equality(span, list(built.job_ends.values()))
        if cuts:
            _add_load_cuts(built, span)
        primary = span
        helpers = {job.id: (span, None) for job in problem.jobs}
    else:
        terms: list[cp_model.LinearExpr] = []
        for job in problem.jobs:
            if job.due is not None and job.weight > 0:
                late = model.new_int_var(0, 2**40, f"late_{job.id}")
                model.add_max_equality(late, [0, built.job_ends[job.id] - job.due])
                terms.append(job.weight * late)
                helpers[job.id] = (late, job.due)
        primary = sum(terms)
    ranks = [
        rank * present
        for vars in built.stages.values()
        for rank, present in enumerate(vars.present.values())
        if rank and present is not True
    ]
    built.scale = 1 + sum(len(v.present) - 1 for v in built.stages.values()) if tie_break and ranks else 1
    model.minimize(built.scale * primary + (sum(ranks) if built.scale > 1 else 0))
    return helpers


def _add_load_cuts(built: Built, span: cp_model.IntVar) -> None:
    """Redundant: the stages that may run on one resource run there one at a time, none before the
    earliest of their earliest starts, and the last leaves at least the shortest of their jobs'
    remaining work; so the makespan is at least head + their total duration there + tail."""
    for resource, occupying in built.occupying.items():
        head = min(o.vars.window[0] for o in occupying)
        tail = min(_rest(o.vars) for o in occupying)
        work = [o.vars.stage.options[resource] * as_int(o.vars.present[resource]) for o in occupying]
        built.model.add(span >= head + sum(work) + tail)


def _rest(vars: StageVars) -> int:
    """Shortest duration of the stages after this one in its job."""
    return sum(min(stage.options.values()) for stage in vars.job.stages[vars.index + 1 :])


def _hint(built: Built, plan: list[Assignment], helpers: Helpers) -> None:
    """A known plan as CP-SAT's starting point, objective variables included."""
    ends: dict[str, int] = {}
    for a in plan:
        ends[a.job] = max(ends.get(a.job, a.end), a.end)
    hinted = set()
    for job_id, (var, due) in helpers.items():
        if var.index not in hinted:
            hinted.add(var.index)
            value = max(ends.values()) if due is None else max(0, ends[job_id] - due)
            built.model.add_hint(var, value)
    for a in plan:
        vars = built.stages[(a.job, a.stage)]
        built.model.add_hint(vars.start, a.start)
        built.model.add_hint(vars.end, a.end)
        for resource, present in vars.present.items():
            if present is not True:
                built.model.add_hint(present, resource == a.resource)


def read_plan(built: Built, solver: cp_model.CpSolver) -> list[Assignment]:
    plan = []
    for (job_id, k), vars in built.stages.items():
        resource = next(r for r, p in vars.present.items() if p is True or solver.boolean_value(p))
        plan.append(Assignment(job_id, k, resource, solver.value(vars.start), solver.value(vars.end)))
    return plan
