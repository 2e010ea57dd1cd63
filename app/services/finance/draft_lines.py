"""A draft's lines as finance types them: checking their shape, and adding, changing and deleting them (each change
recomputes the draft's totals and is audited); a draft of free lines."""

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy.orm import Session

import billing
from app.models import Invoice, InvoiceLine, User
from app.platform.errors import NotFound, require_valid
from app.services import audit
from app.services.finance import invoices

MAX_QUANTITY = Decimal("1000000")
MAX_UNIT_PRICE = Decimal("100000000")


@dataclass(frozen=True)
class LineFields:
    """What finance types for one line; `tax_rate` and `discount` are fractions (0.06 = 6 %)."""

    description: str
    quantity: Decimal
    unit: str
    unit_price: Decimal
    tax_rate: Decimal = billing.DEFAULT_TAX_RATE
    is_service: bool = True
    discount: Decimal = Decimal(0)


def _places(value: Decimal, places: int) -> bool:
    return value == value.quantize(Decimal(1).scaleb(-places))


def line_problems(fields: LineFields) -> dict[str, str]:
    """Why a line cannot be saved, per field, in Chinese (empty when it can)."""
    problems = {}
    if not fields.description.strip() or len(fields.description) > 300:
        problems["description"] = "请填写摘要（最多300字）"
    if not (0 < fields.quantity <= MAX_QUANTITY and _places(fields.quantity, 3)):
        problems["quantity"] = "数量须大于零，最多三位小数"
    if len(fields.unit) > 20:
        problems["unit"] = "单位最多20字"
    if not (0 <= fields.unit_price < MAX_UNIT_PRICE and _places(fields.unit_price, 2)):
        problems["unit_price"] = "单价须为非负金额，最多两位小数"
    if not (0 <= fields.tax_rate <= 1 and _places(fields.tax_rate, 3)):
        problems["tax_rate"] = "税率须在 0% 至 100% 之间"
    if not (0 <= fields.discount < 1 and _places(fields.discount, 3)):
        problems["discount"] = "折扣须在 0% 至 100% 之间"
    return problems


def core_line(fields: LineFields) -> billing.Line:
    return billing.Line(
        fields.description.strip(),
        fields.quantity,
        fields.unit.strip(),
        billing.Money(fields.unit_price),
        fields.tax_rate,
        fields.is_service,
        fields.discount,
    )


def draft_from_lines(session: Session, actor: User, company_id: int, fields: list[LineFields]) -> Invoice:
    """A draft of free lines typed by finance."""
    problems = {
        f"lines.{i}.{name}": message for i, line in enumerate(fields) for name, message in line_problems(line).items()
    }
    require_valid(problems)
    return invoices.draft(session, actor, company_id, [core_line(line) for line in fields])


def line_of(invoice: Invoice, line_id: int) -> InvoiceLine:
    line = next((line for line in invoice.lines if line.id == line_id), None)
    if line is None:
        raise NotFound("发票明细行不存在")
    return line


def add_line(session: Session, actor: User, invoice: Invoice, fields: LineFields) -> InvoiceLine:
    invoices.require_draft(invoice)
    require_valid(line_problems(fields))
    position = max((line.position for line in invoice.lines), default=0) + 1
    line = invoices.row(position, core_line(fields))
    invoice.lines.append(line)
    totals = invoices.refresh_totals(invoice)
    session.flush()
    audit.record(
        session,
        actor,
        "invoice.line_added",
        "invoice",
        invoice.id,
        line_id=line.id,
        **_described(fields),
        total=totals.total,
    )
    return line


def update_line(session: Session, actor: User, invoice: Invoice, line_id: int, fields: LineFields) -> InvoiceLine:
    invoices.require_draft(invoice)
    line = line_of(invoice, line_id)
    require_valid(line_problems(fields))
    core = core_line(fields)
    old = {"quantity": line.quantity, "unit_price": line.unit_price, "amount": line.amount}
    line.description, line.quantity, line.unit = core.description, core.quantity, core.unit
    line.unit_price, line.tax_rate, line.is_service, line.discount = (
        core.unit_price.amount,
        core.tax_rate,
        core.is_service,
        core.discount,
    )
    totals = invoices.refresh_totals(invoice)
    audit.record(
        session,
        actor,
        "invoice.line_changed",
        "invoice",
        invoice.id,
        line_id=line.id,
        old=old,
        **_described(fields),
        total=totals.total,
    )
    return line


def delete_line(session: Session, actor: User, invoice: Invoice, line_id: int) -> None:
    invoices.require_draft(invoice)
    line = line_of(invoice, line_id)
    invoice.lines.remove(line)
    totals = invoices.refresh_totals(invoice)
    audit.record(
        session,
        actor,
        "invoice.line_deleted",
        "invoice",
        invoice.id,
        line_id=line_id,
        description=line.description,
        amount=line.amount,
        total=totals.total,
    )


def _described(fields: LineFields) -> dict:
    return {
        "description": fields.description,
        "quantity": fields.quantity,
        "unit_price": fields.unit_price,
        "tax_rate": fields.tax_rate,
        "is_service": fields.is_service,
    }
