"""Booking requests and the inventory turned into scheduling jobs (seed, main, downstream stages)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from scheduler.inventory import NoFit, Vessel, fitting_units, fitting_vessels, litres, minutes
from scheduler.model import Assignment, Demand, Job, Pool, Problem, Resource, Stage, Window

STEAM, CREW = "steam", "crew"
Role = Literal["seed", "main", "downstream"]


@dataclass(frozen=True)
class Extraction:
    """A downstream stage: a unit kind (e.g. "centrifuge") or a unit code, and the volume to process."""

    unit: str | None = None
    code: str | None = None
    volume_l: float | None = None


@dataclass(frozen=True)
class Request:
    """A booking request; times are minutes from the problem's origin (app/ converts datetimes)."""

    id: str
    service: str
    kind: Literal["liquid", "solid"]
    working_volume_l: float
    duration_h: float
    earliest_start: int = 0
    latest_end: int | None = None
    organism_family: str | None = None
    biosafety_level: int = 1
    extraction: Extraction | None = None
    weight: int = 1


@dataclass(frozen=True)
class Policy:
    """Plant rules; None capacity means no such pool."""

    seed_threshold_l: float = 1000
    inoculum_ratio: float = 0.10
    seed_duration_h: float = 24
    seed_max_wait_h: float = 2
    downstream_hold_h: float = 12
    steam_capacity: int | None = 2
    crew_capacity: int | None = 2
    crew_setup_min: int = 60
    steam_min: int | None = 120
    downstream_needs_staff: bool = False


def needs_seed(request: Request, policy: Policy) -> bool:
    return request.kind == "liquid" and request.working_volume_l >= policy.seed_threshold_l


def roles(request: Request, policy: Policy) -> list[Role]:
    """The stages of a request's job, in order."""
    names: list[Role] = ["seed", "main"] if needs_seed(request, policy) else ["main"]
    return [*names, "downstream"] if request.extraction is not None else names


def demands(policy: Policy) -> tuple[Demand, ...]:
    """Crew for the setup at each start; steam for sterilisation right after the batch.

    steam_min None: steam for the whole turnaround (CIP + SIP).
    """
    out = []
    if policy.crew_capacity is not None:
        out.append(Demand(CREW, 1, "start", 0, policy.crew_setup_min))
    if policy.steam_capacity is not None:
        out.append(Demand(STEAM, 1, "end", 0, policy.steam_min))
    return tuple(out)


def job_for(request: Request, vessels: Sequence[Vessel], policy: Policy = Policy()) -> Job:
    """The job for a request; raises NoFit (message in Chinese) when some stage has no vessel."""
    if request.working_volume_l <= 0 or request.duration_h <= 0:
        raise NoFit("工作体积和时长必须大于零")
    names = roles(request, policy)
    built = {role: _stage(role, request, vessels, policy) for role in sorted(names, key=lambda r: r != "main")}
    stages = [built[role] for role in names]  # the main stage is checked first: its NoFit says most
    return Job(
        request.id,
        stages,
        release=request.earliest_start,
        due=request.latest_end,
        weight=request.weight,
        family=request.organism_family,
    )


def _stage(role: Role, request: Request, vessels: Sequence[Vessel], policy: Policy) -> Stage:
    if role == "seed":
        inoculum = request.working_volume_l * policy.inoculum_ratio
        fits = fitting_vessels(vessels, "liquid", inoculum, request.biosafety_level, purpose="种子")
        return Stage({v.code: minutes(policy.seed_duration_h) for v in fits}, demands=demands(policy))
    if role == "main":
        fits = fitting_vessels(vessels, request.kind, request.working_volume_l, request.biosafety_level)
        wait = minutes(policy.seed_max_wait_h) if needs_seed(request, policy) else None
        return Stage({v.code: minutes(request.duration_h) for v in fits}, max_wait=wait, demands=demands(policy))
    extraction = request.extraction
    assert extraction is not None  # roles() has a downstream stage only for a request with an extraction
    volume = extraction.volume_l if extraction.volume_l is not None else request.working_volume_l
    units = fitting_units(vessels, request.biosafety_level, extraction.unit, extraction.code)
    return Stage(
        {u.code: _processing_min(volume, u) for u in units},
        max_wait=minutes(policy.downstream_hold_h),
        needs_staff=policy.downstream_needs_staff,
        demands=demands(policy),
    )


def _processing_min(volume_l: float, unit: Vessel) -> int:
    """Minutes a downstream unit takes for `volume_l` (a downstream Vessel has a positive throughput)."""
    assert unit.throughput_l_per_h is not None
    return math.ceil(volume_l * 60 / unit.throughput_l_per_h)


def fixed_job_for(request: Request, placed: Sequence[Assignment], policy: Policy = Policy()) -> Job:
    """The description (family, demands) of confirmed work, from where it was actually placed."""
    by_stage = {a.stage: a for a in placed}
    if sorted(by_stage) != list(range(len(by_stage))) or not by_stage:
        raise ValueError(f"confirmed work of {request.id} must be stages 0..n-1")
    stages = [
        Stage({by_stage[k].resource: by_stage[k].end - by_stage[k].start}, demands=demands(policy))
        for k in range(len(by_stage))
    ]
    return Job(request.id, stages, family=request.organism_family)


def resources_for(vessels: Sequence[Vessel]) -> list[Resource]:
    return [
        Resource(
            v.code, blocked=tuple(v.maintenance), turnaround=minutes(v.turnaround_h), changeover=minutes(v.changeover_h)
        )
        for v in vessels
    ]


def pools_for(policy: Policy) -> list[Pool]:
    pools = []
    if policy.steam_capacity is not None:
        pools.append(Pool(STEAM, policy.steam_capacity))
    if policy.crew_capacity is not None:
        pools.append(Pool(CREW, policy.crew_capacity))
    return pools


def build_problem(
    vessels: Sequence[Vessel],
    requests: Sequence[Request],
    policy: Policy = Policy(),
    *,
    start_windows: Sequence[Window] | None = None,
    confirmed: Sequence[tuple[Request, Sequence[Assignment]]] = (),
) -> Problem:
    """A Problem with open `requests` as jobs and `confirmed` work pinned; NoFit names the request."""
    jobs = []
    for request in requests:
        try:
            jobs.append(job_for(request, vessels, policy))
        except NoFit as error:
            raise NoFit(f"申请 {request.id}：{error}") from error
    fixed = [a for _, placed in confirmed for a in placed]
    fixed_jobs = [fixed_job_for(request, placed, policy) for request, placed in confirmed]
    return Problem(
        resources_for(vessels), jobs, fixed, start_windows=start_windows, pools=pools_for(policy), fixed_jobs=fixed_jobs
    )


__all__ = [
    "Extraction",
    "NoFit",
    "Policy",
    "Request",
    "Vessel",
    "build_problem",
    "fixed_job_for",
    "job_for",
    "litres",
    "pools_for",
    "resources_for",
    "roles",
]
