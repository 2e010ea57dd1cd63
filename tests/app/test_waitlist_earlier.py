"""A customer's own booking, requested or confirmed, may wait for an earlier slot: it is offered only a slot whose
main stage starts before its own, and accepting moves the booking there (seed train included), once."""

import json
from datetime import datetime

import pytest

from app.models import Allocation, AuditEntry, Booking, WaitingEntry
from tests.app.booking_data import local, request_body
from tests.concurrency import at_once
from tests.factories import mails

WINDOW = {"earliest_start": local(2, 8).isoformat(), "latest_end": local(12, 20).isoformat()}


@pytest.fixture
def plant(add_equipment):
    add_equipment("LF100-1", "liquid", 100, turnaround_h=5)


@pytest.fixture
def people(make_company, token_for, make_user):
    """Two companies' customers and an operator."""
    return {
        "own": token_for(make_company()[1]),
        "other": token_for(make_company()[1]),
        "operator": token_for(make_user("operator")),
        "admin": token_for(make_user("admin")),
    }


def book(client, headers, **overrides) -> dict:
    response = client.post("/api/v1/bookings", json=request_body(**{**WINDOW, **overrides}), headers=headers)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def main_start(booking: dict) -> str:
    return next(a["start"] for a in booking["allocations"] if a["stage"] == "main")


def ask(client, booking: dict, headers):
    return client.post(f"/api/v1/bookings/{booking['id']}/waiting-list", headers=headers)


def entry_of(client, entry: dict, headers) -> dict:
    items = client.get("/api/v1/waiting-list", headers=headers).get_json()["items"]
    return next(e for e in items if e["id"] == entry["id"])


def set_status(db, booking: dict, status: str) -> None:
    db.get(Booking, booking["id"]).status = status
    db.commit()


@pytest.mark.parametrize(
    ("who", "state", "answer"),
    [
        ("own", "requested", 201),
        ("own", "confirmed", 201),
        ("own", "running", 409),
        ("own", "completed", 409),
        ("own", "cancelled", 409),
        ("own", "rejected", 409),
        ("other", "requested", 404),
        ("other", "confirmed", 404),
        ("operator", "requested", 403),
        ("admin", "confirmed", 403),
    ],
)
def test_who_may_ask_for_an_earlier_slot_for_which_booking(client, plant, people, db, who, state, answer):
    booking = book(client, people["own"])
    set_status(db, booking, state)
    response = ask(client, booking, people[who])
    assert response.status_code == answer, response.get_json()
    assert db.query(WaitingEntry).count() == (1 if answer == 201 else 0)
    if answer == 409:
        assert "尚未开始" in response.get_json()["error"]


def test_asking_twice_is_refused_with_the_entry_already_waiting(client, plant, people, db):
    booking = book(client, people["own"])
    first = ask(client, booking, people["own"]).get_json()
    again = ask(client, booking, people["own"])
    assert again.status_code == 409 and f"WL-{first['id']}" in again.get_json()["error"]
    assert db.query(WaitingEntry).count() == 1


def test_a_booking_whose_hold_ran_out_has_no_slot_to_bring_forward(client, plant, people, db):
    booking = book(client, people["own"])
    db.get(Booking, booking["id"]).hold_until = local(-1, 8)
    db.commit()
    response = ask(client, booking, people["own"])
    assert response.status_code == 409 and "未占用设备" in response.get_json()["error"]


@pytest.fixture
def queue(client, plant, people):
    """Three bookings one after another on the only vessel; the middle one (own) waits for an earlier slot."""
    first = book(client, people["other"])
    mine = book(client, people["own"])
    last = book(client, people["other"])
    entry = ask(client, mine, people["own"]).get_json()
    return first, mine, last, entry


def test_only_a_slot_earlier_than_the_bookings_own_is_offered(client, people, queue):
    first, mine, last, entry = queue
    assert entry["replaces_booking_id"] == mine["id"] and entry["status"] == "waiting"
    client.post(f"/api/v1/bookings/{last['id']}/cancel", headers=people["other"])
    assert entry_of(client, entry, people["own"])["status"] == "waiting"  # freed, but later than its own
    client.post(f"/api/v1/bookings/{first['id']}/cancel", headers=people["other"])
    offered = entry_of(client, entry, people["own"])
    assert offered["status"] == "offered" and offered["offer"]["start"] == main_start(first) < main_start(mine)


def test_accepting_moves_the_booking_keeps_it_confirmed_and_mails_the_new_times(client, people, queue, db, outbox):
    first, mine, last, entry = queue
    client.post(f"/api/v1/bookings/{mine['id']}/confirm", headers=people["operator"])
    client.post(f"/api/v1/bookings/{first['id']}/cancel", headers=people["other"])
    entry_of(client, entry, people["own"])
    response = client.post(f"/api/v1/waiting-list/{entry['id']}/accept", headers=people["own"])
    moved = response.get_json()
    assert response.status_code == 200 and moved["id"] == mine["id"] and moved["status"] == "confirmed"
    assert main_start(moved) == main_start(first) and moved["previous_allocations"] == []
    assert db.query(Booking).count() == 3 and db.get(WaitingEntry, entry["id"]).booking_id == mine["id"]
    accepted = db.query(AuditEntry).filter_by(action="waiting.accepted").one()
    details = json.loads(accepted.details)
    assert details["before"][0][2] != details["after"][0][2]
    assert db.query(AuditEntry).filter_by(action="booking.moved", entity_id=str(mine["id"])).count() == 1
    assert mails(outbox)[-1]["Subject"].endswith("时间已调整")


def test_the_seed_train_moves_with_the_main_stage(client, add_equipment, people, db):
    add_equipment("LF2000", "liquid", 2000, turnaround_h=10)
    add_equipment("LF200", "liquid", 200, turnaround_h=7)
    large = {"working_volume_l": 1200, "duration_h": 72}
    first = book(client, people["other"], **large)
    mine = book(client, people["own"], **large)
    entry = ask(client, mine, people["own"]).get_json()
    client.post(f"/api/v1/bookings/{first['id']}/cancel", headers=people["other"])
    assert entry_of(client, entry, people["own"])["status"] == "offered"
    moved = client.post(f"/api/v1/waiting-list/{entry['id']}/accept", headers=people["own"]).get_json()
    stages = {a["stage"]: a for a in moved["allocations"]}
    assert sorted(stages) == ["main", "seed"] and main_start(moved) == main_start(first)
    assert stages["seed"]["start"] < main_start(first)


@pytest.mark.parametrize("ending", ["cancelled", "running", "rejected"])
def test_an_entry_whose_booking_started_or_ended_is_closed_and_never_offered(client, people, queue, db, ending):
    first, mine, last, entry = queue
    set_status(db, mine, ending)
    client.post(f"/api/v1/bookings/{first['id']}/cancel", headers=people["other"])
    assert entry_of(client, entry, people["own"])["status"] == "expired"


def test_the_booking_page_offers_the_wait_and_then_shows_it(client, plant, make_company, token_for, sign_in, db):
    _, email = make_company()
    booking = book(client, token_for(email))
    sign_in(email)
    page = client.get(f"/bookings/{booking['id']}").get_data(as_text=True)
    assert "候补更早时段" in page
    assert client.post(f"/waiting-list/earlier/{booking['id']}").status_code == 302
    page = client.get(f"/bookings/{booking['id']}").get_data(as_text=True)
    entry = db.query(WaitingEntry).one()
    assert f"WL-{entry.id}" in page and 'action="/waiting-list/earlier/' not in page


@pytest.mark.postgres
def test_two_acceptances_of_one_earlier_offer_at_once_move_the_booking_once(app, client, people, queue, db):
    first, mine, last, entry = queue
    client.post(f"/api/v1/bookings/{first['id']}/cancel", headers=people["other"])
    entry_of(client, entry, people["own"])
    codes = at_once(
        4,
        lambda _: (
            app.test_client().post(f"/api/v1/waiting-list/{entry['id']}/accept", headers=people["own"]).status_code
        ),
    )
    assert sorted(codes) == [200, 409, 409, 409]
    assert db.query(AuditEntry).filter_by(action="booking.moved").count() == 1


@pytest.mark.postgres
def test_an_acceptance_racing_a_new_booking_of_that_slot_leaves_one_winner(app, client, people, queue, db):
    first, mine, last, entry = queue
    client.post(f"/api/v1/bookings/{first['id']}/cancel", headers=people["other"])
    offer = entry_of(client, entry, people["own"])["offer"]
    slot = request_body(**WINDOW, equipment=offer["equipment"], start=offer["start"])

    def race(i: int) -> int:
        if i == 0:
            return (
                app.test_client().post(f"/api/v1/waiting-list/{entry['id']}/accept", headers=people["own"]).status_code
            )
        return app.test_client().post("/api/v1/bookings", json=slot, headers=people["other"]).status_code

    codes = at_once(4, race)
    assert sorted(code for code in codes if code in (200, 201)) in ([200], [201]), codes
    assert all(code in (200, 201, 409) for code in codes), codes
    at_offer = db.query(Allocation).filter_by(active=True, start=datetime.fromisoformat(offer["start"])).count()
    assert at_offer == 1
