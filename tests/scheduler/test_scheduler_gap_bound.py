"""The gap-assignment bound: jobs competing for the free gaps among fixed work, the rest queued after it."""

import pytest
from hypothesis import given

from scheduler import Assignment, Job, Problem, Resource, Stage, optimize
from scheduler.bounds import alone_bound
from scheduler.cpsat_solve import Limits
from scheduler.gap_bound import gap_bound
from tests.scheduler.test_scheduler_properties import SETTINGS, problems

LIMITS = Limits(5.0, 1, 0)


def busy(resource, *spans):
    """Fixed work on the resource over the given spans."""
    return [Assignment(f"old{resource}{i}", 0, resource, a, b) for i, (a, b) in enumerate(spans)]


def around(resources, jobs, fixed, **options):
    """The jobs to place on the resources around the fixed assignments, each described as a one-stage job."""
    described = [Job(a.job, [Stage({a.resource: a.end - a.start})]) for a in fixed]
    return Problem(resources, jobs, fixed, fixed_jobs=described, **options)


def on_a(jobs, *spans, turnaround=0):
    """The jobs to place on resource A, busy with fixed work over the spans."""
    return around([Resource("A", turnaround=turnaround)], jobs, busy("A", *spans))


def test_two_jobs_wanting_one_gap_leave_the_lighter_waiting_after_the_fixed_work():
    p = on_a(
        [Job("heavy", [Stage({"A": 10})], due=20, weight=5), Job("light", [Stage({"A": 10})], due=20, weight=1)],
        (0, 10),
        (20, 100),
    )
    assert alone_bound(p, "weighted_tardiness") == 0  # each alone would take the gap
    assert gap_bound(p, LIMITS) == 1 * (110 - 20)
    assert optimize(p, time_limit_s=5, workers=1).objective == 90


def test_jobs_queued_after_the_fixed_work_are_bounded_by_smiths_order():
    p = on_a(
        [
            Job("a", [Stage({"A": 10})], due=0, weight=3),
            Job("b", [Stage({"A": 20})], due=0, weight=2),
            Job("c", [Stage({"A": 30})], due=0, weight=1),
        ],
        (0, 100),
    )
    # shortest per weight first: a ends at 110, b at 130, c at 160
    assert gap_bound(p, LIMITS) == 3 * 110 + 2 * 130 + 1 * 160
    assert optimize(p, time_limit_s=5, workers=1).objective == 750


def test_turnaround_counts_in_the_gap_and_between_queued_jobs():
    jobs = [Job("a", [Stage({"A": 10})], due=0, weight=1), Job("b", [Stage({"A": 10})], due=0, weight=1)]
    p = on_a(jobs, (0, 10), (22, 100), turnaround=3)
    # the gap [13, 22) cannot hold 10 + 3; queued after 103: 103-113, then 116-126
    assert gap_bound(p, LIMITS) == 113 + 126
    assert optimize(p, time_limit_s=5, workers=1).objective == 113 + 126


def test_a_gap_the_earlier_stage_cannot_reach_does_not_count():
    seeded = Job("j", [Stage({"B": 10}), Stage({"A": 20}, max_wait=0)], due=30, weight=2)
    p = around([Resource("A"), Resource("B")], [seeded], busy("A", (0, 10), (50, 100)) + busy("B", (0, 25)))
    # the seed ends at 35 at the earliest: the main stage misses the gap [10, 50) and waits until 100
    assert gap_bound(p, LIMITS) == 2 * (120 - 30)


def test_a_quarter_of_a_seeded_job_is_charged_in_the_seed_vessels_queue():
    seeded = Job("seeded", [Stage({"B": 10}), Stage({"A": 20}, max_wait=0)], due=0, weight=4)
    local = Job("local", [Stage({"B": 10})], due=0, weight=4)
    p = around([Resource("A"), Resource("B")], [seeded, local], busy("B", (0, 100)))
    # main: ¾·4·(110 + 20) = 390; on B, in Smith's order: local 4·110 = 440, then the seed's
    # quarter 1·(100 + 10 + 10 + 20) = 140; the optimum is 4·110 + 4·140 (or 4·130 + 4·120)
    assert gap_bound(p, LIMITS) == 390 + 440 + 140
    assert optimize(p, time_limit_s=5, workers=1).objective == 1000


def test_jobs_without_due_dates_give_a_zero_bound():
    assert gap_bound(on_a([Job("j", [Stage({"A": 10})])], (0, 100)), LIMITS) == 0


@SETTINGS
@given(problems(max_jobs=3))
def test_the_gap_bound_never_exceeds_the_optimum(problem):
    result = optimize(problem, time_limit_s=2.0, workers=1)
    relaxed = gap_bound(problem, LIMITS)
    if result.status != "infeasible":
        assert relaxed is not None
    if result.status == "optimal":
        assert relaxed <= result.objective


@pytest.mark.parametrize("workers", [1, 2])
def test_a_main_stage_takes_a_gap_only_with_a_seed_that_can_reach_it(workers):
    seeded = Job("seeded", [Stage({"B": 10}), Stage({"A": 20}, max_wait=0)], due=40, weight=4)
    local = Job("local", [Stage({"B": 10})], due=15, weight=4)
    fixed = busy("A", (0, 10), (50, 100)) + busy("B", (0, 5), (20, 200))
    p = around([Resource("A"), Resource("B")], [seeded, local], fixed)
    # B's gap [5, 20) holds one of the seed and `local`; a seed queued after 200 cannot reach A's gap
    # [10, 50), so either `local` waits (4·195) or the seeded job does (4·190); unlinked, the bound
    # was the seed's quarter alone (190); with two workers CP-SAT runs the proving portfolio
    assert gap_bound(p, Limits(5.0, workers, 0)) == 4 * 190
    assert optimize(p, time_limit_s=5, workers=1).objective == 4 * 190


def test_a_seed_as_long_as_its_main_stage_still_charges_the_main_vessels_queue():
    seeded = Job("seeded", [Stage({"B": 10}), Stage({"A": 10}, max_wait=0)], due=0, weight=4)
    other = Job("other", [Stage({"A": 10})], due=0, weight=4)
    p = around([Resource("A"), Resource("B")], [seeded, other], busy("A", (0, 100)))
    # on A from 100 in Smith's order: other 4·110, then ¾ of the seeded job 3·120; the seed's quarter
    # 1·110; charging the seed alone (as when the tie went to the earlier stage) gave 4·110 + 4·110
    assert gap_bound(p, LIMITS) == 4 * 110 + 3 * 120 + 1 * 110
    assert optimize(p, time_limit_s=5, workers=1).objective == 4 * 110 + 4 * 120


def test_staffed_hours_charge_the_idle_they_force_into_a_tail():
    days = [(d * 1440 + 8 * 60, d * 1440 + 20 * 60) for d in range(40)]
    jobs = [Job(f"j{i}", [Stage({"A": 24 * 60})], due=0, weight=1) for i in range(6)]
    p = around([Resource("A", turnaround=14 * 60)], jobs, busy("A", (0, 480)), start_windows=days)
    # A is clean at 22:00 and the queue opens at 08:00 the next day (1920); Smith's order of six
    # 38 h occupations: 6·(1920 + 1440) + 15·2280; each later start waits at least 456·(k - 1) - 456
    # more (a 24 h batch started by day frees the vessel at night), charged over 15 pairs and 6 jobs
    assert gap_bound(p, LIMITS) == 6 * 3360 + 15 * 2280 + 456 * (15 - 6)
    assert optimize(p, time_limit_s=5, workers=1).objective == 63360  # a start every other morning
