"""The customer's own invoices and credit notes: list, detail and PDF (another company's: not found)."""

from flask import Blueprint, render_template
from flask_login import current_user

from app.platform.context import current_context
from app.platform.db import db_session
from app.services.finance import invoices, payments
from app.web.auth import allowed
from app.web.views.invoices import pdf_response

bp = Blueprint("my_invoices", __name__, url_prefix="/my/invoices")


@bp.get("/")
@allowed("invoice.own")
def index():
    found = invoices.list_invoices(db_session(), current_user, current_context().tz)
    rows = [(invoice, payments.standing(invoice, current_context().today())) for invoice in found]
    return render_template("my_invoices/index.html", rows=rows)


@bp.get("/<int:invoice_id>")
@allowed("invoice.own")
def show(invoice_id: int):
    invoice = invoices.invoice_for(db_session(), current_user, invoice_id)
    return render_template(
        "invoices/show.html",
        invoice=invoice,
        standing=payments.standing(invoice, current_context().today()),
        finance=False,
    )


@bp.get("/<int:invoice_id>/pdf")
@allowed("invoice.own")
def pdf(invoice_id: int):
    return pdf_response(invoices.invoice_for(db_session(), current_user, invoice_id))
