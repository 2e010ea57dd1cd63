"""Large-neighbourhood search: free a few jobs, keep all others as fixed work, re-solve with CP-SAT.

Each step picks a neighbourhood (the jobs nearest in time to a tardy job that share its resources,
or simply the jobs nearest in time to a random one), builds a sub-problem in which every other open
job is pinned where it is, and solves it within a time window around the freed jobs from their
current placement. A sub-plan is taken when it is no worse (objective, then option ranks). The
random choices come from `random.Random(seed)`, so with one worker the search is deterministic.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from scheduler.cpsat_solve import Limits, Objective, solve
from scheduler.greedy import rank_sum, score
from scheduler.model import Assignment, Job, Problem

STEP_S = 1.0  # solver budget of one step
STEP_COST = 0.05  # least budget charged per step (model building is not in CP-SAT's time)
SIZES = (4, 40)  # fewest and most jobs freed at once


@dataclass
class Search:
    problem: Problem
    objective: Objective
    tie_break: bool
    plan: dict[str, list[Assignment]]  # current placement per job
    rng: random.Random
    size: int = 12


def improve(
    problem: Problem,
    start: list[Assignment],
    objective: Objective,
    tie_break: bool,
    limits: Limits,
    time_left: Callable[[float], float],
) -> list[Assignment]:
    """Improve `start` until `time_left(deterministic seconds used)` reaches zero."""
    search = Search(problem, objective, tie_break, by_job(start), random.Random(limits.seed))
    used, step = 0.0, 0
    while (left := time_left(used)) > 0.05 and len(problem.jobs) > 1:
        freed = _neighbourhood(search)
        step_limits = replace(limits, seconds=min(STEP_S, left), seed=limits.seed + step)
        used += max(STEP_COST, _step(search, freed, step_limits))
        step += 1
    return [a for job in problem.jobs for a in search.plan[job.id]]


def _step(search: Search, freed: list[Job], limits: Limits) -> float:
    """Re-solve the freed jobs; keep the result when no worse. Returns the deterministic time used."""
    sub = pinned_except(search.problem, search.plan, freed)
    current = [a for job in freed for a in search.plan[job.id]]
    window = (min(a.start for a in current) - _spread(current), max(a.end for a in current))
    outcome = solve(sub, current, search.objective, search.tie_break, limits, window)
    if outcome.plan is not None and _key(search, sub, outcome.plan) <= _key(search, sub, current):
        search.plan.update(by_job(outcome.plan))
    grow = outcome.status == "optimal"
    search.size = max(SIZES[0], min(SIZES[1], search.size + (2 if grow else -1)))
    return outcome.deterministic_time


def _spread(current: list[Assignment]) -> int:
    """How far before the freed jobs' earliest start they may move: the span they cover now."""
    return max(a.end for a in current) - min(a.start for a in current)


def _key(search: Search, sub: Problem, plan: list[Assignment]) -> tuple[int, int]:
    return score(sub, plan, search.objective), rank_sum(sub, plan) if search.tie_break else 0


def pinned_except(problem: Problem, plan: dict[str, list[Assignment]], freed: list[Job]) -> Problem:
    """The freed jobs to place; every other open job pinned as fixed work."""
    free_ids = {job.id for job in freed}
    kept = [job for job in problem.jobs if job.id not in free_ids]
    pinned = [a for job in kept for a in plan[job.id]]
    return Problem(
        problem.resources,
        freed,
        (*problem.fixed, *pinned),
        problem.start_windows,
        problem.pools,
        (*problem.fixed_jobs, *kept),
    )


def _neighbourhood(search: Search) -> list[Job]:
    """Half the time around a costly job on its resources, otherwise around a random job."""
    jobs = search.problem.jobs
    costly = _costly(search)
    if costly and search.rng.random() < 0.5:
        weights = [cost for _, cost in costly]
        anchor = search.rng.choices([job for job, _ in costly], weights)[0]
        mine = _resources(anchor)
        pool = [job for job in jobs if _resources(job) & mine]
    else:
        anchor, pool = search.rng.choice(jobs), list(jobs)
    start = _first_start(search, anchor)
    pool.sort(key=lambda job: (abs(_first_start(search, job) - start), job.id))
    return pool[: search.size]


def _costly(search: Search) -> list[tuple[Job, int]]:
    """Jobs that make the objective: tardy ones weighted by tardiness, or the last to finish."""
    ends = {job.id: max(a.end for a in search.plan[job.id]) for job in search.problem.jobs}
    if search.objective == "makespan":
        last = max(ends.values())
        return [(job, 1) for job in search.problem.jobs if ends[job.id] == last]
    return [
        (job, job.weight * (ends[job.id] - job.due))
        for job in search.problem.jobs
        if job.due is not None and job.weight > 0 and ends[job.id] > job.due
    ]


def _first_start(search: Search, job: Job) -> int:
    return min(a.start for a in search.plan[job.id])


def _resources(job: Job) -> set[str]:
    return {r for stage in job.stages for r in stage.options}


def by_job(plan: Sequence[Assignment]) -> dict[str, list[Assignment]]:
    """Each job's assignments in stage order."""
    out: dict[str, list[Assignment]] = {}
    for a in sorted(plan, key=lambda a: (a.job, a.stage)):
        out.setdefault(a.job, []).append(a)
    return out
