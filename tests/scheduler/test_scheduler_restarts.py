"""Randomised restarts of the list scheduler: never worse, valid, seeded, and able to beat heaviest first."""

from hypothesis import given
from hypothesis import strategies as st

from scheduler import Job, Problem, Resource, Stage, validate
from scheduler.greedy import by_weighted_due_date, list_schedule, score
from scheduler.model import Schedule
from scheduler.restarts import restart
from tests.scheduler.test_scheduler_properties import SETTINGS, problems


def budget(seconds):
    return lambda used: seconds - used


def test_a_heavy_long_job_can_be_put_after_two_short_urgent_ones():
    problem = Problem(
        [Resource("A")],
        [
            Job("heavy", [Stage({"A": 10})], due=10, weight=2),
            Job("short1", [Stage({"A": 1})], due=1, weight=1),
            Job("short2", [Stage({"A": 1})], due=1, weight=1),
        ],
    )
    heaviest_first = list_schedule(problem, by_weighted_due_date)
    assert score(problem, heaviest_first, "weighted_tardiness") == 10 + 11
    plan, used = restart(problem, heaviest_first, "weighted_tardiness", 0, True, budget(1.0))
    assert score(problem, plan, "weighted_tardiness") == 0 + 1 + 2 * 2  # short, short, heavy
    assert 0 < used <= 1.0


def test_one_seed_gives_the_same_plan_twice_when_the_budget_is_deterministic():
    problem = Problem(
        [Resource("A"), Resource("B")],
        [Job(f"j{i}", [Stage({"A": 2 + i % 3, "B": 3})], release=i, due=i + 3, weight=1 + i % 4) for i in range(8)],
    )
    start = list_schedule(problem, by_weighted_due_date)
    first, second = (restart(problem, start, "weighted_tardiness", 5, True, budget(0.2)) for _ in range(2))
    assert first == second


@SETTINGS
@given(problems(max_jobs=4), st.integers(0, 3))
def test_restarted_plans_are_never_worse_and_pass_the_validator(problem, seed):
    start = list_schedule(problem, by_weighted_due_date)
    if start is None:
        return
    plan, _ = restart(problem, start, "weighted_tardiness", seed, True, budget(0.05))
    assert validate(problem, Schedule(plan, "feasible", None, None)) == []
    assert score(problem, plan, "weighted_tardiness") <= score(problem, start, "weighted_tardiness")
