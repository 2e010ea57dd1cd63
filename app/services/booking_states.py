"""Booking states: requested → confirmed → running → completed → invoiced; or rejected / cancelled."""
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy.orm import Session

from ..errors import Conflict, Forbidden, ValidationFailed
from ..models import Booking, BookingStatus, MaterialUse, Role, User
from . import audit, invoices
from .bookings import place, release_vessels
from .plan_cache import lock_plan_changes
from .planning import PlantRules

S = BookingStatus
STATUS_NAMES = {S.REQUESTED: "待确认", S.CONFIRMED: "已确认", S.RUNNING: "运行中", S.COMPLETED: "已完成",
                S.INVOICED: "已开票", S.REJECTED: "已拒绝", S.CANCELLED: "已取消"}
#: action → (states it may start from, state it leads to)
TRANSITIONS = {
    "confirm": ({S.REQUESTED}, S.CONFIRMED),
    "reject": ({S.REQUESTED}, S.REJECTED),
    "cancel": ({S.REQUESTED, S.CONFIRMED}, S.CANCELLED),
    "start": ({S.CONFIRMED}, S.RUNNING),
    "complete": ({S.RUNNING}, S.COMPLETED),
}
OPERATORS = (Role.OPERATOR, Role.ADMIN)


@dataclass(frozen=True)
class Completion:
    actual_start: datetime
    actual_end: datetime
    steam_t: Decimal = Decimal(0)
    power_kwh: Decimal = Decimal(0)
    operator_h: Decimal = Decimal(0)
    samples: int = 0
    materials: tuple[tuple[str, Decimal, str, Decimal], ...] = ()  # description, quantity, unit, unit cost


def can(actor: User, booking: Booking, action: str) -> bool:
    """Whether the actor's role may do `action` to this booking (operators; a customer may cancel its own)."""
    if action == "cancel" and actor.role == Role.CUSTOMER:
        return booking.company_id == actor.company_id
    return actor.role in OPERATORS


def transition(session: Session, actor: User, booking: Booking, action: str, rules: PlantRules, now: datetime,
               reason: str = "", completion: Completion | None = None, *, cache: dict) -> None:
    """Move the booking by `action`, or raise: 403 for the wrong role, 409 from the wrong state.

    `cache` is the worker's plan cache (see plan_cache), used when confirming places the booking."""
    if not can(actor, booking, action):
        raise Forbidden("当前角色无权执行此操作")
    allowed, target = TRANSITIONS[action]
    if booking.status not in allowed:
        raise Conflict(f"预约当前状态为“{STATUS_NAMES[booking.status]}”，不能执行此操作")
    before = booking.status
    _effects(session, actor, booking, action, rules, now, reason, completion, cache)
    booking.status = target
    booking.status_reason = reason.strip()
    audit.record(session, actor, f"booking.{action}", "booking", booking.id, before=before.value,
                 after=target.value, reason=reason.strip())


def _effects(session, actor, booking, action, rules, now, reason, completion, cache) -> None:
    if action == "confirm":
        _confirm(session, booking, rules, now, cache)
    elif action in ("reject", "cancel"):
        if action == "reject" and not reason.strip():
            raise ValidationFailed("请填写拒绝原因", {"reason": "请填写拒绝原因"})
        if action == "cancel":
            invoices.cancellation_invoice(session, actor, booking, now)
        lock_plan_changes(session)
        release_vessels(booking)
    elif action == "start":
        booking.actual_start = now
    elif action == "complete":
        _record_usage(session, booking, completion)


def _confirm(session: Session, booking: Booking, rules: PlantRules, now: datetime, cache: dict) -> None:
    """Confirmed work holds its vessels for good; a request without placement (its hold ran out, or it was made
    before the company's approval) is placed now."""
    if not booking.company.approved:
        raise Conflict("该企业尚未通过平台审核，不能确认其预约", {"company": "企业待审核"})
    if not any(a.active for a in booking.allocations):
        lock_plan_changes(session)
        place(session, booking, rules, now, cache)
    booking.hold_until = None


def _record_usage(session: Session, booking: Booking, completion: Completion | None) -> None:
    if completion is None:
        raise ValidationFailed("请填写实际开始、结束时间和用量", {"actual_end": "必填"})
    if completion.actual_end <= completion.actual_start:
        raise ValidationFailed("实际结束时间须晚于实际开始时间", {"actual_end": "须晚于实际开始时间"})
    negative = [name for name in ("steam_t", "power_kwh", "operator_h", "samples")
                if getattr(completion, name) < 0]
    if negative:
        raise ValidationFailed("用量不能为负数", {f"usage.{name}": "不能为负数" for name in negative})
    booking.actual_start, booking.actual_end = completion.actual_start, completion.actual_end
    booking.steam_t, booking.power_kwh = completion.steam_t, completion.power_kwh
    booking.operator_h, booking.samples = completion.operator_h, completion.samples
    for description, quantity, unit, unit_cost in completion.materials:
        session.add(MaterialUse(booking_id=booking.id, description=description, quantity=quantity, unit=unit,
                                unit_cost=unit_cost))
