"""A request that found no slot waits; freed capacity is offered to the first that fits (priority, then joining),
held for a while; accepting books it (one winner), declining or expiry passes it on."""

from datetime import timedelta

import pytest

from app.models import AuditEntry, Booking, WaitingEntry
from tests.app.booking_data import local, request_body
from tests.concurrency import at_once

WINDOW = {"earliest_start": local(2, 8).isoformat(), "latest_end": local(4, 20).isoformat()}


@pytest.fixture
def full(client, add_equipment, make_company, token_for, make_user):
    """One vessel, held over the only slot of the window by the first customer's booking."""
    add_equipment("LF100-1", "liquid", 100, turnaround_h=5)
    first = token_for(make_company()[1])
    holder = client.post("/api/v1/bookings", json=request_body(**WINDOW), headers=first).get_json()
    return holder, first, token_for(make_user("operator"))


def waiting(client, make_company, token_for) -> tuple[dict, dict]:
    """Another customer whose request finds no slot joins the waiting list."""
    headers = token_for(make_company()[1])
    assert client.post("/api/v1/bookings", json=request_body(**WINDOW), headers=headers).status_code == 409
    entry = client.post("/api/v1/waiting-list", json=request_body(**WINDOW), headers=headers)
    assert entry.status_code == 201 and entry.get_json()["status"] == "waiting"
    return entry.get_json(), headers


def listed(client, headers) -> dict[int, dict]:
    return {e["id"]: e for e in client.get("/api/v1/waiting-list", headers=headers).get_json()["items"]}


def cancel(client, holder, headers):
    assert client.post(f"/api/v1/bookings/{holder['id']}/cancel", headers=headers).status_code == 200


def test_a_cancellation_offers_the_slot_and_accepting_books_it(client, full, make_company, token_for, db):
    holder, first, operator = full
    entry, mine = waiting(client, make_company, token_for)
    assert listed(client, mine)[entry["id"]]["status"] == "waiting"
    cancel(client, holder, first)
    offer = listed(client, mine)[entry["id"]]
    assert offer["status"] == "offered" and offer["offer"]["equipment"] == "LF100-1"
    assert offer["offer"]["start"] == local(2, 8).isoformat()
    booked = client.post(f"/api/v1/waiting-list/{entry['id']}/accept", headers=mine)
    assert booked.status_code == 201 and booked.get_json()["allocations"][0]["start"] == local(2, 8).isoformat()
    assert db.get(WaitingEntry, entry["id"]).status.value == "accepted"
    assert [e.action for e in db.query(AuditEntry).filter_by(entity_type="waiting").order_by(AuditEntry.id)] == [
        "waiting.joined",
        "waiting.offered",
        "waiting.accepted",
    ]


def test_the_first_to_join_is_offered_first_unless_staff_raise_another(client, full, make_company, token_for):
    holder, first, operator = full
    earlier, _ = waiting(client, make_company, token_for)
    later, mine = waiting(client, make_company, token_for)
    client.post(f"/api/v1/waiting-list/{later['id']}/priority", json={"priority": 5}, headers=operator)
    cancel(client, holder, first)
    entries = listed(client, operator)
    assert (entries[later["id"]]["status"], entries[earlier["id"]]["status"]) == ("offered", "waiting")


@pytest.mark.parametrize("how", ["decline", "expiry"])
def test_declining_or_letting_the_hold_expire_passes_the_slot_on(
    app, client, full, make_company, token_for, monkeypatch, how
):
    holder, first, operator = full
    earlier, theirs = waiting(client, make_company, token_for)
    later, _ = waiting(client, make_company, token_for)
    if how == "expiry":
        monkeypatch.setitem(app.config, "WAITLIST_HOLD", timedelta(minutes=-1))  # offered already past its hold
    cancel(client, holder, first)
    assert listed(client, operator)[earlier["id"]]["status"] == "offered"
    if how == "decline":
        client.post(f"/api/v1/waiting-list/{earlier['id']}/decline", headers=theirs)
    entries = listed(client, operator)
    assert entries[earlier["id"]]["status"] == {"decline": "declined", "expiry": "expired"}[how]
    assert entries[later["id"]]["status"] == "offered"


def test_an_expired_offer_cannot_be_accepted(app, client, full, make_company, token_for, monkeypatch, db):
    holder, first, operator = full
    entry, mine = waiting(client, make_company, token_for)
    monkeypatch.setitem(app.config, "WAITLIST_HOLD", timedelta(minutes=-1))
    cancel(client, holder, first)
    listed(client, mine)
    response = client.post(f"/api/v1/waiting-list/{entry['id']}/accept", headers=mine)
    assert response.status_code == 409 and db.query(Booking).count() == 1


def test_two_acceptances_of_one_offer_at_once_never_both_win(app, client, full, make_company, token_for, db):
    holder, first, operator = full
    entry, mine = waiting(client, make_company, token_for)
    cancel(client, holder, first)
    listed(client, mine)
    codes = at_once(
        4, lambda _: app.test_client().post(f"/api/v1/waiting-list/{entry['id']}/accept", headers=mine).status_code
    )
    assert sorted(codes) == [201, 409, 409, 409]
    assert db.query(Booking).filter(Booking.status == "requested").count() == 1


def test_a_customer_joins_from_the_booking_page_and_sees_the_offer(client, full, make_company, sign_in):
    holder, first, operator = full
    _, email = make_company()
    sign_in(email)
    form = {
        "service": "scale_up",
        "kind": "liquid",
        "working_volume_l": "60",
        "duration_h": "48",
        "earliest_start": local(2, 8).strftime("%Y-%m-%dT%H:%M"),
        "latest_end": local(4, 20).strftime("%Y-%m-%dT%H:%M"),
        "organism": "枯草芽孢杆菌",
        "biosafety_level": "1",
        "action": "wait",
    }
    assert client.post("/bookings/new", data=form).status_code == 302
    cancel(client, holder, first)
    page = client.get("/waiting-list/").get_data(as_text=True)
    assert "LF100-1" in page and "接受" in page
