"""Equipment and maintenance windows."""

import re
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Booking, Equipment, EquipmentStatus, Kind, MaintenanceWindow, User
from app.platform.errors import Conflict, NotFound, ValidationFailed, require_valid
from app.platform.plant_rules import PlantRules
from app.services import audit
from app.services.plan.plan_cache import lock_plan_changes
from app.services.plan.plan_check import refresh_conflicts
from app.services.rows import by_id
from scheduler.equipment_rules import EquipmentSpec, default_working_window, equipment_problems

#: an equipment code: it appears in URLs, calendar feeds and file names, so letters (upper case), digits, - and _
CODE_PATTERN = r"^[A-Z0-9][A-Z0-9_-]{0,31}$"
CODE_RULE = "设备编号须为 1–32 位大写字母、数字、短横线或下划线，以字母或数字开头（如 LF100-1）"


def equipment_code(text: str) -> str:
    """The code as stored (trimmed, upper case); ValidationFailed when it does not follow CODE_PATTERN."""
    code = text.strip().upper()
    if not re.fullmatch(CODE_PATTERN, code):
        raise ValidationFailed(CODE_RULE, {"code": CODE_RULE})
    return code


@dataclass(frozen=True)
class EquipmentFields:
    code: str
    name: str
    kind: str
    nominal_volume_l: float
    min_working_volume_l: float | None = None
    max_working_volume_l: float | None = None
    turnaround_h: float = 6.0
    changeover_h: float = 0.0
    biosafety_level: int = 1
    throughput_l_per_h: float | None = None
    unit_type: str = ""
    description: str = ""

    def spec(self) -> EquipmentSpec:
        return EquipmentSpec(
            self.kind,
            self.nominal_volume_l,
            self.min_working_volume_l,
            self.max_working_volume_l,
            self.turnaround_h,
            self.changeover_h,
            self.biosafety_level,
            self.throughput_l_per_h,
        )


def with_default_window(fields: EquipmentFields) -> EquipmentFields:
    """Fill an empty working-volume window with the kind's default fractions of nominal."""
    if fields.kind not in {k.value for k in Kind} or fields.nominal_volume_l <= 0:
        return fields
    low, high = default_working_window(fields.kind, fields.nominal_volume_l)
    return replace(
        fields,
        min_working_volume_l=low if fields.min_working_volume_l is None else fields.min_working_volume_l,
        max_working_volume_l=high if fields.max_working_volume_l is None else fields.max_working_volume_l,
    )


def list_equipment(
    session: Session,
    kind: str | None = None,
    min_volume: float | None = None,
    max_volume: float | None = None,
    include_retired: bool = False,
) -> list[Equipment]:
    query = select(Equipment).order_by(Equipment.kind, Equipment.nominal_volume_l, Equipment.code)
    if kind:
        query = query.where(Equipment.kind == kind)
    if min_volume is not None:
        query = query.where(Equipment.nominal_volume_l >= min_volume)
    if max_volume is not None:
        query = query.where(Equipment.nominal_volume_l <= max_volume)
    if not include_retired:
        query = query.where(Equipment.status != EquipmentStatus.RETIRED)
    return list(session.scalars(query))


def equipment_by_code(session: Session, code: str) -> Equipment:
    equipment = session.scalar(select(Equipment).where(Equipment.code == code))
    if equipment is None:
        raise NotFound(f"设备 {code} 不存在")
    return equipment


def add_equipment(session: Session, actor: User | None, fields: EquipmentFields) -> Equipment:
    fields = with_default_window(replace(fields, code=equipment_code(fields.code)))
    require_valid(equipment_problems(fields.spec()))
    if session.scalar(select(Equipment.id).where(Equipment.code == fields.code)):
        raise Conflict(f"设备编号 {fields.code} 已存在", {"code": "设备编号已存在"})
    equipment = Equipment(**{**fields.__dict__, "kind": Kind(fields.kind)})
    session.add(equipment)
    session.flush()
    _record_change(session, actor, "equipment.added", equipment.code, **fields.__dict__)
    return equipment


def update_equipment(session: Session, actor: User, equipment: Equipment, fields: EquipmentFields) -> None:
    """Change an item's fields (its code stays)."""
    fields = with_default_window(replace(fields, code=equipment.code))
    require_valid(equipment_problems(fields.spec()))
    for name, value in {**fields.__dict__, "kind": Kind(fields.kind)}.items():
        setattr(equipment, name, value)
    _record_change(session, actor, "equipment.updated", equipment.code, **fields.__dict__)


STATUS_NAMES = {
    EquipmentStatus.ACTIVE: "可用",
    EquipmentStatus.MAINTENANCE: "维护中",
    EquipmentStatus.RETIRED: "已停用",
}


def set_status(
    session: Session, actor: User, equipment: Equipment, status: str, rules: PlantRules, now: datetime
) -> list[Booking]:
    """A new status; the bookings on a vessel taken out of service become conflicted (returned, with any mended)."""
    if status not in {s.value for s in EquipmentStatus}:
        raise ValidationFailed("状态无效", {"status": "状态应为 active、maintenance 或 retired"})
    old, equipment.status = equipment.status, EquipmentStatus(status)
    _record_change(session, actor, "equipment.status", equipment.code, old=old, new=status)
    return refresh_conflicts(session, actor, rules, now, f"设备 {equipment.code} {STATUS_NAMES[equipment.status]}")


def add_maintenance(
    session: Session,
    actor: User,
    equipment: Equipment,
    start: datetime,
    end: datetime,
    reason: str,
    rules: PlantRules,
    now: datetime,
) -> tuple[MaintenanceWindow, list[Booking]]:
    """A maintenance window (a breakdown, too: it cannot be refused), and the bookings it conflicts."""
    if end <= start:
        raise ValidationFailed("维护结束时间须晚于开始时间", {"end": "结束时间须晚于开始时间"})
    window = MaintenanceWindow(equipment_id=equipment.id, start=start, end=end, reason=reason.strip())
    session.add(window)
    session.flush()
    _record_change(session, actor, "maintenance.added", equipment.code, start=start, end=end, reason=reason)
    return window, refresh_conflicts(
        session, actor, rules, now, f"设备 {equipment.code} 维护：{reason.strip() or '维护窗口'}"
    )


def remove_maintenance(
    session: Session, actor: User, window_id: int, rules: PlantRules, now: datetime
) -> list[Booking]:
    """Remove a window; the conflicted bookings it alone broke are confirmed again (returned)."""
    window = by_id(session, MaintenanceWindow, window_id)
    if window is None:
        raise NotFound("维护窗口不存在")
    _record_change(session, actor, "maintenance.removed", window.equipment.code, start=window.start, end=window.end)
    session.delete(window)
    return refresh_conflicts(session, actor, rules, now, f"设备 {window.equipment.code} 维护窗口已取消")


def _record_change(session: Session, actor: User | None, action: str, code: str, /, **details) -> None:
    """The audit entry of a change to the fleet, under the plan lock: an "equipment" entry rebuilds every plan."""
    lock_plan_changes(session)
    audit.record(session, actor, action, "equipment", code, **details)
