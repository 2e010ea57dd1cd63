"""Invoice arithmetic: line amounts, tax per rate, totals and credit notes.

Rounding happens at exactly two documented points:
- each line: amount = round_half_up(quantity × unit price × (1 − discount)), one rounding;
- each tax rate on an invoice: tax = round_half_up(sum of that rate's line amounts × rate).
A credit note line carries the negated quantity and the same unit price, so its amount and
tax are the exact negatives (rounding is symmetric around zero).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal

from billing.money import CNY, Money, exact_product

DEFAULT_TAX_RATE = Decimal("0.06")


def as_quantity(value: Decimal | int, what: str = "quantity") -> Decimal:
    """`value` as a finite Decimal; floats are refused."""
    if isinstance(value, bool) or not isinstance(value, (Decimal, int)):
        raise TypeError(f"{what} must be a Decimal or an int, not {type(value).__name__}")
    number = Decimal(value)
    if not number.is_finite():
        raise ValueError(f"{what} must be finite, not {number}")
    return number


def as_rate(value: Decimal, what: str = "rate") -> Decimal:
    """`value` as a Decimal fraction between 0 and 1 inclusive (0.06 means 6 %)."""
    rate = as_quantity(value, what)
    if not Decimal(0) <= rate <= Decimal(1):
        raise ValueError(f"{what} must be a fraction between 0 and 1, not {rate}")
    return rate


@dataclass(frozen=True)
class Line:
    """One invoice line; quantities are negative on credit notes; `discount` is a fraction off."""

    description: str
    quantity: Decimal
    unit: str
    unit_price: Money
    tax_rate: Decimal = DEFAULT_TAX_RATE
    is_service: bool = True
    discount: Decimal = Decimal(0)

    def __post_init__(self) -> None:
        if not isinstance(self.unit_price, Money):
            raise TypeError("unit_price must be Money")
        if not self.description.strip():
            raise ValueError("a line needs a description")
        object.__setattr__(self, "quantity", as_quantity(self.quantity))
        object.__setattr__(self, "tax_rate", as_rate(self.tax_rate, "tax_rate"))
        object.__setattr__(self, "discount", as_rate(self.discount, "discount"))

    @property
    def amount(self) -> Money:
        """Tax-exclusive amount: quantity × unit price × (1 − discount), rounded half up to the fen."""
        return self.unit_price.times(exact_product(self.quantity, 1 - self.discount))


@dataclass(frozen=True)
class RateTotal:
    """The tax-exclusive amount and the tax of all lines at one tax rate."""

    rate: Decimal
    net: Money
    tax: Money


@dataclass(frozen=True)
class Totals:
    """Invoice figures; total = subtotal + tax, and every figure is exact to the fen."""

    subtotal: Money
    tax: Money
    total: Money
    by_rate: tuple[RateTotal, ...]
    service_subtotal: Money

    @property
    def non_service_subtotal(self) -> Money:
        """Tax-exclusive amount of the lines that are not service revenue (e.g. materials at cost)."""
        return self.subtotal - self.service_subtotal


def _currency(lines: Sequence[Line]) -> str:
    return lines[0].unit_price.currency if lines else CNY


def rate_totals(lines: Sequence[Line]) -> tuple[RateTotal, ...]:
    """Net amount and tax per tax rate, lowest rate first; tax is rounded once per rate."""
    currency = _currency(lines)
    nets: dict[Decimal, Money] = {}
    for line in lines:
        nets[line.tax_rate] = nets.get(line.tax_rate, Money.zero(currency)) + line.amount
    return tuple(
        RateTotal(rate, net, Money.rounded(exact_product(net.amount, rate), currency))
        for rate, net in sorted(nets.items())
    )


def invoice_totals(lines: Iterable[Line]) -> Totals:
    """Subtotal, tax per rate, total and the service part of an invoice's lines."""
    lines = list(lines)
    currency = _currency(lines)
    by_rate = rate_totals(lines)
    subtotal = Money.sum((line.amount for line in lines), currency)
    tax = Money.sum((rate.tax for rate in by_rate), currency)
    service = Money.sum((line.amount for line in lines if line.is_service), currency)
    return Totals(subtotal, tax, subtotal + tax, by_rate, service)


def credit_lines(
    lines: Sequence[Line],
    selection: Mapping[int, Decimal] | None = None,
    already_credited: Mapping[int, Decimal] | None = None,
) -> list[Line]:
    """Credit-note lines for an invoice's `lines`.

    Without `selection`, everything not yet credited is credited (the whole invoice when
    nothing was credited before: all amounts are then the exact negatives). `selection` maps a
    line index to the positive quantity to credit; `already_credited` maps a line index to the
    positive quantity credited by earlier credit notes. Crediting more than remains is refused.
    """
    credited = {index: as_quantity(quantity) for index, quantity in (already_credited or {}).items()}
    if selection is None:
        selection = {index: line.quantity - credited.get(index, Decimal(0)) for index, line in enumerate(lines)}
        selection = {index: quantity for index, quantity in selection.items() if quantity}
    result = []
    for index, quantity in sorted(selection.items()):
        if not 0 <= index < len(lines):
            raise ValueError(f"invoice has no line {index}")
        line = lines[index]
        quantity = as_quantity(quantity)
        remaining = line.quantity - credited.get(index, Decimal(0))
        if quantity <= 0 or quantity > remaining:
            raise ValueError(f"line {index}: can credit more than 0 and at most {remaining}, not {quantity}")
        result.append(replace(line, quantity=-quantity))
    return result
