"""What an attacker tried against accounts, and what stops it: no account enumeration, throttles nobody can turn
into a lock-out, confirmed e-mail addresses, sign-out on the server, and no password hashing inside a write
transaction."""

import re
import sqlite3
from datetime import UTC, datetime, timedelta

import pytest
from flask import g

from app.models import Approval, Company, User
from app.platform.db import db_session
from app.services.access import accounts, passwords, throttle
from app.services.access.throttle import Limit, TooManyAttempts
from tests.app.booking_data import request_body
from tests.app.test_registration_and_sign_in import registration as registration_form
from tests.concurrency import at_once
from tests.factories import PASSWORD, mails, valid_uscc


def from_address(address: str) -> dict:
    return {"environ_base": {"REMOTE_ADDR": address}}


def confirmation_path(message) -> str:
    return re.search(r"https?://\S+(/confirm-email/\S+)", message.get_content()).group(1)


# finding 8: enumeration


def test_registering_with_a_taken_email_answers_exactly_like_a_new_registration_and_mails_the_owner(
    client, db, make_company, outbox
):
    _, taken = make_company()
    fresh = client.post("/register", data=registration_form(uscc=valid_uscc(5001), name="甲公司"))
    again = client.post("/register", data=registration_form(uscc=valid_uscc(5002), name="乙公司", email=taken))
    assert (again.status_code, again.headers["Location"]) == (fresh.status_code, fresh.headers["Location"])
    assert client.get("/login").get_data(as_text=True).count("我们已向该邮箱发送确认链接") == 2
    assert db.query(User).filter_by(email=taken).count() == 1
    second = db.query(Company).filter_by(name="乙公司").one()
    assert second.users == [] and second.approval == Approval.PENDING
    [note] = [m for m in mails(outbox) if m["To"] == taken]
    assert "乙公司" in note.get_content() and "已有账户" in note.get_content()


def test_the_api_answers_a_taken_email_like_a_new_one(client, make_company):
    _, taken = make_company()
    body = {"name": "丙公司", "uscc": valid_uscc(5003), "contact_name": "王", "email": taken, "password": "good-pass-1"}
    response = client.post("/api/v1/companies", json=body)
    assert response.status_code == 201 and response.get_json()["approved"] is False


def test_a_failed_sign_in_checks_a_password_hash_whether_or_not_the_account_exists(client, make_company, monkeypatch):
    _, email = make_company()
    checked = []
    real = passwords.check_password_hash
    monkeypatch.setattr(passwords, "check_password_hash", lambda h, p: checked.append(h) or real(h, p))
    for address in (email, "nobody@example.com"):
        assert client.post("/login", data={"email": address, "password": "wrong-1234"}).status_code == 422
    assert len(checked) == 2 and checked[1].startswith(("scrypt:", "pbkdf2:"))


# finding 9: throttles, not lock-outs


def test_five_failures_make_the_account_wait_at_that_address_but_not_at_another(client, make_company):
    _, email = make_company()
    attacker, owner = from_address("203.0.113.9"), from_address("198.51.100.7")
    for _ in range(5):
        assert client.post("/login", data={"email": email, "password": "wrong-1234"}, **attacker).status_code == 422
    waiting = client.post("/login", data={"email": email, "password": PASSWORD}, **attacker)
    assert waiting.status_code == 429 and "登录尝试过于频繁" in waiting.get_data(as_text=True)
    assert client.post("/login", data={"email": email, "password": PASSWORD}, **owner).status_code == 302


def test_one_address_guessing_many_accounts_is_throttled_too(client, app, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_ADDRESS_FREE_ATTEMPTS", 3)
    codes = [
        client.post(
            "/login", data={"email": f"u{n}@example.com", "password": "wrong-1234"}, **from_address("203.0.113.9")
        ).status_code
        for n in range(5)
    ]
    assert codes == [422, 422, 422, 429, 429]


def test_guesses_at_one_account_from_many_addresses_are_throttled_too(client, app, make_company, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_ACCOUNT_FREE_ATTEMPTS", 3)
    _, email = make_company()
    codes = [
        client.post(
            "/login", data={"email": email, "password": "wrong-1234"}, **from_address(f"203.0.113.{n}")
        ).status_code
        for n in range(5)
    ]
    assert codes == [422, 422, 422, 429, 429]


@pytest.mark.parametrize("attempts, wait_s", [(1, 0), (4, 0), (5, 30), (6, 60), (7, 120), (20, 900)])
def test_the_wait_doubles_after_the_free_attempts_up_to_a_cap(attempts, wait_s):
    assert Limit(free=5, base_s=30, max_s=900, quiet_s=3600).wait_after(attempts) == timedelta(seconds=wait_s)


def test_after_the_wait_one_more_attempt_passes_and_a_quiet_hour_starts_afresh(app, db):
    limit, now = Limit(free=2, base_s=30, max_s=900, quiet_s=3600), datetime(2026, 5, 1, tzinfo=UTC)
    with app.app_context():
        session = app.extensions["sessionmaker"]()
        for _ in range(2):
            throttle.claim(session, "k", limit, now, "太快")
        with pytest.raises(TooManyAttempts):
            throttle.claim(session, "k", limit, now + timedelta(seconds=29), "太快")
        throttle.claim(session, "k", limit, now + timedelta(seconds=30), "太快")
        with pytest.raises(TooManyAttempts):
            throttle.claim(session, "k", limit, now + timedelta(seconds=89), "太快")
        throttle.claim(session, "k", limit, now + timedelta(hours=2), "太快")
        throttle.claim(session, "k", limit, now + timedelta(hours=2), "太快")
        session.rollback()
        session.close()


@pytest.fixture
def racing(db):
    """Only on PostgreSQL, where writers run at once (SQLite serialises every writer)."""
    if db.get_bind().dialect.name != "postgresql":
        pytest.skip("SQLite serialises every writer; the race is PostgreSQL's")


def test_forty_parallel_guesses_get_at_most_the_free_five_checked(app, racing, make_company, monkeypatch):
    _, email = make_company()
    checked = []
    real = passwords.password_matches
    monkeypatch.setattr("app.web.identity.password_matches", lambda h, p: checked.append(1) or real(h, p))
    codes = at_once(
        40,
        lambda _: app.test_client().post("/api/v1/tokens", json={"email": email, "password": "wrong-1234"}).status_code,
    )
    assert sorted(set(codes)) == [422, 429] and codes.count(422) == 5 and len(checked) == 5


# finding 12: identity


def test_the_registering_user_confirms_the_address_by_the_mailed_link_after_one_click(client, db, outbox):
    client.post("/register", data=registration_form())
    [message] = mails(outbox)
    assert message["To"] == "wang@example.com" and message["Subject"] == "【中试平台】请确认您的邮箱"
    path = confirmation_path(message)
    assert client.get(path).status_code == 200 and not db.query(User).one().email_verified  # a GET confirms nothing
    assert client.post(path).status_code == 302
    assert db.query(User).one().email_verified


@pytest.mark.parametrize("spoil", [lambda path: path[:-3] + "xyz", lambda path: path + "x"])
def test_a_forged_confirmation_link_is_not_found(client, db, outbox, spoil):
    client.post("/register", data=registration_form())
    assert client.post(spoil(confirmation_path(mails(outbox)[0]))).status_code == 404
    assert not db.query(User).one().email_verified


def test_an_invited_colleague_is_mailed_a_confirmation_link(client, make_company, sign_in, outbox):
    _, email = make_company()
    sign_in(email)
    client.post("/company", data={"email": "colleague@example.com", "name": "李娜"})
    [message] = mails(outbox)
    assert message["To"] == "colleague@example.com" and "/confirm-email/" in message.get_content()


def test_racing_registrations_of_one_name_leave_one_company_and_no_server_error(app, racing, db, monkeypatch):
    monkeypatch.setitem(app.config, "REGISTRATIONS_PER_ADDRESS", 100)
    codes = at_once(
        10,
        lambda n: (
            app.test_client()
            .post(
                "/api/v1/companies",
                json={
                    "name": "同名企业",
                    "uscc": valid_uscc(8000 + n),
                    "contact_name": "王",
                    "email": f"race{n}@example.com",
                    "password": "good-pass-1",
                },
            )
            .status_code
        ),
    )
    assert codes.count(201) == 1 and set(codes) == {201, 409}
    assert db.query(Company).count() == 1


def test_a_confirmation_link_expires(client, app, db, outbox, monkeypatch):
    client.post("/register", data=registration_form())
    monkeypatch.setitem(app.config, "EMAIL_CONFIRM_HOURS", -1)
    assert client.post(confirmation_path(mails(outbox)[0])).status_code == 404


def test_booking_mail_goes_only_to_confirmed_addresses(app, client, outbox, make_company, add_equipment, token_for):
    add_equipment("LF100-1", "liquid", 100)
    _, email = make_company()
    with app.app_context():
        session = db_session()
        accounts.user_by_email(session, email).email_verified_at = None
        session.commit()
    assert client.post("/api/v1/bookings", json=request_body(), headers=token_for(email)).status_code == 201
    assert mails(outbox) == []


@pytest.mark.parametrize(
    "name",
    [
        "内蒙古蒙元生物科技有限公司",
        " 内蒙古蒙元生物科技 有限公司 ",
        "内蒙古蒙元生物科技（有限公司）",
        "ＡＢＣ生物",
        "abc 生物",
    ],
)
def test_a_company_name_already_registered_is_refused_however_it_is_written(client, make_company, name):
    make_company("内蒙古蒙元生物科技有限公司")
    make_company("ABC生物")
    response = client.post("/register", data=registration_form(name=name))
    assert response.status_code == 409 and "已有同名企业注册" in response.get_data(as_text=True)


def test_registrations_from_one_address_are_rate_limited(client, app, db, monkeypatch):
    monkeypatch.setitem(app.config, "REGISTRATIONS_PER_ADDRESS", 2)
    codes = [
        client.post(
            "/register",
            data=registration_form(name=f"公司{n}", uscc=valid_uscc(6000 + n), email=f"r{n}@example.com"),
            **from_address("203.0.113.9"),
        ).status_code
        for n in range(3)
    ]
    assert codes == [302, 302, 429] and db.query(Company).count() == 2


def test_mail_is_delivered_with_no_transaction_open(client, app, add_equipment, make_company, token_for, monkeypatch):
    add_equipment("LF100-1", "liquid", 100)
    _, email = make_company()
    headers = token_for(email)
    open_then = []
    monkeypatch.setattr(
        "app.documents.mail._write_eml",
        lambda message, outbox: open_then.append(g.get("db_session") is not None and g.db_session.in_transaction()),
    )
    client.post("/register", data=registration_form())
    client.post("/api/v1/bookings", json=request_body(), headers=headers)
    assert open_then == [False, False]


# finding 10: sign-out


def test_a_session_cookie_replayed_after_sign_out_is_not_signed_in(app, client, make_company, sign_in):
    _, email = make_company()
    sign_in(email)
    cookie = client.get_cookie("session").value
    assert client.post("/logout").status_code == 302
    replay = app.test_client()
    replay.set_cookie("session", cookie)
    response = replay.get("/account")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


# finding 2: no hashing inside a write transaction


@pytest.fixture
def hashing_watch(app, monkeypatch):
    """Every password hash computed or checked during a request, with whether a transaction was open then and,
    on SQLite, whether another connection could write meanwhile."""
    seen = []

    def watch(real):
        def watched(*args):
            session = g.get("db_session")
            seen.append(
                {
                    "in_transaction": session is not None and session.in_transaction(),
                    "others_can_write": _others_can_write(app),
                }
            )
            return real(*args)

        return watched

    monkeypatch.setattr(passwords, "generate_password_hash", watch(passwords.generate_password_hash))
    monkeypatch.setattr(passwords, "check_password_hash", watch(passwords.check_password_hash))
    return seen


def _others_can_write(app) -> bool:
    url = app.config["DATABASE_URL"]
    if not url.startswith("sqlite"):
        return True
    conn = sqlite3.connect(url.split("///", 1)[1], timeout=0, isolation_level=None)
    try:
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("ROLLBACK")
        return True
    except sqlite3.OperationalError:
        return False
    finally:
        conn.close()


@pytest.mark.parametrize(
    "request_",
    [
        lambda client, email: client.post("/register", data=registration_form()),
        lambda client, email: client.post(
            "/api/v1/companies",
            json={k: v for k, v in registration_form().items() if k not in ("bank_name", "bank_account")},
        ),
        lambda client, email: client.post("/login", data={"email": email, "password": PASSWORD}),
        lambda client, email: client.post("/login", data={"email": "nobody@example.com", "password": PASSWORD}),
        lambda client, email: client.post("/api/v1/tokens", json={"email": email, "password": "wrong-1234"}),
    ],
    ids=["register page", "register api", "sign in", "unknown account", "token"],
)
def test_passwords_are_hashed_with_no_transaction_open(client, make_company, hashing_watch, request_):
    _, email = make_company()
    hashing_watch.clear()
    assert request_(client, email).status_code < 500
    assert hashing_watch and all(not s["in_transaction"] and s["others_can_write"] for s in hashing_watch)


def test_a_password_change_hashes_with_no_transaction_open(client, make_company, sign_in, hashing_watch):
    _, email = make_company()
    sign_in(email)
    hashing_watch.clear()
    response = client.post("/account", data={"current_password": PASSWORD, "new_password": "another-pass-2"})
    assert response.status_code == 302
    assert len(hashing_watch) == 2 and all(not s["in_transaction"] and s["others_can_write"] for s in hashing_watch)
