"""The waiting list: requests that found no slot wait, in order of priority then joining; when capacity frees up the
first that now fits is offered the slot, held for a while; accepting books it (the plan lock and the database's
overlap guard let only one acceptance of a slot win), declining or expiry passes it on.

A customer's own booking may wait too, for an earlier slot (`ask_earlier`): it is offered only slots earlier than
its own (earlier_slots), accepting moves it there, and its entry closes once the booking starts or ends.

Offers are settled lazily, on reads of the waiting list and the operator's home page, so no worker is needed."""

import json
from dataclasses import asdict, dataclass, replace
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.models import Booking, BookingStatus, Role, User, WaitingEntry, WaitingStatus
from app.platform.context import Context
from app.platform.errors import Conflict, DomainError, Forbidden, NotFound, ValidationFailed, require_valid
from app.platform.plant_rules import RequestLimits
from app.platform.timefmt import as_utc
from app.services import audit
from app.services.booking.availability import find_slots
from app.services.booking.bookings import BookingInput, input_problems, locked, request_booking
from app.services.booking.earlier_slots import earlier_slot, main_start, move_earlier, still_waiting
from app.services.booking.placements import Placement
from app.services.rows import by_id

W = WaitingStatus
OPEN = (W.WAITING, W.OFFERED)


@dataclass(frozen=True)
class Accepted:
    booking: Booking
    moved_from: list[Placement] | None = None  # an earlier slot accepted: where the booking was before the move


def request_of(entry: WaitingEntry) -> BookingInput:
    data = json.loads(entry.request)
    return BookingInput(
        **{
            **data,
            "earliest_start": as_utc(datetime.fromisoformat(data["earliest_start"])),
            "latest_end": as_utc(datetime.fromisoformat(data["latest_end"])),
        }
    )


def join(session: Session, actor: User, data: BookingInput, now: datetime, limits: RequestLimits) -> WaitingEntry:
    """Put a customer's request on the waiting list (a request it could book now should be booked instead)."""
    require_valid(input_problems(replace(data, equipment=None, start=None), now, limits))
    return _new_entry(session, actor, data, now)


def _new_entry(session: Session, actor: User, data: BookingInput, now: datetime, replaces: Booking | None = None):
    fields = {
        **asdict(data),
        "earliest_start": data.earliest_start.isoformat(),
        "latest_end": data.latest_end.isoformat(),
        "equipment": None,
        "start": None,
        "hints": {},
    }
    entry = WaitingEntry(
        company_id=actor.company_id,
        requested_by_id=actor.id,
        joined_at=now,
        request=json.dumps(fields, ensure_ascii=False),
        priority=0,
        status=W.WAITING,
        offer_equipment="",
        replaces_booking_id=replaces.id if replaces else None,
    )
    session.add(entry)
    session.flush()
    audit.record(session, actor, "waiting.joined", "waiting", entry.id, booking=replaces and replaces.reference)
    return entry


def ask_earlier(session: Session, actor: User, booking: Booking, now: datetime) -> WaitingEntry:
    """Put a customer's own placed booking, requested or confirmed, on the waiting list for an earlier slot."""
    booking = locked(session, booking)  # two asks at once take turns, so the second sees the first
    if (refusal := earlier_refusal(session, actor, booking, now)) is not None:
        raise refusal
    return _new_entry(session, actor, input_of(booking), now, replaces=booking)


def earlier_refusal(session: Session, actor: User, booking: Booking, now: datetime) -> DomainError | None:
    """Why the actor may not ask for an earlier slot for this booking; None when it may."""
    if booking.company_id != actor.company_id and not actor.is_staff:
        return NotFound("预约不存在")
    if actor.role != Role.CUSTOMER or booking.company_id != actor.company_id:
        return Forbidden("只有预约所属企业的客户可以候补更早时段")
    if booking.status not in (BookingStatus.REQUESTED, BookingStatus.CONFIRMED):
        return Conflict("只有待确认或已确认、尚未开始的预约可以候补更早时段", {"booking": "预约状态不允许"})
    if main_start(booking, now) is None:
        message = "该预约目前未占用设备（占用已到期或企业待审核），没有可以提前的时段"
        return Conflict(message, {"booking": message})
    if (existing := earlier_entry(session, booking)) is not None and existing.status in OPEN:
        message = f"该预约已在候补更早时段（WL-{existing.id}），无需重复申请"
        return Conflict(message, {"booking": message})
    return None


def earlier_entry(session: Session, booking: Booking) -> WaitingEntry | None:
    """The booking's latest wait for an earlier slot (open or not)."""
    return session.scalar(
        select(WaitingEntry)
        .where(WaitingEntry.replaces_booking_id == booking.id)
        .order_by(WaitingEntry.id.desc())
        .limit(1)
    )


def input_of(booking: Booking) -> BookingInput:
    """The booking's request as the customer filled it in."""
    return BookingInput(
        service=booking.service.value,
        kind=booking.kind.value,
        working_volume_l=booking.working_volume_l,
        duration_h=booking.duration_h,
        earliest_start=booking.earliest_start,
        latest_end=booking.latest_end,
        organism=booking.organism,
        organism_family=booking.organism_family,
        biosafety_level=booking.biosafety_level,
        extraction=json.loads(booking.extraction) if booking.extraction else None,
        notes=booking.notes,
    )


RERUN_PRIORITY = 100  # a re-run of an aborted batch is offered before ordinary waiting requests


def rerun(session: Session, actor: User, booking: Booking, now: datetime, limits: RequestLimits) -> WaitingEntry:
    """A priority re-run of an aborted batch for its customer: the same request, its window moved to start now."""
    if booking.requested_by is None:
        raise ValidationFailed("该预约没有申请人，无法创建重新运行申请", {"rerun": "没有申请人"})
    window = booking.latest_end - booking.earliest_start
    data = replace(
        input_of(booking), earliest_start=now, latest_end=now + window, notes=f"重新运行：{booking.reference} 已中止"
    )
    entry = join(session, booking.requested_by, data, now, limits)
    set_priority(session, actor, entry, RERUN_PRIORITY)
    return entry


def visible_entry(session: Session, actor: User, entry_id: int) -> WaitingEntry:
    entry = by_id(session, WaitingEntry, entry_id)
    if entry is None or (not actor.is_staff and entry.company_id != actor.company_id):
        raise NotFound("候补申请不存在")
    return entry


def entries(session: Session, actor: User) -> list[WaitingEntry]:
    query = select(WaitingEntry).order_by(WaitingEntry.priority.desc(), WaitingEntry.joined_at, WaitingEntry.id)
    if not actor.is_staff:
        query = query.where(WaitingEntry.company_id == actor.company_id)
    return list(session.scalars(query))


def set_priority(session: Session, actor: User, entry: WaitingEntry, priority: int) -> None:
    if not actor.is_staff:
        raise Forbidden("只有平台人员可以调整候补优先级")
    entry.priority = priority
    audit.record(session, actor, "waiting.priority", "waiting", entry.id, priority=priority)


def settle(session: Session, ctx: Context) -> list[WaitingEntry]:
    """Expire offers past their hold, then offer each waiting request that now fits a slot nobody holds; the
    entries offered (to tell their customers)."""
    now = ctx.now()
    for entry in session.scalars(
        select(WaitingEntry).where(WaitingEntry.status == W.OFFERED, WaitingEntry.offer_expires_at <= now)
    ):
        _expire(session, entry)
    queue = session.scalars(
        select(WaitingEntry)
        .where(WaitingEntry.status.in_(OPEN))
        .order_by(WaitingEntry.priority.desc(), WaitingEntry.joined_at, WaitingEntry.id)
    )
    held, offered = [], []
    for entry in queue:
        if entry.replaces_booking is not None and not still_waiting(entry.replaces_booking, now):
            _expire(session, entry, booking=entry.replaces_booking.reference)
        elif entry.status == W.OFFERED:
            held.append((entry.offer_equipment, entry.offer_start, entry.offer_end))
        elif (slot := _slot_for(session, entry, ctx, now, held)) is not None:
            _offer(session, entry, slot, now + ctx.rules.waitlist_hold)
            held.append((slot.equipment, slot.start, slot.end))
            offered.append(entry)
    return offered


def _expire(session: Session, entry: WaitingEntry, **details) -> None:
    entry.status = W.EXPIRED
    audit.record(session, None, "waiting.expired", "waiting", entry.id, **details)


def _slot_for(session, entry, ctx, now, held):
    """The first slot free of `held` that the entry's request fits (for a booking: one earlier than its own)."""
    if entry.replaces_booking is not None:
        return earlier_slot(session, entry.replaces_booking, ctx.rules, now, ctx.plan_cache, held)
    return _free_slot(session, entry, ctx, now, held)


def _free_slot(session, entry, ctx, now, held):
    data = request_of(entry)
    if data.latest_end <= now + timedelta(hours=data.duration_h):
        return None
    data = replace(data, earliest_start=max(data.earliest_start, now))
    try:
        slots = find_slots(session, data, ctx, limit=3).slots
    except (ValidationFailed, Conflict):
        return None
    return next(
        (s for s in slots if s.clear_of(held)),
        None,
    )


def _offer(session: Session, entry: WaitingEntry, slot, expires_at: datetime) -> None:
    entry.status, entry.offer_equipment = W.OFFERED, slot.equipment
    entry.offer_start, entry.offer_end, entry.offer_expires_at = slot.start, slot.end, expires_at
    audit.record(
        session,
        None,
        "waiting.offered",
        "waiting",
        entry.id,
        equipment=slot.equipment,
        start=slot.start,
        expires_at=expires_at,
    )


def accept(session: Session, actor: User, entry: WaitingEntry, ctx: Context) -> Accepted:
    """Book the offered slot, or move the waiting booking to it; of two acceptances at once only one wins (the
    other: 409)."""
    now = ctx.now()
    _own(actor, entry)
    taken = session.execute(
        update(WaitingEntry)
        .where(WaitingEntry.id == entry.id, WaitingEntry.status == W.OFFERED, WaitingEntry.offer_expires_at > now)
        .values(status=W.ACCEPTED)
    ).rowcount
    if taken != 1:
        raise Conflict("该候补时段已失效或已被接受", {"status": "候补时段已失效"})
    session.refresh(entry)
    if entry.replaces_booking is not None:
        return _accept_earlier(session, actor, entry, ctx.rules, now, ctx.plan_cache)
    data = replace(request_of(entry), equipment=entry.offer_equipment, start=entry.offer_start)
    data = replace(data, earliest_start=min(max(data.earliest_start, now), entry.offer_start))
    booking = request_booking(session, entry.requested_by, data, ctx)
    entry.booking_id = booking.id
    audit.record(session, actor, "waiting.accepted", "waiting", entry.id, booking=booking.reference)
    return Accepted(booking)


def _accept_earlier(session, actor, entry, rules, now, cache) -> Accepted:
    offer = (entry.offer_equipment, entry.offer_start)
    move = move_earlier(session, actor, entry.replaces_booking, offer, rules, now, cache)
    entry.booking_id = move.booking.id
    audit.record(
        session,
        actor,
        "waiting.accepted",
        "waiting",
        entry.id,
        booking=move.booking.reference,
        before=[(p.stage, p.equipment, p.start, p.end) for p in move.before],
        after=[(p.stage, p.equipment, p.start, p.end) for p in move.after],
    )
    return Accepted(move.booking, move.before)


def decline(session: Session, actor: User, entry: WaitingEntry) -> None:
    """Leave the waiting list (an offer held for it passes on to the next)."""
    _own(actor, entry)
    if entry.status not in OPEN:
        raise Conflict("该候补申请已结束", {"status": "候补申请已结束"})
    entry.status = W.DECLINED
    audit.record(session, actor, "waiting.declined", "waiting", entry.id)


def _own(actor: User, entry: WaitingEntry) -> None:
    if actor.company_id != entry.company_id:
        raise Forbidden("只有申请的客户可以接受或放弃候补时段")
