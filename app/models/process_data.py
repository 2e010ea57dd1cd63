"""Process data imported from a fermenter's control system: versions per booking, tags, compressed chunks."""

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.accounts import User
from app.models.base import Base
from app.models.inventory import Equipment
from app.platform.clock import system_clock
from app.platform.types import UTCDateTime


class TagMapping(Base):
    """A vessel's saved mapping of its control system's export (JSON of `app.services.batch.trend_files.Mapping`)."""

    __tablename__ = "tag_mappings"

    equipment_id: Mapped[int] = mapped_column(ForeignKey("equipment.id"), primary_key=True)
    mapping: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=system_clock)


class ProcessDataSet(Base):
    """One upload of a batch's trends; a re-upload is the next version and the newest is the batch's data."""

    __tablename__ = "process_data_sets"
    __table_args__ = (UniqueConstraint("booking_id", "version", name="uq_process_data_sets_booking_version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    booking_id: Mapped[int] = mapped_column(ForeignKey("bookings.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    equipment_id: Mapped[int] = mapped_column(ForeignKey("equipment.id"))
    filename: Mapped[str] = mapped_column(String(255))
    rows: Mapped[int] = mapped_column(Integer)
    start: Mapped[datetime] = mapped_column(UTCDateTime)
    end: Mapped[datetime] = mapped_column(UTCDateTime)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=system_clock)

    equipment: Mapped[Equipment] = relationship()
    uploaded_by: Mapped[User | None] = relationship()
    tags: Mapped[list["ProcessTag"]] = relationship(order_by="ProcessTag.id", cascade="all, delete-orphan")


class ProcessTag(Base):
    __tablename__ = "process_tags"
    __table_args__ = (UniqueConstraint("data_set_id", "name", name="uq_process_tags_data_set_name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    data_set_id: Mapped[int] = mapped_column(ForeignKey("process_data_sets.id"))
    name: Mapped[str] = mapped_column(String(100))
    unit: Mapped[str] = mapped_column(String(30), default="")
    points: Mapped[int] = mapped_column(Integer)
    stored_bytes: Mapped[int] = mapped_column(Integer)


class ProcessChunk(Base):
    """Up to a few thousand points of one tag (see `app.platform.trend_codec`); [first_at, last_at] both included."""

    __tablename__ = "process_chunks"
    __table_args__ = (Index("ix_process_chunks_tag_last_at", "tag_id", "last_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    tag_id: Mapped[int] = mapped_column(ForeignKey("process_tags.id"))
    first_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_at: Mapped[datetime] = mapped_column(UTCDateTime)
    count: Mapped[int] = mapped_column(Integer)
    times: Mapped[bytes] = mapped_column(LargeBinary)
    values: Mapped[bytes] = mapped_column(LargeBinary)


class ProcessUpload(Base):
    """An uploaded export waiting for its import job; the job removes it, whether it succeeds or fails."""

    __tablename__ = "process_uploads"

    id: Mapped[int] = mapped_column(primary_key=True)
    booking_id: Mapped[int] = mapped_column(ForeignKey("bookings.id"))
    filename: Mapped[str] = mapped_column(String(255))
    data: Mapped[bytes] = mapped_column(LargeBinary)
    mapping: Mapped[str | None] = mapped_column(Text)  # JSON, when given with the upload (then saved for the vessel)
    uploaded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=system_clock)
