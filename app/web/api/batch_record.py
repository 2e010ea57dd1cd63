"""The batch record in the API: entries, signatures and addenda."""

from flask import jsonify

from app.documents.batch_report import download
from app.models import BatchEntry, BatchSignature, Booking
from app.platform.batch_settings import acceptance_days, phases_for
from app.platform.context import current_context
from app.platform.db import db_session
from app.platform.timefmt import as_utc
from app.services.batch import batch_record
from app.services.batch.batch_record import EntryInput
from app.services.booking import bookings
from app.web.api.core import current, endpoint
from app.web.api.schemas import AddendumIn, EntryIn, SignatureIn
from app.web.api.times import api_time

WRITES = {404: "not found", 409: "the batch has not started, or the record is signed (or not yet)"}


def entry_json(entry: BatchEntry) -> dict:
    return {
        "id": entry.id,
        "kind": entry.kind.value,
        "name": entry.name,
        "at": api_time(entry.at),
        "until": api_time(entry.until),
        **batch_record.details(entry),
        "recorded_by": entry.created_by.email,
        "signature_id": entry.signature_id,
        "supersedes": entry.supersedes_id,
    }


def signature_json(signature: BatchSignature) -> dict:
    return {
        "id": signature.id,
        "meaning": signature.meaning.value,
        "statement": signature.statement,
        "reason": signature.reason,
        "signed_by": signature.signed_by.email,
        "signed_at": api_time(signature.signed_at),
    }


def record_json(session, booking: Booking) -> dict:
    record = batch_record.record_of(session, booking)
    return {
        "booking_id": booking.id,
        "phases_allowed": phases_for(booking.service.value),
        "entries": [entry_json(e) for kind in record.entries.values() for e in kind],
        "superseded": [entry_json(e) for e in record.superseded],
        "signatures": [signature_json(s) for s in record.signatures],
    }


def entry_input(body: EntryIn) -> EntryInput:
    return EntryInput(
        **body.model_dump(exclude={"at", "until"}),
        at=body.at and as_utc(body.at),
        until=body.until and as_utc(body.until),
    )


@endpoint(
    "/bookings/<int:booking_id>/batch-record",
    "GET",
    "The batch record: entries, corrections, signatures",
    "booking.read",
    responses={404: "not found"},
)
def get_batch_record(booking_id: int):
    session = db_session()
    return jsonify(record_json(session, bookings.visible_booking(session, current(), booking_id)))


@endpoint(
    "/bookings/<int:booking_id>/batch-record/entries",
    "POST",
    "Add a phase, material, assay column, sample or deviation (before sign-off)",
    "batch.record",
    body=EntryIn,
    status=201,
    responses=WRITES,
)
def add_batch_entry(booking_id: int, body: EntryIn):
    session = db_session()
    booking = bookings.visible_booking(session, current(), booking_id)
    entry = batch_record.add_entry(session, current(), booking, entry_input(body), phases_for(booking.service.value))
    session.commit()
    return jsonify(entry_json(entry)), 201


@endpoint(
    "/bookings/<int:booking_id>/batch-record/signatures",
    "POST",
    "Sign the record off (operator) or review it (QA, someone else): an electronic signature with the password",
    "batch.record",
    body=SignatureIn,
    status=201,
    responses=WRITES,
)
def sign_batch_record(booking_id: int, body: SignatureIn):
    session = db_session()
    booking = bookings.visible_booking(session, current(), booking_id)
    signature = batch_record.sign(
        session, current(), booking, body.meaning, body.password, current_context().now(), acceptance_days()
    )
    session.commit()
    return jsonify(signature_json(signature)), 201


@endpoint(
    "/bookings/<int:booking_id>/batch-record/addenda",
    "POST",
    "Correct a signed record: a new entry (optionally replacing one) under its own signature",
    "batch.record",
    body=AddendumIn,
    status=201,
    responses=WRITES,
)
def add_batch_addendum(booking_id: int, body: AddendumIn):
    session = db_session()
    booking = bookings.visible_booking(session, current(), booking_id)
    entry = batch_record.add_addendum(
        session,
        current(),
        booking,
        entry_input(body.entry),
        body.supersedes,
        body.reason,
        body.password,
        current_context().now(),
        phases_for(booking.service.value),
        acceptance_days(),
    )
    session.commit()
    return jsonify(entry_json(entry)), 201


@endpoint(
    "/bookings/<int:booking_id>/batch-report",
    "GET",
    "The batch report (Chinese PDF: record, charts, samples, deviations, signatures)",
    "booking.read",
    responses={404: "not found"},
    produces="application/pdf",
)
def get_batch_report(booking_id: int):
    session = db_session()
    return download(
        "report", session, bookings.visible_booking(session, current(), booking_id), current_context().now()
    )


@endpoint(
    "/bookings/<int:booking_id>/data-package",
    "GET",
    "The customer's data package: ZIP of the report, process data CSV (UTF-8 with BOM), samples CSV and a "
    "manifest with each file's SHA-256",
    "booking.read",
    responses={404: "not found"},
    produces="application/zip",
)
def get_data_package(booking_id: int):
    session = db_session()
    return download(
        "package", session, bookings.visible_booking(session, current(), booking_id), current_context().now()
    )
