"""A small priced plant for the disruption tests: two 100 L vessels, a customer and an operator, and helpers that
book, read and break the plan through the API."""

import email
import email.policy
from datetime import date, datetime

import pytest

from app.platform.db import db_session
from app.services.finance import price_lists
from tests.app.api_people import customer, operator  # noqa: F401 (fixtures)
from tests.app.booking_data import local, request_body


@pytest.fixture
def plant(app, add_equipment):
    for code in ("LF100-1", "LF100-2"):
        add_equipment(code, "liquid", 100, turnaround_h=5)
    with app.app_context():
        session = db_session()
        price_lists.ensure_default_price_list(session, date(2026, 1, 1))
        session.commit()


def book(client, customer, operator, vessel: str, day: int, confirm: bool = True) -> dict:
    """A 48 h batch on `vessel` from day `day` 08:00, confirmed unless told otherwise."""
    booking = client.post(
        "/api/v1/bookings",
        json=request_body(equipment=vessel, start=local(day, 8).isoformat(), earliest_start=local(day, 8).isoformat()),
        headers=customer,
    ).get_json()
    if confirm:
        client.post(f"/api/v1/bookings/{booking['id']}/confirm", headers=operator)
    return booking


def status(client, operator, booking: dict) -> str:
    return client.get(f"/api/v1/bookings/{booking['id']}", headers=operator).get_json()["status"]


def maintenance(client, operator, vessel: str, start: datetime, end: datetime):
    return client.post(
        f"/api/v1/equipment/{vessel}/maintenance",
        headers=operator,
        json={"start": start.isoformat(), "end": end.isoformat(), "reason": "机封泄漏"},
    )


@pytest.fixture
def outbox(app, tmp_path, monkeypatch):
    """Mail written as .eml files into a folder of the test's own."""
    monkeypatch.setitem(app.config, "OUTBOX_DIR", str(tmp_path))
    monkeypatch.setitem(app.config, "MAIL_SERVER", "")
    return tmp_path


def subjects(outbox) -> list[str]:
    return [
        email.message_from_bytes(p.read_bytes(), policy=email.policy.default)["Subject"]
        for p in sorted(outbox.glob("*.eml"))
    ]
