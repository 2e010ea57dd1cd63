"""Small builders for test data, going through the services like real users do."""

import email
import email.policy
import itertools
from datetime import UTC, datetime

import pytest

from app.platform.db import db_session
from app.services.access import accounts, registration
from app.services.access.passwords import new_password
from app.services.plan import inventory
from bench.databases import throwaway_database
from billing.uscc import uscc_check_char

PASSWORD = "secret-123"
_serial = itertools.count(1)


def valid_uscc(n: int) -> str:
    first17 = f"9115010{n:010d}"
    return first17 + uscc_check_char(first17)


@pytest.fixture
def make_company(app):
    def make(name: str | None = None, approved: bool = True, **overrides):
        """A company with its first user; approved by the platform (and so its user's e-mail confirmed)."""
        n = next(_serial)
        with app.app_context():
            session = db_session()
            details = registration.CompanyDetails(
                name=name or f"测试企业{n}",
                uscc=valid_uscc(n),
                contact_name="联系人",
                email=overrides.pop("email", f"customer{n}@example.com"),
                **overrides,
            )
            if approved:
                company = registration.register_approved(session, details, PASSWORD, datetime.now(UTC))
            else:
                company = registration.register_company(session, details, new_password(PASSWORD)).company
            session.commit()
            return company.id, details.email

    return make


@pytest.fixture
def outbox(app, tmp_path, monkeypatch):
    """The directory this test's mail is written to (as .eml files)."""
    monkeypatch.setitem(app.config, "OUTBOX_DIR", str(tmp_path))
    monkeypatch.setitem(app.config, "MAIL_SERVER", "")
    return tmp_path


def mails(outbox) -> list[email.message.EmailMessage]:
    return [
        email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        for path in sorted(outbox.glob("*.eml"))
    ]


@pytest.fixture
def make_user(app):
    def make(role: str, company_id: int | None = None) -> str:
        email = f"{role}{next(_serial)}@example.com"
        with app.app_context():
            session = db_session()
            accounts.create_user(
                session, None, email, role, new_password(PASSWORD), company_id, verified_at=datetime.now(UTC)
            )
            session.commit()
        return email

    return make


@pytest.fixture
def add_equipment(app):
    def add(code: str, kind: str = "liquid", nominal: float = 100, **fields) -> None:
        with app.app_context():
            session = db_session()
            inventory.add_equipment(
                session,
                None,
                inventory.EquipmentFields(code=code, name=code, kind=kind, nominal_volume_l=nominal, **fields),
            )
            session.commit()

    return add


@pytest.fixture
def sign_in(client):
    def sign_in(email: str, password: str = PASSWORD):
        response = client.post("/login", data={"email": email, "password": password})
        assert response.status_code == 302, response.get_data(as_text=True)
        return client

    return sign_in


@pytest.fixture
def token_for(client):
    def token_for(email: str, password: str = PASSWORD) -> dict:
        response = client.post("/api/v1/tokens", json={"email": email, "password": password})
        assert response.status_code == 201, response.get_json()
        return {"Authorization": f"Bearer {response.get_json()['token']}"}

    return token_for


@pytest.fixture
def cli_database(database_url, tmp_path):
    """A database of its own for the commands (not the suite's shared one)."""
    kind = "sqlite" if database_url.startswith("sqlite") else "postgresql"
    with throwaway_database(kind, tmp_path, "cli", database_url.rsplit("/", 1)[0] + "/postgres") as url:
        yield url
