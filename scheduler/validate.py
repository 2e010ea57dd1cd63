"""An independent checker: every broken constraint of a schedule, in words.

Written without the optimiser's or the slot search's helpers, so that it can catch their bugs.
"""

from __future__ import annotations

from itertools import pairwise

from scheduler.model import Assignment, Job, Problem, Schedule


def validate(problem: Problem, schedule: Schedule) -> list[str]:
    """Every broken constraint of `schedule` (plus the problem's fixed work); empty when valid."""
    placed = list(schedule.assignments)
    errors = _coverage(problem, placed)
    known = {j.id: j for j in problem.jobs}
    usable = [a for a in placed if a.job in known and 0 <= a.stage < len(known[a.job].stages)]
    errors += _stage_rules(problem, known, usable)
    errors += _chains(known, usable)
    everything = usable + list(problem.fixed)
    families = {j.id: j.family for j in (*problem.fixed_jobs, *problem.jobs)}
    errors += _resources(problem, everything, families)
    errors += _pools(problem, everything, {**problem.fixed_job_by_id, **known})
    return errors


def _coverage(problem: Problem, placed: list[Assignment]) -> list[str]:
    errors = []
    jobs = {j.id: j for j in problem.jobs}
    seen: dict[tuple[str, int], int] = {}
    for a in placed:
        seen[(a.job, a.stage)] = seen.get((a.job, a.stage), 0) + 1
        if a.job not in jobs:
            errors.append(f"{a.job} is not a job of this problem")
        elif not 0 <= a.stage < len(jobs[a.job].stages):
            errors.append(f"{a.job} has no stage {a.stage}")
    for job in problem.jobs:
        for k in range(len(job.stages)):
            count = seen.get((job.id, k), 0)
            if count != 1:
                errors.append(f"{job.id} stage {k} is placed {count} times, not once")
    return errors


def _stage_rules(problem: Problem, jobs: dict[str, Job], placed: list[Assignment]) -> list[str]:
    errors = []
    windows = problem.start_windows
    for a in placed:
        job = jobs[a.job]
        stage = job.stages[a.stage]
        name = f"{a.job} stage {a.stage}"
        if a.resource not in stage.options:
            errors.append(f"{name} runs on {a.resource}, which is not one of its options")
        elif a.end - a.start != stage.options[a.resource]:
            errors.append(f"{name} lasts {a.end - a.start} min on {a.resource}, not {stage.options[a.resource]}")
        if a.start < job.release:
            errors.append(f"{name} starts at {a.start}, before its release at {job.release}")
        if stage.needs_staff and windows is not None and not any(lo <= a.start < hi for lo, hi in windows):
            errors.append(f"{name} starts at {a.start}, outside the staffed start windows")
    return errors


def _chains(jobs: dict[str, Job], placed: list[Assignment]) -> list[str]:
    errors = []
    by_stage = {(a.job, a.stage): a for a in placed}
    for (job_id, k), a in by_stage.items():
        before = by_stage.get((job_id, k - 1))
        if before is None:
            continue
        gap = a.start - before.end
        if gap < 0:
            errors.append(f"{job_id} stage {k} starts at {a.start}, before stage {k - 1} ends at {before.end}")
        limit = jobs[job_id].stages[k].max_wait
        if limit is not None and gap > limit:
            errors.append(f"{job_id} stage {k} waits {gap} min after stage {k - 1}, more than the allowed {limit}")
    return errors


def _resources(problem: Problem, placed: list[Assignment], families: dict[str, str | None]) -> list[str]:
    errors = []
    by_resource: dict[str, list[Assignment]] = {}
    for a in placed:
        by_resource.setdefault(a.resource, []).append(a)
    for resource in problem.resources:
        mine = sorted(by_resource.get(resource.id, []), key=lambda a: (a.start, a.end))
        for a in mine:
            free_from = a.end + resource.turnaround
            for lo, hi in resource.blocked:
                if a.start < hi and lo < free_from:
                    errors.append(
                        f"{a.job} stage {a.stage} on {resource.id} [{a.start}, {free_from}) "
                        f"incl. turnaround overlaps the blocked window [{lo}, {hi})"
                    )
        for a, b in pairwise(mine):
            changes = families.get(a.job) != families.get(b.job)
            free_from = a.end + resource.turnaround + (resource.changeover if changes else 0)
            if b.start < free_from:
                why = "turnaround and changeover" if changes else "turnaround"
                errors.append(
                    f"{b.job} stage {b.stage} starts on {resource.id} at {b.start}, before "
                    f"{a.job} stage {a.stage} and its {why} end at {free_from}"
                )
    return errors


def _pools(problem: Problem, placed: list[Assignment], jobs: dict[str, Job]) -> list[str]:
    errors = []
    turnaround = {r.id: r.turnaround for r in problem.resources}
    for pool in problem.pools:
        events: dict[int, int] = {}
        for a in placed:
            job = jobs.get(a.job)
            if job is None or a.stage >= len(job.stages):
                continue
            for d in job.stages[a.stage].demands:
                if d.pool != pool.id:
                    continue
                lo = (a.start if d.anchor == "start" else a.end) + d.offset
                hi = lo + (turnaround[a.resource] if d.length is None else d.length)
                if hi > lo and d.amount:
                    events[lo] = events.get(lo, 0) + d.amount
                    events[hi] = events.get(hi, 0) - d.amount
        level = 0
        for t in sorted(events):
            level += events[t]
            if level > pool.capacity:
                errors.append(f"pool {pool.id} uses {level} from {t}, over its capacity {pool.capacity}")
    return errors
