"""Staff read a booking's audit log, on a page and in the API; customers cannot."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

SHANGHAI = ZoneInfo("Asia/Shanghai")


def local(days: int, hour: int) -> datetime:
    today = datetime.now(SHANGHAI).date()
    return datetime(today.year, today.month, today.day, hour, tzinfo=SHANGHAI) + timedelta(days=days)


def request_body() -> dict:
    return {
        "service": "scale_up",
        "kind": "liquid",
        "working_volume_l": 60,
        "duration_h": 48,
        "earliest_start": local(2, 8).isoformat(),
        "latest_end": local(30, 20).isoformat(),
        "organism": "枯草芽孢杆菌",
        "organism_family": "bacillus",
    }


@pytest.fixture
def customer(make_company):
    return make_company()[1]


@pytest.fixture
def booking(client, add_equipment, customer, make_user, token_for):
    """A booking requested by the customer and confirmed by an operator."""
    add_equipment("LF100-1", "liquid", 100, turnaround_h=5)
    created = client.post("/api/v1/bookings", json=request_body(), headers=token_for(customer)).get_json()
    operator = token_for(make_user("operator"))
    assert client.post(f"/api/v1/bookings/{created['id']}/confirm", headers=operator).status_code == 200
    return created


@pytest.mark.parametrize("role", ["operator", "finance", "admin"])
def test_staff_read_the_history_oldest_first(client, booking, customer, make_user, token_for, role):
    response = client.get(f"/api/v1/bookings/{booking['id']}/history", headers=token_for(make_user(role)))
    assert response.status_code == 200
    items = response.get_json()["items"]
    assert [i["action"] for i in items] == ["booking.requested", "booking.confirm"]
    assert items[0]["user"] == customer
    assert items[1]["details"] == {"after": "confirmed", "before": "requested", "reason": ""}
    assert items[0]["at"].endswith("+08:00")


def test_customers_may_not_read_the_history(client, booking, customer, token_for):
    response = client.get(f"/api/v1/bookings/{booking['id']}/history", headers=token_for(customer))
    assert response.status_code == 403


def test_an_unknown_booking_answers_404_and_no_token_401(client, make_user, token_for):
    assert client.get("/api/v1/bookings/999/history", headers=token_for(make_user("operator"))).status_code == 404
    assert client.get("/api/v1/bookings/999/history").status_code == 401


def test_the_history_endpoint_is_in_the_openapi_document(client):
    assert "get" in client.get("/api/v1/openapi.json").get_json()["paths"]["/api/v1/bookings/{booking_id}/history"]


def test_the_history_page_lists_each_change_for_staff(client, booking, make_user, sign_in):
    page = sign_in(make_user("finance")).get(f"/bookings/{booking['id']}/history")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert booking["reference"] in text and "提交预约申请" in text and "已确认" in text


def test_the_history_page_is_closed_to_customers_and_404_for_unknown_bookings(
    client, booking, customer, make_user, sign_in
):
    assert sign_in(customer).get(f"/bookings/{booking['id']}/history").status_code == 403
    client.post("/logout")
    assert sign_in(make_user("operator")).get("/bookings/999/history").status_code == 404
