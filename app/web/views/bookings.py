"""Customer pages: find a slot, request a booking, follow and cancel one's bookings."""

from datetime import timedelta

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.documents.board import build_board
from app.documents.mail import notify_booking
from app.platform.context import current_context
from app.platform.db import db_session
from app.platform.errors import DomainError
from app.platform.timefmt import local_to_utc, parse_iso, to_local
from app.services.batch import acceptance
from app.services.booking import availability, booking_states, bookings, waitlist
from app.services.booking.placements import previous_placements
from app.services.finance import pricing
from app.web.auth import allowed
from app.web.forms import BookingForm, ReasonForm
from app.web.record_forms import AnswerForm
from app.web.views import show_domain_error

bp = Blueprint("bookings", __name__, url_prefix="/bookings")


def booking_input(form: BookingForm) -> bookings.BookingInput:
    unit = form.extraction_unit.data or None
    return bookings.BookingInput(
        service=form.service.data,
        kind=form.kind.data,
        working_volume_l=form.working_volume_l.data,
        duration_h=form.duration_h.data,
        earliest_start=local_to_utc(form.earliest_start.data, current_context().tz),
        latest_end=local_to_utc(form.latest_end.data, current_context().tz),
        organism=form.organism.data.strip(),
        organism_family=(form.organism_family.data or "").strip(),
        biosafety_level=form.biosafety_level.data,
        extraction={"unit_type": unit} if unit else None,
        notes=form.notes.data or "",
        equipment=form.equipment.data or None,
        start=parse_iso(form.start.data, current_context().tz) if form.start.data else None,
    )


@bp.get("/")
@allowed("booking.browse")
def index():
    status = request.args.get("status")
    page = bookings.booking_page(db_session(), current_user, status, request.args.get("page", 1, type=int))
    return render_template("bookings/index.html", page=page, status=status)


@bp.route("/new", methods=["GET", "POST"])
@allowed("booking.request")
def new():
    form = BookingForm()
    if request.method == "GET":
        start = to_local(current_context().now(), current_context().tz).replace(
            hour=8, minute=0, second=0, microsecond=0
        ) + timedelta(days=2)
        form.earliest_start.data, form.latest_end.data = (
            start.replace(tzinfo=None),
            (start + timedelta(days=28)).replace(tzinfo=None),
        )
    if not form.validate_on_submit():
        form.form_errors.extend(form.equipment.errors + form.start.errors)  # a chosen slot's hidden fields
        return render_template("bookings/new.html", form=form), 422 if form.is_submitted() else 200
    if request.form.get("action") == "search":
        return _search(form)
    if request.form.get("action") == "wait":
        return _wait(form)
    return _book(form)


def _wait(form: BookingForm):
    """Join the waiting list with this request (offers are made on the waiting-list page)."""
    session = db_session()
    try:
        entry = waitlist.join(
            session, current_user, booking_input(form), current_context().now(), current_context().rules.limits
        )
    except DomainError as error:
        session.rollback()
        show_domain_error(form, error)
        return render_template("bookings/new.html", form=form), error.status
    session.commit()
    flash(_("Request WL-%(id)s is on the waiting list.", id=entry.id), "success")
    return redirect(url_for("waitlist.index"))


def _search(form: BookingForm):
    session = db_session()
    try:
        found = availability.find_slots(
            session,
            booking_input(form),
            current_context(),
            priced_for=current_user.company,
        )
    except DomainError as error:
        show_domain_error(form, error)
        return render_template("bookings/new.html", form=form), error.status
    first_day = to_local(booking_input(form).earliest_start, current_context().tz).date()
    board = build_board(
        session, first_day, 14, current_context().tz, found.vessels, own_company=current_user.company_id
    )
    return render_template("bookings/new.html", form=form, found=found, board=board)


def _book(form: BookingForm):
    session = db_session()
    try:
        booking = bookings.request_booking(
            session,
            current_user,
            booking_input(form),
            current_context(),
        )
    except DomainError as error:
        session.rollback()
        show_domain_error(form, error)
        return render_template("bookings/new.html", form=form), error.status
    session.commit()
    notify_booking(booking, "requested")
    flash(_("Booking %(reference)s requested.", reference=booking.reference), "success")
    return redirect(url_for("bookings.show", booking_id=booking.id))


@bp.get("/<int:booking_id>")
@allowed("booking.browse")
def show(booking_id: int):
    session = db_session()
    booking = bookings.visible_booking(session, current_user, booking_id)
    quote = pricing.estimate(session, booking, current_context())
    return render_template(
        "bookings/show.html",
        booking=booking,
        quote=quote,
        cancelling=pricing.cancellation_preview(session, booking, current_context()),
        standing=acceptance.standing(session, booking, current_context().now()),
        answer_form=AnswerForm(formdata=None),
        previous=previous_placements(booking),
    )


@bp.route("/<int:booking_id>/cancel", methods=["GET", "POST"])
@allowed("booking.browse")
def cancel(booking_id: int):
    """GET: the confirmation step, with the fee cancelling now would cost; POST: cancel."""
    session = db_session()
    booking = bookings.visible_booking(session, current_user, booking_id)
    form = ReasonForm()
    if request.method == "GET":
        return render_template(
            "bookings/cancel.html",
            booking=booking,
            form=form,
            cancelling=pricing.cancellation_preview(session, booking, current_context()),
        )
    try:
        booking_states.transition(
            session,
            current_user,
            booking,
            "cancel",
            current_context().rules,
            current_context().now(),
            form.reason.data or "",
            cache=current_context().plan_cache,
        )
    except DomainError as error:
        session.rollback()
        flash(error.message, "error")
    else:
        session.commit()
        notify_booking(booking, "cancel")
        flash(_("Booking %(reference)s cancelled.", reference=booking.reference), "success")
    return redirect(url_for("bookings.show", booking_id=booking_id))
