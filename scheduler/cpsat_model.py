"""The CP-SAT model: one start per stage, an optional interval per (stage, resource option)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Literal

from ortools.sat.python import cp_model

from scheduler.fixed_work import FixedWork
from scheduler.intervals import INF, Span, clip, merge
from scheduler.model import Job, Problem, Stage
from scheduler.slots import chain_span

Presence = cp_model.IntVar | Literal[True]  # True for a stage's only option


@dataclass
class StageVars:
    """Decision variables of one stage."""

    job: Job
    index: int
    start: cp_model.IntVar
    end: cp_model.IntVar
    present: dict[str, Presence]
    window: tuple[int, int] = (0, INF)  # earliest start, latest end of occupation

    @property
    def stage(self) -> Stage:
        return self.job.stages[self.index]


@dataclass
class Occupying:
    """One optional occupation of a resource."""

    vars: StageVars
    resource: str
    interval: cp_model.IntervalVar


@dataclass
class Built:
    model: cp_model.CpModel
    stages: dict[tuple[str, int], StageVars]
    job_ends: dict[str, cp_model.IntVar]
    objective: cp_model.LinearExpr | int = 0
    scale: int = 1
    interval_ends: bool = False  # each option's interval sets the stage's end (no linear end constraint)
    occupying: dict[str, list[Occupying]] = field(default_factory=lambda: defaultdict(list))


def build(
    problem: Problem, end_limits: dict[str, int], window: Span = (-INF, INF), interval_ends: bool = False
) -> Built:
    """Variables and constraints; `end_limits` caps job completion (from a known plan's objective).

    Every stage starts at or after window[0] and ends by window[1]; fixed work and pool use far
    outside the window cannot interact with the stages and is left out of the model.
    `interval_ends`: a stage's end is tied to its start by its options' intervals alone, the plain
    flexible-shop form, which CP-SAT searches better for a plain shop's makespan; otherwise by one
    linear equation over the options, the form every other solve (tardiness, LNS, repair) was
    measured with.
    """
    model, fixed = cp_model.CpModel(), problem.fixed_work
    horizon = min(_horizon(problem, fixed), window[1])
    built = Built(model, {}, {}, interval_ends=interval_ends)
    for job in problem.jobs:
        _add_job(built, problem, fixed, job, (window[0], horizon), end_limits.get(job.id, horizon))
    pad = max(chain_span(fixed, job) for job in problem.jobs) if problem.jobs else 0
    reach = (window[0] - pad, horizon + pad)
    for resource in problem.resources:
        _add_resource(built, fixed, resource.id, reach)
    for pool in problem.pools:
        _add_pool(built, fixed, pool.id, pool.capacity, reach)
    return built


def _horizon(problem: Problem, fixed: FixedWork) -> int:
    last = fixed.settled_after(max((j.release for j in problem.jobs), default=0))
    return last + sum(chain_span(fixed, job) for job in problem.jobs) + 1


def _start_domain(problem: Problem, stage: Stage, lo: int, hi: int) -> cp_model.Domain:
    if not stage.needs_staff or problem.start_windows is None:
        return cp_model.Domain(lo, hi)
    spans = [(max(a, lo), min(b, hi + 1)) for a, b in merge(problem.start_windows)]
    return cp_model.Domain.from_intervals([[a, b - 1] for a, b in spans if a < b])


def _add_job(built: Built, problem: Problem, fixed: FixedWork, job: Job, window: Span, limit: int) -> None:
    model = built.model
    shortest = [min(s.options.values()) for s in job.stages]
    previous: StageVars | None = None
    release, horizon = max(job.release, window[0]), window[1]
    for k, stage in enumerate(job.stages):
        earliest = release + sum(shortest[:k])
        latest_end = min(horizon, limit - sum(shortest[k + 1 :]))
        domain = _start_domain(problem, stage, earliest, max(earliest, latest_end - shortest[k]))
        start = model.new_int_var_from_domain(
            domain if not domain.is_empty() else cp_model.Domain(0, 0), f"s_{job.id}_{k}"
        )
        if domain.is_empty():
            model.add(start == 1)  # no allowed start at all: infeasible
        end = model.new_int_var(earliest, max(earliest, latest_end), f"e_{job.id}_{k}")
        vars = StageVars(job, k, start, end, {}, (earliest, latest_end))
        _add_options(built, fixed, vars)
        if previous is not None:
            model.add(start >= previous.end)
            if stage.max_wait is not None:
                model.add(start <= previous.end + stage.max_wait)
        built.stages[(job.id, k)] = previous = vars
    assert previous is not None  # a job has at least one stage
    built.job_ends[job.id] = previous.end


def _add_options(built: Built, fixed: FixedWork, vars: StageVars) -> None:
    model, options = built.model, vars.stage.options
    if len(options) == 1:
        vars.present = {next(iter(options)): True}
    else:
        vars.present = {r: model.new_bool_var(f"p_{vars.job.id}_{vars.index}_{r}") for r in options}
        model.add_exactly_one(vars.present.values())
    if not built.interval_ends:
        model.add(vars.end == vars.start + sum(d * as_int(vars.present[r]) for r, d in options.items()))
    for resource, duration in options.items():
        turnaround = fixed.resources[resource].turnaround
        length, present = duration + turnaround, vars.present[resource]
        if built.interval_ends:
            interval = _ending(model, vars.start, length, vars.end + turnaround, present)
        else:
            interval = _interval(model, vars.start, length, present)
        built.occupying[resource].append(Occupying(vars, resource, interval))


def as_int(present: Presence) -> cp_model.IntVar | int:
    """A presence as a linear term: 1 for a single option, else its literal."""
    return 1 if present is True else present


def _ending(
    model: cp_model.CpModel,
    start: cp_model.LinearExprT,
    length: int,
    end: cp_model.LinearExprT,
    present: Presence,
) -> cp_model.IntervalVar:
    """`_interval` that, when present, also ties the expression `end` to the interval's end."""
    if present is True:
        return model.new_interval_var(start, length, end, "")
    return model.new_optional_interval_var(start, length, end, present, "")


def _interval(
    model: cp_model.CpModel, start: cp_model.LinearExprT, length: int, present: Presence
) -> cp_model.IntervalVar:
    if present is True:
        return model.new_fixed_size_interval_var(start, length, "")
    return model.new_optional_fixed_size_interval_var(start, length, present, "")


def _constant(model: cp_model.CpModel, spans: list[Span]) -> list[cp_model.IntervalVar]:
    return [model.new_fixed_size_interval_var(a, b - a, "") for a, b in spans]


def _add_resource(built: Built, fixed: FixedWork, resource: str, reach: Span) -> None:
    """No overlap of occupations; changeover between different families, including fixed work."""
    model = built.model
    mine = built.occupying.get(resource, [])
    if not mine:
        return
    plain = clip(fixed.zones_without_changeover(resource), *reach)
    model.add_no_overlap([o.interval for o in mine] + _constant(model, plain))
    changeover = fixed.resources[resource].changeover
    if changeover == 0:
        return
    by_family = defaultdict(list)
    for o in mine:
        by_family[o.vars.job.family].append(o.interval)
    for family, intervals in by_family.items():
        zones = clip(fixed.zones(resource, family, *reach), *reach)
        if zones != plain:
            model.add_no_overlap(intervals + _constant(model, zones))
    if len(by_family) > 1:
        _add_changeover_pairs(built, fixed, resource, mine, changeover)


def _add_changeover_pairs(
    built: Built, fixed: FixedWork, resource: str, mine: list[Occupying], changeover: int
) -> None:
    """Between open stages of different families: occupations stretched by the changeover."""
    model, turnaround = built.model, fixed.resources[resource].turnaround
    stretched: dict[int, cp_model.IntervalVar] = {}
    for o in mine:
        length = o.vars.stage.options[resource] + turnaround + changeover
        stretched[id(o)] = _interval(model, o.vars.start, length, o.vars.present[resource])
    ordered = sorted(mine, key=lambda o: o.vars.window[0])
    for i, x in enumerate(ordered):
        reach = x.vars.window[1] + turnaround + changeover
        for y in ordered[i + 1 :]:
            if y.vars.window[0] >= reach:
                break
            if x.vars.job.family != y.vars.job.family:
                model.add_no_overlap([stretched[id(x)], stretched[id(y)]])


def _add_pool(built: Built, fixed: FixedWork, pool: str, capacity: int, reach: Span) -> None:
    model = built.model
    intervals, amounts = [], []
    for a, b, level in fixed.usage_steps(pool):
        a, b = max(a, reach[0]), min(b, reach[1])
        if a >= b:
            continue
        intervals.append(model.new_fixed_size_interval_var(a, b - a, ""))
        amounts.append(min(level, capacity))
    for vars in built.stages.values():
        for demand in vars.stage.demands:
            if demand.pool != pool or demand.amount == 0:
                continue
            for resource, duration in vars.stage.options.items():
                length = fixed.resources[resource].turnaround if demand.length is None else demand.length
                if length == 0:
                    continue
                offset = demand.offset + (duration if demand.anchor == "end" else 0)
                intervals.append(_interval(model, vars.start + offset, length, vars.present[resource]))
                amounts.append(demand.amount)
    if intervals:
        model.add_cumulative(intervals, amounts, capacity)
