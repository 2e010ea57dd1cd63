"""Claims: frozen when made, numbered gap-free per year, out of date when the ledger changes, submitted, verified."""

from datetime import date

import pytest
from sqlalchemy import select

from app.models import AuditEntry, SubsidyClaim


@pytest.fixture
def finance(make_user, token_for):
    return token_for(make_user("finance"))


@pytest.fixture
def customer(make_company):
    company, email = make_company("丙发酵科技有限公司")
    return company, email


def claim(client, headers, year=2026):
    response = client.post(f"/api/v1/subsidy/{year}/claims", headers=headers)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def test_a_claim_freezes_the_figures_with_a_number_and_a_ledger_digest(client, books, customer, finance, db):
    books.invoice(customer[0], date(2026, 3, 1), "200000.00")
    made = claim(client, finance)
    assert made["number"] == "SC-2026-001" and made["year"] == 2026 and made["status"] == "draft"
    assert made["eligible_revenue"] == "200000.00" and made["amount"] == "60000.00"
    assert len(made["sha256"]) == 64
    row = db.scalar(select(SubsidyClaim))
    assert row.invoice_count == 1 and '"documents":[{' in row.snapshot and len(row.verification_code) >= 16
    assert db.scalar(select(AuditEntry.action).where(AuditEntry.entity_id == "SC-2026-001")) == "subsidy.claim_created"


def test_claim_numbers_run_gap_free_per_year(client, books, customer, finance):
    books.invoice(customer[0], date(2026, 3, 1), "100.00")
    books.invoice(customer[0], date(2025, 3, 1), "100.00")
    numbers = [
        claim(client, finance)["number"],
        claim(client, finance)["number"],
        claim(client, finance, 2025)["number"],
    ]
    assert numbers == ["SC-2026-001", "SC-2026-002", "SC-2025-001"]
    assert client.post("/api/v1/subsidy/2024/claims", headers=finance).status_code == 422  # nothing to claim
    assert claim(client, finance)["number"] == "SC-2026-003"


def test_a_credit_note_after_the_claim_makes_it_out_of_date_but_never_changes_it(client, books, customer, finance):
    invoice = books.invoice(customer[0], date(2026, 3, 1), "1000.00")
    books.invoice(customer[0], date(2026, 4, 1), "1000.00")
    first = claim(client, finance)
    assert client.get(f"/api/v1/subsidy/claims/{first['number']}", headers=finance).get_json()["out_of_date"] is False
    books.credit(invoice, date(2026, 5, 1))
    stale = client.get(f"/api/v1/subsidy/claims/{first['number']}", headers=finance).get_json()
    assert (
        stale["out_of_date"] is True and stale["eligible_revenue"] == "2000.00" and stale["sha256"] == first["sha256"]
    )
    second = claim(client, finance)
    assert second["eligible_revenue"] == "1000.00" and second["sha256"] != first["sha256"]
    listed = {
        c["number"]: c["out_of_date"] for c in client.get("/api/v1/subsidy/claims", headers=finance).get_json()["items"]
    }
    assert listed == {"SC-2026-001": True, "SC-2026-002": False}


def test_the_out_of_date_claim_says_so_on_its_page_and_cannot_be_submitted(
    client, books, customer, finance, make_user, sign_in
):
    invoice = books.invoice(customer[0], date(2026, 3, 1), "1000.00")
    books.invoice(customer[0], date(2026, 3, 2), "1000.00")
    number = claim(client, finance)["number"]
    books.credit(invoice, date(2026, 5, 1), "10.00")
    response = client.post(f"/api/v1/subsidy/claims/{number}/submit", headers=finance)
    assert response.status_code == 409 and "已过期" in response.get_json()["error"]
    sign_in(make_user("finance"))
    page = client.get(f"/subsidy/claims/{number}?lang=zh_Hans_CN").get_data(as_text=True)
    assert "已过期" in page and "¥2,000.00" in page


def test_a_policy_change_also_makes_the_claim_out_of_date(client, books, customer, finance, make_user, token_for):
    books.invoice(customer[0], date(2026, 3, 1), "1000.00")
    number = claim(client, finance)["number"]
    admin = token_for(make_user("admin"))
    assert (
        client.patch(f"/api/v1/companies/{customer[0]}", json={"is_affiliated": True}, headers=admin).status_code == 200
    )
    assert client.get(f"/api/v1/subsidy/claims/{number}", headers=finance).get_json()["out_of_date"] is True


def test_finance_submits_a_draft_once(client, books, customer, finance, make_user, token_for):
    books.invoice(customer[0], date(2026, 3, 1), "1000.00")
    number = claim(client, finance)["number"]
    assert (
        client.post(f"/api/v1/subsidy/claims/{number}/submit", headers=token_for(make_user("admin"))).status_code == 403
    )
    submitted = client.post(f"/api/v1/subsidy/claims/{number}/submit", headers=finance)
    assert submitted.status_code == 200 and submitted.get_json()["status"] == "submitted"
    assert submitted.get_json()["submitted_at"].endswith("+08:00")
    assert client.post(f"/api/v1/subsidy/claims/{number}/submit", headers=finance).status_code == 409


def test_the_bureau_sees_only_submitted_claims(client, books, customer, finance, make_user, token_for, sign_in):
    books.invoice(customer[0], date(2026, 3, 1), "1000.00")
    draft, submitted = claim(client, finance)["number"], claim(client, finance)["number"]
    client.post(f"/api/v1/subsidy/claims/{submitted}/submit", headers=finance)
    bureau_email = make_user("bureau")
    bureau = token_for(bureau_email)
    items = client.get("/api/v1/subsidy/claims", headers=bureau).get_json()["items"]
    assert [item["number"] for item in items] == [submitted]
    assert client.get(f"/api/v1/subsidy/claims/{draft}", headers=bureau).status_code == 404
    assert client.get(f"/api/v1/subsidy/claims/{draft}/pdf", headers=bureau).status_code == 404
    pdf = client.get(f"/api/v1/subsidy/claims/{submitted}/pdf", headers=bureau)
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf" and pdf.data.startswith(b"%PDF")
    assert client.post("/api/v1/subsidy/2026/claims", headers=bureau).status_code == 403
    sign_in(bureau_email)
    page = client.get("/subsidy/claims").get_data(as_text=True)
    assert submitted in page and draft not in page
    assert client.get(f"/subsidy/claims/{draft}").status_code == 404
    assert client.get(f"/subsidy/claims/{submitted}/pdf").status_code == 200
    assert client.get("/subsidy/2026").status_code == 403


def test_a_customer_gets_403_and_an_unknown_claim_404(client, books, customer, finance, token_for):
    books.invoice(customer[0], date(2026, 3, 1), "1000.00")
    number = claim(client, finance)["number"]
    mine = token_for(customer[1])
    for path in (f"/api/v1/subsidy/claims/{number}", f"/api/v1/subsidy/claims/{number}/pdf", "/api/v1/subsidy/claims"):
        assert client.get(path, headers=mine).status_code == 403
    assert client.post("/api/v1/subsidy/2026/claims", headers=mine).status_code == 403
    assert client.get("/api/v1/subsidy/claims/SC-2026-999", headers=finance).status_code == 404


def test_the_public_verification_page_shows_the_frozen_figures_and_nothing_about_customers(
    client, books, customer, finance, db
):
    invoice = books.invoice(customer[0], date(2026, 3, 1), "1234.56")
    number = claim(client, finance)["number"]
    client.post(f"/api/v1/subsidy/claims/{number}/submit", headers=finance)
    row = db.scalar(select(SubsidyClaim).where(SubsidyClaim.number == number))
    page = client.get(f"/verify/{row.verification_code}?lang=zh_Hans_CN")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and number in text and "2026" in text and "¥1,234.56" in text
    assert "¥370.37" in text and row.sha256 in text and "丙发酵科技有限公司" not in text and "已过期" not in text
    books.credit(invoice, date(2026, 4, 1), "1.00")
    assert "已过期" in client.get(f"/verify/{row.verification_code}?lang=zh_Hans_CN").get_data(as_text=True)
    assert client.get("/verify/no-such-code").status_code == 404


def test_the_public_verification_knows_no_draft_claim(client, books, customer, finance, db):
    books.invoice(customer[0], date(2026, 3, 1), "1234.56")
    number = claim(client, finance)["number"]
    row = db.scalar(select(SubsidyClaim).where(SubsidyClaim.number == number))
    page = client.get(f"/verify/{row.verification_code}?lang=zh_Hans_CN")
    assert page.status_code == 404 and number not in page.get_data(as_text=True)


def test_finance_makes_and_submits_a_claim_from_the_pages(client, books, customer, make_user, sign_in):
    books.invoice(customer[0], date(2026, 3, 1), "1000.00")
    sign_in(make_user("finance"))
    made = client.post("/subsidy/2026/claims")
    assert made.status_code == 302 and made.headers["Location"].endswith("/subsidy/claims/SC-2026-001")
    assert client.post("/subsidy/claims/SC-2026-001/submit").status_code == 302
    assert "SC-2026-001" in client.get("/subsidy/claims").get_data(as_text=True)
    refused = client.post("/subsidy/2025/claims", follow_redirects=True)
    assert "没有可申报的服务性收入" in refused.get_data(as_text=True)
