"""Calendar feeds: a company subscribes to its own bookings by secret URL; staff subscribe to a vessel."""

import re
from datetime import UTC, timedelta

import pytest
from icalendar import Calendar

from app.services.booking.feeds import company_feed_token, equipment_feed_token
from tests.app.booking_data import local, request_body


def events(response) -> list:
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == "text/calendar"
    return Calendar.from_ical(response.data).walk("VEVENT")


@pytest.fixture
def plant(add_equipment):
    add_equipment("LF100-1", "liquid", 100, turnaround_h=5)
    add_equipment("LF100-2", "liquid", 100, turnaround_h=5)


@pytest.fixture
def company_a(make_company, token_for):
    company_id, email = make_company("甲公司")
    return company_id, token_for(email), email


@pytest.fixture
def company_b(make_company, token_for):
    company_id, email = make_company("乙公司")
    return company_id, token_for(email), email


@pytest.fixture
def operator(make_user, token_for):
    email = make_user("operator")
    return email, token_for(email)


def book(client, headers, **overrides) -> dict:
    response = client.post("/api/v1/bookings", json=request_body(**overrides), headers=headers)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def company_feed(client, company_id, generation=0):
    return client.get(f"/feeds/company/{company_feed_token('test', company_id, generation)}.ics")


def test_a_companys_feed_lists_its_allocations_in_utc_and_never_another_companys(client, plant, company_a, company_b):
    mine = book(client, company_a[1])
    theirs = book(client, company_b[1])
    found = events(company_feed(client, company_a[0]))
    assert [str(e["summary"]) for e in found] == [f"{mine['reference']} 主发酵 LF100-1"]
    event = found[0]
    assert event.decoded("dtstart") == local(2, 8).astimezone(UTC)
    assert event.decoded("dtstart").utcoffset() == timedelta(0)
    assert "Z" in event["dtstart"].to_ical().decode()  # written in UTC
    assert event.decoded("dtend") == local(4, 8).astimezone(UTC)
    assert str(event["status"]) == "TENTATIVE"
    assert theirs["reference"] not in company_feed(client, company_a[0]).get_data(as_text=True)


def test_the_feed_is_a_valid_calendar_with_stable_uids_and_confirmed_work_marked_confirmed(
    client, plant, company_a, operator
):
    booking = book(client, company_a[1])
    first = events(company_feed(client, company_a[0]))[0]
    client.post(f"/api/v1/bookings/{booking['id']}/confirm", headers=operator[1])
    calendar = Calendar.from_ical(company_feed(client, company_a[0]).data)
    assert str(calendar["version"]) == "2.0" and "prodid" in calendar
    again = calendar.walk("VEVENT")[0]
    assert str(again["uid"]) == str(first["uid"])
    assert str(again["status"]) == "CONFIRMED"
    assert "dtstamp" in again


def test_cancelled_work_leaves_the_feed(client, plant, company_a):
    booking = book(client, company_a[1])
    client.post(f"/api/v1/bookings/{booking['id']}/cancel", headers=company_a[1])
    assert events(company_feed(client, company_a[0])) == []


@pytest.mark.parametrize("token", ["nonsense", "1-0000", "x-y", "999-abc"])
def test_a_bad_token_answers_404(client, company_a, token):
    assert client.get(f"/feeds/company/{token}.ics").status_code == 404


def test_one_companys_secret_does_not_open_another_companys_feed(client, company_a, company_b):
    secret = company_feed_token("test", company_a[0], 0).split("-", 1)[1]
    assert client.get(f"/feeds/company/{company_b[0]}-{secret}.ics").status_code == 404


def test_the_company_page_shows_the_feed_url(client, sign_in, company_a, plant):
    book(client, company_a[1])
    page = sign_in(company_a[2]).get("/company").get_data(as_text=True)
    url = re.search(r'href="(http[^"]+/feeds/company/[^"]+\.ics)"', page).group(1)
    path = url.split("://", 1)[1].split("/", 1)[1]
    assert len(events(client.get("/" + path))) == 1


def test_staff_see_every_booking_on_a_vessel_with_the_company_name(
    client, sign_in, plant, company_a, company_b, operator
):
    mine = book(client, company_a[1], equipment="LF100-1", start=local(2, 8).isoformat())
    theirs = book(client, company_b[1], equipment="LF100-1", start=local(6, 8).isoformat())
    sign_in(operator[0])
    found = events(client.get("/feeds/equipment/LF100-1.ics"))
    assert [str(e["summary"]) for e in found] == [
        f"{mine['reference']} 甲公司 主发酵",
        f"{theirs['reference']} 乙公司 主发酵",
    ]
    assert events(client.get("/feeds/equipment/LF100-2.ics")) == []


def test_a_vessel_feed_opens_with_the_staff_token_and_not_for_customers(client, sign_in, plant, company_a):
    book(client, company_a[1])
    token = equipment_feed_token("test", "LF100-1", 0)
    assert len(events(client.get(f"/feeds/equipment/LF100-1.ics?token={token}"))) == 1
    assert client.get("/feeds/equipment/LF100-1.ics?token=wrong").status_code == 404
    assert client.get("/feeds/equipment/LF100-1.ics").status_code == 302  # to the sign-in page
    sign_in(company_a[2])
    assert client.get("/feeds/equipment/LF100-1.ics").status_code == 403


def test_an_unknown_vessel_answers_404(client, sign_in, operator):
    sign_in(operator[0])
    assert client.get("/feeds/equipment/NOPE.ics").status_code == 404


def test_staff_find_the_vessel_feed_urls_on_a_page(client, sign_in, plant, operator):
    page = sign_in(operator[0]).get("/feeds/equipment").get_data(as_text=True)
    assert f"/feeds/equipment/LF100-1.ics?token={equipment_feed_token('test', 'LF100-1', 0)}" in page
