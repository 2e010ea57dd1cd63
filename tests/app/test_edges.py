"""The app's edges: request size limits (413), a database that does not answer (503 with Retry-After), and
unexpected failures (500) — JSON on /api/, a Chinese page elsewhere."""

import pytest
from flask import Flask

from app import create_app
from app.models import Company
from app.web.edges import allow_upload
from tests.concurrency import at_once
from tests.factories import valid_uscc

CHINESE_PAGE = "text/html"


def app_on(database_url: str, **config) -> Flask:
    return create_app(
        {"DATABASE_URL": database_url, "TESTING": True, "WTF_CSRF_ENABLED": False, "SECRET_KEY": "test", **config}
    )


@pytest.fixture
def small_limit(app) -> Flask:
    """The test app with a 1 KiB request limit and one route that accepts 4 KiB (as an upload would)."""
    limited = app_on(app.config["DATABASE_URL"], MAX_CONTENT_LENGTH=1024)

    @allow_upload(4096)
    def upload():
        from flask import request

        return {"received": len(request.get_data())}

    limited.add_url_rule("/api/v1/test-upload", "test_upload", upload, methods=["POST"])
    yield limited
    limited.extensions["engine"].dispose()


def test_the_app_limits_request_bodies_by_default(app):
    assert app.config["MAX_CONTENT_LENGTH"] == 16 * 1024 * 1024


def test_a_body_over_the_limit_is_refused_with_json_on_the_api(small_limit):
    response = small_limit.test_client().post("/api/v1/tokens", data=b"x" * 2000, content_type="application/json")
    assert response.status_code == 413
    assert response.get_json()["error"] == "请求内容过大。"


def test_a_form_over_the_limit_is_refused_with_a_chinese_page(small_limit):
    response = small_limit.test_client().post("/login", data={"email": "a@example.com", "password": "x" * 2000})
    assert response.status_code == 413 and response.mimetype == CHINESE_PAGE
    assert "请求内容过大" in response.get_data(as_text=True)


def test_a_route_for_uploads_accepts_more_than_the_default_but_not_without_limit(small_limit):
    client = small_limit.test_client()
    assert client.post("/api/v1/test-upload", data=b"x" * 3000).get_json() == {"received": 3000}
    assert client.post("/api/v1/test-upload", data=b"x" * 5000).status_code == 413


@pytest.fixture(params=["postgresql+psycopg://nobody@127.0.0.1:1/nowhere?connect_timeout=2", "sqlite-directory"])
def database_down(request, tmp_path) -> Flask:
    """The app pointed at a PostgreSQL port where nothing listens, or at an SQLite "file" that is a directory."""
    url = f"sqlite:///{tmp_path}" if request.param == "sqlite-directory" else request.param
    down = app_on(url)
    yield down
    down.extensions["engine"].dispose()


def test_with_the_database_down_the_api_answers_503_json_with_retry_after(database_down):
    response = database_down.test_client().get("/api/v1/equipment")
    assert response.status_code == 503 and response.headers["Retry-After"] == "30"
    assert response.get_json()["error"] == "数据库暂时无法访问，请稍后重试。"


@pytest.mark.parametrize("path", ["/catalogue", "/login"])
def test_with_the_database_down_pages_answer_503_in_chinese_with_retry_after(database_down, path):
    client = database_down.test_client()
    if path == "/login":
        response = client.post(path, data={"email": "a@example.com", "password": "x"})
    else:
        response = client.get(path)
    assert response.status_code == 503 and response.headers["Retry-After"] == "30"
    assert "数据库暂时无法访问" in response.get_data(as_text=True)


@pytest.fixture
def failing(app) -> Flask:
    """The test app with a page and an API route that fail unexpectedly."""
    broken = app_on(app.config["DATABASE_URL"])

    def fail():
        raise RuntimeError("a bug")

    broken.add_url_rule("/api/v1/test-failure", "api_failure", fail)
    broken.add_url_rule("/test-failure", "page_failure", fail)
    yield broken
    broken.extensions["engine"].dispose()


def test_an_unexpected_failure_on_the_api_is_json(failing):
    response = failing.test_client().get("/api/v1/test-failure")
    assert response.status_code == 500
    assert response.get_json() == {"error": "服务器内部出错，请稍后重试。", "fields": {}}


def test_an_unexpected_failure_on_a_page_is_a_chinese_page(failing):
    response = failing.test_client().get("/test-failure")
    assert response.status_code == 500 and "服务器内部出错" in response.get_data(as_text=True)


def test_ten_concurrent_registrations_of_one_uscc_give_one_company_and_nine_409s(app, db):
    """On PostgreSQL all ten pass the service's check and the unique constraint decides: a 409, not a 500."""
    uscc = valid_uscc(777)

    def register(i: int):  # each from its own address, so the registration throttle does not decide
        return app.test_client().post(
            "/api/v1/companies",
            json={
                "name": f"并发注册公司{i}",
                "uscc": uscc,
                "contact_name": "王",
                "email": f"race{i}@example.com",
                "password": "secret-123",
            },
            environ_base={"REMOTE_ADDR": f"192.0.2.{i + 1}"},
        )

    answers = at_once(10, register)
    assert sorted(a.status_code for a in answers) == [201] + [409] * 9
    assert {a.get_json()["fields"].get("uscc") for a in answers if a.status_code == 409} <= {
        "该统一社会信用代码已注册",
        "该统一社会信用代码已被其他公司使用",
    }
    assert db.query(Company).filter_by(uscc=uscc).count() == 1
