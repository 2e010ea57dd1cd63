"""The repair's first answer: each disrupted job at its earliest valid chain, everything else kept;
a job that would be late there may free one neighbour that is re-placed without getting later."""

from __future__ import annotations

from scheduler.intervals import INF
from scheduler.model import Assignment, Job, Problem
from scheduler.repair_cost import Plan, lateness
from scheduler.repair_scope import Scope
from scheduler.slots import search
from scheduler.timeline import Timeline

NEIGHBOURS_TRIED = 4  # movable jobs in the way that the greedy insertion tries freeing for a job, nearest first
NEIGHBOURS_IN_ALL = 8  # and for all disrupted jobs together (each try rebuilds the timeline)


def insertion_order(job: Job) -> tuple[bool, int, int, str]:
    """Earliest due date first (none last), heavier first on equal dates, then id."""
    return job.due is None, job.due or 0, -job.weight, job.id


def greedy_repair(scope: Scope) -> dict[str, list[Assignment]] | None:
    """New placements of the disrupted jobs and of any freed neighbour; None if one cannot be placed."""
    plan: dict[str, list[Assignment]] = {}
    timeline = Timeline(_with_plan(scope, plan).fixed_work)
    trials = NEIGHBOURS_IN_ALL
    for job in sorted((scope.job(j) for j in scope.disrupted), key=insertion_order):
        chains = search(timeline, job, 1)
        if not chains or chains[0][0].start >= INF:  # only after a window "for good" (ending at INF)
            return None
        plan[job.id] = chains[0]
        neighbours = _neighbours(scope, plan, job)[:trials] if lateness(job, chains[0]) else []
        trials -= len(neighbours)
        freed = _free_a_neighbour(scope, plan, job, neighbours)
        if freed:
            plan.update(freed)
            timeline = Timeline(_with_plan(scope, plan).fixed_work)
        else:
            for a in chains[0]:
                timeline.add(a, job)
    return plan


def latest_end(scope: Scope, job_id: str) -> int:
    """A moved job that was not disrupted may not end later than both its due date and its old end."""
    due, old_end = scope.problem.fixed_job_by_id[job_id].due, scope.placements[job_id][-1].end
    return max(old_end, due if due is not None else old_end)


def _with_plan(scope: Scope, plan: Plan, leave: tuple[str, ...] = ()) -> Problem:
    """The scope's problem with the plan's jobs at their new places and the `leave` jobs removed."""
    base = scope.subproblem([])
    kept = [a for a in base.fixed if a.job not in plan and a.job not in leave]
    placed = [a for job_id, stages in plan.items() if job_id not in leave for a in stages]
    return Problem(base.resources, [], kept + placed, base.start_windows, base.pools, base.fixed_jobs)


def _free_a_neighbour(scope: Scope, plan: Plan, job: Job, neighbours: list[str]) -> Plan | None:
    """The best re-placement of `job` with one of the `neighbours` freed, if it makes the job less late."""
    best, best_key = None, (lateness(job, plan[job.id]), 0)
    for neighbour in neighbours:
        timeline = Timeline(_with_plan(scope, plan, (job.id, neighbour)).fixed_work)
        chains = search(timeline, job, 1)
        if not chains or lateness(job, chains[0]) >= best_key[0]:
            continue
        for a in chains[0]:
            timeline.add(a, job)
        again = search(timeline, scope.job(neighbour), 1)
        if again and again[0][-1].end <= latest_end(scope, neighbour):
            shift = abs(again[0][0].start - scope.placements[neighbour][0].start)
            if (lateness(job, chains[0]), shift) < best_key:
                best, best_key = {job.id: chains[0], neighbour: again[0]}, (lateness(job, chains[0]), shift)
    return best


def _neighbours(scope: Scope, plan: Plan, job: Job) -> list[str]:
    """Movable jobs not yet moved with a stage on one of the job's vessels between its release and
    the end of its current chain, nearest to its release first."""
    vessels = {r for stage in job.stages for r in stage.options}
    until = plan[job.id][-1].end
    near: dict[str, int] = {}
    for job_id in scope.movable:
        if job_id in plan:
            continue
        for a in scope.placements[job_id]:
            if a.resource in vessels and job.release <= a.start < until:
                near[job_id] = min(near.get(job_id, a.start), a.start)
    return sorted(near, key=lambda j: (near[j], j))[:NEIGHBOURS_TRIED]
