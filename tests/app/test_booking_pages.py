"""The booking pages as customers and operators use them."""

import re
from datetime import timedelta

import pytest

from app.models import Allocation, Booking
from tests.app.booking_data import local, request_body
from tests.conftest import InspectingClient


def form(**overrides) -> dict:
    data = {
        "service": "scale_up",
        "kind": "liquid",
        "working_volume_l": "60",
        "duration_h": "48",
        "earliest_start": local(2, 8).strftime("%Y-%m-%dT%H:%M"),
        "latest_end": local(30, 20).strftime("%Y-%m-%dT%H:%M"),
        "organism": "枯草芽孢杆菌",
        "organism_family": "bacillus",
        "biosafety_level": "1",
        "extraction_unit": "",
        "notes": "",
    }
    return {**data, **overrides}


@pytest.fixture
def plant(add_equipment):
    add_equipment("LF100-1", "liquid", 100, turnaround_h=5)
    add_equipment("LF100-2", "liquid", 100, turnaround_h=5)


@pytest.fixture
def customer(client, make_company, sign_in):
    _, email = make_company()
    sign_in(email)
    return client


def test_a_customer_searches_and_sees_slots_and_a_picture_where_others_work_is_anonymous(
    app, plant, customer, make_company, token_for
):
    _, other = make_company(name="别家公司")
    theirs = app.test_client().post("/api/v1/bookings", json=request_body(), headers=token_for(other)).get_json()
    page = customer.post("/bookings/new", data=form(action="search")).get_data(as_text=True)
    assert "LF100-2" in page and "<svg" in page
    assert "占用" in page and theirs["reference"] not in page and "别家公司" not in page


def test_a_customer_books_a_found_slot_and_sees_it_requested(plant, customer, db):
    response = customer.post(
        "/bookings/new", data=form(action="book", equipment="LF100-1", start=local(3, 9).isoformat())
    )
    assert response.status_code == 302
    booking = db.query(Booking).one()
    page = customer.get(response.headers["Location"]).get_data(as_text=True)
    assert booking.reference in page and "待确认" in page and "LF100-1" in page


def test_a_window_ending_before_it_starts_gets_a_chinese_message_and_saves_nothing(plant, customer, db):
    response = customer.post(
        "/bookings/new", data=form(action="earliest", latest_end=local(1, 8).strftime("%Y-%m-%dT%H:%M"))
    )
    assert response.status_code == 422
    assert "最晚结束时间须晚于最早开始时间" in response.get_data(as_text=True)
    assert db.query(Booking).count() == 0


def test_a_customer_cancels_its_booking_and_the_vessel_is_free(plant, customer, db):
    customer.post("/bookings/new", data=form(action="earliest"))
    booking = db.query(Booking).one()
    customer.post(f"/bookings/{booking.id}/cancel", data={"reason": "计划变更"})
    assert db.get(Booking, booking.id).status.value == "cancelled"
    assert db.query(Allocation).filter_by(active=True).count() == 0


@pytest.fixture
def operator(app, make_user, db):
    client = InspectingClient(app, app.response_class, use_cookies=True)
    client.inspector = db
    email = make_user("operator")
    assert client.post("/login", data={"email": email, "password": "secret-123"}).status_code == 302
    return client


def test_an_operator_confirms_from_the_queue_and_sees_it_on_the_board(plant, customer, operator, db):
    customer.post("/bookings/new", data=form(action="earliest"))
    booking = db.query(Booking).one()
    assert booking.reference in operator.get("/operations/queue").get_data(as_text=True)
    operator.post(f"/operations/bookings/{booking.id}/confirm")
    assert db.get(Booking, booking.id).status.value == "confirmed"
    board = operator.get(f"/operations/board?start={local(2, 0).date().isoformat()}").get_data(as_text=True)
    assert booking.reference in board and "status-confirmed" in board


def test_a_hand_move_onto_other_work_is_refused_with_a_message(plant, customer, operator, db):
    customer.post("/bookings/new", data=form(action="book", equipment="LF100-1", start=local(3, 9).isoformat()))
    customer.post("/bookings/new", data=form(action="book", equipment="LF100-2", start=local(3, 9).isoformat()))
    second = db.query(Booking).order_by(Booking.id.desc()).first()
    response = operator.post(
        f"/operations/bookings/{second.id}/move",
        data={"stage": "main", "equipment": "LF100-1", "start": local(3, 10).strftime("%Y-%m-%dT%H:%M")},
        follow_redirects=True,
    )
    assert "调整后的排程违反规则" in response.get_data(as_text=True)
    assert db.query(Allocation).filter_by(booking_id=second.id).one().equipment.code == "LF100-2"


def hand_move(operator, booking, equipment: str, day: int):
    return operator.post(
        f"/operations/bookings/{booking.id}/move",
        data={"stage": "main", "equipment": equipment, "start": local(day, 9).strftime("%Y-%m-%dT%H:%M")},
    )


def test_the_optimiser_page_previews_and_applies(plant, customer, operator, db):
    customer.post(
        "/bookings/new",
        data=form(
            action="book",
            equipment="LF100-1",
            start=local(20, 9).isoformat(),
            latest_end=local(25, 20).strftime("%Y-%m-%dT%H:%M"),
        ),
    )
    booking = db.query(Booking).one()
    hand_move(operator, booking, "LF100-2", 24)  # ends on day 26: late
    started = operator.post("/operations/optimize", data={"time_limit_s": "2"})
    preview = operator.get(started.headers["Location"]).get_data(as_text=True)
    assert booking.reference in preview and "http-equiv" not in preview
    assert booking.company.name in preview  # the same moves table as the repair page: customer, start–end
    assert f"LF100-2 {local(24, 9):%m-%d %H:%M}–" in preview
    job_id = re.search(r'name="job_id" value="(\d+)"', preview).group(1)
    operator.post("/operations/apply", data={"job_id": job_id})
    assert db.query(Allocation).one().end <= local(25, 20)
    again = operator.post("/operations/apply", data={"job_id": job_id}, follow_redirects=True)
    assert "该任务的结果已经应用过" in again.get_data(as_text=True)


def test_a_booking_moved_by_hand_is_not_moved_back_when_that_gains_nothing(plant, customer, operator, db):
    customer.post("/bookings/new", data=form(action="book", equipment="LF100-1", start=local(3, 9).isoformat()))
    booking = db.query(Booking).one()
    hand_move(operator, booking, "LF100-2", 5)  # still well inside its window
    started = operator.post("/operations/optimize", data={"time_limit_s": "2"})
    preview = operator.get(started.headers["Location"]).get_data(as_text=True)
    assert "无需调整" in preview and 'name="job_id"' not in preview
    assert db.query(Allocation).one().equipment.code == "LF100-2"


def test_an_operator_completes_a_running_batch_with_usage(plant, customer, operator, db):
    customer.post("/bookings/new", data=form(action="earliest"))
    booking = db.query(Booking).one()
    operator.post(f"/operations/bookings/{booking.id}/confirm")
    operator.post(f"/operations/bookings/{booking.id}/start", data={"here": "1"})
    response = operator.post(
        f"/operations/bookings/{booking.id}/complete",
        data={
            "actual_start": local(-3, 8).strftime("%Y-%m-%dT%H:%M"),
            "actual_end": local(-1, 10).strftime("%Y-%m-%dT%H:%M"),
            "steam_t": "1.2",
            "power_kwh": "300",
            "operator_h": "10",
            "samples": "4",
            "material": "玉米浆",
            "material_quantity": "20",
            "material_unit": "kg",
            "material_unit_cost": "3.20",
        },
    )
    assert response.status_code == 302
    done = db.get(Booking, booking.id)
    assert (
        done.status.value == "completed" and str(done.operator_h) == "10" and done.materials[0].description == "玉米浆"
    )


def test_customers_cannot_open_operator_pages(plant, customer):
    assert customer.get("/operations/queue").status_code == 403
    assert customer.get("/operations/board").status_code == 403


def test_the_booking_list_shows_fifty_a_page_latest_first_and_pages_on(client, make_company, sign_in, db):
    company_id, email = make_company()
    start = local(2, 8)
    for k in range(55):
        db.add(
            Booking(
                reference=f"BK-PAGE-{k:02d}",
                company_id=company_id,
                service="scale_up",
                kind="liquid",
                working_volume_l=60,
                duration_h=24,
                earliest_start=start + timedelta(days=k),
                latest_end=start + timedelta(days=k + 5),
                organism="枯草芽孢杆菌",
            )
        )
    db.commit()
    sign_in(email)
    first = client.get("/bookings/").get_data(as_text=True)
    second = client.get("/bookings/?page=2").get_data(as_text=True)
    beyond = client.get("/bookings/?page=99").get_data(as_text=True)
    assert first.count("BK-PAGE-") == 50 and "BK-PAGE-54" in first and "BK-PAGE-04" not in first
    assert "第 1 页，共 2 页" in first and "page=2" in first
    assert second.count("BK-PAGE-") == 5 and "BK-PAGE-00" in second and "page=1" in second
    assert beyond.count("BK-PAGE-") == 5


def test_the_booking_page_offers_exactly_the_actions_the_lifecycle_allows(
    plant, customer, operator, app, make_user, db
):
    customer.post("/bookings/new", data=form(action="earliest"))
    booking = db.query(Booking).one()
    finance = app.test_client()
    finance.post("/login", data={"email": make_user("finance"), "password": "secret-123"})
    url, cancel = f"/bookings/{booking.id}", f"/bookings/{booking.id}/cancel"
    confirm = f"/operations/bookings/{booking.id}/confirm"
    as_operator, as_customer = operator.get(url).get_data(as_text=True), customer.get(url).get_data(as_text=True)
    as_finance = finance.get(url).get_data(as_text=True)
    assert confirm in as_operator and cancel in as_operator
    assert confirm not in as_customer and cancel in as_customer
    assert confirm not in as_finance and cancel not in as_finance  # finance may not cancel: no button to a 403
