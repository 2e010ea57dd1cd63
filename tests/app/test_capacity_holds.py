"""One company cannot hold the plant: new companies are approved before their requests hold vessels, an
unconfirmed request holds its vessels for a limited time, and limits per request and per company apply to the
form and the API alike. Staff see who holds what."""

from datetime import UTC, datetime, timedelta

import pytest

from app.models import Allocation, Approval, AuditEntry, Booking, BookingStatus, Company, User
from app.platform.context import Context
from app.platform.db import db_session
from app.platform.plant_rules import PlantRules
from app.services.booking import availability, bookings
from tests.app.api_people import operator  # noqa: F401 (fixtures)
from tests.app.booking_data import local, request_body
from tests.factories import valid_uscc


@pytest.fixture
def vessel(add_equipment):
    add_equipment("LF100-1", "liquid", 100, turnaround_h=5)


@pytest.fixture
def admin(make_user, token_for):
    return token_for(make_user("admin"))


def first_slot(client, headers, **query) -> str:
    found = client.get(
        "/api/v1/availability",
        headers=headers,
        query_string={
            "kind": "liquid",
            "working_volume_l": 60,
            "duration_h": 48,
            "earliest_start": local(2, 8).isoformat(),
            "latest_end": local(30, 20).isoformat(),
            **query,
        },
    ).get_json()["items"]
    return found[0]["start"]


# approval


def test_a_company_awaiting_review_gets_its_request_recorded_without_vessels(
    client, vessel, make_company, token_for, db
):
    _, pending = make_company(approved=False)
    _, other = make_company()
    free_before = first_slot(client, token_for(other))
    response = client.post("/api/v1/bookings", json=request_body(), headers=token_for(pending))
    assert response.status_code == 201
    assert (response.get_json()["status"], response.get_json()["allocations"]) == ("requested", [])
    assert first_slot(client, token_for(other)) == free_before
    assert db.query(Allocation).count() == 0


def test_the_admin_approves_through_the_api_which_confirms_the_first_users_email(
    client, vessel, make_company, token_for, admin, db
):
    company_id, email = make_company(approved=False)
    response = client.patch(f"/api/v1/companies/{company_id}", headers=admin, json={"approved": True})
    assert response.status_code == 200 and response.get_json()["approved"] is True
    assert db.get(Company, company_id).approval == Approval.APPROVED
    assert db.query(User).filter_by(email=email).one().email_verified
    assert db.query(AuditEntry).filter_by(action="company.approved", entity_id=str(company_id)).count() == 1
    booked = client.post("/api/v1/bookings", json=request_body(), headers=token_for(email)).get_json()
    assert [a["equipment"] for a in booked["allocations"]] == ["LF100-1"] and booked["hold_until"].endswith("+08:00")


def test_only_an_admin_approves(client, make_company, operator):
    company_id, _ = make_company(approved=False)
    assert client.patch(f"/api/v1/companies/{company_id}", headers=operator, json={"approved": True}).status_code == 403


def test_the_review_queue_shows_the_uscc_check_and_details_and_approves_or_refuses(
    client, make_company, make_user, sign_in, db
):
    waiting, _ = make_company("待审企业", approved=False, phone="0471-1111111")
    refused, _ = make_company("可疑企业", approved=False)
    sign_in(make_user("admin"))
    page = client.get("/admin/companies/review").get_data(as_text=True)
    assert "待审企业" in page and "0471-1111111" in page and "校验位正确" in page and "邮箱未确认" in page
    approved = client.post(f"/admin/companies/{waiting}/review", data={"decision": "approve"}, follow_redirects=True)
    assert "已通过 待审企业 的审核" in approved.get_data(as_text=True)
    client.post(f"/admin/companies/{refused}/review", data={"decision": "refuse", "note": "信息不实"})
    assert (db.get(Company, waiting).approval, db.get(Company, refused).approval) == (
        Approval.APPROVED,
        Approval.REFUSED,
    )
    assert db.get(Company, refused).review_note == "信息不实"
    assert "没有待审核的企业" in client.get("/admin/companies/review").get_data(as_text=True)
    actions = {e.action for e in db.query(AuditEntry).filter(AuditEntry.entity_type == "company")}
    assert {"company.approved", "company.refused"} <= actions


def test_an_operator_cannot_confirm_a_request_of_a_company_awaiting_review_and_can_after_approval(
    client, vessel, make_company, token_for, operator, admin
):
    company_id, email = make_company(approved=False)
    booking = client.post("/api/v1/bookings", json=request_body(), headers=token_for(email)).get_json()
    refused = client.post(f"/api/v1/bookings/{booking['id']}/confirm", headers=operator)
    assert refused.status_code == 409 and "尚未通过平台审核" in refused.get_json()["error"]
    client.patch(f"/api/v1/companies/{company_id}", headers=admin, json={"approved": True})
    confirmed = client.post(f"/api/v1/bookings/{booking['id']}/confirm", headers=operator).get_json()
    assert confirmed["status"] == "confirmed" and [a["equipment"] for a in confirmed["allocations"]] == ["LF100-1"]


# holds that run out


def test_a_hold_that_ran_out_counts_for_nothing_even_before_anything_is_written(app, vessel, make_company, db):
    _, email = make_company()
    rules, cache, now = PlantRules.from_config(app.config), {}, datetime.now(UTC)
    data = bookings.BookingInput("scale_up", "liquid", 60, 48, local(5, 8), local(30, 20), "枯草芽孢杆菌")
    with app.app_context():
        session = db_session()
        booking = bookings.request_booking(
            session, db.query(User).filter_by(email=email).one(), data, Context(rules, lambda: now, plan_cache=cache)
        )
        session.commit()
        held = booking.allocations[0].start
        during = availability.find_slots(
            session, data, Context(rules, lambda: now + timedelta(hours=71), plan_cache=cache)
        )
        after = availability.find_slots(
            session, data, Context(rules, lambda: now + timedelta(hours=73), plan_cache=cache)
        )
        during, after = during.slots[0].start, after.slots[0].start
        session.rollback()
    assert during > held and after == held


def test_the_next_placement_releases_a_hold_that_ran_out_and_audits_it(
    client, app, vessel, make_company, token_for, db, monkeypatch
):
    monkeypatch.setitem(app.config, "REQUEST_HOLD_HOURS", 0)  # every hold has run out by the next request
    _, first = make_company()
    _, second = make_company()
    slot = request_body(equipment="LF100-1", start=local(3, 9).isoformat())
    stale = client.post("/api/v1/bookings", json=slot, headers=token_for(first)).get_json()
    taken = client.post("/api/v1/bookings", json=slot, headers=token_for(second))
    assert taken.status_code == 201
    released = db.get(Booking, stale["id"])
    assert released.status == BookingStatus.REQUESTED and not any(a.active for a in released.allocations)
    assert db.query(AuditEntry).filter_by(action="booking.hold_expired", entity_id=str(stale["id"])).count() == 1


def test_confirming_a_request_whose_hold_ran_out_places_it_again_and_holds_for_good(
    client, app, vessel, make_company, token_for, operator, monkeypatch
):
    monkeypatch.setitem(app.config, "REQUEST_HOLD_HOURS", 0)
    _, email = make_company()
    stale = client.post("/api/v1/bookings", json=request_body(), headers=token_for(email)).get_json()
    client.post("/api/v1/bookings", json=request_body(), headers=token_for(email))  # releases the first
    confirmed = client.post(f"/api/v1/bookings/{stale['id']}/confirm", headers=operator).get_json()
    assert confirmed["status"] == "confirmed" and len(confirmed["allocations"]) == 1
    assert confirmed["hold_until"] is None


# limits


@pytest.mark.parametrize(
    "change, field, message",
    [
        ({"duration_h": 721, "latest_end": local(60, 20).isoformat()}, "duration_h", "不能超过 720 小时"),
        ({"latest_end": local(190, 20).isoformat()}, "latest_end", "不能晚于 180 天之后"),
    ],
)
def test_a_request_too_long_or_too_far_ahead_is_refused_with_its_field(
    client, vessel, make_company, token_for, change, field, message
):
    _, email = make_company()
    response = client.post("/api/v1/bookings", json=request_body(**change), headers=token_for(email))
    assert response.status_code == 422 and message in response.get_json()["fields"][field]


def test_the_booking_form_applies_the_same_limits(client, vessel, make_company, sign_in):
    _, email = make_company()
    sign_in(email)
    response = client.post(
        "/bookings/new",
        data={
            "service": "scale_up",
            "kind": "liquid",
            "working_volume_l": "60",
            "duration_h": "8760",
            "earliest_start": local(2, 8).strftime("%Y-%m-%dT%H:%M"),
            "latest_end": local(400, 20).strftime("%Y-%m-%dT%H:%M"),
            "organism": "枯草芽孢杆菌",
            "biosafety_level": "1",
        },
    )
    text = response.get_data(as_text=True)
    assert response.status_code == 422 and "不能超过 720 小时" in text and "不能晚于 180 天之后" in text


def test_a_company_holds_at_most_its_unconfirmed_vessel_hours_until_the_plant_confirms(
    client, app, add_equipment, make_company, token_for, operator, monkeypatch
):
    monkeypatch.setitem(app.config, "MAX_UNCONFIRMED_VESSEL_HOURS", 100)
    add_equipment("LF100-1", "liquid", 100)
    add_equipment("LF100-2", "liquid", 100)
    _, email = make_company()
    headers = token_for(email)
    first = client.post("/api/v1/bookings", json=request_body(), headers=headers)
    over = client.post("/api/v1/bookings", json=request_body(duration_h=60), headers=headers)
    assert first.status_code == 201 and over.status_code == 422
    assert "超过上限 100 小时" in over.get_json()["fields"]["duration_h"]
    client.post(f"/api/v1/bookings/{first.get_json()['id']}/confirm", headers=operator)
    assert client.post("/api/v1/bookings", json=request_body(duration_h=60), headers=headers).status_code == 201


def test_the_year_long_flood_of_the_report_holds_nothing(client, vessel, make_company, token_for):
    _, attacker = make_company()
    _, customer = make_company()
    flood = request_body(
        duration_h=8760, earliest_start=local(2, 8).isoformat(), latest_end=local(3 * 365, 20).isoformat()
    )
    codes = {client.post("/api/v1/bookings", json=flood, headers=token_for(attacker)).status_code for _ in range(3)}
    assert codes == {422}
    assert first_slot(client, token_for(customer)) == local(2, 8).isoformat()


# who holds what


def test_staff_see_per_company_the_vessel_hours_held_and_when_the_first_hold_expires(
    client, vessel, make_company, token_for, make_user, sign_in
):
    _, email = make_company("占用企业")
    client.post("/api/v1/bookings", json=request_body(), headers=token_for(email))
    sign_in(make_user("finance"))
    page = client.get("/holds/").get_data(as_text=True)
    assert "占用企业" in page and "48.0" in page and "最早到期时间" in page


def test_registering_through_the_api_leaves_the_company_awaiting_review(client):
    response = client.post(
        "/api/v1/companies",
        json={
            "name": "新企业",
            "uscc": valid_uscc(7001),
            "contact_name": "王",
            "email": "new@example.com",
            "password": "good-pass-1",
        },
    )
    assert response.status_code == 201
    assert (response.get_json()["approved"], response.get_json()["approval"]) == (False, "pending")
