"""A request is not yet a promise: a fact that breaks its placement leaves it requested, but marked — audited, mailed,
on the operator's list, red on the board, not confirmable — until the fact goes or a repair places it again."""

from app.models import AuditEntry
from tests.app.booking_data import local
from tests.app.disruption_plant import book, customer, maintenance, operator, outbox, plant, status, subjects  # noqa: F401
from tests.app.test_repair import apply, propose


def test_a_breakdown_under_a_request_keeps_it_requested_and_notes_why(client, plant, customer, operator, db, outbox):
    booking = book(client, customer, operator, "LF100-1", 3, confirm=False)
    maintenance(client, operator, "LF100-1", local(4, 0), local(4, 12))
    assert status(client, operator, booking) == "requested"
    entry = db.query(AuditEntry).filter_by(action="booking.placement_broken").one()
    assert entry.entity_id == str(booking["id"]) and "机封泄漏" in entry.details
    assert any("与实际情况冲突" in subject for subject in subjects(outbox))


def test_a_broken_request_is_on_the_operators_list_and_red_on_the_board(
    client, plant, customer, operator, make_user, sign_in
):
    booking = book(client, customer, operator, "LF100-1", 3, confirm=False)
    maintenance(client, operator, "LF100-1", local(4, 0), local(4, 12))
    sign_in(make_user("operator"))
    home = client.get("/").get_data(as_text=True)
    assert booking["reference"] in home and "排程冲突" in home
    board = client.get("/operations/board").get_data(as_text=True)
    assert 'class="bar status-conflicted stage-main' in board


def test_removing_the_window_mends_the_request_once(client, plant, customer, operator, sign_in, make_user, db):
    booking = book(client, customer, operator, "LF100-1", 3, confirm=False)
    window = maintenance(client, operator, "LF100-1", local(4, 0), local(4, 12)).get_json()
    sign_in(make_user("operator"))
    client.post(f"/equipment/maintenance/{window['id']}/delete")
    assert status(client, operator, booking) == "requested"
    assert db.query(AuditEntry).filter_by(action="booking.placement_mended").count() == 1
    assert client.post(f"/api/v1/bookings/{booking['id']}/confirm", headers=operator).status_code == 200


def test_a_second_fact_on_an_already_broken_request_is_not_noted_again(client, plant, customer, operator, db):
    book(client, customer, operator, "LF100-1", 3, confirm=False)
    maintenance(client, operator, "LF100-1", local(4, 0), local(4, 12))
    maintenance(client, operator, "LF100-1", local(4, 13), local(4, 20))
    assert db.query(AuditEntry).filter_by(action="booking.placement_broken").count() == 1


def test_a_repair_places_the_broken_request_again_and_it_stays_requested(client, plant, customer, operator):
    booking = book(client, customer, operator, "LF100-1", 3, confirm=False)
    maintenance(client, operator, "LF100-1", local(4, 0), local(4, 12))
    proposal = propose(client, operator)
    assert [m["booking_id"] for m in proposal["moves"]] == [booking["id"]]
    assert apply(client, operator, proposal).status_code == 200
    assert status(client, operator, booking) == "requested"
    assert client.post(f"/api/v1/bookings/{booking['id']}/confirm", headers=operator).status_code == 200
