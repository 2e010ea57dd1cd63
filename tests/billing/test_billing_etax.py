"""The 数电票 template's checks, and matching the tax platform's issued list to our invoices."""

from datetime import date
from decimal import Decimal

import pytest

from billing import Money
from billing.etax import (
    EtaxInvoice,
    EtaxLine,
    IssuedRow,
    OurInvoice,
    detail_rows,
    export_problems,
    match_issued,
    tax_code_problem,
)

SERVICE = "3040105000000000000"


def invoice(
    serial="PP-2026-00001",
    kind="ordinary",
    tax_number="91150100MA0000001A",
    code=SERVICE,
    subtotal="100.00",
    amount="100.00",
) -> EtaxInvoice:
    line = EtaxLine(
        "中试工艺放大", code, "天", Decimal("2"), Money(Decimal("50.00")), Money(Decimal(amount)), Decimal("0.06")
    )
    return EtaxInvoice(serial, kind, "甲公司", tax_number, "", "", Money(Decimal(subtotal)), (line,))


@pytest.mark.parametrize(
    ("invoices", "problem"),
    [
        ([invoice()], None),
        ([invoice(), invoice()], "发票流水号 PP-2026-00001 重复"),
        ([invoice(kind="special", tax_number="")], "专用发票须填写购买方纳税人识别号"),
        ([invoice(kind="ordinary", tax_number="")], None),
        ([invoice(code="3040000000000000000")], "是汇总项"),
        ([invoice(code="30401")], "须为19位数字"),
        ([invoice(subtotal="100.01")], "明细金额合计与发票金额不符"),
    ],
)
def test_the_export_is_refused_for_what_the_tax_platform_would_refuse(invoices, problem):
    problems = export_problems(invoices)
    assert (problems == []) if problem is None else any(problem in p for p in problems)


def test_a_discount_shows_as_the_difference_between_list_price_and_amount():
    row = detail_rows(invoice(amount="90.00", subtotal="90.00"))[0]
    assert row[7] == Decimal("90.00") and row[8] == Decimal("0.06") and row[9] == Decimal("10.00")


def test_a_leaf_code_is_fine():
    assert tax_code_problem(SERVICE) is None


OURS = [
    OurInvoice(1, "PP-2026-00001", "甲公司", "AAA", Money(Decimal("106.00")), date(2026, 3, 1), None),
    OurInvoice(2, "PP-2026-00002", "乙公司", "BBB", Money(Decimal("212.00")), date(2026, 3, 2), None),
    OurInvoice(3, "PP-2026-00003", "乙公司", "BBB", Money(Decimal("212.00")), date(2026, 3, 2), None),
    OurInvoice(4, "PP-2026-00004", "丙公司", "CCC", Money(Decimal("50.00")), date(2026, 3, 3), "2" * 20),
]


def row(number="1" * 20, serial="", buyer="AAA", total="106.00", day=date(2026, 3, 1)) -> IssuedRow:
    return IssuedRow(5, number, day, "", buyer, Money(Decimal(total)), serial)


@pytest.mark.parametrize(
    ("issued", "matched", "reason"),
    [
        (row(serial="PP-2026-00001"), 1, None),
        (row(serial="PP-2026-00009"), None, "未知的发票流水号"),
        (row(serial="PP-2026-00001", total="107.00"), None, "金额不符"),
        (row(serial="PP-2026-00001", buyer="ZZZ"), None, "购买方不符"),
        (row(), 1, None),
        (row(day=date(2026, 2, 28)), None, "没有购买方、金额和日期相符"),
        (row(buyer="BBB", total="212.00", day=date(2026, 3, 5)), None, "无法确定对应关系"),
        (row(number="2" * 20, serial="PP-2026-00001"), None, "已登记在 PP-2026-00004"),
        (row(number="2" * 20, buyer="CCC", total="50.00", day=date(2026, 3, 3)), 4, None),
    ],
)
def test_each_issued_row_matches_one_invoice_or_says_why_not(issued, matched, reason):
    result = match_issued([issued], OURS)
    if matched is None:
        assert result.matched == [] and reason in result.unmatched[0][1]
    else:
        assert [found.id for _, found in result.matched] == [matched] and result.unmatched == []


def test_two_rows_never_take_the_same_invoice():
    result = match_issued([row(), row(number="3" * 20)], OURS)
    assert len(result.matched) == 1 and len(result.unmatched) == 1
