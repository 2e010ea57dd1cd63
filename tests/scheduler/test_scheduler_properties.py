"""Random small problems: every plan returned validates, and 'infeasible' is checked by brute force."""

import itertools

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from scheduler import (
    Assignment,
    Demand,
    Job,
    Pool,
    Problem,
    Resource,
    Schedule,
    Stage,
    earliest_slots,
    optimize,
    validate,
)
from scheduler.slots import search
from scheduler.timeline import Timeline

RESOURCES = ("A", "B")
SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def problems(draw, max_jobs=3, all_staffed=False):
    resources = [
        Resource(
            r,
            blocked=draw(
                st.lists(
                    st.tuples(st.integers(0, 12), st.integers(1, 4)).map(lambda t: (t[0], t[0] + t[1])), max_size=1
                )
            ),
            turnaround=draw(st.integers(0, 2)),
            changeover=draw(st.integers(0, 2)),
        )
        for r in RESOURCES
    ]
    jobs = []
    for j in range(draw(st.integers(1, max_jobs))):
        stages = []
        for k in range(draw(st.integers(1, 2))):
            chosen = draw(st.lists(st.sampled_from(RESOURCES), min_size=1, max_size=2, unique=True))
            options = {r: draw(st.integers(1, 4)) for r in chosen}
            demands = (
                [Demand("crew", 1, draw(st.sampled_from(["start", "end"])), 0, draw(st.integers(1, 2)))]
                if draw(st.booleans())
                else []
            )
            stages.append(
                Stage(
                    options,
                    max_wait=draw(st.sampled_from([None, 0, 1, 3])) if k else None,
                    needs_staff=all_staffed or draw(st.booleans()),
                    demands=demands,
                )
            )
        jobs.append(
            Job(
                f"j{j}",
                stages,
                release=draw(st.integers(0, 4)),
                due=draw(st.integers(2, 14)),
                weight=draw(st.integers(1, 3)),
                family=draw(st.sampled_from(["x", "y"])),
            )
        )
    fixed = [Assignment("old", 0, "A", 3, 5)] if draw(st.booleans()) else []
    windows = draw(st.sampled_from([None, [(0, 6)], [(0, 3), (8, 12)]]))
    problem = Problem(
        resources,
        jobs,
        fixed,
        start_windows=windows,
        pools=[Pool("crew", 1)],
        fixed_jobs=[Job("old", [Stage({"A": 2})], family="x")],
    )
    existing = Problem(resources, [], fixed, fixed_jobs=problem.fixed_jobs)
    assume(validate(existing, Schedule([], "feasible", None, None)) == [])  # the fixed work itself is sound
    return problem


def chains(problem, job, horizon):
    """Every placement of one job's stages with starts below `horizon` that validates on its own."""
    alone = Problem(problem.resources, [job], problem.fixed, problem.start_windows, problem.pools, problem.fixed_jobs)
    options = [[(r, s) for r in stage.options for s in range(horizon)] for stage in job.stages]
    for combo in itertools.product(*options):
        chain = [Assignment(job.id, k, r, s, s + job.stages[k].options[r]) for k, (r, s) in enumerate(combo)]
        if not validate(alone, Schedule(chain, "feasible", None, None)):
            yield chain


def some_plan_exists(problem, horizon=16):
    per_job = [list(chains(problem, job, horizon)) for job in problem.jobs]
    for combo in itertools.product(*per_job):
        plan = [a for chain in combo for a in chain]
        if not validate(problem, Schedule(plan, "feasible", None, None)):
            return True
    return False


@SETTINGS
@given(problems(), st.sampled_from(["weighted_tardiness", "makespan"]))
def test_every_optimised_plan_passes_the_independent_validator(problem, objective):
    result = optimize(problem, objective=objective, time_limit_s=2.0, workers=1)
    assert result.status in ("optimal", "feasible", "infeasible")
    if result.status != "infeasible":
        assert validate(problem, result) == []
        assert result.bound is None or result.bound <= result.objective


@SETTINGS
@given(problems(max_jobs=2, all_staffed=True).filter(lambda p: p.start_windows is not None))
def test_infeasible_is_claimed_only_when_brute_force_finds_no_plan(problem):
    result = optimize(problem, time_limit_s=2.0, workers=1)
    # every stage starts in a window ending by 12, so trying starts below 16 is complete
    assert (result.status == "infeasible") == (not some_plan_exists(problem))


@SETTINGS
@given(problems(max_jobs=1))
def test_earliest_slots_are_valid_and_the_first_is_the_earliest_by_brute_force(problem):
    job = problem.jobs[0]
    existing = Problem(problem.resources, [], problem.fixed, problem.start_windows, problem.pools, problem.fixed_jobs)
    slots = earliest_slots(existing, job, limit=3)
    for chain in slots:
        assert validate(problem, Schedule(chain, "feasible", None, None)) == []
    assert [c[0].start for c in slots] == sorted(c[0].start for c in slots)
    earliest = min((c[0].start for c in chains(problem, job, 24)), default=None)
    assert (slots[0][0].start if slots else None) == earliest or (
        earliest is None and slots and slots[0][0].start >= 24
    )


@SETTINGS
@given(problems(max_jobs=3))
def test_slots_on_a_timeline_filled_step_by_step_equal_those_on_the_same_work_given_as_fixed(problem):
    *placed_jobs, job = problem.jobs
    base = Problem(problem.resources, [], problem.fixed, problem.start_windows, problem.pools, problem.fixed_jobs)
    before = search(base.fixed_work, job, 3)
    filled = Timeline(base.fixed_work)
    placed = []
    for other in placed_jobs:
        found = search(filled, other, 1)
        assume(found)
        for a in found[0]:
            filled.add(a, other)
        placed += found[0]
    given_fixed = Problem(
        problem.resources,
        [],
        (*problem.fixed, *placed),
        problem.start_windows,
        problem.pools,
        (*problem.fixed_jobs, *placed_jobs),
    )
    assert search(filled, job, 3) == earliest_slots(given_fixed, job, limit=3)
    assert search(base.fixed_work, job, 3) == before  # the index the timeline was copied from is unchanged
