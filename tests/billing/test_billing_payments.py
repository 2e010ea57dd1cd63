from datetime import date

import pytest

from billing import Money, PaymentStatus, due_date, outstanding, payment_problem, payment_status

TOTAL = Money("1060.00")


def test_a_payment_up_to_the_outstanding_amount_is_accepted():
    assert payment_problem(TOTAL, Money("0.00"), Money("1060.00")) is None
    assert payment_problem(TOTAL, Money("60.00"), Money("1000.00")) is None


def test_an_overpayment_by_one_fen_is_refused():
    problem = payment_problem(TOTAL, Money("60.00"), Money("1000.01"))
    assert problem is not None and "超额" in problem and "¥1,000.00" in problem


@pytest.mark.parametrize("amount", ["0.00", "-1.00"])
def test_a_payment_that_is_not_positive_is_refused(amount):
    assert payment_problem(TOTAL, Money("0.00"), Money(amount)) == "付款金额必须大于零"


def test_nothing_more_can_be_paid_on_a_paid_invoice():
    assert payment_problem(TOTAL, TOTAL, Money("0.01")) is not None
    assert outstanding(TOTAL, TOTAL) == Money.zero()


DUE = date(2026, 3, 31)


@pytest.mark.parametrize(
    ("paid", "today", "status"),
    [
        ("0.00", date(2026, 3, 31), PaymentStatus.UNPAID),
        ("10.00", date(2026, 3, 31), PaymentStatus.PARTLY_PAID),
        ("1060.00", date(2026, 3, 31), PaymentStatus.PAID),
        ("1060.00", date(2026, 6, 1), PaymentStatus.PAID),
        ("0.00", date(2026, 4, 1), PaymentStatus.OVERDUE),
        ("10.00", date(2026, 4, 1), PaymentStatus.OVERDUE),
    ],
)
def test_payment_status_follows_the_amount_paid_and_the_due_date(paid, today, status):
    assert payment_status(TOTAL, Money(paid), DUE, today) == status


def test_an_invoice_without_a_due_date_is_never_overdue():
    assert payment_status(TOTAL, Money("0.00"), None, date(2099, 1, 1)) == PaymentStatus.UNPAID


def test_the_due_date_is_the_issue_date_plus_the_payment_terms():
    assert due_date(date(2026, 12, 15), 30) == date(2027, 1, 14)
    with pytest.raises(ValueError):
        due_date(date(2026, 1, 1), -1)
