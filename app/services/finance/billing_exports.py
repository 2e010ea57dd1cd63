"""The ledger as tables for finance exports: issued invoices and credit notes, their lines, payments."""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, selectinload

from app.models import Invoice, InvoiceLine, InvoiceStatus, Payment
from app.services.finance import payments

KIND_ZH = {"invoice": "发票", "credit_note": "红字发票"}
STATUS_ZH = {
    "unpaid": "未付款",
    "partly_paid": "部分付款",
    "paid": "已付清",
    "overdue": "逾期",
    "void": "作废",
    "credit_note": "红字发票",
    "draft": "草稿",
}


@dataclass(frozen=True)
class Table:
    name: str
    headers: tuple[str, ...]
    rows: list[tuple]


def _issued_in(query: Select, year: int | None) -> Select:
    query = query.where(Invoice.status == InvoiceStatus.ISSUED)
    return query.where(Invoice.issued_on.between(date(year, 1, 1), date(year, 12, 31))) if year else query


def _paid_in(query: Select, year: int | None) -> Select:
    return query.where(Payment.received_on.between(date(year, 1, 1), date(year, 12, 31))) if year else query


def _issued(session: Session, year: int | None) -> list[Invoice]:
    query = (
        select(Invoice)
        .options(
            selectinload(Invoice.lines),
            selectinload(Invoice.payments),
            selectinload(Invoice.credit_notes).selectinload(Invoice.lines),
            selectinload(Invoice.credited_invoice),
        )
        .order_by(Invoice.issued_on, Invoice.number)
    )
    return list(session.scalars(_issued_in(query, year)))


def invoices_table(session: Session, today: date, year: int | None = None) -> Table:
    headers = (
        "单据号码",
        "类型",
        "状态",
        "客户",
        "统一社会信用代码",
        "开票日期",
        "到期日",
        "不含税金额",
        "税额",
        "价税合计",
        "服务收入（不含税）",
        "已收款",
        "未收款",
        "数电发票号码",
        "原发票号码",
        "红冲原因",
    )
    rows = []
    for invoice in _issued(session, year):
        state = payments.standing(invoice, today)
        original = invoice.credited_invoice.number if invoice.credited_invoice else ""
        rows.append(
            (
                invoice.number,
                KIND_ZH[invoice.kind.value],
                STATUS_ZH[state.status],
                invoice.customer_name,
                invoice.customer_uscc,
                invoice.issued_on,
                invoice.due_on,
                invoice.subtotal,
                invoice.tax,
                invoice.total,
                invoice.service_subtotal,
                state.paid.amount,
                state.outstanding.amount,
                invoice.fapiao_number or "",
                original,
                invoice.reason,
            )
        )
    return Table("invoices", headers, rows)


def lines_table(session: Session, year: int | None = None) -> Table:
    headers = (
        "单据号码",
        "客户",
        "开票日期",
        "行号",
        "摘要",
        "数量",
        "单位",
        "单价",
        "折扣",
        "税率",
        "服务收入",
        "金额（不含税）",
    )
    rows = [
        (
            invoice.number,
            invoice.customer_name,
            invoice.issued_on,
            line.position,
            line.description,
            line.quantity,
            line.unit,
            line.unit_price,
            line.discount,
            line.tax_rate,
            line.is_service,
            line.amount,
        )
        for invoice in _issued(session, year)
        for line in invoice.lines
    ]
    return Table("lines", headers, rows)


def payments_table(session: Session, year: int | None = None) -> Table:
    query = _paid_in(
        select(Payment).options(selectinload(Payment.invoice)).order_by(Payment.received_on, Payment.id), year
    )
    headers = ("单据号码", "客户", "收款日期", "金额", "备注")
    rows = [
        (p.invoice.number, p.invoice.customer_name, p.received_on, p.amount, p.reference)
        for p in session.scalars(query)
    ]
    return Table("payments", headers, rows)


NAMES = ("invoices", "lines", "payments")


def row_count(session: Session, name: str, year: int | None = None) -> int:
    """How many rows the export table `name` has (without building it)."""
    if name == "lines":
        return session.scalar(_issued_in(select(func.count(InvoiceLine.id)).join(InvoiceLine.invoice), year))
    if name == "payments":
        return session.scalar(_paid_in(select(func.count(Payment.id)), year))
    return session.scalar(_issued_in(select(func.count(Invoice.id)), year))


def table(session: Session, name: str, today: date, year: int | None = None) -> Table:
    """One of the export tables by name (see NAMES)."""
    if name == "lines":
        return lines_table(session, year)
    if name == "payments":
        return payments_table(session, year)
    return invoices_table(session, today, year)
