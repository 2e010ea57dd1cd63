"""Usage -> invoice lines, for an estimate (planned usage) and for invoicing (actual usage)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from billing.invoice import Line, as_quantity, as_rate
from billing.money import Money, exact_product
from billing.pricing import DAY, Category, PriceList, percent_text, with_discount

HOURS_PER_DAY = Decimal(24)


@dataclass(frozen=True)
class Material:
    """A material passed through at cost: `quantity` × `unit_cost`."""

    description: str
    unit_cost: Money
    quantity: Decimal
    unit: str = "批"

    def __post_init__(self) -> None:
        if not isinstance(self.unit_cost, Money) or self.unit_cost.is_negative():
            raise ValueError("a material's unit cost must be Money and not negative")
        object.__setattr__(self, "quantity", _non_negative(self.quantity, "material quantity"))


@dataclass(frozen=True)
class Usage:
    """What a booking uses; every quantity is a non-negative Decimal (or int)."""

    vessel_hours: Decimal = Decimal(0)
    batches: Decimal = Decimal(0)
    operator_h: Decimal = Decimal(0)
    steam_t: Decimal = Decimal(0)
    power_kwh: Decimal = Decimal(0)
    downstream_hours: tuple[tuple[str, Decimal], ...] = ()  # (downstream class, hours); a dict is accepted
    samples: Decimal = Decimal(0)
    materials: tuple[Material, ...] = ()

    def __post_init__(self) -> None:
        for name in ("vessel_hours", "batches", "operator_h", "steam_t", "power_kwh", "samples"):
            object.__setattr__(self, name, _non_negative(getattr(self, name), name))
        for name in ("batches", "samples"):
            if getattr(self, name) != getattr(self, name).to_integral_value():
                raise ValueError(f"{name} must be a whole number")
        given = self.downstream_hours
        pairs = given.items() if isinstance(given, Mapping) else given
        hours = tuple((key, _non_negative(value, f"downstream hours ({key})")) for key, value in pairs)
        object.__setattr__(self, "downstream_hours", hours)
        object.__setattr__(self, "materials", tuple(self.materials))


def _non_negative(value: Decimal | int, what: str) -> Decimal:
    number = as_quantity(value, what)
    if number < 0:
        raise ValueError(f"{what} cannot be negative: {number}")
    return number


def billed_days(hours: Decimal, step: Decimal) -> Decimal:
    """Days to bill for `hours`, in started steps of `step` days (exact, no division rounding)."""
    steps, rest = divmod(hours, HOURS_PER_DAY * step)
    return (steps + (1 if rest else 0)) * step


def quote_lines(
    price_list: PriceList,
    usage: Usage,
    vessel_class: str | None,
    discount: Decimal = Decimal(0),
) -> list[Line]:
    """Invoice lines for `usage` on a vessel of `vessel_class` (None: no fermenter, e.g. extraction only).

    `discount` is the customer group's fraction off service items (0.10 = 10 %). Items with a zero
    quantity give no line.
    """
    discount = as_rate(discount, "discount")
    wanted: list[tuple[Category, str, Decimal]] = []
    if vessel_class is None:
        if usage.vessel_hours or usage.batches:
            raise ValueError("vessel hours and batches need a vessel class")
    else:
        vessel = price_list.item(Category.VESSEL_TIME, vessel_class)
        hours = usage.vessel_hours
        days_or_hours = billed_days(hours, price_list.vessel_day_step) if vessel.unit == DAY else hours
        wanted += [(Category.VESSEL_TIME, vessel_class, days_or_hours), (Category.CIP_SIP, vessel_class, usage.batches)]
    wanted += [
        (Category.OPERATOR, "", usage.operator_h),
        (Category.STEAM, "", usage.steam_t),
        (Category.POWER, "", usage.power_kwh),
    ]
    wanted += [(Category.DOWNSTREAM, key, hours) for key, hours in usage.downstream_hours]
    wanted.append((Category.ANALYSIS, "", usage.samples))
    lines = [price_list.item(category, key).line(quantity, discount) for category, key, quantity in wanted if quantity]
    return lines + material_lines(price_list, usage.materials, discount)


def material_lines(
    price_list: PriceList, materials: tuple[Material, ...], discount: Decimal = Decimal(0)
) -> list[Line]:
    """Materials at cost (not service revenue) plus one handling-fee line, which is a service."""
    rate = price_list.materials_tax_rate
    lines = [
        Line(f"物料：{m.description}", m.quantity, m.unit, m.unit_cost, rate, False) for m in materials if m.quantity
    ]
    if not lines or not price_list.handling_rate:
        return lines
    cost = Money.sum((line.amount for line in lines), lines[0].unit_price.currency)
    fee = Money.rounded(exact_product(cost.amount, price_list.handling_rate), cost.currency)
    handling = Line(f"物料采购管理费（物料成本的{percent_text(price_list.handling_rate)}）", Decimal(1), "项", fee)
    return lines + [with_discount(handling, discount)]


def cancellation_lines(
    price_list: PriceList,
    quote_total: Money,
    hours_before_start: Decimal | int,
    notice_hours: Decimal | int,
) -> list[Line]:
    """The cancellation fee line, or none when cancelled at least `notice_hours` before the start.

    `quote_total` is the quote's tax-exclusive subtotal; a percentage fee is rounded half up to
    the fen. Cancelling after the start (negative hours) is within the notice period.
    """
    if as_quantity(hours_before_start, "hours_before_start") >= as_quantity(notice_hours, "notice_hours"):
        return []
    terms = price_list.cancellation
    if terms.rate is not None:
        fee = Money.rounded(exact_product(quote_total.amount, terms.rate), quote_total.currency)
        description = f"预约取消费（开始前{notice_hours}小时内取消，报价的{percent_text(terms.rate)}）"
    else:
        assert terms.fixed_fee is not None  # CancellationTerms has a rate or a fixed fee
        fee = terms.fixed_fee
        description = f"预约取消费（开始前{notice_hours}小时内取消）"
    if fee.is_zero():
        return []
    return [Line(description, Decimal(1), "项", fee, terms.tax_rate, terms.is_service)]
