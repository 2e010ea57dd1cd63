"""repair() against re-optimising every unstarted booking, on seeded disruptions of the tight year.

The plant's plan: the tight instance's 2,000 pinned batches and its 400 requests, all confirmed, with
every booking not started on the morning of day 100 re-optimised (10 s). Each scenario breaks it at
a moment from then on; the bench asks `broken_jobs` what broke, then times `repair` and `optimize`
with every unstarted job free (10 s) on the same scenario.
"""

from __future__ import annotations

import random
import statistics
import time
from dataclasses import dataclass, replace

from bench.scheduler.bench_optimize import tight_instance
from bench.scheduler.plant import DAY
from scheduler import Assignment, Problem, broken_jobs, optimize, repair, validate
from scheduler.greedy import weighted_tardiness
from scheduler.repair_scope import placements_of, scope_of

NOW = 100 * DAY + 10 * 60  # day 100, 10:00: the moment most scenarios happen
PINNED_H = 12  # work starting in the next 12 hours stays
REPAIR_S, REOPTIMISE_S = 1.5, 10.0
HOUR = 60


@dataclass(frozen=True)
class Scenario:
    name: str
    problem: Problem  # the plan after the disruption
    now: int
    rerun: tuple[str, ...] = ()  # jobs that must run again although their place still holds


def confirmed_plan() -> Problem:
    """The tight instance with its open requests placed and confirmed (full descriptions kept), then
    re-optimised on the morning of day 100 as the plant would hold it before anything breaks.

    The instance's pinned batches come without a due date: each gets its planned end as the end
    promised to its customer, so that neither side may make it later for free."""
    open_plan = tight_instance()
    placed = optimize(open_plan, time_limit_s=0.0, workers=2, seed=0).assignments
    ends = {a.job: a.end for a in open_plan.fixed}
    promised = [replace(job, due=ends[job.id]) for job in open_plan.fixed_jobs]
    listed = Problem(
        open_plan.resources,
        [],
        [*open_plan.fixed, *placed],
        open_plan.start_windows,
        open_plan.pools,
        [*promised, *open_plan.jobs],
    )
    plan, _ = reoptimised(listed, [], NOW + PINNED_H * HOUR)
    return replace(listed, fixed=plan)


def scenarios(plan: Problem, seed: int = 7) -> list[Scenario]:
    busiest = _busiest_liquid_vessel(plan, NOW)
    out = [
        Scenario(f"busiest liquid vessel {busiest} down {days} d", _down(plan, busiest, NOW, days * DAY), NOW)
        for days in (3, 7, 14)
    ]
    out.append(_overrun(plan))
    out.append(_contaminated_seed(plan))
    rng = random.Random(seed)
    vessels = [r.id for r in plan.resources]
    for i in range(10):
        vessel, start = rng.choice(vessels), NOW + rng.randrange(0, 3 * DAY)
        length = rng.randrange(1 * DAY, 5 * DAY)
        out.append(
            Scenario(
                f"breakdown {i + 1}: {vessel} down {length / DAY:.1f} d from +{(start - NOW) // HOUR} h",
                _down(plan, vessel, start, length),
                NOW,
            )
        )
    return out


def _busiest_liquid_vessel(plan: Problem, after: int) -> str:
    booked: dict[str, int] = {}
    for a in plan.fixed:
        if a.resource.startswith("L") and after <= a.start < after + 30 * DAY:
            booked[a.resource] = booked.get(a.resource, 0) + a.end - a.start
    return max(sorted(booked), key=booked.get)


def _down(plan: Problem, vessel: str, start: int, length: int) -> Problem:
    resources = [
        replace(r, blocked=(*r.blocked, (start, start + length))) if r.id == vessel else r for r in plan.resources
    ]
    return replace(plan, resources=resources)


def _overrun(plan: Problem) -> Scenario:
    """The first one-stage 20 m³ batch of day 100 or later runs 48 h past its planned end."""
    alone = {job_id for job_id, stages in placements_of(plan.fixed).items() if len(stages) == 1}
    batch = min(
        (a for a in plan.fixed if a.resource.startswith("L20000") and a.start >= NOW and a.job in alone),
        key=lambda a: a.start,
    )
    longer = [replace(a, end=a.end + 48 * HOUR) if a == batch else a for a in plan.fixed]
    return Scenario(
        f"20 m³ batch {batch.job} on {batch.resource} overruns 48 h", replace(plan, fixed=longer), batch.start + HOUR
    )


def _contaminated_seed(plan: Problem) -> Scenario:
    """The first seed train of day 100 or later is contaminated while its seed stage runs: re-run."""
    seeded = [stages for stages in placements_of(plan.fixed).values() if len(stages) > 1 and stages[0].start >= NOW]
    train = min(seeded, key=lambda stages: stages[0].start)
    return Scenario(
        f"contaminated seed train {train[0].job} ({train[0].resource} → {train[1].resource})",
        plan,
        train[0].start + 6 * HOUR,
        (train[0].job,),
    )


def run_scenario(scenario: Scenario, repeats: int = 3) -> dict:
    problem, pinned_until = scenario.problem, scenario.now + PINNED_H * HOUR
    disrupted = list(dict.fromkeys([*scenario.rerun, *broken_jobs(problem)]))
    walls, result = [], None
    for _ in range(repeats):
        began = time.perf_counter()
        result = repair(
            problem,
            disrupted,
            pinned_until=pinned_until,
            time_limit_s=REPAIR_S,
            workers=2,
            size_class=_size_classes(problem),
        )
        walls.append(time.perf_counter() - began)
    assert not validate(result.problem, result.schedule), validate(result.problem, result.schedule)[:3]
    repaired = list(result.problem.fixed) + list(result.schedule.assignments)
    again, again_s = reoptimised(problem, disrupted, pinned_until)
    return {
        "scenario": scenario.name,
        "disrupted": len(disrupted),
        "repair_status": result.status,
        "repair_s": walls,
        "repair_moved": len(result.moved),
        "repair_tardiness": _total_tardiness(problem, repaired),
        "disrupted_tardiness": (result.cost.tardiness_before, result.cost.tardiness_after),
        "reoptimise_s": round(again_s, 2),
        "reoptimise_moved": _moved(problem, again),
        "reoptimise_tardiness": _total_tardiness(problem, again),
    }


def reoptimised(problem: Problem, disrupted: list[str], pinned_until: int) -> tuple[list[Assignment], float]:
    """The plan and the seconds optimize() took with every unstarted job free (from `pinned_until`
    on) and the started work fixed."""
    scope = scope_of(problem, disrupted, pinned_until)
    free = [*scope.disrupted, *scope.movable]
    sub = scope.subproblem(free, everything=True)
    began = time.perf_counter()
    schedule = optimize(sub, time_limit_s=REOPTIMISE_S, workers=2, seed=0)
    took = time.perf_counter() - began
    assert not validate(sub, schedule), validate(sub, schedule)[:3]
    return [*sub.fixed, *schedule.assignments], took


def _moved(problem: Problem, plan: list[Assignment]) -> int:
    before, after = placements_of(problem.fixed), placements_of(plan)
    return sum(after[j] != stages for j, stages in before.items() if j in after)


def _total_tardiness(problem: Problem, plan: list[Assignment]) -> int:
    return weighted_tardiness(problem.fixed_jobs, plan)


def _size_classes(problem: Problem) -> dict[str, str]:
    """A vessel's size class: its kind and nominal volume (the code before the dash, e.g. L20000)."""
    return {r.id: r.id.split("-")[0] for r in problem.resources}


def run(repeats: int = 3) -> dict:
    plan = confirmed_plan()
    rows = [run_scenario(s, repeats) for s in scenarios(plan)]
    walls = sorted(w for row in rows for w in row["repair_s"])
    return {
        "rows": rows,
        "plan_tardiness": _total_tardiness(plan, list(plan.fixed)),
        "repair_p95_s": round(walls[max(0, round(0.95 * len(walls)) - 1)], 2),
        "repair_median_s": round(statistics.median(walls), 2),
    }


if __name__ == "__main__":
    for key, value in run().items():
        print(key, value)
