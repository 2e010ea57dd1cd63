"""The validator's findings reach the operator as Chinese sentences about bookings, vessels and plant times."""

import pytest

from app.services.plan.move_findings import in_chinese, job_ids


def stage(job: str, k: int) -> str:
    return f"预约 BK-{job} 的{['种子罐阶段', '主发酵阶段', '下游提取阶段'][k]}"


def at(minutes: int) -> str:
    return f"T{minutes}"


@pytest.mark.parametrize(
    "finding, sentence",
    [
        (
            "7 stage 1 runs on LF50-1, which is not one of its options",
            "预约 BK-7 的主发酵阶段不能放在 LF50-1 上（设备类型、工作体积或生物安全等级不符）",
        ),
        (
            "7 stage 1 lasts 600 min on LF100-1, not 2880",
            "预约 BK-7 的主发酵阶段在 LF100-1 上须持续 48 小时，调整后为 10 小时",
        ),
        (
            "7 stage 1 starts at 60, before its release at 120",
            "预约 BK-7 的主发酵阶段在 T60 开始，早于最早开始时间 T120",
        ),
        (
            "7 stage 1 starts at 1380, outside the staffed start windows",
            "预约 BK-7 的主发酵阶段在 T1380 开始，不在有人值守的开始时段内",
        ),
        (
            "7 stage 1 starts at 100, before stage 0 ends at 200",
            "预约 BK-7 的主发酵阶段在 T100 开始，早于预约 BK-7 的种子罐阶段结束（T200）",
        ),
        (
            "7 stage 2 waits 900 min after stage 1, more than the allowed 720",
            "预约 BK-7 的下游提取阶段在预约 BK-7 的主发酵阶段结束后等待 15 小时，超过允许的 12 小时",
        ),
        (
            "7 stage 1 on LF100-1 [0, 3180) incl. turnaround overlaps the blocked window [3000, 4440)",
            "预约 BK-7 的主发酵阶段在 LF100-1 上占用至 T3180（含清洗灭菌），与维护时段 T3000 至 T4440 重叠",
        ),
        (
            "8 stage 1 starts on LF100-1 at 60, before 7 stage 1 and its turnaround end at 3180",
            "预约 BK-8 的主发酵阶段在 LF100-1 上 T60 开始，但预约 BK-7 的主发酵阶段及其清洗灭菌要到 T3180 才结束",
        ),
        (
            "8 stage 1 starts on LF100-1 at 60, before 7 stage 1 and its turnaround and changeover end at 3180",
            "预约 BK-8 的主发酵阶段在 LF100-1 上 T60 开始，但预约 BK-7 的主发酵阶段及其清洗灭菌和换批要到 T3180 才结束",
        ),
        ("pool steam uses 3 from 7628, over its capacity 2", "T7628 起蒸汽供应（同时灭菌的批次）需要 3 个，超过上限 2"),
        ("7 stage 0 is placed 0 times, not once", "预约 BK-7 的种子罐阶段没有安排"),
        ("something the core may say one day", "something the core may say one day"),
    ],
)
def test_each_kind_of_finding_becomes_a_sentence_about_bookings_vessels_and_times(finding, sentence):
    assert in_chinese(finding, stage, at) == sentence


def test_the_findings_name_the_jobs_they_are_about():
    assert job_ids(
        [
            "8 stage 1 starts on LF100-1 at 60, before 7 stage 1 and its turnaround end at 3180",
            "pool crew uses 2 from 0, over its capacity 1",
        ]
    ) == {"7", "8"}
