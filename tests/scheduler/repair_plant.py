"""A small plant for the repair tests: booked jobs described in full, placed as confirmed work."""

from __future__ import annotations

import random
from dataclasses import replace

from scheduler import Assignment, Demand, Job, Pool, Problem, Resource, Stage
from scheduler.greedy import list_schedule

SMALL = {"A": "small", "B": "small", "C": "large"}


def booked(
    job_id: str,
    resource: str,
    start: int,
    duration: int = 100,
    *,
    options=("A", "B", "C"),
    due: int | None = None,
    weight: int = 1,
    release: int = 0,
) -> tuple[Job, list[Assignment]]:
    """A one-stage job that may run on any of `options`, placed on `resource` at `start`."""
    job = Job(job_id, [Stage(dict.fromkeys(options, duration))], release=release, due=due, weight=weight)
    return job, [Assignment(job_id, 0, resource, start, start + duration)]


def plant(*bookings, blocked: dict[str, list] | None = None, turnaround: int = 0, **extra) -> Problem:
    """Resources A, B (small) and C (large); `bookings` are (job, placement) pairs."""
    blocked = blocked or {}
    resources = [Resource(r, blocked=blocked.get(r, ()), turnaround=turnaround) for r in ("A", "B", "C")]
    return Problem(
        resources,
        [],
        fixed=[a for _, placed in bookings for a in placed],
        fixed_jobs=[job for job, _ in bookings],
        **extra,
    )


def with_blocked(problem: Problem, resource: str, window: tuple[int, int]) -> Problem:
    """The same plant with one more blocked window on `resource`."""
    resources = [replace(r, blocked=(*r.blocked, window)) if r.id == resource else r for r in problem.resources]
    return replace(problem, resources=resources)


def random_plan(rng: random.Random, count: int, *, simple: bool = False) -> Problem:
    """`count` confirmed jobs placed by the list scheduler on A, B and C, half the time with staffed
    start windows; `simple`: one-stage jobs, no families, no pools, no staffed windows (what the
    exhaustive model of the optimality test covers)."""
    resources = [
        Resource(r, turnaround=rng.choice([0, 10]), changeover=0 if simple else rng.choice([0, 5]))
        for r in ("A", "B", "C")
    ]
    jobs = [_random_job(rng, f"j{i}", simple) for i in range(count)]
    pools = [] if simple else [Pool("crew", 1)]
    staffed = None if simple or rng.random() < 0.5 else [(day, day + 120) for day in range(0, 20_000, 200)]
    placed = list_schedule(Problem(resources, jobs, pools=pools, start_windows=staffed))
    return Problem(resources, [], placed, start_windows=staffed, pools=pools, fixed_jobs=jobs)


def _random_job(rng: random.Random, job_id: str, simple: bool) -> Job:
    stages = []
    for k in range(1 if simple else rng.choice([1, 1, 2])):
        options = rng.sample(["A", "B", "C"], rng.randint(1, 3))
        crew = () if simple or rng.random() < 0.5 else (Demand("crew", 1, "start", 0, 10),)
        stages.append(
            Stage(
                {r: rng.randrange(20, 100, 10) for r in options},
                demands=crew,
                max_wait=rng.choice([None, 30]) if k else None,
            )
        )
    release = rng.randrange(0, 300, 10)
    due = release + sum(max(s.options.values()) for s in stages) + rng.randrange(0, 200, 10)
    family = None if simple else rng.choice(["x", "y"])
    return Job(job_id, stages, release=release, due=due, weight=rng.randint(1, 3), family=family)
