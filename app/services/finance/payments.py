"""Payments against issued invoices, where each document stands, and the aged receivables.

What is due on an invoice = its total + the totals of its credit notes (negative); a void invoice (fully
credited) owes nothing. Status per `billing.payment_status` on the plant's local date.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

import billing
from app.models import Invoice, InvoiceKind, InvoiceStatus, Payment, User
from app.platform.errors import Conflict, ValidationFailed
from app.services import audit
from app.services.finance import invoice_issue, invoices

#: status filters offered in lists, beside the payment statuses
DRAFT, VOID, CREDIT_NOTE = "draft", "void", "credit_note"
STATUSES = (DRAFT, *(s.value for s in billing.PaymentStatus), VOID, CREDIT_NOTE)
BUCKETS = ("not_due", "1_30", "31_60", "61_90", "over_90")


@dataclass(frozen=True)
class Standing:
    """Where a document stands on a given day."""

    status: str
    due: billing.Money
    paid: billing.Money
    outstanding: billing.Money
    credited: billing.Money
    void: bool


def _issued_credit_total(invoice: Invoice) -> billing.Money:
    return billing.Money.sum(
        billing.Money(note.total) for note in invoice.credit_notes if note.status == InvoiceStatus.ISSUED
    )


def standing(invoice: Invoice, today: date) -> Standing:
    """The status (draft, unpaid, partly_paid, paid, overdue, void, credit_note) and the amounts of a document."""
    zero = billing.Money.zero()
    total = billing.Money(invoice.total)
    if invoice.status == InvoiceStatus.DRAFT:
        return Standing(DRAFT, total, zero, zero, zero, False)
    if invoice.kind == InvoiceKind.CREDIT_NOTE:
        return Standing(CREDIT_NOTE, total, zero, zero, zero, False)
    credited = _issued_credit_total(invoice)
    paid = billing.Money.sum(billing.Money(p.amount) for p in invoice.payments)
    if invoices.is_void(invoice):
        return Standing(VOID, zero, paid, zero, credited, True)
    due = max(total + credited, zero)
    status = billing.payment_status(due, paid, invoice.due_on, today)
    return Standing(status.value, due, paid, billing.outstanding(due, paid), credited, False)


def with_status(documents: list[Invoice], status: str | None, today: date) -> list[Invoice]:
    """The documents whose standing has `status` (all when None)."""
    return documents if not status else [d for d in documents if standing(d, today).status == status]


def record_payment(
    session: Session, actor: User, invoice_id: int, amount: Decimal, received_on: date, reference: str, today: date
) -> Payment:
    """Record money received against an issued invoice; overpayment and non-positive amounts are refused."""
    invoice = invoice_issue.locked_invoice(session, invoice_id)
    if invoice.kind != InvoiceKind.INVOICE or invoice.status != InvoiceStatus.ISSUED:
        raise Conflict("只能对已开具的发票登记收款", {"amount": "该单据不能登记收款"})
    if invoices.is_void(invoice):
        raise Conflict("该发票已全部红冲（作废），不能登记收款", {"amount": "发票已作废"})
    if received_on > today or received_on < invoice.issued_on:
        raise ValidationFailed("收款日期须在开票日期与今天之间", {"received_on": "收款日期须在开票日期与今天之间"})
    state = standing(invoice, today)
    try:
        money = billing.Money(amount)
    except ValueError:
        raise ValidationFailed("金额最多两位小数", {"amount": "金额最多两位小数"}) from None
    if problem := billing.payment_problem(state.due, state.paid, money):
        raise ValidationFailed(problem, {"amount": problem})
    payment = Payment(
        invoice_id=invoice.id,
        amount=money.amount,
        received_on=received_on,
        reference=reference.strip()[:100],
        created_by_id=actor.id,
    )
    session.add(payment)
    session.flush()
    audit.record(
        session,
        actor,
        "invoice.payment",
        "invoice",
        invoice.id,
        number=invoice.number,
        amount=money,
        received_on=received_on,
        reference=payment.reference,
    )
    return payment


def bucket(due_on: date, today: date) -> str:
    """The ageing bucket of an amount due on `due_on`: not due, 1–30, 31–60, 61–90, >90 days overdue."""
    days = (today - due_on).days
    if days <= 0:
        return "not_due"
    for upper, name in ((30, "1_30"), (60, "31_60"), (90, "61_90")):
        if days <= upper:
            return name
    return "over_90"


@dataclass
class AgedRow:
    """One customer's outstanding amounts by ageing bucket."""

    company_id: int
    name: str
    buckets: dict[str, billing.Money] = field(default_factory=lambda: {b: billing.Money.zero() for b in BUCKETS})

    @property
    def total(self) -> billing.Money:
        return billing.Money.sum(self.buckets.values())


def aged_receivables(session: Session, today: date) -> tuple[list[AgedRow], AgedRow]:
    """Per customer (largest first) and in total, what is outstanding on issued invoices, by age."""
    query = (
        select(Invoice)
        .where(Invoice.kind == InvoiceKind.INVOICE, Invoice.status == InvoiceStatus.ISSUED)
        .options(
            selectinload(Invoice.payments),
            selectinload(Invoice.lines),
            selectinload(Invoice.credit_notes).selectinload(Invoice.lines),
        )
    )
    rows: dict[int, AgedRow] = {}
    overall = AgedRow(0, "")
    for invoice in session.scalars(query):
        outstanding = standing(invoice, today).outstanding
        if outstanding.is_zero():
            continue
        row = rows.setdefault(invoice.company_id, AgedRow(invoice.company_id, invoice.customer_name))
        name = bucket(invoice.due_on, today)
        row.buckets[name] += outstanding
        overall.buckets[name] += outstanding
    return sorted(rows.values(), key=lambda r: (-r.total.amount, r.name)), overall
