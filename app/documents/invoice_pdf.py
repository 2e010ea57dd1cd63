"""The invoice (or credit note) as a PDF in Chinese: both parties, lines, tax per rate, total in 大写."""

from datetime import date

from flask import render_template

import billing
from app.documents.formats import number, percent, yuan
from app.documents.pdf import LockedFetcher, html_to_pdf
from app.models import Invoice
from app.platform.context import current_context
from app.services.finance import invoices, payments


def invoice_html(invoice: Invoice, today: date) -> str:
    totals = invoices.totals_of(invoice)
    return render_template(
        "pdf/invoice.html",
        invoice=invoice,
        platform=current_context().platform,
        totals=totals,
        standing=payments.standing(invoice, today),
        words=billing.amount_in_words(totals.total),
        yuan=yuan,
        number=number,
        percent=percent,
    )


def invoice_pdf(invoice: Invoice, today: date, fetcher: LockedFetcher | None = None) -> bytes:
    """The PDF bytes of an invoice; nothing outside the app's own assets is ever fetched."""
    return html_to_pdf(invoice_html(invoice, today), fetcher)
