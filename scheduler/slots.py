"""Earliest placements of one job's chain of stages among existing work (no solver)."""

from __future__ import annotations

import heapq
from itertools import pairwise

from scheduler.fixed_work import Occupancy
from scheduler.intervals import INF, Span, clip, first_at_or_after, intersect, merge, shift
from scheduler.model import Assignment, Job, Problem

RETRIES = 500  # extra first-stage starts tried when the job's own demands clash


def earliest_slots(problem: Problem, job: Job, *, limit: int = 5) -> list[list[Assignment]]:
    """The earliest feasible chains for `job` among the problem's fixed work, earliest first."""
    for stage in job.stages:
        unknown = set(stage.options) - set(problem.resource_by_id)
        if unknown:
            raise ValueError(f"job {job.id} names unknown resources {sorted(unknown)}")
    return search(problem.fixed_work, job, limit)


def search(timeline: Occupancy, job: Job, limit: int) -> list[list[Assignment]]:
    """Grow the search horizon until `limit` chains are certain (or nothing more can exist)."""
    span = chain_span(timeline, job)
    end_of_everything = timeline.settled_after(job.release) + span
    lo, width = job.release, 4 * span
    while True:
        hi = job.release + width
        found = _chains_in(timeline, job, lo, hi, limit)
        if hi >= end_of_everything + span:
            return found[:limit]
        sure = [c for c in found if c[0].start + span <= hi]
        if len(sure) >= limit:
            return sure[:limit]
        if not found:  # no chain starts before hi - span: search only from there on
            lo = max(lo, hi - span)
        width *= 4


def chain_span(timeline: Occupancy, job: Job) -> int:
    """An upper bound on how far a chain's occupations and demands reach past its first start."""
    total = 0
    for stage in job.stages:
        longest = 0
        for resource, duration in stage.options.items():
            r = timeline.resources[resource]
            reach = max([0] + [abs(d.offset) + (d.length or r.turnaround) for d in stage.demands])
            longest = max(longest, duration + r.turnaround + r.changeover + reach)
        total += longest + (stage.max_wait or 0)
    return total + 1


def _chains_in(timeline: Occupancy, job: Job, lo: int, hi: int, limit: int) -> list[list[Assignment]]:
    feasible = _backward_sets(timeline, job, lo, hi)
    candidates = [
        (a, rank, resource) for rank, resource in enumerate(job.stages[0].options) for a, _ in feasible[0][resource]
    ]
    heapq.heapify(candidates)
    chains: list[list[Assignment]] = []
    retries = RETRIES
    while candidates and len(chains) < limit:
        start, rank, resource = heapq.heappop(candidates)
        chain = _forward(timeline, job, feasible, resource, start)
        if chain:
            chains.append(chain)
        elif retries:  # the job's own demands clashed: try the next minute of that free interval
            retries -= 1
            later = first_at_or_after(feasible[0][resource], start + 1)
            if later is not None and later == start + 1:
                heapq.heappush(candidates, (later, rank, resource))
    return chains


def _backward_sets(timeline: Occupancy, job: Job, lo: int, hi: int) -> list[dict[str, list[Span]]]:
    """Per stage and resource: starts from which the rest of the chain can still be completed."""
    stages = job.stages
    start_lo = max(lo, job.release)
    sets: list[dict[str, list[Span]]] = [{} for _ in stages]
    for k in range(len(stages) - 1, -1, -1):
        ends = None if k == len(stages) - 1 else _ends_reaching(sets[k + 1], stages[k + 1].max_wait)
        for resource, duration in stages[k].options.items():
            starts = timeline.start_set(resource, job, stages[k], start_lo, hi)
            if ends is not None:
                starts = intersect(starts, shift(ends, -duration))
            sets[k][resource] = starts
    return sets


def reachable_starts(timeline: Occupancy, job: Job, k: int, hi: int) -> dict[str, list[Span]]:
    """Per resource: starts of stage k that some chain among the timeline's work can reach
    (every stage fits there; the job's own pool use and resource reuse are not checked)."""
    sets = _backward_sets(timeline, job, job.release, hi)
    reached = sets[0]
    for i in range(1, k + 1):
        ends = merge(
            s for resource, spans in reached.items() for s in shift(spans, job.stages[i - 1].options[resource])
        )
        wait = job.stages[i].max_wait
        after = [] if not ends else [(ends[0][0], INF)] if wait is None else merge((a, b + wait) for a, b in ends)
        reached = {resource: intersect(spans, after) for resource, spans in sets[i].items()}
    return reached


def _ends_reaching(next_starts: dict[str, list[Span]], max_wait: int | None) -> list[Span]:
    """Ends of a stage from which some start in `next_starts` is within max_wait."""
    starts = merge(s for spans in next_starts.values() for s in spans)
    if not starts:
        return []
    if max_wait is None:
        return [(-INF, starts[-1][1])]
    return merge((a - max_wait, b) for a, b in starts)


def _forward(
    timeline: Occupancy, job: Job, feasible: list[dict[str, list[Span]]], resource: str, start: int
) -> list[Assignment] | None:
    """Build the chain from a first start, taking each next stage as early as possible."""
    chain = [Assignment(job.id, 0, resource, start, start + job.stages[0].options[resource])]
    if not _own_demands_fit(timeline, job, chain):
        return None
    for k in range(1, len(job.stages)):
        stage, ready = job.stages[k], chain[-1].end
        latest = INF if stage.max_wait is None else ready + stage.max_wait + 1
        best: tuple[int, str] | None = None
        for option in stage.options:
            earliest = max(
                [ready] + [a.end + timeline.resources[option].turnaround for a in chain if a.resource == option]
            )
            allowed = clip(feasible[k][option], earliest, latest)
            s = first_at_or_after(allowed, earliest)
            while s is not None and not _own_demands_fit(
                timeline, job, chain + [Assignment(job.id, k, option, s, s + stage.options[option])]
            ):
                s = first_at_or_after(allowed, s + 1)
            if s is not None and (best is None or s < best[0]):
                best = (s, option)
        if best is None:
            return None
        s, option = best
        chain.append(Assignment(job.id, k, option, s, s + stage.options[option]))
    return chain


def _own_demands_fit(timeline: Occupancy, job: Job, chain: list[Assignment]) -> bool:
    """Check the chain's own demands together with what is already on each pool."""
    pieces: dict[str, list[tuple[int, int, int]]] = {}
    for a in chain:
        turnaround = timeline.resources[a.resource].turnaround
        for d in job.stages[a.stage].demands:
            begin, end = d.window(a.start, a.end, turnaround)
            if end > begin and d.amount:
                pieces.setdefault(d.pool, []).append((begin, end, d.amount))
    for pool, own in pieces.items():
        cuts = sorted({t for begin, end, _ in own for t in (begin, end)})
        for lo, hi in pairwise(cuts):
            level = sum(amount for begin, end, amount in own if begin < hi and lo < end)
            if level and timeline.max_usage(pool, lo, hi) + level > timeline.capacity[pool]:
                return False
    return True
