"""Operator pages: the request queue, state changes, the schedule board, moves and the optimiser."""

from datetime import date, datetime, timedelta

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.documents import labels
from app.documents.board import build_board
from app.documents.mail import notify_booking, notify_changed
from app.jobs.optimiser_job import apply_proposal, start_optimiser
from app.platform.context import current_context
from app.platform.db import db_session
from app.platform.errors import DomainError
from app.platform.numbers import given_float
from app.platform.timefmt import local_to_utc, plausible, to_local
from app.services.batch.batch_times import settle_overruns
from app.services.booking import booking_states, bookings
from app.services.plan import schedule
from app.web.auth import allowed
from app.web.forms import CompleteForm, MoveForm, ReasonForm
from app.web.views.disruptions import record_change, usage_from

bp = Blueprint("operations", __name__, url_prefix="/operations")


@bp.get("/queue")
@allowed("booking.operate")
def queue():
    items = bookings.list_bookings(db_session(), current_user, "requested")
    return render_template("operations/queue.html", items=items, reject_form=ReasonForm())


@bp.post("/bookings/<int:booking_id>/<any(confirm, reject, start):action>")
@allowed("booking.operate")
def change(booking_id: int, action: str):
    form = ReasonForm()
    _transition(booking_id, action, reason=form.reason.data or "", here=request.form.get("here") == "1")
    return redirect(request.referrer or url_for("bookings.show", booking_id=booking_id))


def _transition(booking_id: int, action: str, **kwargs) -> bool:
    session = db_session()
    booking = bookings.visible_booking(session, current_user, booking_id)
    return record_change(
        booking,
        action,
        lambda: booking_states.transition(
            session,
            current_user,
            booking,
            action,
            current_context().rules,
            current_context().now(),
            cache=current_context().plan_cache,
            **kwargs,
        ),
    )


@bp.route("/bookings/<int:booking_id>/complete", methods=["GET", "POST"])
@allowed("booking.operate")
def complete(booking_id: int):
    booking = bookings.visible_booking(db_session(), current_user, booking_id)
    form = CompleteForm()
    if request.method == "GET":
        _prefill_from_plan(form, booking)
    if form.validate_on_submit() and _transition(booking_id, "complete", completion=_completion(form)):
        return redirect(url_for("bookings.show", booking_id=booking_id))
    return render_template("operations/complete.html", booking=booking, form=form), 422 if form.is_submitted() else 200


def _prefill_from_plan(form: CompleteForm, booking) -> None:
    """Fill the completion form with what the plan expects, for the operator to correct."""
    plan = booking_states.planned_completion(db_session(), booking)
    form.actual_start.data = to_local(plan.actual_start, current_context().tz).replace(tzinfo=None)
    form.actual_end.data = to_local(plan.actual_end, current_context().tz).replace(tzinfo=None)
    form.steam_t.data, form.power_kwh.data = plan.steam_t, plan.power_kwh
    form.operator_h.data, form.samples.data = plan.operator_h, plan.samples


def _completion(form: CompleteForm) -> booking_states.Completion:
    materials = ()
    if form.material.data and form.material_quantity.data is not None:
        materials = (
            (
                form.material.data,
                form.material_quantity.data,
                form.material_unit.data or "",
                form.material_unit_cost.data or 0,
            ),
        )
    return booking_states.Completion(
        actual_start=local_to_utc(form.actual_start.data, current_context().tz),
        actual_end=local_to_utc(form.actual_end.data, current_context().tz),
        **usage_from(form).recorded(),
        materials=materials,
    )


@bp.get("/board")
@allowed("plan.schedule")
def board():
    first = _day_arg("start") or current_context().today()
    days = min(max(request.args.get("days", 14, type=int), 1), 62)
    session = db_session()
    changed = settle_overruns(session, current_context().rules, current_context().now())
    session.commit()
    notify_changed(changed)
    picture = build_board(session, first, days, current_context().tz, now=current_context().now())
    return render_template(
        "operations/board.html",
        board=picture,
        first=first,
        days=days,
        previous=first - timedelta(days=days),
        following=first + timedelta(days=days),
    )


def _day_arg(name: str) -> date | None:
    """A plausible date from the query string, else None."""
    try:
        return plausible(date.fromisoformat(request.args.get(name, "")))
    except ValueError:
        return None


@bp.route("/bookings/<int:booking_id>/move", methods=["GET", "POST"])
@allowed("plan.schedule")
def move(booking_id: int):
    session = db_session()
    booking = bookings.visible_booking(session, current_user, booking_id)
    form = MoveForm()
    fitting = schedule.fitting_vessels(session, booking, current_context().rules, current_context().now())
    current = schedule.current_placements(booking)
    _offer(form, fitting, current)
    if form.validate_on_submit():
        placements = _moved(
            booking, form.stage.data, form.equipment.data, local_to_utc(form.start.data, current_context().tz)
        )
        if _apply(session, {booking.id: placements}):
            return redirect(url_for("bookings.show", booking_id=booking_id))
    return render_template(
        "operations/move.html", booking=booking, form=form, current=current
    ), 422 if form.is_submitted() else 200


def _offer(form: MoveForm, fitting: dict[str, list[str]], current: list[schedule.Placement]) -> None:
    """The booking's own stages, the vessels that fit each, and (on first view) the main stage as placed."""
    placed = {p.stage for p in current}
    form.stage.choices = [(stage, labels.word(labels.STAGE, stage)) for stage in fitting if stage in placed]
    form.equipment.choices = {
        str(labels.word(labels.STAGE, stage)): [(code, code) for code in codes]
        for stage, codes in fitting.items()
        if stage in placed
    }
    main = next((p for p in current if p.stage == "main"), None)
    if not form.is_submitted() and main is not None:
        form.stage.data, form.equipment.data = "main", main.equipment
        form.start.data = to_local(main.start, current_context().tz).replace(tzinfo=None)


def _moved(booking, stage: str, equipment: str, start: datetime) -> list[schedule.Placement]:
    """The booking's placements with one stage moved (same length); the others stay."""
    out = []
    for p in schedule.current_placements(booking):
        if p.stage == stage:
            p = schedule.Placement(stage, equipment, start, start + (p.end - p.start))
        out.append(p)
    return out


def _apply(session, moves: dict) -> bool:
    try:
        moved = schedule.move_bookings(session, current_user, current_context().rules, current_context().now(), moves)
    except DomainError as error:
        session.rollback()
        flash(error.message, "error")
        return False
    session.commit()
    _announce_moves(moved)
    return True


def _announce_moves(moved: list[schedule.Move]) -> None:
    """Mail each booking moved, with its placements before and after, and say how many moved."""
    for move in moved:
        notify_booking(move.booking, "moved", previous=move.before)
    flash(_("%(count)s bookings moved.", count=len(moved)), "success")


@bp.post("/optimize")
@allowed("plan.schedule")
def optimize():
    seconds = given_float(request.form.get("time_limit_s"), 10, 1, 60)
    if seconds is None:
        flash(_("The time limit must be a number of seconds (1 to 60)."), "error")
        return redirect(url_for("operations.queue"))
    session = db_session()
    job = start_optimiser(session, current_user, seconds)
    session.commit()
    return redirect(url_for("jobs.show", job_id=job.id))


@bp.post("/apply")
@allowed("plan.schedule")
def apply():
    job_id = request.form.get("job_id", type=int)
    if job_id is None:
        flash(_("The proposal could not be read; run the optimiser again."), "error")
        return redirect(url_for("operations.board"))
    session = db_session()
    try:
        moved = apply_proposal(session, current_user, job_id)
    except DomainError as error:
        session.rollback()
        flash(error.message, "error")
        return redirect(url_for("jobs.show", job_id=job_id))
    session.commit()
    _announce_moves(moved)
    return redirect(url_for("operations.board"))
