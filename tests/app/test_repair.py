"""The operator's repair: conflicted bookings get a minimal proposal, previewed and applied in one step; a stale
preview is refused with a fresh one; customers see old and new times and may accept them or cancel without fee."""

import email
import email.policy
import json
import re

import pytest

from app.models import Booking, Invoice
from tests.app.booking_data import local
from tests.app.disruption_plant import book, customer, maintenance, operator, plant, status  # noqa: F401
from tests.concurrency import at_once


@pytest.fixture
def broken(client, plant, customer, operator):
    """Two confirmed bookings on LF100-1; a breakdown on day 4 conflicts the first."""
    first = book(client, customer, operator, "LF100-1", 3)
    second = book(client, customer, operator, "LF100-1", 6)
    maintenance(client, operator, "LF100-1", local(4, 0), local(4, 12))
    return first, second


def propose(client, operator) -> dict:
    response = client.post("/api/v1/schedule/repair", json={}, headers=operator)
    assert response.status_code == 200
    return response.get_json()


def apply(client, operator, proposal: dict):
    moves = [
        {
            "booking_id": m["booking_id"],
            "stages": [{k: s[k] for k in ("stage", "equipment", "start", "end")} for s in m["after"]],
        }
        for m in proposal["moves"]
    ]
    return client.post(
        "/api/v1/schedule/apply", headers=operator, json={"moves": moves, "plan_version": proposal["plan_version"]}
    )


def test_the_repair_moves_only_the_conflicted_booking_and_confirms_it(client, broken, operator):
    first, second = broken
    proposal = propose(client, operator)
    assert [m["booking_id"] for m in proposal["moves"]] == [first["id"]]
    move = proposal["moves"][0]
    assert move["before"][0]["start"] == local(3, 8).isoformat() and move["company"]
    assert apply(client, operator, proposal).status_code == 200
    assert status(client, operator, first) == "confirmed" and status(client, operator, second) == "confirmed"
    assert propose(client, operator)["moves"] == []


def test_a_stale_preview_is_refused_with_a_fresh_one(client, broken, customer, operator):
    proposal = propose(client, operator)
    book(client, customer, operator, "LF100-2", 10)  # the plan changes after the preview
    response = apply(client, operator, proposal)
    assert response.status_code == 409 and "预览" in response.get_json()["error"]
    fresh = response.get_json()["proposal"]
    assert fresh["plan_version"] > proposal["plan_version"]
    assert apply(client, operator, fresh).status_code == 200


def test_two_operators_applying_the_same_repair_at_once_one_wins_the_other_is_told(app, client, broken, operator):
    proposal = propose(client, operator)
    codes = at_once(2, lambda _: apply(app.test_client(), operator, proposal).status_code)
    assert sorted(codes) == [200, 409]


def subjects_and_bodies(outbox) -> list[tuple[str, str]]:
    found = [
        email.message_from_bytes(p.read_bytes(), policy=email.policy.default) for p in sorted(outbox.glob("*.eml"))
    ]
    return [(m["Subject"], m.get_content()) for m in found]


def test_the_customer_is_told_the_old_and_new_times_and_may_accept_them(
    app, client, broken, customer, operator, tmp_path, monkeypatch
):
    monkeypatch.setitem(app.config, "OUTBOX_DIR", str(tmp_path))
    first, _ = broken
    apply(client, operator, propose(client, operator))
    subject, body = subjects_and_bodies(tmp_path)[-1]
    assert "时间已调整" in subject and "调整前" in body and "调整后" in body
    assert local(3, 8).strftime("%Y-%m-%d %H:%M") in body
    shown = client.get(f"/api/v1/bookings/{first['id']}", headers=customer).get_json()
    assert shown["previous_allocations"][0]["start"] == local(3, 8).isoformat()
    accepted = client.post(f"/api/v1/bookings/{first['id']}/accept", headers=customer).get_json()
    assert accepted["previous_allocations"] == [] and accepted["status"] == "confirmed"


@pytest.mark.parametrize("repaired", [True, False])
def test_a_booking_the_plant_broke_or_moved_is_cancelled_without_the_late_fee(
    client, broken, customer, operator, db, repaired
):
    first, _ = broken
    if repaired:
        apply(client, operator, propose(client, operator))
    response = client.post(f"/api/v1/bookings/{first['id']}/cancel", headers=customer)
    assert response.get_json()["status"] == "cancelled"
    assert db.query(Invoice).count() == 0


def test_a_late_cancellation_of_an_unchanged_booking_still_costs_the_fee(client, plant, customer, operator, db):
    booking = book(client, customer, operator, "LF100-1", 1)
    client.post(f"/api/v1/bookings/{booking['id']}/cancel", headers=customer)
    assert db.query(Invoice).count() == 1


def test_the_operator_repairs_from_the_home_page_to_the_applied_plan(client, broken, make_user, sign_in, db):
    first, _ = broken
    sign_in(make_user("operator"))
    home = client.get("/").get_data(as_text=True)
    assert "/operations/repair" in home and first["reference"] in home
    preview = client.get("/operations/repair")
    page = preview.get_data(as_text=True)
    assert preview.status_code == 200 and first["reference"] in page and "原定" not in page
    form = {
        name: re.search(rf'name="{name}" value="([^"]*)"', page).group(1).replace("&#34;", '"')
        for name in ("moves", "plan_version")
    }
    assert list(json.loads(form["moves"])) == [str(first["id"])]
    applied = client.post("/operations/repair", data=form)
    assert applied.status_code == 302
    assert db.get(Booking, first["id"]).status.value == "confirmed"
    again = client.post("/operations/repair", data=form)  # the same preview once more: stale
    assert again.status_code == 409 and "排程在预览之后已有变化" in again.get_data(as_text=True)
