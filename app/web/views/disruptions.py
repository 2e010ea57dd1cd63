"""Pages for when the plant departs from the plan: extend or abort a running batch, repair the plan, and the
customer's answer to changed times."""

import json

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.documents.mail import notify_booking, notify_changed
from app.jobs.optimiser_job import proposal_json
from app.platform.context import current_context
from app.platform.db import db_session
from app.platform.errors import DomainError
from app.platform.timefmt import local_to_utc, parse_iso
from app.services.batch import disruptions
from app.services.batch.usage import RecordedUsage
from app.services.booking import booking_states, bookings, lifecycle
from app.services.plan import repair, schedule
from app.web.auth import allowed
from app.web.forms import AbortForm, ExtendForm, UsageForm
from app.web.views import show_domain_error

bp = Blueprint("disruptions", __name__)


def record_change(booking, event: str, action, form=None) -> bool:
    """Run one service call that changes `booking` (it returns the other bookings it conflicted or mended): commit
    and tell the customers; or roll back and show the refusal on the form (or as a message)."""
    session = db_session()
    try:
        changed = action()
    except DomainError as error:
        session.rollback()
        if form is None:
            flash(error.message, "error")
        else:
            show_domain_error(form, error)
        return False
    session.commit()
    notify_booking(booking, event)
    notify_changed(changed)
    flash(
        _(
            "Booking %(reference)s: %(status)s",
            reference=booking.reference,
            status=lifecycle.STATUS_NAMES[booking.status],
        ),
        "success",
    )
    return True


def _batch_page(booking_id: int, form, event: str, change):
    """The form of a change to a running batch; `change(session, booking)` is its service call."""
    session = db_session()
    booking = bookings.visible_booking(session, current_user, booking_id)
    if form.validate_on_submit() and record_change(booking, event, lambda: change(session, booking), form):
        return redirect(url_for("bookings.show", booking_id=booking_id))
    status = 422 if form.is_submitted() else 200
    return render_template(f"disruptions/{event}.html", booking=booking, form=form), status


@bp.route("/operations/bookings/<int:booking_id>/extend", methods=["GET", "POST"])
@allowed("booking.operate")
def extend(booking_id: int):
    form = ExtendForm()
    return _batch_page(
        booking_id,
        form,
        "extend",
        lambda session, booking: disruptions.extend(
            session,
            current_user,
            booking,
            local_to_utc(form.expected_end.data, current_context().tz),
            form.reason.data,
            current_context().rules,
            current_context().now(),
        ),
    )


@bp.route("/operations/bookings/<int:booking_id>/abort", methods=["GET", "POST"])
@allowed("booking.operate")
def abort(booking_id: int):
    form = AbortForm()
    return _batch_page(
        booking_id,
        form,
        "abort",
        lambda session, booking: disruptions.abort(
            session,
            current_user,
            booking,
            form.cause.data,
            form.reason.data,
            usage_from(form),
            current_context().rules,
            current_context().now(),
            form.rerun.data,
        ),
    )


def usage_from(form: UsageForm) -> RecordedUsage:
    """The usage a completion or abort form recorded (blank: none)."""
    return RecordedUsage(**{name: form[name].data or 0 for name in RecordedUsage().recorded()})


def _preview(status: int = 200):
    try:
        proposal = repair.propose_repair(db_session(), current_context())
    except DomainError as error:
        flash(error.message, "error")
        return render_template("disruptions/repair.html", proposal=None, moves_json="{}"), error.status
    shown = proposal_json(proposal)
    moves = {
        m["booking_id"]: [[p["stage"], p["equipment"], p["start"], p["end"]] for p in m["after"]]
        for m in shown["moves"]
    }
    return render_template("disruptions/repair.html", proposal=shown, moves_json=json.dumps(moves)), status


@bp.get("/operations/repair")
@allowed("plan.schedule")
def repair_preview():
    return _preview()


@bp.post("/operations/repair")
@allowed("plan.schedule")
def repair_apply():
    """Apply the previewed repair in one step; a stale preview is refused with a fresh one (409)."""
    session = db_session()
    try:
        raw = json.loads(request.form.get("moves", ""))
        moves = {
            int(booking_id): [
                schedule.Placement(
                    stage, code, parse_iso(start, current_context().tz), parse_iso(end, current_context().tz)
                )
                for stage, code, start, end in stages
            ]
            for booking_id, stages in raw.items()
        }
        version = int(request.form.get("plan_version", ""))
    except (ValueError, TypeError, AttributeError):
        flash(_("The proposal could not be read; here is a fresh one."), "error")
        return _preview(422)
    try:
        moved = schedule.apply_moves(
            session, current_user, current_context().rules, current_context().now(), moves, version
        )
    except DomainError as error:
        session.rollback()
        flash(error.message, "error")
        return _preview(error.status)
    session.commit()
    for booking in moved:
        notify_booking(booking, "moved")
    flash(_("%(count)s bookings moved.", count=len(moved)), "success")
    return redirect(url_for("operations.board"))


@bp.post("/bookings/<int:booking_id>/accept")
@allowed("booking.browse")
def accept(booking_id: int):
    """The customer accepts the booking's new times."""
    session = db_session()
    booking = bookings.visible_booking(session, current_user, booking_id)
    record_change(
        booking,
        "accept",
        lambda: booking_states.transition(
            session,
            current_user,
            booking,
            "accept",
            current_context().rules,
            current_context().now(),
            cache=current_context().plan_cache,
        ),
    )
    return redirect(url_for("bookings.show", booking_id=booking_id))
