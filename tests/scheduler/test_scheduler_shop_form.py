"""The plain flexible-shop form of the CP-SAT model (ends set by the options' intervals) is the same
problem as the linear form: on random small shops both prove the same optimal makespan, and its plans
keep every rule the validator knows."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scheduler import Job, Problem, Resource, Schedule, Stage, validate
from scheduler.cpsat_solve import Limits, solve
from scheduler.greedy import score

RESOURCES = ("A", "B", "C")
PROVE = Limits(10.0, 1, 0)


@st.composite
def shops(draw):
    """Plain shops: turnaround, changeover between families and releases, nothing else."""
    resources = [Resource(r, turnaround=draw(st.integers(0, 2)), changeover=draw(st.integers(0, 2))) for r in RESOURCES]
    jobs = []
    for j in range(draw(st.integers(1, 4))):
        stages = [
            Stage(
                draw(st.dictionaries(st.sampled_from(RESOURCES), st.integers(1, 6), min_size=1, max_size=3)),
                needs_staff=False,
            )
            for _ in range(draw(st.integers(1, 3)))
        ]
        jobs.append(Job(f"j{j}", stages, release=draw(st.integers(0, 5)), family=draw(st.sampled_from("xy"))))
    return Problem(resources, jobs)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(shops())
def test_both_forms_prove_the_same_optimal_makespan_with_valid_plans(problem):
    linear = solve(problem, None, "makespan", False, PROVE)
    shop = solve(problem, None, "makespan", False, PROVE, interval_ends=True)
    assert linear.status == shop.status == "optimal"
    assert shop.plan is not None and linear.plan is not None
    made = score(problem, shop.plan, "makespan")
    assert made == score(problem, linear.plan, "makespan")
    assert validate(problem, Schedule(shop.plan, "optimal", made, made)) == []


def test_a_stage_ends_its_duration_after_its_start_on_the_option_it_takes():
    problem = Problem(
        [Resource("slow", turnaround=3), Resource("fast", turnaround=1)],
        [Job("j", [Stage({"slow": 9, "fast": 4}, needs_staff=False), Stage({"slow": 2}, needs_staff=False)])],
    )
    outcome = solve(problem, None, "makespan", False, PROVE, interval_ends=True)
    first, second = outcome.plan
    assert (first.resource, first.end - first.start, second.end - second.start) == ("fast", 4, 2)
    assert outcome.status == "optimal" and second.end == 6
