"""The claim's dossier: the annex tables that show where a claim's figures come from.

Each money annex reconciles to the claim: its eligible-revenue column sums to the claim's eligible revenue
(credit notes netted), because every row is built from the claim's own counted documents. Annexes are plain
tables (headers and rows of text, money as "1234.50") so they can be frozen as JSON with the claim.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from billing.money import Money
from billing.subsidy import LedgerInvoice

NO_CONTRACT = "（无合同）"


@dataclass(frozen=True)
class CustomerFacts:
    """What the claim needs to know of a customer company."""

    name: str
    uscc: str
    is_sme: bool
    is_related: bool
    in_hohhot: bool


@dataclass(frozen=True)
class ReceivedPayment:
    invoice_id: int
    received_on: date
    amount: Money
    reference: str


@dataclass(frozen=True)
class VesselYear:
    """One vessel's hours in the claim's year (decided by the caller from its allocations and windows)."""

    code: str
    name: str
    available_h: Decimal
    working_h: Decimal
    outside_h: Decimal


@dataclass(frozen=True)
class Annex:
    key: str
    title: str
    headers: tuple[str, ...]
    rows: list[list[str]]
    total: str | None = None  # the sum that reconciles to the claim, where the annex has one


@dataclass(frozen=True)
class Evidence:
    """Everything besides the counted documents that the annexes print, keyed by invoice or company id."""

    contracts: dict[int, str] = field(default_factory=dict)  # invoice id → contract number
    fapiao_dates: dict[int, date] = field(default_factory=dict)
    payments: tuple[ReceivedPayment, ...] = ()
    customers: dict[int, CustomerFacts] = field(default_factory=dict)
    vessels: tuple[VesselYear, ...] = ()
    batches: int = 0


def _owner(doc: LedgerInvoice) -> int:
    return doc.credited_invoice_id or doc.id


def invoice_annex(docs: list[LedgerInvoice], evidence: Evidence) -> Annex:
    rows = [
        [
            doc.number or "",
            "红字发票" if doc.kind == "credit_note" else "发票",
            doc.fapiao_number or "",
            _iso(evidence.fapiao_dates.get(doc.id)),
            doc.customer_name,
            doc.customer_uscc,
            _iso(doc.issued_on),
            evidence.contracts.get(_owner(doc), ""),
            str(doc.service_amount),
            str(doc.tax),
            str(doc.total),
        ]
        for doc in docs
    ]
    return Annex(
        "invoices",
        "发票清单",
        (
            "发票号",
            "类型",
            "数电票号码",
            "数电票日期",
            "客户",
            "统一社会信用代码",
            "开具日期",
            "合同号",
            "服务收入（不含税）",
            "税额",
            "价税合计",
        ),
        rows,
        str(Money.sum(doc.service_amount for doc in docs)),
    )


def contract_annex(docs: list[LedgerInvoice], evidence: Evidence) -> Annex:
    by_contract: dict[str, list[LedgerInvoice]] = defaultdict(list)
    for doc in docs:
        by_contract[evidence.contracts.get(_owner(doc)) or NO_CONTRACT].append(doc)
    rows = [
        [number, group[0].customer_name, str(len(group)), str(Money.sum(d.service_amount for d in group))]
        for number, group in sorted(by_contract.items())
    ]
    return Annex(
        "contracts",
        "服务合同清单",
        ("合同号", "客户", "发票数", "可申报服务收入"),
        rows,
        str(Money.sum(doc.service_amount for doc in docs)),
    )


def payment_annex(docs: list[LedgerInvoice], evidence: Evidence) -> Annex:
    numbers = {doc.id: doc.number for doc in docs if doc.kind == "invoice"}
    payments = sorted(
        (p for p in evidence.payments if p.invoice_id in numbers),
        key=lambda p: (p.received_on, numbers[p.invoice_id] or ""),
    )
    rows = [[numbers[p.invoice_id] or "", _iso(p.received_on), str(p.amount), p.reference] for p in payments]
    return Annex(
        "payments",
        "回款清单",
        ("发票号", "到账日期", "金额", "凭证/摘要"),
        rows,
        str(Money.sum(p.amount for p in payments)),
    )


def customer_annex(docs: list[LedgerInvoice], evidence: Evidence) -> Annex:
    revenue: dict[int, Money] = defaultdict(Money.zero)
    for doc in docs:
        revenue[doc.customer_id] += doc.service_amount
    rows = []
    for company_id, amount in sorted(revenue.items(), key=lambda item: (-item[1].amount, item[0])):
        facts = evidence.customers[company_id]
        rows.append(
            [
                facts.name,
                facts.uscc,
                _yes(facts.is_sme),
                _yes(facts.is_related),
                "呼和浩特市内" if facts.in_hohhot else "呼和浩特市外",
                str(amount),
            ]
        )
    return Annex(
        "customers",
        "服务对象清单",
        ("企业名称", "统一社会信用代码", "中小企业", "关联方", "所在地", "可申报服务收入"),
        rows,
        str(Money.sum(revenue.values())),
    )


def vessel_annex(evidence: Evidence) -> Annex:
    rows = [
        [
            v.code,
            v.name,
            _hours(v.available_h),
            _hours(v.working_h),
            _hours(v.outside_h),
            _share(v.working_h, v.available_h),
        ]
        for v in evidence.vessels
    ]
    return Annex(
        "machine_hours",
        "设备机时统计",
        ("设备编号", "设备名称", "可用机时（h）", "有效工作机时（h）", "对外服务机时（h）", "利用率"),
        rows,
    )


def overview_annex(docs: list[LedgerInvoice], evidence: Evidence, eligible_revenue: Money, amount: Money) -> Annex:
    served = {doc.customer_id for doc in docs}
    contracts = {evidence.contracts[_owner(doc)] for doc in docs if evidence.contracts.get(_owner(doc))}
    rows = [
        ["服务企业数", str(len(served))],
        ["其中中小企业数", str(sum(1 for c in served if evidence.customers[c].is_sme))],
        ["其中呼和浩特市外企业数", str(sum(1 for c in served if not evidence.customers[c].in_hohhot))],
        ["服务批次数", str(evidence.batches)],
        ["服务合同数", str(len(contracts))],
        ["计入发票数", str(sum(1 for doc in docs if doc.kind == "invoice"))],
        ["可申报服务收入（元）", str(eligible_revenue)],
        ["申请补助金额（元）", str(amount)],
    ]
    return Annex("overview", "年度服务概况", ("项目", "数值"), rows)


def build_dossier(docs: list[LedgerInvoice], evidence: Evidence, eligible_revenue: Money, amount: Money) -> list[Annex]:
    """The six annexes of a claim, from the documents it counts."""
    return [
        contract_annex(docs, evidence),
        invoice_annex(docs, evidence),
        payment_annex(docs, evidence),
        customer_annex(docs, evidence),
        vessel_annex(evidence),
        overview_annex(docs, evidence, eligible_revenue, amount),
    ]


def dossier_warnings(docs: list[LedgerInvoice], evidence: Evidence) -> list[str]:
    """Counted documents that lack evidence: no contract, no 数电票 number (they still count; finance sees them)."""
    warnings = [
        f"{doc.number}：未关联服务合同" for doc in docs if doc.kind == "invoice" and not evidence.contracts.get(doc.id)
    ]
    return warnings + [f"{doc.number}：未登记数电票号码" for doc in docs if not doc.fapiao_number]


def _iso(day: date | None) -> str:
    return day.isoformat() if day else ""


def _yes(flag: bool) -> str:
    return "是" if flag else "否"


def _hours(value: Decimal) -> str:
    return f"{value:.1f}"


def _share(part: Decimal, whole: Decimal) -> str:
    return f"{(part / whole * 100):.1f}%" if whole > 0 else "—"
