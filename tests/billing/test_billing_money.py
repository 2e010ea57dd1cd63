from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from billing import Money, format_cny, parse_amount, round_half_up

fens = st.integers(min_value=-(10**14), max_value=10**14)


def test_money_is_built_from_a_decimal_an_int_or_an_api_string():
    assert Money(Decimal("12.3")) == Money("12.30") == Money.from_fen(1230)
    assert Money(5) == Money("5.00")
    assert Money("12.30").currency == "CNY"


@pytest.mark.parametrize("value", [1.5, 0.1, True])
def test_floats_and_bools_are_refused(value):
    with pytest.raises(TypeError):
        Money(value)


def test_multiplying_by_a_float_is_refused():
    with pytest.raises(TypeError):
        Money("1.00") * 1.5


def test_an_amount_with_fractions_of_a_fen_is_refused_until_rounded():
    with pytest.raises(ValueError, match="fen"):
        Money(Decimal("1.005"))
    assert Money.rounded(Decimal("1.005")) == Money("1.01")


@pytest.mark.parametrize(
    "text", ["1.234", "abc", "", "NaN", "Infinity", "-inf", "1e3", "1,234.50", "１２", "+1", ".5", "1."]
)
def test_bad_api_amounts_are_refused_with_a_value_error(text):
    with pytest.raises(ValueError):
        parse_amount(text)


@pytest.mark.parametrize("value", [Decimal("NaN"), Decimal("Infinity"), Decimal("-Infinity")])
def test_non_finite_decimals_are_refused(value):
    with pytest.raises(ValueError):
        Money(value)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("1234.50", "1234.50"), ("1234.5", "1234.50"), ("7", "7.00"), ("-0.05", "-0.05"), ("-0", "0.00")],
)
def test_str_gives_the_api_form_with_two_decimals(text, expected):
    assert str(Money(text)) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("1234.50", "¥1,234.50"), ("0", "¥0.00"), ("1234567.8", "¥1,234,567.80"), ("-5", "-¥5.00"), ("999.99", "¥999.99")],
)
def test_format_cny_shows_the_yuan_sign_and_thousands_separators(text, expected):
    assert format_cny(Money(text)) == expected


def test_mixed_currencies_cannot_be_added_or_compared():
    with pytest.raises(ValueError):
        Money("1.00") + Money("1.00", "USD")
    with pytest.raises(ValueError):
        _ = Money("1.00") < Money("1.00", "USD")
    assert Money("1.00") != Money("1.00", "USD")


def test_money_cannot_be_added_to_a_plain_number():
    with pytest.raises(TypeError):
        Money("1.00") + Decimal("1.00")


def test_arithmetic_and_comparison_are_exact():
    assert Money("0.10") + Money("0.20") == Money("0.30")
    assert Money("1.00") - Money("2.50") == Money("-1.50")
    assert -Money("3.20") == Money("-3.20")
    assert Money("0.01") > Money("0.00") > Money("-0.01")
    assert max(Money("2.00"), Money("10.00")) == Money("10.00")
    assert Money.sum([Money("0.10")] * 10) == Money("1.00")
    assert Money.sum([]) == Money.zero()


def test_multiplying_rounds_half_up_once_and_exact_times_does_not_round():
    assert Money("0.85") * Decimal("0.5") == Money("0.43")
    assert Money("0.85").exact_times(Decimal("0.5")) == Decimal("0.425")
    assert 3 * Money("0.33") == Money("0.99")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("0.005", "0.01"),
        ("0.015", "0.02"),
        ("0.025", "0.03"),
        ("2.675", "2.68"),
        ("0.0049999", "0.00"),
        ("-0.005", "-0.01"),
        ("-2.675", "-2.68"),
        ("999999.995", "1000000.00"),
    ],
)
def test_ties_round_up_away_from_zero_not_to_even(value, expected):
    assert round_half_up(Decimal(value)) == Decimal(expected)


def test_round_half_up_refuses_floats():
    with pytest.raises(TypeError):
        round_half_up(2.675)


@given(fens)
def test_fen_round_trips(fen):
    assert Money.from_fen(fen).fen == fen
    assert Money(str(Money.from_fen(fen))).fen == fen


@given(st.integers(min_value=-(10**12), max_value=10**12))
def test_a_value_ending_in_half_a_fen_always_rounds_away_from_zero(fen):
    value = Decimal(fen).scaleb(-2) + (Decimal("0.005") if fen >= 0 else Decimal("-0.005"))
    expected = fen + (1 if fen >= 0 else -1)
    assert Money.rounded(value).fen == expected


@given(st.integers(min_value=-(10**15), max_value=10**15))
def test_rounding_a_negated_value_negates_the_rounding(thousandths):
    value = Decimal(thousandths).scaleb(-3)
    assert round_half_up(-value) == -round_half_up(value)


def test_from_fen_refuses_anything_but_an_int():
    with pytest.raises(TypeError):
        Money.from_fen(Decimal(5))
