"""Two customer companies with the whole life of their work, made through the API like real users make it:
a requested booking, an issued and partly paid invoice with a credit note and a fapiao number, a draft
invoice, a background job; and the staff, their tokens, a maintenance window and a draft subsidy claim over both
companies. They live in a database of their own (not emptied after each test), made once per test module."""

from dataclasses import dataclass, field
from datetime import UTC, datetime

import pytest
from flask import Flask
from sqlalchemy import func, select

from app.models import ApiToken
from app.platform.db import db_session
from app.services.access import accounts
from app.services.access.passwords import new_password
from app.services.booking.feeds import company_feed_token
from app.services.finance import price_lists
from app.services.plan import inventory
from tests.app import job_kinds  # noqa: F401  (registers the kind of company B's job)
from tests.app.billing_data import THIS_YEAR
from tests.app.booking_data import local, request_body
from tests.app.jobs_helpers import start_job
from tests.conftest import fresh_database, migrated_app
from tests.factories import PASSWORD, valid_uscc

STAFF_ROLES = ("operator", "finance", "admin", "bureau")


@dataclass
class Company:
    """One company, what it owns, and the strings that identify it."""

    name: str
    uscc: str
    organism: str
    email_domain: str
    id: int = 0
    admin: str = ""  # the e-mail of its company admin
    colleague: str = ""
    booking_id: int = 0
    reference: str = ""
    entry_id: int = 0  # its request on the waiting list
    invoice_id: int = 0
    invoice_number: str = ""
    line_id: int = 0
    total: str = ""
    payment: str = ""
    credit_note_id: int = 0
    credit_note_number: str = ""
    fapiao_number: str = ""
    draft_id: int = 0
    draft_line_id: int = 0
    token_id: int = 0  # its admin's API token
    job_id: int = 0  # a background job its admin started

    def identifying_strings(self) -> list[str]:
        """What must never reach another company: names, codes, references, numbers and amounts."""
        amounts = [self.total, self.payment]
        return [
            self.name,
            self.uscc,
            self.admin,
            self.colleague,
            self.organism,
            self.reference,
            self.invoice_number,
            self.credit_note_number,
            self.fapiao_number,
            *amounts,
            *(f"{float(amount):,.2f}" for amount in amounts),
        ]


@dataclass
class Plant:
    a: Company
    b: Company
    staff: dict[str, str] = field(default_factory=dict)  # role → e-mail
    tokens: dict[str, dict] = field(default_factory=dict)  # "a", "b", "colleague" or a staff role → headers
    vessel: str = "LF100-1"
    window_id: int = 0
    price_list_id: int = 0
    price_item_id: int = 0
    claim_number: str = ""
    claim_code: str = ""
    forged_feed_token: str = ""  # B's id with A's secret


def _ok(response, status: int = 200) -> dict:
    assert response.status_code == status, response.get_json()
    return response.get_json()


def _token(client, email: str) -> dict:
    token = _ok(client.post("/api/v1/tokens", json={"email": email, "password": PASSWORD}), 201)["token"]
    return {"Authorization": f"Bearer {token}"}


def _own_work(
    client, plant: Plant, key: str, unit_price: str, quantity: str, payment: str, fapiao_number: str, start_day: int
) -> None:
    company, customer, finance = getattr(plant, key), plant.tokens[key], plant.tokens["finance"]
    booking = _ok(
        client.post(
            "/api/v1/bookings",
            headers=customer,
            json=request_body(
                organism=company.organism,
                notes=f"{company.organism} 工艺备注",
                equipment=plant.vessel,
                start=local(start_day, 8).isoformat(),
            ),
        ),
        201,
    )
    company.booking_id, company.reference = booking["id"], booking["reference"]
    line = {
        "description": f"{company.organism} 发酵工艺服务",
        "quantity": quantity,
        "unit": "批",
        "unit_price": unit_price,
        "tax_rate": "0.06",
        "is_service": True,
    }
    draft = _ok(client.post("/api/v1/invoices", headers=finance, json={"company_id": company.id, "lines": [line]}), 201)
    company.invoice_id, company.line_id = draft["id"], draft["lines"][0]["id"]
    issued = _ok(client.post(f"/api/v1/invoices/{company.invoice_id}/issue", headers=finance, json={}))
    company.invoice_number, company.total = issued["number"], issued["total"]
    _ok(
        client.post(
            f"/api/v1/invoices/{company.invoice_id}/payments",
            headers=finance,
            json={"amount": payment, "received_on": issued["issued_on"]},
        ),
        201,
    )
    company.payment = payment
    note = _ok(
        client.post(
            f"/api/v1/invoices/{company.invoice_id}/credit-notes",
            headers=finance,
            json={"reason": "数量更正", "lines": [{"line_id": company.line_id, "quantity": "1"}]},
        ),
        201,
    )
    company.credit_note_id, company.credit_note_number = note["id"], note["number"]
    _ok(client.patch(f"/api/v1/invoices/{company.invoice_id}", headers=finance, json={"fapiao_number": fapiao_number}))
    company.fapiao_number = fapiao_number
    draft = _ok(client.post("/api/v1/invoices", headers=finance, json={"company_id": company.id, "lines": [line]}), 201)
    company.draft_id, company.draft_line_id = draft["id"], draft["lines"][0]["id"]


def _add_people_and_plant(app, plant: Plant) -> None:
    with app.app_context():
        session = db_session()
        for code in (plant.vessel, "LF100-2"):
            inventory.add_equipment(
                session,
                None,
                inventory.EquipmentFields(code=code, name=code, kind="liquid", nominal_volume_l=100, turnaround_h=5),
            )
        for role in STAFF_ROLES:
            plant.staff[role] = f"{role}@plant.example.com"
            accounts.create_user(
                session, None, plant.staff[role], role, new_password(PASSWORD), verified_at=datetime.now(UTC)
            )
        prices = price_lists.ensure_default_price_list(session)
        session.commit()
        plant.price_list_id, plant.price_item_id = prices.id, prices.items[0].id


def _add_colleague(app, company: Company) -> None:
    with app.app_context():
        session = db_session()
        company.colleague = f"colleague@{company.email_domain}"
        accounts.create_user(
            session,
            None,
            company.colleague,
            "customer",
            new_password(PASSWORD),
            company.id,
            verified_at=datetime.now(UTC),
        )
        session.commit()


def _newest_token_id(app) -> int:
    with app.app_context():
        return db_session().scalar(select(func.max(ApiToken.id)))


def seed(app) -> Plant:
    """The two companies and the plant, in the database of `app`."""
    client = app.test_client()
    plant = Plant(
        a=Company("青城酶工程有限公司", valid_uscc(101), "甲方菌株Alpha", "qingcheng.example.com"),
        b=Company("草原益生菌科技有限公司", valid_uscc(202), "乙方菌株Bravo", "caoyuan.example.com"),
    )
    _add_people_and_plant(app, plant)
    for role in STAFF_ROLES:
        plant.tokens[role] = _token(client, plant.staff[role])
    for key, company in (("a", plant.a), ("b", plant.b)):
        company.admin = f"admin@{company.email_domain}"
        company.id = _ok(
            client.post(
                "/api/v1/companies",
                json={
                    "name": company.name,
                    "uscc": company.uscc,
                    "contact_name": "联系人",
                    "email": company.admin,
                    "password": PASSWORD,
                    "phone": "0471-7654321",
                    "address": "呼和浩特市",
                },
            ),
            201,
        )["id"]
        _ok(client.patch(f"/api/v1/companies/{company.id}", headers=plant.tokens["admin"], json={"approved": True}))
        _add_colleague(app, company)
        plant.tokens[key] = _token(client, company.admin)
        company.token_id = _newest_token_id(app)
    plant.tokens["colleague"] = _token(client, plant.a.colleague)
    _own_work(client, plant, "a", "1111.11", "2", "555.55", "26152000000087654321", start_day=3)
    _own_work(client, plant, "b", "7654.32", "3", "1234.56", "26152000000012345678", start_day=9)
    plant.b.entry_id = _ok(
        client.post("/api/v1/waiting-list", headers=plant.tokens["b"], json=request_body(organism=plant.b.organism)),
        201,
    )["id"]  # offered a slot at once, held while the crawl runs
    window = _ok(
        client.post(
            f"/api/v1/equipment/{plant.vessel}/maintenance",
            headers=plant.tokens["operator"],
            json={"start": local(200, 8).isoformat(), "end": local(201, 8).isoformat(), "reason": "年检"},
        ),
        201,
    )
    plant.window_id = window["id"]
    plant.b.job_id = start_job(app, plant.b.admin, "test.count", {"steps": 1})
    claim = _ok(client.post(f"/api/v1/subsidy/{THIS_YEAR}/claims", headers=plant.tokens["finance"]), 201)
    plant.claim_number, plant.claim_code = claim["number"], claim["verification_url"].rsplit("/", 1)[1]
    secret = company_feed_token("test", plant.a.id, 0).split("-", 1)[1]
    plant.forged_feed_token = f"{plant.b.id}-{secret}"
    return plant


@pytest.fixture(scope="module")
def two_companies(tmp_path_factory) -> tuple[Flask, Plant]:
    """An app on a database of its own with the two companies, seeded once for the tests of a module."""
    with fresh_database(tmp_path_factory.mktemp("two-companies")) as url:
        app = migrated_app(url, tmp_path_factory.mktemp("outbox"))
        yield app, seed(app)
        app.extensions["engine"].dispose()
