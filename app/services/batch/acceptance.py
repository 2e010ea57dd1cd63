"""The customer's acceptance of a signed batch and its usage (验收, 用量确认): asked at sign-off, answered within
the window (silence accepts, evaluated lazily against the clock and audited as such); a dispute goes back to the
operator, whose signed correction asks again. Invoices are drafted from accepted usage, or with a logged reason."""

import json
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models import Acceptance, AcceptanceState, Booking, Stage, User
from app.platform.errors import Conflict, Forbidden, ValidationFailed
from app.services import audit
from app.services.access import policy
from app.services.booking.bookings import locked


def usage_of(booking: Booking) -> dict:
    """What the invoice will say: planned and actual times, hours, usage and materials (times as UTC ISO)."""
    main = next((a for a in booking.allocations if a.active and a.stage == Stage.MAIN), None)
    hours = (
        (booking.actual_end - booking.actual_start).total_seconds() / 3600
        if booking.actual_start and booking.actual_end
        else None
    )
    return {
        "planned_start": main and main.start.isoformat(),
        "planned_end": main and main.end.isoformat(),
        "actual_start": booking.actual_start and booking.actual_start.isoformat(),
        "actual_end": booking.actual_end and booking.actual_end.isoformat(),
        "hours": hours and round(hours, 2),
        "steam_t": _text(booking.steam_t),
        "power_kwh": _text(booking.power_kwh),
        "operator_h": _text(booking.operator_h),
        "samples": booking.samples,
        "materials": [
            {"description": m.description, "quantity": str(m.quantity), "unit": m.unit} for m in booking.materials
        ],
    }


def _text(quantity) -> str | None:
    """A Decimal quantity as exact text (JSON has no decimals)."""
    return None if quantity is None else str(quantity)


@dataclass(frozen=True)
class Standing:
    """The latest round as it stands at a moment: a pending one past its due time counts as accepted."""

    acceptance: Acceptance
    state: AcceptanceState
    by_silence: bool

    @property
    def usage(self) -> dict:
        return json.loads(self.acceptance.usage)

    @property
    def times(self) -> dict[str, datetime | None]:
        """The usage's planned and actual times as datetimes."""
        return {
            key: datetime.fromisoformat(value) if value else None
            for key, value in self.usage.items()
            if key.startswith(("planned_", "actual_"))
        }


def latest(session: Session, booking: Booking) -> Acceptance | None:
    return session.scalar(
        select(Acceptance).where(Acceptance.booking_id == booking.id).order_by(Acceptance.round.desc()).limit(1)
    )


def standing(session: Session, booking: Booking, now: datetime) -> Standing | None:
    """The latest round's state at `now`, without writing (pages show it so)."""
    row = latest(session, booking)
    if row is None:
        return None
    if row.state == AcceptanceState.PENDING and now >= row.due_at:
        return Standing(row, AcceptanceState.ACCEPTED, True)
    return Standing(row, row.state, row.by_silence)


def ask(session: Session, actor: User | None, booking: Booking, now: datetime, days: int) -> Acceptance:
    """A new round: the customer is asked to accept the batch and its usage within `days` days."""
    number = (session.scalar(select(func.max(Acceptance.round)).where(Acceptance.booking_id == booking.id)) or 0) + 1
    row = Acceptance(
        booking_id=booking.id,
        round=number,
        usage=json.dumps(usage_of(booking), ensure_ascii=False),
        asked_at=now,
        due_at=now + timedelta(days=days),
        state=AcceptanceState.PENDING,
    )
    session.add(row)
    session.flush()
    audit.record(session, actor, "acceptance_asked", "booking", booking.id, round=number, due_at=row.due_at)
    return row


def settle(session: Session, booking: Booking, now: datetime) -> Acceptance | None:
    """Record a pending round whose window has passed as accepted by silence (audited, by nobody)."""
    row = latest(session, booking)
    if row is not None and row.state == AcceptanceState.PENDING and now >= row.due_at:
        row.state, row.by_silence, row.answered_at = AcceptanceState.ACCEPTED, True, row.due_at
        audit.record(session, None, "acceptance_by_silence", "booking", booking.id, round=row.round, due_at=row.due_at)
    return row


def answer(session: Session, actor: User, booking: Booking, accept: bool, comment: str, now: datetime) -> Acceptance:
    """The customer accepts the batch and its usage, or disputes them with a comment."""
    if not policy.may(actor, "acceptance.answer") or actor.company_id != booking.company_id:
        raise Forbidden("只有预约的客户可以验收")
    row = settle(session, locked(session, booking), now)
    if row is None:
        raise Conflict("批记录签署后才能验收")
    if row.state != AcceptanceState.PENDING:
        raise Conflict("验收期已过，已视为接受" if row.by_silence else "本轮验收已答复")
    if not accept and not comment.strip():
        raise ValidationFailed("请说明有异议之处", {"comment": "必填"})
    row.state = AcceptanceState.ACCEPTED if accept else AcceptanceState.DISPUTED
    row.answered_at, row.answered_by_id, row.comment = now, actor.id, comment.strip()
    audit.record(
        session, actor, f"acceptance_{row.state.value}", "booking", booking.id, round=row.round, comment=row.comment
    )
    return row


def ask_again_if_disputed(session: Session, actor: User, booking: Booking, now: datetime, days: int) -> None:
    """After the operator's correction of a disputed batch, the customer is asked again."""
    row = latest(session, booking)
    if row is not None and row.state == AcceptanceState.DISPUTED:
        ask(session, actor, booking, now, days)


def require_accepted_or_reason(session: Session, actor: User, booking: Booking, reason: str, now: datetime) -> None:
    """Drafting an invoice from usage the customer has not accepted needs a reason, which is logged."""
    row = settle(session, booking, now)
    if row is not None and row.state == AcceptanceState.ACCEPTED:
        return
    if not reason.strip():
        raise ValidationFailed("客户尚未确认该批次的用量：请填写从未确认用量开票的原因", {"reason": "必填"})
    audit.record(
        session,
        actor,
        "invoice_from_unaccepted_usage",
        "booking",
        booking.id,
        reason=reason.strip(),
        acceptance=row.state.value if row else "not asked",
    )
