"""The large-neighbourhood search: never worse, always valid, deterministic with one worker."""

import importlib

from hypothesis import given
from hypothesis import strategies as st

from scheduler import Demand, Job, Pool, Problem, Resource, Stage, optimize, validate
from scheduler.bounds import alone_bound
from scheduler.cpsat_solve import Limits
from scheduler.gap_bound import gap_bound
from scheduler.greedy import list_schedule, score
from scheduler.lns import improve
from scheduler.model import Assignment, Schedule
from tests.scheduler.test_scheduler_properties import SETTINGS, problems

optimize_module = importlib.import_module("scheduler.optimize")


def budget(seconds):
    return lambda used: seconds - used


def busy_plant(jobs=14):
    """Two vessels, a crew pool, staffed windows and fixed work: enough for the LNS to move things."""
    crew = [Demand("crew", 1, "start", 0, 2)]
    stages = [
        [Stage({"A": 3 + i % 3, "B": 4}, demands=crew)] + ([Stage({"B": 2}, max_wait=4)] if i % 2 else [])
        for i in range(jobs)
    ]
    return Problem(
        [Resource("A", turnaround=1, changeover=2), Resource("B", turnaround=1)],
        [Job(f"j{i}", s, release=i, due=i + 6, weight=1 + i % 3, family="xy"[i % 2]) for i, s in enumerate(stages)],
        fixed=[Assignment("old", 0, "A", 10, 14)],
        start_windows=[(0, 60), (70, 200)],
        pools=[Pool("crew", 1)],
        fixed_jobs=[Job("old", [Stage({"A": 4}, demands=crew)], family="x")],
    )


def test_the_search_never_returns_a_worse_plan_and_its_plan_validates():
    problem = busy_plant()
    start = list_schedule(problem)
    plan = improve(problem, start, "weighted_tardiness", True, Limits(0.3, 1, 0), budget(0.3))
    assert validate(problem, Schedule(plan, "feasible", None, None)) == []
    assert score(problem, plan, "weighted_tardiness") <= score(problem, start, "weighted_tardiness")


def test_one_worker_and_a_seed_give_the_same_search_twice():
    problem = busy_plant()
    start = list_schedule(problem)
    first, second = (
        improve(problem, start, "weighted_tardiness", True, Limits(0.1, 1, 7), budget(0.1)) for _ in range(2)
    )
    assert first == second


def test_large_tardiness_problems_are_optimised_by_the_search(monkeypatch):
    monkeypatch.setattr(optimize_module, "LNS_FROM_STAGES", 5)
    problem = busy_plant()
    result = optimize(problem, time_limit_s=0.1, workers=1, seed=1)
    assert result.status == "feasible" and validate(problem, result) == []
    assert result.bound is not None and result.bound <= result.objective
    assert result == optimize(problem, time_limit_s=0.1, workers=1, seed=1)


def test_a_longer_search_reports_the_higher_of_the_alone_and_the_gap_bound(monkeypatch):
    monkeypatch.setattr(optimize_module, "LNS_FROM_STAGES", 5)
    monkeypatch.setattr(optimize_module, "ALONE_BOUND_FROM_S", 0.2)
    problem = busy_plant()
    result = optimize(problem, time_limit_s=0.4, workers=1, seed=1)
    relaxed = gap_bound(problem, Limits(0.1, 1, 1))  # a quarter of the budget
    assert result.bound == max(alone_bound(problem, "weighted_tardiness"), relaxed) <= result.objective


def test_a_tiny_time_limit_still_returns_the_first_list_schedule():
    problem = busy_plant()
    result = optimize(problem, time_limit_s=0.001, workers=2)
    assert result.status == "feasible" and validate(problem, result) == []


@SETTINGS
@given(problems(max_jobs=4), st.sampled_from(["weighted_tardiness", "makespan"]), st.integers(0, 3))
def test_every_plan_of_the_search_passes_the_independent_validator(problem, objective, seed):
    start = list_schedule(problem)
    if start is None:
        return
    plan = improve(problem, start, objective, seed % 2 == 0, Limits(0.3, 1, seed), budget(0.3))
    assert validate(problem, Schedule(plan, "feasible", None, None)) == []
    assert score(problem, plan, objective) <= score(problem, start, objective)


def test_a_makespan_is_left_to_the_whole_model_however_large(monkeypatch):
    monkeypatch.setattr(optimize_module, "LNS_FROM_STAGES", 1)
    jobs = [Job("a", [Stage({"M1": 4, "M2": 8})]), Job("b", [Stage({"M1": 6, "M2": 3})])]
    result = optimize(
        Problem([Resource("M1"), Resource("M2")], jobs), objective="makespan", time_limit_s=2.0, workers=1
    )
    assert (result.status, result.objective, result.bound) == ("optimal", 4, 4)
