"""A booking's audit log, for staff: every request, state change, move and invoice, oldest first."""

from flask import Blueprint, render_template
from flask_login import current_user

from app.platform.db import db_session
from app.platform.errors import NotFound
from app.services import audit
from app.services.booking import bookings
from app.web.auth import allowed

bp = Blueprint("booking_history", __name__)


@bp.errorhandler(NotFound)
def _not_found(_error):
    return render_template("error.html", code=404), 404


@bp.get("/bookings/<int:booking_id>/history")
@allowed("booking.history")
def show(booking_id: int):
    session = db_session()
    booking = bookings.visible_booking(session, current_user, booking_id)
    entries = audit.entries_for(session, "booking", booking.id)
    return render_template("booking_history/show.html", booking=booking, entries=entries)
