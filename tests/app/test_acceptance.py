"""After sign-off the customer accepts or disputes the batch and its usage within the window (a setting); silence
accepts, audited as such; a dispute's signed correction asks again; drafting an invoice from unaccepted usage
needs a reason, which is logged. Times are fixed where the window matters."""

from datetime import UTC, datetime, timedelta

import pytest

from app.models import Acceptance, AuditEntry, Booking, User
from app.platform.db import db_session
from app.platform.errors import Conflict, ValidationFailed
from app.services.batch import acceptance
from tests.app.booking_data import local
from tests.app.process_data_fixtures import batch, complete  # noqa: F401  (batch is a fixture)
from tests.factories import PASSWORD


def signed_off(client, batch) -> dict:
    complete(client, batch)
    response = client.post(
        f"/api/v1/bookings/{batch.id}/batch-record/signatures",
        headers=batch.operator,
        json={"meaning": "signoff", "password": PASSWORD},
    )
    assert response.status_code == 201
    return response.get_json()


def answer(client, batch, accept: bool, comment: str = "", headers=None):
    return client.post(
        f"/api/v1/bookings/{batch.id}/acceptance",
        headers=headers or batch.customer,
        json={"accept": accept, "comment": comment},
    )


def state(client, batch) -> dict:
    return client.get(f"/api/v1/bookings/{batch.id}/acceptance", headers=batch.customer).get_json()


def test_sign_off_asks_the_customer_to_accept_the_usage_within_seven_days(client, batch):
    assert state(client, batch) == {"state": "not_asked"}
    signature = signed_off(client, batch)
    asked = state(client, batch)
    assert (asked["round"], asked["state"], asked["by_silence"]) == (1, "pending", False)
    due = datetime.fromisoformat(asked["due_at"]) - datetime.fromisoformat(signature["signed_at"])
    assert timedelta(days=7) - timedelta(seconds=1) <= due <= timedelta(days=7)
    usage = asked["usage"]
    assert usage["hours"] == 36.0 and usage["steam_t"] == "1.5"
    assert usage["materials"] == [{"description": "葡萄糖", "quantity": "25", "unit": "kg"}]
    assert datetime.fromisoformat(usage["actual_end"]) == local(-1, 20) and usage["planned_start"] is not None


def test_the_window_is_a_setting(client, batch, app, monkeypatch):
    monkeypatch.setitem(app.config, "ACCEPTANCE_DAYS", 3)
    signature = signed_off(client, batch)
    due = datetime.fromisoformat(state(client, batch)["due_at"]) - datetime.fromisoformat(signature["signed_at"])
    assert timedelta(days=3) - timedelta(seconds=1) <= due <= timedelta(days=3)


def test_the_customer_accepts_once(client, batch, db):
    signed_off(client, batch)
    response = answer(client, batch, True)
    assert response.status_code == 200 and response.get_json()["state"] == "accepted"
    assert answer(client, batch, False, "晚了").status_code == 409
    assert db.query(AuditEntry).filter_by(action="acceptance_accepted").count() == 1


def test_a_dispute_needs_a_comment_and_the_operator_s_correction_asks_again(client, batch):
    signed_off(client, batch)
    assert answer(client, batch, False).status_code == 422
    disputed = answer(client, batch, False, "实际结束时间应为 18:00")
    assert disputed.get_json()["state"] == "disputed"
    correction = client.post(
        f"/api/v1/bookings/{batch.id}/batch-record/addenda",
        headers=batch.operator,
        json={
            "entry": {
                "kind": "deviation",
                "name": "放罐时间更正为 18:00",
                "at": local(0, 18).isoformat(),
                "severity": "minor",
            },
            "reason": "客户异议",
            "password": PASSWORD,
        },
    )
    assert correction.status_code == 201
    again = state(client, batch)
    assert (again["round"], again["state"]) == (2, "pending")
    assert answer(client, batch, True).get_json()["state"] == "accepted"


def test_only_the_booking_s_customer_answers(client, batch, make_company, token_for):
    signed_off(client, batch)
    stranger = token_for(make_company()[1])
    assert answer(client, batch, True, headers=stranger).status_code == 404
    assert (
        client.post(
            f"/api/v1/bookings/{batch.id}/acceptance", headers=batch.operator, json={"accept": True}
        ).status_code
        == 403
    )


def asked_at_fixed_time(app, booking_id: int, asked: datetime) -> None:
    with app.app_context():
        session = db_session()
        acceptance.ask(session, None, session.get(Booking, booking_id), asked, 7)
        session.commit()


ASKED = datetime(2026, 3, 2, 4, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    "after, state_then, by_silence",
    [
        (timedelta(days=7) - timedelta(seconds=1), "pending", False),
        (timedelta(days=7), "accepted", True),
        (timedelta(days=30), "accepted", True),
    ],
)
def test_silence_accepts_when_the_window_has_passed(client, batch, app, after, state_then, by_silence):
    asked_at_fixed_time(app, batch.id, ASKED)
    with app.app_context():
        session = db_session()
        standing = acceptance.standing(session, session.get(Booking, batch.id), ASKED + after)
        assert (standing.state.value, standing.by_silence) == (state_then, by_silence)


def test_a_late_answer_is_refused_and_the_silence_is_audited_by_nobody(client, batch, app, db):
    asked_at_fixed_time(app, batch.id, ASKED)
    with app.app_context():
        session = db_session()
        booking = session.get(Booking, batch.id)
        customer = session.query(User).filter_by(company_id=booking.company_id).first()
        with pytest.raises(Conflict, match="已视为接受"):
            acceptance.answer(session, customer, booking, False, "太晚了", ASKED + timedelta(days=8))
        session.commit()
    row = db.query(Acceptance).one()
    assert (row.state.value, row.by_silence, row.answered_at) == ("accepted", True, ASKED + timedelta(days=7))
    [entry] = db.query(AuditEntry).filter_by(action="acceptance_by_silence").all()
    assert entry.user_id is None


@pytest.mark.parametrize(
    "answered, reason, allowed",
    [
        (None, "", False),
        (None, "客户书面同意按实际用量结算", True),
        ("accept", "", True),
        ("dispute", "", False),
        ("dispute", "合同约定按计划时间结算", True),
    ],
)
def test_drafting_from_unaccepted_usage_needs_a_logged_reason(client, batch, app, db, answered, reason, allowed):
    signed_off(client, batch)
    if answered:
        answer(client, batch, answered == "accept", "有异议")
    with app.app_context():
        session = db_session()
        staff = session.query(User).filter_by(role="operator").first()
        booking = session.get(Booking, batch.id)
        if allowed:
            acceptance.require_accepted_or_reason(session, staff, booking, reason, ASKED)
        else:
            with pytest.raises(ValidationFailed):
                acceptance.require_accepted_or_reason(session, staff, booking, reason, ASKED)
        session.commit()
    logged = db.query(AuditEntry).filter_by(action="invoice_from_unaccepted_usage").count()
    assert logged == (1 if reason else 0)


def test_the_customer_s_booking_page_shows_the_usage_and_takes_the_answer(client, batch, sign_in):
    signed_off(client, batch)
    sign_in(batch.customer_email)
    page = client.get(f"/bookings/{batch.id}").get_data(as_text=True)
    assert "葡萄糖 25 kg" in page and "36.0 h" in page and 'value="dispute"' in page
    refused = client.post(
        f"/bookings/{batch.id}/acceptance", data={"decision": "dispute", "comment": ""}, follow_redirects=True
    ).get_data(as_text=True)
    assert "请说明有异议之处" in refused
    client.post(f"/bookings/{batch.id}/acceptance", data={"decision": "accept", "comment": ""})
    assert state(client, batch)["state"] == "accepted"
    assert 'value="dispute"' not in client.get(f"/bookings/{batch.id}").get_data(as_text=True)


def test_an_answer_without_a_decision_is_refused(client, batch):
    signed_off(client, batch)
    response = client.post(f"/api/v1/bookings/{batch.id}/acceptance", headers=batch.customer, json={})
    assert response.status_code == 422 and "accept" in response.get_json()["fields"]


def test_finance_cannot_draft_from_unaccepted_usage_without_a_reason(client, batch, make_user, token_for, db):
    signed_off(client, batch)
    finance = token_for(make_user("finance"))
    response = client.post("/api/v1/invoices", headers=finance, json={"booking_id": batch.id})
    assert response.status_code == 422 and "reason" in response.get_json()["fields"]
    assert db.query(AuditEntry).filter_by(action="invoice_from_unaccepted_usage").count() == 0
