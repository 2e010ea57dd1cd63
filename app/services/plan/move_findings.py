"""The schedule validator's findings (scheduler.validate, English with job ids and minute offsets) as Chinese
sentences about bookings, vessels and plant-local times, for the operator who made a move. The core keeps its
wording; a finding no pattern knows is shown as the core wrote it."""

import re
from collections.abc import Callable
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Booking
from app.services.plan.planning import Clock

STAGE_ZH = {"seed": "种子罐阶段", "main": "主发酵阶段", "downstream": "下游提取阶段"}
POOL_ZH = {"steam": "蒸汽供应（同时灭菌的批次）", "crew": "接种班组（同时开始的批次）"}
STAGE = r"(?P<job>\S+) stage (?P<k>\d+)"

Describe = Callable[[str, int], str]  # (job id, stage index) → "BK2612-00001 的主发酵阶段"
At = Callable[[int], str]  # minutes → "12-05 09:00" (plant-local)


def _hours(minutes: str) -> str:
    return f"{int(minutes) / 60:g} 小时"


PATTERNS: list[tuple[re.Pattern, Callable[[dict, Describe, At], str]]] = [
    (
        re.compile(STAGE + r" runs on (?P<res>\S+), which is not one of its options"),
        lambda m, stage, at: f"{stage(m['job'], m['k'])}不能放在 {m['res']} 上（设备类型、工作体积或生物安全等级不符）",
    ),
    (
        re.compile(STAGE + r" lasts (?P<got>-?\d+) min on (?P<res>\S+), not (?P<need>\d+)"),
        lambda m, stage, at: (
            f"{stage(m['job'], m['k'])}在 {m['res']} 上须持续 {_hours(m['need'])}，调整后为 {_hours(m['got'])}"
        ),
    ),
    (
        re.compile(STAGE + r" starts at (?P<t>-?\d+), before its release at (?P<r>-?\d+)"),
        lambda m, stage, at: f"{stage(m['job'], m['k'])}在 {at(m['t'])} 开始，早于最早开始时间 {at(m['r'])}",
    ),
    (
        re.compile(STAGE + r" starts at (?P<t>-?\d+), outside the staffed start windows"),
        lambda m, stage, at: f"{stage(m['job'], m['k'])}在 {at(m['t'])} 开始，不在有人值守的开始时段内",
    ),
    (
        re.compile(STAGE + r" starts at (?P<t>-?\d+), before stage (?P<p>\d+) ends at (?P<e>-?\d+)"),
        lambda m, stage, at: (
            f"{stage(m['job'], m['k'])}在 {at(m['t'])} 开始，早于{stage(m['job'], m['p'])}结束（{at(m['e'])}）"
        ),
    ),
    (
        re.compile(STAGE + r" waits (?P<gap>\d+) min after stage (?P<p>\d+), more than the allowed (?P<limit>\d+)"),
        lambda m, stage, at: (
            f"{stage(m['job'], m['k'])}在{stage(m['job'], m['p'])}结束后等待 {_hours(m['gap'])}，"
            f"超过允许的 {_hours(m['limit'])}"
        ),
    ),
    (
        re.compile(
            STAGE + r" on (?P<res>\S+) \[(?P<a>-?\d+), (?P<b>-?\d+)\) incl\. turnaround overlaps the blocked "
            r"window \[(?P<lo>-?\d+), (?P<hi>-?\d+)\)"
        ),
        lambda m, stage, at: (
            f"{stage(m['job'], m['k'])}在 {m['res']} 上占用至 {at(m['b'])}（含清洗灭菌），"
            f"与维护时段 {at(m['lo'])} 至 {at(m['hi'])} 重叠"
        ),
    ),
    (
        re.compile(
            STAGE + r" starts on (?P<res>\S+) at (?P<t>-?\d+), before (?P<other>\S+) stage (?P<ok>\d+) and its "
            r"(?P<why>.+) end at (?P<free>-?\d+)"
        ),
        lambda m, stage, at: (
            f"{stage(m['job'], m['k'])}在 {m['res']} 上 {at(m['t'])} 开始，但"
            f"{stage(m['other'], m['ok'])}及其清洗灭菌{'和换批' if 'changeover' in m['why'] else ''}"
            f"要到 {at(m['free'])} 才结束"
        ),
    ),
    (
        re.compile(r"pool (?P<pool>\S+) uses (?P<level>\d+) from (?P<t>-?\d+), over its capacity (?P<cap>\d+)"),
        lambda m, stage, at: (
            f"{at(m['t'])} 起{POOL_ZH.get(m['pool'], m['pool'])}需要 {m['level']} 个，超过上限 {m['cap']}"
        ),
    ),
    (
        re.compile(STAGE + r" is placed (?P<n>\d+) times, not once"),
        lambda m, stage, at: f"{stage(m['job'], m['k'])}{'没有安排' if m['n'] == '0' else '被重复安排'}",
    ),
]


def job_ids(findings: list[str]) -> set[str]:
    """The job ids (booking ids) the findings name."""
    return {job for finding in findings for job in re.findall(r"(\S+) stage \d+", finding)}


def in_chinese(finding: str, stage: Describe, at: At) -> str:
    """The finding as a Chinese sentence (or as it is, when no pattern knows it)."""
    for pattern, sentence in PATTERNS:
        match = pattern.fullmatch(finding)
        if match:
            return sentence(match.groupdict(), lambda job, k: stage(job, int(k)), lambda minutes: at(int(minutes)))
    return finding


def explain(session: Session, findings: list[str], tz: ZoneInfo, clock: Clock) -> list[str]:
    """The findings in Chinese, naming bookings by reference and minutes as plant-local times."""
    named = {
        str(b.id): b
        for b in session.scalars(
            select(Booking).where(Booking.id.in_([int(job) for job in job_ids(findings) if job.isdigit()]))
        )
    }

    def stage(job: str, k: int) -> str:
        booking = named.get(job)
        if booking is None:
            return f"作业 {job} 的第 {k + 1} 个阶段"
        stages = [s for s in STAGE_ZH if any(a.active and a.stage.value == s for a in booking.allocations)]
        return f"预约 {booking.reference} 的{STAGE_ZH[stages[k]] if k < len(stages) else f'第 {k + 1} 个阶段'}"

    def at(minutes: int) -> str:
        return clock.moment(minutes).astimezone(tz).strftime("%m-%d %H:%M")

    return [in_chinese(finding, stage, at) for finding in findings]
