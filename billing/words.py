"""Amounts in Chinese capital numerals (大写金额) for finance forms.

Conventions (中国人民银行《支付结算办法》附件一《正确填写票据和结算凭证的基本规定》):
- digits 零壹贰叁肆伍陆柒捌玖, units 拾佰仟 within a group, group words 万 and 亿, then 元角分;
  tens are always written with their digit (10 -> 壹拾元整);
- a run of zeros between two non-zero digits is written as one 零 (1,010 -> 壹仟零壹拾元);
- a zero standing alone in the 万 or 元 place, followed by a non-zero digit, is not written
  (107,000 -> 壹拾万柒仟元; 10,010.11 -> 壹万零壹拾元壹角壹分; the rules allow either form);
  a longer run ending there is written as one 零 (100,000.10 -> 壹拾万元零壹角;
  107,000.53 -> 壹拾万柒仟元零伍角叁分);
- 角 zero with 分 non-zero always gives 零 (750,000.05 -> 柒拾伍万元零伍分);
- 整 follows 元 when there are no 角 and no 分; nothing follows 角 (1.50 -> 壹元伍角);
- amounts below one yuan start with their first non-zero digit (0.05 -> 伍分); zero is 零元整;
- negative amounts are prefixed with 负.
Amounts up to 9,999,999,999,999,999.99 (the 万亿 range) are supported.
"""

from __future__ import annotations

from decimal import Decimal

from billing.money import Money

DIGITS = "零壹贰叁肆伍陆柒捌玖"
LIMIT = Decimal(10) ** 16

# Place 0 is 分, 1 is 角, 2 is 元, then 拾 佰 仟 万 拾 佰 仟 亿 拾 佰 仟 万 拾 佰 仟 (万亿).
_PLACE_UNITS = (
    ("分", "角", "元") + ("拾", "佰", "仟", "万", "拾", "佰", "仟", "亿") + ("拾", "佰", "仟", "万", "拾", "佰", "仟")
)
_GROUP_PLACES = (2, 6, 10, 14)  # 元, 万, 亿, 万(亿): written whenever their group has a non-zero digit


def _group_is_written(digits: list[int], place: int) -> bool:
    """Whether the group word at `place` is written: 元 and 亿 cover everything above them."""
    top = len(digits) if place in (2, 10) else place + 4
    return any(digits[place:top])


def amount_in_words(value: Decimal | Money) -> str:
    """The amount in 大写, e.g. Decimal("10010.11") -> "壹万零壹拾元壹角壹分"."""
    money = value if isinstance(value, Money) else Money(value)
    if money.currency != "CNY":
        raise ValueError(f"大写 is for CNY amounts, not {money.currency}")
    if abs(money.amount) >= LIMIT:
        raise ValueError(f"amount too large for 大写: {money}")
    fen = abs(money.fen)
    sign = "负" if money.is_negative() else ""
    if fen == 0:
        return "零元整"
    digits = [int(c) for c in reversed(str(fen))]  # digits[p] is the digit at place p
    return sign + "".join(_words(digits)) + ("整" if fen % 100 == 0 else "")


def _words(digits: list[int]) -> list[str]:
    """The characters for the places from the highest down to the fen."""
    out: list[str] = []
    zero_pending = False
    for place in range(len(digits) - 1, -1, -1):
        digit = digits[place]
        if digit:
            if zero_pending:
                out.append("零")
            out.append(DIGITS[digit] + _PLACE_UNITS[place])
            zero_pending = False
            continue
        if place in _GROUP_PLACES:
            if _group_is_written(digits, place):
                out.append(_PLACE_UNITS[place])
        elif out:
            zero_pending = True
    return out
