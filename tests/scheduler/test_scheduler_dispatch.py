"""The operation-by-operation dispatcher for plain shops (the flexible job shop)."""

import random

from hypothesis import given
from hypothesis import strategies as st

from scheduler import Assignment, Demand, Job, Pool, Problem, Resource, Schedule, Stage, validate
from scheduler.dispatch import applies, best_dispatch, dispatch
from scheduler.greedy import makespan
from tests.scheduler.test_scheduler_properties import SETTINGS


@st.composite
def shops(draw):
    resources = [
        Resource(r, turnaround=draw(st.integers(0, 2)), changeover=draw(st.integers(0, 3))) for r in ("A", "B", "C")
    ]
    jobs = []
    for j in range(draw(st.integers(1, 5))):
        stages = [
            Stage(
                {
                    r: draw(st.integers(1, 6))
                    for r in draw(st.lists(st.sampled_from("ABC"), min_size=1, max_size=3, unique=True))
                },
                needs_staff=False,
            )
            for _ in range(draw(st.integers(1, 3)))
        ]
        jobs.append(
            Job(f"j{j}", stages, release=draw(st.integers(0, 5)), family=draw(st.sampled_from(["x", "y", None])))
        )
    return Problem(resources, jobs)


@SETTINGS
@given(shops(), st.integers(0, 5), st.sampled_from([0.0, 0.3]))
def test_every_dispatched_plan_passes_the_independent_validator(problem, seed, noise):
    plan = dispatch(problem, random.Random(seed), noise)
    assert validate(problem, Schedule(plan, "feasible", None, None)) == []


def test_two_jobs_share_two_machines_without_waiting():
    jobs = [
        Job("a", [Stage({"M1": 4, "M2": 8}, needs_staff=False)]),
        Job("b", [Stage({"M1": 6, "M2": 3}, needs_staff=False)]),
    ]
    plan = best_dispatch(Problem([Resource("M1"), Resource("M2")], jobs), makespan, rounds=3, seed=0)
    assert makespan(plan) == 4


def test_the_dispatcher_declines_what_it_cannot_keep():
    plain = Problem([Resource("A")], [Job("j", [Stage({"A": 1}, needs_staff=False)])])
    assert applies(plain)
    assert not applies(Problem([Resource("A", blocked=[(0, 1)])], plain.jobs))
    assert not applies(Problem([Resource("A")], plain.jobs, fixed=[Assignment("old", 0, "A", 0, 1)]))
    assert not applies(Problem([Resource("A")], [Job("j", [Stage({"A": 1})])], start_windows=[(0, 9)]))
    assert not applies(
        Problem([Resource("A")], [Job("j", [Stage({"A": 1}, demands=[Demand("crew")])])], pools=[Pool("crew", 1)])
    )
    assert not applies(Problem([Resource("A")], [Job("j", [Stage({"A": 1}), Stage({"A": 1}, max_wait=3)])]))
