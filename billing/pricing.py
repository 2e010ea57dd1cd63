"""Price lists and turning usage (planned or actual) into invoice lines.

Rounding and discount rules:
- vessel time priced per day is billed in started steps of `PriceList.vessel_day_step` days
  (default half a day: 30 h -> 1.5 days, 31 h -> 1.5 days, 37 h -> 2 days); per hour it is exact;
- a customer-group discount applies to service items only: the line keeps the list unit price
  and carries the discount, and its amount = round_half_up(quantity × unit price × (1 − discount))
  is rounded once, as every line is (see billing.invoice);
- materials are passed through at cost (not service revenue, `materials_tax_rate`), plus one
  handling-fee line (a service) = round_half_up(sum of the material lines × `handling_rate`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from enum import StrEnum

from billing.invoice import DEFAULT_TAX_RATE, Line, as_quantity, as_rate
from billing.money import Money

DAY = "天"
HOUR = "小时"


class Category(StrEnum):
    VESSEL_TIME = "vessel_time"
    CIP_SIP = "cip_sip"
    OPERATOR = "operator"
    STEAM = "steam"
    POWER = "power"
    DOWNSTREAM = "downstream"
    ANALYSIS = "analysis"


# (kind, upper bound of nominal volume in litres, class); the lower bound is the previous row's.
VESSEL_BRACKETS = (
    ("liquid", 100, "liquid-≤100L"),
    ("liquid", 1_000, "liquid-200L-1m3"),
    ("liquid", 5_000, "liquid-2-5m3"),
    ("liquid", 20_000, "liquid-10-20m3"),
    ("solid", 100, "solid-≤100L"),
    ("solid", 1_000, "solid-200L-1m3"),
    ("solid", 5_000, "solid-2-5m3"),
    ("solid", 15_000, "solid-10-15m3"),
)
SMALLEST_VOLUME_L = {"liquid": 30, "solid": 75}
DOWNSTREAM_CLASS = "downstream"


def vessel_class(kind: str, nominal_volume_l: Decimal | int | None) -> str:
    """The price class of a piece of equipment from its kind and nominal volume."""
    if kind == "downstream":
        return DOWNSTREAM_CLASS
    if kind not in SMALLEST_VOLUME_L:
        raise ValueError(f"unknown equipment kind: {kind!r}")
    if nominal_volume_l is None:
        raise TypeError(f"a {kind} vessel's price class needs its nominal volume")
    volume = as_quantity(nominal_volume_l, "nominal_volume_l")
    if volume >= SMALLEST_VOLUME_L[kind]:
        for bracket_kind, upper, name in VESSEL_BRACKETS:
            if bracket_kind == kind and volume <= upper:
                return name
    raise ValueError(f"no {kind} vessel class for a nominal volume of {volume} L")


@dataclass(frozen=True)
class PriceItem:
    """One priced item; `key` is the vessel or downstream class it applies to, else empty."""

    code: str
    name: str
    category: Category
    unit: str
    unit_price: Money
    key: str = ""
    tax_rate: Decimal = DEFAULT_TAX_RATE
    is_service: bool = True

    def __post_init__(self) -> None:
        object.__setattr__(self, "category", Category(self.category))
        object.__setattr__(self, "tax_rate", as_rate(self.tax_rate, "tax_rate"))
        if self.category == Category.VESSEL_TIME and self.unit not in (DAY, HOUR):
            raise ValueError(f"vessel time is priced per {DAY} or per {HOUR}, not per {self.unit!r}")

    def line(self, quantity: Decimal, discount: Decimal) -> Line:
        """An invoice line for `quantity` of this item, the discount applied if it is a service."""
        line = Line(self.name, quantity, self.unit, self.unit_price, self.tax_rate, self.is_service)
        return with_discount(line, discount) if self.is_service else line


def percent_text(fraction: Decimal) -> str:
    """A fraction as a percentage without trailing zeros: 0.10 -> "10%", 0.125 -> "12.5%"."""
    return f"{(fraction * 100).normalize():f}%"


def with_discount(line: Line, discount: Decimal) -> Line:
    """`line` with `discount` (a fraction) off its amount, noted in the description."""
    if not discount:
        return line
    return replace(line, description=f"{line.description}（优惠{percent_text(discount)}）", discount=discount)


@dataclass(frozen=True)
class CancellationTerms:
    """The fee for cancelling within the notice period: a fraction of the quote or a fixed fee."""

    rate: Decimal | None = Decimal("0.20")
    fixed_fee: Money | None = None
    tax_rate: Decimal = DEFAULT_TAX_RATE
    is_service: bool = False

    def __post_init__(self) -> None:
        if (self.rate is None) == (self.fixed_fee is None):
            raise ValueError("cancellation terms need either a rate or a fixed fee, not both")
        if self.rate is not None:
            object.__setattr__(self, "rate", as_rate(self.rate, "cancellation rate"))
        object.__setattr__(self, "tax_rate", as_rate(self.tax_rate, "tax_rate"))


@dataclass(frozen=True)
class PriceList:
    """A versioned price list, in force from `effective_from` until the next one."""

    effective_from: date
    items: tuple[PriceItem, ...]
    name: str = ""
    handling_rate: Decimal = Decimal("0.10")
    materials_tax_rate: Decimal = Decimal("0.13")
    cancellation: CancellationTerms = field(default_factory=CancellationTerms)
    vessel_day_step: Decimal = Decimal("0.5")

    def __post_init__(self) -> None:
        object.__setattr__(self, "items", tuple(self.items))
        codes = [item.code for item in self.items]
        keys = [(item.category, item.key) for item in self.items]
        if len(set(codes)) != len(codes) or len(set(keys)) != len(keys):
            raise ValueError("price list items must have unique codes and unique (category, key)")
        object.__setattr__(self, "handling_rate", as_rate(self.handling_rate, "handling_rate"))
        object.__setattr__(self, "materials_tax_rate", as_rate(self.materials_tax_rate, "materials_tax_rate"))
        if as_quantity(self.vessel_day_step, "vessel_day_step") <= 0:
            raise ValueError("vessel_day_step must be positive")

    def item(self, category: Category, key: str = "") -> PriceItem:
        """The item for `category` (and vessel or downstream class `key`); ValueError if missing."""
        for item in self.items:
            if item.category == category and item.key == key:
                return item
        raise ValueError(f"价目表中没有该项目：{category} {key}".rstrip())


def price_list_in_force(price_lists: Iterable[PriceList], service_date: date) -> PriceList:
    """The list with the latest `effective_from` on or before `service_date`."""
    candidates = [p for p in price_lists if p.effective_from <= service_date]
    if not candidates:
        raise ValueError(f"no price list in force on {service_date.isoformat()}")
    latest = max(p.effective_from for p in candidates)
    in_force = [p for p in candidates if p.effective_from == latest]
    if len(in_force) > 1:
        raise ValueError(f"several price lists take effect on {latest.isoformat()}")
    return in_force[0]
