"""On small plants (≤ 15 bookings) the repair's answer equals the lexicographic optimum that a
separate, exhaustive CP-SAT model written here proves (one-stage jobs, any vessel options)."""

import random

import pytest
from ortools.sat.python import cp_model

from scheduler import broken_jobs, repair
from scheduler.repair_scope import placements_of
from tests.scheduler.repair_plant import SMALL, random_plan, with_blocked

PINNED = 40


def exhaustive_optimum(problem, disrupted, pinned_until):
    """(tardiness of the disrupted jobs, moved, shift, class changes), minimised in that order by
    one weighted sum whose multipliers exceed every lower level's largest value."""
    placed, jobs = placements_of(problem.fixed), problem.fixed_job_by_id
    turnaround = {r.id: r.turnaround for r in problem.resources}
    free = [j for j, (a,) in placed.items() if j in disrupted or a.start >= pinned_until]
    horizon = max([a.end for a in problem.fixed] + [b for r in problem.resources for _, b in r.blocked])
    horizon += sum(max(jobs[j].stages[0].options.values()) + 10 for j in free)
    model = cp_model.CpModel()
    busy = {r.id: [model.new_fixed_size_interval_var(a, b - a, "") for a, b in r.blocked] for r in problem.resources}
    for j, (a,) in placed.items():
        if j not in free:
            length = a.end + turnaround[a.resource] - a.start
            busy[a.resource].append(model.new_fixed_size_interval_var(a.start, length, ""))
    late, moved, shift, changes = [], [], [], []
    for j in free:
        job, (old,) = jobs[j], placed[j]
        start = model.new_int_var(max(job.release, pinned_until), horizon, "")
        end = model.new_int_var(0, horizon + 200, "")
        on = {r: model.new_bool_var(r) for r in job.stages[0].options}
        model.add_exactly_one(on.values())
        for r, duration in job.stages[0].options.items():
            busy[r].append(model.new_optional_fixed_size_interval_var(start, duration + turnaround[r], on[r], ""))
            model.add(end == start + duration).only_enforce_if(on[r])
        stays = model.new_bool_var("")
        model.add(start == old.start).only_enforce_if(stays)
        model.add_implication(stays, on[old.resource])
        moved.append(1 - stays)
        if j in disrupted:
            delay = model.new_int_var(0, horizon, "")
            model.add_max_equality(delay, [0, end - job.due])
            late.append(job.weight * delay)
        else:  # the repair's promise to bookings it moves without their being broken
            model.add(end <= max(old.end, job.due))
        distance = model.new_int_var(0, horizon, "")
        model.add_abs_equality(distance, start - old.start)
        shift.append(distance)
        changes += [on[r] for r in on if SMALL[r] != SMALL[old.resource]]
    for intervals in busy.values():
        model.add_no_overlap(intervals)
    n = len(free) + 1
    levels = [sum(late), sum(moved), sum(shift), sum(changes)]
    weights = [n * (n * horizon + 1) * n, n * (n * horizon + 1), n, 1]
    model.minimize(sum(w * level for w, level in zip(weights, levels, strict=True)))
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 2
    solver.parameters.max_time_in_seconds = 120
    assert solver.solve(model) == cp_model.OPTIMAL
    return tuple(int(solver.value(level)) for level in levels)


@pytest.mark.parametrize("seed", range(12))
def test_on_a_small_plant_the_repair_equals_the_proven_lexicographic_optimum(seed):
    rng = random.Random(seed)
    problem = random_plan(rng, rng.randint(6, 15), simple=True)
    start = min(a.start for a in problem.fixed) + rng.randrange(0, 200, 10)
    problem = with_blocked(problem, rng.choice("ABC"), (start, start + rng.randrange(50, 400, 10)))
    disrupted = broken_jobs(problem)
    result = repair(problem, disrupted, pinned_until=PINNED, time_limit_s=5, workers=1, seed=seed, size_class=SMALL)
    assert result.status == "optimal"
    assert result.cost.key() == exhaustive_optimum(problem, disrupted, PINNED)
