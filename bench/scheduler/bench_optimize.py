"""optimize() on a tight instance: 400 open requests among 2,000 pinned batches, steam and crew pools."""

from __future__ import annotations

import time

from bench.scheduler.baseline import edd_weighted_tardiness
from bench.scheduler.plant import DAY, POLICY, vessels
from bench.scheduler.workload import open_requests, pinned_problem
from scheduler import Problem, Schedule, optimize, validate
from scheduler.cpsat_solve import Limits
from scheduler.gap_bound import gap_bound
from scheduler.rules import job_for


def tight_instance(seed: int = 11, idle_mean_h: float = 40, open_count: int = 400) -> Problem:
    """2,000 pinned batches (mean idle time between them per vessel `idle_mean_h`) and open requests."""
    plant = vessels(copies=1)
    base = pinned_problem(plant, POLICY, 2_000, seed, idle_mean_h=idle_mean_h)
    release_until = 220 * DAY
    jobs = [job_for(r, plant, POLICY) for r in open_requests(seed + 1, open_count, release_until, (12, 96))]
    return Problem(base.resources, jobs, base.fixed, base.start_windows, base.pools, base.fixed_jobs)


def solve(problem: Problem, seconds: float, workers: int) -> tuple[Schedule, float]:
    t0 = time.perf_counter()
    schedule = optimize(problem, time_limit_s=seconds, workers=workers, seed=0)
    return schedule, time.perf_counter() - t0


def run(workers: int = 2, long_s: float = 30.0, short_s: float = 2.0) -> dict:
    problem = tight_instance()
    t0 = time.perf_counter()
    greedy, _ = edd_weighted_tardiness(problem)
    greedy_s = time.perf_counter() - t0
    first, first_s = solve(problem, 0.0, workers)  # no time to improve: the first list schedule
    quick, quick_s = solve(problem, short_s, workers)
    full, full_s = solve(problem, long_s, workers)
    for schedule in (first, quick, full):
        assert not validate(problem, schedule), validate(problem, schedule)[:3]
    return {
        "open_jobs": len(problem.jobs),
        "pinned": len(problem.fixed),
        "stages": sum(len(j.stages) for j in problem.jobs),
        "greedy_edd": greedy,
        "greedy_s": round(greedy_s, 2),
        "first_plan_s": round(first_s, 2),
        "first_plan_objective": first.objective,
        "short_limit_s": short_s,
        "short_wall_s": round(quick_s, 2),
        "short_status": quick.status,
        "short_objective": quick.objective,
        "long_limit_s": long_s,
        "long_wall_s": round(full_s, 2),
        "long_status": full.status,
        "long_objective": full.objective,
        "bound": full.bound,
        "ratio_to_greedy": round(full.objective / greedy, 3) if greedy else None,
    }


def relaxation(seconds: float = 240.0, workers: int = 2) -> dict:
    """The gap-assignment relaxation's bound with a long budget: no plan of the instance goes below it."""
    problem = tight_instance()
    greedy, _ = edd_weighted_tardiness(problem)
    t0 = time.perf_counter()
    bound = gap_bound(problem, Limits(seconds, workers, 0))
    return {
        "greedy_edd": greedy,
        "bound": bound,
        "seconds": round(time.perf_counter() - t0, 1),
        "bound_over_greedy": round(bound / greedy, 4),
        "half_of_greedy_out_of_reach": 2 * bound > greedy,
    }


def sweep(variants=((40, 250), (60, 400), (80, 400)), seconds: float = 30.0, workers: int = 2) -> list[dict]:
    """The 30 s ratio and the reported bound on less loaded variants (idle hours, open requests)."""
    rows = []
    for idle, count in variants:
        problem = tight_instance(idle_mean_h=idle, open_count=count)
        greedy, _ = edd_weighted_tardiness(problem)
        result, _ = solve(problem, seconds, workers)
        assert not validate(problem, result)
        rows.append(
            {
                "idle_mean_h": idle,
                "open": count,
                "greedy_edd": greedy,
                "objective": result.objective,
                "bound": result.bound,
                "ratio": round(result.objective / greedy, 3),
                "bound_over_greedy": round(result.bound / greedy, 3),
            }
        )
    return rows


if __name__ == "__main__":
    print(run())
