"""The customer's acceptance of a signed batch and its usage."""

from flask import jsonify

from app.platform.context import current_context
from app.platform.db import db_session
from app.platform.errors import ValidationFailed
from app.services.batch import acceptance
from app.services.booking import bookings
from app.web.api.core import current, endpoint
from app.web.api.schemas import AcceptanceIn
from app.web.api.times import api_time


def standing_json(standing: acceptance.Standing | None) -> dict:
    if standing is None:
        return {"state": "not_asked"}
    row = standing.acceptance
    return {
        "round": row.round,
        "state": standing.state.value,
        "by_silence": standing.by_silence,
        "asked_at": api_time(row.asked_at),
        "due_at": api_time(row.due_at),
        "answered_at": api_time(row.answered_at),
        "comment": row.comment,
        "usage": standing.usage,
    }


@endpoint(
    "/bookings/<int:booking_id>/acceptance",
    "GET",
    "The customer's acceptance of the batch and its usage (pending, accepted — also by silence — or disputed)",
    "booking.read",
    responses={404: "not found"},
)
def get_acceptance(booking_id: int):
    session = db_session()
    booking = bookings.visible_booking(session, current(), booking_id)
    return jsonify(standing_json(acceptance.standing(session, booking, current_context().now())))


@endpoint(
    "/bookings/<int:booking_id>/acceptance",
    "POST",
    "Accept the batch and its usage, or dispute them with a comment (the booking's customer, within the window)",
    "acceptance.answer",
    body=AcceptanceIn,
    responses={404: "not found", 409: "not asked, answered or past due"},
)
def answer_acceptance(booking_id: int, body: AcceptanceIn):
    session = db_session()
    booking = bookings.visible_booking(session, current(), booking_id)
    if body.accept is None:
        raise ValidationFailed("请选择接受（accept: true）或提出异议（accept: false）", {"accept": "必填"})
    acceptance.answer(session, current(), booking, body.accept, body.comment, current_context().now())
    session.commit()
    return jsonify(standing_json(acceptance.standing(session, booking, current_context().now())))
