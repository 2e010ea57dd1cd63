"""validate() names every broken constraint in words."""

from scheduler import Assignment, Demand, Job, Pool, Problem, Resource, Schedule, Stage, validate


def schedule(*assignments):
    return Schedule(list(assignments), "feasible", None, None)


TWO_STAGES = Job("j", [Stage({"A": 10, "B": 20}), Stage({"B": 5}, max_wait=15)], release=5)
PLAIN = Problem([Resource("A"), Resource("B")], [TWO_STAGES])


def test_a_correct_chain_has_no_errors():
    assert validate(PLAIN, schedule(Assignment("j", 0, "A", 5, 15), Assignment("j", 1, "B", 30, 35))) == []


def test_a_missing_stage_is_reported():
    assert validate(PLAIN, schedule(Assignment("j", 0, "A", 5, 15))) == ["j stage 1 is placed 0 times, not once"]


def test_a_stage_on_a_resource_it_cannot_use_is_reported():
    errors = validate(PLAIN, schedule(Assignment("j", 0, "A", 5, 15), Assignment("j", 1, "A", 15, 20)))
    assert errors == ["j stage 1 runs on A, which is not one of its options"]


def test_a_wrong_duration_for_the_chosen_resource_is_reported():
    errors = validate(PLAIN, schedule(Assignment("j", 0, "B", 5, 15), Assignment("j", 1, "B", 25, 30)))
    assert errors == ["j stage 0 lasts 10 min on B, not 20"]


def test_a_start_before_release_is_reported():
    errors = validate(PLAIN, schedule(Assignment("j", 0, "A", 0, 10), Assignment("j", 1, "B", 10, 15)))
    assert errors == ["j stage 0 starts at 0, before its release at 5"]


def test_a_stage_starting_before_the_previous_one_ends_is_reported():
    errors = validate(PLAIN, schedule(Assignment("j", 0, "A", 5, 15), Assignment("j", 1, "B", 14, 19)))
    assert errors == ["j stage 1 starts at 14, before stage 0 ends at 15"]


def test_waiting_longer_than_max_wait_is_reported_and_exactly_max_wait_is_not():
    ok = schedule(Assignment("j", 0, "A", 5, 15), Assignment("j", 1, "B", 30, 35))
    late = schedule(Assignment("j", 0, "A", 5, 15), Assignment("j", 1, "B", 31, 36))
    assert validate(PLAIN, ok) == []
    assert validate(PLAIN, late) == ["j stage 1 waits 16 min after stage 0, more than the allowed 15"]


def test_a_staffed_stage_must_start_inside_a_start_window_whose_end_is_excluded():
    p = Problem([Resource("A")], [Job("j", [Stage({"A": 10})])], start_windows=[(0, 100)])
    assert validate(p, schedule(Assignment("j", 0, "A", 99, 109))) == []
    assert validate(p, schedule(Assignment("j", 0, "A", 100, 110))) == [
        "j stage 0 starts at 100, outside the staffed start windows"
    ]


def test_an_unstaffed_stage_may_start_outside_the_windows():
    p = Problem([Resource("A")], [Job("j", [Stage({"A": 10}, needs_staff=False)])], start_windows=[(0, 100)])
    assert validate(p, schedule(Assignment("j", 0, "A", 500, 510))) == []


def test_a_pool_over_capacity_is_reported_with_demands_relative_to_start_and_end():
    crew = Stage({"A": 10, "B": 10}, demands=[Demand("crew", 1, "start", 0, 5)])
    steam = Stage({"A": 10, "B": 10}, demands=[Demand("crew", 1, "end", 0, None)])
    p = Problem(
        [Resource("A", turnaround=4), Resource("B", turnaround=4)],
        [Job("x", [crew]), Job("y", [steam])],
        pools=[Pool("crew", 1)],
    )
    clash = schedule(Assignment("x", 0, "A", 12, 22), Assignment("y", 0, "B", 0, 10))
    apart = schedule(Assignment("x", 0, "A", 14, 24), Assignment("y", 0, "B", 0, 10))
    assert validate(p, clash) == ["pool crew uses 2 from 12, over its capacity 1"]
    assert validate(p, apart) == []


def test_fixed_work_counts_for_pools_through_its_job_description():
    stage = Stage({"A": 10, "B": 10}, demands=[Demand("steam", 2, "start", 0, 10)])
    p = Problem(
        [Resource("A"), Resource("B")],
        [Job("new", [stage])],
        fixed=[Assignment("old", 0, "A", 0, 10)],
        pools=[Pool("steam", 3)],
        fixed_jobs=[Job("old", [stage])],
    )
    assert validate(p, schedule(Assignment("new", 0, "B", 5, 15))) == ["pool steam uses 4 from 5, over its capacity 3"]


def test_an_unknown_job_is_reported():
    assert "ghost is not a job of this problem" in validate(PLAIN, schedule(Assignment("ghost", 0, "A", 0, 1)))
