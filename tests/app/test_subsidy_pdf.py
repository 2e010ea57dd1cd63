"""The claim PDF, read back as text: the application form, amount in figures and 大写, year, invoices, exclusions."""

from datetime import date

from tests.pdf_tools import text_of


def test_the_claim_pdf_carries_the_form_the_lists_the_declaration_and_the_verification(
    client, books, make_company, make_user, token_for, app
):
    customer, _ = make_company("丁合成生物有限公司")
    affiliated, _ = make_company("平台关联公司")
    first = books.invoice(customer, date(2026, 2, 10), "2500000.00", fapiao="24112000000012345678")
    books.invoice(customer, date(2026, 9, 1), "1000.10")
    books.credit(first, date(2026, 10, 1), "100000.00")
    finance = token_for(make_user("finance"))
    admin = token_for(make_user("admin"))
    books.invoice(affiliated, date(2026, 3, 1), "8888.00")
    client.patch(f"/api/v1/companies/{affiliated}", json={"is_affiliated": True}, headers=admin)
    made = client.post("/api/v1/subsidy/2026/claims", headers=finance).get_json()
    assert made["eligible_revenue"] == "2401000.10" and made["amount"] == "720300.03"
    response = client.get(f"/api/v1/subsidy/claims/{made['number']}/pdf", headers=finance)
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = text_of(response.data)
    flat = text.replace("\n", "").replace(" ", "")
    for expected in (
        "2026年度中试平台开放服务补助申请表",
        "720,300.03",
        "柒拾贰万零叁佰元零叁分",
        "2,401,000.10",
        "PP-2026-00001",
        "PP-2026-00002",
        "CN-2026-00003",
        "24112000000012345678",
        "丁合成生物有限公司",
        "服务收入明细表",
        "未计入的单据及原因",
        "关联方",
        "平台关联公司",
        "承诺书",
        "法定代表人签字",
        "单位盖章",
        "补助金额=min(年度服务性收入×30%,1,000,000.00元)",
        app.config["PLATFORM_USCC"],
        made["number"],
    ):
        assert expected in flat, expected
    assert "第1页/共" in flat and "验证码" in flat and f"{app.config['PUBLIC_BASE_URL']}/verify/" in flat


def test_the_pdf_of_an_out_of_date_claim_says_so(client, books, make_company, make_user, token_for):
    customer, _ = make_company()
    invoice = books.invoice(customer, date(2026, 2, 10), "1000.00")
    finance = token_for(make_user("finance"))
    number = client.post("/api/v1/subsidy/2026/claims", headers=finance).get_json()["number"]
    books.credit(invoice, date(2026, 3, 1), "1.00")
    text = text_of(client.get(f"/api/v1/subsidy/claims/{number}/pdf", headers=finance).data)
    assert "已过期" in text and "300.00" in text
