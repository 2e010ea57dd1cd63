"""repair(): the disrupted jobs are re-placed validly after the pinned horizon; the rest holds."""

import pytest

from scheduler import Assignment, Schedule, broken_jobs, repair, validate
from scheduler.intervals import INF

from .repair_plant import booked, plant, with_blocked

BREAKDOWN = (0, 1000)  # vessel A is down from the origin to minute 1000


def test_a_job_on_a_broken_vessel_moves_to_the_earliest_free_vessel_after_the_pinned_horizon():
    problem = with_blocked(plant(booked("j", "A", 200), booked("k", "B", 0, 150)), "A", BREAKDOWN)
    result = repair(problem, ["j"], pinned_until=100)
    assert result.moved == ["j"]
    assert result.assignments == {"j": [Assignment("j", 0, "C", 100, 200)]}
    assert not validate(result.problem, result.schedule)


def test_work_starting_before_the_pinned_horizon_stays_where_it_is():
    problem = with_blocked(plant(booked("j", "A", 300), booked("near", "B", 50, 200),
                                 booked("c", "C", 0, 300)), "A", BREAKDOWN)
    result = repair(problem, ["j"], pinned_until=100)
    assert result.assignments == {"j": [Assignment("j", 0, "B", 250, 350)]}
    assert {a.job for a in result.problem.fixed} == {"near", "c"}


def test_the_cost_reports_tardiness_before_and_after_moves_shift_and_size_class_changes():
    problem = with_blocked(plant(booked("j", "A", 200, due=250, weight=3), booked("b", "B", 0, 600)), "A",
                           BREAKDOWN)
    result = repair(problem, ["j"], pinned_until=100, size_class={"A": "small", "B": "small", "C": "large"})
    assert result.assignments == {"j": [Assignment("j", 0, "C", 100, 200)]}
    cost = result.cost
    assert (cost.tardiness_before, cost.tardiness_after) == (3 * 50, 0)
    assert (cost.moved, cost.shift, cost.class_changes) == (1, 100, 1)


def test_a_disrupted_job_must_be_confirmed_work_with_a_full_description():
    problem = plant(booked("j", "A", 200))
    with pytest.raises(ValueError, match="ghost"):
        repair(problem, ["ghost"], pinned_until=0)


def test_broken_work_that_is_not_named_disrupted_is_refused():
    problem = with_blocked(plant(booked("j", "A", 200), booked("k", "A", 400)), "A", BREAKDOWN)
    with pytest.raises(ValueError, match="not disrupted"):
        repair(problem, ["k"], pinned_until=0)


def test_no_plan_exists_when_every_option_of_a_disrupted_job_is_out_of_service_for_good():
    problem = with_blocked(plant(booked("j", "A", 200, options=("A",))), "A", (0, INF))
    result = repair(problem, ["j"], pinned_until=0)
    assert (result.status, result.moved, result.cost) == ("infeasible", [], None)


@pytest.mark.parametrize("change, broken", [
    ("nothing", []),
    ("a blocked window over j", ["j"]),
    ("vessel A out of service from 250", ["j", "k"]),
    ("j extended into k's slot", ["k"]),
])
def test_broken_jobs_names_the_work_a_change_breaks_and_keeps_the_earlier_work(change, broken):
    j_end = 350 if change.startswith("j extended") else 300
    bookings = [booked("j", "A", 200), booked("k", "A", 320), booked("m", "B", 200)]
    bookings[0] = (bookings[0][0], [Assignment("j", 0, "A", 200, j_end)])
    blocked = {"a blocked window over j": {"A": [(250, 260)]},
               "vessel A out of service from 250": {"A": [(250, 10**9)]}}.get(change, {})
    problem = plant(*bookings, blocked=blocked)
    assert broken_jobs(problem) == broken
    kept = [a for a in problem.fixed if a.job not in broken]
    rest = type(problem)(problem.resources, [], kept, fixed_jobs=problem.fixed_jobs)
    assert not validate(rest, Schedule([], "fixed", None, None))


def test_the_same_seed_gives_the_same_repair():
    bookings = [booked(f"b{i}", "ABC"[i % 3], 100 * i, 100, due=100 * i + 150) for i in range(9)]
    problem = with_blocked(plant(*bookings), "A", (0, 2000))
    broken = broken_jobs(problem)
    first = repair(problem, broken, pinned_until=0, workers=1, seed=3)
    assert repair(problem, broken, pinned_until=0, workers=1, seed=3) == first
