"""Bookings (a company's request for fermenter capacity) and their allocations on vessels."""

import enum
from datetime import datetime
from decimal import Decimal

from sqlalchemy import Boolean, CheckConstraint, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.accounts import Company, User
from app.models.base import Base, enum_column
from app.models.inventory import Equipment, Kind
from app.platform.clock import system_clock
from app.platform.types import Fen, Milli, UTCDateTime


class Service(enum.StrEnum):
    SCALE_UP = "scale_up"
    PRODUCTION = "production"
    EXTRACTION = "extraction"


class BookingStatus(enum.StrEnum):
    REQUESTED = "requested"
    CONFIRMED = "confirmed"
    RUNNING = "running"
    COMPLETED = "completed"
    INVOICED = "invoiced"
    REJECTED = "rejected"
    CANCELLED = "cancelled"
    CONFLICTED = "conflicted"  # its placement is broken by a breakdown or an overrun; it still holds its vessels
    ABORTED = "aborted"


class AbortCause(enum.StrEnum):
    CONTAMINATION = "contamination"
    EQUIPMENT_FAILURE = "equipment_failure"
    CUSTOMER_REQUEST = "customer_request"


class Stage(enum.StrEnum):
    SEED = "seed"
    MAIN = "main"
    DOWNSTREAM = "downstream"


class Booking(Base):
    __tablename__ = "bookings"
    __table_args__ = (
        CheckConstraint("working_volume_l > 0", name="volume_positive"),
        CheckConstraint("duration_h > 0", name="duration_positive"),
        CheckConstraint("earliest_start < latest_end", name="window_ordered"),
        Index("ix_bookings_company_status", "company_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(20), unique=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id"))
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    service: Mapped[Service] = mapped_column(enum_column(Service, "service"))
    kind: Mapped[Kind] = mapped_column(enum_column(Kind, "booking_kind"))
    working_volume_l: Mapped[float] = mapped_column(Float)
    duration_h: Mapped[float] = mapped_column(Float)
    earliest_start: Mapped[datetime] = mapped_column(UTCDateTime)
    latest_end: Mapped[datetime] = mapped_column(UTCDateTime)
    organism: Mapped[str] = mapped_column(String(200))
    organism_family: Mapped[str] = mapped_column(String(100), default="")
    biosafety_level: Mapped[int] = mapped_column(Integer, default=1)
    extraction: Mapped[str] = mapped_column(Text, default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[BookingStatus] = mapped_column(
        enum_column(BookingStatus, "booking_status"), default=BookingStatus.REQUESTED
    )
    status_reason: Mapped[str] = mapped_column(String(500), default="")
    quote_subtotal: Mapped[Decimal | None] = mapped_column(Fen)
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime, default=system_clock)
    hold_until: Mapped[datetime | None] = mapped_column(UTCDateTime)  # an unconfirmed request's vessels free then
    actual_start: Mapped[datetime | None] = mapped_column(UTCDateTime)
    actual_end: Mapped[datetime | None] = mapped_column(UTCDateTime)
    steam_t: Mapped[Decimal | None] = mapped_column(Milli)
    power_kwh: Mapped[Decimal | None] = mapped_column(Milli)
    operator_h: Mapped[Decimal | None] = mapped_column(Milli)
    samples: Mapped[int | None] = mapped_column(Integer)
    abort_cause: Mapped[AbortCause | None] = mapped_column(enum_column(AbortCause, "abort_cause"))
    previous_times: Mapped[str] = mapped_column(Text, default="", server_default="")  # JSON: the times before a change
    contract_id: Mapped[int | None] = mapped_column(ForeignKey("contracts.id"), index=True)

    company: Mapped[Company] = relationship()
    requested_by: Mapped[User | None] = relationship()
    allocations: Mapped[list["Allocation"]] = relationship(
        back_populates="booking", order_by="Allocation.start", cascade="all, delete-orphan"
    )
    materials: Mapped[list["MaterialUse"]] = relationship(back_populates="booking", cascade="all, delete-orphan")

    @property
    def broken(self) -> bool:
        """Whether a fact of the plant broke its placement: conflicted, or a request whose vessels a fact took."""
        return self.status == BookingStatus.CONFLICTED or any(a.in_conflict for a in self.allocations if a.active)


class Allocation(Base):
    """One stage of a booking on one vessel: busy [start, end), occupied until end + turnaround."""

    __tablename__ = "allocations"
    __table_args__ = (
        CheckConstraint('start < "end"', name="ordered"),
        CheckConstraint('"end" <= occupied_until', name="turnaround_after_end"),
        Index("ix_allocations_equipment_start", "equipment_id", "start"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    booking_id: Mapped[int] = mapped_column(ForeignKey("bookings.id"), index=True)
    equipment_id: Mapped[int] = mapped_column(ForeignKey("equipment.id"))
    stage: Mapped[Stage] = mapped_column(enum_column(Stage, "stage"))
    start: Mapped[datetime] = mapped_column(UTCDateTime)
    end: Mapped[datetime] = mapped_column(UTCDateTime)
    occupied_until: Mapped[datetime] = mapped_column(UTCDateTime)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    in_conflict: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")  # may overlap others

    booking: Mapped[Booking] = relationship(back_populates="allocations")
    equipment: Mapped[Equipment] = relationship()


class MaterialUse(Base):
    """A material the plant supplied to a batch, passed through at cost."""

    __tablename__ = "material_uses"

    id: Mapped[int] = mapped_column(primary_key=True)
    booking_id: Mapped[int] = mapped_column(ForeignKey("bookings.id"), index=True)
    description: Mapped[str] = mapped_column(String(200))
    quantity: Mapped[Decimal] = mapped_column(Milli)
    unit: Mapped[str] = mapped_column(String(20), default="")
    unit_cost: Mapped[Decimal] = mapped_column(Fen)

    booking: Mapped[Booking] = relationship(back_populates="materials")
