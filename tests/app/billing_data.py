"""Builders for the billing tests: price lists, bookings (rows made directly), drafts and issued invoices."""

import itertools
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from app.models import Allocation, Booking, BookingStatus, Equipment, MaterialUse, Stage
from app.platform.context import context_for
from app.platform.db import db_session
from app.services.access import accounts
from app.services.finance import draft_lines, invoice_issue, price_lists

_reference = itertools.count(1)
THIS_YEAR = datetime.now(ZoneInfo("Asia/Shanghai")).year  # of documents issued "now"
MARCH_2 = datetime(2026, 3, 2, 0, 0, tzinfo=UTC)  # 08:00 in the plant
LINE = {
    "description": "工艺放大技术服务",
    "quantity": "2",
    "unit": "天",
    "unit_price": "1000.00",
    "tax_rate": "0.06",
    "is_service": True,
}


def load_price_list(app) -> None:
    with app.app_context():
        session = db_session()
        price_lists.ensure_default_price_list(session)
        session.commit()


def make_booking(
    app,
    company_id: int,
    *,
    status: str = "completed",
    kind: str = "liquid",
    working_volume_l: float = 70,
    duration_h: float = 48,
    start: datetime = MARCH_2,
    vessel: str | None = None,
    hours_run: float | None = 30,
    usage: dict | None = None,
    materials: tuple = (),
) -> int:
    """A booking row; `vessel` places its main stage; `hours_run` sets the actual start and end."""
    with app.app_context():
        session = db_session()
        booking = Booking(
            reference=f"BK-T{next(_reference):05d}",
            company_id=company_id,
            service="scale_up",
            kind=kind,
            working_volume_l=working_volume_l,
            duration_h=duration_h,
            earliest_start=start,
            latest_end=start + timedelta(days=30),
            organism="枯草芽孢杆菌",
            status=BookingStatus(status),
            **(usage or {}),
        )
        if hours_run is not None:
            booking.actual_start, booking.actual_end = start, start + timedelta(hours=hours_run)
        if vessel is not None:
            equipment = session.query(Equipment).filter_by(code=vessel).one()
            end = start + timedelta(hours=duration_h)
            booking.allocations = [
                Allocation(
                    equipment_id=equipment.id,
                    stage=Stage.MAIN,
                    start=start,
                    end=end,
                    occupied_until=end + timedelta(hours=equipment.turnaround_h),
                )
            ]
        booking.materials = [
            MaterialUse(description=d, quantity=Decimal(q), unit=u, unit_cost=Decimal(c)) for d, q, u, c in materials
        ]
        session.add(booking)
        session.commit()
        return booking.id


def finance_actor(session, email: str):
    return accounts.user_by_email(session, email)


def issued_invoice(
    app, finance_email: str, company_id: int, lines: list[dict] | None = None, issued_at: datetime | None = None
) -> int:
    """A draft of free lines, issued (default: now)."""
    with app.app_context():
        session = db_session()
        actor = finance_actor(session, finance_email)
        fields = [
            draft_lines.LineFields(
                line["description"],
                Decimal(line["quantity"]),
                line["unit"],
                Decimal(line["unit_price"]),
                Decimal(line["tax_rate"]),
                line["is_service"],
            )
            for line in lines or [LINE]
        ]
        invoice = draft_lines.draft_from_lines(session, actor, company_id, fields)
        invoice_issue.issue_invoice(session, actor, invoice.id, issued_at, context_for(app))
        session.commit()
        return invoice.id
