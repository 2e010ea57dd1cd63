"""Where the tight instance's 30 s plan stands against what is provable, liquid and solid apart.

Liquid and solid-state batches share no vessel, so the gap-assignment bound of each kind's jobs alone
is a lower bound on that kind's share of any plan. The liquid tail (the liquid jobs that start after
the last pinned batch) is also re-solved in place by CP-SAT with everything else pinned, which tells
how far that part of the plan is from the best the same time window allows.
"""

from __future__ import annotations

import time

from bench.scheduler.bench_optimize import tight_instance
from bench.scheduler.plant import DAY, vessels
from scheduler import Job, Problem, optimize, validate
from scheduler.cpsat_solve import Limits, solve
from scheduler.gap_bound import charges, gap_bound
from scheduler.greedy import weighted_tardiness
from scheduler.lns import by_job, pinned_except


def run(seconds: float = 30.0, bound_s: float = 60.0, tail_s: float = 120.0, workers: int = 2) -> dict:
    problem = tight_instance()
    plan = optimize(problem, time_limit_s=seconds, workers=workers, seed=0)
    assert not validate(problem, plan)
    kinds = {v.code: v.kind for v in vessels()}
    out: dict = {"plan": plan.objective}
    for kind in ("liquid", "solid"):
        jobs = [j for j in problem.jobs if kinds[_bottleneck_resource(j)] == kind]
        alone = Problem(
            problem.resources, jobs, problem.fixed, problem.start_windows, problem.pools, problem.fixed_jobs
        )
        out[kind] = {
            "jobs": len(jobs),
            "plan": weighted_tardiness(jobs, plan.assignments),
            "bound": gap_bound(alone, Limits(bound_s, workers, 0)),
        }
    out["liquid_tail"] = _tail_in_place(problem, plan.assignments, kinds, tail_s, workers)
    return out


def _bottleneck_resource(job: Job) -> str:
    """The first option of the stage the gap bound charges most (the job's longest)."""
    k, _ = charges(job)[-1]
    return next(iter(job.stages[k].options))


def _tail_in_place(problem: Problem, plan, kinds: dict[str, str], seconds: float, workers: int) -> dict:
    """CP-SAT on the liquid jobs placed after the pinned work, every other job pinned where it is."""
    pinned_end = max(a.end for a in problem.fixed)
    placed = by_job(plan)
    tail = [
        j
        for j in problem.jobs
        if kinds[_bottleneck_resource(j)] == "liquid" and min(a.start for a in placed[j.id]) >= pinned_end
    ]
    current = [a for j in tail for a in placed[j.id]]
    began = time.perf_counter()
    window = (pinned_end, max(a.end for a in current) + 30 * DAY)
    outcome = solve(
        pinned_except(problem, placed, tail), current, "weighted_tardiness", False, Limits(seconds, workers, 0), window
    )
    found = outcome.plan or current
    return {
        "jobs": len(tail),
        "plan": weighted_tardiness(tail, current),
        "re_solved": weighted_tardiness(tail, found),
        "cp_sat_bound": outcome.bound,
        "status": outcome.status,
        "seconds": round(time.perf_counter() - began, 1),
    }
