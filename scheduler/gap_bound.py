"""A lower bound on weighted tardiness from a gap-assignment relaxation, solved with CP-SAT.

Each job is reduced to its bottleneck, its longest stage. Among the fixed work that stage can only run
inside one free gap of one of its resources, or after the resource's last fixed occupation (its
"tail"). The relaxation picks one gap or tail per job:

* the jobs put in one gap must fit its length together (duration + turnaround each), and each costs
  at least its tardiness when started at its earliest reachable start in that gap;
* the jobs in one tail run one after another from the last fixed occupation, so their total weighted
  completion is at least that of Smith's order (shortest occupation per weight first).

Pools, the capacity used by the other stages, changeovers and the order inside a gap are left out, so
the relaxation's optimum, and any bound CP-SAT proves on it, is a lower bound of the real optimum.
Jobs are split into components of resources their bottlenecks share; the components' bounds add up.
"""

from __future__ import annotations

import math
import time
from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass

from ortools.sat.python import cp_model

from .cpsat_solve import Limits, limited_solver
from .intervals import Span, complement, first_at_or_after
from .model import Job, Problem
from .slots import chain_span, reachable_starts
from .timeline import Timeline


@dataclass(frozen=True)
class Option:
    """One place for a job's bottleneck: gap `gap` of `resource`, or its tail when gap is None."""

    job: Job
    resource: str
    gap: int | None
    cost: int  # least weighted tardiness there, for a gap or the front of the tail
    occupies: int  # duration + turnaround
    before_due: int  # tail only: weight × (tail start + duration + rest of the job - due)


def gap_bound(problem: Problem, limits: Limits) -> int | None:
    """The relaxation's proven bound on weighted tardiness; None when some job has nowhere to go."""
    jobs = [j for j in problem.jobs if j.due is not None and j.weight > 0]
    if not jobs:
        return 0
    timeline = problem.timeline
    lo = min(j.release for j in problem.jobs)
    zones = {r: timeline.zones_without_changeover(r) for r in timeline.resources}
    tails = {r: z[-1][1] if z else lo for r, z in zones.items()}
    gaps = {r: complement(z, lo, tails[r]) for r, z in zones.items()}
    options = {j.id: _options(timeline, j, gaps, tails) for j in jobs}
    if not all(options.values()):
        return None
    components = sorted(_components(jobs), key=len)
    total, used = 0, 0.0
    for i, component in enumerate(components):
        share = max(0.0, limits.seconds - used) / (len(components) - i)
        bound, took = _component_bound([o for j in component for o in options[j.id]], gaps,
                                       Limits(share, limits.workers, limits.seed))
        total, used = total + bound, used + took
    return total


def bottleneck(job: Job) -> int:
    """Index of the job's longest stage (by its shortest option)."""
    return max(range(len(job.stages)), key=lambda k: (min(job.stages[k].options.values()), -k))


def _options(timeline: Timeline, job: Job, gaps: dict[str, list[Span]], tails: dict[str, int]) -> list[Option]:
    k = bottleneck(job)
    rest = sum(min(s.options.values()) for s in job.stages[k + 1:])
    horizon = max(timeline.last_event(), job.release, timeline.windows[-1][1] if timeline.windows else 0)
    reached = reachable_starts(timeline, job, k, horizon + 2 * chain_span(timeline, job))
    out = []
    for resource, starts in reached.items():
        duration = job.stages[k].options[resource]
        occupies = duration + timeline.resources[resource].turnaround
        late_from = duration + rest - job.due  # tardiness of a start s, before weight and max(0, ·)
        firsts = [g[0] for g in gaps[resource]]
        seen = set()
        for a, _ in starts:
            if a >= tails[resource]:
                break
            gap = bisect_right(firsts, a) - 1
            if gap not in seen:
                seen.add(gap)
                out.append(Option(job, resource, gap, job.weight * max(0, a + late_from), occupies, 0))
        first = first_at_or_after(starts, tails[resource])
        if first is not None:
            out.append(Option(job, resource, None, job.weight * max(0, first + late_from), occupies,
                              job.weight * (tails[resource] + late_from)))
    return out


def _components(jobs: list[Job]) -> list[list[Job]]:
    """Jobs grouped by the connected sets of resources their bottlenecks may use."""
    parent: dict[str, str] = {}

    def root(r: str) -> str:
        while parent.setdefault(r, r) != r:
            r = parent[r]
        return r

    for job in jobs:
        first, *others = job.stages[bottleneck(job)].options
        for r in others:
            parent[root(r)] = root(first)
    groups: dict[str, list[Job]] = defaultdict(list)
    for job in jobs:
        groups[root(next(iter(job.stages[bottleneck(job)].options)))].append(job)
    return list(groups.values())


def _component_bound(options: list[Option], gaps: dict[str, list[Span]], limits: Limits) -> tuple[int, float]:
    """CP-SAT's proven bound for one component, never below each job's cheapest option, and the time
    it took (deterministic with one worker, else wall clock with the model's building)."""
    began = time.monotonic()
    cheapest: dict[str, int] = {}
    for o in options:
        cheapest[o.job.id] = min(cheapest.get(o.job.id, o.cost), o.cost)
    model = cp_model.CpModel()
    chosen = {id(o): model.new_bool_var("") for o in options}
    by_job, in_gap, in_tail = defaultdict(list), defaultdict(list), defaultdict(list)
    for o in options:
        by_job[o.job.id].append(chosen[id(o)])
        (in_tail[o.resource] if o.gap is None else in_gap[(o.resource, o.gap)]).append(o)
    for choices in by_job.values():
        model.add_exactly_one(choices)
    for (resource, gap), placed in in_gap.items():
        a, b = gaps[resource][gap]
        if sum(o.occupies for o in placed) > b - a:
            model.add(sum(o.occupies * chosen[id(o)] for o in placed) <= b - a)
    costs = [o.cost * chosen[id(o)] for o in options if o.gap is not None]
    for resource, queued in in_tail.items():
        costs.append(_tail_cost(model, queued, chosen))
    model.minimize(sum(costs))
    solver = limited_solver(limits)
    status = solver.solve(model)
    took = solver.response_proto.deterministic_time if limits.workers == 1 else time.monotonic() - began
    proven = solver.best_objective_bound
    if status == cp_model.INFEASIBLE or not math.isfinite(proven):
        return sum(cheapest.values()), took
    return max(math.floor(proven + 1e-6), sum(cheapest.values())), took


def _tail_cost(model: cp_model.CpModel, queued: list[Option], chosen):
    """At least each queued job's own front-of-tail cost, and at least Smith's order of the queue:
    every job waits for the occupations of those ahead of it (pairs both in the tail)."""
    cost = model.new_int_var(-(2**50), 2**50, "")
    model.add(cost >= sum(o.cost * chosen[id(o)] for o in queued))
    queued = sorted(queued, key=lambda o: (o.occupies / o.job.weight, o.job.id))
    waits = []
    for i, ahead in enumerate(queued):
        for behind in queued[i + 1:]:
            both = model.new_bool_var("")
            model.add(both >= chosen[id(ahead)] + chosen[id(behind)] - 1)
            waits.append(behind.job.weight * ahead.occupies * both)
    model.add(cost >= sum(o.before_due * chosen[id(o)] for o in queued) + sum(waits))
    return cost
