"""The batch record of a booking: entries (phases, materials, assay columns, samples, deviations), electronic
signatures (sign-off, QA review, addenda) and the customer's acceptance of the batch and its usage.

Once signed off, entries cannot change or be added except with an addendum's signature, and signatures never
change: database triggers enforce it (migration 0007)."""

import enum
from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.accounts import User
from app.models.base import Base, enum_column
from app.platform.clock import system_clock
from app.platform.types import UTCDateTime


class EntryKind(enum.StrEnum):
    PHASE = "phase"
    MATERIAL = "material"
    ASSAY = "assay"  # a sample column the operator defines: name and unit
    SAMPLE = "sample"
    DEVIATION = "deviation"


class Meaning(enum.StrEnum):
    SIGNOFF = "signoff"
    REVIEW = "review"
    ADDENDUM = "addendum"


class AcceptanceState(enum.StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    DISPUTED = "disputed"


class BatchSignature(Base):
    __tablename__ = "batch_signatures"

    id: Mapped[int] = mapped_column(primary_key=True)
    booking_id: Mapped[int] = mapped_column(ForeignKey("bookings.id"), index=True)
    meaning: Mapped[Meaning] = mapped_column(enum_column(Meaning, "signature_meaning"))
    statement: Mapped[str] = mapped_column(String(300))
    reason: Mapped[str] = mapped_column(Text, default="")
    signed_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    signed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=system_clock)

    signed_by: Mapped[User] = relationship()


class BatchEntry(Base):
    __tablename__ = "batch_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    booking_id: Mapped[int] = mapped_column(ForeignKey("bookings.id"), index=True)
    kind: Mapped[EntryKind] = mapped_column(enum_column(EntryKind, "entry_kind"))
    at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    name: Mapped[str] = mapped_column(String(200))
    detail: Mapped[str] = mapped_column(Text, default="{}")  # JSON: lot, quantity, values, impact, …
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=system_clock)
    signature_id: Mapped[int | None] = mapped_column(ForeignKey("batch_signatures.id"))  # the addendum's
    supersedes_id: Mapped[int | None] = mapped_column(ForeignKey("batch_entries.id"))

    created_by: Mapped[User] = relationship()
    signature: Mapped[BatchSignature | None] = relationship()


class Acceptance(Base):
    """One round of asking the customer to accept the batch and its usage (a dispute's correction asks again)."""

    __tablename__ = "acceptances"
    __table_args__ = (UniqueConstraint("booking_id", "round", name="uq_acceptances_booking_round"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    booking_id: Mapped[int] = mapped_column(ForeignKey("bookings.id"), index=True)
    round: Mapped[int] = mapped_column(Integer)
    usage: Mapped[str] = mapped_column(Text)  # JSON: what the customer is asked to accept
    asked_at: Mapped[datetime] = mapped_column(UTCDateTime)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    state: Mapped[AcceptanceState] = mapped_column(
        enum_column(AcceptanceState, "acceptance_state"), default=AcceptanceState.PENDING
    )
    by_silence: Mapped[bool] = mapped_column(Boolean, default=False)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    comment: Mapped[str] = mapped_column(Text, default="")

    answered_by: Mapped[User | None] = relationship()
