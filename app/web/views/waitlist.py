"""The waiting list's pages: customers see their requests and offers and answer them; staff set priorities."""

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.documents.mail import notify_booking, notify_offers
from app.models import Role
from app.platform.context import current_context
from app.platform.db import db_session
from app.platform.errors import DomainError
from app.services.booking import waitlist
from app.web.auth import roles_required

bp = Blueprint("waitlist", __name__, url_prefix="/waiting-list")
customers = roles_required(Role.CUSTOMER)
operators = roles_required(Role.OPERATOR, Role.ADMIN)


@bp.get("/")
@login_required
def index():
    session = db_session()
    offered = waitlist.settle(
        session,
        current_context(),
        current_app.config["WAITLIST_HOLD"],
    )
    session.commit()
    notify_offers(offered)
    return render_template(
        "waitlist/index.html", items=waitlist.entries(session, current_user), request_of=waitlist.request_of
    )


def _answer(entry_id: int, change) -> None:
    """One service call on the customer's entry: commit, or show why not."""
    session = db_session()
    entry = waitlist.visible_entry(session, current_user, entry_id)
    try:
        booking = change(session, entry)
    except DomainError as error:
        session.rollback()
        flash(error.message, "error")
        return
    session.commit()
    if booking is not None:
        notify_booking(booking, "requested")
        flash(_("Booking %(reference)s requested.", reference=booking.reference), "success")


@bp.post("/<int:entry_id>/accept")
@customers
def accept(entry_id: int):
    _answer(
        entry_id,
        lambda session, entry: waitlist.accept(session, current_user, entry, current_context()),
    )
    return redirect(url_for("waitlist.index"))


@bp.post("/<int:entry_id>/decline")
@customers
def decline(entry_id: int):
    _answer(entry_id, lambda session, entry: waitlist.decline(session, current_user, entry))
    return redirect(url_for("waitlist.index"))


@bp.post("/<int:entry_id>/priority")
@operators
def priority(entry_id: int):
    value = request.form.get("priority", type=int)
    if value is None or not 0 <= value <= 1000:
        flash(_("The priority is a whole number from 0 to 1000."), "error")
    else:
        _answer(entry_id, lambda session, entry: waitlist.set_priority(session, current_user, entry, value))
    return redirect(url_for("waitlist.index"))
