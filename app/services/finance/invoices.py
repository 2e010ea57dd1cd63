"""Invoices: who sees which, drafting (from a completed booking, or the draft that draft_lines fills with free lines)
and throwing a draft away.

A draft's line amounts and totals are recomputed with `billing.invoice_totals` after every change. A
customer sees its own company's issued invoices and credit notes only; drafts are internal.
"""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session, selectinload

import billing
from app.models import Booking, BookingStatus, Company, Invoice, InvoiceKind, InvoiceLine, InvoiceStatus, Role, User
from app.platform.context import Context
from app.platform.errors import Conflict, NotFound, ValidationFailed
from app.platform.plant_rules import PlantRules
from app.platform.timefmt import local_day_start, to_local
from app.services import audit
from app.services.batch import acceptance
from app.services.booking.lifecycle import BILLABLE
from app.services.finance import customer_groups, price_lists, pricing
from app.services.rows import by_id

FROZEN_MESSAGE = "已开具的发票不可修改，如需更正请开具红字发票"


def to_core(line: InvoiceLine) -> billing.Line:
    return billing.Line(
        line.description,
        line.quantity,
        line.unit,
        billing.Money(line.unit_price),
        line.tax_rate,
        line.is_service,
        line.discount,
    )


def core_lines(invoice: Invoice) -> list[billing.Line]:
    return [to_core(line) for line in invoice.lines]


def totals_of(invoice: Invoice) -> billing.Totals:
    return billing.invoice_totals(core_lines(invoice))


def refresh_totals(invoice: Invoice) -> billing.Totals:
    """Recompute a draft's line amounts and totals."""
    for line in invoice.lines:
        line.amount = to_core(line).amount.amount
    totals = totals_of(invoice)
    invoice.subtotal, invoice.tax, invoice.total = totals.subtotal.amount, totals.tax.amount, totals.total.amount
    invoice.service_subtotal = totals.service_subtotal.amount
    return totals


def copy_customer(invoice: Invoice, company: Company) -> None:
    """Copy the customer's billing details onto the invoice (frozen with it at issue)."""
    invoice.customer_name, invoice.customer_uscc = company.name, company.uscc
    invoice.customer_address_phone = " ".join(p for p in (company.address, company.phone) if p)
    invoice.customer_bank_account = " ".join(p for p in (company.bank_name, company.bank_account) if p)


def credited_quantities(invoice: Invoice) -> dict[int, Decimal]:
    """Quantity credited so far per line position (a credit-note line keeps the position it credits)."""
    credited: dict[int, Decimal] = {}
    for note in invoice.credit_notes:
        if note.status == InvoiceStatus.ISSUED:
            for line in note.lines:
                credited[line.position] = credited.get(line.position, Decimal(0)) - line.quantity
    return credited


def is_void(invoice: Invoice) -> bool:
    """An issued invoice whose every line is fully credited counts as void (作废)."""
    if invoice.kind != InvoiceKind.INVOICE or invoice.status != InvoiceStatus.ISSUED or not invoice.lines:
        return False
    credited = credited_quantities(invoice)
    return all(credited.get(line.position, 0) >= line.quantity for line in invoice.lines)


def invoice_for(session: Session, actor: User, invoice_id: int) -> Invoice:
    """An invoice the actor may see: finance and admins all, a customer only its company's issued ones."""
    invoice = by_id(session, Invoice, invoice_id)
    hidden = actor.role == Role.CUSTOMER and (
        invoice is None or invoice.company_id != actor.company_id or invoice.status != InvoiceStatus.ISSUED
    )
    if invoice is None or hidden:
        raise NotFound("发票不存在")
    return invoice


def list_invoices(
    session: Session,
    actor: User,
    tz: ZoneInfo,
    *,
    company_id: int | None = None,
    year: int | None = None,
    kind: str | None = None,
) -> list[Invoice]:
    """Invoices and credit notes, newest first; customers get their company's issued ones only."""
    query = (
        select(Invoice)
        .options(
            selectinload(Invoice.lines),
            selectinload(Invoice.payments),
            selectinload(Invoice.credit_notes).selectinload(Invoice.lines),
        )
        .order_by(Invoice.issued_on.desc().nulls_first(), Invoice.id.desc())
    )
    if actor.role == Role.CUSTOMER:
        query = query.where(Invoice.company_id == actor.company_id, Invoice.status == InvoiceStatus.ISSUED)
    if company_id:
        query = query.where(Invoice.company_id == company_id)
    if kind:
        query = query.where(Invoice.kind == kind)
    if year:
        start, end = local_day_start(date(year, 1, 1), tz), local_day_start(date(year + 1, 1, 1), tz)
        query = query.where(
            or_(
                Invoice.issued_on.between(date(year, 1, 1), date(year, 12, 31)),
                and_(Invoice.issued_on.is_(None), Invoice.created_at >= start, Invoice.created_at < end),
            )
        )
    return list(session.scalars(query))


def require_draft(invoice: Invoice) -> None:
    if invoice.status != InvoiceStatus.DRAFT:
        raise Conflict(FROZEN_MESSAGE)


def row(position: int, line: billing.Line) -> InvoiceLine:
    return InvoiceLine(
        position=position,
        description=line.description,
        quantity=line.quantity,
        unit=line.unit,
        unit_price=line.unit_price.amount,
        discount=line.discount,
        tax_rate=line.tax_rate,
        is_service=line.is_service,
        amount=line.amount.amount,
    )


def draft(
    session: Session,
    actor: User,
    company_id: int,
    lines: list[billing.Line],
    *,
    booking_id: int | None = None,
    price_list_id: int | None = None,
) -> Invoice:
    """A draft invoice for the company with the given lines (e.g. `pricing.cancellation_fee_lines`)."""
    company = by_id(session, Company, company_id)
    if company is None:
        raise ValidationFailed("企业不存在", {"company_id": "企业不存在"})
    booking = session.get(Booking, booking_id) if booking_id is not None else None
    invoice = Invoice(
        kind=InvoiceKind.INVOICE,
        status=InvoiceStatus.DRAFT,
        company_id=company.id,
        booking_id=booking_id,
        price_list_id=price_list_id,
        created_by_id=actor.id,
        contract_id=booking.contract_id if booking is not None else None,
    )  # the booking's contract
    copy_customer(invoice, company)
    invoice.lines = [row(position, line) for position, line in enumerate(lines, start=1)]
    totals = refresh_totals(invoice)
    session.add(invoice)
    session.flush()
    audit.record(
        session,
        actor,
        "invoice.drafted",
        "invoice",
        invoice.id,
        company_id=company.id,
        booking_id=booking_id,
        lines=len(lines),
        total=totals.total,
    )
    return invoice


def cancellation_invoice(
    session: Session, actor: User, booking: Booking, now: datetime, tz: ZoneInfo
) -> Invoice | None:
    """A draft invoice of the cancellation fee when `booking` is cancelled inside the notice period."""
    if not pricing.has_price_list(session, to_local(booking.earliest_start, tz).date()):
        return None
    fee = pricing.cancellation_fee_lines(session, booking, now, tz)
    return draft(session, actor, booking.company_id, fee, booking_id=booking.id) if fee else None


def cancellation_fee_of(session: Session, booking: Booking) -> Invoice | None:
    """The invoice of the fee charged for cancelling `booking`, if one was charged."""
    if booking.status != BookingStatus.CANCELLED:
        return None
    return session.scalar(
        select(Invoice)
        .where(Invoice.booking_id == booking.id, Invoice.kind == InvoiceKind.INVOICE)
        .order_by(Invoice.id.desc())
    )


def _open_invoice(session: Session, booking: Booking) -> Invoice | None:
    invoices = session.scalars(
        select(Invoice).where(Invoice.booking_id == booking.id, Invoice.kind == InvoiceKind.INVOICE)
    )
    return next((invoice for invoice in invoices if not is_void(invoice)), None)


def billable_bookings(session: Session, rules: PlantRules) -> list[Booking]:
    """Completed bookings, and aborted ones whose cause is billed, the latest first."""
    billed_abort = and_(Booking.status == BookingStatus.ABORTED, Booking.abort_cause.not_in(rules.abort_waived_causes))
    query = select(Booking).where(or_(Booking.status == BookingStatus.COMPLETED, billed_abort))
    return list(session.scalars(query.order_by(Booking.actual_end.desc())))


def draft_from_booking(session: Session, actor: User, booking_id: int, ctx: Context, reason: str = "") -> Invoice:
    """A draft from a completed (or aborted and billed) booking's actual usage, priced by the list in force on the
    service date; usage the customer has not accepted needs a reason (logged); aborts of the plant's waived causes
    are not billed."""
    booking = by_id(session, Booking, booking_id)
    if booking is None:
        raise ValidationFailed("预约不存在", {"booking_id": "预约不存在"})
    if booking.status == BookingStatus.ABORTED and booking.abort_cause in ctx.rules.abort_waived_causes:
        raise Conflict("该批次的中止原因按规定免收费用", {"booking_id": "中止批次免收费用"})
    if booking.status not in BILLABLE:
        raise Conflict("只能为已完成的预约开具发票", {"booking_id": "预约尚未完成或已开票"})
    if (existing := _open_invoice(session, booking)) is not None:
        raise Conflict(f"该预约已有发票（{existing.number or '草稿'}）", {"booking_id": "该预约已有发票"})
    acceptance.require_accepted_or_reason(session, actor, booking, reason, ctx.now())
    usage = pricing.actual_usage(booking)
    row, price_list = price_lists.in_force(session, to_local(booking.actual_start, ctx.tz).date())
    vessel_class = pricing.booking_vessel_class(session, booking)
    discount = customer_groups.discount_for(session, booking.company)
    try:
        lines = billing.quote_lines(price_list, usage, vessel_class, discount)
    except ValueError as error:
        raise ValidationFailed(f"无法按价目表计价：{error}", {"booking_id": "无法按价目表计价"}) from error
    return draft(session, actor, booking.company_id, lines, booking_id=booking.id, price_list_id=row.id)


def delete_draft(session: Session, actor: User, invoice: Invoice) -> None:
    """Throw a draft away (it has no number yet, so the numbering keeps no gap)."""
    require_draft(invoice)
    audit.record(
        session,
        actor,
        "invoice.draft_deleted",
        "invoice",
        invoice.id,
        company_id=invoice.company_id,
        total=invoice.total,
    )
    session.delete(invoice)
