"""Lower bounds from relaxations never exceed what an optimal plan achieves."""

from hypothesis import given
from hypothesis import strategies as st

from scheduler import Assignment, Job, Problem, Resource, Stage, optimize
from scheduler.bounds import alone_bound, back_to_back_bound
from tests.scheduler.test_scheduler_properties import SETTINGS, problems


@SETTINGS
@given(problems(max_jobs=3), st.sampled_from(["weighted_tardiness", "makespan"]))
def test_the_bounds_stay_below_the_optimum_and_fixed_work_only_raises_them(problem, objective):
    result = optimize(problem, objective=objective, time_limit_s=2.0, workers=1)
    if result.status == "optimal":
        assert back_to_back_bound(problem, objective) <= alone_bound(problem, objective) <= result.objective


def test_a_job_waiting_behind_fixed_work_is_bounded_by_that_wait():
    p = Problem(
        [Resource("A")],
        [Job("j", [Stage({"A": 5})], due=5, weight=2)],
        fixed=[Assignment("old", 0, "A", 0, 10)],
        fixed_jobs=[Job("old", [Stage({"A": 10})])],
    )
    assert back_to_back_bound(p, "weighted_tardiness") == 0
    assert alone_bound(p, "weighted_tardiness") == 2 * (15 - 5)
    assert alone_bound(p, "makespan") == 15
