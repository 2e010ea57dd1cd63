"""Payments never exceed what is due; credit notes reference the original, are numbered in their own
sequence and can never credit more than remains; a fully credited invoice counts as void."""

from datetime import date, timedelta

import pytest

from app.models import AuditEntry, Booking, Payment
from app.services.finance.payments import bucket
from tests.app.billing_data import LINE, THIS_YEAR, load_price_list, make_booking

TWO_LINES = [LINE, {**LINE, "description": "发酵工艺优化咨询", "quantity": "4", "unit": "小时", "unit_price": "250.00"}]

UNACCEPTED = "客户已书面确认用量"  # the reason drafting from usage the customer has not accepted needs


@pytest.fixture
def finance(make_user, token_for):
    return token_for(make_user("finance"))


@pytest.fixture
def company(make_company):
    return make_company()[0]


def issued(client, finance, company_id, lines=None, issued_at=None) -> dict:
    draft = client.post(
        "/api/v1/invoices", json={"company_id": company_id, "lines": lines or TWO_LINES}, headers=finance
    ).get_json()
    body = {"issued_at": issued_at} if issued_at else {}
    return client.post(f"/api/v1/invoices/{draft['id']}/issue", json=body, headers=finance).get_json()


def pay(client, finance, invoice, amount, received_on=None):
    return client.post(
        f"/api/v1/invoices/{invoice['id']}/payments",
        headers=finance,
        json={"amount": amount, "received_on": received_on or invoice["issued_on"], "reference": "网银"},
    )


def credit(client, finance, invoice, **body):
    return client.post(
        f"/api/v1/invoices/{invoice['id']}/credit-notes", json={"reason": "服务天数多计", **body}, headers=finance
    )


def test_payments_move_an_invoice_from_unpaid_to_partly_paid_to_paid(client, finance, company):
    invoice = issued(client, finance, company)
    assert invoice["total"] == "3180.00" and invoice["payment_status"] == "unpaid"
    first = pay(client, finance, invoice, "1000.00")
    assert first.status_code == 201 and first.get_json()["payment_status"] == "partly_paid"
    second = pay(client, finance, invoice, "2180.00").get_json()
    assert (second["payment_status"], second["outstanding"]) == ("paid", "0.00")


@pytest.mark.parametrize(
    "amount, field_message",
    [
        ("3180.01", "付款金额超过未付金额（未付 ¥3,180.00），不接受超额付款"),
        ("0.00", "付款金额必须大于零"),
        ("-5.00", "付款金额必须大于零"),
    ],
)
def test_overpayment_and_non_positive_amounts_are_refused_with_a_field_message(
    client, db, finance, company, amount, field_message
):
    invoice = issued(client, finance, company)
    response = pay(client, finance, invoice, amount)
    assert response.status_code == 422 and response.get_json()["fields"]["amount"] == field_message
    assert db.query(Payment).count() == 0


def test_an_amount_as_a_json_number_or_with_three_decimals_is_refused(client, finance, company):
    invoice = issued(client, finance, company)
    assert pay(client, finance, invoice, 100).status_code == 422
    assert pay(client, finance, invoice, "1.005").status_code == 422


def test_only_issued_invoices_take_payments(client, finance, company):
    draft = client.post("/api/v1/invoices", json={"company_id": company, "lines": [LINE]}, headers=finance).get_json()
    response = pay(client, finance, {**draft, "issued_on": "2026-03-01"}, "10.00")
    assert response.status_code == 409
    note = credit(client, finance, issued(client, finance, company)).get_json()
    assert pay(client, finance, note, "10.00").status_code == 409


def test_a_payment_dated_before_the_issue_or_in_the_future_is_refused(client, finance, company):
    invoice = issued(client, finance, company, issued_at="2026-03-05T10:00:00+08:00")
    assert pay(client, finance, invoice, "10.00", "2026-03-04").status_code == 422
    assert pay(client, finance, invoice, "10.00", (date.today() + timedelta(days=2)).isoformat()).status_code == 422


def test_an_unpaid_invoice_past_its_due_date_is_overdue(client, finance, company):
    invoice = issued(client, finance, company, issued_at="2026-03-05T10:00:00+08:00")
    assert (invoice["due_on"], invoice["payment_status"]) == ("2026-04-04", "overdue")
    pay(client, finance, invoice, "100.00")
    assert client.get(f"/api/v1/invoices/{invoice['id']}", headers=finance).get_json()["payment_status"] == "overdue"


def test_a_whole_credit_note_negates_every_figure_and_voids_the_invoice(client, db, finance, company):
    invoice = issued(client, finance, company)
    response = credit(client, finance, invoice)
    assert response.status_code == 201
    note = response.get_json()
    assert (note["kind"], note["status"], note["number"], note["credited_invoice_id"]) == (
        "credit_note",
        "issued",
        f"CN-{THIS_YEAR}-00001",
        invoice["id"],
    )
    assert (note["subtotal"], note["tax"], note["total"], note["service_subtotal"]) == (
        "-3000.00",
        "-180.00",
        "-3180.00",
        "-3000.00",
    )
    assert [line["quantity"] for line in note["lines"]] == ["-2", "-4"]
    original = client.get(f"/api/v1/invoices/{invoice['id']}", headers=finance).get_json()
    assert (original["void"], original["payment_status"], original["outstanding"]) == (True, "void", "0.00")
    assert credit(client, finance, invoice).status_code == 409
    assert db.query(AuditEntry).filter_by(action="invoice.credited").count() == 1


def test_a_partial_credit_note_reduces_what_is_due_and_never_credits_more_than_remains(client, finance, company):
    invoice = issued(client, finance, company)
    day_line, hour_line = (line["id"] for line in invoice["lines"])
    note = credit(client, finance, invoice, lines=[{"line_id": day_line, "quantity": "0.5"}]).get_json()
    assert (note["subtotal"], note["total"]) == ("-500.00", "-530.00")
    after = client.get(f"/api/v1/invoices/{invoice['id']}", headers=finance).get_json()
    assert (after["outstanding"], after["credited"], after["void"]) == ("2650.00", "-530.00", False)
    too_much = credit(client, finance, invoice, lines=[{"line_id": day_line, "quantity": "1.6"}])
    assert too_much.status_code == 422
    unknown = credit(client, finance, invoice, lines=[{"line_id": 999999, "quantity": "1"}])
    assert unknown.status_code == 422 and "lines.0.line_id" in unknown.get_json()["fields"]
    assert pay(client, finance, invoice, "2650.01").status_code == 422
    rest = credit(client, finance, invoice).get_json()
    assert [line["quantity"] for line in rest["lines"]] == ["-1.5", "-4"]
    assert client.get(f"/api/v1/invoices/{invoice['id']}", headers=finance).get_json()["void"] is True


def test_a_credit_note_needs_a_reason_and_an_issued_invoice(client, finance, company):
    invoice = issued(client, finance, company)
    no_reason = client.post(f"/api/v1/invoices/{invoice['id']}/credit-notes", json={"reason": "  "}, headers=finance)
    assert no_reason.status_code == 422
    draft = client.post("/api/v1/invoices", json={"company_id": company, "lines": [LINE]}, headers=finance).get_json()
    assert credit(client, finance, draft).status_code == 409


def test_voiding_an_invoice_drafted_from_a_booking_lets_the_booking_be_invoiced_again(
    app, client, db, finance, company
):
    load_price_list(app)
    booking_id = make_booking(app, company)
    draft = client.post(
        "/api/v1/invoices", headers=finance, json={"booking_id": booking_id, "reason": UNACCEPTED}
    ).get_json()
    invoice = client.post(f"/api/v1/invoices/{draft['id']}/issue", headers=finance).get_json()
    assert db.get(Booking, booking_id).status.value == "invoiced"
    credit(client, finance, invoice)
    db.rollback()
    assert db.get(Booking, booking_id).status.value == "completed"
    assert (
        client.post(
            "/api/v1/invoices", headers=finance, json={"booking_id": booking_id, "reason": UNACCEPTED}
        ).status_code
        == 201
    )


@pytest.mark.parametrize(
    "days_overdue, name",
    [
        (-3, "not_due"),
        (0, "not_due"),
        (1, "1_30"),
        (30, "1_30"),
        (31, "31_60"),
        (61, "61_90"),
        (90, "61_90"),
        (91, "over_90"),
    ],
)
def test_receivables_age_in_buckets_of_days_overdue(days_overdue, name):
    due = date(2026, 6, 30)
    assert bucket(due, due + timedelta(days=days_overdue)) == name


def test_the_aged_receivables_sum_what_each_customer_still_owes(client, finance, company, make_company):
    old = issued(client, finance, company, issued_at="2026-03-05T10:00:00+08:00")
    pay(client, finance, old, "180.00")
    issued(client, finance, company)
    other, _ = make_company()
    paid = issued(client, finance, other)
    pay(client, finance, paid, paid["total"])
    body = client.get("/api/v1/receivables", headers=finance).get_json()
    assert [(row["company_id"], row["total"], row["not_due"], row["over_90"]) for row in body["items"]] == [
        (company, "6180.00", "3180.00", "3000.00")
    ]
    assert body["total"]["total"] == "6180.00"
