"""The waiting list's pages: customers see their requests and offers and answer them; staff set priorities."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.documents.mail import notify_accepted, notify_offers
from app.platform.context import current_context
from app.platform.db import db_session
from app.platform.errors import DomainError
from app.services.booking import waitlist
from app.services.booking.bookings import visible_booking
from app.web.auth import allowed

bp = Blueprint("waitlist", __name__, url_prefix="/waiting-list")


@bp.get("/")
@allowed("booking.browse")
def index():
    session = db_session()
    offered = waitlist.settle(session, current_context())
    session.commit()
    notify_offers(offered)
    return render_template(
        "waitlist/index.html", items=waitlist.entries(session, current_user), request_of=waitlist.request_of
    )


def _answer(entry_id: int, change):
    """One service call on the customer's entry: commit and answer what it returned, or show why not (None)."""
    session = db_session()
    entry = waitlist.visible_entry(session, current_user, entry_id)
    try:
        result = change(session, entry)
    except DomainError as error:
        session.rollback()
        flash(error.message, "error")
        return None
    session.commit()
    return result


@bp.post("/<int:entry_id>/accept")
@allowed("waitlist.join")
def accept(entry_id: int):
    accepted = _answer(
        entry_id,
        lambda session, entry: waitlist.accept(session, current_user, entry, current_context()),
    )
    if accepted is not None:
        notify_accepted(accepted)
        reference = accepted.booking.reference
        if accepted.moved_from is None:
            flash(_("Booking %(reference)s requested.", reference=reference), "success")
        else:
            flash(_("Booking %(reference)s moved to the earlier slot.", reference=reference), "success")
    return redirect(url_for("waitlist.index"))


@bp.post("/earlier/<int:booking_id>")
@allowed("waitlist.join")
def ask_earlier(booking_id: int):
    """Wait for an earlier slot for one's own booking (offered on the waiting-list page when one frees up)."""
    session = db_session()
    booking = visible_booking(session, current_user, booking_id)
    try:
        entry = waitlist.ask_earlier(session, current_user, booking, current_context().now())
    except DomainError as error:
        session.rollback()
        flash(error.message, "error")
    else:
        session.commit()
        flash(_("Request WL-%(id)s waits for an earlier slot.", id=entry.id), "success")
    return redirect(url_for("bookings.show", booking_id=booking_id))


@bp.app_template_global()
def earlier_wait(booking) -> dict:
    """For the booking page: the booking's wait for an earlier slot, and whether the user may ask for one."""
    session = db_session()
    return {
        "entry": waitlist.earlier_entry(session, booking),
        "may_ask": waitlist.earlier_refusal(session, current_user, booking, current_context().now()) is None,
    }


@bp.post("/<int:entry_id>/decline")
@allowed("waitlist.join")
def decline(entry_id: int):
    _answer(entry_id, lambda session, entry: waitlist.decline(session, current_user, entry))
    return redirect(url_for("waitlist.index"))


@bp.post("/<int:entry_id>/priority")
@allowed("waitlist.prioritise")
def priority(entry_id: int):
    value = request.form.get("priority", type=int)
    if value is None or not 0 <= value <= 1000:
        flash(_("The priority is a whole number from 0 to 1000."), "error")
    else:
        _answer(entry_id, lambda session, entry: waitlist.set_priority(session, current_user, entry, value))
    return redirect(url_for("waitlist.index"))
