"""Booking states: requested → confirmed → running → completed → invoiced; or rejected / cancelled.

A fact the plant cannot refuse (a breakdown, an overrun) makes a confirmed booking `conflicted` (plan_check); it still
holds its vessels, and a move or repair confirms it again. A running batch may be aborted."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from sqlalchemy.orm import Session

from app.models import Booking, BookingStatus, MaterialUse, Role, User
from app.platform.errors import Conflict, Forbidden, ValidationFailed
from app.services import audit
from app.services.batch.batch_times import end_batch, start_batch
from app.services.batch.usage import RecordedUsage
from app.services.booking.bookings import place, release_vessels
from app.services.finance import invoices, pricing
from app.services.plan.plan_cache import lock_plan_changes
from app.services.plan.plan_check import refresh_conflicts, refuse_if_broken
from app.services.plan.planning import PlantRules

S = BookingStatus
STATUS_NAMES = {
    S.REQUESTED: "待确认",
    S.CONFIRMED: "已确认",
    S.RUNNING: "运行中",
    S.COMPLETED: "已完成",
    S.INVOICED: "已开票",
    S.REJECTED: "已拒绝",
    S.CANCELLED: "已取消",
    S.CONFLICTED: "排程冲突",
    S.ABORTED: "已中止",
}
#: action → (states it may start from, state it leads to; None: the state stays)
TRANSITIONS = {
    "confirm": ({S.REQUESTED}, S.CONFIRMED),
    "reject": ({S.REQUESTED}, S.REJECTED),
    "cancel": ({S.REQUESTED, S.CONFIRMED, S.CONFLICTED}, S.CANCELLED),
    "start": ({S.CONFIRMED, S.CONFLICTED}, S.RUNNING),
    "complete": ({S.RUNNING}, S.COMPLETED),
    "extend": ({S.RUNNING}, None),
    "abort": ({S.RUNNING}, S.ABORTED),
    "repair": ({S.CONFLICTED}, S.CONFIRMED),
    "accept": ({S.CONFIRMED, S.CONFLICTED}, None),
}
CUSTOMER_ACTIONS = ("cancel", "accept")
FACTS = ("start", "complete")  # actions that write actual times onto the plan: what they break is conflicted
OPERATORS = (Role.OPERATOR, Role.ADMIN)


@dataclass(frozen=True)
class Completion(RecordedUsage):
    actual_start: datetime
    actual_end: datetime
    materials: tuple[tuple[str, Decimal, str, Decimal], ...] = ()  # description, quantity, unit, unit cost


def planned_completion(session: Session, booking: Booking) -> Completion:
    """What the plan expects the batch to record: its start (actual, or the placement's), the planned duration
    and the usage its estimate assumes."""
    start = booking.actual_start or pricing.planned_start(booking)
    usage = pricing.planned_usage(booking, pricing.booking_vessel_class(session, booking))
    return Completion(
        actual_start=start,
        actual_end=start + timedelta(hours=booking.duration_h),
        steam_t=usage.steam_t,
        power_kwh=usage.power_kwh,
        operator_h=usage.operator_h,
        samples=int(usage.samples),
    )


def can(actor: User, booking: Booking, action: str) -> bool:
    """Whether the actor's role may do `action` to this booking (operators; a customer may cancel or accept its own)."""
    if action in CUSTOMER_ACTIONS and actor.role == Role.CUSTOMER:
        return booking.company_id == actor.company_id
    return actor.role in OPERATORS


def allowed(booking: Booking, action: str) -> bool:
    """Whether the booking's state lets `action` happen (pages offer only these)."""
    return booking.status in TRANSITIONS[action][0]


def check_may(actor: User, booking: Booking, action: str) -> BookingStatus:
    """The state before `action`, or raise: 403 for the wrong role, 409 from the wrong state."""
    if not can(actor, booking, action):
        raise Forbidden("当前角色无权执行此操作")
    if not allowed(booking, action):
        raise Conflict(f"预约当前状态为“{STATUS_NAMES[booking.status]}”，不能执行此操作")
    return booking.status


def arrive(
    session: Session,
    actor: User | None,
    booking: Booking,
    action: str,
    before: BookingStatus,
    reason: str = "",
    **details,
) -> None:
    """Enter the state `action` leads to, with the reason, and audit it."""
    target = TRANSITIONS[action][1] or booking.status
    booking.status = target
    if reason.strip() or target != before:
        booking.status_reason = reason.strip()[:500]
    audit.record(
        session,
        actor,
        f"booking.{action}",
        "booking",
        booking.id,
        before=before.value,
        after=target.value,
        reason=reason.strip(),
        **details,
    )


def transition(
    session: Session,
    actor: User,
    booking: Booking,
    action: str,
    rules: PlantRules,
    now: datetime,
    reason: str = "",
    completion: Completion | None = None,
    *,
    cache: dict,
    here: bool = False,
) -> list[Booking]:
    """Move the booking by `action` (confirm, reject, cancel, start, complete, accept), or raise; returns the
    other bookings this conflicted or made whole again (to tell their customers).

    `cache` is the worker's plan cache (see plan_cache), used when confirming places the booking; `here` starts
    the batch now on its vessels (re-placing it) even when now is not its planned start."""
    before = check_may(actor, booking, action)
    _effects(session, actor, booking, action, rules, now, reason, completion, cache, here)
    arrive(session, actor, booking, action, before, reason)
    if action not in FACTS:
        return []
    return refresh_conflicts(session, actor, rules, now, f"{booking.reference} {STATUS_NAMES[booking.status]}")


def _effects(session, actor, booking, action, rules, now, reason, completion, cache, here) -> None:
    if action == "confirm":
        _confirm(session, booking, rules, now, cache)
    elif action in ("reject", "cancel"):
        if action == "reject" and not reason.strip():
            raise ValidationFailed("请填写拒绝原因", {"reason": "请填写拒绝原因"})
        if action == "cancel" and not fee_waived(booking):
            invoices.cancellation_invoice(session, actor, booking, now, rules.tz)
        lock_plan_changes(session)
        release_vessels(booking)
    elif action == "start":
        lock_plan_changes(session)
        start_batch(session, booking, rules, now, here)
    elif action == "complete":
        lock_plan_changes(session)
        record_usage(session, booking, completion, now)
        end_batch(booking, completion.actual_start, completion.actual_end)
    elif action == "accept":
        booking.previous_times = ""


def fee_waived(booking: Booking) -> bool:
    """No late-cancellation fee for a booking the plant broke or moved (the customer did not accept the change)."""
    return booking.status == S.CONFLICTED or bool(booking.previous_times)


def _confirm(session: Session, booking: Booking, rules: PlantRules, now: datetime, cache: dict) -> None:
    """Confirmed work holds its vessels for good; a request without placement (its hold ran out, or it was made
    before the company's approval) is placed now; a placed one is refused when a fact broke its placement."""
    if not booking.company.approved:
        raise Conflict("该企业尚未通过平台审核，不能确认其预约", {"company": "企业待审核"})
    lock_plan_changes(session)
    if any(a.active for a in booking.allocations):
        refuse_if_broken(session, rules, now, booking, "确认")
    else:
        place(session, booking, rules, now, cache)
    booking.hold_until = None


def record_usage(session: Session, booking: Booking, completion: Completion | None, now: datetime) -> None:
    if completion is None:
        raise ValidationFailed("请填写实际开始、结束时间和用量", {"actual_end": "必填"})
    if completion.actual_end <= completion.actual_start:
        raise ValidationFailed("实际结束时间须晚于实际开始时间", {"actual_end": "须晚于实际开始时间"})
    future = {name: "不能晚于现在" for name in ("actual_start", "actual_end") if getattr(completion, name) > now}
    if future:
        raise ValidationFailed("实际时间不能晚于现在", future)
    if negative := completion.negative():
        raise ValidationFailed("用量不能为负数", {f"usage.{name}": "不能为负数" for name in negative})
    booking.actual_start, booking.actual_end = completion.actual_start, completion.actual_end
    for name, value in completion.recorded().items():
        setattr(booking, name, value)
    for description, quantity, unit, unit_cost in completion.materials:
        session.add(
            MaterialUse(
                booking_id=booking.id, description=description, quantity=quantity, unit=unit, unit_cost=unit_cost
            )
        )
