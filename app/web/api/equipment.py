"""Equipment catalogue and maintenance windows."""

from flask import jsonify

from app.documents.mail import notify_changed
from app.models import Equipment, MaintenanceWindow
from app.platform.context import current_context
from app.platform.db import db_session
from app.platform.timefmt import as_utc
from app.services.plan import inventory
from app.web.api.core import ANYONE, current, endpoint
from app.web.api.schemas import EquipmentIn, EquipmentQuery, MaintenanceIn
from app.web.api.times import api_time


def equipment_json(item: Equipment) -> dict:
    return {
        "code": item.code,
        "name": item.name,
        "kind": item.kind.value,
        "unit_type": item.unit_type,
        "nominal_volume_l": item.nominal_volume_l,
        "min_working_volume_l": item.min_working_volume_l,
        "max_working_volume_l": item.max_working_volume_l,
        "throughput_l_per_h": item.throughput_l_per_h,
        "turnaround_h": item.turnaround_h,
        "changeover_h": item.changeover_h,
        "biosafety_level": item.biosafety_level,
        "status": item.status.value,
    }


def maintenance_json(window: MaintenanceWindow) -> dict:
    return {
        "id": window.id,
        "equipment": window.equipment.code,
        "start": api_time(window.start),
        "end": api_time(window.end),
        "reason": window.reason,
    }


@endpoint("/equipment", "GET", "The equipment catalogue", ANYONE, query=EquipmentQuery)
def list_equipment(query: EquipmentQuery):
    items = inventory.list_equipment(db_session(), query.kind)
    return jsonify({"items": [equipment_json(item) for item in items]})


@endpoint(
    "/equipment",
    "POST",
    "Add equipment (operator)",
    "equipment.edit",
    body=EquipmentIn,
    status=201,
    responses={409: "code taken", 422: "invalid input"},
)
def add_equipment(body: EquipmentIn):
    session = db_session()
    item = inventory.add_equipment(session, current(), inventory.EquipmentFields(**body.model_dump()))
    session.commit()
    return jsonify(equipment_json(item)), 201


@endpoint(
    "/equipment/<code>/maintenance",
    "POST",
    "Schedule a maintenance window (operator)",
    "equipment.edit",
    body=MaintenanceIn,
    status=201,
    responses={404: "unknown equipment", 422: "invalid input"},
)
def add_maintenance(code: str, body: MaintenanceIn):
    session = db_session()
    item = inventory.equipment_by_code(session, code)
    window, changed = inventory.add_maintenance(
        session,
        current(),
        item,
        as_utc(body.start),
        as_utc(body.end),
        body.reason,
        current_context().rules,
        current_context().now(),
    )
    session.commit()
    notify_changed(changed)
    return jsonify(maintenance_json(window)), 201
