"""A running batch that departs from the plan: extended or aborted."""

from flask import jsonify

from app.documents.mail import notify_booking, notify_changed
from app.platform.context import current_context
from app.platform.db import db_session
from app.platform.timefmt import as_utc
from app.services.batch import disruptions
from app.services.batch.usage import RecordedUsage
from app.services.booking import bookings
from app.web.api.bookings import booking_json
from app.web.api.core import current, endpoint
from app.web.api.schemas import AbortIn, ExtendIn


@endpoint(
    "/bookings/<int:booking_id>/extend",
    "POST",
    "Extend a running batch to a new expected end; bookings this breaks become conflicted",
    "booking.operate",
    body=ExtendIn,
    responses={404: "not found", 409: "not running", 422: "expected end not in the future"},
)
def extend_booking(booking_id: int, body: ExtendIn):
    session = db_session()
    booking = bookings.visible_booking(session, current(), booking_id)
    changed = disruptions.extend(
        session,
        current(),
        booking,
        as_utc(body.expected_end),
        body.reason,
        current_context().rules,
        current_context().now(),
    )
    session.commit()
    notify_booking(booking, "extend")
    notify_changed(changed)
    return jsonify(booking_json(booking))


@endpoint(
    "/bookings/<int:booking_id>/abort",
    "POST",
    "Abort a running batch with its cause and the usage so far",
    "booking.operate",
    body=AbortIn,
    responses={404: "not found", 409: "not running"},
)
def abort_booking(booking_id: int, body: AbortIn):
    session = db_session()
    booking = bookings.visible_booking(session, current(), booking_id)
    changed = disruptions.abort(
        session,
        current(),
        booking,
        body.cause,
        body.reason,
        RecordedUsage(**body.usage.model_dump()),
        current_context().rules,
        current_context().now(),
        body.rerun,
    )
    session.commit()
    notify_booking(booking, "abort")
    notify_changed(changed)
    return jsonify(booking_json(booking))
