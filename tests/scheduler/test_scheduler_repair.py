"""repair(): each preference level in turn, the pinned horizon, the interface's guarantees."""

import pytest

from scheduler import Assignment, Demand, Job, Pool, Schedule, Stage, broken_jobs, repair, validate
from scheduler.intervals import INF
from scheduler.repair_greedy import greedy_repair
from scheduler.repair_scope import scope_of
from tests.scheduler.repair_plant import SMALL, booked, plant, with_blocked

DOWN = (0, 1000)  # vessel A is down from the origin to minute 1000
NOW = 100  # pinned_until in most cases: work starting before it stays


def repaired(problem, disrupted, pinned_until=NOW):
    result = repair(problem, disrupted, pinned_until=pinned_until, workers=1, size_class=SMALL)
    assert not validate(result.problem, result.schedule)
    return result


def test_a_valid_plan_comes_first_the_job_leaves_the_broken_vessel():
    problem = with_blocked(plant(booked("j", "A", 200), booked("k", "B", 0, 300), booked("m", "C", 0, 300)), "A", DOWN)
    result = repaired(problem, ["j"])
    assert result.assignments == {"j": [Assignment("j", 0, "B", 300, 400)]}


def test_lower_tardiness_of_the_conflicted_job_wins_over_moving_fewer_bookings():
    # B is pinned until 200; k (due late) sits where j would be on time; C is pinned all along
    problem = with_blocked(
        plant(
            booked("j", "A", 200, due=300, weight=2),
            booked("n", "B", 0, 200),
            booked("k", "B", 200, due=1000),
            booked("m", "C", 0, 2000),
        ),
        "A",
        DOWN,
    )
    result = repaired(problem, ["j"])
    assert result.assignments == {"j": [Assignment("j", 0, "B", 200, 300)], "k": [Assignment("k", 0, "B", 300, 400)]}
    assert (result.cost.tardiness_before, result.cost.tardiness_after, result.cost.moved) == (0, 0, 2)


def test_fewer_bookings_moved_wins_over_a_smaller_shift():
    # moving k out of the way would let j keep its time; j moving 100 minutes alone is preferred
    problem = with_blocked(
        plant(booked("j", "A", 500), booked("k", "B", 400, 200, due=5000), booked("m", "C", 0, 3000)), "A", DOWN
    )
    result = repaired(problem, ["j"])
    assert result.moved == ["j"]
    assert result.assignments == {"j": [Assignment("j", 0, "B", 600, 700)]}
    assert (result.cost.moved, result.cost.shift) == (1, 100)


def test_a_smaller_shift_wins_over_keeping_the_size_class():
    problem = with_blocked(plant(booked("j", "A", 200), booked("k", "B", 0, 250)), "A", DOWN)
    result = repaired(problem, ["j"])
    assert result.assignments == {"j": [Assignment("j", 0, "C", 200, 300)]}
    assert (result.cost.shift, result.cost.class_changes) == (0, 1)


def test_among_equal_shifts_the_same_size_class_is_kept():
    problem = with_blocked(plant(booked("j", "A", 200)), "A", DOWN)
    result = repaired(problem, ["j"])
    assert result.assignments == {"j": [Assignment("j", 0, "B", 200, 300)]}
    assert result.cost.class_changes == 0


def test_the_repair_proves_its_answer_optimal_on_a_small_plant():
    problem = with_blocked(plant(booked("j", "A", 200), booked("k", "B", 300)), "A", DOWN)
    assert repaired(problem, ["j"]).status == "optimal"


def test_nothing_starts_before_the_pinned_horizon_and_work_there_stays():
    problem = with_blocked(
        plant(booked("j", "A", 150), booked("near", "B", 50, 200, due=5000), booked("c", "C", 0, 300)), "A", DOWN
    )
    result = repaired(problem, ["j"], pinned_until=300)
    assert result.assignments == {"j": [Assignment("j", 0, "B", 300, 400)]}
    assert {a.job for a in result.problem.fixed} == {"near", "c"}


def test_a_booking_that_is_not_conflicted_is_never_made_later_than_its_due_date_and_old_end():
    problem = with_blocked(
        plant(
            booked("j", "A", 200, due=300, weight=5),
            booked("n", "B", 0, 200),
            booked("k", "B", 200, due=300),
            booked("m", "C", 0, 2000),
        ),
        "A",
        DOWN,
    )
    result = repaired(problem, ["j"])
    assert result.moved == ["j"]
    assert result.cost.tardiness_after == 5 * 100


def test_a_disrupted_job_must_be_confirmed_work_with_a_description():
    problem = plant(booked("j", "A", 200))
    with pytest.raises(ValueError, match="ghost"):
        repair(problem, ["ghost"], pinned_until=0)


def test_broken_work_that_is_not_named_disrupted_is_refused():
    problem = with_blocked(plant(booked("j", "A", 200), booked("k", "A", 400)), "A", DOWN)
    with pytest.raises(ValueError, match="not disrupted"):
        repair(problem, ["k"], pinned_until=0)


def test_no_plan_exists_when_every_option_of_a_disrupted_job_is_out_of_service_for_good():
    problem = with_blocked(plant(booked("j", "A", 200, options=("A",))), "A", (0, INF))
    result = repair(problem, ["j"], pinned_until=0)
    assert (result.status, result.moved, result.cost) == ("infeasible", [], None)


@pytest.mark.parametrize(
    "change, broken",
    [
        ("nothing", []),
        ("a blocked window over j", ["j"]),
        ("vessel A out of service from 250", ["j", "k"]),
        ("j extended into k's slot", ["k"]),
    ],
)
def test_broken_jobs_names_the_work_a_change_breaks_and_keeps_the_earlier_work(change, broken):
    j_end = 350 if change.startswith("j extended") else 300
    bookings = [booked("j", "A", 200), booked("k", "A", 320), booked("m", "B", 200)]
    bookings[0] = (bookings[0][0], [Assignment("j", 0, "A", 200, j_end)])
    blocked = {
        "a blocked window over j": {"A": [(250, 260)]},
        "vessel A out of service from 250": {"A": [(250, INF)]},
    }.get(change, {})
    problem = plant(*bookings, blocked=blocked)
    assert broken_jobs(problem) == broken
    rest = type(problem)(
        problem.resources, [], [a for a in problem.fixed if a.job not in broken], fixed_jobs=problem.fixed_jobs
    )
    assert not validate(rest, Schedule([], "fixed", None, None))


def test_a_disrupted_job_placed_longer_than_described_is_placed_again_with_its_described_duration():
    job, _ = booked("j", "A", 200)
    problem = with_blocked(plant((job, [Assignment("j", 0, "A", 200, 450)])), "A", (400, 500))
    assert broken_jobs(problem) == ["j"]
    result = repaired(problem, ["j"])
    assert result.assignments == {"j": [Assignment("j", 0, "A", 200, 300)]}


def test_the_same_seed_gives_the_same_repair():
    bookings = [booked(f"b{i}", "ABC"[i % 3], 100 * i, 100, due=100 * i + 150) for i in range(9)]
    problem = with_blocked(plant(*bookings), "A", (0, 2000))
    broken = broken_jobs(problem)
    first = repair(problem, broken, pinned_until=0, workers=1, seed=3)
    assert repair(problem, broken, pinned_until=0, workers=1, seed=3) == first


def test_the_first_answer_frees_a_neighbour_so_that_the_conflicted_job_is_on_time():
    problem = with_blocked(
        plant(
            booked("j", "A", 200, due=300, weight=2),
            booked("n", "B", 0, 200),
            booked("k", "B", 200, due=1000),
            booked("m", "C", 0, 2000),
        ),
        "A",
        DOWN,
    )
    first = greedy_repair(scope_of(problem, ["j"], NOW))
    assert first == {"j": [Assignment("j", 0, "B", 200, 300)], "k": [Assignment("k", 0, "B", 300, 400)]}


def test_without_time_for_cp_sat_the_greedy_answer_is_the_proposal():
    problem = with_blocked(plant(booked("j", "A", 200), booked("k", "B", 0, 150)), "A", DOWN)
    result = repair(problem, ["j"], pinned_until=NOW, time_limit_s=0, workers=2)
    assert result.status == "feasible"
    assert result.assignments == {"j": [Assignment("j", 0, "C", 100, 200)]}  # the earliest chain
    assert not validate(result.problem, result.schedule)


def test_broken_jobs_names_the_later_of_two_jobs_that_overload_a_pool():
    crew = Stage({"A": 100, "B": 100}, demands=[Demand("crew", 1, "start", 0, 30)])
    first, second = Job("j", [crew]), Job("k", [crew])
    problem = plant(
        (first, [Assignment("j", 0, "A", 200, 300)]),
        (second, [Assignment("k", 0, "B", 210, 310)]),
        pools=[Pool("crew", 1)],
    )
    assert broken_jobs(problem) == ["k"]


def test_broken_jobs_names_a_job_whose_extended_stage_now_ends_after_its_next_stage_starts():
    job = Job("j", [Stage({"A": 100}), Stage({"B": 100})])
    problem = plant((job, [Assignment("j", 0, "A", 0, 150), Assignment("j", 1, "B", 100, 200)]))
    assert broken_jobs(problem) == ["j"]
