"""Service contracts (委托协议) and the prepayments received on them."""

import enum
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, Date, ForeignKey, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.accounts import Company
from app.models.base import Base, enum_column
from app.platform.clock import system_clock
from app.platform.types import Fen, UTCDateTime


class ContractStatus(enum.StrEnum):
    ACTIVE = "active"
    CLOSED = "closed"
    TERMINATED = "terminated"


class Contract(Base):
    """A service contract (委托协议) grouping a customer's bookings, invoices and prepayments."""

    __tablename__ = "contracts"
    __table_args__ = (
        CheckConstraint("amount > 0", name="amount_positive"),
        CheckConstraint("prepayment >= 0", name="prepayment_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(32), unique=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    services: Mapped[str] = mapped_column(Text, default="")
    amount: Mapped[Decimal] = mapped_column(Fen)
    prepayment: Mapped[Decimal] = mapped_column(Fen, default=Decimal(0))  # agreed to be paid in advance
    signed_on: Mapped[date] = mapped_column(Date)
    valid_until: Mapped[date | None] = mapped_column(Date)
    status: Mapped[ContractStatus] = mapped_column(
        enum_column(ContractStatus, "contract_status"), default=ContractStatus.ACTIVE
    )
    scan: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)  # the signed PDF
    scan_name: Mapped[str] = mapped_column(String(200), default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=system_clock)

    company: Mapped[Company] = relationship()
    prepayments: Mapped[list["Prepayment"]] = relationship(back_populates="contract", order_by="Prepayment.received_on")


class Prepayment(Base):
    """Money received in advance on a contract; applied to its invoices as payments."""

    __tablename__ = "prepayments"
    __table_args__ = (CheckConstraint("amount > 0", name="amount_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contracts.id"), index=True)
    amount: Mapped[Decimal] = mapped_column(Fen)
    received_on: Mapped[date] = mapped_column(Date)
    reference: Mapped[str] = mapped_column(String(100), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=system_clock)

    contract: Mapped[Contract] = relationship(back_populates="prepayments")
