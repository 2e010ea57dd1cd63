"""The problem model: frozen dataclasses, times in integer minutes from the problem's origin."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

from scheduler.elements import Assignment, Demand, Job, Pool, Resource, Stage, Window
from scheduler.fixed_work import FixedWork

__all__ = ["Assignment", "Demand", "Job", "Pool", "Problem", "Resource", "Schedule", "Stage", "Window"]


@dataclass(frozen=True)
class Schedule:
    """Placements of the problem's jobs (fixed work is not repeated here)."""

    assignments: list[Assignment]
    status: str
    objective: int | None
    bound: int | None


@dataclass(frozen=True)
class Problem:
    """Resources, jobs to place, and fixed work already on the resources.

    start_windows: allowed start intervals [a, b) for stages with needs_staff (None: any time).
    fixed_jobs: descriptions (family, stage demands) of the jobs behind `fixed`, looked up by id.
    """

    resources: Sequence[Resource]
    jobs: Sequence[Job]
    fixed: Sequence[Assignment] = ()
    start_windows: Sequence[Window] | None = None
    pools: Sequence[Pool] = ()
    fixed_jobs: Sequence[Job] = ()

    def __post_init__(self) -> None:
        for name in ("resources", "jobs", "fixed", "pools", "fixed_jobs"):
            object.__setattr__(self, name, tuple(getattr(self, name)))
        if self.start_windows is not None:
            windows = tuple(sorted((int(a), int(b)) for a, b in self.start_windows))
            object.__setattr__(self, "start_windows", windows)
        _check_ids(self)

    @cached_property
    def resource_by_id(self) -> dict[str, Resource]:
        return {r.id: r for r in self.resources}

    @cached_property
    def pool_by_id(self) -> dict[str, Pool]:
        return {p.id: p for p in self.pools}

    @cached_property
    def fixed_work(self) -> FixedWork:
        """The read-only index of the fixed work, blocked windows and start windows, built once per problem."""
        return FixedWork(self.resource_by_id, self.pools, self.fixed, self.fixed_job_by_id, self.start_windows)

    @cached_property
    def fixed_job_by_id(self) -> dict[str, Job]:
        return {j.id: j for j in self.fixed_jobs}


def _check_ids(problem: Problem) -> None:
    resources = {r.id for r in problem.resources}
    pools = {p.id for p in problem.pools}
    if len(resources) != len(problem.resources):
        raise ValueError("resource ids must be unique")
    job_ids = {j.id for j in problem.jobs}
    if len(job_ids) != len(problem.jobs):
        raise ValueError("job ids must be unique")
    for job in problem.jobs:
        for stage in job.stages:
            unknown = set(stage.options) - resources
            if unknown:
                raise ValueError(f"job {job.id} names unknown resources {sorted(unknown)}")
    for job in (*problem.jobs, *problem.fixed_jobs):
        if any(d.pool not in pools for stage in job.stages for d in stage.demands):
            raise ValueError(f"job {job.id} demands an unknown pool")
    for a in problem.fixed:
        if a.resource not in resources:
            raise ValueError(f"fixed work of {a.job} is on unknown resource {a.resource}")
        if a.job in job_ids:
            raise ValueError(f"job {a.job} is both fixed and to be placed")
