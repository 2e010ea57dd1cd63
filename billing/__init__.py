"""Pure money core: Money, pricing, invoice arithmetic, payments, numbering, subsidy rule, 大写.

Standard library only; no clock, configuration or I/O — everything arrives as arguments.
"""

from billing.invoice import DEFAULT_TAX_RATE, Line, RateTotal, Totals, credit_lines, invoice_totals, rate_totals
from billing.money import CNY, FEN, Money, exact_product, format_cny, parse_amount, round_half_up
from billing.numbering import (
    CLAIM_PREFIX,
    CREDIT_NOTE_PREFIX,
    INVOICE_PREFIX,
    DocumentNumber,
    claim_number,
    document_number,
    invoice_number,
    parse_document_number,
    parse_invoice_number,
)
from billing.payments import PaymentStatus, due_date, outstanding, payment_problem, payment_status
from billing.price_defaults import default_price_list
from billing.pricing import (
    DAY,
    DOWNSTREAM_CLASS,
    HOUR,
    VESSEL_BRACKETS,
    CancellationTerms,
    Category,
    PriceItem,
    PriceList,
    price_list_in_force,
    vessel_class,
)
from billing.quote import Material, Usage, billed_days, cancellation_lines, material_lines, quote_lines
from billing.subsidy import (
    REASONS_ZH,
    CustomerRevenue,
    Exclusion,
    LedgerInvoice,
    SubsidyPolicy,
    SubsidyResult,
    compute_subsidy,
    ledger_digest,
    revenue_to_reach,
)
from billing.uscc import uscc_check_char, uscc_problem
from billing.words import amount_in_words

__all__ = [
    "CLAIM_PREFIX",
    "CNY",
    "CREDIT_NOTE_PREFIX",
    "DAY",
    "DEFAULT_TAX_RATE",
    "DOWNSTREAM_CLASS",
    "FEN",
    "HOUR",
    "INVOICE_PREFIX",
    "REASONS_ZH",
    "VESSEL_BRACKETS",
    "CancellationTerms",
    "Category",
    "CustomerRevenue",
    "DocumentNumber",
    "Exclusion",
    "LedgerInvoice",
    "Line",
    "Material",
    "Money",
    "PaymentStatus",
    "PriceItem",
    "PriceList",
    "RateTotal",
    "SubsidyPolicy",
    "SubsidyResult",
    "Totals",
    "Usage",
    "amount_in_words",
    "billed_days",
    "cancellation_lines",
    "claim_number",
    "compute_subsidy",
    "credit_lines",
    "default_price_list",
    "document_number",
    "due_date",
    "exact_product",
    "format_cny",
    "invoice_number",
    "invoice_totals",
    "ledger_digest",
    "material_lines",
    "outstanding",
    "parse_amount",
    "parse_document_number",
    "parse_invoice_number",
    "payment_problem",
    "payment_status",
    "price_list_in_force",
    "quote_lines",
    "rate_totals",
    "revenue_to_reach",
    "round_half_up",
    "uscc_check_char",
    "uscc_problem",
    "vessel_class",
]
