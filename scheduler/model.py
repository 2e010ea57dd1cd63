"""The problem model: frozen dataclasses, times in integer minutes from the problem's origin."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Literal

Window = tuple[int, int]


def _freeze(obj: object, name: str, value: object) -> None:
    object.__setattr__(obj, name, value)


@dataclass(frozen=True)
class Resource:
    """A vessel or unit: blocked windows, turnaround after each use, changeover between families."""

    id: str
    blocked: Sequence[Window] = ()
    turnaround: int = 0
    changeover: int = 0

    def __post_init__(self) -> None:
        _freeze(self, "blocked", tuple(sorted((int(a), int(b)) for a, b in self.blocked)))
        if self.turnaround < 0 or self.changeover < 0:
            raise ValueError(f"resource {self.id}: turnaround and changeover must be >= 0")
        if any(a >= b for a, b in self.blocked):
            raise ValueError(f"resource {self.id}: a blocked window must have start < end")


@dataclass(frozen=True)
class Pool:
    """A shared limit (steam, crew): at most `capacity` units in use at any minute."""

    id: str
    capacity: int


@dataclass(frozen=True)
class Demand:
    """Use of `amount` units of a pool from anchor + offset for `length` minutes.

    anchor "start" is the stage start, "end" the stage end; length None means the resource's
    turnaround (e.g. steam during CIP/SIP after the batch).
    """

    pool: str
    amount: int = 1
    anchor: Literal["start", "end"] = "start"
    offset: int = 0
    length: int | None = 60

    def __post_init__(self) -> None:
        if self.anchor not in ("start", "end"):
            raise ValueError(f"demand anchor must be 'start' or 'end', not {self.anchor!r}")
        if self.amount < 0 or (self.length is not None and self.length < 0):
            raise ValueError("demand amount and length must be >= 0")

    def window(self, start: int, end: int, turnaround: int) -> Window:
        """The half-open interval this demand covers for a stage placed at [start, end)."""
        begin = (start if self.anchor == "start" else end) + self.offset
        return begin, begin + (turnaround if self.length is None else self.length)


@dataclass(frozen=True)
class Stage:
    """One step of a job: resource id -> duration there, optional max gap after the previous stage."""

    options: Mapping[str, int] = field(hash=False)
    max_wait: int | None = None
    needs_staff: bool = True
    demands: Sequence[Demand] = ()

    def __post_init__(self) -> None:
        _freeze(self, "options", {str(r): int(d) for r, d in self.options.items()})
        _freeze(self, "demands", tuple(self.demands))
        if not self.options:
            raise ValueError("a stage needs at least one resource option")
        if any(d <= 0 for d in self.options.values()):
            raise ValueError("stage durations must be positive")
        if self.max_wait is not None and self.max_wait < 0:
            raise ValueError("max_wait must be >= 0")


@dataclass(frozen=True)
class Job:
    """Stages run in order; tardiness is counted against `due` with `weight`."""

    id: str
    stages: Sequence[Stage]
    release: int = 0
    due: int | None = None
    weight: int = 1
    family: str | None = None

    def __post_init__(self) -> None:
        _freeze(self, "stages", tuple(self.stages))
        if not self.stages:
            raise ValueError(f"job {self.id} has no stages")
        if self.weight < 0:
            raise ValueError(f"job {self.id}: weight must be >= 0")


@dataclass(frozen=True, order=True)
class Assignment:
    """Stage `stage` of job `job` runs on `resource` over [start, end)."""

    job: str
    stage: int
    resource: str
    start: int
    end: int


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
            _freeze(self, name, tuple(getattr(self, name)))
        if self.start_windows is not None:
            _freeze(self, "start_windows", tuple(sorted((int(a), int(b)) for a, b in self.start_windows)))
        _check_ids(self)

    @cached_property
    def resource_by_id(self) -> dict[str, Resource]:
        return {r.id: r for r in self.resources}

    @cached_property
    def pool_by_id(self) -> dict[str, Pool]:
        return {p.id: p for p in self.pools}

    @cached_property
    def timeline(self):
        """A read-only index of the fixed work, built once per problem (used by earliest_slots)."""
        from scheduler.timeline import Timeline

        return Timeline(self)

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
