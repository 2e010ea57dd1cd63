"""The tax platform's batch-import template for 数电票 (批量开票-导入开票模板), and the checks made before writing it.

One module holds the layout and the version of the template it follows, so a new template version is one edit
here. Two sheets are linked by 发票流水号 (our invoice number): `1-发票基本信息` (one row per invoice) and
`2-发票明细信息` (one row per line). Data start on the fourth row; tax rates are decimals (0.06); the buyer's USCC is
its 纳税人识别号. The goods-and-services tax code (商品和服务税收分类编码) of each line comes from its price-list
category, a setting that the platform's tax adviser must confirm.
"""

from collections import Counter
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from billing.money import Money

TEMPLATE_VERSION = "批量开票-导入开票模板 (电子发票服务平台，2024 版)"
BASIC_SHEET = "1-发票基本信息"
DETAIL_SHEET = "2-发票明细信息"
FIRST_DATA_ROW = 4
BASIC_COLUMNS = (
    "发票流水号",
    "发票类型",
    "特定业务类型",
    "是否含税",
    "购买方名称",
    "购买方纳税人识别号",
    "购买方地址电话",
    "购买方开户银行及账号",
    "备注",
)
DETAIL_COLUMNS = (
    "发票流水号",
    "项目名称",
    "商品和服务税收分类编码",
    "规格型号",
    "单位",
    "数量",
    "单价",
    "金额",
    "税率",
    "折扣金额",
)
INVOICE_TYPES = {"special": "增值税专用发票", "ordinary": "普通发票"}
TAX_CODE_DIGITS = 19
SUMMARY_LEVEL_DIGITS = 7  # a code whose significant digits end before this is a summary (汇总) level, not invoiceable


@dataclass(frozen=True)
class EtaxLine:
    description: str
    tax_code: str
    unit: str
    quantity: Decimal
    unit_price: Money
    amount: Money  # tax-exclusive
    tax_rate: Decimal


@dataclass(frozen=True)
class EtaxInvoice:
    serial: str  # 发票流水号: our invoice number
    kind: str  # "special" or "ordinary"
    buyer_name: str
    buyer_tax_number: str
    buyer_address_phone: str
    buyer_bank_account: str
    subtotal: Money
    lines: tuple[EtaxLine, ...]


def tax_code_problem(code: str) -> str | None:
    """Why a configured tax code cannot go on an invoice, or None."""
    if len(code) != TAX_CODE_DIGITS or not code.isdigit():
        return f"税收分类编码“{code}”须为{TAX_CODE_DIGITS}位数字"
    if len(code.rstrip("0")) < SUMMARY_LEVEL_DIGITS:
        return f"税收分类编码“{code}”是汇总项，不能用于开票"
    return None


def export_problems(invoices: list[EtaxInvoice]) -> list[str]:
    """Everything that would make the tax platform refuse the file (empty when it may be written)."""
    problems = [f"发票流水号 {serial} 重复" for serial, n in Counter(i.serial for i in invoices).items() if n > 1]
    for invoice in invoices:
        if invoice.kind == "special" and not invoice.buyer_tax_number:
            problems.append(f"{invoice.serial}：专用发票须填写购买方纳税人识别号")
        if Money.sum(line.amount for line in invoice.lines) != invoice.subtotal:
            problems.append(f"{invoice.serial}：明细金额合计与发票金额不符")
        problems += [
            f"{invoice.serial}：{problem}" for line in invoice.lines if (problem := tax_code_problem(line.tax_code))
        ]
    return problems


def basic_row(invoice: EtaxInvoice) -> list[str]:
    return [
        invoice.serial,
        INVOICE_TYPES[invoice.kind],
        "",
        "否",
        invoice.buyer_name,
        invoice.buyer_tax_number,
        invoice.buyer_address_phone,
        invoice.buyer_bank_account,
        "",
    ]


def detail_rows(invoice: EtaxInvoice) -> list[list[str | Decimal]]:
    """A row per line; a discount shows as the difference between quantity × unit price and the amount."""
    return [
        [
            invoice.serial,
            line.description,
            line.tax_code,
            "",
            line.unit,
            line.quantity,
            line.unit_price.amount,
            line.amount.amount,
            line.tax_rate,
            (line.unit_price.times(line.quantity) - line.amount).amount,
        ]
        for line in invoice.lines
    ]


@dataclass(frozen=True)
class IssuedRow:
    """One row of the tax platform's list of issued invoices."""

    line: int
    fapiao_number: str
    issued_on: date
    buyer_name: str
    buyer_tax_number: str
    total: Money
    serial: str = ""


@dataclass(frozen=True)
class OurInvoice:
    id: int
    number: str
    buyer_name: str
    buyer_tax_number: str
    total: Money
    issued_on: date
    fapiao_number: str | None


@dataclass(frozen=True)
class Matching:
    matched: list[tuple[IssuedRow, OurInvoice]]
    unmatched: list[tuple[IssuedRow, str]]


def match_issued(rows: list[IssuedRow], ours: list[OurInvoice]) -> Matching:
    """Match each row to our invoice by serial, or else by buyer, amount and date; say why a row matches none."""
    by_number = {invoice.number: invoice for invoice in ours}
    owner_of = {invoice.fapiao_number: invoice for invoice in ours if invoice.fapiao_number}
    matched: list[tuple[IssuedRow, OurInvoice]] = []
    unmatched: list[tuple[IssuedRow, str]] = []
    taken: set[int] = set()
    for row in rows:
        found, reason = _match_one(row, by_number, ours, taken)
        holder = owner_of.get(row.fapiao_number)
        if found is not None and holder is not None and holder.id != found.id:
            found, reason = None, f"数电票号码已登记在 {holder.number}"
        if found is None:
            unmatched.append((row, reason))
        else:
            taken.add(found.id)
            matched.append((row, found))
    return Matching(matched, unmatched)


def _match_one(
    row: IssuedRow, by_number: dict[str, OurInvoice], ours: list[OurInvoice], taken: set[int]
) -> tuple[OurInvoice | None, str]:
    if row.serial:
        invoice = by_number.get(row.serial)
        if invoice is None:
            return None, f"未知的发票流水号 {row.serial}"
        return _agrees(row, invoice)
    candidates = [
        i
        for i in ours
        if i.id not in taken
        and i.total == row.total
        and _same_buyer(row, i)
        and i.issued_on <= row.issued_on
        and i.fapiao_number in (None, row.fapiao_number)
    ]
    if len(candidates) > 1:
        return None, "有多张购买方、金额相同的发票，无法确定对应关系，请在文件中提供发票流水号"
    if not candidates:
        return None, "没有购买方、金额和日期相符的已开具发票"
    return candidates[0], ""


def _agrees(row: IssuedRow, invoice: OurInvoice) -> tuple[OurInvoice | None, str]:
    if row.total != invoice.total:
        return None, f"金额不符：文件为 {row.total}，{invoice.number} 为 {invoice.total}"
    if not _same_buyer(row, invoice):
        return (
            None,
            f"购买方不符：文件为 {row.buyer_name or row.buyer_tax_number}，{invoice.number} 为 {invoice.buyer_name}",
        )
    return invoice, ""


def _same_buyer(row: IssuedRow, invoice: OurInvoice) -> bool:
    if row.buyer_tax_number:
        return row.buyer_tax_number.upper() == invoice.buyer_tax_number.upper()
    return row.buyer_name.strip() == invoice.buyer_name.strip()
