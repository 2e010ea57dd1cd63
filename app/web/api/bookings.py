"""Availability, bookings and their transitions."""

from flask import jsonify

from app.documents.mail import notify_booking, notify_changed
from app.models import Booking
from app.platform.context import current_context
from app.platform.db import db_session
from app.platform.timefmt import as_utc
from app.services.booking import availability, booking_states, bookings
from app.services.booking.placements import previous_placements
from app.web.api.core import SIGNED_IN, current, endpoint
from app.web.api.schemas import AvailabilityQuery, BookingIn, BookingsQuery, CompleteIn, ReasonIn, StartIn
from app.web.api.times import api_time


def booking_json(booking: Booking) -> dict:
    return {
        "id": booking.id,
        "reference": booking.reference,
        "status": booking.status.value,
        "company_id": booking.company_id,
        "service": booking.service.value,
        "kind": booking.kind.value,
        "working_volume_l": booking.working_volume_l,
        "duration_h": booking.duration_h,
        "earliest_start": api_time(booking.earliest_start),
        "latest_end": api_time(booking.latest_end),
        "organism": booking.organism,
        "organism_family": booking.organism_family,
        "biosafety_level": booking.biosafety_level,
        "notes": booking.notes,
        "status_reason": booking.status_reason,
        "allocations": [
            {
                "equipment": a.equipment.code,
                "stage": a.stage.value,
                "start": api_time(a.start),
                "end": api_time(a.end),
                "occupied_until": api_time(a.occupied_until),
            }
            for a in booking.allocations
            if a.active
        ],
        "previous_allocations": [
            {
                "equipment": p.equipment,
                "stage": p.stage,
                "start": api_time(p.start),
                "end": api_time(p.end),
            }
            for p in previous_placements(booking)
        ],
        "actual_start": api_time(booking.actual_start),
        "actual_end": api_time(booking.actual_end),
        "abort_cause": booking.abort_cause.value if booking.abort_cause else None,
        "hold_until": api_time(booking.hold_until),  # unconfirmed: vessels free then
    }


def booking_input(body) -> bookings.BookingInput:
    fields = body.model_dump(exclude={"extraction", "earliest_start", "latest_end", "start"})
    extraction = body.extraction.model_dump(exclude_none=True) if body.extraction is not None else None
    return bookings.BookingInput(
        **fields,
        earliest_start=as_utc(body.earliest_start),
        latest_end=as_utc(body.latest_end),
        start=as_utc(body.start) if body.start else None,
        extraction=extraction,
    )


@endpoint(
    "/availability", "GET", "Earliest free slots for a request, earliest first", SIGNED_IN, query=AvailabilityQuery
)
def get_availability(query: AvailabilityQuery):
    data = bookings.BookingInput(
        service=query.service,
        kind=query.kind,
        working_volume_l=query.working_volume_l,
        duration_h=query.duration_h,
        earliest_start=as_utc(query.earliest_start),
        latest_end=as_utc(query.latest_end),
        organism="",
        organism_family=query.organism_family,
        biosafety_level=query.biosafety_level,
    )
    slots = availability.find_slots(db_session(), data, current_context(), query.limit).slots
    return jsonify(
        {
            "items": [
                {
                    "equipment": s.equipment,
                    "start": api_time(s.start),
                    "end": api_time(s.end),
                    "stages": [
                        {
                            "equipment": x.equipment,
                            "stage": x.stage,
                            "start": api_time(x.start),
                            "end": api_time(x.end),
                        }
                        for x in s.stages
                    ],
                }
                for s in slots
            ]
        }
    )


@endpoint(
    "/bookings",
    "POST",
    "Request a booking: a chosen slot (equipment + start) or the earliest in the window",
    "booking.request",
    body=BookingIn,
    status=201,
    responses={409: "slot taken or no slot in the window"},
)
def create_booking(body: BookingIn):
    session = db_session()
    booking = bookings.request_booking(
        session,
        current(),
        booking_input(body),
        current_context(),
    )
    session.commit()
    notify_booking(booking, "requested")
    return jsonify(booking_json(booking)), 201


@endpoint("/bookings", "GET", "Bookings (customers: their company's)", "booking.read", query=BookingsQuery)
def list_bookings(query: BookingsQuery):
    return jsonify({"items": [booking_json(b) for b in bookings.list_bookings(db_session(), current(), query.status)]})


@endpoint("/bookings/<int:booking_id>", "GET", "A booking", "booking.read", responses={404: "not found"})
def get_booking(booking_id: int):
    return jsonify(booking_json(bookings.visible_booking(db_session(), current(), booking_id)))


def _transition(booking_id: int, action: str, reason: str = "", completion=None, here: bool = False):
    session = db_session()
    booking = bookings.visible_booking(session, current(), booking_id)
    changed = booking_states.transition(
        session,
        current(),
        booking,
        action,
        current_context().rules,
        current_context().now(),
        reason,
        completion,
        cache=current_context().plan_cache,
        here=here,
    )
    session.commit()
    notify_booking(booking, action)
    notify_changed(changed)
    return jsonify(booking_json(booking))


@endpoint(
    "/bookings/<int:booking_id>/confirm",
    "POST",
    "Confirm (placing it if not placed)",
    "booking.operate",
    responses={404: "not found", 409: "wrong state or no slot"},
)
def confirm_booking(booking_id: int):
    return _transition(booking_id, "confirm")


@endpoint(
    "/bookings/<int:booking_id>/reject",
    "POST",
    "Reject with a reason",
    "booking.operate",
    body=ReasonIn,
    responses={404: "not found", 409: "wrong state"},
)
def reject_booking(booking_id: int, body: ReasonIn):
    return _transition(booking_id, "reject", body.reason)


@endpoint(
    "/bookings/<int:booking_id>/cancel",
    "POST",
    "Cancel (operators, or the booking's customer)",
    "booking.cancel",
    responses={404: "not found", 409: "wrong state"},
)
def cancel_booking(booking_id: int):
    return _transition(booking_id, "cancel")


@endpoint(
    "/bookings/<int:booking_id>/start",
    "POST",
    "Start the batch at its planned time, or with here=true now on its vessels (re-placed)",
    "booking.operate",
    body=StartIn,
    responses={
        404: "not found",
        409: "wrong state, vessel out of service, not the planned time, or the placement is broken",
    },
)
def start_booking(booking_id: int, body: StartIn):
    return _transition(booking_id, "start", here=body.here)


@endpoint(
    "/bookings/<int:booking_id>/accept",
    "POST",
    "The customer accepts the booking's changed times",
    "booking.accept",
    responses={404: "not found", 409: "wrong state"},
)
def accept_booking(booking_id: int):
    return _transition(booking_id, "accept")


@endpoint(
    "/bookings/<int:booking_id>/complete",
    "POST",
    "Complete the batch with actual times and usage",
    "booking.operate",
    body=CompleteIn,
    responses={404: "not found", 409: "wrong state"},
)
def complete_booking(booking_id: int, body: CompleteIn):
    completion = booking_states.Completion(
        actual_start=as_utc(body.actual_start),
        actual_end=as_utc(body.actual_end),
        **body.usage.model_dump(),
        materials=tuple((m.description, m.quantity, m.unit, m.unit_cost) for m in body.materials),
    )
    return _transition(booking_id, "complete", completion=completion)
