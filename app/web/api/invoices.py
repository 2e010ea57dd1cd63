"""Invoices: list, read, draft, record the fapiao number, edit a draft's lines (finance); customers read their own."""

from decimal import Decimal

from flask import jsonify, url_for

from app.models import Invoice, InvoiceLine, Payment
from app.platform.context import current_context
from app.platform.db import db_session
from app.services.finance import draft_lines, invoice_issue, invoices, payments
from app.web.api.billing_schemas import InvoiceIn, InvoicePatch, InvoiceQuery, LineIn
from app.web.api.core import current, endpoint
from app.web.api.times import api_time


def money(value: Decimal) -> str:
    """Money as the API writes it: a string with two decimals."""
    return f"{value:.2f}"


def line_json(line: InvoiceLine) -> dict:
    return {
        "id": line.id,
        "position": line.position,
        "description": line.description,
        "quantity": f"{line.quantity:f}",
        "unit": line.unit,
        "unit_price": money(line.unit_price),
        "discount": f"{line.discount:f}",
        "tax_rate": f"{line.tax_rate:f}",
        "is_service": line.is_service,
        "amount": money(line.amount),
    }


def payment_json(payment: Payment) -> dict:
    return {
        "id": payment.id,
        "invoice_id": payment.invoice_id,
        "amount": money(payment.amount),
        "received_on": payment.received_on.isoformat(),
        "reference": payment.reference,
    }


def _customer(invoice: Invoice) -> dict:
    return {
        "name": invoice.customer_name,
        "uscc": invoice.customer_uscc,
        "address_phone": invoice.customer_address_phone,
        "bank_account": invoice.customer_bank_account,
    }


def invoice_json(invoice: Invoice) -> dict:
    state = payments.standing(invoice, current_context().today())
    by_rate = invoices.totals_of(invoice).by_rate
    return {
        "id": invoice.id,
        "kind": invoice.kind.value,
        "status": invoice.status.value,
        "number": invoice.number,
        "company_id": invoice.company_id,
        "booking_id": invoice.booking_id,
        "credited_invoice_id": invoice.credited_invoice_id,
        "reason": invoice.reason,
        "customer": _customer(invoice),
        "subtotal": money(invoice.subtotal),
        "tax": money(invoice.tax),
        "total": money(invoice.total),
        "service_subtotal": money(invoice.service_subtotal),
        "tax_by_rate": [{"rate": f"{r.rate:f}", "net": str(r.net), "tax": str(r.tax)} for r in by_rate],
        "issued_at": api_time(invoice.issued_at),
        "issued_on": invoice.issued_on.isoformat() if invoice.issued_on else None,
        "due_on": invoice.due_on.isoformat() if invoice.due_on else None,
        "fapiao_number": invoice.fapiao_number,
        "payment_status": state.status,
        "void": state.void,
        "paid": str(state.paid),
        "outstanding": str(state.outstanding),
        "credited": str(state.credited),
        "lines": [line_json(line) for line in invoice.lines],
        "payments": [payment_json(p) for p in invoice.payments],
        "credit_notes": [{"id": n.id, "number": n.number, "total": money(n.total)} for n in invoice.credit_notes],
        "pdf": url_for("api.invoice_pdf", invoice_id=invoice.id),
    }


def line_fields(line: LineIn) -> draft_lines.LineFields:
    return draft_lines.LineFields(
        line.description,
        line.quantity,
        line.unit,
        Decimal(line.unit_price),
        line.tax_rate,
        line.is_service,
        line.discount,
    )


@endpoint(
    "/invoices",
    "GET",
    "Invoices and credit notes (customers: their company's issued ones)",
    "invoice.read",
    query=InvoiceQuery,
)
def list_invoices(query: InvoiceQuery):
    found = invoices.list_invoices(
        db_session(), current(), current_context().tz, company_id=query.company_id, year=query.year, kind=query.kind
    )
    return jsonify(
        {"items": [invoice_json(i) for i in payments.with_status(found, query.status, current_context().today())]}
    )


@endpoint(
    "/invoices/<int:invoice_id>", "GET", "An invoice or credit note", "invoice.read", responses={404: "not found"}
)
def get_invoice(invoice_id: int):
    return jsonify(invoice_json(invoices.invoice_for(db_session(), current(), invoice_id)))


@endpoint(
    "/invoices",
    "POST",
    "Draft an invoice from a completed booking or from free lines (finance)",
    "invoice.manage",
    body=InvoiceIn,
    status=201,
    responses={409: "booking not completed or already invoiced"},
)
def create_invoice(body: InvoiceIn):
    session = db_session()
    if body.booking_id is not None:
        invoice = invoices.draft_from_booking(
            session,
            current(),
            body.booking_id,
            current_context(),
            body.reason,
        )
    else:
        invoice = draft_lines.draft_from_lines(
            session, current(), body.company_id, [line_fields(line) for line in body.lines]
        )
    session.commit()
    return jsonify(invoice_json(invoice)), 201


@endpoint(
    "/invoices/<int:invoice_id>",
    "PATCH",
    "Record the official fapiao number (数电发票号码)",
    "invoice.manage",
    body=InvoicePatch,
    responses={404: "not found", 409: "not issued or number taken"},
)
def patch_invoice(invoice_id: int, body: InvoicePatch):
    session = db_session()
    invoice = invoices.invoice_for(session, current(), invoice_id)
    invoice_issue.record_fapiao_number(session, current(), invoice, body.fapiao_number)
    session.commit()
    return jsonify(invoice_json(invoice))


@endpoint(
    "/invoices/<int:invoice_id>",
    "DELETE",
    "Delete a draft (finance)",
    "invoice.manage",
    status=204,
    responses={404: "not found", 409: "issued"},
)
def delete_invoice(invoice_id: int):
    session = db_session()
    invoices.delete_draft(session, current(), invoices.invoice_for(session, current(), invoice_id))
    session.commit()
    return "", 204


@endpoint(
    "/invoices/<int:invoice_id>/lines",
    "POST",
    "Add a line to a draft (finance)",
    "invoice.manage",
    body=LineIn,
    status=201,
    responses={404: "not found", 409: "issued invoices are frozen"},
)
def add_line(invoice_id: int, body: LineIn):
    session = db_session()
    invoice = invoices.invoice_for(session, current(), invoice_id)
    draft_lines.add_line(session, current(), invoice, line_fields(body))
    session.commit()
    return jsonify(invoice_json(invoice)), 201


@endpoint(
    "/invoices/<int:invoice_id>/lines/<int:line_id>",
    "PUT",
    "Replace a draft's line (finance)",
    "invoice.manage",
    body=LineIn,
    responses={404: "not found", 409: "issued invoices are frozen"},
)
def replace_line(invoice_id: int, line_id: int, body: LineIn):
    session = db_session()
    invoice = invoices.invoice_for(session, current(), invoice_id)
    draft_lines.update_line(session, current(), invoice, line_id, line_fields(body))
    session.commit()
    return jsonify(invoice_json(invoice))


@endpoint(
    "/invoices/<int:invoice_id>/lines/<int:line_id>",
    "DELETE",
    "Delete a draft's line (finance)",
    "invoice.manage",
    responses={404: "not found", 409: "issued invoices are frozen"},
)
def delete_line(invoice_id: int, line_id: int):
    session = db_session()
    invoice = invoices.invoice_for(session, current(), invoice_id)
    draft_lines.delete_line(session, current(), invoice, line_id)
    session.commit()
    return jsonify(invoice_json(invoice))
