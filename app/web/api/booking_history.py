"""A booking's audit log, for staff."""

import json

from flask import jsonify

from app.models import AuditEntry
from app.platform.db import db_session
from app.services import audit
from app.services.booking import bookings
from app.web.api.core import current, endpoint
from app.web.api.times import api_time


def entry_json(entry: AuditEntry) -> dict:
    return {
        "at": api_time(entry.at),
        "user": entry.user.email if entry.user else None,
        "action": entry.action,
        "details": json.loads(entry.details or "{}"),
    }


@endpoint(
    "/bookings/<int:booking_id>/history",
    "GET",
    "A booking's audit log, oldest first (staff)",
    "booking.history",
    responses={404: "not found"},
)
def booking_history(booking_id: int):
    session = db_session()
    booking = bookings.visible_booking(session, current(), booking_id)
    return jsonify({"items": [entry_json(e) for e in audit.entries_for(session, "booking", booking.id)]})
