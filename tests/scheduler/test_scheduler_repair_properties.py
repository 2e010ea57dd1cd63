"""After any sequence of breakdowns, overruns and repairs, the plan holds: what is not broken passes
`validate`, every repair's plan is valid, and applying it leaves nothing broken."""

import random
from dataclasses import replace

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scheduler import Schedule, broken_jobs, repair, validate
from tests.scheduler.repair_plant import random_plan, with_blocked

SETTINGS = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
PINNED = 50  # minutes after "now" in which nothing moves

breakdowns = st.tuples(st.just("down"), st.sampled_from("ABC"), st.integers(0, 300), st.integers(10, 400))
overruns = st.tuples(st.just("overrun"), st.integers(0, 20), st.integers(10, 200))
disruptions = st.lists(st.tuples(st.integers(0, 200), st.one_of(breakdowns, overruns)), min_size=1, max_size=3)


def disrupt(problem, now, change):
    """A vessel down from `now` + offset, or the batch running at `now` (if any) overrunning."""
    if change[0] == "down":
        _, vessel, offset, length = change
        return with_blocked(problem, vessel, (now + offset, now + offset + length))
    _, pick, extra = change
    running = sorted(a for a in problem.fixed if a.start <= now < a.end)
    if not running:
        return problem
    batch = running[pick % len(running)]
    return replace(problem, fixed=[replace(a, end=a.end + extra) if a == batch else a for a in problem.fixed])


def kept_part_is_valid(problem, broken):
    rest = type(problem)(
        problem.resources,
        [],
        [a for a in problem.fixed if a.job not in broken],
        problem.start_windows,
        problem.pools,
        problem.fixed_jobs,
    )
    return validate(rest, Schedule([], "fixed", None, None)) == []


@SETTINGS
@given(seed=st.integers(0, 10**6), steps=disruptions)
def test_every_sequence_of_disruptions_and_repairs_keeps_the_plan_valid(seed, steps):
    problem, now = random_plan(random.Random(seed), 8), 0
    for advance, change in steps:
        now += advance
        problem = disrupt(problem, now, change)
        broken = broken_jobs(problem)
        assert kept_part_is_valid(problem, broken)
        result = repair(problem, broken, pinned_until=now + PINNED, time_limit_s=0.2, workers=1)
        assert result.status != "infeasible"
        assert not validate(result.problem, result.schedule)
        assert set(broken) <= {a.job for a in result.schedule.assignments}
        problem = replace(problem, fixed=[*result.problem.fixed, *result.schedule.assignments])
        assert broken_jobs(problem) == []
