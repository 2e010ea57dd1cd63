"""Moves that gain nothing are taken back: a job stays where it is unless moving it helps.

The optimiser's plan may place a job elsewhere only because the solver had no reason to prefer its
current placement (equal objective, or a tie-break for smaller vessels). This pass returns every such
job to where it is now, as long as the plan stays valid and its objective gets no worse, and repeats
until no further job (or pair of jobs, for a swap) can go back; so every job left moved is one whose
move the objective needs.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import combinations

from scheduler.greedy import score
from scheduler.lns import by_job, pinned_except
from scheduler.model import Assignment, Job, Problem, Schedule
from scheduler.validate import validate


def current_plan(problem: Problem, current: Sequence[Assignment]) -> list[Assignment] | None:
    """`current` as a whole plan when it places every job and breaks no rule, else None."""
    plan = list(current)
    if not plan or validate(problem, Schedule(plan, "feasible", None, None)):
        return None
    return plan


def leave_unmoved(
    problem: Problem, plan: list[Assignment], current: Sequence[Assignment], objective: str
) -> list[Assignment]:
    """`plan` with moved jobs put back where `current` has them, while that is valid and no worse:
    one job at a time, or two at once (a swap) when no single one can go back."""
    before = by_job(current)
    placed = by_job(plan)
    value = score(problem, plan, objective)
    while True:
        moved = [job for job in problem.jobs if before.get(job.id) and placed[job.id] != before[job.id]]
        back = _first_to_go_back(
            problem, placed, before, value, objective, [[job] for job in moved]
        ) or _first_to_go_back(problem, placed, before, value, objective, _swaps(moved, placed, before))
        if back is None:
            return _flat(problem, placed)
        placed, value = back


def _swaps(
    moved: list[Job], placed: dict[str, list[Assignment]], before: dict[str, list[Assignment]]
) -> list[tuple[Job, Job]]:
    """Pairs of moved jobs where one now uses a resource the other would go back to."""

    def uses(chain: list[Assignment]) -> set[str]:
        return {a.resource for a in chain}

    return [
        (x, y)
        for x, y in combinations(moved, 2)
        if uses(before[x.id]) & uses(placed[y.id]) or uses(before[y.id]) & uses(placed[x.id])
    ]


def _first_to_go_back(
    problem: Problem,
    placed: dict[str, list[Assignment]],
    before: dict[str, list[Assignment]],
    value: int,
    objective: str,
    groups: Sequence[Sequence[Job]],
) -> tuple[dict[str, list[Assignment]], int] | None:
    """The plan with the first group of jobs put back that keeps it valid and no worse, and its value."""
    for group in groups:
        trial = {**placed, **{job.id: before[job.id] for job in group}}
        trial_value = score(problem, _flat(problem, trial), objective)
        if trial_value <= value and _fits(problem, trial, list(group)):
            return trial, trial_value
    return None


def _fits(problem: Problem, placed: dict[str, list[Assignment]], jobs: list[Job]) -> bool:
    """The jobs' chains in `placed` break no rule among the fixed work and every other job's chain."""
    around = pinned_except(problem, placed, jobs)
    return not validate(around, Schedule([a for job in jobs for a in placed[job.id]], "feasible", None, None))


def _flat(problem: Problem, placed: dict[str, list[Assignment]]) -> list[Assignment]:
    return [a for job in problem.jobs for a in placed[job.id]]
