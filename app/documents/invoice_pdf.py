"""The invoice (or credit note) as a PDF in Chinese: both parties, lines, tax per rate, total in 大写."""

from datetime import date
from decimal import Decimal

from flask import current_app, render_template

import billing
from app.documents.pdf import LockedFetcher, html_to_pdf
from app.models import Invoice
from app.services.finance import invoices, payments


def platform_details() -> dict[str, str]:
    """The seller's details as printed on invoices (from the configuration)."""
    config = current_app.config
    return {
        "name": config["PLATFORM_NAME"],
        "uscc": config["PLATFORM_USCC"],
        "address_phone": config["PLATFORM_ADDRESS_PHONE"],
        "bank_account": config["PLATFORM_BANK_ACCOUNT"],
    }


def yuan(value: Decimal | billing.Money) -> str:
    """An amount with thousands separators and two decimals: "12,345.60"."""
    amount = value.amount if isinstance(value, billing.Money) else value
    return f"{amount:,.2f}"


def number(value: Decimal) -> str:
    """A quantity or rate without trailing zeros: 1.500 → "1.5"."""
    return f"{value.normalize():f}"


def percent(rate: Decimal) -> str:
    return f"{(rate * 100).normalize():f}%"


def invoice_html(invoice: Invoice, today: date) -> str:
    totals = invoices.totals_of(invoice)
    return render_template(
        "pdf/invoice.html",
        invoice=invoice,
        platform=platform_details(),
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
