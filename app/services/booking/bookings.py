"""Booking requests: validation, placement on vessels (never two batches on one vessel), and states."""

import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from app.models import Allocation, Booking, BookingStatus, Equipment, Kind, Service, Stage, User
from app.platform.context import Context
from app.platform.errors import Conflict, NotFound, ValidationFailed, require_valid
from app.platform.plant_rules import PlantRules, RequestLimits
from app.services import audit
from app.services.booking.holds import check_company_hold, limit_problems, release_expired
from app.services.finance import pricing
from app.services.finance.sequences import next_in_sequence
from app.services.paging import Page, page_of
from app.services.plan.plan_cache import current_plan, lock_plan_changes
from app.services.plan.planning import Clock, request_of
from app.services.rows import by_id
from scheduler import Assignment, earliest_slots
from scheduler.exact import SlotTaken, place_at
from scheduler.inventory import NoFit
from scheduler.rules import job_for, roles


@dataclass(frozen=True)
class BookingInput:
    """A booking request as a customer fills it in (shape already checked)."""

    service: str
    kind: str
    working_volume_l: float
    duration_h: float
    earliest_start: datetime
    latest_end: datetime
    organism: str
    organism_family: str = ""
    biosafety_level: int = 1
    extraction: dict | None = None
    notes: str = ""
    equipment: str | None = None
    start: datetime | None = None
    hints: dict = field(default_factory=dict)


MIN_DURATION_H, MAX_DURATION_H = 1, 24 * 365
MAX_VOLUME_L = 1_000_000


def input_problems(data: BookingInput, now: datetime, limits: RequestLimits) -> dict[str, str]:
    """Field → Chinese message for a request that can never be served as asked, or asks more than any may."""
    problems = limit_problems(data.duration_h, data.latest_end, limits, now)
    if data.service not in {s.value for s in Service}:
        *others, last = Service
        problems["service"] = f"服务类型应为 {'、'.join(others)} 或 {last}"
    if data.kind not in (Kind.LIQUID, Kind.SOLID):
        problems["kind"] = "发酵类型应为 liquid（液体）或 solid（固态）"
    if not 0 < data.working_volume_l <= MAX_VOLUME_L:
        problems["working_volume_l"] = f"工作体积须大于0且不超过 {MAX_VOLUME_L:,} L"
    if not MIN_DURATION_H <= data.duration_h <= MAX_DURATION_H:
        problems["duration_h"] = f"发酵时长须在 {MIN_DURATION_H} 至 {MAX_DURATION_H} 小时之间"
    if data.earliest_start < now - timedelta(minutes=1):
        problems["earliest_start"] = "最早开始时间不能早于现在"
    if data.latest_end <= data.earliest_start:
        problems["latest_end"] = "最晚结束时间须晚于最早开始时间"
    elif "duration_h" not in problems and data.latest_end - data.earliest_start < timedelta(hours=data.duration_h):
        problems["latest_end"] = f"时间窗口短于发酵时长（{data.duration_h:g} 小时）"
    if (data.equipment is None) != (data.start is None):
        problems["start" if data.start is None else "equipment"] = "选择时段须同时给出设备和开始时间"
    if data.start is not None and not data.earliest_start <= data.start:
        problems["start"] = "所选开始时间早于最早开始时间"
    if data.biosafety_level not in (1, 2, 3):
        problems["biosafety_level"] = "生物安全等级应为1、2或3"
    return problems


def booking_fields(data: BookingInput) -> dict:
    """The booking's columns as the request gives them."""
    return {
        "service": Service(data.service),
        "kind": Kind(data.kind),
        "working_volume_l": data.working_volume_l,
        "duration_h": data.duration_h,
        "earliest_start": data.earliest_start,
        "latest_end": data.latest_end,
        "organism": data.organism,
        "organism_family": data.organism_family,
        "biosafety_level": data.biosafety_level,
        "extraction": json.dumps(data.extraction, ensure_ascii=False) if data.extraction else "",
        "notes": data.notes,
    }


def request_booking(session: Session, actor: User, data: BookingInput, ctx: Context) -> Booking:
    """A new booking request, placed at once on the chosen slot or the earliest one in its window, holding it for
    REQUEST_HOLD_HOURS; a company the platform has not approved yet gets its request recorded, unplaced."""
    rules, now, cache = ctx.rules, ctx.now(), ctx.plan_cache
    require_valid(input_problems(data, now, rules.limits))
    lock_plan_changes(session)
    booking = Booking(
        reference=_new_reference(session, now.astimezone(rules.tz)),
        company_id=actor.company_id,
        requested_by_id=actor.id,
        requested_at=now,
        **booking_fields(data),
    )
    session.add(booking)
    session.flush()
    if data.equipment is not None:
        _check_known_equipment(session, data.equipment)
    if actor.company is not None and actor.company.approved:
        place(session, booking, rules, now, cache, equipment=data.equipment, start=data.start)
        booking.hold_until = now + timedelta(hours=rules.limits.hold_hours)
        check_company_hold(session, booking.company_id, rules.limits, now)
    quote = pricing.estimate(session, booking, ctx)
    booking.quote_subtotal = quote[1].subtotal.amount if quote else None
    audit.record(
        session,
        actor,
        "booking.requested",
        "booking",
        booking.id,
        reference=booking.reference,
        equipment=data.equipment,
        start=data.start,
    )
    return booking


def _new_reference(session: Session, local_now: datetime) -> str:
    """BK2611-00042: the year's next booking number, with the month for the eye (never a duplicate)."""
    return f"BK{local_now:%y%m}-{next_in_sequence(session, 'BK', local_now.year):05d}"


def _check_known_equipment(session: Session, code: str) -> None:
    if session.scalar(select(Equipment.id).where(Equipment.code == code)) is None:
        raise ValidationFailed(f"设备 {code} 不存在", {"equipment": f"设备 {code} 不存在"})


def place(
    session: Session,
    booking: Booking,
    rules: PlantRules,
    now: datetime,
    cache: dict,
    *,
    equipment: str | None = None,
    start: datetime | None = None,
) -> None:
    """Put an unplaced booking's stages on vessels: the chosen main slot, or the earliest chain in its window.

    The caller holds the plan lock, so the current plan stays current until this transaction ends; holds that
    ran out are released first."""
    release_expired(session, now)
    plan = current_plan(session, rules, now, cache)
    clock = plan.clock
    request = request_of(booking, clock)
    try:
        job = job_for(request, plan.vessels, rules.policy)
    except NoFit as error:
        raise ValidationFailed(str(error), {"working_volume_l": str(error)}) from None
    stage_names = roles(request, rules.policy)
    if equipment is not None:
        chain = exact_chain(plan.problem, job, stage_names.index("main"), equipment, clock.minutes(start))
        if chain[-1].end > clock.minutes(booking.latest_end):
            raise ValidationFailed("所选时段结束晚于最晚结束时间", {"start": "所选时段结束晚于最晚结束时间"})
    else:
        chain = _earliest_chain(plan.problem, job, clock.minutes(booking.latest_end))
    save_allocations(session, booking, chain, stage_names, clock)


def exact_chain(problem, job, main_index: int, equipment: str, start: int) -> list[Assignment]:
    """The job's chain with its main stage on `equipment` from `start`, or 409 when that slot cannot hold it."""
    try:
        return place_at(problem, job, main_index, equipment, start)
    except SlotTaken as error:
        raise Conflict(
            f"所选时段不可用：{error}", {"start": "所选时段刚被占用或已不满足排程规则，请重新查找可用时段"}
        ) from None


def _earliest_chain(problem, job, latest_end: int) -> list[Assignment]:
    found = earliest_slots(problem, job, limit=1)
    if not found or found[0][-1].end > latest_end:
        raise Conflict("在您的时间窗口内没有可用时段，请放宽时间窗口", {"latest_end": "窗口内没有可用时段"})
    return found[0]


def save_allocations(
    session: Session, booking: Booking, chain: list[Assignment], stage_names: list[str], clock: Clock
) -> None:
    """Store the chain as the booking's allocations, refusing any overlap with other active work."""
    codes = {a.resource for a in chain}
    equipment = {e.code: e for e in session.scalars(select(Equipment).where(Equipment.code.in_(codes)))}
    for a in chain:
        item = equipment[a.resource]
        start, end = clock.moment(a.start), clock.moment(a.end)
        allocation = Allocation(
            booking_id=booking.id,
            equipment_id=item.id,
            stage=Stage(stage_names[a.stage]),
            start=start,
            end=end,
            occupied_until=end + timedelta(hours=item.turnaround_h),
        )
        _refuse_overlap(session, allocation, item.code)
        booking.allocations.append(allocation)
    try:
        session.flush()
    except IntegrityError:
        raise Conflict("该设备时段刚刚被他人占用", {"start": "时段冲突"}) from None


def _refuse_overlap(session: Session, allocation: Allocation, code: str) -> None:
    clash = session.scalar(
        select(Allocation.id)
        .where(
            Allocation.equipment_id == allocation.equipment_id,
            Allocation.active,
            Allocation.start < allocation.occupied_until,
            Allocation.occupied_until > allocation.start,
        )
        .limit(1)
    )
    if clash is not None:
        raise Conflict(f"设备 {code} 在该时段已被占用", {"start": f"设备 {code} 在该时段已被占用"})


def release_vessels(booking: Booking) -> None:
    for allocation in booking.allocations:
        allocation.active = False


def visible_booking(session: Session, actor: User, booking_id: int) -> Booking:
    """A booking the actor may see: staff see all; a customer only its company's (others: not found)."""
    booking = by_id(session, Booking, booking_id, options=[selectinload(Booking.allocations)])
    if booking is None or (not actor.is_staff and booking.company_id != actor.company_id):
        raise NotFound("预约不存在")
    return booking


def locked(session: Session, booking: Booking) -> Booking:
    """The booking again, its row locked until the transaction ends (PostgreSQL; SQLite writers are serial), so
    that two people changing the same batch at once take turns."""
    return session.get(Booking, booking.id, with_for_update=True, populate_existing=True)


def list_bookings(session: Session, actor: User, status: str | None = None) -> list[Booking]:
    return list(session.scalars(_bookings_query(actor, status)))


def booking_page(session: Session, actor: User, status: str | None, number: int) -> Page:
    """One page of the bookings the actor may see, latest window first."""
    return page_of(session, _bookings_query(actor, status), number)


def _bookings_query(actor: User, status: str | None):
    query = (
        select(Booking)
        .order_by(Booking.earliest_start.desc(), Booking.id.desc())
        .options(selectinload(Booking.allocations).selectinload(Allocation.equipment), selectinload(Booking.company))
    )
    if not actor.is_staff:
        query = query.where(Booking.company_id == actor.company_id)
    if status in {s.value for s in BookingStatus}:
        query = query.where(Booking.status == status)
    return query
