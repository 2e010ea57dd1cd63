"""Contracts (委托协议): numbered gap-free per year, a PDF scan, invoices and prepayments under them, warnings."""

import io
import json
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from app.models import AuditEntry, Booking, Contract, Invoice, Payment, SubsidyClaim
from app.platform.db import db_session
from tests.app.billing_data import issued_invoice, load_price_list, make_booking

LINE = {
    "description": "中试服务",
    "quantity": "1",
    "unit": "项",
    "unit_price": "10000.00",
    "tax_rate": "0.06",
    "is_service": True,
}


@pytest.fixture
def finance(make_user, sign_in):
    email = make_user("finance")
    sign_in(email)
    return email


@pytest.fixture
def customer(make_company):
    return make_company("甲发酵科技有限公司")[0]


def create(client, company_id, **overrides):
    data = {
        "new-company_id": company_id,
        "new-title": "中试工艺放大委托协议",
        "new-amount": "10600.00",
        "new-prepayment": "3000.00",
        "new-signed_on": "2026-03-01",
        **overrides,
    }
    return client.post("/finance/contracts/", data=data)


def only_contract(db) -> Contract:
    db.expire_all()
    return db.scalars(select(Contract).order_by(Contract.id.desc())).first()


def test_contract_numbers_run_gap_free_per_year_of_signing(client, finance, customer, db):
    for signed in ("2026-03-01", "2026-04-01", "2025-12-30"):
        assert create(client, customer, **{"new-signed_on": signed}).status_code == 302
    assert sorted(db.scalars(select(Contract.number))) == ["HT-2025-0001", "HT-2026-0001", "HT-2026-0002"]
    assert db.scalar(select(AuditEntry.action).where(AuditEntry.action == "contract.created").limit(1))


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"new-amount": "0"}, "合同金额须为大于零、精确到分的金额"),
        ({"new-amount": "-5"}, "合同金额须为大于零、精确到分的金额"),
        ({"new-amount": "10.005"}, "合同金额须为大于零、精确到分的金额"),
        ({"new-prepayment": "20000"}, "预付款须在零与合同金额之间"),
        ({"new-valid_until": "2026-02-01"}, "有效期不能早于签订日期"),
        ({"new-title": ""}, None),
        ({"new-amount": "abc"}, None),
    ],
)
def test_a_contract_with_bad_figures_is_refused_and_nothing_is_stored(
    client, finance, customer, db, overrides, message
):
    response = create(client, customer, **overrides)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert message in page if message else 'class="error"' in page
    assert db.scalar(select(func.count()).select_from(Contract)) == 0


def upload_scan(client, contract_id, content: bytes, name="signed.pdf"):
    return client.post(
        f"/finance/contracts/{contract_id}/scan",
        data={"scan-scan": (io.BytesIO(content), name)},
        content_type="multipart/form-data",
    )


def test_the_signed_scan_is_a_pdf_within_the_limit(app, client, finance, customer, db):
    create(client, customer)
    contract = only_contract(db)
    assert "扫描件须为 PDF 文件" in upload_scan(client, contract.id, b"GIF89a...", "x.pdf").get_data(as_text=True)
    app.config["CONTRACT_SCAN_MAX_BYTES"] = 100
    try:
        assert "扫描件不能超过" in upload_scan(client, contract.id, b"%PDF-1.7" + b"0" * 200).get_data(as_text=True)
    finally:
        app.config["CONTRACT_SCAN_MAX_BYTES"] = 10 * 1024 * 1024
    assert only_contract(db).scan is None
    assert upload_scan(client, contract.id, b"%PDF-1.7 signed").status_code == 302
    download = client.get(f"/finance/contracts/{contract.id}/scan.pdf")
    assert download.mimetype == "application/pdf" and download.data == b"%PDF-1.7 signed"


def test_an_accepted_quote_becomes_a_contract_in_one_step(app, client, finance, customer, db):
    booking_id = make_booking(app, customer, status="confirmed", hours_run=None)
    with app.app_context():
        session = db_session()
        session.get(Booking, booking_id).quote_subtotal = Decimal("8800.00")
        session.commit()
    assert client.post("/finance/contracts/from-booking", data={"booking-booking_id": booking_id}).status_code == 302
    contract = only_contract(db)
    assert contract.amount == Decimal("8800.00") and contract.company_id == customer
    assert db.get(Booking, booking_id).contract_id == contract.id


def test_the_contract_warns_at_80_and_100_percent_invoiced(app, client, finance, customer, db):
    create(client, customer, **{"new-amount": "12000.00", "new-prepayment": "0"})
    contract = only_contract(db)
    first = issued_invoice(app, finance, customer, [LINE])
    client.post(f"/finance/contracts/{contract.id}/invoices", data={"invoice-invoice_id": first})
    page = client.get(f"/finance/contracts/{contract.id}").get_data(as_text=True)
    assert "已开票金额达到合同金额的 80%" in page and "10,600.00" in page
    second = issued_invoice(app, finance, customer, [LINE])
    client.post(f"/finance/contracts/{contract.id}/invoices", data={"invoice-invoice_id": second})
    assert "已开票金额达到合同金额的 100%" in client.get(f"/finance/contracts/{contract.id}").get_data(as_text=True)


def test_a_prepayment_is_recorded_and_applied_to_an_invoice_of_the_contract(app, client, finance, customer, db):
    create(client, customer)
    contract = only_contract(db)
    invoice_id = issued_invoice(app, finance, customer, [LINE])
    client.post(f"/finance/contracts/{contract.id}/invoices", data={"invoice-invoice_id": invoice_id})
    today = db.get(Invoice, invoice_id).issued_on.isoformat()
    assert (
        client.post(
            f"/finance/contracts/{contract.id}/prepayments",
            data={"prepayment-amount": "3000.00", "prepayment-received_on": today},
        ).status_code
        == 302
    )
    over = client.post(
        f"/finance/contracts/{contract.id}/apply", data={"apply-invoice_id": invoice_id, "apply-amount": "3000.01"}
    )
    assert "金额超过未使用的预付款" in over.get_data(as_text=True)
    assert (
        client.post(
            f"/finance/contracts/{contract.id}/apply", data={"apply-invoice_id": invoice_id, "apply-amount": "2000.00"}
        ).status_code
        == 302
    )
    payment = db.scalar(select(Payment).where(Payment.invoice_id == invoice_id))
    assert payment.amount == Decimal("2000.00") and payment.prepayment_id is not None
    page = client.get(f"/finance/contracts/{contract.id}").get_data(as_text=True)
    assert "3,000.00 · 未使用 1,000.00" in page


def test_another_companys_invoice_cannot_go_under_the_contract(app, client, finance, customer, make_company, db):
    create(client, customer)
    other, _ = make_company("乙企业")
    invoice_id = issued_invoice(app, finance, other, [LINE])
    contract = only_contract(db)
    response = client.post(f"/finance/contracts/{contract.id}/invoices", data={"invoice-invoice_id": invoice_id})
    assert response.status_code == 422
    assert db.get(Invoice, invoice_id).contract_id is None


def test_the_claims_contract_annex_names_the_contract_and_finance_is_not_warned_of_it(
    app, client, finance, customer, db, token_for
):
    create(client, customer, **{"new-signed_on": date.today().isoformat()})
    contract = only_contract(db)
    invoice_id = issued_invoice(app, finance, customer, [LINE])
    client.post(f"/finance/contracts/{contract.id}/invoices", data={"invoice-invoice_id": invoice_id})
    year = db.get(Invoice, invoice_id).issued_on.year
    live = client.get(f"/subsidy/{year}").get_data(as_text=True)
    assert "未关联服务合同" not in live and "未登记数电票号码" in live
    made = client.post(f"/api/v1/subsidy/{year}/claims", headers=token_for(finance))
    assert made.status_code == 201
    number = made.get_json()["number"]
    claim = db.scalar(select(SubsidyClaim).where(SubsidyClaim.number == number))
    annex = next(a for a in json.loads(claim.snapshot)["dossier"] if a["key"] == "contracts")
    assert annex["rows"] == [[contract.number, "甲发酵科技有限公司", "1", "10000.00"]]


def test_customers_cannot_open_contracts(client, customer, make_company, sign_in):
    _, email = make_company("丙企业")
    sign_in(email)
    assert client.get("/finance/contracts/").status_code == 403


def test_with_the_setting_a_large_invoice_needs_a_contract_before_it_is_issued(
    app, client, finance, customer, token_for, db
):
    headers = token_for(finance)
    draft = client.post("/api/v1/invoices", headers=headers, json={"company_id": customer, "lines": [LINE]})
    invoice_id = draft.get_json()["id"]
    app.config["CONTRACT_REQUIRED_FROM"] = Decimal("10000.00")
    try:
        refused = client.post(f"/api/v1/invoices/{invoice_id}/issue", headers=headers, json={})
        assert refused.status_code == 409 and "须先归入服务合同" in refused.get_json()["error"]
        create(client, customer)
        client.post(f"/finance/contracts/{only_contract(db).id}/invoices", data={"invoice-invoice_id": invoice_id})
        assert client.post(f"/api/v1/invoices/{invoice_id}/issue", headers=headers, json={}).status_code == 200
    finally:
        app.config["CONTRACT_REQUIRED_FROM"] = None


def test_an_invoice_drafted_from_a_booking_belongs_to_the_bookings_contract(
    app, client, finance, customer, db, token_for
):
    booking_id = make_booking(app, customer, status="completed")
    with app.app_context():
        session = db_session()
        session.get(Booking, booking_id).quote_subtotal = Decimal("5000.00")
        session.commit()
    client.post("/finance/contracts/from-booking", data={"booking-booking_id": booking_id})
    load_price_list(app)
    draft = client.post(
        "/api/v1/invoices",
        headers=token_for(finance),
        json={"booking_id": booking_id, "reason": "客户书面同意按实际用量结算"},
    )
    assert draft.status_code == 201, draft.get_json()
    assert db.get(Invoice, draft.get_json()["id"]).contract_id == only_contract(db).id
