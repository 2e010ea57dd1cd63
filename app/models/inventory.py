"""Equipment (fermenters and downstream units) and their maintenance windows."""

import enum
from datetime import datetime

from sqlalchemy import CheckConstraint, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, enum_column
from app.platform.types import UTCDateTime


class Kind(enum.StrEnum):
    LIQUID = "liquid"
    SOLID = "solid"
    DOWNSTREAM = "downstream"


class EquipmentStatus(enum.StrEnum):
    ACTIVE = "active"
    MAINTENANCE = "maintenance"
    RETIRED = "retired"


class Equipment(Base):
    __tablename__ = "equipment"
    __table_args__ = (
        CheckConstraint("min_working_volume_l <= max_working_volume_l", name="working_window"),
        CheckConstraint("turnaround_h >= 0 AND changeover_h >= 0", name="turnaround_nonneg"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[Kind] = mapped_column(enum_column(Kind, "kind"))
    unit_type: Mapped[str] = mapped_column(String(50), default="")
    nominal_volume_l: Mapped[float] = mapped_column(Float)
    min_working_volume_l: Mapped[float] = mapped_column(Float)
    max_working_volume_l: Mapped[float] = mapped_column(Float)
    throughput_l_per_h: Mapped[float | None] = mapped_column(Float)
    turnaround_h: Mapped[float] = mapped_column(Float, default=0)
    changeover_h: Mapped[float] = mapped_column(Float, default=0)
    biosafety_level: Mapped[int] = mapped_column(Integer, default=1)
    status: Mapped[EquipmentStatus] = mapped_column(
        enum_column(EquipmentStatus, "equipment_status"), default=EquipmentStatus.ACTIVE
    )
    description: Mapped[str] = mapped_column(Text, default="")
    feed_generation: Mapped[int] = mapped_column(Integer, default=0, server_default="0")  # raised: new calendar URL

    maintenance: Mapped[list["MaintenanceWindow"]] = relationship(
        back_populates="equipment", order_by="MaintenanceWindow.start"
    )


class MaintenanceWindow(Base):
    __tablename__ = "maintenance_windows"
    __table_args__ = (CheckConstraint('start < "end"', name="ordered"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    equipment_id: Mapped[int] = mapped_column(ForeignKey("equipment.id"), index=True)
    start: Mapped[datetime] = mapped_column(UTCDateTime)
    end: Mapped[datetime] = mapped_column(UTCDateTime)
    reason: Mapped[str] = mapped_column(String(300), default="")

    equipment: Mapped[Equipment] = relationship(back_populates="maintenance")
