"""数电票: the invoices waiting for one, the batch-import data for the tax platform, and the numbers brought back."""

from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from app.models import Invoice, InvoiceKind, InvoiceStatus, User
from app.platform.errors import ValidationFailed
from app.services import audit
from app.services.finance.invoice_issue import record_fapiao_number
from billing import Money
from billing.etax import EtaxInvoice, EtaxLine, IssuedRow, Matching, OurInvoice, export_problems, match_issued


def waiting(session: Session, kind: InvoiceKind = InvoiceKind.INVOICE) -> list[Invoice]:
    """Issued invoices (or credit notes) that have no 数电票 number yet, in number order."""
    return list(
        session.scalars(
            select(Invoice)
            .where(Invoice.status == InvoiceStatus.ISSUED, Invoice.kind == kind, Invoice.fapiao_number.is_(None))
            .options(selectinload(Invoice.lines))
            .order_by(Invoice.number)
        )
    )


def export_data(
    session: Session, invoice_ids: list[int], invoice_type: str, tax_codes: dict[str, str]
) -> list[EtaxInvoice]:
    """The chosen invoices as the template's rows; refused, naming every problem, when the platform would refuse."""
    chosen = [invoice for invoice in waiting(session) if invoice.id in set(invoice_ids)]
    if not chosen:
        raise ValidationFailed("请选择至少一张尚未登记数电票号码的已开具发票", {"invoice_ids": "请选择发票"})
    data = [_as_etax(invoice, invoice_type, tax_codes) for invoice in chosen]
    problems = export_problems(data)
    if problems:
        raise ValidationFailed("无法导出：" + "；".join(problems[:20]), {"invoice_ids": problems[0]})
    return data


def _as_etax(invoice: Invoice, invoice_type: str, tax_codes: dict[str, str]) -> EtaxInvoice:
    lines = tuple(
        EtaxLine(
            line.description,
            tax_codes["service" if line.is_service else "goods"],
            line.unit,
            line.quantity,
            Money(line.unit_price),
            Money(line.amount),
            line.tax_rate,
        )
        for line in invoice.lines
    )
    return EtaxInvoice(
        invoice.number or "",
        invoice_type,
        invoice.customer_name,
        invoice.customer_uscc,
        invoice.customer_address_phone,
        invoice.customer_bank_account,
        Money(invoice.subtotal),
        lines,
    )


def record_issued(session: Session, actor: User, rows: list[IssuedRow]) -> Matching:
    """Record the 数电票 number and date of every row that matches one of our issued invoices; others change nothing."""
    ours = [
        OurInvoice(i.id, i.number or "", i.customer_name, i.customer_uscc, Money(i.total), i.issued_on, i.fapiao_number)
        for i in session.scalars(
            select(Invoice).where(Invoice.status == InvoiceStatus.ISSUED, Invoice.kind == InvoiceKind.INVOICE)
        )
    ]
    matching = match_issued(rows, ours)
    for row, found in matching.matched:
        invoice = session.get(Invoice, found.id)
        if invoice.fapiao_number != row.fapiao_number:
            record_fapiao_number(session, actor, invoice, row.fapiao_number)
        invoice.fapiao_issued_on = row.issued_on
    audit.record(
        session,
        actor,
        "invoice.fapiao_imported",
        "invoice",
        "",
        matched=len(matching.matched),
        unmatched=len(matching.unmatched),
    )
    return matching


def red_letter_rows(session: Session) -> list[list]:
    """What a 红字确认单 needs for each credit note without a 数电票 number: the original's numbers and the amounts."""
    rows = []
    for note in waiting(session, InvoiceKind.CREDIT_NOTE):
        original = note.credited_invoice
        rows.append(
            [
                note.number,
                original.number if original else "",
                original.fapiao_number if original else "",
                original.issued_on if original else None,
                note.customer_name,
                note.customer_uscc,
                Decimal(note.subtotal),
                Decimal(note.tax),
                Decimal(note.total),
                note.reason,
            ]
        )
    return rows
