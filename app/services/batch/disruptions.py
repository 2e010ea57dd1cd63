"""What the plant cannot refuse about a running batch: it runs longer (extend) or stops early (abort)."""

from datetime import datetime

from sqlalchemy.orm import Session

from app.models import AbortCause, Booking, User
from app.platform.errors import ValidationFailed, require_valid
from app.platform.plant_rules import PlantRules
from app.services.batch.batch_times import lengthen, local_text, stop_batch
from app.services.batch.usage import RecordedUsage
from app.services.booking import waitlist
from app.services.booking.booking_states import Completion, record_usage
from app.services.booking.lifecycle import arrive, check_may
from app.services.plan.plan_cache import lock_plan_changes
from app.services.plan.plan_check import refresh_conflicts

CAUSE_NAMES = {
    AbortCause.CONTAMINATION: "染菌",
    AbortCause.EQUIPMENT_FAILURE: "设备故障",
    AbortCause.CUSTOMER_REQUEST: "客户要求",
}


def extend(
    session: Session,
    actor: User,
    booking: Booking,
    expected_end: datetime,
    reason: str,
    rules: PlantRules,
    now: datetime,
) -> list[Booking]:
    """A running batch's new expected end: its vessel stays occupied; returns the bookings this broke."""
    before = check_may(actor, booking, "extend")
    problems = {}
    if expected_end <= now:
        problems["expected_end"] = "预计结束时间须晚于现在"
    if not reason.strip():
        problems["reason"] = "请填写延长原因"
    require_valid(problems, "；".join(problems.values()))
    lock_plan_changes(session)
    lengthen(booking, expected_end)
    arrive(session, actor, booking, "extend", before, reason, expected_end=expected_end)
    return refresh_conflicts(
        session,
        actor,
        rules,
        now,
        f"{booking.reference} 批次延长至 {local_text(expected_end, rules.tz)}：{reason.strip()}",
    )


def abort(
    session: Session,
    actor: User,
    booking: Booking,
    cause: str,
    reason: str,
    usage: RecordedUsage,
    rules: PlantRules,
    now: datetime,
    rerun: bool = False,
) -> list[Booking]:
    """Stop a running batch now for `cause`, recording what it used, with `rerun` a priority re-run request for
    the customer on the waiting list; returns the bookings the freed time mends."""
    before = check_may(actor, booking, "abort")
    if cause not in {c.value for c in AbortCause}:
        *others, last = [f"{code}（{name}）" for code, name in CAUSE_NAMES.items()]
        raise ValidationFailed(f"中止原因应为 {'、'.join(others)}或{last}", {"cause": "中止原因无效"})
    if not reason.strip():
        raise ValidationFailed("请填写中止说明", {"reason": "请填写中止说明"})
    lock_plan_changes(session)
    record_usage(session, booking, Completion(booking.actual_start, now, **usage.recorded()), now)
    booking.abort_cause = AbortCause(cause)
    stop_batch(booking, now)
    arrive(
        session, actor, booking, "abort", before, f"{CAUSE_NAMES[booking.abort_cause]}：{reason.strip()}", cause=cause
    )
    if rerun:
        waitlist.rerun(session, actor, booking, now, rules.limits)
    return refresh_conflicts(session, actor, rules, now, f"{booking.reference} 已中止")
