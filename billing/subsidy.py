"""The city's open-platform subsidy: 30 % of the year's service revenue, capped (DESIGN.md).

Which documents count for `policy.year` (its date is `issued_on`, or `paid_on` when the basis is
"paid"; dates are the plant's LOCAL dates):
1. drafts never count (not_issued); with basis "paid", documents without `paid_on` do not
   count (not_paid) — for a credit note `paid_on` is the date its refund/offset was settled;
2. documents dated in another year do not count (outside_year);
3. a void credit note never counts; a void invoice is excluded together with its credit notes when
   all of them fall in the same year (they net to zero), and when it has no credit note (void);
   if one of its credit notes falls in a later year, the invoice counts in its own year and each
   credit note reduces the revenue of its own year;
4. documents of affiliated/internal customers do not count (affiliated);
5. everything else counts with its `service_amount` (negative for credit notes).
amount = min(round_half_up(max(eligible, 0) × rate), cap).
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import NamedTuple

from billing.invoice import as_rate
from billing.money import Money, exact_product

BASES = ("invoiced", "paid")
REASONS_ZH = {
    "not_issued": "未开具（草稿）",
    "not_paid": "未收款",
    "outside_year": "不在申报年度内",
    "void": "作废",
    "affiliated": "关联方",
}
DIGEST_VERSION = "ledger-v1"


@dataclass(frozen=True)
class SubsidyPolicy:
    year: int
    rate: Decimal = Decimal("0.30")
    cap: Money = Money("1000000.00")
    basis: str = "invoiced"
    affiliated: frozenset[int] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        object.__setattr__(self, "rate", as_rate(self.rate, "rate"))
        if self.rate <= 0 or self.cap.amount <= 0:
            raise ValueError("the subsidy rate and cap must be positive")
        if self.basis not in BASES:
            raise ValueError(f"basis must be one of {BASES}, not {self.basis!r}")
        object.__setattr__(self, "affiliated", frozenset(self.affiliated))


@dataclass(frozen=True)
class LedgerInvoice:
    """An invoice or credit note as the subsidy rule sees it; amounts are negative on credit notes."""

    id: int
    number: str | None
    kind: str
    customer_id: int
    customer_name: str
    customer_uscc: str
    issued_on: date | None
    paid_on: date | None
    status: str
    is_void: bool
    service_amount: Money
    tax: Money
    total: Money
    fapiao_number: str | None = None
    credited_invoice_id: int | None = None

    def __post_init__(self) -> None:
        if self.kind not in ("invoice", "credit_note"):
            raise ValueError(f"kind must be invoice or credit_note, not {self.kind!r}")
        sign = -1 if self.kind == "credit_note" else 1
        if any(sign * amount.amount < 0 for amount in (self.service_amount, self.tax, self.total)):
            raise ValueError(f"{self.number}: amounts must be {'≤' if sign < 0 else '≥'} 0 on a {self.kind}")
        if (self.kind == "credit_note") != (self.credited_invoice_id is not None):
            raise ValueError(f"{self.number}: a credit note, and only a credit note, references an invoice")
        if self.status != "draft" and (self.number is None or self.issued_on is None):
            raise ValueError(f"an issued document needs a number and an issue date (id {self.id})")


class Exclusion(NamedTuple):
    invoice: LedgerInvoice
    reason: str
    reason_zh: str


class CustomerRevenue(NamedTuple):
    customer_id: int
    customer_name: str
    customer_uscc: str
    amount: Money


@dataclass(frozen=True)
class SubsidyResult:
    year: int
    eligible_revenue: Money
    rate: Decimal
    cap: Money
    amount: Money
    included: tuple[LedgerInvoice, ...]
    excluded: tuple[Exclusion, ...]
    by_month: dict[int, Money]
    by_customer: tuple[CustomerRevenue, ...]
    cap_reached: bool
    revenue_to_reach_cap: Money

    @property
    def excluded_counts(self) -> dict[str, int]:
        """How many documents were excluded for each reason code."""
        counts = dict.fromkeys(REASONS_ZH, 0)
        for exclusion in self.excluded:
            counts[exclusion.reason] += 1
        return counts


def counted_date(doc: LedgerInvoice, basis: str) -> date | None:
    """The date that places `doc` in a year under `basis`."""
    return doc.paid_on if basis == "paid" else doc.issued_on


def _void_pairs(docs: Sequence[LedgerInvoice], basis: str) -> set[int]:
    """Ids of void invoices, and of their credit notes, that net out within one year."""
    credits: dict[int, list[LedgerInvoice]] = {}
    for doc in docs:
        if doc.credited_invoice_id is not None and not doc.is_void and doc.status != "draft":  # a credit note
            credits.setdefault(doc.credited_invoice_id, []).append(doc)
    void_ids: set[int] = set()
    for doc in docs:
        if doc.kind != "invoice" or not doc.is_void:
            continue
        own = credits.get(doc.id, [])
        year = getattr(counted_date(doc, basis), "year", None)
        if all(getattr(counted_date(c, basis), "year", None) == year for c in own):
            void_ids |= {doc.id} | {c.id for c in own}
    return void_ids


def _exclusion_reason(doc: LedgerInvoice, policy: SubsidyPolicy, void_ids: set[int]) -> str | None:
    when = counted_date(doc, policy.basis)
    if doc.status == "draft":
        return "not_issued"
    if when is None:
        return "not_paid"
    if when.year != policy.year:
        return "outside_year"
    if doc.id in void_ids or (doc.kind == "credit_note" and doc.is_void):
        return "void"
    if doc.customer_id in policy.affiliated:
        return "affiliated"
    return None


def revenue_to_reach(cap: Money, rate: Decimal) -> Money:
    """The smallest revenue (to the fen) whose round_half_up(revenue × rate) reaches `cap`."""
    threshold = (Fraction(cap.amount) - Fraction(1, 200)) / Fraction(rate)
    return Money.from_fen(math.ceil(threshold * 100), cap.currency)


def compute_subsidy(policy: SubsidyPolicy, ledger: Iterable[LedgerInvoice]) -> SubsidyResult:
    """The year's eligible service revenue and subsidy amount, with what was counted and why not."""
    docs = sorted(ledger, key=_canonical_order)
    void_ids = _void_pairs(docs, policy.basis)
    included, excluded = [], []
    for doc in docs:
        reason = _exclusion_reason(doc, policy, void_ids)
        if reason is None:
            included.append(doc)
        else:
            excluded.append(Exclusion(doc, reason, REASONS_ZH[reason]))
    currency = policy.cap.currency
    eligible = Money.sum((doc.service_amount for doc in included), currency)
    uncapped = Money.rounded(exact_product(max(eligible.amount, Decimal(0)), policy.rate), currency)
    return SubsidyResult(
        year=policy.year,
        eligible_revenue=eligible,
        rate=policy.rate,
        cap=policy.cap,
        amount=min(uncapped, policy.cap),
        included=tuple(included),
        excluded=tuple(excluded),
        by_month=_by_month(included, policy.basis, currency),
        by_customer=_by_customer(included, currency),
        cap_reached=uncapped >= policy.cap,
        revenue_to_reach_cap=max(revenue_to_reach(policy.cap, policy.rate) - eligible, Money.zero(currency)),
    )


def _by_month(docs: Sequence[LedgerInvoice], basis: str, currency: str) -> dict[int, Money]:
    months = {month: Money.zero(currency) for month in range(1, 13)}
    for doc in docs:
        when = counted_date(doc, basis)
        assert when is not None  # a document without one is excluded as not paid
        months[when.month] = months[when.month] + doc.service_amount
    return months


def _by_customer(docs: Sequence[LedgerInvoice], currency: str) -> tuple[CustomerRevenue, ...]:
    """Revenue per customer, largest first; name and USCC from the customer's latest document."""
    totals: dict[int, Money] = {}
    latest: dict[int, LedgerInvoice] = {}
    for doc in docs:
        totals[doc.customer_id] = totals.get(doc.customer_id, Money.zero(currency)) + doc.service_amount
        latest[doc.customer_id] = doc
    rows = [
        CustomerRevenue(cid, latest[cid].customer_name, latest[cid].customer_uscc, total)
        for cid, total in totals.items()
    ]
    return tuple(sorted(rows, key=lambda row: (-row.amount.amount, row.customer_name, row.customer_id)))


def _canonical_order(doc: LedgerInvoice) -> tuple[str, int]:
    return (doc.number or "", doc.id)


def _canonical_record(doc: LedgerInvoice) -> list[object]:
    """The fields of `doc` in the fixed digest order; dates ISO, amounts in integer fen."""
    return [
        doc.number,
        doc.id,
        doc.kind,
        doc.status,
        int(doc.is_void),
        doc.customer_id,
        doc.customer_name,
        doc.customer_uscc,
        doc.issued_on and doc.issued_on.isoformat(),
        doc.paid_on and doc.paid_on.isoformat(),
        doc.service_amount.currency,
        doc.service_amount.fen,
        doc.tax.fen,
        doc.total.fen,
        doc.fapiao_number,
        doc.credited_invoice_id,
    ]


def ledger_digest(ledger: Iterable[LedgerInvoice]) -> str:
    """SHA-256 (hex) of the canonical ledger.

    Canonical form: the UTF-8 bytes of the compact JSON array ["ledger-v1", record, ...], records
    sorted by (number, id) and each a list of: number, id, kind, status, is_void (0/1),
    customer_id, customer_name, customer_uscc, issued_on, paid_on (ISO dates or null), currency,
    service_amount, tax, total (integer fen), fapiao_number, credited_invoice_id.
    """
    records = [_canonical_record(doc) for doc in sorted(ledger, key=_canonical_order)]
    text = json.dumps([DIGEST_VERSION, *records], ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
