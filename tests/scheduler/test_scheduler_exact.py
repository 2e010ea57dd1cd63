"""place_at(): a customer's chosen slot for one stage, with the seed before and the downstream after it."""

import pytest

from scheduler import Assignment, Job, Problem, Resource, Schedule, Stage, validate
from scheduler.exact import SlotTaken, place_at

RESOURCES = [Resource("seed", turnaround=10), Resource("main", turnaround=10), Resource("dsp", turnaround=5)]
CHAIN = Job("j", [Stage({"seed": 100}), Stage({"main": 200}, max_wait=20), Stage({"dsp": 50}, max_wait=30)])


def test_the_chosen_stage_starts_exactly_where_asked_with_the_seed_ending_just_before():
    chain = place_at(Problem(RESOURCES, []), CHAIN, 1, "main", 500)
    assert chain == [
        Assignment("j", 0, "seed", 380, 480),
        Assignment("j", 1, "main", 500, 700),
        Assignment("j", 2, "dsp", 700, 750),
    ]


def test_a_busy_seed_vessel_moves_the_seed_later_within_the_allowed_wait():
    busy = Problem(RESOURCES, [], fixed=[Assignment("old", 0, "seed", 300, 385)])
    chain = place_at(busy, CHAIN, 1, "main", 500)
    assert chain[0] == Assignment("j", 0, "seed", 395, 495)
    assert validate(Problem(RESOURCES, [CHAIN], fixed=busy.fixed), Schedule(chain, "feasible", None, None)) == []


@pytest.mark.parametrize(
    "case, fixed",
    [
        ("main overlaps existing work", [Assignment("old", 0, "main", 600, 650)]),
        ("main touches existing turnaround", [Assignment("old", 0, "main", 400, 491)]),
        ("no seed can end in time", [Assignment("old", 0, "seed", 300, 495)]),
        ("downstream busy past the hold", [Assignment("old", 0, "dsp", 690, 800)]),
    ],
)
def test_a_chosen_slot_that_cannot_hold_the_chain_is_refused(case, fixed):
    with pytest.raises(SlotTaken):
        place_at(Problem(RESOURCES, [], fixed=fixed), CHAIN, 1, "main", 500)


def test_a_start_outside_the_start_windows_is_refused():
    staffed = Problem(RESOURCES, [], start_windows=[(0, 400), (480, 520)])
    assert place_at(staffed, Job("k", [Stage({"main": 50})]), 0, "main", 490)[0].start == 490
    with pytest.raises(SlotTaken):
        place_at(staffed, Job("k", [Stage({"main": 50})]), 0, "main", 450)


def test_a_resource_that_is_not_an_option_is_refused():
    with pytest.raises(SlotTaken):
        place_at(Problem(RESOURCES, []), CHAIN, 1, "seed", 500)
