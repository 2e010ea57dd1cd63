"""A list scheduler: take jobs in a given order, put each at its earliest feasible chain."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from scheduler.model import Assignment, Job, Problem
from scheduler.slots import search
from scheduler.timeline import Timeline

OrderKey = tuple[object, ...]  # compared element by element


def by_due_date(job: Job) -> tuple[bool, int, int, str]:
    """Earliest due date first (no due date last), then release, then id."""
    return (job.due is None, job.due or 0, job.release, job.id)


def by_weighted_due_date(job: Job) -> tuple[int, bool, int, int, str]:
    """Heavier jobs first, then earliest due date."""
    return (-job.weight,) + by_due_date(job)


def by_release(job: Job) -> tuple[int, bool, int, str]:
    return (job.release, job.due is None, job.due or 0, job.id)


ORDERS = (by_weighted_due_date, by_due_date, by_release)  # the usually best first


def list_schedule(problem: Problem, order: Callable[[Job], OrderKey] = by_due_date) -> list[Assignment] | None:
    """Place jobs one by one in `order`; None when some job has no feasible chain left."""
    timeline = Timeline(problem.fixed_work)
    placed: list[Assignment] = []
    for job in sorted(problem.jobs, key=order):
        chains = search(timeline, job, 1)
        if not chains:
            return None
        for a in chains[0]:
            timeline.add(a, job)
        placed.extend(chains[0])
    return placed


def weighted_tardiness(jobs: Sequence[Job], assignments: Sequence[Assignment]) -> int:
    """Sum of weight x minutes late of each job's last stage."""
    ends = _job_ends(assignments)
    return sum(j.weight * max(0, ends[j.id] - j.due) for j in jobs if j.due is not None and j.id in ends)


def makespan(assignments: Sequence[Assignment]) -> int:
    return max((a.end for a in assignments), default=0)


def score(problem: Problem, plan: Sequence[Assignment], objective: str) -> int:
    """The plan's objective value: weighted tardiness or makespan."""
    return weighted_tardiness(problem.jobs, plan) if objective == "weighted_tardiness" else makespan(plan)


def rank_sum(problem: Problem, plan: Sequence[Assignment]) -> int:
    """Sum over stages of the chosen option's position in the stage's options (the tie-break)."""
    jobs = {j.id: j for j in problem.jobs}
    return sum(list(jobs[a.job].stages[a.stage].options).index(a.resource) for a in plan)


def _job_ends(assignments: Sequence[Assignment]) -> dict[str, int]:
    ends: dict[str, int] = {}
    for a in assignments:
        ends[a.job] = max(ends.get(a.job, a.end), a.end)
    return ends
