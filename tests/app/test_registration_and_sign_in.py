"""A company registers with a valid USCC (and awaits review), signs in, invites colleagues."""

import re

from app import create_app
from app.models import Approval, Company, User
from tests.factories import PASSWORD, valid_uscc


def registration(**overrides) -> dict:
    form = {
        "name": "内蒙古测试生物有限公司",
        "uscc": valid_uscc(4242),
        "contact_name": "王磊",
        "email": "wang@example.com",
        "password": "good-pass-1",
        "phone": "0471-1234567",
        "address": "呼和浩特市",
        "bank_name": "中国银行",
        "bank_account": "6222 0000",
    }
    return {**form, **overrides}


def test_a_company_with_a_valid_uscc_registers_pending_review_and_its_first_user_is_its_admin(client, db):
    response = client.post("/register", data=registration())
    assert response.status_code == 302 and response.headers["Location"].endswith("/login")
    company = db.query(Company).one()
    user = db.query(User).one()
    assert (company.name, user.company_id, user.is_company_admin, user.role.value) == (
        "内蒙古测试生物有限公司",
        company.id,
        True,
        "customer",
    )
    assert company.approval == Approval.PENDING and not user.email_verified
    assert user.password_hash != "good-pass-1" and user.password_hash.startswith(("scrypt:", "pbkdf2:"))


def test_a_wrong_check_digit_gets_a_chinese_message_and_saves_nothing(client, db):
    response = client.post("/register", data=registration(uscc="91350203M0001QAY9X"))
    assert response.status_code == 422
    assert "统一社会信用代码校验位不正确" in response.get_data(as_text=True)
    assert db.query(Company).count() == 0 and db.query(User).count() == 0


def test_a_weak_password_is_refused_with_a_message(client, db):
    response = client.post("/register", data=registration(password="short"))
    assert response.status_code == 422
    assert db.query(Company).count() == 0


def test_a_uscc_can_register_only_once(client, db):
    client.post("/register", data=registration())
    response = client.post("/register", data=registration(email="other@example.com", name="另一家公司"))
    assert response.status_code == 409
    assert "该统一社会信用代码已注册" in response.get_data(as_text=True)
    assert db.query(Company).count() == 1


def test_the_session_cookie_is_http_only_and_same_site(client, make_company):
    _, email = make_company()
    response = client.post("/login", data={"email": email, "password": PASSWORD})
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def invite(client, email: str) -> str:
    """Invite a colleague through the page; returns the initial password it shows."""
    response = client.post("/company", data={"email": email, "name": "李娜"}, follow_redirects=True)
    match = re.search(r"初始密码 (\S+)", response.get_data(as_text=True))
    assert match, response.get_data(as_text=True)
    return match.group(1)


def test_a_company_admin_invites_a_colleague_who_can_then_sign_in(client, db, make_company, sign_in):
    company_id, email = make_company()
    sign_in(email)
    password = invite(client, "colleague@example.com")
    colleague = db.query(User).filter_by(email="colleague@example.com").one()
    assert colleague.company_id == company_id and not colleague.is_company_admin
    client.post("/logout")
    sign_in("colleague@example.com", password)


def test_a_colleague_who_is_not_company_admin_cannot_invite(client, db, make_company, sign_in):
    _, email = make_company()
    sign_in(email)
    password = invite(client, "colleague@example.com")
    client.post("/logout")
    sign_in("colleague@example.com", password)
    response = client.post("/company", data={"email": "third@example.com", "name": "张伟"})
    assert "只有企业管理员可以邀请同事" in response.get_data(as_text=True)
    assert db.query(User).filter_by(email="third@example.com").count() == 0


def test_forms_without_a_csrf_token_are_refused(database_url):
    from app import create_app

    app = create_app({"DATABASE_URL": database_url, "SECRET_KEY": "test"})
    response = app.test_client().post("/register", data=registration())
    assert response.status_code == 400
    app.extensions["engine"].dispose()


def test_failures_counted_by_one_worker_throttle_the_account_on_another(app, client, make_company):
    _, email = make_company()
    other_worker = create_app(dict(app.config))  # a second process: its own engine, nothing shared in memory
    try:
        for _ in range(5):
            assert client.post("/login", data={"email": email, "password": "wrong-1234"}).status_code == 422
        response = other_worker.test_client().post("/login", data={"email": email, "password": PASSWORD})
        assert response.status_code == 429
    finally:
        other_worker.extensions["engine"].dispose()
