"""The subsidy ledger of one year, read from the invoices table.

A year's ledger holds the issued documents that may count in it: for the "invoiced" basis the invoices
and credit notes issued in the year, plus the credit notes (of any date) of those invoices, which
decide whether an invoice is void; for the "paid" basis the invoices with a payment in the year, their
credit notes and the credit notes issued in the year. Dates are the plant's local dates (`issued_on`).

Assumptions: an invoice is void when its issued credit notes cover its whole total; it is paid on the
day of its last payment once payments cover its total less its credit notes; a credit note is settled
(`paid_on`) on the later of its issue date and its invoice's paid date, and not while that invoice is
unpaid. Credit notes carry negative amounts; the sign is taken from the kind, not from the stored value.
"""

from datetime import date
from typing import NamedTuple

from sqlalchemy import (
    BigInteger,
    Integer,
    Select,
    and_,
    case,
    cast,
    extract,
    func,
    not_,
    or_,
    select,
    type_coerce,
    union,
)
from sqlalchemy.orm import Session, aliased

from app.models import Invoice, InvoiceKind, InvoiceStatus, Payment
from billing import LedgerInvoice, Money

ISSUED = InvoiceStatus.ISSUED
CREDIT_NOTE = InvoiceKind.CREDIT_NOTE


def year_range(year: int) -> tuple[date, date]:
    """[1 January of `year`, 1 January of the next year)."""
    return date(year, 1, 1), date(year + 1, 1, 1)


def _in_year(column, year: int):
    """An index-friendly range test of a date column."""
    start, end = year_range(year)
    return and_(column >= start, column < end)


def as_fen(column):
    """A money column as its stored integer fen."""
    return type_coerce(column, Integer)


def _sum_fen(expression):
    return cast(func.sum(expression), BigInteger)


def _document_ids(year: int, basis: str) -> Select:
    """The ids of the documents in the ledger of `year` under `basis`."""
    if basis == "paid":
        anchors = select(Payment.invoice_id).where(_in_year(Payment.received_on, year))
        of_the_year = select(Invoice.id).where(
            Invoice.status == ISSUED, Invoice.kind == CREDIT_NOTE, _in_year(Invoice.issued_on, year)
        )
    else:
        anchors = select(Invoice.id).where(
            Invoice.status == ISSUED, Invoice.kind != CREDIT_NOTE, _in_year(Invoice.issued_on, year)
        )
        of_the_year = select(Invoice.id).where(Invoice.status == ISSUED, _in_year(Invoice.issued_on, year))
    anchored = select(Invoice.id).where(
        Invoice.status == ISSUED, or_(Invoice.id.in_(anchors), Invoice.credited_invoice_id.in_(anchors))
    )
    return union(of_the_year, anchored)


def _credits(owners: Select):
    """Per invoice: the total of its issued credit notes."""
    return (
        select(
            Invoice.credited_invoice_id.label("invoice_id"), _sum_fen(func.abs(as_fen(Invoice.total))).label("credited")
        )
        .where(Invoice.status == ISSUED, Invoice.kind == CREDIT_NOTE, Invoice.credited_invoice_id.in_(owners))
        .group_by(Invoice.credited_invoice_id)
        .subquery("credits")
    )


def _payments(owners: Select):
    return (
        select(
            Payment.invoice_id,
            _sum_fen(as_fen(Payment.amount)).label("paid"),
            func.max(Payment.received_on).label("last_paid"),
        )
        .where(Payment.invoice_id.in_(owners))
        .group_by(Payment.invoice_id)
        .subquery("paid")
    )


def ledger(session: Session, year: int, basis: str) -> list[LedgerInvoice]:
    """The ledger of `year` as the core's records, in number order."""
    ids = _document_ids(year, basis).cte("ledger_ids")
    owner = aliased(Invoice, name="owner")
    owners = select(func.coalesce(Invoice.credited_invoice_id, Invoice.id)).where(Invoice.id.in_(select(ids)))
    credits, payments = _credits(owners), _payments(owners)
    query = (
        select(
            Invoice.id,
            Invoice.number,
            Invoice.kind,
            Invoice.company_id,
            Invoice.customer_name,
            Invoice.customer_uscc,
            Invoice.issued_on,
            Invoice.fapiao_number,
            Invoice.credited_invoice_id,
            as_fen(Invoice.service_subtotal).label("service"),
            as_fen(Invoice.tax).label("tax"),
            as_fen(Invoice.total).label("total"),
            as_fen(owner.total).label("owner_total"),
            credits.c.credited,
            payments.c.paid,
            payments.c.last_paid,
        )
        .join(owner, owner.id == func.coalesce(Invoice.credited_invoice_id, Invoice.id))
        .outerjoin(credits, credits.c.invoice_id == owner.id)
        .outerjoin(payments, payments.c.invoice_id == owner.id)
        .where(Invoice.id.in_(select(ids)))
        .order_by(Invoice.number, Invoice.id)
    )
    return [_record(row) for row in session.execute(query)]


def _owner_paid_on(row) -> date | None:
    """When the invoice owning `row` became fully paid (net of its credit notes), or None."""
    if row.last_paid is None or row.paid < row.owner_total - (row.credited or 0):
        return None
    return row.last_paid


def _record(row) -> LedgerInvoice:
    is_credit = row.kind == CREDIT_NOTE
    paid_on = _owner_paid_on(row)
    if is_credit and paid_on is not None:
        paid_on = max(paid_on, row.issued_on)
    sign = -1 if is_credit else 1
    return LedgerInvoice(
        id=row.id,
        number=row.number,
        kind=row.kind.value,
        customer_id=row.company_id,
        customer_name=row.customer_name,
        customer_uscc=row.customer_uscc,
        issued_on=row.issued_on,
        paid_on=paid_on,
        status=ISSUED.value,
        is_void=not is_credit and row.credited is not None and row.credited >= row.owner_total,
        service_amount=Money.from_fen(sign * abs(row.service)),
        tax=Money.from_fen(sign * abs(row.tax)),
        total=Money.from_fen(sign * abs(row.total)),
        fapiao_number=row.fapiao_number,
        credited_invoice_id=row.credited_invoice_id,
    )


class Group(NamedTuple):
    """Documents of one customer (as named on them) and month, counted (reason None) or excluded."""

    reason: str | None
    customer_id: int
    customer_name: str
    customer_uscc: str
    month: int
    count: int
    amount_fen: int
    last_number: str


def _credits_of_year_invoices(year: int):
    """Per invoice of `year` that has credit notes: their total, and the count and service amount of
    those issued in other years (grouped by the credit notes' own key, so that they are read through the
    credited-invoice index rather than by probing it for every invoice of the year)."""
    note, owner = aliased(Invoice, name="note"), aliased(Invoice, name="owner")
    late = not_(_in_year(note.issued_on, year))
    return (
        select(
            note.credited_invoice_id.label("invoice_id"),
            func.max(as_fen(owner.total)).label("total"),
            func.max(owner.company_id).label("company_id"),
            _sum_fen(func.abs(as_fen(note.total))).label("credited"),
            func.count().filter(late).label("late_count"),
            cast(func.sum(-func.abs(as_fen(note.service_subtotal))).filter(late), BigInteger).label("late_amount"),
        )
        .join(owner, owner.id == note.credited_invoice_id)
        .where(
            note.credited_invoice_id.is_not(None),
            note.status == ISSUED,
            note.kind == CREDIT_NOTE,
            owner.status == ISSUED,
            _in_year(owner.issued_on, year),
        )
        .group_by(note.credited_invoice_id)
    )


def _month(column, session: Session):
    """The month of a date column (SQLite stores dates as text: read the digits)."""
    if session.get_bind().dialect.name == "sqlite":
        return cast(func.substr(column, 6, 2), Integer)
    return extract("month", column)


def invoiced_groups(session: Session, year: int) -> list[Group]:
    """The "invoiced" basis ledger of `year` classified and summed in SQL, by the rule of billing.subsidy.

    Only the outside-year and void reasons are decided here; affiliation is a property of the customer id,
    applied to the groups by the caller. The documents issued in the year are read by an index range; the
    credit notes of the year's invoices issued later are summed per invoice (reason "outside_year").
    """
    credits = _credits_of_year_invoices(year).subquery("credits")
    void_ids = select(credits.c.invoice_id).where(credits.c.credited >= credits.c.total, credits.c.late_count == 0)
    amount = as_fen(Invoice.service_subtotal)
    keys = (
        case((func.coalesce(Invoice.credited_invoice_id, Invoice.id).in_(void_ids), "void"), else_=None),
        Invoice.company_id,
        Invoice.customer_name,
        Invoice.customer_uscc,
        _month(Invoice.issued_on, session),
    )
    query = (
        select(
            *keys,
            func.count(),
            _sum_fen(case((Invoice.kind == CREDIT_NOTE, -func.abs(amount)), else_=amount)),
            func.max(Invoice.number),
        )
        .where(Invoice.status == ISSUED, _in_year(Invoice.issued_on, year))
        .group_by(*keys)
    )
    groups = [
        Group(row[0], row[1], row[2], row[3], int(row[4]), row[5], int(row[6]), row[7])
        for row in session.execute(query)
    ]
    late = select(credits.c.company_id, credits.c.late_count, credits.c.late_amount).where(credits.c.late_count > 0)
    return groups + [
        Group("outside_year", company, "", "", 0, count, int(total), "")
        for company, count, total in session.execute(late)
    ]
