"""How documents and pages (PDFs, listings, mail, HTML) write money, quantities and rates: one format for all of them;
pages use them as the Jinja filters `yuan`, `number` and `percent`."""

from decimal import Decimal

import billing


def yuan(value: str | Decimal | billing.Money) -> str:
    """An amount with thousands separators and two decimals: "12,345.60"."""
    amount = value.amount if isinstance(value, billing.Money) else Decimal(value)
    return f"{amount:,.2f}"


def number(value: Decimal) -> str:
    """A quantity or rate without trailing zeros: 1.500 → "1.5"."""
    return f"{value.normalize():f}"


def percent(rate: str | Decimal) -> str:
    """A rate as a percentage: 0.30 → "30%"."""
    return f"{(Decimal(rate) * 100).normalize():f}%"


def register(app) -> None:
    """The formats as Jinja filters of every page."""
    for format_ in (yuan, number, percent):
        app.add_template_filter(format_)
