"""Issuing: gap-free numbers per prefix and local year, freezing the invoice, the official fapiao number.

Numbers: invoices `PP-2026-00017` (the context's invoice prefix), credit notes their own sequence
`CN-2026-00003` (its credit-note prefix). The (prefix, year) row of `number_sequences` is locked while
a number is taken — PostgreSQL `SELECT … FOR UPDATE` after inserting the row if missing (ON CONFLICT DO
NOTHING); on SQLite every writing request already holds the write lock (BEGIN IMMEDIATE). The number
is taken in the same short transaction that issues the document, so a failure leaves no gap; the check that
numbers follow issue dates runs under that lock, so that concurrent back-dated issues cannot interleave.
Issue dates lie between the platform's first year (the context's numbering) and now, never in a closed
year (one whose subsidy claim is submitted).
"""

import re
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

import billing
from app.models import ClaimStatus, Invoice, InvoiceKind, InvoiceStatus, SubsidyClaim, User
from app.platform.context import Context, Numbering
from app.platform.errors import Conflict, NotFound, ValidationFailed
from app.platform.timefmt import to_local
from app.services import audit
from app.services.booking import lifecycle
from app.services.finance import invoices
from app.services.finance.sequences import next_in_sequence
from app.services.rows import by_id

FAPIAO_NUMBER = re.compile(r"[0-9]{20}", re.ASCII)


def prefix_for(kind: InvoiceKind, numbering: Numbering) -> str:
    """The number prefix of a kind of document."""
    return numbering.credit_note_prefix if kind == InvoiceKind.CREDIT_NOTE else numbering.invoice_prefix


def next_number(session: Session, prefix: str, year: int) -> str:
    """The next invoice-style number (PP-2026-00017) of the (prefix, year) sequence."""
    return billing.invoice_number(prefix, year, next_in_sequence(session, prefix, year))


def locked_invoice(session: Session, invoice_id: int) -> Invoice:
    """The invoice, its row locked for this transaction (PostgreSQL), freshly read."""
    invoice = by_id(session, Invoice, invoice_id, with_for_update=True, populate_existing=True)
    if invoice is None:
        raise NotFound("发票不存在")
    return invoice


def _issue_date(session: Session, issued_at: datetime, ctx: Context) -> date:
    """The local issue date, refused in the future, before the platform's first year or in a closed year."""
    issued_on, first_year = to_local(issued_at, ctx.tz).date(), ctx.numbering.first_year
    if issued_at > ctx.now():
        _refuse_date("开票时间不能晚于当前时间")
    if issued_on.year < first_year:
        _refuse_date(f"开票日期不能早于平台启用的年份（{first_year} 年）")
    if session.scalar(
        select(SubsidyClaim.id)
        .where(SubsidyClaim.year == issued_on.year, SubsidyClaim.status == ClaimStatus.SUBMITTED)
        .limit(1)
    ):
        _refuse_date(f"{issued_on.year} 年的补贴申报已提交，该年度已关账，不能再开具该年度的单据")
    return issued_on


def _check_date_order(session: Session, invoice: Invoice, issued_on: date) -> None:
    """Numbers follow dates: no earlier than the last issued document of the year (run under the sequence lock)."""
    latest = session.scalar(
        select(func.max(Invoice.issued_on)).where(
            Invoice.kind == invoice.kind,
            Invoice.status == InvoiceStatus.ISSUED,
            Invoice.issued_on.between(date(issued_on.year, 1, 1), date(issued_on.year, 12, 31)),
        )
    )
    if latest is not None and issued_on < latest:
        _refuse_date(f"开票日期不能早于本年度已开具的最后一张（{latest.isoformat()}），以保证编号按日期连续")


def _refuse_date(message: str) -> None:
    raise ValidationFailed(message, {"issued_at": message})


def freeze(session: Session, actor: User, invoice: Invoice, issued_at: datetime, ctx: Context) -> Invoice:
    """Number and issue a locked draft (invoice or credit note): dates, customer details, totals."""
    invoices.require_draft(invoice)
    issued_on, numbering = _issue_date(session, issued_at, ctx), ctx.numbering
    totals = invoices.refresh_totals(invoice)
    if invoice.kind == InvoiceKind.INVOICE:
        if not invoice.lines or totals.total.amount <= 0:
            raise ValidationFailed("发票没有明细或金额不大于零，不能开具", {"lines": "请先添加明细行"})
        _require_contract(invoice, totals.total.amount, numbering.contract_required_from)
        invoices.copy_customer(invoice, invoice.company)
        invoice.due_on = billing.due_date(issued_on, numbering.payment_terms_days)
    invoice.number = next_number(session, prefix_for(invoice.kind, numbering), issued_on.year)  # locks the sequence
    _check_date_order(session, invoice, issued_on)
    invoice.issued_at, invoice.issued_on, invoice.status = issued_at, issued_on, InvoiceStatus.ISSUED
    session.flush()
    audit.record(
        session,
        actor,
        "invoice.issued",
        "invoice",
        invoice.id,
        number=invoice.number,
        kind=invoice.kind.value,
        issued_at=issued_at,
        subtotal=totals.subtotal,
        tax=totals.tax,
        total=totals.total,
        service_subtotal=totals.service_subtotal,
    )
    return invoice


def _require_contract(invoice: Invoice, total: Decimal, required_from: Decimal | None) -> None:
    """Invoices of `required_from` CNY or more belong to a contract (smaller jobs may go without one)."""
    if required_from is not None and invoice.contract_id is None and total >= required_from:
        message = f"价税合计达到 {required_from:,.2f} 元的发票须先归入服务合同"
        raise Conflict(message, {"contract_id": message})


def issue_invoice(session: Session, actor: User, invoice_id: int, issued_at: datetime | None, ctx: Context) -> Invoice:
    """Issue a draft invoice (default: now); a booking it was drafted from becomes invoiced."""
    invoice = locked_invoice(session, invoice_id)
    if invoice.kind != InvoiceKind.INVOICE:
        raise Conflict("红字发票在创建时即已开具")
    freeze(session, actor, invoice, issued_at or ctx.now(), ctx)
    booking = invoice.booking
    if booking is not None:
        lifecycle.follow(session, actor, booking, "invoice", invoice=invoice.number)
    return invoice


def record_fapiao_number(session: Session, actor: User, invoice: Invoice, fapiao_number: str) -> None:
    """Record the official 20-digit fapiao number (数电发票号码) of an issued document."""
    fapiao_number = fapiao_number.strip()
    if invoice.status != InvoiceStatus.ISSUED:
        raise Conflict("发票开具后才能登记数电发票号码")
    if not FAPIAO_NUMBER.fullmatch(fapiao_number):
        raise ValidationFailed("数电发票号码须为20位数字", {"fapiao_number": "数电发票号码须为20位数字"})
    taken = session.scalar(
        select(Invoice.number).where(Invoice.fapiao_number == fapiao_number, Invoice.id != invoice.id)
    )
    if taken:
        raise Conflict(f"该数电发票号码已登记在 {taken}", {"fapiao_number": "该号码已登记在其他发票上"})
    old, invoice.fapiao_number = invoice.fapiao_number, fapiao_number
    audit.record(
        session,
        actor,
        "invoice.fapiao_number",
        "invoice",
        invoice.id,
        number=invoice.number,
        old=old,
        new=fapiao_number,
    )
