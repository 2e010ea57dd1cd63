"""The comparison: a greedy earliest-due-date list scheduler (each job at its earliest feasible chain)."""

from __future__ import annotations

from scheduler import Problem
from scheduler.greedy import by_due_date, list_schedule, weighted_tardiness


def edd_weighted_tardiness(problem: Problem) -> tuple[int | None, list]:
    """Weighted tardiness of the EDD list schedule (None when it gets stuck)."""
    plan = list_schedule(problem, by_due_date)
    return (None, []) if plan is None else (weighted_tardiness(problem.jobs, plan), plan)
