"""Operation-by-operation dispatching (Giffler-Thompson) for plain shops such as the flexible job shop.

Applies only when nothing but resources and stage order constrains the plan: no fixed work, no
blocked windows, no staffed windows, no pools, no `max_wait`. Stages are appended to the end of
their resource, so turnaround and changeover are kept by construction.
"""

from __future__ import annotations

import random
from collections.abc import Callable

from scheduler.model import Assignment, Job, Problem, Resource


def applies(problem: Problem) -> bool:
    """True when the problem has nothing this dispatcher cannot keep."""
    if problem.fixed or any(r.blocked for r in problem.resources):
        return False
    stages = [stage for job in problem.jobs for stage in job.stages]
    staffed = problem.start_windows is not None and any(stage.needs_staff for stage in stages)
    return not staffed and not any(stage.demands or stage.max_wait is not None for stage in stages)


def best_dispatch(
    problem: Problem, score: Callable[[list[Assignment]], int], rounds: int, seed: int
) -> list[Assignment] | None:
    """The best of `rounds` dispatch runs (the first by most work remaining, the rest randomised)."""
    if not applies(problem):
        return None
    rng = random.Random(seed)
    plans = [dispatch(problem, rng, noise=0.0 if i == 0 else 0.3) for i in range(rounds)]
    return min(plans, key=score)


def dispatch(problem: Problem, rng: random.Random, noise: float) -> list[Assignment]:
    """Giffler-Thompson: among stages that could start before the earliest possible completion on
    that resource, the one of the job with the most work remaining (times random noise) goes first,
    on the option where it ends earliest."""
    resources = problem.resource_by_id
    # per resource: free from, family of the last stage, used
    free: dict[str, tuple[int, str | None, bool]] = dict.fromkeys(resources, (0, None, False))
    next_stage = {job.id: 0 for job in problem.jobs}
    ready = {job.id: job.release for job in problem.jobs}
    remaining = {job.id: sum(min(s.options.values()) for s in job.stages) for job in problem.jobs}
    plan: list[Assignment] = []
    open_jobs = list(problem.jobs)
    while open_jobs:
        options = [
            (job, r, _earliest(resources[r], free[r], job, ready[job.id]), d)
            for job in open_jobs
            for r, d in job.stages[next_stage[job.id]].options.items()
        ]
        _, machine, start, duration = min(options, key=lambda o: (o[2] + o[3], o[2]))
        finish = start + duration
        conflict = [o for o in options if o[1] == machine and o[2] < finish]
        job = max(conflict, key=lambda o: (remaining[o[0].id] * (1 + noise * rng.random()), -o[2]))[0]
        _, r, s, d = min((o for o in options if o[0] is job), key=lambda o: (o[2] + o[3], o[2]))
        plan.append(Assignment(job.id, next_stage[job.id], r, s, s + d))
        free[r] = (s + d + resources[r].turnaround, job.family, True)
        ready[job.id] = s + d
        remaining[job.id] -= min(job.stages[next_stage[job.id]].options.values())
        next_stage[job.id] += 1
        if next_stage[job.id] == len(job.stages):
            open_jobs.remove(job)
    return plan


def _earliest(resource: Resource, free: tuple[int, str | None, bool], job: Job, ready: int) -> int:
    since, family, used = free
    changeover = resource.changeover if used and family != job.family else 0
    return max(ready, since + changeover)
