"""Sessions and API tokens as a user controls them: sign a token out, revoke one by hand, change the password."""

import pytest

from tests.factories import PASSWORD


@pytest.fixture
def customer(make_company):
    return make_company()[1]


def test_a_client_signs_its_token_out_and_the_token_no_longer_works(client, customer, token_for):
    token = token_for(customer)
    other = token_for(customer)
    assert client.delete("/api/v1/tokens/current", headers=token).status_code == 204
    assert client.get("/api/v1/bookings", headers=token).status_code == 401
    assert client.get("/api/v1/bookings", headers=other).status_code == 200


def test_the_account_page_lists_tokens_and_revokes_the_chosen_one(client, customer, token_for, sign_in):
    token_for(customer)
    kept = token_for(customer)
    sign_in(customer)
    page = client.get("/account").get_data(as_text=True)
    assert "API 令牌" in page and page.count("作废</button>") == 2
    assert client.post("/account/tokens/1/revoke").status_code == 302
    page = client.get("/account").get_data(as_text=True)
    assert "已作废" in page and page.count("作废</button>") == 1
    assert client.get("/api/v1/bookings", headers=kept).status_code == 200


def test_nobody_revokes_another_users_token(app, client, customer, make_company, token_for, sign_in):
    victim = token_for(make_company()[1])
    sign_in(customer)
    assert client.post("/account/tokens/1/revoke").status_code == 404
    assert client.post(f"/account/tokens/{2**63}/revoke").status_code == 404
    assert client.get("/api/v1/bookings", headers=victim).status_code == 200


@pytest.mark.parametrize(
    "current, new, message",
    [
        ("wrong-password-1", "another-pass-2", "当前密码不正确"),
        (PASSWORD, "short1", "密码至少8位"),
        (PASSWORD, "lettersonly", "密码须同时包含字母和数字"),
        (PASSWORD, "1234567890", "密码须同时包含字母和数字"),
        (PASSWORD, PASSWORD, "新密码不能与当前密码相同"),
    ],
)
def test_a_refused_password_change_says_why_and_changes_nothing(
    client, customer, sign_in, token_for, current, new, message
):
    token = token_for(customer)
    sign_in(customer)
    response = client.post("/account", data={"current_password": current, "new_password": new})
    assert response.status_code == 422 and message in response.get_data(as_text=True)
    assert client.get("/api/v1/bookings", headers=token).status_code == 200
    assert client.post("/login", data={"email": customer, "password": PASSWORD}).status_code == 302


def test_a_password_change_signs_out_other_sessions_and_tokens_but_keeps_this_one(
    app, client, customer, sign_in, token_for
):
    token = token_for(customer)
    elsewhere = app.test_client()
    elsewhere.post("/login", data={"email": customer, "password": PASSWORD})
    assert elsewhere.get("/bookings/").status_code == 200
    sign_in(customer)
    response = client.post("/account", data={"current_password": PASSWORD, "new_password": "brand-new-pass-9"})
    assert response.status_code == 302
    assert client.get("/bookings/").status_code == 200
    assert elsewhere.get("/bookings/").status_code == 302  # back to the sign-in page
    assert client.get("/api/v1/bookings", headers=token).status_code == 401
    fresh = app.test_client()
    assert fresh.post("/login", data={"email": customer, "password": PASSWORD}).status_code == 422
    assert fresh.post("/login", data={"email": customer, "password": "brand-new-pass-9"}).status_code == 302
