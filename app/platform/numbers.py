"""Numbers from outside: finite and of a plausible size, or refused (NaN, infinities and 1e999 break sums,
rounding and the solver)."""

import math
from decimal import Decimal, InvalidOperation

#: no quantity, amount, duration or limit the plant handles comes near this
LARGEST = 10**12


def sane(value: float | Decimal) -> bool:
    """Whether `value` is finite and smaller in size than LARGEST."""
    if isinstance(value, Decimal):
        return value.is_finite() and abs(value) < LARGEST
    return math.isfinite(value) and abs(value) < LARGEST


def sane_decimal(text: str) -> Decimal | None:
    """The decimal number written in `text` (thousands commas allowed), or None when it is not a sane one."""
    try:
        value = Decimal(str(text).strip().replace(",", ""))
    except InvalidOperation:
        return None
    return value if sane(value) else None


def given_float(text: str | None, default: float, low: float, high: float) -> float | None:
    """A number typed into a form, clamped to low…high; the default when left empty; None when it is not a sane
    number (so that the page can refuse it instead of guessing)."""
    try:
        value = float(text) if text not in (None, "") else default
    except ValueError:
        return None
    return min(max(value, low), high) if sane(value) else None


def sane_float(text: str | None, default: float, low: float, high: float) -> float:
    """A number from a query or form value, clamped to low…high; the default when missing or not sane."""
    try:
        value = float(text) if text not in (None, "") else default
    except ValueError:
        value = default
    return min(max(value, low), high) if sane(value) else default
