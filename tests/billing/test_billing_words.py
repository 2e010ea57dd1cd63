from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from billing import Money, amount_in_words

DIGIT_VALUES = {c: n for n, c in enumerate("零壹贰叁肆伍陆柒捌玖")}
SMALL_UNITS = {"拾": 10, "佰": 100, "仟": 1000}


def parse_integer_words(text: str) -> int:
    """The integer written in capital numerals (without 元), e.g. 壹万零壹拾 -> 10010."""
    total, section, digit = 0, 0, 0
    for char in text:
        if char in DIGIT_VALUES:
            digit = DIGIT_VALUES[char]
        elif char in SMALL_UNITS:
            section += digit * SMALL_UNITS[char]
            digit = 0
        elif char == "万":
            section = (section + digit) * 10_000
            digit = 0
        elif char == "亿":
            total = (total + section + digit) * 100_000_000
            section, digit = 0, 0
        else:
            raise ValueError(f"unexpected character {char!r}")
    return total + section + digit


def parse_amount_words(text: str) -> Decimal:
    """The amount written in 大写 (the inverse of amount_in_words, used to check it)."""
    sign = -1 if text.startswith("负") else 1
    text = text.removeprefix("负").removesuffix("整")
    yuan_words, _, fraction = text.rpartition("元")
    fen = parse_integer_words(yuan_words) * 100 if yuan_words else 0
    for value, unit in ((10, "角"), (1, "分")):
        words, found, fraction = fraction.partition(unit) if unit in fraction else ("", "", fraction)
        if found:
            fen += DIGIT_VALUES[words.removeprefix("零")] * value
    if fraction:
        raise ValueError(f"unexpected text after the fen: {fraction!r}")
    return Decimal(sign * fen).scaleb(-2)


TABLE = [
    ("0.00", "零元整"),
    ("0.01", "壹分"),
    ("0.05", "伍分"),
    ("0.10", "壹角"),
    ("0.50", "伍角"),
    ("0.55", "伍角伍分"),
    ("1.00", "壹元整"),
    ("1.05", "壹元零伍分"),
    ("1.50", "壹元伍角"),
    ("10.00", "壹拾元整"),
    ("10.50", "壹拾元伍角"),
    ("11.00", "壹拾壹元整"),
    ("100.00", "壹佰元整"),
    ("101.00", "壹佰零壹元整"),
    ("110.00", "壹佰壹拾元整"),
    ("1000.00", "壹仟元整"),
    ("1001.00", "壹仟零壹元整"),
    ("1004.56", "壹仟零肆元伍角陆分"),
    ("1010.00", "壹仟零壹拾元整"),
    ("1100.00", "壹仟壹佰元整"),
    ("1680.32", "壹仟陆佰捌拾元叁角贰分"),
    ("10000.00", "壹万元整"),
    ("10001.00", "壹万零壹元整"),
    ("10010.11", "壹万零壹拾元壹角壹分"),
    ("10100.00", "壹万零壹佰元整"),
    ("11000.00", "壹万壹仟元整"),
    ("16409.02", "壹万陆仟肆佰零玖元零贰分"),
    ("100000.10", "壹拾万元零壹角"),
    ("107000.53", "壹拾万柒仟元零伍角叁分"),
    ("750000.05", "柒拾伍万元零伍分"),
    ("1000000.00", "壹佰万元整"),
    ("1001000.00", "壹佰万零壹仟元整"),
    ("1070000.00", "壹佰零柒万元整"),
    ("10000001.00", "壹仟万零壹元整"),
    ("100000000.00", "壹亿元整"),
    ("100001000.00", "壹亿零壹仟元整"),
    ("100010000.00", "壹亿零壹万元整"),
    ("100100000.00", "壹亿零壹拾万元整"),
    ("110000000.00", "壹亿壹仟万元整"),
    ("1000000001.00", "壹拾亿零壹元整"),
    ("1000000000000.00", "壹万亿元整"),
    ("1000100000000.00", "壹万零壹亿元整"),
    ("1000000010000.00", "壹万亿零壹万元整"),
    ("999999.99", "玖拾玖万玖仟玖佰玖拾玖元玖角玖分"),
    ("-0.05", "负伍分"),
    ("-1234.50", "负壹仟贰佰叁拾肆元伍角"),
]


@pytest.mark.parametrize(("amount", "words"), TABLE)
def test_amounts_are_written_in_capital_numerals_with_zeros_in_every_position(amount, words):
    assert amount_in_words(Decimal(amount)) == words


@pytest.mark.parametrize(("amount", "words"), TABLE)
def test_the_test_parser_reads_every_table_row_back(amount, words):
    assert parse_amount_words(words) == Decimal(amount)


def test_money_is_accepted_as_well_as_decimal():
    assert amount_in_words(Money("1000000.00")) == "壹佰万元整"


def test_more_than_two_decimals_or_a_float_is_refused():
    with pytest.raises(ValueError):
        amount_in_words(Decimal("1.005"))
    with pytest.raises(TypeError):
        amount_in_words(1.5)


def test_amounts_beyond_the_wan_yi_range_are_refused():
    with pytest.raises(ValueError):
        amount_in_words(Decimal(10) ** 16)


amounts = st.integers(min_value=-(10**14), max_value=10**14).map(lambda fen: Decimal(fen).scaleb(-2))


@given(amounts)
def test_words_read_back_to_the_same_amount(amount):
    assert parse_amount_words(amount_in_words(amount)) == amount


@given(amounts)
def test_words_never_double_a_zero_or_end_on_one(amount):
    words = amount_in_words(amount)
    assert "零零" not in words
    assert not words.endswith("零") and "零元" not in words.removeprefix("零元整")
    assert words.endswith("整") == (amount == amount.to_integral_value())
