"""What a repair may touch: the broken (disrupted) jobs, the movable unstarted ones, the pinned rest.

Confirmed work is the problem's `fixed` assignments; a job can move only when `fixed_jobs` describes
it fully (every stage with its resource options, release, due date and weight, as `rules.job_for`
builds it) and its placement is one of those options.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import cached_property
from itertools import pairwise

from scheduler.model import Assignment, Job, Problem, Stage
from scheduler.slots import _own_demands_fit
from scheduler.timeline import Timeline


@dataclass(frozen=True)
class Scope:
    """A problem split for a repair at `pinned_until` (nothing may start before it); every job that
    is neither disrupted nor movable stays where it is."""

    problem: Problem
    disrupted: tuple[str, ...]
    movable: tuple[str, ...]
    pinned_until: int

    @cached_property
    def placements(self) -> dict[str, list[Assignment]]:
        """Current assignments of every confirmed job, by stage."""
        return placements_of(self.problem.fixed)

    def job(self, job_id: str) -> Job:
        """The job's description with its release raised to `pinned_until`."""
        job = self.problem.fixed_job_by_id[job_id]
        return replace(job, release=max(job.release, self.pinned_until))

    @cached_property
    def reaching(self) -> tuple[Assignment, ...]:
        """The current assignments whose occupation, changeover or pool use lasts past `pinned_until`
        (the others cannot meet anything placed from then on)."""
        return tuple(a for a in self.problem.fixed if _reach(self.problem, a) > self.pinned_until)

    def subproblem(self, free: Iterable[str], *, everything: bool = False) -> Problem:
        """The `free` jobs to place, with the rest at its current place (disrupted work removed; only
        work reaching past `pinned_until` unless `everything`)."""
        free = list(free)
        leave = set(free) | set(self.disrupted)
        p = self.problem
        kept = [a for a in (p.fixed if everything else self.reaching) if a.job not in leave]
        described = {a.job for a in kept} | leave
        fixed_jobs = [j for j in p.fixed_jobs if j.id in described]
        return Problem(p.resources, [self.job(j) for j in free], kept, p.start_windows, p.pools, fixed_jobs)


def scope_of(problem: Problem, disrupted: Iterable[str], pinned_until: int) -> Scope:
    """Split the problem; raises ValueError for an unknown or undescribed disrupted job."""
    placed = placements_of(problem.fixed)
    described = problem.fixed_job_by_id
    broken = tuple(dict.fromkeys(disrupted))
    for job_id in broken:
        job = described.get(job_id)
        if job_id not in placed or job is None or not _stage_count_matches(job, placed[job_id]):
            raise ValueError(f"disrupted job {job_id} is not confirmed work with a description of its stages")
    movable = tuple(
        j
        for j, stages in placed.items()
        if j not in broken and stages[0].start >= pinned_until and _fits_description(described.get(j), stages)
    )
    return Scope(problem, broken, movable, pinned_until)


def _reach(problem: Problem, a: Assignment) -> int:
    """The last minute an assignment occupies its resource (with a changeover) or uses a pool."""
    resource = problem.resource_by_id[a.resource]
    job = problem.fixed_job_by_id.get(a.job)
    demands = job.stages[a.stage].demands if job is not None and a.stage < len(job.stages) else ()
    ends = [d.window(a.start, a.end, resource.turnaround)[1] for d in demands]
    return max([a.end + resource.turnaround + resource.changeover, *ends])


def placements_of(assignments: Iterable[Assignment]) -> dict[str, list[Assignment]]:
    """Assignments grouped by job, each job's in stage order."""
    out: dict[str, list[Assignment]] = {}
    for a in sorted(assignments, key=lambda a: (a.job, a.stage)):
        out.setdefault(a.job, []).append(a)
    return out


def _fits_description(job: Job | None, stages: list[Assignment]) -> bool:
    """The description has these stages, each placement one of its options with its duration."""
    if job is None or not _stage_count_matches(job, stages):
        return False
    return all(job.stages[a.stage].options.get(a.resource) == a.end - a.start for a in stages)


def broken_jobs(problem: Problem) -> list[str]:
    """Confirmed jobs whose placement no longer holds (a blocked window, a vessel out of service as
    a window ending at `intervals.INF`, an overlap with earlier work that was extended, a pool over capacity).

    Jobs are taken in order of their first start; one that does not fit among the earlier ones that
    do is broken, so the earlier (usually running) work is kept. The rest passes `validate`.
    """
    timeline = Timeline(Problem(problem.resources, [], pools=problem.pools).fixed_work)
    described = problem.fixed_job_by_id
    broken = []
    for job_id, stages in sorted(placements_of(problem.fixed).items(), key=lambda item: item[1][0].start):
        job = described.get(job_id)
        job = job if job is not None and _stage_count_matches(job, stages) else _bare(job_id, stages)
        if _fits_among(timeline, job, stages):
            for a in stages:
                timeline.add(a, job)
        else:
            broken.append(job_id)
    return broken


def _bare(job_id: str, stages: list[Assignment]) -> Job:
    """An undescribed job's stages: where and how long they were placed, no pool use."""
    return Job(job_id, [Stage({a.resource: a.end - a.start}) for a in stages])


def _stage_count_matches(job: Job, stages: list[Assignment]) -> bool:
    return [a.stage for a in stages] == list(range(len(job.stages)))


def _fits_among(timeline: Timeline, job: Job, stages: list[Assignment]) -> bool:
    """Each stage clear of blocked windows and others' work, in order, and the pools within capacity."""
    for before, after in pairwise(stages):
        if after.start < before.end:
            return False
    for i, a in enumerate(stages):
        occupied = (a.start, a.end + timeline.resources[a.resource].turnaround)
        if any(lo < occupied[1] and occupied[0] < hi for lo, hi in timeline.zones(a.resource, job.family, *occupied)):
            return False
        if any(
            b.resource == a.resource and b.start < occupied[1] and a.start < _occupied_end(timeline, b)
            for b in stages[:i]
        ):
            return False
    return _own_demands_fit(timeline, job, stages)


def _occupied_end(timeline: Timeline, a: Assignment) -> int:
    return a.end + timeline.resources[a.resource].turnaround
