"""What each booking transition does besides changing the state (the lifecycle and who may take each transition
are in lifecycle): placing on confirmation, releasing vessels and charging a late cancellation, starting and
completing the batch with its usage; then what a fact broke or mended on the plan."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from sqlalchemy.orm import Session

from app.models import Booking, BookingStatus, MaterialUse, User
from app.platform.errors import Conflict, ValidationFailed
from app.services.batch.batch_times import end_batch, start_batch
from app.services.batch.usage import RecordedUsage
from app.services.booking.bookings import place, release_vessels
from app.services.booking.lifecycle import STATUS_NAMES, TRANSITIONS, arrive, check_may
from app.services.finance import invoices, pricing
from app.services.plan.plan_cache import lock_plan_changes
from app.services.plan.plan_check import refresh_conflicts, refuse_if_broken
from app.services.plan.planning import PlantRules


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
    if not TRANSITIONS[action].fact:
        return []
    return refresh_conflicts(session, actor, rules, now, f"{booking.reference} {STATUS_NAMES[booking.status]}")


def _effects(session, actor, booking, action, rules, now, reason, completion, cache, here) -> None:
    if action == "confirm":
        _confirm(session, booking, rules, now, cache)
    elif TRANSITIONS[action].releases:
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
    return booking.status == BookingStatus.CONFLICTED or bool(booking.previous_times)


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
