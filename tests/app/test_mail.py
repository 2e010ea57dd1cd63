"""Every booking state change mails the requester and the company's contact, in Chinese."""

import smtplib

import pytest

from app.documents.mail import notify_booking
from app.models import Booking
from app.platform.db import db_session
from tests.app.api_people import operator  # noqa: F401 (fixtures)
from tests.app.booking_data import local, request_body
from tests.factories import mails


@pytest.fixture
def plant(add_equipment):
    add_equipment("LF100-1", "liquid", 100, turnaround_h=5)


@pytest.fixture
def company(make_company):
    return make_company("甲公司", email="contact@jia.example")


@pytest.fixture
def requester(company, make_user, token_for):
    """A colleague (not the contact) who makes the requests."""
    return token_for(make_user("customer", company[0]))


def book(client, headers) -> dict:
    response = client.post("/api/v1/bookings", json=request_body(), headers=headers)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def test_a_request_mails_the_requester_and_the_company_contact(client, outbox, plant, requester):
    booking = book(client, requester)
    [message] = mails(outbox)
    assert message["Subject"] == f"【中试平台】预约 {booking['reference']} 已提交"
    recipients = {a.addr_spec for a in message["To"].addresses}
    assert "contact@jia.example" in recipients and len(recipients) == 2
    body = message.get_content()
    assert booking["reference"] in body and "待确认" in body
    start, end = local(2, 8), local(4, 8)
    assert "LF100-1" in body and f"{start:%Y-%m-%d %H:%M} 至 {end:%Y-%m-%d %H:%M}" in body


def test_each_state_change_sends_its_own_chinese_subject(client, outbox, plant, requester, operator):
    booking = book(client, requester)
    url = f"/api/v1/bookings/{booking['id']}"
    client.post(url + "/confirm", headers=operator)
    client.post(url + "/start", json={"here": True}, headers=operator)
    subjects = [m["Subject"] for m in mails(outbox)]
    ref = booking["reference"]
    assert subjects == [
        f"【中试平台】预约 {ref} 已提交",
        f"【中试平台】预约 {ref} 已确认",
        f"【中试平台】预约 {ref} 已开始运行",
    ]


def test_a_rejection_gives_the_reason(client, outbox, plant, requester, operator):
    booking = book(client, requester)
    client.post(f"/api/v1/bookings/{booking['id']}/reject", json={"reason": "菌种资料不全"}, headers=operator)
    message = mails(outbox)[-1]
    assert message["Subject"].endswith("已被拒绝")
    assert "原因：菌种资料不全" in message.get_content() and "已拒绝" in message.get_content()


def test_a_refused_change_sends_nothing(client, outbox, plant, requester, operator):
    booking = book(client, requester)
    assert client.post(f"/api/v1/bookings/{booking['id']}/start", headers=operator).status_code == 409
    assert len(mails(outbox)) == 1


def test_a_move_by_the_optimiser_is_announced(app, client, outbox, plant, requester):
    booking = book(client, requester)
    with app.app_context():
        notify_booking(db_session().get(Booking, booking["id"]), "moved")
    assert mails(outbox)[-1]["Subject"] == f"【中试平台】预约 {booking['reference']} 时间已调整"


def test_an_unknown_event_is_a_programming_error(app, client, outbox, plant, requester):
    booking = book(client, requester)
    with app.app_context(), pytest.raises(ValueError):
        notify_booking(db_session().get(Booking, booking["id"]), "teleported")


class FakeSMTP:
    sent: list = []

    def __init__(self, host, port, timeout):
        self.calls = [("connect", host, port)]

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def starttls(self):
        self.calls.append(("starttls",))

    def login(self, user, password):
        self.calls.append(("login", user, password))

    def send_message(self, message):
        FakeSMTP.sent.append((self.calls, message))


def test_with_a_mail_server_the_message_goes_by_smtp(client, outbox, plant, requester, app, monkeypatch):
    FakeSMTP.sent = []
    monkeypatch.setattr(smtplib, "SMTP", FakeSMTP)
    for key, value in {
        "MAIL_SERVER": "smtp.example",
        "MAIL_PORT": 587,
        "MAIL_USE_TLS": True,
        "MAIL_USERNAME": "plant",
        "MAIL_PASSWORD": "pw",
    }.items():
        monkeypatch.setitem(app.config, key, value)
    booking = book(client, requester)
    [(calls, message)] = FakeSMTP.sent
    assert calls == [("connect", "smtp.example", 587), ("starttls",), ("login", "plant", "pw")]
    assert booking["reference"] in message["Subject"]
    assert mails(outbox) == []


def test_a_mail_server_that_is_down_does_not_fail_the_booking(client, outbox, plant, requester, app, monkeypatch):
    def refuse(*args, **kwargs):
        raise ConnectionRefusedError("no server")

    monkeypatch.setattr(smtplib, "SMTP", refuse)
    monkeypatch.setitem(app.config, "MAIL_SERVER", "smtp.example")
    response = client.post("/api/v1/bookings", json=request_body(), headers=requester)
    assert response.status_code == 201
