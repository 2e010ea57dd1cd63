"""Payments against an invoice: what may be paid, what is still due, and the payment status."""

from __future__ import annotations

from datetime import date, timedelta
from enum import StrEnum

from billing.money import Money, format_cny


class PaymentStatus(StrEnum):
    UNPAID = "unpaid"
    PARTLY_PAID = "partly_paid"
    PAID = "paid"
    OVERDUE = "overdue"


def outstanding(total: Money, paid: Money) -> Money:
    """What is still to be paid (never negative)."""
    return max(total - paid, Money.zero(total.currency))


def payment_problem(total: Money, already_paid: Money, amount: Money) -> str | None:
    """Why a payment of `amount` cannot be recorded, in Chinese, or None when it can."""
    if not amount.amount > 0:
        return "付款金额必须大于零"
    remaining = outstanding(total, already_paid)
    if amount > remaining:
        return f"付款金额超过未付金额（未付 {format_cny(remaining)}），不接受超额付款"
    return None


def due_date(issued_on: date, payment_terms_days: int) -> date:
    """The last day to pay an invoice issued on `issued_on` with the given payment terms."""
    if payment_terms_days < 0:
        raise ValueError("payment terms cannot be negative")
    return issued_on + timedelta(days=payment_terms_days)


def payment_status(total: Money, paid: Money, due_on: date | None, today: date) -> PaymentStatus:
    """Paid when nothing is outstanding; overdue when something is outstanding after the due date.

    Overdue takes precedence over partly paid. A document whose total is not positive (a credit
    note) has nothing outstanding and reads as paid; the app decides whether to show it.
    """
    if outstanding(total, paid).is_zero():
        return PaymentStatus.PAID
    if due_on is not None and today > due_on:
        return PaymentStatus.OVERDUE
    return PaymentStatus.PARTLY_PAID if paid.amount > 0 else PaymentStatus.UNPAID
