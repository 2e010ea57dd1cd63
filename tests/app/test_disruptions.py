"""When the plant departs from the plan: facts it cannot refuse make the bookings they break conflicted; changes it
can refuse are refused with the reason; a conflict on one vessel never blocks work elsewhere."""

from datetime import UTC, datetime, timedelta

import pytest

from app.models import Allocation, AuditEntry, Booking, Invoice
from tests.app.booking_data import local
from tests.app.disruption_plant import book, customer, maintenance, operator, outbox, plant, status, subjects  # noqa: F401

# (vessel, window start, window end) → which of the two LF100-1 bookings (day 3 and day 6) become conflicted
WINDOWS = [
    ("LF100-1", local(4, 0), local(4, 12), {"first"}),  # inside the first batch
    ("LF100-1", local(5, 10), local(5, 12), {"first"}),  # inside the first batch's turnaround
    ("LF100-1", local(5, 13), local(6, 8), set()),  # between them, touching both (half-open)
    ("LF100-1", local(2, 0), local(9, 0), {"first", "second"}),  # over both
    ("LF100-2", local(2, 0), local(9, 0), set()),  # another vessel
]


@pytest.mark.parametrize("vessel, start, end, conflicted", WINDOWS)
def test_a_maintenance_window_conflicts_exactly_the_bookings_it_breaks(
    client, plant, customer, operator, vessel, start, end, conflicted
):
    bookings = {
        "first": book(client, customer, operator, "LF100-1", 3),
        "second": book(client, customer, operator, "LF100-1", 6),
    }
    assert maintenance(client, operator, vessel, start, end).status_code == 201
    assert {name for name, b in bookings.items() if status(client, operator, b) == "conflicted"} == conflicted


def test_a_conflict_is_audited_mailed_and_listed_on_the_operators_home_page(
    client, plant, customer, operator, db, outbox, make_user, sign_in
):
    booking = book(client, customer, operator, "LF100-1", 3)
    maintenance(client, operator, "LF100-1", local(4, 0), local(4, 12))
    entry = db.query(AuditEntry).filter_by(action="booking.conflicted").one()
    assert entry.entity_id == str(booking["id"]) and "机封泄漏" in entry.details
    assert any("与实际情况冲突" in subject for subject in subjects(outbox))
    sign_in(make_user("operator"))
    home = client.get("/").get_data(as_text=True)
    assert booking["reference"] in home and "排程冲突" in home


def test_removing_the_window_confirms_the_booking_again(client, plant, customer, operator, sign_in, make_user, db):
    booking = book(client, customer, operator, "LF100-1", 3)
    window = maintenance(client, operator, "LF100-1", local(4, 0), local(4, 12)).get_json()
    sign_in(make_user("operator"))
    client.post(f"/equipment/maintenance/{window['id']}/delete")
    assert status(client, operator, booking) == "confirmed"


@pytest.mark.parametrize(
    "new_status, expected", [("maintenance", "conflicted"), ("retired", "conflicted"), ("active", "confirmed")]
)
def test_taking_a_vessel_out_of_service_conflicts_its_bookings(
    client, plant, customer, operator, sign_in, make_user, new_status, expected
):
    booking = book(client, customer, operator, "LF100-1", 3)
    sign_in(make_user("operator"))
    client.post(f"/equipment/LF100-1/status/{new_status}")
    assert status(client, operator, booking) == expected


def test_a_conflict_on_one_vessel_never_blocks_moves_elsewhere(client, plant, customer, operator):
    book(client, customer, operator, "LF100-1", 3)
    other = book(client, customer, operator, "LF100-2", 3)
    maintenance(client, operator, "LF100-1", local(4, 0), local(4, 12))
    moved = client.post(
        "/api/v1/schedule/apply",
        headers=operator,
        json={
            "moves": [
                {
                    "booking_id": other["id"],
                    "stages": [
                        {
                            "stage": "main",
                            "equipment": "LF100-2",
                            "start": local(10, 8).isoformat(),
                            "end": local(12, 8).isoformat(),
                        }
                    ],
                }
            ]
        },
    )
    assert moved.status_code == 200


# refusable changes: each is refused with a Chinese reason and changes nothing
def test_a_move_into_a_maintenance_window_is_refused(client, plant, customer, operator):
    booking = book(client, customer, operator, "LF100-2", 3)
    maintenance(client, operator, "LF100-1", local(10, 0), local(11, 0))
    response = client.post(
        "/api/v1/schedule/apply",
        headers=operator,
        json={
            "moves": [
                {
                    "booking_id": booking["id"],
                    "stages": [
                        {
                            "stage": "main",
                            "equipment": "LF100-1",
                            "start": local(9, 8).isoformat(),
                            "end": local(11, 8).isoformat(),
                        }
                    ],
                }
            ]
        },
    )
    assert response.status_code == 409 and "违反规则" in response.get_json()["error"]


def test_confirming_a_request_that_a_new_window_broke_is_refused(client, plant, customer, operator):
    booking = book(client, customer, operator, "LF100-1", 3, confirm=False)
    maintenance(client, operator, "LF100-1", local(4, 0), local(4, 12))
    response = client.post(f"/api/v1/bookings/{booking['id']}/confirm", headers=operator)
    assert response.status_code == 409 and "排程已失效" in response.get_json()["error"]
    assert status(client, operator, booking) == "requested"


def test_starting_on_a_vessel_under_maintenance_is_refused(client, plant, customer, operator, sign_in, make_user):
    booking = book(client, customer, operator, "LF100-1", 3)
    sign_in(make_user("operator"))
    client.post("/equipment/LF100-1/status/maintenance")
    response = client.post(f"/api/v1/bookings/{booking['id']}/start", json={"here": True}, headers=operator)
    assert response.status_code == 409 and "维护中" in response.get_json()["error"]


def test_starting_away_from_the_planned_time_needs_start_now_on_this_vessel(client, plant, customer, operator, db):
    booking = book(client, customer, operator, "LF100-1", 3)
    refused = client.post(f"/api/v1/bookings/{booking['id']}/start", headers=operator)
    assert refused.status_code == 409 and "立即开始" in refused.get_json()["error"]
    started = client.post(f"/api/v1/bookings/{booking['id']}/start", json={"here": True}, headers=operator)
    assert started.get_json()["status"] == "running"
    main = db.query(Allocation).filter_by(booking_id=booking["id"], active=True).one()
    assert abs(main.start - datetime.now(UTC)) < timedelta(minutes=5)
    assert started.get_json()["previous_allocations"][0]["start"] == local(3, 8).isoformat()


def test_starting_now_where_it_would_overlap_other_work_is_refused(client, plant, customer, operator):
    next_one = book(client, customer, operator, "LF100-1", 1)
    later = book(client, customer, operator, "LF100-1", 4)
    response = client.post(f"/api/v1/bookings/{later['id']}/start", json={"here": True}, headers=operator)
    assert (
        next_one["allocations"][0]["start"] < later["allocations"][0]["start"]
        and response.status_code == 409
        and status(client, operator, later) == "confirmed"
    )


def test_actual_times_in_the_future_are_refused(client, plant, customer, operator):
    booking = book(client, customer, operator, "LF100-1", 3)
    url = f"/api/v1/bookings/{booking['id']}"
    client.post(url + "/start", json={"here": True}, headers=operator)
    response = client.post(
        url + "/complete",
        headers=operator,
        json={"actual_start": hours_from_now(-1).isoformat(), "actual_end": local(13, 20).isoformat()},
    )
    assert response.status_code == 422 and "actual_end" in response.get_json()["fields"]


def hours_from_now(hours: float) -> datetime:
    return datetime.now(UTC) + timedelta(hours=hours)


def running(client, customer, operator) -> dict:
    """A 48 h batch on LF100-1 booked for the day after tomorrow and started now (on this vessel)."""
    batch = book(client, customer, operator, "LF100-1", 2)
    client.post(f"/api/v1/bookings/{batch['id']}/start", json={"here": True}, headers=operator)
    return batch


@pytest.mark.parametrize("expected_end, conflicted", [(local(3, 12), True), (local(3, 0), False)])
def test_extending_a_running_batch_conflicts_the_next_booking_it_reaches(
    client, plant, customer, operator, db, expected_end, conflicted
):
    batch = running(client, customer, operator)
    following = book(client, customer, operator, "LF100-1", 3)
    response = client.post(
        f"/api/v1/bookings/{batch['id']}/extend",
        headers=operator,
        json={"expected_end": expected_end.isoformat(), "reason": "生长缓慢"},
    )
    assert response.status_code == 200 and response.get_json()["status"] == "running"
    main = db.query(Allocation).filter_by(booking_id=batch["id"], active=True).one()
    assert main.end == expected_end
    assert (status(client, operator, following) == "conflicted") is conflicted


def test_extending_needs_a_future_end_and_a_reason(client, plant, customer, operator):
    batch = running(client, customer, operator)
    url = f"/api/v1/bookings/{batch['id']}/extend"
    past = client.post(url, headers=operator, json={"expected_end": hours_from_now(-1).isoformat(), "reason": "慢"})
    assert past.status_code == 422 and "expected_end" in past.get_json()["fields"]
    assert client.post(url, headers=operator, json={"expected_end": local(5, 8).isoformat()}).status_code == 422


@pytest.mark.parametrize("hours_past_end, conflicted", [(81, True), (79, False)])
def test_a_batch_past_its_end_and_the_grace_period_conflicts_the_next_booking_when_the_board_is_read(
    app, client, plant, customer, operator, db, sign_in, make_user, monkeypatch, hours_past_end, conflicted
):
    monkeypatch.setitem(app.config, "OVERRUN_GRACE_H", 80)  # long enough to reach the next booking, three days on
    batch = running(client, customer, operator)
    following = book(client, customer, operator, "LF100-1", 3)
    main = db.query(Allocation).filter_by(booking_id=batch["id"], active=True).one()
    main.start, main.end = hours_from_now(-hours_past_end - 48), hours_from_now(-hours_past_end)
    main.occupied_until = main.end + timedelta(hours=5)
    db.commit()
    sign_in(make_user("operator"))
    assert client.get("/operations/board").status_code == 200
    assert (status(client, operator, following) == "conflicted") is conflicted
    assert (db.query(AuditEntry).filter_by(action="booking.overrun").count() == 1) is conflicted


@pytest.mark.parametrize(
    "cause, billed", [("contamination", True), ("equipment_failure", False), ("customer_request", True)]
)
def test_aborting_a_batch_records_the_cause_the_usage_and_frees_the_vessel(
    client, plant, customer, operator, db, make_user, token_for, cause, billed
):
    batch = running(client, customer, operator)
    response = client.post(
        f"/api/v1/bookings/{batch['id']}/abort",
        headers=operator,
        json={"cause": cause, "reason": "第二天镜检发现杂菌", "usage": {"steam_t": "0.4", "operator_h": "6"}},
    )
    body = response.get_json()
    assert response.status_code == 200 and body["status"] == "aborted" and body["abort_cause"] == cause
    assert body["actual_end"] is not None and str(db.get(Booking, batch["id"]).steam_t) == "0.4"
    assert datetime.fromisoformat(body["allocations"][0]["end"]) <= datetime.now(UTC)
    finance = token_for(make_user("finance"))
    invoice = client.post(
        "/api/v1/invoices",
        headers=finance,  # usage not yet accepted by the customer: a reason
        json={"booking_id": batch["id"], "reason": "按中止时记录的用量开具"},
    )
    assert (invoice.status_code == 201) is billed
    assert db.query(Invoice).count() == (1 if billed else 0)


def test_only_a_running_batch_can_be_aborted_or_extended(client, plant, customer, operator):
    booking = book(client, customer, operator, "LF100-1", 3)
    url = f"/api/v1/bookings/{booking['id']}"
    assert (
        client.post(url + "/abort", headers=operator, json={"cause": "contamination", "reason": "x"}).status_code == 409
    )
    assert (
        client.post(
            url + "/extend", headers=operator, json={"expected_end": local(6, 8).isoformat(), "reason": "x"}
        ).status_code
        == 409
    )


def test_an_abort_can_put_a_priority_re_run_on_the_customers_waiting_list(client, plant, customer, operator):
    batch = running(client, customer, operator)
    client.post(
        f"/api/v1/bookings/{batch['id']}/abort",
        headers=operator,
        json={"cause": "contamination", "reason": "染菌", "rerun": True},
    )
    [entry] = client.get("/api/v1/waiting-list", headers=customer).get_json()["items"]
    assert entry["priority"] == 100 and entry["request"]["organism"] == batch["organism"]
    assert entry["status"] == "offered"  # the vessel the abort freed fits it at once


def test_the_board_draws_reality_maintenance_above_the_plan_and_conflicts_above_everything(
    client, plant, customer, operator, sign_in, make_user
):
    batch = running(client, customer, operator)
    book(client, customer, operator, "LF100-2", 3)
    maintenance(client, operator, "LF100-2", local(4, 0), local(4, 12))
    sign_in(make_user("operator"))
    page = client.get("/operations/board").get_data(as_text=True)
    layers = [
        page.index(f'class="bar {css}') for css in ("status-running", "maintenance", "actual", "status-conflicted")
    ]
    assert layers == sorted(layers)
    assert f"{batch['reference']} 实际开始" in page
