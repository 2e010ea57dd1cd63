from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from billing import LedgerInvoice, Money, SubsidyPolicy, compute_subsidy, ledger_digest, revenue_to_reach

POLICY = SubsidyPolicy(2026)
_ids = iter(range(1, 10**6))


def invoice(service: str, issued_on: date = date(2026, 5, 10), customer: int = 1, **changes) -> LedgerInvoice:
    number = next(_ids)
    amount = Money(service)
    doc = LedgerInvoice(
        id=number,
        number=f"PP-{issued_on.year}-{number:05d}",
        kind="invoice",
        customer_id=customer,
        customer_name=f"客户{customer}",
        customer_uscc="91350100M000100Y43",
        issued_on=issued_on,
        paid_on=None,
        status="issued",
        is_void=False,
        service_amount=amount,
        tax=amount.times(Decimal("0.06")),
        total=amount + amount.times(Decimal("0.06")),
        fapiao_number=None,
        credited_invoice_id=None,
    )
    return replace(doc, **changes)


def credit_note(original: LedgerInvoice, issued_on: date, service: str | None = None) -> LedgerInvoice:
    amount = -Money(service) if service else -original.service_amount
    number = next(_ids)
    return replace(
        original,
        id=number,
        number=f"CN-{issued_on.year}-{number:05d}",
        kind="credit_note",
        issued_on=issued_on,
        status="issued",
        is_void=False,
        service_amount=amount,
        tax=-original.tax,
        total=-original.total,
        credited_invoice_id=original.id,
    )


@pytest.mark.parametrize(
    ("revenue", "amount", "cap_reached"),
    [
        ("0.00", "0.00", False),
        ("1000.00", "300.00", False),
        ("3333333.30", "999999.99", False),
        ("3333333.31", "999999.99", False),
        ("3333333.32", "1000000.00", True),
        ("3333333.33", "1000000.00", True),
        ("3333333.36", "1000000.00", True),
        ("50000000.00", "1000000.00", True),
        ("0.01", "0.00", False),
        ("0.02", "0.01", False),
    ],
)
def test_the_amount_is_thirty_percent_rounded_half_up_and_capped(revenue, amount, cap_reached):
    result = compute_subsidy(POLICY, [invoice(revenue)])
    assert result.eligible_revenue == Money(revenue)
    assert result.amount == Money(amount)
    assert result.cap_reached is cap_reached


def test_the_revenue_still_needed_to_reach_the_cap_is_reported():
    assert revenue_to_reach(Money("1000000.00"), Decimal("0.30")) == Money("3333333.32")
    assert compute_subsidy(POLICY, [invoice("3333333.00")]).revenue_to_reach_cap == Money("0.32")
    assert compute_subsidy(POLICY, [invoice("4000000.00")]).revenue_to_reach_cap == Money.zero()


@pytest.mark.parametrize(
    ("issued_on", "counted"),
    [(date(2025, 12, 31), False), (date(2026, 1, 1), True), (date(2026, 12, 31), True), (date(2027, 1, 1), False)],
)
def test_only_invoices_issued_on_a_local_date_in_the_year_count(issued_on, counted):
    result = compute_subsidy(POLICY, [invoice("100.00", issued_on)])
    assert result.eligible_revenue == (Money("100.00") if counted else Money.zero())
    assert [e.reason for e in result.excluded] == ([] if counted else ["outside_year"])


def test_a_void_invoice_and_its_credit_note_in_the_same_year_are_both_excluded():
    original = invoice("5000.00", date(2026, 3, 1), is_void=True, status="void")
    credit = credit_note(original, date(2026, 12, 31))
    result = compute_subsidy(POLICY, [original, credit, invoice("100.00")])
    assert result.eligible_revenue == Money("100.00")
    assert [(e.invoice.id, e.reason, e.reason_zh) for e in result.excluded] == [
        (credit.id, "void", "作废"),
        (original.id, "void", "作废"),
    ]


def test_a_credit_note_in_the_next_year_reduces_the_next_year_and_not_the_original_year():
    original = invoice("5000.00", date(2026, 12, 31), is_void=True, status="void")
    credit = credit_note(original, date(2027, 1, 1))
    ledger = [original, credit, invoice("8000.00", date(2027, 2, 1))]
    assert compute_subsidy(SubsidyPolicy(2026), ledger).eligible_revenue == Money("5000.00")
    next_year = compute_subsidy(SubsidyPolicy(2027), ledger)
    assert next_year.eligible_revenue == Money("3000.00")
    assert credit in next_year.included


def test_a_void_invoice_without_a_credit_note_does_not_count():
    result = compute_subsidy(POLICY, [invoice("100.00", is_void=True, status="void")])
    assert result.eligible_revenue == Money.zero()
    assert result.excluded[0].reason == "void"


def test_a_partial_credit_note_in_the_year_reduces_the_revenue():
    original = invoice("1000.00")
    result = compute_subsidy(POLICY, [original, credit_note(original, date(2026, 6, 1), "250.00")])
    assert result.eligible_revenue == Money("750.00")
    assert result.amount == Money("225.00")


def test_affiliated_customers_and_drafts_are_excluded_with_their_reasons():
    policy = SubsidyPolicy(2026, affiliated=frozenset({7}))
    draft = replace(invoice("100.00"), status="draft", number=None, issued_on=None)
    result = compute_subsidy(policy, [invoice("900.00", customer=7), draft, invoice("100.00")])
    assert result.eligible_revenue == Money("100.00")
    assert sorted((e.reason, e.reason_zh) for e in result.excluded) == [
        ("affiliated", "关联方"),
        ("not_issued", "未开具（草稿）"),
    ]
    assert result.excluded_counts["affiliated"] == 1


def test_only_the_service_amount_counts_not_materials_or_tax():
    doc = invoice("1000.00", total=Money("5000.00"), tax=Money("200.00"))
    assert compute_subsidy(POLICY, [doc]).eligible_revenue == Money("1000.00")


def test_credits_exceeding_the_revenue_give_a_negative_revenue_but_no_negative_subsidy():
    old = invoice("10000.00", date(2025, 11, 1))
    result = compute_subsidy(POLICY, [old, credit_note(old, date(2026, 2, 1)), invoice("1000.00")])
    assert result.eligible_revenue == Money("-9000.00")
    assert result.amount == Money.zero()
    assert not result.cap_reached


def test_zero_revenue_gives_zero_and_twelve_empty_months():
    result = compute_subsidy(POLICY, [])
    assert (result.eligible_revenue, result.amount, result.by_customer) == (Money.zero(), Money.zero(), ())
    assert result.by_month == {month: Money.zero() for month in range(1, 13)}


def test_revenue_is_broken_down_by_month_and_by_customer():
    ledger = [
        invoice("100.00", date(2026, 1, 31), customer=1),
        invoice("300.00", date(2026, 2, 1), customer=2),
        invoice("50.00", date(2026, 2, 28), customer=1),
    ]
    result = compute_subsidy(POLICY, ledger)
    months = (result.by_month[1], result.by_month[2], result.by_month[3])
    assert months == (Money("100.00"), Money("350.00"), Money.zero())
    assert [(row.customer_id, row.amount) for row in result.by_customer] == [(2, Money("300.00")), (1, Money("150.00"))]


def test_on_the_paid_basis_the_paid_date_decides_the_year():
    policy = SubsidyPolicy(2026, basis="paid")
    paid_next_year = invoice("100.00", date(2026, 12, 20), paid_on=date(2027, 1, 5))
    paid_this_year = invoice("200.00", date(2025, 12, 20), paid_on=date(2026, 1, 5))
    unpaid = invoice("400.00")
    result = compute_subsidy(policy, [paid_next_year, paid_this_year, unpaid])
    assert result.eligible_revenue == Money("200.00")
    assert sorted(e.reason for e in result.excluded) == ["not_paid", "outside_year"]


def test_a_policy_can_change_rate_and_cap():
    policy = SubsidyPolicy(2026, rate=Decimal("0.20"), cap=Money("500000.00"))
    assert compute_subsidy(policy, [invoice("1000000.00")]).amount == Money("200000.00")
    assert compute_subsidy(policy, [invoice("3000000.00")]).amount == Money("500000.00")


def test_a_credit_note_must_carry_negative_amounts():
    with pytest.raises(ValueError):
        replace(invoice("100.00"), kind="credit_note", credited_invoice_id=1)


def test_the_ledger_digest_does_not_depend_on_input_order():
    ledger = [invoice("100.00"), invoice("200.00"), invoice("300.00")]
    assert ledger_digest(ledger) == ledger_digest(list(reversed(ledger)))
    assert len(ledger_digest(ledger)) == 64


@pytest.mark.parametrize(
    "change",
    [
        {"service_amount": Money("100.01")},
        {"tax": Money("6.01")},
        {"total": Money("106.01")},
        {"issued_on": date(2026, 5, 11)},
        {"paid_on": date(2026, 6, 1)},
        {"customer_id": 2},
        {"customer_name": "别的公司"},
        {"customer_uscc": "91110000000000000X"},
        {"status": "paid"},
        {"is_void": True},
        {"fapiao_number": "12345678"},
        {"number": "PP-2026-99999"},
    ],
)
def test_changing_any_counted_field_changes_the_ledger_digest(change):
    doc = invoice("100.00")
    assert ledger_digest([doc]) != ledger_digest([replace(doc, **change)])


@settings(max_examples=50)
@given(st.lists(st.tuples(st.integers(0, 10**9), st.integers(1, 365), st.integers(1, 4)), max_size=20))
def test_the_subsidy_never_exceeds_the_cap_or_the_rate_and_is_never_negative(rows):
    first_day = date(2026, 1, 1).toordinal()
    ledger = [
        invoice(str(Money.from_fen(fen)), date.fromordinal(first_day + day - 1), customer)
        for fen, day, customer in rows
    ]
    result = compute_subsidy(POLICY, ledger)
    assert Money.zero() <= result.amount <= POLICY.cap
    assert result.amount <= Money.rounded(result.eligible_revenue.amount * POLICY.rate)
    assert Money.sum(result.by_month.values()) == result.eligible_revenue
    assert Money.sum(row.amount for row in result.by_customer) == result.eligible_revenue


def test_a_void_credit_note_does_not_count():
    original = invoice("1000.00")
    voided = replace(credit_note(original, date(2026, 6, 1)), is_void=True, status="void")
    result = compute_subsidy(POLICY, [original, voided])
    assert result.eligible_revenue == Money("1000.00")
    assert [e.reason for e in result.excluded] == ["void"]


def test_a_void_invoice_credited_partly_this_year_and_partly_next_year_counts_once_overall():
    original = invoice("1000.00", date(2026, 11, 1), is_void=True, status="void")
    first, rest = credit_note(original, date(2026, 12, 1), "400.00"), credit_note(original, date(2027, 1, 2), "600.00")
    ledger = [original, first, rest]
    this_year, next_year = compute_subsidy(SubsidyPolicy(2026), ledger), compute_subsidy(SubsidyPolicy(2027), ledger)
    assert this_year.eligible_revenue == Money("600.00")
    assert next_year.eligible_revenue == Money("-600.00")
