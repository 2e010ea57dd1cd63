"""The year's live subsidy figures: what counts, what is excluded and why, the cap, and who may see them."""

import random
from datetime import date
from decimal import Decimal

import pytest

from app.platform.db import db_session
from app.services.subsidies import subsidy
from app.services.subsidies.subsidy_ledger import ledger
from billing import compute_subsidy


@pytest.fixture
def finance(make_user, token_for):
    return token_for(make_user("finance"))


def figures(client, headers, year=2026):
    response = client.get(f"/api/v1/subsidy/{year}", headers=headers)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def test_service_revenue_issued_in_the_year_counts_at_30_percent(client, books, make_company, finance):
    company, _ = make_company("甲生物科技有限公司")
    books.invoice(company, date(2026, 1, 1), "100000.00", goods="5000.00")
    books.invoice(company, date(2026, 12, 31), "23456.78")
    books.invoice(company, date(2025, 12, 31), "99999.00")
    books.invoice(company, date(2027, 1, 1), "99999.00")
    result = figures(client, finance)
    assert result["year"] == 2026 and result["eligible_revenue"] == "123456.78"
    assert result["rate"] == "0.30" and result["cap"] == "1000000.00" and result["amount"] == "37037.03"
    assert result["invoice_count"] == 2
    assert result["by_month"]["1"] == "100000.00" and result["by_month"]["12"] == "23456.78"
    assert result["by_customer"][0]["name"] == "甲生物科技有限公司"


def test_affiliated_customers_are_excluded_with_the_reason_in_chinese(client, books, make_company, finance, app):
    outside, _ = make_company("外部客户")
    inside, _ = make_company("关联公司")
    books.invoice(outside, date(2026, 3, 1), "1000.00")
    books.invoice(inside, date(2026, 3, 2), "5000.00")
    with app.app_context():
        session = db_session()
        session.get(subsidy.Company, inside).is_affiliated = True
        session.commit()
    result = figures(client, finance)
    assert result["eligible_revenue"] == "1000.00"
    assert result["excluded"]["affiliated"] == {"count": 1, "amount": "5000.00", "reason": "关联方"}


def test_the_amount_stops_at_the_cap(client, books, make_company, finance):
    company, _ = make_company()
    books.invoice(company, date(2026, 5, 1), "3333333.31")
    assert figures(client, finance)["amount"] == "999999.99"
    books.invoice(company, date(2026, 5, 2), "0.01")
    result = figures(client, finance)
    assert result["amount"] == "1000000.00" and result["revenue_to_reach_cap"] == "0.00"


def test_credit_notes_reduce_their_own_year_and_a_void_pair_in_one_year_is_excluded(
    client, books, make_company, finance
):
    company, _ = make_company()
    partly = books.invoice(company, date(2026, 2, 1), "1000.00")
    books.credit(partly, date(2026, 2, 3), "200.00")
    void = books.invoice(company, date(2026, 4, 1), "7000.00")
    books.credit(void, date(2026, 4, 2))
    late = books.invoice(company, date(2026, 11, 1), "3000.00")
    books.credit(late, date(2027, 1, 5))
    result = figures(client, finance)
    assert result["eligible_revenue"] == "3800.00"  # 1000 - 200 + 3000
    assert result["excluded"]["void"]["count"] == 2 and result["excluded"]["outside_year"]["count"] == 1
    assert figures(client, finance, 2027)["eligible_revenue"] == "-3000.00"
    assert figures(client, finance, 2027)["amount"] == "0.00"


def test_the_paid_basis_counts_invoices_in_the_year_they_were_fully_paid(client, books, make_company, finance, app):
    company, _ = make_company()
    paid = books.invoice(company, date(2025, 12, 20), "1000.00")
    books.pay(paid, "500.00", date(2025, 12, 30))
    books.pay(paid, "560.00", date(2026, 1, 10))
    unpaid = books.invoice(company, date(2026, 1, 2), "2000.00")
    books.pay(unpaid, "100.00", date(2026, 1, 3))
    with app.app_context():
        session = db_session()
        subsidy.update_policy(session, None, 2026, "0.30", "1000000", "paid", "")
        session.commit()
    result = figures(client, finance)
    assert result["basis"] == "paid" and result["eligible_revenue"] == "1000.00"
    assert result["excluded"]["not_paid"]["count"] == 1


@pytest.mark.parametrize("seed", range(4))
def test_the_sql_sums_agree_with_the_pure_core(app, books, make_company, seed):
    rng = random.Random(seed)
    companies = [make_company()[0] for _ in range(3)]
    for _ in range(40):
        issued = date(rng.choice((2025, 2026, 2026, 2027)), rng.randint(1, 12), rng.randint(1, 28))
        invoice = books.invoice(rng.choice(companies), issued, f"{rng.randint(1, 10**7) / 100:.2f}")
        if rng.random() < 0.3:
            credit_on = date(issued.year + rng.choice((0, 0, 1)), rng.randint(issued.month, 12), 28)
            books.credit(invoice, credit_on, None if rng.random() < 0.5 else "0.01")
    with app.app_context():
        session = db_session()
        session.get(subsidy.Company, companies[0]).is_affiliated = True
        session.flush()
        fast = subsidy.live_summary(session, 2026)
        policy = subsidy.core_policy(session, subsidy.policy_row(session, 2026))
        full = subsidy.summary_of(compute_subsidy(policy, ledger(session, 2026, "invoiced")), policy)
        session.rollback()
    assert fast == full


def test_figures_are_for_finance_and_admin_only(client, make_user, make_company, token_for):
    assert client.get("/api/v1/subsidy/2026", headers=token_for(make_user("admin"))).status_code == 200
    assert client.get("/api/v1/subsidy/2026", headers=token_for(make_user("bureau"))).status_code == 403
    assert client.get("/api/v1/subsidy/2026").status_code == 401
    company, email = make_company()
    assert client.get("/api/v1/subsidy/2026", headers=token_for(email)).status_code == 403
    assert client.get("/api/v1/subsidy/2026", headers=token_for(make_user("operator"))).status_code == 403


@pytest.mark.parametrize("year", [1999, 2101, 99999])
def test_a_year_out_of_range_is_refused_with_the_field(client, finance, year):
    response = client.get(f"/api/v1/subsidy/{year}", headers=finance)
    assert response.status_code == 422 and "year" in response.get_json()["fields"]


def test_the_live_page_shows_figures_charts_and_exclusions_without_inline_styles(
    client, books, make_company, make_user, sign_in
):
    company, _ = make_company("乙客户")
    invoice = books.invoice(company, date(2026, 6, 1), "10000.00")
    books.invoice(company, date(2026, 7, 1), "500.00")
    books.credit(invoice, date(2026, 6, 2))
    sign_in(make_user("finance"))
    page = client.get("/subsidy/2026?lang=zh_Hans_CN").get_data(as_text=True)
    assert "¥500.00" in page and "¥150.00" in page and "乙客户" in page and "作废" in page
    assert page.count("<rect") >= 14 and "style=" not in page and "<script" not in page
    assert client.get("/subsidy/1999").status_code == 422


def test_the_policy_is_edited_by_an_admin_and_logged(client, books, make_company, make_user, sign_in, token_for):
    company, _ = make_company()
    books.invoice(company, date(2026, 6, 1), "10000.00")
    admin = make_user("admin")
    sign_in(admin)
    assert client.get("/subsidy/2026/policy").status_code == 200
    bad = client.post("/subsidy/2026/policy", data={"rate": "1.5", "cap": "x", "basis": "invoiced"})
    assert bad.status_code == 422 and "比例应在 0 与 1 之间" in bad.get_data(as_text=True)
    saved = client.post(
        "/subsidy/2026/policy",
        data={"rate": "0.25", "cap": "2000", "basis": "invoiced", "notes": "市科技局 2026 年文件"},
    )
    assert saved.status_code == 302
    result = client.get("/api/v1/subsidy/2026", headers=token_for(admin)).get_json()
    assert (result["rate"], result["cap"], result["amount"]) == ("0.25", "2000.00", "2000.00")
    assert "补贴政策已修改" in client.get("/subsidy/2026/policy").get_data(as_text=True)
    assert Decimal(result["eligible_revenue"]) == Decimal("10000.00")


def test_finance_cannot_edit_the_policy_and_customers_see_no_subsidy_pages(client, make_user, make_company, sign_in):
    sign_in(make_user("finance"))
    assert client.get("/subsidy/2026/policy").status_code == 403
    client.post("/logout")
    _, email = make_company()
    sign_in(email)
    for path in ("/subsidy/2026", "/subsidy/claims", "/subsidy/2026/policy"):
        assert client.get(path).status_code == 403
