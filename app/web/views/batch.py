"""The batch page: the batch's process data as SVG trend charts, and the operators' upload of trend exports."""

from datetime import timedelta

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import DateTimeLocalField, SelectMultipleField
from wtforms.validators import Optional

from app.documents.batch_report import download, record_marks
from app.documents.trend_chart import trend_chart
from app.jobs.process_import_job import start_import
from app.models import Booking, Role
from app.platform.context import current_context
from app.platform.db import db_session
from app.platform.errors import DomainError, ValidationFailed
from app.platform.timefmt import local_to_utc, to_local
from app.services.batch import acceptance, batch_record, process_data
from app.services.batch.batch_record import BatchRecord
from app.services.batch.trend_files import read_table
from app.services.booking import bookings
from app.web.auth import allowed
from app.web.process_forms import ProcessDataForm
from app.web.record_forms import AddendumForm, AnswerForm, EntryForm, SignatureForm
from app.web.views import show_domain_error

bp = Blueprint("batch", __name__, url_prefix="/bookings")
CHARTS_SHOWN = 3


class ChartForm(FlaskForm):
    class Meta:
        csrf = False

    tag = SelectMultipleField(choices=[], validate_choice=False)
    start = DateTimeLocalField(format="%Y-%m-%dT%H:%M", validators=[Optional()])
    end = DateTimeLocalField(format="%Y-%m-%dT%H:%M", validators=[Optional()])


@bp.get("/<int:booking_id>/batch")
@allowed("booking.browse")
def show(booking_id: int):
    booking = bookings.visible_booking(db_session(), current_user, booking_id)
    return _page(booking, ProcessDataForm())


@bp.get("/<int:booking_id>/batch/report.pdf")
@allowed("booking.browse")
def report(booking_id: int):
    return _download("report", booking_id)


@bp.get("/<int:booking_id>/batch/data-package.zip")
@allowed("booking.browse")
def package(booking_id: int):
    return _download("package", booking_id)


def _download(what: str, booking_id: int):
    session = db_session()
    return download(what, session, bookings.visible_booking(session, current_user, booking_id), current_context().now())


@bp.post("/<int:booking_id>/batch/process-data")
@allowed("batch.record")
def upload(booking_id: int):
    session = db_session()
    booking = bookings.visible_booking(session, current_user, booking_id)
    form = ProcessDataForm()
    if not form.validate_on_submit():
        return _page(booking, form), 422
    data = form.file.data.read()
    try:
        job = start_import(session, current_user, booking, data, form.file.data.filename or "", form.typed_mapping())
    except DomainError as error:
        session.rollback()
        show_domain_error(form, error)
        if "mapping" in error.fields:
            _suggest_mapping(form, data)
        return _page(booking, form), error.status
    session.commit()
    return redirect(url_for("jobs.show", job_id=job.id))


def _suggest_mapping(form: ProcessDataForm, data: bytes) -> None:
    """The mapping step: the file's columns written into the form (first column as time) to be named."""
    try:
        header, _rows = read_table(data)
    except ValidationFailed:
        return
    form.time_column.data = header[0]
    form.tags.data = "\n".join(f"{column} | {column} | " for column in header[1:] if column)


def _page(booking: Booking, upload_form: ProcessDataForm):
    session = db_session()
    data_set = process_data.latest(session, booking)
    if data_set is not None and request.method == "GET" and current_user.role != Role.CUSTOMER:
        saved = process_data.saved_mapping(session, data_set.equipment)
        if saved is not None and not upload_form.tags.data:
            upload_form.fill_from(saved)
    chart_form = ChartForm(request.args)
    chart_form.tag.choices = [t.name for t in data_set.tags] if data_set else []
    record = batch_record.record_of(session, booking)
    charts = _charts(booking, data_set, chart_form, record) if data_set else []
    return render_template(
        "batch/show.html",
        booking=booking,
        data_set=data_set,
        charts=charts,
        chart_form=chart_form,
        upload_form=upload_form,
        record=record,
        details=batch_record.details,
        entry_form=EntryForm(formdata=None),
        addendum_form=AddendumForm(formdata=None),
        sign_form=SignatureForm(formdata=None),
        answer_form=AnswerForm(formdata=None),
        standing=acceptance.standing(session, booking, current_context().now()),
    )


def _charts(booking, data_set, form: ChartForm, record: BatchRecord) -> list:
    form.validate()
    names = form.tag.data or [t.name for t in data_set.tags[:CHARTS_SHOWN]]
    start = local_to_utc(form.start.data, current_context().tz) if form.start.data else data_set.start
    end = local_to_utc(form.end.data, current_context().tz) if form.end.data else data_set.end + timedelta(minutes=1)
    form.tag.data, form.start.data, form.end.data = names, _local_naive(start), _local_naive(end)
    try:
        series = process_data.read_series(db_session(), booking, names, start, end, process_data.DEFAULT_MAX_POINTS)
    except ValidationFailed as error:
        flash(error.message, "error")
        return []
    low, high = process_data.millis(start), process_data.millis(end)
    phases, events = record_marks(record, high, _("Sample"))
    return [
        trend_chart(s.tag, s.unit, s.times, s.values, low, high, current_context().tz, phases, events) for s in series
    ]


def _local_naive(moment):
    return to_local(moment, current_context().tz).replace(tzinfo=None, second=0, microsecond=0)
