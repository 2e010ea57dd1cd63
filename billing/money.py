"""Exact CNY amounts: `Money` is a Decimal to the fen plus a currency, never a float.

Rounding rule (the only one in the package): `round_half_up` rounds to the step (0.01 by
default) with ties away from zero, so 0.005 -> 0.01 and -0.005 -> -0.01. Rounding a negated
value gives the negated rounding, which is what makes credit notes cancel exactly.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Context, Decimal, Inexact, InvalidOperation, Overflow, localcontext
from functools import total_ordering

FEN = Decimal("0.01")
CNY = "CNY"

# Exact arithmetic: 60 significant digits, and any loss of precision raises instead of rounding.
_EXACT = Context(prec=60, traps=[Inexact, InvalidOperation, Overflow])
_ROUNDING = Context(prec=60, rounding=ROUND_HALF_UP, traps=[InvalidOperation, Overflow])
_API_AMOUNT = re.compile(r"-?[0-9]+(\.[0-9]{1,2})?", re.ASCII)


def _as_decimal(value: Decimal | int, what: str) -> Decimal:
    """`value` as a Decimal; floats (and bools) are refused because they are not exact."""
    if isinstance(value, bool) or not isinstance(value, (Decimal, int)):
        raise TypeError(f"{what} must be a Decimal or an int, not {type(value).__name__}")
    number = Decimal(value)
    if not number.is_finite():
        raise ValueError(f"{what} must be a finite number, not {number}")
    return number


def exact_product(a: Decimal | int, b: Decimal | int) -> Decimal:
    """a × b without any rounding (raises if the product would need more than 60 digits)."""
    with localcontext(_EXACT):
        return _as_decimal(a, "factor") * _as_decimal(b, "factor")


def round_half_up(value: Decimal, step: Decimal = FEN) -> Decimal:
    """`value` rounded to `step` (default the fen), ties away from zero."""
    return _as_decimal(value, "value").quantize(step, context=_ROUNDING.copy())


def parse_amount(text: str) -> Decimal:
    """The Decimal in an API amount string such as "1234.50"; ValueError for anything else."""
    if not isinstance(text, str):
        raise TypeError(f"amount text must be a str, not {type(text).__name__}")
    if not _API_AMOUNT.fullmatch(text.strip()):
        raise ValueError(f"not an amount with at most two decimals: {text!r}")
    return Decimal(text.strip())


@total_ordering
@dataclass(frozen=True, eq=False, init=False)
class Money:
    """An exact amount to the fen in one currency. `Money("12.30")`, `Money(Decimal(5))`."""

    amount: Decimal
    currency: str = CNY

    def __init__(self, amount: Decimal | int | str, currency: str = CNY) -> None:
        """`amount` as a Decimal or int, or as an API amount string (see `parse_amount`)."""
        number = parse_amount(amount) if isinstance(amount, str) else _as_decimal(amount, "amount")
        normalised = round_half_up(number)
        if number != normalised:
            raise ValueError(f"amount has fractions of a fen: {number}; round it with Money.rounded()")
        if not (isinstance(currency, str) and len(currency) == 3 and currency.isupper()):
            raise ValueError(f"currency must be a 3-letter ISO code, not {currency!r}")
        object.__setattr__(self, "amount", normalised.copy_abs() if normalised.is_zero() else normalised)
        object.__setattr__(self, "currency", currency)

    @classmethod
    def rounded(cls, value: Decimal | int, currency: str = CNY) -> Money:
        """Money for `value` rounded half up to the fen."""
        return cls(round_half_up(_as_decimal(value, "value")), currency)

    @classmethod
    def from_fen(cls, fen: int, currency: str = CNY) -> Money:
        """Money from an integer number of fen (as stored in the database)."""
        if isinstance(fen, bool) or not isinstance(fen, int):
            raise TypeError(f"fen must be an int, not {type(fen).__name__}")
        return cls(Decimal(fen).scaleb(-2), currency)

    @classmethod
    def zero(cls, currency: str = CNY) -> Money:
        return cls(Decimal(0), currency)

    @classmethod
    def sum(cls, items: Iterable[Money], currency: str = CNY) -> Money:
        """The sum of `items`; zero in `currency` when there are none."""
        total = cls.zero(currency)
        for item in items:
            total = total + item
        return total

    @property
    def fen(self) -> int:
        """The amount as an integer number of fen."""
        return int(self.amount.scaleb(2))

    def is_zero(self) -> bool:
        return self.amount.is_zero()

    def is_negative(self) -> bool:
        return self.amount < 0

    def times(self, quantity: Decimal | int) -> Money:
        """self × quantity rounded half up to the fen (one rounding, on the product)."""
        return Money.rounded(exact_product(self.amount, quantity), self.currency)

    def exact_times(self, quantity: Decimal | int) -> Decimal:
        """self × quantity as an unrounded Decimal (for sums that are rounded later)."""
        return exact_product(self.amount, quantity)

    def _same_currency(self, other: object) -> Money:
        if not isinstance(other, Money):
            raise TypeError(f"cannot combine Money with {type(other).__name__}")
        if other.currency != self.currency:
            raise ValueError(f"cannot combine {self.currency} with {other.currency}")
        return other

    def __add__(self, other: Money) -> Money:
        with localcontext(_EXACT):
            return Money(self.amount + self._same_currency(other).amount, self.currency)

    def __sub__(self, other: Money) -> Money:
        with localcontext(_EXACT):
            return Money(self.amount - self._same_currency(other).amount, self.currency)

    def __neg__(self) -> Money:
        return Money(self.amount.copy_negate(), self.currency)

    def __abs__(self) -> Money:
        return Money(self.amount.copy_abs(), self.currency)

    def __mul__(self, quantity: Decimal | int) -> Money:
        """Same as `times`: the product rounded half up to the fen."""
        return self.times(quantity)

    __rmul__ = __mul__

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Money):
            return NotImplemented
        return self.currency == other.currency and self.amount == other.amount

    def __hash__(self) -> int:
        return hash((self.amount, self.currency))

    def __lt__(self, other: Money) -> bool:
        return self.amount < self._same_currency(other).amount

    def __str__(self) -> str:
        """The API form: two decimals, no separators, e.g. "1234.50" or "-0.05"."""
        return f"{self.amount:.2f}"

    def __repr__(self) -> str:
        return f"Money('{self}', '{self.currency}')" if self.currency != CNY else f"Money('{self}')"


def format_cny(money: Money) -> str:
    """Display form with the yuan sign and thousands separators, e.g. "¥1,234.50", "-¥5.00"."""
    if money.currency != CNY:
        raise ValueError(f"format_cny formats CNY only, not {money.currency}")
    sign = "-" if money.is_negative() else ""
    return f"{sign}¥{money.amount.copy_abs():,.2f}"
