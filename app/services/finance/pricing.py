"""Quotes (estimates) for booking requests, cancellation fees, and the usage of a completed batch.

Estimate rules for a quote (planned usage; materials are charged at cost later and not estimated):
- price list: the version in force on the booking's earliest-start local date (or today, if later);
- vessel class: of the vessel of the booking's active main allocation; if not placed yet, of the smallest
  active vessel of the kind whose working window holds the volume; with no such vessel in the inventory,
  the bracket of a nominal volume of working volume / 0.7 (liquid) or / 0.6 (solid), at least the kind's
  smallest size;
- vessel hours = planned duration; one CIP/SIP batch;
- operator hours = 4 h set-up and harvest + the class's hours per day × duration / 24, rounded up to
  whole hours; steam = the class's tonnes per sterilisation; power = the class's average kW × duration,
  rounded up to whole kWh; one analysed sample per started day;
- downstream hours: of the booking's active downstream allocations (or the whole duration for a
  downstream-only booking);
- the company's customer-group discount on service items.
"""

import math
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

import billing
from app.models import Allocation, Booking, Equipment, EquipmentStatus, Kind, PriceList, Stage
from app.platform.context import Context
from app.platform.errors import ValidationFailed
from app.platform.timefmt import to_local
from app.services.finance import customer_groups, price_lists
from billing.pricing import SMALLEST_VOLUME_L

SETUP_OPERATOR_H = 4
FILL_FRACTION = {"liquid": Decimal("0.7"), "solid": Decimal("0.6")}
#: vessel class → (steam t per sterilisation, average power kW, operator hours per day of running)
ESTIMATES = {
    "liquid-≤100L": ("0.1", "2", "2"),
    "liquid-200L-1m3": ("0.5", "6", "3"),
    "liquid-2-5m3": ("2", "20", "4"),
    "liquid-10-20m3": ("6", "55", "6"),
    "solid-≤100L": ("0.1", "1.5", "2"),
    "solid-200L-1m3": ("0.4", "4", "3"),
    "solid-2-5m3": ("1.5", "12", "4"),
    "solid-10-15m3": ("4", "35", "6"),
}
MILLI = Decimal("0.001")


def hours_between(start: datetime, end: datetime) -> Decimal:
    """Hours from start to end, rounded half up to 0.001 h."""
    return (Decimal((end - start).total_seconds()) / 3600).quantize(MILLI, rounding=ROUND_HALF_UP)


def exact(value: float) -> Decimal:
    """A float as bookings and equipment store them (hours, litres) as a Decimal to 0.001."""
    return Decimal(str(value)).quantize(MILLI, rounding=ROUND_HALF_UP)


def _active(booking: Booking, stage: Stage) -> list[Allocation]:
    return [a for a in booking.allocations if a.active and a.stage == stage]


def _smallest_fitting(session: Session, booking: Booking) -> Equipment | None:
    volume = booking.working_volume_l
    return session.scalar(
        select(Equipment)
        .where(
            Equipment.kind == booking.kind,
            Equipment.status == EquipmentStatus.ACTIVE,
            Equipment.min_working_volume_l <= volume,
            Equipment.max_working_volume_l >= volume,
        )
        .order_by(Equipment.nominal_volume_l)
        .limit(1)
    )


def booking_vessel_class(session: Session, booking: Booking) -> str | None:
    """The price class of the booking's main vessel (placed, or the smallest that would fit); None if none."""
    if booking.kind == Kind.DOWNSTREAM:
        return None
    main = _active(booking, Stage.MAIN)
    vessel = main[0].equipment if main else _smallest_fitting(session, booking)
    if vessel is not None:
        return billing.vessel_class(vessel.kind.value, exact(vessel.nominal_volume_l))
    kind = booking.kind.value
    nominal = max(exact(booking.working_volume_l) / FILL_FRACTION[kind], Decimal(SMALLEST_VOLUME_L[kind]))
    try:
        return billing.vessel_class(kind, nominal)
    except ValueError:
        raise ValidationFailed(
            "没有适合该工作体积的发酵罐规格", {"working_volume_l": "工作体积超出平台发酵罐的范围"}
        ) from None


def _downstream_hours(booking: Booking, planned_hours: Decimal) -> tuple[tuple[str, Decimal], ...]:
    if booking.kind == Kind.DOWNSTREAM:
        return ((billing.DOWNSTREAM_CLASS, planned_hours),)
    hours = sum((hours_between(a.start, a.end) for a in _active(booking, Stage.DOWNSTREAM)), Decimal(0))
    return ((billing.DOWNSTREAM_CLASS, hours),) if hours else ()


def planned_usage(booking: Booking, vessel_class: str | None) -> billing.Usage:
    """The usage estimated for a booking request (see the module's rules)."""
    hours = exact(booking.duration_h)
    downstream = _downstream_hours(booking, hours)
    if vessel_class is None:
        return billing.Usage(operator_h=Decimal(SETUP_OPERATOR_H), downstream_hours=downstream)
    steam, power, per_day = (Decimal(v) for v in ESTIMATES[vessel_class])
    return billing.Usage(
        vessel_hours=hours,
        batches=Decimal(1),
        operator_h=Decimal(SETUP_OPERATOR_H + math.ceil(per_day * hours / 24)),
        steam_t=steam,
        power_kwh=Decimal(math.ceil(power * hours)),
        downstream_hours=downstream,
        samples=Decimal(math.ceil(hours / 24)),
    )


def actual_usage(booking: Booking) -> billing.Usage:
    """What a completed booking used: actual duration, the recorded usage fields and its materials."""
    if booking.actual_start is None or booking.actual_end is None or booking.actual_end <= booking.actual_start:
        raise ValidationFailed("预约没有有效的实际开始和结束时间", {"booking_id": "缺少实际开始/结束时间"})
    hours = hours_between(booking.actual_start, booking.actual_end)
    materials = tuple(
        billing.Material(m.description, billing.Money(m.unit_cost), m.quantity, m.unit or "批")
        for m in booking.materials
    )
    on_vessel = booking.kind != Kind.DOWNSTREAM
    return billing.Usage(
        vessel_hours=hours if on_vessel else Decimal(0),
        batches=Decimal(1 if on_vessel else 0),
        operator_h=booking.operator_h or Decimal(0),
        steam_t=booking.steam_t or Decimal(0),
        power_kwh=booking.power_kwh or Decimal(0),
        downstream_hours=_downstream_hours(booking, hours),
        samples=Decimal(booking.samples or 0),
        materials=materials,
    )


def quote_for_booking(
    session: Session, booking: Booking, *, today: date, tz: ZoneInfo
) -> tuple[list[billing.Line], billing.Totals]:
    """The estimate for a booking request: its lines and totals (nothing is stored)."""
    _, price_list = price_lists.in_force(session, max(to_local(booking.earliest_start, tz).date(), today))
    vessel_class = booking_vessel_class(session, booking)
    discount = customer_groups.discount_for(session, booking.company)
    lines = billing.quote_lines(price_list, planned_usage(booking, vessel_class), vessel_class, discount)
    return lines, billing.invoice_totals(lines)


def has_price_list(session: Session, day: date) -> bool:
    return session.scalar(select(PriceList.id).where(PriceList.effective_from <= day).limit(1)) is not None


def estimate(session: Session, booking: Booking, ctx: Context) -> tuple[list[billing.Line], billing.Totals] | None:
    """The booking's quote today, or None while no price list is in force for it."""
    today = ctx.today()
    if not has_price_list(session, max(to_local(booking.earliest_start, ctx.tz).date(), today)):
        return None
    return quote_for_booking(session, booking, today=today, tz=ctx.tz)


def estimate_placed(
    session: Session, draft: Booking, stages: list[tuple[str, str, datetime, datetime]], ctx: Context
) -> tuple[list[billing.Line], billing.Totals] | None:
    """The quote an unsaved booking would get placed as `stages` (stage, vessel code, start, end): the same
    rules as `estimate` for a placed booking. The draft stays out of the session."""
    codes = {code for _, code, _, _ in stages}
    vessels = {e.code: e for e in session.scalars(select(Equipment).where(Equipment.code.in_(codes)))}
    draft.allocations = [
        Allocation(stage=Stage(stage), equipment=vessels[code], start=start, end=end, active=True)
        for stage, code, start, end in stages
    ]
    return estimate(session, draft, ctx)


def planned_start(booking: Booking) -> datetime:
    """When the booked work begins: the first active allocation, else the earliest start asked for."""
    starts = [a.start for a in booking.allocations if a.active]
    return min(starts) if starts else booking.earliest_start


def cancellation_fee_lines(session: Session, booking: Booking, now: datetime, tz: ZoneInfo) -> list[billing.Line]:
    """The fee line for cancelling `booking` at `now`, or none outside the price list's notice period.

    The fee is computed on the stored quote subtotal (`booking.quote_subtotal`), or on a fresh quote."""
    row, price_list = price_lists.in_force(session, to_local(booking.earliest_start, tz).date())
    if booking.quote_subtotal is not None:
        quote_subtotal = billing.Money(booking.quote_subtotal)
    else:
        quote_subtotal = quote_for_booking(session, booking, today=to_local(now, tz).date(), tz=tz)[1].subtotal
    hours_before = hours_between(now, planned_start(booking))
    return billing.cancellation_lines(price_list, quote_subtotal, hours_before, row.cancellation_notice_h)


@dataclass(frozen=True)
class CancellationPreview:
    """What cancelling a booking costs now, and the price list's rule behind it."""

    notice_h: int
    rate: Decimal | None  # a fraction of the estimate (excl. VAT), or else
    fixed_fee: Decimal | None
    free_until: datetime  # cancelling before this is free
    fee: billing.Totals | None  # the fee if cancelled now (None: free)


def cancellation_preview(session: Session, booking: Booking, ctx: Context) -> CancellationPreview | None:
    """The fee `invoices.cancellation_invoice` would draft if the booking were cancelled now; None while
    no price list is in force for it."""
    service_day = to_local(booking.earliest_start, ctx.tz).date()
    if not has_price_list(session, service_day):
        return None
    row, _ = price_lists.in_force(session, service_day)
    lines = cancellation_fee_lines(session, booking, ctx.now(), ctx.tz)
    return CancellationPreview(
        notice_h=row.cancellation_notice_h,
        rate=row.cancellation_rate,
        fixed_fee=row.cancellation_fixed_fee,
        free_until=planned_start(booking) - timedelta(hours=row.cancellation_notice_h),
        fee=billing.invoice_totals(lines) if lines else None,
    )
