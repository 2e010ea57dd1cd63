"""A year of demo activity: completed batches invoiced and paid, a credit note, and requests to come.

Made once (when the plant has no bookings yet) from a seeded random generator, through the same services
the pages use, so the demo ledger is what the plant's own workflow would have produced.
"""

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models import Allocation, Booking, BookingStatus, Company, Equipment, Kind, Service, Stage, User
from app.platform.context import Context
from app.services.booking import booking_states, bookings
from app.services.finance import credit_notes, invoice_issue, invoices, payments

#: vessels that carry the demo's past batches, with their typical batch length in hours
BUSY_VESSELS = {
    "LF30-1": 48,
    "LF100-1": 60,
    "LF500-1": 72,
    "LF2000-1": 96,
    "LF5000-1": 120,
    "LF20000-1": 144,
    "SF500-1": 96,
    "SF5000-1": 120,
}
ORGANISMS = [
    ("枯草芽孢杆菌", "bacillus"),
    ("酿酒酵母", "yeast"),
    ("米曲霉", "aspergillus"),
    ("大肠杆菌工程菌", "e_coli"),
    ("谷氨酸棒杆菌", "corynebacterium"),
]


@dataclass(frozen=True)
class Batch:
    vessel: Equipment
    company: Company
    start: datetime
    hours: int


def load_activity(session: Session, ctx: Context) -> int:
    """Add the demo year if the plant has no bookings; returns the number of bookings made."""
    now, tz = ctx.now(), ctx.tz
    if session.scalar(select(func.count(Booking.id))):
        return 0
    rng = random.Random(2026)
    finance = session.scalar(select(User).where(User.email == "finance@pilot.example"))
    customers = list(session.scalars(select(Company).order_by(Company.id)))
    batches = past_batches(session, rng, customers, tz, now)
    done = [_completed_booking(session, rng, batch, n) for n, batch in enumerate(batches)]
    session.flush()
    _invoice(session, rng, finance, done[:-3], ctx)
    return len(done) + _upcoming(session, rng, customers, ctx)


def past_batches(
    session: Session, rng: random.Random, customers: list[Company], tz: ZoneInfo, now: datetime
) -> list[Batch]:
    """Back-to-back batches on the busy vessels from January until a week ago, with idle gaps."""
    year_start = datetime.combine(date(now.astimezone(tz).year, 1, 5), time(8), tz)
    batches = []
    for code, hours in BUSY_VESSELS.items():
        vessel = session.scalar(select(Equipment).where(Equipment.code == code))
        start = year_start + timedelta(days=rng.randint(0, 10))
        while start + timedelta(hours=hours) < now - timedelta(days=7):
            batches.append(Batch(vessel, rng.choice(customers), start, hours))
            free = start + timedelta(hours=hours + vessel.turnaround_h)
            day = (free + timedelta(days=rng.randint(2, 16))).astimezone(tz).date()
            start = datetime.combine(day, time(rng.choice((8, 9, 10, 14))), tz)
    return sorted(batches, key=lambda b: b.start)


def _completed_booking(session: Session, rng: random.Random, batch: Batch, n: int) -> Booking:
    vessel, start = batch.vessel, batch.start
    end = start + timedelta(hours=batch.hours)
    organism, family = rng.choice(ORGANISMS)
    volume = round(vessel.max_working_volume_l * rng.uniform(0.7, 1.0))
    booking = Booking(
        reference=f"BK{start:%y%m}-D{n:04d}",
        company_id=batch.company.id,
        service=rng.choice([Service.SCALE_UP, Service.SCALE_UP, Service.PRODUCTION]),
        kind=Kind(vessel.kind.value),
        working_volume_l=volume,
        duration_h=batch.hours,
        earliest_start=start,
        latest_end=end + timedelta(days=3),
        organism=organism,
        organism_family=family,
        status=BookingStatus.COMPLETED,
        actual_start=start,
        actual_end=end + timedelta(hours=rng.choice((0, 0, 2, 4))),
        requested_at=start - timedelta(days=14),
        steam_t=Decimal(str(round(vessel.nominal_volume_l / 1000 * rng.uniform(0.8, 1.6) + 0.5, 1))),
        power_kwh=Decimal(int(batch.hours * (2 + vessel.nominal_volume_l / 400))),
        operator_h=Decimal(int(batch.hours / 4)),
        samples=rng.randint(2, 12),
    )
    booking.allocations.append(
        Allocation(
            equipment_id=vessel.id,
            stage=Stage.MAIN,
            start=start,
            end=end,
            occupied_until=end + timedelta(hours=vessel.turnaround_h),
        )
    )
    session.add(booking)
    return booking


def _invoice(session: Session, rng: random.Random, finance: User, done: list[Booking], ctx: Context) -> None:
    """Invoice completed batches in date order; most are paid, some partly, one is voided by a credit note."""
    issued = []
    for booking in sorted(done, key=lambda b: b.actual_end):
        issued_at = booking.actual_end + timedelta(days=2)
        if issued_at > ctx.now():
            continue
        draft = invoices.draft_from_booking(session, finance, booking.id, ctx, "演示数据：用量未经客户确认")
        issued.append(invoice_issue.issue_invoice(session, finance, draft.id, issued_at, ctx))
    today = ctx.today()
    for number, invoice in enumerate(issued):
        received = invoice.issued_on + timedelta(days=rng.randint(5, 40))
        if received <= today and number % 7 != 3:
            amount = invoice.total if number % 5 else (invoice.total / 2).quantize(Decimal("0.01"))
            payments.record_payment(session, finance, invoice.id, amount, received, f"网银 {number:04d}", today)
    if len(issued) > 10:
        _credit(session, finance, issued, ctx)


def _credit(session: Session, finance: User, issued: list, ctx: Context) -> None:
    voided = next(i for i in issued[len(issued) // 2 :] if not i.payments)
    credit_notes.create_credit_note(session, finance, voided.id, "服务内容有误，全额红冲", None, None, ctx)


def _upcoming(session: Session, rng: random.Random, customers: list[Company], ctx: Context) -> int:
    """Requests for the coming weeks, placed by the real slot search; the first few confirmed."""
    operator = session.scalar(select(User).where(User.email == "operator@pilot.example"))
    made, rules, now = 0, ctx.rules, ctx.now()
    for n, (volume, hours) in enumerate([(60, 48), (300, 72), (1500, 96), (8000, 120), (45, 36), (600, 72)]):
        company = customers[n % (len(customers) - 1)]
        actor = company.users[0]
        start = datetime.combine(now.astimezone(rules.tz).date() + timedelta(days=2 + 3 * n), time(8), rules.tz)
        organism, family = ORGANISMS[n % len(ORGANISMS)]
        booking = bookings.request_booking(
            session,
            actor,
            bookings.BookingInput(
                service="scale_up",
                kind="liquid",
                working_volume_l=volume,
                duration_h=hours,
                earliest_start=start,
                latest_end=start + timedelta(days=30),
                organism=organism,
                organism_family=family,
            ),
            ctx,
        )
        if n < 3:
            booking_states.transition(session, operator, booking, "confirm", rules, now, cache=ctx.plan_cache)
        made += 1
    return made
