"""Seeded pinned work and instances for the benchmarks."""

from __future__ import annotations

import heapq
import random
from collections.abc import Sequence

from bench.scheduler.plant import DAY, FAMILIES, random_request, staffed_windows
from scheduler import Assignment, Job, Problem, Stage
from scheduler.intervals import first_at_or_after
from scheduler.inventory import Vessel, minutes
from scheduler.rules import Policy, Request, demands, pools_for, resources_for
from scheduler.timeline import Timeline


def pinned_work(
    rng: random.Random, vessels: Sequence[Vessel], count: int, policy: Policy, idle_mean_h: float, windows
) -> tuple[list[Assignment], list[Job]]:
    """`count` confirmed batches placed in time order across all vessels, respecting every rule."""
    empty = Problem(resources_for(vessels), [], start_windows=windows, pools=pools_for(policy))
    timeline = Timeline(empty.fixed_work)
    cursors = [(rng.randrange(0, DAY), i) for i in range(len(vessels))]
    heapq.heapify(cursors)
    fixed, jobs = [], []
    while len(fixed) < count:
        t, i = heapq.heappop(cursors)
        vessel = vessels[i]
        hours = rng.choice([16, 24, 36, 48]) if vessel.kind != "downstream" else rng.choice([2, 4, 6, 8])
        stage = Stage({vessel.code: hours * 60}, needs_staff=vessel.kind != "downstream", demands=demands(policy))
        job = Job(f"P{len(fixed)}", [stage], family=rng.choice(FAMILIES))
        start = first_at_or_after(timeline.start_set(vessel.code, job, stage, t, t + 60 * DAY), t)
        if start is None:
            heapq.heappush(cursors, (t + 60 * DAY, i))
            continue
        placed = Assignment(job.id, 0, vessel.code, start, start + hours * 60)
        timeline.add(placed, job)
        fixed.append(placed)
        jobs.append(job)
        idle = int(rng.expovariate(1 / idle_mean_h) * 60)
        heapq.heappush(cursors, (placed.end + minutes(vessel.turnaround_h) + idle, i))
    return fixed, jobs


def pinned_problem(
    vessels: Sequence[Vessel], policy: Policy, count: int, seed: int, idle_mean_h: float, jobs: Sequence[Job] = ()
) -> Problem:
    rng = random.Random(seed)
    windows = staffed_windows(3 * 365)
    fixed, fixed_jobs = pinned_work(rng, vessels, count, policy, idle_mean_h, windows)
    return Problem(
        resources_for(vessels), list(jobs), fixed, start_windows=windows, pools=pools_for(policy), fixed_jobs=fixed_jobs
    )


def open_requests(seed: int, count: int, release_until: int, slack_h: tuple[float, float]) -> list[Request]:
    rng = random.Random(seed)
    return [
        random_request(rng, f"R{i}", rng.randrange(0, release_until), rng.uniform(*slack_h), chained=False)
        for i in range(count)
    ]
