"""Lower bounds from relaxations, for plans that no solver proof covers (the LNS result)."""

from __future__ import annotations

from scheduler.model import Job, Problem
from scheduler.slots import search


def back_to_back_bound(problem: Problem, objective: str) -> int:
    """Each job alone on an empty plant: released, then its fastest options back to back."""
    return _combine(problem, objective, {job.id: job.release + _shortest(job) for job in problem.jobs})


def alone_bound(problem: Problem, objective: str) -> int:
    """Each job alone among the fixed work: it cannot start its first stage before the earliest
    start the slot search finds for it, and then needs its fastest options back to back."""
    ends = {}
    for job in problem.jobs:
        chains = search(problem.fixed_work, job, 1)
        first = chains[0][0].start if chains else job.release
        ends[job.id] = first + _shortest(job)
    return _combine(problem, objective, ends)


def _shortest(job: Job) -> int:
    return sum(min(stage.options.values()) for stage in job.stages)


def _combine(problem: Problem, objective: str, ends: dict[str, int]) -> int:
    if objective == "makespan":
        return max(ends.values(), default=0)
    return sum(j.weight * max(0, ends[j.id] - j.due) for j in problem.jobs if j.due is not None)
