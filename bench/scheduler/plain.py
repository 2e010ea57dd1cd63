"""The yardstick: the plain CP-SAT flexible job-shop model an engineer would write first.

One start and end per operation, an optional interval per machine option (exactly one present),
a no-overlap per machine, operations of a job in order, minimise the makespan. No hint, no bounds
beyond the obvious horizon, no search tricks. It reads the same `Problem` the optimiser gets.
"""

from __future__ import annotations

from collections import defaultdict

from ortools.sat.python import cp_model

from scheduler import Problem


def plain_makespan(problem: Problem, seconds: float, workers: int, seed: int = 0) -> tuple[int | None, str]:
    """The best makespan the plain model finds in `seconds` with `workers`, and CP-SAT's status name."""
    model = cp_model.CpModel()
    horizon = sum(max(stage.options.values()) for job in problem.jobs for stage in job.stages)
    on_machine = defaultdict(list)
    job_ends = []
    for job in problem.jobs:
        previous_end = None
        for k, stage in enumerate(job.stages):
            start = model.new_int_var(0, horizon, f"s{job.id}_{k}")
            end = model.new_int_var(0, horizon, f"e{job.id}_{k}")
            chosen = []
            for machine, duration in stage.options.items():
                present = model.new_bool_var(f"p{job.id}_{k}_{machine}")
                on_machine[machine].append(
                    model.new_optional_interval_var(start, duration, end, present, f"i{job.id}_{k}_{machine}")
                )
                chosen.append(present)
            model.add_exactly_one(chosen)
            if previous_end is not None:
                model.add(start >= previous_end)
            previous_end = end
        job_ends.append(previous_end)
    for intervals in on_machine.values():
        model.add_no_overlap(intervals)
    makespan = model.new_int_var(0, horizon, "makespan")
    model.add_max_equality(makespan, job_ends)
    model.minimize(makespan)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = seconds
    solver.parameters.num_workers = workers
    solver.parameters.random_seed = seed
    status = solver.solve(model)
    found = status in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    return (int(solver.objective_value) if found else None), solver.status_name(status)
