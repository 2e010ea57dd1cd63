"""The waiting list: a request that found no slot waits for capacity to free up, then is offered a slot on hold."""

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.accounts import Company, User
from app.models.base import Base, enum_column
from app.models.booking import Booking
from app.platform.clock import system_clock
from app.platform.types import UTCDateTime


class WaitingStatus(enum.StrEnum):
    WAITING = "waiting"
    OFFERED = "offered"  # a slot is held for it until offer_expires_at
    ACCEPTED = "accepted"
    DECLINED = "declined"
    EXPIRED = "expired"


class WaitingEntry(Base):
    __tablename__ = "waiting_entries"
    __table_args__ = (Index("ix_waiting_entries_status_order", "status", "priority", "joined_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id"), index=True)
    requested_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    request: Mapped[str] = mapped_column(Text)  # JSON: the booking request as the customer filled it in
    priority: Mapped[int] = mapped_column(Integer, default=0)  # staff raise it; higher is offered first
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime, default=system_clock)
    status: Mapped[WaitingStatus] = mapped_column(
        enum_column(WaitingStatus, "waiting_status"), default=WaitingStatus.WAITING
    )
    offer_equipment: Mapped[str] = mapped_column(String(32), default="")
    offer_start: Mapped[datetime | None] = mapped_column(UTCDateTime)
    offer_end: Mapped[datetime | None] = mapped_column(UTCDateTime)
    offer_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    booking_id: Mapped[int | None] = mapped_column(ForeignKey("bookings.id"))  # the booking an accepted offer made
    # a customer's own booking waiting for an earlier slot: accepting the offer moves it there
    replaces_booking_id: Mapped[int | None] = mapped_column(ForeignKey("bookings.id"), index=True)

    company: Mapped[Company] = relationship()
    requested_by: Mapped[User] = relationship()
    replaces_booking: Mapped[Booking | None] = relationship(foreign_keys=[replaces_booking_id])
