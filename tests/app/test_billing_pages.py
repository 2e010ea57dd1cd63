"""Finance works invoices through pages in Chinese: drafts, line edits, issuing, payments, credit notes,
the fapiao number, price lists and customer groups; customers see their own invoices only."""

from datetime import date
from decimal import Decimal

import pytest

from app.models import Company, CustomerGroup, Invoice, Payment, PriceItem, PriceList
from tests.app.billing_data import LINE, issued_invoice, load_price_list, make_booking

LINE_FORM = {
    "description": "工艺开发服务",
    "quantity": "2",
    "unit": "天",
    "unit_price": "1000.00",
    "tax_percent": "6",
    "discount_percent": "0",
    "is_service": "y",
}


@pytest.fixture
def finance_email(make_user):
    return make_user("finance")


@pytest.fixture
def finance(finance_email, sign_in):
    return sign_in(finance_email)


@pytest.fixture
def company_id(make_company):
    return make_company("草原益生菌研究院有限公司")[0]


def new_free_draft(finance, company_id) -> str:
    response = finance.post("/finance/invoices/new", data={"source": "free", "free-company_id": company_id})
    assert response.status_code == 302
    return response.headers["Location"]


def test_finance_drafts_edits_and_issues_an_invoice_through_the_pages(finance, db, company_id):
    detail = new_free_draft(finance, company_id)
    invoice = db.query(Invoice).one()
    assert finance.post(f"{detail}/lines/new", data=LINE_FORM).status_code == 302
    line = db.query(Invoice).one().lines[0]
    finance.post(f"{detail}/lines/{line.id}", data={**LINE_FORM, "quantity": "3"})
    db.rollback()
    assert db.get(Invoice, invoice.id).subtotal == Decimal("3000.00")
    page = finance.get(detail).get_data(as_text=True)
    assert "草稿" in page and "3,000.00" in page and "3,180.00" in page
    assert finance.post(f"{detail}/issue", data={"issued_at": ""}).status_code == 302
    db.rollback()
    assert db.get(Invoice, invoice.id).number.startswith("PP-")


def test_a_bad_line_is_shown_back_in_chinese_and_nothing_is_saved(finance, db, company_id):
    detail = new_free_draft(finance, company_id)
    response = finance.post(f"{detail}/lines/new", data={**LINE_FORM, "quantity": "-1"})
    assert response.status_code == 422 and "数量须大于零" in response.get_data(as_text=True)
    not_a_number = finance.post(f"{detail}/lines/new", data={**LINE_FORM, "unit_price": "NaN"})
    assert not_a_number.status_code == 422
    assert db.query(Invoice).one().lines == []


def test_issuing_an_empty_draft_is_refused_with_a_message(finance, db, company_id):
    detail = new_free_draft(finance, company_id)
    response = finance.post(f"{detail}/issue", data={})
    assert response.status_code == 422 and "请先添加明细行" in response.get_data(as_text=True)
    assert db.query(Invoice).one().number is None


def test_a_draft_from_a_completed_booking_is_made_on_the_new_page(app, finance, db, company_id):
    load_price_list(app)
    booking_id = make_booking(app, company_id)
    page = finance.get("/finance/invoices/new").get_data(as_text=True)
    assert "BK-T" in page
    response = finance.post(
        "/finance/invoices/new",
        data={"source": "booking", "booking-booking_id": booking_id, "booking-reason": "客户已书面确认用量"},
    )
    assert response.status_code == 302
    assert db.query(Invoice).one().booking_id == booking_id


def test_payments_credit_notes_and_the_fapiao_number_are_recorded_on_the_detail_page(
    app, finance, finance_email, db, company_id
):
    invoice_id = issued_invoice(app, finance_email, company_id)
    detail = f"/finance/invoices/{invoice_id}"
    issued_on = db.get(Invoice, invoice_id).issued_on.isoformat()
    too_much = finance.post(f"{detail}/payments", data={"amount": "5000", "received_on": issued_on})
    assert too_much.status_code == 422 and "不接受超额付款" in too_much.get_data(as_text=True)
    assert finance.post(f"{detail}/payments", data={"amount": "120", "received_on": issued_on}).status_code == 302
    bad_fapiao = finance.post(f"{detail}/fapiao", data={"fapiao_number": "123"})
    assert bad_fapiao.status_code == 422 and "20位数字" in bad_fapiao.get_data(as_text=True)
    assert finance.post(f"{detail}/fapiao", data={"fapiao_number": "2" * 20}).status_code == 302
    line_id = db.get(Invoice, invoice_id).lines[0].id
    credit = finance.post(f"{detail}/credit-notes", data={"reason": "多计半天", f"qty-{line_id}": "0.5"})
    assert credit.status_code == 302
    db.rollback()
    assert db.query(Payment).count() == 1 and db.get(Invoice, invoice_id).fapiao_number == "2" * 20
    assert db.query(Invoice).filter_by(credited_invoice_id=invoice_id).one().total == Decimal("-530.00")
    page = finance.get(detail).get_data(as_text=True)
    assert "CN-" in page and "部分付款" in page


def test_the_invoice_list_filters_and_shows_void_invoices(app, finance, finance_email, company_id):
    invoice_id = issued_invoice(app, finance_email, company_id)
    finance.post(f"/finance/invoices/{invoice_id}/credit-notes", data={"reason": "重复开票"})
    void = finance.get("/finance/invoices/?status=void").get_data(as_text=True)
    assert "作废" in void and "PP-" in void
    assert "暂无发票" in finance.get("/finance/invoices/?status=unpaid").get_data(as_text=True)
    assert finance.get("/finance/invoices/?year=abc&company_id=x&status=bogus").status_code == 200


def test_an_unknown_invoice_page_answers_404(finance):
    assert finance.get("/finance/invoices/999999").status_code == 404
    assert finance.post("/finance/invoices/999999/issue", data={}).status_code == 404


def test_customers_see_their_own_invoices_and_not_the_finance_pages(
    app, client, finance_email, company_id, make_company, sign_in, db
):
    own = issued_invoice(app, finance_email, company_id)
    other_company, _ = make_company()
    other = issued_invoice(app, finance_email, other_company)
    email = db.get(Company, company_id).users[0].email
    sign_in(email)
    page = client.get("/my/invoices/").get_data(as_text=True)
    number = db.get(Invoice, own).number
    assert number in page and db.get(Invoice, other).number not in page
    assert client.get(f"/my/invoices/{own}").status_code == 200
    assert client.get(f"/my/invoices/{own}/pdf").mimetype == "application/pdf"
    assert client.get(f"/my/invoices/{other}").status_code == 404
    assert client.get(f"/my/invoices/{other}/pdf").status_code == 404
    assert client.get("/finance/invoices/").status_code == 403


def test_finance_creates_a_draft_price_list_version_and_edits_its_prices(app, finance, db):
    load_price_list(app)
    current = db.query(PriceList).one()
    frozen_item = current.items[0]
    refused = finance.post(f"/finance/price-items/{frozen_item.id}", data={"unit_price": "1.00"})
    assert refused.status_code == 422 and "已生效的价目表不可修改" in refused.get_data(as_text=True)
    response = finance.post("/finance/price-lists", data={"effective_from": "2099-01-01"})
    assert response.status_code == 302
    draft = db.query(PriceList).filter_by(effective_from=date(2099, 1, 1)).one()
    item = draft.items[0]
    assert finance.post(f"/finance/price-items/{item.id}", data={"unit_price": "950.50"}).status_code == 302
    db.rollback()
    assert db.get(PriceItem, item.id).unit_price == Decimal("950.50")
    assert "950.50" in finance.get(f"/finance/price-lists/{draft.id}").get_data(as_text=True)
    assert finance.post("/finance/price-lists", data={"effective_from": "2020-01-01"}).status_code == 422


def test_finance_makes_a_customer_group_and_assigns_a_company(finance, db, company_id):
    created = finance.post(
        "/finance/customer-groups", data={"group-name": "战略合作伙伴", "group-discount_percent": "10"}
    )
    assert created.status_code == 302
    group = db.query(CustomerGroup).one()
    assert group.discount == Decimal("0.1")
    assigned = finance.post(
        "/finance/customer-groups", data={"assign-company_id": company_id, "assign-group_id": group.id}
    )
    assert assigned.status_code == 302
    db.rollback()
    assert db.get(Company, company_id).customer_group_id == group.id
    bad = finance.post("/finance/customer-groups", data={"group-name": "全免", "group-discount_percent": "100"})
    assert bad.status_code == 422 and "折扣须在" in bad.get_data(as_text=True)


def test_the_aged_receivables_page_lists_customers_with_amounts_due(app, finance, finance_email, company_id):
    issued_invoice(app, finance_email, company_id, [LINE])
    page = finance.get("/finance/receivables").get_data(as_text=True)
    assert "草原益生菌研究院有限公司" in page and "2,120.00" in page
