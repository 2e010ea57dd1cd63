"""Credit notes (红字发票): issued at once, referencing the original, with negated quantities.

A credit-note line keeps the position of the line it credits, which is how the quantity still creditable
per line is known. No selection credits everything not yet credited (the whole invoice the first time,
with amounts and tax that are the exact negatives). An invoice fully credited counts as void; a booking
it was drafted from goes back to completed, so that it can be invoiced again.
"""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy.orm import Session

import billing
from app.models import Invoice, InvoiceKind, InvoiceStatus, User
from app.platform.context import Context
from app.platform.errors import Conflict, ValidationFailed
from app.services import audit
from app.services.booking import lifecycle
from app.services.finance import invoice_issue, invoices


@dataclass(frozen=True)
class CreditSelection:
    """Credit `quantity` of the original invoice's line `line_id`."""

    line_id: int
    quantity: Decimal


def _selection_by_index(invoice: Invoice, selection: list[CreditSelection]) -> dict[int, Decimal]:
    index_of = {line.id: index for index, line in enumerate(invoice.lines)}
    chosen: dict[int, Decimal] = {}
    problems = {}
    for n, item in enumerate(selection):
        if item.line_id not in index_of:
            problems[f"lines.{n}.line_id"] = "原发票没有该明细行"
        elif item.quantity <= 0:
            problems[f"lines.{n}.quantity"] = "红冲数量须大于零"
        else:
            index = index_of[item.line_id]
            chosen[index] = chosen.get(index, Decimal(0)) + item.quantity
    if problems or not chosen:
        raise ValidationFailed("请选择要红冲的明细行和数量", problems or {"lines": "请选择要红冲的明细行"})
    return chosen


def _credit_lines(invoice: Invoice, selection: list[CreditSelection] | None) -> list[tuple[int, billing.Line]]:
    """(original position, credit line) pairs; refuses crediting more than remains."""
    credited = invoices.credited_quantities(invoice)
    already = {i: credited[line.position] for i, line in enumerate(invoice.lines) if line.position in credited}
    chosen = None if selection is None else _selection_by_index(invoice, selection)
    try:
        lines = billing.credit_lines(invoices.core_lines(invoice), chosen, already)
    except ValueError:
        raise ValidationFailed("红冲数量超过可红冲数量", {"lines": "红冲数量超过该行尚未红冲的数量"}) from None
    if not lines:
        raise Conflict("该发票已全部红冲")
    indexes = (
        sorted(chosen)
        if chosen is not None
        else [i for i, line in enumerate(invoice.lines) if line.quantity - already.get(i, Decimal(0))]
    )
    return [(invoice.lines[i].position, line) for i, line in zip(indexes, lines, strict=True)]


def _note_for(invoice: Invoice, actor: User, reason: str) -> Invoice:
    return Invoice(
        kind=InvoiceKind.CREDIT_NOTE,
        status=InvoiceStatus.DRAFT,
        company_id=invoice.company_id,
        credited_invoice_id=invoice.id,
        price_list_id=invoice.price_list_id,
        reason=reason,
        customer_name=invoice.customer_name,
        customer_uscc=invoice.customer_uscc,
        customer_address_phone=invoice.customer_address_phone,
        customer_bank_account=invoice.customer_bank_account,
        created_by_id=actor.id,
    )


def create_credit_note(
    session: Session,
    actor: User,
    invoice_id: int,
    reason: str,
    selection: list[CreditSelection] | None,
    issued_at: datetime | None,
    ctx: Context,
) -> Invoice:
    """Issue a credit note for (part of) an issued invoice; `selection` None credits all that remains."""
    invoice = invoice_issue.locked_invoice(session, invoice_id)
    if invoice.kind != InvoiceKind.INVOICE or invoice.status != InvoiceStatus.ISSUED:
        raise Conflict("只能对已开具的发票开具红字发票")
    reason = reason.strip()
    if not reason:
        raise ValidationFailed("请填写红冲原因", {"reason": "请填写红冲原因"})
    issued_at = issued_at or ctx.now()
    if issued_at < invoice.issued_at:
        raise ValidationFailed("红字发票的开具时间不能早于原发票", {"issued_at": "不能早于原发票的开具时间"})
    note = _note_for(invoice, actor, reason)
    note.lines = [invoices.row(position, line) for position, line in _credit_lines(invoice, selection)]
    invoices.refresh_totals(note)
    session.add(note)
    session.flush()
    invoice_issue.freeze(session, actor, note, issued_at, ctx)
    audit.record(
        session,
        actor,
        "invoice.credited",
        "invoice",
        invoice.id,
        credit_note=note.number,
        reason=reason,
        total=note.total,
    )
    session.refresh(invoice, ["credit_notes"])
    _reopen_booking(session, actor, invoice)
    return note


def _reopen_booking(session: Session, actor: User, invoice: Invoice) -> None:
    booking = invoice.booking
    if booking is not None and invoices.is_void(invoice):
        lifecycle.follow(session, actor, booking, "void", invoice=invoice.number)
