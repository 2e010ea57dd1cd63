"""Customers find slots and book them; operators move bookings through their states."""

from datetime import UTC, datetime, timedelta

import pytest

from app.models import Allocation, AuditEntry, Booking
from tests.app.api_people import customer, operator  # noqa: F401 (fixtures)
from tests.app.booking_data import local, request_body


@pytest.fixture
def plant(add_equipment):
    add_equipment("LF100-1", "liquid", 100, turnaround_h=5)
    add_equipment("LF100-2", "liquid", 100, turnaround_h=5)
    add_equipment("LF2000", "liquid", 2000, turnaround_h=10)
    add_equipment("LF200", "liquid", 200, turnaround_h=7)
    add_equipment(
        "DS-CEN",
        "downstream",
        20000,
        unit_type="centrifuge",
        throughput_l_per_h=3000,
        min_working_volume_l=1,
        max_working_volume_l=20000,
        turnaround_h=4,
    )


def test_availability_lists_the_earliest_slots_on_the_smallest_fitting_vessels(client, plant, customer):
    response = client.get(
        "/api/v1/availability",
        query_string={
            "kind": "liquid",
            "working_volume_l": 60,
            "duration_h": 48,
            "earliest_start": local(2, 8).isoformat(),
            "latest_end": local(30, 20).isoformat(),
            "limit": 3,
        },
        headers=customer,
    )
    assert response.status_code == 200
    items = response.get_json()["items"]
    assert [i["equipment"] for i in items[:2]] == ["LF100-1", "LF100-2"]
    assert items[0]["start"] == local(2, 8).isoformat()
    assert items[0]["stages"] == [
        {"equipment": "LF100-1", "stage": "main", "start": local(2, 8).isoformat(), "end": local(4, 8).isoformat()}
    ]


def test_a_large_liquid_batch_gets_a_seed_stage_ending_at_most_two_hours_before(client, plant, customer):
    response = client.get(
        "/api/v1/availability",
        query_string={
            "kind": "liquid",
            "working_volume_l": 1200,
            "duration_h": 72,
            "earliest_start": local(2, 8).isoformat(),
            "latest_end": local(30, 20).isoformat(),
            "limit": 1,
        },
        headers=customer,
    )
    stages = response.get_json()["items"][0]["stages"]
    assert [s["stage"] for s in stages] == ["seed", "main"]
    seed_end = datetime.fromisoformat(stages[0]["end"])
    main_start = datetime.fromisoformat(stages[1]["start"])
    assert timedelta(0) <= main_start - seed_end <= timedelta(hours=2)
    assert stages[0]["equipment"] in ("LF200", "LF100-1", "LF100-2")


def test_a_customer_books_as_early_as_possible_and_the_slot_is_held(client, plant, customer, db):
    response = client.post("/api/v1/bookings", json=request_body(), headers=customer)
    assert response.status_code == 201
    body = response.get_json()
    assert body["status"] == "requested"
    assert body["allocations"][0]["equipment"] == "LF100-1"
    assert body["allocations"][0]["start"] == local(2, 8).isoformat()
    second = client.post("/api/v1/bookings", json=request_body(), headers=customer).get_json()
    assert second["allocations"][0]["equipment"] == "LF100-2"


def test_a_chosen_slot_is_booked_exactly_and_a_taken_one_answers_409(client, plant, customer, db):
    chosen = request_body(equipment="LF100-2", start=local(3, 9).isoformat())
    first = client.post("/api/v1/bookings", json=chosen, headers=customer)
    assert first.status_code == 201
    assert first.get_json()["allocations"][0]["start"] == local(3, 9).isoformat()
    clash = client.post(
        "/api/v1/bookings", json=request_body(equipment="LF100-2", start=local(4, 10).isoformat()), headers=customer
    )
    assert clash.status_code == 409
    assert db.query(Booking).count() == 1


def test_a_start_outside_staffed_hours_is_refused(client, plant, customer, db):
    response = client.post(
        "/api/v1/bookings", json=request_body(equipment="LF100-1", start=local(3, 22).isoformat()), headers=customer
    )
    assert response.status_code == 409
    assert db.query(Booking).count() == 0


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"latest_end": local(1, 8).isoformat()}, "latest_end"),
        ({"earliest_start": local(-3, 8).isoformat()}, "earliest_start"),
        ({"duration_h": 0}, "duration_h"),
        ({"duration_h": -5}, "duration_h"),
        ({"working_volume_l": 0}, "working_volume_l"),
        ({"working_volume_l": 15000}, "working_volume_l"),
        ({"working_volume_l": 12}, "working_volume_l"),
        ({"latest_end": local(3, 8).isoformat()}, "latest_end"),
        ({"equipment": "NOPE", "start": local(3, 9).isoformat()}, "equipment"),
        ({"earliest_start": "2027-01-01T08:00:00"}, "earliest_start"),
        ({"kind": "gas"}, "kind"),
    ],
)
def test_bad_requests_answer_422_with_the_field_and_save_nothing(client, plant, customer, db, overrides, field):
    response = client.post("/api/v1/bookings", json=request_body(**overrides), headers=customer)
    assert response.status_code == 422, response.get_json()
    assert field in response.get_json()["fields"]
    assert db.query(Booking).count() == 0


def test_a_volume_no_vessel_takes_says_why(client, plant, customer):
    response = client.post("/api/v1/bookings", json=request_body(working_volume_l=15000), headers=customer)
    assert "最大工作体积为 1,400 L" in response.get_json()["fields"]["working_volume_l"]


def test_the_life_of_a_booking_from_request_to_completion(client, plant, customer, operator, db):
    booking = client.post("/api/v1/bookings", json=request_body(), headers=customer).get_json()
    url = f"/api/v1/bookings/{booking['id']}"
    assert client.post(url + "/start", headers=operator).status_code == 409
    assert client.post(url + "/confirm", headers=customer).status_code == 403
    assert client.post(url + "/confirm", headers=operator).get_json()["status"] == "confirmed"
    assert client.post(url + "/start", headers=operator).status_code == 409  # two days before its planned start
    assert client.post(url + "/start", json={"here": True}, headers=operator).get_json()["status"] == "running"
    done = client.post(
        url + "/complete",
        headers=operator,
        json={
            "actual_start": hours_ago(50).isoformat(),
            "actual_end": hours_ago(1).isoformat(),
            "usage": {"steam_t": "1.5", "power_kwh": "320", "operator_h": "12"},
            "materials": [{"description": "葡萄糖", "quantity": "25", "unit": "kg", "unit_cost": "6.50"}],
        },
    )
    assert done.status_code == 200 and done.get_json()["status"] == "completed"
    stored = db.get(Booking, booking["id"])
    assert (str(stored.steam_t), str(stored.power_kwh), len(stored.materials)) == ("1.5", "320", 1)
    actions = [e.action for e in db.query(AuditEntry).filter_by(entity_type="booking").order_by(AuditEntry.id)]
    assert actions == ["booking.requested", "booking.confirm", "booking.start", "booking.complete"]


def hours_ago(hours: float) -> datetime:
    return datetime.now(UTC) - timedelta(hours=hours)


def test_cancelling_frees_the_vessel_at_once(client, plant, customer, db):
    first = client.post(
        "/api/v1/bookings", json=request_body(equipment="LF100-1", start=local(3, 9).isoformat()), headers=customer
    ).get_json()
    assert client.post(f"/api/v1/bookings/{first['id']}/cancel", headers=customer).get_json()["status"] == "cancelled"
    again = client.post(
        "/api/v1/bookings", json=request_body(equipment="LF100-1", start=local(3, 9).isoformat()), headers=customer
    )
    assert again.status_code == 201
    assert db.query(Allocation).filter_by(active=True).count() == 1


def test_rejecting_needs_a_reason(client, plant, customer, operator):
    booking = client.post("/api/v1/bookings", json=request_body(), headers=customer).get_json()
    url = f"/api/v1/bookings/{booking['id']}/reject"
    assert client.post(url, json={}, headers=operator).status_code == 422
    assert client.post(url, json={"reason": "菌种资料不全"}, headers=operator).get_json()["status"] == "rejected"


def test_another_companys_booking_answers_404(client, plant, customer, make_company, token_for):
    booking = client.post("/api/v1/bookings", json=request_body(), headers=customer).get_json()
    _, other_email = make_company()
    other = token_for(other_email)
    assert client.get(f"/api/v1/bookings/{booking['id']}", headers=other).status_code == 404
    assert client.post(f"/api/v1/bookings/{booking['id']}/cancel", headers=other).status_code == 404
    assert client.get("/api/v1/bookings", headers=other).get_json()["items"] == []


def test_completing_with_an_end_before_the_start_is_refused(client, plant, customer, operator, db):
    booking = client.post("/api/v1/bookings", json=request_body(), headers=customer).get_json()
    url = f"/api/v1/bookings/{booking['id']}"
    client.post(url + "/confirm", headers=operator)
    client.post(url + "/start", json={"here": True}, headers=operator)
    response = client.post(
        url + "/complete",
        headers=operator,
        json={"actual_start": hours_ago(1).isoformat(), "actual_end": hours_ago(3).isoformat()},
    )
    assert response.status_code == 422 and "actual_end" in response.get_json()["fields"]
    assert db.get(Booking, booking["id"]).status.value == "running"


def test_availability_reflects_a_booking_made_after_the_previous_search(client, plant, customer):
    query = {
        "kind": "liquid",
        "working_volume_l": 60,
        "duration_h": 48,
        "earliest_start": local(2, 8).isoformat(),
        "latest_end": local(30, 20).isoformat(),
        "limit": 1,
    }
    first = client.get("/api/v1/availability", query_string=query, headers=customer).get_json()["items"][0]
    client.post(
        "/api/v1/bookings", json=request_body(equipment=first["equipment"], start=first["start"]), headers=customer
    )
    after = client.get("/api/v1/availability", query_string=query, headers=customer).get_json()["items"][0]
    assert (after["equipment"], after["start"]) != (first["equipment"], first["start"])


def test_booking_references_are_the_years_numbers_in_order(client, plant, customer):
    references = [
        client.post("/api/v1/bookings", json=request_body(), headers=customer).get_json()["reference"] for _ in range(3)
    ]
    today = local(0, 12)
    assert references == [f"BK{today:%y%m}-{n:05d}" for n in (1, 2, 3)]
