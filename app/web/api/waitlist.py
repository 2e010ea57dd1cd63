"""The waiting list: join with a request that found no slot (or with a booking, for an earlier slot), see offers,
accept or decline them."""

from flask import jsonify

from app.documents.mail import notify_accepted, notify_offers
from app.models import WaitingEntry
from app.platform.context import current_context
from app.platform.db import db_session
from app.services.booking import waitlist
from app.services.booking.bookings import visible_booking
from app.web.api.bookings import booking_input, booking_json
from app.web.api.core import current, endpoint
from app.web.api.schemas import BookingIn, PriorityIn
from app.web.api.times import api_time


def entry_json(entry: WaitingEntry) -> dict:
    data = waitlist.request_of(entry)
    offer = (
        None
        if entry.offer_start is None
        else {
            "equipment": entry.offer_equipment,
            "start": api_time(entry.offer_start),
            "end": api_time(entry.offer_end),
            "expires_at": api_time(entry.offer_expires_at),
        }
    )
    return {
        "id": entry.id,
        "reference": f"WL-{entry.id}",
        "status": entry.status.value,
        "priority": entry.priority,
        "company_id": entry.company_id,
        "joined_at": api_time(entry.joined_at),
        "offer": offer,
        "booking_id": entry.booking_id,
        "replaces_booking_id": entry.replaces_booking_id,
        "request": {
            "service": data.service,
            "kind": data.kind,
            "working_volume_l": data.working_volume_l,
            "duration_h": data.duration_h,
            "earliest_start": api_time(data.earliest_start),
            "latest_end": api_time(data.latest_end),
            "organism": data.organism,
        },
    }


def settled() -> None:
    """Offer freed capacity to the waiting requests that now fit (committed, then mailed)."""
    session = db_session()
    offered = waitlist.settle(session, current_context())
    session.commit()
    notify_offers(offered)


@endpoint(
    "/waiting-list",
    "POST",
    "Join the waiting list with a request that found no slot",
    "waitlist.join",
    body=BookingIn,
    status=201,
    responses={422: "invalid request"},
)
def join_waiting_list(body: BookingIn):
    session = db_session()
    entry = waitlist.join(
        session, current(), booking_input(body), current_context().now(), current_context().rules.limits
    )
    session.commit()
    settled()
    return jsonify(entry_json(entry)), 201


@endpoint(
    "/bookings/<int:booking_id>/waiting-list",
    "POST",
    "Wait for an earlier slot for this booking (accepting the offer moves it there)",
    "waitlist.join",
    status=201,
    responses={
        403: "not the booking's customer",
        404: "not found",
        409: "started or ended, holds no slot, or already waiting",
    },
)
def wait_for_earlier_slot(booking_id: int):
    session = db_session()
    booking = visible_booking(session, current(), booking_id)
    entry = waitlist.ask_earlier(session, current(), booking, current_context().now())
    session.commit()
    settled()
    return jsonify(entry_json(entry)), 201


@endpoint(
    "/waiting-list",
    "GET",
    "The waiting list in the order it is served (customers: their company's)",
    "waitlist.read",
)
def list_waiting():
    settled()
    return jsonify({"items": [entry_json(e) for e in waitlist.entries(db_session(), current())]})


@endpoint(
    "/waiting-list/<int:entry_id>/accept",
    "POST",
    "Book the slot offered to this request (for a booking waiting for an earlier slot: move it there)",
    "waitlist.join",
    status=201,
    responses={
        200: "the waiting booking moved to the slot",
        404: "not found",
        409: "the offer expired or the slot was taken",
    },
)
def accept_offer(entry_id: int):
    session = db_session()
    entry = waitlist.visible_entry(session, current(), entry_id)
    accepted = waitlist.accept(session, current(), entry, current_context())
    session.commit()
    notify_accepted(accepted)
    return jsonify(booking_json(accepted.booking)), 201 if accepted.moved_from is None else 200


@endpoint(
    "/waiting-list/<int:entry_id>/decline",
    "POST",
    "Leave the waiting list (an offer passes on)",
    "waitlist.join",
    responses={404: "not found", 409: "already closed"},
)
def decline_offer(entry_id: int):
    session = db_session()
    entry = waitlist.visible_entry(session, current(), entry_id)
    waitlist.decline(session, current(), entry)
    session.commit()
    settled()
    return jsonify(entry_json(entry))


@endpoint(
    "/waiting-list/<int:entry_id>/priority",
    "POST",
    "Raise or lower a waiting request's priority",
    "waitlist.prioritise",
    body=PriorityIn,
    responses={404: "not found"},
)
def set_waiting_priority(entry_id: int, body: PriorityIn):
    session = db_session()
    entry = waitlist.visible_entry(session, current(), entry_id)
    waitlist.set_priority(session, current(), entry, body.priority)
    session.commit()
    return jsonify(entry_json(entry))
