"""Operators re-plan unconfirmed work with the optimiser: a preview of every move, then apply."""

from datetime import timedelta

import pytest

from app.models import Allocation, AuditEntry
from tests.app.api_people import customer, operator  # noqa: F401 (fixtures)
from tests.app.booking_data import local, request_body
from tests.concurrency import at_once


@pytest.fixture
def one_vessel(add_equipment):
    add_equipment("LF100-1", "liquid", 100, turnaround_h=5)


def move(booking_id: int, day: int, hours: int = 48) -> dict:
    return {
        "booking_id": booking_id,
        "stages": [
            {
                "stage": "main",
                "equipment": "LF100-1",
                "start": local(day, 9).isoformat(),
                "end": (local(day, 9) + timedelta(hours=hours)).isoformat(),
            }
        ],
    }


def optimise(client, operator, seconds: float) -> tuple[int, dict]:
    """Start the optimiser (202 and the job to poll), then read the job: its id and its proposal."""
    started = client.post("/api/v1/schedule/optimize", json={"time_limit_s": seconds}, headers=operator)
    assert started.status_code == 202
    job = started.get_json()["job"]
    assert started.headers["Location"] == job["url"] == f"/api/v1/jobs/{job['id']}"
    answer = client.get(job["url"], headers=operator).get_json()
    assert answer["state"] == "succeeded", answer
    return job["id"], answer["result"]


def test_a_late_request_is_moved_back_into_its_window_after_a_preview(client, one_vessel, customer, operator, db):
    early = client.post(
        "/api/v1/bookings", json=request_body(latest_end=local(8, 20).isoformat()), headers=customer
    ).get_json()
    assert (
        client.post("/api/v1/schedule/apply", json={"moves": [move(early["id"], 12)]}, headers=operator).status_code
        == 200
    )
    _, preview = optimise(client, operator, 5)
    assert preview["status"] in ("optimal", "feasible")
    [proposed] = preview["moves"]
    assert proposed["booking_id"] == early["id"]
    assert proposed["tardiness_before_h"] > 0 and proposed["tardiness_after_h"] == 0
    assert db.query(Allocation).one().start == local(12, 9)  # nothing saved by the preview
    applied = client.post(
        "/api/v1/schedule/apply",
        json={"moves": [{"booking_id": proposed["booking_id"], "stages": proposed["after"]}]},
        headers=operator,
    )
    assert applied.status_code == 200
    assert db.query(Allocation).one().start < local(8, 20)
    assert db.query(AuditEntry).filter_by(action="booking.moved").count() == 2


def test_a_request_moved_by_hand_inside_its_window_is_not_proposed_again(client, add_equipment, customer, operator):
    add_equipment("LF100-1", "liquid", 100, turnaround_h=5)
    add_equipment("LF100-2", "liquid", 100, turnaround_h=5)
    booking = client.post("/api/v1/bookings", json=request_body(), headers=customer).get_json()
    by_hand = move(booking["id"], 9)
    by_hand["stages"][0]["equipment"] = "LF100-2"
    assert client.post("/api/v1/schedule/apply", json={"moves": [by_hand]}, headers=operator).status_code == 200
    _job, preview = optimise(client, operator, 3)
    assert preview["moves"] == [] and preview["objective"] == 0


def test_a_hand_move_onto_other_work_is_refused_by_validation(client, one_vessel, customer, operator, db):
    first = client.post("/api/v1/bookings", json=request_body(), headers=customer).get_json()
    second = client.post("/api/v1/bookings", json=request_body(), headers=customer).get_json()
    onto_first = move(second["id"], 2)
    response = client.post("/api/v1/schedule/apply", json={"moves": [onto_first]}, headers=operator)
    assert response.status_code == 409
    assert db.query(Allocation).filter_by(booking_id=second["id"]).one().start != local(2, 9)
    assert first["id"] != second["id"]


def test_a_hand_move_outside_staffed_hours_is_refused(client, one_vessel, customer, operator):
    booking = client.post("/api/v1/bookings", json=request_body(), headers=customer).get_json()
    night = {
        "booking_id": booking["id"],
        "stages": [
            {
                "stage": "main",
                "equipment": "LF100-1",
                "start": local(5, 23).isoformat(),
                "end": local(7, 23).isoformat(),
            }
        ],
    }
    assert client.post("/api/v1/schedule/apply", json={"moves": [night]}, headers=operator).status_code == 409


def test_confirmed_work_stays_pinned(client, one_vessel, customer, operator):
    booking = client.post("/api/v1/bookings", json=request_body(), headers=customer).get_json()
    client.post(f"/api/v1/bookings/{booking['id']}/confirm", headers=operator)
    _, preview = optimise(client, operator, 2)
    assert preview["moves"] == []


def test_customers_cannot_run_the_optimiser(client, customer):
    assert client.post("/api/v1/schedule/optimize", json={}, headers=customer).status_code == 403


def test_a_proposal_applied_with_its_job_is_applied_once(client, one_vessel, customer, operator, db):
    early = client.post(
        "/api/v1/bookings", json=request_body(latest_end=local(8, 20).isoformat()), headers=customer
    ).get_json()
    client.post("/api/v1/schedule/apply", json={"moves": [move(early["id"], 12)]}, headers=operator)
    job_id, preview = optimise(client, operator, 5)
    body = {"job": job_id, "moves": [{"booking_id": m["booking_id"], "stages": m["after"]} for m in preview["moves"]]}
    assert client.post("/api/v1/schedule/apply", json=body, headers=operator).status_code == 200
    again = client.post("/api/v1/schedule/apply", json=body, headers=operator)
    assert again.status_code == 409 and again.get_json()["error"] == "该任务的结果已经应用过，不会重复应用"
    assert db.query(AuditEntry).filter_by(action="booking.moved").count() == 2


def test_operators_pressing_apply_on_one_proposal_at_once_move_the_work_once(
    app, client, one_vessel, customer, operator, db
):
    early = client.post(
        "/api/v1/bookings", json=request_body(latest_end=local(8, 20).isoformat()), headers=customer
    ).get_json()
    client.post("/api/v1/schedule/apply", json={"moves": [move(early["id"], 12)]}, headers=operator)
    job_id, preview = optimise(client, operator, 5)
    body = {"job": job_id, "moves": [{"booking_id": m["booking_id"], "stages": m["after"]} for m in preview["moves"]]}
    codes = at_once(
        8, lambda _: app.test_client().post("/api/v1/schedule/apply", json=body, headers=operator).status_code
    )
    assert sorted(codes) == [200] + [409] * 7
    assert db.query(AuditEntry).filter_by(action="booking.moved").count() == 2
