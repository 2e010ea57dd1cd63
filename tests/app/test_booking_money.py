"""A booking shows its estimate from the price list; a late cancellation drafts the fee for finance."""

from datetime import date

import pytest

from app.models import Booking, Invoice
from app.platform.db import db_session
from app.services.finance import price_lists
from tests.app.booking_data import local, request_body


@pytest.fixture
def priced_plant(app, add_equipment):
    add_equipment("LF100-1", "liquid", 100, turnaround_h=5)
    with app.app_context():
        session = db_session()
        price_lists.ensure_default_price_list(session, date(2026, 1, 1))
        session.commit()


@pytest.fixture
def customer(make_company, token_for):
    _, email = make_company()
    return email, token_for(email)


def test_a_request_stores_its_estimate_and_the_page_shows_it(client, priced_plant, customer, sign_in, db):
    email, headers = customer
    booking = client.post("/api/v1/bookings", json=request_body(), headers=headers).get_json()
    stored = db.get(Booking, booking["id"])
    assert stored.quote_subtotal is not None and stored.quote_subtotal > 0
    sign_in(email)
    page = client.get(f"/bookings/{booking['id']}").get_data(as_text=True)
    assert "预估费用" in page and f"{stored.quote_subtotal:,.2f}" in page


def test_cancelling_well_before_the_start_costs_nothing(client, priced_plant, customer, db):
    _, headers = customer
    far = request_body(earliest_start=local(20, 8).isoformat(), latest_end=local(40, 20).isoformat())
    booking = client.post("/api/v1/bookings", json=far, headers=headers).get_json()
    client.post(f"/api/v1/bookings/{booking['id']}/cancel", headers=headers)
    assert db.query(Invoice).count() == 0


def test_cancelling_inside_the_notice_period_drafts_the_fee_for_finance(client, priced_plant, customer, db):
    _, headers = customer
    soon = request_body(earliest_start=local(1, 8).isoformat())
    booking = client.post("/api/v1/bookings", json=soon, headers=headers).get_json()
    assert client.post(f"/api/v1/bookings/{booking['id']}/cancel", headers=headers).status_code == 200
    fee = db.query(Invoice).one()
    assert (fee.status.value, fee.booking_id) == ("draft", booking["id"])
    assert fee.total > 0 and fee.lines[0].amount > 0
