"""Service contracts (委托协议): the ledger, the signed scan, invoices and bookings under a contract, prepayments."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

import billing
from app.models import Booking, Company, Contract, Invoice, InvoiceKind, InvoiceStatus, Payment, Prepayment, User
from app.platform.errors import Conflict, NotFound, ValidationFailed
from app.services import audit
from app.services.finance.payments import record_payment
from app.services.finance.sequences import next_in_sequence
from app.services.rows import by_id
from app.services.subsidies.subsidy_ledger import as_fen
from billing import Money

WARN_AT = (Decimal("1.00"), Decimal("0.80"))


@dataclass(frozen=True)
class ContractFields:
    company_id: int
    title: str
    services: str
    amount: Decimal
    prepayment: Decimal
    signed_on: date
    valid_until: date | None


@dataclass(frozen=True)
class Standing:
    """A contract's invoiced (net of credit notes) and paid amounts against its own, and its prepayments."""

    invoiced: Money
    paid: Money
    prepaid: Money
    unapplied: Money
    share: Decimal  # invoiced ÷ amount
    warning: str | None


def create_contract(session: Session, actor: User, fields: ContractFields, prefix: str) -> Contract:
    """Number a new contract gap-free in the year it was signed; refused for an amount that is not positive."""
    _check(session, fields)
    contract = Contract(
        company_id=fields.company_id,
        title=fields.title.strip(),
        services=fields.services.strip(),
        amount=fields.amount,
        prepayment=fields.prepayment,
        signed_on=fields.signed_on,
        valid_until=fields.valid_until,
        created_by_id=actor.id,
    )
    seq = next_in_sequence(session, prefix, fields.signed_on.year)
    contract.number = billing.document_number(prefix, fields.signed_on.year, seq, 4)
    session.add(contract)
    session.flush()
    audit.record(
        session,
        actor,
        "contract.created",
        "contract",
        contract.id,
        number=contract.number,
        company_id=contract.company_id,
        amount=contract.amount,
    )
    return contract


def _check(session: Session, fields: ContractFields) -> None:
    problems = {}
    if session.get(Company, fields.company_id) is None:
        problems["company_id"] = "企业不存在"
    if not fields.title.strip():
        problems["title"] = "请填写合同名称"
    if not fields.amount.is_finite() or fields.amount <= 0 or fields.amount != round(fields.amount, 2):
        problems["amount"] = "合同金额须为大于零、精确到分的金额"
    elif not fields.prepayment.is_finite() or not 0 <= fields.prepayment <= fields.amount:
        problems["prepayment"] = "预付款须在零与合同金额之间"
    if fields.valid_until is not None and fields.valid_until < fields.signed_on:
        problems["valid_until"] = "有效期不能早于签订日期"
    if problems:
        raise ValidationFailed("；".join(problems.values()), problems)


def contract_from_booking(session: Session, actor: User, booking: Booking, prefix: str, today: date) -> Contract:
    """The booking's accepted quote becomes a contract in one step, and the booking belongs to it."""
    if booking.contract_id is not None:
        raise Conflict("该预约已属于合同", {"booking_id": "该预约已属于合同"})
    if not booking.quote_subtotal:
        raise ValidationFailed("该预约没有报价，不能生成合同", {"booking_id": "该预约没有报价"})
    fields = ContractFields(
        booking.company_id,
        f"中试服务委托协议 · {booking.reference}",
        f"{booking.service.value} · {booking.organism}",
        booking.quote_subtotal,
        Decimal(0),
        today,
        None,
    )
    contract = create_contract(session, actor, fields, prefix)
    booking.contract_id = contract.id
    audit.record(session, actor, "booking.contract", "booking", booking.id, contract=contract.number)
    return contract


def attach_scan(
    session: Session, actor: User, contract: Contract, filename: str, content: bytes, max_bytes: int
) -> None:
    """Keep the signed scan (a PDF within the size limit) in the database, where backups and every server see it."""
    if len(content) > max_bytes:
        limit = f"{max_bytes / 1024 / 1024:.0f} MB"
        raise ValidationFailed(f"扫描件不能超过 {limit}", {"scan": f"扫描件不能超过 {limit}"})
    if not content.startswith(b"%PDF-"):
        raise ValidationFailed("扫描件须为 PDF 文件", {"scan": "扫描件须为 PDF 文件"})
    contract.scan, contract.scan_name = content, filename[-200:] or f"{contract.number}.pdf"
    audit.record(session, actor, "contract.scan", "contract", contract.id, number=contract.number, bytes=len(content))


def assign_invoice(session: Session, actor: User, contract: Contract, invoice: Invoice) -> None:
    """Put an invoice (of the same company) under the contract."""
    if invoice.company_id != contract.company_id:
        raise ValidationFailed("发票与合同不属于同一企业", {"invoice_id": "发票与合同不属于同一企业"})
    invoice.contract_id = contract.id
    audit.record(session, actor, "invoice.contract", "invoice", invoice.id, contract=contract.number)


def record_prepayment(
    session: Session, actor: User, contract: Contract, amount: Decimal, received_on: date, reference: str, today: date
) -> Prepayment:
    if not amount.is_finite() or amount <= 0 or amount != round(amount, 2):
        raise ValidationFailed("预付款金额须为大于零、精确到分的金额", {"amount": "须为大于零、精确到分的金额"})
    if received_on > today:
        raise ValidationFailed("到账日期不能晚于今天", {"received_on": "到账日期不能晚于今天"})
    prepayment = Prepayment(
        contract_id=contract.id, amount=amount, received_on=received_on, reference=reference.strip()[:100]
    )
    session.add(prepayment)
    session.flush()
    audit.record(
        session,
        actor,
        "contract.prepayment",
        "contract",
        contract.id,
        number=contract.number,
        amount=amount,
        received_on=received_on,
    )
    return prepayment


def apply_prepayment(
    session: Session, actor: User, contract: Contract, invoice_id: int, amount: Decimal, today: date
) -> list[Payment]:
    """Pay an invoice under the contract from its unapplied prepayments, oldest first (one payment per source)."""
    invoice = session.get(Invoice, invoice_id)
    if invoice is None or invoice.contract_id != contract.id:
        raise ValidationFailed("只能用预付款支付本合同下的发票", {"invoice_id": "发票不属于本合同"})
    if amount > standing(session, contract).unapplied.amount:
        raise ValidationFailed("金额超过未使用的预付款", {"amount": "金额超过未使用的预付款"})
    payments, left = [], amount
    for prepayment, remaining in _remaining(session, contract):
        part = min(left, remaining)
        if part <= 0:
            continue
        payment = record_payment(session, actor, invoice.id, part, today, f"预付款 {contract.number}", today)
        payment.prepayment_id = prepayment.id
        payments.append(payment)
        left -= part
    return payments


def _remaining(session: Session, contract: Contract) -> list[tuple[Prepayment, Decimal]]:
    used = dict(
        session.execute(
            select(Payment.prepayment_id, func.sum(as_fen(Payment.amount)))
            .where(Payment.prepayment_id.in_([p.id for p in contract.prepayments]))
            .group_by(Payment.prepayment_id)
        ).all()
    )
    return [(p, p.amount - Money.from_fen(int(used.get(p.id) or 0)).amount) for p in contract.prepayments]


def standing(session: Session, contract: Contract) -> Standing:
    """Invoiced (issued invoices under the contract less their credit notes) and paid against the amount."""
    mine = select(Invoice.id).where(
        Invoice.contract_id == contract.id, Invoice.status == InvoiceStatus.ISSUED, Invoice.kind == InvoiceKind.INVOICE
    )
    notes = select(func.coalesce(func.sum(func.abs(as_fen(Invoice.total))), 0)).where(
        Invoice.credited_invoice_id.in_(mine), Invoice.status == InvoiceStatus.ISSUED
    )
    gross = session.scalar(select(func.coalesce(func.sum(as_fen(Invoice.total)), 0)).where(Invoice.id.in_(mine)))
    paid = session.scalar(
        select(func.coalesce(func.sum(as_fen(Payment.amount)), 0)).where(Payment.invoice_id.in_(mine))
    )
    invoiced = Money.from_fen(int(gross) - int(session.scalar(notes)))
    prepaid = Money.sum(Money(p.amount) for p in contract.prepayments)
    unapplied = Money.sum(Money(remaining) for _, remaining in _remaining(session, contract))
    share = invoiced.amount / contract.amount
    warning = next((f"已开票金额达到合同金额的 {int(level * 100)}%" for level in WARN_AT if share >= level), None)
    return Standing(invoiced, Money.from_fen(int(paid)), prepaid, unapplied, share, warning)


def list_contracts(session: Session) -> list[Contract]:
    return list(session.scalars(select(Contract).order_by(Contract.signed_on.desc(), Contract.number.desc())))


def contract_by_id(session: Session, contract_id: int) -> Contract:
    contract = by_id(session, Contract, contract_id)
    if contract is None:
        raise NotFound("合同不存在")
    return contract


def contracts_of(session: Session, company_id: int) -> list[Contract]:
    return list(session.scalars(select(Contract).where(Contract.company_id == company_id).order_by(Contract.number)))
