"""Fifty finance clerks issuing fifty drafts at the same moment get the numbers 1..50: no gap, no duplicate."""

from app.models import Invoice, NumberSequence
from tests.app.billing_data import LINE, THIS_YEAR
from tests.concurrency import at_once

CLERKS = 50


def test_fifty_concurrent_issues_take_the_numbers_one_to_fifty(app, client, db, make_user, make_company, token_for):
    finance = token_for(make_user("finance"))
    company_id, _ = make_company()
    drafts = [
        client.post("/api/v1/invoices", json={"company_id": company_id, "lines": [LINE]}, headers=finance).get_json()[
            "id"
        ]
        for _ in range(CLERKS)
    ]
    statuses = at_once(
        CLERKS,
        lambda i: app.test_client().post(f"/api/v1/invoices/{drafts[i]}/issue", json={}, headers=finance).status_code,
    )
    db.rollback()
    assert statuses == [200] * CLERKS
    numbers = sorted(number for (number,) in db.query(Invoice.number))
    assert numbers == [f"PP-{THIS_YEAR}-{n:05d}" for n in range(1, CLERKS + 1)]
    assert db.query(NumberSequence.last).filter_by(prefix="PP", year=THIS_YEAR).scalar() == CLERKS
