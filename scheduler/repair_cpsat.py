"""The repair's improvement: CP-SAT over the disrupted jobs and a neighbourhood of movable ones.

Two solves, each from the last plan: the tardiness of the disrupted work, then the jobs moved; then,
with that kept as a constraint, the total shift, then the size-class changes. Each solve orders its
two levels by one weighted sum whose weight keeps the order exact (the lower level's largest value
is known). Every CP-SAT solve starts with a presolve: two solves leave more of a short time limit
for the search than one per level.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ortools.sat.python import cp_model

from scheduler.cpsat_model import Built, build
from scheduler.cpsat_solve import Limits, limited_solver, read_plan
from scheduler.cpsat_solve import _hint as hint_plan
from scheduler.fixed_work import FixedWork
from scheduler.model import Assignment
from scheduler.repair_cost import Plan, class_of, lateness
from scheduler.repair_greedy import latest_end
from scheduler.repair_scope import Scope, placements_of
from scheduler.slots import chain_span

FIRST_SHARE = 0.6  # of the time limit, for the first phase
PRESOLVE_ITERATIONS = 1  # the model is mostly constants (fixed work): more rounds cost a short limit dearly
MIN_SOLVE_S = 0.01  # a phase is not started with less time than this
# the four objective levels, most important first: lateness, jobs moved, shift of the first start, size-class changes
Levels = tuple[list[cp_model.LinearExpr], list[cp_model.LinearExpr], list[cp_model.IntVar], list[cp_model.IntVar]]


@dataclass(frozen=True)
class Improved:
    plan: dict[str, list[Assignment]]
    proven: bool  # both phases solved to optimality


def improve_repair(
    scope: Scope, free: list[str], start: Plan, size_class: Mapping[str, str] | None, limits: Limits
) -> Improved | None:
    """The lexicographically best placement of the `free` jobs (the rest fixed) found in the time
    limit, starting from `start` (new places of some free jobs; the others where they are)."""
    began = time.monotonic()
    sub = scope.subproblem(free)
    hint = {j: start.get(j, scope.placements[j]) for j in free}
    window = (scope.pinned_until, _window_end(scope, sub.fixed_work, hint))
    built = build(sub, _end_caps(scope, free, hint), window)
    late, moved, shift, changes = _levels(scope, built, hint, size_class)
    hint_plan(built, [a for stages in hint.values() for a in stages], {})  # no objective helpers
    found, proven = None, True
    for phase, objective in enumerate([_first_then(late, moved, 1), _first_then(shift, changes, 1)]):
        if isinstance(objective, int):  # nothing to choose in this phase
            continue
        seconds = _share(limits, began, phase == 1)
        solver = limited_solver(Limits(seconds, limits.workers, limits.seed))
        solver.parameters.max_presolve_iterations = PRESOLVE_ITERATIONS
        built.model.minimize(objective)
        status = solver.solve(built.model) if seconds > MIN_SOLVE_S else cp_model.UNKNOWN
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return None if found is None else Improved(found, False)
        found = placements_of(read_plan(built, solver))
        proven = proven and status == cp_model.OPTIMAL
        built.model.add(objective <= round(solver.objective_value))
        _hint_solution(built.model, solver)
    return None if found is None else Improved(found, proven)


def _first_then(
    first: Sequence[cp_model.LinearExpr], then: Sequence[cp_model.LinearExpr], largest_then: int
) -> cp_model.LinearExpr | int:
    """Minimising sum(first), then sum(then), as one weighted sum: the weight of `first` exceeds the
    largest value sum(then) can take (each of its terms is at most `largest_then`)."""
    return (len(then) * largest_then + 1) * sum(first) + sum(then)


def _share(limits: Limits, began: float, second: bool) -> float:
    """The first phase gets FIRST_SHARE of the time, the second phase what is left (with one
    worker, of the deterministic limit, split up front)."""
    if limits.workers == 1:
        return limits.seconds * (1 - FIRST_SHARE if second else FIRST_SHARE)
    left = limits.seconds - (time.monotonic() - began)
    return left if second else left * FIRST_SHARE


def _end_caps(scope: Scope, free: list[str], hint: Plan) -> dict[str, int]:
    """Disrupted jobs no later than the start plan's total tardiness allows; others `latest_end`."""
    jobs = scope.problem.fixed_job_by_id
    total = sum(lateness(jobs[j], hint[j]) for j in scope.disrupted)
    caps = {}
    for job_id in free:
        job = jobs[job_id]
        if job_id not in scope.disrupted:
            caps[job_id] = latest_end(scope, job_id)
        elif job.due is not None and job.weight > 0:
            caps[job_id] = job.due + total // job.weight
    return caps


def _window_end(scope: Scope, fixed: FixedWork, hint: Plan) -> int:
    """Past the latest end of the start plan and of the free jobs' current places, by the longest chain."""
    jobs = scope.problem.fixed_job_by_id
    latest = max(max(hint[j][-1].end, scope.placements[j][-1].end) for j in hint)
    return latest + max(chain_span(fixed, jobs[j]) for j in hint)


def _levels(scope: Scope, built: Built, hint: Plan, size_class: Mapping[str, str] | None) -> Levels:
    """The terms of the four objective levels, most important first; their helper variables hinted
    with their values in the `hint` plan (so that CP-SAT's first solution is the whole hint)."""
    model = built.model
    late: list[cp_model.LinearExpr] = []
    moved: list[cp_model.LinearExpr] = []
    shift: list[cp_model.IntVar] = []
    changes: list[cp_model.IntVar] = []
    for job_id, new in hint.items():
        job, old = scope.problem.fixed_job_by_id[job_id], scope.placements[job_id]
        if job_id in scope.disrupted and job.due is not None and job.weight > 0:
            delay = model.new_int_var(0, 2**40, f"late_{job_id}")
            model.add_max_equality(delay, [0, built.job_ends[job_id] - job.due])
            model.add_hint(delay, max(0, new[-1].end - job.due))
            late.append(job.weight * delay)
        stays = model.new_bool_var(f"stays_{job_id}")
        model.add_hint(stays, new == old)
        for a in old:
            vars = built.stages[(job_id, a.stage)]
            model.add(vars.start == a.start).only_enforce_if(stays)
            if a.resource not in vars.present:  # a disrupted job that ran elsewhere (or longer) moves
                model.add(stays == 0)
            elif vars.present[a.resource] is not True:
                model.add_bool_and([vars.present[a.resource]]).only_enforce_if(stays)
            changes += [
                p
                for r, p in vars.present.items()
                if p is not True and class_of(size_class, r) != class_of(size_class, a.resource)
            ]
        moved.append(1 - stays)
        distance = model.new_int_var(0, 2**40, f"shift_{job_id}")
        model.add_abs_equality(distance, built.stages[(job_id, 0)].start - old[0].start)
        model.add_hint(distance, abs(new[0].start - old[0].start))
        shift.append(distance)
    return late, moved, shift, changes


def _hint_solution(model: cp_model.CpModel, solver: cp_model.CpSolver) -> None:
    """The last level's solution, every variable of it, as the next level's first solution."""
    model.clear_hints()  # type: ignore[no-untyped-call]  # OR-Tools 9.15 leaves clear_hints unannotated
    for index in range(len(model.proto.variables)):
        var = model.get_int_var_from_proto_index(index)
        model.add_hint(var, solver.value(var))
