from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from billing import (
    DAY,
    DOWNSTREAM_CLASS,
    HOUR,
    VESSEL_BRACKETS,
    CancellationTerms,
    Category,
    Material,
    Money,
    PriceItem,
    Usage,
    billed_days,
    cancellation_lines,
    default_price_list,
    invoice_totals,
    price_list_in_force,
    quote_lines,
    vessel_class,
)

PRICES = default_price_list(date(2026, 1, 1))


@pytest.mark.parametrize(
    ("kind", "volume", "expected"),
    [
        ("liquid", 30, "liquid-≤100L"),
        ("liquid", 100, "liquid-≤100L"),
        ("liquid", 101, "liquid-200L-1m3"),
        ("liquid", 1000, "liquid-200L-1m3"),
        ("liquid", 2000, "liquid-2-5m3"),
        ("liquid", 5000, "liquid-2-5m3"),
        ("liquid", 10_000, "liquid-10-20m3"),
        ("liquid", 20_000, "liquid-10-20m3"),
        ("solid", 75, "solid-≤100L"),
        ("solid", 500, "solid-200L-1m3"),
        ("solid", 15_000, "solid-10-15m3"),
        ("downstream", None, "downstream"),
    ],
)
def test_the_vessel_class_follows_kind_and_nominal_volume(kind, volume, expected):
    assert vessel_class(kind, volume) == expected


@pytest.mark.parametrize(
    ("kind", "volume"), [("liquid", 29), ("liquid", 20_001), ("solid", 74), ("solid", 15_001), ("gas", 100)]
)
def test_volumes_outside_the_kind_range_have_no_class(kind, volume):
    with pytest.raises(ValueError):
        vessel_class(kind, volume)


def test_only_downstream_equipment_has_a_class_without_a_nominal_volume():
    assert vessel_class("downstream", None) == DOWNSTREAM_CLASS
    with pytest.raises(TypeError):
        vessel_class("liquid", None)


def test_every_vessel_class_of_the_default_list_has_a_day_rate_and_a_cleaning_fee():
    for kind, upper, key in VESSEL_BRACKETS:
        assert vessel_class(kind, upper) == key
        assert PRICES.item(Category.VESSEL_TIME, key).unit == DAY
        assert PRICES.item(Category.CIP_SIP, key).unit_price.amount > 0
    assert PRICES.item(Category.VESSEL_TIME, "liquid-≤100L").unit_price == Money("800.00")
    assert PRICES.item(Category.VESSEL_TIME, "liquid-10-20m3").unit_price == Money("12000.00")


@pytest.mark.parametrize(
    ("hours", "days"),
    [("0", "0"), ("1", "0.5"), ("12", "0.5"), ("12.01", "1"), ("24", "1"), ("30", "1.5"), ("37", "2")],
)
def test_vessel_days_are_billed_in_started_half_days(hours, days):
    assert billed_days(Decimal(hours), Decimal("0.5")) == Decimal(days)


def test_a_booking_is_priced_line_by_line_from_its_usage():
    usage = Usage(
        vessel_hours=Decimal(60),
        batches=1,
        operator_h=Decimal("12.5"),
        steam_t=Decimal("1.2"),
        power_kwh=Decimal(850),
        downstream_hours=(("downstream", Decimal(4)),),
        samples=6,
        materials=(Material("葡萄糖", Money("4.50"), Decimal(200), "kg"),),
    )
    lines = quote_lines(PRICES, usage, "liquid-200L-1m3")
    assert [(line.quantity, line.unit, line.amount, line.is_service) for line in lines] == [
        (Decimal("2.5"), "天", Money("6250.00"), True),
        (Decimal(1), "批", Money("800.00"), True),
        (Decimal("12.5"), "小时", Money("1875.00"), True),
        (Decimal("1.2"), "吨", Money("336.00"), True),
        (Decimal(850), "千瓦时", Money("722.50"), True),
        (Decimal(4), "小时", Money("1800.00"), True),
        (Decimal(6), "样", Money("1200.00"), True),
        (Decimal(200), "kg", Money("900.00"), False),
        (Decimal(1), "项", Money("90.00"), True),
    ]
    assert lines[7].tax_rate == Decimal("0.13")
    assert invoice_totals(lines).service_subtotal == Money("13073.50")


def test_a_discount_reduces_service_lines_only():
    usage = Usage(operator_h=Decimal(10), materials=(Material("酵母粉", Money("100.00"), Decimal(3)),))
    lines = quote_lines(PRICES, usage, None, discount=Decimal("0.10"))
    assert [(line.amount, line.discount) for line in lines] == [
        (Money("1350.00"), Decimal("0.10")),
        (Money("300.00"), Decimal(0)),
        (Money("27.00"), Decimal("0.10")),
    ]
    assert "优惠10%" in lines[0].description


def test_vessel_time_priced_per_hour_is_billed_for_the_exact_hours():
    hourly = replace(PRICES.item(Category.VESSEL_TIME, "liquid-≤100L"), unit=HOUR, unit_price=Money("40.00"))
    prices = replace(PRICES, items=tuple(hourly if i.code == hourly.code else i for i in PRICES.items))
    lines = quote_lines(prices, Usage(vessel_hours=Decimal("30.5")), "liquid-≤100L")
    assert [(line.quantity, line.amount) for line in lines] == [(Decimal("30.5"), Money("1220.00"))]


def test_usage_without_a_vessel_class_cannot_have_vessel_hours():
    with pytest.raises(ValueError):
        quote_lines(PRICES, Usage(vessel_hours=Decimal(1)), None)


def test_usage_refuses_floats_negative_and_fractional_counts():
    with pytest.raises(TypeError):
        Usage(steam_t=1.5)
    with pytest.raises(ValueError):
        Usage(power_kwh=Decimal(-1))
    with pytest.raises(ValueError):
        Usage(samples=Decimal("1.5"))


def test_an_unpriced_class_is_reported():
    with pytest.raises(ValueError, match="价目表"):
        quote_lines(PRICES, Usage(vessel_hours=Decimal(1)), "liquid-100m3")


def test_a_price_item_refuses_vessel_time_by_anything_but_day_or_hour():
    with pytest.raises(ValueError):
        PriceItem("X", "罐", Category.VESSEL_TIME, "周", Money("1.00"), "liquid-≤100L")


def test_the_price_list_in_force_is_the_latest_that_took_effect_by_the_service_date():
    old, new = default_price_list(date(2025, 1, 1)), default_price_list(date(2026, 7, 1))
    assert price_list_in_force([new, old], date(2026, 6, 30)) is old
    assert price_list_in_force([new, old], date(2026, 7, 1)) is new
    with pytest.raises(ValueError):
        price_list_in_force([new, old], date(2024, 12, 31))
    with pytest.raises(ValueError):
        price_list_in_force([old, default_price_list(date(2025, 1, 1))], date(2025, 6, 1))


@pytest.mark.parametrize(
    ("hours_before", "fee"), [(72, None), (48, None), (Decimal("47.5"), "200.00"), (0, "200.00"), (-5, "200.00")]
)
def test_cancelling_is_free_before_the_notice_period_and_costs_a_share_of_the_quote_within_it(hours_before, fee):
    lines = cancellation_lines(PRICES, Money("1000.00"), hours_before, notice_hours=48)
    assert [line.amount for line in lines] == ([] if fee is None else [Money(fee)])


def test_a_fixed_cancellation_fee_can_replace_the_percentage():
    prices = replace(PRICES, cancellation=CancellationTerms(rate=None, fixed_fee=Money("500.00")))
    (line,) = cancellation_lines(prices, Money("100000.00"), 1, 24)
    assert (line.amount, line.is_service) == (Money("500.00"), False)
    with pytest.raises(ValueError):
        CancellationTerms(rate=Decimal("0.1"), fixed_fee=Money("1.00"))
