"""earliest_slots with 10,000 pinned batches on 60 vessels, for chained jobs (seed + main + downstream)."""

from __future__ import annotations

import random
import statistics
import time

from bench.scheduler.plant import POLICY_60, random_request, vessels
from bench.scheduler.workload import pinned_problem
from scheduler import Schedule, earliest_slots, validate
from scheduler.rules import job_for

IDLE_MEAN_H = 30


def run(queries: int = 300, seed: int = 7) -> dict:
    plant = vessels(copies=2)
    problem = pinned_problem(plant, POLICY_60, 10_000, seed, idle_mean_h=IDLE_MEAN_H)
    last = max(a.end for a in problem.fixed)
    rng = random.Random(seed + 1)
    jobs = [
        job_for(random_request(rng, f"Q{i}", rng.randrange(0, last), 48, chained=True), plant, POLICY_60)
        for i in range(queries)
    ]
    cold = time.perf_counter()
    earliest_slots(problem, jobs[0], limit=5)
    cold = (time.perf_counter() - cold) * 1000
    times, checked = [], 0
    for job in jobs:
        t0 = time.perf_counter()
        slots = earliest_slots(problem, job, limit=5)
        times.append((time.perf_counter() - t0) * 1000)
        for chain in slots[:1]:
            single = type(problem)(
                problem.resources, [job], problem.fixed, problem.start_windows, problem.pools, problem.fixed_jobs
            )
            assert not validate(single, Schedule(chain, "feasible", None, None)), chain
            checked += 1
    times.sort()
    return {
        "fixed": len(problem.fixed),
        "resources": len(problem.resources),
        "queries": queries,
        "first_call_ms": round(cold, 2),
        "median_ms": round(statistics.median(times), 2),
        "p95_ms": round(times[int(0.95 * len(times)) - 1], 2),
        "max_ms": round(times[-1], 2),
        "validated_first_slots": checked,
    }


if __name__ == "__main__":
    print(run())
