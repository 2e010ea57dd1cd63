"""Requests and inventory become jobs: fitting vessels, seed and downstream stages, reasons for no fit."""

import pytest

from scheduler import Assignment, Demand
from scheduler.inventory import NoFit, Vessel
from scheduler.rules import Extraction, Policy, Request, build_problem, job_for

PLANT = [
    Vessel("L30", "liquid", 30, turnaround_h=5),
    Vessel("L200", "liquid", 200, turnaround_h=7, changeover_h=2),
    Vessel("L250", "liquid", 250, turnaround_h=7),
    Vessel("L500", "liquid", 500, turnaround_h=7),
    Vessel("L2000", "liquid", 2000, turnaround_h=10),
    Vessel("L5000", "liquid", 5000, turnaround_h=10, biosafety_level=2),
    Vessel("L20000", "liquid", 20000, turnaround_h=14),
    Vessel("S75", "solid", 75, status="maintenance"),
    Vessel("DC", "downstream", throughput_l_per_h=2000, unit="centrifuge"),
    Vessel("DS", "downstream", throughput_l_per_h=1000, unit="centrifuge", biosafety_level=2),
]


def request(**overrides):
    base = {"id": "r1", "service": "scale-up", "kind": "liquid", "working_volume_l": 100, "duration_h": 24}
    return Request(**{**base, **overrides})


def test_a_small_liquid_batch_gets_one_main_stage_on_the_vessels_that_fit_smallest_first():
    job = job_for(request(working_volume_l=120), PLANT)
    assert [dict(s.options) for s in job.stages] == [{"L200": 1440, "L250": 1440}]


def test_a_batch_of_1000_litres_gets_a_seed_stage_ending_at_most_two_hours_before_the_main_stage():
    job = job_for(request(working_volume_l=3000, organism_family="yeast"), PLANT)
    seed, main = job.stages
    assert dict(seed.options) == {"L500": 1440}
    assert dict(main.options) == {"L5000": 1440} and main.max_wait == 120 and job.family == "yeast"


def test_the_seed_vessel_holds_ten_percent_of_the_main_volume():
    job = job_for(request(working_volume_l=1000), PLANT)
    assert list(job.stages[0].options) == ["L200", "L250"]


def test_a_999_litre_batch_needs_no_seed_stage():
    assert len(job_for(request(working_volume_l=999, duration_h=10), PLANT).stages) == 1


def test_extraction_adds_a_downstream_stage_with_duration_from_throughput_and_a_twelve_hour_hold():
    job = job_for(request(working_volume_l=300, extraction=Extraction(unit="centrifuge", volume_l=250)), PLANT)
    downstream = job.stages[-1]
    assert dict(downstream.options) == {"DC": 8, "DS": 15}  # 250 L at 2000 and 1000 L/h, rounded up
    assert downstream.max_wait == 720 and not downstream.needs_staff


def test_stages_demand_crew_at_the_start_and_steam_after_the_batch():
    stage = job_for(request(), PLANT).stages[0]
    assert stage.demands == (Demand("crew", 1, "start", 0, 60), Demand("steam", 1, "end", 0, 120))


@pytest.mark.parametrize(
    "overrides, reason",
    [
        ({"working_volume_l": 15000}, "没有液体发酵罐能装 15,000 L：可用的最大工作体积为 14,000 L"),
        ({"working_volume_l": 5}, "5 L 低于所有可用液体发酵罐的最小工作体积（最小为 9 L）"),
        (
            {"working_volume_l": 400},
            "400 L 落在可用液体发酵罐的工作体积空档中（较小的罐最多 350 L，较大的罐至少 600 L）",
        ),
        ({"biosafety_level": 3}, "没有生物安全等级达到 BSL-3 的可用液体发酵罐（最高为 BSL-2）"),
        ({"kind": "solid", "working_volume_l": 20}, "所有固态发酵罐都在维护或已停用"),
        ({"extraction": Extraction(unit="dryer")}, "平台没有下游设备 dryer"),
    ],
)
def test_when_nothing_fits_the_reason_is_given_in_words(overrides, reason):
    with pytest.raises(NoFit) as error:
        job_for(request(**overrides), PLANT)
    assert str(error.value) == reason


def test_a_vessel_outside_its_kinds_volume_range_is_refused():
    with pytest.raises(ValueError, match="20,000 L"):
        Vessel("huge", "liquid", 30000)


def test_build_problem_pins_confirmed_work_with_its_family_and_demands():
    confirmed = (request(id="old", organism_family="yeast"), [Assignment("old", 0, "L200", 0, 1440)])
    problem = build_problem(PLANT, [request(id="new")], Policy(), start_windows=[(0, 720)], confirmed=[confirmed])
    assert [j.id for j in problem.jobs] == ["new"] and problem.fixed == (confirmed[1][0],)
    assert problem.fixed_jobs[0].family == "yeast" and problem.fixed_jobs[0].stages[0].demands
    assert {r.id: r.turnaround for r in problem.resources}["L200"] == 420


def test_build_problem_names_the_request_that_does_not_fit():
    with pytest.raises(NoFit, match="申请 r9"):
        build_problem(PLANT, [request(id="r9", working_volume_l=50000)])
