"""Operators keep the batch record on the batch page: entries, signatures and addenda (each one service call)."""

from flask import Blueprint, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.platform.batch_settings import acceptance_days, phases_for
from app.platform.context import current_context
from app.platform.db import db_session
from app.platform.errors import DomainError
from app.services.batch import acceptance, batch_record
from app.services.booking import bookings
from app.web.auth import allowed
from app.web.record_forms import AddendumForm, AnswerForm, EntryForm, SignatureForm

bp = Blueprint("batch_record", __name__, url_prefix="/bookings")


def _act(booking_id: int, form, action, done: str, anchor: str = "#record"):
    """Check the form's shape, run the service call, commit; the outcome is flashed on the batch page."""
    session = db_session()
    booking = bookings.visible_booking(session, current_user, booking_id)
    if not form.validate_on_submit():
        problems = [f"{field.label.text}：{error}" for field in form for error in field.errors]
        flash("；".join(problems) or _("Please check the form."), "error")
    else:
        try:
            action(session, booking)
        except DomainError as error:
            session.rollback()
            flash(error.message + "".join(f"（{m}）" for m in error.fields.values() if m != error.message), "error")
        else:
            session.commit()
            flash(done, "success")
    return redirect(url_for("batch.show", booking_id=booking_id) + anchor)


@bp.post("/<int:booking_id>/batch/entries")
@allowed("batch.record")
def add_entry(booking_id: int):
    form = EntryForm()
    return _act(
        booking_id,
        form,
        lambda session, booking: batch_record.add_entry(
            session, current_user, booking, form.entry(), phases_for(booking.service.value)
        ),
        _("Entry recorded."),
    )


@bp.post("/<int:booking_id>/batch/signatures")
@allowed("batch.record")
def sign(booking_id: int):
    form = SignatureForm()
    return _act(
        booking_id,
        form,
        lambda session, booking: batch_record.sign(
            session,
            current_user,
            booking,
            form.meaning.data,
            form.password.data,
            current_context().now(),
            acceptance_days(),
        ),
        _("Signed."),
    )


@bp.post("/<int:booking_id>/batch/addenda")
@allowed("batch.record")
def add_addendum(booking_id: int):
    form = AddendumForm()
    return _act(
        booking_id,
        form,
        lambda session, booking: batch_record.add_addendum(
            session,
            current_user,
            booking,
            form.entry(),
            form.supersedes.data,
            form.reason.data,
            form.password.data,
            current_context().now(),
            phases_for(booking.service.value),
            acceptance_days(),
        ),
        _("Addendum signed."),
    )


@bp.post("/<int:booking_id>/acceptance")
@allowed("acceptance.answer")
def answer(booking_id: int):
    form = AnswerForm()
    accept = request.form.get("decision") == "accept"
    return _act(
        booking_id,
        form,
        lambda session, booking: acceptance.answer(
            session, current_user, booking, accept, form.comment.data or "", current_context().now()
        ),
        _("Thank you: your answer is recorded."),
        "#acceptance",
    )
