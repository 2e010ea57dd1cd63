from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from billing import Line, Money, credit_lines, invoice_totals


def line(price: str, quantity: str = "1", rate: str = "0.06", service: bool = True, discount: str = "0") -> Line:
    return Line("服务", Decimal(quantity), "项", Money(price), Decimal(rate), service, Decimal(discount))


def test_a_line_amount_is_quantity_times_unit_price_rounded_half_up():
    assert line("800.00", "1.5").amount == Money("1200.00")
    assert line("0.85", "0.5").amount == Money("0.43")
    assert line("0.01", "0.5").amount == Money("0.01")
    assert line("0.01", "0.49").amount == Money("0.00")


def test_a_discount_is_applied_inside_the_one_line_rounding():
    assert line("0.85", "850", discount="0.10").amount == Money("650.25")
    assert line("0.85", "1", discount="0.10").amount == Money("0.77")


def test_tax_is_rounded_once_per_rate_not_per_line():
    lines = [line("0.25"), line("0.25"), line("0.25")]  # 0.015 tax per line would round to 0.02 each
    totals = invoice_totals(lines)
    assert totals.subtotal == Money("0.75")
    assert totals.tax == Money("0.05")  # round_half_up(0.75 × 6 %) = round_half_up(0.045)
    assert totals.total == Money("0.80")


def test_lines_are_grouped_by_tax_rate_and_service_is_split_from_materials():
    lines = [line("1000.00"), line("500.00", "2", rate="0.13", service=False), line("99.99", rate="0.060")]
    totals = invoice_totals(lines)
    assert [(r.rate, r.net, r.tax) for r in totals.by_rate] == [
        (Decimal("0.06"), Money("1099.99"), Money("66.00")),
        (Decimal("0.13"), Money("1000.00"), Money("130.00")),
    ]
    assert totals.subtotal == Money("2099.99")
    assert totals.tax == Money("196.00")
    assert totals.total == Money("2295.99")
    assert totals.service_subtotal == Money("1099.99")
    assert totals.non_service_subtotal == Money("1000.00")


def test_an_invoice_without_lines_totals_zero():
    totals = invoice_totals([])
    assert (totals.subtotal, totals.tax, totals.total, totals.by_rate) == (Money.zero(), Money.zero(), Money.zero(), ())


def test_a_line_refuses_a_float_quantity_and_a_tax_rate_outside_zero_to_one():
    with pytest.raises(TypeError):
        Line("服务", 1.5, "小时", Money("1.00"))
    with pytest.raises(ValueError):
        Line("服务", Decimal(1), "小时", Money("1.00"), Decimal("6"))


def test_a_credit_note_for_the_whole_invoice_cancels_it_exactly():
    lines = [line("0.85", "0.5"), line("333.33", "1.5", rate="0.13", service=False)]
    original, credit = invoice_totals(lines), invoice_totals(credit_lines(lines))
    assert credit.subtotal == -original.subtotal
    assert credit.tax == -original.tax
    assert credit.total == -original.total
    assert credit.service_subtotal == -original.service_subtotal
    assert [(r.rate, r.net, r.tax) for r in credit.by_rate] == [(r.rate, -r.net, -r.tax) for r in original.by_rate]


def test_credit_note_lines_carry_negative_quantities_and_the_original_prices():
    credited = credit_lines([line("100.00", "3")])
    assert [(c.quantity, c.unit_price, c.amount) for c in credited] == [
        (Decimal(-3), Money("100.00"), Money("-300.00"))
    ]


def test_a_partial_credit_note_credits_the_selected_quantities():
    lines = [line("100.00", "3"), line("50.00", "2")]
    credited = credit_lines(lines, {0: Decimal("1.5")})
    assert [(c.quantity, c.amount) for c in credited] == [(Decimal("-1.5"), Money("-150.00"))]


def test_crediting_more_than_remains_or_a_missing_line_is_refused():
    lines = [line("100.00", "3")]
    with pytest.raises(ValueError):
        credit_lines(lines, {0: Decimal(4)})
    with pytest.raises(ValueError):
        credit_lines(lines, {0: Decimal(2)}, already_credited={0: Decimal(2)})
    with pytest.raises(ValueError):
        credit_lines(lines, {1: Decimal(1)})
    with pytest.raises(ValueError):
        credit_lines(lines, {0: Decimal(0)})


def test_crediting_the_rest_after_a_partial_credit_credits_only_what_remains():
    lines = [line("100.00", "3"), line("50.00", "2")]
    rest = credit_lines(lines, already_credited={0: Decimal(1), 1: Decimal(2)})
    assert [(c.quantity, c.amount) for c in rest] == [(Decimal(-2), Money("-200.00"))]


prices = st.integers(min_value=0, max_value=10**9).map(Money.from_fen)
quantities = st.decimals(min_value=0, max_value=10_000, places=3, allow_nan=False, allow_infinity=False)
rates = st.sampled_from([Decimal("0"), Decimal("0.03"), Decimal("0.06"), Decimal("0.09"), Decimal("0.13")])
discounts = st.sampled_from([Decimal("0"), Decimal("0.05"), Decimal("0.125")])
lines_strategy = st.lists(
    st.builds(Line, st.just("项目"), quantities, st.just("项"), prices, rates, st.booleans(), discounts), max_size=12
)


@given(lines_strategy)
def test_totals_are_the_sum_of_the_lines_plus_the_tax_of_each_rate(lines):
    totals = invoice_totals(lines)
    assert totals.subtotal == Money.sum(line.amount for line in lines)
    assert totals.subtotal == Money.sum(rate.net for rate in totals.by_rate)
    assert totals.tax == Money.sum(rate.tax for rate in totals.by_rate)
    assert totals.total == totals.subtotal + totals.tax
    assert totals.service_subtotal == Money.sum(line.amount for line in lines if line.is_service)
    for rate in totals.by_rate:
        assert rate.tax == Money.rounded(rate.net.amount * rate.rate)


@given(lines_strategy)
def test_an_invoice_and_its_whole_credit_note_sum_to_zero(lines):
    original, credit = invoice_totals(lines), invoice_totals(credit_lines(lines))
    for figure in ("subtotal", "tax", "total", "service_subtotal"):
        assert getattr(original, figure) + getattr(credit, figure) == Money.zero()
