"""Issuing, payments, credit notes, the invoice PDF and the aged receivables."""

from decimal import Decimal

from flask import Response, jsonify

from app.documents.invoice_pdf import invoice_pdf as render_invoice_pdf
from app.platform.context import current_context
from app.platform.db import db_session
from app.services.finance import credit_notes, invoice_issue, invoices, payments
from app.web.api.billing_schemas import CreditNoteIn, IssueIn, PaymentIn
from app.web.api.core import current, endpoint
from app.web.api.invoices import invoice_json, payment_json


@endpoint(
    "/invoices/<int:invoice_id>/issue",
    "POST",
    "Issue a draft: number, dates, frozen details (finance)",
    "invoice.manage",
    body=IssueIn,
    responses={404: "not found", 409: "already issued", 422: "empty or bad date"},
)
def issue_invoice(invoice_id: int, body: IssueIn):
    session = db_session()
    invoices.invoice_for(session, current(), invoice_id)
    invoice = invoice_issue.issue_invoice(session, current(), invoice_id, body.issued_at, current_context())
    session.commit()
    return jsonify(invoice_json(invoice))


@endpoint(
    "/invoices/<int:invoice_id>/payments",
    "POST",
    "Record a payment (finance); overpayment is refused",
    "invoice.manage",
    body=PaymentIn,
    status=201,
    responses={404: "not found", 409: "not an issued invoice", 422: "overpayment or not positive"},
)
def add_payment(invoice_id: int, body: PaymentIn):
    session = db_session()
    invoices.invoice_for(session, current(), invoice_id)
    payment = payments.record_payment(
        session,
        current(),
        invoice_id,
        Decimal(body.amount),
        body.received_on,
        body.reference,
        current_context().today(),
    )
    session.commit()
    state = payments.standing(payment.invoice, current_context().today())
    return jsonify(
        {**payment_json(payment), "payment_status": state.status, "outstanding": str(state.outstanding)}
    ), 201


@endpoint(
    "/invoices/<int:invoice_id>/credit-notes",
    "POST",
    "Issue a credit note (红字发票) for the whole invoice or some lines (finance)",
    "invoice.manage",
    body=CreditNoteIn,
    status=201,
    responses={404: "not found", 409: "not issued or already fully credited", 422: "more than remains"},
)
def create_credit_note(invoice_id: int, body: CreditNoteIn):
    session = db_session()
    invoices.invoice_for(session, current(), invoice_id)
    selection = (
        None
        if body.lines is None
        else [credit_notes.CreditSelection(line.line_id, line.quantity) for line in body.lines]
    )
    note = credit_notes.create_credit_note(
        session, current(), invoice_id, body.reason, selection, body.issued_at, current_context()
    )
    session.commit()
    return jsonify(invoice_json(note)), 201


@endpoint(
    "/invoices/<int:invoice_id>/pdf",
    "GET",
    "The invoice as a PDF in Chinese",
    "invoice.read",
    responses={404: "not found"},
    produces="application/pdf",
)
def invoice_pdf(invoice_id: int):
    invoice = invoices.invoice_for(db_session(), current(), invoice_id)
    name = invoice.number or f"draft-{invoice.id}"
    return Response(
        render_invoice_pdf(invoice, current_context().today()),
        mimetype="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{name}.pdf"'},
    )


@endpoint("/receivables", "GET", "Aged receivables per customer (finance)", "finance.manage")
def receivables():
    rows, overall = payments.aged_receivables(db_session(), current_context().today())

    def row_json(row):
        return {
            "company_id": row.company_id,
            "name": row.name,
            "total": str(row.total),
            **{name: str(amount) for name, amount in row.buckets.items()},
        }

    return jsonify({"items": [row_json(row) for row in rows], "total": row_json(overall)})
