"""earliest_slots(): whole chains of stages, earliest first, smaller (earlier-listed) vessels on ties."""

from scheduler import Assignment, Demand, Job, Pool, Problem, Resource, Stage, earliest_slots


def test_a_chain_waits_for_a_seed_vessel_so_that_the_main_stage_starts_within_max_wait():
    resources = [Resource("seed", turnaround=10), Resource("main", turnaround=10)]
    job = Job("j", [Stage({"seed": 100}), Stage({"main": 200}, max_wait=20)])
    busy = Problem(resources, [], fixed=[Assignment("old", 0, "main", 50, 300)])
    # main is free from 310; the seed must end at 290 or later, so it starts at 190 at the earliest
    assert earliest_slots(busy, job, limit=1) == [
        [Assignment("j", 0, "seed", 190, 290), Assignment("j", 1, "main", 310, 510)]
    ]


def test_equally_early_options_prefer_the_first_listed_vessel():
    p = Problem([Resource("small"), Resource("large")], [])
    job = Job("j", [Stage({"small": 10, "large": 10})])
    slots = earliest_slots(p, job, limit=2)
    assert [chain[0].resource for chain in slots] == ["small", "large"]


def test_alternatives_come_from_later_free_gaps():
    p = Problem([Resource("A")], [], fixed=[Assignment("a", 0, "A", 20, 30), Assignment("b", 0, "A", 50, 60)])
    job = Job("j", [Stage({"A": 10})])
    assert [c[0].start for c in earliest_slots(p, job, limit=3)] == [0, 30, 60]


def test_the_limit_caps_the_number_of_slots():
    p = Problem([Resource("A"), Resource("B"), Resource("C")], [])
    assert len(earliest_slots(p, Job("j", [Stage({"A": 5, "B": 5, "C": 5})]), limit=2)) == 2


def test_a_staffed_stage_starts_only_in_a_start_window():
    p = Problem([Resource("A")], [], start_windows=[(480, 1200), (1920, 2640)])
    job = Job("j", [Stage({"A": 600})], release=1000)
    assert earliest_slots(p, job, limit=2) == [
        [Assignment("j", 0, "A", 1000, 1600)],
        [Assignment("j", 0, "A", 1920, 2520)],
    ]


def test_a_crew_pool_at_capacity_pushes_the_start_past_the_busy_hour():
    stage = Stage({"A": 100, "B": 100}, demands=[Demand("crew", 1, "start", 0, 60)])
    p = Problem(
        [Resource("A"), Resource("B")],
        [],
        fixed=[Assignment("old", 0, "A", 0, 100)],
        pools=[Pool("crew", 1)],
        fixed_jobs=[Job("old", [stage])],
    )
    assert earliest_slots(p, Job("j", [stage]), limit=1) == [[Assignment("j", 0, "B", 60, 160)]]


def test_two_stages_of_one_job_on_the_same_vessel_respect_its_turnaround():
    p = Problem([Resource("A", turnaround=15)], [])
    job = Job("j", [Stage({"A": 10}), Stage({"A": 10})])
    assert earliest_slots(p, job, limit=1) == [[Assignment("j", 0, "A", 0, 10), Assignment("j", 1, "A", 25, 35)]]


def test_no_slot_exists_when_the_start_windows_are_too_short():
    p = Problem([Resource("A")], [], start_windows=[(0, 10)])
    job = Job("j", [Stage({"A": 10}), Stage({"A": 10}, max_wait=0)])
    assert earliest_slots(p, job) == []


def test_a_gap_far_beyond_the_first_search_horizons_is_found():
    p = Problem([Resource("A", blocked=[(0, 100_000)])], [], fixed=[Assignment("a", 0, "A", 100_050, 100_060)])
    job = Job("j", [Stage({"A": 10})], release=5)
    assert [c[0].start for c in earliest_slots(p, job, limit=2)] == [100_000, 100_060]
