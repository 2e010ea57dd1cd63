"""Placing one job with a chosen stage at a chosen start (a customer's picked slot)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from scheduler.model import Assignment, Job, Problem, Schedule
from scheduler.slots import earliest_slots
from scheduler.validate import validate


class SlotTaken(ValueError):
    """The chosen slot cannot hold the job; the message says why."""


def place_at(problem: Problem, job: Job, stage: int, resource: str, start: int) -> list[Assignment]:
    """The job's chain with `stage` on `resource` from `start`; earlier and later stages as early as fits."""
    options = job.stages[stage].options
    if resource not in options:
        raise SlotTaken(f"{resource} cannot run stage {stage} of {job.id}")
    pinned = Assignment(job.id, stage, resource, start, start + options[resource])
    chain = [pinned]
    for k in range(stage - 1, -1, -1):
        chain.insert(0, _before(problem, job, k, chain))
    for k in range(stage + 1, len(job.stages)):
        chain.append(_after(problem, job, k, chain))
    only = replace(
        job,
        stages=[
            replace(s, options={a.resource: s.options[a.resource]}) for s, a in zip(job.stages, chain, strict=True)
        ],
    )
    errors = validate(_with_jobs(problem, [only]), Schedule(chain, "feasible", None, None))
    if errors:
        known = set(validate(_with_jobs(problem, []), Schedule([], "fixed", None, None)))
        errors = [e for e in errors if e not in known]  # work already broken elsewhere is not this slot's fault
    if errors:
        raise SlotTaken(errors[0])
    return chain


def _with_jobs(
    problem: Problem, jobs: list[Job], fixed: Sequence[Assignment] = (), described: Sequence[Job] = ()
) -> Problem:
    return Problem(
        problem.resources,
        jobs,
        [*problem.fixed, *fixed],
        problem.start_windows,
        problem.pools,
        [*problem.fixed_jobs, *described],
    )


def _sub_job(job: Job, k: int, release: int) -> Job:
    return Job(f"{job.id}#{k}", [job.stages[k]], release=max(release, 0), family=job.family)


def _placed_so_far(job: Job, chain: list[Assignment]) -> tuple[list[Assignment], list[Job]]:
    """The chain so far as fixed work, described by one-stage jobs so that its demands count."""
    fixed = [replace(a, job=f"{job.id}#{a.stage}", stage=0) for a in chain]
    described = [Job(f"{job.id}#{a.stage}", [job.stages[a.stage]], family=job.family) for a in chain]
    return fixed, described


def _before(problem: Problem, job: Job, k: int, chain: list[Assignment]) -> Assignment:
    """Stage k ending at most its successor's max_wait before the successor starts."""
    successor = chain[0]
    wait = job.stages[k + 1].max_wait or 0
    longest = max(job.stages[k].options.values())
    fixed, described = _placed_so_far(job, chain)
    search = _with_jobs(problem, [], fixed, described)
    for found in earliest_slots(search, _sub_job(job, k, successor.start - longest - wait), limit=20):
        a = found[0]
        if successor.start - wait <= a.end <= successor.start:
            return Assignment(job.id, k, a.resource, a.start, a.end)
    raise SlotTaken(f"stage {k} of {job.id} finds no free vessel ending by {successor.start}")


def _after(problem: Problem, job: Job, k: int, chain: list[Assignment]) -> Assignment:
    """Stage k as early as possible after its predecessor, within its max_wait."""
    predecessor = chain[-1]
    fixed, described = _placed_so_far(job, chain)
    search = _with_jobs(problem, [], fixed, described)
    found = earliest_slots(search, _sub_job(job, k, predecessor.end), limit=1)
    limit = job.stages[k].max_wait
    if not found or (limit is not None and found[0][0].start > predecessor.end + limit):
        raise SlotTaken(f"stage {k} of {job.id} finds no free unit within {limit} min of stage {k - 1}")
    a = found[0][0]
    return Assignment(job.id, k, a.resource, a.start, a.end)
