"""The invoice PDF is in Chinese, carries both parties, the number, the total and the 大写 as real text, and
customer fields can neither inject markup nor make the renderer fetch anything."""

from datetime import date

import pytest

from app.documents.invoice_pdf import invoice_pdf
from app.documents.pdf import LockedFetcher
from app.models import Invoice
from app.platform.db import db_session
from tests.app.billing_data import LINE, issued_invoice
from tests.pdf_tools import text_of


@pytest.fixture
def finance_email(make_user):
    return make_user("finance")


def test_the_invoice_pdf_reads_back_in_chinese_with_number_total_and_amount_in_words(
    app, client, make_company, finance_email, token_for
):
    company_id, email = make_company("北方合成生物制造有限公司", address="呼和浩特市赛罕区", phone="0471-5550000")
    invoice_id = issued_invoice(app, finance_email, company_id, [LINE, {**LINE, "quantity": "1"}])
    response = client.get(f"/api/v1/invoices/{invoice_id}/pdf", headers=token_for(finance_email))
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = text_of(response.data)
    with app.app_context():
        invoice = db_session().get(Invoice, invoice_id)
        number, uscc = invoice.number, invoice.customer_uscc
    for expected in (
        "服务费发票",
        number,
        "北方合成生物制造有限公司",
        uscc,
        "纳税人识别号",
        "地址、电话",
        "开户行及账号",
        "呼和浩特市赛罕区 0471-5550000",
        app.config["PLATFORM_NAME"],
        "6%",
        "3,000.00",
        "180.00",
        "3,180.00",
        "叁仟壹佰捌拾元整",
        "第 1 页",
    ):
        assert expected in text, expected
    assert client.get(f"/api/v1/invoices/{invoice_id}/pdf", headers=token_for(email)).status_code == 200


def test_a_credit_note_pdf_names_the_original_and_its_negative_total(
    app, client, make_company, finance_email, token_for
):
    company_id, _ = make_company()
    invoice_id = issued_invoice(app, finance_email, company_id, [LINE])
    headers = token_for(finance_email)
    note = client.post(
        f"/api/v1/invoices/{invoice_id}/credit-notes", json={"reason": "重复开票"}, headers=headers
    ).get_json()
    text = text_of(client.get(f"/api/v1/invoices/{note['id']}/pdf", headers=headers).data)
    assert "红字发票" in text and note["number"] in text and "-2,120.00" in text and "负贰仟壹佰贰拾元整" in text


def test_markup_in_customer_fields_is_printed_as_text_and_fetches_nothing(
    app, make_company, finance_email, local_server
):
    """Customer fields only ever land in text nodes (no URL or attribute of the template takes them);
    escaped, a file:// or http://127.0.0.1 reference is plain text and nothing is requested."""
    url, hits = local_server
    company_id, _ = make_company(
        '恶意<img src="file:///etc/passwd">公司',
        address=f'<link rel="stylesheet" href="{url}/x.css">',
        bank_name=f'<img src="{url}/logo.png">',
    )
    invoice_id = issued_invoice(app, finance_email, company_id, [{**LINE, "description": f'<img src="{url}/a">'}])
    fetcher = LockedFetcher()
    with app.test_request_context():
        pdf = invoice_pdf(db_session().get(Invoice, invoice_id), date.today(), fetcher)
    assert fetcher.refused == [] and hits == []
    text = text_of(pdf)
    assert "file:///etc/passwd" in text and "root:" not in text
