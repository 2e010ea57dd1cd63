"""The overlap table (before, touching, overlapping, same, inside, after) for every resource rule."""

import pytest

from scheduler import Assignment, Job, Problem, Resource, Schedule, Stage, earliest_slots, validate

EXISTING = Assignment("old", 0, "F1", 100, 200)  # occupies [100, 230) with a 30 min turnaround
TABLE = [
    ("before", 0, True),
    ("touching the start", 20, True),
    ("overlapping the start", 30, False),
    ("same start", 100, False),
    ("inside", 120, False),
    ("inside the turnaround", 210, False),
    ("touching the end of turnaround", 230, True),
    ("after", 300, True),
]


def problem(family="x", old_family="x", changeover=0, blocked=()):
    resource = Resource("F1", blocked=blocked, turnaround=30, changeover=changeover)
    new = Job("new", [Stage({"F1": 50})], family=family)
    old = Job("old", [Stage({"F1": 100})], family=old_family)
    return Problem([resource], [new], fixed=[EXISTING], fixed_jobs=[old])


def errors_for(p, start):
    return validate(p, Schedule([Assignment("new", 0, "F1", start, start + 50)], "feasible", None, None))


@pytest.mark.parametrize("case, start, allowed", TABLE, ids=[row[0] for row in TABLE])
def test_a_batch_next_to_existing_work_is_allowed_only_outside_its_occupation(case, start, allowed):
    assert (errors_for(problem(), start) == []) is allowed


CHANGEOVER_TABLE = [
    ("touching the start without room for changeover", 20, False),
    ("ending a changeover before the start", 0, True),
    ("touching the end of turnaround", 230, False),
    ("after turnaround and changeover", 250, True),
]


@pytest.mark.parametrize("case, start, allowed", CHANGEOVER_TABLE, ids=[r[0] for r in CHANGEOVER_TABLE])
def test_a_batch_of_another_family_also_needs_the_changeover(case, start, allowed):
    assert (errors_for(problem(family="y", changeover=20), start) == []) is allowed


BLOCKED = (300, 400)
BLOCKED_TABLE = [
    ("turnaround touching the window", 220, True),
    ("turnaround overlapping the window", 221, False),
    ("same start as the window", 300, False),
    ("inside the window", 320, False),
    ("touching the end of the window", 400, True),
]


@pytest.mark.parametrize("case, start, allowed", BLOCKED_TABLE, ids=[r[0] for r in BLOCKED_TABLE])
def test_a_batch_and_its_turnaround_stay_out_of_blocked_windows(case, start, allowed):
    p = Problem([Resource("F1", blocked=[BLOCKED], turnaround=30)], [Job("new", [Stage({"F1": 50})])])
    assert (errors_for(p, start) == []) is allowed


def test_a_batch_touching_the_end_of_turnaround_is_the_earliest_slot_after_existing_work():
    p = problem()
    late = Job("new", [Stage({"F1": 80})], release=50, family="x")
    assert earliest_slots(p, late, limit=1) == [[Assignment("new", 0, "F1", 230, 310)]]


def test_the_earliest_slot_fits_before_existing_work_when_the_gap_is_long_enough():
    p = problem()
    assert earliest_slots(p, p.jobs[0], limit=1) == [[Assignment("new", 0, "F1", 0, 50)]]


def test_the_earliest_slot_of_another_family_leaves_room_for_the_changeover():
    p = problem(family="y", changeover=20)
    assert earliest_slots(p, p.jobs[0], limit=2) == [
        [Assignment("new", 0, "F1", 0, 50)],
        [Assignment("new", 0, "F1", 250, 300)],
    ]


def test_the_earliest_slot_skips_a_blocked_window_that_the_turnaround_would_touch():
    p = Problem([Resource("F1", blocked=[(100, 200)], turnaround=30)], [Job("new", [Stage({"F1": 80})])])
    assert earliest_slots(p, p.jobs[0], limit=1) == [[Assignment("new", 0, "F1", 200, 280)]]
