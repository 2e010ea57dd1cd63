"""A lower bound on weighted tardiness from a gap-assignment relaxation, solved with CP-SAT.

Each job is charged through its bottleneck, its longest stage, and, when that stage must follow the
previous one within `max_wait` (a seed train), also through that previous stage: the job's weight is
split between the two (any split gives a valid bound, since w·T = a·w·T + (1 - a)·w·T and each
stage's end plus the shortest rest of the job is at most the job's end). Among the fixed work a
stage can only run inside one free gap of one of its resources, or after the resource's last fixed
occupation (its "tail"). The relaxation picks one gap or tail per charged stage:

* the stages put in one gap must fit its length together (duration + turnaround each), and each
  costs at least its share of the tardiness when started at its earliest reachable start there;
* the stages in one tail run one after another from the first start any of them can reach, so their total
  weighted completion is at least that of Smith's order (shortest occupation per weight first).

A job's two charged stages take options only together where some end of the earlier can feed
some start of the later within max_wait (the real plan's pair always can). Pools, the capacity used
by uncharged stages, changeovers, and the order and timing inside a gap are left out, so the
relaxation's optimum, and any bound CP-SAT proves on it, is a lower bound of the real optimum.
Stages are split into components of resources they share (a job's charged stages together); the
components' bounds add up.
"""

from __future__ import annotations

import math
import time
from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass

from ortools.sat.python import cp_model

from scheduler.cpsat_solve import Limits, limited_solver
from scheduler.fixed_work import FixedWork
from scheduler.intervals import INF, Span, clip, complement, first_at_or_after, intersect, merge
from scheduler.model import Job, Problem
from scheduler.slots import chain_span, reachable_starts
from scheduler.staffed_idle import daily_waits, idle_line, least_idle

SHARES = 4  # a job's weight is charged in quarters
LINKED_SHARE = 1  # quarters charged to a stage the bottleneck must follow within max_wait
PAIRED = 300  # a tail's waits are counted among its first this many candidates in Smith's order
IDLE_STEPS = 24  # the idle time staffed hours force is computed over this many starts of a queue
PROVING = ("max_lp", "lb_tree_search", "default_lp", "core")  # CP-SAT's workers, the first ones used

Charged = tuple[str, int]  # job id, stage index


@dataclass(frozen=True)
class Option:
    """One place for a charged stage: gap `gap` of `resource`, or its tail when gap is None."""

    charged: Charged
    weight: int  # the job's weight × the quarters charged to this stage
    resource: str
    gap: int | None
    cost: int  # least charged tardiness there, for a gap or the front of the tail
    occupies: int  # duration + turnaround
    late_from: int  # duration + rest of the job - due: a start s is late by s + late_from
    starts: tuple[Span, ...]  # the stage's reachable starts inside this gap or tail
    duration: int
    staffed: bool  # the stage needs staff at its start


def gap_bound(problem: Problem, limits: Limits) -> int | None:
    """The relaxation's proven bound on weighted tardiness; None when some job has nowhere to go.

    `limits.seconds` is CP-SAT's deterministic time with one worker, else wall-clock time that
    includes finding every stage's options."""
    jobs = [j for j in problem.jobs if j.due is not None and j.weight > 0]
    if not jobs:
        return 0
    began = time.monotonic()
    fixed = problem.fixed_work
    lo = min(j.release for j in problem.jobs)
    zones = {r: fixed.zones_without_changeover(r) for r in fixed.resources}
    tails = {r: z[-1][1] if z else lo for r, z in zones.items()}
    gaps = {r: complement(z, lo, tails[r]) for r, z in zones.items()}
    options = {(j.id, k): _options(fixed, j, k, quarters, gaps, tails) for j in jobs for k, quarters in charges(j)}
    if not all(options.values()):
        return None
    links = {(j.id, k): wait for j in jobs for k, wait in _linked(j)}
    idle = _idle_lines(fixed, [o for found in options.values() for o in found if o.gap is None])
    components = sorted(_components(jobs), key=len)
    total, used = 0, 0.0 if limits.workers == 1 else time.monotonic() - began
    for i, component in enumerate(components):
        share = max(0.0, limits.seconds - used) / (len(components) - i)
        bound, took = _component_bound(
            [o for key in component for o in options[key]],
            gaps,
            links,
            idle,
            Limits(share, limits.workers, limits.seed),
        )
        total, used = total + bound, used + took
    return total // SHARES


def charges(job: Job) -> list[tuple[int, int]]:
    """(stage index, quarters of the weight) charged: the bottleneck, and the stage before it when
    the bottleneck must follow it within max_wait."""
    k = max(range(len(job.stages)), key=lambda i: (min(job.stages[i].options.values()), i))
    if k and job.stages[k].max_wait is not None:
        return [(k - 1, LINKED_SHARE), (k, SHARES - LINKED_SHARE)]
    return [(k, SHARES)]


def _linked(job: Job) -> list[tuple[int, int]]:
    """(stage index, max_wait) of a charged stage that must follow the other charged stage."""
    return [(k, w) for k, _ in charges(job)[1:] if (w := job.stages[k].max_wait) is not None]


def _options(
    fixed: FixedWork, job: Job, k: int, quarters: int, gaps: dict[str, list[Span]], tails: dict[str, int]
) -> list[Option]:
    assert job.due is not None  # only jobs with a due date are charged
    weight = job.weight * quarters
    rest = sum(min(s.options.values()) for s in job.stages[k + 1 :])
    staffed = job.stages[k].needs_staff
    reached = reachable_starts(fixed, job, k, fixed.settled_after(job.release) + 2 * chain_span(fixed, job))
    out = []
    for resource, starts in reached.items():
        duration = job.stages[k].options[resource]
        occupies = duration + fixed.resources[resource].turnaround
        late_from = duration + rest - job.due  # tardiness of a start s, before weight and max(0, ·)
        firsts = [g[0] for g in gaps[resource]]
        seen = set()
        for a, _ in starts:
            if a >= tails[resource]:
                break
            gap = bisect_right(firsts, a) - 1
            if gap not in seen:
                seen.add(gap)
                inside = tuple(clip(starts, *gaps[resource][gap]))
                cost = weight * max(0, a + late_from)
                out.append(
                    Option((job.id, k), weight, resource, gap, cost, occupies, late_from, inside, duration, staffed)
                )
        first = first_at_or_after(starts, tails[resource])
        if first is not None:
            cost, inside = weight * max(0, first + late_from), tuple(clip(starts, tails[resource], INF))
            out.append(
                Option((job.id, k), weight, resource, None, cost, occupies, late_from, inside, duration, staffed)
            )
    return out


def _components(jobs: list[Job]) -> list[list[Charged]]:
    """Charged stages grouped by the connected sets of resources they may use (a job's charged
    stages together, since they are linked)."""
    parent: dict[str, str] = {}

    def root(r: str) -> str:
        while parent.setdefault(r, r) != r:
            r = parent[r]
        return r

    charged = [(job, k) for job in jobs for k, _ in charges(job)]
    for job in jobs:
        first, *others = (r for k, _ in charges(job) for r in job.stages[k].options)
        for r in others:
            parent[root(r)] = root(first)
    groups: dict[str, list[Charged]] = defaultdict(list)
    for job, k in charged:
        groups[root(next(iter(job.stages[k].options)))].append((job.id, k))
    return list(groups.values())


def _component_bound(
    options: list[Option],
    gaps: dict[str, list[Span]],
    links: dict[Charged, int],
    idle: dict[str, tuple[int, int]],
    limits: Limits,
) -> tuple[int, float]:
    """CP-SAT's proven bound for one component, never below each stage's cheapest option, and the
    time it took (deterministic with one worker, else wall clock with the model's building)."""
    began = time.monotonic()
    model = cp_model.CpModel()
    chosen = {id(o): model.new_bool_var("") for o in options}
    by_stage: defaultdict[Charged, list[Option]] = defaultdict(list)
    in_gap: defaultdict[tuple[str, int], list[Option]] = defaultdict(list)
    in_tail: defaultdict[str, list[Option]] = defaultdict(list)
    for o in options:
        by_stage[o.charged].append(o)
        (in_tail[o.resource] if o.gap is None else in_gap[(o.resource, o.gap)]).append(o)
    for stage in by_stage.values():
        model.add_exactly_one(chosen[id(o)] for o in stage)
    _link_options(model, by_stage, chosen, links)
    for (resource, gap), placed in in_gap.items():
        a, b = gaps[resource][gap]
        if sum(o.occupies for o in placed) > b - a:
            model.add(sum(o.occupies * chosen[id(o)] for o in placed) <= b - a)
    costs = [o.cost * chosen[id(o)] for o in options if o.gap is not None]
    costs += [_tail_cost(model, queued, chosen, idle[resource]) for resource, queued in in_tail.items()]
    model.minimize(sum(costs))
    solver = _proving_solver(limits)
    status = solver.solve(model)
    took = solver.response_proto.deterministic_time if limits.workers == 1 else time.monotonic() - began
    cheapest = sum(min(o.cost for o in stage) for stage in by_stage.values())
    if status == cp_model.INFEASIBLE or not math.isfinite(solver.best_objective_bound):
        return cheapest, took
    return max(math.floor(solver.best_objective_bound + 1e-6), cheapest), took


def _proving_solver(limits: Limits) -> cp_model.CpSolver:
    """A solver whose workers prove bounds with the full linear relaxation (on this model it lifts the
    bound far above the default portfolio's in the same time)."""
    solver = limited_solver(limits)
    if limits.workers == 1:
        solver.parameters.linearization_level = 2
    else:
        solver.parameters.subsolvers.extend(PROVING)
    return solver


def _link_options(
    model: cp_model.CpModel,
    by_stage: dict[Charged, list[Option]],
    chosen: dict[int, cp_model.IntVar],
    links: dict[Charged, int],
) -> None:
    """A stage linked to the one before it by max_wait takes an option only together with an option of
    that stage from which some of its reachable starts can be reached (end, then at most max_wait)."""
    for (job, k), wait in links.items():
        feeding = [(_fed(o, wait), chosen[id(o)]) for o in by_stage.get((job, k - 1), [])]
        for later in by_stage.get((job, k), []):
            starts = list(later.starts)
            reached = [x for fed, x in feeding if fed[0][0] < starts[-1][1] and intersect(starts, fed)]
            model.add_bool_or(reached).only_enforce_if(chosen[id(later)])


def _idle_lines(fixed: FixedWork, queued: list[Option]) -> dict[str, tuple[int, int]]:
    """Per resource, the line below the idle time staffed hours force into its tail's queue; (0, 0)
    when some candidate needs no staff or starts are not restricted."""
    by_resource: defaultdict[str, list[Option]] = defaultdict(list)
    for o in queued:
        by_resource[o.resource].append(o)
    lines = {}
    for resource, candidates in by_resource.items():
        steps = min(len(candidates), PAIRED, IDLE_STEPS) - 1
        staffed = steps >= 1 and all(o.staffed for o in candidates)
        waits = daily_waits(fixed.windows, _opens(candidates)) if staffed else None
        lines[resource] = (
            (0, 0) if waits is None else idle_line(least_idle(waits, [o.occupies for o in candidates], steps))
        )
    return lines


def _opens(queued: list[Option]) -> int:
    """When a tail's queue can start at the earliest: no queued stage can start before."""
    return min(o.starts[0][0] for o in queued)


def _fed(earlier: Option, wait: int) -> list[Span]:
    """The starts of the next stage that an end of `earlier` can feed within `wait`."""
    d = earlier.duration
    return merge((a + d, b + d + wait) for a, b in earlier.starts)


def _tail_cost(
    model: cp_model.CpModel, queued: list[Option], chosen: dict[int, cp_model.IntVar], idle: tuple[int, int]
) -> cp_model.IntVar:
    """At least each queued stage's own front-of-tail cost, and at least Smith's order of the queue
    from the first start of any: every stage waits for the occupations of those ahead of it (pairs
    both in the tail; leaving out the pairs beyond the first PAIRED candidates keeps the model small
    and only lowers the bound), and for the idle time staffed hours force before it: at least
    slope·(k - 1) - offset before the k-th start, charged to the heaviest first (slope·Σ over pairs of
    the lighter weight - offset·Σ weights)."""
    slope, offset = idle
    queued = sorted(queued, key=lambda o: (o.occupies / o.weight, o.charged))
    opens = _opens(queued)
    smith = [(o.weight * (opens + o.late_from - offset), chosen[id(o)]) for o in queued]
    for i, ahead in enumerate(queued[:PAIRED]):
        for behind in queued[i + 1 : PAIRED]:
            both = model.new_bool_var("")
            model.add(both >= chosen[id(ahead)] + chosen[id(behind)] - 1)
            smith.append((behind.weight * ahead.occupies + slope * min(ahead.weight, behind.weight), both))
    fronts = [(o.cost, chosen[id(o)]) for o in queued]
    cost = model.new_int_var(0, max(sum(c for c, _ in fronts), sum(max(0, c) for c, _ in smith)), "")
    for terms in (fronts, smith):
        model.add(cost >= sum(c * x for c, x in terms))
    return cost
