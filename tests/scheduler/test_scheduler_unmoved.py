"""optimize(current=...): never worse than leaving the plan as it is, and no move that gains nothing."""

from hypothesis import assume, given
from hypothesis import strategies as st

from scheduler import Assignment, Job, Problem, Resource, Schedule, Stage, optimize, validate
from scheduler.greedy import list_schedule, score
from scheduler.unmoved import leave_unmoved
from tests.scheduler.test_scheduler_properties import SETTINGS, problems

FAST = {"time_limit_s": 2.0, "workers": 1}
VESSELS = [Resource("LF100-1"), Resource("LF100-2")]


def test_a_job_an_operator_moved_by_hand_stays_there_when_moving_it_back_gains_nothing():
    job = Job("BK5", [Stage({"LF100-1": 60, "LF100-2": 60}, needs_staff=False)], due=10_000)
    by_hand = [Assignment("BK5", 0, "LF100-2", 2_880, 2_940)]  # two days later, on the second vessel
    result = optimize(Problem(VESSELS, [job]), current=by_hand, **FAST)
    assert result.assignments == by_hand and result.objective == 0


def test_without_the_current_plan_the_tie_break_takes_the_first_vessel_at_once():
    job = Job("BK5", [Stage({"LF100-1": 60, "LF100-2": 60}, needs_staff=False)], due=10_000)
    result = optimize(Problem(VESSELS, [job]), **FAST)
    assert result.assignments == [Assignment("BK5", 0, "LF100-1", 0, 60)]


def test_a_late_job_is_moved_when_the_move_makes_it_less_late():
    job = Job("late", [Stage({"LF100-1": 60, "LF100-2": 60}, needs_staff=False)], due=100)
    result = optimize(Problem(VESSELS, [job]), current=[Assignment("late", 0, "LF100-1", 500, 560)], **FAST)
    assert result.objective == 0 and result.assignments[0].end <= 100


def test_only_the_move_that_helps_is_kept_when_two_jobs_are_moved():
    jobs = [
        Job("late", [Stage({"LF100-1": 60}, needs_staff=False)], due=60),
        Job("idle", [Stage({"LF100-1": 60, "LF100-2": 60}, needs_staff=False)], due=10_000),
    ]
    now = [Assignment("late", 0, "LF100-1", 60, 120), Assignment("idle", 0, "LF100-2", 300, 360)]
    result = optimize(Problem(VESSELS, jobs), current=now, **FAST)
    assert result.objective == 0
    assert Assignment("idle", 0, "LF100-2", 300, 360) in result.assignments


def test_a_current_placement_that_breaks_a_rule_is_not_kept():
    jobs = [
        Job("a", [Stage({"LF100-1": 60}, needs_staff=False)]),
        Job("b", [Stage({"LF100-1": 60}, needs_staff=False)]),
    ]
    overlapping = [Assignment("a", 0, "LF100-1", 0, 60), Assignment("b", 0, "LF100-1", 30, 90)]
    problem = Problem(VESSELS, jobs)
    result = optimize(problem, objective="makespan", current=overlapping, **FAST)
    assert validate(problem, result) == [] and result.objective == 120


def test_the_final_pass_puts_back_a_job_the_plan_moved_for_nothing():
    jobs = [Job("a", [Stage({"LF100-1": 60, "LF100-2": 60})]), Job("b", [Stage({"LF100-1": 60, "LF100-2": 60})])]
    problem = Problem(VESSELS, jobs)
    now = [Assignment("a", 0, "LF100-2", 0, 60), Assignment("b", 0, "LF100-1", 0, 60)]
    swapped = [Assignment("a", 0, "LF100-1", 0, 60), Assignment("b", 0, "LF100-2", 0, 60)]
    assert leave_unmoved(problem, swapped, now, "makespan") == now


@SETTINGS
@given(problems(max_jobs=3), st.sampled_from(["weighted_tardiness", "makespan"]), st.randoms(use_true_random=False))
def test_the_answer_is_never_worse_than_the_current_plan_and_every_move_is_needed(problem, objective, rng):
    order = {job.id: rng.random() for job in problem.jobs}
    current = list_schedule(problem, lambda job: order[job.id])
    assume(current is not None)
    result = optimize(problem, objective=objective, current=current, **FAST)
    assert validate(problem, result) == []
    assert result.objective == score(problem, result.assignments, objective) <= score(problem, current, objective)
    for job in problem.jobs:
        was = sorted(a for a in current if a.job == job.id)
        now = sorted(a for a in result.assignments if a.job == job.id)
        if now != was:
            back = [a for a in result.assignments if a.job != job.id] + was
            put_back = Schedule(back, "feasible", None, None)
            assert validate(problem, put_back) or score(problem, back, objective) > result.objective
