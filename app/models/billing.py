"""Price lists, customer groups, invoices (and credit notes), lines, payments and number sequences."""

import enum
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Boolean, CheckConstraint, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.accounts import Company, User
from app.models.base import Base, enum_column
from app.models.booking import Booking
from app.platform.clock import system_clock
from app.platform.types import Fen, Milli, UTCDateTime


class CustomerGroup(Base):
    __tablename__ = "customer_groups"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    discount: Mapped[Decimal] = mapped_column(Milli, default=Decimal(0))


class PriceList(Base):
    """A version of the price list, in force from `effective_from` (local date) until the next one."""

    __tablename__ = "price_lists"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    effective_from: Mapped[date] = mapped_column(Date, unique=True)
    handling_rate: Mapped[Decimal] = mapped_column(Milli)
    materials_tax_rate: Mapped[Decimal] = mapped_column(Milli)
    cancellation_rate: Mapped[Decimal | None] = mapped_column(Milli)
    cancellation_fixed_fee: Mapped[Decimal | None] = mapped_column(Fen)
    cancellation_tax_rate: Mapped[Decimal] = mapped_column(Milli)
    cancellation_is_service: Mapped[bool] = mapped_column(Boolean, default=False)
    cancellation_notice_h: Mapped[int] = mapped_column(Integer, default=72)
    vessel_day_step: Mapped[Decimal] = mapped_column(Milli)

    items: Mapped[list["PriceItem"]] = relationship(
        back_populates="price_list", cascade="all, delete-orphan", order_by="PriceItem.code"
    )


class PriceItem(Base):
    __tablename__ = "price_items"
    __table_args__ = (UniqueConstraint("price_list_id", "code", name="uq_price_items_list_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    price_list_id: Mapped[int] = mapped_column(ForeignKey("price_lists.id"))
    code: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(200))
    category: Mapped[str] = mapped_column(String(30))
    key: Mapped[str] = mapped_column(String(40), default="")
    unit: Mapped[str] = mapped_column(String(20))
    unit_price: Mapped[Decimal] = mapped_column(Fen)
    tax_rate: Mapped[Decimal] = mapped_column(Milli)
    is_service: Mapped[bool] = mapped_column(Boolean, default=True)

    price_list: Mapped[PriceList] = relationship(back_populates="items")


class InvoiceKind(enum.StrEnum):
    INVOICE = "invoice"
    CREDIT_NOTE = "credit_note"


class InvoiceStatus(enum.StrEnum):
    DRAFT = "draft"
    ISSUED = "issued"


class Invoice(Base):
    """An invoice or a credit note (红字), frozen once issued: amounts and customer details are copied."""

    __tablename__ = "invoices"
    __table_args__ = (
        UniqueConstraint("number", name="uq_invoices_number"),
        CheckConstraint("status = 'draft' OR (number IS NOT NULL AND issued_at IS NOT NULL)", name="issued_numbered"),
        CheckConstraint("kind = 'invoice' OR credited_invoice_id IS NOT NULL", name="credit_note_references"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[InvoiceKind] = mapped_column(enum_column(InvoiceKind, "invoice_kind"), default=InvoiceKind.INVOICE)
    status: Mapped[InvoiceStatus] = mapped_column(
        enum_column(InvoiceStatus, "invoice_status"), default=InvoiceStatus.DRAFT
    )
    number: Mapped[str | None] = mapped_column(String(32))
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id"), index=True)
    booking_id: Mapped[int | None] = mapped_column(ForeignKey("bookings.id"), index=True)
    credited_invoice_id: Mapped[int | None] = mapped_column(ForeignKey("invoices.id"), index=True)
    price_list_id: Mapped[int | None] = mapped_column(ForeignKey("price_lists.id"))
    reason: Mapped[str] = mapped_column(String(500), default="")
    subtotal: Mapped[Decimal] = mapped_column(Fen, default=Decimal(0))
    tax: Mapped[Decimal] = mapped_column(Fen, default=Decimal(0))
    total: Mapped[Decimal] = mapped_column(Fen, default=Decimal(0))
    service_subtotal: Mapped[Decimal] = mapped_column(Fen, default=Decimal(0))
    issued_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    issued_on: Mapped[date | None] = mapped_column(Date, index=True)
    due_on: Mapped[date | None] = mapped_column(Date)
    fapiao_number: Mapped[str | None] = mapped_column(String(20))
    fapiao_issued_on: Mapped[date | None] = mapped_column(Date)  # the 数电票's date on the tax platform
    contract_id: Mapped[int | None] = mapped_column(ForeignKey("contracts.id"), index=True)
    customer_name: Mapped[str] = mapped_column(String(200), default="")
    customer_uscc: Mapped[str] = mapped_column(String(18), default="")
    customer_address_phone: Mapped[str] = mapped_column(String(400), default="")
    customer_bank_account: Mapped[str] = mapped_column(String(300), default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=system_clock)

    company: Mapped[Company] = relationship()
    booking: Mapped[Booking | None] = relationship()
    credited_invoice: Mapped["Invoice | None"] = relationship(remote_side=[id], back_populates="credit_notes")
    credit_notes: Mapped[list["Invoice"]] = relationship(back_populates="credited_invoice")
    created_by: Mapped[User | None] = relationship()
    lines: Mapped[list["InvoiceLine"]] = relationship(
        back_populates="invoice", cascade="all, delete-orphan", order_by="InvoiceLine.position"
    )
    payments: Mapped[list["Payment"]] = relationship(back_populates="invoice", order_by="Payment.received_on")


class InvoiceLine(Base):
    __tablename__ = "invoice_lines"

    id: Mapped[int] = mapped_column(primary_key=True)
    invoice_id: Mapped[int] = mapped_column(ForeignKey("invoices.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    description: Mapped[str] = mapped_column(String(300))
    quantity: Mapped[Decimal] = mapped_column(Milli)
    unit: Mapped[str] = mapped_column(String(20), default="")
    unit_price: Mapped[Decimal] = mapped_column(Fen)
    discount: Mapped[Decimal] = mapped_column(Milli, default=Decimal(0))
    tax_rate: Mapped[Decimal] = mapped_column(Milli)
    is_service: Mapped[bool] = mapped_column(Boolean, default=True)
    amount: Mapped[Decimal] = mapped_column(Fen)

    invoice: Mapped[Invoice] = relationship(back_populates="lines")


class Payment(Base):
    __tablename__ = "payments"
    __table_args__ = (CheckConstraint("amount > 0", name="amount_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    invoice_id: Mapped[int] = mapped_column(ForeignKey("invoices.id"), index=True)
    amount: Mapped[Decimal] = mapped_column(Fen)
    received_on: Mapped[date] = mapped_column(Date)
    reference: Mapped[str] = mapped_column(String(100), default="")
    prepayment_id: Mapped[int | None] = mapped_column(ForeignKey("prepayments.id"))  # paid from a prepayment
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=system_clock)

    invoice: Mapped[Invoice] = relationship(back_populates="payments")


class NumberSequence(Base):
    """The last number given per (prefix, year): gap-free numbering, the row locked while issuing."""

    __tablename__ = "number_sequences"

    prefix: Mapped[str] = mapped_column(String(10), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    last: Mapped[int] = mapped_column(Integer, default=0)


class ClaimStatus(enum.StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"


class SubsidyPolicy(Base):
    """The subsidy rule for one year (rate, cap, basis), editable by admins and printed on the claim."""

    __tablename__ = "subsidy_policies"

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    rate: Mapped[Decimal] = mapped_column(Milli)
    cap: Mapped[Decimal] = mapped_column(Fen)
    basis: Mapped[str] = mapped_column(String(10), default="invoiced")
    notes: Mapped[str] = mapped_column(Text, default="")


class SubsidyClaim(Base):
    """A claim frozen at creation: figures, the counted invoices and a SHA-256 of the ledger."""

    __tablename__ = "subsidy_claims"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(20), unique=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    status: Mapped[ClaimStatus] = mapped_column(enum_column(ClaimStatus, "claim_status"), default=ClaimStatus.DRAFT)
    eligible_revenue: Mapped[Decimal] = mapped_column(Fen)
    rate: Mapped[Decimal] = mapped_column(Milli)
    cap: Mapped[Decimal] = mapped_column(Fen)
    amount: Mapped[Decimal] = mapped_column(Fen)
    invoice_count: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    snapshot: Mapped[str] = mapped_column(Text)
    verification_code: Mapped[str] = mapped_column(String(32), unique=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=system_clock)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    dossier_sha256: Mapped[str | None] = mapped_column(String(64))  # of the annexes frozen with the claim

    created_by: Mapped[User | None] = relationship()
