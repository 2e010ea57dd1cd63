"""What docs/deploy.md relies on: the health check and the headers of trusted reverse proxies."""

from flask import request

from app import create_app

FORWARDED = {"X-Forwarded-For": "203.0.113.7", "X-Forwarded-Proto": "https", "X-Forwarded-Host": "pilot.example.cn"}


def probing_app(**config):
    """An app with a page that shows the request's scheme, host and client address as the app sees them."""
    app = create_app({"DATABASE_URL": "sqlite://", "SECRET_KEY": "test", **config})
    app.add_url_rule("/probe", "probe", lambda: f"{request.scheme} {request.host} {request.remote_addr}")
    return app


def test_healthz_answers_ok_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.get_data(as_text=True) == "ok"


def test_healthz_answers_503_when_the_database_does_not():
    app = create_app({"DATABASE_URL": "postgresql://nobody@127.0.0.1:1/none", "SECRET_KEY": "test"})
    response = app.test_client().get("/healthz")
    app.extensions["engine"].dispose()
    assert response.status_code == 503


def test_behind_one_trusted_proxy_the_app_sees_the_client_https_and_the_public_host():
    response = probing_app(TRUSTED_PROXIES=1).test_client().get("/probe", headers=FORWARDED)
    assert response.get_data(as_text=True) == "https pilot.example.cn 203.0.113.7"


def test_without_trusted_proxies_forwarded_headers_are_ignored():
    response = probing_app(TRUSTED_PROXIES=0).test_client().get("/probe", headers=FORWARDED)
    assert response.get_data(as_text=True) == "http localhost 127.0.0.1"
