"""optimize(): CP-SAT plans that validate, with the right status, objective and bound."""

import pytest

from bench.scheduler.fjsp import FAMILIES, read_fjs
from scheduler import Assignment, Demand, Job, Pool, Problem, Resource, Schedule, Stage, optimize, validate
from scheduler.cpsat_solve import Limits, solve

FAST = {"time_limit_s": 5.0, "workers": 1}


def test_an_empty_problem_is_optimal_with_nothing_to_place():
    assert optimize(Problem([Resource("A")], [])) == Schedule([], "optimal", 0, 0)


def test_the_heavier_job_goes_first_to_minimise_weighted_tardiness():
    jobs = [Job("light", [Stage({"A": 10})], due=10, weight=1), Job("heavy", [Stage({"A": 10})], due=10, weight=5)]
    p = Problem([Resource("A")], jobs)
    result = optimize(p, **FAST)
    assert result.status == "optimal" and result.objective == 10 and result.bound == 10
    assert sorted(result.assignments) == [Assignment("heavy", 0, "A", 0, 10), Assignment("light", 0, "A", 10, 20)]


def test_makespan_uses_the_faster_machine_for_the_longer_job():
    jobs = [Job("a", [Stage({"M1": 4, "M2": 8})]), Job("b", [Stage({"M1": 6, "M2": 3})])]
    result = optimize(Problem([Resource("M1"), Resource("M2")], jobs), objective="makespan", **FAST)
    assert (result.status, result.objective) == ("optimal", 4)


def test_fixed_work_blocked_windows_and_changeover_are_respected():
    resource = Resource("A", blocked=[(30, 40)], turnaround=5, changeover=10)
    jobs = [Job("x", [Stage({"A": 10})], family="f"), Job("y", [Stage({"A": 10})], family="g")]
    p = Problem(
        [resource],
        jobs,
        fixed=[Assignment("old", 0, "A", 0, 10)],
        fixed_jobs=[Job("old", [Stage({"A": 10})], family="f")],
    )
    result = optimize(p, objective="makespan", **FAST)
    assert result.status == "optimal" and validate(p, result) == []
    # x right after old (15..25), y must wait for x's turnaround + changeover and the blocked window
    assert result.objective == 50


def test_pools_limit_concurrent_starts():
    stage = Stage({"A": 10, "B": 10}, demands=[Demand("crew", 1, "start", 0, 3)])
    p = Problem([Resource("A"), Resource("B")], [Job("x", [stage]), Job("y", [stage])], pools=[Pool("crew", 1)])
    result = optimize(p, objective="makespan", **FAST)
    assert (result.status, result.objective) == ("optimal", 13) and validate(p, result) == []


def test_an_impossible_max_wait_is_reported_as_infeasible():
    p = Problem([Resource("A")], [Job("j", [Stage({"A": 10}), Stage({"A": 10}, max_wait=0)])], start_windows=[(0, 100)])
    p = Problem([Resource("A", turnaround=5)], p.jobs)
    assert optimize(p, **FAST).status == "infeasible"


def test_stages_left_without_a_start_window_make_the_problem_infeasible():
    p = Problem([Resource("A")], [Job("j", [Stage({"A": 10}), Stage({"A": 10}, max_wait=0)])], start_windows=[(0, 5)])
    assert optimize(p, **FAST) == Schedule([], "infeasible", None, None)


def test_earlier_listed_vessels_win_ties():
    p = Problem([Resource("small"), Resource("big")], [Job("j", [Stage({"small": 10, "big": 10})], due=100)])
    assert optimize(p, **FAST).assignments == [Assignment("j", 0, "small", 0, 10)]


def test_one_worker_and_a_seed_give_the_same_plan_twice():
    jobs = [
        Job(f"j{i}", [Stage({"A": 3 + i % 4, "B": 5}), Stage({"B": 2, "C": 4})], due=10 + i, weight=1 + i % 3)
        for i in range(8)
    ]
    p = Problem([Resource("A"), Resource("B", turnaround=1), Resource("C")], jobs)
    first, second = (optimize(p, time_limit_s=0.5, workers=1, seed=3) for _ in range(2))
    assert first == second and validate(p, first) == []


def test_an_unknown_objective_is_refused():
    with pytest.raises(ValueError):
        optimize(Problem([Resource("A")], [Job("j", [Stage({"A": 1})])]), objective="profit")


def test_a_wall_clock_solve_with_no_time_left_after_building_returns_without_a_plan():
    p = Problem([Resource("A")], [Job("j", [Stage({"A": 5})], due=1)])
    outcome = solve(p, None, "weighted_tardiness", False, Limits(0.0, 2, 0))
    assert (outcome.status, outcome.plan) == ("unknown", None)


def test_the_makespan_bound_is_at_least_the_busiest_machines_work():
    jobs = [Job(f"j{i}", [Stage({"M1": 5, "M2": 9}), Stage({"M1": 4})]) for i in range(6)]
    result = optimize(
        Problem([Resource("M1"), Resource("M2")], jobs),
        objective="makespan",
        time_limit_s=0.2,
        workers=1,
        tie_break=False,
    )
    assert validate(Problem([Resource("M1"), Resource("M2")], jobs), result) == []
    assert result.bound >= 6 * 4  # M1 runs every second stage


@pytest.mark.parametrize(
    ("family", "optimum"),
    [
        ("hurink-edata", 55),  # 1.17 machines per operation
        ("hurink-vdata", 47),  # 3 machines per operation
    ],
)
def test_a_small_job_shop_gets_its_proven_optimal_makespan_however_flexible(family, optimum):
    shop = FAMILIES[family]
    problem = read_fjs(shop.folder / f"mt06{shop.suffix}", shop.first_machine)
    result = optimize(problem, objective="makespan", time_limit_s=10.0, workers=1, tie_break=False)
    assert (result.status, result.objective, result.bound) == ("optimal", optimum, optimum)
    assert validate(problem, result) == []
