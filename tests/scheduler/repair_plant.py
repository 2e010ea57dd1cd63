"""A small plant for the repair tests: booked jobs described in full, placed as confirmed work."""

from __future__ import annotations

from dataclasses import replace

from scheduler import Assignment, Job, Problem, Resource, Stage

SMALL = {"A": "small", "B": "small", "C": "large"}


def booked(job_id: str, resource: str, start: int, duration: int = 100, *, options=("A", "B", "C"),
           due: int | None = None, weight: int = 1, release: int = 0) -> tuple[Job, list[Assignment]]:
    """A one-stage job that may run on any of `options`, placed on `resource` at `start`."""
    job = Job(job_id, [Stage({r: duration for r in options})], release=release, due=due, weight=weight)
    return job, [Assignment(job_id, 0, resource, start, start + duration)]


def plant(*bookings, blocked: dict[str, list] | None = None, turnaround: int = 0, **extra) -> Problem:
    """Resources A, B (small) and C (large); `bookings` are (job, placement) pairs."""
    blocked = blocked or {}
    resources = [Resource(r, blocked=blocked.get(r, ()), turnaround=turnaround) for r in ("A", "B", "C")]
    return Problem(resources, [], fixed=[a for _, placed in bookings for a in placed],
                   fixed_jobs=[job for job, _ in bookings], **extra)


def with_blocked(problem: Problem, resource: str, window: tuple[int, int]) -> Problem:
    """The same plant with one more blocked window on `resource`."""
    resources = [replace(r, blocked=(*r.blocked, window)) if r.id == resource else r for r in problem.resources]
    return replace(problem, resources=resources)
