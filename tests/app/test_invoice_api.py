"""Finance drafts invoices from completed bookings or free lines, issues them with a gap-free number, and an
issued invoice is frozen in the app and in the database; customers read their own issued invoices only."""

from decimal import Decimal

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from app.models import AuditEntry, Booking, Invoice
from tests.app.billing_data import LINE, THIS_YEAR, load_price_list, make_booking

USAGE = {"operator_h": 6, "steam_t": 0.2, "power_kwh": 80, "samples": 3}

UNACCEPTED = "客户已书面确认用量"  # the reason drafting from usage the customer has not accepted needs


@pytest.fixture
def finance(make_user, token_for):
    return token_for(make_user("finance"))


@pytest.fixture
def customer(make_company, token_for):
    company_id, email = make_company(
        "内蒙古蒙元生物科技有限公司",
        address="呼和浩特市",
        phone="0471-1234567",
        bank_name="中国银行",
        bank_account="1502 0000",
    )
    return company_id, token_for(email)


def usage(**values):
    return {name: Decimal(str(value)) if name != "samples" else value for name, value in values.items()}


def draft_from_booking(app, client, finance, company_id):
    load_price_list(app)
    booking_id = make_booking(
        app,
        company_id,
        vessel="LF100-1",
        hours_run=30,
        usage=usage(**USAGE),
        materials=[("葡萄糖", "25", "kg", "6.00")],
    )
    return booking_id, client.post(
        "/api/v1/invoices", headers=finance, json={"booking_id": booking_id, "reason": UNACCEPTED}
    )


def test_a_draft_from_a_completed_booking_prices_its_actual_usage(app, client, finance, customer, add_equipment):
    add_equipment("LF100-1", "liquid", 100)
    _, response = draft_from_booking(app, client, finance, customer[0])
    assert response.status_code == 201
    draft = response.get_json()
    assert draft["status"] == "draft" and draft["number"] is None
    assert [(line["description"], line["quantity"], line["amount"]) for line in draft["lines"]] == [
        ("液体发酵罐（30–100 L）使用费", "1.5", "1200.00"),
        ("液体发酵罐（30–100 L） CIP/SIP 清洗灭菌费", "1", "300.00"),
        ("操作人员工时费", "6", "900.00"),
        ("蒸汽", "0.2", "56.00"),
        ("电力", "80", "68.00"),
        ("样品分析检测费", "3", "600.00"),
        ("物料：葡萄糖", "25", "150.00"),
        ("物料采购管理费（物料成本的10%）", "1", "15.00"),
    ]
    assert (draft["subtotal"], draft["tax"], draft["total"], draft["service_subtotal"]) == (
        "3289.00",
        "207.84",
        "3496.84",
        "3139.00",
    )


def test_issuing_numbers_the_invoice_freezes_the_customer_and_marks_the_booking_invoiced(
    app, client, db, finance, customer, add_equipment
):
    add_equipment("LF100-1", "liquid", 100)
    booking_id, response = draft_from_booking(app, client, finance, customer[0])
    invoice_id = response.get_json()["id"]
    issued = client.post(
        f"/api/v1/invoices/{invoice_id}/issue", json={"issued_at": "2026-03-05T23:30:00+08:00"}, headers=finance
    ).get_json()
    assert (issued["number"], issued["status"], issued["issued_on"], issued["due_on"]) == (
        "PP-2026-00001",
        "issued",
        "2026-03-05",
        "2026-04-04",
    )
    assert issued["customer"] == {
        "name": "内蒙古蒙元生物科技有限公司",
        "uscc": issued["customer"]["uscc"],
        "address_phone": "呼和浩特市 0471-1234567",
        "bank_account": "中国银行 1502 0000",
    }
    assert db.get(Booking, booking_id).status.value == "invoiced"
    again = client.post(f"/api/v1/invoices/{invoice_id}/issue", headers=finance)
    assert again.status_code == 409


def test_a_booking_that_is_not_completed_cannot_be_invoiced(app, client, finance, customer):
    load_price_list(app)
    booking_id = make_booking(app, customer[0], status="running")
    response = client.post("/api/v1/invoices", headers=finance, json={"booking_id": booking_id, "reason": UNACCEPTED})
    assert response.status_code == 409 and "已完成" in response.get_json()["error"]


def test_a_booking_with_an_open_invoice_cannot_be_drafted_twice(app, client, finance, customer, add_equipment):
    add_equipment("LF100-1", "liquid", 100)
    booking_id, _ = draft_from_booking(app, client, finance, customer[0])
    assert (
        client.post(
            "/api/v1/invoices", headers=finance, json={"booking_id": booking_id, "reason": UNACCEPTED}
        ).status_code
        == 409
    )


def test_free_lines_make_a_draft_and_money_is_written_as_strings(client, finance, customer):
    response = client.post(
        "/api/v1/invoices",
        json={
            "company_id": customer[0],
            "lines": [
                LINE,
                {
                    **LINE,
                    "description": "代购培养基",
                    "quantity": "3",
                    "unit_price": "33.33",
                    "tax_rate": "0.13",
                    "is_service": False,
                },
            ],
        },
        headers=finance,
    )
    assert response.status_code == 201
    body = response.get_json()
    assert (body["subtotal"], body["tax"], body["total"], body["service_subtotal"]) == (
        "2099.99",
        "133.00",
        "2232.99",
        "2000.00",
    )
    assert body["tax_by_rate"] == [
        {"rate": "0.06", "net": "2000.00", "tax": "120.00"},
        {"rate": "0.13", "net": "99.99", "tax": "13.00"},
    ]


@pytest.mark.parametrize(
    "line, field",
    [
        ({"quantity": "0"}, "lines.0.quantity"),
        ({"quantity": "1.2345"}, "lines.0.quantity"),
        ({"unit_price": 100}, "lines.0.unit_price"),
        ({"unit_price": "1.005"}, "lines.0.unit_price"),
        ({"tax_rate": "1.5"}, "lines.0.tax_rate"),
        ({"description": ""}, "lines.0.description"),
        ({"unit_price": "-5.00"}, "lines.0.unit_price"),
    ],
)
def test_bad_lines_are_refused_with_a_field_message_and_nothing_is_saved(client, db, finance, customer, line, field):
    response = client.post(
        "/api/v1/invoices", json={"company_id": customer[0], "lines": [{**LINE, **line}]}, headers=finance
    )
    assert response.status_code == 422 and field in response.get_json()["fields"]
    assert db.query(Invoice).count() == 0


def test_a_body_with_neither_a_booking_nor_a_company_is_refused(client, finance):
    assert client.post("/api/v1/invoices", json={"lines": [LINE]}, headers=finance).status_code == 422
    assert (
        client.post("/api/v1/invoices", json={"company_id": 999999, "lines": [LINE]}, headers=finance).status_code
        == 422
    )


def test_customers_and_operators_may_not_draft(client, make_user, token_for, customer):
    body = {"company_id": customer[0], "lines": [LINE]}
    assert client.post("/api/v1/invoices", json=body, headers=customer[1]).status_code == 403
    assert client.post("/api/v1/invoices", json=body, headers=token_for(make_user("operator"))).status_code == 403
    assert client.post("/api/v1/invoices", json=body).status_code == 401


def draft(client, finance, company_id, lines=None) -> dict:
    return client.post(
        "/api/v1/invoices", json={"company_id": company_id, "lines": lines or [LINE]}, headers=finance
    ).get_json()


def test_finance_edits_a_drafts_lines_and_the_totals_follow(client, db, finance, customer):
    invoice = draft(client, finance, customer[0])
    line_id = invoice["lines"][0]["id"]
    added = client.post(
        f"/api/v1/invoices/{invoice['id']}/lines", json={**LINE, "unit_price": "500.00"}, headers=finance
    )
    assert added.status_code == 201 and added.get_json()["subtotal"] == "3000.00"
    changed = client.put(
        f"/api/v1/invoices/{invoice['id']}/lines/{line_id}", json={**LINE, "quantity": "1"}, headers=finance
    ).get_json()
    assert changed["subtotal"] == "2000.00"
    left = client.delete(f"/api/v1/invoices/{invoice['id']}/lines/{line_id}", headers=finance).get_json()
    assert left["subtotal"] == "1000.00" and left["total"] == "1060.00"
    actions = [e.action for e in db.query(AuditEntry).filter_by(entity_type="invoice").order_by(AuditEntry.id)]
    assert actions == ["invoice.drafted", "invoice.line_added", "invoice.line_changed", "invoice.line_deleted"]


def test_an_issued_invoice_refuses_line_edits_in_chinese(client, finance, customer):
    invoice = draft(client, finance, customer[0])
    client.post(f"/api/v1/invoices/{invoice['id']}/issue", json={}, headers=finance)
    line_id = invoice["lines"][0]["id"]
    for response in (
        client.post(f"/api/v1/invoices/{invoice['id']}/lines", json=LINE, headers=finance),
        client.put(f"/api/v1/invoices/{invoice['id']}/lines/{line_id}", json=LINE, headers=finance),
        client.delete(f"/api/v1/invoices/{invoice['id']}/lines/{line_id}", headers=finance),
        client.delete(f"/api/v1/invoices/{invoice['id']}", headers=finance),
    ):
        assert response.status_code == 409 and "红字发票" in response.get_json()["error"]


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE invoices SET total = 1 WHERE id = :id",
        "UPDATE invoice_lines SET amount = 1 WHERE invoice_id = :id",
        "DELETE FROM invoice_lines WHERE invoice_id = :id",
    ],
)
def test_the_database_refuses_a_direct_change_to_an_issued_invoice(app, client, finance, customer, statement):
    invoice = draft(client, finance, customer[0])
    client.post(f"/api/v1/invoices/{invoice['id']}/issue", headers=finance)
    with pytest.raises(DBAPIError, match="frozen"), app.extensions["engine"].begin() as conn:
        conn.execute(text(statement), {"id": invoice["id"]})


def test_the_fapiao_number_is_recorded_on_an_issued_invoice_only_and_must_have_20_digits(client, db, finance, customer):
    invoice = draft(client, finance, customer[0])
    url = f"/api/v1/invoices/{invoice['id']}"
    assert client.patch(url, json={"fapiao_number": "26152000000012345678"}, headers=finance).status_code == 409
    client.post(f"{url}/issue", headers=finance)
    bad = client.patch(url, json={"fapiao_number": "2615200000001234567X"}, headers=finance)
    assert bad.status_code == 422 and bad.get_json()["fields"]["fapiao_number"] == "数电发票号码须为20位数字"
    good = client.patch(url, json={"fapiao_number": "26152000000012345678"}, headers=finance)
    assert good.status_code == 200 and good.get_json()["fapiao_number"] == "26152000000012345678"
    assert db.query(AuditEntry).filter_by(action="invoice.fapiao_number").count() == 1


def test_the_number_prefix_comes_from_the_configuration(app, client, finance, customer):
    app.config["INVOICE_PREFIX"] = "HT"
    try:
        invoice = draft(client, finance, customer[0])
        issued = client.post(f"/api/v1/invoices/{invoice['id']}/issue", headers=finance).get_json()
    finally:
        app.config["INVOICE_PREFIX"] = "PP"
    assert issued["number"].startswith(f"HT-{THIS_YEAR}-")


def test_an_issue_date_in_the_future_or_before_the_last_issued_is_refused(client, finance, customer):
    first, second, third = (draft(client, finance, customer[0]) for _ in range(3))
    future = client.post(
        f"/api/v1/invoices/{first['id']}/issue", json={"issued_at": "2099-01-01T00:00:00+08:00"}, headers=finance
    )
    assert future.status_code == 422 and "issued_at" in future.get_json()["fields"]
    client.post(
        f"/api/v1/invoices/{first['id']}/issue", json={"issued_at": "2026-06-01T10:00:00+08:00"}, headers=finance
    )
    earlier = client.post(
        f"/api/v1/invoices/{second['id']}/issue", json={"issued_at": "2026-05-01T10:00:00+08:00"}, headers=finance
    )
    assert earlier.status_code == 422
    last_year = client.post(
        f"/api/v1/invoices/{third['id']}/issue", json={"issued_at": "2025-12-31T23:59:00+08:00"}, headers=finance
    ).get_json()
    assert last_year["number"] == "PP-2025-00001"


def test_a_customer_sees_its_own_issued_invoices_and_nobody_elses(client, finance, customer, make_company, token_for):
    own = draft(client, finance, customer[0])
    client.post(f"/api/v1/invoices/{own['id']}/issue", headers=finance)
    unissued = draft(client, finance, customer[0])
    other_company, other_email = make_company()
    other = draft(client, finance, other_company)
    client.post(f"/api/v1/invoices/{other['id']}/issue", headers=finance)
    listed = client.get("/api/v1/invoices", headers=customer[1]).get_json()["items"]
    assert [item["id"] for item in listed] == [own["id"]]
    for invoice_id in (other["id"], unissued["id"]):
        assert client.get(f"/api/v1/invoices/{invoice_id}", headers=customer[1]).status_code == 404
        assert client.get(f"/api/v1/invoices/{invoice_id}/pdf", headers=customer[1]).status_code == 404
    assert client.get(f"/api/v1/invoices/{own['id']}", headers=customer[1]).status_code == 200
    assert len(client.get("/api/v1/invoices", headers=finance).get_json()["items"]) == 3


def test_the_list_filters_by_status_company_and_year(client, finance, customer, make_company):
    issued = draft(client, finance, customer[0])
    client.post(f"/api/v1/invoices/{issued['id']}/issue", headers=finance)
    other_company, _ = make_company()
    draft(client, finance, other_company)

    def ids(query):
        return [i["id"] for i in client.get(f"/api/v1/invoices?{query}", headers=finance).get_json()["items"]]

    assert ids("status=unpaid") == [issued["id"]]
    assert len(ids("status=draft")) == 1 and ids(f"company_id={customer[0]}") == [issued["id"]]
    assert ids(f"year={THIS_YEAR - 1}") == [] and len(ids(f"year={THIS_YEAR}")) == 2
    assert client.get("/api/v1/invoices?status=bogus", headers=finance).status_code == 422


def test_an_absurd_invoice_id_is_simply_not_found(client, finance):
    huge = 10**20
    assert client.get(f"/api/v1/invoices/{huge}", headers=finance).status_code == 404
    assert client.post(f"/api/v1/invoices/{huge}/issue", headers=finance).status_code == 404
    assert (
        client.post(
            f"/api/v1/invoices/{huge}/payments", headers=finance, json={"amount": "1.00", "received_on": "2026-03-01"}
        ).status_code
        == 404
    )
