"""Issue dates are bounded (not in the future, not before the platform's first year, not in a closed year) and
invoice numbers follow issue dates even when back-dated issues race each other."""

from datetime import date, timedelta

import pytest

from app.models import Invoice
from tests.app.billing_data import LINE, THIS_YEAR
from tests.concurrency import at_once

ROUNDS, CLERKS = 6, 4


@pytest.fixture
def finance(make_user, token_for):
    return token_for(make_user("finance"))


@pytest.fixture
def drafts(client, finance, make_company):
    """make(n): n new drafts for one company, as ids."""
    company_id, _ = make_company()

    def make(n: int) -> list[int]:
        return [
            client.post(
                "/api/v1/invoices", json={"company_id": company_id, "lines": [LINE]}, headers=finance
            ).get_json()["id"]
            for _ in range(n)
        ]

    return make


def issue(client, finance, invoice_id: int, day: date):
    return client.post(
        f"/api/v1/invoices/{invoice_id}/issue", headers=finance, json={"issued_at": f"{day.isoformat()}T10:00:00+08:00"}
    )


@pytest.mark.parametrize(
    "case, day, message",
    [
        ("before the platform's first year", date(2023, 12, 31), "平台启用的年份（2024 年）"),
        ("long before", date(2000, 1, 1), "平台启用的年份"),
        ("in the future", date(THIS_YEAR + 1, 1, 2), "不能晚于当前时间"),
    ],
)
def test_an_issue_date_out_of_bounds_is_refused(client, finance, drafts, case, day, message):
    response = issue(client, finance, drafts(1)[0], day)
    assert response.status_code == 422 and message in response.get_json()["fields"]["issued_at"]


def test_the_platforms_first_year_is_a_setting(app, client, finance, drafts):
    app.config["PLATFORM_FIRST_YEAR"] = 2020
    try:
        assert issue(client, finance, drafts(1)[0], date(2021, 3, 1)).get_json()["number"] == "PP-2021-00001"
    finally:
        app.config["PLATFORM_FIRST_YEAR"] = 2024


def test_no_document_is_issued_in_a_year_whose_subsidy_claim_is_submitted(client, finance, drafts):
    first, later = drafts(2)
    issue(client, finance, first, date(THIS_YEAR - 1, 3, 1))
    claim = client.post(f"/api/v1/subsidy/{THIS_YEAR - 1}/claims", headers=finance).get_json()
    assert client.post(f"/api/v1/subsidy/claims/{claim['number']}/submit", headers=finance).status_code == 200
    refused = issue(client, finance, later, date(THIS_YEAR - 1, 6, 1))
    assert refused.status_code == 422 and "已关账" in refused.get_json()["error"]
    credit = client.post(
        f"/api/v1/invoices/{first}/credit-notes",
        headers=finance,
        json={"reason": "更正", "issued_at": f"{THIS_YEAR - 1}-06-01T10:00:00+08:00"},
    )
    assert credit.status_code == 422


def test_back_dated_issues_racing_each_other_keep_numbers_in_date_order(app, client, db, finance, drafts):
    """Each round, four clerks issue four drafts dated on four successive days, all at once."""
    first_day = date(THIS_YEAR - 1, 2, 1)
    for round_ in range(ROUNDS):
        ids = drafts(CLERKS)
        days = [first_day + timedelta(days=round_ * CLERKS + CLERKS - 1 - i) for i in range(CLERKS)]
        statuses = at_once(
            CLERKS, lambda i, ids=ids, days=days: issue(app.test_client(), finance, ids[i], days[i]).status_code
        )
        assert set(statuses) <= {200, 422} and 200 in statuses
    db.rollback()
    issued = db.query(Invoice.number, Invoice.issued_on).filter(Invoice.number.isnot(None)).order_by(Invoice.number)
    dates = [issued_on for _, issued_on in issued]
    assert dates == sorted(dates)
